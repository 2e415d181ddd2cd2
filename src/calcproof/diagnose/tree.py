"""Positions in an expression, and the candidate correction the search tries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from sympy import Basic, Expr, Indexed, Product, Sum, Tuple, sympify
from sympy.core.function import AppliedUndef

from calcproof.derivation import Step
from calcproof.relations import Limit

Path = tuple[int, ...]
Edit = tuple[str, Expr, Expr]
"""``(kind, term concerned, corrected right-hand side)``."""


@dataclass(frozen=True)
class Candidate:
    """A corrected step, the slip kind it stands for and the term concerned."""

    kind: str
    term: Expr
    step: Step
    note: str = ""


def paths(expr: Basic, path: Path = ()) -> Iterator[tuple[Path, Basic]]:
    """Every subexpression with its position; Σ limits, indices and network outputs are leaves."""
    yield path, expr
    if isinstance(expr, Indexed | AppliedUndef | Tuple):
        return
    for n, arg in enumerate(expr.args):
        yield from paths(arg, (*path, n))


def at(expr: Basic, path: Path, new: Basic) -> Basic:
    """``expr`` with the subexpression at ``path`` replaced by ``new``."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = at(args[path[0]], path[1:], new)
    return expr.func(*args)


def size(expr: Basic) -> int:
    return sum(1 for _ in paths(expr))


def escaped(expr: Expr, other: Expr) -> set[Basic]:
    """Σ/∏ indices (of ``expr`` or ``other``) that ``expr`` uses outside their Σ/∏."""
    bound = {
        lim[0] for side in (expr, other) for obj in side.atoms(Sum, Product) for lim in obj.limits
    }
    return {s for s in expr.free_symbols if s in bound}


def sympified(step: Step) -> Step:
    rel = step.relation
    if isinstance(rel, Limit):
        rel = Limit(sympify(rel.var), sympify(rel.point), rel.direction)
    return replace(step, relation=rel, lhs=sympify(step.lhs), rhs=sympify(step.rhs))
