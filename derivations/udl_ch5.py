"""The chapter 5 sheet (Loss functions): one recipe, every loss from its likelihood.

Every derivation shown is verified by the kernel (``calcproof build`` refuses a
sheet with an unverified step).  Where the chapter asks for more than the kernel
proves today, the prose says so in as many words.
"""

from sympy import Symbol

from calcproof.losses import bce, logit, sig, sigmoid
from calcproof.sheet import Display, Figure, Problem, Proof, Sheet, Text
from calcproof.symbols import z

y = Symbol("y", real=True)
L = Symbol("L", real=True)

RECIPE = Problem(
    title="The recipe: maximum likelihood is minimum negative log-likelihood",
    statement=(
        Text(
            r"Choose a distribution over the output $y$, let the network "
            r"$f\of{\mathbf{x}, \boldsymbol{\phi}}$ predict its parameters, and choose the "
            r"parameters $\boldsymbol{\phi}$ that make the $I$ independent training pairs most "
            r"likely.  Show that this is the same as minimising the negative log-likelihood, and "
            r"that for a normal output with fixed variance it is least squares."
        ),
    ),
    solution=(
        Text(
            r"Every chain on this sheet after the first is written by calcproof's pipeline "
            r"(\texttt{calcproof derive}) and then checked line by line.  The second line of each "
            r"chain is the step asked for: $\log$ is increasing and the likelihood is positive, "
            r"so maximising the product is minimising minus its logarithm.  Prediction (inference) "
            r"then takes the most likely value of the predicted distribution: the mean "
            r"$f\of{\mathbf{x}, \boldsymbol{\phi}}$ for a normal output."
        ),
        Proof("udl5-univariate-least-squares"),
    ),
    scalar_network=True,
)

SIGMOID = Problem(
    title="The logistic sigmoid (Problem 5.1)",
    statement=(
        Text(r"Show that the logistic sigmoid tends to 0 and 1 at $\mp\infty$, where"),
        Display(sig(z), sigmoid(z)),
    ),
    solution=(
        Proof("sigmoid-minus-infinity"),
        Proof("sigmoid-at-zero"),
        Proof("sigmoid-plus-infinity"),
        Figure("sigmoid", r"The sigmoid and its limits."),
    ),
)

BINARY = Problem(
    title="Binary cross-entropy (Problem 5.2)",
    statement=(
        Text(
            r"With a Bernoulli output whose probability is $\lambda = \sig{f}$, the loss of one "
            r"pair is the binary cross-entropy"
        ),
        Display(L, bce(y, sig(logit()))),
        Text(
            r"Plot it against the transformed output for $y = 0$ and $y = 1$, write it in terms "
            r"of the logit, and find its gradient."
        ),
    ),
    solution=(
        Text(r"The loss of one pair is minus the log of the Bernoulli probability:"),
        Proof("bce-from-bernoulli-logits"),
        Text(r"Setting the label leaves one term:"),
        Proof("bce-y0"),
        Proof("bce-y1"),
        Figure("bce-loss", r"The loss against $\sig{f}$: red for $y = 0$, green for $y = 1$."),
        Figure("bce-logit", r"The same loss against the logit $f$."),
        Text(r"The gradient with respect to the logit is the prediction minus the label:"),
        Proof("udl5-bce-gradient"),
        Text(r"Over the $I$ training pairs the pipeline derives the summed loss:"),
        Proof("udl5-bernoulli"),
    ),
    scalar_network=True,
)

MULTICLASS = Problem(
    title="Multiclass classification: softmax and cross-entropy",
    statement=(
        Text(
            r"With a categorical output over $K$ classes whose probabilities are the softmax of "
            r"$K$ network outputs, derive the loss and its gradient."
        ),
    ),
    solution=(
        Proof("udl5-categorical"),
        Text(
            r"For three logits $a_1, a_2, a_3$ and the label 1, the gradient is the softmax "
            r"minus the one-hot label (a three-class instance; the general $K$ is not "
            r"machine-checked here):"
        ),
        Proof("udl5-softmax-gradient-label"),
        Proof("udl5-softmax-gradient-other"),
    ),
)

VON_MISES = Problem(
    title="A von Mises output for an angle (Problem 5.3)",
    statement=(
        Text(
            r"Predict an angle $y$ with a von Mises distribution whose mean direction is the "
            r"network output and whose concentration $\kappa$ is fixed.  Derive the loss."
        ),
    ),
    solution=(
        Text(
            r"The normaliser $2\pi I_0\of{\kappa}$ is positive ($I_0\of{\kappa} = \sum_m "
            r"(\kappa/2)^{2m}/(m!)^2 \ge 1$, stated to the kernel as an assumption of $I_0$), "
            r"does not depend on $\boldsymbol{\phi}$, and drops out with the positive factor "
            r"$\kappa$:"
        ),
        Proof("udl5-von-mises"),
        Figure("von-mises-density", r"The von Mises density with $\mu = 0$ for three $\kappa$."),
    ),
    scalar_network=True,
)

MIXTURES = Problem(
    title="Mixtures (Problems 5.4 and 5.5)",
    statement=(
        Text(
            r"Model the output as a mixture of two normals (then of two von Mises "
            r"distributions), with the weight, the means and the variances predicted by the "
            r"network.  Derive the loss."
        ),
    ),
    solution=(
        Text(
            r"The weight must lie in $(0, 1)$: $\lambda = \sig{f_1}$; the means are $f_2$ and "
            r"$f_3$; predicted variances must be "
            r"positive, e.g.\ $\exp\of{f_4}$ and $\exp\of{f_5}$ (\texttt{calcproof derive "
            r"mixture} derives that chain too; below the variance is a fixed $\sigma^2$ so that "
            r"the lines fit the page).  The chain stops after the log of the product: the log of "
            r"a sum has no simplification, so the loss is minus the sum of the logs of the "
            r"mixture densities, and no rule of the pipeline applies after that."
        ),
        Proof(
            "udl5-mixture",
            reasons={
                1: r"weight $\sig{f_1}$, means $f_2$ and $f_3$, variance $\sigma^2$",
            },
            claim=False,
        ),
        Figure("mixture-density", r"Two mixtures of two normals: bimodal and skewed."),
        Proof(
            "udl5-von-mises-mixture",
            reasons={1: r"weight $\sig{f_1}$, means $f_2$ and $f_3$, concentration $\kappa$"},
            claim=False,
        ),
    ),
)

POISSON = Problem(
    title="A Poisson output for counts (Problem 5.6)",
    statement=(
        Text(
            r"Predict a count $y \in \{0, 1, 2, \dots\}$ with a Poisson distribution whose rate "
            r"is $\lambda = \exp\of{f\of{\mathbf{x}, \boldsymbol{\phi}}}$.  Derive the loss."
        ),
    ),
    solution=(
        Proof("udl5-poisson"),
        Figure(
            "poisson-loss",
            r"The loss of one count as a function of $\lambda$: its minimum is at $\lambda = y$ "
            r"(dots), and for $y = 0$ it decreases towards $\lambda = 0$.",
        ),
    ),
    scalar_network=True,
)

TEN_NORMALS = Problem(
    title="Ten independent normal outputs (Problem 5.7)",
    statement=(
        Text(
            r"Predict ten outputs with independent normals of fixed variance $\sigma^2$ and "
            r"show that the loss is still a sum of squares."
        ),
    ),
    solution=(Proof("gaussian-least-squares"),),
)

HETEROSCEDASTIC = Problem(
    title="Heteroscedastic regression (Problem 5.8)",
    statement=(
        Text(
            r"Let the network predict both the mean and the variance of a normal output.  "
            r"Derive the loss, and say whether the variance term may be dropped."
        ),
    ),
    solution=(
        Text(
            r"With $\sigma^2 = \exp\of{f_2}$ (always positive) the chain keeps a term in $f_2$, "
            r"which does depend on $\boldsymbol{\phi}$ and so may not be dropped: dropping it is "
            r"refuted by calcproof with an order-reversal pair of parameter values."
        ),
        Proof("udl5-heteroscedastic"),
        Text(
            r"The book's choice $\sigma^2 = f_2^2$ is derived by the pipeline too "
            r"(\texttt{calcproof derive gaussian --predict mean=identity --predict "
            r"variance=square}), but its $-\log$ step is not verified: it needs $|f_2| > 0$, which "
            r"does not follow ($f_2$ may be $0$), so it is not shown.  With $D$ outputs, each with "
            r"its own predicted mean $\mathbf{f}_d$ and variance $\exp\of{\mathbf{f}_{D+d}}$ "
            r"(a diagonal covariance), the loss is the sum over $d$ of the same terms:"
        ),
        Proof(
            "udl5-heteroscedastic-multivariate",
            reasons={
                1: r"$D$ independent normal outputs with means "
                r"$\mathbf{f}_d\of{\mathbf{x}_i, \boldsymbol{\phi}}$ and variances "
                r"$\exp\of{\mathbf{f}_{D+d}\of{\mathbf{x}_i, \boldsymbol{\phi}}}$"
            },
        ),
    ),
)

UNITS = Problem(
    title="Outputs in very different units (Problem 5.9)",
    statement=(
        Text(
            r"Predict a height in metres and a weight in kilograms with least squares.  What "
            r"goes wrong, and how can it be fixed?"
        ),
    ),
    solution=(
        Text(
            r"Least squares adds the squared errors of both outputs, so the output with the "
            r"larger numbers dominates: an error of $0.05$\,m contributes $0.0025$ and an error "
            r"of $5$\,kg contributes $25$, ten thousand times more, and the fit ignores the "
            r"height.  The fix is a normal output with its own standard deviation $\sigma_d$ per "
            r"output (fixed, or predicted as in Problem 5.8), which divides each squared error by "
            r"$\sigma_d^2$: with $\sigma_1 = 0.1$\,m and $\sigma_2 = 10$\,kg both errors "
            r"contribute $0.25$.  Standardising the targets has the same effect."
        ),
        Proof(
            "udl5-units",
            reasons={
                1: r"two independent normal outputs with means "
                r"$\mathbf{f}_d\of{\mathbf{x}_i, \boldsymbol{\phi}}$ and variances $\sigma_d^2$"
            },
        ),
    ),
)

DIRECTION_AND_SPEED = Problem(
    title="Direction and speed together (Problem 5.10)",
    statement=(Text(r"Predict the direction and the speed of the wind from the same input."),),
    solution=(
        Text(
            r"Direction is an angle: a von Mises output with mean $f_1$ and fixed $\kappa$ "
            r"(Problem 5.3).  Speed $s_i$ is positive: here an exponential output with rate "
            r"$\exp\of{f_2}$ (a gamma or log-normal output would do as well; those are not "
            r"derived here).  Modelled as independent given $\mathbf{x}$, the likelihood of a "
            r"pair is the product of the two densities, so the loss is the sum of the two losses:"
        ),
        Proof(
            "udl5-wind",
            reasons={
                1: r"direction von Mises with mean $f_1$ and concentration $\kappa$; speed "
                r"exponential with rate $\exp\of{f_2}$; independent"
            },
        ),
    ),
)

LAPLACE = Problem(
    title="Laplace noise: least absolute deviations",
    statement=(Text(r"With a Laplace output of fixed scale $b$, derive the loss."),),
    solution=(Proof("udl5-laplace"),),
    scalar_network=True,
)

ENTROPY = Problem(
    title="Cross-entropy and the KL divergence",
    statement=(
        Text(
            r"Show that minimising the KL divergence between the empirical distribution of the "
            r"training targets (mass $1/I$ on each) and the model is minimising the NLL."
        ),
    ),
    solution=(
        Text(
            r"Integrating against the point masses leaves sums over the training pairs; the "
            r"first (the empirical entropy) does not depend on $\boldsymbol{\phi}$, and what "
            r"remains is the cross-entropy, $1/I$ times the NLL:"
        ),
        Proof("udl5-kl-is-nll"),
    ),
    scalar_network=True,
)

VARIANCE = Problem(
    title="The variance that minimises the NLL",
    statement=(
        Text(
            r"For a normal output with fixed $\boldsymbol{\phi}$, find the variance "
            r"$v = \sigma^2$ that minimises the NLL $\frac{I}{2} \log\of{2 \pi v} + R/(2v)$, "
            r"where $R > 0$ is the residual sum of squares."
        ),
    ),
    solution=(
        Proof("udl5-variance-derivative"),
        Proof("udl5-variance-stationary"),
        Text(
            r"The derivative $(I v - R)/(2 v^2)$ is negative for $v < R/I$ and positive for "
            r"$v > R/I$, so $v = R/I$, the mean squared residual, is the minimiser.  The "
            r"kernel verifies the derivative and that it vanishes at $R/I$; that this is the "
            r"only zero (solving the equation) is not machine-checked here."
        ),
    ),
)

PYTORCH = Problem(
    title="PyTorch's losses and the likelihoods",
    statement=(
        Text(
            r"PyTorch's loss functions drop constants of the negative log-likelihoods.  State "
            r"exactly what each one drops."
        ),
    ),
    solution=(
        Text(
            r"These relations are what calcproof's cross-checks compare with PyTorch "
            r"(\texttt{gaussian\_nll\_loss}, \texttt{poisson\_nll\_loss}, \texttt{mse\_loss}, "
            r"\texttt{l1\_loss}, \texttt{binary\_cross\_entropy\_with\_logits}) on random "
            r"inputs to a relative tolerance of $10^{-10}$.  PyTorch's \texttt{full=True} "
            r"Poisson term is Stirling's approximation of $\log y!$, not $\log y!$ itself."
        ),
        Proof("pytorch-gaussian-nll-constant"),
        Proof("pytorch-poisson-nll-log-input"),
        Proof("pytorch-poisson-nll-rate"),
        Proof("mse-from-gaussian"),
        Proof("l1-from-laplace"),
    ),
)

SHEETS = [
    Sheet(
        name="udl_ch5",
        title=r"Chapter 5: Loss Functions",
        subtitle=r"Understanding Deep Learning --- every loss from its likelihood",
        problems=(
            RECIPE,
            SIGMOID,
            BINARY,
            MULTICLASS,
            VON_MISES,
            MIXTURES,
            POISSON,
            TEN_NORMALS,
            HETEROSCEDASTIC,
            UNITS,
            DIRECTION_AND_SPEED,
            LAPLACE,
            ENTROPY,
            VARIANCE,
            PYTORCH,
        ),
    )
]
