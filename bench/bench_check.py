"""Benchmark ``calcproof check`` on a document of 20 steps.

Measures (1) wall time of ``python -m calcproof check FILE`` from process start,
median of 5 runs (target: under 2 s); (2) the parse time of one expression, median
over the document's sides, in-process (parser only) and through the bounded
adapter (forked child, as ``check`` runs it).

Usage: .venv/bin/python bench/bench_check.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

DOCUMENT = Path(__file__).parent.parent / "tests" / "fixtures" / "bench_twenty_steps.md"


def wall_times(path: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "calcproof", "check", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"check failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return times


def parse_times(path: Path) -> tuple[int, int, list[float], list[float]]:
    from calcproof.latex_input.adapter import read_raw, read_sides, warm_up
    from calcproof.latex_input.document import read_document, read_text

    document = read_document(str(path), read_text(str(path)))
    sides = list(dict.fromkeys(t for s in document.steps for t in (s.lhs.text, s.rhs.text)))
    warm_up(now=True)
    direct, bounded = [], []
    for text in sides:
        started = time.perf_counter()
        read_raw(text, document.declarations)
        direct.append(time.perf_counter() - started)
        started = time.perf_counter()
        read_sides([text], document.declarations)
        bounded.append(time.perf_counter() - started)
    return len(document.steps), len(sides), direct, bounded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    steps, sides, direct, bounded = parse_times(DOCUMENT)
    times = wall_times(DOCUMENT, args.runs)
    print(f"steps: {steps} (distinct sides: {sides})")
    print(
        f"check wall time, process start to exit, {args.runs} runs: "
        f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"
    )
    print(
        f"parse per expression, in-process: median {statistics.median(direct) * 1000:.1f} ms "
        f"(max {max(direct) * 1000:.1f} ms)"
    )
    print(
        f"parse per expression, bounded (forked child, both passes): median "
        f"{statistics.median(bounded) * 1000:.1f} ms (max {max(bounded) * 1000:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
