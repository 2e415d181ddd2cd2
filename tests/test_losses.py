"""The symbolic loss objects: their formulas, indices and parameter dependence."""

from __future__ import annotations

from sympy import Indexed, Integer, Product, Rational, Sum, Symbol, exp, log

from calcproof.losses import (
    bce,
    bce_logits,
    gaussian_likelihood,
    gaussian_nll,
    least_squares,
    sig,
    sigmoid,
)
from calcproof.symbols import D, I, d, f, i, phi, sigma, y, z


def test_public_imports():
    """The objects named in the design import from calcproof.losses."""
    from calcproof.losses import bce, gaussian_nll, sigmoid  # noqa: F401


def test_sigmoid_formula_and_named_function_agree():
    """sigmoid(z) is 1/(1+exp(-z)) and sig(z) rewrites to it."""
    assert sigmoid(z) == 1 / (1 + exp(-z))
    assert sig(z).rewrite(exp) == sigmoid(z)
    assert sig(0) != Rational(1, 2)  # stays unevaluated so that a step can show it
    assert sig(z).is_real and sig(z).is_positive


def test_bce_at_the_two_labels():
    """BCE is -log(1-p) for y = 0 and -log(p) for y = 1."""
    p = Symbol("p", positive=True)
    assert bce(Integer(0), p).doit() == -log(1 - p)
    assert bce(Integer(1), p).doit() == -log(p)
    assert bce_logits(Integer(1), z).doit() == -log(sig(z))
    assert bce(Symbol("y"), p).args[0].args[:2] == (-1, 1 - Symbol("y"))  # book shape kept


def test_gaussian_likelihood_is_a_product_over_d_and_i():
    """Ten outputs by default; D and I may be symbolic; data are indexed, not atoms."""
    one = gaussian_likelihood()
    assert isinstance(one, Product) and one.limits[0][1:] == (1, 10)
    everything = gaussian_likelihood(D, I=I)
    assert {lim[2] for lim in everything.limits} == {D, I}
    assert any(isinstance(a, Indexed) and a.base == y for a in everything.atoms(Indexed))


def test_nll_depends_on_phi_only_through_the_network():
    """The NLL mentions φ only inside f_d[x_i, φ]; σ and y are not parameters."""
    nll = gaussian_nll(D)
    assert nll.has(phi)
    without_network = nll.replace(lambda e: e.func == f, lambda e: Symbol("m"))
    assert not without_network.has(phi)
    assert sigma.is_positive


def test_least_squares_is_a_sum_of_squared_residuals():
    """The least-squares objective sums (y_id - f_d[x_i, φ])² over i and d."""
    ls = least_squares(D)
    assert isinstance(ls, Sum)
    assert {lim[0] for lim in ls.limits} == {i, d}
    x = next(a for a in ls.atoms(Indexed) if a.base.label.name == "x")
    assert ls.function == (y[i, d] - f(d, x, phi)) ** 2
