"""The trusted kernel: ``Step -> Verdict``, independent of the rules that made the step.

Every step is decided in three stages inside one time budget: prove (exact
symbolic methods), then refute (a certificate: counterexample point,
order-reversal pair, or a limit SymPy computes to another value), else
``unknown``.  The whole decision runs in a child process that is killed when
the budget is spent, so no input can hang a run.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sympy import Basic, Expr, Product, Sum

from calcproof.defaults import DEFAULT_TIMEOUT
from calcproof.derivation import Context, Derivation, Step
from calcproof.relations import Definition, Equal, Equivalent, Implies, Limit, Optimum
from calcproof.verdict import Verdict, unknown, verified
from calcproof.verify.budget import INTERRUPTED, Outcome, alarm, run_bounded
from calcproof.verify.equations import prove_equivalent, prove_implies, refute_equations
from calcproof.verify.normal import unfold
from calcproof.verify.prove import prove_equal, prove_limit, prove_optimum
from calcproof.verify.refute import refute_equal, refute_limit, refute_optimum
from calcproof.verify.workers import Worker

PROOF_SHARE = 0.6
"""Share of a step's budget given to proving before refutation starts."""

__all__ = [
    "DEFAULT_TIMEOUT",
    "DerivationReport",
    "Verdict",
    "check_derivation",
    "check_step",
]


class _ProofTimeout(BaseException):
    """Raised inside the check process when the proving share of the budget is spent."""


def check_step(
    step: Step,
    context: Context | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    diagnose: bool = False,
    worker: Worker | None = None,
) -> Verdict:
    """Decide one step.  ``timeout=None`` runs in-process without a bound (debugging only).

    With ``diagnose``, a refuted step is then diagnosed (:mod:`calcproof.diagnose`, its
    own bounded child): the verdict stays refuted and gains a verified correction, if
    one is found.  Off by default (it costs up to another budget per refuted step);
    ``check``, ``build``, the notebook view and ``assert_verified`` turn it on.
    ``worker``: decide in that persistent process (its caches stay warm from step to
    step) instead of a fresh child; the verdict is the same.
    """
    ctx = context or Context()
    if isinstance(step.relation, Definition):
        return _definition()
    work, args = decision(step, ctx, timeout)
    if worker is not None:
        outcome = worker.call(work, *args, seconds=timeout)
    else:
        outcome = run_bounded(lambda: work(*args), timeout)
    return decided(step, ctx, outcome, timeout, diagnose)


def decision(
    step: Step, context: Context, timeout: float | None
) -> tuple[Callable[..., Verdict], tuple[Any, ...]]:
    """The call that decides ``step`` (a module-level function and its arguments), to run
    under ``timeout`` in a child or a :class:`~calcproof.verify.workers.Worker`."""
    if isinstance(step.relation, Definition):
        return _definition, ()
    proof_budget = None if timeout is None else timeout * PROOF_SHARE
    return _remembered, (step, context, proof_budget)


REMEMBERED = 4096
"""Most verdicts a process keeps (see :func:`_remembered`)."""
_DECIDED: dict[bytes, Verdict] = {}


def _remembered(step: Step, ctx: Context, proof_budget: float | None) -> Verdict:
    """:func:`_decide`, remembering within this process (a worker) what was settled.

    Only verified and refuted verdicts reached without an interruption are kept:
    they are what any budget at least as large would give (a proof is a proof, a
    certificate a certificate), so a repeated step (the same line in many
    submissions) is not decided again.  The key is the pickled relation, sides and
    context: equal bytes unpickle to equal objects, assumptions included.
    """
    try:
        key = hashlib.blake2b(
            pickle.dumps((step.relation, step.lhs, step.rhs, ctx)), digest_size=20
        ).digest()
    except Exception:  # not picklable: decide without memory
        return _decide(step, ctx, proof_budget)
    if key in _DECIDED:
        return _DECIDED[key]
    interruptions = len(INTERRUPTED)
    verdict = _decide(step, ctx, proof_budget)
    if verdict.status in ("verified", "refuted") and len(INTERRUPTED) == interruptions:
        if len(_DECIDED) >= REMEMBERED:
            del _DECIDED[next(iter(_DECIDED))]
        _DECIDED[key] = verdict
    return verdict


def _definition() -> Verdict:
    return Verdict("definition", "definition", "introduces a name; nothing to prove")


def decided(
    step: Step,
    ctx: Context,
    outcome: Outcome[Verdict],
    timeout: float | None,
    diagnose: bool = False,
) -> Verdict:
    """The verdict from the outcome of :func:`decision`'s call (diagnosed if asked)."""
    if outcome.value is None:
        method = "timeout" if outcome.timed_out else "error"
        return unknown(f"not decided: {outcome.error}", method).timed(outcome.seconds)
    verdict = outcome.value.timed(outcome.seconds)
    if diagnose and verdict.status == "refuted":
        from calcproof.diagnose import diagnose_refuted  # the diagnosis uses the kernel

        return diagnose_refuted(step, ctx, verdict, timeout)
    return verdict


def _decide(step: Step, ctx: Context, proof_budget: float | None) -> Verdict:
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    structural = _index_escapes(lhs, rhs)
    reasons: list[str] = []
    prove, refute = _procedures(step, lhs, rhs, ctx, reasons)
    note = ""
    try:
        with alarm(proof_budget, _ProofTimeout):
            method = prove()
        if method is not None:
            return verified(method)
    except _ProofTimeout:
        note = "proof search ran out of its share of the time budget; "
    except Exception as exc:  # SymPy failures are "could not prove", never a pass
        note = f"proof search failed ({type(exc).__name__}); "
    try:
        found = refute()
    except Exception as exc:  # a failed search is "no certificate", never a verdict
        found = None
        note += f"counterexample search failed ({type(exc).__name__}); "
    if found is not None:
        if structural:
            return replace(found, message=f"{structural}; {found.message}")
        return found
    goals = list(dict.fromkeys(reasons + ctx.facts.missing(lhs, rhs)))
    why = f"; {'; '.join(goals[:3])}" if goals else ""
    return unknown(
        f"{note}{structural + '; ' if structural else ''}no proof and no counterexample found{why}"
    )


def _procedures(
    step: Step, lhs: Expr, rhs: Expr, ctx: Context, ctx_reasons: list[str]
) -> tuple[Callable[[], str | None], Callable[[], Verdict | None]]:
    rel = step.relation
    facts = ctx.facts
    reasons = ctx_reasons
    if isinstance(rel, Equal):
        return (lambda: prove_equal(lhs, rhs, facts)), (lambda: refute_equal(lhs, rhs, ctx))
    if isinstance(rel, Optimum):
        return (
            (lambda: prove_optimum(lhs, rhs, rel, facts, reasons)),
            (lambda: refute_optimum(lhs, rhs, rel, ctx)),
        )
    if isinstance(rel, Limit):
        return (lambda: prove_limit(lhs, rhs, rel)), (lambda: refute_limit(lhs, rhs, rel))
    if isinstance(rel, Equivalent | Implies):
        both, prove = (
            (True, prove_equivalent) if isinstance(rel, Equivalent) else (False, prove_implies)
        )
        return (lambda: prove(lhs, rhs, facts)), (lambda: refute_equations(lhs, rhs, both, ctx))
    raise TypeError(f"unknown relation {rel!r}")


def _bound(expr: Basic) -> set[Basic]:
    return {lim[0] for obj in expr.atoms(Sum, Product) for lim in obj.limits}


def _index_escapes(lhs: Expr, rhs: Expr) -> str:
    """Describe an index that is bound by a Σ/∏ on one side but used free on the other."""
    bound = _bound(lhs) | _bound(rhs)
    for side, this, other in (("right", rhs, lhs), ("left", lhs, rhs)):
        escaped = sorted(
            (s for s in this.free_symbols - other.free_symbols if s in bound and s.is_integer),
            key=str,
        )
        if escaped:
            names = ", ".join(str(s) for s in escaped)
            return f"index {names} is used outside its Σ/∏ on the {side}-hand side"
    return ""


@dataclass(frozen=True)
class DerivationReport:
    """A derivation with the kernel's verdict on each of its steps (definitions first)."""

    derivation: Derivation
    verdicts: tuple[Verdict, ...]

    @property
    def verified(self) -> bool:
        """True only when every non-definition step was verified."""
        return all(v.ok for v in self.verdicts)

    def counts(self) -> dict[str, int]:
        out = {"verified": 0, "refuted": 0, "unknown": 0}
        for verdict in self.verdicts:
            if verdict.status in out:
                out[verdict.status] += 1
        return out


def check_derivation(
    derivation: Derivation,
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[int, Step, Verdict], None] | None = None,
    diagnose: bool = True,
) -> DerivationReport:
    """Check every step of a derivation (its definitions included); refuted steps are
    diagnosed unless ``diagnose`` is False."""
    verdicts = []
    for number, step in enumerate(derivation.all_steps, 1):
        started = time.perf_counter()
        verdict = check_step(step, derivation.context, timeout, diagnose)
        if verdict.seconds == 0.0:
            verdict = verdict.timed(time.perf_counter() - started)
        verdicts.append(verdict)
        if progress is not None:
            progress(number, step, verdict)
    return DerivationReport(derivation, tuple(verdicts))
