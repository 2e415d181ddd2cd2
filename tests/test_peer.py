"""Peer data: Math-Verify pairs labelled not equivalent must never be verified as ``a = b``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calcproof.derivation import Step
from calcproof.latex_input.adapter import Failure, read_sides
from calcproof.latex_input.declarations import Declarations
from calcproof.relations import Equal
from calcproof.verify import check_step

PAIRS = Path(__file__).resolve().parents[2] / "shared" / "peer" / "mathverify_pairs.jsonl"
"""Outside the repository: ``../shared/peer`` relative to its root (skipped when absent)."""


def _plain_false_pairs() -> list[tuple[str, str]]:
    if not PAIRS.exists():
        return []
    rows = [json.loads(line) for line in PAIRS.read_text().splitlines()]
    return [(r["a"], r["b"]) for r in rows if not r["convention_dependent"] and not r["equivalent"]]


FALSE_PAIRS = _plain_false_pairs()


@pytest.mark.skipif(not FALSE_PAIRS, reason="peer data not available")
def test_no_false_verification_on_plain_inequivalent_pairs() -> None:
    """None of the non-convention-dependent pairs labelled not equivalent is verified."""
    verified = []
    for a, b in FALSE_PAIRS:
        left, right = read_sides([a, b], Declarations())
        if isinstance(left, Failure) or isinstance(right, Failure):
            continue
        if left.kind != "expr" or right.kind != "expr":
            continue
        verdict = check_step(Step(Equal(), left.expr, right.expr, "peer pair"), None, 3.0)
        if verdict.status == "verified":
            verified.append((a, b, verdict.method))
    assert len(FALSE_PAIRS) == 21
    assert verified == []
