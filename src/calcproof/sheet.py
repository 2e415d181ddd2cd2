"""Sheets: ordered problems with statements, solution prose, derivations and figures.

A sheet is content (no I/O).  It names its derivations (``Proof("sigmoid-at-zero")``)
because content modules are loaded standalone; the build resolves the names
with :meth:`calcproof.registry.Content.derivation`.  Prose is LaTeX text-mode
source; :class:`Display` shows expressions in the sheet's notation.  A figure
is a built-in plot by name, or the user's own: a :class:`Curves` spec drawn from
a symbolic expression, or a drawing function (checked before any verification).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sympy import Basic, Symbol


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

    ``reasons`` maps a step number of the chain (1 is its first line, as
    written) to LaTeX text that replaces the rule's justification on the sheet;
    ``definition_reasons`` does the same for the definitions (numbered from 1
    on their own).  The step and its verdict are unchanged.
    """

    derivation: str
    reasons: Mapping[int, str] = field(default_factory=dict)
    claim: bool = True
    definition_reasons: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Curve:
    """One case of a :class:`Curves` plot: values for the other symbols, a colour, a label.

    ``subs`` maps each symbol of the expression other than the plotted variable
    to a number (``{y: 0}``); ``colour`` is any matplotlib colour (``"#d62728"``,
    ``"red"``; empty for the default cycle); ``label`` is legend text in
    matplotlib mathtext (``"$y = 0$"``).
    """

    subs: Mapping[Basic, Any] = field(default_factory=dict)
    colour: str = ""
    label: str = ""


@dataclass(frozen=True)
class Curves:
    """A plot of the symbolic ``expr`` against ``var`` over ``span``, one line per case.

    The curve is evaluated from ``expr`` itself (``lambdify``), never re-typed.
    Labels are matplotlib mathtext; the default x label is the variable.
    """

    expr: Basic
    var: Symbol
    span: tuple[float, float]
    cases: tuple[Curve, ...] = (Curve(),)
    xlabel: str = ""
    ylabel: str = ""
    ylim: tuple[float, float] | None = None
    points: int = 400


Draw = Callable[[Any, str], None]
"""A user's drawing function ``draw(axes, notation)`` on a matplotlib ``Axes``."""


@dataclass(frozen=True)
class Figure:
    """A figure with a caption (LaTeX), written to ``figures/<plot>.pdf`` and ``.png``.

    With neither ``curves`` nor ``draw``, ``plot`` names a built-in plot
    (:data:`calcproof.figures.PLOTS`: ``bce-loss``, ``sigmoid``).  With ``curves``
    it is drawn from the user's expression; with ``draw`` by the user's function.
    """

    plot: str
    caption: str
    width: str = r"0.62\textwidth"
    curves: Curves | None = None
    draw: Draw | None = None


Block = Text | Display | Proof | Figure


@dataclass(frozen=True)
class Problem:
    """One task: its statement and its solution, each a sequence of blocks.

    ``scalar_network`` prints the network output ``f[x, φ]`` without bold (the
    book's notation for one scalar output).  ``vector_data`` names indexed data
    whose one-index entries are vectors: with ``("y",)``, ``y[i]`` prints as the
    bold ``\\mathbf{y}_i`` and ``y[i, d]`` as its entry ``y_{id}``.
    """

    title: str
    statement: tuple[Block, ...]
    solution: tuple[Block, ...]
    scalar_network: bool = False
    vector_data: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """An ordered set of problems, built into ``<name>.tex`` and ``<name>-problems.tex``.

    The heading shows ``title``, ``subtitle`` (the course), ``date`` and
    ``instructions`` ("Handwritten; submit on Canvas."), all LaTeX text;
    ``preface`` is any further LaTeX placed after the heading.
    """

    name: str
    title: str
    subtitle: str
    problems: tuple[Problem, ...]
    preface: str = ""
    date: str = ""
    instructions: str = ""

    def derivation_names(self) -> tuple[str, ...]:
        """The derivations the solutions use, in order of first use."""
        return tuple(dict.fromkeys(b.derivation for b in self._blocks() if isinstance(b, Proof)))

    def plots(self) -> tuple[str, ...]:
        """The plots the sheet shows, in order of first use."""
        return tuple(dict.fromkeys(f.plot for f in self.figures()))

    def figures(self) -> tuple[Figure, ...]:
        """The figures the sheet shows, in order."""
        return tuple(b for b in self._blocks() if isinstance(b, Figure))

    def _blocks(self) -> Iterator[Block]:
        for problem in self.problems:
            yield from problem.statement + problem.solution


__all__ = [
    "Block",
    "Curve",
    "Curves",
    "Display",
    "Draw",
    "Figure",
    "Problem",
    "Proof",
    "Sheet",
    "Text",
]
