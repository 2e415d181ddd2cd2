"""Relations between the two ends of a step, and how they compose in a chain.

Like Lean's ``calc``: ``=`` then ``argmin_phi`` gives ``argmin_phi``; a pair that
does not compose (a limit followed by an argmin) is a :class:`DerivationError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sympy import Basic, Expr

from calcproof.errors import DerivationError

Sense = Literal["min", "max"]
Direction = Literal["+", "-", "+-"]


@dataclass(frozen=True)
class Equal:
    """``lhs = rhs`` for all admissible values of the free symbols."""

    symbol = "="

    def describe(self) -> str:
        return "="


@dataclass(frozen=True)
class Optimum:
    """``arg{lhs_sense}_params lhs`` and ``arg{rhs_sense}_params rhs`` have the same solutions.

    ``params`` are the symbols (or function classes) that are optimised over.
    """

    params: tuple[Basic, ...]
    lhs_sense: Sense = "min"
    rhs_sense: Sense = "min"

    def describe(self) -> str:
        names = ", ".join(str(p) for p in self.params)
        return f"arg{self.lhs_sense}_{names} ≡ arg{self.rhs_sense}_{names}"


@dataclass(frozen=True)
class Limit:
    """``lhs -> rhs`` as ``var -> point`` from the side ``direction``.

    ``direction`` is ``"+"`` (from above), ``"-"`` (from below) or ``"+-"``
    (two-sided); it is ignored for the points ``oo`` and ``-oo``.
    """

    var: Expr
    point: Expr
    direction: Direction = "+-"

    def describe(self) -> str:
        side = "" if self.direction == "+-" else self.direction
        return f"→ as {self.var} → {self.point}{side}"


@dataclass(frozen=True)
class Definition:
    """``lhs := rhs``: introduces the name ``lhs``; nothing to prove."""

    def describe(self) -> str:
        return ":="


@dataclass(frozen=True)
class Equivalent:
    """``lhs ⇔ rhs`` between two equations (or inequalities): the same solutions.

    The solutions are the assignments of all free letters in their declared
    domains (σ > 0, λ ∈ (0, 1), counts ≥ 0) that satisfy the equation.
    """

    def describe(self) -> str:
        return "⇔"


@dataclass(frozen=True)
class Implies:
    """``lhs ⇒ rhs`` between two equations: every solution of the first solves the second."""

    def describe(self) -> str:
        return "⇒"


Relation = Equal | Optimum | Limit | Definition | Equivalent | Implies


def label(relation: Relation) -> str:
    """The relation's name in JSON reports: ``=``, ``def``, ``limit``, ``argmin_phi``, …"""
    if isinstance(relation, Equal):
        return "="
    if isinstance(relation, Definition):
        return "def"
    if isinstance(relation, Limit):
        return "limit"
    if isinstance(relation, Equivalent):
        return "iff"
    if isinstance(relation, Implies):
        return "implies"
    names = ",".join(str(p) for p in relation.params)
    if relation.lhs_sense == relation.rhs_sense:
        return f"arg{relation.lhs_sense}_{names}"
    return f"arg{relation.lhs_sense}_{names} -> arg{relation.rhs_sense}_{names}"


def argmin(*params: Basic) -> Optimum:
    """The relation "same minimisers over ``params``"."""
    return Optimum(tuple(params), "min", "min")


def argmax_to_argmin(*params: Basic) -> Optimum:
    """The relation "the maximisers of the lhs are the minimisers of the rhs"."""
    return Optimum(tuple(params), "max", "min")


def compose(first: Relation, second: Relation) -> Relation:
    """The relation between the first lhs and the second rhs of two chained steps."""
    if isinstance(first, Definition) or isinstance(second, Definition):
        raise DerivationError("a definition cannot be part of a chain of relations")
    logical = (Equivalent, Implies)
    if isinstance(first, logical) and isinstance(second, logical):
        return second if isinstance(first, Equivalent) else first
    if isinstance(first, logical) or isinstance(second, logical):
        raise DerivationError(
            "a relation between equations cannot be chained with one between values"
        )
    if isinstance(first, Equal):
        if isinstance(second, Optimum):
            return Optimum(second.params, second.lhs_sense, second.rhs_sense)
        return second
    if isinstance(second, Equal):
        return first
    if isinstance(first, Optimum) and isinstance(second, Optimum):
        if set(first.params) != set(second.params):
            raise DerivationError(
                f"cannot chain optimisation over {first.params} with one over {second.params}"
            )
        if first.rhs_sense != second.lhs_sense:
            raise DerivationError(f"cannot chain arg{first.rhs_sense} with arg{second.lhs_sense}")
        return Optimum(first.params, first.lhs_sense, second.rhs_sense)
    raise DerivationError(
        f"relations {first.describe()!r} and {second.describe()!r} do not compose"
    )
