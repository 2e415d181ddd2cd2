"""``calcproof check`` results: one :class:`FileReport` per document, and its JSON form.

A report is data only (frozen records of strings and numbers), so reports made in
worker processes compare equal to those of a serial run.  The JSON form is the
contract in ``design.md``::

    {"file": …, "steps": [{"chain", "index", "line", "relation", "lhs", "rhs",
      "verdict", "method", "counterexample", "message", "assumptions", "diagnosis"}],
     "errors": [{"line", "message"}],
     "summary": {"verified", "refuted", "unknown", "errors"}}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calcproof.verdict import Diagnosis

EXIT_OK, EXIT_REFUTED, EXIT_UNREADABLE, EXIT_UNKNOWN = 0, 1, 2, 3


@dataclass(frozen=True)
class StepResult:
    """The kernel's verdict on one step of a document, with where and how it was written."""

    chain: int
    index: int
    line: int
    relation: str
    lhs: str
    rhs: str
    verdict: str
    method: str
    counterexample: tuple[tuple[str, str], ...] = ()
    message: str = ""
    notes: tuple[str, ...] = ()
    assumptions: tuple[tuple[str, str], ...] = ()
    """What the kernel assumed of each letter of the step (``("k", "a positive integer")``)."""
    diagnosis: Diagnosis | None = None
    """For a refuted step: the slip and a verified corrected line (``None`` when no simple one)."""

    def to_json(self) -> dict[str, Any]:
        message = self.message
        if self.notes:
            readings = "; ".join(self.notes)
            message = (
                f"{message} (reading taken: {readings})" if message else f"reading: {readings}"
            )
        return {
            "chain": self.chain,
            "index": self.index,
            "line": self.line,
            "relation": self.relation,
            "lhs": self.lhs,
            "rhs": self.rhs,
            "verdict": self.verdict,
            "method": self.method,
            "counterexample": dict(self.counterexample),
            "message": message,
            "assumptions": dict(self.assumptions),
            "diagnosis": None if self.diagnosis is None else self.diagnosis.to_json(),
        }


@dataclass(frozen=True)
class ReadError:
    """A line (or a whole file, ``line`` None) that could not be read."""

    line: int | None
    message: str


@dataclass(frozen=True)
class FileReport:
    """Everything ``check`` found in one file; ``unreadable`` when the file itself failed."""

    file: str
    steps: tuple[StepResult, ...]
    errors: tuple[ReadError, ...] = ()
    unreadable: bool = False

    def summary(self) -> dict[str, int]:
        counts = {"verified": 0, "refuted": 0, "unknown": 0}
        for step in self.steps:
            if step.verdict in counts:
                counts[step.verdict] += 1
        return {**counts, "errors": len(self.errors)}

    def definitions(self) -> int:
        return sum(1 for s in self.steps if s.verdict == "definition")

    def exit_code(self) -> int:
        """2 when the file could not be read at all; else 1 for a refuted step (whatever
        else was unreadable), 2 for an unreadable line, 3 for an unknown step, else 0."""
        counts = self.summary()
        if self.unreadable:
            return EXIT_UNREADABLE
        if counts["refuted"]:
            return EXIT_REFUTED
        if counts["errors"]:
            return EXIT_UNREADABLE
        return EXIT_UNKNOWN if counts["unknown"] else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "steps": [s.to_json() for s in self.steps],
            "errors": [{"line": e.line, "message": e.message} for e in self.errors],
            "summary": self.summary(),
        }


def combined_exit(reports: list[FileReport]) -> int:
    """The exit status of a run over several files: 2 when a file could not be read at all,
    else the first of 1, 2, 3 that some file has (the precedence of one file)."""
    return exit_of({r.exit_code() for r in reports}, any(r.unreadable for r in reports))


def exit_of(codes: set[int], unreadable_file: bool) -> int:
    """:func:`combined_exit` from the files' exit codes and whether one was unreadable."""
    if unreadable_file:
        return EXIT_UNREADABLE
    for code in (EXIT_REFUTED, EXIT_UNREADABLE, EXIT_UNKNOWN):
        if code in codes:
            return code
    return EXIT_OK
