"""Derivation records: chains run their rules, store both ends, and compose relations."""

from __future__ import annotations

import pytest
from sympy import Symbol, exp, log, oo

from calcproof import rules
from calcproof.derivation import chain, define, then
from calcproof.errors import DerivationError
from calcproof.relations import (
    Equal,
    Limit,
    Optimum,
    argmax_to_argmin,
    argmin,
    compose,
)
from calcproof.symbols import phi, z

u = Symbol("u", real=True)
LOG_EXP_U = log(exp(u), evaluate=False)


def test_chain_records_both_ends_of_every_step():
    """Each step's lhs is the previous step's rhs, and the rule name is recorded."""
    start = log(exp(u) * 2)
    derivation = chain("t", "t", start, [then("=", rules.log_of_product), then("=", rhs=u)])
    first, second = derivation.steps
    assert first.lhs == start
    assert first.rhs == second.lhs == u + log(2)
    assert second.rhs == u
    assert [s.rule for s in derivation.steps] == ["log of a product", "by hand"]
    assert derivation.start == start and derivation.end == u


def test_rule_that_does_not_apply_is_an_error():
    """A rule returning None stops the build with the step number and rule name."""
    with pytest.raises(DerivationError, match=r"step 1: rule 'log of exp' does not apply"):
        chain("t", "t", u, [then("=", rules.log_of_exp)])


def test_stated_rhs_must_match_the_rule():
    """When both a rule and an rhs are given, the rule's result must be that rhs."""
    with pytest.raises(DerivationError, match="not the stated"):
        chain("t", "t", LOG_EXP_U, [then("=", rules.log_of_exp, rhs=2 * u)])


def test_expected_end_is_checked():
    """``expect`` guards the chain's final expression."""
    with pytest.raises(DerivationError, match="not at the expected"):
        chain("t", "t", LOG_EXP_U, [then("=", rules.log_of_exp)], expect=2 * u)


def test_relations_compose_like_calc():
    """= then argmin is argmin; argmax→argmin then argmin is argmax→argmin."""
    assert compose(Equal(), argmin(phi)) == argmin(phi)
    assert compose(argmin(phi), Equal()) == argmin(phi)
    assert compose(argmax_to_argmin(phi), argmin(phi)) == Optimum((phi,), "max", "min")
    assert compose(Equal(), Limit(z, oo)) == Limit(z, oo)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Limit(z, oo), argmin(phi)),
        (argmin(phi), argmin(z)),
        (argmin(phi), argmax_to_argmin(phi)),
    ],
)
def test_incompatible_relations_do_not_compose(first, second):
    """A limit followed by an argmin, or argmins over different parameters, is an error."""
    with pytest.raises(DerivationError):
        compose(first, second)


def test_chain_rejects_incompatible_relations_at_build_time():
    """Building a chain whose relations do not compose fails immediately."""
    with pytest.raises(DerivationError):
        chain("t", "t", u, [then(argmin(phi), rhs=u), then(argmin(z), rhs=u)])


def test_definitions_come_first_and_reach_the_context():
    """Definitions are listed before the chain and unfoldable by the kernel."""
    L = Symbol("L")
    definition = define(L, u**2)
    derivation = chain(
        "t", "t", L, [then("=", rules.substitute(L, u**2))], definitions=[definition]
    )
    assert derivation.all_steps[0] is definition
    assert derivation.context.definitions == ((L, u**2),)


def test_steps_are_immutable():
    """Steps are frozen records."""
    derivation = chain("t", "t", LOG_EXP_U, [then("=", rules.log_of_exp)])
    with pytest.raises(AttributeError):
        derivation.steps[0].rhs = u  # type: ignore[misc]
