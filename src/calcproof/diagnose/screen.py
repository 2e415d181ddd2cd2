"""A cheap numeric screen for candidate corrections, before the kernel's prover sees them.

The screen only *rejects*: a candidate is dropped when, at a random point, the
summand-wise difference of the two sides (for ``=``), or the parameter-dependent
parts of the two objectives (for argmin/argmax), visibly fail to match.  Whatever
it passes still has to be proved by the kernel, so the screen can cost a diagnosis
but never make a wrong one.  Values follow the declared domains (binary, unit
interval) so that a correction true only on the domain is not rejected.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache

from sympy import (
    Basic,
    Derivative,
    Dummy,
    Expr,
    Float,
    Indexed,
    Integer,
    Integral,
    Product,
    Rational,
    Sum,
)
from sympy import Limit as LimitExpr
from sympy.core.function import AppliedUndef

from calcproof.derivation import Context
from calcproof.verify.normal import Term, expand_logs, group, linear_terms

PRECISION = 30
TRIES = 2
Groups = dict[tuple[tuple[Expr, Expr], ...], Expr]


def terms(expr: Expr, ctx: Context) -> list[Term]:
    """The summand-wise terms of an unfolded side (logs expanded under the declared domains)."""
    return linear_terms(expand_logs(expr, ctx.facts), facts=ctx.facts)


def equal_plausible(lhs: Sequence[Term], rhs: Expr, ctx: Context, seed: int = 0) -> bool | None:
    """False when some Σ-group of ``lhs − rhs`` is visibly non-zero at a random point;
    None when some group could not be evaluated (a Σ/∏ inside a function, a derivative)."""
    groups = group([*lhs, *(Term(t.limits, -t.summand) for t in terms(rhs, ctx))])
    rng = random.Random(seed)
    unsure = False
    for summand in groups.values():
        if summand == 0:
            continue
        for _ in range(TRIES):
            point = _point([summand], ctx, rng, ())
            if point is None:
                unsure = True
                break
            value, scale = _value(summand, point)
            if value is not None and abs(value) > Float("1e-12", PRECISION) * (1 + scale):
                return False
    return None if unsure else True


def optimum_plausible(
    a: Sequence[Term], b: Sequence[Term], params: tuple[Basic, ...], ctx: Context, seed: int = 0
) -> bool | None:
    """False when the φ-dependent parts of ``a`` and ``b`` are visibly not proportional (c > 0);
    None when they could not be evaluated."""
    ga, gb = group(a), group(b)
    keys = sorted(set(ga) | set(gb), key=str)
    exprs = [ga.get(k, Integer(0)) for k in keys] + [gb.get(k, Integer(0)) for k in keys]
    rng = random.Random(seed)
    for _ in range(TRIES):
        p = _point(exprs, ctx, rng, params)
        q = _point(exprs, ctx, rng, params, keep=p)
        if p is None or q is None:
            return None
        moves = []
        for key in keys:
            da = _delta(ga.get(key, Integer(0)), p, q)
            db = _delta(gb.get(key, Integer(0)), p, q)
            if da is None or db is None:
                return None
            moves.append((da, db))
        if not _proportional(moves):
            return False
    return True


def _proportional(moves: list[tuple[Float, Float]]) -> bool:
    big = max(moves, key=lambda m: abs(m[1]), default=None)
    scale = 1 + sum(abs(da) + abs(db) for da, db in moves)
    tol = Float("1e-12", PRECISION) * scale
    if big is None or abs(big[1]) <= tol:
        return all(abs(da) <= tol for da, _ in moves)
    ratio = big[0] / big[1]
    if ratio <= 0:
        return False
    return all(abs(da - ratio * db) <= tol * (1 + abs(ratio)) for da, db in moves)


def _delta(expr: Expr, p: dict[Basic, Expr], q: dict[Basic, Expr]) -> Float | None:
    vp, _ = _value(expr, p)
    vq, _ = _value(expr, q)
    return None if vp is None or vq is None else vp - vq


OPAQUE = (Sum, Product, Derivative, Integral, LimitExpr)


def _point(
    exprs: Sequence[Expr],
    ctx: Context,
    rng: random.Random,
    params: tuple[Basic, ...],
    keep: dict[Basic, Expr] | None = None,
) -> dict[Basic, Expr] | None:
    """Random values for the atoms of ``exprs``; with ``keep``, only the φ-dependent ones move."""
    if any(e.has(*OPAQUE) for e in exprs):
        return None
    atoms: set[Basic] = set()
    for e in exprs:
        undef = e.atoms(AppliedUndef)
        atoms |= {u for u in undef if not any(u != v and v.has(u) for v in undef)}
        masks = {u: Dummy() for u in undef}  # not 0: a masked output could cancel an atom
        masked = e.xreplace(masks)
        indexed = masked.atoms(Indexed)
        atoms |= indexed
        labels = {i.base.label for i in indexed} | {i.base for i in indexed}
        hidden = set(masks.values())
        atoms |= {s for s in masked.free_symbols if s not in labels and s not in hidden}
    point = {}
    for atom in sorted(atoms, key=str):
        moving = any(atom == p or atom.has(p) for p in params)
        if keep is not None and not moving:
            point[atom] = keep[atom]
        else:
            point[atom] = _sample(atom, ctx, rng)
    return point


def _sample(atom: Basic, ctx: Context, rng: random.Random) -> Expr:
    label = atom.base.label if isinstance(atom, Indexed) else atom
    for sym, domain in ctx.domains:
        if sym in (atom, label):
            if domain == "binary":
                return Integer(rng.randint(0, 1))
            if domain == "unit_interval":
                return Rational(rng.randint(1, 9), 10)
    if getattr(atom, "is_integer", False):
        return Integer(rng.randint(1, 4))
    if getattr(atom, "is_positive", False):
        return Rational(rng.randint(1, 30), rng.randint(1, 7))
    return Rational(rng.randint(-30, 30), rng.randint(1, 7)) + Rational(1, 11)


def _value(expr: Expr, point: dict[Basic, Expr]) -> tuple[Float | None, Float]:
    """``expr`` at ``point`` (None unless a finite real) and the size of its terms."""
    try:
        val = expr.xreplace(point).evalf(PRECISION)
        parts = [abs(a.xreplace(point).evalf(PRECISION)) for a in expr.as_ordered_terms()]
    except (TypeError, ValueError, ZeroDivisionError):
        return None, Float(0)
    if not val.is_number or not val.is_real or not val.is_finite:
        return None, Float(0)
    scale = sum((p for p in parts if p.is_real and p.is_finite), Float(0))
    return val, scale


SIZES = (2,)
"""A symbolic Σ/∏ bound (``I``, ``D``) is given these values by :func:`whole_plausible`."""


def whole_plausible(
    lhs: Expr, rhs: Expr, ctx: Context, params: tuple[Basic, ...] = (), seed: int = 0
) -> bool:
    """The screen for sides the Σ-groups cannot reach (a ∏, a Σ under a log): symbolic bounds
    set to small sizes, the Σ/∏ written out, both sides evaluated at random points.  False
    when they visibly differ (``=``, no ``params``) or, for ``params``, when a move of the
    parameters changes the two objectives in opposite directions."""
    rng = random.Random(seed)
    for n in SIZES:
        pair = _written_out(lhs, rhs, n)
        if pair is None:
            return True
        a, b = pair
        for _ in range(2 * TRIES if params else TRIES):  # a sign test: more pairs
            p = _point([a, b], ctx, rng, params)
            if p is None:
                return True
            if not params:
                va, scale = _value(a, p)
                vb, _ = _value(b, p)
                tol = Float("1e-12", PRECISION) * (1 + scale + abs(vb or 0))
                if va is not None and vb is not None and abs(va - vb) > tol:
                    return False
                continue
            q = _point([a, b], ctx, rng, params, keep=p)
            da, db = (None, None) if q is None else (_delta(a, p, q), _delta(b, p, q))
            if da is not None and db is not None and da * db < 0:
                tol = Float("1e-12", PRECISION) * (1 + abs(da) + abs(db))
                if abs(da) > tol and abs(db) > tol:
                    return False
    return True


def _written_out(lhs: Expr, rhs: Expr, n: int) -> tuple[Expr, Expr] | None:
    """Both sides with the symbolic bounds of their Σ/∏ set to ``n`` and the Σ/∏ written out."""
    bounds: set[Basic] = set()
    for side in (lhs, rhs):
        for obj in side.atoms(Sum, Product):
            for _, lo, hi in obj.limits:
                bounds |= lo.free_symbols | hi.free_symbols
    sizes = {s: Integer(n) for s in bounds}
    if lhs.has(*OPAQUE[2:]) or rhs.has(*OPAQUE[2:]):
        return None
    try:
        return _doit(lhs.xreplace(sizes)), _doit(rhs.xreplace(sizes))
    except Exception:  # a side SymPy cannot write out is left to the prover
        return None


@lru_cache(maxsize=64)
def _doit(expr: Expr) -> Expr:
    """``expr`` written out (cached: the left-hand side is the same for every candidate)."""
    return expr.doit()
