"""Declarations a document makes about its symbols, read from ``calcproof:`` comments.

In LaTeX: ``% calcproof: params \\phi; positive \\sigma, b; binary y``.
In Markdown: ``<!-- calcproof: params \\phi; positive \\sigma -->``.

Clauses (each a keyword and a comma-separated list of names):

- ``params``: the parameters an ``argmin``/``argmax`` without a subscript optimises over;
- ``positive``, ``real``: sign assumptions (σ is positive unless declared ``real``);
- ``binary``, ``unit``, ``integer``, ``count``: domains (y ∈ {0, 1}, p ∈ (0, 1), n ∈ ℤ,
  k ∈ {0, 1, 2, …}); a letter under a factorial (``k!``) is a count unless declared;
- ``functions``: letters read as functions when followed by ``(`` (default f, g, h);
- ``product``: names read as factors, not functions, before ``(`` (``\\sigma(z)`` as σ·z);
- ``notation``: ``udl`` or ``standard``;
- ``imaginary``: letters read as the imaginary unit (``imaginary i``); claims with them
  can be proved, but never refuted (the counterexample search uses real points).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from calcproof.errors import InputError

DEFAULT_FUNCTIONS = frozenset({"f", "g", "h"})

_DOMAINS = {"binary": "binary", "unit": "unit_interval", "integer": "integer", "count": "count"}
_NAME = re.compile(r"\\(?:boldsymbol|mathbf|bm|mathrm|mathit)\s*\{?\s*|[{}\\\s$]")


@dataclass(frozen=True)
class Declarations:
    """What the document says about its symbols (defaults: φ is the parameter, σ > 0)."""

    params: tuple[str, ...] = ("phi",)
    positive: frozenset[str] = frozenset({"sigma"})
    real: frozenset[str] = frozenset()
    domains: tuple[tuple[str, str], ...] = ()
    functions: frozenset[str] = DEFAULT_FUNCTIONS
    products: frozenset[str] = frozenset()
    notation: str = "udl"
    imaginary: frozenset[str] = frozenset()

    def is_positive(self, name: str) -> bool:
        return name in self.positive and name not in self.real


def name_of(text: str) -> str:
    """The plain name of a declared symbol: ``\\boldsymbol{\\phi}`` -> ``phi``."""
    return _NAME.sub("", text)


def parse_clause(decls: Declarations, clause: str, location: str) -> Declarations:
    """Apply one ``keyword names`` clause to ``decls``."""
    words = clause.strip().split(None, 1)
    if not words:
        return decls
    keyword = words[0].lower()
    listed = words[1].split(",") if len(words) > 1 else []
    names = tuple(n for n in (name_of(p) for p in listed) if n)
    if keyword == "params":
        return replace(decls, params=names)
    if keyword == "positive":
        return replace(decls, positive=decls.positive | set(names), real=decls.real - set(names))
    if keyword == "real":
        return replace(decls, real=decls.real | set(names))
    if keyword in _DOMAINS:
        return replace(decls, domains=decls.domains + tuple((n, _DOMAINS[keyword]) for n in names))
    if keyword == "functions":
        return replace(decls, functions=decls.functions | set(names))
    if keyword == "product":
        return replace(decls, products=decls.products | set(names))
    if keyword == "imaginary":
        return replace(decls, imaginary=decls.imaginary | set(names))
    if keyword == "notation" and names and names[0] in ("udl", "standard"):
        return replace(decls, notation=names[0])
    raise InputError(f"unknown declaration '{clause.strip()}'", location)


def parse_declaration(decls: Declarations, body: str, location: str) -> Declarations:
    """Apply every ``;``-separated clause of a ``calcproof:`` comment body."""
    for clause in body.split(";"):
        decls = parse_clause(decls, clause, location)
    return decls
