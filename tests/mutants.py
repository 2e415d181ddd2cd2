"""Mutation operators for derivation steps; the falsity oracle lives in ``tests/oracle.py``.

A mutant is a step changed so that its claim becomes false: a flipped sign, a
changed constant, a dropped or duplicated term, swapped symbols (y ↔ f, i ↔ d),
a changed exponent, limit point or direction, Σ bound, a minus removed under
argmin, a φ-dependent term dropped, a term moved out of its Σ.  Operators only
*propose*; :func:`mutants` keeps a proposal only when :func:`oracle.is_false`
confirms that the mutated claim is false, and lists the others as excluded with
the reason (identical to the original, or no witness: equal to it, e.g. a
φ-free term dropped under argmin).  Every mutant records its operator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from oracle import is_false
from sympy import (
    Abs,
    Add,
    Basic,
    Indexed,
    Integer,
    Mul,
    Pow,
    Product,
    Rational,
    Sum,
    Symbol,
    Tuple,
    exp,
    log,
    oo,
)
from sympy.core.function import AppliedUndef

from calcproof.derivation import Context, Step
from calcproof.losses import sig
from calcproof.relations import Equal, Limit, Optimum
from calcproof.symbols import phi

__all__ = ["OPERATORS", "Excluded", "Mutant", "is_false", "mutants", "operators"]

Path = tuple[int, ...]
Operator = Callable[[Step], list[Step]]
PER_OPERATOR = 6
"""At most this many proposals per operator and step (the first, in tree order)."""


@dataclass(frozen=True)
class Mutant:
    """A confirmed-false variant of a step and the operator that made it."""

    operator: str
    step: Step


@dataclass(frozen=True)
class Excluded:
    """A proposal that is not a false claim, and why it was left out."""

    operator: str
    step: Step
    reason: str


# --- tree helpers -----------------------------------------------------------------------


def _walk(expr: Basic, path: Path = (), opaque: bool = True) -> Iterator[tuple[Path, Basic]]:
    """Nodes with their paths; never into Σ/∏ limits, nor (``opaque``) into indices/functions."""
    yield path, expr
    if opaque and isinstance(expr, Indexed | AppliedUndef):
        return
    args = expr.args[:1] if isinstance(expr, Sum | Product) else expr.args
    for k, arg in enumerate(args):
        yield from _walk(arg, (*path, k), opaque)


def _put(expr: Basic, path: Path, new: Basic) -> Basic:
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _put(args[path[0]], path[1:], new)
    return expr.func(*args)


def _edits(step: Step, pick: Callable[[Path, Basic], list[Basic]]) -> list[Step]:
    """Right-hand sides with one node replaced by each of ``pick(path, node)``."""
    out = []
    for path, node in _walk(step.rhs):
        for new in pick(path, node):
            out.append(_with_rhs(step, _put(step.rhs, path, new)))
    return out


def _with_rhs(step: Step, rhs: Basic) -> Step:
    return Step(step.relation, step.lhs, rhs, "mutant")


def _terms(node: Basic) -> tuple[Basic, ...]:
    return node.args if isinstance(node, Add) else ()


def _bound(expr: Basic) -> set[Basic]:
    return {lim[0] for obj in expr.atoms(Sum, Product) for lim in obj.limits}


def _sizes(expr: Basic) -> set[Basic]:
    return {s for obj in expr.atoms(Sum, Product) for lim in obj.limits for s in lim[1:]}


def _params(step: Step) -> tuple[Basic, ...]:
    return step.relation.params if isinstance(step.relation, Optimum) else (phi,)


# --- operators --------------------------------------------------------------------------


def flipped_sign(step: Step) -> list[Step]:
    """``r -> -r`` (``-r/2`` as well under argmin), and one term of a sum negated."""
    whole = [_with_rhs(step, -step.rhs)]
    if isinstance(step.relation, Optimum):
        whole.append(_with_rhs(step, -step.rhs / 2))
    return whole + _edits(
        step, lambda p, n: [Add(*(-t if t is u else t for t in _terms(n))) for u in _terms(n)]
    )


def _bumped(number: Rational) -> Rational:
    return number + 1 if number.is_Integer else Rational(number.p, number.q + 1)


def changed_constant(step: Step) -> list[Step]:
    """A number ``k -> k + 1`` (``p/q -> p/(q + 1)``); a limit value -> ``v ± 1``, ``2v``, 0, ∞."""
    if isinstance(step.relation, Limit) or step.rhs.is_number:
        v = step.rhs
        values = [v + 1, v - 1, 2 * v, -v, Integer(0), Rational(1, 2), oo]
        return [_with_rhs(step, w) for w in values]

    def pick(path: Path, node: Basic) -> list[Basic]:
        if not isinstance(node, Rational) or node == -1 or _in_exponent(step.rhs, path):
            return []
        return [_bumped(node)]

    return _edits(step, pick)


def _in_exponent(expr: Basic, path: Path) -> bool:
    node = expr
    for k in path:
        if isinstance(node, Pow) and k == 1:
            return True
        node = node.args[k]
    return False


def dropped_term(step: Step) -> list[Step]:
    """One term of a sum dropped (under argmin: a φ-free term, usually a harmless change)."""
    params = _params(step)
    optimum = isinstance(step.relation, Optimum)
    return _edits(
        step,
        lambda p, n: [
            Add(*(t for t in _terms(n) if t is not u))
            for u in _terms(n)
            if not (optimum and u.has(*params))
        ],
    )


def dropped_phi_term(step: Step) -> list[Step]:
    """Under argmin, one φ-dependent term of a sum dropped."""
    if not isinstance(step.relation, Optimum):
        return []
    params = step.relation.params
    return _edits(
        step,
        lambda p, n: [
            Add(*(t for t in _terms(n) if t is not u)) for u in _terms(n) if u.has(*params)
        ],
    )


def duplicated_term(step: Step) -> list[Step]:
    """One term of a sum written twice."""
    return _edits(step, lambda p, n: [Add(*_terms(n), u) for u in _terms(n)])


def _is_target(node: Basic) -> bool:
    if isinstance(node, Indexed):
        return str(node.base.label) == "y"
    return isinstance(node, Symbol) and node.name == "y"


def swapped_symbols(step: Step) -> list[Step]:
    """``y ↔ f`` (a target with a network output), ``i ↔ d`` inside a Σ body, sig ↔ 1 − sig."""
    rhs = step.rhs
    nodes = [n for _, n in _walk(rhs)]
    out: list[Basic] = []
    targets = list(dict.fromkeys(n for n in nodes if _is_target(n)))
    outputs = list(dict.fromkeys(n for n in nodes if isinstance(n, AppliedUndef)))
    out += [rhs.xreplace({t: o, o: t}) for t in targets[:2] for o in outputs[:2]]
    out += _swapped_indices(rhs)
    out += [rhs.xreplace({n: 1 - n, 1 - n: n}) for n in nodes if isinstance(n, sig)][:2]
    labels = {n.base.label for n in rhs.atoms(Indexed)}
    letters = sorted(rhs.free_symbols - _bound(rhs) - _sizes(rhs) - labels - {phi}, key=str)
    out += [rhs.xreplace({a: b, b: a}) for a, b in pairwise(letters)][:2]
    return [_with_rhs(step, m) for m in out]


def _swapped_indices(rhs: Basic) -> list[Basic]:
    out = []
    for path, node in _walk(rhs):
        if isinstance(node, Sum | Product):
            names = sorted(_bound(node), key=str)
            for a, b in pairwise(names):
                body = node.args[0].xreplace({a: b, b: a})
                out.append(_put(rhs, path, node.func(body, *node.args[1:])))
        if isinstance(node, Indexed) and len(node.indices) >= 2:
            flipped = node.base[tuple(reversed(node.indices))]
            out.append(_put(rhs, path, flipped))
    return out


def changed_exponent(step: Step) -> list[Step]:
    """A power ``u^e -> u^(e+1)`` (``e = −1 -> −2``, ``√u -> u``); ``(y − f)^2 -> |y − f|``."""

    def pick(path: Path, node: Basic) -> list[Basic]:
        if not isinstance(node, Pow) or not node.exp.is_Rational:
            return []
        e = node.exp
        new = -2 if e == -1 else e + 1 if e.is_Integer else 2 * e
        out = [Pow(node.base, new)]
        if e == 2 and node.base.has(*_params(step)):
            out.append(Abs(node.base))
        return out

    return _edits(step, pick)


def changed_limit(step: Step) -> list[Step]:
    """A limit point ``±∞ -> ∓∞``, ``p -> p + 1``; a one-sided direction reversed."""
    rel = step.relation
    if not isinstance(rel, Limit):
        return []
    if rel.point in (oo, -oo):
        relations = [Limit(rel.var, -rel.point, rel.direction)]
    else:
        sides = {"+": ["-"], "-": ["+"], "+-": ["+", "-"]}[rel.direction]
        relations = [Limit(rel.var, rel.point + 1, rel.direction)]
        relations += [Limit(rel.var, rel.point, s) for s in sides]  # type: ignore[arg-type]
    return [Step(r, step.lhs, step.rhs, "mutant") for r in relations]


def changed_sum_bound(step: Step) -> list[Step]:
    """One Σ/∏ bound moved: upper ``n -> n + 1`` or ``n − 1``, lower ``1 -> 2``."""

    def pick(path: Path, node: Basic) -> list[Basic]:
        if not isinstance(node, Sum | Product):
            return []
        out = []
        limits = list(node.args[1:])
        for k, (var, lower, upper) in enumerate(limits):
            for new in ((var, lower, upper + 1), (var, lower, upper - 1), (var, lower + 1, upper)):
                changed = [*limits[:k], Tuple(*new), *limits[k + 1 :]]
                out.append(node.func(node.args[0], *changed))
        return out

    return _edits(step, pick)


def removed_minus(step: Step) -> list[Step]:
    """Under argmin, the leading minus of the objective or of a φ-dependent term removed."""
    if not isinstance(step.relation, Optimum):
        return []
    params = step.relation.params
    out = [_with_rhs(step, -step.rhs)] if step.rhs.could_extract_minus_sign() else []

    def pick(path: Path, node: Basic) -> list[Basic]:
        terms = _terms(node)
        return [
            Add(*(-t if t is u else t for t in terms))
            for u in terms
            if u.has(*params) and u.could_extract_minus_sign()
        ]

    return out + _edits(step, pick)


def moved_out_of_sum(step: Step) -> list[Step]:
    """A term (or factor) of a Σ/∏ body moved outside it: ``Σ(a + b) -> Σ a + b``."""

    def pick(path: Path, node: Basic) -> list[Basic]:
        if not isinstance(node, Sum | Product):
            return []
        body, limits = node.args[0], node.args[1:]
        if isinstance(body, Add) and isinstance(node, Sum):
            parts, join = body.args, Add
        elif isinstance(body, Mul):
            parts, join = body.args, Mul
        else:
            return []
        out = []
        for u in parts:
            rest = join(*(t for t in parts if t is not u))
            out.append(join(node.func(rest, *limits), u))
        return out

    return _edits(step, pick)


def added_term(step: Step) -> list[Step]:
    """``r -> r + 1`` for ``=``; ``r -> r + φ`` or ``+ f``-term (a φ-dependent term) always."""
    rhs = step.rhs
    out = [] if isinstance(step.relation, Optimum) else [rhs + 1]
    outputs = [n for _, n in _walk(rhs) if isinstance(n, AppliedUndef) and n.has(phi)]
    out.append(rhs + phi)
    if outputs:
        out.append(rhs + outputs[0].xreplace({b: Integer(1) for b in _bound(rhs)}))
    return [_with_rhs(step, m) for m in out]


def scaled(step: Step) -> list[Step]:
    """``r -> 2r`` for ``=``; an argument ``u`` of sig, log, exp -> ``2u``; ``f -> 2f``."""
    out = [] if isinstance(step.relation, Optimum) else [_with_rhs(step, 2 * step.rhs)]

    def pick(path: Path, node: Basic) -> list[Basic]:
        if isinstance(node, sig | log | exp):
            return [node.func(2 * node.args[0])]
        if isinstance(node, AppliedUndef) and node.has(phi):
            return [2 * node]
        return []

    return out + _edits(step, pick)


OPERATORS: tuple[Operator, ...] = (
    removed_minus,
    flipped_sign,
    changed_constant,
    dropped_term,
    dropped_phi_term,
    duplicated_term,
    swapped_symbols,
    changed_exponent,
    changed_limit,
    changed_sum_bound,
    moved_out_of_sum,
    added_term,
    scaled,
)


def operators(step: Step) -> tuple[Operator, ...]:
    """The operators that apply to a step's relation."""
    if isinstance(step.relation, Limit):
        return (changed_limit, changed_constant)
    if isinstance(step.relation, Equal | Optimum):
        return tuple(op for op in OPERATORS if op is not changed_limit)
    raise TypeError(f"no mutation operators for {step.relation!r}")


def _proposals(step: Step) -> list[list[tuple[str, Step]]]:
    queues = []
    for op in operators(step):
        try:
            made = op(step)
        except (TypeError, ValueError, AttributeError):
            made = []
        queues.append([(op.__name__, m) for m in made[:PER_OPERATOR]])
    return queues


def _key(step: Step) -> tuple[object, ...]:
    return (step.relation, step.lhs, step.rhs)


def mutants(
    step: Step, context: Context, count: int, start: int = 0
) -> tuple[list[Mutant], list[Excluded]]:
    """Up to ``count`` confirmed-false mutants, operators in turn from the ``start``-th (so that
    a campaign over many steps reaches every operator); and the proposals left out."""
    queues = _proposals(step)
    start %= len(queues)
    queues = queues[start:] + queues[:start]
    chosen: list[Mutant] = []
    excluded: list[Excluded] = []
    seen = {_key(step)}
    while len(chosen) < count and any(queues):
        for queue in queues:
            while queue:
                name, candidate = queue.pop(0)
                if _key(candidate) in seen:
                    if candidate.rhs == step.rhs and candidate.relation == step.relation:
                        excluded.append(Excluded(name, candidate, "identical to the original"))
                    continue
                seen.add(_key(candidate))
                if is_false(candidate, context):
                    chosen.append(Mutant(name, candidate))
                    break
                excluded.append(Excluded(name, candidate, _why_not_false(candidate)))
            if len(chosen) >= count:
                break
    return chosen, excluded


def _why_not_false(step: Step) -> str:
    if isinstance(step.relation, Optimum):
        return "no order-reversal pair: same minimisers (e.g. a φ-free term or positive factor)"
    if isinstance(step.relation, Limit):
        return "no witness near the limit point: same limit"
    return "no witness at 30 random points: equal to the original"
