"""What the chapter 5 rules take to be positive (beliefs, not facts: the kernel re-checks).

Rules are untrusted rewriters; a rule that needs a positive factor asks
:func:`believed_positive`, which knows a little more than the kernel's own
:func:`calcproof.verify.normal.positive`.  A step made with a wrong belief is
simply not verified.
"""

from __future__ import annotations

from sympy import Abs, Expr, Integer, Mul, Pow, Product, S, Sum, besseli, exp, factorial

from calcproof.losses import sig
from calcproof.verify.normal import positive


def believed_positive(expr: Expr) -> bool:
    """What these rules *take* to be positive: the kernel's facts plus the chapter's.

    Beyond :func:`calcproof.verify.normal.positive`: ``1 - sig[a]`` and ``sig[a]``,
    ``I_0[kappa]`` for real ``kappa``, factorials, sums of positive terms, ``|a|``
    where it is a divisor (a predicted standard deviation: the density is undefined
    at 0), and products and powers of these.  Rules are untrusted: the kernel re-checks every
    step made with this belief and reports ``unknown`` where it cannot see it.
    """
    if positive(expr):
        return True
    if isinstance(expr, sig) or (isinstance(expr, factorial) and expr.args[0].is_integer):
        return True
    if expr.is_Add and len(expr.args) == 2 and Integer(1) in expr.args:
        other = next(a for a in expr.args if a != 1)
        return isinstance(-other, sig)
    if isinstance(expr, besseli):
        return expr.args[0] == 0 and bool(expr.args[1].is_real)
    if isinstance(expr, exp):  # real wherever it is defined (a quotient by a predicted variance)
        return expr.args[0].is_real is not False and not expr.args[0].has(S.ImaginaryUnit)
    if isinstance(expr, Sum | Product):
        return believed_positive(expr.function)
    if isinstance(expr, Mul):
        return all(believed_positive(a) for a in expr.args)
    if isinstance(expr, Pow):
        if expr.exp.is_negative and _positive_divisor(expr.base):
            return True
        return believed_positive(expr.base) and bool(expr.exp.is_real)
    return False


def _positive_divisor(expr: Expr) -> bool:
    """A divisor built from ``|a|`` and positive factors: positive wherever it may divide."""
    if isinstance(expr, Abs):
        return True
    if isinstance(expr, Mul):
        return all(_positive_divisor(a) for a in expr.args)
    if isinstance(expr, Pow) and expr.exp.is_positive:
        return _positive_divisor(expr.base)
    return believed_positive(expr)


__all__ = ["believed_positive"]
