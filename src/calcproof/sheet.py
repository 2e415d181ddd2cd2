"""Sheets: ordered problems with statements, solution prose, derivations and figures.

A sheet is content (no I/O).  It names its derivations (``Proof("sigmoid-at-zero")``)
because content modules are loaded standalone; the build resolves the names
with :meth:`calcproof.registry.Content.derivation`.  Prose is LaTeX text-mode
source; :class:`Display` shows expressions in the sheet's notation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sympy import Basic


@dataclass(frozen=True)
class Text:
    """A paragraph of LaTeX text-mode source (inline maths in ``$...$``)."""

    latex: str


@dataclass(frozen=True)
class Display:
    """A displayed equation ``lhs relation rhs`` (or just ``lhs``) in the sheet's notation."""

    lhs: Basic
    rhs: Basic | None = None
    relation: str = "="


@dataclass(frozen=True)
class Proof:
    """A derivation by name, with optional rewording of step justifications.

    ``reasons`` maps a step number (as in ``Derivation.all_steps``, from 1) to
    LaTeX text that replaces the rule's justification on the sheet; the step
    and its verdict are unchanged.
    """

    derivation: str
    reasons: Mapping[int, str] = field(default_factory=dict)
    claim: bool = True


@dataclass(frozen=True)
class Figure:
    """A plot from :data:`calcproof.figures.PLOTS` by name, with a caption (LaTeX)."""

    plot: str
    caption: str
    width: str = r"0.62\textwidth"


Block = Text | Display | Proof | Figure


@dataclass(frozen=True)
class Problem:
    """One task: its statement and its solution, each a sequence of blocks.

    ``scalar_network`` prints the network output ``f[x, φ]`` without bold (the
    book's notation for one scalar output).
    """

    title: str
    statement: tuple[Block, ...]
    solution: tuple[Block, ...]
    scalar_network: bool = False


@dataclass(frozen=True)
class Sheet:
    """An ordered set of problems, built into ``<name>.tex`` and ``<name>-problems.tex``."""

    name: str
    title: str
    subtitle: str
    problems: tuple[Problem, ...]
    preface: str = ""

    def derivation_names(self) -> tuple[str, ...]:
        """The derivations the solutions use, in order of first use."""
        return tuple(dict.fromkeys(b.derivation for b in self._blocks() if isinstance(b, Proof)))

    def plots(self) -> tuple[str, ...]:
        """The plots the sheet shows, in order of first use."""
        return tuple(dict.fromkeys(b.plot for b in self._blocks() if isinstance(b, Figure)))

    def _blocks(self) -> Iterator[Block]:
        for problem in self.problems:
            yield from problem.statement + problem.solution


__all__ = ["Block", "Display", "Figure", "Problem", "Proof", "Sheet", "Text"]
