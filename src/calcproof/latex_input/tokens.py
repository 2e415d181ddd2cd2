"""Tokens and bracket trees of a LaTeX math string, with limits on size and nesting.

The tree is what the pre-pass rewrites: ``{...}`` groups, ``(...)``, ``[...]``
and ``\\left X ... \\right Y`` pairs become :class:`Group` nodes; everything
else is a :class:`Leaf` token.  Unbalanced brackets and oversized or too deeply
nested input are :class:`~calcproof.errors.InputError`, never a parser crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calcproof.errors import InputError

MAX_CHARS = 4000
"""Longest expression (one side of one step) the adapter accepts."""

MAX_DEPTH = 40
"""Deepest nesting of groups and brackets the adapter accepts."""

UNICODE = {"−": "-", "·": r"\cdot", "×": r"\times", "∞": r"\infty", "π": r"\pi", "φ": r"\phi"}
ALIASES = {
    r"\mleft": r"\left", r"\mright": r"\right", r"\vert": "|", r"\lvert": "|", r"\rvert": "|",
    r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac",
}  # fmt: skip
"""Spellings with the same meaning (``\\mleft`` from the mleftright package)."""

_TOKEN = re.compile(
    r"\\[a-zA-Z]+\*?|\\.|[0-9]+(?:\.[0-9]+)?|[a-zA-Z]|[{}()\[\]_^+\-*/=,|!'<>.:;&~]|\s+|."
)

_SCIENTIFIC = re.compile(r"(?<![a-zA-Z\\])\d*\.?\d+[eE][+-]?\d+")
"""``2.5E2``: refused rather than read as 2.5·E·2."""

OPENERS = {"{": "}", "(": ")", "[": "]"}
LEFT_DELIMS = {
    "(": ")",
    "[": "]",
    r"\{": r"\}",
    "|": "|",
    r"\lfloor": r"\rfloor",
    r"\lceil": r"\rceil",
}


@dataclass(frozen=True)
class Leaf:
    """One token: a command (``\\frac``), a letter, a number or a symbol character."""

    text: str


@dataclass(frozen=True)
class Group:
    """A bracketed group; ``kind`` is ``{``, ``(``, ``[`` or ``|``."""

    kind: str
    children: tuple[Node, ...]


Node = Leaf | Group


def tokenize(text: str) -> list[str]:
    """Split LaTeX into tokens (whitespace dropped, a few unicode signs mapped to LaTeX)."""
    if len(text) > MAX_CHARS:
        raise InputError(f"expression too long ({len(text)} characters; the limit is {MAX_CHARS})")
    if found := _SCIENTIFIC.search(text):
        raise InputError(f"scientific notation '{found.group()}' is not supported")
    out = []
    for match in _TOKEN.finditer(text):
        tok = match.group()
        if tok.isspace() or tok == "~":
            continue
        tok = ALIASES.get(UNICODE.get(tok, tok), UNICODE.get(tok, tok))
        if len(tok) == 1 and not tok.isascii():
            raise InputError(f"unsupported character '{tok}'")
        out.append(tok)
    return _single_token_arguments(out)


def _single_token_arguments(tokens: list[str]) -> list[str]:
    """Split digit runs that TeX reads one digit at a time: ``x^23`` is ``x^{2} 3``.

    After ``^``, ``_``, ``\\sqrt`` (one argument) and ``\\frac`` (two), an
    unbraced argument is a single token, so ``\\frac13`` is 1/3.
    """
    out: list[str] = []
    pending: dict[int, int] = {}
    depth = 0
    for tok in tokens:
        wanted = pending.get(depth, 0)
        if wanted and tok.isdigit() and len(tok) > 1:
            while wanted and tok:
                out.append(tok[0])
                tok, wanted = tok[1:], wanted - 1
            pending[depth] = wanted
            if tok:
                out.append(tok)
            continue
        out.append(tok)
        if tok == "{":
            depth += 1
        elif tok == "}":
            pending.pop(depth, None)
            depth -= 1
            if pending.get(depth):
                pending[depth] -= 1
        elif tok in ("^", "_", r"\sqrt"):
            pending[depth] = 1
        elif tok in (r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"):
            pending[depth] = 2
        elif wanted:
            pending[depth] = wanted - 1
    return out


def tree(text: str) -> tuple[Node, ...]:
    """Parse ``text`` into a tuple of nodes with every bracket matched."""
    tokens = tokenize(text)
    nodes, pos = _sequence(tokens, 0, None, 0)
    if pos != len(tokens):
        raise InputError(f"unbalanced brackets: unexpected '{tokens[pos]}'")
    return nodes


def _sequence(
    tokens: list[str], pos: int, closer: str | None, depth: int
) -> tuple[tuple[Node, ...], int]:
    if depth > MAX_DEPTH:
        raise InputError(f"expression nested too deeply (more than {MAX_DEPTH} levels)")
    out: list[Node] = []
    while pos < len(tokens):
        tok = tokens[pos]
        if tok == closer or (closer == "\\right" and tok == "\\right"):
            return tuple(out), pos
        if tok in OPENERS:
            children, end = _sequence(tokens, pos + 1, OPENERS[tok], depth + 1)
            _expect(tokens, end, OPENERS[tok])
            out.append(Group(tok, children))
            pos = end + 1
        elif tok == "\\left":
            group, pos = _left_right(tokens, pos, depth)
            out.append(group)
        elif tok in ("}", ")", "]", "\\right"):
            raise InputError(f"unbalanced brackets: unexpected '{tok}'")
        else:
            out.append(Leaf(tok))
            pos += 1
    if closer is not None:
        raise InputError(f"unbalanced brackets: missing '{closer}'")
    return tuple(out), pos


def _left_right(tokens: list[str], pos: int, depth: int) -> tuple[Group, int]:
    if pos + 1 >= len(tokens):
        raise InputError("\\left without a delimiter")
    opener = tokens[pos + 1]
    if opener == ".":  # \left. f \right|_{x=a}: f evaluated at x = a
        children, end = _sequence(tokens, pos + 2, "\\right", depth + 1)
        _expect(tokens, end, "\\right")
        if end + 1 >= len(tokens) or tokens[end + 1] != "|":
            raise InputError("\\left. is supported only as \\left. … \\right|_{x=a}")
        return Group("at", children), end + 2
    if opener not in LEFT_DELIMS:
        raise InputError(f"unsupported delimiter \\left{opener}")
    children, end = _sequence(tokens, pos + 2, "\\right", depth + 1)
    _expect(tokens, end, "\\right")
    if end + 1 >= len(tokens):
        raise InputError("\\right without a delimiter")
    closing = tokens[end + 1]
    brackets = ("(", "[")
    if (opener in brackets and closing not in (")", "]")) or (
        opener not in brackets and closing != LEFT_DELIMS[opener]
    ):
        raise InputError(f"\\left{opener} closed by \\right{closing}")
    kind = {r"\{": "(", r"\lfloor": "floor", r"\lceil": "ceil"}.get(opener, opener)
    return Group(kind, children), end + 2


def _expect(tokens: list[str], pos: int, closer: str) -> None:
    if pos >= len(tokens) or tokens[pos] != closer:
        raise InputError(f"unbalanced brackets: missing '{closer}'")


def split_top(nodes: tuple[Node, ...], separators: frozenset[str]) -> list[tuple[Node, ...]]:
    """Split a node sequence at top-level separator leaves (commas, ``|``, ``\\mid``)."""
    parts: list[list[Node]] = [[]]
    for node in nodes:
        if isinstance(node, Leaf) and node.text in separators:
            parts.append([])
        else:
            parts[-1].append(node)
    return [tuple(p) for p in parts]


def letters(nodes: tuple[Node, ...]) -> str | None:
    """The word spelled by ``nodes`` (spacing commands ignored), or None if not all letters."""
    word = ""
    for node in nodes:
        if isinstance(node, Group) and node.kind == "{":
            inner = letters(node.children)
            if inner is None:
                return None
            word += inner
        elif isinstance(node, Leaf) and node.text in (r"\,", r"\;", r"\!", r"\ ", r"\:"):
            continue
        elif isinstance(node, Leaf) and len(node.text) == 1 and node.text.isalpha():
            word += node.text
        else:
            return None
    return word
