"""A seeded generator of TRUE chapter-5 identities, the third source of the mutation campaign.

Families (each a small function ``rng -> Identity``, letters, constants and sizes
drawn at random): log of a product of likelihoods, Gaussian NLL pieces, Bernoulli
and binary cross-entropy forms, Poisson counts, softmax and log-sum-exp, argmin
with positive factors and φ-free constants, argmax of a likelihood, sigmoid facts
and limits, gradients of a loss through the network output.  Every identity is true
by construction under its stated assumptions
(SymPy assumptions on the letters, plus the ``Context`` domains); the tests check
each against the numeric oracle as well.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sympy import (
    Abs,
    Basic,
    Derivative,
    Expr,
    IndexedBase,
    Integer,
    Max,
    Product,
    Rational,
    Sum,
    Symbol,
    exp,
    factorial,
    log,
    oo,
    pi,
    sqrt,
)

from calcproof.derivation import Context, Step
from calcproof.losses import gaussian_density, sig
from calcproof.relations import Equal, Limit, Optimum, argmax_to_argmin, argmin
from calcproof.symbols import D, I, d, f, f_scalar, i, phi, x, y

NO_ASSUMPTIONS = Context()


@dataclass(frozen=True)
class Identity:
    """One true claim: a family, a name unique within a generated list, the step, its context."""

    family: str
    name: str
    step: Step
    context: Context = NO_ASSUMPTIONS


Family = Callable[[random.Random], Identity]

xs = Symbol("x", real=True)
ys = Symbol("y", real=True)
z = Symbol("z", real=True)


def _positive(rng: random.Random) -> Symbol:
    return Symbol(rng.choice(["sigma", "s", "tau", "beta"]), positive=True)


def _size(rng: random.Random) -> Expr:
    return rng.choice([I, Integer(3), Integer(5), D])


def _coefficient(rng: random.Random) -> Rational:
    return Rational(rng.randint(1, 9), rng.randint(1, 4))


def _eq(
    family: str, rng: random.Random, lhs: Basic, rhs: Basic, ctx: Context = NO_ASSUMPTIONS
) -> Identity:
    return Identity(
        family, f"{family}-{rng.randrange(10**6)}", Step(Equal(), lhs, rhs, family), ctx
    )


def _opt(
    family: str,
    rng: random.Random,
    rel: Optimum,
    lhs: Basic,
    rhs: Basic,
    ctx: Context = NO_ASSUMPTIONS,
) -> Identity:
    return Identity(family, f"{family}-{rng.randrange(10**6)}", Step(rel, lhs, rhs, family), ctx)


def _residual(rng: random.Random) -> Expr:
    if rng.random() < 0.5:
        return y[i] - f_scalar(x[i], phi)
    return y[i, d] - f(d, x[i], phi)


def log_of_likelihood_product(rng: random.Random) -> Identity:
    """``log ∏_i N(y_i; f[x_i, φ], s²) = Σ_i log N(…)`` (and with a minus in front)."""
    s, n = _positive(rng), _size(rng)
    density = gaussian_density(y[i], f_scalar(x[i], phi), s)
    sign = rng.choice([1, -1])
    lhs = sign * log(Product(density, (i, 1, n)))
    return _eq("log-product", rng, lhs, sign * Sum(log(density), (i, 1, n)))


def gaussian_nll_piece(rng: random.Random) -> Identity:
    """``−log N(y; μ, s²) = (y − μ)²/(2s²) + ½ log(2π s²)`` and its pieces."""
    s = _positive(rng)
    mean = rng.choice([f_scalar(xs, phi), Symbol("mu", real=True)])
    density = gaussian_density(ys, mean, s)
    square = (ys - mean) ** 2 / (2 * s**2)
    choice = rng.randrange(3)
    if choice == 0:
        return _eq("gaussian-nll", rng, -log(density), square + log(2 * pi * s**2) / 2)
    if choice == 1:
        return _eq("gaussian-nll", rng, log(1 / sqrt(2 * pi * s**2)), -log(2 * pi * s**2) / 2)
    return _eq("gaussian-nll", rng, log(density), log(1 / sqrt(2 * pi * s**2)) - square)


def gaussian_sum_pieces(rng: random.Random) -> Identity:
    """``−Σ_i (log c − r_i²/(2s²)) = −n log c + Σ_i r_i²/(2s²)`` (constants out of Σ)."""
    s, n = _positive(rng), _size(rng)
    c = 1 / sqrt(2 * pi * s**2)
    r = y[i] - f_scalar(x[i], phi)
    lhs = -Sum(log(c) - r**2 / (2 * s**2), (i, 1, n))
    rhs = -n * log(c) + Sum(r**2, (i, 1, n)) / (2 * s**2)
    return _eq("gaussian-sum", rng, lhs, rhs)


def _unit(rng: random.Random) -> tuple[Expr, Context]:
    if rng.random() < 0.5:
        lam = Symbol(rng.choice(["lambda", "p", "rho"]), real=True)
        return lam, Context(((lam, "unit_interval"), (ys, "binary")))
    return sig(f_scalar(xs, phi)), Context(((ys, "binary"),))


def bernoulli(rng: random.Random) -> Identity:
    """``−log[λ^y (1−λ)^{1−y}] = −y log λ − (1−y) log(1−λ)``, λ in (0, 1), y in {0, 1}."""
    lam, ctx = _unit(rng)
    lhs = -log(lam**ys * (1 - lam) ** (1 - ys))
    return _eq("bernoulli", rng, lhs, -ys * log(lam) - (1 - ys) * log(1 - lam), ctx)


def bce_logit(rng: random.Random) -> Identity:
    """BCE of ``sig[u]`` as ``(1 − y) u + log(1 + e^{−u})``, and its y = 0, y = 1 cases."""
    a, b = rng.choice([1, 2, Rational(1, 2)]), rng.randint(-2, 2)
    u = a * f_scalar(xs, phi) + b
    bce = -ys * log(sig(u)) - (1 - ys) * log(1 - sig(u))
    ctx = Context(((ys, "binary"),))
    choice = rng.randrange(3)
    if choice == 0:
        return _eq("bce", rng, bce, (1 - ys) * u + log(1 + exp(-u)), ctx)
    if choice == 1:
        return _eq("bce", rng, -log(1 - sig(u)), log(1 + exp(u)))
    return _eq("bce", rng, -log(sig(u)), log(1 + exp(-u)))


def poisson(rng: random.Random) -> Identity:
    """``−log[μ^k e^{−μ}/k!] = μ − k log μ + log k!`` (one count, or a Σ over counts)."""
    if rng.random() < 0.5:
        mu = Symbol(rng.choice(["mu", "lambda"]), positive=True)
        k = Symbol("k", integer=True, nonnegative=True)
        lhs = -log(mu**k * exp(-mu) / factorial(k))
        return _eq("poisson", rng, lhs, mu - k * log(mu) + log(factorial(k)))
    mu = IndexedBase("mu", positive=True)
    k = IndexedBase("k", integer=True, nonnegative=True)
    n = rng.choice([I, Integer(3)])
    term = mu[i] ** k[i] * exp(-mu[i]) / factorial(k[i])
    rhs = Sum(mu[i] - k[i] * log(mu[i]) + log(factorial(k[i])), (i, 1, n))
    return _eq("poisson", rng, -Sum(log(term), (i, 1, n)), rhs)


def log_sum_exp(rng: random.Random) -> Identity:
    """``log Σ_k e^{z_k} = m + log Σ_k e^{z_k − m}``, softmax shift, −log softmax, two-term max."""
    zk = IndexedBase("z", real=True)
    k = Symbol("k", integer=True, positive=True)
    m = Symbol("m", real=True)
    size = Integer(rng.randint(2, 4))
    total = Sum(exp(zk[k]), (k, 1, size))
    shifted = Sum(exp(zk[k] - m), (k, 1, size))
    j = Integer(rng.randint(1, int(size)))
    choice = rng.randrange(4)
    if choice == 0:
        return _eq("log-sum-exp", rng, log(total), m + log(shifted))
    if choice == 1:
        return _eq("log-sum-exp", rng, exp(zk[j]) / total, exp(zk[j] - m) / shifted)
    if choice == 2:
        return _eq("log-sum-exp", rng, -log(exp(zk[j]) / total), -zk[j] + log(total))
    a, b = Symbol("a", real=True), Symbol("b", real=True)
    return _eq("log-sum-exp", rng, log(exp(a) + exp(b)), Max(a, b) + log(1 + exp(-Abs(a - b))))


def _objective(rng: random.Random) -> Expr:
    r = _residual(rng)
    power = rng.choice([2, 2, 4])
    if r.has(d):
        return Sum(Sum(r**power, (d, 1, rng.choice([D, Integer(2)]))), (i, 1, _size(rng)))
    return Sum(r**power, (i, 1, _size(rng)))


def argmin_affine(rng: random.Random) -> Identity:
    """``argmin_φ A ≡ argmin_φ c·A + b`` with ``c > 0`` and ``b`` free of φ (either side)."""
    s = _positive(rng)
    objective = _objective(rng)
    c = rng.choice([_coefficient(rng), 1 / (2 * s**2), s**2])
    b = rng.choice([Integer(rng.randint(-5, 5)), log(2 * pi * s**2) / 2, Sum(y[i] ** 2, (i, 1, I))])
    lhs, rhs = c * objective + b, objective
    if rng.random() < 0.5:
        lhs, rhs = rhs, lhs
    return _opt("argmin-affine", rng, argmin(phi), lhs, rhs)


def argmax_likelihood(rng: random.Random) -> Identity:
    """``argmax_φ ∏_i N(y_i; f_i, s²) ≡ argmin_φ Σ_i (y_i − f_i)²`` and ``≡ argmin −Σ log N``."""
    s, n = _positive(rng), _size(rng)
    density = gaussian_density(y[i], f_scalar(x[i], phi), s)
    lhs = Product(density, (i, 1, n))
    rel = argmax_to_argmin(phi)
    if rng.random() < 0.5:
        return _opt("argmax-likelihood", rng, rel, lhs, -Sum(log(density), (i, 1, n)))
    rhs = Sum((y[i] - f_scalar(x[i], phi)) ** 2, (i, 1, n))
    return _opt("argmax-likelihood", rng, rel, lhs, rhs)


def argmax_exp(rng: random.Random) -> Identity:
    """``argmax_φ c·e^{−A} ≡ argmin_φ A`` and ``argmax_φ −A ≡ argmin_φ A`` (c > 0)."""
    objective = _objective(rng)
    lhs = rng.choice([_coefficient(rng) * exp(-objective), -objective])
    return _opt("argmax-exp", rng, argmax_to_argmin(phi), lhs, objective)


def sigmoid_fact(rng: random.Random) -> Identity:
    """``sig(−u) = 1 − sig(u)``, ``1 − sig(u) = e^{−u}/(1 + e^{−u})``, the derivative of sig."""
    a, b = rng.choice([1, 2, 3, Rational(1, 2)]), rng.randint(-2, 2)
    u = a * z + b
    choice = rng.randrange(4)
    if choice == 0:
        return _eq("sigmoid", rng, sig(-u), 1 - sig(u))
    if choice == 1:
        return _eq("sigmoid", rng, 1 - sig(u), exp(-u) / (1 + exp(-u)))
    if choice == 2:
        return _eq("sigmoid", rng, Derivative(sig(u), z), a * sig(u) * (1 - sig(u)))
    return _eq("sigmoid", rng, sig(u), exp(u) / (exp(u) + 1))


def sigmoid_limit(rng: random.Random) -> Identity:
    """``sig(a z + b) → 1`` as ``z → ∞`` and ``→ 0`` as ``z → −∞`` (a > 0); sig at a point."""
    a, b = rng.choice([1, 2, 3, Rational(1, 2)]), rng.randint(-2, 2)
    u = a * z + b
    choice = rng.randrange(3)
    name = f"sigmoid-limit-{rng.randrange(10**6)}"
    if choice == 0:
        return Identity("sigmoid-limit", name, Step(Limit(z, oo), sig(u), Integer(1), "limit"))
    if choice == 1:
        return Identity("sigmoid-limit", name, Step(Limit(z, -oo), sig(u), Integer(0), "limit"))
    point = Rational(-b, a)
    return Identity("sigmoid-limit", name, Step(Limit(z, point), sig(u), Rational(1, 2), "limit"))


def loss_gradient(rng: random.Random) -> Identity:
    """The gradient of a per-pair loss through the network: ``∂L/∂φ = L'(f)·∂f/∂φ``."""
    u = f_scalar(xs, phi)
    grad = Derivative(u, phi)
    s = _positive(rng)
    k = Symbol("k", integer=True, nonnegative=True)
    choice = rng.randrange(4)
    ctx = NO_ASSUMPTIONS
    if choice == 0:
        loss, rhs = -ys * log(sig(u)) - (1 - ys) * log(1 - sig(u)), (sig(u) - ys) * grad
        ctx = Context(((ys, "binary"),))
    elif choice == 1:
        loss, rhs = (ys - u) ** 2, -2 * (ys - u) * grad
    elif choice == 2:
        loss, rhs = (ys - u) ** 2 / (2 * s**2), -(ys - u) * grad / s**2
    else:
        loss, rhs = exp(u) - k * u, (exp(u) - k) * grad
    return _eq("loss-gradient", rng, Derivative(loss, phi), rhs, ctx)


FAMILIES: tuple[Family, ...] = (
    log_of_likelihood_product,
    gaussian_nll_piece,
    gaussian_sum_pieces,
    bernoulli,
    bce_logit,
    poisson,
    log_sum_exp,
    argmin_affine,
    argmax_likelihood,
    argmax_exp,
    sigmoid_fact,
    sigmoid_limit,
    loss_gradient,
)


def identities(count: int, seed: int = 0) -> list[Identity]:
    """``count`` distinct true identities, the families taken in turn, drawn with ``seed``."""
    rng = random.Random(seed)
    out: list[Identity] = []
    seen: set[tuple[object, ...]] = set()
    attempts = 0
    while len(out) < count and attempts < 50 * count:
        family = FAMILIES[attempts % len(FAMILIES)]
        attempts += 1
        item = family(rng)
        key = (item.step.relation, item.step.lhs, item.step.rhs)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
