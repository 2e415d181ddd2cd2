"""The trusted kernel: wrong steps are refuted with a certificate, true ones verified."""

from __future__ import annotations

import time

import pytest
from sympy import (
    Function,
    Indexed,
    IndexedBase,
    Integer,
    Rational,
    Sum,
    Symbol,
    exp,
    log,
    oo,
    pi,
    sqrt,
)

from calcproof.derivation import Context, Step
from calcproof.losses import gaussian_density, gaussian_likelihood, gaussian_nll, sig
from calcproof.relations import Definition, Equal, Limit, argmax_to_argmin, argmin
from calcproof.symbols import D, I, d, f, i, phi, sigma, x, y, z
from calcproof.verify import check_step

a, b = Symbol("a", positive=True), Symbol("b", positive=True)
u, v = Symbol("u", real=True), Symbol("v", real=True)
k = Symbol("k", integer=True, positive=True)
residual = y[i, d] - f(d, x[i], phi)
LS = Sum(residual**2, (d, 1, D), (i, 1, I))


def eq(lhs, rhs):
    return Step(Equal(), lhs, rhs, "test")


def check(step, ctx=None, timeout=10.0):
    return check_step(step, ctx or Context(), timeout, diagnose=False)


TRUE_STEPS = [
    ("log of a product of positives", eq(log(a * b), log(a) + log(b))),
    ("log of exp", eq(log(exp(u)), u)),
    ("sigmoid unfolds", eq(sig(z), 1 / (1 + exp(-z)))),
    ("sigmoid symmetry", eq(1 - sig(z), sig(-z))),
    ("sigmoid at zero", eq(sig(0), Rational(1, 2))),
    ("constant sum", eq(Sum(log(sigma), (d, 1, D)), D * log(sigma))),
    ("constant sum, explicit range", eq(Sum(u, (d, 1, 10)), 10 * u)),
    ("sum linearity", eq(Sum(y[i, d] + u, (d, 1, D)), Sum(y[i, d], (d, 1, D)) + D * u)),
    (
        "factor out of a nested sum",
        eq(Sum(residual**2 / (2 * sigma**2), (d, 1, D), (i, 1, I)), LS / (2 * sigma**2)),
    ),
    ("renamed index", eq(Sum(y[i, d], (d, 1, D)), Sum(y[i, k], (k, 1, D)))),
    (
        "nll equals the sum of the log densities",
        eq(
            gaussian_nll(D),
            -Sum(log(gaussian_density(y[i, d], f(d, x[i], phi))), (d, 1, D), (i, 1, I)),
        ),
    ),
    ("derivative", eq(sig(z).diff(z), sig(z) * (1 - sig(z)))),
    ("closed-form sum", eq(Sum(k, (k, 1, D)), D * (D + 1) / 2)),
]


@pytest.mark.parametrize(("name", "step"), TRUE_STEPS, ids=[n for n, _ in TRUE_STEPS])
def test_true_equalities_are_verified(name, step):
    """Each true identity is verified by a symbolic method."""
    verdict = check(step)
    assert verdict.status == "verified", verdict
    assert verdict.method


WRONG_EQUALITIES = [
    ("flipped sign", eq(log(2 * exp(u)), u - log(2))),
    ("changed constant", eq(sig(0), Rational(1, 3))),
    ("changed constant in a sum", eq(Sum(u, (d, 1, D)), (D + 1) * u)),
    ("square root of a square", eq(sqrt(u**2), u)),
    ("sum is not ten times its summand", eq(Sum(y[i, d], (d, 1, 10)), 10 * y[i, d])),
    ("wrong derivative", eq(sig(z).diff(z), sig(z) * (1 + sig(z)))),
    ("off-by-one closed form", eq(Sum(k, (k, 1, D)), D * (D - 1) / 2)),
    ("dropped factor 1/2", eq(log(1 / sqrt(2 * pi * sigma**2)), -log(2 * pi * sigma**2))),
]


@pytest.mark.parametrize(("name", "step"), WRONG_EQUALITIES, ids=[n for n, _ in WRONG_EQUALITIES])
def test_wrong_equalities_are_refuted_with_a_checked_point(name, step):
    """A false equation is refuted, and its counterexample really separates the two sides."""
    verdict = check(step)
    assert verdict.status == "refuted", verdict
    values = dict(verdict.values)
    assert abs(float(values["lhs"]) - float(values["rhs"])) > 1e-9
    point = dict(verdict.counterexample)
    both = step.lhs - step.rhs
    labels = {a.base.label for a in both.atoms(Indexed)}
    free = {str(s) for s in both.free_symbols if s.is_Symbol and s not in labels}
    assert free <= set(point)


def test_counterexample_respects_assumptions():
    """sqrt(u^2) = u is refuted at a negative u, never at a positive one."""
    verdict = check(eq(sqrt(u**2), u))
    assert verdict.status == "refuted"
    assert Rational(dict(verdict.counterexample)["u"]) < 0


def test_identity_needing_positivity_is_not_verified_for_reals():
    """log(uv) = log u + log v is not verified when u, v are only known to be real."""
    verdict = check(eq(log(u * v), log(u) + log(v)))
    assert verdict.status != "verified"


def test_binary_domain_is_respected():
    """y(1 - y) = 0 holds for y in {0, 1}: it must not be refuted there."""
    label = Symbol("y", real=True)
    ctx = Context(domains=((label, "binary"),))
    assert check(eq(label * (1 - label), Integer(0)), ctx).status != "refuted"
    assert check(eq(label * (1 - label), Integer(0))).status == "refuted"


def test_index_used_outside_its_sum_is_refuted_structurally():
    """The worksheet's bracket slip: a summand term left outside Σ_i Σ_d is refuted."""
    constant = log(1 / sqrt(2 * pi * sigma**2))
    q = residual**2 / (2 * sigma**2)
    inside = -Sum(constant - q, (d, 1, 10), (i, 1, I))
    outside = -Sum(constant, (d, 1, 10), (i, 1, I)) - q
    for step in (Step(argmin(phi), inside, outside, "t"), eq(inside, outside)):
        verdict = check(step)
        assert verdict.status == "refuted", verdict
        assert "index" in verdict.message and "outside" in verdict.message


ARGMIN_TRUE = [
    ("drop an additive constant", LS + D * I * log(sigma), LS),
    ("drop a positive factor", LS / (2 * sigma**2), LS),
    ("constant inside the sum", Sum(residual**2 + log(sigma), (d, 1, D), (i, 1, I)), LS),
    ("explicit range", Sum(residual**2, (d, 1, 10), (i, 1, I)) * 3 + 7, LS.subs(D, 10)),
]


@pytest.mark.parametrize(("name", "lhs", "rhs"), ARGMIN_TRUE, ids=[n for n, *_ in ARGMIN_TRUE])
def test_true_argmin_steps_are_verified(name, lhs, rhs):
    """Additive constants and positive factors free of φ do not move the minimiser."""
    verdict = check(Step(argmin(phi), lhs, rhs, "t"))
    assert verdict.status == "verified", verdict


ARGMIN_WRONG = [
    ("negative multiplier", LS, -LS),
    ("dropped φ-dependent term", LS + Sum(f(d, x[i], phi) ** 2, (d, 1, D), (i, 1, I)), LS),
    ("φ-dependent factor", LS, phi**2 * LS),
    ("negative factor -1/(2σ²)", -LS / (2 * sigma**2), LS),
]


@pytest.mark.parametrize(("name", "lhs", "rhs"), ARGMIN_WRONG, ids=[n for n, *_ in ARGMIN_WRONG])
def test_wrong_argmin_steps_are_refuted_by_order_reversal(name, lhs, rhs):
    """A claim that changes the minimiser is refuted with two parameter points p, q."""
    verdict = check(Step(argmin(phi), lhs, rhs, "t"))
    assert verdict.status == "refuted", verdict
    values = {key: float(val) for key, val in verdict.values}
    assert values["lhs(p)"] < values["lhs(q)"]
    assert values["rhs(p)"] > values["rhs(q)"]
    assert any(key.endswith("@p") for key, _ in verdict.counterexample)
    assert any(key.endswith("@q") for key, _ in verdict.counterexample)


def test_argmax_likelihood_is_argmin_negative_log():
    """argmax of a positive likelihood is argmin of its negative log, not of the log."""
    likelihood = gaussian_likelihood(D, I=I)
    assert check(Step(argmax_to_argmin(phi), likelihood, gaussian_nll(D), "t")).status == (
        "verified"
    )
    wrong = check(Step(argmax_to_argmin(phi), likelihood, -gaussian_nll(D), "t"))
    assert wrong.status == "refuted", wrong


LIMITS = [
    ("sig at -oo", sig(z), Limit(z, -oo), Integer(0), "verified"),
    ("sig at +oo", sig(z), Limit(z, oo), Integer(1), "verified"),
    ("wrong point", sig(z), Limit(z, oo), Integer(0), "refuted"),
    ("wrong value", sig(z), Limit(z, -oo), Rational(1, 2), "refuted"),
    ("wrong direction", 1 / z, Limit(z, Integer(0), "+"), -oo, "refuted"),
    ("right direction", 1 / z, Limit(z, Integer(0), "-"), -oo, "verified"),
]


@pytest.mark.parametrize(
    ("name", "expr", "rel", "value", "status"), LIMITS, ids=[r[0] for r in LIMITS]
)
def test_limits(name, expr, rel, value, status):
    """Limits are checked with their direction; a wrong value is refuted."""
    verdict = check(Step(rel, expr, value, "t"))
    assert verdict.status == status, verdict


def test_definitions_need_no_proof():
    """A definition step gets the 'definition' verdict, never 'verified'."""
    verdict = check(Step(Definition(), Symbol("L"), LS, "definition"))
    assert verdict.status == "definition"


def test_definitions_are_unfolded():
    """A name defined in the context is replaced by its value before checking."""
    L = Symbol("L", real=True)
    ctx = Context(definitions=((L, LS),))
    assert check(eq(L, LS), ctx).status == "verified"
    assert check(eq(L, 2 * LS), ctx).status == "refuted"


def test_pathological_step_is_unknown_within_its_budget():
    """A step nobody can decide in time comes back unknown, and on time."""
    g = Function("g", real=True)
    big = 10**9
    step = eq(Sum(g(k), (k, 1, big)), Sum(g(k), (k, 2, big + 1)))
    started = time.perf_counter()
    verdict = check(step, timeout=1.0)
    elapsed = time.perf_counter() - started
    assert verdict.status == "unknown"
    assert elapsed < 3.0


def test_symbolic_and_explicit_ranges_agree():
    """The same fact gets the same verdict with D symbolic and with D = 10 or 1000."""
    base = IndexedBase("w", real=True)
    for size in (D, 10, 1000):
        good = eq(Sum(base[d] + u, (d, 1, size)), Sum(base[d], (d, 1, size)) + size * u)
        bad = eq(Sum(base[d] + u, (d, 1, size)), Sum(base[d], (d, 1, size)) + u)
        assert check(good).status == "verified", size
        assert check(bad).status == "refuted", size
