"""Plain-text rendering for the terminal (``calcproof show`` and ``check`` reports)."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from sympy import Basic, pretty

from calcproof.derivation import Derivation, Step
from calcproof.numbering import with_verdicts
from calcproof.relations import Definition, Equal, Limit, Optimum
from calcproof.verdict import Verdict

MARKS = {"verified": "✓", "refuted": "✗", "unknown": "?", "definition": "≔"}
COLOURS = {"verified": "32", "refuted": "31", "unknown": "33", "definition": "36"}


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def paint(text: str, status: str, colour: bool) -> str:
    return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text


def expression(expr: Basic) -> str:
    """A unicode picture of ``expr`` (multi-line for fractions and sums)."""
    return str(pretty(expr, use_unicode=True, wrap_line=False))


def relation_symbol(step: Step) -> str:
    rel = step.relation
    if isinstance(rel, Equal):
        return "="
    if isinstance(rel, Definition):
        return "≔"
    if isinstance(rel, Limit):
        return "→"
    assert isinstance(rel, Optimum)
    return "≡" if rel.lhs_sense == rel.rhs_sense else "≡ (max → min)"


def relation_note(step: Step) -> str:
    rel = step.relation
    if isinstance(rel, Limit):
        side = "" if rel.direction == "+-" else rel.direction
        return f"as {rel.var} → {rel.point}{side}"
    if isinstance(rel, Optimum):
        names = ", ".join(str(p) for p in rel.params)
        return f"same arg{rel.rhs_sense} over {names}"
    return ""


def verdict_line(verdict: Verdict, colour: bool) -> str:
    mark = paint(f"{MARKS[verdict.status]} {verdict.status}", verdict.status, colour)
    detail = verdict.method if verdict.status != "definition" else ""
    if verdict.message and verdict.status != "definition":
        detail = f"{detail}: {verdict.message}" if detail else verdict.message
    return f"{mark}  {detail}  [{verdict.seconds:.2f} s]" if detail else mark


def show(
    derivation: Derivation, verdicts: tuple[Verdict, ...], stream: TextIO | None = None
) -> None:
    """Print a derivation: its title, then each step with its rule, reason and verdict."""
    stream = stream or sys.stdout
    colour = use_colour(stream)
    print(f"{derivation.name}: {derivation.title}", file=stream)
    for numbered, verdict in with_verdicts(derivation, verdicts):
        step = numbered.step
        print(file=stream)
        if numbered.kind == "definition" or numbered.number == 1:
            print(_indent(expression(step.lhs), "    "), file=stream)
        note = relation_note(step)
        number = f"def. {numbered.number}" if numbered.kind == "definition" else numbered.number
        print(f"  {number}. {relation_symbol(step)} {note}".rstrip(), file=stream)
        print(_indent(expression(step.rhs), "    "), file=stream)
        print(f"     {by(step.rule)}" + (f": {step.why}" if step.why else ""), file=stream)
        print(f"     {verdict_line(verdict, colour)}", file=stream)


def by(rule: str) -> str:
    """``by <rule>``, without doubling a rule already named ``by hand``."""
    return rule if rule.startswith("by ") else f"by {rule}"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())
