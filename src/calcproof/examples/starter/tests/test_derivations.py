"""Every derivation of the course is verified by calcproof's kernel."""

from pathlib import Path

import pytest

from calcproof.testing import assert_verified, derivations_in

DERIVATIONS = derivations_in(Path(__file__).resolve().parent.parent / "derivations")


@pytest.mark.parametrize("derivation", DERIVATIONS, ids=lambda d: d.name)
def test_derivation_is_verified(derivation):
    """The kernel verifies every step of the derivation."""
    assert_verified(derivation)
