"""What users write shows as they meant it: Greek, inline maths, bold data, signs, term order."""

from __future__ import annotations

import pytest
from sympy import IndexedBase, Sum, Symbol, exp, factorial

from calcproof import chain, then
from calcproof.errors import BuildError
from calcproof.losses import Pr, gaussian_density, sig
from calcproof.render.chain import derivation_tex
from calcproof.render.latex import latex
from calcproof.render.notation import UDL
from calcproof.render.text import UNICODE, tex_text
from calcproof.sheet import Problem, Proof, Sheet, Text
from calcproof.symbols import d, f, f_scalar, i, phi, sigma, x, y, z


@pytest.mark.parametrize(
    ("prose", "tex"),
    [
        ("λ_i > 0", r"\ensuremath{\lambda_{i}} \ensuremath{>} 0"),
        ("rate lambda_i", r"rate \ensuremath{\lambda_{i}}"),
        (r"by $\lambda_i > 0$ and 5%", r"by $\lambda_i > 0$ and 5\%"),
        ("Ω and ω", r"\ensuremath{\Omega} and \ensuremath{\omega}"),
    ],
)
def test_reasons_set_greek_and_inline_maths(prose, tex):
    """Unicode and spelled Greek become the letter; $...$ passes through as maths."""
    assert tex_text(prose) == tex


def test_every_greek_letter_has_a_latex_spelling():
    """All 24 lower-case Greek letters (and final sigma) map to LaTeX."""
    lower = [c for c in map(chr, range(0x03B1, 0x03CA))]
    assert all(c in UNICODE for c in lower)


def test_unknown_character_error_names_derivation_and_step():
    """A reason TeX cannot spell stops the render with the derivation and step named."""
    derivation = chain("odd", "t", sig(z), [then("=", rhs=sig(z), why="same ☃")])
    with pytest.raises(BuildError, match=r"odd, step 1 \(by hand\).*'☃'"):
        derivation_tex(derivation)


def test_greek_indexed_and_function_names_print_as_letters():
    """IndexedBase("lambda")[i] prints λ_i, not the Latin word."""
    assert latex(IndexedBase("lambda")[i]) == r"\lambda_{i}"
    assert latex(Symbol("lambda_i")) == r"\lambda_{i}"


def test_probability_is_upright_in_both_profiles():
    """Pr is the operator \\Pr, never italic P r."""
    assert latex(Pr(y[i], f_scalar(x[i], phi))).startswith(r"\Pr(")


def test_vector_data_prints_y_i_bold_and_its_entries_plain():
    """With y declared vector data, y_i is bold and y_id is an entry; without, nothing changes."""
    from dataclasses import replace

    rows = replace(UDL, rows=frozenset({"y"}))
    assert latex(y[i], rows) == r"\mathbf{y}_{i}" and latex(y[i, d], rows) == "y_{id}"
    assert latex(y[i]) == "y_{i}"


def test_no_double_negative_before_a_sum():
    """-Σ(-g) prints as Σ g."""
    g = (y[i, d] - f(d, x[i], phi)) ** 2 / (2 * sigma**2)
    tex = latex(-Sum(-g, (d, 1, 10)))
    assert not tex.startswith("-") and r"\left(-" not in tex


def test_poisson_density_keeps_the_written_order():
    """λ^y exp[-λ]/y! prints as one fraction with the powers first, as in the book."""
    lam = Symbol("lambda", positive=True)
    n = Symbol("y", integer=True, nonnegative=True)
    assert latex(lam**n * exp(-lam) / factorial(n)) == r"\frac{\lambda^{y} \exp[-\lambda]}{y!}"
    assert latex(1 / (1 + exp(z))) == r"\frac{1}{1 + \exp[z]}"


def test_gaussian_keeps_its_constant_factor_in_front():
    """The normal density still prints 1/√(2πσ²) exp[…] (the shared fraction is not forced)."""
    tex = latex(gaussian_density(y[i, d], f(d, x[i], phi)))
    assert tex.startswith(r"\frac{1}{\sqrt{2 \pi \sigma^{2}}} \exp")


def test_sheet_summary_counts_steps_not_definitions_and_rewords_by_written_number():
    """A derivation with a definition says 'n of n steps'; reasons key on chain steps."""
    from calcproof.render.document import Checked, sheet_tex
    from calcproof.verify import check_derivation

    L = Symbol("L", real=True)
    from calcproof import define, rules

    derivation = chain(
        "with-def",
        "t",
        L,
        [then("=", rules.substitute(L, sig(z))), then("=", rules.unfold_sigmoid())],
        definitions=[define(L, sig(z))],
    )
    report = check_derivation(derivation)
    problem = Problem("p", (Text("s"),), (Proof("with-def", reasons={2: "REWORDED"}),))
    sheet = Sheet("s", "T", "Course", (problem,), date="1 May", instructions="Handwritten.")
    tex = sheet_tex(sheet, {"with-def": Checked(derivation, report.verdicts)})
    assert "2 of 2 steps verified." in tex
    reworded = [line for line in tex.splitlines() if "REWORDED" in line]
    assert len(reworded) == 1 and r"\frac{1}{1 + \exp[-z]}" in reworded[0]  # chain step 2
    assert "1 May" in tex and "Handwritten." in tex
