"""More slip kinds, each made once: the diagnosis must name it, with a verified corrected line;
and the same slip together with a second one, where no single change fixes the step.

The slips here are the ones the mutation campaign showed to be hard: a number changed
where SymPy folds it (every copy of it, with its reciprocal), a root dropped from a
product, a Σ range off by one, two Σ indices swapped, a term lost inside a function.
"""

from __future__ import annotations

import pytest
from sympy import (
    Expr,
    Function,
    Indexed,
    IndexedBase,
    Integer,
    Sum,
    Symbol,
    cos,
    exp,
    log,
    sin,
    sqrt,
)

from calcproof.derivation import Context, Step
from calcproof.diagnose import screen
from calcproof.relations import Equal, Relation
from calcproof.verify import check_step

a = Symbol("a", real=True)
b = Symbol("b", real=True)
s = Symbol("sigma", positive=True)
i = Symbol("i", integer=True, positive=True)
d = Symbol("d", integer=True, positive=True)
n = Symbol("I", integer=True, positive=True)
u = IndexedBase("u", real=True)
w = IndexedBase("w", real=True)
EQ = Equal()


RIGHT: list[tuple[str, Relation, Expr, Expr, str]] = [
    ("constant factor", EQ, (a + b) ** 2, a**2 + a * b + b**2, "2 a b"),
    ("constant factor", EQ, 1 / sqrt(2 * s**2), 1 / sqrt(3 * s**2), r"\sqrt{2}"),
    ("exponent", EQ, log(1 / sqrt(2 * s**2)), log(1 / (2 * s**2)), r"\sqrt{2}"),
    ("sum range", EQ, Sum(u[i], (i, 1, n)), Sum(u[i], (i, 1, n + 1)), r"\sum_{i=1}^{I}"),
    (
        "swapped symbols",
        EQ,
        Sum(u[i] * w[d], (i, 1, n), (d, 1, 3)),
        Sum(u[d] * w[i], (i, 1, n), (d, 1, 3)),
        "u_{i}",
    ),
    ("missing term", EQ, sin(a + b) + a, sin(a) + a, r"\sin{\left(a + b \right)}"),
    ("extra term", EQ, cos(a) ** 2 + sin(a) ** 2, 1 + a, "1"),
]


@pytest.mark.parametrize(("kind", "rel", "lhs", "rhs", "shown"), RIGHT, ids=[r[0] for r in RIGHT])
def test_right_diagnosis(kind: str, rel: Relation, lhs: Expr, rhs: Expr, shown: str) -> None:
    """One slip of a kind: refuted, diagnosed as that kind, with a verified corrected line."""
    verdict = check_step(Step(rel, lhs, rhs, "slip"), Context(), diagnose=True)
    assert verdict.status == "refuted"
    assert verdict.diagnosis is not None, verdict.message
    assert verdict.diagnosis.kind == kind
    assert shown in verdict.diagnosis.suggestion
    assert verdict.diagnosis.suggestion_verified


TWO_SLIPS: list[tuple[str, Relation, Expr, Expr]] = [
    ("constant factor", EQ, 1 / sqrt(2 * s**2) + exp(a), 1 / sqrt(3 * s**2) + exp(2 * a)),
    ("sum range", EQ, Sum(u[i], (i, 1, n)), Sum(u[i] ** 2, (i, 1, n + 1))),
    (
        "swapped symbols",
        EQ,
        Sum(u[i] * w[d], (i, 1, n), (d, 1, 3)),
        Sum(u[d] * w[i] + 1, (i, 1, n), (d, 1, 3)),
    ),
    ("missing term", EQ, sin(a + b) + a, sin(a) + 2 * a + b),
]


@pytest.mark.parametrize(("kind", "rel", "lhs", "rhs"), TWO_SLIPS, ids=[t[0] for t in TWO_SLIPS])
def test_no_simple_diagnosis(kind: str, rel: Relation, lhs: Expr, rhs: Expr) -> None:
    """Two slips at once: refuted, and no suggestion is made (the certificate stays)."""
    verdict = check_step(Step(rel, lhs, rhs, "slips"), Context(), diagnose=True)
    assert verdict.status == "refuted"
    assert verdict.diagnosis is None, verdict.diagnosis
    assert verdict.counterexample


def test_screen_sees_letters_next_to_network_outputs() -> None:
    """A difference that vanishes only when the network output is 0 is still seen as non-zero
    (masking the output by 0 once made the letter next to it disappear from the point)."""
    g = Function("g")
    out = g(Indexed(u, i))
    loss = (log(1 - 1 / (1 + exp(-out))) + log(1 + exp(-out))) * Indexed(w, i)  # = -g·w
    assert screen.equal_plausible(screen.terms(loss, Context()), Integer(0), Context()) is False
