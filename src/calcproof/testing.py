"""Assert derivations in pytest: ``from calcproof.testing import assert_verified``.

``assert_verified`` runs the kernel on every step and raises
:class:`DerivationFailure` (an ``AssertionError``) naming each failing step the
way the user wrote it ("step 3"; definitions are numbered on their own), its
rule, both sides, the verdict and, for a refuted step, the counterexample.
calcproof's own frames are hidden from pytest tracebacks, and the pytest plugin
(:mod:`calcproof.pytest_plugin`, loaded automatically) prints only that report.

``derivations_in(folder)`` loads every derivation of a derivations folder (the
``DERIVATIONS`` lists of its modules) for ``pytest.mark.parametrize``.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from calcproof.derivation import Context, Derivation, Step
from calcproof.numbering import with_verdicts
from calcproof.verdict import Verdict
from calcproof.verify import DEFAULT_TIMEOUT, DerivationReport, check_derivation, check_step

__all__ = ["DerivationFailure", "assert_not_verified", "assert_verified", "derivations_in"]


class DerivationFailure(AssertionError):
    """A derivation (or step) that the kernel did not verify; the message is the report."""


def assert_verified(
    claim: Derivation | Step,
    context: Context | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> DerivationReport | Verdict:
    """Fail unless the kernel verifies every step of ``claim`` (a derivation or one step)."""
    __tracebackhide__ = True
    if isinstance(claim, Step):
        verdict = check_step(claim, context, timeout, diagnose=True)
        if not verdict.ok:
            raise DerivationFailure("step not verified\n" + describe("step", claim, verdict))
        return verdict
    report = check_derivation(claim, timeout)
    failures = [
        describe(numbered.label, numbered.step, verdict)
        for numbered, verdict in with_verdicts(claim, report.verdicts)
        if not verdict.ok
    ]
    if failures:
        count = f"{len(failures)} of {len(claim.steps)} steps"
        raise DerivationFailure(f"{claim.name}: {count} not verified\n" + "\n".join(failures))
    return report


def assert_not_verified(
    step: Step, context: Context | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> Verdict:
    """Fail if the kernel verifies ``step`` (for tests of wrong steps); returns the verdict."""
    __tracebackhide__ = True
    verdict = check_step(step, context, timeout)
    if verdict.ok:
        raise DerivationFailure(
            f"expected a wrong step, but the kernel verified it:\n{_sides(step)}"
        )
    return verdict


def derivations_in(source: str | Path | ModuleType) -> list[Derivation]:
    """The derivations of a derivations folder (every module's ``DERIVATIONS``) or of a module.

    Use it to check a whole course in one test::

        @pytest.mark.parametrize("derivation", derivations_in("derivations"), ids=str)
        def test_derivation(derivation):
            assert_verified(derivation)
    """
    if isinstance(source, ModuleType):
        return list(getattr(source, "DERIVATIONS", []))
    from calcproof import registry

    return list(registry.load(Path(source)).derivations)


def describe(label: str, step: Step, verdict: Verdict) -> str:
    """A multi-line account of one failing step (``label`` is e.g. ``step 3``)."""
    lines = [
        f"{label} ({step.rule}): {verdict.status}"
        + (f" [{verdict.method}]" if verdict.method else ""),
        _sides(step),
    ]
    if verdict.message:
        lines.append(f"  why:  {verdict.message}")
    if verdict.counterexample:
        point = ", ".join(f"{name} = {value}" for name, value in verdict.counterexample)
        lines.append(f"  counterexample: {point}")
    if verdict.status == "refuted":
        found = verdict.diagnosis
        lines.append(
            f"  slip: {found.summary}\n  did you mean: {found.suggestion}"
            if found
            else "  slip: no simple diagnosis"
        )
    return "\n".join(lines)


def _sides(step: Step) -> str:
    return f"  lhs:  {step.lhs}\n  rel:  {step.relation.describe()}\n  rhs:  {step.rhs}"
