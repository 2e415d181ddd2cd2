"""The parser adapter: reads one side of a step into calcproof's objects.

Each side of a step goes through three stages:

1. pre-pass (:mod:`.normalise`, :mod:`.prepass`): the book's notation rewritten
   into LaTeX the parser reads, with placeholders for applications and indexed data;
2. SymPy's LaTeX grammar (:mod:`.grammar`: ``parse_latex(..., backend="antlr",
   strict=True)`` in two stages), unevaluated;
3. post-pass (:mod:`.objects`): placeholders replaced by calcproof's objects
   (``sig``, ``Pr``, ``y[i, d]``, ``f(d, x[i], phi)``), ``e`` by Euler's number,
   symbols given the assumptions the kernel relies on, ``log`` made natural.

Stages 2 and 3 run in a worker process, each side within a time budget
(:class:`calcproof.verify.workers.Worker`), so no input can hang a run.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sympy import Basic

from calcproof.errors import InputError
from calcproof.latex_input.declarations import Declarations
from calcproof.latex_input.grammar import LaTeXParsingError, parse
from calcproof.latex_input.normalise import normalise
from calcproof.latex_input.objects import (
    ParsedSide,
    Shape,
    SymbolTable,
    build,
    shape,
    symbol_table,
)
from calcproof.latex_input.prepass import Prepared, is_optimum_head, prepare
from calcproof.latex_input.tokens import Group, Leaf, letters, split_top, tree
from calcproof.verify.budget import Outcome
from calcproof.verify.workers import Worker

T = TypeVar("T")
U = TypeVar("U")

PARSE_SECONDS = 5.0
"""Default time budget for reading one side (both stages)."""
MIN_STAGE_SECONDS = 1.0
"""Least time for a stage of reading a side, whatever its group has spent."""


@dataclass(frozen=True)
class RawSide:
    """One side as the parser read it, before the post-pass: objective of an argmin or not."""

    kind: str
    params: tuple[str, ...]
    raw: Basic
    prepared: Prepared


@dataclass(frozen=True)
class Failure:
    """Why a side could not be read."""

    message: str


def read_raw(text: str, decls: Declarations) -> RawSide:
    """Stages 1 and 2 for one side (raises :class:`InputError`)."""
    nodes = normalise(tree(text))
    kind: str = "expr"
    params: tuple[str, ...] = ()
    if nodes and is_optimum_head(nodes[0]):
        kind = nodes[0].text[4:]  # type: ignore[union-attr]
        nodes, params = _optimum(nodes[1:], decls)
    prepared = prepare(nodes, decls)
    try:
        raw = parse(prepared.latex)
    except LaTeXParsingError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid LaTeX"
        raise InputError(f"the LaTeX parser cannot read this ({first})") from None
    return RawSide(kind, params, raw, prepared)


def _optimum(nodes: tuple, decls: Declarations) -> tuple[tuple, tuple[str, ...]]:
    params = decls.params
    if len(nodes) >= 2 and nodes[0] == Leaf("_"):
        below = nodes[1].children if isinstance(nodes[1], Group) else (nodes[1],)
        parts = split_top(below, frozenset({","}))
        params = tuple(_param_name(part, decls.params) for part in parts)
        nodes = nodes[2:]
    if len(nodes) == 1 and isinstance(nodes[0], Group) and nodes[0].kind in "([":
        nodes = nodes[0].children
    if not nodes:
        raise InputError("argmin/argmax without an objective")
    return nodes, params


def _param_name(part: tuple, declared: tuple[str, ...]) -> str:
    if len(part) == 1 and isinstance(part[0], Leaf):
        text = part[0].text
        name = text[6:] if text.startswith("\\name:") else text.lstrip("\\")
        if name.endswith("_bold") and name[:-5] in declared:
            name = name[:-5]
        if name.isalpha() or name.endswith("_hat"):
            return name
    word = letters(part)
    if word:
        return word
    raise InputError("the parameters below argmin/argmax must be names (\\phi, \\theta)")


def _guarded(work: Callable[[T], U], item: T) -> U | Failure:
    try:
        return work(item)
    except InputError as exc:
        return Failure(exc.message)
    except RecursionError:
        return Failure("expression nested too deeply for the parser")
    except Exception as exc:  # a parser or SymPy failure is an unreadable line, not a crash
        return Failure(f"could not read this ({type(exc).__name__}: {exc})")


def read_sides(
    texts: Sequence[str],
    decls: Declarations,
    seconds: float | None = PARSE_SECONDS,
    scopes: Sequence[Hashable] | None = None,
) -> list[ParsedSide | Failure]:
    """Read every side of a document; symbols get one consistent meaning within a scope.

    ``scopes`` gives each text the scope (a chain) whose sides share one symbol
    table: a letter used as a subscript index in one chain is not thereby an
    integer in another.  Default: one scope for all texts.

    Each side is read within ``seconds`` (see :func:`read_sides_timed`);
    ``seconds=None`` reads in-process, unbounded.
    """
    groups = range(len(texts))
    return [side for side, _ in read_sides_timed(texts, decls, seconds, groups, scopes=scopes)]


def read_sides_timed(
    texts: Sequence[str],
    decls: Declarations,
    seconds: float | None,
    groups: Sequence[int],
    least: float = MIN_STAGE_SECONDS,
    scopes: Sequence[Hashable] | None = None,
    worker: Worker | None = None,
) -> list[tuple[ParsedSide | Failure, float]]:
    """Each side read, with the seconds spent on it; the sides of a group share ``seconds``.

    A side is read in two stages: its shape (the index letters the symbol table
    needs), then, once every shape is known, its expression.  Each stage is a
    call to a worker process (``worker``, kept warm between documents, or a
    fresh one) under its own budget: what its group (``groups[i]`` for side
    ``i``: the step that first uses it) has left of ``seconds``, and at least
    ``least``.  A stage that overruns makes that side a :class:`Failure` and
    costs the worker (the next stage starts a fresh one), so nothing is
    retried.  The worker keeps each side's parse tree between the stages; only
    plain data and finished expressions cross back (an unevaluated parse tree
    would be evaluated again while unpickling, unbounded).  ``scopes``: see
    :func:`read_sides`.
    """
    keys: Sequence[Hashable] = scopes if scopes is not None else [0] * len(texts)
    if seconds is None:
        return [(side, 0.0) for side in _read_all(texts, decls, keys)]
    own = worker is None
    reader = worker if worker is not None else Worker()
    spent: dict[int, float] = {}
    token = next(_TOKENS)

    def call(work: Callable[..., Any], i: int, *args: Any) -> Outcome[Any]:
        allowed = max(seconds - spent.get(groups[i], 0.0), least)
        outcome = reader.call(work, token, i, texts[i], decls, *args, seconds=allowed)
        spent[groups[i]] = spent.get(groups[i], 0.0) + outcome.seconds
        return outcome

    try:
        firsts = [call(_first_stage, i) for i in range(len(texts))]
        shapes = [o.value if _failure(o) is None else None for o in firsts]
        tables = _tables(keys, shapes, decls)
        sides: list[tuple[ParsedSide | Failure, float]] = []
        for i, first in enumerate(firsts):
            if _failure(first) is not None:
                sides.append((_failure(first), first.seconds))  # type: ignore[arg-type]
                continue
            second = call(_second_stage, i, tables[keys[i]])
            side = _failure(second) or second.value
            assert isinstance(side, ParsedSide | Failure)
            sides.append((side, first.seconds + second.seconds))
        return sides
    finally:
        if own:
            reader.close()


_TOKENS = itertools.count()
"""Tells one reading of a document from the next (in the worker's parse-tree store)."""
_PARSED: dict[tuple[int, int], RawSide] = {}
"""In a worker: the parse trees of the current reading, by (reading, side), between stages."""


def _failure(outcome: Outcome[Any]) -> Failure | None:
    """The failure an outcome stands for (``None`` when it holds a readable value)."""
    if outcome.timed_out:
        return Failure(f"reading this took longer than its budget ({outcome.error})")
    if outcome.value is None:
        return Failure(f"reading this failed ({outcome.error})")
    return outcome.value if isinstance(outcome.value, Failure) else None


def _first_stage(token: int, i: int, text: str, decls: Declarations) -> Shape | Failure:
    """In the worker: parse side ``i`` (kept for the second stage) and give its shape."""
    if any(key[0] != token for key in _PARSED):
        _PARSED.clear()  # a new reading: the trees of the last one are not needed
    raw = _guarded(lambda t: read_raw(t, decls), text)
    if isinstance(raw, Failure):
        return raw
    _PARSED[token, i] = raw
    return _guarded(_shape_of, raw)


def _second_stage(
    token: int, i: int, text: str, decls: Declarations, table: SymbolTable
) -> ParsedSide | Failure:
    """In the worker: the expression of side ``i`` (parsed again if this worker is new)."""
    raw = _PARSED.pop((token, i), None)
    again = raw if raw is not None else _guarded(lambda t: read_raw(t, decls), text)
    if isinstance(again, Failure):
        return again
    return _guarded(lambda p: _build(*p), (again, table))


def _shape_of(raw: RawSide) -> Shape:
    return shape(raw.raw, raw.prepared.indices, raw.prepared.entries)


def _tables(
    keys: Sequence[Hashable], shapes: Sequence[Shape | Failure | None], decls: Declarations
) -> dict[Hashable, SymbolTable]:
    """One symbol table per scope, from the shapes of the sides in it."""
    grouped: dict[Hashable, list[Shape]] = {key: [] for key in keys}
    for key, found in zip(keys, shapes, strict=True):
        if isinstance(found, Shape):
            grouped[key].append(found)
    return {key: symbol_table(found, decls) for key, found in grouped.items()}


def _read_all(
    texts: Sequence[str], decls: Declarations, keys: Sequence[Hashable]
) -> list[ParsedSide | Failure]:
    """Both passes in this process: parse every side, one symbol table per scope, then build."""
    raws = [_guarded(lambda text: read_raw(text, decls), text) for text in texts]
    shapes = [r if isinstance(r, Failure) else _shape_of(r) for r in raws]
    tables = _tables(keys, shapes, decls)
    return [
        r if isinstance(r, Failure) else _guarded(lambda pair: _build(*pair), (r, tables[key]))
        for r, key in zip(raws, keys, strict=True)
    ]


def _build(raw: RawSide, table: SymbolTable) -> ParsedSide:
    expr = build(raw.raw, raw.prepared.entries, table)
    params = tuple(table.symbol(name) for name in raw.params)
    return ParsedSide(raw.kind, expr, params, raw.prepared.notes)


WARM_UP = (
    r"\sum_{i=1}^{n} \sum_{d=1}^{10} {a} ^ {2}"
    r" - \frac{({y} - \cpfa({x}, \phi))^{2}}{{2} \sigma^{2}}"
    r" + \log(\frac{{1}}{\sqrt{{2} \pi}} \exp(-{z})) \prod_{d=1}^{n} \cpib({i}, {d})"
    r" - \lim_{z \to -\infty} |{z}| \cdot {n}! + \frac{d}{dz} {z}"
)
"""A typical expression: parsed once before forking, it fills the parser's prediction cache."""


FIRST_USE_IMPORTS = ("sympy.tensor.tensor",)
"""Modules SymPy imports on first use (``Add.flatten`` imports ``sympy.tensor.tensor``,
35 ms): imported before forking, so that the reading and the kernel's children do
not each import them again."""

_warm = {"calls": 0, "parsed": False}


def warm_up(now: bool = False) -> None:
    """Prepare this process for forking readers; cheap after the first time.

    The first call imports :data:`FIRST_USE_IMPORTS`.  Parsing :data:`WARM_UP` fills
    the parser's prediction tables (about 0.3 s, and 0.15 s more to build the
    expression), so that every reader forked afterwards starts with them.  It pays
    only when more than one reader is forked: one document is read by one child,
    which builds just the tables its own sides need.  So the parse is done once per
    process, at the second call (``check_file`` calls this for each document), or
    at once with ``now`` (before forking workers, or before reading many sides one
    at a time).  What exists after each step is frozen for the garbage collector
    (:func:`gc.freeze`): the modules and tables that every child inherits are not
    traversed again by its collections, nor by this process's.
    """
    if not _warm["calls"]:
        for name in FIRST_USE_IMPORTS:
            __import__(name)
        gc.freeze()
    _warm["calls"] += 1
    if _warm["parsed"] or not (now or _warm["calls"] > 1):
        return
    parse(WARM_UP)
    _warm["parsed"] = True
    gc.freeze()
