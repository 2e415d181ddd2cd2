"""Refutation: search for certificates that a step is false.

A certificate is a point (values for every free symbol and indexed atom,
respecting the assumptions) where both sides are real, finite and differ,
re-checked at higher precision; or, for an argmin claim, an order-reversal pair
of parameter points.  Search is deterministic (fixed seed, sorted symbols).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from sympy import (
    Abs,
    Basic,
    Dummy,
    Expr,
    Float,
    Indexed,
    Integer,
    Product,
    Rational,
    Sum,
    Symbol,
    oo,
)
from sympy.core.function import AppliedUndef

from calcproof.derivation import Context
from calcproof.relations import Limit, Optimum
from calcproof.verify.prove import compute_limit
from calcproof.verify.verdict import Verdict

PRECISION = 30
CONFIRM_PRECISION = 60
POINTS = 40
PARAM_POINTS = 24

NICE_REAL = [
    Integer(0),
    Integer(1),
    Integer(-1),
    Rational(1, 2),
    Integer(2),
    Integer(-2),
    Integer(3),
]
NICE_POSITIVE = [Integer(1), Integer(2), Rational(1, 2), Integer(3), Rational(3, 2)]
NICE_UNIT = [Rational(1, 2), Rational(1, 4), Rational(3, 4), Rational(1, 3)]


@dataclass(frozen=True)
class Point:
    values: Mapping[Basic, Expr]


def _domain(atom: Basic, ctx: Context) -> str:
    for sym, dom in ctx.domains:
        if atom == sym or (isinstance(atom, Indexed) and atom.base.label == sym):
            return dom
    if atom.is_integer:
        return "integer"
    if atom.is_positive:
        return "positive"
    if atom.is_nonnegative:
        return "nonnegative"
    return "real"


def _value(domain: str, rng: random.Random, nice: int | None) -> Expr:
    if domain == "binary":
        return Integer(nice % 2 if nice is not None else rng.randint(0, 1))
    if domain == "integer":
        return Integer(1 + (nice % 3 if nice is not None else rng.randint(0, 2)))
    if domain == "unit_interval":
        if nice is not None:
            return NICE_UNIT[nice % len(NICE_UNIT)]
        q = rng.randint(2, 9)
        return Rational(rng.randint(1, q - 1), q)
    if domain in ("positive", "nonnegative"):
        if nice is not None:
            return NICE_POSITIVE[nice % len(NICE_POSITIVE)]
        return Rational(rng.randint(1, 40), rng.randint(1, 8))
    if nice is not None:
        return NICE_REAL[nice % len(NICE_REAL)]
    return Rational(rng.randint(-30, 30), rng.randint(1, 8))


def _range_symbols(expr: Expr) -> list[Symbol]:
    """Free symbols used in the bounds of a Σ/∏: they are instantiated with small sizes."""
    out: set[Symbol] = set()
    for obj in expr.atoms(Sum, Product):
        for _, lower, upper in obj.limits:
            out |= (lower.free_symbols | upper.free_symbols) & expr.free_symbols
    return sorted(out, key=str)


def _instantiate(exprs: Sequence[Expr], sizes: Mapping[Symbol, int]) -> list[Expr] | None:
    out = []
    for e in exprs:
        e = e.xreplace({s: Integer(v) for s, v in sizes.items()})
        if e.has(Sum, Product):
            e = e.doit()
            if e.has(Sum, Product):
                return None
        out.append(e)
    return out


def _atoms(exprs: Sequence[Expr]) -> list[Basic]:
    """Everything a point must give a value: network outputs, indexed data, plain symbols."""
    found: set[Basic] = set()
    for e in exprs:
        undef = e.atoms(AppliedUndef)
        top = {u for u in undef if not any(u != v and v.has(u) for v in undef)}
        masks = {u: Dummy() for u in top}
        masked = e.xreplace(masks)
        indexed = masked.atoms(Indexed)
        labels = {a.base.label for a in indexed}
        symbols = {
            s
            for s in masked.free_symbols
            if isinstance(s, Symbol) and s not in labels and s not in masks.values()
        }
        found |= top | indexed | symbols
    return sorted(found, key=str)


def _sizes(exprs: Sequence[Expr]) -> Iterator[dict[Symbol, int]]:
    syms = sorted(set().union(*(_range_symbols(e) for e in exprs)), key=str)
    for value in (2, 1, 3):
        yield {s: value for s in syms}
        if not syms:
            return


def evaluate(expr: Expr, values: Mapping[Basic, Expr], precision: int) -> Expr | None:
    """``expr`` at ``values`` as a real Float, or None where it is not real and finite."""
    try:
        val = expr.xreplace(dict(values)).evalf(precision)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None
    if val in (oo, -oo) or not val.is_number:
        return None
    re, im = val.as_real_imag()
    if not isinstance(re, Float | Integer | Rational) or Abs(im) > Float(10) ** (-precision + 5):
        return None
    return re  # type: ignore[no-any-return]


def _differ(a: Expr, b: Expr, precision: int) -> bool:
    scale = max(Integer(1), Abs(a), Abs(b))
    return bool(Abs(a - b) > scale * Float(10) ** (-(precision // 2)))


def _points(
    atoms: Sequence[Basic], ctx: Context, rng: random.Random, count: int
) -> Iterator[dict[Basic, Expr]]:
    for k in range(count):
        nice = k if k < 3 else None
        yield {
            a: _value(_domain(a, ctx), rng, None if nice is None else nice + n)
            for n, a in enumerate(atoms)
        }


def _fmt(values: Mapping[Basic, Expr]) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in sorted(values.items(), key=lambda kv: str(kv[0])))


def _num(value: Expr) -> str:
    return format(float(value), ".6g")


def refute_equal(lhs: Expr, rhs: Expr, ctx: Context, seed: int = 0) -> Verdict | None:
    """A counterexample point to ``lhs = rhs``, re-checked at higher precision."""
    rng = random.Random(seed)
    for sizes in _sizes([lhs, rhs]):
        inst = _instantiate([lhs, rhs], sizes)
        if inst is None:
            continue
        left, right = inst
        atoms = _atoms([left, right])
        for point in _points(atoms, ctx, rng, POINTS):
            lv = evaluate(left, point, PRECISION)
            rv = evaluate(right, point, PRECISION)
            if lv is None or rv is None or not _differ(lv, rv, PRECISION):
                continue
            lv2 = evaluate(left, point, CONFIRM_PRECISION)
            rv2 = evaluate(right, point, CONFIRM_PRECISION)
            if lv2 is None or rv2 is None or not _differ(lv2, rv2, CONFIRM_PRECISION):
                continue
            values = {**{s: Integer(v) for s, v in sizes.items()}, **point}
            where = ", ".join(f"{k} = {v}" for k, v in _fmt(values))
            return Verdict(
                "refuted",
                "counterexample (re-checked at 60 digits)",
                f"at {where}: left {_num(lv2)}, right {_num(rv2)}",
                _fmt(values),
                (("lhs", str(lv2.evalf(15))), ("rhs", str(rv2.evalf(15)))),
            )
    return None


def refute_optimum(
    lhs: Expr, rhs: Expr, rel: Optimum, ctx: Context, seed: int = 0
) -> Verdict | None:
    """An order-reversal pair: parameter points p, q ranked oppositely by the two objectives."""
    rng = random.Random(seed)
    a_expr = lhs if rel.lhs_sense == "min" else -lhs
    b_expr = rhs if rel.rhs_sense == "min" else -rhs
    for sizes in _sizes([a_expr, b_expr]):
        inst = _instantiate([a_expr, b_expr], sizes)
        if inst is None:
            continue
        a, b = inst
        atoms = _atoms([a, b])
        dependent = [t for t in atoms if t.has(*rel.params)]
        shared = [t for t in atoms if t not in dependent]
        if not dependent:
            continue
        for fixed in islice(_points(shared, ctx, rng, 4), 4):
            found = _reversal(a, b, dependent, fixed, ctx, rng)
            if found is not None:
                return _reversal_verdict(found, fixed, sizes)
    return None


def _reversal(
    a: Expr,
    b: Expr,
    dependent: Sequence[Basic],
    fixed: Mapping[Basic, Expr],
    ctx: Context,
    rng: random.Random,
) -> tuple[dict[Basic, Expr], dict[Basic, Expr], tuple[Expr, Expr, Expr, Expr]] | None:
    samples = []
    for point in _points(dependent, ctx, rng, PARAM_POINTS):
        full = {**fixed, **point}
        av, bv = evaluate(a, full, PRECISION), evaluate(b, full, PRECISION)
        if av is not None and bv is not None:
            samples.append((point, av, bv))
    for p, ap, bp in samples:
        for q, aq, bq in samples:
            if ap < aq and bp > bq and _differ(ap, aq, PRECISION) and _differ(bp, bq, PRECISION):
                vals = [
                    evaluate(e, {**fixed, **pt}, CONFIRM_PRECISION)
                    for e, pt in ((a, p), (a, q), (b, p), (b, q))
                ]
                if any(v is None for v in vals):
                    continue
                a_p, a_q, b_p, b_q = vals  # type: ignore[misc]
                if a_p < a_q and b_p > b_q:
                    return p, q, (a_p, a_q, b_p, b_q)
    return None


def _reversal_verdict(
    found: tuple[dict[Basic, Expr], dict[Basic, Expr], tuple[Expr, Expr, Expr, Expr]],
    fixed: Mapping[Basic, Expr],
    sizes: Mapping[Symbol, int],
) -> Verdict:
    p, q, (a_p, a_q, b_p, b_q) = found
    values = dict(_fmt({**{s: Integer(v) for s, v in sizes.items()}, **fixed}))
    values.update({f"{k} @p": v for k, v in _fmt(p)})
    values.update({f"{k} @q": v for k, v in _fmt(q)})
    message = (
        f"order reversal: lhs(p) = {_num(a_p)} < lhs(q) = {_num(a_q)} but "
        f"rhs(p) = {_num(b_p)} > rhs(q) = {_num(b_q)} (objectives oriented for minimisation); "
        "on the model family {p, q} the two minimisers differ"
    )
    return Verdict(
        "refuted",
        "order-reversal pair (re-checked at 60 digits)",
        message,
        tuple(sorted(values.items())),
        (
            ("lhs(p)", str(a_p.evalf(15))),
            ("lhs(q)", str(a_q.evalf(15))),
            ("rhs(p)", str(b_p.evalf(15))),
            ("rhs(q)", str(b_q.evalf(15))),
        ),
    )


def refute_limit(expr: Expr, value: Expr, rel: Limit) -> Verdict | None:
    """Refute when SymPy's limit is a definite number different from the claim."""
    computed = compute_limit(expr, rel)
    if computed is None or not value.is_number:
        return None
    if computed.is_finite and value.is_finite:
        gap = evaluate(computed - value, {}, CONFIRM_PRECISION)
        if gap is None or not _differ(gap, Integer(0), CONFIRM_PRECISION):
            return None
    elif computed == value:
        return None
    return Verdict(
        "refuted",
        "SymPy limit differs from the claim",
        f"the limit as {rel.var} → {rel.point}{'' if rel.direction == '+-' else rel.direction} "
        f"is {computed}, not {value}",
        ((str(rel.var), f"→ {rel.point}"),),
        (("limit", str(computed)), ("claimed", str(value))),
    )
