"""Proof procedures: each returns a method description when it proves the claim, else None.

These never guess: a method is returned only after an exact symbolic reduction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sympy import Basic, Expr, Indexed, Integer, Product, Sum, cancel, limit, log, oo, simplify
from sympy import Limit as UnevaluatedLimit
from sympy.core.function import AppliedUndef

from calcproof.assumptions import NO_FACTS, Facts, nonempty
from calcproof.relations import Limit, Optimum
from calcproof.verify.normal import Term, empty_ranges, expand_logs, group, is_zero, linear_terms

MAX_EXPLICIT_TERMS = 64
"""Largest concrete Σ/∏ the fallback expands term by term."""


def prove_equal(lhs: Expr, rhs: Expr, facts: Facts = NO_FACTS) -> str | None:
    """Prove ``lhs = rhs`` (both already unfolded); summand-wise over Σ."""
    if lhs == rhs:
        return "identical after unfolding definitions"
    terms = linear_terms(expand_logs(lhs, facts), facts=facts)
    terms += [
        Term(t.limits, -t.summand) for t in linear_terms(expand_logs(rhs, facts), facts=facts)
    ]
    groups = group(terms)
    methods = []
    for _key, summand in sorted(groups.items(), key=lambda kv: str(kv[0])):
        method = is_zero(summand, facts)
        if method is None:
            break
        methods.append(method)
    else:
        return _describe_groups(groups, methods)
    return _prove_explicit(lhs, rhs, facts)


def _describe_groups(groups: dict[tuple[tuple[Expr, Expr], ...], Expr], methods: list[str]) -> str:
    summed = any(key for key in groups)
    used = ", ".join(sorted(set(methods)))
    return f"summand-wise ({used})" if summed else used


def _prove_explicit(lhs: Expr, rhs: Expr, facts: Facts = NO_FACTS) -> str | None:
    """Fallback: write small concrete Σ/∏ out, or sum them in closed form (``Σ k = n(n+1)/2``).

    Side condition: every range is shown non-empty (``upper ≥ lower - 1``), where
    SymPy's convention for reversed ranges and the usual one agree.
    """
    diff = empty_ranges(lhs - rhs)
    if not diff.has(Sum, Product):
        return None
    limits = [lim for obj in diff.atoms(Sum, Product) for lim in obj.limits]
    if not all(nonempty(lower, upper) for _, lower, upper in limits):
        return None
    sizes = [upper - lower + 1 for _, lower, upper in limits]
    small = all(size.is_Integer and size <= MAX_EXPLICIT_TERMS for size in sizes)
    if not small and diff.has(Indexed, AppliedUndef):
        return None  # a closed form needs a summand SymPy can sum; data never have one
    explicit = diff.doit()
    if explicit.has(Sum, Product):
        return None
    method = is_zero(explicit, facts)
    if method is None:
        return None
    return f"expanded Σ/∏ term by term ({method})" if small else f"closed-form Σ/∏ ({method})"


def depends(term: Term, params: Sequence[Basic]) -> bool:
    """True when the term mentions a parameter (in its summand or its bounds)."""
    if term.summand.has(*params):
        return True
    return any(lo.has(*params) or up.has(*params) for _, lo, up in term.limits)


def _orient(expr: Expr, sense: str) -> Expr:
    return expr if sense == "min" else -expr


def transforms(expr: Expr, facts: Facts = NO_FACTS) -> list[tuple[str, Expr]]:
    """Strictly increasing transforms of a whole objective that the kernel may apply."""
    out = [("", expr)]
    if facts.positive(expr):
        out.append(("log of a positive objective; ", log(expr)))
    return out


def prove_optimum(lhs: Expr, rhs: Expr, rel: Optimum, facts: Facts = NO_FACTS) -> str | None:
    """Prove that the two objectives have the same optimisers over ``rel.params``.

    Succeeds when ``a - c*b`` is free of the parameters for some ``c > 0`` free
    of them, where ``a``, ``b`` are the objectives oriented for minimisation,
    possibly after a strictly increasing transform (log of a positive objective).
    """
    params = rel.params
    for name_a, a in transforms(lhs, facts):
        for name_b, b in transforms(rhs, facts):
            oriented = _orient(a, rel.lhs_sense), _orient(b, rel.rhs_sense)
            factor = _proportional(*oriented, params, facts)
            if factor is not None:
                return (
                    f"{name_a}{name_b}lhs − c·rhs is free of {_names(params)} with c = {factor} > 0"
                )
    return None


def _names(params: Sequence[Basic]) -> str:
    return ", ".join(str(p) for p in params)


def _proportional(
    a: Expr, b: Expr, params: Sequence[Basic], facts: Facts = NO_FACTS
) -> Expr | None:
    """A ``c > 0`` free of ``params`` with ``a - c*b`` free of ``params``, if one is found."""
    ta = [t for t in linear_terms(expand_logs(a, facts), facts=facts) if depends(t, params)]
    tb = [t for t in linear_terms(expand_logs(b, facts), facts=facts) if depends(t, params)]
    if not ta and not tb:
        return None  # neither depends on the parameters: nothing sensible to claim
    if not ta or not tb:
        return None
    ga, gb = group(ta), group(tb)
    candidates: list[Expr] = []
    for key in sorted(set(ga) & set(gb), key=str):
        ratio = cancel(ga[key] / gb[key])
        for cand in (ratio, simplify(ratio)):
            if cand not in candidates:
                candidates.append(cand)
    candidates.append(Integer(1))
    for c in candidates:
        if c.has(*params) or any(s.name.startswith("ι") for s in c.free_symbols):
            continue
        if not facts.positive(c):
            continue
        diff = group(ta + [Term(t.limits, -c * t.summand) for t in tb])
        if all(is_zero(s, facts) is not None for s in diff.values()):
            return c
    return None


def prove_limit(expr: Expr, value: Expr, rel: Limit) -> str | None:
    """Prove ``expr -> value`` with SymPy's limit, respecting the direction."""
    computed = compute_limit(expr, rel)
    if computed is None:
        return None
    if computed == value or (computed.is_finite and value.is_finite and is_zero(computed - value)):
        return f"SymPy limit (= {computed})"
    return None


def compute_limit(expr: Expr, rel: Limit) -> Expr | None:
    """SymPy's limit, or None when SymPy leaves it unevaluated or fails."""
    direction = rel.direction
    if rel.point in (oo, -oo):
        direction = "-" if rel.point == oo else "+"
    result = limit(expr, rel.var, rel.point, dir=direction)
    if result.has(UnevaluatedLimit) or result.is_number is not True:
        return None
    return result
