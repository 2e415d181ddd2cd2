"""Diagnoses of refuted steps: the slip's kind, the term, and a corrected line the kernel verifies.

Each kind of slip has a step that makes it (the right diagnosis must come out)
and a step that makes it together with a second slip (no single change fixes
it, so there must be no suggestion: never a guess).
"""

from __future__ import annotations

import pytest
from sympy import (
    Abs,
    Expr,
    Function,
    Indexed,
    IndexedBase,
    Integer,
    Rational,
    Sum,
    Symbol,
    cos,
    exp,
    log,
    oo,
    sin,
    sqrt,
)

from calcproof.derivation import Context, Step
from calcproof.diagnose import screen, search
from calcproof.losses import sig
from calcproof.relations import Equal, Limit, Relation, argmax_to_argmin, argmin
from calcproof.symbols import f, phi, x, y
from calcproof.testing import describe
from calcproof.verify import check_step

a = Symbol("a", real=True)
b = Symbol("b", real=True)
p = Symbol("p", positive=True)
q = Symbol("q", positive=True)
s = Symbol("sigma", positive=True)
z = Symbol("z", real=True)
i = Symbol("i", integer=True, positive=True)
d = Symbol("d", integer=True, positive=True)
n = Symbol("I", integer=True, positive=True)
u = Symbol("u", real=True)
EQ = Equal()
MIN = argmin(phi)


def _sq(expr: Expr) -> Expr:
    return Sum(expr, (i, 1, n))


RESIDUAL = (y[i] - f(1, x[i], phi)) ** 2
BRACKET_LHS = -Sum(log(exp(-RESIDUAL / (2 * s**2)) / sqrt(2 * s**2)), (d, 1, 10), (i, 1, n))
BRACKET_RHS = -Sum(log(1 / sqrt(2 * s**2)), (d, 1, 10), (i, 1, n)) - RESIDUAL / (2 * s**2)

RIGHT: list[tuple[str, Relation, Expr, Expr, str]] = [
    ("wrong sign", EQ, (a + b) ** 2, a**2 - 2 * a * b + b**2, "a^{2} + 2 a b + b^{2}"),
    ("missing term", EQ, (a + b) ** 2, a**2 + b**2, "a^{2} + 2 a b + b^{2}"),
    ("extra term", EQ, a * (a + b), a**2 + a * b + b, "a^{2} + a b"),
    ("constant factor", EQ, (a**2 + a**2) / 4, a**2, r"\frac{a^{2}}{2}"),
    (
        "constant factor",
        EQ,
        _sq(y[i]) / (n - 1),
        _sq(y[i]) / n,
        r"\frac{1}{I - 1} \sum_{i=1}^{I} y_{i}",
    ),
    ("exponent", EQ, (a - b) * (a - b), Abs(a - b), r"\left(a - b\right)^{2}"),
    ("swapped symbols", EQ, a**2 * b, a * b**2, "a^{2} b"),
    ("function replaced", EQ, log(p * q), exp(p) + log(q), r"\log[p] + \log[q]"),
    ("function replaced", EQ, 1 - sig(u), sig(u), r"1 - \operatorname{sig}[u]"),
    ("outside sum", MIN, BRACKET_LHS, BRACKET_RHS, r"\left(\log"),
    ("negative multiplier", MIN, _sq(RESIDUAL), -_sq(RESIDUAL) / 2, r"\frac{1}{2} \sum_{i=1}^{I}"),
    (
        "argmax to argmin without negating",
        argmax_to_argmin(phi),
        -_sq(RESIDUAL),
        -_sq(RESIDUAL),
        r"\sum_{i=1}^{I}",
    ),
    ("dropped φ-term", MIN, _sq(RESIDUAL) + phi**2, _sq(RESIDUAL), r"\boldsymbol{\phi}^{2}"),
    ("non-monotone transform", MIN, _sq(RESIDUAL) - 1, (_sq(RESIDUAL) - 1) ** 2, r"\sum_{i=1}^{I}"),
    ("limit direction", Limit(z, 0, "+"), 1 / z, -oo, r"\to 0^{-}"),
    ("limit value", Limit(z, oo), (z + 1) / z, 2, "= 1"),
]


# The slips the mutation campaign showed to be hard: a number changed where SymPy folds it
# (every copy of it, with its reciprocal), a root dropped from a product, a Σ range off by
# one, two Σ indices swapped, a term lost inside a function; alone, then with a second slip.
ub = IndexedBase("u", real=True)
wb = IndexedBase("w", real=True)
HARD_RIGHT: list[tuple[str, Relation, Expr, Expr, str]] = [
    ("constant factor", EQ, (a + b) ** 2, a**2 + a * b + b**2, "2 a b"),
    ("constant factor", EQ, 1 / sqrt(2 * s**2), 1 / sqrt(3 * s**2), r"\sqrt{2}"),
    ("exponent", EQ, log(1 / sqrt(2 * s**2)), log(1 / (2 * s**2)), r"\sqrt{2}"),
    ("sum range", EQ, Sum(ub[i], (i, 1, n)), Sum(ub[i], (i, 1, n + 1)), r"\sum_{i=1}^{I}"),
    (
        "swapped symbols",
        EQ,
        Sum(ub[i] * wb[d], (i, 1, n), (d, 1, 3)),
        Sum(ub[d] * wb[i], (i, 1, n), (d, 1, 3)),
        "u_{i}",
    ),
    ("missing term", EQ, sin(a + b) + a, sin(a) + a, r"\sin{\left(a + b \right)}"),
    ("extra term", EQ, cos(a) ** 2 + sin(a) ** 2, 1 + a, "1"),
]
HARD_TWO_SLIPS: list[tuple[str, Relation, Expr, Expr]] = [
    ("constant factor", EQ, 1 / sqrt(2 * s**2) + exp(a), 1 / sqrt(3 * s**2) + exp(2 * a)),
    ("sum range", EQ, Sum(ub[i], (i, 1, n)), Sum(ub[i] ** 2, (i, 1, n + 1))),
    (
        "swapped symbols",
        EQ,
        Sum(ub[i] * wb[d], (i, 1, n), (d, 1, 3)),
        Sum(ub[d] * wb[i] + 1, (i, 1, n), (d, 1, 3)),
    ),
    ("missing term", EQ, sin(a + b) + a, sin(a) + 2 * a + b),
]


@pytest.mark.parametrize(
    ("kind", "rel", "lhs", "rhs", "shown"),
    RIGHT + HARD_RIGHT,
    ids=[r[0] for r in RIGHT + HARD_RIGHT],
)
def test_right_diagnosis(kind: str, rel: Relation, lhs: Expr, rhs: Expr, shown: str) -> None:
    """A step with one slip of a kind stays refuted and is diagnosed as that kind, with a fix."""
    verdict = check_step(Step(rel, lhs, rhs, "slip"), Context(), diagnose=True)
    assert verdict.status == "refuted"
    assert verdict.diagnosis is not None, verdict.message
    assert verdict.diagnosis.kind == kind
    assert shown in verdict.diagnosis.suggestion
    assert verdict.diagnosis.suggestion_verified


TWO_SLIPS: list[tuple[str, Relation, Expr, Expr]] = [
    ("wrong sign", EQ, (a + b) ** 3, a**3 - 3 * a**2 * b + 2 * a * b**2 + b**3),
    ("missing term", EQ, (a + b) ** 2 + sin(a), a**2 + b**2 + sin(b)),
    ("extra term", EQ, exp(a) * exp(b), exp(a + 2 * b) + a),
    ("constant factor", EQ, (a + b) ** 2, 3 * a**2 + 2 * a * b + 5 * b**2),
    ("exponent", EQ, (a - b) ** 2 + sin(a), Abs(a - b) + sin(2 * a)),
    ("swapped symbols", EQ, (a - b) ** 3 + sin(a), (b - a) ** 3 + sin(b) + 1),
    ("function replaced", EQ, log(p * q) + sin(p), exp(p) + log(q) + sin(q)),
    ("outside sum", MIN, BRACKET_LHS, BRACKET_RHS + sin(phi)),
    ("negative multiplier", MIN, _sq(RESIDUAL), -_sq(RESIDUAL) / 2 + sin(phi)),
    ("argmax to argmin", argmax_to_argmin(phi), -_sq(RESIDUAL), -_sq(RESIDUAL) + sin(phi)),
    ("dropped φ-term", MIN, _sq(RESIDUAL) + phi**2, -_sq(RESIDUAL)),
    ("non-monotone transform", MIN, _sq(RESIDUAL) - 1, sin(_sq(RESIDUAL)) ** 2),
]
"""No limit here: a limit is refuted only when SymPy computes another value, which then
verifies as the corrected value (see ``test_limit_value_is_the_kernels_value``)."""


@pytest.mark.parametrize(
    ("kind", "rel", "lhs", "rhs"),
    TWO_SLIPS + HARD_TWO_SLIPS,
    ids=[t[0] for t in TWO_SLIPS + HARD_TWO_SLIPS],
)
def test_no_simple_diagnosis(kind: str, rel: Relation, lhs: Expr, rhs: Expr) -> None:
    """Two slips at once: refuted, and no suggestion is made (the certificate stays)."""
    verdict = check_step(Step(rel, lhs, rhs, "slips"), Context(), diagnose=True)
    assert verdict.status == "refuted"
    assert verdict.diagnosis is None, verdict.diagnosis
    assert verdict.counterexample


@pytest.mark.parametrize(("kind", "rel", "lhs", "rhs", "shown"), RIGHT, ids=[r[0] for r in RIGHT])
def test_every_suggestion_verifies(
    kind: str, rel: Relation, lhs: Expr, rhs: Expr, shown: str
) -> None:
    """The correction the search picks is verified by ``check_step`` itself."""
    found = search(Step(rel, lhs, rhs, "slip"), Context(), 30.0)
    assert found is not None
    assert check_step(found.step, Context(), diagnose=False).status == "verified"


def test_limit_value_is_the_kernels_value() -> None:
    """A refuted limit is corrected to the value whose computation refuted it."""
    verdict = check_step(
        Step(Limit(z, oo), (z + 1) / z + exp(-z), Rational(7, 3), "v"), Context(), diagnose=True
    )
    assert verdict.status == "refuted"
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.kind == "limit value"
    assert verdict.diagnosis.suggestion.endswith("= 1")


def test_limit_point_when_no_value_is_known() -> None:
    """Where SymPy gives no value, a limit claimed at the wrong point is moved to the right one."""
    found = search(Step(Limit(z, oo), exp(a * z), 1, "p"), Context(), 30.0)
    assert found is not None
    assert found.kind == "limit point"
    assert found.step.relation == Limit(z, 0)


def test_verified_step_has_no_diagnosis() -> None:
    """A verified step carries no diagnosis."""
    verdict = check_step(
        Step(EQ, (a + b) ** 2, a**2 + 2 * a * b + b**2, "ok"), Context(), diagnose=True
    )
    assert verdict.status == "verified"
    assert verdict.diagnosis is None


def test_diagnosis_can_be_switched_off() -> None:
    """``diagnose=False`` leaves the refuted verdict bare."""
    step = Step(EQ, (a + b) ** 2, a**2 + b**2, "slip")
    assert check_step(step, Context(), diagnose=False).diagnosis is None


def test_assert_verified_message_names_the_slip() -> None:
    """The failure message of ``assert_verified`` shows the slip and the corrected line."""
    step = Step(EQ, (a + b) ** 2, a**2 + b**2, "slip")
    text = describe("step 1", step, check_step(step, Context(), diagnose=True))
    assert "slip: a term 2 a b is missing" in text
    assert "did you mean: a^{2} + 2 a b + b^{2}" in text


def test_screen_sees_letters_next_to_network_outputs() -> None:
    """A difference that vanishes only when the network output is 0 is still seen as non-zero
    (masking the output by 0 once made the letter next to it disappear from the point)."""
    g = Function("g")
    out = g(Indexed(ub, i))
    loss = (log(1 - 1 / (1 + exp(-out))) + log(1 + exp(-out))) * Indexed(wb, i)  # = -g·w
    assert screen.equal_plausible(screen.terms(loss, Context()), Integer(0), Context()) is False
