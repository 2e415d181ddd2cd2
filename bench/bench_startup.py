"""Benchmark cold start: ``calcproof --help`` and ``calcproof check`` of a one-step file.

Each measurement starts a fresh interpreter (``python -m calcproof ...``): wall time
from spawn to exit, and CPU time (user + system, of the process and of the children
it forked).  Rounds are interleaved (each command once per round, and with
``--baseline`` the baseline right after), so that a change of load hits every
variant alike; the load average is recorded before and after.  Medians are quoted.

Two bytecode settings are measured: ``cached`` (compiled modules kept in a
temporary ``PYTHONPYCACHEPREFIX``, as for an installed package) and ``source``
(``PYTHONDONTWRITEBYTECODE=1`` with no cache for calcproof's own modules, so they
are compiled at every start, as in a checkout where bytecode is never written).

``--baseline SRC`` measures another source tree the same way (``PYTHONPATH=SRC``),
for example main's: ``git archive main src | tar -x -C ../base`` and
``--baseline ../base/src``.

Usage: .venv/bin/python bench/bench_startup.py [--runs 11] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_STEP = "$$\na + b = b + a\n$$\n"
COMMANDS = {
    "--help": ["--help"],
    "check --help": ["check", "--help"],
    "list --help": ["list", "--help"],
    "check one step": ["check", "{doc}"],
}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``python -m calcproof ARGV`` in ``env``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "calcproof", *argv], env=env, capture_output=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"calcproof {' '.join(argv)} failed ({done.returncode}): {done.stderr!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def environments(source: Path, cache: Path) -> dict[str, dict[str, str]]:
    """The environment of each bytecode setting, for the tree at ``source``."""
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPYCACHEPREFIX",)}
    base["PYTHONPATH"] = str(source)
    cached = dict(base, PYTHONPYCACHEPREFIX=str(cache / source.as_posix().strip("/")))
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    return {"cached": cached, "source": dict(base, PYTHONDONTWRITEBYTECODE="1")}


Key = tuple[str, str, str]


def measure(
    variants: dict[str, Path], runs: int, doc: Path, cache: Path
) -> dict[Key, list[tuple[float, float]]]:
    envs = {name: environments(source, cache) for name, source in variants.items()}
    for by_mode in envs.values():  # one untimed round: the cached bytecode is written
        for argv in COMMANDS.values():
            run_once([a.format(doc=doc) for a in argv], by_mode["cached"])
    times: dict[Key, list[tuple[float, float]]] = {}
    for _ in range(runs):
        for mode in ("cached", "source"):
            for command, argv in COMMANDS.items():
                for name in variants:
                    sample = run_once([a.format(doc=doc) for a in argv], envs[name][mode])
                    times.setdefault((mode, command, name), []).append(sample)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="rounds (default: 11)")
    parser.add_argument("--baseline", type=Path, default=None, metavar="SRC")
    args = parser.parse_args(argv)
    variants = {"this tree": ROOT / "src"}
    if args.baseline is not None:
        variants["baseline"] = args.baseline.resolve()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        doc = Path(folder) / "one.md"
        doc.write_text(ONE_STEP, encoding="utf-8")
        times = measure(variants, max(args.runs, 1), doc, Path(folder) / "pycache")
    load_after = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; load average (1, 5, 15 min) before "
        f"{', '.join(f'{x:.2f}' for x in load_before)}, after "
        f"{', '.join(f'{x:.2f}' for x in load_after)}; {args.runs} interleaved rounds"
    )
    print("\n| bytecode | command | variant | wall median | wall min | wall max | CPU median |")
    print("|---|---|---|---:|---:|---:|---:|")
    for mode in ("cached", "source"):
        for command in COMMANDS:
            for name in variants:
                samples = times[(mode, command, name)]
                wall = [w for w, _ in samples]
                cpu = [c for _, c in samples]
                cells = [statistics.median(wall), min(wall), max(wall), statistics.median(cpu)]
                shown = " | ".join(f"{x:.2f} s" for x in cells)
                print(f"| {mode} | `calcproof {command}` | {name} | {shown} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
