"""One document through the whole pipeline: read, parse, build claims, ask the kernel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing

from sympy import Indexed

from calcproof.errors import InputError
from calcproof.latex_input.adapter import Failure, read_sides_timed, warm_up
from calcproof.latex_input.document import Document, RawStep, read_document
from calcproof.latex_input.files import read_text
from calcproof.latex_input.steps import Claim, claims, paired, texts
from calcproof.report import FileReport, ReadError, StepResult
from calcproof.verify import Verdict, check_step
from calcproof.verify.budget import fork_map

MIN_STEPS_PER_WORKER = 4
"""Fewer steps than this per extra worker are not worth a process pool."""
MIN_KERNEL_SECONDS = 0.1
"""Least time the kernel gets for a step, whatever reading its sides took."""


Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) as each step of a file is decided."""


def check_file(
    path: str,
    timeout: float,
    notation: str = "udl",
    workers: int = 1,
    progress: Progress | None = None,
) -> FileReport:
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
    steps = _results(work, workers, progress, document.declarations.notation)
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


def _claims(document: Document, seconds: float) -> tuple[list[Claim], dict[RawStep, float]]:
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
    workers: int,
    progress: Progress | None = None,
    notation: str = "udl",
) -> tuple[StepResult, ...]:
    workers = min(workers, len(work) // MIN_STEPS_PER_WORKER)
    done: list[StepResult] = []
    if workers < 2:
        for claim, seconds in work:
            done.append(_result(claim, seconds, notation=notation))
            if progress is not None:
                progress(len(done), len(work))
        return tuple(done)
    with closing(
        fork_map(lambda pair: _result(*pair, notation=notation), work, workers)
    ) as outcomes:
        for (claim, _), o in zip(work, outcomes, strict=True):
            ok = o.value is not None
            done.append(o.value if ok else _result(claim, 0, f"a worker failed: {o.error}"))  # type: ignore[arg-type]
            if progress is not None:
                progress(len(done), len(work))
    return tuple(done)


def _result(claim: Claim, timeout: float, failed: str = "", notation: str = "udl") -> StepResult:
    """The kernel's verdict on the claim (``failed``: it could not be asked, so unknown);
    a refuted step's diagnosis is written in the document's ``notation``."""
    assert claim.step is not None
    if failed:
        verdict = Verdict("unknown", "error", f"not decided: {failed}")
    else:
        verdict = check_step(claim.step, claim.context, timeout, diagnose=True)
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
