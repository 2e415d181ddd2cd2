"""Checking several files, serially or in worker processes, with identical results."""

from __future__ import annotations

import multiprocessing
from functools import partial

from calcproof.latex_input.adapter import warm_up
from calcproof.latex_input.checking import check_file
from calcproof.report import FileReport


def check_files(paths: list[str], timeout: float, notation: str, jobs: int) -> list[FileReport]:
    """Reports in the order of ``paths``; ``jobs > 1`` checks files in forked workers."""
    warm_up()
    work = partial(check_file, timeout=timeout, notation=notation)
    if jobs == 1 or len(paths) == 1:
        return [work(p) for p in paths]
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        return pool.map(work, paths, chunksize=1)
