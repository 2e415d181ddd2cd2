"""Mutation operators for derivation steps, and an independent numeric oracle for falsity.

A mutant is a step's right-hand side changed so that the step's claim becomes
false: a flipped sign, a changed constant, swapped symbols, a dropped term, a
φ-dependent term added to an objective, a wrong limit value.  Operators only
*propose*; :func:`mutants` keeps a proposal only when :func:`is_false` — a small
numeric check written here, independent of the kernel — confirms that the
mutated claim is false (an argmin claim by an order-reversal pair, an equation
by a point where the sides differ, a limit by evaluating near the point).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from functools import cache

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Float,
    Indexed,
    Integer,
    Product,
    Rational,
    Subs,
    Sum,
    Symbol,
    exp,
    log,
    nan,
    oo,
    sympify,
    zoo,
)
from sympy.core.function import AppliedUndef

from calcproof.derivation import Context, Step
from calcproof.losses import sig
from calcproof.relations import Equal, Limit, Optimum
from calcproof.symbols import f, phi, x

Operator = Callable[[Expr, Step], list[Expr]]

PRECISION = 30
SIZE = 2
"""Symbolic ranges (D, I) are instantiated with this many terms by the oracle."""


# --- operators -----------------------------------------------------------------------


def flip_sign(rhs: Expr, step: Step) -> list[Expr]:
    """``r -> -r``."""
    return [-rhs]


def add_one(rhs: Expr, step: Step) -> list[Expr]:
    """``r -> r + 1`` (not a mutation for an argmin claim, so only for ``=``)."""
    return [rhs + 1]


def double(rhs: Expr, step: Step) -> list[Expr]:
    """``r -> 2 r`` (only for ``=``: a positive factor keeps the minimisers)."""
    return [2 * rhs]


def negative_multiple(rhs: Expr, step: Step) -> list[Expr]:
    """``r -> -r/2``: a negative multiplier turns minimisers into maximisers."""
    return [-rhs / 2]


def add_parameter(rhs: Expr, step: Step) -> list[Expr]:
    """``r -> r + φ`` and ``r -> r + f_1[x_1, φ]``: a φ-dependent term moves the minimiser."""
    return [rhs + phi, rhs + f(1, x[1], phi)]


def change_constants(rhs: Expr, step: Step) -> list[Expr]:
    """Each number ``k`` (one at a time) -> ``k + 1``; a fraction ``p/q`` -> ``p/(q + 1)``."""
    numbers = sorted(
        {a for a in rhs.atoms(Rational) if a not in (Integer(-1),)}, key=lambda n: (abs(n), n)
    )
    out = []
    for k in numbers:
        new = k + 1 if k.is_Integer else Rational(k.p, k.q + 1)
        out.append(rhs.xreplace({k: new}))
    return out


def _nodes(expr: Basic) -> Iterator[Basic]:
    yield expr
    for arg in expr.args:
        yield from _nodes(arg)


def drop_a_term(rhs: Expr, step: Step) -> list[Expr]:
    """Drop one term of one sum ``a + b + …`` anywhere in ``r``."""
    out = []
    for node in _nodes(rhs):
        if isinstance(node, Add):
            for term in node.args:
                rest = [t for t in node.args if t is not term]
                out.append(rhs.xreplace({node: Add(*rest)}))
    return out


def swap_pairs(rhs: Expr, step: Step) -> list[Expr]:
    """Swap ``y_{id}`` with ``f_d[x_i, φ]``, and ``sig[u]`` with ``1 - sig[u]``."""
    out = []
    for node in _nodes(rhs):
        if isinstance(node, Indexed) and node.base.label.name == "y":
            others = [
                n
                for n in _nodes(rhs)
                if isinstance(n, AppliedUndef) and n.args[0] == node.indices[-1]
            ]
            for other in others:
                out.append(rhs.xreplace({node: other, other: node}))
        if isinstance(node, sig):
            out.append(rhs.xreplace({node: 1 - node, 1 - node: node}))
    return out


def change_exponent(rhs: Expr, step: Step) -> list[Expr]:
    """Square a residual differently: ``(y - f)^2 -> (y - f)^4`` and ``-> |y - f|``."""
    out = []
    for node in _nodes(rhs):
        if node.is_Pow and node.exp == 2 and node.base.has(phi):
            out.append(rhs.xreplace({node: node.base**4}))
            out.append(rhs.xreplace({node: Abs(node.base)}))
    return out


def other_values(rhs: Expr, step: Step) -> list[Expr]:
    """A numeric rhs (a limit value) -> ``v ± 1``, ``-v``, ``2v``, ``0``, ``1/2``, ``∞`` …."""
    if not rhs.is_number:
        return []
    fixed = [Integer(0), Integer(1), Rational(1, 2), Rational(1, 3), Integer(-1), oo]
    return [rhs + 1, rhs - 1, -rhs, 2 * rhs, *fixed]


def scale_an_argument(rhs: Expr, step: Step) -> list[Expr]:
    """An argument ``u`` of sig, log or exp -> ``2 u``; a network output ``f`` -> ``2 f``."""
    out = []
    for node in _nodes(rhs):
        if isinstance(node, sig | log | exp):
            out.append(rhs.xreplace({node: node.func(2 * node.args[0])}))
        elif isinstance(node, AppliedUndef) and node.has(phi):
            out.append(rhs.xreplace({node: 2 * node}))
    return out


EQUAL_OPERATORS: tuple[Operator, ...] = (
    flip_sign,
    add_one,
    double,
    change_constants,
    swap_pairs,
    drop_a_term,
    other_values,
    scale_an_argument,
    add_parameter,
)
OPTIMUM_OPERATORS: tuple[Operator, ...] = (
    flip_sign,
    add_parameter,
    negative_multiple,
    change_exponent,
    swap_pairs,
    drop_a_term,
    change_constants,
    scale_an_argument,
)
LIMIT_OPERATORS: tuple[Operator, ...] = (other_values,)


def operators(step: Step) -> tuple[Operator, ...]:
    if isinstance(step.relation, Equal):
        return EQUAL_OPERATORS
    if isinstance(step.relation, Optimum):
        return OPTIMUM_OPERATORS
    if isinstance(step.relation, Limit):
        return LIMIT_OPERATORS
    raise TypeError(f"no mutation operators for {step.relation!r}")


def mutants(step: Step, context: Context, count: int) -> list[tuple[str, Expr]]:
    """Up to ``count`` confirmed-false mutants of the step's rhs, taking operators in turn."""
    queues = [[(op.__name__, m) for m in op(step.rhs, step)] for op in operators(step)]
    chosen: list[tuple[str, Expr]] = []
    seen: set[Basic] = {step.rhs}
    while len(chosen) < count and any(queues):
        for queue in queues:
            while queue:
                name, candidate = queue.pop(0)
                if candidate in seen:
                    continue
                seen.add(candidate)
                if is_false(Step(step.relation, step.lhs, candidate, name), context):
                    chosen.append((name, candidate))
                    break
            if len(chosen) >= count:
                break
    return chosen


# --- the oracle ----------------------------------------------------------------------


@cache
def _prepared(expr: Basic, context: Context) -> Expr:
    """``expr`` with definitions and sig unfolded, and symbolic ranges instantiated."""
    return _instantiate(_unfold(expr, context))


def _unfold(expr: Basic, context: Context) -> Expr:
    out = sympify(expr)
    for _ in range(5):
        for name, value in context.definitions:
            out = out.xreplace({name: value})
    return out.replace(lambda e: isinstance(e, sig), lambda e: sig.formula(e.args[0]))


def _instantiate(expr: Expr) -> Expr:
    ranges: set[Symbol] = set()
    for obj in expr.atoms(Sum, Product):
        for _, lower, upper in obj.limits:
            ranges |= lower.free_symbols | upper.free_symbols
    bound = {lim[0] for obj in expr.atoms(Sum, Product) for lim in obj.limits}
    out = expr.xreplace({s: Integer(SIZE) for s in ranges - bound})
    return out.doit() if out.has(Sum, Product, Subs) else out


def _atoms(exprs: Sequence[Expr]) -> list[Basic]:
    found: set[Basic] = set()
    for e in exprs:
        undef = e.atoms(AppliedUndef)
        top = {u for u in undef if not any(u != v and v.has(u) for v in undef)}
        found |= top
        masked = e.xreplace({u: Integer(0) for u in top})
        indexed = masked.atoms(Indexed)
        labels = {a.base.label for a in indexed}
        found |= indexed
        found |= {s for s in masked.free_symbols if isinstance(s, Symbol) and s not in labels}
    return sorted(found, key=str)


def _sample(atom: Basic, context: Context, rng: random.Random) -> Expr:
    for sym, domain in context.domains:
        if atom == sym or (isinstance(atom, Indexed) and atom.base.label == sym):
            if domain == "binary":
                return Integer(rng.randint(0, 1))
            if domain == "unit_interval":
                return Rational(rng.randint(1, 9), 10)
    if atom.is_positive:
        return Rational(rng.randint(1, 30), rng.randint(1, 10))
    return Rational(rng.randint(-30, 30), rng.randint(1, 10))


def _value(expr: Expr, point: dict[Basic, Expr]) -> Float | None:
    val = expr.xreplace(point).evalf(PRECISION)
    if not val.is_number or val.has(oo, -oo, zoo, nan):  # e.g. a factorial at a non-integer
        return None
    re, im = val.as_real_imag()
    if abs(im) > 1e-20 or not re.is_finite:
        return None
    return re  # type: ignore[no-any-return]


def _far(a: Expr, b: Expr) -> bool:
    """Relative difference beyond rounding (values are computed with 30 digits)."""
    return bool(abs(a - b) > Float("1e-15", PRECISION) * (abs(a) + abs(b)) + Float("1e-200"))


def is_false(step: Step, context: Context, tries: int = 30, seed: int = 1) -> bool:
    """True when a numeric witness shows the step's claim is false."""
    rng = random.Random(seed)
    lhs, rhs = _prepared(step.lhs, context), _prepared(step.rhs, context)
    rel = step.relation
    if isinstance(rel, Limit):
        return _limit_is_false(lhs, rhs, rel)
    atoms = _atoms([lhs, rhs])
    if isinstance(rel, Equal):
        for _ in range(tries):
            point = {a: _sample(a, context, rng) for a in atoms}
            lv, rv = _value(lhs, point), _value(rhs, point)
            if lv is not None and rv is not None and _far(lv, rv):
                return True
        return False
    assert isinstance(rel, Optimum)
    a = lhs if rel.lhs_sense == "min" else -lhs
    b = rhs if rel.rhs_sense == "min" else -rhs
    moving = [t for t in atoms if t.has(*rel.params)]
    fixed = [t for t in atoms if t not in moving]
    for _ in range(3):
        data = {t: _sample(t, context, rng) for t in fixed}
        samples = []
        for _ in range(tries // 2):
            point = {**data, **{t: _sample(t, context, rng) for t in moving}}
            av, bv = _value(a, point), _value(b, point)
            if av is not None and bv is not None:
                samples.append((av, bv))
        for ap, bp in samples:
            for aq, bq in samples:
                if ap < aq and bp > bq and _far(ap, aq) and _far(bp, bq):
                    return True
    return False


def _limit_is_false(expr: Expr, value: Expr, rel: Limit) -> bool:
    """``expr → value`` fails when, close to the point, ``expr`` is finite and far from ``value``.

    Close: ``var = ±60`` for ``±∞``, ``10⁻¹²`` away (on the claimed side) otherwise.  Far:
    more than ``10⁻⁶`` apart, or, for a claimed ``±∞``, ``|expr| < 10⁶``.
    """
    if rel.point in (oo, -oo):
        near = [Integer(60) if rel.point == oo else Integer(-60)]
    else:
        eps = Rational(1, 10**12)
        sides = {"+": [eps], "-": [-eps], "+-": [eps, -eps]}[rel.direction]
        near = [rel.point + h for h in sides]
    for point in near:
        got = _value(expr, {rel.var: point})
        if got is None:
            return False
        if value in (oo, -oo):
            if abs(got) >= 1e6:
                return False
        elif abs(got - value) <= 1e-6:
            return False
    return True
