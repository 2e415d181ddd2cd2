"""calcproof: machine-checked derivations rendered as LaTeX solution sheets.

Rules propose, the kernel (:mod:`calcproof.verify`) disposes: a step is shown
as verified only when the kernel proved it.

The names below are imported on first use (PEP 562), so that ``import calcproof``
and ``calcproof --help`` do not pay for SymPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real names, for type checkers and editors
    from calcproof.derivation import Context, Derivation, Rule, Step, chain, define, then
    from calcproof.relations import Equal, Limit, Optimum, argmax_to_argmin, argmin

__version__ = "0.1.0"

_EXPORTS = {
    "Context": "calcproof.derivation",
    "Derivation": "calcproof.derivation",
    "Rule": "calcproof.derivation",
    "Step": "calcproof.derivation",
    "chain": "calcproof.derivation",
    "define": "calcproof.derivation",
    "then": "calcproof.derivation",
    "Equal": "calcproof.relations",
    "Limit": "calcproof.relations",
    "Optimum": "calcproof.relations",
    "argmax_to_argmin": "calcproof.relations",
    "argmin": "calcproof.relations",
}

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


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'calcproof' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
