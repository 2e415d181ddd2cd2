"""Relations between equations: ``⇔`` (the same solutions) and ``⇒`` (contained solutions).

A solution is an assignment of every free letter, each in its domain (SymPy's
assumptions on the letter, and the declared :class:`~calcproof.assumptions.Facts`).

Proof methods, in order:

- *nonzero multiplier*: ``a₁ − b₁ = c·(a₂ − b₂)`` with ``c`` shown finite and
  nonzero over the domain gives ``⇔`` (for inequalities: ``c`` positive);
  ``a₂ − b₂ = c·(a₁ − b₁)`` with ``c`` finite gives ``⇒``;
- *solution sets*: with a single free letter, SymPy's ``solveset`` over the
  letter's domain decides both sets exactly (only finite sets, intervals and
  their unions are trusted; a ``ConditionSet`` is "cannot decide").

Refutation is a certificate: a point of the domain that solves one equation
exactly (``simplify`` gives 0) and not the other (nonzero at 60 digits).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    FiniteSet,
    Indexed,
    Integer,
    Integers,
    Interval,
    Mul,
    Naturals0,
    Rational,
    S,
    Sum,
    Symbol,
    Union,
    cancel,
    expand,
    factor,
    simplify,
    solveset,
)
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational
from sympy.printing.str import sstr

from calcproof.assumptions import Domain, Facts, count
from calcproof.derivation import Context
from calcproof.verdict import Verdict
from calcproof.verify.normal import canonical, linear_terms

PRECISION = 60
SIZES = (2, 3)
"""Sizes tried for a Σ's upper limit when a refutation needs concrete data."""

_VALUES = {
    "positive": (Rational(3, 2), Rational(1, 3), Integer(2)),
    "unit_interval": (Rational(1, 3), Rational(3, 4)),
    "binary": (Integer(0), Integer(1)),
    "count": (Integer(2), Integer(0), Integer(5)),
    "integer": (Integer(2), Integer(-1)),
    "real": (Rational(3, 2), Rational(-2, 3), Integer(2)),
}


def residual(rel: Basic) -> tuple[Expr, str]:
    """``(r, kind)``: the equation as ``r = 0`` (kind ``eq``), ``r > 0`` (``gt``) or ``r ≥ 0``."""
    if rel is S.true or rel is S.false:  # SymPy decided the equation as it was built
        return Integer(0 if rel is S.true else 1), "eq"
    if not isinstance(rel, Relational):
        raise TypeError(f"not an equation: {rel}")
    left, right = rel.lhs.doit(), rel.rhs.doit()
    if rel.rel_op == "==":
        return left - right, "eq"
    if rel.rel_op in (">", ">="):
        return left - right, "gt" if rel.rel_op == ">" else "ge"
    return right - left, "gt" if rel.rel_op == "<" else "ge"


def prove_equivalent(lhs: Basic, rhs: Basic, facts: Facts) -> str | None:
    """A method name when ``lhs ⇔ rhs`` is proved over the domain, else ``None``."""
    (r1, k1), (r2, k2) = residual(lhs), residual(rhs)
    r1, r2 = _shared_form(r1, r2, facts)
    if k1 == k2:
        c = _ratio(r1, r2)
        if c is not None and _sign_definite(c, facts, strict=k1 == "eq"):
            return "nonzero multiplier (one equation is the other times a nonzero factor)"
    sets = _solution_sets(lhs, rhs, facts)
    if sets is not None and _same(*sets):
        return "solution sets (solveset over the letter's domain)"
    return None


def prove_implies(lhs: Basic, rhs: Basic, facts: Facts) -> str | None:
    """A method name when every solution of ``lhs`` solves ``rhs``, else ``None``."""
    (r1, k1), (r2, k2) = residual(lhs), residual(rhs)
    r1, r2 = _shared_form(r1, r2, facts)
    if k1 == k2 == "eq":
        c = _ratio(r2, r1)
        if c is not None and _finite(c, facts):
            return "multiplier (the second equation is the first times a finite factor)"
    if prove_equivalent(lhs, rhs, facts):
        return "equivalent equations"
    sets = _solution_sets(lhs, rhs, facts)
    if sets is not None and sets[0].is_subset(sets[1]) is True:
        return "solution sets (solveset over the letter's domain)"
    return None


def _linear_form(expr: Expr, facts: Facts) -> Expr:
    """``expr`` as Σ of (factor free of the indices) × Σ_L(monomial), with canonical indices."""
    out: Expr = Integer(0)
    for term in linear_terms(expr, 0, facts):
        key, summand = canonical(term)
        if not key:
            out += summand
            continue
        bound = sorted((v for v in summand.free_symbols if v.name.startswith("ι")), key=str)
        bound_all = [next((v for v in bound if v.name == f"ι{n}"), None) for n in range(len(key))]
        if any(v is None for v in bound_all):
            out += summand * count_all(key)
            continue
        limits = [(v, lo, up) for v, (lo, up) in zip(bound_all, key, strict=True)]
        for part in Add.make_args(expand(summand)):
            factor, rest = part.as_independent(*bound, as_Add=False)
            out += factor * Sum(rest, *limits)
    return out


def count_all(key: Sequence[tuple[Expr, Expr]]) -> Expr:
    out: Expr = Integer(1)
    for lo, up in key:
        out *= count(lo, up)
    return out


def _shared_form(r1: Expr, r2: Expr, facts: Facts) -> tuple[Expr, Expr]:
    """Both residuals with each Σ, datum and network output replaced by one shared letter."""
    if not (r1.has(Sum) or r2.has(Sum)):
        return r1, r2
    try:
        a, b = _linear_form(r1, facts), _linear_form(r2, facts)
    except Exception:  # no linear form: compare as written
        return r1, r2
    opaque = sorted(a.atoms(Sum) | b.atoms(Sum), key=str)
    names = {}
    for n, atom in enumerate(opaque):
        assumptions = {"positive": True} if facts.positive(atom) else {"real": True}
        names[atom] = Symbol(f"Σ{n}", **assumptions)
    return a.xreplace(names), b.xreplace(names)


def _ratio(top: Expr, bottom: Expr) -> Expr | None:
    if bottom == 0:
        return None
    c = cancel(simplify(top / bottom))
    return None if c.has(S.NaN, S.ComplexInfinity) else c


def _sign_definite(c: Expr, facts: Facts, strict: bool) -> bool:
    """``c`` positive (and, for an equation, alternatively negative) over the whole domain."""
    if facts.positive(c):
        return True
    if strict and facts.positive(-c):
        return True
    sign = _factor_sign(c, facts)
    return sign == 1 or (strict and sign == -1)


def _factor_sign(c: Expr, facts: Facts) -> int:
    """+1 or −1 when every factor of ``factor(c)`` has a sign shown over the domain, else 0."""
    sign = 1
    for part in Mul.make_args(factor(c)):
        base, power = part.as_base_exp()
        if not (power.is_integer and power.is_nonzero):
            base, power = part, Integer(1)
        if facts.positive(base):
            continue
        if not facts.positive(-base):
            return 0
        sign *= -1 if power.is_odd else 1
    return sign


def _finite(c: Expr, facts: Facts) -> bool:
    if c.is_finite is True:
        return True
    letters = c.free_symbols
    return c.is_polynomial(*letters) and all(s.is_finite or facts.real(s) for s in letters)


def _domain(sym: Symbol, facts: Facts) -> Basic:
    dom = facts.domain(sym)
    if dom == "unit_interval":
        return Interval.open(0, 1)
    if dom == "binary":
        return FiniteSet(0, 1)
    if dom == "count" or (sym.is_integer and sym.is_nonnegative):
        return Naturals0 if not sym.is_positive else Naturals0 - FiniteSet(0)
    if dom == "integer" or sym.is_integer:
        return Integers
    if dom == "positive" or sym.is_positive:
        return Interval.open(0, S.Infinity)
    if sym.is_nonnegative:
        return Interval(0, S.Infinity)
    return S.Reals


_TRUSTED = (FiniteSet, Interval, Union)


def _solve(rel: Basic, sym: Symbol, domain: Basic) -> Basic | None:
    found = solveset(rel, sym, domain)
    if found is S.EmptySet or isinstance(found, _TRUSTED):
        parts = found.args if isinstance(found, Union) else (found,)
        if all(p is S.EmptySet or isinstance(p, FiniteSet | Interval) for p in parts):
            return found
    return None


def _solution_sets(lhs: Basic, rhs: Basic, facts: Facts) -> tuple[Basic, Basic] | None:
    """Both solution sets when the pair has exactly one free letter (a plain symbol)."""
    letters = lhs.free_symbols | rhs.free_symbols
    if len(letters) != 1 or lhs.atoms(Indexed, AppliedUndef) or rhs.atoms(Indexed, AppliedUndef):
        return None
    (sym,) = letters
    if not isinstance(sym, Symbol):
        return None
    domain = _domain(sym, facts)
    first, second = _solve(lhs.doit(), sym, domain), _solve(rhs.doit(), sym, domain)
    return None if first is None or second is None else (first, second)


def _same(a: Basic, b: Basic) -> bool:
    if a == b:
        return True
    if isinstance(a, FiniteSet) and isinstance(b, FiniteSet):
        return _covers(a, b) and _covers(b, a)
    return False


def _covers(a: FiniteSet, b: FiniteSet) -> bool:
    return all(any(simplify(x - y) == 0 for y in a.args) for x in b.args)


# --- refutation ---------------------------------------------------------------------


def refute_equations(lhs: Basic, rhs: Basic, both_ways: bool, ctx: Context) -> Verdict | None:
    """A certificate against ``lhs ⇒ rhs`` (and, ``both_ways``, against ``rhs ⇒ lhs``)."""
    facts = ctx.facts
    pairs = [(lhs, rhs, _show(lhs), _show(rhs))]
    if both_ways:
        pairs.append((rhs, lhs, _show(rhs), _show(lhs)))
    for solves, fails, one, other in pairs:
        found = _separating_point(solves, fails, facts)
        if found is not None:
            point, value = found
            where = ", ".join(f"{k} = {v}" for k, v in point)
            return Verdict(
                "refuted",
                "counterexample (a solution of one equation that is not a solution of the other)",
                f"at {where}: {one} holds exactly, {other} does not (its two sides differ "
                f"by {value}); {_domains_used(lhs, rhs, facts)}",
                point,
            )
    return None


def _domains_used(lhs: Basic, rhs: Basic, facts: Facts) -> str:
    letters = [s for s in lhs.free_symbols | rhs.free_symbols if isinstance(s, Symbol)]
    words = [f"{name} {word}" for name, word in facts.describe(letters)]
    return "domain used: " + (", ".join(words) if words else "all letters real")


def _show(rel: Basic) -> str:
    """An equation in words short enough for a message."""
    if isinstance(rel, Relational):
        op = {"==": "=", "<=": "≤", ">=": "≥"}.get(rel.rel_op, rel.rel_op)
        text = f"{sstr(rel.lhs)} {op} {sstr(rel.rhs)}"
    else:
        text = sstr(rel)
    return text if len(text) <= 70 else text[:69] + "…"


def _separating_point(
    solves: Basic, fails: Basic, facts: Facts
) -> tuple[tuple[tuple[str, str], ...], str] | None:
    for concrete_solves, concrete_fails, sizes, data in _concrete(solves, fails, facts):
        facts = Facts(facts.domains + data)
        for unknown, values in _assignments(concrete_solves, concrete_fails, facts):
            eq = concrete_solves.subs(values)
            domain = _domain(unknown, facts) if isinstance(unknown, Symbol) else S.Reals
            found = _solve(eq, unknown, domain) if isinstance(unknown, Symbol) else None
            if not isinstance(found, FiniteSet):
                continue
            for root in found.args:
                point = {**values, unknown: root}
                certificate = _check_point(concrete_solves, concrete_fails, point)
                if certificate is not None:
                    shown = {**sizes, **point}
                    return tuple((str(k), str(v)) for k, v in shown.items()), certificate
    return None


def _concrete(
    solves: Basic, fails: Basic, facts: Facts
) -> Iterator[tuple[Basic, Basic, dict[Basic, Basic], tuple[tuple[Basic, Domain], ...]]]:
    """The pair with every Σ written out for small sizes, opaque data replaced by letters
    that keep the data's declared domain (a label y_i stays in {0, 1})."""
    ranges = sorted(
        {u for s in (solves.atoms(Sum) | fails.atoms(Sum)) for *_, u in s.limits if u.is_Symbol},
        key=str,
    )
    for choice in itertools.product(SIZES, repeat=len(ranges)) if ranges else [()]:
        sizes = dict(zip(ranges, (Integer(n) for n in choice), strict=True))
        a, b = solves.subs(sizes).doit(), fails.subs(sizes).doit()
        atoms = sorted(a.atoms(Indexed, AppliedUndef) | b.atoms(Indexed, AppliedUndef), key=str)
        names = {atom: Symbol(str(atom), **_assumed(atom, facts)) for atom in atoms}
        data = tuple(
            (new, dom) for atom, new in names.items() if (dom := facts.domain(atom)) is not None
        )
        yield a.xreplace(names), b.xreplace(names), sizes, data


def _assumed(atom: Basic, facts: Facts) -> dict[str, bool]:
    dom = facts.domain(atom)
    if dom in ("binary", "count"):
        return {"integer": True, "nonnegative": True}
    if dom == "integer":
        return {"integer": True}
    if dom in ("positive", "unit_interval") or facts.positive(atom):
        return {"positive": True}
    return {"real": True}


def _assignments(solves: Basic, fails: Basic, facts: Facts) -> Iterator[tuple[Symbol, dict]]:
    letters = sorted(solves.free_symbols | fails.free_symbols, key=str)
    for unknown in letters:
        others = [
            s for s in letters if s != unknown and s in solves.free_symbols | fails.free_symbols
        ]
        pools = [_VALUES[_kind(s, facts)] for s in others]
        for values in itertools.islice(itertools.product(*pools), 6):
            yield unknown, dict(zip(others, values, strict=True))


def _kind(sym: Symbol, facts: Facts) -> str:
    dom = facts.domain(sym)
    if dom is not None and dom in _VALUES:
        return dom
    if sym.is_integer:
        return "count" if sym.is_nonnegative else "integer"
    return "positive" if sym.is_positive else "real"


def _check_point(solves: Basic, fails: Basic, point: dict) -> str | None:
    """The size of ``fails``' residual when ``solves`` holds exactly at ``point`` and it is not."""
    (r1, _), (r2, kind) = residual(solves), residual(fails)
    if kind != "eq" or residual(solves)[1] != "eq":
        return None
    at1, at2 = r1.subs(point), r2.subs(point)
    if simplify(at1) != 0 or at2.has(S.NaN, S.ComplexInfinity, S.Infinity):
        return None
    value = at2.evalf(PRECISION)
    if not value.is_number or not value.is_real or Abs(value) < Rational(1, 10**30):
        return None
    if simplify(at2) == 0:
        return None
    return str(value.evalf(8))


__all__ = ["prove_equivalent", "prove_implies", "refute_equations"]
