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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
from sympy.core.numbers import NumberSymbol

from calcproof.losses import UNKNOWN_APPLICATIONS
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


class NotReal(Exception):
    """A subexpression is not real (or not finite) at this point: the point is not admissible."""


GUARD = 12
"""Digits a sum may lose to cancellation before its value counts as unresolved."""


@dataclass(frozen=True)
class Reading:
    """A side's value at a point: ``value ± error``; ``resolved`` when no inner sum cancelled.

    ``error`` bounds the rounding of the evaluation: for a side that is itself a
    sum, the largest term times ``10^(GUARD - digits)``, so that a side whose terms
    cancel to (nearly) zero is known to be within ``error`` of zero.
    """

    value: Expr
    error: Expr
    resolved: bool


def value(expr: Expr, sampler: Sampler, world: object, digits: int) -> Expr | None:
    """``expr`` at the sampler's point as a real Float, or None where not real and finite.

    None also where any subexpression is not real: a point where an intermediate
    value is complex is never admissible, even when the final value is real.
    """
    found = reading(expr, sampler, world, digits)
    return None if found is None else found.value


def reading(expr: Expr, sampler: Sampler, world: object, digits: int) -> Reading | None:
    """``expr`` at the point with its rounding error, or None where it is not admissible."""
    walker = _Walker(sampler, world, digits)
    with mpmath.workdps(digits + 10):
        try:
            if isinstance(expr, Add):
                terms = [walker.eval(a, {}) for a in expr.args]
                result = mpmath.fsum(terms)
                scale = max(abs(t) for t in terms)
            else:
                result = walker.eval(expr, {})
                scale = abs(result)
        except (ZeroDivisionError, ValueError, OverflowError, NotReal):
            return None
        if not mpmath.isfinite(result):
            return None
        error = scale * mpmath.mpf(10) ** (GUARD - digits)
        return Reading(Float(result, digits), Float(error, 5), walker.lost < digits - GUARD)


@lru_cache(maxsize=4096)
def rational(node: Basic) -> bool:
    """True when ``node`` is a rational function of symbols, data and network outputs.

    The sampler gives those rational values, so such a node's value is a rational
    number computed with rounding only (no transcendental function to resolve).
    """
    if node.is_Rational or isinstance(node, (Symbol, Indexed, *UNKNOWN_APPLICATIONS)):
        out = True
    elif isinstance(node, Add | Mul | Sum):
        out = all(
            rational(a) for a in (node.args if not isinstance(node, Sum) else [node.function])
        )
    elif isinstance(node, Pow):
        out = bool(node.exp.is_Integer) and rational(node.base)
    else:
        out = False
    return out


@dataclass(frozen=True)
class Label:
    """Names an atom inside a Σ/∏ term in reports; formatted only when a report is made."""

    node: Basic
    env: tuple[tuple[Basic, int], ...]

    def __str__(self) -> str:
        return str(self.node.xreplace({var: Integer(k) for var, k in self.env}))


class _Walker:
    def __init__(self, sampler: Sampler, world: object, digits: int = 30) -> None:
        self.sampler = sampler
        self.world = world
        self.terms = 0
        self.digits = digits
        self.lost = 0.0
        """The most digits any inner sum lost to cancellation."""

    def eval(self, node: Basic, env: Mapping[Basic, int]) -> Any:
        out = self._eval(node, env)
        if isinstance(out, mpmath.mpc):
            if out.imag != 0 and abs(out.imag) > abs(out) * mpmath.mpf(10) ** (5 - self.digits):
                raise NotReal(type(node).__name__)
            out = out.real
        if not mpmath.isfinite(out):
            raise NotReal(type(node).__name__)
        return out

    def _add(self, node: Basic, env: Mapping[Basic, int]) -> Any:
        terms = [self.eval(a, env) for a in node.args]
        return self._cancelled(node, terms, mpmath.fsum(terms))

    def _cancelled(self, node: Basic, terms: Sequence[Any], total: Any) -> Any:
        """Record how many digits ``total`` lost against its largest term.

        A rational expression of the (rational) sampled values is exact up to
        rounding: its cancellation is genuine, and a total below the rounding
        level is exactly 0.  Anything else that cancels is counted as lost digits.
        """
        biggest = max((abs(t) for t in terms), default=mpmath.mpf(0))
        if biggest == 0:
            return total
        if rational(node):
            noise = biggest * mpmath.mpf(10) ** (GUARD - self.digits)
            return mpmath.mpf(0) if abs(total) <= noise else total
        lost = float("inf") if total == 0 else float(mpmath.log10(biggest / abs(total)))
        self.lost = max(self.lost, lost)
        return total

    def _eval(self, node: Basic, env: Mapping[Basic, int]) -> Any:
        if node.is_Integer or node.is_Rational:
            return mpmath.mpf(node.p) / node.q
        if node.is_Float:
            return mpmath.mpf(node._mpf_)
        if node is S.ImaginaryUnit:
            return mpmath.mpc(0, 1)
        if isinstance(node, NumberSymbol):
            return mpmath.mpf(node.evalf(mpmath.mp.dps)._mpf_)
        if node is S.NaN or node in (S.Infinity, S.NegativeInfinity, S.ComplexInfinity):
            raise NotReal(str(node))
        if isinstance(node, Symbol):
            return env[node] if node in env else _mp(self.exact(node, env))
        if isinstance(node, Add):
            return self._add(node, env)
        if isinstance(node, Mul):
            out = mpmath.mpf(1)
            for arg in node.args:
                out *= self.eval(arg, env)
            return out
        if isinstance(node, Pow):
            return mpmath.power(self.eval(node.base, env), self.eval(node.exp, env))
        if isinstance(node, Sum | Product):
            return self._loop(node, env)
        if isinstance(node, (Indexed, *UNKNOWN_APPLICATIONS)):
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
        if isinstance(node, UNKNOWN_APPLICATIONS):
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
        biggest = mpmath.mpf(0)
        for inner in self._assignments(list(node.limits), dict(env)):
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise Unsupported("too many terms")
            term = self.eval(node.function, inner)
            biggest = max(biggest, abs(term))
            total = total + term if is_sum else total * term
        if is_sum:
            return self._cancelled(node.function, [biggest], total)
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
        for k in range(lo, hi + 1):  # a reversed range is empty (the usual convention)
            yield from self._assignments(limits[:-1], {**env, var: k})
