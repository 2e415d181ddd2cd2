"""The parser adapter: the only module that imports SymPy's LaTeX parser.

Each side of a step goes through three stages:

1. pre-pass (:mod:`.normalise`, :mod:`.prepass`): the book's notation rewritten
   into LaTeX the parser reads, with placeholders for applications and indexed data;
2. ``parse_latex(..., backend="antlr", strict=True)``, unevaluated;
3. post-pass (:mod:`.objects`): placeholders replaced by calcproof's objects
   (``sig``, ``Pr``, ``y[i, d]``, ``f(d, x[i], phi)``), ``e`` by Euler's number,
   symbols given the assumptions the kernel relies on, ``log`` made natural.

Stages 2 and 3 run in a forked child, each side within a time budget
(:func:`calcproof.verify.budget.stream_bounded`), so no input can hang a run.
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sympy import Basic
from sympy.parsing.latex import LaTeXParsingError, parse_latex

from calcproof.errors import InputError
from calcproof.latex_input.declarations import Declarations
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
from calcproof.verify.budget import Outcome, stream_bounded

T = TypeVar("T")
U = TypeVar("U")

ANTLR_PARSER = "sympy.parsing.latex._parse_latex_antlr"
QUANTUM_STATE = "sympy.physics.quantum.state"


def _quantum(name: str) -> Callable[..., Any]:
    """``Bra`` or ``Ket``, imported from :mod:`sympy.physics.quantum` when first made."""

    def make(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(QUANTUM_STATE), name)(*args, **kwargs)

    make.__name__ = make.__qualname__ = name
    return make


def _import_antlr_parser() -> None:
    """Import SymPy's antlr LaTeX parser without executing :mod:`sympy.physics.quantum`.

    The parser imports ``Bra`` and ``Ket`` from ``sympy.physics.quantum.state`` at
    its top, which costs about a third of a second (SymPy's quantum and units
    packages, NumPy, SciPy) and is needed only for bra-ket input (``\\langle x|``,
    which the pre-pass refuses anyway).  While the parser is imported, a stand-in
    module offers ``Bra`` and ``Ket`` as functions that import the real classes
    when called; it is removed right after, so any other import of that module
    gets the real one.  (A :class:`importlib.util.LazyLoader` does not help here:
    ``from ... import Bra`` reads the attribute, which executes the module.)
    """
    if ANTLR_PARSER in sys.modules or QUANTUM_STATE in sys.modules:
        return
    stand_in = types.ModuleType(QUANTUM_STATE)
    stand_in.Bra = _quantum("Bra")  # type: ignore[attr-defined]
    stand_in.Ket = _quantum("Ket")  # type: ignore[attr-defined]
    sys.modules[QUANTUM_STATE] = stand_in
    try:
        __import__(ANTLR_PARSER)  # (not importlib.import_module: -X importtime shows this)
    finally:
        if sys.modules.get(QUANTUM_STATE) is stand_in:
            del sys.modules[QUANTUM_STATE]


_import_antlr_parser()  # before any parse_latex call imports it with quantum

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
        raw = parse_latex(prepared.latex, backend="antlr", strict=True)
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
) -> list[tuple[ParsedSide | Failure, float]]:
    """Each side read, with the seconds spent on it; the sides of a group share ``seconds``.

    A side is read in two stages: its shape (the index letters the symbol table
    needs), then, once every shape is known, its expression.  All stages run one
    after another in a forked child that sends each result back as soon as it is
    made.  Each stage may use what its group (``groups[i]`` for side ``i``: the
    step that first uses it) has left of ``seconds``, and at least ``least``; a
    stage that overruns makes that side a :class:`Failure` and a fresh child goes
    on with the next, so nothing is retried.  Only plain data and finished
    expressions cross back (an unevaluated parse tree would be evaluated again
    while unpickling, unbounded).  ``scopes``: see :func:`read_sides`.
    """
    keys: Sequence[Hashable] = scopes if scopes is not None else [0] * len(texts)
    if seconds is None:
        return [(side, 0.0) for side in _read_all(texts, decls, keys)]
    count, limit = len(texts), seconds
    spent: dict[int, float] = {}
    counted: list[int] = [0]

    def budget(done: Sequence[Outcome[Any]]) -> float:
        for k in range(counted[0], len(done)):  # each outcome is counted once
            spent[groups[k % count]] = spent.get(groups[k % count], 0.0) + done[k].seconds
        counted[0] = len(done)
        return max(limit - spent.get(groups[len(done) % count], 0.0), least)

    outcomes = stream_bounded(lambda done: _reader(texts, decls, done, keys), 2 * count, budget)
    sides: list[tuple[ParsedSide | Failure, float]] = []
    for first, second in zip(outcomes[:count], outcomes[count:], strict=True):
        side = _failure(first) or _failure(second) or second.value
        assert isinstance(side, ParsedSide | Failure)
        sides.append((side, first.seconds + second.seconds))
    return sides


def _failure(outcome: Outcome[Any]) -> Failure | None:
    """The failure an outcome stands for (``None`` when it holds a readable value)."""
    if outcome.timed_out:
        return Failure(f"reading this took longer than its budget ({outcome.error})")
    if outcome.value is None:
        return Failure(f"reading this failed ({outcome.error})")
    return outcome.value if isinstance(outcome.value, Failure) else None


def _reader(
    texts: Sequence[str],
    decls: Declarations,
    done: Sequence[Outcome[Any]],
    keys: Sequence[Hashable],
) -> Iterator[Shape | ParsedSide | Failure]:
    """In the reading child: every shape, then every expression, from ``len(done)`` on."""
    count = len(texts)
    raws: dict[int, RawSide] = {}
    shapes: dict[int, Shape | Failure | None] = {}
    for i in range(len(done), count):
        raw = _guarded(lambda text: read_raw(text, decls), texts[i])
        if isinstance(raw, RawSide):
            raws[i] = raw
        found = raw if isinstance(raw, Failure) else _guarded(_shape_of, raw)
        shapes[i] = found
        yield found
    for i in range(min(len(done), count)):
        shapes[i] = done[i].value if _failure(done[i]) is None else None
    tables = _tables(keys, [shapes[i] for i in range(count)], decls)
    for i in range(max(len(done) - count, 0), count):
        if not isinstance(shapes[i], Shape):
            yield Failure("unread")  # stands in for the shape's failure, never shown
            continue
        again = raws[i] if i in raws else _guarded(lambda text: read_raw(text, decls), texts[i])
        if isinstance(again, Failure):
            yield again
            continue
        yield _guarded(lambda p: _build(*p), (again, tables[keys[i]]))


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
    parse_latex(WARM_UP, backend="antlr", strict=True)
    _warm["parsed"] = True
    gc.freeze()
