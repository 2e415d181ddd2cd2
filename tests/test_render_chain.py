"""Tests of the derivation renderer: layout, operators by position, and verdict marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sympy import Symbol, oo

from calcproof import registry
from calcproof.derivation import Derivation
from calcproof.render.chain import ChainOptions, claim, derivation_tex
from calcproof.render.notation import STANDARD
from calcproof.verdict import Verdict

DERIVATIONS = Path(__file__).resolve().parent.parent / "derivations"


@pytest.fixture(scope="module")
def content() -> registry.Content:
    return registry.load(DERIVATIONS)


def marks(derivation: Derivation, status: str) -> tuple[Verdict, ...]:
    return tuple(
        Verdict("definition" if step.rule == "definition" else status, "test")  # type: ignore[arg-type]
        for step in derivation.all_steps
    )


def test_limit_chain_reads_like_the_book(content):
    """Lines before the limit step carry lim_{z -> -inf}; the last line is the value."""
    derivation = content.derivation("sigmoid-minus-infinity")
    tex = derivation_tex(derivation, marks(derivation, "verified"))
    lines = tex.splitlines()
    assert lines[0] == r"\begin{align*}"
    lim = r"\lim_{z \to -\infty}"
    assert lines[1].startswith(
        rf"  {lim} \operatorname{{sig}}[z] &= {lim} \frac{{1}}{{1 + \exp[-z]}}"
    )
    assert lines[2].startswith(r"  &= 0 \tag*{\why{")
    assert claim(derivation, ChainOptions()) == r"\lim_{z \to -\infty} \operatorname{sig}[z] = 0"


def test_plus_infinity_is_written_with_its_sign(content):
    """The limit at +oo is written z -> +infinity, as in the statement."""
    derivation = content.derivation("sigmoid-plus-infinity")
    assert claim(derivation, ChainOptions()).startswith(r"\lim_{z \to +\infty}")


def test_argmax_turns_into_argmin_at_the_negative_log_step(content):
    """Lines before the negative-log step are argmax, the lines after it argmin."""
    derivation = content.derivation("gaussian-least-squares")
    tex = derivation_tex(derivation, marks(derivation, "verified"))
    rows = [r for r in tex.split(" \\\\\n") if "argm" in r]
    senses = ["argmax" if "argmax" in r else "argmin" for r in rows]
    assert senses == ["argmax", "argmax"] + ["argmin"] * 7
    assert rows[0].lstrip().startswith(r"\hat{\boldsymbol{\phi}} &= \underset{\boldsymbol{\phi}}")
    assert r"\operatorname{argmin}}\left[\sum_{i=1}^{I}\sum_{d=1}^{10}" in rows[-1]


def test_standard_profile_uses_subscript_argmin_and_parentheses(content):
    """The standard profile writes argmin_phi and sigma(z)."""
    derivation = content.derivation("sigmoid-at-zero")
    tex = derivation_tex(derivation, None, ChainOptions(STANDARD))
    assert r"\sigma(0) &= \frac{1}{1 + \exp(0)}" in tex
    lsq = derivation_tex(content.derivation("gaussian-least-squares"), None, ChainOptions(STANDARD))
    assert r"\operatorname*{argmin}_{\boldsymbol{\phi}}" in lsq


def test_marks_come_only_from_verdicts(content):
    """A verified verdict gives a check mark; refuted and unknown are marked UNVERIFIED."""
    derivation = content.derivation("sigmoid-at-zero")
    assert r"\verifiedmark" in derivation_tex(derivation, marks(derivation, "verified"))
    refuted = derivation_tex(derivation, marks(derivation, "refuted"))
    assert r"\refutedmark" in refuted and r"\verifiedmark" not in refuted
    unknown = derivation_tex(derivation, marks(derivation, "unknown"))
    assert r"\unknownmark" in unknown and r"\verifiedmark" not in unknown
    bare = derivation_tex(derivation, None)
    assert "mark}" not in bare


def test_reasons_are_written_in_words_with_side_conditions(content):
    """Justifications appear in text, Unicode translated, and can be reworded per step."""
    derivation = content.derivation("sigmoid-minus-infinity")
    tex = derivation_tex(derivation)
    assert r"exp[\ensuremath{-}\ensuremath{z}] \ensuremath{\to} +\ensuremath{\infty}" in tex
    reworded = derivation_tex(derivation, None, ChainOptions(reasons={2: "as z grows"}))
    assert r"\why{as z grows}" in reworded


def test_definition_rows_come_first_with_the_books_equals(content):
    """The likelihood definition is its own row, written with '=' in the udl profile."""
    tex = derivation_tex(content.derivation("gaussian-least-squares"))
    first = tex.splitlines()[1]
    assert first.startswith(r"  \Pr(y_{i} \mid \mathbf{f}[\mathbf{x}_{i}, \boldsymbol{\phi}]")
    assert r"&= \prod_{d=1}^{10}" in first
    assert r"&:= \prod" in derivation_tex(
        content.derivation("gaussian-least-squares"), None, ChainOptions(STANDARD)
    )


def test_repr_latex_renders_without_running_the_kernel(content, monkeypatch):
    """A Derivation shows as self-contained LaTeX in Jupyter, with no verdict marks."""
    import calcproof.verify as kernel

    monkeypatch.setattr(kernel, "check_step", lambda *a, **k: pytest.fail("kernel ran"))
    tex = content.derivation("bce-y0")._repr_latex_()
    assert tex.startswith(r"\begin{align*}")
    assert r"\tag*{\text{set y = 0}}" in tex
    assert r"\why" not in tex and "mark" not in tex


def test_symbol_at_finite_limit_point_shows_the_side():
    """A one-sided limit at a finite point is written with its side, 0^{+}."""
    from calcproof.derivation import chain, then
    from calcproof.relations import Limit

    t = Symbol("t", positive=True)
    derivation = chain("t", "t -> 0", t, [then(Limit(t, 0, "+"), rhs=t * 0, why="trivial")])
    assert r"\lim_{t \to 0^{+}} t" in derivation_tex(derivation)
    assert oo not in derivation.start.atoms()


def test_long_sums_are_broken_across_lines_inside_the_argmin():
    """A sum too wide for the page is split at its terms, bracket opened and closed once."""
    from sympy import exp

    from calcproof.derivation import chain, then
    from calcproof.relations import argmin
    from calcproof.symbols import phi

    terms = [exp(Symbol(f"a{k}") * phi) / (1 + Symbol(f"a{k}") ** 2) for k in range(12)]
    long = sum(terms)
    derivation = chain("long", "long", long, [then(argmin(phi), rhs=long + 5, why="constant")])
    rows = derivation_tex(derivation).split(" \\\\\n")
    assert len(rows) >= 4
    assert sum(r.count(r"\biggl[") for r in rows) == 2
    assert sum(r.count(r"\biggr]") for r in rows) == 2
    assert rows[-1].endswith(r"\biggr] \tag*{\why{constant}{}}" + "\n\\end{align*}\n")
    assert all(r.lstrip().startswith(r"&\qquad + ") for r in rows if r"\qquad" in r)


def test_activity4_lines_fit_without_breaking(content):
    """The Activity 4 chains are narrow enough to stay one row per step."""
    tex = derivation_tex(content.derivation("gaussian-least-squares"))
    assert r"\biggl" not in tex and r"\qquad" not in tex


def test_width_estimate_counts_fractions_by_their_wider_part():
    """A fraction is as wide as its numerator or denominator, not both."""
    from calcproof.render.width import estimate

    assert estimate(r"\frac{1}{2 \sigma^{2}}") < estimate(r"1 2 \sigma^{2}")
    assert estimate(r"\mathbf{x}_{i}") < 2
    assert estimate("abcdef") == 6
