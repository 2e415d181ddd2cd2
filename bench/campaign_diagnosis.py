"""Diagnosis campaign (issue 9): mutants of the shipped steps, diagnosed by the kernel.

Every non-definition step of ``derivations/`` is mutated by the operators of
``tests/mutants.py`` (kept only when the independent oracle confirms the mutant
false); step ``n`` starts with the ``n``-th operator, so that every operator is
reached.  Each mutant is checked with ``check_step`` (which diagnoses refuted
steps); per operator we report the share whose diagnosis kind matches the
operator, the share with a verified suggestion and the share with "no simple
diagnosis".  Writes the table to ``bench/RESULTS.md`` under
``## Diagnosis (issue 9)`` (replacing only its table) and the per-mutant records
to ``bench/campaign_results/diagnosis.json``.

    .venv/bin/python bench/campaign_diagnosis.py [--per-step 3] [--timeout 10] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutants import mutants  # noqa: E402

from calcproof.derivation import Derivation, Step  # noqa: E402
from calcproof.registry import load  # noqa: E402
from calcproof.relations import Definition  # noqa: E402
from calcproof.verify import check_step  # noqa: E402

EXPECTED: dict[str, set[str]] = {
    "removed_minus": {"negative multiplier", "wrong sign", "argmax to argmin without negating"},
    "flipped_sign": {"wrong sign", "negative multiplier", "argmax to argmin without negating"},
    "changed_constant": {"constant factor", "limit value"},
    "dropped_term": {"missing term", "dropped φ-term"},
    "dropped_phi_term": {"dropped φ-term", "missing term"},
    "duplicated_term": {"extra term", "constant factor"},
    "swapped_symbols": {"swapped symbols", "function replaced"},
    "changed_exponent": {"exponent", "non-monotone transform"},
    "changed_limit": {"limit point", "limit direction"},
    "changed_sum_bound": {"sum range"},
    "moved_out_of_sum": {"outside sum"},
    "added_term": {"extra term"},
    "scaled": {"constant factor"},
}
"""The diagnosis kinds that name each operator's slip (a term written twice is a constant
factor 2 as well; sig ↔ 1 − sig is a function replaced; |u| for u² is an exponent; the
sign of an objective flipped on an argmax → argmin step is argmax turned into argmin)."""

Record = dict[str, str]


@cache
def _derivations() -> dict[str, Derivation]:
    return {d.name: d for d in load(ROOT / "derivations").derivations}


def _steps() -> list[tuple[str, int]]:
    return [
        (name, number)
        for name, derivation in _derivations().items()
        for number, step in enumerate(derivation.steps, 1)
        if not isinstance(step.relation, Definition)
    ]


def _run(job: tuple[int, str, int], per_step: int, timeout: float, only: set[str]) -> list[Record]:
    """The mutants of one step, each checked with diagnosis on."""
    index, name, number = job
    derivation = _derivations()[name]
    step = derivation.steps[number - 1]
    found, _ = mutants(step, derivation.context, per_step, start=index)
    out = []
    for mutant in found:
        if only and mutant.operator not in only:
            continue
        claim = Step(mutant.step.relation, mutant.step.lhs, mutant.step.rhs, mutant.operator)
        started = time.perf_counter()
        verdict = check_step(claim, derivation.context, timeout, diagnose=True)
        found_kind = verdict.diagnosis.kind if verdict.diagnosis else ""
        out.append(
            {
                "step": f"{name}#{number}",
                "operator": mutant.operator,
                "status": verdict.status,
                "kind": found_kind,
                "match": str(found_kind in EXPECTED.get(mutant.operator, set())),
                "mutant": f"{claim.relation!r}: {claim.rhs}",
                "suggestion": verdict.diagnosis.suggestion if verdict.diagnosis else "",
                "seconds": f"{time.perf_counter() - started:.1f}",
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-step", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated operators (a partial run)")
    parser.add_argument("--every", type=int, default=1, help="every n-th step (a partial run)")
    parser.add_argument("--details", help="also write the per-mutant records to this file")
    args = parser.parse_args()
    only = {o for o in args.only.split(",") if o}
    jobs = [(k, name, number) for k, (name, number) in enumerate(_steps())][:: args.every]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        chunks = pool.starmap(_run, [(j, args.per_step, args.timeout, only) for j in jobs])
    records = [r for chunk in chunks for r in chunk]
    minutes = (time.perf_counter() - started) / 60
    table = _table(records, args, minutes)
    print(table)
    text = json.dumps(records, indent=1, ensure_ascii=False) + "\n"
    if args.details:
        Path(args.details).write_text(text, encoding="utf-8")
    if not args.no_write:
        (ROOT / "bench" / "campaign_results" / "diagnosis.json").write_text(text, encoding="utf-8")
        _write(table)


def _table(records: list[Record], args: argparse.Namespace, minutes: float) -> str:
    by_op: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_op[record["operator"]].append(record)
    rows = [
        "| operator | mutants | refuted | kind matches | verified suggestion "
        "| no simple diagnosis |",
        "|---|---|---|---|---|---|",
    ]
    total = [0, 0, 0, 0, 0]
    for operator in sorted(by_op):
        got = by_op[operator]
        refuted = [r for r in got if r["status"] == "refuted"]
        match = sum(1 for r in refuted if r["match"] == "True")
        shown = sum(1 for r in refuted if r["kind"])
        counts = [len(got), len(refuted), match, shown, len(refuted) - shown]
        total = [t + c for t, c in zip(total, counts, strict=True)]
        rows.append(_row(operator, counts))
    rows.append(_row("**all**", total))
    return (
        f"Mutants of every shipped step ({args.per_step} per step, budget {args.timeout:g} s, "
        f"{args.workers} workers, {minutes:.0f} min), each checked with `check_step` "
        "(diagnosis on). Shares are of the refuted mutants.\n\n"
        + "\n".join(rows)
        + "\n\nReproduce: `.venv/bin/python bench/campaign_diagnosis.py "
        f"--per-step {args.per_step} --timeout {args.timeout:g}`"
        " (records: `bench/campaign_results/diagnosis.json`)\n"
    )


def _row(name: str, counts: list[int]) -> str:
    n, refuted, match, shown, none = counts

    def share(k: int) -> str:
        return f"{100 * k / refuted:.0f} % ({k})" if refuted else "–"

    return f"| {name} | {n} | {refuted} | {share(match)} | {share(shown)} | {share(none)} |"


def _write(table: str) -> None:
    """Replace the table (up to the line after "Reproduce:") of the diagnosis section."""
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    head = "## Diagnosis (issue 9)"
    if head not in text:
        path.write_text(text.rstrip("\n") + f"\n\n{head}\n\n{table}", encoding="utf-8")
        return
    start = text.index(head) + len(head)
    end = text.find("\n## ", start)
    end = len(text) if end < 0 else end
    section = text[start:end]
    tail = section.split("Reproduce:", 1)[1].split("\n", 1)[1] if "Reproduce:" in section else ""
    path.write_text(text[: text.index(head)] + f"{head}\n\n{table}{tail}" + text[end:], "utf-8")


if __name__ == "__main__":
    main()
