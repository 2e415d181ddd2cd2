"""Measure the LaTeX adapter and ``check`` on the peer suites in ``../shared/peer/``.

The peer data are kept out of the repository, in ``shared/peer/`` next to the
repository's folder (``--peer DIR`` reads them from elsewhere).

1. Parse cases (latex2sympy2 suites): how many the adapter reads to the expected
   meaning, which it refuses, and where our conventions deliberately differ.
2. Math-Verify pairs as ``a = b`` claims: accuracy, and false verifications on the
   pairs not marked ``convention_dependent`` (must be zero).

Usage: .venv/bin/python bench/peer_data.py [--peer DIR] [--timeout S] [--limit N]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

import sympy
from sympy import (
    Abs,
    Basic,
    E,
    Float,
    Indexed,
    Symbol,
    UnevaluatedExpr,
    log,
    nsimplify,
    simplify,
    srepr,
)

from calcproof.derivation import Step
from calcproof.latex_input.adapter import Failure, read_sides, warm_up
from calcproof.latex_input.declarations import Declarations
from calcproof.relations import Equal
from calcproof.verify import check_step
from calcproof.verify.budget import run_bounded

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peer"
"""The peer suites: ``../shared/peer`` relative to the repository root."""


def canonical_name(name: str) -> str:
    """A symbol name without TeX decoration: ``h_{\\theta}``, ``h_{theta}`` -> ``h_theta``.

    Our accents are suffixes (``x_bar``), theirs prefixes (``bar{x}``); both become ``barx``.
    """
    for accent in ("bar", "hat", "tilde"):
        head, _, rest = name.partition(f"_{accent}")
        if _ and not head.endswith("_"):
            name = f"{accent}{head}{rest}"
    name = name.replace("**", "^")
    return "".join(ch for ch in name if ch not in "\\{}, ")


def plain(expr: Basic) -> Basic:
    """Forget assumptions, indexing and name decoration (``y[i, j]`` -> ``y_ij``)."""
    expr = expr.xreplace(
        {a: Symbol(f"{a.base.label}_{''.join(map(str, a.indices))}") for a in expr.atoms(Indexed)}
    )
    symbols = [s for s in expr.free_symbols if isinstance(s, Symbol)]
    return expr.xreplace({s: Symbol(canonical_name(s.name)) for s in symbols})


def same(ours: Basic, expected: Basic) -> bool:
    """Structural equality, numeric equality of numbers, or a difference that simplifies to 0.

    Structural equality is judged on ``srepr`` (our function classes carry assumptions)
    after removing the peer suite's ``UnevaluatedExpr`` wrappers.
    """
    expected = expected.replace(lambda e: isinstance(e, UnevaluatedExpr), lambda e: e.args[0])
    if ours == expected or srepr(ours) == srepr(expected):
        return True
    if ours.is_number and expected.is_number:
        try:
            return bool(Abs(complex(ours) - complex(expected)) < 1e-9 * max(1, abs(complex(ours))))
        except (TypeError, ValueError):
            return False
    try:
        return bool(simplify(ours - expected) == 0)
    except Exception:
        return False


def convention(latex: str, ours: Basic, expected: Basic) -> str | None:
    """Name the convention of ours that explains a mismatch, if one does."""
    if r"\log" in latex and expected.has(log):
        tenfold = ours.replace(lambda e: isinstance(e, log), lambda e: log(e.args[0], 10))
        if same(tenfold, expected):
            return r"\log is natural (theirs: base 10)"
    if "e" in latex and ours.has(E) and same(ours.subs(E, Symbol("e")), expected):
        return "e is Euler's number (theirs: a symbol)"
    if ours.has(Symbol("I")) and same(ours.subs(Symbol("I"), sympy.I), expected):
        return "I is a symbol (theirs: the imaginary unit)"
    if any(isinstance(a, Float) for a in ours.atoms(Float)) and same(nsimplify(ours), expected):
        return "decimals are floats"
    if str(ours) == "E" and str(expected) in ("E", "e"):
        return "E is a plain symbol (theirs: Euler's number)"
    bold = {s: Symbol(s.name[:-5]) for s in ours.free_symbols if str(s).endswith("_bold")}
    if bold and same(ours.xreplace(bold), expected):
        return "a bold letter is a different object (theirs: the plain letter)"
    if re.search(r"\^\d\d", latex):
        return "an unbraced exponent is one token, as TeX typesets it (x^23 = x²·3)"
    return None


def parse_cases(path: Path, seconds: float, limit: int | None) -> dict[str, object]:
    rows = [json.loads(line) for line in path.read_text().splitlines()][:limit]
    decls = Declarations()
    results = collections.Counter()
    refused = collections.Counter()
    conventions = collections.Counter()
    wrong: list[str] = []
    started = time.perf_counter()
    for row in rows:
        side = read_sides([row["latex"]], decls, seconds)[0]
        should_fail = row["expect_error"] or row["compare"] == "must raise"
        if isinstance(side, Failure):
            results["refused (correct)" if should_fail else "refused"] += 1
            if not should_fail:
                refused[side.message.split("(")[0].strip()[:60]] += 1
            continue
        if should_fail:
            results["read although the suite expects an error"] += 1
            continue
        expected = sympy.sympify(eval(row["srepr"], vars(sympy)))  # the peer data's srepr
        ours = plain(side.expr)
        expected = plain(expected)
        outcome = run_bounded(lambda ours=ours, expected=expected: same(ours, expected), seconds)
        if outcome.value:
            results["expected meaning"] += 1
            continue
        found = run_bounded(
            lambda row=row, ours=ours, expected=expected: convention(row["latex"], ours, expected),
            seconds,
        )
        named = found.value
        if named:
            conventions[named] += 1
            results["deliberate convention difference"] += 1
        else:
            results["different meaning"] += 1
            wrong.append(f"{row['latex']!r}: ours {ours}, expected {expected}")
    return {
        "cases": len(rows),
        "results": dict(results),
        "refused_reasons": dict(refused.most_common(15)),
        "conventions": dict(conventions),
        "different_meaning_examples": wrong[:80],
        "seconds": round(time.perf_counter() - started, 1),
    }


def pair_verdict(a: str, b: str, seconds: float) -> str:
    """The kernel's verdict on the claim ``a = b`` (``unreadable`` when a side is not read)."""
    left, right = read_sides([a, b], Declarations(), seconds)
    if isinstance(left, Failure) or isinstance(right, Failure):
        return "unreadable"
    if left.kind != "expr" or right.kind != "expr":
        return "unreadable"
    return check_step(Step(Equal(), left.expr, right.expr, "peer pair"), None, seconds).status


def mathverify(path: Path, seconds: float) -> dict[str, object]:
    """Verdict counts per group.  ``correct``: verified exactly when labelled equivalent
    (an unknown on an inequivalent pair counts); ``decided_correctly``: verified and
    equivalent, or refuted and not equivalent."""
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    table = collections.Counter()
    false_verified = []
    started = time.perf_counter()
    for row in rows:
        verdict = pair_verdict(row["a"], row["b"], seconds)
        group = "convention_dependent" if row["convention_dependent"] else "plain"
        table[(group, row["equivalent"], verdict)] += 1
        if verdict == "verified" and not row["equivalent"]:
            false_verified.append((group, row["a"], row["b"]))
    summary = {}
    for group in ("plain", "convention_dependent", "all"):
        rows_in = {k: v for k, v in table.items() if group == "all" or k[0] == group}
        total = sum(rows_in.values())
        correct = sum(v for (g, eq, verdict), v in rows_in.items() if (verdict == "verified") == eq)
        decided = sum(
            v
            for (g, eq, verdict), v in rows_in.items()
            if (verdict, eq) in (("verified", True), ("refuted", False))
        )
        summary[group] = {
            "pairs": total,
            "correct": correct,
            "decided_correctly": decided,
            "false_verifications": sum(
                v for (g, eq, verdict), v in rows_in.items() if verdict == "verified" and not eq
            ),
            "refuted_when_equivalent": sum(
                v for (g, eq, verdict), v in rows_in.items() if verdict == "refuted" and eq
            ),
            "verdicts": _verdicts(rows_in),
        }
    return {
        "summary": summary,
        "false_verified": false_verified,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _verdicts(rows: dict[tuple[str, bool, str], int]) -> dict[str, int]:
    out: collections.Counter[str] = collections.Counter()
    for (_, eq, verdict), count in rows.items():
        out[f"{'equivalent' if eq else 'not equivalent'}: {verdict}"] += count
    return dict(sorted(out.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", type=Path, default=PEER)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--limit", type=int, default=None, help="first N parse cases only")
    parser.add_argument("--only", choices=("parse", "pairs"), default=None)
    args = parser.parse_args(argv)
    warm_up(now=True)
    report = {}
    if args.only in (None, "pairs"):
        report["mathverify"] = mathverify(args.peer / "mathverify_pairs.jsonl", args.timeout)
    if args.only in (None, "parse"):
        report["parse_cases"] = parse_cases(
            args.peer / "latex_parse_cases.jsonl", args.timeout, args.limit
        )
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False, default=str)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
