"""Tests that compile the sheets with pdfLaTeX; they fail, not skip, in CI without TeX."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from calcproof import pdf
from calcproof.cli import main

ROOT = Path(__file__).resolve().parent.parent


def require(tool: str) -> None:
    """Skip without ``tool`` locally; fail when CALCPROOF_REQUIRE_TEX=1 (CI)."""
    if shutil.which(tool) is None:
        message = f"{tool} is not installed"
        if os.environ.get("CALCPROOF_REQUIRE_TEX") == "1":
            pytest.fail(f"{message}, but CALCPROOF_REQUIRE_TEX=1")
        pytest.skip(message)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require("pdflatex")
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "activity4", "--dir", str(ROOT / "derivations"), "--out", str(out)]) == 0
    return out


def text_of(path: Path) -> str:
    require("pdftotext")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_solution_pdf_contains_the_key_lines(built):
    """pdftotext finds the tasks, the limits, the sigmoid value and the least-squares result."""
    text = text_of(built / "activity4.pdf")
    for line in (
        "Task 1: The logistic sigmoid",
        "tends to 0 as z → −∞",
        "tends to 1 as z → +∞",
        "exp[−z] → +∞ as z → −∞",
        "Task 3: Gaussian outputs and least squares",
        "does not change the minimiser",
        "8 of 8 steps verified.",
    ):
        assert line in text, line
    assert "argmin" in text and "(yid − fd [xi , ϕ])" in text  # pdftotext writes \\phi as ϕ


def test_problem_pdf_has_statements_but_no_solutions(built):
    """The problem sheet states all three tasks and shows no solution."""
    text = text_of(built / "activity4-problems.pdf")
    assert "Task 2: Binary cross-entropy" in text and "Task 3" in text
    assert "Solution" not in text and "verified" not in text


def test_pdf_is_reproducible_and_matches_the_committed_one(built, tmp_path):
    """Compiling again gives identical bytes, equal to the committed output/ PDF."""
    again = pdf.compile_pdf(built / "activity4.tex", built / "figures")
    assert again == (built / "activity4.pdf").read_bytes()
    assert again == (ROOT / "output" / "activity4.pdf").read_bytes()
    assert b"/ID [" not in again and b"/CreationDate (D:20240923" in again


def test_a_tex_error_is_a_build_error_naming_it(tmp_path):
    """A broken .tex fails with pdflatex's error line, not a traceback."""
    require("pdflatex")
    broken = tmp_path / "broken.tex"
    broken.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
    with pytest.raises(pdf.BuildError, match="Undefined control sequence"):
        pdf.compile_pdf(broken)


def test_unverified_step_is_visibly_marked_in_the_pdf(tmp_path):
    """With --allow-unverified the PDF says UNVERIFIED beside the wrong step."""
    require("pdflatex")
    folder = tmp_path / "derivations"
    folder.mkdir()
    (folder / "bad.py").write_text(
        "from sympy import Symbol\n"
        "from calcproof.derivation import chain, then\n"
        "from calcproof.sheet import Problem, Proof, Sheet, Text\n"
        "x = Symbol('x', real=True)\n"
        "DERIVATIONS = [chain('bad', 'wrong', 2 * x, [then('=', rhs=3 * x, why='oops')])]\n"
        "SHEETS = [Sheet('bad', 'Bad', 'x', (Problem('P', (Text('S.'),), (Proof('bad'),)),))]\n"
    )
    out = tmp_path / "out"
    args = ["build", "--dir", str(folder), "--out", str(out), "--allow-unverified"]
    assert main(args) == 1
    assert "UNVERIFIED: refuted" in text_of(out / "bad.pdf")
