"""The two-stage parse (`calcproof.latex_input.grammar`) gives what `parse_latex` gives."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from antlr4.atn.PredictionMode import PredictionMode
from sympy import srepr
from sympy.parsing.latex import LaTeXParsingError, parse_latex

from calcproof.latex_input import adapter, grammar
from calcproof.latex_input.document import read_document
from calcproof.latex_input.files import read_text

FIXTURES = Path(__file__).parent / "fixtures"
UNCACHED = grammar.parse.__wrapped__  # type: ignore[attr-defined]
"""The two-stage parse itself, not its remembered results."""


def _grammar_texts() -> list[str]:
    """What reaches the grammar when every side of every fixture document is read."""
    seen: list[str] = []
    real = adapter.parse

    def spy(latex: str, two_stage: bool = True) -> object:
        seen.append(latex)
        return real(latex, two_stage)

    adapter.parse = spy  # type: ignore[assignment]
    try:
        for path in sorted(FIXTURES.rglob("*")):
            if path.suffix not in (".md", ".tex"):
                continue
            with contextlib.suppress(Exception):
                document = read_document(str(path), read_text(str(path)))
                for step in document.steps:
                    for side in (step.lhs.text, step.rhs.text):
                        with contextlib.suppress(Exception):
                            adapter.read_raw(side, document.declarations)
    finally:
        adapter.parse = real
    return list(dict.fromkeys(seen))


def _either(parse, text: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return "ok " + srepr(parse(text))
    except LaTeXParsingError as exc:
        return f"error {exc}"


def test_two_stage_parse_equals_parse_latex_on_every_fixture_side() -> None:
    texts = _grammar_texts()
    assert len(texts) > 50
    differ = [
        t
        for t in texts
        if _either(UNCACHED, t) != _either(lambda s: parse_latex(s, strict=True), t)
    ]
    assert differ == []


@pytest.mark.parametrize(
    "text",
    [
        r"| {a} | ^ {2}",  # SLL reports an error here: the second stage reads it
        r"| | {a} | | {y} | |",
        r"\frac{1}{2} + ",  # a real error: both stages refuse it, with parse_latex's message
        r"x \cdot",
        r"a + b = c",
    ],
)
def test_the_second_stage_gives_parse_latex_s_answer(text: str) -> None:
    assert _either(UNCACHED, text) == _either(lambda s: parse_latex(s, strict=True), text)


def test_the_first_stage_alone_fails_where_the_grammar_needs_full_context() -> None:
    """So the case above really exercises the fallback (SLL alone refuses it)."""
    with pytest.raises(LaTeXParsingError):
        grammar._parse("| {a} | ^ {2}", PredictionMode.SLL)
    assert srepr(grammar.parse("| {a} | ^ {2}")) == srepr(parse_latex("| {a} | ^ {2}", strict=True))
