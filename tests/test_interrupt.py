"""Interrupting ``build`` and ``check``: clean exit, no partial or temporary file, no orphan.

Each run is stopped at a seeded random moment after it has shown a sign of life;
the assertions hold whatever the moment (a run that finished first is checked too).
"""

from __future__ import annotations

import filecmp
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = 20261201
STOPPED = {signal.SIGINT: 130, signal.SIGTERM: 143}


def session_members(sid: int) -> list[int]:
    """Live (non-zombie) processes of the session ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(entry))
    return found


def no_orphans(sid: int) -> list[int]:
    """Members of the session still alive a few seconds after its leader exited."""
    deadline = time.monotonic() + 5
    while (left := session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def start(args: list[str], tmp: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONHASHSEED="0")
    return subprocess.Popen(
        [sys.executable, "-m", "calcproof.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,  # unbuffered: what is read here is not lost to communicate()
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_for_line(stream: object, seconds: float = 120) -> str:
    """Everything up to the first line end of ``stream`` (a sign of life)."""
    fd, data = stream.fileno(), b""  # type: ignore[attr-defined]
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], seconds)
        assert ready, "no sign of life"
        chunk = os.read(fd, 1)
        assert chunk, "the stream ended without a line"
        data += chunk
    return data.decode()


def stop(proc: subprocess.Popen[bytes], signum: int, group: bool) -> tuple[int, str, str]:
    if group:  # as Ctrl-C does: the whole foreground group
        os.killpg(proc.pid, signum)
    else:  # as `kill PID` does
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out.decode(), err.decode()


def moments(count: int, longest: float) -> list[tuple[float, int, bool]]:
    rng = random.Random(SEED)
    kinds = [(signal.SIGTERM, False), (signal.SIGINT, True), (signal.SIGTERM, True)]
    return [(rng.uniform(0, longest), *kinds[k % len(kinds)]) for k in range(count)]


def build_args(out: Path) -> list[str]:
    pdf = [] if shutil.which("pdflatex") else ["--no-pdf"]
    return ["build", "--out", str(out), *pdf]


def test_interrupted_builds_leave_no_debris(tmp_path: Path) -> None:
    """SIGINT/SIGTERM during build: exit 130/143, no traceback, only whole files, no temp files."""
    reference = tmp_path / "reference"
    done = subprocess.run(
        [sys.executable, "-m", "calcproof.cli", *build_args(reference)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    interrupted = 0
    for k, (delay, signum, group) in enumerate(moments(4, 2.0)):
        out, scratch = tmp_path / f"out{k}", tmp_path / f"tmp{k}"
        scratch.mkdir()
        proc = start(build_args(out), scratch)
        assert proc.stderr is not None
        wait_for_line(proc.stderr)
        time.sleep(delay)
        code, _, err = stop(proc, signum, group)
        interrupted += code == STOPPED[signum]
        assert code in (0, STOPPED[signum]), err
        assert "Traceback" not in err
        left = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        assert not [p for p in left if p.name.endswith(".tmp")], left
        for path in left:  # every file written is whole: identical to the reference build
            assert filecmp.cmp(path, reference / path.relative_to(out), shallow=False), path
        assert list(scratch.iterdir()) == []  # no calcproof-tex-* scratch folder
        assert no_orphans(proc.pid) == []
    assert interrupted >= 2  # the moments fall inside the build, not after it


def test_interrupted_parallel_check_shuts_down_cleanly(tmp_path: Path) -> None:
    """SIGTERM to check --jobs 2 (or Ctrl-C to its group): 143/130, valid lines, no orphan."""
    files = [
        str(FIXTURES / name)
        for name in ("bench_twenty_steps.md", "udl_wrong.tex", "activity4_worksheet.md")
    ] * 2
    interrupted = 0
    for k, (delay, signum, group) in enumerate(moments(3, 1.5)):
        scratch = tmp_path / f"tmp{k}"
        scratch.mkdir()
        proc = start(["check", "--json", "--jobs", "2", *files], scratch)
        assert proc.stdout is not None
        first = wait_for_line(proc.stdout)
        time.sleep(delay)
        code, out, err = stop(proc, signum, group)
        interrupted += code == STOPPED[signum]
        assert code in (0, 1, 2, 3, STOPPED[signum]), err
        assert "Traceback" not in err and "Error" not in err, err
        lines = (first + out).splitlines()
        assert all(json.loads(line)["file"] in files for line in lines if line.strip())
        assert no_orphans(proc.pid) == []
    assert interrupted >= 2


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_serial_check_exits_with_the_signal_status(tmp_path: Path, signum) -> None:
    """check without --jobs: the kernel's child is killed too, and the status says why."""
    proc = start(["check", "--json", str(FIXTURES / "bench_twenty_steps.md")] * 1, tmp_path)
    time.sleep(0.2)
    while not session_members(proc.pid)[1:]:  # wait until a kernel child has been forked
        assert proc.poll() is None, "finished before any child was forked"
        time.sleep(0.02)
    code, _, err = stop(proc, signum, group=False)
    assert code == STOPPED[signum] and "Traceback" not in err
    assert no_orphans(proc.pid) == []
