"""Reach: identities chapter 5 lives on are verified, and a wrong neighbour of each is refuted.

Written as documents, the way ``calcproof check`` reads them (kernel issue, §2).
Each pair differs from the true claim by one slip (a sign, a dropped term, a
missing log), so every proof method that made the true claim verifiable is
checked against a false claim it must not verify.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calcproof.assumptions import Facts
from calcproof.cli import main

SIG = r"\operatorname{sig}[f[x_i,\phi]]"
ARGMAX, ARGMIN = (
    r"\underset{\phi}{\operatorname{argmax}}",
    r"\underset{\phi}{\operatorname{argmin}}",
)


def doc(declare: str, claim: str) -> str:
    head = f"% calcproof: {declare}\n" if declare else ""
    return head + rf"\[ {claim} \]"


CASES = [
    pytest.param(
        doc("unit \\lambda; binary y", r"-\log[\lambda^{y}(1-\lambda)^{1-y}] = -y\log[\lambda] - (1-y)\log[1-\lambda]"),
        doc("unit \\lambda; binary y", r"-\log[\lambda^{y}(1-\lambda)^{1-y}] = -y\log[\lambda] + (1-y)\log[1-\lambda]"),
        id="bernoulli",
    ),
    pytest.param(
        doc("binary y", rf"-\log[{SIG}^{{y}}(1-{SIG})^{{1-y}}] = -y\log[{SIG}] - (1-y)\log[1-{SIG}]"),
        doc("binary y", rf"-\log[{SIG}^{{y}}(1-{SIG})^{{1-y}}] = -y\log[{SIG}] - (1-y)\log[{SIG}]"),
        id="bernoulli-sigmoid",
    ),
    pytest.param(
        doc("positive \\mu", r"-\sum_{i=1}^{I} \log[\frac{\mu_i^{k_i} e^{-\mu_i}}{k_i!}] = \sum_{i=1}^{I} (\mu_i - k_i\log[\mu_i] + \log[k_i!])"),
        doc("positive \\mu", r"-\sum_{i=1}^{I} \log[\frac{\mu_i^{k_i} e^{-\mu_i}}{k_i!}] = \sum_{i=1}^{I} (\mu_i - k_i\log[\mu_i] - \log[k_i!])"),
        id="poisson-counts",
    ),
    pytest.param(
        doc("", rf"{ARGMAX} \prod_{{i=1}}^{{I}} Pr(y_i | x_i, \phi) = {ARGMIN} -\sum_{{i=1}}^{{I}} \log[Pr(y_i | x_i, \phi)]"),
        doc("", rf"{ARGMAX} \prod_{{i=1}}^{{I}} Pr(y_i | x_i, \phi) = {ARGMIN} \sum_{{i=1}}^{{I}} \log[Pr(y_i | x_i, \phi)]"),
        id="likelihood-to-nll",
    ),
    pytest.param(
        doc("positive \\kappa", rf"{ARGMAX} \prod_{{i=1}}^{{I}} \frac{{\exp[\kappa\cos(y_i - f[x_i, \phi])]}}{{2\pi I_0[\kappa]}} = {ARGMIN} -\sum_{{i=1}}^{{I}} \cos[y_i - f[x_i, \phi]]"),
        doc("positive \\kappa", rf"{ARGMAX} \prod_{{i=1}}^{{I}} \frac{{\exp[\kappa\cos(y_i - f[x_i, \phi])]}}{{2\pi I_0[\kappa]}} = {ARGMIN} \sum_{{i=1}}^{{I}} \cos[y_i - f[x_i, \phi]]"),
        id="von-mises",
    ),
    pytest.param(
        doc("", r"\log[\frac{1}{\sqrt{2\pi s^2}}(e^{a} + e^{b})] = \log[\frac{1}{\sqrt{2\pi s^2}}] + \log[e^{a} + e^{b}]"),
        doc("", r"\log[\frac{1}{\sqrt{2\pi s^2}}(e^{a} + e^{b})] = \log[\frac{1}{\sqrt{2\pi s^2}}] + \log[e^{a}] + \log[e^{b}]"),
        id="log-of-constant-times-sum",
    ),
    pytest.param(
        doc("", r"\log[\sum_{k=1}^{K} e^{z_k}] = m + \log[\sum_{k=1}^{K} e^{z_k - m}]"),
        doc("", r"\log[\sum_{k=1}^{K} e^{z_k}] = m - \log[\sum_{k=1}^{K} e^{z_k - m}]"),
        id="log-sum-exp",
    ),
    pytest.param(
        doc("", r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} = \frac{e^{z_j - c}}{\sum_{k=1}^{K} e^{z_k - c}}"),
        doc("", r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} = \frac{e^{z_j - c}}{\sum_{k=1}^{K} e^{z_k}}"),
        id="softmax-shift",
    ),
    pytest.param(
        doc("", r"\log(e^a + e^b) = \max(a, b) + \log(1 + e^{-|a-b|})"),
        doc("", r"\log(e^a + e^b) = \max(a, b) + \log(1 + e^{|a-b|})"),
        id="log-sum-exp-two",
    ),
    pytest.param(
        doc("", rf"{ARGMIN} -\log[\frac{{1}}{{\sqrt{{2\pi g[x,\phi]^2}}}}] = {ARGMIN} \frac12\log[2\pi g[x,\phi]^2]"),
        doc("", rf"{ARGMIN} -\log[\frac{{1}}{{\sqrt{{2\pi g[x,\phi]^2}}}}] = {ARGMIN} -\frac12\log[2\pi g[x,\phi]^2]"),
        id="variance-from-the-network",
    ),
    pytest.param(
        doc("positive q", rf"{ARGMIN} \sum_{{k=1}}^{{K}} q_k \log[\frac{{q_k}}{{Pr(k | \phi)}}] = {ARGMIN} -\sum_{{k=1}}^{{K}} q_k \log[Pr(k | \phi)]"),
        doc("positive q", rf"{ARGMIN} \sum_{{k=1}}^{{K}} q_k \log[\frac{{q_k}}{{Pr(k | \phi)}}] = {ARGMIN} \sum_{{k=1}}^{{K}} q_k \log[Pr(k | \phi)]"),
        id="kl-to-cross-entropy",
    ),
    pytest.param(
        doc("binary y", rf"{ARGMAX} \prod_{{i=1}}^{{I}} {SIG}^{{y_i}}(1 - {SIG})^{{1 - y_i}} = {ARGMIN} -\sum_{{i=1}}^{{I}} (y_i \log[{SIG}] + (1-y_i)\log[1 - {SIG}])"),
        doc("binary y", rf"{ARGMAX} \prod_{{i=1}}^{{I}} {SIG}^{{y_i}}(1 - {SIG})^{{1 - y_i}} = {ARGMIN} -\sum_{{i=1}}^{{I}} (y_i \log[{SIG}] - (1-y_i)\log[1 - {SIG}])"),
        id="sigmoid-powers",
    ),
    pytest.param(
        doc("", r"\lim_{h\to 0}(2x + h) = 2x"),
        doc("", r"\lim_{h\to 0}(2x + h) = 2x + 1"),
        id="limit-with-a-free-letter",
    ),
]  # fmt: skip


def verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> dict:
    path = tmp_path / "claim.tex"
    path.write_text(text + "\n")
    main(["check", "--json", str(path)])
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (step,) = report["steps"]
    return step


@pytest.mark.parametrize(("right", "wrong"), CASES)
def test_true_identity_is_verified_and_its_neighbour_refuted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], right: str, wrong: str
) -> None:
    """The chapter-5 identity is verified; the same claim with one slip is refuted."""
    good = verdict(tmp_path, capsys, right)
    assert good["verdict"] == "verified", good["message"]
    bad = verdict(tmp_path, capsys, wrong)
    assert bad["verdict"] == "refuted", bad["message"]


def test_bernoulli_with_lambda_declared_in_the_unit_interval_uses_the_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With ``unit \\lambda`` the log rules split the Bernoulli likelihood directly."""
    step = verdict(tmp_path, capsys, str(CASES[0].values[0]))
    assert "exp of both sides" not in step["method"]


def test_an_unknown_step_names_the_sub_goal_that_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sqrt(ab) = sqrt(a) sqrt(b) for real a, b stays unknown and says what to declare."""
    step = verdict(tmp_path, capsys, r"\[ \sqrt{a b} = \sqrt{a}\sqrt{b} \]")
    assert step["verdict"] == "unknown"
    assert "could not show that" in step["message"] and "declare `positive a`" in step["message"]


def test_facts_explain_a_missing_unit_interval() -> None:
    """Without a declaration 1 − λ > 0 is not shown, and the reason names ``unit \\lambda``."""
    from sympy import Symbol

    lam = Symbol("lambda", real=True)
    reason = Facts().why_not_positive(1 - lam)
    assert "1 - lambda > 0" in reason or "-lambda + 1 > 0" in reason
    assert "unit \\lambda" in reason
    assert Facts(((lam, "unit_interval"),)).positive(1 - lam)


def test_new_proof_methods_do_not_prove_wrong_neighbours() -> None:
    """Exponentiating, clearing denominators and splitting cases never prove a false claim."""
    from sympy import Abs, IndexedBase, Max, Min, Sum, Symbol, exp, log

    from calcproof.verify.prove import case_split, cleared_denominators, exponentiated, prove_equal

    a, b, m, c = (Symbol(n, real=True) for n in "abmc")
    k, K = Symbol("k", integer=True, positive=True), Symbol("K", integer=True, positive=True)
    z = IndexedBase("z", real=True)
    lse = log(Sum(exp(z[k]), (k, 1, K)))
    facts = Facts()
    assert exponentiated(lse, m + log(Sum(exp(z[k] - m), (k, 1, K))), facts) is not None
    assert exponentiated(lse, m + log(Sum(exp(z[k] + m), (k, 1, K))), facts) is None
    assert exponentiated(log(a * b), log(a) - log(b), facts) is None
    soft = exp(z[1]) / Sum(exp(z[k]), (k, 1, K))
    assert cleared_denominators(soft, exp(z[1] - c) / Sum(exp(z[k] - c), (k, 1, K)), facts)
    assert cleared_denominators(soft, exp(z[1] - c) / Sum(exp(z[k]), (k, 1, K)), facts) is None
    two = log(exp(a) + exp(b))
    assert case_split(two, Max(a, b) + log(1 + exp(-Abs(a - b))), facts) is not None
    assert case_split(two, Min(a, b) + log(1 + exp(-Abs(a - b))), facts) is None
    assert prove_equal(two, Max(a, b) + log(1 + exp(-Abs(a - b))), facts) is not None
    assert prove_equal(two, Max(a, b) + log(1 + exp(Abs(a - b))), facts) is None
    assert prove_equal(Abs(a), a, facts) is None
    assert prove_equal(Max(a, b), a, facts) is None
