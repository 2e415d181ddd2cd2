"""Candidate corrections by slip kind, each one edit of the right-hand side as written.

A term with the wrong sign, an extra term, a constant that differs (at one place,
or every copy of it at once), a divisor ``I`` for ``I − 1``, an exponent, a Σ/∏
range off by one, two symbols swapped, a function replaced, a term moved out of
its Σ.  Every generator yields ``(kind, term, corrected rhs)``; none is checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Indexed,
    Integer,
    Pow,
    Product,
    Rational,
    Sum,
    Symbol,
    Tuple,
    exp,
    log,
)
from sympy.core.function import AppliedUndef

from calcproof.diagnose.tree import Edit, at, paths
from calcproof.losses import sig


def signs(rhs: Expr) -> Iterator[Edit]:
    yield "wrong sign", rhs, -rhs
    for path, node in paths(rhs):
        if isinstance(node, Add):
            for n, arg in enumerate(node.args):
                yield "wrong sign", arg, at(rhs, (*path, n), -arg)


def extra(rhs: Expr) -> Iterator[Edit]:
    for path, node in paths(rhs):
        if isinstance(node, Add):
            for n, arg in enumerate(node.args):
                rest = Add(*[a for k, a in enumerate(node.args) if k != n])
                yield "extra term", arg, at(rhs, path, rest)


def constants(rhs: Expr) -> Iterator[Edit]:
    for path, node in paths(rhs):
        if isinstance(node, Rational) and node not in (Integer(-1), Integer(0)):
            k = node
            options = [k / 2, 2 * k, k - 1, k + 1, 1 / k]
            if not k.is_Integer:
                options += [Rational(k.p, k.q - 1), Rational(k.p, k.q + 1)]
            for new in options:
                if new != k and new != 0:
                    yield "constant factor", node, at(rhs, path, new)
    for c in (Rational(1, 2), Integer(2), Rational(1, 4), Integer(4), Rational(1, 3), Integer(3)):
        yield "constant factor", c, c * rhs


def counts(rhs: Expr) -> Iterator[Edit]:
    """``1/I`` vs ``1/(I − 1)``: a symbol ``n`` (a count) shifted by one where it is a divisor."""
    for path, node in paths(rhs):
        if isinstance(node, Pow) and node.exp.is_negative:
            base = node.base
            for new in (base - 1, base + 1):
                yield "constant factor", node, at(rhs, path, Pow(new, node.exp))


def exponents(rhs: Expr) -> Iterator[Edit]:
    """A lost square: ``|u| → u²``, ``u → u²`` for a bracketed sum ``u``; ``u^e → u^(e ± 1)`` …"""
    for path, node in paths(rhs):
        if isinstance(node, Pow) and node.exp.is_Integer:
            e = node.exp
            for new in (e / 2, e - 1, e + 1, 2 * e, -e):
                if new not in (0, 1) or (new == 1 and e == 2):
                    yield "exponent", node, at(rhs, path, node.base**new)
        elif isinstance(node, Abs):
            yield "exponent", node, at(rhs, path, node.args[0] ** 2)
        elif isinstance(node, Add) and path:
            yield "exponent", node, at(rhs, path, node**2)


def ranges(rhs: Expr) -> Iterator[Edit]:
    """A Σ/∏ bound off by one (``Σ_{i=2}`` for ``Σ_{i=1}``)."""
    for path, node in paths(rhs):
        if not isinstance(node, Sum | Product):
            continue
        for n, (var, lower, upper) in enumerate(node.limits):
            for lo, hi in (
                (lower - 1, upper),
                (lower + 1, upper),
                (lower, upper + 1),
                (lower, upper - 1),
            ):
                limits = list(node.limits)
                limits[n] = Tuple(var, lo, hi)
                new = node.func(node.function, *limits)
                yield "sum range", Tuple(var, lower, upper), at(rhs, path, new)


def _atoms(rhs: Expr) -> list[Basic]:
    bound = {lim[0] for obj in rhs.atoms(Sum, Product) for lim in obj.limits}
    found: list[Basic] = []
    for _, node in paths(rhs):
        plain = isinstance(node, Symbol) and node not in bound
        if (plain or isinstance(node, Indexed | AppliedUndef)) and node not in found:
            found.append(node)
    return found[:10]


def swaps(rhs: Expr) -> Iterator[Edit]:
    atoms = _atoms(rhs)
    for n, a in enumerate(atoms):
        for b in atoms[n + 1 :]:
            yield "swapped symbols", Tuple(a, b), rhs.xreplace({a: b, b: a})


def functions(rhs: Expr) -> Iterator[Edit]:
    for path, node in paths(rhs):
        if isinstance(node, log):
            yield "function replaced", node, at(rhs, path, exp(node.args[0]))
        elif isinstance(node, exp):
            yield "function replaced", node, at(rhs, path, log(node.args[0]))
        elif isinstance(node, sig):
            yield "function replaced", node, at(rhs, path, 1 - node)
        if isinstance(node, Add) and len(node.args) == 2 and Integer(1) in node.args:
            other = next(a for a in node.args if a != 1)
            if isinstance(-other, sig):
                yield "function replaced", node, at(rhs, path, -other)


def into_sum(rhs: Expr) -> Iterator[Edit]:
    """A term next to ``c Σ…`` that uses the Σ's index: move it back inside (all nested Σ)."""
    for path, node in paths(rhs):
        if not isinstance(node, Add):
            continue
        for n, arg in enumerate(node.args):
            coeff, total = arg.as_independent(Sum, as_Add=False)
            if not isinstance(total, Sum):
                continue
            for k, term in enumerate(node.args):
                if k == n:
                    continue
                rest = [a for j, a in enumerate(node.args) if j not in (n, k)]
                for inner in dict.fromkeys((term, term / coeff)):  # as bracketed, or as valued
                    moved = _inside(total, inner)
                    if moved is not None:
                        yield "outside sum", term, at(rhs, path, Add(coeff * moved, *rest))


def _inside(total: Sum, term: Expr) -> Expr | None:
    """``Σ (body + term)`` at the innermost nested Σ, when ``term`` uses some index."""
    indices = {lim[0] for lim in total.limits}
    inner = total.function
    if isinstance(inner, Sum):
        deeper = _inside(inner, term)
        if deeper is not None:
            return Sum(deeper, *total.limits)
    if not term.free_symbols & (indices | {lim[0] for lim in _nested(total)}):
        return None
    return Sum(inner + term, *total.limits)


def _nested(total: Sum) -> list[Tuple]:
    out = []
    inner: Basic = total.function
    while isinstance(inner, Sum):
        out.extend(inner.limits)
        inner = inner.function
    return out

