"""Cross-checks: calcproof's symbolic losses, lambdified, against SciPy and PyTorch.

Inputs are random float64 arrays from a seeded generator; agreement is to a relative
tolerance of 1e-10.  Where PyTorch uses another convention (dropped constants, an
approximation), the test compares it with the piece of a *verified* derivation in
:mod:`calcproof.conventions` that names the relation.  PyTorch tests skip when torch
is not installed, unless ``CALCPROOF_REQUIRE_TORCH=1`` (as in CI), where that is a failure.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from scipy import special, stats
from sympy import IndexedBase, Symbol, factorial, log

from calcproof import conventions as C
from calcproof.errors import InputError
from calcproof.losses import (
    bce,
    bernoulli_pmf,
    exponential_density,
    laplace_density,
    mixture_density,
    nll,
    normal_density,
    numeric,
    poisson_pmf,
    sig,
    softmax_cross_entropy,
    von_mises_density,
)
from calcproof.testing import assert_verified

RTOL = 1e-10
N = 200
y, mu, a = C.y, C.mu, C.a
sigma, b, lam, count = C.sigma, C.b, C.lam, C.count
kappa = Symbol("kappa", positive=True)
v = Symbol("v", positive=True)
K = Symbol("K", integer=True, positive=True)
onehot, logits = IndexedBase("y"), IndexedBase("a")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261201)


def close(ours, theirs) -> None:
    np.testing.assert_allclose(np.asarray(ours, float), np.asarray(theirs, float), rtol=RTOL)


def torch_module():
    if os.environ.get("CALCPROOF_REQUIRE_TORCH") == "1":
        import torch  # a missing torch is an error here, not a skip
    else:
        torch = pytest.importorskip("torch")
    torch.set_default_dtype(torch.float64)
    return torch


@pytest.fixture
def torch():
    return torch_module()


def tensor(torch, values):
    return torch.tensor(np.asarray(values, float), dtype=torch.float64)


# --- SciPy log-densities ----------------------------------------------------------


def test_normal_nll_matches_scipy_norm(rng):
    """−log N(y; μ, σ²) agrees with scipy.stats.norm.logpdf."""
    ys, mus, sds = rng.normal(size=N), rng.normal(size=N), rng.uniform(0.2, 3, N)
    ours = numeric(nll(normal_density(y, mu, sigma**2)), y, mu, sigma)(ys, mus, sds)
    close(ours, -stats.norm.logpdf(ys, mus, sds))


def test_bernoulli_matches_scipy_bernoulli(rng):
    """log of (1−λ)^(1−y) λ^y and the BCE both agree with scipy.stats.bernoulli.logpmf."""
    ys, ps = rng.integers(0, 2, N).astype(float), rng.uniform(0.01, 0.99, N)
    p = Symbol("p", positive=True)
    close(numeric(log(bernoulli_pmf(y, p)), y, p)(ys, ps), stats.bernoulli.logpmf(ys, ps))
    close(numeric(bce(y, p), y, p)(ys, ps), -stats.bernoulli.logpmf(ys, ps))


def test_poisson_matches_scipy_poisson(rng):
    """−log of λ^y exp[−λ]/y! agrees with scipy.stats.poisson.logpmf."""
    ks, rates = rng.integers(0, 30, N).astype(float), rng.uniform(0.1, 20, N)
    ours = numeric(nll(poisson_pmf(count, lam)), count, lam)(ks, rates)
    close(ours, -stats.poisson.logpmf(ks, rates))


def test_von_mises_matches_scipy_vonmises(rng):
    """−log of exp[κ cos(y − μ)]/(2π I₀[κ]) agrees with scipy.stats.vonmises.logpdf."""
    ys, mus, ks = rng.uniform(-np.pi, np.pi, N), rng.uniform(-1, 1, N), rng.uniform(0.1, 20, N)
    ours = numeric(nll(von_mises_density(y, mu, kappa)), y, mu, kappa)(ys, mus, ks)
    close(ours, -stats.vonmises.logpdf(ys, ks, loc=mus))


def test_exponential_matches_scipy_expon(rng):
    """−log of λ exp[−λ s] agrees with scipy.stats.expon.logpdf (scale 1/λ)."""
    speeds, rates = rng.uniform(0.01, 10, N), rng.uniform(0.1, 5, N)
    s = Symbol("s", positive=True)
    ours = numeric(nll(exponential_density(s, lam)), s, lam)(speeds, rates)
    close(ours, -stats.expon.logpdf(speeds, scale=1 / rates))


def test_laplace_matches_scipy_laplace(rng):
    """−log of exp[−|y − μ|/b]/(2b) agrees with scipy.stats.laplace.logpdf."""
    ys, mus, bs = rng.normal(size=N), rng.normal(size=N), rng.uniform(0.2, 3, N)
    ours = numeric(nll(laplace_density(y, mu, b)), y, mu, b)(ys, mus, bs)
    close(ours, -stats.laplace.logpdf(ys, loc=mus, scale=bs))


def test_softmax_cross_entropy_matches_scipy_multinomial(rng):
    """The categorical NLL of a one-hot label is −log multinomial(n = 1, p = softmax[a])."""
    classes = 5
    scores = rng.normal(scale=2, size=(classes, N))
    labels = rng.integers(0, classes, N)
    targets = np.eye(classes)[:, labels]
    ours = numeric(softmax_cross_entropy(onehot, logits, K), onehot, logits, sizes={K: classes})
    probabilities = special.softmax(scores, axis=0)
    theirs = [stats.multinomial.logpmf(targets[:, n], 1, probabilities[:, n]) for n in range(N)]
    close(ours(targets, scores), -np.array(theirs))


def test_mixture_matches_scipy_norm_mixture(rng):
    """−log of λ N(μ₁, v₁) + (1 − λ) N(μ₂, v₂) agrees with the weighted SciPy normals."""
    ys, w = rng.normal(size=N), rng.uniform(0.05, 0.95, N)
    m1, m2, s1, s2 = rng.normal(size=N), rng.normal(size=N), *rng.uniform(0.3, 2, (2, N))
    mean1, mean2, var1, var2, weight = (Symbol(n, real=True) for n in ("m1", "m2", "v1", "v2", "w"))
    loss = nll(mixture_density(y, weight, mean1, var1, mean2, var2))
    ours = numeric(loss, y, weight, mean1, var1, mean2, var2)(ys, w, m1, s1**2, m2, s2**2)
    theirs = special.logsumexp(
        [np.log(w) + stats.norm.logpdf(ys, m1, s1), np.log1p(-w) + stats.norm.logpdf(ys, m2, s2)],
        axis=0,
    )
    close(ours, -theirs)


def test_numeric_names_a_missing_argument():
    """numeric() of an expression with a symbol it was not given fails, naming the symbol."""
    with pytest.raises(InputError, match="mu not among the arguments"):
        numeric(y + mu, y)


# --- PyTorch, and the conventions as verified derivations ----------------------------


@pytest.mark.parametrize("derivation", C.DERIVATIONS, ids=lambda d: d.name)
def test_convention_is_a_verified_derivation(derivation):
    """Every relation the PyTorch checks rely on is verified by the kernel, step by step."""
    assert_verified(derivation)


def test_torch_binary_cross_entropy(torch, rng):
    """torch binary_cross_entropy(p, y) is calcproof's bce(y, p)."""
    ys, ps = rng.integers(0, 2, N).astype(float), rng.uniform(0.01, 0.99, N)
    theirs = torch.nn.functional.binary_cross_entropy(
        tensor(torch, ps), tensor(torch, ys), reduction="none"
    )
    p = Symbol("p", positive=True)
    close(numeric(bce(y, p), y, p)(ys, ps), theirs.numpy())


def test_torch_binary_cross_entropy_with_logits(torch, rng):
    """torch binary_cross_entropy_with_logits(a, y) is bce(y, sig[a]) and its stable form."""
    ys, scores = rng.integers(0, 2, N).astype(float), rng.normal(scale=3, size=N)
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(
        tensor(torch, scores), tensor(torch, ys), reduction="none"
    ).numpy()
    close(numeric(bce(y, sig(a)), y, a)(ys, scores), theirs)
    close(numeric(C.BCE_STABLE, y, a)(ys, scores), theirs)
    assert C.BCE_LOGITS.end == C.BCE_STABLE


def test_torch_cross_entropy(torch, rng):
    """torch cross_entropy with class indices (and with one-hot probabilities) is the softmax CE."""
    classes = 4
    scores = rng.normal(scale=2, size=(N, classes))
    labels = rng.integers(0, classes, N)
    targets = np.eye(classes)[labels]
    ours = numeric(softmax_cross_entropy(onehot, logits, K), onehot, logits, sizes={K: classes})
    functional = torch.nn.functional
    by_index = functional.cross_entropy(
        tensor(torch, scores), torch.tensor(labels), reduction="none"
    )
    by_probability = functional.cross_entropy(
        tensor(torch, scores), tensor(torch, targets), reduction="none"
    )
    close(ours(targets.T, scores.T), by_index.numpy())
    close(ours(targets.T, scores.T), by_probability.numpy())


def test_torch_gaussian_nll_loss_and_its_constant(torch, rng):
    """gaussian_nll_loss drops ½ log 2π; with full=True it is −log N (the verified relation)."""
    ys, mus, sds = rng.normal(size=N), rng.normal(size=N), rng.uniform(0.2, 3, N)
    args = (tensor(torch, mus), tensor(torch, ys), tensor(torch, sds**2))
    loss = torch.nn.functional.gaussian_nll_loss
    full = loss(*args, full=True, reduction="none").numpy()
    short = loss(*args, full=False, reduction="none").numpy()
    assert C.GAUSSIAN.end == C.TORCH_GAUSSIAN + C.TORCH_GAUSSIAN_CONSTANT
    close(numeric(C.GAUSSIAN.start, y, mu, sigma)(ys, mus, sds), full)
    close(numeric(C.TORCH_GAUSSIAN, y, mu, sigma)(ys, mus, sds), short)


def test_torch_heteroscedastic_gaussian_nll(torch, rng):
    """With the variance a second output (σ² = f₂²) torch's full loss is −log N(y; f₁, f₂²)."""
    ys, f1, f2 = rng.normal(size=N), rng.normal(size=N), rng.uniform(0.3, 2, N)
    variance = torch.tensor(f2**2)
    theirs = torch.nn.functional.gaussian_nll_loss(
        tensor(torch, f1), tensor(torch, ys), variance, full=True, reduction="none"
    )
    close(numeric(nll(normal_density(y, mu, v**2)), y, mu, v)(ys, f1, f2), theirs.numpy())


def test_torch_poisson_nll_loss_log_input(torch, rng):
    """poisson_nll_loss(log_input=True) is the Poisson NLL with λ = exp[a], less log y!."""
    ks, scores = rng.integers(0, 30, N).astype(float), rng.normal(size=N)
    theirs = torch.nn.functional.poisson_nll_loss(
        tensor(torch, scores), tensor(torch, ks), log_input=True, full=False, reduction="none"
    ).numpy()
    assert C.POISSON_LOG_INPUT.end == C.TORCH_POISSON_LOG_INPUT + log(factorial(count))
    close(numeric(C.TORCH_POISSON_LOG_INPUT, count, a)(ks, scores), theirs)
    whole = numeric(C.POISSON_LOG_INPUT.start, count, a)(ks, scores)
    close(whole - special.gammaln(ks + 1), theirs)


def test_torch_poisson_nll_loss_rate_input(torch, rng):
    """poisson_nll_loss(log_input=False) is λ − y log(λ + ε): the rate form at λ + ε, less ε."""
    ks, rates = rng.integers(0, 30, N).astype(float), rng.uniform(0.1, 20, N)
    eps = 1e-8
    theirs = torch.nn.functional.poisson_nll_loss(
        tensor(torch, rates), tensor(torch, ks), log_input=False, eps=eps, reduction="none"
    ).numpy()
    close(numeric(C.TORCH_POISSON_RATE, count, lam)(ks, rates + eps) - eps, theirs)


def test_torch_poisson_full_is_stirling_not_log_factorial(torch, rng):
    """full=True adds Stirling's y log y − y + ½ log 2πy (y > 1), which only approximates log y!."""
    ks, scores = rng.integers(0, 30, N).astype(float), rng.normal(size=N)
    loss = torch.nn.functional.poisson_nll_loss
    args = (tensor(torch, scores), tensor(torch, ks))
    full = loss(*args, log_input=True, full=True, reduction="none").numpy()
    short = loss(*args, log_input=True, full=False, reduction="none").numpy()
    stirling = np.where(ks > 1, numeric(C.STIRLING, count)(np.maximum(ks, 1)), 0.0)
    close(full - short + 1.0, stirling + 1.0)
    gap = special.gammaln(ks + 1) - stirling
    big = ks > 1
    assert np.all(gap[big] > 0) and np.all(gap[big] < 1 / (12 * ks[big]))


def test_torch_mse_loss_is_scaled_gaussian_nll(torch, rng):
    """mse_loss is 2σ² (−log N − ½ log 2πσ²) (mse-from-gaussian), for any fixed σ."""
    ys, mus, sds = rng.normal(size=N), rng.normal(size=N), rng.uniform(0.2, 3, N)
    theirs = torch.nn.functional.mse_loss(
        tensor(torch, mus), tensor(torch, ys), reduction="none"
    ).numpy()
    close(numeric(C.SQUARES.start, y, mu, sigma)(ys, mus, sds), theirs)


def test_torch_l1_loss_is_scaled_laplace_nll(torch, rng):
    """l1_loss is b (−log Laplace − log 2b) (l1-from-laplace), for any fixed b."""
    ys, mus, bs = rng.normal(size=N), rng.normal(size=N), rng.uniform(0.2, 3, N)
    theirs = torch.nn.functional.l1_loss(
        tensor(torch, mus), tensor(torch, ys), reduction="none"
    ).numpy()
    close(numeric(C.ABSOLUTE.start, y, mu, b)(ys, mus, bs), theirs)
