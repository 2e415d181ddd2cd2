"""``calcproof check``: the worksheet, right and wrong derivations, malformed input, JSON, jobs."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from calcproof.cli import main
from calcproof.commands.check import write_human
from calcproof.report import FileReport, StepResult

FIXTURES = Path(__file__).parent / "fixtures"
WORKSHEET = FIXTURES / "activity4_worksheet.md"

STEP_KEYS = {
    "chain", "index", "line", "relation", "lhs", "rhs", "verdict", "method", "counterexample",
    "message", "assumptions", "diagnosis",
}  # fmt: skip


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["check", "--json", *args])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def worksheet() -> dict:
    """The JSON report of the worksheet (checked once for the module)."""
    done = subprocess.run(
        [sys.executable, "-m", "calcproof", "check", "--json", str(WORKSHEET)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


# line: (chain, index, relation, verdict) for every step of the printed solution
WORKSHEET_VERDICTS = {
    13: (1, 1, "=", "verified"),  # sig[z] = 1/(1 + exp[-z]): the definition of sig, as a claim
    21: (2, 1, "def", "definition"),  # L := binary cross-entropy
    26: (3, 1, "=", "refuted"),  # "- y = 0": a bullet "y = 0" mangled into the claim -y = 0
    28: (4, 1, "=", "refuted"),  # "- y = 1": likewise
    42: (5, 1, "def", "definition"),  # Pr(y | f[x, φ], σ²) := ∏_d N(y_d; f_d, σ²)
    46: (6, 1, "=", "refuted"),  # L reused: a claim about the L of line 21 (and its sign is lost)
    50: (7, 1, "def", "definition"),  # φ̂ := argmin[…]
    51: (7, 2, "argmin_phi", "refuted"),  # the squared term falls outside both sums
    52: (7, 3, "argmin_phi", "refuted"),  # from the misbracketed line 51: indices still escape
    53: (7, 4, "argmin_phi", "verified"),  # dropping the positive factor 1/(2σ²)
}


def test_worksheet_every_line(worksheet: dict) -> None:
    """check reports the recorded verdict for every step of the worksheet's printed solution."""
    steps = worksheet["steps"]
    got = {s["line"]: (s["chain"], s["index"], s["relation"], s["verdict"]) for s in steps}
    assert got == WORKSHEET_VERDICTS
    assert worksheet["errors"] == []


def test_worksheet_argmin_line_two_is_refuted_with_the_escaping_index(worksheet: dict) -> None:
    """The misbracketed second line is refuted by an order-reversal pair; the index escapes."""
    (step,) = [s for s in worksheet["steps"] if s["line"] == 51]
    assert step["method"].startswith("order-reversal pair")
    assert "index d, i is used outside its Σ/∏" in step["message"]
    assert {"phi @p", "phi @q"} <= set(step["counterexample"])


def test_worksheet_dropping_the_positive_factor_is_verified(worksheet: dict) -> None:
    """The step from the third line to the fourth verifies with the factor 1/(2σ²)."""
    (step,) = [s for s in worksheet["steps"] if s["line"] == 53]
    assert "c = 1/(2*sigma**2) > 0" in step["method"]


def test_json_matches_the_schema(worksheet: dict) -> None:
    """The JSON object has exactly the keys and types of the design.md contract."""
    assert set(worksheet) == {"file", "steps", "errors", "summary"}
    assert worksheet["file"] == str(WORKSHEET)
    for step in worksheet["steps"]:
        assert set(step) == STEP_KEYS
        assert all(isinstance(step[k], int) for k in ("chain", "index", "line"))
        assert all(isinstance(v, str) for v in step["counterexample"].values())
        assert step["verdict"] in {"verified", "refuted", "unknown", "definition"}
        assert (step["relation"] == "def") == (step["verdict"] == "definition")
    assert worksheet["summary"] == {"verified": 2, "refuted": 5, "unknown": 0, "errors": 0}


RIGHT = [
    "udl_sigmoid_right.tex",
    "udl_bce_right.tex",
    "udl_gaussian_right.md",
    "standard_right.tex",
]
WRONG = ["udl_wrong.tex", "standard_wrong.md"]


@pytest.mark.parametrize("name", RIGHT)
def test_right_derivations_verify(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """Every step of a correct derivation (either notation) is verified or a definition; exit 0."""
    code, (report,) = check_json(capsys, str(FIXTURES / name))
    assert {s["verdict"] for s in report["steps"]} <= {"verified", "definition"}
    assert report["summary"]["verified"] >= 1
    assert report["errors"] == []
    assert code == 0


@pytest.mark.parametrize("name", WRONG)
def test_wrong_derivations_are_refuted(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """Every step of a wrong derivation (either notation) is refuted with a certificate; exit 1."""
    code, (report,) = check_json(capsys, str(FIXTURES / name))
    assert [s["verdict"] for s in report["steps"]] == ["refuted"] * len(report["steps"])
    assert all(s["message"] for s in report["steps"])
    assert code == 1


def test_refuted_step_shows_its_counterexample(capsys: pytest.CaptureFixture[str]) -> None:
    """The human report names file:line, the relation and the point where the sides differ."""
    code = main(["check", str(FIXTURES / "standard_wrong.md")])
    out = capsys.readouterr().out
    assert code == 1
    assert "standard_wrong.md:11  [4.1] =  ✗ refuted by counterexample" in out
    assert re.search(r"\n    at a = \S+, b = \S+: left \S+, right \S+\n", out)
    assert "standard_wrong.md: 0 verified, 7 refuted, 0 unknown, 0 unreadable" in out
    assert "\033[" not in out


MALFORMED = [
    ("malformed/unbalanced_braces.tex", "unbalanced_braces.tex:1: unbalanced braces"),
    ("malformed/unknown_environment.tex", "unknown_environment.tex:2: unknown environment"),
    ("malformed/no_derivation.md", "no_derivation.md: no derivation found"),
    ("malformed/unclosed_display.md", "unclosed_display.md:1: $$ is never closed"),
    ("malformed/not_utf8.tex", "not_utf8.tex:2: the file is not UTF-8 text"),
    ("missing.tex", "missing.tex: cannot read the file"),
]


@pytest.mark.parametrize(("name", "message"), MALFORMED)
def test_unreadable_files_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    """An unreadable file gives exit 2 and one 'calcproof: error: file:line: …' line."""
    code = main(["check", str(FIXTURES / name)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("calcproof: error: ") and message in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("unsupported_construct.tex", 2, "unsupported construct '\\oint'"),
        ("unsupported_relation.md", 1, "unsupported relation '\\leq'"),
        ("too_deep.md", 1, "expression nested too deeply (more than 40 levels)"),
    ],
)
def test_unreadable_lines_are_reported_and_exit_2(
    capsys: pytest.CaptureFixture[str], name: str, line: int, message: str
) -> None:
    """A line that cannot be read is an error with its line; the other lines are still checked."""
    code, (report,) = check_json(capsys, str(FIXTURES / "malformed" / name))
    assert code == 2
    assert [(e["line"], e["message"]) for e in report["errors"]] == [(line, message)]
    assert report["summary"]["errors"] == 1


def test_no_traceback_and_other_files_still_checked() -> None:
    """Through the real entry point, a missing file is one line and the next file is checked."""
    done = subprocess.run(
        [sys.executable, "-m", "calcproof", "check", "nope.tex",
         str(FIXTURES / "udl_sigmoid_right.tex")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    missing = "calcproof: error: nope.tex: cannot read the file (No such file or directory)\n"
    assert done.stderr == missing
    assert "udl_sigmoid_right.tex: 7 verified, 0 refuted" in done.stdout


def test_unknown_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A step neither proved nor refuted within its budget is unknown, and the exit status is 3."""
    doc = tmp_path / "hard.md"
    doc.write_text("$$\\sum_{k=1}^{1000000000} g(k) = \\sum_{k=2}^{1000000001} g(k)$$\n")
    code, (report,) = check_json(capsys, "--timeout", "2", str(doc))
    assert [s["verdict"] for s in report["steps"]] == ["unknown"]
    assert code == 3


def test_jobs_give_the_same_reports_as_a_serial_run(capsys: pytest.CaptureFixture[str]) -> None:
    """--jobs 2 prints the same JSON, in the same order, as a serial run."""
    files = [str(FIXTURES / n) for n in ("udl_wrong.tex", "udl_sigmoid_right.tex", "missing.md")]
    serial = check_json(capsys, *files)
    capsys.readouterr()
    parallel = check_json(capsys, "--jobs", "2", *files)
    assert parallel == serial
    assert serial[0] == 2


def test_colour_only_on_a_terminal() -> None:
    """The human report is coloured on a terminal and plain otherwise."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    step = StepResult(1, 1, 3, "=", "a", "b", "refuted", "counterexample", (("a", "1"),),
                      "at a = 1: left 1, right 0")  # fmt: skip
    report = FileReport("f.tex", (step,))
    plain, terminal = io.StringIO(), Terminal()
    write_human(report, plain)
    write_human(report, terminal)
    assert "\033[31m✗ refuted\033[0m" in terminal.getvalue()
    assert "\033[" not in plain.getvalue()
    assert "f.tex:3  [1.1] =  ✗ refuted by counterexample" in plain.getvalue()


def test_step_workers_give_the_same_report() -> None:
    """Checking one file's steps from a pool gives the same report as checking them in turn."""
    from calcproof.latex_input.checking import check_file

    path = str(FIXTURES / "bench_twenty_steps.md")
    assert check_file(path, 10.0, workers=2) == check_file(path, 10.0, workers=1)


def test_notation_option_changes_the_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--notation standard reads a[b + c] as a product; the book's as an application (not a
    definition: only a name applied to distinct letters can be defined)."""
    doc = tmp_path / "brackets.md"
    doc.write_text("$$a[b + c] = a b + a c$$\n")
    standard = check_json(capsys, "--notation", "standard", str(doc))
    udl = check_json(capsys, str(doc))
    assert standard[1][0]["steps"][0]["verdict"] == "verified"
    assert udl[1][0]["steps"][0]["relation"] == "="
    assert udl[1][0]["steps"][0]["verdict"] != "verified"


def test_missing_file_json_has_a_null_line(capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable file still prints its JSON object, with the error and no steps."""
    code, (report,) = check_json(capsys, "missing.md")
    assert code == 2
    assert report["steps"] == [] and report["errors"][0]["line"] is None
    assert report["summary"] == {"verified": 0, "refuted": 0, "unknown": 0, "errors": 1}
