"""One document through the whole pipeline: read, parse, build claims, ask the kernel."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing

from sympy import Indexed

from calcproof.errors import InputError
from calcproof.latex_input.adapter import Failure, read_sides_timed, warm_up
from calcproof.latex_input.document import Document, RawStep, read_document
from calcproof.latex_input.files import read_text
from calcproof.latex_input.steps import Claim, claims
from calcproof.report import FileReport, ReadError, StepResult
from calcproof.verify import Verdict, check_step
from calcproof.verify.budget import fork_map

MIN_STEPS_PER_WORKER = 4
"""Fewer steps than this per extra worker are not worth a process pool."""
MIN_KERNEL_SECONDS = 0.1
"""Least time the kernel gets for a step, whatever reading its sides took."""


def check_file(path: str, timeout: float, notation: str = "udl", workers: int = 1) -> FileReport:
    """Check every step of the document at ``path``; unreadable input becomes a report.

    One budget bounds each step, reading included: the sides it uses first share
    ``timeout`` (each reading stage gets at least a constant), and the kernel gets
    what is left (at least ``MIN_KERNEL_SECONDS``), so that a step never takes
    longer than ``timeout`` plus a constant.  ``workers > 1`` asks the kernel about the
    steps from forked processes; verdicts and their order are the same as with one.
    """
    warm_up()
    try:
        document = read_document(path, read_text(path), notation)
    except InputError as exc:
        return FileReport(path, (), (ReadError(_line(exc.location), exc.message),), True)
    found, spent = _claims(document, timeout)
    budgets = [max(timeout - spent[c.raw], MIN_KERNEL_SECONDS) for c in found]
    work = [(c, b) for c, b in zip(found, budgets, strict=True) if c.step is not None]
    steps = _results(work, workers)
    errors = [ReadError(e.line, e.message) for e in document.errors]
    errors += [ReadError(c.error_line, c.error or "") for c in found if c.step is None]
    unique = tuple(dict.fromkeys(errors))
    return FileReport(path, steps, tuple(sorted(unique, key=lambda e: (e.line or 0, e.message))))


def _line(location: str | None) -> int | None:
    if location and ":" in location:
        tail = location.rsplit(":", 1)[1]
        return int(tail) if tail.isdigit() else None
    return None


def _claims(document: Document, seconds: float) -> tuple[list[Claim], dict[RawStep, float]]:
    """The claims of the document, and the seconds spent reading each step's new sides.

    Sides are read with one symbol table per chain (a chain is the scope of an
    index letter), so the same text may be read once per chain that uses it.
    """
    first: dict[tuple[int, str], int] = {}
    for number, step in enumerate(document.steps):
        for text in (step.lhs.text, step.rhs.text):
            first.setdefault((step.chain, text), number)
    keys = list(first)
    timed = read_sides_timed(
        [t for _, t in keys],
        document.declarations,
        seconds,
        [first[k] for k in keys],
        scopes=[c for c, _ in keys],
    )
    read = dict(zip(keys, timed, strict=True))
    spent = dict.fromkeys(document.steps, 0.0)
    for key, (_, took) in read.items():
        spent[document.steps[first[key]]] += took
    pairs = [(read[s.chain, s.lhs.text][0], read[s.chain, s.rhs.text][0]) for s in document.steps]
    return claims(document.steps, pairs, document.declarations), spent


def _results(work: Sequence[tuple[Claim, float]], workers: int) -> tuple[StepResult, ...]:
    workers = min(workers, len(work) // MIN_STEPS_PER_WORKER)
    if workers < 2:
        return tuple(_result(claim, seconds) for claim, seconds in work)
    with closing(fork_map(lambda pair: _result(*pair), work, workers)) as outcomes:
        return tuple(
            o.value if o.value is not None else _result(claim, 0, f"a worker failed: {o.error}")
            for (claim, _), o in zip(work, outcomes, strict=True)
        )


def _result(claim: Claim, timeout: float, failed: str = "") -> StepResult:
    """The kernel's verdict on the claim (``failed``: it could not be asked, so unknown)."""
    assert claim.step is not None
    if failed:
        verdict = Verdict("unknown", "error", f"not decided: {failed}")
    else:
        verdict = check_step(claim.step, claim.context, timeout)
    raw = claim.raw
    return StepResult(
        raw.chain,
        raw.index,
        raw.line,
        claim.label,
        raw.lhs.text,
        raw.rhs.text,
        verdict.status,
        verdict.method,
        verdict.counterexample,
        verdict.message if verdict.status != "definition" else "",
        claim.notes,
        _assumed(claim),
    )


def _assumed(claim: Claim) -> tuple[tuple[str, str], ...]:
    """What was assumed of the step's free letters (declared domains first)."""
    assert claim.step is not None
    letters = (claim.step.lhs.free_symbols | claim.step.rhs.free_symbols) - {
        a.base.label for a in (claim.step.lhs.atoms(Indexed) | claim.step.rhs.atoms(Indexed))
    }
    facts = claim.context.facts
    indexed = {a.base.label for a in claim.step.lhs.atoms(Indexed) | claim.step.rhs.atoms(Indexed)}
    return facts.describe(letters) + tuple(
        (str(label), facts.word(label))
        for label in sorted(indexed, key=str)
        if facts.domain(label) is not None
    )


__all__ = ["Failure", "check_file"]
