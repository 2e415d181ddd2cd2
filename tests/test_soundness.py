"""Regression tests for the soundness defects found by outside test suites (kernel issue, §1).

Each case failed before the fix: a false claim came back ``verified`` or a true
one ``refuted``.  Documents go through ``calcproof check`` exactly as a user's
file would; kernel-level cases call :func:`check_step` directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sympy import Derivative, Function, Integer, Rational, Sum, Symbol, exp, sqrt, tanh

from calcproof.cli import main
from calcproof.derivation import Context, Step
from calcproof.relations import Equal
from calcproof.verify import check_step

x = Symbol("x", real=True)
F = Function("F", real=True)


def verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, name: str = "a.tex"):
    """The verdicts of every step of a document, and its errors, as ``check --json`` gives them."""
    path = tmp_path / name
    path.write_text(text)
    main(["check", "--json", str(path)])
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return [s["verdict"] for s in report["steps"]], report


# --- 1. derivatives of unknown functions ------------------------------------------------

WRONG_DERIVATIVES = [
    r"\[ \frac{d}{dx} f(x) = 0 \]",
    r"\[ \frac{d}{dx}\left(x f(x)\right) = f(x) \]",
    r"\[ \frac{d}{dx} g(x) = 1 \]",
]


@pytest.mark.parametrize("text", WRONG_DERIVATIVES)
def test_derivative_of_an_unknown_function_is_not_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """d/dx f(x) is not 0, and the product rule is not d/dx (x f) = f: refuted with a concrete f."""
    found, report = verdicts(tmp_path, capsys, text)
    assert found == ["refuted"]
    assert any(name.startswith(("f(", "g(")) for name in report["steps"][0]["counterexample"])


def test_true_product_rule_with_an_unknown_function_is_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The right product rule d/dx (x f(x)) = f(x) + x f'(x) is still verified."""
    text = r"\[ \frac{d}{dx}\left(x f(x)\right) = f(x) + x \frac{d}{dx} f(x) \]"
    assert verdicts(tmp_path, capsys, text)[0] == ["verified"]


def test_derivative_kept_whole_in_the_kernel() -> None:
    """Kernel level: F'(x) = 0 and F'(x) = F(x) are never verified; F'(x) = F'(x) + 0 is."""
    dF = Derivative(F(x), x)
    assert check_step(Step(Equal(), dF, Integer(0), "t"), Context()).status == "refuted"
    assert check_step(Step(Equal(), dF, F(x), "t"), Context()).status != "verified"
    assert check_step(Step(Equal(), dF + x - x, dF, "t"), Context()).status == "verified"


# --- 2. Σ/∏ index letters are bound inside their Σ/∏ only ------------------------------

INDEX_LEAKS = [
    "\\[ \\sqrt{k^2} = k \\]\n\\[ \\sum_{k=1}^{3} k = 6 \\]\n",
    "\\[ \\sum_{k=1}^{3} k = 6 \\]\n\\[ \\sqrt{k^2} = k \\]\n",
    "% calcproof: real k\n\\[ \\sum_{k=1}^{3} k = 6 \\]\n\\[ \\sqrt{k^2} = k \\]\n",
    "\\[ \\sum_{k=1}^{3} k = 6 \\]\n\\[ \\cos[2\\pi k] = 1 \\]\n",
    "\\[ \\prod_{t=1}^{2} t = 2 \\]\n\\[ \\lfloor t \\rfloor = t \\]\n",
]


@pytest.mark.parametrize("text", INDEX_LEAKS)
def test_a_sum_index_does_not_make_the_letter_an_integer_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """The Σ/∏ claim is verified; the claim about the free letter is refuted (it is real)."""
    found, _ = verdicts(tmp_path, capsys, text)
    assert sorted(found) == ["refuted", "verified"]


def test_subscript_indices_are_scoped_to_their_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """y_k makes k an index in its own chain only; \\sqrt{k^2} = k elsewhere is refuted."""
    text = "\\[ y_k + 0 = y_k \\]\n\\[ \\sqrt{k^2} = k \\]\n"
    assert verdicts(tmp_path, capsys, text)[0] == ["verified", "refuted"]


def test_assumptions_of_a_verdict_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The JSON names what was assumed of the step's letters (k an integer, σ positive)."""
    text = "\\[ y_k \\sigma = \\sigma y_k \\]\n"
    _, report = verdicts(tmp_path, capsys, text)
    assumed = report["steps"][0]["assumptions"]
    assert assumed["k"] == "a positive integer"
    assert assumed["sigma"] == "positive"


# --- 3. only names can be defined ------------------------------------------------------

BAD_DEFINITIONS = [
    "\\[ 2 := 3 \\]\n\\[ x^2 = x^3 \\]\n",
    "\\[ 1 := 0 \\]\n\\[ \\frac{x}{x} = 0 \\]\n",
    "\\[ \\exp[x] := x \\]\n\\[ \\exp[x] = x \\]\n",
]


@pytest.mark.parametrize("text", BAD_DEFINITIONS)
def test_a_definition_of_a_number_or_known_function_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """``2 := 3`` is an error on its line and the later claim is checked as written (refuted)."""
    found, report = verdicts(tmp_path, capsys, text)
    assert found == ["refuted"]
    assert report["errors"][0]["line"] == 1
    assert "only a name can be defined" in report["errors"][0]["message"]


def test_a_name_can_still_be_defined(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``L := x^2`` defines L, and ``L = x \\cdot x`` is then verified."""
    text = "\\[ L := x^2 \\]\n\\[ L = x \\cdot x \\]\n"
    assert verdicts(tmp_path, capsys, text)[0] == ["definition", "verified"]


# --- 4. empty and reversed ranges ------------------------------------------------------

REVERSED = [
    (r"\[ \sum_{k=3}^{1} x = -x \]", "refuted"),
    (r"\[ \prod_{k=3}^{1} 2 = \frac12 \]", "refuted"),
    (r"\[ \sum_{i=m}^{n} c = (n-m+1)c \]", "refuted"),
    (r"\[ \sum_{i=1}^{n-3} 1 = n-3 \]", "refuted"),
    (r"\[ \sum_{k=3}^{1} x = 0 \]", "verified"),
    (r"\[ \prod_{k=3}^{1} 2 = 1 \]", "verified"),
    (r"\[ \sum_{i=1}^{n} c = n c \]", "verified"),
]


@pytest.mark.parametrize(("text", "expected"), REVERSED)
def test_ranges_follow_the_usual_convention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    """An empty range has no terms (Σ = 0, ∏ = 1), not SymPy's Karr convention."""
    assert verdicts(tmp_path, capsys, text)[0] == [expected]


# --- 5. bold letters, 6. upper-case extensions ------------------------------------------


def test_bold_and_plain_letters_are_different_objects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """\\mathbf{x} + 1 = x + 1 is refuted, with a reading note saying the two were kept apart."""
    found, report = verdicts(tmp_path, capsys, "\\[ a = 1 \\]\n\\[ \\mathbf{x} + 1 = x + 1 \\]\n")
    assert found == ["definition", "refuted"]
    assert "read as different objects" in report["steps"][1]["message"]


# --- 7. non-real intermediate values are never counterexamples -------------------------

NOT_REFUTED = [
    r"\[ \sqrt{k/m}\,\sqrt{m/k} = 1 \]",
    r"\[ (-1)^n\cos^n x = (-\cos x)^n \]",
    r"\[ \log_a(a^x) = x \]",
    r"\[ \sqrt{x}\sqrt{y} = \sqrt{xy} \]",
    r"\[ 1 - \tanh[x + 100] = \frac{2}{\exp[2x + 200] + 1} \]",
]


@pytest.mark.parametrize("text", NOT_REFUTED)
def test_true_claims_are_never_refuted_at_complex_or_unresolved_points(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """True wherever both sides are real: no point with a complex intermediate value is used."""
    assert verdicts(tmp_path, capsys, text)[0] != ["refuted"]


def test_precision_is_raised_until_the_cancellation_is_resolved() -> None:
    """Kernel level: 1 - tanh(x + 100) = 2/(e^(2x+200) + 1) is not refuted; off by 1e-90 it is."""
    lhs = 1 - tanh(x + 100)
    rhs = 2 / (exp(2 * x + 200) + 1)
    assert check_step(Step(Equal(), lhs, rhs, "t"), Context()).status != "refuted"
    shifted = check_step(Step(Equal(), lhs, rhs * (1 + Rational(1, 10**6)), "t"), Context())
    assert shifted.status == "refuted"


def test_cancelling_side_is_still_refuted_against_a_clear_difference() -> None:
    """sqrt(x^2 + 1)^2 - x^2 - 1 is 0 after cancellation; claiming it is 1 is refuted."""
    lhs = sqrt(x**2 + 1) ** 2 - x**2 - 1 + Sum(0, (Symbol("j", integer=True), 1, 2))
    assert check_step(Step(Equal(), lhs, Integer(1), "t"), Context()).status == "refuted"


# --- missed refutation: range sizes vary independently ---------------------------------


def test_ranges_of_different_sizes_are_told_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Σ_i Σ_j y_ij = Σ_i Σ_j y_ji is refuted at I ≠ J."""
    text = r"\[ \sum_{i=1}^{I}\sum_{j=1}^{J} y_{ij} = \sum_{i=1}^{I}\sum_{j=1}^{J} y_{ji} \]" + "\n"
    found, report = verdicts(tmp_path, capsys, text)
    assert found == ["refuted"]
    point = report["steps"][0]["counterexample"]
    assert point["I"] != point["J"]
