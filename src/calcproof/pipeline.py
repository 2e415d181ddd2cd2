"""The chapter's recipe as a pipeline: distribution → likelihood → negative log-likelihood → loss.

``derive_loss(distribution, predict={param: link})`` writes the likelihood of I
independent pairs, then applies the recipe (:data:`RECIPE`, a strategy built from
named rules with :mod:`calcproof.strategies`) until no rule applies, and returns an
ordinary :class:`~calcproof.derivation.Derivation`.  Nothing here verifies: the
kernel checks each step like any hand-written one, and a step the rules could not
take simply ends the chain::

    >>> from calcproof.pipeline import derive_loss
    >>> derivation = derive_loss("poisson", predict={"rate": "exp"})
    >>> derivation.end
    Sum(-f(x[i], phi)*y[i] + exp(f(x[i], phi)), (i, 1, I))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sympy import Basic, Expr, Product

from calcproof import rules
from calcproof import symbols as S
from calcproof.derivation import Context, Derivation, Rule, define
from calcproof.distributions import DISTRIBUTIONS, LINKS, Distribution, Model
from calcproof.errors import DerivationError
from calcproof.losses import Pr
from calcproof.relations import Equal, Relation, argmax_to_argmin, argmin
from calcproof.strategies import Strategy, Trace, chain, do_one, exhaust, move

Recipe = Callable[[Basic, Expr, tuple[Basic, ...]], Strategy]


def recipe(pair: Basic, likelihood: Expr, params: tuple[Basic, ...]) -> Strategy:
    """The chapter's recipe for the likelihood ``pair := likelihood``, optimising over ``params``.

    Likelihood of independent pairs as a product; argmax → argmin of −log; log of
    a product; log of exp and of powers; split sums; constants out of sums; drop
    terms free of φ and positive factors; one sum per range.  Where a kernel-style
    rule and a broader one both exist, the kernel-style one is tried first.
    """
    eq: Relation = Equal()

    def at(relation: Relation, *choices: Rule) -> Strategy:
        return do_one(*(move(relation, rule) for rule in choices))

    return chain(
        at(eq, rules.substitute(pair, likelihood)),
        at(
            argmax_to_argmin(*params),
            rules.argmax_to_argmin_neg_log,
            rules.argmax_to_argmin_neg_log_likelihood,
        ),
        at(eq, rules.log_of_product, rules.log_of_factors),
        exhaust(
            at(
                eq,
                rules.log_of_product_and_exp,
                rules.log_of_exp,
                rules.log_of_factors,
                rules.log_of_data_power,
            )
        ),
        exhaust(at(eq, rules.sum_linearity)),
        exhaust(at(eq, rules.pull_constants)),
        exhaust(
            at(
                argmin(*params),
                rules.drop_terms_free_of(*params),
                rules.drop_positive_factor(*params),
            )
        ),
        exhaust(at(eq, rules.merge_sums)),
    )


@dataclass(frozen=True)
class Request:
    """What to derive: the distribution, which parameters the network predicts and how."""

    distribution: Distribution
    predict: Mapping[str, str]
    outputs: int | Expr | None = None


def request(
    distribution: str | Distribution,
    predict: Mapping[str, str] | None = None,
    outputs: int | Expr | None = None,
) -> Request:
    """Check a request against the distribution's parameters and the known links."""
    dist = _distribution(distribution)
    chosen = dict(dist.default_predict if predict is None else predict)
    unknown = sorted(set(chosen) - set(dist.parameters))
    if unknown:
        raise DerivationError(
            f"{dist.name} has no parameter {', '.join(unknown)} "
            f"(its parameters: {', '.join(dist.parameters)})"
        )
    for param, link in chosen.items():
        if link not in LINKS:
            raise DerivationError(
                f"unknown link {link!r} for {param} (known: {', '.join(sorted(LINKS))})"
            )
    if not chosen:
        raise DerivationError(f"{dist.name}: the network must predict at least one parameter")
    missing = [p for p in dist.parameters if p not in chosen and p not in dist.fixed]
    if missing:
        raise DerivationError(f"{dist.name}: {', '.join(missing)} must be predicted")
    return Request(dist, chosen, outputs)


def _distribution(distribution: str | Distribution) -> Distribution:
    if isinstance(distribution, Distribution):
        return distribution
    if distribution not in DISTRIBUTIONS:
        known = ", ".join(sorted(DISTRIBUTIONS))
        raise DerivationError(f"unknown distribution {distribution!r} (known: {known})")
    return DISTRIBUTIONS[distribution]


def derive_loss(
    distribution: str | Distribution,
    predict: Mapping[str, str] | None = None,
    *,
    outputs: int | Expr | None = None,
    name: str | None = None,
    title: str | None = None,
    pairs: Expr = S.I,
    strategy: Recipe = recipe,
) -> Derivation:
    """The loss of maximum likelihood when the network predicts ``distribution``'s parameters.

    ``predict`` maps a parameter name to a link (``{"mean": "identity"}``,
    ``{"probability": "sigmoid"}``); parameters not predicted keep their fixed
    symbols (σ, κ, b).  ``outputs=D`` models D independent outputs per pair (the
    worksheet's multivariate regression).  Raises :class:`DerivationError` for an
    unknown distribution, parameter or link, or when no rule applies at all.
    """
    req = request(distribution, predict, outputs)
    model = req.distribution.model(req.predict, req.outputs)
    pair = Pr(model.target, S.f_scalar(S.x[S.i], S.phi), *model.fixed)
    likelihood = define(pair, model.likelihood, why=model.why)
    start = Product(pair, (S.i, 1, pairs))
    trace = strategy(pair, model.likelihood, (S.phi,))(Trace(start))
    label = name or default_name(req)
    if not trace.steps:
        raise DerivationError(f"{label}: no rule of the recipe applies to {start}")
    context = Context(domains=model.domains).with_definition(pair, model.likelihood)
    derivation = Derivation(
        label,
        title or default_title(req, model),
        trace.steps,
        context,
        (likelihood,),
        description="Derived by the pipeline; it stops where no rule of the recipe applies.",
    )
    derivation.relation  # noqa: B018 - raises DerivationError when relations do not compose
    return derivation


def default_name(req: Request) -> str:
    """``poisson-rate-exp``, ``gaussian-mean-identity-D10`` …"""
    links = "-".join(
        f"{p}-{req.predict[p]}" for p in req.distribution.parameters if p in req.predict
    )
    size = ""
    if req.outputs is not None:
        size = f"-D{req.outputs}" if str(req.outputs).isdigit() else f"-{req.outputs}"
    return f"{req.distribution.name}-{links}{size}"


def default_title(req: Request, model: Model) -> str:
    return f"Maximum likelihood for {model.why} gives this loss"


__all__ = ["Request", "default_name", "derive_loss", "recipe", "request"]
