"""User figures: drawn from the user's expression, in the sheet's fonts, reproducibly."""

from __future__ import annotations

import pytest
from sympy import Symbol

from calcproof import figures
from calcproof.errors import BuildError
from calcproof.losses import sig
from calcproof.sheet import Curve, Curves, Figure, Problem, Sheet, Text
from calcproof.symbols import z
from calcproof.user_figures import check_sheet, maker

a = Symbol("a", positive=True)
SPEC = Curves(sig(a * z), z, (-4, 4), cases=(Curve({a: 1}, "red", "$a=1$"), Curve({a: 2})))


def _sheet(*blocks: Figure) -> Sheet:
    return Sheet("s", "T", "C", (Problem("p", (Text("x"),), blocks),))


def test_curve_figure_renders_reproducibly_in_computer_modern():
    """Two renders give the same bytes, and the PDF embeds the Computer Modern font."""
    figure = Figure("mine", "c", curves=SPEC)
    first = figures.render("mine", "udl", maker(figure))
    assert first == figures.render("mine", "udl", maker(figure))
    pdf, png = first
    assert png.startswith(b"\x89PNG") and b"cmr10" in pdf.lower()


def test_draw_function_receives_axes_and_notation():
    """draw(axes, notation) is called with a matplotlib Axes and the profile name."""
    seen = []

    def draw(ax, notation):
        seen.append(notation)
        ax.plot([0, 1], [0, 1])

    figures.render("drawn", "standard", maker(Figure("drawn", "c", draw=draw)))
    assert seen == ["standard"]


def test_same_name_for_two_different_figures_is_an_error():
    """Two figures may share a file name only when they are the same figure."""
    other = Curves(sig(z), z, (-1, 1))
    with pytest.raises(BuildError, match="two different figures"):
        check_sheet(_sheet(Figure("x", "c", curves=SPEC), Figure("x", "c", curves=other)))


def test_expression_without_real_values_on_the_span_is_an_error():
    """A curve that is nowhere finite and real on its span is reported, naming the case."""
    from sympy import log

    spec = Curves(log(z), z, (-3, -1))
    with pytest.raises(BuildError, match=r"case 1: .* no finite real value on"):
        check_sheet(_sheet(Figure("neg-log", "c", curves=spec)))


def test_an_undefined_function_in_a_curve_is_named():
    """A function with no formula cannot be plotted numerically; the error says so and how."""
    from sympy import Function

    spec = Curves(sig(Function("g")(z)), z, (0, 1))
    with pytest.raises(BuildError, match=r"case 1: g\(z\) has no numeric definition"):
        check_sheet(_sheet(Figure("net", "c", curves=spec)))
