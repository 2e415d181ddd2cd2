"""``calcproof check FILE ...``: verify hand-written LaTeX and Markdown derivations line by line.

Exit status: 0 every step verified; 1 some step refuted; 3 some step unknown and
none refuted; 2 some input unreadable (a missing or non-UTF-8 file, unbalanced
braces, an unknown environment, no derivation, or a line that could not be
read), which takes precedence so that a partly read document never passes.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from calcproof.commands import add_timeout
from calcproof.report import FileReport, StepResult, combined_exit

MARKS = {"verified": "✓", "refuted": "✗", "unknown": "?", "definition": "≔"}
SHOWN = 110
"""Longest LaTeX excerpt printed for a step in the human report."""
POINT_ITEMS = 12
"""Most coordinates of a counterexample point printed in the human report."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=".tex or Markdown files")
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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from calcproof.latex_input.run import check_files

    if args.timeout <= 0 or args.jobs < 1:
        print("calcproof: error: --timeout must be positive and --jobs at least 1", file=sys.stderr)
        return 2
    reports = check_files(list(args.files), args.timeout, args.notation, args.jobs)
    for report in reports:
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)
        else:
            write_human(report, sys.stdout)
    for report in reports:
        if report.unreadable:
            error = report.errors[0]
            where = f"{report.file}:{error.line}" if error.line else report.file
            print(f"calcproof: error: {where}: {error.message}", file=sys.stderr)
    if not args.json and len(reports) > 1:
        print(_total(reports))
    return combined_exit(reports)


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
    sign = ":=" if step.verdict == "definition" else "="
    text = " ".join(f"{step.lhs} {sign} {step.rhs}".split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


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
