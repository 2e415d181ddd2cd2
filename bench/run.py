"""Run every benchmark in turn (``make bench``): build, check, kernel, start-up and
kernel-versus-simplify timings.

Each benchmark prints its own table; results worth keeping go in bench/RESULTS.md
(the kernel benchmark updates its section itself unless ``--no-write``).  Campaigns
(long correctness runs) are separate: ``make campaign``.

Usage: .venv/bin/python bench/run.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    "bench_build.py",
    "bench_check.py",
    "bench_kernel.py",
    "bench_grammar.py",
    "bench_batch.py",
    "bench_startup.py",
    "bench_simplify.py",
)
EXTRA = {"bench_batch.py": ["--large"]}
"""Options a benchmark gets besides ``--runs``."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per measurement")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.2f}",
        flush=True,
    )
    failed = []
    for name in BENCHMARKS:
        print(f"\n== {name} ==", flush=True)
        extra = EXTRA.get(name, [])
        done = subprocess.run([sys.executable, str(HERE / name), "--runs", str(args.runs), *extra])
        if done.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
