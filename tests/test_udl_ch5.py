"""Tests of the chapter 5 content: the sheet, its derivations, figures and honest refutations."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import numpy as np
import pytest
from sympy import Sum, Symbol

from calcproof import figures, plots, registry
from calcproof import symbols as S
from calcproof.derivation import Step
from calcproof.losses import nll, numeric, poisson_pmf, von_mises_density
from calcproof.relations import argmin
from calcproof.testing import assert_not_verified

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def content() -> registry.Content:
    return registry.load(ROOT / "derivations")


def chains_module():
    path = ROOT / "derivations" / "udl_ch5_chains.py"
    spec = importlib.util.spec_from_file_location("udl_ch5_chains_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sheet_uses_only_registered_derivations(content):
    """Every Proof of udl_ch5 names a registered derivation (none of the PENDING ones)."""
    sheet = next(s for s in content.sheets if s.name == "udl_ch5")
    names = sheet.derivation_names()
    pending = {d.name for d in chains_module().PENDING}
    assert len(names) >= 25
    assert not pending & set(names)
    for name in names:
        content.derivation(name)


def test_committed_json_reports_every_sheet_step_verified():
    """output/udl_ch5.json (what make sheets wrote) has no refuted or unknown step."""
    report = json.loads((ROOT / "output" / "udl_ch5.json").read_text())
    assert report["summary"]["refuted"] == report["summary"]["unknown"] == 0
    assert report["summary"]["verified"] >= 100
    assert {s["verdict"] for s in report["steps"]} <= {"verified", "definition"}


def test_sheet_prose_names_what_is_not_machine_checked():
    """The solution sheet says in words which parts the kernel did not check."""
    tex = (ROOT / "output" / "udl_ch5.tex").read_text()
    assert tex.count("not machine-checked here") >= 2
    assert "step is not verified" in tex


def test_dropping_the_variance_term_is_refuted():
    """Heteroscedastic loss: dropping the ½ Σ f₂ term under argmin is refuted, not verified."""
    loss = chains_module().HETEROSCEDASTIC.end
    assert isinstance(loss, Sum)
    squares = Sum(next(t for t in loss.function.args if t.has(S.y[S.i])), *loss.limits)
    step = Step(argmin(S.phi), loss, squares, "drop the variance term")
    verdict = assert_not_verified(step)
    assert verdict.status == "refuted"
    assert "order reversal" in verdict.message


def test_units_chain_ends_at_weighted_least_squares():
    """Per-output σ_d: the loss is Σ_i Σ_d (y_id − f_d)²/σ_d², not plain least squares."""
    end = chains_module().UNITS.end
    assert end.has(chains_module().sd[S.d])
    assert isinstance(end, Sum)


@pytest.mark.parametrize("plot", sorted(plots.PLOTS))
def test_chapter_plots_are_registered_and_reproducible(plot):
    """Each chapter 5 plot is in figures.PLOTS and renders to the same bytes twice."""
    assert plot in figures.PLOTS
    assert figures.render(plot, "udl") == figures.render(plot, "udl")


def test_von_mises_density_integrates_to_one():
    """The plotted von Mises density (from the symbolic object) integrates to 1 for each κ."""
    y, kappa = Symbol("y", real=True), Symbol("kappa", positive=True)
    density = numeric(von_mises_density(y, 0, kappa), y, kappa)
    ys = np.linspace(-np.pi, np.pi, 20001)
    for k in plots.KAPPAS:
        assert abs(np.trapezoid(density(ys, k), ys) - 1) < 1e-8


def test_poisson_loss_is_smallest_at_the_count():
    """The plotted Poisson loss of a count y is minimised at λ = y."""
    count = Symbol("y", integer=True, nonnegative=True)
    rate = Symbol("lambda", positive=True)
    loss = numeric(nll(poisson_pmf(count, rate)), count, rate)
    rates = np.linspace(0.05, 10, 2000)
    for n in (2, 5):
        assert abs(rates[np.argmin(loss(float(n), rates))] - n) < 0.01


def test_von_mises_png_has_one_curve_per_kappa():
    """The von Mises figure draws a curve in each of the first len(KAPPAS) colours."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(figures.render("von-mises-density", "udl")[1]), format="png")
    for colour in plots.COLOURS[: len(plots.KAPPAS)]:
        rgb = np.array([int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)])
        assert int((np.abs(pixels[..., :3] - rgb).max(axis=-1) < 0.08).sum()) > 200


def test_powers_of_named_densities_print_in_latex() -> None:
    """SymPy prints a power of a function by passing ``exp`` to its ``_latex``."""
    from sympy import Symbol, latex

    from calcproof.densities import I0, Norm

    kappa, y, mu, v = (Symbol(n) for n in ("kappa", "y", "mu", "v"))
    assert latex(I0(kappa) ** 2) == r"I_{0}\left[\kappa\right]^{2}"
    assert latex(Norm(y, mu, v) ** 3) == r"\operatorname{Norm}_{y}\left[\mu, v\right]^{3}"
    assert latex(I0(kappa)) == r"I_{0}\left[\kappa\right]"
