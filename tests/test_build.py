"""Tests of ``calcproof build``: exit codes, unverified steps, reports, atomic writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calcproof import atomic
from calcproof.cli import main

ROOT = Path(__file__).resolve().parent.parent

WRONG = """
from sympy import Symbol
from calcproof.derivation import chain, then
from calcproof.sheet import Problem, Proof, Sheet, Text

x = Symbol("x", real=True)
GOOD = chain("good", "x + x = 2x", x + x, [then("=", rhs=2 * x, why="collect")])
BAD = chain("bad", "a wrong expansion", (x + 1) ** 2,
            [then("=", rhs=x**2 + 1, why="forgot the cross term")])
DERIVATIONS = [GOOD, BAD]
SHEETS = [
    Sheet("tiny", "Tiny", "a test sheet",
          (Problem("Square", (Text("Expand."),), (Proof("good"), Proof("bad"))),)),
    Sheet("fine", "Fine", "a good sheet",
          (Problem("Double", (Text("Add."),), (Proof("good"),)),)),
]
"""


@pytest.fixture
def wrong_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "derivations"
    folder.mkdir()
    (folder / "tiny.py").write_text(WRONG)
    return folder


def build(*args: str) -> int:
    return main(["build", "--no-pdf", *args])


def test_unverified_step_fails_the_build_and_names_the_step(wrong_dir, tmp_path, capsys):
    """A sheet with a refuted step exits 1, names the step, and is not written."""
    out = tmp_path / "out"
    assert build("tiny", "--dir", str(wrong_dir), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "tiny: NOT VERIFIED: bad step 1 (by hand) is refuted" in err
    assert not (out / "tiny.tex").exists()


def test_allow_unverified_writes_the_sheet_with_the_step_marked(wrong_dir, tmp_path):
    """--allow-unverified writes the sheet, marks the step UNVERIFIED, and still exits 1."""
    out = tmp_path / "out"
    assert build("tiny", "--dir", str(wrong_dir), "--out", str(out), "--allow-unverified") == 1
    tex = (out / "tiny.tex").read_text()
    assert r"\refutedmark" in tex and "0 of 1 step verified; not verified: step 1." in tex
    report = json.loads((out / "tiny.json").read_text())
    assert [s["verdict"] for s in report["steps"]] == ["verified", "refuted"]
    assert report["summary"] == {"verified": 1, "refuted": 1, "unknown": 0}


def test_a_verified_sheet_builds_with_exit_zero(wrong_dir, tmp_path):
    """Building only the good sheet succeeds and writes both sheets and the report."""
    out = tmp_path / "out"
    assert build("fine", "--dir", str(wrong_dir), "--out", str(out)) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["fine-problems.tex", "fine.json", "fine.tex"]
    step = json.loads((out / "fine.json").read_text())["steps"][0]
    assert set(step) == {"derivation", "index", "relation", "rule", "verdict", "method", "message"}


def test_timings_flag_adds_seconds(wrong_dir, tmp_path):
    """Only --timings puts wall-clock seconds into the JSON report."""
    out = tmp_path / "out"
    assert build("fine", "--dir", str(wrong_dir), "--out", str(out), "--timings") == 0
    step = json.loads((out / "fine.json").read_text())["steps"][0]
    assert isinstance(step["seconds"], float)


def test_unknown_sheet_is_a_usage_error(wrong_dir, capsys):
    """Asking for a sheet that does not exist exits 2 with the known sheets, no traceback."""
    assert build("nope", "--dir", str(wrong_dir)) == 2
    err = capsys.readouterr().err
    assert "no sheet named nope (known: fine, tiny)" in err
    assert "Traceback" not in err


def test_missing_tex_writes_tex_and_says_how_to_get_pdf(wrong_dir, tmp_path, monkeypatch, capsys):
    """Without pdflatex the build writes .tex, prints the apt-get line, and exits 0."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("CALCPROOF_REQUIRE_TEX", raising=False)
    out = tmp_path / "out"
    assert main(["build", "fine", "--dir", str(wrong_dir), "--out", str(out)]) == 0
    assert "apt-get install texlive-latex-base" in capsys.readouterr().err
    assert (out / "fine.tex").exists() and not (out / "fine.pdf").exists()
    monkeypatch.setenv("CALCPROOF_REQUIRE_TEX", "1")
    assert main(["build", "fine", "--dir", str(wrong_dir), "--out", str(out)]) == 2


def test_interrupted_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    """If the write is interrupted, the old content survives and no temporary file is left."""
    target = tmp_path / "sheet.tex"
    target.write_text("old content\n")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_text(target, "new content that never lands\n")
    assert target.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.tex"]


def test_atomic_write_replaces_content_with_normal_permissions(tmp_path):
    """A completed write has the new content and the usual umask permissions."""
    target = tmp_path / "a" / "b.json"
    assert atomic.write_text(target, "{}\n")
    assert target.read_text() == "{}\n"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert not atomic.write_text(target, "{}\n")  # unchanged: not rewritten


def _cli_build(out: Path, seed: str) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    command = [sys.executable, "-m", "calcproof", "build", "--no-pdf", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_builds_are_identical_across_runs_and_hash_seeds(tmp_path):
    """Two builds, with different PYTHONHASHSEED, give byte-identical files."""
    first = _cli_build(tmp_path / "one", "0")
    second = _cli_build(tmp_path / "two", "12345")
    assert first == second
    assert "activity4.tex" in first and "figures/bce-loss.png" in first


def test_committed_output_matches_a_fresh_build_without_pdf(tmp_path):
    """The committed output/ (apart from PDFs) is what the code produces now."""
    fresh = _cli_build(tmp_path / "fresh", "0")
    for name, data in fresh.items():
        assert (ROOT / "output" / name).read_bytes() == data, name
