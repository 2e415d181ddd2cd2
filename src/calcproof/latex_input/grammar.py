"""SymPy's LaTeX grammar (ANTLR backend), parsed in two stages for speed.

``sympy.parsing.latex.parse_latex`` runs ANTLR in its default ``LL`` prediction
mode, which falls back to full-context prediction at every conflict of the
grammar and caches none of it: on the sides of a typical derivation that is
about nine tenths of the reading time.  ANTLR's documented two-stage strategy
is used instead: parse in ``SLL`` mode first, which either gives the parse tree
``LL`` would give or reports a syntax error; only on an error parse again in
``LL`` mode (which then gives the tree, or the error, ``parse_latex`` would).
The tree is converted by SymPy's own ``convert_relation``, so the result is
``parse_latex(text, backend="antlr", strict=True)`` exactly
(``tests/test_grammar.py`` compares the two on every side of the fixtures and
on the peer parse cases).

This module and :mod:`.adapter` are the only ones that touch SymPy's parser.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

from sympy import Basic
from sympy.parsing.latex import LaTeXParsingError, check_matrix_delimiters

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

from sympy.parsing.latex import _parse_latex_antlr as antlr_backend  # noqa: E402


@functools.lru_cache(maxsize=1024)
def parse(latex: str, two_stage: bool = True) -> Basic:
    """``latex`` read by SymPy's grammar, unevaluated (raises :class:`LaTeXParsingError`).

    ``two_stage=False`` parses in ``LL`` mode only, as ``parse_latex`` does.
    Results are remembered (per process, the most recent 1,024): the tree depends
    on the text alone and SymPy's expressions are immutable, so a side repeated in
    many documents is parsed once per worker.
    """
    from antlr4.atn.PredictionMode import PredictionMode

    check_matrix_delimiters(latex)
    text = latex.strip()
    if two_stage:
        try:
            return _parse(text, PredictionMode.SLL)
        except LaTeXParsingError:
            pass  # a real error, or input that needs full-context prediction
    return _parse(text, PredictionMode.LL)


def _parse(text: str, mode: Any) -> Basic:
    import antlr4

    listener = antlr_backend.MathErrorListener(text)
    lexer = antlr_backend.LaTeXLexer(antlr4.InputStream(text))
    lexer.removeErrorListeners()
    lexer.addErrorListener(listener)
    parser = antlr_backend.LaTeXParser(antlr4.CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    parser._interp.predictionMode = mode
    relation = parser.math().relation()
    if relation.start.start != 0 or relation.stop.stop != len(text) - 1:
        raise LaTeXParsingError("Invalid LaTeX")  # as parse_latex(strict=True) says
    return antlr_backend.convert_relation(relation)


__all__ = ["LaTeXParsingError", "parse"]
