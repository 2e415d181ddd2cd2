"""Checking several files, serially or in worker processes, with identical results."""

from __future__ import annotations

import os
from collections.abc import Generator
from contextlib import closing
from functools import partial

from calcproof.latex_input.adapter import warm_up
from calcproof.latex_input.checking import check_file
from calcproof.report import FileReport, ReadError
from calcproof.verify.budget import fork_map

STEP_WORKERS = 2
"""Processes that check the steps of one file when files are checked one at a time."""


def check_files(
    paths: list[str], timeout: float, notation: str, jobs: int
) -> Generator[FileReport, None, None]:
    """Reports in the order of ``paths``, each as soon as it (and those before it) is done.

    ``jobs > 1`` checks files in forked workers.  Files checked one at a time
    have their steps checked by up to :data:`STEP_WORKERS` processes instead
    (when the machine has the cores).
    """
    if jobs == 1 or len(paths) == 1:
        workers = min(STEP_WORKERS, os.cpu_count() or 1)
        for path in paths:
            yield check_file(path, timeout, notation, workers)
        return
    warm_up()  # once, before forking, so that the workers share the parser's tables
    work = partial(check_file, timeout=timeout, notation=notation)
    with closing(fork_map(work, paths, min(jobs, len(paths)))) as outcomes:
        for path, outcome in zip(paths, outcomes, strict=True):
            if outcome.value is not None:
                yield outcome.value
            else:
                failed = ReadError(None, f"checking this file failed ({outcome.error})")
                yield FileReport(path, (), (failed,), True)
