"""The build pipeline behind ``calcproof build``: verify, render, write.

Each sheet's derivations are checked by the kernel (each derivation once, even
when several sheets use it); the sheet is rendered as a solution sheet and a
problem sheet, its figures are drawn, and every file is written atomically.
Progress goes to the ``log`` callback (stderr in the CLI).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from calcproof import atomic, figures, pdf
from calcproof.derivation import Derivation
from calcproof.errors import BuildError
from calcproof.numbering import count_phrase, with_verdicts
from calcproof.registry import Content
from calcproof.relations import label
from calcproof.render.document import Checked, sheet_tex
from calcproof.render.notation import profile
from calcproof.sheet import Sheet
from calcproof.verify import DerivationReport, check_derivation

Log = Callable[[str], None]
FIGURES = "figures"
"""The figures' folder inside the output folder."""


@dataclass(frozen=True)
class BuildOptions:
    """What ``calcproof build`` was asked to do."""

    out: Path
    notation: str = "udl"
    pdf: bool = True
    allow_unverified: bool = False
    timings: bool = False
    timeout: float = 10.0


@dataclass(frozen=True)
class SheetResult:
    """The outcome for one sheet: the steps that failed and the files written."""

    sheet: str
    failures: tuple[str, ...]
    written: tuple[Path, ...]


def verify(
    derivations: Sequence[Derivation], timeout: float, log: Log
) -> dict[str, DerivationReport]:
    """The kernel's report on each derivation, with one progress line per derivation."""
    reports = {}
    for derivation in derivations:
        log(f"verifying {derivation.name} ({count_phrase(derivation)}) ...")
        started = time.perf_counter()
        report = check_derivation(derivation, timeout)
        counts = report.counts()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        log(f"verified {derivation.name}: {summary} ({time.perf_counter() - started:.2f} s)")
        reports[derivation.name] = report
    return reports


def failures(sheet: Sheet, reports: Mapping[str, DerivationReport]) -> tuple[str, ...]:
    """One message per step of the sheet that the kernel did not verify."""
    out = []
    for name in sheet.derivation_names():
        report = reports[name]
        for numbered, verdict in with_verdicts(report.derivation, report.verdicts):
            if not verdict.ok:
                detail = f": {verdict.message}" if verdict.message else ""
                rule = numbered.step.rule
                out.append(f"{name} {numbered.label} ({rule}) is {verdict.status}{detail}")
    return tuple(out)


def report_json(sheet: Sheet, reports: Mapping[str, DerivationReport], timings: bool) -> str:
    """The verdict of every step of the sheet as JSON (``seconds`` only with ``timings``)."""
    steps = []
    for name in sheet.derivation_names():
        report = reports[name]
        for numbered, verdict in with_verdicts(report.derivation, report.verdicts):
            step = numbered.step
            row: dict[str, object] = {
                "derivation": name,
                "index": numbered.number,
                "relation": label(step.relation),
                "rule": step.rule,
                "verdict": verdict.status,
                "method": verdict.method,
                "message": verdict.message,
            }
            if timings:
                row["seconds"] = round(verdict.seconds, 4)
            steps.append(row)
    counts = {
        s: sum(1 for r in steps if r["verdict"] == s) for s in ("verified", "refuted", "unknown")
    }
    body = {"sheet": sheet.name, "steps": steps, "summary": counts}
    return json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def resolve(content: Content, names: Sequence[str]) -> tuple[Sheet, ...]:
    """The sheets called ``names`` (all sheets when empty), in the order given."""
    sheets = {s.name: s for s in content.sheets}
    if not names:
        return tuple(sheets.values())
    unknown = [n for n in names if n not in sheets]
    if unknown:
        known = ", ".join(sorted(sheets)) or "none"
        raise BuildError(f"no sheet named {', '.join(unknown)} (known: {known})")
    return tuple(sheets[n] for n in names)


def write_sheet(
    sheet: Sheet, reports: Mapping[str, DerivationReport], options: BuildOptions, log: Log
) -> tuple[Path, ...]:
    """Write the sheet's figures, LaTeX sources, JSON report and (optionally) PDFs."""
    notation = profile(options.notation)
    suffix = "" if notation.name == "udl" else f"-{notation.name}"
    written = list(_figures(sheet, options))
    proofs = {n: Checked(r.derivation, r.verdicts) for n, r in reports.items()}
    unmarked = {n: Checked(r.derivation, None) for n, r in reports.items()}
    sources = {
        f"{sheet.name}{suffix}.tex": sheet_tex(sheet, proofs, notation=notation),
        f"{sheet.name}-problems{suffix}.tex": sheet_tex(
            sheet, unmarked, notation=notation, solutions=False
        ),
    }
    for name, text in sources.items():
        written.append(_write(options.out / name, text.encode()))
    json_text = report_json(sheet, reports, options.timings)
    written.append(_write(options.out / f"{sheet.name}{suffix}.json", json_text.encode()))
    if options.pdf:
        for name in sources:
            started = time.perf_counter()
            data = pdf.compile_pdf(options.out / name, options.out / FIGURES)
            written.append(_write(options.out / name.replace(".tex", ".pdf"), data))
            log(f"compiled {name} ({time.perf_counter() - started:.2f} s)")
    return tuple(written)


def preflight(sheets: Sequence[Sheet], content: Content, notation: str) -> None:
    """Fail before any verification when a sheet cannot be built.

    Checks every figure, that every derivation a sheet names exists, and
    renders each sheet once without verdicts, so that prose TeX cannot spell or
    a rewording of a step that does not exist is reported before the kernel runs.
    """
    from calcproof.user_figures import check_sheet

    for sheet in sheets:
        check_sheet(sheet)
        unmarked = {n: Checked(content.derivation(n), None) for n in sheet.derivation_names()}
        sheet_tex(sheet, unmarked, notation=profile(notation))


def _figures(sheet: Sheet, options: BuildOptions) -> list[Path]:
    from calcproof.user_figures import maker

    written = []
    unique = {figure.plot: figure for figure in reversed(sheet.figures())}
    for plot in sheet.plots():
        stem = figures.stem(plot, options.notation)
        pdf_bytes, png_bytes = figures.render(plot, options.notation, maker(unique[plot]))
        written.append(_write(options.out / FIGURES / f"{stem}.pdf", pdf_bytes))
        written.append(_write(options.out / FIGURES / f"{stem}.png", png_bytes))
    return written


def prepare_output(out: Path) -> None:
    """Create ``out``, or say in one line why it cannot be written.

    ``out`` itself may be a link to a folder; a link inside it (``out/figures``)
    is refused, so that nothing is ever written outside the folder named.
    """
    figures = out / FIGURES
    if figures.is_symlink():
        raise BuildError(f"{figures}: is a symbolic link; calcproof writes only inside --out")
    for path in (out, figures):
        if path.exists() and not path.is_dir():
            raise BuildError(f"{path}: not a folder (--out must name a folder)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise BuildError(f"{out}: the folder is not writable")


def _write(path: Path, data: bytes) -> Path:
    if path.is_symlink():
        raise BuildError(f"{path}: is a symbolic link; calcproof writes only inside --out")
    try:
        atomic.write_bytes(path, data)
    except OSError as exc:
        raise BuildError(f"{path}: cannot write the file ({exc.strerror or exc})") from None
    return path
