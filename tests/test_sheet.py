"""Tests of sheets: the Activity 4 content, and whole sheets against the committed output/."""

from __future__ import annotations

from pathlib import Path

import pytest

from calcproof import building, registry
from calcproof.errors import BuildError
from calcproof.render.document import Checked, sheet_tex
from calcproof.render.notation import STANDARD
from calcproof.sheet import Display, Figure, Problem, Proof, Sheet, Text
from calcproof.verify import check_derivation

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "output"


@pytest.fixture(scope="module")
def content() -> registry.Content:
    return registry.load(ROOT / "derivations")


@pytest.fixture(scope="module")
def activity4(content) -> Sheet:
    return next(s for s in content.sheets if s.name == "activity4")


@pytest.fixture(scope="module")
def reports(content, activity4):
    return {n: check_derivation(content.derivation(n)) for n in activity4.derivation_names()}


def test_activity4_has_the_three_tasks_with_verified_solutions(activity4, reports):
    """Three problems (sigmoid, BCE, Gaussian), every step of every solution verified."""
    assert [p.title for p in activity4.problems] == [
        "The logistic sigmoid",
        "Binary cross-entropy",
        "Gaussian outputs and least squares",
    ]
    assert activity4.derivation_names() == (
        "sigmoid-minus-infinity",
        "sigmoid-at-zero",
        "sigmoid-plus-infinity",
        "bce-y0",
        "bce-y1",
        "gaussian-least-squares",
    )
    assert activity4.plots() == ("sigmoid", "bce-loss")
    assert building.failures(activity4, reports) == ()
    for problem in activity4.problems:
        assert any(isinstance(b, Proof) for b in problem.solution)


def test_statements_are_correct_where_the_worksheet_was_not(activity4):
    """The sigmoid tends to 0 as z -> -infinity; the prose never says 'z = ∞ … zero'."""
    text = " ".join(
        b.latex for p in activity4.problems for b in p.statement + p.solution if isinstance(b, Text)
    )
    assert r"tends to 0 as $z \to -\infty$" in text
    assert r"As $z \to -\infty$, $-z \to +\infty$" in text
    assert "When $z = \\infty$" not in text


def test_solution_sheet_matches_committed_output(activity4, reports):
    """The solution sheet rendered now is byte-identical to output/activity4.tex."""
    proofs = {n: Checked(r.derivation, r.verdicts) for n, r in reports.items()}
    assert sheet_tex(activity4, proofs) == (OUTPUT / "activity4.tex").read_text()


def test_problem_sheet_matches_committed_output_and_has_no_solutions(activity4, reports):
    """The problem sheet is byte-identical to output/activity4-problems.tex, statements only."""
    proofs = {n: Checked(r.derivation, None) for n, r in reports.items()}
    tex = sheet_tex(activity4, proofs, solutions=False)
    assert tex == (OUTPUT / "activity4-problems.tex").read_text()
    assert "Solution" not in tex and "align*" not in tex


def test_json_report_matches_committed_output(activity4, reports):
    """The committed JSON lists every step, in order, with its verdict and method."""
    committed = (OUTPUT / "activity4.json").read_text()
    assert building.report_json(activity4, reports, timings=False) == committed
    assert '"seconds"' not in committed


def test_standard_notation_sheet_uses_parentheses(activity4, reports):
    """In the standard profile the sigmoid is sigma(z) and figures get their own names."""
    proofs = {n: Checked(r.derivation, r.verdicts) for n, r in reports.items()}
    tex = sheet_tex(activity4, proofs, notation=STANDARD)
    assert r"\sigma(z) = \frac{1}{1 + \exp(-z)}" in tex
    assert "figures/bce-loss-standard.pdf" in tex and r"\operatorname{sig}[" not in tex


def test_rewording_a_step_that_does_not_exist_is_a_build_error(content):
    """A reason for step 12 of a 3-step derivation is reported, not silently ignored."""
    derivation = content.derivation("sigmoid-at-zero")
    sheet = Sheet("s", "S", "", (Problem("P", (), (Proof(derivation.name, {12: "?"}),)),))
    with pytest.raises(BuildError, match="no step 12"):
        sheet_tex(sheet, {derivation.name: Checked(derivation, None)})


def test_sheet_lists_derivations_and_plots_once_in_order_of_use():
    """Names used twice are listed once, in first-use order."""
    problem = Problem(
        "P",
        (Display(Text("x").latex and __import__("sympy").Symbol("x")),),
        (Proof("b"), Figure("sigmoid", ""), Proof("a"), Proof("b"), Figure("sigmoid", "")),
    )
    sheet = Sheet("s", "S", "", (problem,))
    assert sheet.derivation_names() == ("b", "a")
    assert sheet.plots() == ("sigmoid",)
