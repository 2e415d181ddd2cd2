"""How steps are numbered for people: definitions and chain steps each count from 1.

A derivation stores its definitions first (``Derivation.all_steps``); a user
writes the definitions and then the chain, so messages say "definition 1" and
"step 3" where step 3 is the third line of the chain as written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from calcproof.derivation import Derivation, Step
from calcproof.verdict import Verdict


@dataclass(frozen=True)
class Numbered:
    """One step of a derivation with its number as the user wrote it."""

    kind: str
    """``"definition"`` or ``"step"``."""
    number: int
    step: Step

    @property
    def label(self) -> str:
        """``definition 1`` or ``step 3``."""
        return f"{self.kind} {self.number}"


def numbered(derivation: Derivation) -> tuple[Numbered, ...]:
    """The definitions (numbered 1..k) and then the chain steps (numbered 1..n)."""
    definitions = tuple(
        Numbered("definition", n, s) for n, s in enumerate(derivation.definitions, 1)
    )
    return definitions + tuple(Numbered("step", n, s) for n, s in enumerate(derivation.steps, 1))


def with_verdicts(
    derivation: Derivation, verdicts: Sequence[Verdict]
) -> Iterator[tuple[Numbered, Verdict]]:
    """Each numbered step with its verdict (verdicts in ``all_steps`` order)."""
    yield from zip(numbered(derivation), verdicts, strict=True)


def count_phrase(derivation: Derivation) -> str:
    """``3 steps`` or ``2 steps, 1 definition``."""
    steps = len(derivation.steps)
    text = f"{steps} step{'s' if steps != 1 else ''}"
    defs = len(derivation.definitions)
    if defs:
        text += f", {defs} definition{'s' if defs != 1 else ''}"
    return text


__all__ = ["Numbered", "count_phrase", "numbered", "with_verdicts"]
