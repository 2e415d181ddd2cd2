"""From read sides to kernel steps: relations, definitions and the context they build.

- ``lhs = rhs`` is a claim ``=``; with ``\\lim`` on one side and not the other it
  is a limit claim; between two ``argmin``/``argmax`` sides it is an
  optimisation claim over their parameters.
- The first step of a chain whose left side is a fresh name (a symbol such as
  ``L`` or ``\\hat\\phi``, or an application such as ``Pr(y | …)``, not met in
  any earlier step nor on its own right side) is a definition; ``:=`` always
  defines (and replaces an earlier definition).  Expression definitions are
  substituted by the kernel in later steps: ``L = …`` written again is a claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sympy import Basic, Indexed, Symbol, exp, pi
from sympy import Limit as LimitExpr
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from calcproof.derivation import Context, Domain, Step
from calcproof.latex_input.adapter import Failure
from calcproof.latex_input.declarations import Declarations
from calcproof.latex_input.document import RawStep, equation_parts
from calcproof.latex_input.objects import ParsedSide, SymbolTable
from calcproof.losses import Pr
from calcproof.relations import (
    Definition,
    Equal,
    Equivalent,
    Implies,
    Limit,
    Optimum,
    Relation,
    label,
)


@dataclass(frozen=True)
class Claim:
    """A step ready for the kernel (``step``), or why it could not be built (``error``)."""

    raw: RawStep
    step: Step | None
    context: Context
    label: str
    error: str | None = None
    error_line: int | None = None
    notes: tuple[str, ...] = ()
    statement: bool = False
    """A display marked ``% calcproof: statement``: stated, neither defined nor checked."""


def claims(
    raw_steps: Sequence[RawStep],
    sides: Sequence[tuple[ParsedSide | Failure, ParsedSide | Failure]],
    decls: Declarations,
) -> list[Claim]:
    """Turn every raw step into a claim, threading definitions through the document."""
    domains = _domains(decls)
    definitions: dict[Basic, Basic] = {}
    seen: set[Basic] = set()
    out = []
    for raw, (lhs, rhs) in zip(raw_steps, sides, strict=True):
        context = Context(domains, tuple(definitions.items()))
        if isinstance(lhs, Failure) or isinstance(rhs, Failure):
            bad, line = (lhs, raw.lhs.line) if isinstance(lhs, Failure) else (rhs, raw.rhs.line)
            out.append(Claim(raw, None, context, "?", bad.message, line))  # type: ignore[union-attr]
            continue
        notes = tuple(dict.fromkeys(lhs.notes + rhs.notes + _typefaces(lhs.expr, rhs.expr)))
        notes += _imaginary(lhs.expr, rhs.expr)
        if raw.reason:
            notes += (f"stated reason: {raw.reason}",)
        if raw.taken == "statement":
            out.append(Claim(raw, None, context, "statement", notes=notes, statement=True))
            continue
        if raw.relation == ":=" and not is_definable(lhs.expr):
            message = (
                f"only a name can be defined (a letter, or a function applied to distinct "
                f"letters), not {lhs.expr}"
            )
            out.append(Claim(raw, None, context, "?", message, raw.line, notes))
            continue
        if raw.relation in LINKS:
            seen.update(_names(lhs.expr) | _names(rhs.expr))
            first, second = (lhs, rhs) if raw.relation != "impliedby" else (rhs, lhs)
            step = Step(LINKS[raw.relation](), first.expr, second.expr, "as written")
            out.append(Claim(raw, step, context, _LINK_LABELS[raw.relation], notes=notes))
            continue
        fresh = lhs.expr not in seen
        seen.update(_names(lhs.expr) | _names(rhs.expr))
        if _is_definition(raw, lhs, rhs, fresh):
            earlier = definitions.get(lhs.expr)
            if earlier is not None and earlier != rhs.expr:
                notes += (f"redefines {lhs.expr} (it was defined as {earlier})",)
            if rhs.kind == "expr":
                definitions.pop(lhs.expr, None)
                definitions[lhs.expr] = rhs.expr
            step = Step(Definition(), lhs.expr, rhs.expr, "definition", "as written")
            out.append(Claim(raw, step, context, "def", notes=notes))
            continue
        try:
            relation, left, right = _relation(lhs, rhs)
        except ValueError as exc:
            out.append(Claim(raw, None, context, "?", str(exc), raw.line, notes))
            continue
        step = Step(relation, left, right, "as written")
        out.append(Claim(raw, step, context, label(relation), notes=notes))
    return out


_LINK_LABELS = {"iff": "iff", "implies": "implies", "impliedby": "impliedby"}
LINKS: dict[str, type[Equivalent] | type[Implies]] = {
    "iff": Equivalent,
    "implies": Implies,
    "impliedby": Implies,
}
"""Relations between equations (a :class:`RawStep`'s relation) and the kernel's records."""


def texts(raw: RawStep) -> list[str]:
    """The texts to read for a step: its two sides, or the four sides of its two equations."""
    if raw.relation in LINKS:
        return [p for side in (raw.lhs, raw.rhs) for p in equation_parts(side.text)[0::2]]
    return [raw.lhs.text, raw.rhs.text]


Read = ParsedSide | Failure


def paired(raw: RawStep, read: Callable[[str], Read]) -> tuple[Read, Read]:
    """The step's two read sides; for ⇔/⇒ each side is an equation built from its two ends."""
    if raw.relation not in LINKS:
        return read(raw.lhs.text), read(raw.rhs.text)
    return _equation(raw.lhs.text, read), _equation(raw.rhs.text, read)


def _equation(text: str, read: Callable[[str], Read]) -> Read:
    left_text, op, right_text = equation_parts(text)
    left, right = read(left_text), read(right_text)
    for side in (left, right):
        if isinstance(side, Failure):
            return side
        if side.kind != "expr":
            return Failure("argmin/argmax inside an equation is not supported")
    assert isinstance(left, ParsedSide) and isinstance(right, ParsedSide)
    built = Relational(left.expr, right.expr, op, evaluate=False)
    return ParsedSide("expr", built, (), tuple(dict.fromkeys(left.notes + right.notes)))


def _domains(decls: Declarations) -> tuple[tuple[Symbol, Domain], ...]:
    table = SymbolTable(decls)
    return tuple((table.symbol(name), dom) for name, dom in decls.domains)  # type: ignore[misc]


def _typefaces(*exprs: Basic) -> tuple[str, ...]:
    """A note for every letter written both bold and plain in one step (two different objects)."""
    names = set()
    for expr in exprs:
        names |= {str(s) for s in expr.free_symbols}
        names |= {str(a.func) for a in expr.atoms(AppliedUndef)}
        names |= {str(a.base) for a in expr.atoms(Indexed)}
    both = sorted(n[:-5] for n in names if n.endswith("_bold") and n[:-5] in names)
    return tuple(f"bold {n} and plain {n} are read as different objects" for n in both)


def _imaginary(*exprs: Basic) -> tuple[str, ...]:
    """A warning when the real letter i appears in an exponent beside π (``e^{iπ}``)."""
    for expr in exprs:
        for power in expr.atoms(exp):
            letters = {str(s) for s in power.args[0].free_symbols}
            if "i" in letters and power.args[0].has(pi):
                return ("i is a real letter here, not the imaginary unit (declare "
                        "`imaginary i` to read it as one)",)  # fmt: skip
    return ()


def _names(expr: Basic) -> set[Basic]:
    return set(expr.free_symbols) | set(expr.atoms(AppliedUndef, Pr, Indexed))


def is_definable(expr: Basic) -> bool:
    """True for a name: a letter, indexed data, an application to distinct letters or data
    (``L``, ``y_i``, ``f(x)``, ``f_d[x_i, φ]``), or a probability ``Pr(y_i | …)``.

    Numbers, known functions (``exp[x]``) and applications to expressions cannot be
    defined: a definition is substituted everywhere, and ``2 := 3`` would make any
    claim about 2 "true".
    """
    if isinstance(expr, Symbol | Pr):
        return True  # Pr(y | …) names a probability, whatever its conditions are
    if isinstance(expr, Indexed):
        return all(isinstance(i, Symbol) or i.is_Integer for i in expr.indices)
    if isinstance(expr, AppliedUndef):
        args = [a for a in expr.args if not a.is_Integer]  # f_1[x] has subscript 1
        simple = all(isinstance(a, Symbol) or is_definable(a) for a in args)
        return simple and len(set(args)) == len(args)
    return False


def _is_definition(raw: RawStep, lhs: ParsedSide, rhs: ParsedSide, fresh: bool) -> bool:
    if raw.relation == ":=":
        return True
    if raw.index != 1 or lhs.kind != "expr" or not fresh:
        return False
    name = lhs.expr
    is_name = not (isinstance(name, Symbol) and name.is_integer) and is_definable(name)
    return is_name and not rhs.expr.has(name)


def _relation(lhs: ParsedSide, rhs: ParsedSide) -> tuple[Relation, Basic, Basic]:
    if lhs.kind != "expr" and rhs.kind != "expr":
        if set(lhs.params) != set(rhs.params):
            raise ValueError("the two sides optimise over different parameters")
        senses = (lhs.kind[3:], rhs.kind[3:])
        return Optimum(lhs.params, *senses), lhs.expr, rhs.expr  # type: ignore[arg-type]
    if lhs.kind != "expr" or rhs.kind != "expr":
        raise ValueError("an argmin/argmax side can only be related to another argmin/argmax")
    left, right = lhs.expr, rhs.expr
    if isinstance(right, LimitExpr) and not isinstance(left, LimitExpr):
        left, right = right, left
    if isinstance(left, LimitExpr) and not isinstance(right, LimitExpr):
        body, var, point, direction = left.args
        side = str(direction) if str(direction) in ("+", "-") and point.is_finite else "+-"
        return Limit(var, point, side), body, right  # type: ignore[arg-type]
    return Equal(), left, right
