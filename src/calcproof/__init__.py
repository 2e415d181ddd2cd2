"""calcproof: machine-checked derivations rendered as LaTeX solution sheets.

Rules propose, the kernel (:mod:`calcproof.verify`) disposes: a step is shown
as verified only when the kernel proved it.
"""

from calcproof.derivation import Context, Derivation, Rule, Step, chain, define, then
from calcproof.relations import Equal, Limit, Optimum, argmax_to_argmin, argmin

__version__ = "0.1.0"

__all__ = [
    "Context",
    "Derivation",
    "Equal",
    "Limit",
    "Optimum",
    "Rule",
    "Step",
    "argmax_to_argmin",
    "argmin",
    "chain",
    "define",
    "then",
]
