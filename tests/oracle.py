"""An independent numeric oracle for the campaigns: is a claim false, is a certificate right?

Written without the kernel (no import from ``calcproof.verify``): definitions and
``sig`` are unfolded, symbolic ranges (``D``, ``I``) get :data:`SIZE` terms, and
every atom — a letter, a data entry ``y_{id}``, a network output ``f_d[x_i, φ]`` —
gets a random value from its domain.  A claim is *false* when a witness exists:
a point where the two sides differ (``=``), an order-reversal pair (argmin), or
a value near the limit point far from the claimed limit.  :func:`certificate_holds`
re-evaluates a kernel certificate (the point it names) on the claim.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache

from sympy import (
    Basic,
    Derivative,
    Dummy,
    Expr,
    Float,
    Indexed,
    Integer,
    Product,
    Rational,
    Subs,
    Sum,
    Symbol,
    nsimplify,
    oo,
    sympify,
)
from sympy.core.function import AppliedUndef

from calcproof.derivation import Context, Step
from calcproof.losses import sig
from calcproof.relations import Equal, Limit, Optimum

PRECISION = 30
SIZE = 2
"""Symbolic ranges (D, I) are instantiated with this many terms by the oracle."""


@cache
def _prepared(expr: Basic, context: Context, sizes: tuple[tuple[str, int], ...] = ()) -> Expr:
    """``expr`` with definitions and sig unfolded, and symbolic ranges instantiated."""
    return _instantiate(_unfold(expr, context), dict(sizes))


def _unfold(expr: Basic, context: Context) -> Expr:
    out = sympify(expr)
    for _ in range(5):
        for name, value in context.definitions:
            out = out.xreplace({name: value})
    return out.replace(lambda e: isinstance(e, sig), lambda e: sig.formula(e.args[0]))


def range_symbols(expr: Expr) -> set[Symbol]:
    """Free letters in the bounds of the Σ/∏ of ``expr`` (the symbolic sizes)."""
    ranges: set[Symbol] = set()
    for obj in expr.atoms(Sum, Product):
        for _, lower, upper in obj.limits:
            ranges |= lower.free_symbols | upper.free_symbols
    bound = {lim[0] for obj in expr.atoms(Sum, Product) for lim in obj.limits}
    return ranges - bound


def _instantiate(expr: Expr, sizes: dict[str, int]) -> Expr:
    chosen = {s: Integer(sizes.get(s.name, SIZE)) for s in range_symbols(expr)}
    out = expr.xreplace(chosen)
    if out.has(Sum, Product, Subs, Derivative):
        out = out.doit()
    out = out.replace(lambda e: isinstance(e, sig), lambda e: sig.formula(e.args[0]))
    return _derivatives_as_values(out)


def _derivatives_as_values(expr: Expr) -> Expr:
    """Each derivative of an unknown function (``∂f/∂φ``, ``F'(g(z))``) as a value of its own.

    At one point the values of ``f`` and of its derivatives are independent, so a
    witness with independent values shows the claim false for some function.
    """
    found = [
        e
        for e in expr.atoms(Derivative, Subs)
        if e.has(AppliedUndef)
        and not any(e != o and o.has(e) for o in expr.atoms(Derivative, Subs))
    ]
    return expr.xreplace({e: Symbol(f"<{e}>", real=True) for e in found})


def atoms(exprs: Sequence[Expr]) -> list[Basic]:
    """The values a point must give: outermost applied functions, data entries, letters."""
    found: set[Basic] = set()
    for e in exprs:
        undef = e.atoms(AppliedUndef)
        top = {u for u in undef if not any(u != v and v.has(u) for v in undef)}
        found |= top
        masked = e.xreplace({u: Dummy() for u in top})  # not 0: that could drop a factor
        indexed = masked.atoms(Indexed)
        labels = {a.base.label for a in indexed}
        found |= indexed
        letters = {s for s in masked.free_symbols if isinstance(s, Symbol) and s not in labels}
        found |= {s for s in letters if not isinstance(s, Dummy)}
    return sorted(found, key=str)


def _domain(atom: Basic, context: Context) -> str | None:
    for sym, domain in context.domains:
        if atom == sym or (isinstance(atom, Indexed) and atom.base.label == sym):
            return domain
        if isinstance(atom, Indexed) and str(atom.base.label) == str(sym):
            return domain
    return None


NARROW = [Rational(n, 2) for n in range(-4, 5)]
"""Small values (as the kernel's search uses): sums of many terms stay comparable to a shift."""


def _sample(atom: Basic, context: Context, rng: random.Random, narrow: bool = False) -> Expr:
    domain = _domain(atom, context)
    if domain == "binary":
        return Integer(rng.randint(0, 1))
    if domain == "unit_interval":
        return Rational(rng.randint(1, 9), 10)
    if domain in ("integer", "count") or atom.is_integer:
        low = 1 if atom.is_positive else 0 if atom.is_nonnegative or domain == "count" else -6
        return Integer(rng.randint(low, 6))
    if narrow:
        value = rng.choice(NARROW)
        positive = domain == "positive" or atom.is_positive or atom.is_nonnegative
        return abs(value) + Rational(1, 2) if positive else value
    if domain == "positive" or atom.is_positive:
        return Rational(rng.randint(1, 30), rng.randint(1, 10))
    if atom.is_nonnegative:
        return Rational(rng.randint(0, 30), rng.randint(1, 10))
    return Rational(rng.randint(-30, 30), rng.randint(1, 10))


def value(expr: Expr, point: dict[Basic, Expr], precision: int = PRECISION) -> Float | None:
    """The real, finite value of ``expr`` at ``point`` (30 digits), else ``None``."""
    try:
        val = expr.xreplace(point).evalf(precision)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return None
    if not val.is_number or val.has(oo, -oo) or val.has(Derivative):
        return None
    try:
        re, im = val.as_real_imag()
        if abs(im) > Float(10) ** (-precision // 2) * (1 + abs(re)) or not re.is_finite:
            return None
    except TypeError:  # an unevaluated relational: not a number
        return None
    return re if re.is_real else None  # type: ignore[no-any-return]


def far(a: Expr, b: Expr) -> bool:
    """Relative difference beyond rounding (values are computed with 30 digits or more)."""
    return bool(abs(a - b) > Float("1e-15", 2 * PRECISION) * (abs(a) + abs(b)))


def _stable(low: Expr, high: Expr) -> bool:
    """A difference computed at 30 and at 60 digits that agrees: not rounding noise."""
    return bool(abs(low - high) <= Float("1e-8", 2 * PRECISION) * abs(high))


def _sides_differ(lhs: Expr, rhs: Expr, point: dict[Basic, Expr]) -> bool:
    """The sides differ at ``point`` at 30 digits, and again (the same difference) at 60."""
    lv, rv = value(lhs, point), value(rhs, point)
    if lv is None or rv is None or not far(lv, rv):
        return False
    lv2, rv2 = value(lhs, point, 2 * PRECISION), value(rhs, point, 2 * PRECISION)
    return lv2 is not None and rv2 is not None and far(lv2, rv2) and _stable(lv - rv, lv2 - rv2)


def is_false(step: Step, context: Context, tries: int = 30, seed: int = 1) -> bool:
    """True when a numeric witness shows the step's claim is false (symbolic ranges get
    :data:`SIZE` terms, and :data:`SIZE` + 1: two ranges may coincide at one size)."""
    if _witness(step, context, tries, seed, ()):
        return True
    sizes = range_symbols(sympify(step.lhs)) | range_symbols(sympify(step.rhs))
    if not sizes or isinstance(step.relation, Limit):
        return False
    bigger = tuple(sorted((s.name, SIZE + 1) for s in sizes))
    return _witness(step, context, tries, seed, bigger)


def _witness(
    step: Step, context: Context, tries: int, seed: int, sizes: tuple[tuple[str, int], ...]
) -> bool:
    rng = random.Random(seed)
    rel = step.relation
    if isinstance(rel, Limit):
        return _limit_is_false(_prepared(step.lhs, context), _prepared(step.rhs, context), rel)
    lhs, rhs = _prepared(step.lhs, context, sizes), _prepared(step.rhs, context, sizes)
    found = atoms([lhs, rhs])
    if isinstance(rel, Equal):
        points = ({a: _sample(a, context, rng, k % 2 == 1) for a in found} for k in range(tries))
        return any(_sides_differ(lhs, rhs, point) for point in points)
    assert isinstance(rel, Optimum)
    a, b = _oriented(lhs, rhs, rel)
    moving = [t for t in found if t.has(*rel.params)]
    fixed = [t for t in found if t not in moving]
    for k in range(4):
        narrow = k % 2 == 1
        data = {t: _sample(t, context, rng, narrow) for t in fixed}
        points = [
            {**data, **{t: _sample(t, context, rng, narrow) for t in moving}}
            for _ in range(tries // 2)
        ]
        if _reversal(a, b, points) or _reversal(a, b, _moves(points[0], moving, context, rng)):
            return True
    return False


def _moves(
    base: dict[Basic, Expr], moving: list[Basic], context: Context, rng: random.Random
) -> list[dict[Basic, Expr]]:
    """``base`` and points that change one moving atom of it (a shift one term alone sees)."""
    out = [base]
    for atom in moving[:12]:
        out += [{**base, atom: _sample(atom, context, rng, True)} for _ in range(2)]
    return out


def _oriented(lhs: Expr, rhs: Expr, rel: Optimum) -> tuple[Expr, Expr]:
    a = lhs if rel.lhs_sense == "min" else -lhs
    b = rhs if rel.rhs_sense == "min" else -rhs
    return a, b


def _order(u: Float, v: Float) -> int:
    """-1, 0, 1 for ``u < v``, an exact tie, ``u > v``; ``None``-like 2 when too close to tell."""
    if u == v:
        return 0
    if not far(u, v):
        return 2
    return -1 if u < v else 1


def _reversal(a: Expr, b: Expr, points: list[dict[Basic, Expr]]) -> bool:
    """Two points that ``a`` and ``b`` order differently (a strict order against the reverse
    or an exact tie), confirmed at 60 digits: the minimisers over ``{p, q}`` differ."""
    samples = []
    for point in points:
        av, bv = value(a, point), value(b, point)
        if av is not None and bv is not None:
            samples.append((point, av, bv))
    for p, ap, bp in samples:
        for q, aq, bq in samples:
            if _order(ap, aq) == -1 and _order(bp, bq) in (0, 1) and _confirmed(a, b, p, q):
                return True
    return False


def _confirmed(a: Expr, b: Expr, p: dict[Basic, Expr], q: dict[Basic, Expr]) -> bool:
    values = [value(e, at, 2 * PRECISION) for at in (p, q) for e in (a, b)]
    if any(v is None for v in values):
        return False
    ap, bp, aq, bq = values
    return _order(ap, aq) == -1 and _order(bp, bq) in (0, 1)  # type: ignore[arg-type]


def _limit_is_false(expr: Expr, claimed: Expr, rel: Limit) -> bool:
    """``expr → claimed`` fails when, close to the point, ``expr`` is finite and far from it.

    Close: ``var = ±60`` for ``±∞``, ``10⁻¹²`` away (on the claimed side) otherwise.  Far:
    more than ``10⁻⁶`` apart, or, for a claimed ``±∞``, ``|expr| < 10⁶``.
    """
    if rel.point in (oo, -oo):
        near = [Integer(60) if rel.point == oo else Integer(-60)]
    else:
        eps = Rational(1, 10**12)
        sides = {"+": [eps], "-": [-eps], "+-": [eps, -eps]}[rel.direction]
        near = [rel.point + h for h in sides]
    if expr.free_symbols - {rel.var} or claimed.free_symbols:
        return False  # a limit with free letters: no numeric witness here
    for at in near:
        got = value(expr, {rel.var: at})
        if got is None:
            return False
        if claimed in (oo, -oo):
            if abs(got) >= 1e6:
                return False
        elif abs(got - claimed) <= 1e-6:
            return False
    return True


# --- certificates ----------------------------------------------------------------------


def certificate_holds(
    step: Step, context: Context, point: Sequence[tuple[str, str]]
) -> bool | None:
    """Re-evaluate a kernel certificate on the claim: ``None`` when it cannot be read here.

    ``point`` is the verdict's ``counterexample`` (names to values; ``@p``/``@q``
    marks the two points of an order-reversal pair).  Limits are not re-checked
    here (their certificate is SymPy's limit, not a point).
    """
    if isinstance(step.relation, Limit) or not point:
        return None
    names = dict(point)
    sizes = tuple(sorted((k, int(v)) for k, v in names.items() if v.lstrip("-").isdigit()))
    try:
        lhs, rhs = _prepared(step.lhs, context, sizes), _prepared(step.rhs, context, sizes)
    except (TypeError, ValueError):
        return None
    found = atoms([lhs, rhs])
    if isinstance(step.relation, Equal):
        at = _point(found, names, "")
        return None if at is None else _sides_differ(lhs, rhs, at)
    a, b = _oriented(lhs, rhs, step.relation)
    p, q = _point(found, names, " @p"), _point(found, names, " @q")
    if p is None or q is None:
        return None
    return _confirmed(a, b, p, q) or _confirmed(a, b, q, p)


def _point(found: list[Basic], names: dict[str, str], mark: str) -> dict[Basic, Expr] | None:
    out: dict[Basic, Expr] = {}
    for atom in found:
        text = names.get(f"{atom}{mark}", names.get(str(atom)))
        if text is None:
            return None
        out[atom] = nsimplify(sympify(text), rational=True)
    return out
