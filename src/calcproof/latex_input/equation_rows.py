"""Rows that are equations: ⇔/⇒/⇐ between equations, ``\\text{set}``, reasons, ``\\in``.

- A row split at top-level ``\\iff``/``\\implies``/``\\Leftarrow`` (and spellings) is a
  chain of equations; a row starting with one continues the previous chain, which must
  be an equation (one step ``a = b``, then read as the equation ``a = b``).
- ``\\text{set}`` (or ``\\text{solve}``) at the start of a row makes it an equation.
- A ``\\quad \\text{(reason)}`` ending a row is the stated reason of its last step.
- ``y \\in \\{0, 1\\}`` alone on a row is the declaration ``binary y``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calcproof.errors import InputError
from calcproof.report import ReadError as LineError

RELATION_WORDS = re.compile(
    r"\\(?:coloneqq|triangleq|equiv|neq|ne|approx|propto|sim|simeq|to|in|rightarrow|mapsto)"
    r"(?![a-zA-Z])"
)
"""Relations that cannot appear inside an equation next to ⇔/⇒."""

CONNECTIVES = {
    r"\iff": "iff", r"\Leftrightarrow": "iff", r"\Longleftrightarrow": "iff",
    r"\Rightarrow": "implies", r"\implies": "implies", r"\Longrightarrow": "implies",
    r"\Leftarrow": "impliedby", r"\impliedby": "impliedby", r"\Longleftarrow": "impliedby",
}  # fmt: skip
"""Relations between equations, by the name a :class:`RawStep` records."""
EQUATION_RELATIONS = {"=": "==", "<": "<", ">": ">", r"\le": "<=", r"\leq": "<=", r"\ge": ">=",
                      r"\geq": ">="}  # fmt: skip
SET_MARK = re.compile(r"^\\(?:text|textrm|mathrm)\{\s*(?:set|solve)\s*\}\s*")
"""``\\text{set}`` at the start of a row: the row is an equation to be solved."""


@dataclass(frozen=True)
class Side:
    """One end of a step: its LaTeX text, the line it starts on, and a stated reason."""

    text: str
    line: int
    reason: str = ""


Chain = tuple[list[Side], list[str]]

_REASON = re.compile(r"\\text(?:rm)?\{([^{}]*)\}\s*(\))?[\s,.;]*$")
"""A ``\\text{…}`` (optionally bracketed, after ``\\quad``) ending a row: the step's reason."""
_BEFORE_REASON = ("\\qquad", "\\quad", "\\,", "\\;", "\\:", "\\!", "&")
_MEMBERSHIP = re.compile(
    r"^(\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]\}?)?)\s*\\in\s*"
    r"(\\\{\s*0\s*,\s*1\s*\\\}|\(\s*0\s*,\s*1\s*\)|\\mathbb\{N\}|\\mathbb\{Z\}|\\mathbb\{R\})$"
)
_MEMBERSHIP_DOMAINS = {"{0,1}": "binary", "(0,1)": "unit", "N": "count", "Z": "integer",
                       "R": "real"}  # fmt: skip


def reason_of(row: str) -> tuple[str, str]:
    """The row without a trailing ``\\quad\\text{(reason)}``, and the reason (linear time)."""
    start = row.rfind("\\text")
    match = _REASON.match(row, start) if start >= 0 else None
    if match is None:
        return row, ""
    head = row[:start].rstrip()
    if match.group(2):  # a bracketed reason: (\text{…})
        if not head.endswith("("):
            return row, ""
        head = head[:-1].rstrip()
    while head.endswith(_BEFORE_REASON):
        head = head[: -len(next(s for s in _BEFORE_REASON if head.endswith(s)))].rstrip()
    if not head:
        return row, ""
    return head, match.group(1).strip().strip("()").strip()


def membership(row: str) -> str | None:
    """``y \\in \\{0, 1\\}``, ``\\lambda \\in (0, 1)``, ``k \\in \\mathbb{N}``: a declaration."""
    match = _MEMBERSHIP.match(row)
    if match is None:
        return None
    key = re.sub(r"\\mathbb\{(.)\}|\\|\s", lambda m: m.group(1) or "", match.group(2))
    name = re.sub(r"_\{?([a-zA-Z0-9])\}?$", "", match.group(1))
    return f"{_MEMBERSHIP_DOMAINS[key]} {name}"


def add_equations(
    chains: list[Chain],
    pieces: list[str],
    relations: list[str],
    line: int,
    errors: list[LineError],
) -> None:
    """A row of equations joined by ⇔/⇒/⇐; a row starting with one continues the last chain.

    The chain continued must end in an equation: a chain of equations, or one step
    ``a = b`` (which is then the equation ``a = b``, not an identity claim).
    """
    if not pieces[0]:
        last = chains[-1] if chains else None
        if last is None or not _to_equations(last):
            errors.append(LineError(line, "the line starts with ⇔/⇒ but no equation precedes it"))
            return
        sides, rels = last
    else:
        sides, rels = [Side(pieces[0], line)], []
        chains.append((sides, rels))
    extend_chain((sides, rels), pieces[1:], relations, line, errors)


def extend_chain(
    chain: Chain, pieces: list[str], relations: list[str], line: int, errors: list[LineError]
) -> None:
    """Append each ``relation piece`` of a row to the chain; an empty piece is an error."""
    sides, rels = chain
    for relation, piece in zip(relations, pieces, strict=True):
        if not piece:
            errors.append(LineError(line, f"nothing after '{relation}'"))
            return
        rels.append(relation)
        sides.append(Side(piece, line))


def _to_equations(chain: Chain) -> bool:
    """Make the chain a chain of equations if it is one (or a single step ``a = b``)."""
    sides, rels = chain
    if len(sides) == 1 or (rels and rels[0] in CONNECTIVES.values()):
        return True
    if rels == ["="]:
        sides[:] = [Side(f"{sides[0].text} = {sides[1].text}", sides[0].line)]
        rels.clear()
        return True
    return False


def split_connectives(row: str) -> tuple[list[str], list[str]]:
    """Split a row at its top-level ⇔/⇒/⇐; every piece must be one equation or inequality."""
    pieces, relations, depth, last = [], [], 0, 0
    for match in re.finditer(r"\\[a-zA-Z]+|\\.|[{(\[]|[})\]]", row):
        tok = match.group()
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(tok, 0)
        if depth == 0 and tok in CONNECTIVES:
            pieces.append(row[last : match.start()].strip())
            relations.append(CONNECTIVES[tok])
            last = match.end()
    pieces.append(row[last:].strip())
    if relations:
        for piece in pieces:
            if piece:
                equation_parts(piece)
    return pieces, relations


def equation_parts(text: str) -> tuple[str, str, str]:
    """``(left, relation, right)`` of one equation or inequality (``=``, ``<``, ``\\le``, …)."""
    pieces, relations, depth, last = [], [], 0, 0
    for match in re.finditer(r"\\[a-zA-Z]+|\\.|[{(\[]|[})\]]|[=<>]", text):
        tok = match.group()
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(tok, 0)
        if depth == 0 and tok in EQUATION_RELATIONS:
            pieces.append(text[last : match.start()].strip())
            relations.append(EQUATION_RELATIONS[tok])
            last = match.end()
        elif depth == 0 and RELATION_WORDS.fullmatch(tok):
            raise InputError(f"'{tok}' in an equation next to ⇔/⇒ is not supported")
    pieces.append(text[last:].strip())
    if len(relations) != 1 or not all(pieces):
        raise InputError(f"⇔/⇒ must join equations (one '=' or inequality each), not '{text}'")
    return pieces[0], relations[0], pieces[1]
