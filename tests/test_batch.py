"""Batches of files: the same verdicts however they are run, and the run's summary."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from calcproof.cli import main
from calcproof.latex_input.checking import check_file
from calcproof.latex_input.run import check_files

FIXTURES = Path(__file__).parent / "fixtures"
MIXED = [
    str(FIXTURES / name)
    for name in (
        "udl_gaussian_right.md",  # verified
        "udl_wrong.tex",  # refuted, with diagnoses
        "ch5/poisson_wrong.md",
        "malformed/unbalanced_braces.tex",  # unreadable
        "ch5/mle_sigma_stationarity.tex",  # equations (⇔)
        "udl_gaussian_right.md",  # again, now on warm workers
    )
]


def test_verdicts_are_the_same_serial_parallel_and_on_fresh_workers() -> None:
    """Warm workers (serial pool or file workers) never change a report."""
    serial = list(check_files(MIXED, 10.0, "udl", 1))
    parallel = list(check_files(MIXED, 10.0, "udl", 2))
    fresh = [check_file(path, 10.0, "udl") for path in MIXED]  # new workers for each file
    assert [r.file for r in serial] == MIXED
    assert serial == parallel == fresh
    verdicts = {s.verdict for r in serial for s in r.steps}
    assert {"verified", "refuted"} <= verdicts and any(r.unreadable for r in serial)
    assert serial[0] == serial[-1]


def test_a_run_over_several_files_ends_with_a_summary_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["check", *MIXED[:3]])
    out = capsys.readouterr().out
    assert code == 1
    table = out[out.index("files   steps") :].splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in table[1:5]}
    assert rows["verified"][0] == "1" and rows["refuted"][0] == "2"
    assert rows["unknown"] == ["0", "0"] and rows["unreadable"] == ["0", "0"]
    assert table[5].startswith("3 files, ") and "steps/s" in table[5]


def test_json_lines_carry_no_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """With --json (and no terminal) stdout holds one JSON object per file and nothing else."""
    main(["check", "--json", "--jobs", "auto", *MIXED[:2]])
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["file"] for line in lines] == MIXED[:2]


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "must be at least 1, not 0"), ("many", "not a number of jobs or 'auto': 'many'")],
)
def test_bad_jobs_are_refused_by_name(
    capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["check", "--jobs", value, MIXED[0]])
    assert stopped.value.code == 2
    assert f"argument --jobs: {message}" in capsys.readouterr().err


def test_jobs_auto_is_the_usable_cores() -> None:
    from calcproof.commands.check import jobs

    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert jobs("auto") == expected
