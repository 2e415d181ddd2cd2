"""The command line as a new user meets it: version, usage, output location, figures, show."""

from __future__ import annotations

import textwrap

import pytest

import calcproof
from calcproof.cli import main

SHEET = textwrap.dedent(
    """
    from sympy import Rational, Symbol
    from calcproof.derivation import chain, then
    from calcproof.losses import sig
    from calcproof.sheet import Curve, Curves, Figure, Problem, Proof, Sheet, Text
    from calcproof.symbols import z

    a = Symbol("a", positive=True)
    DERIVATIONS = [chain("half", "sig[0] = 1/2", sig(0), [then("=", rhs=Rational(1, 2))])]
    FIGURE = Figure("mine", "caption", curves=Curves(sig(a * z), z, (-4, 4), cases=CASES))
    SHEETS = [Sheet("mine", "T", "C", (Problem("p", (Text("s"),), (Proof("half"), FIGURE)),))]
    """
)


def _course(tmp_path, cases: str):
    folder = tmp_path / "course" / "derivations"
    folder.mkdir(parents=True)
    (folder / "mine.py").write_text(SHEET.replace("cases=CASES", f"cases={cases}"))
    return folder


def test_version(capsys):
    """``calcproof --version`` prints the package version."""
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"calcproof {calcproof.__version__}"


def test_bad_flag_prints_the_subcommands_usage(capsys):
    """An unknown option of ``build`` is reported with build's usage, not the top-level one."""
    with pytest.raises(SystemExit) as done:
        main(["build", "--nope"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: calcproof build") and "unrecognized arguments: --nope" in err


def test_build_writes_next_to_the_derivations_and_prints_each_path(tmp_path, capsys, monkeypatch):
    """Run from elsewhere, build writes <course>/output/ and names every file it wrote."""
    folder = _course(tmp_path, '(Curve({a: 1}, "red", "$a = 1$"),)')
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--dir", str(folder), "--no-pdf"]) == 0
    out = tmp_path / "course" / "output"
    assert (out / "mine.tex").is_file() and (out / "figures" / "mine.png").is_file()
    assert not (tmp_path / "output").exists()
    err = capsys.readouterr().err
    assert f"  {out / 'mine.tex'}" in err and f"  {out / 'figures' / 'mine.pdf'}" in err


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ("(Curve({}),)", "case 1: no value for a"),
        ('(Curve({a: 1}, "notacolour"),)', "'notacolour' is not a colour"),
        ("()", "at least one case"),
    ],
)
def test_a_bad_figure_stops_the_build_before_any_verification(tmp_path, capsys, cases, message):
    """A figure that cannot be drawn is an error (exit 2) naming it, before the kernel runs."""
    folder = _course(tmp_path, cases)
    assert main(["build", "--dir", str(folder), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "sheet 'mine', figure 'mine'" in err and message in err
    assert "verifying" not in err


def test_unknown_builtin_plot_is_reported_before_verification(tmp_path, capsys):
    """A figure naming no built-in plot and giving no spec says how to declare one."""
    folder = _course(tmp_path, "()")
    text = (folder / "mine.py").read_text()
    text = text.replace(
        'Figure("mine", "caption", curves=Curves(sig(a * z), z, (-4, 4), cases=()))',
        'Figure("my-plot", "c")',
    )
    (folder / "mine.py").write_text(text)
    assert main(["build", "--dir", str(folder), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "figure 'my-plot': unknown plot" in err and "curves=Curves" in err
    assert "verifying" not in err


def test_show_says_by_hand_once(tmp_path, capsys):
    """A step without a rule is shown 'by hand', never 'by by hand'."""
    folder = _course(tmp_path, "(Curve({a: 1}),)")
    assert main(["show", "half", "--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "by hand" in out and "by by hand" not in out


def test_a_reason_tex_cannot_spell_stops_the_build_before_verification(tmp_path, capsys):
    """A why= text with an unknown character is an error naming derivation and step, up front."""
    folder = _course(tmp_path, "(Curve({a: 1}),)")
    text = (folder / "mine.py").read_text()
    (folder / "mine.py").write_text(
        text.replace("rhs=Rational(1, 2))", 'rhs=Rational(1, 2), why="half ☃")')
    )
    assert main(["build", "--dir", str(folder), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "half, step 1 (by hand)" in err and "'☃'" in err
    assert "verifying" not in err


def test_version_is_the_installed_distributions():
    """``__version__`` (what --version prints) is the version pip installed."""
    from importlib.metadata import version

    assert calcproof.__version__ == version("calcproof")
