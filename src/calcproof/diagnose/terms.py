"""Summand-wise comparison of the two sides: the term a side is missing or dropped.

Both sides are cut into terms ``(Σ/∏ limits, summand)`` (:func:`linear_terms`)
and grouped by their ranges (:func:`group`); what does not cancel, when it is
all part of the left-hand side, is the term the right-hand side lost.  Under
argmin/argmax the same is done for the φ-dependent terms of the oriented
objectives, up to a positive ratio, with the order-reversing slips (a negative
multiplier, argmax as argmin, a non-monotone transform) tried as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Integer,
    Mul,
    Pow,
    Sum,
    Symbol,
    cancel,
    cos,
    exp,
    log,
    preorder_traversal,
    sin,
)

from calcproof.derivation import Context, Step
from calcproof.diagnose.tree import Edit, Path, at, escaped, paths
from calcproof.relations import Optimum
from calcproof.verify.normal import Term, canonical, expand_logs, group, linear_terms, unfold
from calcproof.verify.prove import depends

Names = dict[str, list[Basic]]


def _rebuild(key: tuple[tuple[Expr, Expr], ...], summand: Expr, names: Names) -> Expr:
    """A grouped term (canonical ι indices) as an expression, indices named as the user did."""
    if not key:
        return summand
    used: dict[str, int] = {}
    limits: list[tuple[Basic, Expr, Expr]] = []
    for lo, hi in key:
        known = names.get(f"{lo}:{hi}", [])
        k = used.get(f"{lo}:{hi}", 0)
        used[f"{lo}:{hi}"] = k + 1
        var = known[k] if k < len(known) else Symbol(f"k{len(limits)}", integer=True)
        limits.append((var, lo, hi))
    rename = {s: limits[int(s.name[1:])][0] for s in summand.free_symbols if s.name.startswith("ι")}
    return Sum(summand.xreplace(rename), *limits)


def _index_names(*exprs: Expr) -> Names:
    names: Names = {}
    for expr in exprs:
        for obj in expr.atoms(Sum):
            for var, lo, hi in obj.limits:
                if var not in names.setdefault(f"{lo}:{hi}", []):
                    names[f"{lo}:{hi}"].append(var)
    return names


def _residual(lhs: Expr, rhs: Expr, ctx: Context) -> list[Expr]:
    """The terms of ``lhs − rhs`` that do not cancel summand-wise, when all are terms of ``lhs``.

    Empty unless every left-over monomial is one the left-hand side has (the right
    side *dropped* it); anything else is a rewrite, not a missing term.
    """
    facts = ctx.facts
    a = linear_terms(expand_logs(lhs, facts), facts=facts)
    b = linear_terms(expand_logs(rhs, facts), facts=facts)
    return _left_over(a, b, Integer(1), _index_names(lhs, rhs))


def _left_over(a: list[Term], b: list[Term], c: Expr, names: Names) -> list[Expr]:
    """``a − c·b`` summand-wise, if every left-over monomial is one of ``a``'s (else ``[]``)."""
    have = {key: _monomials(v) for key, v in group(a).items()}
    out = []
    for key, summand in group(a + [Term(t.limits, -c * t.summand) for t in b]).items():
        value = summand.expand()
        if value == 0:
            continue
        if not all(_part_of(m, k, have.get(key, {})) for m, k in _monomials(value).items()):
            return []
        out.append(_rebuild(key, value, names))
    return out


def _monomials(expr: Expr) -> dict[Expr, Expr]:
    """``{monomial: coefficient}`` of the expanded ``expr``."""
    out: dict[Expr, Expr] = {}
    for term in Add.make_args(expr.expand()):
        coeff, rest = term.as_coeff_Mul()
        out[rest] = out.get(rest, Integer(0)) + coeff
    return out


def _part_of(monomial: Expr, coeff: Expr, have: dict[Expr, Expr]) -> bool:
    """True when ``coeff·monomial`` is all or part of a term the lhs has (same sign, not more)."""
    ratio = coeff / have[monomial] if have.get(monomial, 0) != 0 else None
    return ratio is not None and bool(0 < ratio <= 1)


def missing(step: Step, ctx: Context) -> Iterator[Edit]:
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    left = _residual(lhs, rhs, ctx) if rhs != 0 else []  # for ``= 0`` it would be the whole lhs
    if 0 < len(left) <= 2 and not _undoes(Add(*left), rhs, ctx) and not escaped(Add(*left), lhs):
        term = Add(*left)
        yield "missing term", term, step.rhs + term


def _undoes(term: Expr, rhs: Expr, ctx: Context) -> bool:
    """True when adding ``term`` would cancel a term the user wrote (a rewrite, not an addition)."""
    written = {summand for _, summand in map(canonical, linear_terms(rhs, facts=ctx.facts))}
    added = [canonical(t)[1] for t in linear_terms(term, facts=ctx.facts)]
    return any((-t).expand() in written or -t in written for t in added)


def order(step: Step) -> Iterator[Edit]:
    """Slips that reverse the order of an objective: a negative multiplier, argmax as argmin
    without negating, a non-monotone transform of the whole objective."""
    rel = step.relation
    assert isinstance(rel, Optimum)
    rhs = step.rhs
    coeff, _ = rhs.as_coeff_Mul()
    if rel.lhs_sense != rel.rhs_sense:
        yield "argmax to argmin without negating", Integer(-1), -rhs
    elif coeff.is_negative or rel.lhs_sense == rel.rhs_sense:
        yield "negative multiplier", coeff, -rhs
    if (isinstance(rhs, Pow) and rhs.exp.is_even) or isinstance(rhs, Abs | sin | cos):
        yield "non-monotone transform", rhs, rhs.args[0]
    if isinstance(rhs, exp) or (isinstance(rhs, Mul) and coeff.is_negative and rhs.has(exp)):
        yield "non-monotone transform", rhs, log(rhs) if isinstance(rhs, exp) else -log(-rhs)


def dropped(step: Step, ctx: Context) -> Iterator[Edit]:
    """The φ-dependent terms of ``a − c·b`` (oriented objectives), ``c`` 1 or a shared ratio."""
    rel = step.relation
    assert isinstance(rel, Optimum)
    facts = ctx.facts
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    a = linear_terms(expand_logs(lhs if rel.lhs_sense == "min" else -lhs, facts), facts=facts)
    b = linear_terms(expand_logs(rhs if rel.rhs_sense == "min" else -rhs, facts), facts=facts)
    a = [t for t in a if depends(t, rel.params)]
    b = [t for t in b if depends(t, rel.params)]
    ga, gb = group(a), group(b)
    ratios: list[Expr] = [Integer(1)]
    for key in set(ga) & set(gb):
        for term in Add.make_args(ga[key].expand()):
            for other in Add.make_args(gb[key].expand()):
                ratio = cancel(term / other)
                if ratio.is_positive and not ratio.has(*rel.params) and ratio not in ratios:
                    ratios.append(ratio)
    names = _index_names(lhs, rhs)
    sign = 1 if rel.rhs_sense == "min" else -1
    for c in ratios[:4]:
        terms = _left_over(a, b, c, names)
        if 0 < len(terms) <= 2 and not escaped(Add(*terms), lhs):
            term = Add(*terms) / c
            yield "dropped φ-term", term, step.rhs + sign * term


def lost(step: Step, ctx: Context) -> Iterator[Edit]:
    """A term lost inside the expression: where the left-hand side has ``s + t`` (unfolded),
    the right-hand side has ``s`` (or ``−s``) alone; put ``t`` back there."""
    rhs = step.rhs
    places: dict[Basic, list[Path]] = {}
    for path, node in paths(rhs):
        if not node.is_number:
            places.setdefault(node, []).append(path)
    params = step.relation.params if isinstance(step.relation, Optimum) else ()
    written = [step.lhs, unfold(step.lhs, ctx.definitions)]  # as written, and unfolded
    for node in chain.from_iterable(preorder_traversal(side) for side in written):
        if not isinstance(node, Add) or len(node.args) > 8:
            continue
        for n, term in enumerate(node.args):
            if term.is_number:  # a lost number is a constant's slip (I for I − 1)
                continue
            rest = Add(*(a for k, a in enumerate(node.args) if k != n))
            kind = "dropped φ-term" if params and term.has(*params) else "missing term"
            for sign in (1, -1):
                for path in places.get(sign * rest, [])[:3]:
                    yield kind, term, at(rhs, path, sign * (rest + term))
