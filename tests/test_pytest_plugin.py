"""The pytest plugin: short reports for unverified derivations, calcproof's frames hidden."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

FAILING = """
from sympy import exp
from calcproof import chain, define, rules, then
from calcproof.losses import sig
from calcproof.symbols import z
from sympy import Symbol
from calcproof.testing import assert_verified

L = Symbol("L", real=True)


def test_sign_slip():
    derivation = chain(
        "sign-slip", "t", L,
        [then("=", rules.substitute(L, sig(z))), then("=", rules.unfold_sigmoid()),
         then("=", rhs=1 / (1 + exp(z)), why="common denominator")],
        definitions=[define(L, sig(z))],
    )
    assert_verified(derivation)
"""


def test_failing_assert_verified_is_reported_briefly(pytester: pytest.Pytester):
    """The report names the user's line, the step as written, both sides and the certificate."""
    path = pytester.makepyfile(test_user=FAILING)
    line = path.read_text().splitlines().index("    assert_verified(derivation)") + 1
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert f"test_user.py:{line}: derivation not verified" in text
    assert "sign-slip: 1 of 3 steps not verified" in text
    assert "step 3 (by hand): refuted" in text  # the third line of the chain, not all_steps[3]
    assert "rhs:  1/(exp(z) + 1)" in text and "counterexample: z = " in text
    assert "Derivation(" not in text  # no repr of the whole derivation
    assert "calcproof/testing.py" not in text and "check_derivation" not in text


def test_header_names_calcproof(pytester: pytest.Pytester):
    """The plugin is loaded through its entry point and says so in the header."""
    pytester.makepyfile(test_ok="def test_ok():\n    assert True\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "calcproof 0.1.0: assert_verified failures are reported briefly" in result.stdout.str()


def test_without_the_plugin_calcproof_frames_are_still_hidden(pytester: pytest.Pytester):
    """With ``-p no:calcproof`` the traceback still skips calcproof's own frames."""
    pytester.makepyfile(test_user=FAILING)
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:calcproof")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "DerivationFailure: sign-slip: 1 of 3 steps not verified" in text
    assert "def check_derivation" not in text and "claim = Derivation(" not in text
