"""A chapter-5 corpus written as students write it: per-step verdicts against known truth.

The truth of every step was established by hand, independently of calcproof (the
derivations of UDL chapter 5: the Gaussian, Bernoulli, Poisson, von Mises and softmax
likelihoods and the stationarity conditions of their maximum-likelihood estimates).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "fixtures" / "ch5"

TRUTH: dict[str, list[tuple[int, bool | None, str]]] = {
    # file: [(line, true?, expected verdict)]; None for a definition
    "bernoulli_mle.tex": [(3, None, "definition"), (7, True, "verified")],
    "bernoulli_nll.tex": [(4, True, "verified"), (5, True, "verified")],
    "bernoulli_wrong.md": [(3, False, "refuted")],
    "equations_linear.md": [
        (4, True, "verified"),
        (5, True, "verified"),
        (10, False, "refuted"),
        (14, True, "verified"),
    ],
    "gaussian_density.tex": [(3, True, "verified"), (6, True, "verified"), (9, False, "refuted")],
    "mle_mu_stationarity.tex": [
        (3, None, "definition"),
        (6, True, "verified"),
        (10, True, "verified"),
        (11, True, "verified"),
    ],
    "mle_mu_wrong_sign.md": [(3, None, "definition"), (7, False, "refuted")],
    "mle_sigma_missing_square.md": [(5, None, "definition"), (9, False, "refuted")],
    "mle_sigma_stationarity.tex": [
        (4, None, "definition"),
        (8, True, "verified"),
        (9, True, "verified"),
    ],
    "mle_sigma_wrong_denominator.tex": [(3, None, "definition"), (6, False, "refuted")],
    "poisson_mle.tex": [(3, None, "definition"), (7, True, "verified"), (8, True, "verified")],
    "poisson_nll.tex": [(3, True, "verified"), (4, True, "verified")],
    "poisson_wrong.md": [(3, False, "refuted")],
    "second_derivative.tex": [(3, True, "verified"), (4, False, "refuted")],
    "softmax_log.tex": [(3, True, "verified"), (4, True, "verified")],
    "softmax_wrong.md": [(2, False, "refuted")],
    "vonmises_nll.tex": [(3, True, "verified"), (4, True, "verified")],
    "vonmises_wrong.md": [(3, False, "refuted")],
}


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    """The JSON report of every corpus file (the folder checked once, recursively)."""
    done = subprocess.run(
        [sys.executable, "-m", "calcproof", "check", "--json", "--jobs", "2", str(CORPUS)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = [json.loads(line) for line in done.stdout.splitlines()]
    return {Path(r["file"]).name: r for r in found}


def test_corpus_has_every_file_and_is_at_least_fifteen(reports: dict[str, dict]) -> None:
    """The table covers every file of the corpus, and there are at least 15."""
    assert set(reports) == set(TRUTH) and len(TRUTH) >= 15


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_verdicts_match_the_established_truth(reports: dict[str, dict], name: str) -> None:
    """Each step gets its expected verdict; none is verified when false or refuted when true."""
    report = reports[name]
    assert report["errors"] == []
    got = [(s["line"], s["verdict"]) for s in report["steps"]]
    assert got == [(line, verdict) for line, _, verdict in TRUTH[name]]
    for (_, truth, _), step in zip(TRUTH[name], report["steps"], strict=True):
        assert not (truth is False and step["verdict"] == "verified")
        assert not (truth is True and step["verdict"] == "refuted")
