"""Benchmark ``calcproof check`` on batches of files: throughput, parallel speed-up, memory.

1. The 40-file corpus: 40 copies of ``tests/fixtures/udl_gaussian_right.md`` (five
   steps each: a four-step argmin chain and one log-of-product step), checked in
   one ``check`` call, serially and with ``--jobs 2``, the two interleaved, median of
   ``--runs``.  Steps per second, the ratio of the two, and the peak resident
   memory of the largest process of the run (the CLI or one of its workers).
2. The 1,000-file corpus (``--large``): the documents of ``tests/fixtures/`` (and
   ``ch5/``) copied round-robin into 1,000 files, checked once with ``--json
   --jobs 2``; wall time, steps per second, peak memory, and that the output
   holds one line per file.

Each run is a new process (``python -m calcproof``), so start-up is included.
``--src DIR`` benchmarks another checkout's ``src`` folder instead (e.g. a git
worktree of an older commit, as the baseline), in the same process.

Usage: .venv/bin/python bench/bench_batch.py [--runs 3] [--large] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GAUSSIAN = FIXTURES / "udl_gaussian_right.md"


def corpus(folder: Path, sources: list[Path], count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for k in range(count):
        source = sources[k % len(sources)]
        target = folder / f"s{k:04d}{source.suffix}"
        shutil.copyfile(source, target)
        made.append(target)
    return made


def fixture_documents() -> list[Path]:
    found = [p for p in sorted(FIXTURES.glob("*")) + sorted((FIXTURES / "ch5").glob("*"))]
    return [p for p in found if p.is_file() and p.suffix in (".md", ".tex")]


def run_check(src: Path, args: list[str]) -> tuple[float, int, str, int]:
    """(wall seconds, peak KB of the largest process, stdout, exit status) of one check."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "calcproof", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1, 3):
        raise SystemExit(f"check failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, max(peak, before), done.stdout, done.returncode


def steps_in(stdout: str) -> int:
    total = 0
    for line in stdout.splitlines():
        if line.startswith("{"):
            summary = json.loads(line)["summary"]
            total += summary["verified"] + summary["refuted"] + summary["unknown"]
    return total


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--large", action="store_true", help="also the 1,000-file corpus")
    options.add_argument("--src", type=Path, default=ROOT / "src")
    args = options.parse_args(argv)
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"src {args.src.relative_to(ROOT) if args.src.is_relative_to(ROOT) else args.src.name}, "
        f"load at start {load()}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        files = corpus(Path(scratch) / "forty", [GAUSSIAN], 40)
        names = [str(f) for f in files]
        times: dict[str, list[float]] = {"serial": [], "--jobs 2": []}
        peaks: dict[str, int] = {"serial": 0, "--jobs 2": 0}
        steps = 0
        for _ in range(args.runs):
            for mode, extra in (("serial", []), ("--jobs 2", ["--jobs", "2"])):
                wall, peak, out, _ = run_check(args.src, ["--json", *extra, *names])
                times[mode].append(wall)
                peaks[mode] = max(peaks[mode], peak)
                steps = steps_in(out)
        print(f"40-file corpus ({steps} steps), median of {args.runs}, load now {load()}:")
        for mode, walls in times.items():
            median = statistics.median(walls)
            print(
                f"  {mode:>9}: {median:6.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) "
                f"= {steps / median:5.1f} steps/s; "
                f"peak RSS of a process {peaks[mode] / 1024:.0f} MB"
            )
        ratio = statistics.median(times["serial"]) / statistics.median(times["--jobs 2"])
        print(f"  --jobs 2 speed-up over serial: {ratio:.2f}x")
        if args.large:
            big = corpus(Path(scratch) / "thousand", fixture_documents(), 1000)
            wall, peak, out, _ = run_check(
                args.src, ["--json", "--jobs", "2", str(Path(scratch) / "thousand")]
            )
            lines = [line for line in out.splitlines() if line.startswith("{")]
            count = steps_in(out)
            print(
                f"1,000-file corpus ({len(big)} files from {len(fixture_documents())} fixtures, "
                f"{count} steps), --jobs 2: {wall:.1f} s = {count / wall:.1f} steps/s, "
                f"{len(lines)} JSON lines, peak RSS of a process {peak / 1024:.0f} MB, "
                f"load now {load()}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
