"""Persistent worker processes: calls one after another, each within its own budget.

:func:`calcproof.verify.budget.run_bounded` forks a fresh child for every
computation, so whatever the child warms up — SymPy's caches, the LaTeX
parser's prediction tables — is thrown away with it; on a batch of documents
that is most of the time spent.  A :class:`Worker` is a forked child that
stays: it takes calls (a module-level function and its arguments, pickled)
one at a time and sends each result back, and the parent waits for each result
only until that call's budget is spent.  The guarantees of ``run_bounded``
hold call by call:

- a call that overruns its budget, or kills the process (memory, a crash),
  costs the process: it is killed with its process group, the call's outcome
  says why, and the next call starts a fresh worker (forked from the parent
  again, so nothing of the failed call carries over);
- a worker whose call was interrupted from inside (a share of the budget ran out
  under :func:`~calcproof.verify.budget.alarm`) retires after sending that
  result, so no later call runs on state an interruption may have left half made;
- a worker whose resident memory has grown by more than :data:`RECYCLE_GROWTH`
  since it started retires too (caches are bounded, but an expression may not be);
- a call whose function or arguments cannot cross into the worker (a class made
  at run time, after the worker was forked) runs in a fresh child instead, so
  the verdict never depends on which way it ran.

:func:`worker_map` spreads items over several workers.  Workers are closed
(killed and reaped) by :meth:`Worker.close`, and on any exception in the parent.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable, Generator, Sequence
from functools import partial
from typing import Any, TypeVar

from calcproof.verify import budget
from calcproof.verify.budget import Outcome

T = TypeVar("T")

RECYCLE_GROWTH = 160 * 1024**2
"""A worker whose resident memory grew by more than this since it was forked retires after
its current call (forked from the CLI, of about 95 MB, a worker so stays under 300 MB)."""
UNLOADABLE = "the call cannot be loaded in the worker"
"""The worker's answer to a request it cannot unpickle (the parent then forks instead)."""

_REQUEST_ENDS: set[int] = set()
"""Write ends of the live workers' request pipes, closed in every new child."""


class Worker:
    """One persistent child process; see the module docstring.  Use it in ``closing``."""

    def __init__(self) -> None:
        self._pid: int | None = None
        self._requests = -1
        self._replies = -1
        self._buffer = bytearray()
        self.started = 0
        """Processes started so far (a measure of how often a call cost the worker)."""

    @property
    def reply_end(self) -> int:
        return self._replies

    def call(self, work: Callable[..., T], *args: Any, seconds: float | None) -> Outcome[T]:
        """``work(*args)`` in the worker within ``seconds`` (``None``: in this process)."""
        start = time.perf_counter()
        if seconds is None or not hasattr(os, "fork"):
            return budget.run_bounded(partial(work, *args), None)
        if not self.send(work, args):
            return _in_child(work, args, seconds)
        return self.receive(start + seconds, start, partial(work, *args))

    def send(self, work: Callable[..., Any], args: tuple[Any, ...]) -> bool:
        """Hand the worker a call; ``False`` when it cannot be pickled (run it elsewhere)."""
        try:
            request = pickle.dumps((work, args))
        except Exception:
            return False
        for _ in range(2):  # a worker that died while idle is replaced once
            self._start()
            try:
                _write_all(self._requests, budget._FRAME.pack(len(request)) + request)
                return True
            except OSError:
                self.close()
        return False

    def receive(
        self, deadline: float, start: float, again: Callable[[], T] | None = None
    ) -> Outcome[T]:
        """The outcome of the call sent last, waiting until ``deadline`` at most.

        ``again`` reruns the call in a fresh child if the worker could not load it.
        """
        frame = budget._read_frame(self._replies, self._buffer, deadline)
        elapsed = time.perf_counter() - start
        if frame is None:
            self.close(grace=False)  # it is busy: no clean-up to wait for
            allowed = deadline - start
            error = f"time budget of {allowed:g} s exhausted"
            return Outcome(None, error, elapsed, timed_out=True)
        if not frame:
            self.close()
            return Outcome(None, "the check process died (out of memory?)", elapsed)
        try:
            ok, value, retire = pickle.loads(frame)
        except Exception as exc:
            self.close()
            return Outcome(None, f"the check process failed ({type(exc).__name__})", elapsed)
        if retire:
            self.close()
        if not ok and value == UNLOADABLE and again is not None:
            left = deadline - time.perf_counter()
            return budget.run_bounded(again, max(left, 0.01))
        return Outcome(value, None, elapsed) if ok else Outcome(None, str(value), elapsed)

    def close(self, grace: bool = True) -> None:
        """Kill the process (and its group) and reap it; the next call starts a new one.

        With ``grace`` it is first asked to stop (SIGTERM, up to a second), so that
        it can stop what it started; without, it is killed at once."""
        if self._pid is None:
            return
        _REQUEST_ENDS.discard(self._requests)
        for fd in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        pid, self._pid = self._pid, None
        self._buffer.clear()
        if grace:
            budget._stop_group(pid)
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            budget._reap(pid)

    def _start(self) -> None:
        if self._pid is not None:
            return
        requests_in, requests_out = os.pipe()
        inherited = set(_REQUEST_ENDS)

        def body() -> None:  # pragma: no cover - in the child
            _die_with_parent()
            os.close(requests_out)
            for fd in inherited:  # so that each worker sees its own parent's exit as EOF
                with contextlib.suppress(OSError):
                    os.close(fd)
            _REQUEST_ENDS.clear()  # those numbers are free for reuse in this process
            _serve(requests_in, budget.write_end_of_child())

        try:
            self._pid, self._replies = budget._spawn(body, group=True)
        finally:
            os.close(requests_in)
        self._requests = requests_out
        _REQUEST_ENDS.add(requests_out)
        self.started += 1


def _die_with_parent() -> None:  # pragma: no cover - in the child
    """On Linux, ask for SIGKILL when the parent dies (its clean-up may have been cut short)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _serve(requests: int, replies: int) -> None:  # pragma: no cover - in the child
    """The worker's loop: read a call, run it, send (ok, value, retire), until EOF or retiring."""
    start = _resident_bytes()
    with os.fdopen(requests, "rb") as inbox, os.fdopen(replies, "wb", buffering=0) as outbox:
        while True:
            header = inbox.read(budget._FRAME.size)
            if len(header) < budget._FRAME.size:
                return
            (size,) = budget._FRAME.unpack(header)
            data = inbox.read(size)
            budget.INTERRUPTED.clear()
            try:
                work, args = pickle.loads(data)
            except Exception:
                result: tuple[bool, object] = (False, UNLOADABLE)
            else:
                try:
                    result = (True, work(*args))
                except Exception as exc:
                    result = (False, f"{type(exc).__name__}: {exc}")
            retire = bool(budget.INTERRUPTED) or _resident_bytes() - start > RECYCLE_GROWTH
            try:
                payload = pickle.dumps((*result, retire))
            except Exception as exc:
                why = f"the result cannot be sent back ({type(exc).__name__})"
                payload = pickle.dumps((False, why, retire))
            outbox.write(budget._FRAME.pack(len(payload)) + payload)
            if retire:
                return


def _resident_bytes() -> int:  # pragma: no cover - in the child
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker_map(
    work: Callable[..., T],
    items: Sequence[tuple[Any, ...]],
    workers: Sequence[Worker],
    seconds: Sequence[float | None] | None = None,
) -> Generator[Outcome[T], None, None]:
    """``work(*item)`` for each item on the first free worker; outcomes in the order of items.

    ``seconds[i]`` is item ``i``'s budget, counted from when it is handed to a
    worker (``None`` or no ``seconds``: unbounded, for items that bound
    themselves).  Closing the generator, or an exception, closes the busy workers.
    """
    limits = [math.inf if b is None else b for b in (seconds or [None] * len(items))]
    busy: dict[int, tuple[int, float]] = {}  # worker position -> (item, start)
    finished: dict[int, Outcome[T]] = {}
    handed = 0
    try:
        for index in range(len(items)):
            while index not in finished:
                for position, worker in enumerate(workers):
                    if handed < len(items) and position not in busy:
                        if worker.send(work, items[handed]):
                            busy[position] = (handed, time.perf_counter())
                        else:  # it cannot cross: a fresh child, at once
                            finished[handed] = _in_child(work, items[handed], limits[handed])
                        handed += 1
                _wait(workers, busy, limits, finished, work, items)
            yield finished.pop(index)
    finally:
        for position in busy:
            workers[position].close()


def _in_child(work: Callable[..., T], item: tuple[Any, ...], seconds: float) -> Outcome[T]:
    return budget.run_bounded(lambda: work(*item), seconds)


def _wait(
    workers: Sequence[Worker],
    busy: dict[int, tuple[int, float]],
    limits: Sequence[float],
    finished: dict[int, Outcome[T]],
    work: Callable[..., T],
    items: Sequence[tuple[Any, ...]],
) -> None:
    """Wait for the next result of a busy worker, or the next deadline, and record it."""
    if not busy:
        return
    deadlines = {p: start + limits[i] for p, (i, start) in busy.items()}
    wait = max(min(deadlines.values()) - time.perf_counter(), 0.0)
    ends = {workers[p].reply_end: p for p in busy}
    ready, _, _ = select.select(list(ends), [], [], min(wait, budget.LONGEST_WAIT))
    now = time.perf_counter()
    for position in {ends[fd] for fd in ready} | {p for p, d in deadlines.items() if d <= now}:
        index, start = busy.pop(position)
        item = items[index]
        finished[index] = workers[position].receive(
            deadlines[position], start, partial(work, *item)
        )
