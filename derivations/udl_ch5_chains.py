"""Chapter 5: the losses that the pipeline derives from their likelihoods (calcproof.pipeline).

Each chain is written by ``derive_loss`` and checked by the kernel like a
hand-written one.  Chains with a step the kernel does not verify yet are kept in
``PENDING`` (not registered, so no sheet shows them): see the README.
"""

from sympy import IndexedBase

from calcproof import symbols as S
from calcproof.distributions import Distribution
from calcproof.losses import normal_density
from calcproof.pipeline import derive_loss

sd = IndexedBase(r"\sigma", positive=True)
"""One fixed standard deviation per output (metres, kilograms …)."""

PER_OUTPUT = Distribution(
    "gaussian-per-output",
    "normal",
    ("mean", "variance"),
    lambda y, v, net: normal_density(y, v["mean"], v["variance"]),
    {"mean": ("identity",), "variance": ()},
    {"mean": "identity"},
    fixed={"variance": sd[S.d] ** 2},
    fixed_text={"variance": "σ_d²"},
    plural={"variance": "variances"},
)

BERNOULLI = derive_loss(
    "bernoulli",
    name="udl5-bernoulli",
    title="A Bernoulli output with λ = sig[f]: binary cross-entropy",
)
UNIVARIATE = derive_loss(
    "gaussian",
    name="udl5-univariate-least-squares",
    title="A normal output with fixed variance: maximum likelihood is least squares",
)
HETEROSCEDASTIC = derive_loss(
    "gaussian",
    {"mean": "identity", "variance": "exp"},
    name="udl5-heteroscedastic",
    title="Heteroscedastic regression (μ = f₁, σ² = exp[f₂]): the loss keeps a term in f₂",
)
HETEROSCEDASTIC_MULTIVARIATE = derive_loss(
    "gaussian",
    {"mean": "identity", "variance": "exp"},
    outputs=S.D,
    name="udl5-heteroscedastic-multivariate",
    title="D outputs, each with a predicted mean f_d and variance exp[f_{D+d}]",
)
CATEGORICAL = derive_loss(
    "categorical",
    name="udl5-categorical",
    title="A categorical output with softmax: the multiclass cross-entropy",
)
POISSON = derive_loss(
    "poisson", name="udl5-poisson", title="A Poisson output with λ = exp[f]: the Poisson loss"
)
VON_MISES = derive_loss(
    "von-mises",
    name="udl5-von-mises",
    title="A von Mises output with fixed κ: minimise Σ −cos[y_i − f[x_i, φ]]",
)
LAPLACE = derive_loss(
    "laplace",
    name="udl5-laplace",
    title="A Laplace output with fixed scale: least absolute deviations",
)
MIXTURE = derive_loss(
    "mixture",
    {"weight": "sigmoid", "mean1": "identity", "mean2": "identity"},
    name="udl5-mixture",
    title="A mixture of two normals: the loss is −Σ log of a sum (no closed form)",
)
VON_MISES_MIXTURE = derive_loss(
    "von-mises-mixture",
    name="udl5-von-mises-mixture",
    title="A mixture of two von Mises distributions: −Σ log of a sum",
)
WIND = derive_loss(
    "wind",
    name="udl5-wind",
    title="Direction (von Mises) and speed (exponential) together: the two losses add",
)
UNITS = derive_loss(
    PER_OUTPUT,
    outputs=2,
    name="udl5-units",
    title="Two outputs in different units, each with its own σ_d: weighted least squares",
)

DERIVATIONS = [
    UNIVARIATE,
    BERNOULLI,
    HETEROSCEDASTIC,
    HETEROSCEDASTIC_MULTIVARIATE,
    CATEGORICAL,
    POISSON,
    VON_MISES,
    LAPLACE,
    MIXTURE,
    VON_MISES_MIXTURE,
    UNITS,
    WIND,
]

HETEROSCEDASTIC_SQUARE = derive_loss(
    "gaussian",
    {"mean": "identity", "variance": "square"},
    name="udl5-heteroscedastic-square",
    title="Heteroscedastic regression with the book's σ² = f₂²",
)
PENDING = [HETEROSCEDASTIC_SQUARE]
"""Chains with a step the kernel leaves unknown: −log needs |f₂| > 0, which is not provable."""
