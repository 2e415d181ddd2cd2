"""Untrusted rewriters ``Expr -> Expr``; each returns ``None`` where it does not apply.

A rule's docstring is the rewrite it performs and its side conditions.  Rules
never verify anything: the kernel (:mod:`calcproof.verify`) re-checks every step
they produce.  Rules that act on a subexpression are applied everywhere,
bottom-up, by :func:`everywhere`.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import (
    Add,
    Basic,
    Derivative,
    Expr,
    Integer,
    Mul,
    Pow,
    Product,
    Subs,
    Sum,
    exp,
    limit,
    log,
    oo,
    sympify,
)

from calcproof.assumptions import positive
from calcproof.derivation import Rule
from calcproof.losses import sig

Local = Callable[[Expr], Expr | None]


def everywhere(local: Local) -> Callable[[Expr], Expr | None]:
    """Apply ``local`` bottom-up at every node; ``None`` when it applied nowhere."""

    def run(expr: Expr) -> Expr | None:
        applied = False

        def visit(node: Basic) -> Basic:
            nonlocal applied
            if node.args and not node.is_Atom:
                new_args = [visit(arg) for arg in node.args]
                if any(new is not old for new, old in zip(new_args, node.args, strict=True)):
                    node = node.func(*new_args)
            result = local(node) if isinstance(node, Expr) else None
            if result is None:
                return node
            applied = True
            return result

        out = visit(sympify(expr))
        return out if applied else None

    return run


def _params_free(expr: Basic, params: tuple[Basic, ...]) -> bool:
    return not expr.has(*params)


# --- definitions and evaluation ------------------------------------------------------


def substitute(name: Basic, value: Expr, why: str | None = None) -> Rule:
    """``name -> value`` wherever ``name`` occurs (unfold a definition)."""

    def rewrite(expr: Expr) -> Expr | None:
        return expr.xreplace({name: value}) if expr.has(name) else None

    return Rule("substitute definition", why or f"definition of {name}", rewrite)


def _sigmoid_local(evaluate: bool) -> Local:
    def local(node: Expr) -> Expr | None:
        if not isinstance(node, sig):
            return None
        arg = node.args[0]
        if evaluate:
            return sig.formula(arg)
        neg = Mul(Integer(-1), arg, evaluate=False)
        denominator = Add(Integer(1), exp(neg, evaluate=False), evaluate=False)
        return Pow(denominator, Integer(-1), evaluate=False)

    return local


def unfold_sigmoid(evaluate: bool = True) -> Rule:
    """``sig[a] -> 1/(1 + exp[-a])``; with ``evaluate=False`` the arithmetic is left as written."""
    return Rule(
        "definition of sig",
        "definition of the logistic sigmoid",
        everywhere(_sigmoid_local(evaluate)),
    )


def _evaluate(expr: Expr) -> Expr | None:
    """Carry out unevaluated arithmetic and substitutions: ``1/(1 + exp[-0]) -> 1/2``."""
    out = expr.doit()
    return out if out != expr else None


evaluate = Rule("evaluate", "arithmetic", _evaluate)


def substitute_value(var: Expr, value: Expr) -> Rule:
    """``expr|_{var=value} -> expr`` with ``var`` replaced by ``value``.

    Applies only to an explicit substitution (``Subs``) of ``var``: replacing a
    free variable in a plain expression would not give an equal expression.
    """

    def rewrite(expr: Expr) -> Expr | None:
        if isinstance(expr, Subs) and var in expr.variables:
            return expr.doit()
        return None

    return Rule("substitute value", f"set {var} = {value}", rewrite)


def take_limit(var: Expr, point: Expr, direction: str = "+-") -> Rule:
    """``expr -> lim_{var -> point} expr`` (the value SymPy computes; the kernel re-checks it)."""

    def rewrite(expr: Expr) -> Expr | None:
        side = direction
        if point in (oo, -oo):
            side = "-" if point == oo else "+"
        value = limit(expr, var, point, dir=side)
        return value if value.is_number else None

    where = "+∞" if point == oo else "−∞" if point == -oo else str(point)
    return Rule("limit", f"limit as {var} → {where}", rewrite)


def _differentiate(node: Expr) -> Expr | None:
    """``d/dx f(x) -> f'(x)`` (SymPy's differentiation)."""
    return node.doit() if isinstance(node, Derivative) else None


differentiate = Rule("differentiate", "differentiate", everywhere(_differentiate))


# --- logarithms ----------------------------------------------------------------------


def _log_of_product(node: Expr) -> Expr | None:
    """``log Π_L g -> Σ_L log g`` and ``log(a b) -> log a + log b``, for positive factors."""
    if not isinstance(node, log):
        return None
    arg = node.args[0]
    if isinstance(arg, Product) and positive(arg.function):
        return Sum(log(arg.function), *arg.limits)
    if isinstance(arg, Mul) and all(positive(f) for f in arg.args):
        return Add(*[log(f) for f in arg.args])
    return None


log_of_product = Rule(
    "log of a product", "the log of a product is the sum of the logs", everywhere(_log_of_product)
)


def _log_of_exp(node: Expr) -> Expr | None:
    """``log exp[x] -> x`` for real ``x``."""
    if isinstance(node, log) and isinstance(node.args[0], exp) and node.args[0].args[0].is_real:
        return node.args[0].args[0]
    return None


log_of_exp = Rule("log of exp", "log and exp are inverse", everywhere(_log_of_exp))


def _log_of_power(node: Expr) -> Expr | None:
    """``log b^e -> e log b`` for positive ``b`` and real ``e``."""
    if isinstance(node, log) and isinstance(node.args[0], Pow):
        base, power = node.args[0].args
        if positive(base) and power.is_real:
            return power * log(base)
    return None


log_of_power = Rule("log of a power", "log[b^e] = e log[b] for b > 0", everywhere(_log_of_power))


def _log_expand(expr: Expr) -> Expr | None:
    first = everywhere(_log_of_product)(expr)
    second = everywhere(_log_of_exp)(first if first is not None else expr)
    return second if second is not None else first


log_of_product_and_exp = Rule(
    "log of a product and of exp",
    "log[a exp[b]] = log[a] + b for a > 0",
    _log_expand,
)


# --- sums ----------------------------------------------------------------------------


def _split_sum(node: Expr) -> Expr | None:
    """``Σ_L (a + b) -> Σ_L a + Σ_L b``."""
    if isinstance(node, Sum) and isinstance(node.function, Add):
        return Add(*[Sum(term, *node.limits) for term in node.function.args])
    return None


sum_linearity = Rule("linearity of Σ", "split the sum", everywhere(_split_sum))


def _pull_constants(node: Expr) -> Expr | None:
    """``Σ_{v=a}^{b} c g -> c Σ_{v=a}^{b} g`` for ``c`` free of ``v``.

    Also ``Σ_{v=a}^{b} c -> (b - a + 1) c`` when the summand does not use ``v``.
    """
    if not isinstance(node, Sum):
        return None
    variables = [lim[0] for lim in node.limits]
    coeff, rest = node.function.as_independent(*variables, as_Add=False)
    kept = [lim for lim in node.limits if rest.has(lim[0])]
    count = Mul(*[upper - lower + 1 for var, lower, upper in node.limits if not rest.has(var)])
    if coeff == 1 and count == 1:
        return None
    return coeff * count * (Sum(rest, *kept) if kept else rest)


pull_constants = Rule(
    "constants out of Σ", "pull constants out of the sums", everywhere(_pull_constants)
)


# --- optimisation --------------------------------------------------------------------


def negative_log(expr: Expr) -> Expr | None:
    """``argmax_φ X -> argmin_φ -log X`` for a positive objective ``X``."""
    return -log(expr) if positive(expr) else None


argmax_to_argmin_neg_log = Rule(
    "negative log",
    "log is increasing and the likelihood is positive: maximise it = minimise −log of it",
    negative_log,
)


def drop_terms_free_of(*params: Basic) -> Rule:
    """``argmin_φ (a + g(φ)) -> argmin_φ g(φ)`` for ``a`` free of φ (also inside Σ summands)."""

    def rewrite(expr: Expr) -> Expr | None:
        if isinstance(expr, Add):
            kept = [t for t in expr.args if not _params_free(t, params)]
            if 0 < len(kept) < len(expr.args):
                return Add(*kept)
        if isinstance(expr, Sum) and isinstance(expr.function, Add):
            kept = [t for t in expr.function.args if not _params_free(t, params)]
            if 0 < len(kept) < len(expr.function.args):
                return Sum(Add(*kept), *expr.limits)
        return None

    names = ", ".join(str(p) for p in params)
    return Rule(
        "drop constant terms",
        f"terms that do not depend on {names} do not move the minimiser",
        rewrite,
    )


def drop_positive_factor(*params: Basic) -> Rule:
    """``argmin_φ c g(φ) -> argmin_φ g(φ)`` for ``c > 0`` free of φ."""

    def rewrite(expr: Expr) -> Expr | None:
        if not isinstance(expr, Mul):
            return None
        constant = [f for f in expr.args if _params_free(f, params) and positive(f)]
        if not constant:
            return None
        return Mul(*[f for f in expr.args if f not in constant])

    names = ", ".join(str(p) for p in params)
    return Rule(
        "drop positive factor",
        f"a positive factor that does not depend on {names} does not move the minimiser",
        rewrite,
    )
