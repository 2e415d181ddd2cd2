"""Reading documents: display math found in LaTeX or Markdown, split into chains of steps.

A block (``align``, ``align*``, ``equation``, ``gather``, ``\\[ \\]``, ``$$ $$``)
is split into rows at ``\\\\``; a row is split at its top-level relations.  A row
that starts with ``=`` (``&=``) continues the chain from the previous row's
right-hand side; a row with its own left-hand side starts a new chain; a row
that starts with ``+`` or ``-`` and has no relation continues the previous
right-hand side.  Every step records the source line of its right-hand side.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from calcproof.errors import InputError
from calcproof.latex_input.declarations import Declarations, parse_declaration
from calcproof.latex_input.equation_rows import (
    CONNECTIVES,
    SET_MARK,
    Side,
    add_equations,
    equation_parts,
    extend_chain,
    membership,
    reason_of,
    split_connectives,
)
from calcproof.latex_input.files import MAX_FILE_CHARS as MAX_FILE_CHARS
from calcproof.latex_input.files import read_text as read_text
from calcproof.report import ReadError as LineError

MAX_STEPS = 2_000
"""Most steps read from one document: beyond this the file is refused, not half-checked."""
TEX_SUFFIXES = (".tex", ".latex", ".ltx")
"""File names read as LaTeX (in any case: ``NOTES.TEX``); every other name is Markdown."""

DISPLAY = {"align", "align*", "equation", "equation*", "gather", "gather*", "displaymath"}
INNER = {"aligned", "gathered", "split"}
TEXT_ENVS = {
    "document", "itemize", "enumerate", "description", "center", "flushleft", "flushright",
    "figure", "figure*", "table", "table*", "tabular", "quote", "quotation", "abstract",
    "proof", "theorem", "lemma", "corollary", "definition", "remark", "example", "minipage",
    "frame", "block", "solution", "exercise", "problem", "titlepage", "thebibliography",
}  # fmt: skip
VERBATIM = {"verbatim", "lstlisting", "minted", "comment"}

_OPEN = re.compile(r"\$\$|\\\[|\\begin\{([a-zA-Z*]+)\}")
_DECL = re.compile(r"calcproof:(.*)")
_RELATION = re.compile(
    r"\\(?:coloneqq|triangleq|equiv|neq|ne|leq|le|geq|ge|approx|propto|sim|simeq|to|in"
    r"|Rightarrow|implies|iff|Leftrightarrow|rightarrow|mapsto|Longleftrightarrow|Longrightarrow"
    r"|Leftarrow|Longleftarrow|impliedby)(?![a-zA-Z])|:=|=|<|>"
)
_ROW_NOISE = re.compile(r"\\(?:label|tag\*?)\{[^{}]*\}|\\nonumber|\\notag|(?<!\\)&")
_TRAILING_SPACING = ("\\qquad", "\\quad", "\\,", "\\;", "\\!", "\\:")
_LEADING = re.compile(r"^(?:\s|\\[,;!:]|\\q?quad)+")
DEFINE = {":=", r"\coloneqq", r"\triangleq"}
EQUAL = {"=", r"\equiv"}


@dataclass(frozen=True)
class RawStep:
    """A step as written: ``lhs relation rhs`` (relation ``=`` or ``:=``), not yet parsed."""

    chain: int
    index: int
    line: int
    relation: str
    lhs: Side
    rhs: Side
    taken: str = "claim"
    """``claim``, or ``statement`` for a display marked ``% calcproof: statement``."""
    reason: str = ""
    """The step's stated reason (a ``\\text{…}`` at the end of its row), kept for the report."""


@dataclass(frozen=True)
class Document:
    """The chains of a document, the errors met while splitting them, and its declarations."""

    path: str
    steps: tuple[RawStep, ...]
    errors: tuple[LineError, ...]
    declarations: Declarations = field(default_factory=Declarations)


@dataclass(frozen=True)
class _Text:
    """The document text with comments blanked (offsets kept) and a line index."""

    text: str
    starts: tuple[int, ...]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1


def read_document(path: str, text: str, notation: str = "udl") -> Document:
    """Split ``text`` (LaTeX when ``path`` ends in .tex, in any case; else Markdown) into chains."""
    is_tex = path.lower().endswith(TEX_SUFFIXES)
    blanked, bodies = _blank_comments(text, is_tex)
    source = _Text(blanked, tuple(m.end() for m in re.finditer("\n", blanked)))
    decls = Declarations(notation=notation)
    markers = [(offset, body) for offset, body in bodies if body in MARKERS]
    for offset, body in bodies:
        if body not in MARKERS:
            decls = parse_declaration(decls, body, f"{path}:{source.line(offset)}")
    steps: list[RawStep] = []
    errors: list[LineError] = []
    found: list[tuple[str, int]] = []
    previous, number = 0, 0
    for start, end in _blocks(source, path):
        taken, previous = _taken(markers, start, previous), end
        if taken == "skip":
            continue
        chains, errs = _split_block(source, start, end, path, MAX_STEPS - len(steps), found)
        errors.extend(errs)
        for sides, relations in chains:
            before = len(steps)
            steps.extend(_steps(number + 1, sides, relations, taken))
            number += len(steps) > before
    for clause, line in found:
        decls = parse_declaration(decls, clause, f"{path}:{line}")
    if not steps and not errors:
        raise InputError("no derivation found (no display math with a relation)", path)
    return Document(path, tuple(steps), tuple(errors), decls)


MARKERS = frozenset({"statement", "skip", "off", "on"})
"""``% calcproof: statement`` (the next display states, it is not checked), ``skip`` (the
next display is ignored), ``off`` … ``on`` (displays in between are ignored)."""


def _taken(markers: list[tuple[int, str]], start: int, previous: int) -> str:
    """How the display at ``start`` is taken (``claim``, ``statement`` or ``skip``); a
    ``skip``/``statement`` marker applies to the first display after it (after ``previous``)."""
    region = [body for offset, body in markers if offset < start and body in ("off", "on")]
    if region and region[-1] == "off":
        return "skip"
    pending = [b for o, b in markers if previous <= o < start and b in ("skip", "statement")]
    return pending[-1] if pending else "claim"


def _blank_comments(text: str, is_tex: bool) -> tuple[str, list[tuple[int, str]]]:
    """Blank comments and code (keeping offsets); collect ``calcproof:`` declaration bodies.

    In Markdown, an HTML comment or a code fence that is never closed runs to the
    end of the file (as a Markdown renderer shows it): nothing in it is mathematics.
    """
    bodies: list[tuple[int, str]] = []

    def blank(match: re.Match[str]) -> str:
        found = _DECL.search(match.group())
        if found:
            bodies.append((match.start(), found.group(1).rstrip("->").strip()))
        return re.sub(r"[^\n]", " ", match.group())

    if is_tex:
        return re.sub(r"(?<!\\)%[^\n]*", blank, text), bodies
    spans = _markdown_code(text)
    return _blank_spans(text, spans, blank), bodies


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _markdown_code(text: str) -> list[tuple[int, int]]:
    """(start, end) of every HTML comment and fenced code block, in one pass over the text."""
    spans: list[tuple[int, int]] = []
    pos, fence_start, fence = 0, 0, ""
    while pos < len(text):
        eol = text.find("\n", pos)
        eol = len(text) if eol < 0 else eol + 1
        at_start = pos == 0 or text[pos - 1] == "\n"
        opened = _FENCE.match(text, pos, eol) if at_start else None
        if fence:
            if (
                opened
                and opened.group(1).startswith(fence)
                and not text[opened.end() : eol].strip()
            ):
                spans.append((fence_start, eol))
                fence = ""
            pos = eol
        elif opened:
            fence_start, fence, pos = pos, opened.group(1), eol
        elif (start := text.find("<!--", pos, eol)) >= 0:
            close = text.find("-->", start + 4)
            pos = len(text) if close < 0 else close + 3
            spans.append((start, pos))
        else:
            pos = eol
    if fence:
        spans.append((fence_start, len(text)))
    return spans


def _blank_spans(
    text: str, spans: list[tuple[int, int]], blank: Callable[[re.Match[str]], str]
) -> str:
    """``text`` with each span replaced by ``blank`` of it (spans in order, not overlapping)."""
    out, last = [], 0
    for start, end in spans:
        match = re.compile(r".*", re.S).match(text, start, end)
        assert match is not None
        out += [text[last:start], blank(match)]
        last = end
    out.append(text[last:])
    return "".join(out)


def _blocks(source: _Text, path: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the content of every display-math block."""
    text, pos = source.text, 0
    while (match := _OPEN.search(text, pos)) is not None:
        opener, env = match.group(), match.group(1)
        where = f"{path}:{source.line(match.start())}"
        if env is None:
            closer = "$$" if opener == "$$" else "\\]"
        elif env in DISPLAY:
            closer = f"\\end{{{env}}}"
        elif env in TEXT_ENVS:
            pos = match.end()
            continue
        elif env in VERBATIM:
            end = text.find(f"\\end{{{env}}}", match.end())
            pos = len(text) if end < 0 else end
            continue
        else:
            raise InputError(f"unknown environment '{env}'", where)
        end = text.find(closer, match.end())
        if end < 0:
            raise InputError(f"{opener} is never closed (expected {closer})", where)
        yield match.end(), end
        pos = end + len(closer)


def _split_block(
    source: _Text,
    start: int,
    end: int,
    path: str,
    room: int,
    found: list[tuple[str, int]] | None = None,
) -> tuple[list[tuple[list[Side], list[str]]], list[LineError]]:
    """Split one block into chains: each a list of sides and the relations between them.

    More than ``room`` relations (the steps left before :data:`MAX_STEPS`) is an error;
    membership rows (``y \\in \\{0, 1\\}``) are collected in ``found`` as declarations.
    """
    body = _inner_environments(source, start, end, path)
    _check_braces(source, body, start, path)
    chains: list[tuple[list[Side], list[str]]] = []
    errors: list[LineError] = []
    for row_start, row in _rows(body):
        line = source.line(start + row_start + len(row) - len(row.lstrip()))
        row = _LEADING.sub("", _strip_trailing(_ROW_NOISE.sub(" ", row))).strip()
        row, reason = reason_of(row)
        if not row:
            continue
        declared = membership(row)
        if declared is not None:
            if found is not None:
                found.append((declared, line))
            continue
        try:
            equation = SET_MARK.match(row) is not None
            row = SET_MARK.sub("", row)
            pieces, relations = split_connectives(row)
            if not relations and not equation:
                pieces, relations = _split_row(row)
            elif not relations:
                equation_parts(row)
        except InputError as exc:
            errors.append(LineError(line, exc.message))
            continue
        room -= len(relations)
        if room < 0:
            raise InputError(f"more than {MAX_STEPS} steps: split the document", f"{path}:{line}")
        if (relations and relations[0] in CONNECTIVES.values()) or equation:
            add_equations(chains, pieces, relations, line, errors)
        else:
            _add_row(chains, pieces, relations, line, errors)
        if reason and chains and chains[-1][0][-1].line == line:
            last = chains[-1][0][-1]
            chains[-1][0][-1] = Side(last.text, last.line, reason)
    return chains, errors


def _strip_trailing(row: str) -> str:
    """``row`` without trailing spacing (``\\,``, ``\\quad``) and punctuation, in linear time."""
    while True:
        row = row.rstrip()
        if row.endswith(_TRAILING_SPACING):
            row = row[: -len(next(s for s in _TRAILING_SPACING if row.endswith(s)))]
        elif row[-1:] in (",", ".", ";") and row[-2:-1] != "\\":
            row = row[:-1]
        else:
            return row


def _add_row(
    chains: list[tuple[list[Side], list[str]]],
    pieces: list[str],
    relations: list[str],
    line: int,
    errors: list[LineError],
) -> None:
    if not relations:
        if chains and pieces[0].startswith(("+", "-", "\\cdot", "\\times")):
            sides = chains[-1][0]
            sides[-1] = Side(f"{sides[-1].text} {pieces[0]}", sides[-1].line)
        return
    if not pieces[0]:
        if not chains:
            errors.append(LineError(line, "the line starts with a relation but continues nothing"))
            return
        sides, rels = chains[-1]
    else:
        sides, rels = [Side(pieces[0], line)], []
        chains.append((sides, rels))
    extend_chain((sides, rels), pieces[1:], relations, line, errors)


def _steps(
    chain: int, sides: list[Side], relations: list[str], taken: str = "claim"
) -> Iterator[RawStep]:
    for index, (relation, lhs, rhs) in enumerate(zip(relations, sides, sides[1:], strict=False), 1):
        yield RawStep(chain, index, rhs.line, relation, lhs, rhs, taken, rhs.reason)


def _inner_environments(source: _Text, start: int, end: int, path: str) -> str:
    """The block's text with ``aligned``/``split`` wrappers blanked; other environments refused."""
    body = source.text[start:end]

    def check(match: re.Match[str]) -> str:
        if match.group(2) in INNER:
            return " " * len(match.group())
        where = f"{path}:{source.line(start + match.start())}"
        raise InputError(f"unknown environment '{match.group(2)}' inside display math", where)

    return re.sub(r"\\(begin|end)\{([a-zA-Z*]+)\}", check, body)


def _check_braces(source: _Text, body: str, start: int, path: str) -> None:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", body):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth -= 1
        if depth < 0:
            raise InputError("unbalanced braces: '}' without '{'", _at(source, start, match, path))
    if depth:
        raise InputError("unbalanced braces: '{' is never closed", f"{path}:{source.line(start)}")


def _at(source: _Text, start: int, match: re.Match[str], path: str) -> str:
    return f"{path}:{source.line(start + match.start())}"


def _rows(body: str) -> Iterator[tuple[int, str]]:
    """Rows of a block split at top-level ``\\\\``, with their offsets."""
    depth, last = 0, 0
    for match in re.finditer(r"\\\\|\\.|[{}]", body):
        tok = match.group()
        depth += {"{": 1, "}": -1}.get(tok, 0)
        if tok == "\\\\" and depth == 0:
            yield last, body[last : match.start()]
            last = match.end()
    yield last, body[last:]


def _split_row(row: str) -> tuple[list[str], list[str]]:
    """Split a row at its top-level relations: pieces and the relations between them."""
    pieces, relations, depth, last = [], [], 0, 0
    for match in re.finditer(r"\\[a-zA-Z]+|\\.|[{(\[]|[})\]]|:=|[=<>]", row):
        tok = match.group()
        if tok in "{([" and len(tok) == 1:
            depth += 1
        elif tok in "})]" and len(tok) == 1:
            depth -= 1
        elif depth == 0 and _RELATION.fullmatch(tok):
            if tok not in DEFINE | EQUAL:
                raise InputError(f"unsupported relation '{tok}'")
            pieces.append(row[last : match.start()].strip())
            relations.append(":=" if tok in DEFINE else "=")
            last = match.end()
    pieces.append(row[last:].strip())
    return pieces, relations
