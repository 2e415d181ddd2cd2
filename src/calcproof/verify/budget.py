"""Run computations under a wall-clock budget that no input can exceed.

SymPy cannot be interrupted safely from another thread, so the work runs in a
forked child process that is killed when its time is up.  The child sends its
result back pickled through a pipe.  Where ``fork`` is unavailable the work
runs in-process without a bound (and says so in the result's note).

:func:`run_bounded` runs one computation under one budget in a fresh child;
:class:`calcproof.verify.workers.Worker` keeps a child for many computations,
each under its own budget, with the helpers defined here.

Children never print tracebacks and never outlive their parent's clean-up: on
any exception in the parent (Ctrl-C, SIGTERM turned into an exception by the
CLI) every child is killed and reaped before the exception goes on.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")

MEMORY_LIMIT_BYTES = 6 * 1024**3
"""Address-space cap for a child, so that a runaway expansion fails instead of swapping."""
LONGEST_WAIT = 3600.0
"""Longest single ``select`` wait (larger values overflow the OS's timers); loops go on."""
GRACE_SECONDS = 1.0
"""Time a worker gets to clean up after SIGTERM before it (and its group) is killed."""
_FRAME = struct.Struct("!Q")


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
    pid, read_end = _spawn(lambda: _send(write_end_of_child(), (True, work())))
    try:
        payload = _read_until(read_end, start + seconds)
    finally:
        os.close(read_end)
        _reap(pid)
    elapsed = time.perf_counter() - start
    if payload is None:
        return Outcome(None, f"time budget of {seconds:g} s exhausted", elapsed, timed_out=True)
    return _decode(payload, elapsed)


_CHILD_PIPE: list[int] = []
"""The write end of the pipe to the parent, in a child (set by :func:`_spawn`)."""


def write_end_of_child() -> int:
    """The file descriptor a child writes its result to."""
    return _CHILD_PIPE[0]


_STOPPING = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
"""Signals held back while forking, so that neither side is interrupted half set up."""


def _spawn(body: Callable[[], None], group: bool = False) -> tuple[int, int]:
    """Fork a child that runs ``body`` and exits; the parent gets (pid, read end of its pipe).

    Stopping signals are blocked across the fork: the child sets its own
    handlers before it takes them, and a signal for the parent is delivered only
    once the child is known, so that the parent's clean-up can kill it.
    """
    read_end, write_end = os.pipe()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # pragma: no cover - in the child
        try:
            os.close(read_end)
            _CHILD_PIPE[:] = [write_end]
            _child(body, group, mask)
        finally:
            os._exit(1)
    os.close(write_end)
    if group:
        with contextlib.suppress(OSError):  # here too, so that the group exists before any kill
            os.setpgid(pid, pid)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending signal is raised here
    except BaseException:
        os.close(read_end)
        if group:
            _stop_group(pid)
        else:
            _reap(pid)
        raise
    return pid, read_end


def _child(
    body: Callable[[], None], group: bool, mask: set[int | signal.Signals]
) -> None:  # pragma: no cover - in child
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        signal.signal(signal.SIGTERM, _quit if group else signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        if group:
            os.setpgid(0, 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        except (ImportError, ValueError, OSError):
            pass
        try:
            body()
        except BaseException as exc:
            _send(write_end_of_child(), (False, f"{type(exc).__name__}: {exc}"))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _quit(signum: int, frame: object) -> None:  # pragma: no cover - in child
    raise SystemExit(128 + signum)


def _send(fd: int, result: tuple[bool, object]) -> None:  # pragma: no cover - in child
    """Write one pickled result and close the pipe (so the parent sees the end)."""
    data = _pickled(result)
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def _pickled(result: tuple[bool, object]) -> bytes:  # pragma: no cover - in child
    try:
        return pickle.dumps(result)
    except Exception as exc:
        return pickle.dumps((False, f"the result cannot be sent back ({type(exc).__name__})"))


def _decode(payload: bytes, elapsed: float) -> Outcome[T]:
    if not payload:
        return Outcome(None, "the check process died (out of memory?)", elapsed)
    try:
        ok, value = pickle.loads(payload)
    except Exception as exc:
        return Outcome(None, f"the check process failed ({type(exc).__name__})", elapsed)
    return Outcome(value, None, elapsed) if ok else Outcome(None, str(value), elapsed)


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes before it closes the pipe, or ``None`` at the deadline."""
    chunks: list[bytes] = []
    while True:
        chunk = _read_chunk(fd, deadline)
        if not chunk:
            return None if chunk is None else b"".join(chunks)
        chunks.append(chunk)


def _read_frame(fd: int, buffer: bytearray, deadline: float) -> bytes | None:
    """The next frame; ``b""`` when the child closed the pipe; ``None`` at the deadline."""
    while True:
        if len(buffer) >= _FRAME.size:
            (size,) = _FRAME.unpack_from(buffer)
            if len(buffer) >= _FRAME.size + size:
                frame = bytes(buffer[_FRAME.size : _FRAME.size + size])
                del buffer[: _FRAME.size + size]
                return frame
        chunk = _read_chunk(fd, deadline)
        if not chunk:
            return chunk
        buffer += chunk


def _read_chunk(fd: int, deadline: float) -> bytes | None:
    """What the child writes next (``b""`` once it closed the pipe), or ``None`` at the deadline."""
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], min(remaining, LONGEST_WAIT))
        if ready:
            return os.read(fd, 1 << 16)


def _reap(pid: int) -> None:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _stop_group(pid: int) -> None:
    """Ask a worker to clean up (SIGTERM), then kill its process group and reap it."""
    deadline = time.perf_counter() + GRACE_SECONDS
    try:
        os.kill(pid, signal.SIGTERM)
        while time.perf_counter() < deadline and os.waitpid(pid, os.WNOHANG)[0] == 0:
            time.sleep(0.01)
    except (ChildProcessError, ProcessLookupError):
        pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    _reap(pid)


INTERRUPTED: list[str] = []
"""What :func:`alarm` interrupted in this process (a persistent worker then retires)."""


@contextmanager
def alarm(seconds: float | None, raised: type[BaseException]) -> Iterator[None]:
    """Raise ``raised`` in this process after ``seconds`` of wall time (``None``: never).

    For a share of a budget inside a child that :func:`run_bounded` already bounds
    as a whole (the proof search's share, a diagnosis candidate's share).
    """
    if seconds is None or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: object) -> None:
        INTERRUPTED.append(raised.__name__)
        raise raised

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
