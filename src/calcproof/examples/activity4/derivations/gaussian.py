"""Activity 4, task 3: with a fixed variance, minimising the Gaussian NLL is least squares."""

from sympy import Product

from calcproof import rules
from calcproof.derivation import chain, define, then
from calcproof.losses import Pr, gaussian_density, least_squares
from calcproof.relations import argmax_to_argmin, argmin
from calcproof.symbols import D, I, d, f, f_scalar, i, phi, sigma, x, y


def least_squares_from_likelihood(size, name):
    """argmax_φ Π_i Pr(y_i | f[x_i, φ], σ²) ≡ argmin_φ Σ_i Σ_d (y_id − f_d[x_i, φ])²."""
    pair = Pr(y[i], f_scalar(x[i], phi), sigma**2)
    likelihood = define(
        pair,
        Product(gaussian_density(y[i, d], f(d, x[i], phi)), (d, 1, size)),
        why=f"{size} independent normal outputs with means f_d[x_i, φ] and variance σ²",
    )
    return chain(
        name,
        f"Maximum likelihood with {size} Gaussian outputs of fixed variance is least squares",
        Product(pair, (i, 1, I)),
        [
            then("=", rules.substitute(pair, likelihood.rhs)),
            then(argmax_to_argmin(phi), rules.argmax_to_argmin_neg_log),
            then("=", rules.log_of_product),
            then("=", rules.log_of_product_and_exp),
            then("=", rules.sum_linearity),
            then("=", rules.pull_constants),
            then(argmin(phi), rules.drop_terms_free_of(phi)),
            then(argmin(phi), rules.drop_positive_factor(phi)),
        ],
        definitions=[likelihood],
        expect=least_squares(size),
    )


TEN = least_squares_from_likelihood(10, "gaussian-least-squares")
SYMBOLIC = least_squares_from_likelihood(D, "gaussian-least-squares-symbolic-D")

DERIVATIONS = [TEN, SYMBOLIC]
