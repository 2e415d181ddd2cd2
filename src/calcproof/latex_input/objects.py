"""Post-pass: the parser's raw tree mapped onto calcproof's objects and symbol conventions.

- placeholders become ``sig``, ``Pr``, network outputs ``f(d, x[i], phi)``
  (:func:`calcproof.symbols.network`) and indexed data ``y[i, d]``;
- ``e`` is Euler's number, ``\\pi`` is π, ``\\log`` is natural (``log(x, E)`` -> ``log(x)``);
- a Σ/∏ variable is an integer *inside its Σ/∏ only* (positive when its range
  starts at 1 or more); outside, the same letter means what it means elsewhere;
- letters used as subscript indices (``y_{id}``) are positive integers within
  the chain that uses them; letters in the bounds of a Σ/∏ are integers, and
  upper limits written as one letter (``I``, ``D``) positive integers;
- φ is ``calcproof.symbols.phi``; σ and declared names are positive; everything
  else is real (the course material's reading).  A declaration always wins.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sympy
from sympy import (
    Basic,
    Derivative,
    E,
    Expr,
    Function,
    IndexedBase,
    Limit,
    Product,
    Sum,
    Symbol,
    besseli,
    pi,
)
from sympy.core.function import AppliedUndef

from calcproof.errors import InputError
from calcproof.latex_input.declarations import Declarations
from calcproof.latex_input.normalise import GREEK
from calcproof.latex_input.prepass import Entry
from calcproof.losses import Pr, sig
from calcproof.symbols import network


@dataclass(frozen=True)
class ParsedSide:
    """One side of a step, read: an expression, or the objective of argmin/argmax over params."""

    kind: str
    expr: Expr
    params: tuple[Symbol, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SymbolTable:
    """One meaning per name across a document."""

    decls: Declarations
    indices: frozenset[str] = frozenset()
    nonpositive: frozenset[str] = frozenset()
    ranges: frozenset[str] = frozenset()
    bounds: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()

    def assumptions(self, name: str) -> dict[str, bool]:
        """SymPy assumptions of a free letter: a declaration first, then how the scope uses it."""
        domain = dict(self.decls.domains).get(name)
        if name in self.decls.real:
            return {"real": True}
        if domain in ("integer", "count", "binary"):
            return (
                {"integer": True} if domain == "integer" else {"integer": True, "nonnegative": True}
            )
        if domain == "unit_interval" or self.decls.is_positive(name):
            return {"positive": True}
        if name in self.counts and name not in self.indices:
            return {"integer": True, "nonnegative": True}
        if name in self.indices:
            return (
                {"integer": True, "positive": True}
                if name not in self.nonpositive
                else {"integer": True}
            )
        if name in self.ranges:
            return {"integer": True, "positive": True}
        if name in self.bounds:
            return {"integer": True}
        return {"real": True}

    def symbol(self, name: str) -> Symbol:
        return Symbol(name, **self.assumptions(name))


@dataclass(frozen=True)
class Shape:
    """What the symbol table needs from one side: subscript indices, range sizes, bound letters."""

    indices: frozenset[str]
    nonpositive: frozenset[str]
    ranges: frozenset[str]
    bounds: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()


def decode(name: str, entries: Sequence[Entry]) -> Entry:
    """The entry a placeholder name (``cpfab``, ``cpib``) stands for."""
    code = 0
    for char in name[3:]:
        code = code * 26 + (ord(char) - ord("a") + 1)
    return entries[code - 1]


def _counted(raw: Basic, entries: Sequence[Entry]) -> set[str]:
    """Letters and data read under a factorial (``k!``, ``k_i!``): counts, 0, 1, 2, …"""
    out = set()
    for fact in raw.atoms(sympy.factorial):
        arg = fact.args[0]
        if isinstance(arg, Symbol):
            out.add(decode(arg.name, entries).name if arg.name.startswith("cps") else arg.name)
        elif isinstance(arg, AppliedUndef) and arg.func.__name__.startswith("cpi"):
            out.add(decode(arg.func.__name__, entries).name)
    return out


def shape(raw: Basic, indices: frozenset[str], entries: Sequence[Entry] = ()) -> Shape:
    """Subscript index letters, upper limits written as one letter, and letters in Σ/∏ bounds.

    Σ/∏ variables are not collected: they are bound inside their Σ/∏ only (see
    :meth:`_Builder.convert`).  An index letter that some range bound of the same
    letter lets start below 1 is an integer, not a positive one.
    """
    bound_vars = {var.name for obj in raw.atoms(Sum, Product) for var, _, _ in obj.limits}
    found, nonpositive, ranges, bounds = set(indices), set(), set(), set[str]()
    for obj in raw.atoms(Sum, Product):
        for var, lower, upper in obj.limits:
            if var.name in found and not (lower.is_number and lower >= 1):
                nonpositive.add(var.name)
            letters = (lower.free_symbols | upper.free_symbols) - {var}
            bounds.update(s.name for s in letters if isinstance(s, Symbol))
            if isinstance(upper, Symbol):
                named = upper.name.startswith("cps")  # a placeholder: N(z), x_max
                ranges.add(decode(upper.name, entries).name if named else upper.name)
    bounds -= bound_vars
    counts = frozenset(_counted(raw, entries) - bound_vars)
    return Shape(
        frozenset(found), frozenset(nonpositive), frozenset(ranges), frozenset(bounds), counts
    )


def symbol_table(shapes: Iterable[Shape], decls: Declarations) -> SymbolTable:
    """One meaning per name across the sides of one scope (a chain)."""
    shapes = list(shapes)
    found = frozenset().union(*(s.indices for s in shapes))
    nonpositive = frozenset().union(*(s.nonpositive for s in shapes))
    ranges = frozenset().union(*(s.ranges for s in shapes))
    bounds = frozenset().union(*(s.bounds for s in shapes))
    counts = frozenset().union(*(s.counts for s in shapes))
    return SymbolTable(decls, found, nonpositive, ranges - found, bounds - found, counts)


def build(raw: Basic, entries: Sequence[Entry], table: SymbolTable) -> Expr:
    """Map a raw parse onto calcproof's objects (evaluating SymPy's automatic rewrites)."""
    return _Builder(tuple(entries), table).convert(raw)


@dataclass(frozen=True)
class _Builder:
    entries: tuple[Entry, ...]
    table: SymbolTable

    def entry(self, name: str) -> Entry:
        return decode(name, self.entries)

    def convert(self, expr: Basic) -> Basic:
        if isinstance(expr, Symbol):
            return self.symbol(expr.name)
        if isinstance(expr, AppliedUndef):
            return self.application(expr)
        if isinstance(expr, Limit):
            body, var, point, direction = expr.args
            variable = self.convert(var)
            if not isinstance(variable, Symbol):
                raise InputError(f"a limit must be taken in a variable, not in {variable}")
            return Limit(self.convert(body), variable, self.convert(point), str(direction))
        if isinstance(expr, Sum | Product):
            return self.big_operator(expr)
        if isinstance(expr, Derivative):
            pairs = [(self.convert(v), n) for v, n in expr.variable_count]
            return Derivative(self.convert(expr.expr), *pairs)
        if not expr.args:
            return expr
        return expr.func(*[self.convert(a) for a in expr.args])

    def big_operator(self, expr: Sum | Product) -> Basic:
        """A Σ/∏ whose variables are integers inside it only (bound, not free, letters)."""
        body = self.convert(expr.function)
        converted = []
        mapping: dict[Basic, Basic] = {}
        for var, lower, upper in expr.limits:
            free = self.convert(var)
            if not isinstance(free, Symbol):
                raise InputError(f"a Σ/∏ must run over a letter, not over {free}")
            low, high = self.convert(lower), self.convert(upper)
            positive = bool(low.is_number and low >= 1) or None
            mapping[free] = Symbol(free.name, integer=True, positive=positive)
            converted.append((free, low, high))
        limits = [
            (mapping[v], lo.xreplace(mapping), hi.xreplace(mapping)) for v, lo, hi in converted
        ]
        return type(expr)(body.xreplace(mapping), *limits)

    def symbol(self, name: str) -> Basic:
        if name.startswith("cps"):
            return self.table.symbol(self.entry(name).name)
        if name == "e":
            return E
        if name == "pi":
            return pi
        if name in self.table.decls.imaginary:
            return sympy.I
        if len(name) == 1 or name in GREEK:
            return self.table.symbol(name)
        raise InputError(f"the parser read an unexpected symbol '{name}'")

    def application(self, expr: AppliedUndef) -> Basic:
        name = expr.func.__name__
        args = [self.convert(a) for a in expr.args]
        if name.startswith("cps"):
            letter = self.entry(name).name
            raise InputError(f"the parser read {letter}(…) as an application of {letter}")
        if not name.startswith(("cpf", "cpi")):
            raise InputError(f"the parser read an unexpected function '{name}'")
        entry = self.entry(name)
        if entry.kind == "sig":
            if len(args) != 1:
                raise InputError(f"sig takes one argument, not {len(args)}")
            return sig(args[0])
        if entry.kind == "Pr":
            return Pr(*args)
        if entry.kind == "network":
            if entry.name == "I" and entry.subscripts == 1 and len(args) == 2:
                return besseli(*args)  # I_ν[x]: the modified Bessel function of the first kind
            return network(entry.name, entry.subscripts)(*args)
        if entry.kind == "integral":  # ∫_a^b f dx: (f, x, a, b)
            integral = sympy.Integral(args[0], (args[1], args[2], args[3]))
            done = integral.doit()  # SymPy's closed form where it has one (under the budget)
            return integral if done.has(sympy.Integral) else done
        if entry.kind == "indexed":
            return IndexedBase(entry.name, **self.table.assumptions(entry.name))[tuple(args)]
        if entry.kind == "sympy":
            function = getattr(sympy, entry.name)
            if entry.name in ("gcd", "lcm"):  # decimals as the exact numbers written
                args = [sympy.Rational(str(a)) if isinstance(a, sympy.Float) else a for a in args]
            if entry.name in ("gcd", "lcm"):  # a third argument would be SymPy's generators
                return functools.reduce(function, args)
            return function(*args)
        return Function(entry.name, real=True)(*args)
