"""Diagnosis campaign (issue 9): mutants of the shipped steps, diagnosed by the kernel.

Every non-definition step of ``derivations/`` is mutated by the operators of
``tests/mutants.py`` (kept only when the independent oracle confirms the mutant
false).  Each mutant is checked with ``check_step`` (which diagnoses refuted
steps); per operator we report the share whose diagnosis kind matches the
operator, the share with a verified suggestion and the share with "no simple
diagnosis".  Writes the table to ``bench/RESULTS.md`` under
``## Diagnosis (issue 9)``, replacing only that section.

    .venv/bin/python bench/campaign_diagnosis.py [--per-step 5] [--timeout 10] [--no-write]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutants import mutants  # noqa: E402

from calcproof.derivation import Step  # noqa: E402
from calcproof.registry import load  # noqa: E402
from calcproof.relations import Definition  # noqa: E402
from calcproof.verify import check_step  # noqa: E402

EXPECTED: dict[str, set[str]] = {
    "flip_sign": {"wrong sign", "negative multiplier"},
    "add_one": {"extra term"},
    "double": {"constant factor"},
    "negative_multiple": {"negative multiplier"},
    "add_parameter": {"extra term"},
    "change_constants": {"constant factor", "exponent", "sum range"},
    "drop_a_term": {"missing term", "dropped φ-term"},
    "swap_pairs": {"swapped symbols", "function replaced"},
    "change_exponent": {"exponent", "non-monotone transform"},
    "other_values": {"limit value", "constant factor", "wrong sign", "missing term"},
    "scale_an_argument": {"constant factor"},
}
"""The diagnosis kinds that name each operator's slip."""


def _cases(per_step: int) -> list[tuple[str, int, int]]:
    out = []
    for derivation in load(ROOT / "derivations").derivations:
        for number, step in enumerate(derivation.steps, 1):
            if isinstance(step.relation, Definition):
                continue
            found = mutants(step, derivation.context, per_step)
            out.extend((derivation.name, number, k) for k in range(len(found)))
    return out


def _run(case: tuple[str, int, int], per_step: int, timeout: float) -> tuple[str, str, str, str]:
    name, number, k = case
    derivation = {d.name: d for d in load(ROOT / "derivations").derivations}[name]
    step = derivation.steps[number - 1]
    operator, rhs = mutants(step, derivation.context, per_step)[k]
    verdict = check_step(Step(step.relation, step.lhs, rhs, operator), derivation.context, timeout)
    kind = verdict.diagnosis.kind if verdict.diagnosis else ""
    return operator, verdict.status, kind, str(rhs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-step", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--details", help="write one line per mutant to this file")
    args = parser.parse_args()
    cases = _cases(args.per_step)
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        results = pool.starmap(_run, [(c, args.per_step, args.timeout) for c in cases])
    if args.details:
        lines = [
            f"{c[0]} {c[1]} {c[2]}\t" + "\t".join(r) for c, r in zip(cases, results, strict=True)
        ]
        Path(args.details).write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = _table(results, args)
    print(table)
    if not args.no_write:
        _write(table)


def _table(results: list[tuple[str, str, str, str]], args: argparse.Namespace) -> str:
    by_op: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for operator, status, kind, _ in results:
        by_op[operator].append((status, kind))
    rows = [
        "| operator | mutants | refuted | kind matches | verified suggestion "
        "| no simple diagnosis |",
        "|---|---|---|---|---|---|",
    ]
    total = [0, 0, 0, 0, 0]
    for operator in sorted(by_op):
        got = by_op[operator]
        refuted = [k for s, k in got if s == "refuted"]
        match = sum(1 for k in refuted if k in EXPECTED.get(operator, set()))
        shown = sum(1 for k in refuted if k)
        counts = [len(got), len(refuted), match, shown, len(refuted) - shown]
        total = [t + c for t, c in zip(total, counts, strict=True)]
        rows.append(_row(operator, counts))
    rows.append(_row("**all**", total))
    return (
        f"Mutants of every shipped step ({args.per_step} per step, budget {args.timeout:g} s), "
        "each checked with `check_step` (diagnosis on). Shares are of the refuted mutants.\n\n"
        + "\n".join(rows)
        + "\n\nReproduce: `.venv/bin/python bench/campaign_diagnosis.py`\n"
    )


def _row(name: str, counts: list[int]) -> str:
    n, refuted, match, shown, none = counts

    def share(k: int) -> str:
        return f"{100 * k / refuted:.0f} % ({k})" if refuted else "–"

    return f"| {name} | {n} | {refuted} | {share(match)} | {share(shown)} | {share(none)} |"


def _write(table: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    head = "## Diagnosis (issue 9)"
    section = f"{head}\n\n{table}"
    if head in text:
        start = text.index(head)
        end = text.find("\n## ", start + len(head))
        text = text[:start] + section + ("" if end < 0 else text[end:])
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
