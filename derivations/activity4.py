"""The Activity 4 sheet (Loss Functions): the worksheet's three tasks, stated correctly.

The printed solution of the worksheet has mistakes that this sheet does not
repeat: it says "when z = ∞ … the fraction is zero" where it means z → −∞;
its loss L = Σ log[...] lacks the minus sign of a negative log-likelihood; and
its argmin chain writes the squared term outside the sums.  Every step below
is checked by the kernel.
"""

from sympy import Symbol

from calcproof.losses import bce, logit, sig, sigmoid
from calcproof.sheet import Display, Figure, Problem, Proof, Sheet, Text
from calcproof.symbols import z

y = Symbol("y", real=True)
L = Symbol("L", real=True)
p = sig(logit())


SIGMOID = Problem(
    title="The logistic sigmoid",
    statement=(
        Text(
            r"Show that the logistic sigmoid function $\sig{z}$ tends to 0 as "
            r"$z \to -\infty$, equals $0.5$ when $z = 0$, and tends to 1 as $z \to +\infty$, where"
        ),
        Display(sig(z), sigmoid(z)),
        Text(r"Substituting the values and arguing about the exponential is enough."),
    ),
    solution=(
        Text(
            r"As $z \to -\infty$, $-z \to +\infty$, so $\exp\of{-z}$ grows without bound and the "
            r"fraction tends to $0$.  At $z = 0$, $\exp\of{0} = 1$, so the fraction is "
            r"$1/(1+1) = 0.5$.  As $z \to +\infty$, $\exp\of{-z} \to 0$, so the fraction tends "
            r"to $1/(1+0) = 1$."
        ),
        Proof("sigmoid-minus-infinity"),
        Proof("sigmoid-at-zero"),
        Proof("sigmoid-plus-infinity"),
        Figure(
            "sigmoid",
            r"The sigmoid and its limits: $0$ as $z \to -\infty$, $1$ as $z \to +\infty$, "
            r"and $0.5$ at $z = 0$.",
        ),
    ),
)

BCE = Problem(
    title="Binary cross-entropy",
    statement=(
        Text(
            r"The loss $L$ for binary classification for a single training pair "
            r"$\{\mathbf{x}, y\}$ is"
        ),
        Display(L, bce(y, p)),
        Text(
            r"where $\sig{z}$ is the sigmoid of Task 1.  Plot this loss as a "
            r"function of the transformed network output "
            r"$\sig{f\of{\mathbf{x}, \boldsymbol{\phi}}} \in [0, 1]$ when the "
            r"training label is (a) $y = 0$ and (b) $y = 1$."
        ),
    ),
    solution=(
        Text(r"Setting the label in $L$ leaves one of the two terms:"),
        Proof("bce-y0"),
        Proof("bce-y1", claim=True),
        Text(
            r"For $y = 0$ the loss is $0$ when the output $\sig{f}$ is $0$ and "
            r"grows without bound as it approaches $1$; for $y = 1$ it is the mirror image.  "
            r"The loss is small exactly when the prediction agrees with the label."
        ),
        Figure(
            "bce-loss",
            r"The loss as a function of the transformed network output: red for $y = 0$, "
            r"green for $y = 1$ (evaluated from the same symbolic loss, for outputs in "
            r"$[0.001, 0.999]$; the loss is infinite at the far end).",
        ),
    ),
    scalar_network=True,
)

DEFINITION_REASONS = {
    1: r"ten independent normal outputs with means $\mathbf{f}_d\of{\mathbf{x}_i, "
    r"\boldsymbol{\phi}}$ and variance $\sigma^2$",
}

REASONS = {
    2: r"$\log$ is increasing and the likelihood is positive: maximise it $=$ minimise "
    r"$-\log$ of it",
    4: r"$\log\of{a \exp\of{b}} = \log\of{a} + b$ for $a > 0$",
    7: r"drop terms that do not depend on $\boldsymbol{\phi}$",
    8: r"$\sigma^2 > 0$, so the factor $1/(2\sigma^2)$ does not change the minimiser",
}

GAUSSIAN = Problem(
    title="Gaussian outputs and least squares",
    statement=(
        Text(
            r"Consider a multivariate regression problem where we predict ten outputs, so "
            r"$\mathbf{y} \in \mathbb{R}^{10}$, and model each with an independent normal "
            r"distribution whose mean $\mu_d$ is predicted by the network and whose variance "
            r"$\sigma^2$ is constant.  Write an expression for the likelihood "
            r"$\Prob(\mathbf{y} \mid \mathbf{f}\of{\mathbf{x}, \boldsymbol{\phi}})$.  Show that "
            r"minimising the negative log-likelihood of this model is still equivalent to "
            r"minimising a sum of squared terms if we do not estimate the variance $\sigma^2$."
        ),
    ),
    solution=(
        Text(
            r"The $d$-th output of pair $i$ is normal with mean "
            r"$\mu_d = \mathbf{f}_d\of{\mathbf{x}_i, \boldsymbol{\phi}}$ and variance $\sigma^2$; "
            r"the ten outputs are independent, so the likelihood of one pair is the product "
            r"of ten normal densities (first line below).  The $I$ training pairs are "
            r"independent too, so maximum likelihood chooses the parameters "
            r"$\hat{\boldsymbol{\phi}}$ that maximise the product over $i$, which is the same "
            r"as minimising the negative log-likelihood "
            r"$L = -\sum_{i=1}^{I} \log\of{\Prob(\mathbf{y}_i \mid \mathbf{f}\of{\mathbf{x}_i, "
            r"\boldsymbol{\phi}}, \sigma^2)}$:"
        ),
        Proof("gaussian-least-squares", reasons=REASONS, definition_reasons=DEFINITION_REASONS),
        Text(
            r"The last line is a sum of squared terms: with $\sigma^2$ fixed, the variance "
            r"only adds a constant and scales the loss by a positive factor, and neither "
            r"moves the minimiser.  Note that the squared term stays inside both sums on "
            r"every line: it depends on $i$ and $d$."
        ),
    ),
    vector_data=("y",),
)

SHEETS = [
    Sheet(
        name="activity4",
        title=r"Activity 4: Loss Functions",
        subtitle=r"CS/CS 316/365 Deep Learning",
        date="September 23, 2024",
        instructions="The activity is handwritten; submission is online, on Canvas only.",
        problems=(SIGMOID, BCE, GAUSSIAN),
    )
]
