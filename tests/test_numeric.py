"""The fast Σ/∏ evaluator used for refutation agrees with SymPy's own evaluation."""

from __future__ import annotations

import random

import pytest
from sympy import Indexed, Integer, Product, Sum, Symbol, exp, log, sqrt, tanh
from sympy.core.function import AppliedUndef

from calcproof.derivation import Context
from calcproof.losses import gaussian_nll, least_squares, sigmoid
from calcproof.symbols import D, I, d, f, i, phi, sigma, x, y, z
from calcproof.verify import numeric
from calcproof.verify.normal import unfold
from calcproof.verify.sampling import Sampler

u = Symbol("u", real=True)
CASES = [
    ("gaussian nll", unfold(gaussian_nll(3)).xreplace({I: Integer(2)})),
    ("least squares", least_squares(4).xreplace({I: Integer(3)})),
    ("sigmoid", sigmoid(z) * log(1 + exp(-z))),
    ("product over a data-dependent term", Product(1 + y[i, d] ** 2, (d, 1, 3), (i, 1, 2))),
    ("network output of a plain symbol", f(d, x[i], phi).xreplace({d: 1, i: 2}) * sqrt(2) + u),
]


def sympy_value(expr, sampler, digits):
    """Evaluate ``expr`` written out, with the values the fast walker handed out."""
    written = expr.doit()
    by_name = sampler.shown
    atoms = written.atoms(AppliedUndef) | written.atoms(Indexed) | written.free_symbols
    mapping = {a: by_name[str(a)] for a in atoms if str(a) in by_name}
    return written.xreplace(mapping).evalf(digits)


@pytest.mark.parametrize(("name", "expr"), CASES, ids=[n for n, _ in CASES])
def test_fast_values_match_sympy(name, expr):
    """At several random points the walker's 30-digit value equals SymPy's evalf."""
    for seed in range(4):
        sampler = Sampler(Context(), random.Random(seed), None)
        fast = numeric.value(expr, sampler, "p", 30)
        slow = sympy_value(expr, sampler, 30)
        if fast is None:
            assert not slow.is_real or not slow.is_finite
            continue
        assert abs(fast - slow) <= abs(slow) * 1e-25 + 1e-40, (fast, slow)


def test_inner_bound_may_depend_on_the_outer_index():
    """Σ_{i=1}^{3} Σ_{d=1}^{i} y_id visits exactly the six terms with d ≤ i."""
    sampler = Sampler(Context(), random.Random(1), None)
    fast = numeric.value(Sum(y[i, d], (d, 1, i), (i, 1, 3)), sampler, "p", 30)
    terms = [y[a, b] for a in (1, 2, 3) for b in range(1, a + 1)]
    assert sorted(sampler.shown) == sorted(str(t) for t in terms)
    assert abs(fast - sum(sampler.shown[str(t)] for t in terms)) < 1e-25


def test_complex_values_are_not_admissible():
    """log of a negative number is not a real value: the point is skipped (None)."""
    sampler = Sampler(Context(), random.Random(0), None)
    assert numeric.value(log(Integer(-2)) + sigma, sampler, "p", 30) is None


def test_unknown_nodes_fall_back():
    """A node the walker does not know raises Unsupported, so SymPy's evalf takes over."""
    from sympy import gamma

    sampler = Sampler(Context(), random.Random(0), None)
    with pytest.raises(numeric.Unsupported):
        numeric.value(gamma(u + 3), sampler, "p", 30)


def test_reversed_ranges_are_empty():
    """A reversed range has no terms (the usual convention, not SymPy's Karr convention)."""
    sampler = Sampler(Context(), random.Random(0), None)
    empty_sum = numeric.value(Sum(y[d], (d, 5, 1)), sampler, "p", 30)
    empty_product = numeric.value(Product(y[d] + 7, (d, 5, 1)), sampler, "p", 30)
    assert empty_sum is not None and float(empty_sum) == 0.0
    assert empty_product is not None and float(empty_product) == 1.0


def test_complex_intermediate_values_are_not_admissible():
    """sqrt(w)·sqrt(1/w) is real (-1 for w < 0) but its factors are not: the point is skipped."""
    sampler = Sampler(Context(), random.Random(0), None)
    w = u - 100  # u is drawn from [-30, 30], so w < 0
    assert numeric.value(sqrt(w) * sqrt(1 / w), sampler, "p", 30) is None
    assert numeric.value(sqrt(-w) * sqrt(-1 / w), sampler, "p", 30) is not None


def test_cancellation_is_counted_as_lost_digits():
    """1 - tanh(100) cancels 87 digits: unresolved at 30 digits, resolved at 120."""
    sampler = Sampler(Context(), random.Random(0), None)
    expr = exp(1 - tanh(Integer(100)))
    low = numeric.reading(expr, sampler, "p", 30)
    high = numeric.reading(expr, sampler, "p", 120)
    assert low is not None and not low.resolved
    assert high is not None and high.resolved


def test_symbolic_ranges_must_be_instantiated():
    """A Σ up to a symbol D cannot be walked; the caller instantiates D first."""
    sampler = Sampler(Context(), random.Random(0), None)
    value = numeric.value(Sum(y[d], (d, 1, D)), sampler, "p", 30)
    assert value is not None  # D itself gets a sampled integer value
