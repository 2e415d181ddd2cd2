"""Chapter 5 figures, drawn from the symbolic densities and losses of :mod:`calcproof.losses`.

Every curve is ``calcproof.losses.numeric`` of the same expression the derivations
use (the von Mises density, the Poisson NLL, the mixture of two normals, the BCE
in terms of the logit), never a re-typed formula.  :mod:`calcproof.figures`
registers these plots and writes them reproducibly; matplotlib is imported inside
the functions so that importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from sympy import Symbol

from calcproof.losses import (
    bce,
    mixture_density,
    nll,
    numeric,
    poisson_pmf,
    sig,
    von_mises_density,
)

SIZE = (5.0, 3.4)
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
KAPPAS = (0.5, 2.0, 8.0)
"""Concentrations of the von Mises figure."""
COUNTS = (0, 2, 5)
"""Observed counts of the Poisson-loss figure."""
MIXTURES = ((0.5, -1.5, 0.5, 1.5, 0.5), (0.8, -1.0, 1.0, 2.0, 0.25))
"""(weight, mean₁, variance₁, mean₂, variance₂) of the mixture figure."""

y = Symbol("y", real=True)
mu = Symbol("mu", real=True)
kappa = Symbol("kappa", positive=True)
rate = Symbol("lambda", positive=True)
count = Symbol("y", integer=True, nonnegative=True)
a = Symbol("a", real=True)
weight, m1, v1, m2, v2 = (Symbol(n, positive=True) for n in ("w", "m1", "v1", "m2", "v2"))


def _axes() -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE)
    return fig, fig.add_subplot()


def _finish(fig: Any, ax: Any, xlabel: str, ylabel: str) -> Any:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def von_mises_figure(notation: str) -> Any:
    """The von Mises density with mean 0 for a few concentrations κ."""
    import numpy as np

    density = numeric(von_mises_density(y, 0, kappa), y, kappa)
    ys = np.linspace(-np.pi, np.pi, 400)
    fig, ax = _axes()
    for colour, k in zip(COLOURS, KAPPAS, strict=False):
        ax.plot(ys, density(ys, k), color=colour, linewidth=2, label=rf"$\kappa = {k:g}$")
    ax.set_xlim(-np.pi, np.pi)
    ax.set_ylim(bottom=0)
    return _finish(fig, ax, r"angle $y$ (radians)", r"$Pr(y \mid \mu = 0, \kappa)$")


def poisson_loss_figure(notation: str) -> Any:
    """The Poisson NLL of one count as a function of the rate λ (minimum at λ = y, or at 0)."""
    import numpy as np

    loss = numeric(nll(poisson_pmf(count, rate)), count, rate)
    rates = np.linspace(0.05, 10, 400)
    fig, ax = _axes()
    for colour, n in zip(COLOURS, COUNTS, strict=False):
        ax.plot(rates, loss(float(n), rates), color=colour, linewidth=2, label=rf"$y = {n}$")
        if n > 0:
            ax.plot([n], [loss(float(n), float(n))], "o", color=colour)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 12)
    return _finish(fig, ax, r"rate $\lambda$", r"loss $-\log Pr(y \mid \lambda)$")


def mixture_figure(notation: str) -> Any:
    """Two mixtures of two normals: bimodal, and skewed."""
    import numpy as np

    density = numeric(mixture_density(y, weight, m1, v1, m2, v2), y, weight, m1, v1, m2, v2)
    ys = np.linspace(-4, 4, 400)
    fig, ax = _axes()
    for colour, (w, a1, s1, a2, s2) in zip(COLOURS, MIXTURES, strict=False):
        label = rf"$\lambda = {w:g}$, $\mu = ({a1:g}, {a2:g})$"
        ax.plot(ys, density(ys, w, a1, s1, a2, s2), color=colour, linewidth=2, label=label)
    ax.set_xlim(-4, 4)
    ax.set_ylim(bottom=0)
    return _finish(fig, ax, r"$y$", r"$Pr(y)$")


def bce_logit_figure(notation: str) -> Any:
    """The BCE as a function of the logit f (before the sigmoid): red y = 0, green y = 1."""
    import numpy as np

    label = r"$\sigma$" if notation == "standard" else r"$\mathrm{sig}$"
    yb = Symbol("y", real=True)
    loss = numeric(bce(yb, sig(a)), yb, a)
    fs = np.linspace(-6, 6, 400)
    fig, ax = _axes()
    ax.plot(fs, loss(0.0, fs), color="#d62728", linewidth=2, label=r"$y = 0$")
    ax.plot(fs, loss(1.0, fs), color="#2ca02c", linewidth=2, label=r"$y = 1$")
    ax.set_xlim(-6, 6)
    ax.set_ylim(0, 6.5)
    return _finish(fig, ax, rf"logit $f$ (the output is {label}$[f]$)", r"loss $L$")


PLOTS: Mapping[str, Callable[[str], Any]] = MappingProxyType(
    {
        "von-mises-density": von_mises_figure,
        "poisson-loss": poisson_loss_figure,
        "mixture-density": mixture_figure,
        "bce-logit": bce_logit_figure,
    }
)
"""The chapter 5 plots by name (merged into :data:`calcproof.figures.PLOTS`)."""

__all__ = ["PLOTS"]
