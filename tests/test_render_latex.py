"""Golden tests of the expression printer, for each notation profile."""

from __future__ import annotations

import pytest
from sympy import Add, Integer, Mul, Product, Subs, Sum, Symbol, exp, log, oo

from calcproof.errors import InputError
from calcproof.losses import Pr, gaussian_density, least_squares, sig, sigmoid
from calcproof.render.latex import bracket, latex
from calcproof.render.notation import STANDARD, UDL, profile
from calcproof.symbols import I, d, f, f_scalar, i, phi, sigma, x, y, z

X = Symbol("x", real=True)
Y = Symbol("y", real=True)
MINUS_ZERO = Mul(Integer(-1), Integer(0), evaluate=False)

CASES = [
    # (expression, udl, standard)
    (sig(z), r"\operatorname{sig}[z]", r"\sigma(z)"),
    (sigmoid(z), r"\frac{1}{1 + \exp[-z]}", r"\frac{1}{1 + \exp(-z)}"),
    (log(z), r"\log[z]", r"\log(z)"),
    (y[i, d], "y_{id}", "y_{id}"),
    (x[i], r"\mathbf{x}_{i}", r"\mathbf{x}_{i}"),
    (phi, r"\boldsymbol{\phi}", r"\boldsymbol{\phi}"),
    (
        f(d, x[i], phi),
        r"\mathbf{f}_{d}[\mathbf{x}_{i}, \boldsymbol{\phi}]",
        r"\mathbf{f}_{d}(\mathbf{x}_{i}, \boldsymbol{\phi})",
    ),
    (
        Pr(y[i], f_scalar(x[i], phi), sigma**2),
        r"\Pr(y_{i} \mid \mathbf{f}[\mathbf{x}_{i}, \boldsymbol{\phi}], \sigma^{2})",
        r"\Pr(y_{i} \mid \mathbf{f}(\mathbf{x}_{i}, \boldsymbol{\phi}), \sigma^{2})",
    ),
    (Subs(Symbol("L"), Y, 0), r"L\Big|_{y=0}", r"L\Big|_{y=0}"),
    (
        1 / Add(Integer(1), exp(MINUS_ZERO, evaluate=False), evaluate=False),
        r"\frac{1}{1 + \exp[-0]}",
        r"\frac{1}{1 + \exp(-0)}",
    ),
]


@pytest.mark.parametrize(("expr", "udl", "standard"), CASES)
def test_profiles_print_the_golden_strings(expr, udl, standard):
    """Each profile prints the expression exactly as the golden table says."""
    assert latex(expr, UDL) == udl
    assert latex(expr, STANDARD) == standard


def test_nested_sums_print_outermost_first_with_readable_residual():
    """A merged double sum prints as two sums, i before d, with y - f (not -f + y)."""
    assert latex(least_squares(10)) == (
        r"\sum_{i=1}^{I}\sum_{d=1}^{10} "
        r"\left(y_{id} - \mathbf{f}_{d}[\mathbf{x}_{i}, \boldsymbol{\phi}]\right)^{2}"
    )
    assert r"\substack" not in latex(Sum(d * i, (d, 1, 10), (i, 1, I)))
    assert latex(Product(Symbol("a"), (d, 1, 10), (i, 1, I))).startswith(
        r"\prod_{i=1}^{I}\prod_{d=1}^{10}"
    )


def test_gaussian_density_keeps_the_books_shape():
    """The normaliser stays 1/sqrt(2 pi sigma^2) and is printed before exp[...]."""
    tex = latex(gaussian_density(y[i, d], f(d, x[i], phi)))
    assert tex.startswith(r"\frac{1}{\sqrt{2 \pi \sigma^{2}}} \exp\left[- \frac{")
    assert r"\left(\left(" not in tex


def test_constant_factor_goes_before_a_sum():
    """(1/(2 sigma^2)) * sum prints as a fraction then the sum, not sum over 2 sigma^2."""
    tex = latex(least_squares(10) / (2 * sigma**2))
    assert tex.startswith(r"\frac{1}{2 \sigma^{2}} \sum_{i=1}^{I}")


def test_unevaluated_sum_keeps_its_written_order():
    """-(1 - y) log[1 - p] - y log[p], built unevaluated, prints in that order."""
    p = Symbol("p")
    one_minus_y = Add(Integer(1), -Y, evaluate=False)
    first = Mul(Integer(-1), one_minus_y, log(1 - p), evaluate=False)
    expr = Add(first, Mul(Integer(-1), Y, log(p), evaluate=False), evaluate=False)
    assert latex(expr) == r"- \left(1 - y\right) \log[1 - p] - y \log[p]"


def test_scalar_network_prints_without_bold():
    """In binary classification the book writes f[x, phi] for the scalar output."""
    expr = sig(f_scalar(X, phi))
    assert latex(expr, scalar_network=True) == (
        r"\operatorname{sig}[f[\mathbf{x}, \boldsymbol{\phi}]]"
    )
    assert latex(expr) == r"\operatorname{sig}[\mathbf{f}[\mathbf{x}, \boldsymbol{\phi}]]"


def test_brackets_grow_only_around_tall_content():
    """Plain [..] for one-line content, \\left[..\\right] around fractions and sums."""
    assert bracket("z", UDL) == "[z]"
    assert bracket(r"\frac{1}{2}", UDL) == r"\left[\frac{1}{2}\right]"
    assert bracket(r"\prod_{d=1}^{10} a", STANDARD) == r"\left(\prod_{d=1}^{10} a\right)"


def test_printer_never_evaluates_a_limit_or_sum():
    """Printing leaves unevaluated objects unevaluated (no doit, no limit)."""
    expr = Sum(1 / z**2, (z, 1, oo))
    assert latex(expr) == r"\sum_{z=1}^{\infty} \frac{1}{z^{2}}"


def test_unknown_profile_is_an_input_error():
    """Asking for a notation that does not exist names the known ones."""
    with pytest.raises(InputError, match="standard, udl"):
        profile("fancy")
