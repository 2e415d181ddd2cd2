"""Notation profiles as data: how names, brackets and relations are written.

``udl`` is the book's (*Understanding Deep Learning*): square brackets for
function arguments, ``\\operatorname{sig}``, bold vectors.  ``standard`` uses
parentheses and ``\\sigma(z)`` for the sigmoid.  The printer
(:mod:`calcproof.render.latex`) reads these tables; it holds no notation itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from calcproof.errors import InputError

Optimiser = Literal["underset", "subscript"]


def _frozen(table: dict[str, str]) -> MappingProxyType[str, str]:
    return MappingProxyType(dict(table))


@dataclass(frozen=True)
class Notation:
    """One rendering profile.

    ``functions`` maps a function's name to its LaTeX head; ``symbols`` maps a
    symbol's name; ``vectors`` are indexed bases printed bold (``x[i]`` is
    ``\\mathbf{x}_i``); ``rows`` are indexed bases whose one-index entries are
    vectors (``y[i]`` is the vector ``\\mathbf{y}_i`` of entries ``y[i, d] = y_{id}``);
    ``network`` is the head of network outputs (``f``).
    """

    name: str
    open: str
    close: str
    functions: MappingProxyType[str, str]
    symbols: MappingProxyType[str, str]
    vectors: frozenset[str] = field(default_factory=frozenset)
    network_bold: bool = True
    probability: str = r"\Pr"
    definition: str = "="
    optimiser: Optimiser = "underset"
    rows: frozenset[str] = field(default_factory=frozenset)


_SYMBOLS = {
    "phi": r"\boldsymbol{\phi}",
    "sigma": r"\sigma",
    "theta": r"\boldsymbol{\theta}",
    "mu": r"\mu",
    "lambda": r"\lambda",
}

UDL = Notation(
    name="udl",
    open="[",
    close="]",
    functions=_frozen({"sig": r"\operatorname{sig}", "log": r"\log", "exp": r"\exp"}),
    symbols=_frozen(_SYMBOLS),
    vectors=frozenset({"x"}),
    probability=r"\Pr",
    definition="=",
    optimiser="underset",
)

STANDARD = Notation(
    name="standard",
    open="(",
    close=")",
    functions=_frozen({"sig": r"\sigma", "log": r"\log", "exp": r"\exp"}),
    symbols=_frozen(_SYMBOLS),
    vectors=frozenset({"x"}),
    probability=r"\Pr",
    definition=":=",
    optimiser="subscript",
)

PROFILES: MappingProxyType[str, Notation] = MappingProxyType({"udl": UDL, "standard": STANDARD})


def profile(name: str) -> Notation:
    """The notation profile called ``name`` (``udl`` or ``standard``)."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise InputError(f"unknown notation {name!r} (known: {known})") from None
