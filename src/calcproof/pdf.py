"""Compile a LaTeX file to PDF reproducibly with pdfLaTeX, in a scratch folder.

The source and its figures are copied into a temporary folder, pdfLaTeX runs
there (twice when it asks to), and the PDF bytes are returned; nothing but the
PDF reaches ``output/``.  ``SOURCE_DATE_EPOCH`` with ``FORCE_SOURCE_DATE=1``
fixes the dates, and the document itself drops the trailer id.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from calcproof.errors import BuildError

SOURCE_DATE_EPOCH = "1727049600"
"""2024-09-23, the date of Activity 4: a fixed date, so that every build gives the same bytes."""

INSTALL_HINT = (
    "no pdflatex found: wrote .tex only; for PDF run "
    "`apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures latexmk`"
)
MAX_RUNS = 3


def engine() -> str | None:
    """The path of ``pdflatex``, or ``None`` when TeX is not installed."""
    return shutil.which("pdflatex")


def compile_pdf(tex: Path, figures: Path | None = None, timeout: float = 120.0) -> bytes:
    """The PDF of ``tex`` (``figures`` is copied next to it as ``figures/``)."""
    pdflatex = engine()
    if pdflatex is None:
        raise BuildError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="calcproof-tex-") as scratch:
        work = Path(scratch)
        shutil.copy2(tex, work / tex.name)
        if figures is not None and figures.is_dir() and not figures.is_symlink():
            (work / "figures").mkdir()
            for entry in figures.iterdir():  # regular files only: links are not followed
                if entry.is_file() and not entry.is_symlink():
                    shutil.copy2(entry, work / "figures" / entry.name)
        for _ in range(MAX_RUNS):
            log = _run(pdflatex, work, tex.name, timeout)
            if "Rerun to get" not in log:
                break
        return (work / tex.with_suffix(".pdf").name).read_bytes()


def _run(pdflatex: str, work: Path, name: str, timeout: float) -> str:
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, FORCE_SOURCE_DATE="1")
    command = [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", name]
    try:
        done = subprocess.run(
            command, cwd=work, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"pdflatex took longer than {timeout:g} s on {name}") from exc
    log = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        errors = [line for line in log.splitlines() if line.startswith("!")]
        detail = "; ".join(errors[:3]) or f"exit status {done.returncode}"
        raise BuildError(f"pdflatex failed on {name}: {detail}")
    return log
