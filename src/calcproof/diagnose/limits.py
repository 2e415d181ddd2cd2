"""Candidate corrections of a limit: its direction, its point, its value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sympy import Expr, Integer, sympify

from calcproof.derivation import Context, Step
from calcproof.diagnose.tree import Candidate
from calcproof.relations import Limit
from calcproof.verify.normal import unfold


def limit_candidates(step: Step, ctx: Context) -> Iterator[Candidate]:
    """Another direction, the computed value, then the point ∓∞ (for ±∞), ``p ± 1``, 0, ±1."""
    rel = step.relation
    assert isinstance(rel, Limit)
    point = sympify(rel.point)
    for direction in ("+", "-", "+-"):
        if direction != rel.direction and point.is_finite:
            new = replace(step, relation=Limit(rel.var, rel.point, direction))
            yield Candidate("limit direction", rel.point, new)
    value = _limit_value(step, ctx)
    if value is not None:
        yield Candidate("limit value", step.rhs, replace(step, rhs=value))
    near = [-point] if point.is_infinite else [point - 1, point + 1]
    for other in dict.fromkeys([*near, Integer(0), Integer(1), Integer(-1)]):
        if other != point:
            new = replace(step, relation=replace(rel, point=other))
            yield Candidate("limit point", rel.point, new)


def _limit_value(step: Step, ctx: Context) -> Expr | None:
    from calcproof.verify.prove import compute_limit

    assert isinstance(step.relation, Limit)
    try:
        return compute_limit(unfold(step.lhs, ctx.definitions), step.relation)
    except Exception:  # SymPy failing to compute is no diagnosis
        return None
