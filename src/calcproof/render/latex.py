"""SymPy expressions as LaTeX in the book's notation (or the standard one).

:class:`NotationPrinter` subclasses SymPy's ``LatexPrinter``; every notation
choice comes from a :class:`~calcproof.render.notation.Notation` table.  The
printer only formats: it reorders terms and factors for reading (``y - f``
rather than ``-f + y``; a constant factor before a sum) but never simplifies,
takes a limit or evaluates anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sympy import Add, Basic, Expr, Indexed, Mul, Product, Subs, Sum, Symbol, exp, fraction
from sympy.core.basic import _args_sortkey
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from calcproof.render.notation import UDL, Notation

TALL = re.compile(r"\\(frac|sum|prod|sqrt|left|underset|lim)(?![A-Za-z])")
"""Constructs taller than a line of text: brackets around them grow (``\\left[``)."""

HEAVY = (Sum, Product, exp)
"""Factors printed after the rest of a product, never folded into a fraction."""


def bracket(inner: str, notation: Notation) -> str:
    """``[inner]``, or ``\\left[inner\\right]`` when ``inner`` is taller than a line."""
    if TALL.search(inner):
        return rf"\left{notation.open}{inner}\right{notation.close}"
    return f"{notation.open}{inner}{notation.close}"


class NotationPrinter(LatexPrinter):
    """A ``LatexPrinter`` whose notation comes from a :class:`Notation` table.

    ``scalar_network=True`` prints network outputs without bold (the book's
    ``f[\\mathbf{x}, \\boldsymbol{\\phi}]`` in binary classification).
    """

    def __init__(self, notation: Notation = UDL, scalar_network: bool = False) -> None:
        super().__init__()
        self.notation = notation
        self.scalar_network = scalar_network

    # --- names ---------------------------------------------------------------

    def _print_Symbol(self, expr: Basic, style: str = "plain") -> str:
        if expr.name in self.notation.vectors:
            return rf"\mathbf{{{expr.name}}}"
        name = self.notation.symbols.get(expr.name)
        return name if name is not None else str(super()._print_Symbol(expr, style))

    def _name(self, name: str, bold: bool = False) -> str:
        """A name as a symbol would print (``lambda`` is ``\\lambda``), bold when asked."""
        tex = str(super()._print_Symbol(Symbol(name)))
        if not bold:
            return tex
        return rf"\boldsymbol{{{tex}}}" if tex.startswith("\\") else rf"\mathbf{{{tex}}}"

    def _print_Indexed(self, expr: Indexed) -> str:
        name = expr.base.label.name
        rows = name in self.notation.rows and len(expr.indices) == 1
        head = self._name(name, bold=name in self.notation.vectors or rows)
        indices = [self._print(index) for index in expr.indices]
        sep = "" if all(len(index) == 1 for index in indices) else ","
        return f"{head}_{{{sep.join(indices)}}}"

    # --- functions -----------------------------------------------------------

    def _head(self, name: str) -> str:
        return self.notation.functions.get(name, rf"\operatorname{{{name}}}")

    def _apply(self, head: str, args: Sequence[Basic]) -> str:
        return head + bracket(", ".join(self._print(a) for a in args), self.notation)

    def _print_exp(self, expr: Expr, exp: Any = None) -> str:
        out = self._apply(self._head("exp"), expr.args)
        return f"{out}^{{{exp}}}" if exp is not None else out

    def _print_log(self, expr: Expr, exp: Any = None) -> str:
        out = self._apply(self._head("log"), expr.args)
        return rf"{out}^{{{exp}}}" if exp is not None else out

    def _print_sig(self, expr: Expr, exp: Any = None) -> str:
        out = self._apply(self._head("sig"), expr.args)
        return rf"{out}^{{{exp}}}" if exp is not None else out

    def _print_Pr(self, expr: Expr, exp: Any = None) -> str:
        observed, *given = (self._print(a) for a in expr.args)
        inner = observed + (r" \mid " + ", ".join(given) if given else "")
        delim = ("(", ")") if not TALL.search(inner) else (r"\left(", r"\right)")
        return f"{self.notation.probability}{delim[0]}{inner}{delim[1]}"

    def _print_AppliedUndef(self, expr: AppliedUndef, exp: Any = None) -> str:
        nsub = int(getattr(type(expr), "nsub", 0))
        name = type(expr).__name__
        bold = self.notation.network_bold and not self.scalar_network
        head = self._name(name, bold=bold and len(name) == 1)
        if nsub:
            head += "_{" + ",".join(self._print(a) for a in expr.args[:nsub]) + "}"
        out = self._apply(head, expr.args[nsub:])
        return f"{out}^{{{exp}}}" if exp is not None else out

    # --- sums, products, substitution ----------------------------------------

    def _big(self, operator: str, expr: Sum | Product) -> str:
        heads = "".join(
            rf"{operator}_{{{self._print(v)}={self._print(a)}}}^{{{self._print(b)}}}"
            for v, a, b in reversed(expr.limits)
        )
        body = expr.function
        tex = self._print(body)
        if isinstance(body, Add) or body.could_extract_minus_sign():
            tex = rf"\left({tex}\right)"
        return f"{heads} {tex}"

    def _print_Sum(self, expr: Sum) -> str:
        return self._big(r"\sum", expr)

    def _print_Product(self, expr: Product) -> str:
        return self._big(r"\prod", expr)

    def _print_Subs(self, expr: Subs) -> str:
        body, old, new = expr.args
        tex = self._print(body)
        pairs = zip(old, new, strict=True)
        where = ", ".join(f"{self._print(o)}={self._print(n)}" for o, n in pairs)
        if isinstance(body, Add | Mul):
            return rf"\left[{tex}\right]_{{{where}}}"
        if TALL.search(tex):
            return rf"\left.{tex}\right|_{{{where}}}"
        return rf"{tex}\Big|_{{{where}}}"

    # --- order of terms and factors ------------------------------------------

    def _as_ordered_terms(self, expr: Expr, order: Any = None) -> list[Expr]:
        """Terms as written for an unevaluated sum; else SymPy's order, minus signs last."""
        written = list(expr.args)
        if isinstance(expr, Add) and written != sorted(written, key=_args_sortkey):
            return written
        terms = [_paired_signs(t) for t in super()._as_ordered_terms(expr, order=order)]
        if all(t.is_number or isinstance(t, exp) for t in terms):  # 1 + exp[z], as written
            terms.sort(key=lambda t: not t.is_number)
        return sorted(terms, key=lambda t: bool(t.could_extract_minus_sign()))

    def _print_Mul(self, expr: Expr) -> str:
        tidy = _paired_signs(expr)
        if tidy is not expr:
            return str(self._print(tidy))
        args = expr.args
        if len(args) == 2 and args[0] == -1 and not args[1].could_extract_minus_sign():
            inner = self._print(args[1])
            return f"-{inner}" if not isinstance(args[1], Add) else rf"-\left({inner}\right)"
        heavy = [a for a in args if isinstance(a, HEAVY)]
        if not heavy or (len(heavy) == len(args) and len(args) == 1):
            return str(super()._print_Mul(expr))
        light = [a for a in args if not isinstance(a, HEAVY)]
        shared = self._shared_fraction(light, heavy)
        if shared is not None:
            return shared
        return self._coefficient(light) + " ".join(self._print(h) for h in heavy)

    def _shared_fraction(self, light: list[Basic], heavy: list[Basic]) -> str | None:
        """``λ^y exp[-λ]/y!`` as one fraction, as written, when only ``exp`` is heavy."""
        if not light or not all(isinstance(h, exp) for h in heavy):
            return None
        numerator, denominator = fraction(Mul(*light))
        if denominator == 1 or numerator.is_number:
            return None
        sign = ""
        if numerator.could_extract_minus_sign():
            sign, numerator = "- ", -numerator
        top = " ".join([self._print(numerator), *(self._print(h) for h in heavy)])
        return rf"{sign}\frac{{{top}}}{{{self._print(denominator)}}}"

    def _coefficient(self, light: list[Basic]) -> str:
        if not light:
            return ""
        coefficient = Mul(*light, evaluate=False) if len(light) > 1 else light[0]
        if coefficient == 1:
            return ""
        if coefficient == -1:
            return "- "
        tex = self._print(coefficient)
        return (rf"\left({tex}\right)" if isinstance(coefficient, Add) else tex) + " "


def _paired_signs(expr: Basic) -> Basic:
    """``c Σ(-g)`` with ``c < 0`` as ``(-c) Σ g``: the same expression without a double negative."""
    if not isinstance(expr, Mul):
        return expr
    sums = [a for a in expr.args if isinstance(a, Sum)]
    coefficient = Mul(*[a for a in expr.args if not isinstance(a, Sum)])
    if len(sums) != 1 or not (coefficient.is_number and coefficient.is_negative):
        return expr
    (inner,) = sums
    if not inner.function.could_extract_minus_sign():
        return expr
    flipped = Sum(-inner.function, *inner.limits)
    return flipped if coefficient == -1 else Mul(-coefficient, flipped, evaluate=False)


def latex(expr: Basic, notation: Notation = UDL, *, scalar_network: bool = False) -> str:
    """``expr`` as LaTeX (math mode, no delimiters) in ``notation``."""
    return str(NotationPrinter(notation, scalar_network)._print(expr))


__all__ = ["NotationPrinter", "bracket", "latex"]
