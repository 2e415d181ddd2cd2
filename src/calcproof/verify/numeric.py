"""Fast numeric evaluation of a claim's side at a sample point, Σ/∏ term by term.

Refutation needs values of expressions such as ``Π_{d=1}^{1000} N(y_d; f_d, σ²)``
at many points.  Writing the product out with ``doit`` and calling ``evalf`` on a
1000-factor tree costs seconds per point; walking the tree with mpmath and
looping over the index costs milliseconds.  Values of data and network outputs
come from the same :class:`~calcproof.verify.sampling.Sampler`, with the same
keys as :func:`~calcproof.verify.sampling.concretise`, so both evaluators see the
same point.  Anything this walker does not know raises :class:`Unsupported`
and the caller falls back to SymPy's own ``evalf``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import mpmath
from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Float,
    Indexed,
    Integer,
    Mul,
    Pow,
    Product,
    S,
    Sum,
    Symbol,
    acos,
    asin,
    atan,
    cos,
    cosh,
    exp,
    log,
    sin,
    sinh,
    tan,
    tanh,
)
from sympy.core.function import AppliedUndef
from sympy.core.numbers import NumberSymbol

from calcproof.verify.sampling import Sampler


def _mp(value: Any) -> Any:
    if isinstance(value, int):
        return mpmath.mpf(value)
    if value.is_Rational:
        return mpmath.mpf(value.p) / value.q
    return mpmath.mpf(Float(value)._mpf_)


MAX_TERMS = 200_000
"""Largest number of Σ/∏ terms one evaluation may visit."""

FUNCTIONS: dict[type, Callable[[Any], Any]] = {
    exp: mpmath.exp,
    log: mpmath.log,
    sin: mpmath.sin,
    cos: mpmath.cos,
    tan: mpmath.tan,
    asin: mpmath.asin,
    acos: mpmath.acos,
    atan: mpmath.atan,
    sinh: mpmath.sinh,
    cosh: mpmath.cosh,
    tanh: mpmath.tanh,
    Abs: abs,
}


class Unsupported(Exception):
    """The walker met a node it cannot evaluate; use SymPy's evalf instead."""


def value(expr: Expr, sampler: Sampler, world: object, digits: int) -> Expr | None:
    """``expr`` at the sampler's point as a real Float, or None where not real and finite."""
    walker = _Walker(sampler, world)
    with mpmath.workdps(digits + 10):
        try:
            result = walker.eval(expr, {})
        except (ZeroDivisionError, ValueError, OverflowError):
            return None
        if isinstance(result, mpmath.mpc):
            if abs(result.imag) > abs(result) * mpmath.mpf(10) ** (5 - digits):
                return None
            result = result.real
        if not mpmath.isfinite(result):
            return None
        return Float(result, digits)


@dataclass(frozen=True)
class Label:
    """Names an atom inside a Σ/∏ term in reports; formatted only when a report is made."""

    node: Basic
    env: tuple[tuple[Basic, int], ...]

    def __str__(self) -> str:
        return str(self.node.xreplace({var: Integer(k) for var, k in self.env}))


class _Walker:
    def __init__(self, sampler: Sampler, world: object) -> None:
        self.sampler = sampler
        self.world = world
        self.terms = 0

    def eval(self, node: Basic, env: Mapping[Basic, int]) -> Any:
        if node.is_Integer or node.is_Rational:
            return mpmath.mpf(node.p) / node.q
        if node.is_Float:
            return mpmath.mpf(node._mpf_)
        if node is S.ImaginaryUnit:
            return mpmath.mpc(0, 1)
        if isinstance(node, NumberSymbol):
            return mpmath.mpf(node.evalf(mpmath.mp.dps)._mpf_)
        if isinstance(node, Symbol):
            return env[node] if node in env else _mp(self.exact(node, env))
        if isinstance(node, Add):
            return mpmath.fsum(self.eval(a, env) for a in node.args)
        if isinstance(node, Mul):
            out = mpmath.mpf(1)
            for arg in node.args:
                out *= self.eval(arg, env)
            return out
        if isinstance(node, Pow):
            return mpmath.power(self.eval(node.base, env), self.eval(node.exp, env))
        if isinstance(node, Sum | Product):
            return self._loop(node, env)
        if isinstance(node, Indexed | AppliedUndef):
            return _mp(self.exact(node, env))
        if type(node) in FUNCTIONS:
            return FUNCTIONS[type(node)](*[self.eval(a, env) for a in node.args])
        if node.is_number and node.is_real:
            return mpmath.mpf(node.evalf(mpmath.mp.dps)._mpf_)
        raise Unsupported(type(node).__name__)

    def exact(self, node: Basic, env: Mapping[Basic, int]) -> Any:
        """The exact value of an index, symbol, datum or network output (an int or Rational)."""
        if node.is_Integer:
            return int(node)
        if node.is_Rational:
            return node
        if isinstance(node, Symbol):
            if node in env:
                return env[node]
            return self.sampler.value(node, node, self.world, node)
        if isinstance(node, Indexed):
            indices = tuple(self._index(i, env) for i in node.indices)
            key = (node.base, indices)
            label = Label(node, tuple(env.items()))
            return self.sampler.value(node, key, self.world, label, template=node)
        if isinstance(node, AppliedUndef):
            args = tuple(self.exact(a, env) for a in node.args)
            label = Label(node, tuple(env.items()))
            return self.sampler.value(node, (node.func, args), self.world, label, template=node)
        if isinstance(node, Add | Mul) and all(a.is_Integer or a in env for a in node.args):
            return int(self.eval(node, env))
        raise Unsupported(f"argument {type(node).__name__}")

    def _index(self, node: Basic, env: Mapping[Basic, int]) -> int:
        number = self.exact(node, env)
        if number != int(number):
            raise Unsupported("non-integer index")
        return int(number)

    def _loop(self, node: Sum | Product, env: Mapping[Basic, int]) -> Any:
        is_sum = isinstance(node, Sum)
        total = mpmath.mpf(0) if is_sum else mpmath.mpf(1)
        for inner in self._assignments(list(node.limits), dict(env)):
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise Unsupported("too many terms")
            term = self.eval(node.function, inner)
            total = total + term if is_sum else total * term
        return total

    def _assignments(self, limits: list[tuple[Basic, Basic, Basic]], env: dict[Basic, int]) -> Any:
        """Every assignment of the limit variables, outermost (last) limit first."""
        if not limits:
            yield env
            return
        var, lower, upper = limits[-1]
        lo, hi = int(self.eval(lower, env)), int(self.eval(upper, env))
        if lo != self.eval(lower, env) or hi != self.eval(upper, env):
            raise Unsupported("non-integer bound")
        if hi < lo - 1:
            raise Unsupported("reversed range")
        for k in range(lo, hi + 1):
            yield from self._assignments(limits[:-1], {**env, var: k})
