"""Tests of the sheet figures: colours, shapes, and reproducible bytes."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from sympy import Symbol

from calcproof import figures
from calcproof.errors import BuildError
from calcproof.losses import bce


def png_pixels(data: bytes) -> np.ndarray:
    from matplotlib.image import imread

    return imread(io.BytesIO(data), format="png")[..., :3]


def count_near(pixels: np.ndarray, hex_colour: str, tolerance: float = 0.08) -> int:
    rgb = np.array([int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=-1) < tolerance).sum())


@pytest.fixture(scope="module")
def bce_png() -> bytes:
    return figures.render("bce-loss", "udl")[1]


def test_bce_png_has_red_and_green_curves(bce_png):
    """The BCE figure draws a red curve (y = 0) and a green one (y = 1)."""
    pixels = png_pixels(bce_png)
    assert count_near(pixels, figures.RED) > 400
    assert count_near(pixels, figures.GREEN) > 400


def test_red_curve_rises_and_green_curve_falls(bce_png):
    """Red (y = 0) is low on the left and high on the right; green the other way round."""
    pixels = png_pixels(bce_png)
    height, width = pixels.shape[:2]

    def mean_row(colour: str, columns: slice) -> float:
        rgb = np.array([int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)])
        mask = np.abs(pixels[:, columns] - rgb).max(axis=-1) < 0.08
        rows, _ = np.nonzero(mask)
        return float(rows.mean())

    left, right = slice(width // 6, width // 3), slice(2 * width // 3, 5 * width // 6)
    assert mean_row(figures.RED, left) > mean_row(figures.RED, right)  # rows grow downwards
    assert mean_row(figures.GREEN, left) < mean_row(figures.GREEN, right)
    assert height > 300


def test_curves_are_the_symbolic_loss():
    """The plotted values are bce(y, p) evaluated from the symbolic object."""
    ps, zero, one = figures.bce_curves()
    y, p = Symbol("y", real=True), Symbol("p", real=True)
    for k in (0, 123, len(ps) - 1):
        at = {p: float(ps[k])}
        assert math.isclose(zero[k], float(bce(y, p).subs({y: 0, **at})), rel_tol=1e-12)
        assert math.isclose(one[k], float(bce(y, p).subs({y: 1, **at})), rel_tol=1e-12)
    assert ps.min() >= figures.EPSILON and ps.max() <= 1 - figures.EPSILON


def test_figures_are_byte_for_byte_reproducible():
    """Rendering twice gives identical PDF and PNG bytes, with no date in the PDF."""
    for plot in figures.PLOTS:
        first, second = figures.render(plot, "udl"), figures.render(plot, "udl")
        assert first == second
        assert b"CreationDate" not in first[0]


def test_unknown_plot_is_a_build_error():
    """A sheet naming a plot that does not exist fails with the known names."""
    with pytest.raises(BuildError, match="bce-loss"):
        figures.render("histogram", "udl")


def test_standard_notation_figures_get_their_own_file_names():
    """Figures in another notation do not overwrite the udl ones."""
    assert figures.stem("bce-loss", "udl") == "bce-loss"
    assert figures.stem("bce-loss", "standard") == "bce-loss-standard"
