"""Property campaign (issue 7): true identities never refuted, wrong derivatives never verified.

Draws ``--examples`` claims per family from tests/identity_strategies.py with
hypothesis (derandomised, so the run is reproducible) and asks the kernel about
each.  Prints a markdown table (verified / unknown / refuted per family) and
writes a JSON summary with every false refutation and false verification.

Usage: .venv/bin/python bench/campaign_property.py [--examples 100] [--timeout 5]
       [--json bench/campaign_property.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from identity_strategies import (  # noqa: E402
    TRUE_FAMILIES,
    Claim,
    false_for_concrete_functions,
    wrong_derivative_claims,
)

from calcproof.verify import check_step  # noqa: E402

Row = dict[str, object]


def run_family(
    name: str, strategy: st.SearchStrategy[Claim], wrong: bool, examples: int, timeout: float
) -> Row:
    """Verdict counts for up to ``examples`` drawn claims; the bad ones listed."""
    counts: collections.Counter[str] = collections.Counter()
    bad: list[tuple[str, str, str]] = []
    seen: set[str] = set()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(claim: Claim) -> None:
        key = f"{claim.step.lhs} = {claim.step.rhs}"
        if key in seen:
            return
        seen.add(key)
        if wrong and not false_for_concrete_functions(claim.step):
            counts["not shown false (skipped)"] += 1
            return
        verdict = check_step(claim.step, None, timeout)
        counts[verdict.status] += 1
        if verdict.status == ("verified" if wrong else "refuted"):
            bad.append(
                (str(claim.step.lhs), str(claim.step.rhs), verdict.method or verdict.message)
            )

    started = time.perf_counter()
    collect()
    return {
        "family": name,
        "kind": "wrong" if wrong else "true",
        "claims": sum(v for k, v in counts.items() if "skipped" not in k),
        "counts": dict(counts),
        "bad": bad,
        "seconds": round(time.perf_counter() - started, 1),
    }


def markdown(rows: list[Row]) -> str:
    lines = [
        "| family | kind | claims | verified | unknown | refuted | must be 0 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        c: dict[str, int] = r["counts"]  # type: ignore[assignment]
        n = int(r["claims"])  # type: ignore[call-overload]
        share = f" ({100 * c.get('verified', 0) / n:.0f} %)" if n else ""
        bad = len(r["bad"])  # type: ignore[arg-type]
        cells = [r["family"], r["kind"], n, f"{c.get('verified', 0)}{share}"]
        cells += [c.get("unknown", 0), c.get("refuted", 0), bad]
        lines.append("| " + " | ".join(str(x) for x in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="claims drawn per family")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "campaign_property.json")
    args = parser.parse_args(argv)
    families = [(name, s, False) for name, s in TRUE_FAMILIES.items()]
    families.append(("wrong-derivative", wrong_derivative_claims(), True))
    rows = []
    for name, strategy, wrong in families:
        row = run_family(name, strategy, wrong, args.examples, args.timeout)
        print(f"{name}: {row['counts']} in {row['seconds']} s", file=sys.stderr, flush=True)
        rows.append(row)
    summary = {"settings": vars(args) | {"json": args.json.name}, "families": rows}
    args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(markdown(rows))
    return 1 if any(r["bad"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
