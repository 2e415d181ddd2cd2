"""Property tests of the kernel on random expressions (hypothesis).

Equations: for a random rational expression ``p`` in a real ``z``, the kernel
verifies ``p = expand(p)`` and never verifies ``p = p + c`` for a rational
``c ≠ 0``.  Optimisation: for a random least-squares style objective ``A``,
it never verifies ``argmin_φ A ≡ argmin_φ -m·A`` and does verify
``argmin_φ A ≡ argmin_φ m·A + b`` (``m > 0``, ``b`` free of φ).

True identities (``identity_strategies``: expand/factor, log/exp under positivity,
Σ with symbolic bounds, derivatives of compositions with unknown functions) are
never refuted; wrong derivative rules for unknown functions are never verified.
The full run, with the verified fraction per family, is ``bench/campaign_property.py``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from identity_strategies import (
    TRUE_FAMILIES,
    Claim,
    expand_claims,
    factor_claims,
    false_for_concrete_functions,
    wrong_derivative_claims,
)
from sympy import Expr, IndexedBase, Integer, Rational, Sum, Symbol, expand

from calcproof.derivation import Step
from calcproof.relations import Equal, argmin
from calcproof.symbols import D, d, f, phi
from calcproof.verify import check_step

z = Symbol("z", real=True)
data = IndexedBase("y", real=True)
point = Symbol("x", real=True)
TIMEOUT = 5.0
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)

small_ints = st.integers(-4, 4)
nonzero_rationals = st.builds(
    Rational, st.integers(-9, 9).filter(lambda n: n != 0), st.integers(1, 6)
)
positive_rationals = st.builds(Rational, st.integers(1, 9), st.integers(1, 6))


@st.composite
def polynomials(draw: st.DrawFn) -> Expr:
    """``Σ a_k z^k`` with small integer coefficients, degree at most 4."""
    coefficients = draw(st.lists(small_ints, min_size=1, max_size=5))
    return sum((Integer(a) * z**k for k, a in enumerate(coefficients)), Integer(0))  # type: ignore[no-any-return]


def _combine(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    """Sums, products, small powers and quotients by ``z² + k`` (never zero) of smaller trees."""
    return st.one_of(
        st.builds(lambda a, b: a + b, children, children),
        st.builds(lambda a, b: a * b, children, children),
        st.builds(lambda a, n: a**n, children, st.integers(2, 3)),
        st.builds(lambda a, k: a / (z**2 + k), children, st.integers(1, 4)),
    )


linear_factors = st.builds(
    lambda a, b: a * z + b, st.integers(-3, 3).filter(lambda n: n != 0), small_ints
)
expressions = st.recursive(
    st.one_of(linear_factors, polynomials(), st.builds(Integer, small_ints)),
    _combine,
    max_leaves=6,
)
"""Rational expressions in z, mostly unexpanded: products and powers of sums, quotients."""


@st.composite
def least_squares(draw: st.DrawFn) -> Expr:
    """``k Σ_{d=1}^{n} (y_d - f_d[x, φ])^e + b``: ``k > 0``, ``n`` is D or 1..3, ``e`` 2 or 4."""
    size = draw(st.sampled_from([D, Integer(1), Integer(2), Integer(3)]))
    power = draw(st.sampled_from([2, 4]))
    scale = draw(positive_rationals)
    offset = draw(st.builds(Rational, small_ints, st.integers(1, 3)))
    residual = data[d] - f(d, point, phi)
    return scale * Sum(residual**power, (d, 1, size)) + offset


@SETTINGS
@given(expressions)
def test_expanding_is_verified(p: Expr) -> None:
    """``p = expand(p)`` is verified for every random rational expression that expand changes."""
    assume(expand(p) != p)
    verdict = check_step(Step(Equal(), p, expand(p), "expand"), timeout=TIMEOUT)
    assert verdict.status == "verified", verdict.message


@SETTINGS
@given(expressions, nonzero_rationals)
def test_adding_a_constant_is_never_verified(p: Expr, c: Rational) -> None:
    """``p = p + c`` with ``c ≠ 0`` is never verified."""
    verdict = check_step(Step(Equal(), p, p + c, "shifted"), timeout=TIMEOUT)
    assert verdict.status != "verified", verdict.method


@SETTINGS
@given(least_squares(), positive_rationals)
def test_negated_objective_is_never_verified(objective: Expr, m: Rational) -> None:
    """``argmin_φ A ≡ argmin_φ -m·A`` (maximisers, not minimisers) is never verified."""
    step = Step(argmin(phi), objective, -m * objective, "negated")
    verdict = check_step(step, timeout=TIMEOUT)
    assert verdict.status != "verified", verdict.method


@settings(SETTINGS, max_examples=10)
@given(least_squares(), positive_rationals, st.builds(Rational, small_ints, st.integers(1, 3)))
def test_positive_affine_objective_is_verified(objective: Expr, m: Rational, b: Rational) -> None:
    """``argmin_φ A ≡ argmin_φ m·A + b`` with ``m > 0`` is verified (the negation has teeth)."""
    step = Step(argmin(phi), objective, m * objective + b, "affine")
    verdict = check_step(step, timeout=TIMEOUT)
    assert verdict.status == "verified", verdict.message


@settings(SETTINGS, max_examples=10)
@given(st.one_of(expand_claims(), factor_claims()))
def test_expand_and_factor_claims_are_verified(claim: Claim) -> None:
    """A product of polynomials equals its expansion, and an expansion equals its factored form."""
    verdict = check_step(claim.step, timeout=TIMEOUT)
    assert verdict.status == "verified", verdict.message


@settings(SETTINGS, max_examples=30)
@given(st.one_of(*TRUE_FAMILIES.values()))
def test_true_identities_are_never_refuted(claim: Claim) -> None:
    """No true identity (any family) is refuted: a counterexample to a true claim is a bug."""
    verdict = check_step(claim.step, timeout=TIMEOUT)
    assert verdict.status != "refuted", (claim.step, verdict.message)


@settings(SETTINGS, max_examples=20)
@given(wrong_derivative_claims())
def test_wrong_derivatives_of_unknown_functions_are_never_verified(claim: Claim) -> None:
    """Wrong rules (``d/dz F(z) = 0``, ``(zF)' = F``, ``(F∘g)' = F'∘g`` …) are never verified."""
    assume(false_for_concrete_functions(claim.step))
    verdict = check_step(claim.step, timeout=TIMEOUT)
    assert verdict.status != "verified", (claim.step, verdict.method)
