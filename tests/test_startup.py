"""Start-up cost: ``calcproof --help`` builds every parser without importing SymPy.

Each case runs in a fresh interpreter (this process has SymPy loaded already) and
reports the heavy modules it imported.  No timing is asserted (see
``bench/bench_startup.py`` for that); what is imported is what decides start-up.
"""

from __future__ import annotations

import gc
import importlib
import json
import subprocess
import sys

import pytest

from calcproof import cli, defaults, registry, verify
from calcproof.distributions import DISTRIBUTIONS, LINKS
from calcproof.latex_input import adapter

HEAVY = ("sympy", "numpy", "scipy", "mpmath", "matplotlib", "antlr4", "tqdm")

PROBE = """
import json, sys
from calcproof.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {heavy!r}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy))), file=sys.stderr)
"""


def heavy_modules(*argv: str) -> list[str]:
    """The heavy top-level packages a fresh ``calcproof ARGV`` imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("--version",),
        ("check", "--help"),
        ("list", "--help"),
        ("show", "--help"),
        ("build", "--help"),
        ("derive", "--help"),
        ("init", "--help"),
    ],
)
def test_help_does_not_import_sympy(argv):
    """Every help page (every subcommand's parser is built for it) is plain argparse."""
    assert heavy_modules(*argv) == []


def test_help_by_module_does_not_import_sympy():
    """``python -m calcproof --help`` as a user runs it: SymPy never appears in its imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "calcproof", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "usage: calcproof" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert not {name.split(".")[0] for name in imported} & set(HEAVY)


def test_light_defaults_are_the_ones_used():
    """The constants the parsers show are those of the modules that use them."""
    assert verify.DEFAULT_TIMEOUT == defaults.DEFAULT_TIMEOUT
    assert registry.DEFAULT_DIRECTORY == defaults.DEFAULT_DIRECTORY
    assert tuple(DISTRIBUTIONS) == defaults.DISTRIBUTION_NAMES
    assert tuple(LINKS) == defaults.LINK_NAMES


def imported_by(*argv: str) -> list[str]:
    """Every module a fresh ``python ARGV`` imported, forked children included, in order."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line]


def test_checking_a_step_skips_what_it_does_not_use(tmp_path):
    """A one-step check loads neither SymPy's quantum package (the LaTeX parser imports it
    for bra-ket input only) nor NumPy, matplotlib, the derivations registry or the
    diagnosis; what SymPy imports on first use is imported once, before forking."""
    doc = tmp_path / "one.md"
    doc.write_text("$$\na + b = b + a\n$$\n")
    imported = imported_by("-m", "calcproof", "check", str(doc))
    assert "calcproof.latex_input.adapter" in imported
    unused = {"numpy", "scipy", "matplotlib", "sympy.physics", "calcproof.registry"}
    assert not {m for m in imported if m in unused or m.startswith("sympy.physics.")}
    shown = {"calcproof.render.terminal", "calcproof.render.notation"}  # paint, profiles
    skipped = ("calcproof.diagnose", "calcproof.render.")
    assert not {m for m in imported if m.startswith(skipped)} - shown
    assert imported.count("sympy.tensor.tensor") == 1


BRA_KET = """
import sys
import calcproof.latex_input.adapter  # imports the parser
assert not [m for m in sys.modules if m.startswith("sympy.physics")], "quantum was imported"
from sympy.parsing.latex import parse_latex
from sympy.physics.quantum.state import Bra, Ket
assert type(parse_latex(r"\\langle x|", backend="antlr", strict=True)) is Bra
assert type(parse_latex(r"|x\\rangle", backend="antlr", strict=True)) is Ket
assert sys.modules["sympy.physics.quantum.state"].Bra is Bra
print("ok")
"""


def test_the_parser_makes_bra_ket_as_before_without_importing_quantum_first():
    """SymPy's parser still returns real ``Bra``/``Ket`` objects (the pre-pass refuses
    ``\\langle`` before they are made, see test_latex_input); quantum loads on that use."""
    done = subprocess.run(
        [sys.executable, "-c", BRA_KET], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_warm_up_parses_once_from_the_second_call(monkeypatch):
    """One document needs no warm-up parse (its one reader builds its own tables); the
    second call parses once, later calls not again; ``now`` parses at the first."""
    calls: list[str] = []
    monkeypatch.setattr(adapter, "parse", lambda text, *rest: calls.append(text))
    monkeypatch.setattr(adapter, "_warm", {"calls": 0, "parsed": False})
    adapter.warm_up()
    assert calls == []
    adapter.warm_up()
    adapter.warm_up()
    assert calls == [adapter.WARM_UP]
    monkeypatch.setattr(adapter, "_warm", {"calls": 0, "parsed": False})
    adapter.warm_up(now=True)
    adapter.warm_up()
    assert calls == [adapter.WARM_UP] * 2


@pytest.mark.parametrize("name", ["build", "check", "derive", "listing"])
def test_preload_imports_what_the_command_lists_and_restores_the_collector(name):
    """Each command's ``PRELOAD`` names importable modules; the collector is on again after."""
    module = importlib.import_module(f"calcproof.commands.{name}")
    assert module.PRELOAD
    cli.preload(module.configure, freeze=False)
    assert gc.isenabled()
    assert all(m in sys.modules for m in module.PRELOAD)
