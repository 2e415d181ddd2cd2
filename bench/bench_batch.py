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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GAUSSIAN = FIXTURES / "udl_gaussian_right.md"


def corpus(folder: Path, sources: list[Path], count: int, vary: bool = False) -> list[Path]:
    """``count`` files copied round-robin from ``sources``; with ``vary``, file ``k`` has
    ``10 + k`` outputs instead of 10, so that no two files share a line."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for k in range(count):
        source = sources[k % len(sources)]
        target = folder / f"s{k:04d}{source.suffix}"
        text = source.read_text(encoding="utf-8")
        target.write_text(text.replace("{10}", f"{{{10 + k}}}") if vary else text, "utf-8")
        made.append(target)
    return made


def fixture_documents() -> list[Path]:
    found = [p for p in sorted(FIXTURES.glob("*")) + sorted((FIXTURES / "ch5").glob("*"))]
    return [p for p in found if p.is_file() and p.suffix in (".md", ".tex")]


def run_check(src: Path, args: list[str]) -> tuple[float, int, str, int]:
    """(wall seconds, peak KB of the largest process of the run, stdout, exit status).

    The peak is ``wait4``'s maximum resident set size: the largest of the CLI process
    and the workers it reaped.
    """
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "calcproof", "check", *args], stdout=out, stderr=err, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode not in (0, 1, 3):
        raise SystemExit(f"check failed ({proc.returncode}):\n{stderr[-2000:]}")
    return wall, usage.ru_maxrss, stdout, proc.returncode


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
        f"src {os.path.relpath(args.src.resolve(), ROOT)}, "
        f"load at start {load()}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for label, vary in (("copies", False), ("variants", True)):
            names = [str(f) for f in corpus(Path(scratch) / label, [GAUSSIAN], 40, vary)]
            forty(args, label, names)
        if args.large:
            thousand(args, Path(scratch) / "thousand")
    return 0


def forty(args: argparse.Namespace, label: str, names: list[str]) -> None:
    times: dict[str, list[float]] = {"serial": [], "--jobs 2": []}
    peaks: dict[str, int] = {"serial": 0, "--jobs 2": 0}
    steps = 0
    for _ in range(args.runs):
        for mode, extra in (("serial", []), ("--jobs 2", ["--jobs", "2"])):
            wall, peak, out, _ = run_check(args.src, ["--json", *extra, *names])
            times[mode].append(wall)
            peaks[mode] = max(peaks[mode], peak)
            steps = steps_in(out)
    what = "identical copies" if label == "copies" else "variants, no line shared"
    print(f"40-file corpus, {what} ({steps} steps), median of {args.runs}, load {load()}:")
    for mode, walls in times.items():
        median = statistics.median(walls)
        print(
            f"  {mode:>9}: {median:6.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) "
            f"= {steps / median:5.1f} steps/s; "
            f"peak RSS of a process {peaks[mode] / 1024:.0f} MB"
        )
    ratio = statistics.median(times["serial"]) / statistics.median(times["--jobs 2"])
    print(f"  --jobs 2 speed-up over serial: {ratio:.2f}x")


def thousand(args: argparse.Namespace, folder: Path) -> None:
    big = corpus(folder, fixture_documents(), 1000)
    wall, peak, out, _ = run_check(args.src, ["--json", "--jobs", "2", str(folder)])
    lines = [line for line in out.splitlines() if line.startswith("{")]
    count = steps_in(out)
    print(
        f"1,000-file corpus ({len(big)} files from {len(fixture_documents())} fixtures, "
        f"{count} steps), --jobs 2: {wall:.1f} s = {count / wall:.1f} steps/s, "
        f"{len(lines)} JSON lines, peak RSS of a process {peak / 1024:.0f} MB, "
        f"load now {load()}"
    )


if __name__ == "__main__":
    sys.exit(main())
