"""Wall time of ``calcproof build`` for the Activity 4 sheet, with and without PDF.

Each run is a fresh process (``python -m calcproof build``), so interpreter start-up
and imports are included; output goes to a temporary folder.  Prints a Markdown
table of the median of ``--runs`` runs (default 5) for ``bench/RESULTS.md``.

    .venv/bin/python bench/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(extra: list[str]) -> float:
    with tempfile.TemporaryDirectory(prefix="calcproof-bench-") as out:
        command = [sys.executable, "-m", "calcproof", "build", "activity4", "--out", out, *extra]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cases = [("`build activity4 --no-pdf`", ["--no-pdf"])]
    if shutil.which("pdflatex"):
        cases.append(("`build activity4` (with PDF)", []))
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, runs = {args.runs}\n")
    print("| command | median (s) | min (s) | max (s) |")
    print("|---|---:|---:|---:|")
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _ in range(args.runs):  # interleaved, so that load from other processes hits both cases
        for label, extra in cases:
            times[label].append(one_run(extra))
    for label, runs in times.items():
        print(f"| {label} | {statistics.median(runs):.2f} | {min(runs):.2f} | {max(runs):.2f} |")


if __name__ == "__main__":
    main()
