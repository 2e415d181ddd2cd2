"""Say what the slip is: for a refuted step, the kind of slip and a corrected line.

Candidate corrections of the right-hand side (or, for a limit, of the point and
direction) are made by slip kind — a term with the wrong sign, a term missing or
extra, a constant factor, an exponent, two symbols swapped, a function replaced,
a term moved out of its Σ, and for an argmin/argmax claim a negative multiplier,
a dropped φ-dependent term or a non-monotone transform.  The terms of
``lhs − rhs`` that do not cancel summand-wise (:func:`linear_terms`,
:func:`group`) give the missing term.  Candidates are tried simplest first with
the kernel's own provers; only one that the kernel *verifies* is ever reported
(:func:`calcproof.verify.check_step` confirms it once more before it is shown).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Indexed,
    IndexedBase,
    Integer,
    Mul,
    Pow,
    Product,
    Rational,
    Sum,
    Symbol,
    Tuple,
    cancel,
    cos,
    exp,
    log,
    sin,
    sympify,
)
from sympy.core.function import AppliedUndef

from calcproof import diagnose_screen as screen
from calcproof.derivation import Context, Step
from calcproof.losses import sig
from calcproof.relations import Equal, Limit, Optimum
from calcproof.render.latex import latex
from calcproof.render.notation import PROFILES, Notation
from calcproof.verdict import Diagnosis, Verdict
from calcproof.verify.budget import alarm, run_bounded
from calcproof.verify.normal import Term, canonical, expand_logs, group, linear_terms, unfold
from calcproof.verify.prove import depends, prove_equal, prove_limit, prove_optimum

CANDIDATE_SECONDS = 1.5
"""Proof budget for one candidate correction."""
MAX_CANDIDATES = 80

Path = tuple[int, ...]
Names = dict[str, list[Basic]]


@dataclass(frozen=True)
class Candidate:
    """A corrected step, the slip kind it stands for and the term concerned."""

    kind: str
    term: Expr
    step: Step
    note: str = ""


class _Timeout(BaseException):
    """A candidate's proof ran out of its share of the budget."""


# --- positions in an expression ---------------------------------------------------


def _paths(expr: Basic, path: Path = ()) -> Iterator[tuple[Path, Basic]]:
    """Every subexpression with its position; Σ limits, indices and network outputs are leaves."""
    yield path, expr
    if isinstance(expr, Indexed | AppliedUndef | Tuple):
        return
    for n, arg in enumerate(expr.args):
        yield from _paths(arg, (*path, n))


def _at(expr: Basic, path: Path, new: Basic) -> Basic:
    """``expr`` with the subexpression at ``path`` replaced by ``new``."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _at(args[path[0]], path[1:], new)
    return expr.func(*args)


def _size(expr: Basic) -> int:
    return sum(1 for _ in _paths(expr))


# --- candidates by kind -------------------------------------------------------------


def _signs(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    yield "wrong sign", rhs, -rhs
    for path, node in _paths(rhs):
        if isinstance(node, Add):
            for n, arg in enumerate(node.args):
                yield "wrong sign", arg, _at(rhs, (*path, n), -arg)


def _extra(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    for path, node in _paths(rhs):
        if isinstance(node, Add):
            for n, arg in enumerate(node.args):
                rest = Add(*[a for k, a in enumerate(node.args) if k != n])
                yield "extra term", arg, _at(rhs, path, rest)


def _constants(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    for path, node in _paths(rhs):
        if isinstance(node, Rational) and node not in (Integer(-1), Integer(0)):
            k = node
            options = [k / 2, 2 * k, k - 1, k + 1, 1 / k]
            if not k.is_Integer:
                options += [Rational(k.p, k.q - 1), Rational(k.p, k.q + 1)]
            for new in options:
                if new != k and new != 0:
                    yield "constant factor", node, _at(rhs, path, new)
    for c in (Rational(1, 2), Integer(2), Rational(1, 4), Integer(4), Rational(1, 3), Integer(3)):
        yield "constant factor", c, c * rhs


def _counts(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    """``1/I`` vs ``1/(I − 1)``: a symbol ``n`` (a count) shifted by one where it is a divisor."""
    for path, node in _paths(rhs):
        if isinstance(node, Pow) and node.exp.is_negative:
            base = node.base
            for new in (base - 1, base + 1):
                yield "constant factor", node, _at(rhs, path, Pow(new, node.exp))


def _exponents(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    """A lost square: ``|u| → u²``, ``u → u²`` for a bracketed sum ``u``; ``u^e → u^(e ± 1)`` …"""
    for path, node in _paths(rhs):
        if isinstance(node, Pow) and node.exp.is_Integer:
            e = node.exp
            for new in (e / 2, e - 1, e + 1, 2 * e, -e):
                if new not in (0, 1) or (new == 1 and e == 2):
                    yield "exponent", node, _at(rhs, path, node.base**new)
        elif isinstance(node, Abs):
            yield "exponent", node, _at(rhs, path, node.args[0] ** 2)
        elif isinstance(node, Add) and path:
            yield "exponent", node, _at(rhs, path, node**2)


def _ranges(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    """A Σ/∏ bound off by one (``Σ_{i=2}`` for ``Σ_{i=1}``)."""
    for path, node in _paths(rhs):
        if not isinstance(node, Sum | Product):
            continue
        for n, (var, lower, upper) in enumerate(node.limits):
            for lo, hi in (
                (lower - 1, upper),
                (lower + 1, upper),
                (lower, upper + 1),
                (lower, upper - 1),
            ):
                limits = list(node.limits)
                limits[n] = Tuple(var, lo, hi)
                new = node.func(node.function, *limits)
                yield "sum range", Tuple(var, lower, upper), _at(rhs, path, new)


def _atoms(rhs: Expr) -> list[Basic]:
    bound = {lim[0] for obj in rhs.atoms(Sum, Product) for lim in obj.limits}
    found: list[Basic] = []
    for _, node in _paths(rhs):
        plain = isinstance(node, Symbol) and node not in bound
        if (plain or isinstance(node, Indexed | AppliedUndef)) and node not in found:
            found.append(node)
    return found[:10]


def _swaps(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    atoms = _atoms(rhs)
    for n, a in enumerate(atoms):
        for b in atoms[n + 1 :]:
            yield "swapped symbols", Tuple(a, b), rhs.xreplace({a: b, b: a})


def _functions(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    for path, node in _paths(rhs):
        if isinstance(node, log):
            yield "function replaced", node, _at(rhs, path, exp(node.args[0]))
        elif isinstance(node, exp):
            yield "function replaced", node, _at(rhs, path, log(node.args[0]))
        elif isinstance(node, sig):
            yield "function replaced", node, _at(rhs, path, 1 - node)
        if isinstance(node, Add) and len(node.args) == 2 and Integer(1) in node.args:
            other = next(a for a in node.args if a != 1)
            if isinstance(-other, sig):
                yield "function replaced", node, _at(rhs, path, -other)


def _into_sum(rhs: Expr) -> Iterator[tuple[str, Expr, Expr]]:
    """A term next to ``c Σ…`` that uses the Σ's index: move it back inside (all nested Σ)."""
    for path, node in _paths(rhs):
        if not isinstance(node, Add):
            continue
        for n, arg in enumerate(node.args):
            coeff, total = arg.as_independent(Sum, as_Add=False)
            if not isinstance(total, Sum):
                continue
            for k, term in enumerate(node.args):
                if k == n:
                    continue
                rest = [a for j, a in enumerate(node.args) if j not in (n, k)]
                for inner in dict.fromkeys((term, term / coeff)):  # as bracketed, or as valued
                    moved = _inside(total, inner)
                    if moved is not None:
                        yield "outside sum", term, _at(rhs, path, Add(coeff * moved, *rest))


def _inside(total: Sum, term: Expr) -> Expr | None:
    """``Σ (body + term)`` at the innermost nested Σ, when ``term`` uses some index."""
    indices = {lim[0] for lim in total.limits}
    inner = total.function
    if isinstance(inner, Sum):
        deeper = _inside(inner, term)
        if deeper is not None:
            return Sum(deeper, *total.limits)
    if not term.free_symbols & (indices | {lim[0] for lim in _nested(total)}):
        return None
    return Sum(inner + term, *total.limits)


def _nested(total: Sum) -> list[Tuple]:
    out = []
    inner: Basic = total.function
    while isinstance(inner, Sum):
        out.extend(inner.limits)
        inner = inner.function
    return out


def _rebuild(key: tuple[tuple[Expr, Expr], ...], summand: Expr, names: Names) -> Expr:
    """A grouped term (canonical ι indices) as an expression, indices named as the user did."""
    if not key:
        return summand
    used: dict[str, int] = {}
    limits: list[tuple[Basic, Expr, Expr]] = []
    for lo, hi in key:
        known = names.get(f"{lo}:{hi}", [])
        k = used.get(f"{lo}:{hi}", 0)
        used[f"{lo}:{hi}"] = k + 1
        var = known[k] if k < len(known) else Symbol(f"k{len(limits)}", integer=True)
        limits.append((var, lo, hi))
    rename = {s: limits[int(s.name[1:])][0] for s in summand.free_symbols if s.name.startswith("ι")}
    return Sum(summand.xreplace(rename), *limits)


def _index_names(*exprs: Expr) -> Names:
    names: Names = {}
    for expr in exprs:
        for obj in expr.atoms(Sum):
            for var, lo, hi in obj.limits:
                if var not in names.setdefault(f"{lo}:{hi}", []):
                    names[f"{lo}:{hi}"].append(var)
    return names


def _residual(lhs: Expr, rhs: Expr, ctx: Context) -> list[Expr]:
    """The terms of ``lhs − rhs`` that do not cancel summand-wise, when all are terms of ``lhs``.

    Empty unless every left-over monomial is one the left-hand side has (the right
    side *dropped* it); anything else is a rewrite, not a missing term.
    """
    facts = ctx.facts
    a = linear_terms(expand_logs(lhs, facts), facts=facts)
    b = linear_terms(expand_logs(rhs, facts), facts=facts)
    return _left_over(a, b, Integer(1), _index_names(lhs, rhs))


def _left_over(a: list[Term], b: list[Term], c: Expr, names: Names) -> list[Expr]:
    """``a − c·b`` summand-wise, if every left-over monomial is one of ``a``'s (else ``[]``)."""
    have = {key: _monomials(v) for key, v in group(a).items()}
    out = []
    for key, summand in group(a + [Term(t.limits, -c * t.summand) for t in b]).items():
        value = summand.expand()
        if value == 0:
            continue
        if not all(_part_of(m, k, have.get(key, {})) for m, k in _monomials(value).items()):
            return []
        out.append(_rebuild(key, value, names))
    return out


def _monomials(expr: Expr) -> dict[Expr, Expr]:
    """``{monomial: coefficient}`` of the expanded ``expr``."""
    out: dict[Expr, Expr] = {}
    for term in Add.make_args(expr.expand()):
        coeff, rest = term.as_coeff_Mul()
        out[rest] = out.get(rest, Integer(0)) + coeff
    return out


def _part_of(monomial: Expr, coeff: Expr, have: dict[Expr, Expr]) -> bool:
    """True when ``coeff·monomial`` is all or part of a term the lhs has (same sign, not more)."""
    ratio = coeff / have[monomial] if have.get(monomial, 0) != 0 else None
    return ratio is not None and bool(0 < ratio <= 1)


def _missing(step: Step, ctx: Context) -> Iterator[tuple[str, Expr, Expr]]:
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    left = _residual(lhs, rhs, ctx) if rhs != 0 else []  # for ``= 0`` it would be the whole lhs
    if 0 < len(left) <= 2 and not _undoes(Add(*left), rhs, ctx) and not _escaped(Add(*left), lhs):
        term = Add(*left)
        yield "missing term", term, step.rhs + term


def _undoes(term: Expr, rhs: Expr, ctx: Context) -> bool:
    """True when adding ``term`` would cancel a term the user wrote (a rewrite, not an addition)."""
    written = {summand for _, summand in map(canonical, linear_terms(rhs, facts=ctx.facts))}
    added = [canonical(t)[1] for t in linear_terms(term, facts=ctx.facts)]
    return any((-t).expand() in written or -t in written for t in added)


def _optimum(step: Step, ctx: Context) -> Iterator[tuple[str, Expr, Expr]]:
    rel = step.relation
    assert isinstance(rel, Optimum)
    rhs = step.rhs
    coeff, _ = rhs.as_coeff_Mul()
    if rel.lhs_sense != rel.rhs_sense:
        yield "argmax to argmin without negating", Integer(-1), -rhs
    elif coeff.is_negative or rel.lhs_sense == rel.rhs_sense:
        yield "negative multiplier", coeff, -rhs
    if (isinstance(rhs, Pow) and rhs.exp.is_even) or isinstance(rhs, Abs | sin | cos):
        yield "non-monotone transform", rhs, rhs.args[0]
    if isinstance(rhs, exp) or (isinstance(rhs, Mul) and coeff.is_negative and rhs.has(exp)):
        yield "non-monotone transform", rhs, log(rhs) if isinstance(rhs, exp) else -log(-rhs)
    yield from _dropped(step, ctx)


def _dropped(step: Step, ctx: Context) -> Iterator[tuple[str, Expr, Expr]]:
    """The φ-dependent terms of ``a − c·b`` (oriented objectives), ``c`` 1 or a shared ratio."""
    rel = step.relation
    assert isinstance(rel, Optimum)
    facts = ctx.facts
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    a = linear_terms(expand_logs(lhs if rel.lhs_sense == "min" else -lhs, facts), facts=facts)
    b = linear_terms(expand_logs(rhs if rel.rhs_sense == "min" else -rhs, facts), facts=facts)
    a = [t for t in a if depends(t, rel.params)]
    b = [t for t in b if depends(t, rel.params)]
    ga, gb = group(a), group(b)
    ratios: list[Expr] = [Integer(1)]
    for key in set(ga) & set(gb):
        for term in Add.make_args(ga[key].expand()):
            for other in Add.make_args(gb[key].expand()):
                ratio = cancel(term / other)
                if ratio.is_positive and not ratio.has(*rel.params) and ratio not in ratios:
                    ratios.append(ratio)
    names = _index_names(lhs, rhs)
    sign = 1 if rel.rhs_sense == "min" else -1
    for c in ratios[:4]:
        terms = _left_over(a, b, c, names)
        if 0 < len(terms) <= 2 and not _escaped(Add(*terms), lhs):
            term = Add(*terms) / c
            yield "dropped φ-term", term, step.rhs + sign * term


def _limits(step: Step) -> Iterator[tuple[str, Expr, Step]]:
    rel = step.relation
    assert isinstance(rel, Limit)
    for direction in ("+", "-"):
        if direction != rel.direction and sympify(rel.point).is_finite:
            yield (
                "limit direction",
                rel.point,
                replace(step, relation=Limit(rel.var, rel.point, direction)),
            )


def candidates(step: Step, ctx: Context) -> Iterator[Candidate]:
    """Corrections of ``step`` by slip kind, roughly simplest first (never checked here)."""
    step = _sympified(step)
    rel = step.relation
    rhs = step.rhs
    if isinstance(rel, Limit):
        for kind, term, new in _limits(step):
            yield Candidate(kind, term, new)
        value = _limit_value(step, ctx)
        if value is not None:
            yield Candidate("limit value", rhs, replace(step, rhs=value))
        for point in (Integer(0), Integer(1), Integer(-1)):
            if point != rel.point:
                yield Candidate(
                    "limit point", rel.point, replace(step, relation=replace(rel, point=point))
                )
        return
    groups = [_into_sum(rhs)]
    if isinstance(rel, Optimum):
        groups.append(_optimum(step, ctx))
    groups += [_signs(rhs), _functions(rhs), _exponents(rhs), _constants(rhs), _ranges(rhs)]
    groups += [_counts(rhs)]
    groups += [_swaps(rhs), _extra(rhs)]
    if isinstance(rel, Equal):
        groups.append(_missing(step, ctx))
    seen = {rhs}
    for found in groups:
        ordered = sorted(found, key=lambda c: _size(c[1]))
        for kind, term, new in ordered:
            if new in seen or not _escaped(new, step.lhs) <= _escaped(step.lhs, step.lhs):
                continue
            seen.add(new)
            yield Candidate(kind, term, replace(step, rhs=new))


def _escaped(expr: Expr, other: Expr) -> set[Basic]:
    """Σ/∏ indices (of ``expr`` or ``other``) that ``expr`` uses outside their Σ/∏."""
    bound = {
        lim[0] for side in (expr, other) for obj in side.atoms(Sum, Product) for lim in obj.limits
    }
    return {s for s in expr.free_symbols if s in bound}


def _sympified(step: Step) -> Step:
    rel = step.relation
    if isinstance(rel, Limit):
        rel = Limit(sympify(rel.var), sympify(rel.point), rel.direction)
    return replace(step, relation=rel, lhs=sympify(step.lhs), rhs=sympify(step.rhs))


def _limit_value(step: Step, ctx: Context) -> Expr | None:
    from calcproof.verify.prove import compute_limit

    assert isinstance(step.relation, Limit)
    try:
        return compute_limit(unfold(step.lhs, ctx.definitions), step.relation)
    except Exception:  # SymPy failing to compute is no diagnosis
        return None


def _screen(step: Step, ctx: Context) -> Callable[[Step], bool]:
    """A cheap test that rejects candidates visibly not fixing ``step`` (see the screen module)."""
    rel = step.relation
    lhs = unfold(step.lhs, ctx.definitions)
    if isinstance(rel, Equal):
        left = screen.terms(lhs, ctx)
        return lambda cand: screen.equal_plausible(left, unfold(cand.rhs, ctx.definitions), ctx)
    if isinstance(rel, Optimum):
        a = screen.terms(lhs if rel.lhs_sense == "min" else -lhs, ctx)

        def optimum(cand: Step) -> bool:
            rhs = unfold(cand.rhs, ctx.definitions)
            b = screen.terms(rhs if rel.rhs_sense == "min" else -rhs, ctx)
            return screen.optimum_plausible(a, b, rel.params, ctx)

        return optimum
    return lambda cand: True


def proves(step: Step, ctx: Context) -> bool:
    """True when the kernel's prover (the first stage of ``check_step``) proves ``step``."""
    lhs = unfold(step.lhs, ctx.definitions)
    rhs = unfold(step.rhs, ctx.definitions)
    rel = step.relation
    if isinstance(rel, Equal):
        return prove_equal(lhs, rhs, ctx.facts) is not None
    if isinstance(rel, Optimum):
        return prove_optimum(lhs, rhs, rel, ctx.facts, []) is not None
    if isinstance(rel, Limit):
        return prove_limit(lhs, rhs, rel) is not None
    return False


def search(step: Step, ctx: Context, seconds: float) -> Candidate | None:
    """The first candidate (simplest first) the prover proves within ``seconds`` in all.

    Candidates that the numeric screen (:mod:`calcproof.diagnose_screen`) rejects
    are skipped; the screen only saves the prover's time, it never accepts.
    """
    deadline = time.perf_counter() + seconds
    plausible = _screen(step, ctx)
    for n, cand in enumerate(candidates(step, ctx)):
        left = deadline - time.perf_counter()
        if n >= MAX_CANDIDATES or left <= 0:
            return None
        try:
            with alarm(min(CANDIDATE_SECONDS, left), _Timeout):
                if plausible(cand.step) and proves(cand.step, ctx):
                    return cand
        except _Timeout:
            continue
        except Exception:  # a SymPy failure on a candidate is "not this one"
            continue
    return None


# --- wording ------------------------------------------------------------------------


def describe(cand: Candidate, original: Step) -> Diagnosis:
    """The diagnosis shown to the user: kind, term and corrected line as LaTeX (udl notation).

    The same diagnosis in every notation profile is kept in ``notations``.
    """
    written = {name: _written(cand, original, notation) for name, notation in PROFILES.items()}
    term, suggestion, summary = written["udl"]
    others = tuple((name, *texts) for name, texts in written.items())
    return Diagnosis(cand.kind, term, suggestion, summary, notations=others)


def _written(cand: Candidate, original: Step, notation: Notation) -> tuple[str, str, str]:
    term = _readable(cand.term)
    if cand.kind == "swapped symbols":
        a, b = term.args
        term_tex = f"{latex(a, notation)}, {latex(b, notation)}"
    elif cand.kind == "sum range":
        var, lo, hi = (latex(e, notation) for e in term.args)
        term_tex = rf"{var} = {lo}, \ldots, {hi}"
    else:
        term_tex = latex(term, notation)
    shown = replace(cand.step, lhs=_readable(cand.step.lhs), rhs=_readable(cand.step.rhs))
    return term_tex, _line(shown, notation), _sentence(cand, term_tex, _sympified(original))


def _readable(expr: Basic) -> Basic:
    """The reader's bold letters (``x_bold``, ``\\mathbf{x}``) printed bold again, for display."""
    names = {str(s) for s in expr.free_symbols}
    mapping: dict[Basic, Basic] = {}
    for s in expr.free_symbols:
        plain = str(s).removesuffix("_bold")
        if plain != str(s) and plain not in names:
            mapping[s] = s.func(plain, **s.assumptions0) if isinstance(s, Symbol) else s
    for base in expr.atoms(IndexedBase):
        plain = str(base.label).removesuffix("_bold")
        if plain != str(base.label) and plain not in names:
            mapping[base] = IndexedBase(plain, **base.assumptions0)
    return expr.xreplace(mapping) if mapping else expr


def _line(step: Step, notation: Notation) -> str:
    rel = step.relation
    if isinstance(rel, Limit):
        side = {"+": "^{+}", "-": "^{-}", "+-": ""}[rel.direction]
        var, point = latex(rel.var, notation), latex(rel.point, notation)
        return (
            rf"\lim_{{{var} \to {point}{side}}} {latex(step.lhs, notation)}"
            f" = {latex(step.rhs, notation)}"
        )
    return latex(step.rhs, notation)


def _sentence(cand: Candidate, term: str, original: Step) -> str:
    sums = len(_nested_sums(original.rhs, cand.term))
    where = {0: "the sum", 1: "its sum", 2: "both sums"}.get(sums, "its sums")
    words = {
        "wrong sign": f"the term {term} has the wrong sign",
        "extra term": f"the term {term} should not be there",
        "missing term": f"a term {term} is missing",
        "constant factor": f"the constant {term} is off",
        "exponent": f"the exponent of {term} changed",
        "swapped symbols": f"{term} are swapped",
        "function replaced": f"the function in {term} is the wrong one",
        "outside sum": f"the term {term} is outside {where}",
        "negative multiplier": f"multiplying by {term} < 0 turns minimisers into maximisers",
        "argmax to argmin without negating": "argmax became argmin without negating the objective",
        "dropped φ-term": f"the φ-dependent term {term} was dropped",
        "non-monotone transform": f"{term} is not a strictly increasing transform of the objective",
        "limit direction": "the limit is taken from the wrong side",
        "sum range": f"the range {term} of a Σ/∏ is off by one",
        "limit point": f"the limit point {term} is wrong",
        "limit value": f"the limit value {term} is wrong",
    }
    return words.get(cand.kind, cand.kind)


def _nested_sums(rhs: Expr, term: Expr) -> list[Tuple]:
    """The Σ limits whose indices ``term`` uses (for "outside both sums")."""
    return [lim for obj in rhs.atoms(Sum) for lim in obj.limits if lim[0] in term.free_symbols]


# --- entry point --------------------------------------------------------------------

SEARCH_SHARE = 0.7
"""Share of the diagnosis budget spent searching; the rest confirms with ``check_step``."""


def diagnose_refuted(step: Step, ctx: Context, verdict: Verdict, timeout: float | None) -> Verdict:
    """``verdict`` (refuted) with a diagnosis when a simple verified correction exists.

    The search and the confirming ``check_step`` run in one child bounded by
    ``timeout``; whatever happens there, the verdict stays refuted.
    """
    if verdict.status != "refuted":
        return verdict
    search_seconds = 30.0 if timeout is None else timeout * SEARCH_SHARE
    outcome = run_bounded(lambda: _diagnosis(step, ctx, search_seconds, timeout), timeout)
    if outcome.value is None:
        return verdict
    return replace(verdict, diagnosis=outcome.value)


def _diagnosis(step: Step, ctx: Context, seconds: float, timeout: float | None) -> Diagnosis | None:
    from calcproof.verify import check_step

    started = time.perf_counter()
    found = search(step, ctx, seconds)
    if found is None:
        return None
    left = None if timeout is None else max(timeout - (time.perf_counter() - started) - 0.2, 0.5)
    if check_step(found.step, ctx, left, diagnose=False).status != "verified":
        return None
    return describe(found, step)
