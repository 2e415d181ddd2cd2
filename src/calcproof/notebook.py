"""A checked view of a derivation for Jupyter: ``derivation.check()``.

Displaying a :class:`~calcproof.derivation.Derivation` shows its LaTeX without
verdicts (displaying never runs the kernel).  ``derivation.check()`` runs the
kernel and returns a :class:`CheckedView`, whose HTML and LaTeX show every
step in the book's notation with ✓ (verified), ✗ (refuted, with its
counterexample) or ? (unknown, with what the kernel could not decide).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from calcproof.derivation import Derivation
from calcproof.numbering import Numbered, with_verdicts
from calcproof.render.chain import _Frame, mathjax_text
from calcproof.render.latex import NotationPrinter
from calcproof.render.notation import UDL, Notation
from calcproof.verdict import Verdict
from calcproof.verify import DerivationReport, check_derivation

MARKS = {"verified": "✓", "refuted": "✗", "unknown": "?", "definition": "≔"}
COLOURS = {"verified": "#2ca02c", "refuted": "#d62728", "unknown": "#ff7f0e", "definition": "#777"}


@dataclass(frozen=True)
class CheckedView:
    """A derivation with the kernel's verdicts, displayed with marks in Jupyter."""

    report: DerivationReport
    notation: Notation = UDL

    @property
    def verified(self) -> bool:
        """True only when every step is verified."""
        return self.report.verified

    def rows(self) -> list[tuple[Numbered, str, Verdict]]:
        """Each step as (number, LaTeX of ``lhs rel rhs``, verdict)."""
        derivation = self.report.derivation
        frame = _Frame(derivation, NotationPrinter(self.notation), self.notation)
        out = []
        for numbered, verdict in with_verdicts(derivation, self.report.verdicts):
            step = numbered.step
            if numbered.kind == "definition":
                tex = f"{frame.tex(step.lhs)} {self.notation.definition} {frame.tex(step.rhs)}"
            else:
                n = numbered.number
                # wrap() puts argmin/lim around each side, so the two sides are equal
                tex = f"{frame.wrap(n - 1, step.lhs)} = {frame.wrap(n, step.rhs)}"
            out.append((numbered, tex, verdict))
        return out

    def summary(self) -> str:
        derivation = self.report.derivation
        counts = self.report.counts()
        done = f"{counts['verified']} of {len(derivation.steps)} steps verified"
        bad = [f"{counts[s]} {s}" for s in ("refuted", "unknown") if counts[s]]
        return f"{derivation.name}: {done}" + (f" ({', '.join(bad)})" if bad else "")

    def _repr_html_(self) -> str:
        body = []
        for numbered, tex, verdict in self.rows():
            colour = COLOURS[verdict.status]
            mark = f'<span style="color:{colour}">{MARKS[verdict.status]} {verdict.status}</span>'
            detail = html.escape(_detail(verdict))
            body.append(
                f"<tr><td>{numbered.label}</td><td>\\({html.escape(tex)}\\)</td>"
                f"<td>{html.escape(numbered.step.why or numbered.step.rule)}</td>"
                f"<td>{mark}<br><small>{detail}</small></td></tr>"
            )
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        return head + "<table>" + "".join(body) + "</table>"

    def _repr_latex_(self) -> str:
        rows = []
        for numbered, tex, verdict in self.rows():
            note = mathjax_text(f"{numbered.label}: {MARKS[verdict.status]} {verdict.status}")
            detail = _detail(verdict)
            if detail:
                note += r"\ " + mathjax_text(f"— {detail}")
            rows.append(rf"& {tex} && {note}")
        title = mathjax_text(self.summary())
        return "$$\\begin{aligned}" + title + r"\\" + r"\\".join(rows) + r"\end{aligned}$$"

    def __repr__(self) -> str:
        lines = [self.summary()]
        for numbered, _tex, verdict in self.rows():
            detail = _detail(verdict)
            lines.append(
                f"  {numbered.label}: {MARKS[verdict.status]} {verdict.status}"
                + (f" — {detail}" if detail else "")
            )
        return "\n".join(lines)


def _detail(verdict: Verdict) -> str:
    if verdict.status == "verified":
        return verdict.method
    if verdict.status == "definition":
        return ""
    return verdict.message or verdict.method


def check(derivation: Derivation, timeout: float | None = 10.0) -> CheckedView:
    """Run the kernel on every step of ``derivation`` and return the checked view."""
    return CheckedView(check_derivation(derivation, timeout))


__all__ = ["CheckedView", "check"]
