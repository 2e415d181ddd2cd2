"""Assert derivations in pytest: ``from calcproof.testing import assert_verified``.

``assert_verified`` runs the kernel on every step and raises ``AssertionError``
naming the first failing step: its number, rule, both sides, verdict, and the
counterexample when there is one.
"""

from __future__ import annotations

from calcproof.derivation import Context, Derivation, Step
from calcproof.verdict import Verdict
from calcproof.verify import DEFAULT_TIMEOUT, DerivationReport, check_derivation, check_step

__all__ = ["assert_not_verified", "assert_verified"]


def assert_verified(
    claim: Derivation | Step,
    context: Context | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> DerivationReport | Verdict:
    """Fail unless the kernel verifies every step of ``claim`` (a derivation or one step)."""
    if isinstance(claim, Step):
        verdict = check_step(claim, context, timeout)
        if not verdict.ok:
            raise AssertionError(describe(1, claim, verdict))
        return verdict
    report = check_derivation(claim, timeout)
    failures = [
        describe(number, step, verdict)
        for number, (step, verdict) in enumerate(
            zip(claim.all_steps, report.verdicts, strict=True), 1
        )
        if not verdict.ok
    ]
    if failures:
        count = f"{len(failures)} of {len(report.verdicts)} steps"
        raise AssertionError(f"{claim.name}: {count} not verified\n" + "\n".join(failures))
    return report


def assert_not_verified(
    step: Step, context: Context | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> Verdict:
    """Fail if the kernel verifies ``step`` (for tests of wrong steps); returns the verdict."""
    verdict = check_step(step, context, timeout)
    if verdict.ok:
        raise AssertionError(f"expected a wrong step, but the kernel verified it:\n{_sides(step)}")
    return verdict


def describe(number: int, step: Step, verdict: Verdict) -> str:
    """A multi-line account of one failing step."""
    lines = [
        f"step {number} ({step.rule}): {verdict.status}"
        + (f" [{verdict.method}]" if verdict.method else ""),
        _sides(step),
    ]
    if verdict.message:
        lines.append(f"  why:  {verdict.message}")
    if verdict.counterexample:
        point = ", ".join(f"{name} = {value}" for name, value in verdict.counterexample)
        lines.append(f"  counterexample: {point}")
    return "\n".join(lines)


def _sides(step: Step) -> str:
    return f"  lhs:  {step.lhs}\n  rel:  {step.relation.describe()}\n  rhs:  {step.rhs}"
