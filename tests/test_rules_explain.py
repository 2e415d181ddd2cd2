"""Rules that do not apply say why; drop_terms_free_of works inside Σ summands."""

from __future__ import annotations

import inspect

import pytest
from sympy import Sum, Symbol, exp, factorial, log

from calcproof import chain, rules, then
from calcproof.derivation import Rule
from calcproof.errors import DerivationError
from calcproof.relations import argmin
from calcproof.symbols import I, f_scalar, i, phi, x
from calcproof.testing import assert_verified


def test_log_of_product_names_the_factor_not_known_positive():
    """A log of a product with a factor of unknown sign names that factor."""
    lam = Symbol("lambda", real=True)
    n = Symbol("n", integer=True)
    expr = log(lam**n * exp(-lam) / factorial(n))
    with pytest.raises(DerivationError) as failure:
        chain("poisson", "t", expr, [then("=", rules.log_of_product)])
    text = str(failure.value)
    assert "poisson, step 1: rule 'log of a product' does not apply" in text
    assert "is not known to be positive" in text and "factorial(n)" in text


def test_rules_say_when_there_is_nothing_to_rewrite():
    """A rule with no candidate subexpression says what it looked for."""
    z = Symbol("z", real=True)
    assert rules.unfold_sigmoid().explain(z) == "no sig[…] in the expression"
    assert "no log[exp[…]]" in rules.log_of_exp.explain(z)
    assert "not known to be positive" in rules.argmax_to_argmin_neg_log.explain(z)


def test_drop_terms_free_of_phi_inside_a_sum_times_a_constant():
    """-Σ (y f − exp f − log y!) drops log y! without splitting the sum, and is verified."""
    y = Symbol("y", integer=True, nonnegative=True)
    f = f_scalar(x[i], phi)
    objective = -Sum(y * f - exp(f) - log(factorial(y)), (i, 1, I))
    derivation = chain(
        "poisson-drop", "t", objective, [then(argmin(phi), rules.drop_terms_free_of(phi))]
    )
    assert derivation.end == -Sum(y * f - exp(f), (i, 1, I))
    assert_verified(derivation)


def test_drop_terms_free_of_says_why_not():
    """With no term free of φ the rule says so, naming φ."""
    f = f_scalar(x[i], phi)
    with pytest.raises(DerivationError, match=r"no term of .* is free of phi"):
        chain("none", "t", Sum(f**2, (i, 1, I)), [then(argmin(phi), rules.drop_terms_free_of(phi))])


def test_help_of_rules_lists_every_ready_made_rule():
    """The module docstring (help(calcproof.rules)) names every public rule and factory."""
    doc = rules.__doc__ or ""
    public = [
        name
        for name, value in vars(rules).items()
        if not name.startswith("_")
        and (
            isinstance(value, Rule)
            or (
                inspect.isfunction(value)
                and value.__module__ == rules.__name__
                and _makes_rule(value)
            )
        )
    ]
    assert len(public) >= 14
    for name in public:
        assert f"    {name}" in doc, f"{name} is missing from the table in calcproof.rules"


def _makes_rule(function: object) -> bool:
    return inspect.signature(function).return_annotation in (Rule, "Rule")


def test_declaring_the_count_non_negative_makes_log_of_product_apply():
    """The README's example: with y a non-negative integer, log[λ^y exp[−λ]/y!] splits."""
    lam = Symbol("lambda", positive=True)
    y = Symbol("y", integer=True, nonnegative=True)
    expr = log(lam**y * exp(-lam) / factorial(y))
    derivation = chain("poisson", "t", expr, [then("=", rules.log_of_product)])
    assert derivation.end == -lam + log(lam**y) + log(1 / factorial(y))
    assert_verified(derivation)
