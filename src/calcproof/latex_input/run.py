"""Checking several files, serially or in worker processes, with identical results."""

from __future__ import annotations

import multiprocessing
import os
from functools import partial

from calcproof.latex_input.checking import check_file
from calcproof.report import FileReport

STEP_WORKERS = 2
"""Processes that check the steps of one file when files are checked one at a time."""


def check_files(paths: list[str], timeout: float, notation: str, jobs: int) -> list[FileReport]:
    """Reports in the order of ``paths``; ``jobs > 1`` checks files in forked workers.

    Files checked one at a time have their steps checked by up to
    :data:`STEP_WORKERS` processes instead (when the machine has the cores).
    """
    if jobs == 1 or len(paths) == 1:
        workers = min(STEP_WORKERS, os.cpu_count() or 1)
        return [check_file(p, timeout, notation, workers) for p in paths]
    work = partial(check_file, timeout=timeout, notation=notation)
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        return pool.map(work, paths, chunksize=1)
