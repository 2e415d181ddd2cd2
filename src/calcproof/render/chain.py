"""A derivation as a LaTeX ``align*`` block that reads like the book.

The claim comes first, then one line per step: the relation, the new
expression and, at the right (``\\tag*``, which amsmath moves to its own line
when the row is full), the justification in words and the kernel's verdict
mark.  Lines of an optimisation are wrapped in ``argmin``/``argmax`` with the
sense that holds at that point of the chain; lines before a limit step are
wrapped in ``\\lim``.  Nothing here decides anything: marks come from verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from sympy import Add, Basic, oo

from calcproof.errors import BuildError
from calcproof.numbering import numbered
from calcproof.relations import Definition, Limit, Optimum
from calcproof.render.latex import NotationPrinter, bracket
from calcproof.render.notation import UDL, Notation
from calcproof.render.text import INLINE_MATH, tex_text
from calcproof.render.width import LINE_LIMIT, estimate
from calcproof.verdict import Verdict

if TYPE_CHECKING:  # annotations only: derivation.py imports this module for _repr_latex_
    from calcproof.derivation import Derivation, Step

MARKS = MappingProxyType(
    {
        "verified": r"\verifiedmark",
        "definition": r"\definitionmark",
        "refuted": r"\refutedmark",
        "unknown": r"\unknownmark",
    }
)
"""Verdict marks; the macros are defined in the sheet preamble (:data:`MARK_MACROS`)."""

MARK_MACROS = r"""\newcommand{\verifiedmark}{\textcolor{verified}{\ensuremath{\checkmark}}}
\newcommand{\definitionmark}{\textcolor{gray}{(def.)}}
\newcommand{\refutedmark}{\textcolor{red}{\textbf{\ensuremath{\times}~UNVERIFIED: refuted}}}
\newcommand{\unknownmark}{\textcolor{red}{\textbf{?~UNVERIFIED: unknown}}}
\newcommand{\why}[2]{\small #1\quad #2}"""


@dataclass(frozen=True)
class ChainOptions:
    """How to render one derivation.

    ``reasons`` replaces the justification of a step (numbered as in
    ``derivation.all_steps``, from 1) by LaTeX text; ``scalar_network`` prints
    the network output without bold.
    """

    notation: Notation = UDL
    scalar_network: bool = False
    reasons: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    mathjax: bool = False
    """Self-contained output for MathJax (Jupyter): no sheet macros, Unicode reasons."""


def claim(derivation: Derivation, options: ChainOptions) -> str:
    """The claim of the whole chain, ``start  relation  end``, as one math line."""
    frame = _Frame(derivation, _printer(options), options.notation)
    last = len(derivation.steps)
    return f"{frame.wrap(0, derivation.start)} = {frame.wrap(last, derivation.end)}"


def derivation_tex(
    derivation: Derivation,
    verdicts: Sequence[Verdict] | None = None,
    options: ChainOptions | None = None,
) -> str:
    """The definitions and the chain as ``align*`` environments (marks only with verdicts)."""
    opts = options or ChainOptions()
    frame = _Frame(derivation, _printer(opts), opts.notation)
    rows: list[str] = []
    marks = [None] * len(derivation.all_steps) if verdicts is None else list(verdicts)
    labels = numbered(derivation)
    for number, (step, verdict) in enumerate(zip(derivation.all_steps, marks, strict=True), 1):
        try:
            if opts.mathjax:
                tag = rf" \tag*{{{mathjax_text(_reason(step))}}}"
            else:
                reason = opts.reasons.get(number) or frame.definition_reason(step)
                tag = _tag(step, verdict, reason)
        except BuildError as exc:
            where = f"{derivation.name}, {labels[number - 1].label} ({step.rule})"
            raise BuildError(f"{where}: the justification: {exc}") from None
        if isinstance(step.relation, Definition):
            rows.append(frame.definition(step, tag))
            continue
        position = number - len(derivation.definitions)
        lead = "  "
        if position == 1:
            opening, lead = frame.first_rows(step.lhs)
            rows.extend(opening)
        rows.extend(frame.rows(lead, position, step.rhs, tag))
        if verdict is not None and verdict.diagnosis is not None:
            rows.append(_correction(verdict))
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"


def _correction(verdict: Verdict) -> str:
    """The verified corrected line under a refuted step's red mark."""
    assert verdict.diagnosis is not None
    said = r"\textcolor{red}{\text{did you mean:}}"
    return rf"  &\quad {said}\ {verdict.diagnosis.suggestion}"


def _printer(options: ChainOptions) -> NotationPrinter:
    return NotationPrinter(options.notation, options.scalar_network)


def _tag(step: Step, verdict: Verdict | None, reason: str | None) -> str:
    text = reason if reason is not None else tex_text(_reason(step))
    mark = "" if verdict is None else MARKS[verdict.status]
    return rf" \tag*{{\why{{{text}}}{{{mark}}}}}"


def mathjax_text(text: str) -> str:
    """Prose as MathJax: ``\\text{...}`` pieces, inline ``$...$`` maths passed through."""
    out = []
    for number, part in enumerate(INLINE_MATH.split(text)):
        if number % 2:
            out.append(part)
        elif part:
            out.append(r"\text{" + "".join("\\" + c if c in "{}&%$#_" else c for c in part) + "}")
    return "".join(out)


def _reason(step: Step) -> str:
    if isinstance(step.relation, Definition):
        return step.why if step.why and step.why != "definition" else "definition"
    return step.why or step.rule


class _Frame:
    """Wraps each line of a chain in the operator that holds at its position."""

    def __init__(self, derivation: Derivation, printer: NotationPrinter, notation: Notation):
        self.printer = printer
        self.notation = notation
        self.steps = derivation.steps
        self.definitions = derivation.definitions

    def tex(self, expr: Basic) -> str:
        return str(self.printer._print(expr))

    def definition(self, step: Step, tag: str) -> str:
        return rf"  {self.tex(step.lhs)} &{self.notation.definition} {self.tex(step.rhs)}{tag}"

    def first_rows(self, start: Basic) -> tuple[list[str], str]:
        """Rows of their own for the chain's first expression, and the lead of the next row.

        An optimisation starts ``\\hat{φ} = argmax[start]`` on its own rows; any other
        chain starts ``start = ...`` on the row of its first step.
        """
        optimum = self._optimum_at(0)
        if optimum is not None:
            params = ", ".join(self.tex(p) for p in optimum[0])
            hat = rf"\hat{{{params}}}" if len(optimum[0]) == 1 else "(" + params + ")"
            return self.rows(f"  {hat} ", 0, start, ""), "  "
        return [], rf"  {self.wrap(0, start)} "

    def definition_reason(self, step: Step) -> str | None:
        """ "definition of <name>" with the name in the sheet's notation, for unfolding steps."""
        if step.rule != "substitute definition" or not self.definitions:
            return None
        names = [d.lhs for d in self.definitions if step.lhs.has(d.lhs)]
        if not names or step.why != f"definition of {names[0]}":
            return None
        return "definition of " + ", ".join(f"${self.tex(n)}$" for n in names)

    def wrap(self, position: int, expr: Basic) -> str:
        """``expr`` (the lhs of the chain at ``position`` 0, else the rhs of that step)."""
        body = self.tex(expr)
        limit = self._limit_after(position)
        if limit is not None:
            return rf"{_lim(limit, self.printer)} {body}"
        optimum = self._optimum_at(position)
        if optimum is not None:
            params, sense = optimum
            return self._argopt(params, sense) + bracket(body, _SQUARE)
        return body

    def rows(self, lead: str, position: int, expr: Basic, tag: str) -> list[str]:
        """One row ``&= expr``, or several when it is too wide and ``expr`` is a sum."""
        line = f"{lead}&= {self.wrap(position, expr)}"
        if estimate(line) <= LINE_LIMIT or not isinstance(expr, Add):
            return [line + tag]
        opener, closer = self._opener(position)
        chunks = self._chunks(expr, LINE_LIMIT - estimate(lead + opener))
        rows = [f"{lead}&= {opener}{chunks[0]}"] + [rf"  &\qquad {c}" for c in chunks[1:]]
        rows[-1] += closer + tag
        return rows

    def _opener(self, position: int) -> tuple[str, str]:
        limit = self._limit_after(position)
        if limit is not None:
            return rf"{_lim(limit, self.printer)} \biggl(", r"\biggr)"
        optimum = self._optimum_at(position)
        if optimum is not None:
            return self._argopt(*optimum) + r"\biggl[", r"\biggr]"
        return "", ""

    def _chunks(self, expr: Add, budget: float) -> list[str]:
        """The terms of ``expr`` with their signs, packed greedily into lines of ``budget``."""
        chunks = [""]
        for number, term in enumerate(self.printer._as_ordered_terms(expr)):
            sign = "- " if term.could_extract_minus_sign() else "+ " if number else ""
            body = -term if sign == "- " else term
            tex = self.tex(body)
            if self.printer._needs_add_brackets(body):
                tex = rf"\left({tex}\right)"
            piece = f"{sign}{tex}"
            if chunks[-1] and estimate(chunks[-1] + piece) > budget:
                chunks.append("")
            chunks[-1] += (" " if chunks[-1] else "") + piece
        return chunks

    def _argopt(self, params: tuple[Basic, ...], sense: str) -> str:
        names = ", ".join(self.tex(p) for p in params)
        if self.notation.optimiser == "underset":
            return rf"\underset{{{names}}}{{\operatorname{{arg{sense}}}}}"
        return rf"\operatorname*{{arg{sense}}}_{{{names}}}"

    def _limit_after(self, position: int) -> Limit | None:
        for step in self.steps[position:]:
            if isinstance(step.relation, Limit):
                return step.relation
        return None

    def _optimum_at(self, position: int) -> tuple[tuple[Basic, ...], str] | None:
        optima = [(n, s.relation) for n, s in enumerate(self.steps, 1)]
        optima = [(n, r) for n, r in optima if isinstance(r, Optimum)]
        if not optima:
            return None
        before = [r for n, r in optima if n <= position]
        if before:
            rel = before[-1]
            assert isinstance(rel, Optimum)
            return rel.params, rel.rhs_sense
        first = optima[0][1]
        assert isinstance(first, Optimum)
        return first.params, first.lhs_sense


_SQUARE = Notation(name="square", open="[", close="]", functions=UDL.functions, symbols=UDL.symbols)
"""The objective of argmin/argmax is bracketed with square brackets in both profiles."""


def _lim(relation: Limit, printer: NotationPrinter) -> str:
    point = relation.point
    target = r"+\infty" if point == oo else r"-\infty" if point == -oo else printer._print(point)
    side = "" if relation.direction == "+-" or point in (oo, -oo) else f"^{{{relation.direction}}}"
    return rf"\lim_{{{printer._print(relation.var)} \to {target}{side}}}"
