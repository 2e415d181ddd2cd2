"""How other libraries' losses relate to calcproof's negative log-likelihoods, as derivations.

PyTorch's losses drop constants the likelihood has: ``gaussian_nll_loss`` leaves out
``½ log 2π`` unless ``full=True``, ``poisson_nll_loss`` leaves out ``log y!``, and
``mse_loss``/``l1_loss`` are the Gaussian/Laplace NLLs without their normalisers and
scale.  Each relation below is a chain the kernel checks; the cross-check tests
compare PyTorch with the *pieces* named here (``TORCH_GAUSSIAN`` …), so the numbers
and the proof are about the same expressions.
"""

from __future__ import annotations

from sympy import Abs, Symbol, exp, factorial, log, pi

from calcproof import rules
from calcproof.derivation import Context, Derivation, chain, then
from calcproof.losses import (
    bce,
    bernoulli_pmf,
    laplace_density,
    nll,
    normal_density,
    poisson_pmf,
    sig,
)

y = Symbol("y", real=True)
"""A real target."""
mu = Symbol("mu", real=True)
"""The predicted mean (PyTorch's ``input``)."""
sigma = Symbol("sigma", positive=True)
"""A standard deviation; PyTorch's ``var`` is ``sigma**2``."""
b = Symbol("b", positive=True)
"""The Laplace scale."""
lam = Symbol("lambda", positive=True)
"""A Poisson rate."""
a = Symbol("a", real=True)
"""A logit or a log-rate (PyTorch's ``input`` with ``log_input=True``)."""
count = Symbol("y", integer=True, nonnegative=True)
"""A count (the Poisson target)."""

TORCH_GAUSSIAN = (log(sigma**2) + (y - mu) ** 2 / sigma**2) / 2
"""``gaussian_nll_loss(mu, y, sigma**2, full=False)``."""
TORCH_GAUSSIAN_CONSTANT = log(2 * pi) / 2
"""What ``full=True`` adds."""
TORCH_POISSON_LOG_INPUT = exp(a) - count * a
"""``poisson_nll_loss(a, y, log_input=True, full=False)``."""
TORCH_POISSON_RATE = lam - count * log(lam)
"""``poisson_nll_loss(lam, y, log_input=False, full=False)`` (PyTorch adds 1e-8 inside the log)."""
STIRLING = count * log(count) - count + log(2 * pi * count) / 2
"""PyTorch's ``full=True`` term (for y > 1): Stirling's approximation of ``log y!``, not equal."""
BCE_STABLE = log(1 + exp(a)) - y * a
"""The logit form PyTorch's ``binary_cross_entropy_with_logits`` evaluates (stably)."""


def _gaussian() -> Derivation:
    return chain(
        "pytorch-gaussian-nll-constant",
        "The Gaussian NLL is PyTorch's gaussian_nll_loss plus ½ log 2π (its full=True constant)",
        nll(normal_density(y, mu, sigma**2)),
        [
            then("=", rules.log_of_product_and_exp),
            then(
                "=",
                rhs=TORCH_GAUSSIAN + TORCH_GAUSSIAN_CONSTANT,
                why="log[1/sqrt(2πσ²)] = −(log σ² + log 2π)/2",
                name="collect the constant",
            ),
        ],
    )


def _poisson(rate: str) -> Derivation:
    log_input = rate == "exp"
    start = nll(poisson_pmf(count, exp(a) if log_input else lam))
    torch_form = TORCH_POISSON_LOG_INPUT if log_input else TORCH_POISSON_RATE
    return chain(
        "pytorch-poisson-nll-log-input" if log_input else "pytorch-poisson-nll-rate",
        "The Poisson NLL is PyTorch's poisson_nll_loss plus log y! "
        + ("(log_input=True: λ = exp[a])" if log_input else "(log_input=False)"),
        start,
        [
            then(
                "=",
                rhs=torch_form + log(factorial(count)),
                why="log[λ^y exp[−λ] / y!] = y log λ − λ − log y!",
                name="log of a product",
            )
        ],
    )


def _squares() -> Derivation:
    return chain(
        "mse-from-gaussian",
        "The squared error is 2σ² times the Gaussian NLL less its normaliser",
        2 * sigma**2 * (nll(normal_density(y, mu, sigma**2)) - log(2 * pi * sigma**2) / 2),
        [then("=", rhs=(y - mu) ** 2, why="log of a product and of exp", name="expand the log")],
    )


def _absolute() -> Derivation:
    return chain(
        "l1-from-laplace",
        "The absolute error is b times the Laplace NLL less log 2b",
        b * (nll(laplace_density(y, mu, b)) - log(2 * b)),
        [then("=", rhs=Abs(y - mu), why="log of a product and of exp", name="expand the log")],
    )


def _bce() -> Derivation:
    return chain(
        "bce-from-bernoulli-logits",
        "The Bernoulli NLL with λ = sig[a] is the binary cross-entropy, log[1 + exp[a]] − y a",
        nll(bernoulli_pmf(y, sig(a))),
        [
            then("=", rhs=bce(y, sig(a)), why="log of a product and of powers", name="expand"),
            then("=", rhs=BCE_STABLE, why="1 − sig[a] = 1/(1 + exp[a])", name="logit form"),
        ],
        context=Context(domains=((y, "binary"),)),
    )


GAUSSIAN = _gaussian()
POISSON_LOG_INPUT = _poisson("exp")
POISSON_RATE = _poisson("identity")
SQUARES = _squares()
ABSOLUTE = _absolute()
BCE_LOGITS = _bce()

DERIVATIONS = [GAUSSIAN, POISSON_LOG_INPUT, POISSON_RATE, SQUARES, ABSOLUTE, BCE_LOGITS]

__all__ = [
    "BCE_STABLE",
    "DERIVATIONS",
    "STIRLING",
    "TORCH_GAUSSIAN",
    "TORCH_GAUSSIAN_CONSTANT",
    "TORCH_POISSON_LOG_INPUT",
    "TORCH_POISSON_RATE",
]
