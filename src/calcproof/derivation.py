"""Derivation records: immutable chains of steps that store both ends of every step.

A derivation reads like a Lean ``calc`` block: a start expression, then one
step per line (relation, new expression, the rule that produced it and the
reason in words).  Building a chain runs the (untrusted) rules; verifying it is
the kernel's job (:mod:`calcproof.verify`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sympy import Basic, Expr

from calcproof.assumptions import Domain, Facts
from calcproof.errors import DerivationError
from calcproof.relations import Definition, Equal, Optimum, Relation, compose

if TYPE_CHECKING:
    from calcproof.notebook import CheckedView


@dataclass(frozen=True)
class Context:
    """What the kernel may assume about a derivation's symbols.

    ``domains`` narrows symbols beyond their SymPy assumptions (``y`` in {0, 1},
    ``p`` in (0, 1)); ``definitions`` are names introduced with ``:=`` that the
    kernel unfolds before checking.
    """

    domains: tuple[tuple[Basic, Domain], ...] = ()
    definitions: tuple[tuple[Basic, Expr], ...] = ()

    def with_definition(self, name: Basic, value: Expr) -> Context:
        return Context(self.domains, (*self.definitions, (name, value)))

    @property
    def facts(self) -> Facts:
        """The declared domains as the record the prover and the search consult."""
        return Facts(self.domains)


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``lhs  relation  rhs``, produced by ``rule`` because ``why``."""

    relation: Relation
    lhs: Basic
    rhs: Basic
    rule: str
    why: str = ""


@dataclass(frozen=True)
class Derivation:
    """A named chain of steps, preceded by the definitions it uses."""

    name: str
    title: str
    steps: tuple[Step, ...]
    context: Context = field(default_factory=Context)
    definitions: tuple[Step, ...] = ()
    description: str = ""

    @property
    def start(self) -> Basic:
        return self.steps[0].lhs

    @property
    def end(self) -> Basic:
        return self.steps[-1].rhs

    @property
    def relation(self) -> Relation:
        """The relation between :attr:`start` and :attr:`end`, composed step by step."""
        rel = self.steps[0].relation
        for step in self.steps[1:]:
            rel = compose(rel, step.relation)
        return rel

    @property
    def all_steps(self) -> tuple[Step, ...]:
        """Definitions first, then the chain."""
        return self.definitions + self.steps

    def check(self, timeout: float | None = 10.0) -> CheckedView:
        """Run the kernel on every step; in Jupyter the result shows ✓/✗/? per step."""
        from calcproof.notebook import check

        return check(self, timeout)

    def _repr_latex_(self) -> str:
        """The chain as LaTeX for Jupyter, without verdict marks: this does not run the kernel."""
        from calcproof.render.chain import ChainOptions, derivation_tex

        return derivation_tex(self, None, ChainOptions(mathjax=True))


Rewrite = Callable[[Expr], Expr | None]


@dataclass(frozen=True)
class Rule:
    """An untrusted rewriter ``Expr -> Expr``; ``None`` means "does not apply".

    ``name`` labels the step; ``why`` is the justification printed beside it;
    ``explain`` (optional) says why the rule does not apply to an expression.
    """

    name: str
    why: str
    rewrite: Rewrite
    explain: Callable[[Expr], str] | None = None

    def __call__(self, expr: Expr) -> Expr | None:
        return self.rewrite(expr)


@dataclass(frozen=True)
class Then:
    """A step yet to be produced: a relation and either a rule or an explicit rhs."""

    relation: Relation
    rule: Rule | None = None
    rhs: Expr | None = None
    why: str | None = None
    name: str | None = None


def then(
    relation: Relation | str,
    by: Rule | None = None,
    *,
    rhs: Expr | None = None,
    why: str | None = None,
    name: str | None = None,
) -> Then:
    """Describe the next line of a chain: ``_ relation rhs := by``.

    Give a rule (``by``) to compute the new right-hand side, an explicit
    ``rhs`` (labelled ``name``, default "by hand"), or both (the rule's result
    must then equal ``rhs`` exactly).
    """
    rel = Equal() if relation == "=" else relation
    if isinstance(rel, str):
        raise DerivationError(f"unknown relation {relation!r}; use '=' or a relation object")
    if by is None and rhs is None:
        raise DerivationError("a step needs a rule (by=...) or an explicit rhs")
    return Then(rel, by, rhs, why, name)


def define(name: Basic, value: Expr, why: str = "definition") -> Step:
    """A definition ``name := value``."""
    return Step(Definition(), name, value, "definition", why)


def chain(
    name: str,
    title: str,
    start: Expr,
    lines: Sequence[Then],
    *,
    definitions: Sequence[Step] = (),
    context: Context | None = None,
    expect: Expr | None = None,
    description: str = "",
) -> Derivation:
    """Run the rules of ``lines`` from ``start`` and record every step.

    Raises :class:`DerivationError` when a rule does not apply, when a rule's
    result differs from a stated ``rhs``, when relations do not compose, or
    when the chain does not end at ``expect``.
    """
    if not lines:
        raise DerivationError(f"{name}: a chain needs at least one step")
    ctx = context or Context()
    for definition in definitions:
        ctx = ctx.with_definition(definition.lhs, definition.rhs)
    steps: list[Step] = []
    current = start
    for number, line in enumerate(lines, 1):
        new = _produce(name, number, line, current)
        label = line.rule.name if line.rule else (line.name or "by hand")
        why = line.why if line.why is not None else (line.rule.why if line.rule else "")
        steps.append(Step(line.relation, current, new, label, why))
        current = new
    derivation = Derivation(name, title, tuple(steps), ctx, tuple(definitions), description)
    derivation.relation  # noqa: B018 - raises DerivationError when relations do not compose
    if expect is not None and current != expect:
        raise DerivationError(f"{name}: the chain ends at {current}, not at the expected {expect}")
    return derivation


def _produce(name: str, number: int, line: Then, current: Expr) -> Expr:
    if line.rule is None:
        assert line.rhs is not None
        return line.rhs
    result = line.rule(current)
    if result is None:
        reason = line.rule.explain(current) if line.rule.explain else ""
        raise DerivationError(
            f"{name}, step {number}: rule {line.rule.name!r} does not apply"
            + (f": {reason}" if reason else "")
        )
    if line.rhs is not None and result != line.rhs:
        raise DerivationError(
            f"{name}, step {number}: rule {line.rule.name!r} gave {result}, "
            f"not the stated {line.rhs}"
        )
    return result


def params_of(derivation: Derivation) -> tuple[Basic, ...]:
    """The optimisation parameters named by any step of the derivation."""
    seen: list[Basic] = []
    for step in derivation.steps:
        if isinstance(step.relation, Optimum):
            seen.extend(p for p in step.relation.params if p not in seen)
    return tuple(seen)
