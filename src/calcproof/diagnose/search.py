"""The search: candidate corrections simplest first, screened numerically, proved by the kernel."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from itertools import chain

from sympy import Product, log

from calcproof.derivation import Context, Step
from calcproof.diagnose import kinds, screen, terms
from calcproof.diagnose.limits import limit_candidates
from calcproof.diagnose.tree import Candidate, Edit, escaped, size, sympified
from calcproof.relations import Equal, Limit, Optimum
from calcproof.verify.budget import alarm
from calcproof.verify.normal import unfold
from calcproof.verify.prove import prove_equal, prove_limit, prove_optimum

CANDIDATE_SECONDS = 1.5
"""Proof budget for one candidate correction."""
SCREEN_SECONDS = 1.0
"""Budget for screening one candidate (one whose screen runs out is skipped)."""
MAX_CANDIDATES = 80
"""At most this many candidates (that pass the screen) go to the prover."""
MAX_SCREENED = 600
"""At most this many candidates are made at all."""


class _Timeout(BaseException):
    """A candidate's proof ran out of its share of the budget."""


def candidates(step: Step, ctx: Context) -> Iterator[Candidate]:
    """Corrections of ``step`` by slip kind, roughly simplest first (never checked here)."""
    step = sympified(step)
    rel = step.relation
    rhs = step.rhs
    if isinstance(rel, Limit):
        yield from limit_candidates(step, ctx)
        return
    first: list[Iterator[Edit]] = [kinds.into_sum(rhs)]
    if isinstance(rel, Optimum):
        first.append(terms.order(step))
    else:
        first.append(kinds.whole(rhs))
    local = [kinds.signs(rhs), kinds.functions(rhs), kinds.exponents(rhs)]
    local += [
        kinds.constants(rhs),
        kinds.ranges(rhs),
        kinds.counts(rhs),
        kinds.swaps(rhs, step.lhs),
    ]
    local += [kinds.extra(rhs), terms.lost(step, ctx)]
    residual: list[Iterator[Edit]] = []  # what the summand-wise difference says is missing
    if isinstance(rel, Equal):
        residual.append(terms.missing(step, ctx))
    elif isinstance(rel, Optimum):
        residual.append(terms.dropped(step, ctx))
    seen = {rhs}
    for tier in (first, local, residual):  # within a tier, the smallest edit first
        ordered = sorted(chain.from_iterable(tier), key=_cost)
        for kind, term, new in ordered:
            if new in seen or not escaped(new, step.lhs) <= escaped(step.lhs, step.lhs):
                continue
            seen.add(new)
            yield Candidate(kind, term, replace(step, rhs=new))


def _cost(edit: Edit) -> int:
    """How big a change an edit is, for the order within a tier: the size of the term
    concerned, except that a new exponent on a number (2 → √2) counts 2, an exponent on a
    bigger node at most 3, and a whole term scaled by a constant 3, however big the term."""
    kind, term, _ = edit
    if kind == "exponent":
        return 2 if term.is_number else min(size(term), 3)
    if kind == "constant factor" and not term.is_number:
        return 3
    return size(term)


def _screen(step: Step, ctx: Context) -> Callable[[Step], bool]:
    """A cheap test that rejects candidates visibly not fixing ``step`` (see the screen module):
    Σ-group by Σ-group, else on the written-out sides."""
    rel = step.relation
    lhs = unfold(step.lhs, ctx.definitions)
    if isinstance(rel, Equal):
        left = screen.terms(lhs, ctx)

        def equal(cand: Step) -> bool:
            rhs = unfold(cand.rhs, ctx.definitions)
            grouped = screen.equal_plausible(left, rhs, ctx)
            return grouped if grouped is not None else screen.whole_plausible(lhs, rhs, ctx)

        return equal
    if isinstance(rel, Optimum):
        oriented = lhs if rel.lhs_sense == "min" else -lhs
        a = screen.terms(oriented, ctx)
        # a ∏ objective is compared through its log (a strictly increasing transform)
        logged = screen.terms(log(lhs) if rel.lhs_sense == "min" else -log(lhs), ctx)

        def optimum(cand: Step) -> bool:
            rhs = unfold(cand.rhs, ctx.definitions)
            rhs = rhs if rel.rhs_sense == "min" else -rhs
            b = screen.terms(rhs, ctx)
            grouped = screen.optimum_plausible(a, b, rel.params, ctx)
            if grouped is None and lhs.has(Product):
                grouped = screen.optimum_plausible(logged, b, rel.params, ctx)
            if grouped is not None:
                return grouped
            return screen.whole_plausible(oriented, rhs, ctx, rel.params)

        return optimum
    return lambda cand: True


def proves(step: Step, ctx: Context) -> bool:
    """True when the kernel's prover (the first stage of ``check_step``) proves ``step``."""
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    rel = step.relation
    if isinstance(rel, Equal):
        return prove_equal(lhs, rhs, ctx.facts) is not None
    if isinstance(rel, Optimum):
        return prove_optimum(lhs, rhs, rel, ctx.facts, []) is not None
    if isinstance(rel, Limit):
        return prove_limit(lhs, rhs, rel) is not None
    return False


def search(step: Step, ctx: Context, seconds: float) -> Candidate | None:
    """The first candidate (simplest first) the prover proves within ``seconds`` in all.

    Candidates that the numeric screen (:mod:`calcproof.diagnose.screen`) rejects
    are skipped; the screen only saves the prover's time, it never accepts.
    """
    deadline = time.perf_counter() + seconds
    plausible = _screen(step, ctx)
    tried = 0
    for n, cand in enumerate(candidates(step, ctx)):
        if tried >= MAX_CANDIDATES or n >= MAX_SCREENED or time.perf_counter() >= deadline:
            return None
        if _bounded(partial(plausible, cand.step), SCREEN_SECONDS, deadline) is not True:
            continue  # rejected, or the screen itself ran out or failed
        tried += 1
        if _bounded(partial(proves, cand.step, ctx), CANDIDATE_SECONDS, deadline) is True:
            return cand
    return None


def _bounded(test: Callable[[], bool], seconds: float, deadline: float) -> bool | None:
    """``test()`` within ``seconds`` (and before ``deadline``); None when it ran out or failed."""
    left = min(seconds, deadline - time.perf_counter())
    if left <= 0:
        return None
    try:
        with alarm(left, _Timeout):
            return test()
    except _Timeout:
        return None
    except Exception:  # a SymPy failure on a candidate is "not this one"
        return None
