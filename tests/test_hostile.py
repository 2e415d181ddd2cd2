"""Hostile input and faults: every item of the robustness issue, each as a regression test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calcproof import atomic
from calcproof.cli import main
from calcproof.commands import positive_seconds
from calcproof.errors import InputError
from calcproof.latex_input import document
from calcproof.latex_input.adapter import Failure, read_sides
from calcproof.latex_input.declarations import Declarations
from calcproof.latex_input.document import read_document
from calcproof.latex_input.files import read_text
from calcproof.verify.budget import run_bounded

ROOT = Path(__file__).resolve().parent.parent
GOOD = "\\[ a + a = 2a \\]\n"


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["check", "--json", *args])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def only_error(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code, (report,) = check_json(capsys, str(path))
    assert code == 2
    (error,) = report["errors"]
    return str(error["message"])


# ---- non-regular files -----------------------------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path, capsys) -> None:
    """A named pipe given as input is refused before it is opened (opening it would block)."""
    pipe = tmp_path / "p.tex"
    os.mkfifo(pipe)
    good = tmp_path / "good.tex"
    good.write_text(GOOD)
    code, (bad, fine) = check_json(capsys, str(pipe), str(good))
    assert "named pipe (FIFO), not a regular file" in bad["errors"][0]["message"]
    assert fine["summary"]["verified"] == 1 and code == 2


def test_a_device_is_refused_and_a_folder_searched(tmp_path: Path, capsys) -> None:
    """A device (here behind a link) is refused with what it is; a folder is searched for
    .tex/.md files, and one with none is an error saying so (never a silent pass)."""
    zero = tmp_path / "zero.tex"
    zero.symlink_to("/dev/zero")
    assert "a device or special file, not a regular file" in only_error(capsys, zero)
    folder = tmp_path / "folder.tex"
    folder.mkdir()
    assert "a folder with no .tex or .md file in it" in only_error(capsys, folder)
    (folder / "inside.md").write_text("$$x + x = 2x$$\n")
    code, (report,) = check_json(capsys, str(folder))
    assert code == 0 and report["file"].endswith("inside.md")


def test_a_symlink_loop_is_an_error_not_a_crash(tmp_path: Path, capsys) -> None:
    """Two links pointing at each other give a read error naming the loop."""
    (tmp_path / "a.tex").symlink_to("b.tex")
    (tmp_path / "b.tex").symlink_to("a.tex")
    assert "symbolic links" in only_error(capsys, tmp_path / "a.tex")


# ---- encodings and line ends -----------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"), ("utf-32-le", "UTF-32LE")],
)
def test_utf16_and_utf32_without_a_mark_are_named(tmp_path: Path, capsys, encoding, named):
    """UTF-16/32 without a byte-order mark is named as such, with how to convert it."""
    path = tmp_path / "wide.tex"
    path.write_bytes(GOOD.encode(encoding))
    message = only_error(capsys, path)
    assert f"looks like {named} text without a byte-order mark" in message
    assert "calcproof reads UTF-8" in message


def test_utf16_with_a_mark_is_named(tmp_path: Path, capsys) -> None:
    """UTF-16 with a byte-order mark is named, not called 'not UTF-8' at random."""
    path = tmp_path / "wide.md"
    path.write_bytes(GOOD.encode("utf-16"))
    assert "the file is UTF-16 (little-endian) text" in only_error(capsys, path)


def test_nul_bytes_in_utf8_are_refused(tmp_path: Path) -> None:
    """A NUL byte (a binary file) is refused with its line."""
    path = tmp_path / "bin.tex"
    path.write_bytes(b"\\[ a = a \\]\n\x00\x01\x02binary")
    with pytest.raises(InputError, match="NUL bytes") as info:
        read_text(str(path))
    assert info.value.location == f"{path}:2"


def test_cr_only_line_ends_keep_their_lines(tmp_path: Path, capsys) -> None:
    """Old-Mac CR line ends are line ends: comments end there and lines are counted."""
    path = tmp_path / "cr.tex"
    path.write_bytes(b"% a comment\r\\[ a = a \\]\r\r\\[ b + b = 2b \\]\r")
    code, (report,) = check_json(capsys, str(path))
    assert code == 0
    assert [s["line"] for s in report["steps"]] == [2, 4]


def test_utf8_mark_is_dropped(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark is not part of the text."""
    path = tmp_path / "bom.tex"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert read_text(str(path)) == GOOD


# ---- names -----------------------------------------------------------------------------


def test_upper_case_tex_extension_is_latex(tmp_path: Path) -> None:
    """NOTES.TEX is LaTeX: a display inside a % comment is not checked."""
    for name in ("NOTES.TEX", "Notes.Tex"):
        text = "% \\[ a = b \\]\n\\[ c = c \\]\n"
        doc = read_document(str(tmp_path / name), text)
        assert [(s.lhs.text, s.rhs.text) for s in doc.steps] == [("c", "c")]


def test_upper_case_md_extension_is_markdown(tmp_path: Path) -> None:
    """NOTES.MD is Markdown: % is no comment there, <!-- --> is."""
    text = "<!-- \\[ a = b \\] -->\n100 % sure: \\[ c = c \\]\n"
    doc = read_document(str(tmp_path / "NOTES.MD"), text)
    assert [(s.lhs.text, s.rhs.text) for s in doc.steps] == [("c", "c")]


def test_a_file_named_like_an_option_gets_a_hint(tmp_path, monkeypatch, capsys) -> None:
    """`check -x.tex` says how to name such a file instead of a bare usage error."""
    monkeypatch.chdir(tmp_path)
    Path("-x.tex").write_text(GOOD)
    assert main(["check", "-x.tex"]) == 2
    assert "write ./-x.tex or put -- before it" in capsys.readouterr().err
    assert main(["check", "--", "-x.tex"]) == 0


def test_a_file_name_that_is_not_utf8_is_printed(tmp_path: Path, capsys) -> None:
    """A file name with bytes that are not UTF-8 is shown escaped, not a UnicodeEncodeError."""
    name = os.fsdecode(str(tmp_path).encode() + b"/caf\xe9.tex")
    Path(name).write_text(GOOD)
    code, (report,) = check_json(capsys, name)
    assert code == 0 and report["file"].endswith("caf\\xe9.tex")


# ---- linear passes ---------------------------------------------------------------------


def test_trailing_spacing_is_stripped_like_the_old_pattern() -> None:
    """Rows lose trailing spacing commands and punctuation, and keep escaped ones."""
    strip = document._strip_trailing
    assert strip("a = b \\quad , \\qquad.  \\, ") == "a = b"
    assert strip("a = b\\;") == "a = b"
    assert strip("x = \\%.") == "x = \\%"
    assert strip("   ") == ""


def test_many_spaces_in_a_row_split_in_linear_time() -> None:
    """100,000 spaces before the right-hand side: the row is still split (the old regex hung)."""
    text = "\\[ x = " + " " * 100_000 + "x \\]\n"
    outcome = run_bounded(lambda: read_document("spaces.tex", text), 20)
    assert outcome.value is not None, outcome.error
    assert [(s.lhs.text, s.rhs.text) for s in outcome.value.steps] == [("x", "x")]


def test_continuation_rows_and_many_chains_split_in_linear_time() -> None:
    """A 300k-row block of continuations and 1,000 chains finish (no quadratic joins/counts)."""
    rows = "x \\\\\n" + "+ x \\\\\n" * 300_000
    long_side = f"\\begin{{align}} a &= {rows} \\end{{align}}\n"
    chains = "".join(f"\\[ a_{{{k}}} = a_{{{k}}} \\]\n" for k in range(1_000))
    outcome = run_bounded(lambda: read_document("big.tex", long_side + chains), 30)
    assert outcome.value is not None, outcome.error
    steps = outcome.value.steps
    assert steps[0].rhs.text.count("+ x") == 300_000
    assert steps[-1].chain == 1_001


def test_unclosed_html_comments_are_linear() -> None:
    """Many unclosed <!-- in Markdown (each used to rescan the rest of the file) finish."""
    text = "$$ a = a $$\n" + "<!-- x\n" * 100_000
    outcome = run_bounded(lambda: read_document("c.md", text), 20)
    assert outcome.value is not None, outcome.error
    assert len(outcome.value.steps) == 1


def test_a_document_with_too_many_steps_is_refused() -> None:
    """More steps than the limit is one clear error, not hours of checking."""
    text = "\\begin{align}" + "a &= a \\\\\n" * (document.MAX_STEPS + 1) + "\\end{align}"
    with pytest.raises(InputError, match=f"more than {document.MAX_STEPS} steps"):
        read_document("many.tex", text)


# ---- code fences -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fence",
    [
        "```\n$$ a = b $$\n```\n",  # closed
        "~~~~python\n$$ a = b $$\n~~~~\n",  # longer fence, info string
        "```\n$$ a = b $$\n",  # never closed: code to the end
        "  ```\n$$ a = b $$\n~~~\n$$ a = c $$\n",  # a ~~~ line does not close ```
    ],
)
def test_code_fences_are_not_mathematics(fence: str) -> None:
    """Math inside a Markdown code fence, closed or not, is not checked."""
    doc = read_document("notes.md", "$$ c = c $$\n" + fence)
    assert [(s.lhs.text, s.rhs.text) for s in doc.steps] == [("c", "c")]


def test_text_after_a_closed_fence_is_read() -> None:
    """After the closing fence, display math counts again (and keeps its line)."""
    doc = read_document("notes.md", "```\n$$ a = b $$\n```\n$$ c = c $$\n")
    assert [(s.lhs.text, s.rhs.text, s.line) for s in doc.steps] == [("c", "c", 4)]


# ---- budgets ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["inf", "1e308", "1e20", "nan", "-inf", "86401"])
def test_out_of_range_timeouts_are_usage_errors(text: str) -> None:
    """Infinite, huge or NaN --timeout values are refused by the option parser."""
    with pytest.raises(Exception, match="must be"):
        positive_seconds(text)


def test_run_bounded_accepts_a_huge_budget() -> None:
    """A budget beyond the OS timers' range no longer overflows (it is waited for in pieces)."""
    assert run_bounded(lambda: 42, 1e300).value == 42


def test_huge_numbers_cost_one_budget_per_side() -> None:
    """Four towers 10^{10^{10}}: each side fails after its own budget, nothing is retried."""
    texts = [f"10^{{10^{{10}}}} + {k}" for k in range(4)] + ["a + b"]
    started = time.perf_counter()
    sides = read_sides(texts, Declarations(), seconds=2.0)
    assert time.perf_counter() - started < 4 * 2.0 + 10  # the old retries took about 30 s
    assert all(isinstance(s, Failure) and "longer than its budget" in s.message for s in sides[:4])
    assert not isinstance(sides[4], Failure)


def test_huge_numbers_in_a_document_stay_within_the_step_budget(tmp_path: Path) -> None:
    """`10^{10^{10}} = 10^{10^{10}} + 1` at --timeout 1 is an error within the budget, not 33 s."""
    path = tmp_path / "huge.tex"
    path.write_text("\\[ 10^{10^{10}} = 10^{10^{10}} + 1 \\]\n")
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "calcproof.cli", "check", "--json", "--timeout", "1", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    (report,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 2 and "took longer than" in report["errors"][0]["message"]
    assert elapsed < 15, elapsed  # generous for a loaded machine; it was 33 s before


# ---- streaming output ------------------------------------------------------------------


def test_each_file_is_reported_before_the_next_is_read(tmp_path: Path, monkeypatch) -> None:
    """check_files yields the first report before it starts on the second file."""
    from calcproof.latex_input import run

    first, second = tmp_path / "first.tex", tmp_path / "second.tex"
    first.write_text(GOOD)
    second.write_text(GOOD)
    started: list[str] = []
    real = run.check_file

    def spy(path: str, *args: object, **options: object) -> object:
        started.append(Path(path).name)
        return real(path, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "check_file", spy)
    reports = run.check_files([str(first), str(second)], 5.0, "udl", 1)
    assert next(iter(reports)).file == str(first)
    assert started == ["first.tex"]


def test_a_fifo_does_not_hold_back_the_other_files(tmp_path: Path) -> None:
    """With a FIFO among the inputs, the good file's result is still printed (it used to hang)."""
    good, pipe = tmp_path / "good.tex", tmp_path / "pipe.tex"
    good.write_text(GOOD)
    os.mkfifo(pipe)
    run = subprocess.run(
        [sys.executable, "-m", "calcproof.cli", "check", "--json", str(pipe), str(good)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    reports = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["file"] for r in reports] == [str(pipe), str(good)]
    assert run.returncode == 2 and "Traceback" not in run.stderr


# ---- refutation messages ---------------------------------------------------------------


def test_a_refutation_shows_enough_digits(tmp_path: Path, capsys) -> None:
    """sin²+cos² = 1 + 10⁻⁸ is refuted with values that visibly differ."""
    path = tmp_path / "close.tex"
    path.write_text("\\[ \\sin(x)^2 + \\cos(x)^2 = 1 + 10^{-8} \\]\n")
    code, (report,) = check_json(capsys, str(path))
    (step,) = report["steps"]
    assert code == 1 and step["verdict"] == "refuted"
    left, right = re.search(r"left (\S+), right (\S+)$", step["message"]).groups()  # type: ignore[union-attr]
    assert left != right and float(right) - float(left) == pytest.approx(1e-8, rel=1e-3)


def test_a_difference_beyond_double_precision_is_shown() -> None:
    """1 and 1 + 10⁻³⁰ are printed with enough digits to differ."""
    from sympy import Float

    from calcproof.verify.refute import _nums

    a, b = Float(1, 60), Float(1, 60) + Float("1e-30", 60)
    shown = _nums(a, b)
    assert shown[0] != shown[1]
    assert _nums(Float(2, 60), Float(3, 60)) == ("2", "3")


# ---- build output folder ---------------------------------------------------------------

SHEET = """
from sympy import Symbol
from calcproof.derivation import chain, then
from calcproof.sheet import Problem, Proof, Sheet, Text

x = Symbol("x", real=True)
GOOD = chain("good", "x + x = 2x", x + x, [then("=", rhs=2 * x, why="collect")])
DERIVATIONS = [GOOD]
SHEETS = [Sheet("fine", "Fine", "a good sheet",
          (Problem("Double", (Text("Add."),), (Proof("good"),)),))]
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "derivations"
    folder.mkdir()
    (folder / "fine.py").write_text(SHEET)
    return folder


def build_error(capsys, content: Path, out: str) -> str:
    code = main(["build", "--no-pdf", "--dir", str(content), "--out", out])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    return err[-1]


def test_build_out_a_file_is_one_line(content: Path, tmp_path: Path, capsys) -> None:
    """--out naming a file (or /dev/null) is a one-line error, exit 2."""
    target = tmp_path / "afile"
    target.write_text("")
    assert build_error(capsys, content, str(target)).endswith(
        "afile: not a folder (--out must name a folder)"
    )
    assert "/dev/null: not a folder" in build_error(capsys, content, "/dev/null")


def test_build_out_empty_is_refused(content: Path, capsys) -> None:
    """--out "" is refused instead of silently writing into the current folder."""
    with pytest.raises(SystemExit) as info:
        main(["build", "--no-pdf", "--dir", str(content), "--out", ""])
    assert info.value.code == 2
    assert "must name a folder, not an empty string" in capsys.readouterr().err


def test_build_write_failure_is_one_line(content, tmp_path, monkeypatch, capsys) -> None:
    """A write that fails (read-only folder, full disk) names the path and the reason."""

    def refuse(path: Path, data: bytes) -> bool:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(atomic, "write_bytes", refuse)
    line = build_error(capsys, content, str(tmp_path / "out"))
    assert re.search(r"out/fine.tex: cannot write the file \(Permission denied\)$", line)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_build_into_a_read_only_folder_is_one_line(content, tmp_path, capsys) -> None:
    """A read-only output folder is a one-line error naming it, before anything is checked."""
    out = tmp_path / "ro"
    out.mkdir(mode=0o555)
    assert "the folder is not writable" in build_error(capsys, content, str(out))


def test_build_refuses_a_link_inside_the_output(content, tmp_path, capsys) -> None:
    """A link at OUT/figures is refused: nothing is written outside --out."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "figures").symlink_to(elsewhere)
    assert "figures: is a symbolic link" in build_error(capsys, content, str(out))
    assert list(elsewhere.iterdir()) == []


# ---- a property over the document reader -----------------------------------------------

TOKENS = [
    "\\[", "\\]", "$$", "\\begin{align}", "\\end{align}", "&=", "=", "\\\\", "{", "}", "x",
    "\\frac", "^", "_", "%", "\n", "\r", " ", "```", "~~~", "<!--", "-->", "\\quad", ",",
    "\\sum_{i=1}^{n}", "\\label{a}", "\u200b", "\u202e", "\\begin{verbatim}", "10^{10^{10}}",
]  # fmt: skip


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=60),
    st.sampled_from(["doc.tex", "doc.md", "DOC.TEX"]),
)
def test_reading_any_token_soup_gives_steps_or_an_input_error(tokens, name) -> None:
    """Whatever the tokens, the reader returns steps with lines in range or raises InputError."""
    text = "".join(tokens)
    try:
        doc = read_document(name, text.replace("\r\n", "\n").replace("\r", "\n"))
    except InputError as exc:
        assert exc.message
        return
    lines = text.count("\n") + text.count("\r") + 1
    assert all(1 <= s.line <= lines for s in doc.steps)
    assert all(1 <= e.line <= lines for e in doc.errors if e.line is not None)
