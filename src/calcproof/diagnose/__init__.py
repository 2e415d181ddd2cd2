"""Say what the slip is: for a refuted step, the kind of slip and a corrected line.

Candidate corrections of the right-hand side (or, for a limit, of the point and
direction) are made by slip kind (:mod:`.kinds`, :mod:`.terms`, :mod:`.limits`)
— a term with the wrong sign, a term missing or extra, a constant factor, an
exponent, two symbols swapped, a function replaced, a term moved out of its Σ,
and for an argmin/argmax claim a negative multiplier, a dropped φ-dependent term
or a non-monotone transform.  Candidates are tried simplest first with the
kernel's own provers (:mod:`.search`); only one that the kernel *verifies* is
ever reported (:func:`calcproof.verify.check_step` confirms it once more before
it is shown, :mod:`.wording` writes it in the user's notation).
"""

from __future__ import annotations

import time
from dataclasses import replace

from calcproof.derivation import Context, Step
from calcproof.diagnose.search import candidates, proves, search
from calcproof.diagnose.tree import Candidate
from calcproof.diagnose.wording import describe
from calcproof.verdict import Diagnosis, Verdict
from calcproof.verify.budget import run_bounded

__all__ = ["Candidate", "candidates", "describe", "diagnose_refuted", "proves", "search"]

SEARCH_SHARE = 0.7
"""Share of the diagnosis budget spent searching; the rest confirms with ``check_step``."""


def diagnose_refuted(step: Step, ctx: Context, verdict: Verdict, timeout: float | None) -> Verdict:
    """``verdict`` (refuted) with a diagnosis when a simple verified correction exists.

    The search and the confirming ``check_step`` run in one child bounded by
    ``timeout``; whatever happens there, the verdict stays refuted.
    """
    if verdict.status != "refuted":
        return verdict
    search_seconds = 30.0 if timeout is None else timeout * SEARCH_SHARE
    outcome = run_bounded(lambda: _diagnosis(step, ctx, search_seconds, timeout), timeout)
    if outcome.value is None:
        return verdict
    return replace(verdict, diagnosis=outcome.value)


def _diagnosis(step: Step, ctx: Context, seconds: float, timeout: float | None) -> Diagnosis | None:
    from calcproof.verify import check_step

    started = time.perf_counter()
    found = search(step, ctx, seconds)
    if found is None:
        return None
    left = None if timeout is None else max(timeout - (time.perf_counter() - started) - 0.2, 0.5)
    if check_step(found.step, ctx, left, diagnose=False).status != "verified":
        return None
    return describe(found, step)
