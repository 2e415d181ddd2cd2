"""Symbolic losses of chapter 5 of *Understanding Deep Learning*.

Everything here builds SymPy expressions and nothing else: no simplification,
no evaluation, no I/O.  Defaults follow the book's notation (see
``calcproof.symbols``)::

    >>> from calcproof.losses import sigmoid, bce, gaussian_nll
    >>> from calcproof.symbols import z
    >>> sigmoid(z)
    1/(1 + exp(-z))
"""

from __future__ import annotations

from typing import Any

from sympy import (
    Add,
    Expr,
    Function,
    Integer,
    Mul,
    Pow,
    Product,
    Rational,
    Sum,
    Symbol,
    exp,
    log,
    pi,
)
from sympy.core.function import AppliedUndef

from calcproof import symbols as S


class sig(Function):
    """The logistic sigmoid ``sig[z] = 1/(1 + exp[-z])`` as a named, unevaluated function.

    ``sig(0)`` stays ``sig(0)`` so that a derivation can show the step that
    evaluates it; ``sig(z).rewrite(exp)`` (or :func:`sigmoid`) gives the formula.
    """

    nargs = 1

    @classmethod
    def eval(cls, arg: Expr) -> None:
        return None

    @staticmethod
    def formula(arg: Expr) -> Expr:
        """The defining formula ``1/(1 + exp(-arg))``."""
        return 1 / (1 + exp(-arg))

    def _eval_rewrite_as_exp(self, arg: Expr, **hints: Any) -> Expr:
        return self.formula(arg)

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_extended_real else None

    def fdiff(self, argindex: int = 1) -> Expr:
        s = sig(self.args[0])
        return s * (1 - s)


class Density(Function):
    """A probability or density kept as a name: ``Pr(y | …)``, ``p(y | x)``, ``q(k)``.

    It has no built-in meaning (a derivation may define it), but it is positive:
    the likelihood of observed data under a model is a density on its support,
    and ``log Pr`` is only defined where ``Pr > 0``.  The kernel relies on this
    (``log Π Pr = Σ log Pr``) and the counterexample search draws positive values.
    """

    @classmethod
    def eval(cls, *args: Expr) -> None:
        return None

    def _eval_is_positive(self) -> bool | None:
        return True

    def _eval_is_extended_real(self) -> bool | None:
        return True


class Pr(Density):
    """A probability ``Pr(obs | cond_1, cond_2, ...)``, kept as a name (``Pr(y_i, f, sigma^2)``).

    A derivation defines it (``define(Pr(...), ...)``) and the kernel unfolds that
    definition; undefined, it is a positive unknown (see :class:`Density`).
    """


UNKNOWN_APPLICATIONS = (AppliedUndef, Density)
"""Applications whose value is unknown: network outputs, undefined functions, densities."""


def density(name: str) -> type:
    """A positive, otherwise unknown density written ``name(…)`` (``p(y | x)``, ``q(k)``)."""
    made: type = type(name, (Density,), {})
    return made


def sigmoid(z: Expr = S.z) -> Expr:
    """The logistic sigmoid as a formula: ``1/(1 + exp(-z))``."""
    return sig.formula(z)


def bce(y: Expr | None = None, p: Expr | None = None) -> Expr:
    """Binary cross-entropy of one pair as a function of the transformed output ``p``.

    ``L = -(1 - y) log[1 - p] - y log[p]`` with ``p = sig[f[x, phi]]`` in (0, 1)
    and the label ``y`` in {0, 1}.  Defaults: ``y`` is the real symbol ``y`` and
    ``p`` is ``sig(f[x, phi])``.
    """
    y = Symbol("y", real=True) if y is None else y
    p = sig(logit()) if p is None else p
    # Built unevaluated so that it keeps the book's shape; SymPy would otherwise
    # write -(1 - y) log[1 - p] as (y - 1) log[1 - p].  ``.doit()`` evaluates it.
    first = Mul(Integer(-1), Add(Integer(1), -y, evaluate=False), log(1 - p), evaluate=False)
    second = Mul(Integer(-1), y, log(p), evaluate=False)
    return Add(first, second, evaluate=False)


def logit() -> Expr:
    """The scalar network output ``f[x, phi]`` of binary classification."""
    x = Symbol("x", real=True)
    return S.f_scalar(x, S.phi)


def bce_logits(y: Expr | None = None, f: Expr | None = None) -> Expr:
    """Binary cross-entropy in terms of the logit ``f``: ``bce(y, sig[f])``."""
    f = logit() if f is None else f
    return bce(y, sig(f))


def gaussian_density(value: Expr, mean: Expr, sd: Expr = S.sigma) -> Expr:
    """The normal density ``1/sqrt(2 pi sd^2) exp[-(value - mean)^2 / (2 sd^2)]``.

    Built without evaluation so that it keeps the book's shape
    (SymPy would otherwise rewrite ``1/sqrt(2 pi sigma^2)`` as
    ``sqrt(2)/(2 sqrt(pi) sigma)``).
    """
    variance = Mul(Integer(2), pi, Pow(sd, 2), evaluate=False)
    normaliser = Pow(Pow(variance, Rational(1, 2), evaluate=False), -1, evaluate=False)
    exponent = -((value - mean) ** 2) / (2 * sd**2)
    return Mul(normaliser, exp(exponent), evaluate=False)


def gaussian_likelihood(
    D: int | Expr = 10,
    *,
    i: Expr = S.i,
    d: Expr = S.d,
    I: int | Expr | None = None,
    sd: Expr = S.sigma,
) -> Expr:
    """The likelihood of D independent normal outputs with means ``f_d[x_i, phi]``.

    With ``I=None`` this is one pair's ``Pr(y_i | f[x_i, phi], sigma^2) =
    prod_{d=1}^{D} N(y_{id}; f_d[x_i, phi], sigma^2)``; with ``I`` given it is the
    product over all I pairs.  ``D`` and ``I`` may be integers or symbols.
    """
    density = gaussian_density(S.y[i, d], S.f(d, S.x[i], S.phi), sd)
    one_pair = Product(density, (d, 1, D))
    return one_pair if I is None else Product(one_pair, (i, 1, I))


def gaussian_nll(
    D: int | Expr = 10,
    *,
    I: int | Expr = S.I,
    i: Expr = S.i,
    d: Expr = S.d,
    sd: Expr = S.sigma,
) -> Expr:
    """The negative log-likelihood ``L = -sum_{i=1}^{I} log[Pr(y_i | f[x_i, phi], sigma^2)]``."""
    return -Sum(log(gaussian_likelihood(D, i=i, d=d, sd=sd)), (i, 1, I))


def least_squares(
    D: int | Expr = 10,
    *,
    I: int | Expr = S.I,
    i: Expr = S.i,
    d: Expr = S.d,
) -> Expr:
    """The sum of squared residuals ``sum_{i=1}^{I} sum_{d=1}^{D} (y_{id} - f_d[x_i, phi])^2``."""
    residual = S.y[i, d] - S.f(d, S.x[i], S.phi)
    return Sum(Sum(residual**2, (d, 1, D)), (i, 1, I))


__all__ = [
    "Density",
    "Pr",
    "bce",
    "bce_logits",
    "density",
    "gaussian_density",
    "gaussian_likelihood",
    "gaussian_nll",
    "least_squares",
    "logit",
    "sig",
    "sigmoid",
]
