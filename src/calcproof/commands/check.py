"""``calcproof check FILE ...``: verify hand-written LaTeX and Markdown derivations line by line.

Exit status: 0 every step verified; 1 some step refuted (even beside unreadable
lines); 2 a file that cannot be read at all (missing, non-UTF-8, unbalanced braces,
an unknown environment, no derivation, a pattern matching nothing), or an
unreadable line with nothing refuted; 3 some step unknown and nothing else wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from typing import Any, TextIO

from calcproof.commands import add_timeout
from calcproof.commands.paths import expand
from calcproof.report import EXIT_UNREADABLE, FileReport, StepResult, exit_of

PRELOAD = ("calcproof.latex_input.run",)
"""Imported before ``run`` (see :func:`calcproof.cli.preload`)."""
MARKS = {"verified": "✓", "refuted": "✗", "unknown": "?", "definition": "≔", "statement": "·"}
SHOWN = 110
"""Longest LaTeX excerpt printed for a step in the human report."""
POINT_ITEMS = 12
"""Most coordinates of a counterexample point printed in the human report."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help=".tex or Markdown files, folders or patterns"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    add_timeout(parser)
    parser.add_argument(
        "--jobs",
        type=jobs,
        default=1,
        metavar="N",
        help="files checked in parallel, or 'auto' for one per core; with 1, a file's "
        "steps use two processes (default: %(default)s)",
    )
    parser.add_argument(
        "--notation",
        choices=("udl", "standard"),
        default="udl",
        help="notation profile the documents are written in (default: %(default)s)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="a file with no derivation (no display with a relation) is not an error",
    )
    parser.set_defaults(run=run)


def jobs(text: str) -> int:
    """An argparse type: a number of processes at least 1, or ``auto`` (the usable cores)."""
    if text == "auto":
        return (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of jobs or 'auto': {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def run(args: argparse.Namespace) -> int:
    from calcproof.latex_input.run import check_files

    started = time.perf_counter()
    files, missing = expand(list(args.files))
    for message in missing:
        print(f"calcproof: error: {message}", file=sys.stderr)
    tally = Tally()
    terminal = sys.stderr.isatty()
    steps = StepBars() if terminal and args.jobs == 1 else None
    files_bar = _files_bar(len(files)) if terminal and len(files) > 1 else None
    checked = check_files(files, args.timeout, args.notation, args.jobs, steps)
    with closing(checked):  # an interruption stops the workers before the exit
        for found in checked:
            if steps is not None:
                steps.close()
            report = _allowed(found, args.allow_empty)
            _print(replace(report, file=printable(report.file)), args.json, files_bar)
            tally.add(report)  # only counts are kept: a run over many files stays small
            if files_bar is not None:
                files_bar.update(1)
    if files_bar is not None:
        files_bar.close()
    if len(files) > 1:
        table = tally.table(time.perf_counter() - started)
        if not args.json:
            print(table)
        elif terminal:
            print(table, file=sys.stderr)
    return EXIT_UNREADABLE if missing else tally.exit_code()


def _files_bar(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="files", position=1, leave=False)


class Tally:
    """Counts over the files of a run (steps by verdict, files by outcome) and its exit code."""

    ROWS = ("verified", "refuted", "unknown", "unreadable")

    def __init__(self) -> None:
        self.steps = dict.fromkeys((*self.ROWS, "definitions"), 0)
        self.files = dict.fromkeys(self.ROWS, 0)
        self.codes: set[int] = set()
        self.unreadable_file = False

    def add(self, report: FileReport) -> None:
        counts = report.summary()
        for key in ("verified", "refuted", "unknown"):
            self.steps[key] += counts[key]
        self.steps["unreadable"] += counts["errors"]
        self.steps["definitions"] += report.definitions()
        self.files[_outcome(report)] += 1
        self.codes.add(report.exit_code())
        self.unreadable_file |= report.unreadable

    def exit_code(self) -> int:
        """As :func:`calcproof.report.combined_exit` over the reports added."""
        return exit_of(self.codes, self.unreadable_file)

    def table(self, seconds: float) -> str:
        """The summary at the end of a run: a file counts under the worst of its steps."""
        decided = sum(self.steps[k] for k in ("verified", "refuted", "unknown"))
        rows = [f"{'':<12}{'files':>8}{'steps':>8}"]
        rows += [f"{k:<12}{self.files[k]:>8}{self.steps[k]:>8}" for k in self.ROWS]
        total = sum(self.files.values())
        rate = f", {decided / seconds:.1f} steps/s" if seconds > 0 and decided else ""
        rows.append(
            f"{total} files, {decided} steps decided, {self.steps['definitions']} definitions "
            f"in {seconds:.1f} s{rate}"
        )
        return "\n".join(rows)


def _outcome(report: FileReport) -> str:
    """Where a file is counted: unreadable (any line), refuted, unknown, else verified."""
    counts = report.summary()
    if report.unreadable or counts["errors"]:
        return "unreadable"
    for key in ("refuted", "unknown"):
        if counts[key]:
            return key
    return "verified"


def _allowed(report: FileReport, allow_empty: bool) -> FileReport:
    """With ``--allow-empty``, a file without any derivation is an empty, passing report."""
    empty = report.unreadable and report.errors[0].message.startswith("no derivation found")
    return FileReport(report.file, ()) if allow_empty and empty else report


class StepBars:
    """Per-step progress of the file being checked, on stderr (only on a terminal), with tqdm."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, path: str) -> Callable[[int, int], None]:
        def told(done: int, total: int) -> None:
            from tqdm import tqdm

            if self.bar is None:
                self.bar = tqdm(total=total, desc=printable(path), unit="step", leave=False)
            self.bar.update(done - self.bar.n)

        return told

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _print(report: FileReport, as_json: bool, bar: Any = None) -> None:
    """One file's result on stdout (and its read error on stderr), flushed at once."""
    if bar is not None:
        bar.clear()
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)
    else:
        write_human(report, sys.stdout)
        sys.stdout.flush()
    if report.unreadable:
        error = report.errors[0]
        where = f"{report.file}:{error.line}" if error.line else report.file
        print(f"calcproof: error: {where}: {error.message}", file=sys.stderr, flush=True)


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 shown as ``\\xNN`` escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def write_human(report: FileReport, stream: TextIO) -> None:
    """The human report of one file: one entry per step, read errors, a summary line."""
    from calcproof.render.terminal import paint, use_colour

    colour = use_colour(stream)
    if report.unreadable:
        return
    for step in report.steps:
        mark = paint(f"{MARKS[step.verdict]} {step.verdict}", step.verdict, colour)
        method = f" by {step.method}" if step.verdict in ("verified", "refuted") else ""
        print(f"{report.file}:{step.line}  [{step.chain}.{step.index}] {step.relation}  "
              f"{mark}{method}", file=stream)  # fmt: skip
        print(f"    {_excerpt(step)}", file=stream)
        for detail in _details(step):
            print(f"    {detail}", file=stream)
    for error in report.errors:
        where = f"{report.file}:{error.line}" if error.line else report.file
        print(f"{where}  {paint('! error', 'refuted', colour)}  {error.message}", file=stream)
    print(_summary(report), file=stream)


def _excerpt(step: StepResult) -> str:
    """The step as written; shortened only when verified (a wrong line is shown whole, so
    the place of the mistake is never cut off)."""
    signs = {"iff": "⇔", "implies": "⇒", "impliedby": "⇐"}
    sign = ":=" if step.verdict == "definition" else signs.get(step.relation, "=")
    text = " ".join(f"{step.lhs} {sign} {step.rhs}".split())
    if step.verdict in ("refuted", "unknown") or len(text) <= SHOWN:
        return text
    return text[: SHOWN - 1] + "…"


def _details(step: StepResult) -> list[str]:
    """The message, the counterexample point (shortened) and the readings taken."""
    out = []
    tail = step.message.rfind(": left ")
    if step.verdict == "refuted" and step.message.startswith("at ") and tail > 0:
        out.append(f"{_point(step)}: {step.message[tail + 2 :]}")
    elif step.verdict in ("refuted", "unknown") and step.message:
        out.append(step.message)
    if step.verdict == "refuted" and step.method.startswith("order-reversal"):
        out.append(_point(step))
    out.extend(f"reading: {note}" for note in step.notes)
    assumed = [f"{name} {word}" for name, word in step.assumptions if word != "real"]
    if assumed and step.verdict in ("refuted", "unknown"):
        out.append("assuming " + ", ".join(assumed))
    if step.verdict == "refuted":
        found = step.diagnosis
        out.append(f"{found.summary}; did you mean: {found.suggestion}" if found else _NO_DIAGNOSIS)
    return out


_NO_DIAGNOSIS = "no simple diagnosis (the certificate above shows the step is wrong)"


def _point(step: StepResult) -> str:
    ordered = sorted(step.counterexample, key=lambda kv: ("(" in kv[0], "[" in kv[0]))
    pairs = [f"{k} = {v}" for k, v in ordered]
    more = f", … ({len(pairs) - POINT_ITEMS} more in --json)" if len(pairs) > POINT_ITEMS else ""
    return "at " + ", ".join(pairs[:POINT_ITEMS]) + more


def _summary(report: FileReport) -> str:
    c = report.summary()
    return (
        f"{report.file}: {c['verified']} verified, {c['refuted']} refuted, {c['unknown']} unknown, "
        f"{c['errors']} unreadable, {report.definitions()} definitions"
    )
