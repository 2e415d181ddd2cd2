"""Normal forms the kernel compares: definitions unfolded, Σ/∏ made linear.

Every rewrite here is an identity (under the assumptions SymPy can see and the
declared domains of :class:`~calcproof.assumptions.Facts`), so a difference that
normalises to zero proves the equation wherever both sides are defined.  Sums are
compared *summand-wise*: ``Σ_L a - Σ_L b = Σ_L (a - b)``, so a nested Σ with a
symbolic (or a 1000-term concrete) range costs no more than its summand.

Ranges follow the usual convention, not SymPy's: a range whose upper bound is
below its lower bound is empty (a sum of no terms is 0, a product 1).  Wherever a
closed form from SymPy is used, the range is first shown to be non-empty.

Abstraction (replacing data, network outputs, Σ/∏ and derivatives by plain
symbols) only ever replaces a *whole* node that no surrounding operator binds
into: an unknown function under ``d/dx`` is abstracted together with its
derivative, never on its own (that would make ``d/dx f(x)`` zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sympy import (
    Abs,
    Add,
    Basic,
    Derivative,
    Dummy,
    Expr,
    Indexed,
    Integer,
    Integral,
    Mul,
    Pow,
    Product,
    Subs,
    Sum,
    Symbol,
    exp,
    expand,
    log,
    simplify,
    sympify,
)
from sympy import Limit as LimitExpr

from calcproof.assumptions import NO_FACTS, Facts, count
from calcproof.losses import UNKNOWN_APPLICATIONS, sig

OPAQUE = (Indexed, *UNKNOWN_APPLICATIONS, Sum, Product, Derivative, Subs, Integral, LimitExpr)
"""Nodes that abstraction replaces as a whole (their insides are never abstracted alone)."""

BINDERS = (Derivative, Subs, Integral, LimitExpr)
"""Operators that bind a variable of their argument; their insides stay as they are."""

Limits = tuple[tuple[Expr, Expr, Expr], ...]
"""Sum limits ``((var, lower, upper), ...)``, innermost first (SymPy's order)."""


@dataclass(frozen=True)
class Term:
    """``Σ_limits summand`` (a plain term when ``limits`` is empty)."""

    limits: Limits
    summand: Expr


def unfold(expr: Basic, definitions: Sequence[tuple[Basic, Expr]] = ()) -> Expr:
    """Replace defined names by their values, ``sig`` by its formula, evaluate ``Subs``/``d/dx``."""
    out = sympify(expr)
    for _ in range(20):  # definitions may refer to earlier ones
        before = out
        for name, value in definitions:
            out = out.xreplace({name: value})
        if out == before:
            break
    out = out.replace(lambda e: isinstance(e, sig), lambda e: sig.formula(e.args[0]))
    if out.has(Subs) or out.has(Derivative):
        out = out.doit(deep=True, sum=False, product=False)
    return empty_ranges(out)


def empty_ranges(expr: Basic) -> Expr:
    """Replace every Σ (∏) whose concrete range is empty by 0 (1): the usual convention.

    SymPy follows Karr's convention, in which ``Σ_{k=3}^{1} x = -x``; a reader of a
    derivation means the empty sum.  Limits are rewritten outermost first, so a
    range that is empty for every value of an outer index is caught too.
    """

    def empty(node: Basic) -> bool:
        return isinstance(node, Sum | Product) and any(
            bool((upper - lower + 1).is_negative) for _, lower, upper in node.limits
        )

    def value(node: Basic) -> Expr:
        return Integer(0) if isinstance(node, Sum) else Integer(1)

    out = sympify(expr)
    if not out.has(Sum, Product):
        return out
    return out.replace(empty, value)


def positive(expr: Expr, facts: Facts = NO_FACTS) -> bool:
    """True only when ``expr`` is provably positive (see :meth:`Facts.positive`)."""
    return facts.positive(expr)


def expand_logs(expr: Expr, facts: Facts = NO_FACTS) -> Expr:
    """``log(ab) -> log a + log b``, ``log(b^e) -> e log b``, ``log(e^u) -> u``, ``log Π -> Σ log``.

    Side conditions: the factors and the base are shown ≥ 0 (at 0 both sides are
    undefined, so the rewrite is an identity wherever either side is defined), the
    exponent and ``u`` are shown real.  Unlike SymPy's ``expand_log`` this uses the
    declared domains (λ in (0, 1) makes ``1 - λ`` positive).
    """
    if not expr.has(log):
        return expr
    return expr.replace(
        lambda e: isinstance(e, log) and len(e.args) == 1, lambda e: _log(e.args[0], facts)
    )


def _log(arg: Expr, facts: Facts, depth: int = 0) -> Expr:
    if depth > 30:
        return log(arg)
    if isinstance(arg, Mul) and all(facts.nonnegative(a) for a in arg.args):
        return Add(*[_log(a, facts, depth + 1) for a in arg.args])
    if (
        isinstance(arg, Pow)
        and facts.real(arg.exp)
        and arg.exp != 0
        and facts.nonnegative(arg.base)
    ):
        return arg.exp * _log(arg.base, facts, depth + 1)
    if isinstance(arg, Pow) and arg.exp.is_even and facts.real(arg.base):
        return arg.exp * _log(Abs(arg.base), facts, depth + 1)  # log b^(2n) = 2n log|b|
    if isinstance(arg, exp) and facts.real(arg.args[0]):
        return arg.args[0]
    if isinstance(arg, Product) and facts.nonnegative(arg.function):
        return Sum(_log(arg.function, facts, depth + 1), *arg.limits)
    return log(arg)


def linear_terms(expr: Expr, depth: int = 0, facts: Facts = NO_FACTS) -> list[Term]:
    """Split ``expr`` into a list of (possibly summed) terms whose total is ``expr``.

    Identities used: linearity of Σ; constants moved into Σ; nested Σ merged;
    ``log Π_L g = Σ_L log g`` when ``g > 0``; ``Σ_{v=a}^{b} c = (b - a + 1) c``
    when ``c`` is free of ``v``; SymPy's ``expand`` (which expands logs only
    where its assumptions allow).
    """
    if depth > 40:
        return [Term((), expr)]
    if isinstance(expr, Add):
        return [t for arg in expr.args for t in linear_terms(arg, depth + 1, facts)]
    if isinstance(expr, Sum):
        return _sum_terms(expr, depth, facts)
    if isinstance(expr, Mul):
        sums = [a for a in expr.args if _splits(a)]
        if len(sums) == 1:
            coeff = Mul(*[a for a in expr.args if a is not sums[0]])
            out = []
            for term in linear_terms(sums[0], depth + 1, facts):
                limits = _fresh(term.limits, coeff.free_symbols)
                summand = term.summand.xreplace(_renaming(term.limits, limits))
                out.extend(_reduce(limits, coeff * summand, depth, facts))
            return out
    if isinstance(expr, log) and isinstance(expr.args[0], Product):
        prod = expr.args[0]
        if facts.nonnegative(prod.function):
            return linear_terms(Sum(log(prod.function), *prod.limits), depth + 1, facts)
    if not expr.has(Sum, Product):
        expanded = expand(expr)
        if isinstance(expanded, Add) and expanded != expr:
            return [Term((), arg) for arg in expanded.args]
    return [Term((), expr)]


def _splits(expr: Expr) -> bool:
    """True for a factor that :func:`linear_terms` can split into several terms."""
    if isinstance(expr, Sum | Add):
        return True
    return isinstance(expr, log) and isinstance(expr.args[0], Product)


def _sum_terms(expr: Sum, depth: int, facts: Facts) -> list[Term]:
    limits = _fresh(tuple(tuple(lim) for lim in expr.limits), set())
    summand = expr.function.xreplace(_renaming(tuple(tuple(lim) for lim in expr.limits), limits))
    out: list[Term] = []
    for inner in linear_terms(summand, depth + 1, facts):
        out.extend(_reduce(inner.limits + limits, inner.summand, depth, facts))
    return out


def _fresh(limits: Iterable[tuple[Expr, Expr, Expr]], avoid: set[Basic]) -> Limits:
    """The same limits with fresh bound variables (so nothing can be captured)."""
    fresh = []
    for var, lower, upper in limits:
        assumptions = {"integer": True}
        if lower.is_positive:
            assumptions["positive"] = True
        fresh.append((Dummy(str(var), **assumptions), lower, upper))
    return tuple(fresh)


def _renaming(old: Limits, new: Limits) -> dict[Basic, Basic]:
    return {o[0]: n[0] for o, n in zip(old, new, strict=True)}


def _reduce(limits: Limits, summand: Expr, depth: int, facts: Facts = NO_FACTS) -> list[Term]:
    """Drop limits whose variable the summand does not use: ``Σ_{v=a}^{b} c = n c``.

    ``n`` is the number of terms under the usual convention, ``max(0, b - a + 1)``
    (just ``b - a + 1`` where the range is shown non-empty).
    """
    kept: list[tuple[Expr, Expr, Expr]] = []
    factor: Expr = Integer(1)
    for k, (var, lower, upper) in enumerate(limits):
        used_in_bounds = any(
            var in (lo.free_symbols | up.free_symbols)
            for j, (_, lo, up) in enumerate(limits)
            if j != k
        )
        if var not in summand.free_symbols and not used_in_bounds:
            factor *= count(lower, upper)
        else:
            kept.append((var, lower, upper))
    summand = factor * summand
    if not kept:
        return linear_terms(summand, depth + 1, facts) if summand.has(Sum) else [Term((), summand)]
    expanded = expand(summand) if not summand.has(Sum, Product) else summand
    if isinstance(expanded, Add):
        return [t for arg in expanded.args for t in _reduce(tuple(kept), arg, depth + 1, facts)]
    return [Term(tuple(kept), expanded)]


def canonical(term: Term) -> tuple[tuple[tuple[Expr, Expr], ...], Expr]:
    """The term's key (its bounds) and its summand with canonical bound variables."""
    limits = term.limits
    rectangular = all(
        not (lo.free_symbols | up.free_symbols) & {v for v, _, _ in limits} for _, lo, up in limits
    )
    if rectangular:
        limits = tuple(sorted(limits, key=lambda lim: (str(lim[1]), str(lim[2]))))
    mapping: dict[Basic, Basic] = {}
    key = []
    for n, (var, lower, upper) in enumerate(limits):
        assumptions = {"integer": True}
        if lower.is_positive:
            assumptions["positive"] = True
        mapping[var] = Symbol(f"ι{n}", **assumptions)
        key.append((lower.xreplace(mapping), upper.xreplace(mapping)))
    return tuple(key), term.summand.xreplace(mapping)


def group(terms: Iterable[Term]) -> dict[tuple[tuple[Expr, Expr], ...], Expr]:
    """Sum the summands of terms with the same bounds (``()`` collects the plain terms)."""
    groups: dict[tuple[tuple[Expr, Expr], ...], list[Expr]] = {}
    for term in terms:
        key, summand = canonical(term)
        groups.setdefault(key, []).append(summand)
    return {key: Add(*parts) for key, parts in groups.items()}


def atoms_to_symbols(expr: Expr, facts: Facts = NO_FACTS) -> Expr:
    """Replace indexed data, network outputs, leftover Σ/∏ and derivatives by plain symbols.

    Only outermost opaque nodes are replaced, each as a whole: nothing inside a
    Σ/∏, a derivative, an integral, a ``Subs`` or a limit is abstracted on its own,
    because those operators depend on their argument's variables.  Each distinct
    node becomes one fresh symbol carrying what is known of it (positive, real);
    this only forgets facts, so a zero it proves is a true zero.
    """
    expr = canonical_bound(expr)
    atoms = [a for a in expr.atoms(*OPAQUE) if not _bound_inside(a, expr)]
    top = [a for a in atoms if not any(a != b and b.has(a) for b in atoms)]
    mapping = {}
    for atom in sorted(top, key=str):
        assumptions = {}
        if facts.positive(atom):
            assumptions["positive"] = True
        elif atom.is_real or facts.real(atom):
            assumptions["real"] = True
        mapping[atom] = Dummy("a", **assumptions)
    return expr.xreplace(mapping)


def _bound_inside(atom: Basic, expr: Basic) -> bool:
    """True when ``atom`` occurs inside a binder (d/dx, ∫, Subs, lim) of ``expr``."""
    return any(b != atom and b.has(atom) for b in expr.atoms(*BINDERS))


def canonical_bound(expr: Expr, depth: int = 0) -> Expr:
    """Rename the bound variables of every Σ/∏ by nesting depth and position.

    Two sums that differ only in the names of their indices become identical.
    """
    if not expr.args or not expr.has(Sum, Product):
        return expr
    if isinstance(expr, Sum | Product):
        mapping = {
            var: Symbol(f"κ{depth}_{n}", integer=True, positive=bool(lower.is_positive) or None)
            for n, (var, lower, _) in enumerate(expr.limits)
        }
        limits = [
            (mapping[var], lower.xreplace(mapping), upper.xreplace(mapping))
            for var, lower, upper in expr.limits
        ]
        body = canonical_bound(expr.function.xreplace(mapping), depth + 1)
        return type(expr)(body, *limits)
    return expr.func(*[canonical_bound(a, depth) for a in expr.args])


def is_zero(expr: Expr, facts: Facts = NO_FACTS) -> str | None:
    """The name of the first method that reduces ``expr`` to exactly 0, else ``None``.

    Only exact symbolic reductions count; nothing numerical, and no ``force=True``.
    Logs are expanded first under the declared domains (:func:`expand_logs`).
    """
    if expr == 0:
        return "syntactic"
    plain = atoms_to_symbols(expand_logs(expr, facts), facts)
    for name, method in (("expand", expand), ("simplify", simplify)):
        if method(plain) == 0:
            return name
    rewritten = plain.rewrite(exp)
    if rewritten != plain and simplify(rewritten) == 0:
        return "simplify (exp form)"
    return None
