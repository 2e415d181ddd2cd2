"""The chapter's other output distributions as symbolic densities (one observation each).

Bernoulli, categorical (softmax), Poisson, von Mises, exponential, Laplace, normal
with a variance argument, and a mixture of two normals; plus named functions whose
positivity the kernel may assume (``I0``, and the mixture components ``Norm`` and
``VonMises``).  Everything is re-exported by :mod:`calcproof.losses`.
"""

from __future__ import annotations

from typing import Any

from sympy import (
    Abs,
    Dummy,
    Expr,
    Function,
    IndexedBase,
    Mul,
    Pow,
    Sum,
    Symbol,
    besseli,
    cos,
    exp,
    factorial,
    log,
    pi,
    sqrt,
)


class I0(Function):
    """The modified Bessel function ``I_0[kappa]`` of the von Mises normaliser, as a named function.

    ``I_0[kappa] = Σ_m (kappa/2)^(2m) / (m!)^2 ≥ 1`` for real ``kappa``: that
    positivity is stated here as an assumption (like ``sig > 0``) so that the
    kernel can see it.  ``I0(k).rewrite(besseli)`` is SymPy's ``besseli(0, k)``.
    """

    nargs = 1

    @classmethod
    def eval(cls, arg: Expr) -> None:
        return None

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_extended_real else None

    def _eval_rewrite_as_besseli(self, arg: Expr, **hints: Any) -> Expr:
        return besseli(0, arg)

    def _eval_evalf(self, prec: int) -> Expr:
        return besseli(0, self.args[0])._eval_evalf(prec)

    def fdiff(self, argindex: int = 1) -> Expr:
        return besseli(1, self.args[0])

    def _latex(self, printer: Any, exp: Any = None) -> str:
        text = rf"I_{{0}}\left[{printer._print(self.args[0])}\right]"
        return text if exp is None else rf"{text}^{{{exp}}}"  # a power: SymPy passes exp


class NamedDensity(Function):
    """A density kept as a name in the book's notation (``Norm_y[mu, v]``), positive by assumption.

    Mixtures stay readable with their components named; the kernel then proves what
    holds for *any* positive density, and :meth:`formula` (``rewrite(exp)``) gives
    the density itself for numbers and plots.
    """

    nargs = 3
    head = ""

    @classmethod
    def eval(cls, *args: Expr) -> None:
        return None

    def formula(self) -> Expr:
        raise NotImplementedError

    def _eval_is_extended_real(self) -> bool | None:
        return True if self.args[2].is_positive else None

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[2].is_positive else None

    def _eval_rewrite_as_exp(self, *args: Expr, **hints: Any) -> Expr:
        return self.formula()

    def _eval_evalf(self, prec: int) -> Expr:
        return self.formula().evalf(prec)

    def _latex(self, printer: Any, exp: Any = None) -> str:
        value, *params = (printer._print(a) for a in self.args)
        text = rf"\operatorname{{{self.head}}}_{{{value}}}\left[{', '.join(params)}\right]"
        return text if exp is None else rf"{text}^{{{exp}}}"


class Norm(NamedDensity):
    """The normal density ``Norm_y[mu, v]`` (variance ``v``) as a name: :func:`normal_density`."""

    head = "Norm"

    def formula(self) -> Expr:
        return normal_density(*self.args)


class VonMises(NamedDensity):
    """The von Mises density ``VonMises_y[mu, kappa]`` as a name; see :func:`von_mises_density`."""

    head = "VonMises"

    def formula(self) -> Expr:
        return von_mises_density(*self.args)


def bernoulli_pmf(y: Expr, lam: Expr) -> Expr:
    """The Bernoulli probability ``(1 - lam)^(1 - y) lam^y`` of a label ``y`` in {0, 1}."""
    return Mul(Pow(1 - lam, 1 - y), Pow(lam, y), evaluate=False)


def softmax(k: Expr, logits: IndexedBase, K: Expr, j: Expr | None = None) -> Expr:
    """``softmax_k[a] = exp[a_k] / Σ_{j=1}^{K} exp[a_j]`` for logits ``a = logits[1..K]``."""
    j = Dummy("j", integer=True, positive=True) if j is None else j
    return exp(logits[k]) / Sum(exp(logits[j]), (j, 1, K))


def softmax_cross_entropy(onehot: IndexedBase, logits: IndexedBase, K: Expr) -> Expr:
    """``-Σ_{k=1}^{K} y_k log softmax_k[a]``: the categorical NLL of a one-hot target ``y``."""
    k = Symbol("k", integer=True, positive=True)
    return -Sum(onehot[k] * log(softmax(k, logits, K)), (k, 1, K))


def poisson_pmf(y: Expr, lam: Expr) -> Expr:
    """The Poisson probability ``lam^y exp[-lam] / y!`` of a count ``y``."""
    return Mul(Pow(lam, y), exp(-lam), Pow(factorial(y), -1), evaluate=False)


def von_mises_density(y: Expr, mu: Expr, kappa: Expr) -> Expr:
    """The von Mises density ``exp[kappa cos[y - mu]] / (2 pi I_0[kappa])`` of an angle ``y``."""
    normaliser = Pow(Mul(2, pi, I0(kappa), evaluate=False), -1, evaluate=False)
    return Mul(normaliser, exp(kappa * cos(y - mu)), evaluate=False)


def exponential_density(y: Expr, rate: Expr) -> Expr:
    """The exponential density ``rate exp[-rate y]`` of a positive ``y`` (a speed, say)."""
    return Mul(rate, exp(-rate * y), evaluate=False)


def laplace_density(y: Expr, mu: Expr, b: Expr) -> Expr:
    """The Laplace density ``exp[-|y - mu| / b] / (2 b)`` with scale ``b > 0``."""
    return Mul(Pow(Mul(2, b, evaluate=False), -1, evaluate=False), exp(-Abs(y - mu) / b))


def normal_density(y: Expr, mu: Expr, variance: Expr) -> Expr:
    """The normal density with a variance argument: ``exp[-(y - mu)^2/(2 v)] / sqrt(2 pi v)``."""
    normaliser = Pow(sqrt(Mul(2, pi, variance, evaluate=False)), -1, evaluate=False)
    return Mul(normaliser, exp(-((y - mu) ** 2) / (2 * variance)), evaluate=False)


def mixture_density(y: Expr, lam: Expr, mu1: Expr, var1: Expr, mu2: Expr, var2: Expr) -> Expr:
    """``lam N(y; mu1, var1) + (1 - lam) N(y; mu2, var2)``: a mixture of two normals."""
    return lam * normal_density(y, mu1, var1) + (1 - lam) * normal_density(y, mu2, var2)


def nll(density: Expr) -> Expr:
    """The negative log-likelihood ``-log[density]`` of one observation."""
    return -log(density)


__all__ = [
    "I0",
    "Norm",
    "VonMises",
    "bernoulli_pmf",
    "exponential_density",
    "laplace_density",
    "mixture_density",
    "nll",
    "normal_density",
    "poisson_pmf",
    "softmax",
    "softmax_cross_entropy",
    "von_mises_density",
]
