"""Untrusted rewriters ``Expr -> Expr``; each returns ``None`` where it does not apply.

A rule's docstring is the rewrite it performs and its side conditions.  Rules
never verify anything: the kernel (:mod:`calcproof.verify`) re-checks every step
they produce.  Rules that act on a subexpression are applied everywhere,
bottom-up, by :func:`everywhere`.  When a rule does not apply, its ``explain``
says why: which subexpression it looked at and which side condition failed
(``log[λ^y exp[-λ]/y!]: the factor 1/y! is not known to be positive``).

The ready-made rules (``then("=", rules.NAME)``; the factories take arguments)::

    rule                      rewrite                                       side condition
    substitute(name, value)   name -> value (unfold a definition)           name occurs
    unfold_sigmoid()          sig[a] -> 1/(1 + exp[-a])                     a sig[...] occurs
    evaluate                  carry out arithmetic and Subs                 something to evaluate
    substitute_value(v, c)    e|_{v=c} -> e with v = c                      an explicit Subs of v
    take_limit(v, p)          e -> lim_{v -> p} e                           the limit is a number
    differentiate             d/dx f(x) -> f'(x)                            a Derivative occurs
    log_of_product            log Π g -> Σ log g; log ab -> log a + log b   every factor > 0
    log_of_exp                log exp[x] -> x                               x real
    log_of_power              log b^e -> e log b                            b > 0, e real
    log_of_product_and_exp    log[a exp[b]] -> log a + b                    a > 0, b real
    sum_linearity             Σ (a + b) -> Σ a + Σ b                        -
    pull_constants            Σ_v c g -> c Σ_v g; Σ_{v=a}^b c -> (b-a+1) c  c free of v
    argmax_to_argmin_neg_log  argmax X -> argmin -log X                     X > 0
    drop_terms_free_of(φ)     argmin (a + g) -> argmin g, also in Σ         a free of φ
    drop_positive_factor(φ)   argmin c g -> argmin g                        c > 0 and free of φ
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
    preorder_traversal,
    sympify,
)

from calcproof.assumptions import positive
from calcproof.derivation import Rule
from calcproof.losses import sig

Local = Callable[[Expr], Expr | None]
Miss = Callable[[Expr], str | None]
"""Why a local rule does not apply at one node (``None``: the node is not a candidate)."""

MAX_REASONS = 3


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


def explain_nodes(miss: Miss, nothing: str) -> Callable[[Expr], str]:
    """An ``explain`` for an :func:`everywhere` rule: what ``miss`` says, else ``nothing``."""

    def explain(expr: Expr) -> str:
        reasons: list[str] = []
        for node in preorder_traversal(sympify(expr)):
            reason = miss(node) if isinstance(node, Expr) else None
            if reason and reason not in reasons:
                reasons.append(reason)
        return "; ".join(reasons[:MAX_REASONS]) if reasons else nothing

    return explain


def _not_positive(factor: Basic) -> str:
    return f"the factor {factor} is not known to be positive"


def _params_free(expr: Basic, params: tuple[Basic, ...]) -> bool:
    return not expr.has(*params)


# --- definitions and evaluation ------------------------------------------------------


def substitute(name: Basic, value: Expr, why: str | None = None) -> Rule:
    """``name -> value`` wherever ``name`` occurs (unfold a definition)."""

    def rewrite(expr: Expr) -> Expr | None:
        return expr.xreplace({name: value}) if expr.has(name) else None

    def explain(expr: Expr) -> str:
        return f"{name} does not occur in {expr}"

    return Rule("substitute definition", why or f"definition of {name}", rewrite, explain)


def _sigmoid_local(evaluate: bool) -> Local:
    def local(node: Expr) -> Expr | None:
        if not isinstance(node, sig):
            return None
        arg = node.args[0]
        if evaluate:
            return sig.formula(arg)
        neg = -arg if arg.is_number else Mul(Integer(-1), arg, evaluate=False)
        denominator = Add(Integer(1), exp(neg, evaluate=False), evaluate=False)
        return Pow(denominator, Integer(-1), evaluate=False)

    return local


def unfold_sigmoid(evaluate: bool = True) -> Rule:
    """``sig[a] -> 1/(1 + exp[-a])``; with ``evaluate=False`` the arithmetic is left as written."""
    return Rule(
        "definition of sig",
        "definition of the logistic sigmoid",
        everywhere(_sigmoid_local(evaluate)),
        lambda expr: "no sig[…] in the expression",
    )


def _evaluate(expr: Expr) -> Expr | None:
    """Carry out unevaluated arithmetic and substitutions: ``1/(1 + exp[-0]) -> 1/2``."""
    out = expr.doit()
    return out if out != expr else None


evaluate = Rule("evaluate", "arithmetic", _evaluate, lambda expr: "nothing left to evaluate")


def substitute_value(var: Expr, value: Expr) -> Rule:
    """``expr|_{var=value} -> expr`` with ``var`` replaced by ``value``.

    Applies only to an explicit substitution (``Subs``) of ``var``: replacing a
    free variable in a plain expression would not give an equal expression.
    """

    def rewrite(expr: Expr) -> Expr | None:
        if isinstance(expr, Subs) and var in expr.variables:
            return expr.doit()
        return None

    def explain(expr: Expr) -> str:
        if isinstance(expr, Subs):
            return f"{expr} substitutes {', '.join(map(str, expr.variables))}, not {var}"
        return f"{expr} is not an explicit substitution of {var} (write Subs(expr, {var}, {value}))"

    return Rule("substitute value", f"set {var} = {value}", rewrite, explain)


def take_limit(var: Expr, point: Expr, direction: str = "+-") -> Rule:
    """``expr -> lim_{var -> point} expr`` (the value SymPy computes; the kernel re-checks it)."""

    def rewrite(expr: Expr) -> Expr | None:
        side = direction
        if point in (oo, -oo):
            side = "-" if point == oo else "+"
        value = limit(expr, var, point, dir=side)
        return value if value.is_number else None

    where = "+∞" if point == oo else "−∞" if point == -oo else str(point)

    def explain(expr: Expr) -> str:
        return f"SymPy's limit of {expr} as {var} → {where} is not a number"

    return Rule("limit", f"limit as {var} → {where}", rewrite, explain)


def _differentiate(node: Expr) -> Expr | None:
    """``d/dx f(x) -> f'(x)`` (SymPy's differentiation)."""
    return node.doit() if isinstance(node, Derivative) else None


differentiate = Rule(
    "differentiate",
    "differentiate",
    everywhere(_differentiate),
    lambda expr: "no derivative d/dx in the expression",
)


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


def _log_of_product_miss(node: Expr) -> str | None:
    if not isinstance(node, log):
        return None
    arg = node.args[0]
    factors = [arg.function] if isinstance(arg, Product) else list(Mul.make_args(arg))
    if len(factors) < 2 and not isinstance(arg, Product):
        return None
    bad = [f for f in factors if not positive(f)]
    return f"{node}: {_not_positive(bad[0])}" if bad else None


log_of_product = Rule(
    "log of a product",
    "the log of a product is the sum of the logs",
    everywhere(_log_of_product),
    explain_nodes(_log_of_product_miss, "no log of a product (log[Π …] or log[a·b])"),
)


def _log_of_exp(node: Expr) -> Expr | None:
    """``log exp[x] -> x`` for real ``x``."""
    if isinstance(node, log) and isinstance(node.args[0], exp) and node.args[0].args[0].is_real:
        return node.args[0].args[0]
    return None


def _log_of_exp_miss(node: Expr) -> str | None:
    if isinstance(node, log) and isinstance(node.args[0], exp):
        return f"{node}: {node.args[0].args[0]} is not known to be real"
    return None


log_of_exp = Rule(
    "log of exp",
    "log and exp are inverse",
    everywhere(_log_of_exp),
    explain_nodes(_log_of_exp_miss, "no log[exp[…]] in the expression"),
)


def _log_of_power(node: Expr) -> Expr | None:
    """``log b^e -> e log b`` for positive ``b`` and real ``e``."""
    if isinstance(node, log) and isinstance(node.args[0], Pow):
        base, power = node.args[0].args
        if positive(base) and power.is_real:
            return power * log(base)
    return None


def _log_of_power_miss(node: Expr) -> str | None:
    if not (isinstance(node, log) and isinstance(node.args[0], Pow)):
        return None
    base, power = node.args[0].args
    if not positive(base):
        return f"{node}: the base {base} is not known to be positive"
    return f"{node}: the exponent {power} is not known to be real"


log_of_power = Rule(
    "log of a power",
    "log[b^e] = e log[b] for b > 0",
    everywhere(_log_of_power),
    explain_nodes(_log_of_power_miss, "no log[b^e] in the expression"),
)


def _log_expand(expr: Expr) -> Expr | None:
    first = everywhere(_log_of_product)(expr)
    second = everywhere(_log_of_exp)(first if first is not None else expr)
    return second if second is not None else first


def _log_expand_miss(node: Expr) -> str | None:
    return _log_of_product_miss(node) or _log_of_exp_miss(node)


log_of_product_and_exp = Rule(
    "log of a product and of exp",
    "log[a exp[b]] = log[a] + b for a > 0",
    _log_expand,
    explain_nodes(_log_expand_miss, "no log of a product or of exp in the expression"),
)


# --- sums ----------------------------------------------------------------------------


def _split_sum(node: Expr) -> Expr | None:
    """``Σ_L (a + b) -> Σ_L a + Σ_L b``."""
    if isinstance(node, Sum) and isinstance(node.function, Add):
        return Add(*[Sum(term, *node.limits) for term in node.function.args])
    return None


sum_linearity = Rule(
    "linearity of Σ",
    "split the sum",
    everywhere(_split_sum),
    lambda expr: "no Σ whose summand is a sum of terms",
)


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
    "constants out of Σ",
    "pull constants out of the sums",
    everywhere(_pull_constants),
    lambda expr: (
        "no Σ has a factor free of its index" if expr.has(Sum) else "no Σ in the expression"
    ),
)


# --- optimisation --------------------------------------------------------------------


def negative_log(expr: Expr) -> Expr | None:
    """``argmax_φ X -> argmin_φ -log X`` for a positive objective ``X``."""
    return -log(expr) if positive(expr) else None


argmax_to_argmin_neg_log = Rule(
    "negative log",
    "log is increasing and the likelihood is positive: maximise it = minimise −log of it",
    negative_log,
    lambda expr: f"the objective {expr} is not known to be positive",
)


def _drop_free(expr: Expr, params: tuple[Basic, ...]) -> Expr | None:
    """``expr`` without its additive terms free of ``params``, looking inside Σ and c·(…)."""
    if isinstance(expr, Add):
        kept, changed = [], False
        for term in expr.args:
            if _params_free(term, params):
                changed = True
                continue
            inner = _drop_free(term, params)
            changed = changed or inner is not None
            kept.append(term if inner is None else inner)
        return Add(*kept) if kept and changed else None
    if isinstance(expr, Sum) and all(_params_free(lim, params) for lim in expr.limits):
        inner = _drop_free(expr.function, params)
        return None if inner is None else Sum(inner, *expr.limits)
    if isinstance(expr, Mul):
        rest = [f for f in expr.args if not _params_free(f, params)]
        if len(rest) == 1:
            inner = _drop_free(rest[0], params)
            free = [f for f in expr.args if _params_free(f, params)]
            return None if inner is None else Mul(*free, inner)
    return None


def drop_terms_free_of(*params: Basic) -> Rule:
    """``argmin_φ (a + g(φ)) -> argmin_φ g(φ)`` for ``a`` free of φ.

    Also inside Σ summands (``Σ_L (a + g) -> Σ_L g``) and under a factor free of
    φ (``c (a + g) -> c g``): each dropped piece adds a constant to the objective.
    """
    names = ", ".join(str(p) for p in params)

    def rewrite(expr: Expr) -> Expr | None:
        return _drop_free(expr, params)

    def explain(expr: Expr) -> str:
        if _params_free(expr, params):
            return f"the objective {expr} does not depend on {names} at all"
        return f"no term of {expr} is free of {names} (looked inside Σ and constant factors)"

    return Rule(
        "drop constant terms",
        f"terms that do not depend on {names} do not move the minimiser",
        rewrite,
        explain,
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

    def explain(expr: Expr) -> str:
        free = [f for f in Mul.make_args(expr) if _params_free(f, params)]
        if not isinstance(expr, Mul) or not free:
            return f"{expr} has no factor free of {names}"
        return f"{expr}: {_not_positive(free[0])}"

    return Rule(
        "drop positive factor",
        f"a positive factor that does not depend on {names} does not move the minimiser",
        rewrite,
        explain,
    )
