"""What may be assumed about symbols and expressions: one place, used by rules, prover and search.

SymPy's assumptions say what a symbol *is* (real, positive, integer).  A
derivation also knows *domains* SymPy cannot express — a label ``y`` in {0, 1},
a probability ``λ`` in (0, 1), a count ``k`` in ℕ — declared in a
:class:`Facts` record (``Context.domains`` in a derivation, ``% calcproof: unit
\\lambda`` in a document).  This module answers the questions the prover and
the rules ask (*is this expression positive? real?*) from both, and says which
sub-goal failed when the answer is "not known", so that a user can add the
missing declaration.

Every answer is conservative: ``True`` only when it follows from the facts;
``False`` means "not shown", never "shown to be false".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sympy import (
    Abs,
    Add,
    Basic,
    Expr,
    Indexed,
    Integer,
    Max,
    Mul,
    Pow,
    Product,
    Sum,
    Symbol,
    besseli,
    exp,
    factorial,
    gamma,
    log,
)

Domain = Literal["real", "positive", "binary", "unit_interval", "integer", "count"]
"""Sampling and reasoning domains beyond SymPy's assumptions.

- ``binary``: {0, 1} (a label); ``count``: {0, 1, 2, …} (Poisson data);
- ``unit_interval``: the open interval (0, 1) (a probability parameter);
- ``positive``, ``integer``, ``real``: as SymPy's assumptions.
"""

DOMAIN_WORDS: dict[str, str] = {
    "real": "real",
    "positive": "positive",
    "binary": "in {0, 1}",
    "unit_interval": "in (0, 1)",
    "integer": "an integer",
    "count": "a count (0, 1, 2, …)",
}

DECLARATION: dict[str, str] = {
    "positive": "positive",
    "binary": "binary",
    "unit_interval": "unit",
    "integer": "integer",
    "count": "count",
    "real": "real",
}
"""The ``% calcproof:`` keyword that declares each domain."""


@dataclass(frozen=True)
class Facts:
    """Declared domains of symbols (or of indexed data, by the label of their base)."""

    domains: tuple[tuple[Basic, Domain], ...] = ()

    def domain(self, atom: Basic) -> Domain | None:
        """The declared domain of ``atom`` (a symbol, or indexed data by its base label)."""
        for name, dom in self.domains:
            if atom == name:
                return dom
            if isinstance(atom, Indexed) and (atom.base == name or atom.base.label == name):
                return dom
        return None

    # --- sign -------------------------------------------------------------------

    def positive(self, expr: Basic) -> bool:
        """True only when ``expr > 0`` follows from SymPy's assumptions and the domains."""
        return not self.why_not_positive(expr)

    def why_not_positive(self, expr: Basic) -> str:
        """``""`` when ``expr > 0`` is shown, else the smallest sub-goal that could not be."""
        if expr.is_positive:
            return ""
        dom = self.domain(expr)
        if dom in ("positive", "unit_interval"):
            return ""
        if isinstance(expr, Mul):
            return _first(self.why_not_positive(arg) for arg in expr.args)
        if isinstance(expr, Add):
            return self._sum_positive(expr)
        if isinstance(expr, Pow):
            if self.real(expr.exp):
                return self.why_not_positive(expr.base)
            return f"could not show that the exponent {expr.exp} is real"
        if isinstance(expr, exp):
            return "" if self.real(expr.args[0]) else f"could not show that {expr.args[0]} is real"
        if _is_sig(expr):
            return "" if self.real(expr.args[0]) else f"could not show that {expr.args[0]} is real"
        if isinstance(expr, factorial | gamma):
            arg = expr.args[0]
            if isinstance(expr, factorial) and self.nonnegative_integer(arg):
                return ""
            return "" if self.positive(arg) else f"could not show that {arg} ≥ 0"
        if isinstance(expr, besseli):
            order, arg = expr.args
            if order == 0 and self.real(arg):
                return ""  # I_0(x) = Σ (x/2)^(2k) / (k!)^2 ≥ 1
            if self.nonnegative(order) and self.positive(arg):
                return ""
            return f"could not show that {expr} > 0"
        if isinstance(expr, Product):
            return self.why_not_positive(expr.function)
        if (
            isinstance(expr, Sum)
            and self.positive(expr.function)
            and all(bool((upper - lower).is_nonnegative) for _, lower, upper in expr.limits)
        ):
            return ""  # at least one term, each positive
        if isinstance(expr, Abs) and self.nonzero(expr.args[0]):
            return ""
        return f"could not show that {expr} > 0{self._hint(expr)}"

    def _sum_positive(self, expr: Add) -> str:
        """Terms all ≥ 0 with one > 0; or ``1 − u`` with u in (0, 1) (``1 − λ``, ``1 − sig[z]``)."""
        terms = list(expr.args)
        if all(self.nonnegative(t) for t in terms) and any(self.positive(t) for t in terms):
            return ""
        constant = Add(*[t for t in terms if t.is_number])
        rest = [t for t in terms if not t.is_number]
        if constant.is_number and constant >= 1 and len(rest) == 1 and self.below_one(-rest[0]):
            return ""
        if constant.is_number and constant > 0 and all(self.nonnegative(t) for t in rest):
            return ""
        if constant == 0 and len(rest) == 1:
            return self.why_not_positive(rest[0])
        return f"could not show that {expr} > 0{self._hint(expr)}"

    def below_one(self, expr: Expr) -> bool:
        """True when ``0 < expr < 1`` is shown: a declared unit interval, a sigmoid, or
        ``1/(1 + t)`` with ``t > 0`` (the sigmoid's formula)."""
        if self.domain(expr) == "unit_interval":
            return True
        if _is_sig(expr):
            return self.real(expr.args[0])
        if isinstance(expr, Pow) and expr.exp == -1 and isinstance(expr.base, Add):
            rest = expr.base - 1
            return self.positive(rest)
        return False

    def nonnegative(self, expr: Basic) -> bool:
        """True when ``expr ≥ 0`` is shown."""
        if expr.is_nonnegative or self.positive(expr):
            return True
        if self.domain(expr) in ("binary", "count"):
            return True
        if isinstance(expr, Pow) and expr.exp.is_even and self.real(expr.base):
            return True
        if isinstance(expr, Pow) and self.real(expr.exp) and self.nonnegative(expr.base):
            return True
        if isinstance(expr, Mul):
            return all(self.nonnegative(a) for a in expr.args)
        if isinstance(expr, Add):
            return all(self.nonnegative(a) for a in expr.args)
        return isinstance(expr, Abs)

    def nonzero(self, expr: Basic) -> bool:
        return bool(expr.is_nonzero) or self.positive(expr)

    def nonnegative_integer(self, expr: Basic) -> bool:
        """True for counts, binary labels and non-negative integers."""
        if expr.is_integer and expr.is_nonnegative:
            return True
        return self.domain(expr) in ("binary", "count")

    def real(self, expr: Basic) -> bool:
        """True when ``expr`` is shown real (SymPy's assumptions, or a declared domain)."""
        if expr.is_extended_real and expr.is_finite is not False:
            return True
        if self.domain(expr) is not None:
            return True
        if isinstance(expr, Add | Mul):
            return all(self.real(a) for a in expr.args)
        if isinstance(expr, Pow):
            return (self.real(expr.base) and expr.exp.is_integer is True) or (
                self.positive(expr.base) and self.real(expr.exp)
            )
        return False

    def _hint(self, expr: Basic) -> str:
        """A declaration that would help, named in the message of a failed sub-goal."""
        names = sorted(
            (_tex(s) for s in expr.free_symbols if isinstance(s, Symbol) and not s.is_positive),
            key=str,
        )
        if not names:
            return ""
        return f"; declare `positive {names[0]}` or `unit {names[0]}`"

    def missing(self, *exprs: Basic) -> list[str]:
        """The positivity sub-goals a proof of a claim about ``exprs`` would need and lacks.

        Looked for where the kernel needs them: the factors of a log's argument
        (``log(ab) = log a + log b``) and the bases of non-integer powers.
        """
        goals: list[str] = []
        for expr in exprs:
            for node in sorted(expr.atoms(log), key=str):
                arg = node.args[0]
                for factor in Mul.make_args(arg):
                    base = factor.base if isinstance(factor, Pow) else factor
                    if not self.nonnegative(base):
                        goals.append(self.why_not_positive(base))
            for node in sorted(expr.atoms(Pow), key=str):
                if not node.exp.is_integer and not self.nonnegative(node.base):
                    goals.append(self.why_not_positive(node.base))
        return list(dict.fromkeys(g for g in goals if g))

    def describe(self, symbols: Iterable[Basic]) -> tuple[tuple[str, str], ...]:
        """What was assumed of each symbol, for reports: ``(("k", "a positive integer"),)``."""
        out = []
        for sym in sorted(symbols, key=str):
            out.append((str(sym), self.word(sym)))
        return tuple(out)

    def word(self, sym: Basic) -> str:
        """One symbol's assumptions in words (its declared domain first)."""
        dom = self.domain(sym)
        if dom is not None and dom != "real":
            return DOMAIN_WORDS[dom]
        if sym.is_integer:
            return "a positive integer" if sym.is_positive else "an integer"
        if sym.is_positive:
            return "positive"
        return "real"


def nonempty(lower: Expr, upper: Expr) -> bool:
    """True when ``lower..upper`` is shown to be a range of zero or more terms (upper ≥ lower − 1).

    Under the usual convention an empty range has no terms; SymPy's (Karr's)
    convention gives a reversed range negative terms.  The two agree exactly on
    the ranges where this is true.
    """
    return bool((upper - lower + 1).is_nonnegative)


def count(lower: Expr, upper: Expr) -> Expr:
    """The number of terms of ``lower..upper`` (usual convention): max(0, upper − lower + 1)."""
    size = upper - lower + 1
    return size if nonempty(lower, upper) else Max(Integer(0), size)


def _tex(sym: Basic) -> str:
    """A symbol's name as a document would write it in a declaration (``\\lambda``)."""
    name = str(sym)
    return f"\\{name}" if name.isalpha() and len(name) > 1 else name


def _is_sig(expr: Basic) -> bool:
    return type(expr).__name__ == "sig"


def _first(reasons: Iterable[str]) -> str:
    return next((r for r in reasons if r), "")


NO_FACTS = Facts()
"""No declared domains: only SymPy's own assumptions."""


def positive(expr: Basic, facts: Facts = NO_FACTS) -> bool:
    """True only when ``expr`` is provably positive (see :meth:`Facts.positive`)."""
    return facts.positive(expr)
