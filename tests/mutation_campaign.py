"""The mutation campaign: true steps from three sources, their mutants, the kernel's verdicts.

Sources: every non-definition step of ``derivations/`` and of the check fixtures
(``tests/fixtures/*.md``/``.tex``, read with calcproof's own reader) that the
kernel verifies, and generated chapter-5 identities (``chapter5_identities``).
Each original gets up to ``count`` confirmed-false mutants (``mutants``); the
kernel must verify none of them (a *survivor* is a soundness bug) and should
refute them with a certificate, which the oracle re-evaluates.  Proposals that
the oracle finds equal to the original are excluded, and checked as well: a
refuted one is a suspect false refutation.  Used by ``tests/test_mutations.py``
(a seeded subset) and ``bench/campaign_mutation.py`` (the full run).
"""

from __future__ import annotations

import collections
import inspect
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from chapter5_identities import identities
from mutants import Excluded, mutants
from oracle import certificate_holds, is_false

from calcproof.derivation import Context, Step
from calcproof.latex_input.adapter import warm_up
from calcproof.latex_input.checking import _claims
from calcproof.latex_input.document import Document, read_document, read_text
from calcproof.latex_input.steps import Claim
from calcproof.registry import load
from calcproof.relations import Definition
from calcproof.verify import Verdict, check_step

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXCLUDED_CHECKS = 4
"""Excluded proposals per original that are sent to the kernel (a refuted one is a suspect)."""
EXCLUDED_TIMEOUT = 3.0


@dataclass(frozen=True)
class Original:
    """A true step: where it comes from, a name, its family (generated ones), step, context."""

    source: str
    name: str
    family: str
    step: Step
    context: Context


def derivation_originals() -> list[Original]:
    """Every non-definition step of every derivation in ``derivations/``."""
    return [
        Original("derivations", f"{d.name}#{n}", "derivations", step, d.context)
        for d in load(ROOT / "derivations").derivations
        for n, step in enumerate(d.steps, 1)
        if not isinstance(step.relation, Definition)
    ]


def fixture_originals() -> list[Original]:
    """Every non-definition step the reader builds from the fixture files (right or wrong)."""
    warm_up(now=True)
    out = []
    for path in sorted(FIXTURES.glob("*.*")):
        document = read_document(str(path), read_text(str(path)), "udl")
        for claim in _document_claims(document):
            step = claim.step
            if step is not None and not isinstance(step.relation, Definition):
                name = f"{path.relative_to(ROOT)}:{claim.raw.line}"
                out.append(Original("fixtures", name, "fixtures", step, claim.context))
    return out


READ_SECONDS = 10.0


def _document_claims(document: Document) -> list[Claim]:
    """The reader's claims (``_claims`` takes a reading budget and also returns timings
    since the streaming reader; older kernels, measured as *before*, take neither)."""
    if len(inspect.signature(_claims).parameters) == 1:
        return _claims(document)  # type: ignore[call-arg,no-any-return]
    found, _ = _claims(document, READ_SECONDS)
    return found


def generated_originals(count: int, seed: int = 0) -> list[Original]:
    """``count`` generated true chapter-5 identities."""
    return [
        Original("generated", item.name, item.family, item.step, item.context)
        for item in identities(count, seed)
    ]


@dataclass(frozen=True)
class Record:
    """One mutant (or excluded proposal) and the kernel's verdict, as plain text."""

    operator: str
    claim: str
    status: str
    method: str
    message: str
    certificate: bool | None
    excluded: str = ""


@dataclass(frozen=True)
class Result:
    """One original: its verdict, whether the oracle calls it false, and its mutants."""

    source: str
    name: str
    family: str
    claim: str
    status: str
    message: str
    oracle_false: bool
    records: tuple[Record, ...]


def claim_text(step: Step) -> str:
    """``lhs  relation  rhs`` in SymPy's notation."""
    return f"{step.lhs}  [{step.relation.describe()}]  {step.rhs}"


def _check(step: Step, context: Context, timeout: float, retry: float | None) -> Verdict:
    verdict = check_step(step, context, timeout)
    if verdict.status == "unknown" and retry is not None:
        verdict = check_step(step, context, retry)
    return verdict


def run_original(
    original: Original,
    count: int,
    timeout: float,
    retry: float | None,
    start: int,
    check_excluded: bool = True,
) -> Result:
    """Check an original; when it is verified (or generated and true), check its mutants
    (and, with ``check_excluded``, the proposals excluded as equal to it)."""
    verdict = check_step(original.step, original.context, timeout)
    oracle_false = is_false(original.step, original.context)
    eligible = not oracle_false and (verdict.ok or original.source == "generated")
    records: list[Record] = []
    if eligible and verdict.status != "refuted":
        chosen, excluded = mutants(original.step, original.context, count, start)
        for m in chosen:
            v = _check(m.step, original.context, timeout, retry)
            cert = certificate_holds(m.step, original.context, v.counterexample)
            records.append(
                Record(m.operator, claim_text(m.step), v.status, v.method, v.message[:300], cert)
            )
        for k, e in enumerate(excluded):
            records.append(
                _excluded_record(
                    e, original.context, timeout, check_excluded and k < EXCLUDED_CHECKS
                )
            )
    return Result(
        original.source,
        original.name,
        original.family,
        claim_text(original.step),
        verdict.status,
        verdict.message[:300],
        oracle_false,
        tuple(records),
    )


def _excluded_record(e: Excluded, context: Context, timeout: float, check: bool) -> Record:
    if not check:
        return Record(e.operator, claim_text(e.step), "not checked", "", "", None, e.reason)
    v = check_step(e.step, context, min(timeout, EXCLUDED_TIMEOUT))
    return Record(
        e.operator, claim_text(e.step), v.status, v.method, v.message[:300], None, e.reason
    )


_JOBS: list[tuple[Original, int, float, float | None, int, bool]] = []


def _run(k: int) -> Result:
    return run_original(*_JOBS[k])


def _indexed(k: int) -> tuple[int, Result]:
    return k, _run(k)


def run_all(
    originals: Sequence[Original],
    count: int,
    timeout: float,
    retry: float | None = None,
    workers: int = 2,
    progress: Callable[[int, int, Result], None] | None = None,
    check_excluded: bool = True,
) -> list[Result]:
    """Every original's result, on ``workers`` forked processes, in the order given."""
    _JOBS[:] = [(o, count, timeout, retry, k, check_excluded) for k, o in enumerate(originals)]
    results: dict[int, Result] = {}
    workers = min(workers, os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        done: Iterable[tuple[int, Result]] = ((k, _run(k)) for k in range(len(_JOBS)))
        for k, result in done:
            results[k] = result
            if progress:
                progress(len(results), len(_JOBS), result)
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for k, result in pool.imap_unordered(_indexed, range(len(_JOBS))):
                results[k] = result
                if progress:
                    progress(len(results), len(_JOBS), result)
    return [results[k] for k in range(len(_JOBS))]


def summarise(results: Sequence[Result]) -> dict[str, object]:
    """Counts overall, per operator and per source; survivors and suspects listed in full."""
    mutants_ = [(r, m) for r in results for m in r.records if not m.excluded]
    excluded = [(r, m) for r in results for m in r.records if m.excluded]
    per_operator: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    per_source: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r, m in mutants_:
        for table, key in ((per_operator, m.operator), (per_source, r.source)):
            table[key][m.status] += 1
            table[key]["mutants"] += 1
            table[key]["rechecked"] += m.status == "refuted" and m.certificate is True
    for _, m in excluded:
        per_operator[m.operator]["excluded"] += 1
    total = len(mutants_)
    refuted = sum(m.status == "refuted" for _, m in mutants_)
    return {
        "originals": collections.Counter(f"{r.source}: {r.status}" for r in results),
        "mutants": total,
        "refuted": refuted,
        "unknown": sum(m.status == "unknown" for _, m in mutants_),
        "verified": sum(m.status == "verified" for _, m in mutants_),
        "refuted_share": round(refuted / total, 4) if total else None,
        "certificates_rechecked": sum(m.certificate is True for _, m in mutants_),
        "certificates_failing": [
            (r.name, m.operator, m.claim) for r, m in mutants_ if m.certificate is False
        ],
        "excluded": len(excluded),
        "excluded_reasons": collections.Counter(m.excluded for _, m in excluded),
        "per_operator": {k: dict(v) for k, v in sorted(per_operator.items())},
        "per_source": {k: dict(v) for k, v in sorted(per_source.items())},
        "survivors": [
            (r.name, m.operator, m.claim, m.method) for r, m in mutants_ if m.status == "verified"
        ],
        "false_refutations": [
            (r.name, r.claim, r.message)
            for r in results
            if r.status == "refuted" and not r.oracle_false and r.source == "generated"
        ],
        "excluded_but_refuted": [
            (r.name, m.operator, m.claim, m.message) for r, m in excluded if m.status == "refuted"
        ],
        "oracle_rejects_original": [(r.name, r.claim) for r in results if r.oracle_false],
        "originals_not_verified": [
            (r.name, r.status, r.claim, r.message)
            for r in results
            if r.status not in ("verified", "definition")
        ],
        "unknown_mutants": [
            (r.name, m.operator, m.claim, m.message) for r, m in mutants_ if m.status == "unknown"
        ],
    }


def markdown(summary: dict[str, object]) -> str:
    """The per-operator table (mutants, refuted, certified, unknown, verified, excluded)."""
    rows = [
        "| operator | mutants | refuted | certificate re-checked | unknown | verified | excluded |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    table: dict[str, dict[str, int]] = summary["per_operator"]  # type: ignore[assignment]
    totals: collections.Counter[str] = collections.Counter()
    for name, counts in table.items():
        totals.update(counts)
        rows.append(_row(name, counts))
    rows.append(_row("**all**", totals))
    return "\n".join(rows)


def _row(name: str, c: dict[str, int]) -> str:
    n = c.get("mutants", 0)
    share = f" ({100 * c.get('refuted', 0) / n:.1f} %)" if n else ""
    cells = [
        n,
        f"{c.get('refuted', 0)}{share}",
        c.get("rechecked", 0),
        c.get("unknown", 0),
        c.get("verified", 0),
        c.get("excluded", 0),
    ]
    return f"| {name} | " + " | ".join(str(x) for x in cells) + " |"
