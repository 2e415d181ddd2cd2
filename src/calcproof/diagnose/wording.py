"""The diagnosis as the user reads it: kind, term and corrected line in each notation profile."""

from __future__ import annotations

from dataclasses import replace

from sympy import Basic, Expr, IndexedBase, Sum, Symbol, Tuple

from calcproof.derivation import Step
from calcproof.diagnose.tree import Candidate, sympified
from calcproof.relations import Limit
from calcproof.render.latex import latex
from calcproof.render.notation import PROFILES, Notation
from calcproof.verdict import Diagnosis


def describe(cand: Candidate, original: Step) -> Diagnosis:
    """The diagnosis shown to the user: kind, term and corrected line as LaTeX (udl notation).

    The same diagnosis in every notation profile is kept in ``notations``.
    """
    written = {name: _written(cand, original, notation) for name, notation in PROFILES.items()}
    term, suggestion, summary = written["udl"]
    others = tuple((name, *texts) for name, texts in written.items())
    return Diagnosis(cand.kind, term, suggestion, summary, notations=others)


def _written(cand: Candidate, original: Step, notation: Notation) -> tuple[str, str, str]:
    try:
        term_tex = _term(cand, notation)
    except Exception:  # a user function's printer may reject a power of it: no term then
        term_tex = ""
    shown = replace(cand.step, lhs=_readable(cand.step.lhs), rhs=_readable(cand.step.rhs))
    return term_tex, _line(shown, notation), _sentence(cand, term_tex, sympified(original))


def _term(cand: Candidate, notation: Notation) -> str:
    term = _readable(cand.term)
    if cand.kind == "swapped symbols":
        a, b = term.args
        return f"{latex(a, notation)}, {latex(b, notation)}"
    if cand.kind == "sum range":
        var, lo, hi = (latex(e, notation) for e in term.args)
        return rf"{var} = {lo}, \ldots, {hi}"
    return latex(term, notation)


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
        "constant factor": (
            f"the constant {term} is off"
            if cand.term.is_number
            else f"the term {term} has the wrong constant factor"
        ),
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
    if not term and cand.kind in words:
        return f"the slip is of the kind: {cand.kind}"
    return words.get(cand.kind, cand.kind)


def _nested_sums(rhs: Expr, term: Expr) -> list[Tuple]:
    """The Σ limits whose indices ``term`` uses (for "outside both sums")."""
    return [lim for obj in rhs.atoms(Sum) for lim in obj.limits if lim[0] in term.free_symbols]
