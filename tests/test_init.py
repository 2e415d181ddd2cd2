"""``calcproof init``: a course folder that builds and tests as written, from a real install."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from calcproof import registry
from calcproof.cli import main
from calcproof.commands.init import template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "src" / "calcproof" / "examples" / "activity4" / "derivations"
ACTIVITY4_FILES = ("activity4.py", "bce.py", "gaussian.py", "sigmoid.py")


def test_init_writes_the_starter_and_prints_every_path(tmp_path, capsys):
    """The starter is a derivations module and a test file; each path written is printed."""
    assert main(["init", str(tmp_path / "course")]) == 0
    out = capsys.readouterr().out
    written = sorted(p.relative_to(tmp_path / "course") for p in (tmp_path / "course").rglob("*"))
    assert [str(p) for p in written if p.suffix] == [
        "derivations/course.py",
        "tests/test_derivations.py",
    ]
    for name in ("derivations/course.py", "tests/test_derivations.py"):
        assert f"wrote {tmp_path / 'course' / name}" in out
    content = registry.load(tmp_path / "course" / "derivations")
    assert [d.name for d in content.derivations] == ["sigmoid-symmetry"]
    assert [s.name for s in content.sheets] == ["week1"]


def test_init_never_overwrites_a_file(tmp_path, capsys):
    """A second init into the same folder fails (exit 2), naming the file, and changes nothing."""
    assert main(["init", str(tmp_path)]) == 0
    course = tmp_path / "derivations" / "course.py"
    course.write_text("# mine\n")
    assert main(["init", str(tmp_path)]) == 2
    assert "course.py exists" in capsys.readouterr().err
    assert course.read_text() == "# mine\n"


def test_activity4_example_is_the_repository_content(tmp_path):
    """The shipped Activity 4 example is byte-for-byte this repository's derivations."""
    files = dict(template("activity4"))
    for name in ACTIVITY4_FILES:
        assert files[Path("derivations") / name] == (ROOT / "derivations" / name).read_bytes(), (
            f"copy derivations/{name} to {EXAMPLE.relative_to(ROOT)}/"
        )


def test_init_example_activity4_loads_its_sheet(tmp_path):
    """``init --example activity4`` writes a folder whose sheet and derivations load."""
    assert main(["init", "--example", "activity4", str(tmp_path)]) == 0
    content = registry.load(tmp_path / "derivations")
    assert [s.name for s in content.sheets] == ["activity4"]
    assert "gaussian-least-squares" in {d.name for d in content.derivations}
    assert (tmp_path / "tests" / "test_derivations.py").is_file()


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@pytest.mark.skipif(sys.platform == "win32", reason="venv layout")
def test_pip_install_then_init_build_and_pytest_from_an_empty_folder(tmp_path):
    """From an empty folder: a non-editable pip install, init, build and pytest all succeed.

    The venv reuses this environment's dependencies through a ``.pth`` line (so
    nothing is downloaded) but gets its own, non-editable calcproof.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    install = [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    _run([*install, str(ROOT)], tmp_path, env)
    where = _run([python, "-c", "import calcproof; print(calcproof.__file__)"], tmp_path, env)
    assert Path(where.stdout.strip()).is_relative_to(venv)

    empty = tmp_path / "empty"
    empty.mkdir()
    _run(["calcproof", "init"], empty, env)
    built = _run(["calcproof", "build"], empty, env)
    assert (empty / "output" / "week1.tex").is_file()
    assert (empty / "output" / "figures" / "sigmoid-steepness.png").is_file()
    assert "output/week1.tex" in built.stderr
    tested = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], empty, env)
    assert "1 passed" in tested.stdout
