"""Candidate corrections by slip kind, each one edit of the right-hand side as written.

A term with the wrong sign, an extra term, a constant that differs (at one place,
or every copy of it at once), a divisor ``I`` for ``I − 1``, an exponent, a Σ/∏
range off by one, two symbols swapped, a function replaced, a term moved out of
its Σ.  Every generator yields ``(kind, term, corrected rhs)``; none is checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Indexed,
    Integer,
    Mul,
    Pow,
    Product,
    Rational,
    Sum,
    Symbol,
    Tuple,
    exp,
    log,
    preorder_traversal,
    sqrt,
)
from sympy.core.function import AppliedUndef

from calcproof.diagnose.tree import Edit, Path, at, paths
from calcproof.losses import sig


def whole(rhs: Expr) -> Iterator[Edit]:
    """The whole right-hand side with the wrong sign, or (a single term) not to be there."""
    yield "wrong sign", rhs, -rhs
    if not isinstance(rhs, Add) and rhs != 0:
        yield "extra term", rhs, Integer(0)


def signs(rhs: Expr) -> Iterator[Edit]:
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
    """A number changed at one place, or at every place it appears (with its reciprocal);
    numbers in an exponent are the exponent's slip (:func:`exponents`), not a constant's."""
    numbers: list[Rational] = []
    for path, node in paths(rhs):
        if isinstance(node, Rational) and node not in (Integer(-1), Integer(0)):
            if _in_exponent(rhs, path):
                continue
            for new in _other_values(node):
                yield "constant factor", node, at(rhs, path, new)
            if abs(node) not in numbers and abs(node) != 1:
                numbers.append(abs(node))
    for k in numbers:
        for new in _other_values(k):
            if new > 0:
                swap = {k: new, -k: -new, 1 / k: 1 / new, -1 / k: -1 / new}
                yield "constant factor", k, _renumbered(rhs, swap)
    for c in (Rational(1, 2), Integer(2), Rational(1, 4), Integer(4), Rational(1, 3), Integer(3)):
        yield "constant factor", rhs, c * rhs  # the whole side scaled (a term, not a number)
    for path, node in paths(rhs):
        if isinstance(node, Add):
            for n, arg in enumerate(node.args):
                for c in (Rational(1, 2), Integer(2)):
                    yield "constant factor", arg, at(rhs, (*path, n), c * arg)


def _in_exponent(expr: Basic, path: Path) -> bool:
    """True when the node at ``path`` is (part of) the exponent of a power."""
    node = expr
    for k in path:
        if isinstance(node, Pow) and k == 1:
            return True
        node = node.args[k]
    return False


def _renumbered(expr: Basic, swap: dict[Rational, Rational]) -> Basic:
    """``expr`` with the numbers of ``swap`` replaced, except in exponents, Σ/∏ limits,
    indices and the arguments of network outputs."""
    if isinstance(expr, Rational):
        return swap.get(expr, expr)
    if not expr.args or isinstance(expr, Tuple | Indexed | AppliedUndef):
        return expr
    if isinstance(expr, Pow):
        return Pow(_renumbered(expr.base, swap), expr.exp)
    return expr.func(*(_renumbered(a, swap) for a in expr.args))


def _other_values(k: Rational) -> list[Rational]:
    options = [k / 2, 2 * k, k - 1, k + 1, 1 / k]
    if not k.is_Integer:
        options += [Rational(k.p, k.q - 1), Rational(k.p, k.q + 1)]
    return [new for new in dict.fromkeys(options) if new not in (k, 0)]


def counts(rhs: Expr) -> Iterator[Edit]:
    """``1/I`` vs ``1/(I − 1)``: a symbol ``n`` (a count) shifted by one where it is a divisor."""
    for path, node in paths(rhs):
        if isinstance(node, Pow) and node.exp.is_negative:
            base = node.base
            for new in (base - 1, base + 1):
                yield "constant factor", node, at(rhs, path, Pow(new, node.exp))


def exponents(rhs: Expr) -> Iterator[Edit]:
    """A lost square: ``|u| → u²``, ``u → u²`` for a bracketed sum ``u``; ``u^e → u^(e ± 1)``,
    ``u^(2e)``, ``u^(e/2)``; a root SymPy folded into a product (``u → √u``, ``u → u²``)."""
    for path, node in paths(rhs):
        if isinstance(node, Pow) and node.exp.is_Rational:
            e = node.exp
            for new in dict.fromkeys((e / 2, e - 1, e + 1, 2 * e, -e)):
                if new not in (0, 1) or (new == 1 and e == 2) or not e.is_Integer:
                    yield "exponent", node, at(rhs, path, node.base**new)
        elif isinstance(node, Abs):
            yield "exponent", node, at(rhs, path, node.args[0] ** 2)
        elif isinstance(node, Add) and path:
            yield "exponent", node, at(rhs, path, node**2)
        elif isinstance(node, Mul) and not node.is_number and path:
            yield "exponent", node, at(rhs, path, node**2)
            yield "exponent", node, at(rhs, path, sqrt(node))
        elif isinstance(node, Integer) and node > 1:
            yield "exponent", node, at(rhs, path, sqrt(node))
            yield "exponent", node, at(rhs, path, node**2)
        if isinstance(node, Mul):
            top, bottom = node.as_numer_denom()
            if bottom != 1 and not bottom.is_Number:  # a denominator SymPy multiplied out
                for new in (top / sqrt(bottom), top / bottom**2):
                    yield "exponent", 1 / bottom, at(rhs, path, new)


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
    """The letters, data entries and network outputs of ``rhs`` (also inside arguments)."""
    bound = {lim[0] for obj in rhs.atoms(Sum, Product) for lim in obj.limits}
    found: list[Basic] = []
    for node in preorder_traversal(rhs):
        if isinstance(node, Tuple):
            continue
        plain = isinstance(node, Symbol) and node not in bound
        if (plain or isinstance(node, Indexed | AppliedUndef)) and node not in found:
            found.append(node)
    labels = {i.base.label for i in found if isinstance(i, Indexed)}
    return [a for a in found if a not in labels][:12]


def swaps(rhs: Expr, lhs: Expr) -> Iterator[Edit]:
    """Two letters (or entries, outputs) swapped; two Σ/∏ indices swapped in a body (or an
    index with one that strays there from another Σ, of either side); the
    indices of an entry ``y_{id}`` written the other way round."""
    atoms = _atoms(rhs)
    for n, a in enumerate(atoms):
        for b in atoms[n + 1 :]:
            yield "swapped symbols", Tuple(a, b), rhs.xreplace({a: b, b: a})
    indices = {
        lim[0] for side in (lhs, rhs) for obj in side.atoms(Sum, Product) for lim in obj.limits
    }
    for path, node in paths(rhs):
        if isinstance(node, Sum | Product):
            stray = sorted(node.function.free_symbols & indices - set(_indices(node)), key=str)
            names = _indices(node) + stray
            for n, a in enumerate(names):
                for b in names[n + 1 :]:
                    body = node.function.xreplace({a: b, b: a})
                    yield (
                        "swapped symbols",
                        Tuple(a, b),
                        at(rhs, path, node.func(body, *node.limits)),
                    )
        elif isinstance(node, Indexed) and len(node.indices) == 2:
            flipped = node.base[tuple(reversed(node.indices))]
            yield "swapped symbols", Tuple(*node.indices), at(rhs, path, flipped)


def _indices(total: Sum | Product) -> list[Basic]:
    """The indices bound by ``total`` and by the Σ/∏ directly nested in it."""
    out = [lim[0] for lim in total.limits]
    inner = total.function
    while isinstance(inner, Sum | Product):
        out += [lim[0] for lim in inner.limits]
        inner = inner.function
    for obj in total.function.atoms(Sum, Product):
        out += [lim[0] for lim in obj.limits]
    return list(dict.fromkeys(out))


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
    """A term next to ``c Σ…`` (or a factor next to ``Σ…``/``∏…``) that belongs inside:
    move it back in, at the innermost nested Σ/∏."""
    for path, node in paths(rhs):
        if isinstance(node, Add):
            yield from _terms_into(rhs, path, node)
        elif isinstance(node, Mul):
            yield from _factors_into(rhs, path, node)


def _terms_into(rhs: Expr, path: Path, node: Add) -> Iterator[Edit]:
    for n, arg in enumerate(node.args):
        coeff, total = arg.as_independent(Sum, as_Add=False)
        if not isinstance(total, Sum):
            continue
        for k, term in enumerate(node.args):
            if k == n:
                continue
            rest = [a for j, a in enumerate(node.args) if j not in (n, k)]
            for inner in dict.fromkeys((term, term / coeff)):  # as bracketed, or as valued
                moved = _inside(total, partial(Add, inner))
                yield "outside sum", term, at(rhs, path, Add(coeff * moved, *rest))


def _factors_into(rhs: Expr, path: Path, node: Mul) -> Iterator[Edit]:
    for n, total in enumerate(node.args):
        if not isinstance(total, Sum | Product):
            continue
        for k, factor in enumerate(node.args):
            if k == n or (factor.is_number and isinstance(total, Sum)):
                continue
            rest = [a for j, a in enumerate(node.args) if j not in (n, k)]
            moved = _inside(total, partial(Mul, factor))
            yield "outside sum", factor, at(rhs, path, Mul(moved, *rest))


def _inside(total: Sum | Product, join: Callable[[Expr], Expr]) -> Expr:
    """``total`` with its innermost body (through Σ/∏ of the same kind) joined with a term."""
    inner = total.function
    if isinstance(inner, type(total)):
        return total.func(_inside(inner, join), *total.limits)
    return total.func(join(inner), *total.limits)
