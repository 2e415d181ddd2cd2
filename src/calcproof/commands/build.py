"""``calcproof build``: verify the sheets' derivations and write LaTeX, PDF and figures.

Exit status: 0 when every step of every built sheet is verified; 1 when some
step is not (the sheet is then not written, unless ``--allow-unverified``
writes it with the step visibly marked, and the status is still 1); 2 on
errors (unknown sheet, failed TeX run, an output folder that cannot be written);
130/143 when stopped by Ctrl-C or SIGTERM (no partial or temporary file is left).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from calcproof.commands import add_content_directory, add_timeout
from calcproof.errors import BuildError
from calcproof.render.notation import PROFILES

DEFAULT_OUT = "output"
"""The output folder, next to the derivations folder (``derivations/../output``)."""
REQUIRE_TEX = "CALCPROOF_REQUIRE_TEX"
PRELOAD = ("calcproof.building", "calcproof.pdf", "calcproof.registry")
"""Imported before ``run`` (see :func:`calcproof.cli.preload`)."""

EPILOG = """\
Writes, per sheet: OUT/<sheet>.tex (solutions), OUT/<sheet>-problems.tex,
their PDFs (when pdflatex is installed), OUT/figures/*.{pdf,png} and
OUT/<sheet>.json (the verdict of every step).  With --notation standard the
file names end in -standard.  Output is byte-for-byte reproducible; --timings
adds each step's wall-clock "seconds" to the JSON, which makes it differ from
run to run (so the committed output/ is built without it).

Exit status: 0 when every step is verified.  1 when some step is not: the
failing sheet is not written and the step is named on stderr; with
--allow-unverified it is written anyway, with the step marked UNVERIFIED in
red, and the status is still 1.  2 on errors.  Set CALCPROOF_REQUIRE_TEX=1 to
make a missing pdflatex an error instead of a note.

OUT may be a link to a folder, but nothing inside it is followed: a link at
OUT/figures is refused.  Ctrl-C or SIGTERM stops cleanly (exit 130 or 143):
files are replaced atomically and no temporary file is left behind."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("sheets", nargs="*", metavar="SHEET", help="sheets to build (default: all)")
    add_content_directory(parser)
    parser.add_argument(
        "--out",
        type=folder,
        default=None,
        metavar="FOLDER",
        help=f"output folder (default: {DEFAULT_OUT}/ next to the derivations folder)",
    )
    parser.add_argument(
        "--notation", choices=sorted(PROFILES), default="udl", help="notation (default: udl)"
    )
    parser.add_argument("--no-pdf", action="store_true", help="write LaTeX only, skip pdflatex")
    parser.add_argument(
        "--allow-unverified",
        action="store_true",
        help="write sheets with unverified steps (marked in red); the exit status is still 1",
    )
    parser.add_argument(
        "--timings", action="store_true", help='add each step\'s "seconds" to the JSON report'
    )
    add_timeout(parser)
    parser.set_defaults(run=run)


def folder(text: str) -> Path:
    """An argparse type: a folder name (an empty one would silently mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder, not an empty string")
    return Path(text)


def log(message: str) -> None:
    print(f"calcproof build: {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from calcproof import building, pdf, registry

    started = time.perf_counter()
    content = registry.load(args.dir)
    sheets = building.resolve(content, args.sheets)
    building.preflight(sheets, content, args.notation)
    out = args.out if args.out is not None else args.dir.parent / DEFAULT_OUT
    building.prepare_output(out)
    want_pdf = not args.no_pdf
    if want_pdf and pdf.engine() is None:
        if os.environ.get(REQUIRE_TEX) == "1":
            raise BuildError(f"{REQUIRE_TEX}=1 but {pdf.INSTALL_HINT}")
        log(pdf.INSTALL_HINT)
        want_pdf = False
    options = building.BuildOptions(
        out, args.notation, want_pdf, args.allow_unverified, args.timings, args.timeout
    )
    names = list(dict.fromkeys(n for s in sheets for n in s.derivation_names()))
    reports = building.verify([content.derivation(n) for n in names], args.timeout, log)
    status = 0
    for sheet in sheets:
        bad = building.failures(sheet, reports)
        for message in bad:
            log(f"{sheet.name}: NOT VERIFIED: {message}")
        if bad:
            status = 1
            if not args.allow_unverified:
                log(f"{sheet.name}: not written (use --allow-unverified to write it anyway)")
                continue
        written = building.write_sheet(sheet, reports, options, log)
        log(f"{sheet.name}: wrote {len(written)} files to {out}{os.sep}:")
        for path in written:
            log(f"  {path}")
    log(f"done in {time.perf_counter() - started:.2f} s")
    return status
