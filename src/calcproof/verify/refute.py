"""Refutation: search for certificates that a step is false.

A certificate is a point (values for every free symbol and indexed atom,
respecting the assumptions) where both sides are real, finite and differ,
re-checked at higher precision; or, for an argmin claim, an order-reversal pair
of parameter points.  Search is deterministic (fixed seed, sorted symbols).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence

from sympy import Abs, Expr, Float, Integer, Product, Rational, Sum, Symbol, oo

from calcproof.derivation import Context
from calcproof.relations import Limit, Optimum
from calcproof.verify import numeric
from calcproof.verify.prove import compute_limit
from calcproof.verify.sampling import Sampler, concretise, shown
from calcproof.verify.verdict import Verdict

PRECISION = 30
CONFIRM_PRECISION = 60
POINTS = 40
PARAM_POINTS = 24
SHARED_POINTS = 4
NICE_POINTS = 3


def evaluate(expr: Expr, precision: int) -> Expr | None:
    """A numeric ``expr`` as a real Float, or None where it is not real and finite."""
    try:
        val = expr.evalf(precision)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
        return None
    if val in (oo, -oo) or not val.is_number:
        return None
    re, im = val.as_real_imag()
    if not isinstance(re, Float | Integer | Rational) or Abs(im) > Float(10) ** (5 - precision):
        return None
    return re


def _differ(a: Expr, b: Expr, precision: int) -> bool:
    """True when ``a`` and ``b`` differ in their leading digits (a relative test).

    Values computed to ``precision`` significant digits are trusted to about
    half of them, so tiny but genuine values (a product of twenty densities is
    ~1e-28) are compared as reliably as large ones.
    """
    return bool(Abs(a - b) > max(Abs(a), Abs(b)) * Float(10) ** (-(precision // 3)))


def _stable(low: Expr, high: Expr) -> bool:
    """True when two evaluations at different precisions agree (no cancellation noise)."""
    return bool(Abs(low - high) <= Abs(high) * Float(10) ** (-(PRECISION // 2)))


def _num(value: Expr, digits: int = 6) -> str:
    """``digits`` significant digits; beyond a double's range or precision, SymPy's own format."""
    if digits <= 15 and (value == 0 or Float(1e-300) < Abs(value) < Float(1e300)):
        return format(float(value), f".{digits}g")
    return str(Float(value, digits))


def _nums(a: Expr, b: Expr) -> tuple[str, str]:
    """``a`` and ``b`` with six digits, or as many more as it takes to show that they differ."""
    for digits in (6, 9, 12, 15, 20, 30, 45, 60):
        shown = _num(a, digits), _num(b, digits)
        if shown[0] != shown[1]:
            break
    return shown


def _range_symbols(exprs: Sequence[Expr]) -> list[Symbol]:
    """Free symbols in the bounds of a Σ/∏: instantiated with small sizes."""
    out: set[Symbol] = set()
    for expr in exprs:
        for obj in expr.atoms(Sum, Product):
            for _, lower, upper in obj.limits:
                out |= (lower.free_symbols | upper.free_symbols) & expr.free_symbols
    return sorted(out, key=str)


def _instances(exprs: Sequence[Expr]) -> Iterator[tuple[dict[Symbol, Integer], list[Side]]]:
    """The expressions for a few small sizes of their symbolic Σ/∏ ranges."""
    symbols = _range_symbols(exprs)
    for size in (1, 2, 3) if symbols else (None,):
        sizes = {s: Integer(size) for s in symbols} if size is not None else {}
        yield sizes, [Side(e.xreplace(sizes)) for e in exprs]


class Side:
    """One side of a claim, evaluated term by term (mpmath) or, failing that, by SymPy."""

    def __init__(self, expr: Expr) -> None:
        self.expr = expr
        self.fast = True
        self._expanded: Expr | None = None

    def expanded(self) -> Expr | None:
        if self._expanded is None:
            out = self.expr.doit() if self.expr.has(Sum, Product) else self.expr
            self._expanded = None if out.has(Sum, Product) else out
        return self._expanded


def _values(
    sides: Sequence[Side], sampler: Sampler, world: object, digits: int
) -> list[Expr | None]:
    """The sides at one point; all by the fast walker or all by SymPy, never mixed."""
    if all(side.fast for side in sides):
        try:
            return [numeric.value(side.expr, sampler, world, digits) for side in sides]
        except numeric.Unsupported:
            sampler.forget()  # the two evaluators key values differently: never mix them
            for side in sides:
                side.fast = False
    out: list[Expr | None] = []
    for side in sides:
        expanded = side.expanded()
        out.append(
            None if expanded is None else evaluate(concretise(expanded, sampler, world), digits)
        )
    return out


def _samplers(ctx: Context, seed: int, count: int, params: tuple = ()) -> Iterator[Sampler]:
    rng = random.Random(seed)
    for k in range(count):
        yield Sampler(ctx, rng, k if k < NICE_POINTS else None, params)


def _shorten(point: Sequence[tuple[str, str]], limit: int = 12) -> str:
    where = ", ".join(f"{k} = {v}" for k, v in point[:limit])
    return where + (f", … ({len(point) - limit} more)" if len(point) > limit else "")


def refute_equal(lhs: Expr, rhs: Expr, ctx: Context, seed: int = 0) -> Verdict | None:
    """A counterexample point to ``lhs = rhs``, re-checked at higher precision."""
    for sizes, sides in _instances([lhs, rhs]):
        for sampler in _samplers(ctx, seed, POINTS):
            try:
                low = _values(sides, sampler, "p", PRECISION)
                if None in low or not _differ(low[0], low[1], PRECISION):
                    continue
                lv, rv = _values(sides, sampler, "p", CONFIRM_PRECISION)
            except ValueError:
                continue
            if lv is None or rv is None or not _differ(lv, rv, CONFIRM_PRECISION):
                continue
            if not (_stable(low[0], lv) and _stable(low[1], rv)):
                continue
            point = shown(sampler, [(str(k), str(v)) for k, v in sizes.items()])
            where = _shorten(point)
            prefix = f"at {where}: " if where else "no free symbols: "
            return Verdict(
                "refuted",
                "counterexample (re-checked at 60 digits)",
                "{}left {}, right {}".format(prefix, *_nums(lv, rv)),
                point,
                (("lhs", str(lv.evalf(15))), ("rhs", str(rv.evalf(15)))),
            )
    return None


def refute_optimum(
    lhs: Expr, rhs: Expr, rel: Optimum, ctx: Context, seed: int = 0
) -> Verdict | None:
    """An order-reversal pair: parameter points p, q ranked oppositely by the two objectives."""
    a_expr = lhs if rel.lhs_sense == "min" else -lhs
    b_expr = rhs if rel.rhs_sense == "min" else -rhs
    if not (a_expr.has(*rel.params) or b_expr.has(*rel.params)):
        return None
    for sizes, sides in _instances([a_expr, b_expr]):
        for sampler in _samplers(ctx, seed, SHARED_POINTS, rel.params):
            found = _reversal(sides, sampler)
            if found is not None:
                return _reversal_verdict(found, sampler, sizes)
    return None


Ranked = tuple[int, Expr, Expr]


def _reversal(sides: Sequence[Side], sampler: Sampler) -> tuple[Ranked, Ranked] | None:
    """Sample parameter points one at a time, comparing each with those before it."""
    samples: list[tuple[int, Expr, Expr]] = []
    for world in range(PARAM_POINTS):
        try:
            av, bv = _values(sides, sampler, world, PRECISION)
        except ValueError:
            continue
        if av is None or bv is None:
            continue
        for other in samples:
            for first, second in (((world, av, bv), other), (other, (world, av, bv))):
                found = _confirm(sides, sampler, first, second)
                if found is not None:
                    return found
        samples.append((world, av, bv))
    return None


def _confirm(
    sides: Sequence[Side], sampler: Sampler, p: Ranked, q: Ranked
) -> tuple[Ranked, Ranked] | None:
    """``p``, ``q`` if lhs(p) < lhs(q) and rhs(p) > rhs(q), re-checked at 60 digits."""
    (wp, av_p, bv_p), (wq, av_q, bv_q) = p, q
    if not (av_p < av_q and bv_p > bv_q):
        return None
    if not (_differ(av_p, av_q, PRECISION) and _differ(bv_p, bv_q, PRECISION)):
        return None
    a_p, b_p = _values(sides, sampler, wp, CONFIRM_PRECISION)
    a_q, b_q = _values(sides, sampler, wq, CONFIRM_PRECISION)
    if a_p is None or a_q is None or b_p is None or b_q is None:
        return None
    low = (av_p, av_q, bv_p, bv_q)
    if not all(_stable(lo, h) for lo, h in zip(low, (a_p, a_q, b_p, b_q), strict=True)):
        return None
    if a_p < a_q and b_p > b_q:
        return (wp, a_p, b_p), (wq, a_q, b_q)
    return None


def _reversal_verdict(
    found: tuple[Ranked, Ranked], sampler: Sampler, sizes: Mapping[Symbol, Integer]
) -> Verdict:
    (p, a_p, b_p), (q, a_q, b_q) = found
    keep = {"shared"} | {f"@{p}", f"@{q}"}
    renamed = []
    for name, value in sampler.shown.items():
        base, _, world = name.partition(" @")
        if not world:
            renamed.append((name, str(value)))
        elif f"@{world}" in keep:
            renamed.append((f"{base} @{'p' if world == str(p) else 'q'}", str(value)))
    renamed += [(str(k), str(v)) for k, v in sizes.items()]
    (lhs_p, lhs_q), (rhs_p, rhs_q) = _nums(a_p, a_q), _nums(b_p, b_q)
    message = (
        f"order reversal: lhs(p) = {lhs_p} < lhs(q) = {lhs_q} but "
        f"rhs(p) = {rhs_p} > rhs(q) = {rhs_q} (objectives oriented for minimisation); "
        "on the model family {p, q} the two minimisers differ"
    )
    return Verdict(
        "refuted",
        "order-reversal pair (re-checked at 60 digits)",
        message,
        tuple(sorted(renamed)),
        tuple(
            (k, str(v.evalf(15)))
            for k, v in (("lhs(p)", a_p), ("lhs(q)", a_q), ("rhs(p)", b_p), ("rhs(q)", b_q))
        ),
    )


def refute_limit(expr: Expr, value: Expr, rel: Limit) -> Verdict | None:
    """Refute when SymPy's limit is a definite number different from the claim."""
    computed = compute_limit(expr, rel)
    if computed is None or not value.is_number:
        return None
    if computed.is_finite and value.is_finite:
        low, gap = (
            evaluate(computed - value, PRECISION),
            evaluate(computed - value, CONFIRM_PRECISION),
        )
        if low is None or gap is None or gap == 0 or not _stable(low, gap):
            return None
    elif computed == value:
        return None
    side = "" if rel.direction == "+-" else rel.direction
    return Verdict(
        "refuted",
        "SymPy limit differs from the claim",
        f"the limit as {rel.var} → {rel.point}{side} is {computed}, not {value}",
        ((str(rel.var), f"→ {rel.point}{side}"),),
        (("limit", str(computed)), ("claimed", str(value))),
    )
