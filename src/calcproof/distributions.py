"""The chapter's output distributions as data: parameters, links, and the likelihood of one pair.

A :class:`Distribution` knows its parameters (``mean``, ``variance`` …), which of
them may stay fixed (σ², κ, b) and through which links the network may predict
the others.  :meth:`Distribution.model` writes the likelihood of one training pair
for a choice of predictions; :mod:`calcproof.pipeline` takes it from there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sympy import Expr, IndexedBase, Integer, Mul, Pow, Product, Sum, Symbol, exp

from calcproof import symbols as S
from calcproof.derivation import Domain
from calcproof.errors import DerivationError
from calcproof.losses import (
    Norm,
    VonMises,
    bernoulli_pmf,
    exponential_density,
    gaussian_density,
    laplace_density,
    normal_density,
    poisson_pmf,
    sig,
    von_mises_density,
)

kappa = Symbol("kappa", positive=True)
"""The fixed concentration of a von Mises output."""
b = Symbol("b", positive=True)
"""The fixed scale of a Laplace output."""
K = Symbol("K", integer=True, positive=True)
"""The number of classes."""
k = Symbol("k", integer=True, positive=True)
"""The class index of the softmax's sum."""
counts = IndexedBase("y", integer=True, nonnegative=True)
"""Count targets ``y_i`` in {0, 1, 2, …}."""
labels = IndexedBase("y", integer=True, positive=True)
"""Class labels ``y_i`` in {1, …, K}."""

LINKS: Mapping[str, Callable[[Expr], Expr]] = MappingProxyType(
    {
        "identity": lambda f: f,
        "exp": exp,
        "sigmoid": sig,
        "square": lambda f: f**2,
        "softmax": lambda f: f,  # applied by the categorical density, over all K outputs
    }
)
"""Link functions from a network output to a parameter."""

LINK_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "identity": "{}",
        "exp": "exp[{}]",
        "sigmoid": "sig[{}]",
        "square": "{}²",
        "softmax": "softmax[{}]",
    }
)

Network = Callable[[Expr], Expr]
"""The network output with a given subscript (``k -> f_k[x_i, φ]``), for vector outputs."""
Density = Callable[[Expr, Mapping[str, Expr], Network], Expr]


@dataclass(frozen=True)
class Model:
    """One pair's likelihood for a choice of predictions, and what the kernel may assume."""

    likelihood: Expr
    target: Expr
    fixed: tuple[Expr, ...]
    why: str
    domains: tuple[tuple[Symbol, Domain], ...] = ()


@dataclass(frozen=True)
class Distribution:
    """An output distribution: its parameters, fixed values, allowed links and density."""

    name: str
    noun: str
    parameters: tuple[str, ...]
    density: Density
    links: Mapping[str, tuple[str, ...]]
    default_predict: Mapping[str, str]
    fixed: Mapping[str, Expr] = field(default_factory=dict)
    fixed_text: Mapping[str, str] = field(default_factory=dict)
    plural: Mapping[str, str] = field(default_factory=dict)
    targets: IndexedBase = S.y
    domain: Domain | None = None

    def model(self, predict: Mapping[str, str], outputs: int | Expr | None) -> Model:
        """One pair's likelihood ``Pr(y_i | f[x_i, φ])`` when the network predicts ``predict``."""
        for param, link in predict.items():
            if link not in self.links[param]:
                allowed = ", ".join(self.links[param])
                raise DerivationError(f"{self.name}: {param} takes the link {allowed}, not {link}")
        predicted = [p for p in self.parameters if p in predict]
        if outputs is not None and len(predicted) > 1 and self.name != "gaussian":
            raise DerivationError(f"{self.name}: --outputs needs a single predicted parameter")
        fixed = tuple(dict.fromkeys(self.fixed[p] for p in self.parameters if p not in predict))
        if outputs is None:
            density = self._density(self.targets[S.i], predict, predicted, None, None)
            likelihood = density
        else:
            density = self._density(self.targets[S.i, S.d], predict, predicted, S.d, outputs)
            likelihood = Product(density, (S.d, 1, outputs))
        domains = () if self.domain is None else ((self.targets.label, self.domain),)
        why = self._why(predict, predicted, outputs)
        return Model(likelihood, self.targets[S.i], fixed, why, domains)

    def _density(
        self,
        target: Expr,
        predict: Mapping[str, str],
        predicted: list[str],
        d: Expr | None,
        size: int | Expr | None,
    ) -> Expr:
        """One output's density; with D outputs, parameter n of output d is ``f_{(n-1)D+d}``."""

        def output(sub: Expr | None) -> Expr:
            if sub is None:
                return S.f_scalar(S.x[S.i], S.phi)
            return S.f(sub, S.x[S.i], S.phi)

        values: dict[str, Expr] = {}
        for n, param in enumerate(predicted, 1):
            if d is not None:
                sub: Expr | None = d if n == 1 or size is None else (n - 1) * size + d
            else:
                sub = Integer(n) if len(predicted) > 1 else None
            values[param] = LINKS[predict[param]](output(sub))
        for param in self.parameters:
            values.setdefault(param, self.fixed.get(param, Integer(0)))
        return self.density(target, values, output)

    def _why(self, predict: Mapping[str, str], predicted: list[str], outputs: object) -> str:
        net = "f[x_i, φ]" if outputs is None else "f_d[x_i, φ]"
        phrases = []
        for param in self.parameters:
            if param in predict:
                n = predicted.index(param) + 1
                out = net if len(predicted) == 1 or outputs is not None else f"f_{n}[x_i, φ]"
                if outputs is not None and n > 1:
                    out = f"f_{{{n - 1}{outputs}+d}}[x_i, φ]".replace("{1", "{")
                label = self.plural.get(param, param + "s") if outputs is not None else param
                phrases.append(f"{label} {LINK_TEXT[predict[param]].format(out)}")
            else:
                phrases.append(f"{param} {self.fixed_text[param]}")
        head = (
            f"a {self.noun} output"
            if outputs is None
            else f"{outputs} independent {self.noun} outputs"
        )
        return f"{head} with {' and '.join(phrases)}"


def _gaussian(y: Expr, v: Mapping[str, Expr], net: Network) -> Expr:
    if v["variance"] == S.sigma**2:
        return gaussian_density(y, v["mean"], S.sigma)  # the book's (and Activity 4's) shape
    return normal_density(y, v["mean"], v["variance"])


def _softmax(y: Expr, v: Mapping[str, Expr], net: Network) -> Expr:
    normaliser = Pow(Sum(exp(net(k)), (k, 1, K)), -1, evaluate=False)
    return Mul(exp(net(y)), normaliser, evaluate=False)


def _normal_mixture(y: Expr, v: Mapping[str, Expr], net: Network) -> Expr:
    first = Norm(y, v["mean1"], v["variance1"])
    second = Norm(y, v["mean2"], v["variance2"])
    return v["weight"] * first + (1 - v["weight"]) * second


def _von_mises_mixture(y: Expr, v: Mapping[str, Expr], net: Network) -> Expr:
    first = VonMises(y, v["mean1"], v["concentration"])
    second = VonMises(y, v["mean2"], v["concentration"])
    return v["weight"] * first + (1 - v["weight"]) * second


speeds = IndexedBase("s", positive=True)
"""Positive targets ``s_i`` (wind speeds) observed with the angles ``y_i``."""


def _wind(y: Expr, v: Mapping[str, Expr], net: Network) -> Expr:
    direction = von_mises_density(y, v["direction"], v["concentration"])
    return Mul(direction, exponential_density(speeds[S.i], v["rate"]), evaluate=False)


MIXTURE_LINKS = {
    "weight": ("sigmoid",),
    "mean1": ("identity",),
    "mean2": ("identity",),
    "variance1": ("exp", "square"),
    "variance2": ("exp", "square"),
    "concentration": ("exp", "square"),
}

DISTRIBUTIONS: Mapping[str, Distribution] = MappingProxyType(
    {
        "gaussian": Distribution(
            "gaussian",
            "normal",
            ("mean", "variance"),
            _gaussian,
            {"mean": ("identity",), "variance": ("square", "exp")},
            {"mean": "identity"},
            fixed={"variance": S.sigma**2},
            fixed_text={"variance": "σ²"},
            plural={"variance": "variances"},
        ),
        "bernoulli": Distribution(
            "bernoulli",
            "Bernoulli",
            ("probability",),
            lambda y, v, net: bernoulli_pmf(y, v["probability"]),
            {"probability": ("sigmoid",)},
            {"probability": "sigmoid"},
            plural={"probability": "probabilities"},
            domain="binary",
        ),
        "categorical": Distribution(
            "categorical",
            "categorical",
            ("probabilities",),
            _softmax,
            {"probabilities": ("softmax",)},
            {"probabilities": "softmax"},
            plural={"probabilities": "probabilities"},
            targets=labels,
        ),
        "poisson": Distribution(
            "poisson",
            "Poisson",
            ("rate",),
            lambda y, v, net: poisson_pmf(y, v["rate"]),
            {"rate": ("exp",)},
            {"rate": "exp"},
            targets=counts,
        ),
        "von-mises": Distribution(
            "von-mises",
            "von Mises",
            ("mean", "concentration"),
            lambda y, v, net: von_mises_density(y, v["mean"], v["concentration"]),
            {"mean": ("identity",), "concentration": ("exp", "square")},
            {"mean": "identity"},
            fixed={"concentration": kappa},
            fixed_text={"concentration": "κ"},
        ),
        "laplace": Distribution(
            "laplace",
            "Laplace",
            ("location", "scale"),
            lambda y, v, net: laplace_density(y, v["location"], v["scale"]),
            {"location": ("identity",), "scale": ("exp", "square")},
            {"location": "identity"},
            fixed={"scale": b},
            fixed_text={"scale": "b"},
        ),
        "mixture": Distribution(
            "mixture",
            "two-normal mixture",
            ("weight", "mean1", "mean2", "variance1", "variance2"),
            _normal_mixture,
            MIXTURE_LINKS,
            {
                "weight": "sigmoid",
                "mean1": "identity",
                "mean2": "identity",
                "variance1": "exp",
                "variance2": "exp",
            },
            fixed={"variance1": S.sigma**2, "variance2": S.sigma**2},
            fixed_text={"variance1": "σ²", "variance2": "σ²"},
        ),
        "wind": Distribution(
            "wind",
            "direction (von Mises) and speed (exponential)",
            ("direction", "concentration", "rate"),
            _wind,
            {"direction": ("identity",), "concentration": ("exp",), "rate": ("exp",)},
            {"direction": "identity", "rate": "exp"},
            fixed={"concentration": kappa},
            fixed_text={"concentration": "κ"},
        ),
        "von-mises-mixture": Distribution(
            "von-mises-mixture",
            "two-von-Mises mixture",
            ("weight", "mean1", "mean2", "concentration"),
            _von_mises_mixture,
            MIXTURE_LINKS,
            {"weight": "sigmoid", "mean1": "identity", "mean2": "identity"},
            fixed={"concentration": kappa},
            fixed_text={"concentration": "κ"},
        ),
    }
)
"""The distributions ``calcproof derive`` knows, by name."""

__all__ = ["DISTRIBUTIONS", "LINKS", "Distribution", "Model"]
