"""Benchmark the kernel against the naive check ``sympy.simplify(lhs - rhs) == 0``.

Every ``=`` step of the registered derivations (``derivations/``, as ``calcproof
list`` loads them) and of the documents ``calcproof check`` reads among the
fixtures (``tests/fixtures/**/*.md`` and ``.tex``, read by calcproof's reader)
is decided twice, one after the other, in this one process:

- by the kernel, ``check_step(step, context, timeout)`` (no diagnosis), which
  answers verified, refuted (with a certificate) or unknown;
- by ``simplify(lhs - rhs) == 0`` on the same sides with their definitions
  unfolded (what the kernel is given), under the same budget
  (``calcproof.verify.budget.run_bounded``): true, false, timeout or error.

Both run in a forked child per step, so both times include one fork.  Reported:
the median time per step of each, the median of the per-step ratio kernel/simplify,
the totals, and the verdicts side by side.  ``simplify`` says nothing about a step
it cannot reduce to 0: "false" is not a refutation, only "not shown equal".

Usage: .venv/bin/python bench/bench_simplify.py [--timeout 10] [--runs 1]
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SUFFIXES = (".md", ".tex")
READ_SECONDS = 10.0


@dataclass(frozen=True)
class Case:
    """One ``=`` step: where it comes from, and the step with its context."""

    source: str
    name: str
    step: object
    context: object


@dataclass(frozen=True)
class Row:
    case: Case
    kernel: str
    kernel_seconds: float
    naive: str
    naive_seconds: float


def derivation_cases() -> Iterator[Case]:
    from calcproof.registry import load
    from calcproof.relations import Equal

    for derivation in load(ROOT / "derivations").derivations:
        for number, step in enumerate(derivation.steps, 1):
            if isinstance(step.relation, Equal):
                yield Case("derivations", f"{derivation.name}#{number}", step, derivation.context)


def fixture_cases() -> Iterator[Case]:
    from calcproof.errors import InputError
    from calcproof.latex_input.adapter import warm_up
    from calcproof.latex_input.checking import _claims
    from calcproof.latex_input.document import read_document
    from calcproof.latex_input.files import read_text
    from calcproof.relations import Equal

    warm_up(now=True)
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    for path in paths:
        try:
            document = read_document(str(path), read_text(str(path)), "udl")
        except InputError:
            continue  # an unreadable file has no steps
        found, _ = _claims(document, READ_SECONDS)
        for claim in found:
            if claim.step is not None and isinstance(claim.step.relation, Equal):
                name = f"{path.relative_to(ROOT).as_posix()}:{claim.raw.line}"
                yield Case("fixtures", name, claim.step, claim.context)


def naive(lhs: object, rhs: object) -> str:
    """``"true"`` when ``simplify(lhs - rhs) == 0``, else ``"false"`` (``"error"`` if it raises)."""
    from sympy import simplify

    try:
        return "true" if simplify(lhs - rhs) == 0 else "false"  # type: ignore[operator]
    except Exception as exc:  # the baseline failing is a result, not a crash
        return f"error ({type(exc).__name__})"


def warm_both() -> None:
    """Each method once in this process, so that the forked children do not pay SymPy's
    first-use imports and caches (as ``check`` does not: its parent is warmed too)."""
    from sympy import Symbol, exp, log

    from calcproof.derivation import Step
    from calcproof.relations import Equal
    from calcproof.verify import check_step

    x = Symbol("x", positive=True)
    lhs, rhs = log(exp(x) * x) + (x + 1) ** 2, x**2 + 2 * x + 1 + x + log(x)
    check_step(Step(Equal(), lhs, rhs, "warm-up"), None, None)
    naive(lhs, rhs)


def decide(case: Case, timeout: float) -> Row:
    from calcproof.verify import check_step
    from calcproof.verify.budget import run_bounded
    from calcproof.verify.normal import unfold

    started = time.perf_counter()
    verdict = check_step(case.step, case.context, timeout)  # type: ignore[arg-type]
    kernel_seconds = time.perf_counter() - started
    definitions = case.context.definitions  # type: ignore[attr-defined]
    lhs = unfold(case.step.lhs, definitions)  # type: ignore[attr-defined]
    rhs = unfold(case.step.rhs, definitions)  # type: ignore[attr-defined]
    started = time.perf_counter()
    outcome = run_bounded(lambda: naive(lhs, rhs), timeout)
    naive_seconds = time.perf_counter() - started
    if outcome.value is not None:
        answer = outcome.value
    else:
        answer = "timeout" if outcome.timed_out else "error (child)"
    return Row(case, verdict.status, kernel_seconds, answer, naive_seconds)


def summary(rows: list[Row], label: str) -> list[str]:
    if not rows:
        return [f"{label}: no steps"]
    kernel = [r.kernel_seconds for r in rows]
    simple = [r.naive_seconds for r in rows]
    ratios = [r.kernel_seconds / r.naive_seconds for r in rows if r.naive_seconds > 0]
    lines = [
        f"| {label} | {len(rows)} | {statistics.median(kernel) * 1000:.0f} ms | "
        f"{statistics.median(simple) * 1000:.0f} ms | {statistics.median(ratios):.2f} | "
        f"{sum(kernel):.1f} s | {sum(simple):.1f} s | {max(kernel):.2f} s | {max(simple):.2f} s |"
    ]
    return lines


def crosstab(rows: list[Row]) -> list[str]:
    naive_keys = ["true", "false", "timeout"]
    naive_keys += sorted({r.naive for r in rows} - set(naive_keys))
    counts = collections.Counter((r.kernel, r.naive) for r in rows)
    lines = [
        "| kernel \\ simplify | " + " | ".join(naive_keys) + " | all |",
        "|---|" + "---:|" * (len(naive_keys) + 1),
    ]
    for status in ("verified", "refuted", "unknown"):
        cells = [counts[(status, k)] for k in naive_keys]
        lines.append(f"| {status} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    totals = [sum(counts[(s, k)] for s in ("verified", "refuted", "unknown")) for k in naive_keys]
    lines.append("| all | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per step, each")
    parser.add_argument("--runs", type=int, default=1, help="ignored (one pass; for run.py)")
    parser.add_argument("--limit", type=int, default=None, help="first N steps only")
    parser.add_argument("--list", action="store_true", help="print every step's row too")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load:.2f} at start; timeout {args.timeout:g} s per step and method"
    )
    cases = [*derivation_cases(), *fixture_cases()][: args.limit]
    warm_both()
    rows: list[Row] = []
    for number, case in enumerate(cases, 1):
        row = decide(case, args.timeout)
        rows.append(row)
        if args.list:
            print(
                f"{number:3} {case.name}: kernel {row.kernel} {row.kernel_seconds:.3f} s, "
                f"simplify {row.naive} {row.naive_seconds:.3f} s",
                flush=True,
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end\n")
    print(
        "| steps | n | kernel median | simplify median | median ratio kernel/simplify | "
        "kernel total | simplify total | kernel max | simplify max |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for source in ("derivations", "fixtures"):
        print("\n".join(summary([r for r in rows if r.case.source == source], source)))
    print("\n".join(summary(rows, "all")))
    for source in ("derivations", "fixtures"):
        print(f"\n{source}:\n")
        print("\n".join(crosstab([r for r in rows if r.case.source == source])))
    print("\nall:\n")
    print("\n".join(crosstab(rows)))
    missed = [r for r in rows if r.kernel == "verified" and r.naive != "true"]
    wrong = [r for r in rows if r.kernel == "refuted" and r.naive == "true"]
    print(f"\nverified by the kernel, not shown equal by simplify: {len(missed)}")
    for r in missed:
        print(f"  {r.case.name}: simplify {r.naive} ({r.naive_seconds:.2f} s)")
    print(f"refuted by the kernel (certificate), simplify says equal: {len(wrong)}")
    for r in wrong:
        print(f"  {r.case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
