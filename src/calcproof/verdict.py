"""The kernel's answer for one step: three-valued, never rounded up.

A plain record, outside the kernel, so that renderers and reports depend on data only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Status = Literal["verified", "refuted", "unknown", "definition"]


@dataclass(frozen=True)
class Diagnosis:
    """What the slip in a refuted step is, with a corrected line the kernel verified.

    ``term`` and ``suggestion`` are LaTeX; ``summary`` is one sentence for the user.
    A diagnosis is only ever made from a suggestion that was verified.
    """

    kind: str
    term: str
    suggestion: str
    summary: str
    suggestion_verified: bool = True
    notations: tuple[tuple[str, str, str, str], ...] = ()
    """``(profile, term, suggestion, summary)`` for each notation profile (udl, standard)."""

    def in_notation(self, name: str) -> Diagnosis:
        """The same diagnosis written in the notation profile ``name`` (itself if unknown)."""
        for profile, term, suggestion, summary in self.notations:
            if profile == name:
                return replace(self, term=term, suggestion=suggestion, summary=summary)
        return self

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "term": self.term,
            "suggestion": self.suggestion,
            "summary": self.summary,
            "suggestion_verified": self.suggestion_verified,
        }


@dataclass(frozen=True)
class Verdict:
    """What the kernel concluded about one step, and how.

    ``counterexample`` maps a symbol's name to its value (for an argmin claim,
    the parameter atoms appear twice, as ``"<atom> @p"`` and ``"<atom> @q"``);
    ``values`` holds the evaluated sides at that point as strings.
    """

    status: Status
    method: str
    message: str = ""
    counterexample: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    diagnosis: Diagnosis | None = None
    """For a refuted step: the slip and a verified correction, when a simple one exists."""

    @property
    def ok(self) -> bool:
        """True for a verified step or a definition (which needs no proof)."""
        return self.status in ("verified", "definition")

    def timed(self, seconds: float) -> Verdict:
        """The same verdict, recording how long the check took."""
        return replace(self, seconds=seconds)


def verified(method: str, message: str = "") -> Verdict:
    return Verdict("verified", method, message)


def unknown(message: str, method: str = "none") -> Verdict:
    return Verdict("unknown", method, message)
