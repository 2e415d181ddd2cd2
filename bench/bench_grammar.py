"""Two-stage (SLL, then LL) parsing against SymPy's ``parse_latex``: same results, time.

Every text that reaches SymPy's grammar when calcproof reads (1) every side of
the documents in ``tests/fixtures/`` and (2) the peer parse cases
(``../shared/peer/latex_parse_cases.jsonl``, not shipped; skipped when absent)
is parsed both ways in this process: with :func:`calcproof.latex_input.grammar.parse`
(two stages) and with ``parse_latex(..., backend="antlr", strict=True)``.
Reports how many results differ (expression ``srepr`` or error; must be 0),
how many texts needed the second stage, and the median parse time of each way,
each text parsed once per way, the ways interleaved.

Usage: .venv/bin/python bench/bench_grammar.py [--peer DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

from sympy import srepr
from sympy.parsing.latex import parse_latex

from calcproof.latex_input import adapter, grammar
from calcproof.latex_input.declarations import Declarations
from calcproof.latex_input.document import read_document
from calcproof.latex_input.files import read_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def grammar_texts(sides: list[tuple[str, Declarations]]) -> list[str]:
    """The LaTeX each side hands to the grammar after calcproof's pre-pass."""
    seen: list[str] = []
    real = adapter.parse

    def spy(latex: str, two_stage: bool = True) -> object:
        seen.append(latex)
        raise grammar.LaTeXParsingError("collected")

    adapter.parse = spy  # type: ignore[assignment]
    try:
        for text, decls in sides:
            with contextlib.suppress(Exception):
                adapter.read_raw(text, decls)
    finally:
        adapter.parse = real
    return list(dict.fromkeys(seen))


def fixture_sides() -> list[tuple[str, Declarations]]:
    sides = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".md", ".tex") or not path.is_file():
            continue
        try:
            document = read_document(str(path), read_text(str(path)))
        except Exception:
            continue
        decls = document.declarations
        for step in document.steps:
            sides += [(step.lhs.text, decls), (step.rhs.text, decls)]
    return sides


def peer_sides(folder: Path) -> list[tuple[str, Declarations]]:
    path = folder / "latex_parse_cases.jsonl"
    if not path.exists():
        return []
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(case["latex"], Declarations()) for case in cases]


def outcome(parse: object, text: str) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        result = "ok " + srepr(parse(text))  # type: ignore[operator]
    except Exception as exc:
        result = f"error {type(exc).__name__}: {exc}"
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--peer", type=Path, default=ROOT.parent / "shared" / "peer")
    options.add_argument("--runs", type=int, default=1, help="parses of each text per way")
    args = options.parse_args(argv)
    adapter.warm_up()
    for name, sides in (("fixtures", fixture_sides()), ("peer parse cases", peer_sides(args.peer))):
        texts = grammar_texts(sides)
        if not texts:
            print(f"{name}: no texts (not found)")
            continue
        differ, second, fast, slow = 0, 0, [], []
        for text in texts:
            twos = [outcome(grammar.parse.__wrapped__, text) for _ in range(max(args.runs, 1))]
            ones = [
                outcome(lambda t: parse_latex(t, backend="antlr", strict=True), text)
                for _ in range(max(args.runs, 1))
            ]
            two, one = twos[0][0], ones[0][0]
            fast.append(statistics.median(t for _, t in twos))
            slow.append(statistics.median(t for _, t in ones))
            differ += two != one
            try:
                grammar._parse(text.strip(), _sll())
            except Exception:
                second += 1
        print(
            f"{name}: {len(texts)} texts, {differ} results differ, {second} needed the "
            f"second stage; median parse {statistics.median(fast) * 1e3:.1f} ms two-stage vs "
            f"{statistics.median(slow) * 1e3:.1f} ms parse_latex "
            f"(total {sum(fast):.1f} s vs {sum(slow):.1f} s, "
            f"{sum(slow) / max(sum(fast), 1e-9):.1f}x)"
        )
    return 0


def _sll() -> object:
    from antlr4.atn.PredictionMode import PredictionMode

    return PredictionMode.SLL


if __name__ == "__main__":
    sys.exit(main())
