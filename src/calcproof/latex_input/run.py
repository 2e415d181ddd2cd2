"""Checking several files, serially or in worker processes, with identical results.

Files checked one at a time share a pool of :data:`STEP_WORKERS` persistent
workers (:class:`~calcproof.verify.workers.Worker`), so the parser's tables and
SymPy's caches stay warm from one file to the next.  With ``jobs > 1`` each of
``jobs`` persistent *file workers* checks whole files, each with a step worker
of its own; files go to whichever file worker is free, and reports come back in
the order of the paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from contextlib import closing

from calcproof.latex_input.adapter import warm_up
from calcproof.latex_input.checking import Progress, check_file
from calcproof.report import FileReport, ReadError
from calcproof.verify.workers import Worker, worker_map

STEP_WORKERS = 2
"""Processes that check the steps of one file when files are checked one at a time."""


def check_files(
    paths: list[str],
    timeout: float,
    notation: str,
    jobs: int,
    progress: Callable[[str], Progress] | None = None,
) -> Generator[FileReport, None, None]:
    """Reports in the order of ``paths``, each as soon as it (and those before it) is done.

    ``jobs > 1`` checks files in that many file workers.  Files checked one at a
    time have their steps checked by up to :data:`STEP_WORKERS` processes
    instead (when the machine has the cores); ``progress(path)`` then gives the
    callback told of each step of that file.
    """
    parallel = jobs > 1 and len(paths) > 1
    warm_up(now=parallel)  # before forking: file workers start with the parser's tables
    if not parallel:
        pool = [Worker() for _ in range(min(STEP_WORKERS, os.cpu_count() or 1))]
        try:
            for path in paths:
                told = progress(path) if progress is not None else None
                yield check_file(path, timeout, notation, progress=told, pool=pool)
        finally:
            for worker in pool:
                worker.close()
        return
    files = [Worker() for _ in range(min(jobs, len(paths)))]
    items = [(path, timeout, notation) for path in paths]
    try:
        with closing(worker_map(_check_in_file_worker, items, files)) as outcomes:
            for path, outcome in zip(paths, outcomes, strict=True):
                if outcome.value is not None:
                    yield outcome.value
                else:
                    failed = ReadError(None, f"checking this file failed ({outcome.error})")
                    yield FileReport(path, (), (failed,), True)
    finally:
        for worker in files:
            worker.close()


_STEP_WORKER: list[Worker] = []
"""In a file worker: its step worker, kept from one file to the next."""


def _check_in_file_worker(path: str, timeout: float, notation: str) -> FileReport:
    """In a file worker: check one file with this worker's own (persistent) step worker."""
    if not _STEP_WORKER:
        _STEP_WORKER.append(Worker())
    try:
        return check_file(path, timeout, notation, pool=_STEP_WORKER)
    except BaseException:  # stopped (SIGTERM from the parent): take the step worker along
        _STEP_WORKER[0].close()
        raise
