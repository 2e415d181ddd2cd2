"""Symbol domains as the README documents them: SymPy assumptions and Context domains."""

from __future__ import annotations

from sympy import IndexedBase, Symbol, sqrt

from calcproof.derivation import Context, Step
from calcproof.relations import Equal
from calcproof.symbols import i
from calcproof.verify import check_step


def test_count_data_declared_on_the_indexed_base_is_used_by_the_kernel():
    """sqrt(y_i²) = y_i is verified for non-negative integer counts and refuted for real y."""
    counts = IndexedBase("y", integer=True, nonnegative=True)
    real = IndexedBase("y", real=True)
    assert check_step(Step(Equal(), sqrt(counts[i] ** 2), counts[i], "t")).status == "verified"
    assert check_step(Step(Equal(), sqrt(real[i] ** 2), real[i], "t")).status == "refuted"


def test_context_domain_restricts_counterexamples_but_never_proves():
    """b² = b holds on {0, 1}: with a binary domain it is not refuted (nor verified by sampling)."""
    b = Symbol("b", real=True)
    binary = Context(domains=((b, "binary"),))
    assert check_step(Step(Equal(), b**2, b, "t"), binary).status == "unknown"
    assert check_step(Step(Equal(), b**2, b, "t")).status == "refuted"
