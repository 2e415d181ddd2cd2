"""Mutation campaign (issue 7): mutants of every true step; the kernel must verify none.

Sources: the verified steps of derivations/ and of tests/fixtures/, and generated
chapter-5 identities (tests/chapter5_identities.py).  Writes a JSON summary and
prints the per-operator markdown table; progress goes to stderr.

Usage: .venv/bin/python bench/campaign_mutation.py [--generated 100] [--count 8]
       [--timeout 5] [--retry 10] [--workers 2] [--json bench/campaign_mutation.json]
       [--records mutants.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutation_campaign import (  # noqa: E402
    Result,
    derivation_originals,
    fixture_originals,
    generated_originals,
    markdown,
    run_all,
    summarise,
)


def _progress(done: int, total: int, result: Result) -> None:
    counts = {
        s: sum(m.status == s for m in result.records if not m.excluded)
        for s in ("refuted", "unknown", "verified")
    }
    print(
        f"[{done}/{total}] {result.name}: original {result.status}; mutants "
        f"{counts['refuted']} refuted, {counts['unknown']} unknown, {counts['verified']} verified",
        file=sys.stderr,
        flush=True,
    )


def _write_records(path: Path, results: list[Result]) -> None:
    """One line per mutant or excluded proposal: original, source, operator, claim, verdict."""
    with path.open("w") as out:
        for r in results:
            for m in r.records:
                row = {"original": r.name, "source": r.source, "family": r.family}
                out.write(json.dumps(row | asdict(m), ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=100, help="generated identities")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=8, help="mutants per original")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument(
        "--retry", type=float, default=10.0, help="budget for a second try of an unknown"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "campaign_mutation.json")
    parser.add_argument(
        "--records", type=Path, default=None, help="also write every mutant as JSON lines here"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    originals = (
        derivation_originals()
        + fixture_originals()
        + generated_originals(args.generated, args.seed)
    )
    results = run_all(
        originals, args.count, args.timeout, args.retry or None, args.workers, _progress
    )
    summary = summarise(results)
    if args.records:
        _write_records(args.records, results)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    summary["settings"] = vars(args) | {
        "json": args.json.name,
        "records": args.records and args.records.name,
    }
    args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str) + "\n")
    print(markdown(summary))
    print(
        f"\n{summary['mutants']} mutants, {summary['refuted']} refuted "
        f"({summary['refuted_share']}), "
        f"{summary['unknown']} unknown, {summary['verified']} verified (survivors); "
        f"{summary['excluded']} excluded; {summary['seconds']} s"
    )
    return 1 if summary["verified"] or summary["false_refutations"] else 0


if __name__ == "__main__":
    sys.exit(main())
