"""Figures for the sheets, drawn with matplotlib from the same symbolic objects.

Curves are evaluated by ``lambdify`` of :func:`calcproof.losses.bce` and
:func:`calcproof.losses.sigmoid`, never re-typed; a user's :class:`~calcproof.sheet.Curves`
spec is evaluated the same way from the user's expression (:mod:`calcproof.user_figures`).
Output is deterministic: the default style (no user ``matplotlibrc``), no dates
or software versions in the metadata, and a fixed size and resolution.  Text is
set in Computer Modern (mathtext ``cm``, serif ``cmr10``) to match the sheet.
matplotlib is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sympy import Symbol, lambdify

from calcproof.errors import BuildError
from calcproof.losses import bce, sigmoid

RED = "#d62728"
GREEN = "#2ca02c"
PNG_DPI = 120
SIZE = (5.0, 3.4)
EPSILON = 1e-3
"""Distance from 0 and 1 at which the BCE curves stop (the loss is infinite at the ends)."""

FONTS = MappingProxyType(
    {
        "mathtext.fontset": "cm",
        "font.family": "serif",
        "font.serif": ["cmr10"],
        "axes.formatter.use_mathtext": True,
        "axes.unicode_minus": True,
    }
)
"""Computer Modern for all text, as in the LaTeX sheet (``use_mathtext``: cmr10 has no minus)."""

PDF_METADATA = MappingProxyType({"CreationDate": None, "Creator": None, "Producer": None})
PNG_METADATA = MappingProxyType({"Software": None})


@dataclass(frozen=True)
class Labels:
    """Axis and legend text (matplotlib mathtext) for one notation profile."""

    output: str
    sigmoid: str
    loss: str = r"loss $L$"


LABELS = MappingProxyType(
    {
        "udl": Labels(r"$\mathrm{sig}[f[\mathbf{x}, \boldsymbol{\phi}]]$", r"$\mathrm{sig}[z]$"),
        "standard": Labels(r"$\sigma(f(\mathbf{x}, \boldsymbol{\phi}))$", r"$\sigma(z)$"),
    }
)


def stem(plot: str, notation: str) -> str:
    """The file name (without extension) of ``plot`` in ``notation``."""
    return plot if notation == "udl" else f"{plot}-{notation}"


def bce_curves() -> tuple[Any, Any, Any]:
    """Sample points ``p`` and the BCE loss at ``p`` for y = 0 and y = 1."""
    import numpy as np

    y, p = Symbol("y", real=True), Symbol("p", real=True)
    loss = lambdify((y, p), bce(y, p), "numpy")
    ps = np.linspace(EPSILON, 1 - EPSILON, 500)
    return ps, loss(0, ps), loss(1, ps)


def bce_figure(notation: str) -> Any:
    """The BCE loss against the transformed output: red for y = 0, green for y = 1."""
    from matplotlib.figure import Figure

    labels = LABELS[notation]
    ps, zero, one = bce_curves()
    fig = Figure(figsize=SIZE)
    ax = fig.add_subplot()
    ax.plot(ps, zero, color=RED, linewidth=2, label=r"$y = 0$")
    ax.plot(ps, one, color=GREEN, linewidth=2, label=r"$y = 1$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 5)
    ax.set_xlabel(labels.output)
    ax.set_ylabel(labels.loss)
    ax.legend(loc="upper center", frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def sigmoid_figure(notation: str) -> Any:
    """The sigmoid with its limits (dashed) and its value at 0 marked."""
    import numpy as np
    from matplotlib.figure import Figure

    z = Symbol("z", real=True)
    curve = lambdify(z, sigmoid(z), "numpy")
    zs = np.linspace(-8, 8, 400)
    fig = Figure(figsize=SIZE)
    ax = fig.add_subplot()
    ax.axhline(0, color="grey", linestyle="--", linewidth=1)
    ax.axhline(1, color="grey", linestyle="--", linewidth=1)
    ax.plot(zs, curve(zs), color="#1f77b4", linewidth=2)
    ax.plot([0], [0.5], "o", color="black")
    name = LABELS[notation].sigmoid.strip("$")
    ax.annotate(rf"${name} = 0.5$ at $z = 0$", (0, 0.5), xytext=(0.6, 0.42))
    ax.annotate(rf"${name} \to 0$ as $z \to {{-\infty}}$", (-8, 0), xytext=(-7.8, 0.06))
    ax.annotate(rf"${name} \to 1$ as $z \to {{+\infty}}$", (8, 1), xytext=(-7.8, 0.9))
    ax.set_xlim(-8, 8)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(r"$z$")
    ax.set_ylabel(LABELS[notation].sigmoid)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


PLOTS: Mapping[str, Callable[[str], Any]] = MappingProxyType(
    {"bce-loss": bce_figure, "sigmoid": sigmoid_figure}
)


def render(
    plot: str, notation: str, draw: Callable[[str], Any] | None = None
) -> tuple[bytes, bytes]:
    """The PDF and PNG bytes of ``plot`` (built in, or made by ``draw``), reproducibly."""
    import matplotlib
    import matplotlib.style

    if draw is None and plot not in PLOTS:
        raise BuildError(f"unknown plot {plot!r} (known: {', '.join(sorted(PLOTS))})")
    make = draw if draw is not None else PLOTS[plot]
    fonts: Any = dict(FONTS)
    with matplotlib.style.context("default"), matplotlib.rc_context(fonts):
        fig = make(notation)
        pdf, png = io.BytesIO(), io.BytesIO()
        fig.savefig(pdf, format="pdf", metadata=dict(PDF_METADATA))
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata=dict(PNG_METADATA))
    return pdf.getvalue(), png.getvalue()
