"""Hypothesis strategies for the property campaign: true identities, and wrong derivatives.

Each strategy draws a :class:`Claim` (a step and its context).  The *true* ones —
polynomial expand/factor, log/exp under positivity, Σ with symbolic bounds
(linearity, constants out, splitting the range), derivatives of compositions,
the chain and product rules with unknown functions — must never be refuted.
The *wrong* ones — derivatives of unknown functions such as ``d/dx f(x) = 0`` or
``(x f)' = f`` — must never be verified; each is confirmed false by replacing the
unknown functions with concrete ones (:func:`false_for_concrete_functions`).
Used by ``tests/test_kernel_properties.py`` (bounded) and ``bench/campaign_property.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st
from sympy import (
    Derivative,
    Expr,
    Function,
    IndexedBase,
    Integer,
    Lambda,
    Rational,
    Sum,
    Symbol,
    cos,
    exp,
    expand,
    factor,
    log,
    sin,
    sqrt,
    tanh,
)

from calcproof.derivation import Step
from calcproof.relations import Equal

z = Symbol("z", real=True)
a, b = Symbol("a", positive=True), Symbol("b", positive=True)
n, m = Symbol("n", integer=True, positive=True), Symbol("m", integer=True, positive=True)
k = Symbol("k", integer=True, positive=True)
u_, v_ = IndexedBase("u", real=True), IndexedBase("v", real=True)
F, G = Function("F", real=True), Function("G", real=True)

small_ints = st.integers(-4, 4)
nonzero = st.integers(-5, 5).filter(lambda q: q != 0)
rationals = st.builds(Rational, nonzero, st.integers(1, 4))
positive_rationals = st.builds(Rational, st.integers(1, 9), st.integers(1, 4))


@dataclass(frozen=True)
class Claim:
    """A claim for the kernel and the family it was drawn from."""

    family: str
    step: Step


def equal(family: str, lhs: Expr, rhs: Expr) -> Claim:
    return Claim(family, Step(Equal(), lhs, rhs, family))


@st.composite
def polynomials(draw: st.DrawFn) -> Expr:
    """``Σ a_j z^j`` with small integer coefficients, degree at most 4."""
    coefficients = draw(st.lists(small_ints, min_size=1, max_size=5))
    return sum((Integer(c) * z**j for j, c in enumerate(coefficients)), Integer(0))  # type: ignore[no-any-return]


linear = st.builds(lambda p, q: p * z + q, nonzero, small_ints)
products = st.lists(st.one_of(linear, polynomials()), min_size=1, max_size=3).map(
    lambda fs: Integer(1) * math.prod(fs)
)


@st.composite
def expand_claims(draw: st.DrawFn) -> Claim:
    """``p = expand(p)`` for a product of polynomials (either way round)."""
    p = draw(products)
    e = expand(p)
    return equal("expand", p, e) if draw(st.booleans()) else equal("expand", e, p)


@st.composite
def factor_claims(draw: st.DrawFn) -> Claim:
    """``expand(p) = factor(expand(p))`` for a product of linear factors."""
    p = expand(Integer(1) * math.prod(draw(st.lists(linear, min_size=2, max_size=4))))
    return equal("factor", p, factor(p))


@st.composite
def log_exp_claims(draw: st.DrawFn) -> Claim:
    """Logs of products, quotients and powers of positive letters; exp of sums; log ∘ exp."""
    p, q = draw(small_ints), draw(small_ints)
    c = draw(positive_rationals)
    poly = draw(polynomials())
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return equal("log-exp", log(c * a**p * b**q), log(c) + p * log(a) + q * log(b))
    if choice == 1:
        return equal("log-exp", log(a / b) + log(c), log(c * a) - log(b))
    if choice == 2:
        return equal("log-exp", exp(poly + log(a)), a * exp(poly))
    if choice == 3:
        return equal("log-exp", log(exp(poly)), poly)
    return equal("log-exp", exp(p * log(a)) * exp(poly), a**p * exp(poly))


def _summand(draw: st.DrawFn) -> Expr:
    c = draw(rationals)
    return draw(st.sampled_from([u_[k], u_[k] ** 2, c * u_[k] * v_[k], exp(u_[k]), k * u_[k]]))


@st.composite
def sum_claims(draw: st.DrawFn) -> Claim:
    """Σ over ``1..n`` (n symbolic): linearity, constants out, ranges split, Σ c = n c."""
    s, t = _summand(draw), _summand(draw)
    c, e = draw(rationals), draw(rationals)
    top = draw(st.sampled_from([n, n + 1, 2 * n]))
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return equal(
            "sum",
            Sum(c * s + e * t, (k, 1, top)),
            c * Sum(s, (k, 1, top)) + e * Sum(t, (k, 1, top)),
        )
    if choice == 1:
        return equal("sum", Sum(c * a * s, (k, 1, top)), c * a * Sum(s, (k, 1, top)))
    if choice == 2:
        split = Sum(s, (k, 1, n)) + Sum(s, (k, n + 1, n + m))
        return equal("sum", Sum(s, (k, 1, n + m)), split)
    if choice == 3:
        return equal("sum", Sum(c + e * a, (k, 1, top)), top * (c + e * a))
    return equal("sum", Sum(s - t, (k, 1, top)) + Sum(t, (k, 1, top)), Sum(s, (k, 1, top)))


_known: list[Callable[[Expr], Expr]] = [exp, sin, cos, lambda w: w**2 + 1, lambda w: 3 * w - 2]


@st.composite
def compositions(draw: st.DrawFn) -> Expr:
    """``g_1(g_2(… z))`` of exp, sin, cos and polynomials, depth 1 to 3, times a polynomial."""
    inner: Expr = z
    for g in draw(st.lists(st.sampled_from(_known), min_size=1, max_size=3)):
        inner = g(inner)
    return inner * draw(st.sampled_from([Integer(1), z, z**2 + 1]))


@st.composite
def derivative_claims(draw: st.DrawFn) -> Claim:
    """``d/dz e = e'`` (SymPy's diff) for a composition, possibly with unknown F, G inside."""
    e = draw(compositions())
    choice = draw(st.integers(0, 3))
    if choice == 1:
        e = F(e)  # chain rule through an unknown function
    elif choice == 2:
        e = F(z) * e  # product rule with an unknown function
    elif choice == 3:
        e = F(z) * G(draw(st.sampled_from([z, z**2, exp(z)])))
    return equal("derivative" if choice == 0 else "derivative-unknown", Derivative(e, z), e.diff(z))


@st.composite
def wrong_derivative_claims(draw: st.DrawFn) -> Claim:
    """Wrong rules for unknown F, G: ``F' = 0``, ``(zF)' = F``, ``(F∘g)' = F'∘g``, and more."""
    g = draw(st.sampled_from([z**2, 3 * z, exp(z), z**2 + z]))
    c = draw(rationals)
    choice = draw(st.integers(0, 5))
    if choice == 0:
        lhs, rhs = Derivative(F(z), z), Integer(0)
    elif choice == 1:
        lhs, rhs = Derivative(z * F(z), z), F(z)
    elif choice == 2:
        lhs, rhs = Derivative(F(g), z), F(z).diff(z).subs(z, g)
    elif choice == 3:
        lhs, rhs = Derivative(F(z) * G(z), z), F(z).diff(z) * G(z).diff(z)
    elif choice == 4:
        lhs, rhs = Derivative(c * F(z) ** 2, z), 2 * c * F(z)
    else:
        lhs, rhs = Derivative(F(z), z), Derivative(F(z), z) + c
    return equal("wrong-derivative", lhs, rhs)


r, w = Symbol("r", real=True), Symbol("w", real=True)
j = Symbol("j", integer=True)


@st.composite
def domain_claims(draw: st.DrawFn) -> Claim:
    """True wherever every part is real (issue 7, defect 7): ``√(cr/w)·√(w/(cr)) = 1``,
    ``√r·√w = √(rw)``, ``log_a a^r = r``, ``(−1)^j cos^j r = (−cos r)^j``."""
    c = draw(positive_rationals)
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return equal("domains", sqrt(c * r / w) * sqrt(w / (c * r)), Integer(1))
    if choice == 1:
        return equal("domains", c * sqrt(r) * sqrt(w), c * sqrt(r * w))
    if choice == 2:
        return equal("domains", log(a ** (c * r)) / log(a), c * r)
    return equal("domains", (-1) ** j * cos(c * r) ** j, (-cos(c * r)) ** j)


@st.composite
def precision_claims(draw: st.DrawFn) -> Claim:
    """``1 − tanh(r + c) = 2/(e^{2r + 2c} + 1)`` for a large shift ``c`` (cancellation)."""
    c = draw(st.integers(20, 150))
    return equal("precision", 1 - tanh(r + c), 2 / (exp(2 * r + 2 * c) + 1))


CONCRETE = {F: Lambda(z, exp(z) + z**3), G: Lambda(z, sin(z) + 2)}
"""Stand-ins for the unknown functions when confirming that a wrong rule is wrong."""


def false_for_concrete_functions(step: Step) -> bool:
    """True when, with F and G replaced by concrete functions, the sides differ at z = 0.7, 1.3."""
    lhs, rhs = (side.subs(CONCRETE).doit() for side in (step.lhs, step.rhs))
    for at in (Rational(7, 10), Rational(13, 10)):
        left, right = complex(lhs.subs(z, at).evalf(30)), complex(rhs.subs(z, at).evalf(30))
        if abs(left - right) > 1e-9 * (1 + abs(left) + abs(right)):
            return True
    return False


TRUE_FAMILIES: dict[str, st.SearchStrategy[Claim]] = {
    "expand": expand_claims(),
    "factor": factor_claims(),
    "log-exp": log_exp_claims(),
    "sum": sum_claims(),
    "derivative": derivative_claims(),
    "domains": domain_claims(),
    "precision": precision_claims(),
}
