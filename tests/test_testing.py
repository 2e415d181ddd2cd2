"""``calcproof.testing``: assertions for users' own test suites."""

from __future__ import annotations

import pytest
from sympy import Rational, exp

from calcproof import chain, rules, then
from calcproof.derivation import Step
from calcproof.losses import sig
from calcproof.relations import Equal
from calcproof.symbols import z
from calcproof.testing import assert_not_verified, assert_verified


def test_failure_names_the_step_rule_sides_verdict_and_counterexample():
    """The message says which step failed, by which rule, and where the sides differ."""
    derivation = chain(
        "broken",
        "t",
        sig(z),
        [then("=", rules.unfold_sigmoid()), then("=", rhs=1 / (1 + exp(z)), name="sign slip")],
    )
    with pytest.raises(AssertionError) as failure:
        assert_verified(derivation)
    text = str(failure.value)
    assert "broken: 1 of 2 steps not verified" in text
    assert "step 2 (sign slip): refuted" in text
    assert "lhs:  1/(1 + exp(-z))" in text and "rhs:  1/(exp(z) + 1)" in text
    assert "counterexample: z = " in text


def test_single_steps_can_be_asserted_both_ways():
    """A true step passes assert_verified; a false one passes assert_not_verified."""
    assert assert_verified(Step(Equal(), sig(0), Rational(1, 2), "t")).status == "verified"
    assert assert_not_verified(Step(Equal(), sig(0), Rational(1, 3), "t")).status == "refuted"
    with pytest.raises(AssertionError, match="kernel verified it"):
        assert_not_verified(Step(Equal(), sig(0), Rational(1, 2), "t"))
