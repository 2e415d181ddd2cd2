"""One document through the whole pipeline: read, parse, build claims, ask the kernel."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from functools import partial

from sympy import Indexed

from calcproof.errors import InputError
from calcproof.latex_input.adapter import Failure, read_sides, warm_up
from calcproof.latex_input.document import Document, read_document, read_text
from calcproof.latex_input.steps import Claim, claims
from calcproof.report import FileReport, ReadError, StepResult
from calcproof.verify import check_step

MIN_STEPS_PER_WORKER = 4
"""Fewer steps than this per extra worker are not worth a process pool."""


def check_file(path: str, timeout: float, notation: str = "udl", workers: int = 1) -> FileReport:
    """Check every step of the document at ``path``; unreadable input becomes a report.

    ``workers > 1`` asks the kernel about the steps from a pool of forked processes;
    verdicts and their order are the same as with one.
    """
    warm_up()
    try:
        document = read_document(path, read_text(path), notation)
    except InputError as exc:
        return FileReport(path, (), (ReadError(_line(exc.location), exc.message),), True)
    found = _claims(document)
    steps = _results([c for c in found if c.step is not None], timeout, workers, document)
    errors = [ReadError(e.line, e.message) for e in document.errors]
    errors += [ReadError(c.error_line, c.error or "") for c in found if c.step is None]
    unique = tuple(dict.fromkeys(errors))
    return FileReport(path, steps, tuple(sorted(unique, key=lambda e: (e.line or 0, e.message))))


def _line(location: str | None) -> int | None:
    if location and ":" in location:
        tail = location.rsplit(":", 1)[1]
        return int(tail) if tail.isdigit() else None
    return None


def _claims(document: Document) -> list[Claim]:
    """Read every side, one symbol table per chain (a chain is the scope of an index letter)."""
    keyed = list(
        dict.fromkeys((s.chain, t) for s in document.steps for t in (s.lhs.text, s.rhs.text))
    )
    sides = read_sides([t for _, t in keyed], document.declarations, scopes=[c for c, _ in keyed])
    read = dict(zip(keyed, sides, strict=True))
    pairs = [(read[s.chain, s.lhs.text], read[s.chain, s.rhs.text]) for s in document.steps]
    return claims(document.steps, pairs, document.declarations)


def _results(
    found: Sequence[Claim], timeout: float, workers: int, document: Document
) -> tuple[StepResult, ...]:
    workers = min(workers, len(found) // MIN_STEPS_PER_WORKER)
    notation = document.declarations.notation
    if workers < 2:
        return tuple(_result(c, timeout, notation) for c in found)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        work = partial(_result, timeout=timeout, notation=notation)
        return tuple(pool.map(work, found, chunksize=1))


def _result(claim: Claim, timeout: float, notation: str = "udl") -> StepResult:
    assert claim.step is not None
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
        None if verdict.diagnosis is None else verdict.diagnosis.in_notation(notation),
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
