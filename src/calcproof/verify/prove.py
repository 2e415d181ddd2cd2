"""Proof procedures: each returns a method description when it proves the claim, else None.

These never guess: a method is returned only after an exact symbolic reduction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from sympy import (
    Abs,
    Add,
    Basic,
    Dummy,
    Expr,
    Indexed,
    Integer,
    Max,
    Min,
    Product,
    Sum,
    cancel,
    exp,
    expand,
    limit,
    log,
    oo,
    simplify,
)
from sympy import Limit as UnevaluatedLimit

from calcproof.assumptions import NO_FACTS, Facts, nonempty
from calcproof.losses import UNKNOWN_APPLICATIONS
from calcproof.relations import Limit, Optimum
from calcproof.verify.normal import Term, empty_ranges, expand_logs, group, is_zero, linear_terms

MAX_EXPLICIT_TERMS = 64
"""Largest concrete Σ/∏ the fallback expands term by term."""


EqualityMethod = Callable[[Expr, Expr, Facts, int], str | None]
MAX_DEPTH = 2
"""How deeply the methods that transform a claim (exp, denominators, cases) may nest."""


def prove_equal(lhs: Expr, rhs: Expr, facts: Facts = NO_FACTS, depth: int = 0) -> str | None:
    """Prove ``lhs = rhs`` (both already unfolded): the first of :data:`EQUALITY_METHODS`
    that succeeds names the proof.  Every method is exact; none samples."""
    if lhs == rhs:
        return "identical once written out (sig, substitutions, derivatives and any definitions)"
    for method in EQUALITY_METHODS:
        found = method(lhs, rhs, facts, depth)
        if found is not None:
            return found
    return None


def normal_form(lhs: Expr, rhs: Expr, facts: Facts, depth: int = 0) -> str | None:
    """``lhs - rhs`` reduces to 0 summand-wise: terms grouped by their Σ bounds, each group's
    summand shown 0 by ``expand``/``simplify`` after logs are expanded under the facts."""
    terms = linear_terms(expand_logs(lhs, facts), facts=facts)
    terms += [
        Term(t.limits, -t.summand) for t in linear_terms(expand_logs(rhs, facts), facts=facts)
    ]
    groups = group(terms)
    methods = []
    for _key, summand in sorted(groups.items(), key=lambda kv: str(kv[0])):
        method = is_zero(summand, facts)
        if method is None:
            return None
        methods.append(method)
    return _describe_groups(groups, methods)


def written_out(lhs: Expr, rhs: Expr, facts: Facts, depth: int = 0) -> str | None:
    """Small concrete Σ/∏ written out term by term, or summed in closed form (see below)."""
    return _prove_explicit(lhs, rhs, facts)


def cleared_denominators(lhs: Expr, rhs: Expr, facts: Facts, depth: int = 0) -> str | None:
    """``n1/d1 = n2/d2`` from ``n1·d2 = n2·d1``.

    Side condition: none beyond the kernel's reading of a claim (wherever both
    sides are defined, their denominators are non-zero).  Used only when a side
    has a denominator that holds a Σ/∏ (softmax), where the normal form cannot
    look inside the quotient.
    """
    if depth >= MAX_DEPTH:
        return None
    (n1, d1), (n2, d2) = lhs.as_numer_denom(), rhs.as_numer_denom()
    if not (d1.has(Sum, Product) or d2.has(Sum, Product)):
        return None
    found = normal_form(n1 * d2, n2 * d1, facts, depth + 1)
    return None if found is None else f"cleared denominators, then {found}"


def exponentiated(lhs: Expr, rhs: Expr, facts: Facts, depth: int = 0) -> str | None:
    """``lhs = rhs`` from ``exp(lhs) = exp(rhs)``: exp is one-to-one on the reals.

    Side conditions: both sides real, and the argument of every log shown positive,
    so that no side is undefined where the other is defined (``log(uv) = log u +
    log v`` for merely real u, v is not proved this way).  Used for the log of a
    sum (log-sum-exp), which no log rule can split.
    """
    if depth >= MAX_DEPTH:
        return None
    logs = lhs.atoms(log) | rhs.atoms(log)
    if not logs or not all(facts.positive(node.args[0]) for node in logs):
        return None
    a = expand(exp(lhs), power_exp=True, deep=False, log=False, mul=False, multinomial=False)
    b = expand(exp(rhs), power_exp=True, deep=False, log=False, mul=False, multinomial=False)
    found = prove_equal(a, b, facts, depth + 1)
    return None if found is None else f"exp of both sides, then {found}"


def _log_of_sum(*exprs: Expr) -> bool:
    return any(
        isinstance(arg, Add | Sum) for e in exprs for node in e.atoms(log) for arg in node.args
    )


def case_split(lhs: Expr, rhs: Expr, facts: Facts, depth: int = 0) -> str | None:
    """``max(a, b)``, ``min(a, b)``, ``|u|`` replaced by their branches, each case proved.

    Cases: the signs of the (at most two) expressions ``a - b`` and ``u`` that
    decide the branches.  Each case's claim is proved as an identity (wherever
    defined), so it holds in particular where its case applies.
    """
    if depth >= MAX_DEPTH:
        return None
    forms = _branch_forms(lhs, rhs)
    if not forms or len(forms) > 2:
        return None
    for signs in itertools.product((1, -1), repeat=len(forms)):
        chosen = dict(zip(forms, signs, strict=True))
        a, b = _branch(lhs, chosen), _branch(rhs, chosen)
        if a is None or b is None or prove_equal(a, b, facts, depth + 1) is None:
            return None
    names = " and ".join(f"{g} ≥ 0 or ≤ 0" for g in forms)
    return f"case split on {names}"


def _critical(node: Basic) -> Expr | None:
    if isinstance(node, Max | Min) and len(node.args) == 2:
        return node.args[0] - node.args[1]
    if isinstance(node, Abs):
        return node.args[0]
    return None


def _branch_forms(*exprs: Expr) -> list[Expr]:
    forms: list[Expr] = []
    for expr in exprs:
        for node in sorted(expr.atoms(Max, Min, Abs), key=str):
            g = _critical(node)
            if g is None or not g.is_extended_real:
                return []
            if g not in forms and -g not in forms:
                forms.append(g)
    return forms


def _branch(expr: Expr, signs: dict[Expr, int]) -> Expr | None:
    """``expr`` with every max/min/|·| replaced by its branch where each form has its sign."""

    def sign_of(g: Expr) -> int:
        return signs[g] if g in signs else -signs[-g]

    def pick(node: Basic) -> Basic:
        g = _critical(node)
        assert g is not None
        s = sign_of(g)
        if isinstance(node, Abs):
            return s * node.args[0]
        first, second = node.args
        bigger, smaller = (first, second) if s > 0 else (second, first)
        return bigger if isinstance(node, Max) else smaller

    try:
        return expr.replace(
            lambda n: isinstance(n, Max | Min | Abs) and _critical(n) is not None, pick
        )
    except KeyError:
        return None


EQUALITY_METHODS: tuple[EqualityMethod, ...] = (
    normal_form,
    written_out,
    cleared_denominators,
    exponentiated,
    case_split,
)
"""The order in which :func:`prove_equal` tries its methods: cheap and direct first."""


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
    if not small and diff.has(Indexed, *UNKNOWN_APPLICATIONS):
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


def prove_optimum(
    lhs: Expr,
    rhs: Expr,
    rel: Optimum,
    facts: Facts = NO_FACTS,
    reasons: list[str] | None = None,
) -> str | None:
    """Prove that the two objectives have the same optimisers over ``rel.params``.

    Succeeds when ``a - c*b`` is free of the parameters for some ``c > 0`` free
    of them, where ``a``, ``b`` are the objectives oriented for minimisation,
    possibly after a strictly increasing transform (log of a positive objective).
    Sub-goals that failed (a ``c`` not shown positive, an objective not shown
    positive before its log) are appended to ``reasons``.
    """
    params = rel.params
    reasons = [] if reasons is None else reasons
    for side in (lhs, rhs):
        if side.has(Product) and not facts.positive(side):
            reasons.append(f"{facts.why_not_positive(side)} (needed to take its log)")
    for name_a, a in transforms(lhs, facts):
        for name_b, b in transforms(rhs, facts):
            oriented = _orient(a, rel.lhs_sense), _orient(b, rel.rhs_sense)
            factor = _proportional(*oriented, params, facts, reasons)
            if factor is not None:
                return (
                    f"{name_a}{name_b}lhs − c·rhs is free of {_names(params)} with c = {factor} > 0"
                )
    return None


def _names(params: Sequence[Basic]) -> str:
    return ", ".join(str(p) for p in params)


def _proportional(
    a: Expr,
    b: Expr,
    params: Sequence[Basic],
    facts: Facts = NO_FACTS,
    reasons: list[str] | None = None,
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
        diff = group(ta + [Term(t.limits, -c * t.summand) for t in tb])
        if not all(is_zero(s, facts) is not None for s in diff.values()):
            continue
        if facts.positive(c):
            return c
        if reasons is not None:
            reasons.append(
                f"lhs − c·rhs is free of the parameters for c = {c}, but "
                f"{facts.why_not_positive(c)}"
            )
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
    """SymPy's limit, or None when SymPy leaves it unevaluated or fails.

    A value with free letters (``lim_{h→0} (2x + h) = 2x``) is accepted only when
    it does not depend on their signs: SymPy treats free letters as generic, so
    the limit is recomputed with each letter made positive, negative and 0, and
    must agree with the generic value in every case.
    """
    result = _sympy_limit(expr, rel)
    if result is None or result.has(UnevaluatedLimit) or rel.var in result.free_symbols:
        return None
    if result.is_number:
        return result
    letters = sorted(result.free_symbols | (expr.free_symbols - {rel.var}), key=str)
    if not all(s.is_extended_real for s in letters) or len(letters) > 3:
        return None
    for letter in letters:
        for case in (Dummy(positive=True), Dummy(negative=True), Integer(0)):
            special = _sympy_limit(expr.xreplace({letter: case}), rel)
            if special is None or special.has(UnevaluatedLimit):
                return None
            if is_zero(special - result.xreplace({letter: case})) is None:
                return None
    return result


def _sympy_limit(expr: Expr, rel: Limit) -> Expr | None:
    direction = rel.direction
    if rel.point in (oo, -oo):
        direction = "-" if rel.point == oo else "+"
    out = limit(expr, rel.var, rel.point, dir=direction)
    return out if isinstance(out, Expr) else None
