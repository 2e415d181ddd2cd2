"""Defaults the command line shows before any work is done, in a module without SymPy.

``calcproof --help`` builds every subcommand's parser; keeping these here (and
re-exported where they were defined before: :data:`calcproof.verify.DEFAULT_TIMEOUT`,
:data:`calcproof.registry.DEFAULT_DIRECTORY`) lets it run without importing SymPy.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_TIMEOUT = 10.0
"""Seconds the kernel may spend on one step before reporting it unknown."""
DEFAULT_DIRECTORY = Path("derivations")
"""The folder of derivation modules, relative to the current folder."""
DISTRIBUTION_NAMES = (
    "gaussian",
    "bernoulli",
    "categorical",
    "poisson",
    "von-mises",
    "laplace",
    "mixture",
    "wind",
    "von-mises-mixture",
)
"""The keys of :data:`calcproof.distributions.DISTRIBUTIONS`, in order (a test checks)."""
LINK_NAMES = ("identity", "exp", "sigmoid", "square", "softmax")
"""The names of :data:`calcproof.distributions.LINKS`, in order (a test keeps them equal)."""
