"""The robustness campaign: hostile and fuzzed input for ``calcproof check`` and ``build``.

A seeded corpus generator (token deletions and insertions, truncations, deep
nesting, huge numbers, 1 MB lines, 100k-line files, NUL bytes, UTF-16/32, BOM,
CRLF/CR, zero-width and right-to-left characters, FIFOs, devices, folders,
symlink loops, unreadable files, odd names) and a runner that checks, for every
case: exit status in {0, 1, 2, 3} and consistent with the JSON, one valid JSON
line per file, no traceback, each file finished within ``--timeout`` + 2 s per
step (a step or an unreadable line; plus the start-up for the first file of a
run), and peak memory under 1 GB (``wait4``'s maximum resident set of the whole
process tree).

Usage: .venv/bin/python bench/campaign.py [--full] [--seed N] [--cases N] [--timeout S]
(the small seeded form runs inside ``make test`` through tests/test_campaign.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SLACK = 2.0
"""Seconds allowed per step beyond --timeout."""
STARTUP = 8.0
"""Seconds allowed for starting Python and loading the parser (first file of a run)."""
MEMORY_LIMIT_KB = 1024 * 1024
BATCH = 12
"""Files per ``check`` run."""

BASES = [
    "\\[ \\operatorname{sig}[z] = \\frac{1}{1+\\exp[-z]} \\]\n",
    "\\begin{align} (a+b)^2 &= a^2 + 2ab + b^2 \\\\ &= b^2 + 2ab + a^2 \\end{align}\n",
    "$$ \\sum_{i=1}^{n} (x_i + 1) = \\sum_{i=1}^{n} x_i + n $$\n",
    "% calcproof: positive \\sigma\n\\[ \\log[\\sigma^2] = 2 \\log[\\sigma] \\]\n",
    "\\[ \\lim_{z \\to -\\infty} \\operatorname{sig}[z] = 0 \\]\n",
    "\\[ \\frac{x^2 - 1}{x - 1} = x + 1 \\]\n\\[ x + x = 3x \\]\n",
]
TOKENS = [
    "\\[", "\\]", "$$", "\\begin{align}", "\\end{align}", "&", "=", "\\\\", "{", "}", "(", ")",
    "[", "]", "^", "_", "\\frac", "\\sum", "\\prod", "\\lim", "\\to", "\\infty", "x", "1", "%",
    "\n", "\\operatorname{sig}", "\\exp", "\\log", "\\sqrt", "\\left(", "\\right)", "-", "+",
    "\\cdot", "```", "<!--", "\\input{/etc/passwd}", "\\write18{ls}", "\\csname", "\\text{",
    "\u200b", "\u202e", "\u00a0", "\ufeff", "\x00", "9" * 50, "10^{10^{10}}",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One input file: its name, bytes, and how to make it (``kind`` for special files)."""

    name: str
    data: bytes = b""
    kind: str = "file"


def mutate(rng: random.Random, text: str) -> str:
    """A few random token deletions, insertions and a possible truncation."""
    pieces = list(text)
    for _ in range(rng.randint(1, 6)):
        if pieces and rng.random() < 0.4:
            del pieces[rng.randrange(len(pieces))]
        else:
            pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(TOKENS))
    out = "".join(pieces)
    return out[: rng.randrange(len(out) + 1)] if rng.random() < 0.2 else out


def structured() -> list[Case]:
    """The fixed hostile shapes: nesting, huge numbers, size, encodings, odd characters."""
    good = "\\[ a + a = 2a \\]\n"
    return [
        Case("braces.tex", ("\\[ " + "{" * 5000 + "x" + "}" * 5000 + " = x \\]\n").encode()),
        Case("frac.tex", ("\\[ " + "\\frac{1}{" * 500 + "x" + "}" * 500 + " = x \\]\n").encode()),
        Case("tower.tex", ("\\[ " + "2^{" * 200 + "2" + "}" * 200 + " = 4 \\]\n").encode()),
        Case("huge.tex", b"\\[ 10^{10^{10}} = 10^{10^{10}} + 1 \\]\n"),
        Case("huge4.tex", b"\\[ 10^{10^{10}} = 10^{10^{10}} + 1 \\]\n" * 4),
        Case("fact.tex", b"\\[ (10^{8})! = (10^{8})! + 1 \\]\n"),
        Case("spaces.tex", ("\\[ x = " + " " * 100_000 + "x \\]\n").encode()),
        Case("line1mb.tex", ("\\[ y = " + "x+" * 450_000 + "x \\]\n").encode()),
        Case("lines100k.md", ("text\n" * 100_000 + "$$ a = a $$\n").encode()),
        Case(
            "align60k.tex", ("\\begin{align}" + "a &= a \\\\\n" * 60_000 + "\\end{align}").encode()
        ),
        Case("align500.tex", ("\\begin{align}" + "a &= a \\\\\n" * 500 + "\\end{align}").encode()),
        Case(
            "cont100k.tex",
            ("\\begin{align} a &= a \\\\" + "+ a \\\\\n" * 100_000 + "\\end{align}").encode(),
        ),
        Case("unclosed.tex", ("\\begin{align} a &= a \\\\" + "+ a \\\\\n" * 1000).encode()),
        Case("comments.md", ("$$ a = a $$\n" + "<!-- x\n" * 100_000).encode()),
        Case("nul.tex", good.encode() + b"\x00\x00"),
        Case("utf16le.tex", good.encode("utf-16-le")),
        Case("utf16.tex", good.encode("utf-16")),
        Case("utf32.md", good.encode("utf-32")),
        Case("bom.tex", b"\xef\xbb\xbf" + good.encode()),
        Case("crlf.tex", good.replace("\n", "\r\n").encode() * 3),
        Case("cr.tex", good.replace("\n", "\r").encode() * 3),
        Case("zw.tex", "\\[ a\u200b + a = 2a \\]\n\\[ b \u202e= b \\]\n".encode()),
        Case("latin1.tex", "\\[ caf\xe9 = caf\xe9 \\]\n".encode("latin-1")),
        Case("empty.tex", b""),
        Case("fence.md", b"```\n$$ a = b $$\n"),
        Case("python.tex", b"\\[ \\text{__import__('os').system('touch pwned')} = 1 \\]\n"),
    ]


def special() -> list[Case]:
    """Files that are not regular files, or are named oddly."""
    good = b"\\[ a + a = 2a \\]\n"
    return [
        Case("fifo.tex", kind="fifo"),
        Case("zero.tex", kind="link:/dev/zero"),
        Case("null.tex", kind="link:/dev/null"),
        Case("folder.tex", kind="folder"),
        Case("loop.tex", kind="loop"),
        Case("dangling.tex", kind="link:does-not-exist.tex"),
        Case("unreadable.tex", good, kind="unreadable"),
        Case("-dash.tex", good),
        Case("sp ace.md", good),
        Case("new\nline.tex", good),
        Case("ünï.TEX", good),
        Case(os.fsdecode(b"bad\xff.md"), good),
    ]


def corpus(seed: int, count: int) -> list[Case]:
    """``count`` mutated documents from the seed, then the fixed and the special cases."""
    rng = random.Random(seed)
    bases = [*BASES] + [p.read_text() for p in sorted(FIXTURES.glob("*_right.*"))]
    mutated = [
        Case(f"m{k:04d}{rng.choice(['.tex', '.md'])}", mutate(rng, rng.choice(bases)).encode())
        for k in range(count)
    ]
    return mutated + structured() + special()


def materialise(case: Case, folder: Path) -> Path:
    path = folder / case.name
    if case.kind == "fifo":
        os.mkfifo(path)
    elif case.kind == "folder":
        path.mkdir()
    elif case.kind == "loop":
        path.symlink_to(path.name + ".other")
        Path(f"{path}.other").symlink_to(path.name)
    elif case.kind.startswith("link:"):
        path.symlink_to(case.kind[5:])
    else:
        path.write_bytes(case.data)
        if case.kind == "unreadable":
            path.chmod(0)
    return path


@dataclass
class Tally:
    """What the campaign found."""

    cases: int = 0
    runs: int = 0
    failures: list[str] = field(default_factory=list)
    worst_over: float = -1e9
    worst_case: str = ""
    peak_kb: int = 0

    def over(self, name: str, seconds: float) -> None:
        if seconds > self.worst_over:
            self.worst_over, self.worst_case = seconds, name


def run_cli(
    args: list[str], cwd: Path, timeout: float
) -> tuple[int, list[tuple[float, str]], str, int]:
    """Run the CLI; (status, stdout lines with arrival times, stderr, peak RSS in kB).

    The peak is ``wait4``'s maximum resident set over the process and every
    child it waited for (the kernel's and the reader's forked children).
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "calcproof.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    lines: list[tuple[float, str]] = []
    pending, errors = b"", []
    open_fds = {out_fd, err_fd}
    while open_fds and time.perf_counter() < started + timeout:
        ready, _, _ = select.select(list(open_fds), [], [], 1.0)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.discard(fd)
            elif fd == err_fd:
                errors.append(chunk)
            else:
                *done, pending = (pending + chunk).split(b"\n")
                now = time.perf_counter() - started
                lines += [(now, line.decode(errors="replace")) for line in done]
    if pending:
        lines.append((time.perf_counter() - started, pending.decode(errors="replace")))
    if open_fds:  # hung past the outer limit: the missing lines are reported as failures
        proc.kill()
        errors.append(b"(killed: the run hung)")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    return proc.returncode, lines, b"".join(errors).decode(errors="replace"), usage.ru_maxrss


def check_batch(paths: list[Path], timeout: float, jobs: int, tally: Tally) -> None:
    """One ``check --json`` run over ``paths``; every property checked and tallied."""
    args = ["check", "--json", "--timeout", f"{timeout:g}", "--jobs", str(jobs), "--"]
    limit = STARTUP + sum(60 + 600 * timeout for _ in paths)
    code, lines, err, peak = run_cli(args + [p.name for p in paths], paths[0].parent, limit)
    tally.runs += 1
    tally.cases += len(paths)
    tally.peak_kb = max(tally.peak_kb, peak)
    label = f"check run {tally.runs}"
    if code not in (0, 1, 2, 3):
        tally.failures.append(f"{label}: exit status {code}")
    if "Traceback" in err:
        tally.failures.append(f"{label}: traceback: {err[-300:]}")
    if peak > MEMORY_LIMIT_KB:
        tally.failures.append(f"{label}: peak memory {peak // 1024} MB")
    if len(lines) != len(paths):
        tally.failures.append(f"{label}: {len(lines)} JSON lines for {len(paths)} files")
        return
    codes, previous = [], 0.0
    for index, ((at, line), path) in enumerate(zip(lines, paths, strict=True)):
        try:
            report = json.loads(line)
            summary = report["summary"]
            steps = len(report["steps"]) + summary["errors"]
            codes.append(exit_of(summary))
        except (ValueError, KeyError, TypeError) as exc:
            tally.failures.append(f"{label}: {path.name}: invalid JSON line ({exc})")
            continue
        budget = max(1, steps) * (timeout + SLACK) + (STARTUP if index == 0 else 0)
        elapsed, previous = at - previous, at
        tally.over(path.name, elapsed - budget)
        if elapsed > budget:
            tally.failures.append(f"{label}: {path.name}: {elapsed:.1f} s > {budget:.1f} s")
    expected = next((c for c in (2, 1, 3) if c in codes), 0)
    if code in (0, 1, 2, 3) and code != expected:
        tally.failures.append(f"{label}: exit {code} but the JSON says {expected}")


def exit_of(summary: dict[str, int]) -> int:
    if summary["errors"]:
        return 2
    if summary["refuted"]:
        return 1
    return 3 if summary["unknown"] else 0


def build_cases(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """Hostile ``build`` invocations: bad --out, bad --timeout, bad --dir."""
    afile = folder / "afile"
    afile.write_text("x")
    linked = folder / "linked"
    linked.mkdir()
    (linked / "figures").symlink_to(folder)
    broken = folder / "broken"
    broken.mkdir()
    (broken / "bad.py").write_text("DERIVATIONS = [\n")
    out = str(folder / "out")
    for name, args in [
        ("out is a file", ["--out", str(afile)]),
        ("out is /dev/null", ["--out", "/dev/null"]),
        ("out is empty", ["--out", ""]),
        ("out below a file", ["--out", str(afile / "sub")]),
        ("figures is a link", ["--out", str(linked)]),
        ("timeout inf", ["--out", out, "--timeout", "inf"]),
        ("timeout 1e308", ["--out", out, "--timeout", "1e308"]),
        ("timeout nan", ["--out", out, "--timeout", "nan"]),
        ("timeout text", ["--out", out, "--timeout", "soon"]),
        ("dir missing", ["--out", out, "--dir", str(folder / "nowhere")]),
        ("dir broken", ["--out", out, "--dir", str(broken)]),
        ("unknown sheet", ["--out", out, "no-such-sheet"]),
    ]:
        content = [] if "--dir" in args else ["--dir", str(ROOT / "derivations")]
        yield name, ["build", "--no-pdf", *content, *args]


def check_builds(folder: Path, tally: Tally) -> None:
    for name, args in build_cases(folder):
        code, _, err, peak = run_cli(args, folder, 300)
        tally.runs += 1
        tally.cases += 1
        tally.peak_kb = max(tally.peak_kb, peak)
        if code != 2 or "Traceback" in err or len(err.strip().splitlines()) > 6:
            tally.failures.append(f"build ({name}): exit {code}: {err.strip()[-300:]}")


def campaign(seed: int, count: int, timeout: float, jobs: int, say: Callable[[str], None]) -> Tally:
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="calcproof-campaign-") as scratch:
        folder = Path(scratch)
        paths = [materialise(case, folder) for case in corpus(seed, count)]
        for start in range(0, len(paths), BATCH):
            check_batch(paths[start : start + BATCH], timeout, jobs, tally)
            say(f"{tally.cases} cases, {len(tally.failures)} failures")
        check_builds(folder, tally)
        for path in paths:  # let the temporary folder be removed
            if not path.is_symlink() and path.exists() and stat.S_ISREG(path.stat().st_mode):
                path.chmod(0o644)
        if (folder / "pwned").exists():
            tally.failures.append("input executed code (pwned file created)")
    return tally


def reader_times() -> list[tuple[str, float, str]]:
    """Seconds for the document reader alone (in-process) on each fixed hostile shape."""
    sys.path.insert(0, str(ROOT / "src"))
    from calcproof.errors import InputError
    from calcproof.latex_input.document import read_document, read_text

    rows = []
    with tempfile.TemporaryDirectory(prefix="calcproof-campaign-") as scratch:
        for case in structured():
            path = materialise(case, Path(scratch))
            started = time.perf_counter()
            try:
                found = f"{len(read_document(str(path), read_text(str(path))).steps)} steps"
            except InputError as exc:
                found = exc.message[:60]
            rows.append((case.name, time.perf_counter() - started, found))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the full campaign (about 420 cases)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=None, help="mutated documents")
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--reader", action="store_true", help="time the document reader only")
    args = parser.parse_args()
    if args.reader:
        for name, seconds, found in reader_times():
            print(f"| {name} | {seconds:.3f} | {found} |")
        return 0
    count = args.cases if args.cases is not None else (360 if args.full else 24)
    started = time.perf_counter()
    tally = campaign(args.seed, count, args.timeout, args.jobs, lambda m: print(m, file=sys.stderr))
    print(f"cases: {tally.cases} in {tally.runs} runs ({time.perf_counter() - started:.0f} s)")
    print(f"failures: {len(tally.failures)}")
    for failure in tally.failures:
        print(f"  {failure}")
    print(f"worst time over budget: {tally.worst_over:+.2f} s ({tally.worst_case})")
    print(f"peak memory: {tally.peak_kb / 1024:.0f} MB")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
