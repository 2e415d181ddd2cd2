"""Strategies: rules combined as data, in the style of SymPy's ``sympy/strategies``.

A :class:`~calcproof.derivation.Rule` rewrites one expression.  A *strategy*
maps a :class:`Trace` (a start expression and the steps taken so far) to a
longer trace, or returns it unchanged when it does not apply.  "No change" is
the trace not growing, never an ``!=`` on expressions.  Combinators:

- :func:`move` — one rule under one relation: ``_ rel rule(current)``;
- :func:`chain` — each strategy in turn;
- :func:`do_one` — the first strategy that applies;
- :func:`exhaust` — one strategy again and again until it stops applying.

Strategies never verify: the kernel checks the steps of the finished trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sympy import Basic, Expr

from calcproof.derivation import Rule, Step
from calcproof.relations import Relation

MAX_REPEATS = 25
"""Bound on :func:`exhaust`: a rule that keeps applying is a bug, not a proof."""


@dataclass(frozen=True)
class Trace:
    """A chain under construction: ``start`` and the steps taken from it."""

    start: Basic
    steps: tuple[Step, ...] = ()

    @property
    def current(self) -> Basic:
        return self.steps[-1].rhs if self.steps else self.start

    def extend(self, step: Step) -> Trace:
        return Trace(self.start, (*self.steps, step))


Strategy = Callable[[Trace], Trace]


def move(relation: Relation, rule: Rule) -> Strategy:
    """``_ relation rule(current)`` when the rule applies and changes the expression."""

    def run(trace: Trace) -> Trace:
        current = trace.current
        new = rule(current) if isinstance(current, Expr) else None
        if new is None or new == current:
            return trace
        return trace.extend(Step(relation, current, new, rule.name, rule.why))

    run.__name__ = f"move({rule.name})"
    return run


def chain(*strategies: Strategy) -> Strategy:
    """Apply each strategy in turn (a strategy that does not apply is passed over)."""

    def run(trace: Trace) -> Trace:
        for strategy in strategies:
            trace = strategy(trace)
        return trace

    return run


def do_one(*strategies: Strategy) -> Strategy:
    """Apply the first strategy that applies (extends the trace); else leave it unchanged."""

    def run(trace: Trace) -> Trace:
        for strategy in strategies:
            out = strategy(trace)
            if len(out.steps) > len(trace.steps):
                return out
        return trace

    return run


def exhaust(strategy: Strategy, limit: int = MAX_REPEATS) -> Strategy:
    """Apply ``strategy`` until it no longer applies (at most ``limit`` times)."""

    def run(trace: Trace) -> Trace:
        for _ in range(limit):
            out = strategy(trace)
            if len(out.steps) == len(trace.steps):
                return out
            trace = out
        return trace

    return run


def debug(strategy: Strategy, log: Callable[[str], None]) -> Strategy:
    """``strategy`` that reports each step it adds through ``log`` (tracing by wrapping)."""

    def run(trace: Trace) -> Trace:
        out = strategy(trace)
        for step in out.steps[len(trace.steps) :]:
            log(f"{step.rule}: {step.lhs}  {step.relation.describe()}  {step.rhs}")
        return out

    return run


__all__ = ["Strategy", "Trace", "chain", "debug", "do_one", "exhaust", "move"]
