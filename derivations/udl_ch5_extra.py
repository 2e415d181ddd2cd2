"""Chapter 5: the hand-written chains (gradients, the variance estimate, KL and the NLL)."""

from sympy import Derivative, Subs, Sum, Symbol, exp, log, pi

from calcproof import rules
from calcproof import symbols as S
from calcproof.derivation import chain, then
from calcproof.losses import Pr, bce, sig
from calcproof.relations import argmin

y = Symbol("y", real=True)
f = Symbol("f", real=True)
"""One logit (the scalar network output of one pair)."""
v = Symbol("v", positive=True)
"""The variance σ² as the unknown."""
R = Symbol("R", positive=True)
"""The residual sum of squares Σ_i (y_i − f[x_i, φ])² at the fitted φ, taken positive."""
a1, a2, a3 = (Symbol(f"a{n}", real=True) for n in (1, 2, 3))
"""The three logits of a three-class softmax."""

NLL_IN_V = S.I / 2 * log(2 * pi * v) + R / (2 * v)
"""The Gaussian NLL as a function of the variance v = σ² (fixed residuals)."""
DERIVATIVE = S.I / (2 * v) - R / (2 * v**2)

VARIANCE_DERIVATIVE = chain(
    "udl5-variance-derivative",
    "The derivative of the NLL in σ² = v is (I v − R)/(2v²)",
    Derivative(NLL_IN_V, v),
    [
        then("=", rules.differentiate, rhs=DERIVATIVE),
        then("=", rhs=(S.I * v - R) / (2 * v**2), why="common denominator", name="algebra"),
    ],
)

VARIANCE_STATIONARY = chain(
    "udl5-variance-stationary",
    "The derivative vanishes at v = R/I, the mean squared residual",
    Subs(DERIVATIVE, v, R / S.I),
    [then("=", rules.substitute_value(v, R / S.I))],
)

BCE_GRADIENT = chain(
    "udl5-bce-gradient",
    "The gradient of the binary cross-entropy in the logit is sig[f] − y",
    Derivative(bce(y, sig(f)), f),
    [
        then("=", rules.differentiate),
        then("=", rhs=sig(f) - y, why="cancel sig[f] and 1 − sig[f]", name="algebra"),
    ],
)

SOFTMAX_CE = -a1 + log(exp(a1) + exp(a2) + exp(a3))
"""The cross-entropy of three logits for the label 1: −a₁ + log Σ_k exp[a_k]."""
SOFTMAX_GRADIENT_LABEL = chain(
    "udl5-softmax-gradient-label",
    "For the true class the gradient is softmax₁ − 1",
    Derivative(SOFTMAX_CE, a1),
    [then("=", rules.differentiate)],
)
SOFTMAX_GRADIENT_OTHER = chain(
    "udl5-softmax-gradient-other",
    "For another class it is softmax₂ − 0",
    Derivative(SOFTMAX_CE, a2),
    [then("=", rules.differentiate)],
)

q = 1 / S.I
"""The empirical distribution puts mass 1/I on each training target."""
MODEL = Pr(S.y[S.i], S.f_scalar(S.x[S.i], S.phi))
KL_IS_NLL = chain(
    "udl5-kl-is-nll",
    "Minimising KL(empirical ‖ model) over φ is minimising the NLL",
    Sum(q * log(q), (S.i, 1, S.I)) - Sum(q * log(MODEL), (S.i, 1, S.I)),
    [
        then(argmin(S.phi), rules.drop_terms_free_of(S.phi)),
        then("=", rules.pull_constants),
        then(argmin(S.phi), rules.drop_positive_factor(S.phi)),
    ],
    expect=-Sum(log(MODEL), (S.i, 1, S.I)),
)

DERIVATIONS = [
    VARIANCE_DERIVATIVE,
    VARIANCE_STATIONARY,
    BCE_GRADIENT,
    SOFTMAX_GRADIENT_LABEL,
    SOFTMAX_GRADIENT_OTHER,
    KL_IS_NLL,
]
