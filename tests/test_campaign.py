"""The robustness campaign's seeded, bounded form (the full one is ``make campaign``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import campaign


def test_seeded_campaign_has_no_failures() -> None:
    """74 hostile and fuzzed cases: statuses, JSON, no traceback, time and memory bounds hold."""
    tally = campaign.campaign(seed=0, count=24, timeout=1.0, jobs=2, say=lambda _: None)
    assert tally.cases == 24 + len(campaign.structured()) + len(campaign.special()) + 12
    assert tally.failures == []
    assert tally.peak_kb < campaign.MEMORY_LIMIT_KB
