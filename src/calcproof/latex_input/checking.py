"""One document through the whole pipeline: read, parse, build claims, ask the kernel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any, TypeVar

from sympy import Indexed

from calcproof.errors import InputError
from calcproof.latex_input.adapter import Failure, read_sides_timed, warm_up
from calcproof.latex_input.document import Document, RawStep, read_document
from calcproof.latex_input.files import read_text
from calcproof.latex_input.steps import Claim, claims, paired, texts
from calcproof.report import FileReport, ReadError, StepResult
from calcproof.verify import Verdict, decided, decision
from calcproof.verify.workers import Worker, worker_map

MIN_STEPS_PER_WORKER = 4
"""Fewer steps than this per extra worker are not worth a process pool."""
MIN_KERNEL_SECONDS = 0.1
"""Least time the kernel gets for a step, whatever reading its sides took."""


T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) as each step of a file is decided."""


def check_file(
    path: str,
    timeout: float,
    notation: str = "udl",
    workers: int = 1,
    progress: Progress | None = None,
    pool: Sequence[Worker] | None = None,
) -> FileReport:
    """Check every step of the document at ``path``; unreadable input becomes a report.

    One budget bounds each step, reading included: the sides it uses first share
    ``timeout`` (each reading stage gets at least a constant), and the kernel gets
    what is left (at least ``MIN_KERNEL_SECONDS``), so that a step never takes
    longer than ``timeout`` plus a constant.  Reading and deciding run in worker
    processes (:class:`~calcproof.verify.workers.Worker`): ``pool``, kept warm
    between files by the caller, or else ``workers`` new ones closed at the end;
    with more than one, the steps are spread over them.  Verdicts and their order
    are the same whichever way they ran.
    """
    if pool is None:
        warm_up()  # the caller of a pool has prepared this process before forking it
    try:
        document = read_document(path, read_text(path), notation)
    except InputError as exc:
        return FileReport(path, (), (ReadError(_line(exc.location), exc.message),), True)
    own = [Worker() for _ in range(max(workers, 1))] if pool is None else []
    try:
        return _check_document(path, document, timeout, progress, pool or own)
    finally:
        for worker in own:
            worker.close()


def _check_document(
    path: str,
    document: Document,
    timeout: float,
    progress: Progress | None,
    pool: Sequence[Worker],
) -> FileReport:
    found, spent = _claims(document, timeout, pool[0])
    budgets = [max(timeout - spent[c.raw], MIN_KERNEL_SECONDS) for c in found]
    work = [(c, b) for c, b in zip(found, budgets, strict=True) if c.step is not None]
    steps = _results(work, pool, progress, document.declarations.notation)
    steps = tuple(sorted(steps + _statements(found), key=lambda r: (r.chain, r.index)))
    errors = [ReadError(e.line, e.message) for e in document.errors]
    errors += [ReadError(c.error_line, c.error or "") for c in found if c.error is not None]
    unique = tuple(dict.fromkeys(errors))
    return FileReport(path, steps, tuple(sorted(unique, key=lambda e: (e.line or 0, e.message))))


def _line(location: str | None) -> int | None:
    if location and ":" in location:
        tail = location.rsplit(":", 1)[1]
        return int(tail) if tail.isdigit() else None
    return None


def _claims(
    document: Document, seconds: float, worker: Worker | None = None
) -> tuple[list[Claim], dict[RawStep, float]]:
    """The claims of the document, and the seconds spent reading each step's new sides.

    Sides are read with one symbol table per chain (a chain is the scope of an
    index letter), so the same text may be read once per chain that uses it; a
    step between equations (⇔, ⇒) reads the four ends of its two equations.
    """
    first: dict[tuple[int, str], int] = {}
    for number, step in enumerate(document.steps):
        for text in texts(step):
            first.setdefault((step.chain, text), number)
    keys = list(first)
    timed = read_sides_timed(
        [t for _, t in keys],
        document.declarations,
        seconds,
        [first[k] for k in keys],
        scopes=[c for c, _ in keys],
        worker=worker,
    )
    read = dict(zip(keys, timed, strict=True))
    spent = dict.fromkeys(document.steps, 0.0)
    for key, (_, took) in read.items():
        spent[document.steps[first[key]]] += took
    pairs = [paired(s, lambda text, s=s: read[s.chain, text][0]) for s in document.steps]  # type: ignore[misc]
    return claims(document.steps, pairs, document.declarations), spent


def _statements(found: Sequence[Claim]) -> tuple[StepResult, ...]:
    """Displays marked as statements, reported as taken (not checked)."""
    return tuple(_statement(c) for c in found if c.statement)


def _statement(claim: Claim) -> StepResult:
    raw = claim.raw
    return StepResult(
        raw.chain,
        raw.index,
        raw.line,
        "statement",
        raw.lhs.text,
        raw.rhs.text,
        "statement",
        "statement",
        message="stated, not checked",
        notes=claim.notes,
    )


def _results(
    work: Sequence[tuple[Claim, float]],
    pool: Sequence[Worker],
    progress: Progress | None = None,
    notation: str = "udl",
) -> tuple[StepResult, ...]:
    """Each claim decided in the pool within its budget (spread over the pool's workers
    when there are at least :data:`MIN_STEPS_PER_WORKER` steps per extra worker)."""
    workers = pool[: max(1, min(len(pool), len(work) // MIN_STEPS_PER_WORKER))]
    calls = [decision(c.step, c.context, b) for c, b in work]  # type: ignore[arg-type]
    done: list[StepResult] = []
    with closing(worker_map(_call, calls, workers, [b for _, b in work])) as outcomes:
        for (claim, seconds), outcome in zip(work, outcomes, strict=True):
            assert claim.step is not None
            verdict = decided(claim.step, claim.context, outcome, seconds, diagnose=True)
            done.append(_result(claim, verdict, notation))
            if progress is not None:
                progress(len(done), len(work))
    return tuple(done)


def _call(work: Callable[..., T], args: tuple[Any, ...]) -> T:
    return work(*args)


def _result(claim: Claim, verdict: Verdict, notation: str = "udl") -> StepResult:
    """The report of a claim given its verdict; a refuted step's diagnosis is written in
    the document's ``notation``."""
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
    indexed = {a.base.label for a in claim.step.lhs.atoms(Indexed) | claim.step.rhs.atoms(Indexed)}
    letters = (claim.step.lhs.free_symbols | claim.step.rhs.free_symbols) - indexed
    facts = claim.context.facts
    return facts.describe(letters) + tuple(
        (str(label), facts.word(label))
        for label in sorted(indexed, key=str)
        if facts.domain(label) is not None
    )


__all__ = ["Failure", "check_file"]
