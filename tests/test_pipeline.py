"""Tests of the derivation pipeline: strategies, derive_loss, and ``calcproof derive``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from sympy import Abs, Integer, Sum, Symbol, cos, exp, log

from calcproof import rules
from calcproof import symbols as S
from calcproof.cli import main
from calcproof.derivation import Rule
from calcproof.distributions import K, counts, k, kappa, labels, speeds
from calcproof.errors import DerivationError
from calcproof.losses import bce, sig
from calcproof.pipeline import derive_loss
from calcproof.relations import Equal
from calcproof.strategies import Trace, chain, do_one, exhaust, move
from calcproof.testing import assert_verified
from calcproof.verify import check_derivation

ROOT = Path(__file__).resolve().parent.parent
i, I, phi, x = S.i, S.I, S.phi, S.x
f = S.f_scalar(x[i], phi)


def gaussian_module():
    spec = importlib.util.spec_from_file_location(
        "activity4_gaussian", ROOT / "derivations/gaussian.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- strategies ------------------------------------------------------------------------

z = Symbol("z")
halve = Rule("halve", "", lambda e: e / 2 if e.is_Integer and e % 2 == 0 else None)
decrement = Rule("decrement", "", lambda e: e - 1 if e.is_Integer and e > 0 else None)
never = Rule("never", "", lambda e: None)


def rules_of(trace: Trace) -> list[str]:
    return [step.rule for step in trace.steps]


def test_move_records_the_rule_and_both_ends():
    """move() adds one step with the rule's name, the old and the new expression."""
    trace = move(Equal(), halve)(Trace(Integer(8)))
    assert [(s.lhs, s.rhs, s.rule) for s in trace.steps] == [(8, 4, "halve")]


def test_move_that_does_not_apply_leaves_the_trace():
    """A rule returning None (or its input) adds no step."""
    same = Rule("same", "", lambda e: e)
    start = Trace(Integer(3))
    assert move(Equal(), halve)(start) == start
    assert move(Equal(), same)(start) == start


def test_do_one_takes_the_first_that_applies():
    """do_one() tries its strategies in order and applies only the first that applies."""
    trace = do_one(move(Equal(), never), move(Equal(), halve), move(Equal(), decrement))(
        Trace(Integer(8))
    )
    assert rules_of(trace) == ["halve"]


def test_exhaust_repeats_until_nothing_applies():
    """exhaust(do_one(halve, decrement)) takes 12 to 0: 12 → 6 → 3 → 2 → 1 → 0."""
    trace = exhaust(do_one(move(Equal(), halve), move(Equal(), decrement)))(Trace(Integer(12)))
    assert [s.rhs for s in trace.steps] == [6, 3, 2, 1, 0]


def test_exhaust_is_bounded():
    """A rule that always applies stops at the bound instead of looping forever."""
    grow = Rule("grow", "", lambda e: e + 1)
    assert len(exhaust(move(Equal(), grow), limit=7)(Trace(z)).steps) == 7


def test_chain_applies_each_in_turn_and_skips_what_does_not_apply():
    """chain() runs halve, never, decrement once each: 8 → 4 → 3."""
    trace = chain(move(Equal(), halve), move(Equal(), never), move(Equal(), decrement))(
        Trace(Integer(8))
    )
    assert rules_of(trace) == ["halve", "decrement"]


# --- derive_loss -----------------------------------------------------------------------


@pytest.mark.parametrize(("size", "name"), [(10, "TEN"), (S.D, "SYMBOLIC")])
def test_gaussian_pipeline_is_the_activity4_chain_step_for_step(size, name):
    """derive_loss(gaussian, outputs=D) gives Activity 4's hand-written chain, step for step."""
    hand = getattr(gaussian_module(), name)
    derived = derive_loss("gaussian", {"mean": "identity"}, outputs=size)
    assert derived.definitions == hand.definitions
    assert derived.steps == hand.steps
    assert derived.context == hand.context


ENDS = {
    "gaussian": Sum((S.y[i] - f) ** 2, (i, 1, I)),
    "categorical": Sum(
        -S.f(labels[i], x[i], phi) + log(Sum(exp(S.f(k, x[i], phi)), (k, 1, K))), (i, 1, I)
    ),
    "poisson": Sum(exp(f) - counts[i] * f, (i, 1, I)),
    "laplace": Sum(Abs(f - S.y[i]), (i, 1, I)),
    "von-mises": -Sum(cos(f - S.y[i]), (i, 1, I)),
    "wind": Sum(
        -kappa * cos(S.f(1, x[i], phi) - S.y[i])
        - S.f(2, x[i], phi)
        + exp(S.f(2, x[i], phi)) * speeds[i],
        (i, 1, I),
    ),
}


@pytest.mark.parametrize("distribution", sorted(ENDS))
def test_pipeline_ends_at_the_chapter_loss(distribution):
    """Each distribution's chain ends at the book's loss (least squares, CE, Poisson, …)."""
    assert derive_loss(distribution).end == ENDS[distribution]


def test_bernoulli_ends_at_the_summed_binary_cross_entropy():
    """The Bernoulli chain ends at Σ_i bce(y_i, sig[f]), in the book's shape −(1 − y) log[1 − p]."""
    end = derive_loss("bernoulli").end
    assert isinstance(end, Sum) and end.limits == ((i, 1, I),)
    assert (end.function - bce(S.y[i], sig(f))).expand() == 0
    assert "-(1 - y[i])*log(1 - sig(f(x[i], phi)))" in str(end)


@pytest.mark.parametrize(
    "distribution",
    ["gaussian", "bernoulli", "categorical", "poisson", "laplace", "von-mises", "wind", "mixture"],
)
def test_pipeline_chain_is_verified(distribution):
    """The kernel verifies every step the pipeline wrote."""
    assert_verified(derive_loss(distribution))


def test_poisson_ends_at_the_issue_example():
    """derive poisson --predict rate=exp ends at Σ_i (exp[f[x_i, φ]] − y_i f[x_i, φ])."""
    derivation = derive_loss("poisson", {"rate": "exp"})
    assert derivation.end == Sum(exp(f) - counts[i] * f, (i, 1, I))
    assert derivation.definitions[0].why == "a Poisson output with rate exp[f[x_i, φ]]"


def test_heteroscedastic_square_stops_at_an_honest_unknown():
    """With σ² = f₂² the −log step is unknown (|f₂| > 0 is not provable), never verified."""
    derivation = derive_loss("gaussian", {"mean": "identity", "variance": "square"})
    report = check_derivation(derivation)
    failing = [
        (step.rule, verdict.status)
        for step, verdict in zip(derivation.all_steps, report.verdicts, strict=True)
        if not verdict.ok
    ]
    assert failing == [("negative log", "unknown")]


def test_mixture_chain_stops_at_the_log_of_a_sum():
    """The mixture chain ends at −Σ log[λ Norm + (1 − λ) Norm]: no rule takes a log of a sum."""
    end = derive_loss("mixture").end
    assert end.could_extract_minus_sign() and isinstance(-end, Sum)
    summand = (-end).function
    assert isinstance(summand, log) and summand.args[0].is_Add


def test_a_recipe_that_stops_early_ends_the_chain_there():
    """With a recipe of one rule the chain is one step long: nothing is invented after it."""

    def only_substitute(pair, likelihood, params):
        return move(Equal(), rules.substitute(pair, likelihood))

    derivation = derive_loss("poisson", strategy=only_substitute)
    assert [s.rule for s in derivation.steps] == ["substitute definition"]


def test_no_rule_at_all_is_an_error():
    """A recipe that cannot take even the first step raises DerivationError naming the start."""
    with pytest.raises(DerivationError, match="no rule of the recipe applies"):
        derive_loss("poisson", strategy=lambda pair, likelihood, params: move(Equal(), never))


@pytest.mark.parametrize(
    ("distribution", "predict", "message"),
    [
        ("cauchy", None, "unknown distribution 'cauchy'"),
        ("poisson", {"mean": "exp"}, "poisson has no parameter mean"),
        ("poisson", {"rate": "softplus"}, "unknown link 'softplus'"),
        ("poisson", {"rate": "sigmoid"}, "rate takes the link exp, not sigmoid"),
        ("gaussian", {"variance": "exp"}, "mean must be predicted"),
    ],
)
def test_bad_requests_are_named(distribution, predict, message):
    """Unknown distributions, parameters and links are errors that say what is wrong."""
    with pytest.raises(DerivationError, match=message):
        derive_loss(distribution, predict)


def test_outputs_with_two_predicted_parameters_is_refused_for_a_mixture():
    """--outputs with several predicted mixture parameters is an error, not a misreading."""
    with pytest.raises(DerivationError, match="single predicted parameter"):
        derive_loss("mixture", outputs=3)


def test_heteroscedastic_with_outputs_uses_f_d_and_f_D_plus_d():
    """With D outputs, mean d is f_d and variance d is exp[f_{D+d}]; the chain is verified."""
    derivation = derive_loss("gaussian", {"mean": "identity", "variance": "exp"}, outputs=S.D)
    assert derivation.end.has(S.f(S.D + S.d, x[i], phi)) and derivation.end.has(S.f(S.d, x[i], phi))
    assert_verified(derivation)


# --- calcproof derive ------------------------------------------------------------------


def test_cli_derive_poisson_json(capsys):
    """derive poisson --json prints every step verified and ends at Σ (exp f − y f)."""
    code = main(["derive", "poisson", "--predict", "rate=exp", "--json"])
    body = json.loads(capsys.readouterr().out)
    assert code == 0
    assert body["summary"] == {"verified": len(body["steps"]) - 1, "refuted": 0, "unknown": 0}
    assert body["steps"][-1]["rhs"] == (
        r"\sum_{i=1}^{I} \left(\exp[\mathbf{f}[\mathbf{x}_{i}, \boldsymbol{\phi}]] - "
        r"\mathbf{f}[\mathbf{x}_{i}, \boldsymbol{\phi}] y_{i}\right)"
    )


def test_cli_derive_latex_has_verdict_comments(capsys):
    """derive laplace --latex prints an align* with one verdict comment per step."""
    code = main(["derive", "laplace", "--latex"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\\begin{align*}" in out
    assert out.count("% step ") == len(derive_loss("laplace").all_steps)
    assert "unknown" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["derive", "cauchy"], "unknown distribution 'cauchy'"),
        (["derive", "poisson", "--predict", "rate"], "--predict takes PARAM=LINK"),
        (["derive", "gaussian", "--outputs", "-3"], "--outputs takes a positive number"),
    ],
)
def test_cli_derive_bad_input_exits_2(capsys, argv, message):
    """Bad input is exit 2 with a one-line message, not a traceback."""
    assert main(argv) == 2
    assert message in capsys.readouterr().err
