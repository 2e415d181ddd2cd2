"""Refutation: search for certificates that a step is false.

A certificate is a point (values for every free symbol and indexed atom,
respecting the assumptions) where both sides are real, finite and differ,
re-checked at higher precision; or, for an argmin claim, an order-reversal pair
of parameter points.  Search is deterministic (fixed seed, sorted symbols).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping, Sequence

from sympy import (
    Abs,
    Add,
    Basic,
    Derivative,
    Expr,
    Float,
    Integer,
    Integral,
    Lambda,
    Mul,
    Product,
    Rational,
    Subs,
    Sum,
    Symbol,
    oo,
    preorder_traversal,
)
from sympy import Limit as LimitExpr
from sympy.core.evalf import PrecisionExhausted

from calcproof.derivation import Context
from calcproof.losses import UNKNOWN_APPLICATIONS, Density
from calcproof.relations import Limit, Optimum
from calcproof.verdict import Verdict
from calcproof.verify import numeric
from calcproof.verify.normal import empty_ranges
from calcproof.verify.prove import compute_limit
from calcproof.verify.sampling import Sampler, concretise, shown

PRECISION = 30
CONFIRM_PRECISION = 60
PRECISIONS = (30, 60, 120, 240, 480)
"""Working precisions tried in turn until both sides of a claim are resolved at a point."""
MAX_SIZE_COMBINATIONS = 12
"""Most assignments of sizes to the symbolic Σ/∏ ranges that the search tries."""
MAX_CHECKED_NODES = 4000
"""Largest tree whose every subexpression the SymPy fallback checks for being real."""
POINTS = 40
PARAM_POINTS = 24
SHARED_POINTS = 4
NICE_POINTS = 3


def evaluate(expr: Expr, precision: int, strict: bool = False) -> Expr | None:
    """A numeric ``expr`` as a real Float, or None where it is not real and finite.

    ``strict``: also None when SymPy cannot reach the precision (cancellation it
    cannot resolve) or when some subexpression is not real (a point where an
    intermediate value is complex is never admissible).
    """
    try:
        val = expr.evalf(precision, strict=strict)
        if strict and not _all_real(expr):
            return None
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
        return None
    except PrecisionExhausted:
        return None
    if val in (oo, -oo) or not val.is_number:
        return None
    re, im = val.as_real_imag()
    if not isinstance(re, Float | Integer | Rational) or Abs(im) > Float(10) ** (5 - precision):
        return None
    return re


def _all_real(expr: Expr) -> bool:
    """True when every compound subexpression of a numeric ``expr`` evaluates to a real number."""
    nodes = [n for n in preorder_traversal(expr) if n.args]
    if len(nodes) > MAX_CHECKED_NODES:
        return False
    for node in nodes:
        if isinstance(node, Basic) and getattr(node, "is_number", False):
            val = node.evalf(15)
            if not val.is_number:
                return False
            re, im = val.as_real_imag()
            if val.has(oo, -oo) or Abs(im) > Float(1e-10) * (1 + Abs(re)):
                return False
    return True


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


def size_assignments(symbols: Sequence[Symbol]) -> list[dict[Symbol, Integer]]:
    """A few small sizes for the symbols of Σ/∏ ranges, varied independently.

    Equal sizes first (1, 2, 3), then unequal ones, so that ``Σ_{i≤I} Σ_{j≤J} y_ij``
    and ``Σ_{i≤I} Σ_{j≤J} y_ji`` are told apart; symbols that may be zero or
    negative also get such values (an empty or reversed range).
    """
    if not symbols:
        return [{}]
    choices = [(1, 2, 3) if s.is_positive else (1, 2, 3, 0, -1) for s in symbols]
    out = [dict.fromkeys(symbols, Integer(n)) for n in (1, 2, 3)]
    for combo in itertools.product(*choices):
        if len(out) >= MAX_SIZE_COMBINATIONS:
            break
        sizes = {s: Integer(n) for s, n in zip(symbols, combo, strict=True)}
        if sizes not in out and all(
            respects_integer(s, n) for s, n in zip(symbols, combo, strict=True)
        ):
            out.append(sizes)
    return out


def respects_integer(sym: Symbol, value: int) -> bool:
    """False when ``value`` contradicts what SymPy assumes of the range symbol ``sym``."""
    if sym.is_positive and value <= 0:
        return False
    return not (sym.is_nonnegative and value < 0)


def _instances(exprs: Sequence[Expr]) -> Iterator[tuple[dict[Symbol, Integer], list[Side]]]:
    """The expressions for a few small sizes of their symbolic Σ/∏ ranges."""
    for sizes in size_assignments(_range_symbols(exprs)):
        yield sizes, [Side(empty_ranges(e.xreplace(sizes))) for e in exprs]


class Side:
    """One side of a claim, evaluated term by term (mpmath) or, failing that, by SymPy."""

    def __init__(self, expr: Expr) -> None:
        self.expr = expr
        self.fast = True
        self._expanded: Expr | None = None

    def expanded(self) -> Expr | None:
        if self._expanded is None:
            self._expanded = write_out(self.expr)
        return self._expanded


MAX_WRITTEN_TERMS = 5000
"""Largest number of terms :func:`write_out` produces for the SymPy fallback."""


def write_out(expr: Expr) -> Expr | None:
    """``expr`` with every concrete Σ/∏ written out term by term (an empty range has no terms).

    Not SymPy's ``doit``, which follows Karr's convention for reversed ranges.
    None when a range is not concrete or there are too many terms.
    """
    budget = [MAX_WRITTEN_TERMS]

    def out(node: Basic) -> Basic | None:
        if isinstance(node, Sum | Product):
            return _written(node, out, budget)
        if not node.args:
            return node
        args = [out(a) for a in node.args]
        if any(a is None for a in args):
            return None
        return node.func(*args)

    result = out(expr)
    return None if result is None or result.has(Sum, Product) else result


def _written(node: Sum | Product, out: object, budget: list[int]) -> Basic | None:
    var, lower, upper = node.limits[-1]
    if not (lower.is_Integer and upper.is_Integer):
        return None
    inner = type(node)(node.function, *node.limits[:-1]) if len(node.limits) > 1 else node.function
    budget[0] -= max(0, int(upper - lower + 1))
    if budget[0] < 0:
        return None
    terms = [out(inner.xreplace({var: Integer(k)})) for k in range(int(lower), int(upper) + 1)]  # type: ignore[operator]
    if any(t is None for t in terms):
        return None
    if isinstance(node, Sum):
        return Add(*terms) if terms else Integer(0)
    return Mul(*terms) if terms else Integer(1)


def _readings(
    sides: Sequence[Side], sampler: Sampler, world: object, digits: int
) -> list[numeric.Reading | None]:
    """The sides at one point; all by the fast walker or all by SymPy, never mixed."""
    if all(side.fast for side in sides):
        try:
            return [numeric.reading(side.expr, sampler, world, digits) for side in sides]
        except numeric.Unsupported:
            sampler.forget()  # the two evaluators key values differently: never mix them
            for side in sides:
                side.fast = False
    out: list[numeric.Reading | None] = []
    for side in sides:
        expanded = side.expanded()
        value = (
            None
            if expanded is None
            else evaluate(concretise(expanded, sampler, world), digits, strict=True)
        )
        error = None if value is None else Abs(value) * Float(10) ** (numeric.GUARD - digits)
        out.append(None if value is None else numeric.Reading(value, error, True))
    return out


def _values(
    sides: Sequence[Side], sampler: Sampler, world: object, digits: int
) -> list[Expr | None]:
    """The sides' values at one point (None where not admissible or not resolved)."""
    return [
        r.value if r is not None and r.resolved else None
        for r in _readings(sides, sampler, world, digits)
    ]


def _compare(sides: Sequence[Side], sampler: Sampler) -> tuple[Expr, Expr, int] | None:
    """The two sides' values where they differ at this point, confirmed at a higher precision.

    Precision is raised until both sides are resolved (no inner sum lost its
    digits to cancellation); sides that agree within their rounding errors, or
    that stay unresolved at the highest precision, give no certificate.
    """
    for n, digits in enumerate(PRECISIONS[:-1]):
        low = _readings(sides, sampler, "p", digits)
        if low[0] is None or low[1] is None:
            return None
        if not (low[0].resolved and low[1].resolved):
            continue
        if not _apart(low[0], low[1], digits):
            if _precise(low[0], low[1], digits):
                return None  # they agree at this point, to well within their errors
            continue  # the errors are not small against the values: more digits
        high_digits = PRECISIONS[n + 1]
        high = _readings(sides, sampler, "p", high_digits)
        if high[0] is None or high[1] is None or not (high[0].resolved and high[1].resolved):
            return None
        if not _apart(high[0], high[1], high_digits):
            return None
        if not (_stable(low[0].value, high[0].value) and _stable(low[1].value, high[1].value)):
            return None
        return high[0].value, high[1].value, high_digits
    return None


def _precise(a: numeric.Reading, b: numeric.Reading, digits: int) -> bool:
    """True when the rounding errors are tiny against the values (or both are exactly 0)."""
    scale = max(Abs(a.value), Abs(b.value))
    return bool(a.error + b.error <= scale * Float(10) ** (-(digits // 3)))


def _apart(a: numeric.Reading, b: numeric.Reading, digits: int) -> bool:
    """True when the two readings differ by far more than their rounding errors."""
    gap = Abs(a.value - b.value)
    return bool(gap > 100 * (a.error + b.error)) and _differ(a.value, b.value, digits)


def _samplers(ctx: Context, seed: int, count: int, params: tuple = ()) -> Iterator[Sampler]:
    rng = random.Random(seed)
    for k in range(count):
        yield Sampler(ctx, rng, k if k < NICE_POINTS else None, params)


def _shorten(point: Sequence[tuple[str, str]], limit: int = 12) -> str:
    where = ", ".join(f"{k} = {v}" for k, v in point[:limit])
    return where + (f", … ({len(point) - limit} more)" if len(point) > limit else "")


def instantiate(exprs: Sequence[Expr]) -> tuple[list[Expr], tuple[tuple[str, str], ...]]:
    """Unknown functions under a derivative replaced by concrete polynomials, derivatives done.

    A claim about every function ``f`` is refuted by one ``f``: the certificate
    names it (``f(t) = t**2 + 2*t + 3``).  The polynomials are fixed and distinct
    per function, so the search stays deterministic.
    """
    funcs: dict[str, tuple[type, int]] = {}
    for expr in exprs:
        for binder in expr.atoms(Derivative, Subs, Integral, LimitExpr):
            for app in binder.atoms(*UNKNOWN_APPLICATIONS):
                funcs.setdefault(str(app.func), (app.func, len(app.args)))
    if not funcs:
        return list(exprs), ()
    out, shown_as = list(exprs), []
    for n, name in enumerate(sorted(funcs)):
        func, arity = funcs[name]
        args = [Symbol(f"t{k + 1}" if arity > 1 else "t", real=True) for k in range(arity)]
        if issubclass(func, Density):  # a density stays positive: n + 2 + Σ (t_k - k)^2
            body = sum(((t - k) ** 2 for k, t in enumerate(args)), Integer(n + 2))
        else:
            body = sum(((n + k + 2) * t + t**2 for k, t in enumerate(args)), Integer(n + 3))
        out = [e.replace(func, Lambda(tuple(args), body)) for e in out]
        shown_as.append((f"{name}({', '.join(map(str, args))})", str(body)))
    out = [e.doit() for e in out]
    return out, tuple(shown_as)


def refute_equal(lhs: Expr, rhs: Expr, ctx: Context, seed: int = 0) -> Verdict | None:
    """A counterexample point to ``lhs = rhs``, re-checked at higher precision."""
    (lhs, rhs), functions = instantiate([lhs, rhs])
    for sizes, sides in _instances([lhs, rhs]):
        for sampler in _samplers(ctx, seed, POINTS):
            try:
                found = _compare(sides, sampler)
            except ValueError:
                continue
            if found is None:
                continue
            lv, rv, digits = found
            point = shown(sampler, [*functions, *((str(k), str(v)) for k, v in sizes.items())])
            where = _shorten(point)
            prefix = f"at {where}: " if where else "no free symbols: "
            return Verdict(
                "refuted",
                f"counterexample (every subexpression real; re-checked at {digits} digits)",
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
    if computed is None:
        return None
    letters = sorted((computed.free_symbols | value.free_symbols) - {rel.var}, key=str)
    point: dict[Basic, Expr] = {}
    if letters:
        point = _separating_point(computed - value, letters)
        if not point:
            return None
    elif computed.is_finite and value.is_finite:
        if not _nonzero_gap(computed - value):
            return None
    elif computed == value:
        return None
    side = "" if rel.direction == "+-" else rel.direction
    at = "".join(f", {k} = {v}" for k, v in point.items())
    return Verdict(
        "refuted",
        "SymPy limit differs from the claim",
        f"the limit as {rel.var} → {rel.point}{side} is {computed}, not {value}"
        + (f" (they differ at {at[2:]})" if at else ""),
        ((str(rel.var), f"→ {rel.point}{side}"), *((str(k), str(v)) for k, v in point.items())),
        (("limit", str(computed)), ("claimed", str(value))),
    )


def _nonzero_gap(gap: Expr) -> bool:
    low, high = evaluate(gap, PRECISION), evaluate(gap, CONFIRM_PRECISION)
    return not (low is None or high is None or high == 0 or not _stable(low, high))


def _separating_point(gap: Expr, letters: Sequence[Basic]) -> dict[Basic, Expr]:
    """Simple values of the free letters at which a limit and a claimed value differ."""
    for value in (Integer(1), Integer(2), Rational(1, 2), Integer(-1), Integer(3)):
        point = {s: value for s in letters if respects_value(s, value)}
        if len(point) == len(letters) and _nonzero_gap(gap.xreplace(point)):
            return point
    return {}


def respects_value(sym: Basic, value: Expr) -> bool:
    """False when ``value`` contradicts an assumption of ``sym`` (sign, integrality)."""
    return not ((sym.is_positive and value <= 0) or (sym.is_integer and not value.is_Integer))
