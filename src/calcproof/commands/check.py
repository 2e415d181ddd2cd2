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
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from typing import Any, TextIO

from calcproof.commands import add_timeout
from calcproof.commands.paths import expand
from calcproof.report import EXIT_UNREADABLE, FileReport, StepResult, combined_exit

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
        type=int,
        default=1,
        help="files checked in parallel; with 1, a file's steps use two processes "
        "(default: %(default)s)",
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


def run(args: argparse.Namespace) -> int:
    from calcproof.latex_input.run import check_files

    if args.timeout <= 0 or args.jobs < 1:
        print("calcproof: error: --timeout must be positive and --jobs at least 1", file=sys.stderr)
        return 2
    files, missing = expand(list(args.files))
    for message in missing:
        print(f"calcproof: error: {message}", file=sys.stderr)
    reports = []
    bars = StepBars() if sys.stderr.isatty() else None
    checked = check_files(files, args.timeout, args.notation, args.jobs, bars)
    with closing(checked):  # an interruption stops the workers before the exit
        for found in checked:
            if bars is not None:
                bars.close()
            report = _allowed(found, args.allow_empty)
            _print(replace(report, file=printable(report.file)), args.json)
            reports.append(report)
    if not args.json and len(reports) > 1:
        print(_total(reports))
    return EXIT_UNREADABLE if missing else combined_exit(reports)


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


def _print(report: FileReport, as_json: bool) -> None:
    """One file's result on stdout (and its read error on stderr), flushed at once."""
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


def _total(reports: list[FileReport]) -> str:
    keys = ("verified", "refuted", "unknown", "errors")
    totals = {k: sum(r.summary()[k] for r in reports) for k in keys}
    return (
        f"{len(reports)} files: {totals['verified']} verified, {totals['refuted']} refuted, "
        f"{totals['unknown']} unknown, {totals['errors']} unreadable"
    )
