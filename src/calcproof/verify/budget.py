"""Run a computation under a wall-clock budget that no input can exceed.

SymPy cannot be interrupted safely from another thread, so the work runs in a
forked child process that is killed when its time is up.  The child sends its
result back pickled through a pipe.  Where ``fork`` is unavailable the work
runs in-process without a bound (and says so in the result's note).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MEMORY_LIMIT_BYTES = 6 * 1024**3
"""Address-space cap for a child, so that a runaway expansion fails instead of swapping."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """``value`` when the work finished; otherwise ``error`` says why not."""

    value: T | None
    error: str | None
    seconds: float
    timed_out: bool = False


def run_bounded(work: Callable[[], T], seconds: float | None) -> Outcome[T]:
    """Run ``work()`` and return its value, or an error after ``seconds``.

    ``seconds=None`` runs in-process, unbounded (for debugging and profiling).
    """
    start = time.perf_counter()
    if seconds is None or not hasattr(os, "fork"):
        try:
            return Outcome(work(), None, time.perf_counter() - start)
        except Exception as exc:  # the kernel turns any failure into "unknown"
            return Outcome(None, f"{type(exc).__name__}: {exc}", time.perf_counter() - start)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        _child(work, write_end)
    os.close(write_end)
    try:
        payload = _read_until(read_end, start + seconds)
    finally:
        os.close(read_end)
        _reap(pid)
    elapsed = time.perf_counter() - start
    if payload is None:
        return Outcome(None, f"time budget of {seconds:g} s exhausted", elapsed, timed_out=True)
    if not payload:
        return Outcome(None, "the check process died (out of memory?)", elapsed)
    try:
        ok, value = pickle.loads(payload)
    except Exception as exc:
        return Outcome(None, f"the check process failed ({type(exc).__name__})", elapsed)
    return Outcome(value, None, elapsed) if ok else Outcome(None, str(value), elapsed)


def _child(work: Callable[[], object], write_end: int) -> None:  # pragma: no cover - in child
    code = 0
    try:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        except (ImportError, ValueError, OSError):
            pass
        try:
            data = pickle.dumps((True, work()))
        except BaseException as exc:
            data = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _read_until(fd: int, deadline: float) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
