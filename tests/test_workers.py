"""Persistent workers (`calcproof.verify.workers`): warm between calls, bounded per call."""

from __future__ import annotations

import os
import time
from contextlib import closing

import pytest

from calcproof.verify import budget
from calcproof.verify.workers import Worker, worker_map

CALLS: list[int] = []
"""Calls made in this process (so a test can tell whether two calls shared a process)."""


def count_call() -> tuple[int, int]:
    CALLS.append(1)
    return os.getpid(), len(CALLS)


def sleep_then(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def die() -> None:
    os._exit(9)


def interrupted() -> str:
    class Rang(Exception):
        pass

    try:
        with budget.alarm(0.05, Rang):
            time.sleep(5)
    except Rang:
        return "rang"
    return "quiet"


def square(k: int) -> int:
    if k == 3:
        os._exit(9)
    if k == 5:
        time.sleep(30)
    return k * k


def fail() -> None:
    raise ValueError("no good")


def alive(pid: int) -> bool:
    """The process runs (a zombie, killed but not yet reaped by its new parent, does not)."""
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def test_calls_share_one_process_and_its_state() -> None:
    with closing(Worker()) as worker:
        first = worker.call(count_call, seconds=10).value
        second = worker.call(count_call, seconds=10).value
    assert first is not None and second is not None
    assert first[0] == second[0] != os.getpid()
    assert second[1] == first[1] + 1  # the module state of the first call is still there
    assert worker.started == 1


def test_an_overrun_costs_the_process_and_the_next_call_starts_afresh() -> None:
    with closing(Worker()) as worker:
        pid = worker.call(count_call, seconds=10).value[0]  # type: ignore[index]
        started = time.perf_counter()
        slow = worker.call(sleep_then, 30, 1, seconds=0.5)
        assert time.perf_counter() - started < 5
        assert slow.timed_out and slow.value is None and "0.5 s" in (slow.error or "")
        assert not alive(pid)
        after = worker.call(count_call, seconds=10).value
        assert after is not None and after[0] != pid and after[1] == len(CALLS) + 1
        assert worker.started == 2


def test_a_dying_call_is_an_error_for_that_call_only() -> None:
    with closing(Worker()) as worker:
        dead = worker.call(die, seconds=10)
        assert dead.value is None and "died" in (dead.error or "")
        assert worker.call(sleep_then, 0, 7, seconds=10).value == 7


def test_an_exception_is_reported_and_the_worker_stays() -> None:
    with closing(Worker()) as worker:
        failed = worker.call(fail, seconds=10)
        assert failed.value is None and failed.error == "ValueError: no good"
        assert worker.call(count_call, seconds=10).value is not None
        assert worker.started == 1


def test_a_worker_interrupted_from_inside_retires_after_answering() -> None:
    """After an alarm rang inside a call, the next call runs in a fresh process."""
    with closing(Worker()) as worker:
        assert worker.call(interrupted, seconds=10).value == "rang"
        assert worker.call(count_call, seconds=10).value is not None
        assert worker.started == 2


def test_a_call_that_cannot_cross_runs_in_a_fresh_child() -> None:
    """A lambda cannot be pickled into the worker: it still runs, within its budget."""
    with closing(Worker()) as worker:
        assert worker.call(lambda: 6 * 7, seconds=10).value == 42
        slow = worker.call(lambda: time.sleep(30), seconds=0.5)
        assert slow.timed_out


def test_closing_kills_the_process() -> None:
    worker = Worker()
    pid = worker.call(count_call, seconds=10).value[0]  # type: ignore[index]
    worker.close()
    assert not alive(pid)


def test_worker_map_keeps_order_and_each_budget() -> None:
    """Results in order; a dying item and an overrunning one fail alone."""
    workers = [Worker(), Worker()]
    items = [(k,) for k in range(1, 8)]
    started = time.perf_counter()
    try:
        outcomes = list(worker_map(square, items, workers, [2.0] * len(items)))
    finally:
        for worker in workers:
            worker.close()
    assert time.perf_counter() - started < 15
    assert [o.value for o in outcomes] == [1, 4, None, 16, None, 36, 49]
    assert "died" in (outcomes[2].error or "") and outcomes[4].timed_out


def test_worker_map_without_budgets_waits_for_every_item() -> None:
    workers = [Worker()]
    try:
        values = [o.value for o in worker_map(sleep_then, [(0.2, 1), (0.2, 2)], workers)]
    finally:
        workers[0].close()
    assert values == [1, 2]


def test_closing_worker_map_early_kills_the_busy_workers() -> None:
    workers = [Worker(), Worker()]
    pids = [w.call(count_call, seconds=10).value[0] for w in workers]  # type: ignore[index]
    outcomes = worker_map(sleep_then, [(0, 1), (30, 2), (30, 3)], workers)
    assert next(outcomes).value == 1
    outcomes.close()
    time.sleep(0.2)
    assert [alive(p) for p in pids] == [False, False] or not any(alive(p) for p in pids[1:])
    for worker in workers:
        worker.close()
    assert not any(alive(p) for p in pids)


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="Linux /proc")
def test_a_worker_does_not_outlive_a_killed_parent(tmp_path) -> None:
    """The parent is SIGKILLed (no clean-up at all): its worker goes too."""
    import subprocess
    import sys

    script = tmp_path / "parent.py"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {root!r})\n"
        "from calcproof.verify.workers import Worker\n"
        "import tests.test_workers as t\n"
        "w = Worker()\n"
        "print(w.call(t.count_call, seconds=10).value[0], flush=True)\n"
        "import signal\n"
        "w.call(signal.pause, seconds=120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=root
    )
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.perf_counter() + 5
    while alive(pid) and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not alive(pid)


# --- the kernel in a worker: what a worker remembers never changes a verdict ---------


def _sqrt_step(**assumptions: bool):  # type: ignore[no-untyped-def]
    from sympy import Symbol, sqrt

    from calcproof.derivation import Step
    from calcproof.relations import Equal

    t = Symbol("t", **assumptions)
    return Step(Equal(), sqrt(t**2), t, "claim")


def test_a_remembered_verdict_is_only_reused_for_the_same_step_and_assumptions() -> None:
    """√(t²) = t is verified for positive t; for a real t (same text) it must be refuted,
    also in the same worker right after; asking again gives the same verdicts."""
    from calcproof.derivation import Context
    from calcproof.verify import check_step

    with closing(Worker()) as worker:
        positive = [check_step(_sqrt_step(positive=True), Context(), 10, worker=worker)]
        real = [check_step(_sqrt_step(real=True), Context(), 10, worker=worker)]
        positive.append(check_step(_sqrt_step(positive=True), Context(), 10, worker=worker))
        real.append(check_step(_sqrt_step(real=True), Context(), 10, worker=worker))
        assert worker.started == 1
    assert [v.status for v in positive] == ["verified", "verified"]
    assert [v.status for v in real] == ["refuted", "refuted"]
    assert positive[0].message == positive[1].message and real[0].message == real[1].message


def remembered_after_interruption() -> tuple[str, int]:
    """In a worker: decide a step whose proof search is cut short; is it remembered?"""
    from sympy import Symbol, sqrt

    from calcproof import verify
    from calcproof.derivation import Context, Step
    from calcproof.relations import Equal

    t = Symbol("t", real=True)
    step = Step(Equal(), sqrt(t**2), t, "claim")
    before = len(verify._DECIDED)
    verdict = verify._remembered(step, Context(), 1e-9)  # the proof share rings at once
    return verdict.status, len(verify._DECIDED) - before


def test_a_verdict_reached_after_an_interruption_is_not_remembered() -> None:
    with closing(Worker()) as worker:
        outcome = worker.call(remembered_after_interruption, seconds=30)
    assert outcome.value is not None
    status, kept = outcome.value
    assert status == "refuted" and kept == 0


KEPT: list[bytearray] = []


def grow(megabytes: int) -> int:
    KEPT.append(bytearray(megabytes * 1024**2))  # written: resident, not just reserved
    return os.getpid()


def test_a_worker_that_grew_too_much_retires_but_a_large_parent_does_not_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from calcproof.verify import workers

    monkeypatch.setattr(workers, "RECYCLE_GROWTH", 20 * 1024**2)
    ballast = bytearray(60 * 1024**2)  # the parent is large: a worker starts large too
    with closing(Worker()) as worker:
        small = [worker.call(grow, 1, seconds=10).value for _ in range(2)]
        assert small[0] == small[1] and worker.started == 1
        worker.call(grow, 40, seconds=10)  # grows past the limit: it answers, then retires
        after = worker.call(grow, 1, seconds=10).value
        assert after is not None and after != small[0] and worker.started == 2
    del ballast


def deaf_sleep() -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as a busy C routine would be
    time.sleep(30)


def test_an_overrunning_worker_is_killed_at_once_not_after_a_grace() -> None:
    """The budget is the bound: no second of grace for a worker that does not listen."""
    with closing(Worker()) as worker:
        worker.call(count_call, seconds=10)  # started, so only the call is timed
        started = time.perf_counter()
        assert worker.call(deaf_sleep, seconds=0.3).timed_out
        assert time.perf_counter() - started < 0.3 + 0.6
