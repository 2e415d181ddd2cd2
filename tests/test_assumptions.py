"""Facts: what the prover may assume, each fact next to a wrong neighbour it must not claim."""

from __future__ import annotations

import pytest
from sympy import (
    Abs,
    IndexedBase,
    Integer,
    Product,
    Sum,
    Symbol,
    besseli,
    exp,
    factorial,
    gamma,
    sqrt,
)

from calcproof.assumptions import Facts, count, nonempty
from calcproof.losses import Pr, sig

lam = Symbol("lambda", real=True)
x, z = Symbol("x", real=True), Symbol("z", real=True)
kappa = Symbol("kappa", real=True)
n = Symbol("n", integer=True, nonnegative=True)
K = Symbol("K", integer=True, positive=True)
k = Symbol("k", integer=True, positive=True)
m = Symbol("m", integer=True)
q = IndexedBase("q", real=True)
y = Symbol("y", real=True)

UNIT = Facts(((lam, "unit_interval"),))
COUNTS = Facts(((y, "count"),))
DATA = Facts(((q, "positive"),))

POSITIVE = [
    ("1 − λ for λ in (0, 1)", UNIT, 1 - lam),
    ("λ^y (1 − λ)^(1−y)", UNIT, lam**y * (1 - lam) ** (1 - y)),
    ("1 − sig[z]", Facts(), 1 - sig(z)),
    ("1 − 1/(1 + e^(−z)), the sigmoid's formula", Facts(), 1 - 1 / (1 + exp(-z))),
    ("n! for a count n", Facts(), factorial(n)),
    ("y! for a declared count y", COUNTS, factorial(y)),
    ("I_0(κ) for real κ", Facts(), besseli(0, kappa)),
    ("a probability", Facts(), Pr(x, z)),
    ("a product of probabilities", Facts(), Product(Pr(q[k], z), (k, 1, K))),
    ("a sum of exponentials over 1..K", Facts(), Sum(exp(q[k]), (k, 1, K))),
    ("declared positive data", DATA, q[k]),
    ("Γ(κ²+1)", Facts(), gamma(kappa**2 + 1)),
]

NOT_POSITIVE = [
    ("1 − λ for merely real λ", Facts(), 1 - lam),
    ("1 − 2λ for λ in (0, 1)", UNIT, 1 - 2 * lam),
    ("λ − 1 for λ in (0, 1)", UNIT, lam - 1),
    ("2 − 3 sig[z]", Facts(), 2 - 3 * sig(z)),
    ("x! for real x", Facts(), factorial(x)),
    ("I_1(κ) for real κ", Facts(), besseli(1, kappa)),
    ("a sum over a range that may be empty", Facts(), Sum(exp(q[k]), (k, 1, m))),
    ("x² (zero at 0)", Facts(), x**2),
    ("|x| (zero at 0)", Facts(), Abs(x)),
    ("undeclared data", Facts(), q[k]),
    ("y for a count (may be 0)", COUNTS, y),
]


@pytest.mark.parametrize(("what", "facts", "expr"), POSITIVE, ids=[c[0] for c in POSITIVE])
def test_positive(what: str, facts: Facts, expr: object) -> None:
    """Each of these is shown > 0 from SymPy's assumptions and the declared domains."""
    assert facts.positive(expr), facts.why_not_positive(expr)


@pytest.mark.parametrize(("what", "facts", "expr"), NOT_POSITIVE, ids=[c[0] for c in NOT_POSITIVE])
def test_not_positive(what: str, facts: Facts, expr: object) -> None:
    """None of these is > 0 everywhere: the facts never claim it, and say what failed."""
    assert not facts.positive(expr)
    assert facts.why_not_positive(expr).startswith("could not show")


def test_nonnegative_but_not_positive() -> None:
    """x², |x|, a count and sqrt(x²) are ≥ 0; x³ and x − 1 are not known to be."""
    facts = Facts()
    for expr in (x**2, Abs(x), n, sqrt(x**2 + 1)):
        assert facts.nonnegative(expr)
    for expr in (x**3, x - 1):
        assert not facts.nonnegative(expr)


def test_ranges_usual_convention() -> None:
    """1..K has K ≥ 1 terms; 3..1 none; m..K a number of terms that may be 0 (max(0, …))."""
    assert nonempty(Integer(1), K) and count(Integer(1), K) == K
    assert not nonempty(Integer(3), Integer(1)) and count(Integer(3), Integer(1)) == 0
    assert not nonempty(m, K)
    assert count(m, K).subs({m: 5, K: 2}) == 0


def test_words_for_reports() -> None:
    """Reports describe declared domains first, then SymPy's assumptions."""
    assert UNIT.word(lam) == "in (0, 1)"
    assert Facts().word(k) == "a positive integer"
    assert Facts().word(x) == "real"
