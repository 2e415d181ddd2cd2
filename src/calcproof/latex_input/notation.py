"""The book's named densities and operators, rewritten as the formulas they stand for.

``\\text{Norm}_{y}[\\mu, \\sigma^2]``, ``\\text{Bern}_{y}[\\lambda]``,
``\\text{Cat}_{y}[\\boldsymbol\\lambda]``, ``\\text{Pois}_{y}[\\lambda]``,
``\\text{VonMises}_{y}[\\mu, \\kappa]`` and ``\\operatorname{softmax}_{k}[\\mathbf{z}]``
(any of the ``\\text``/``\\operatorname``/``\\mathrm`` spellings) become LaTeX the
parser reads: the density of the variable below at the parameters in brackets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from calcproof.errors import InputError

Emit = Callable[[str, str], str]
"""``emit(kind, name)``: the placeholder command for a symbol, an indexed base or a function."""


def _norm(y: str, args: Sequence[str], emit: Emit) -> str:
    mu, var = args
    return (
        f"\\frac{{{{1}}}}{{\\sqrt{{{{2}} \\pi \\cdot ({var})}}}} "
        f"\\exp(-\\frac{{(({y}) - ({mu}))^{{2}}}}{{{{2}} ({var})}})"
    )


def _bern(y: str, args: Sequence[str], emit: Emit) -> str:
    (lam,) = args
    return f"(({lam}))^{{({y})}} ({{1}} - ({lam}))^{{{{1}} - ({y})}}"


def _pois(y: str, args: Sequence[str], emit: Emit) -> str:
    (lam,) = args
    return f"\\frac{{(({lam}))^{{({y})}} \\exp(-({lam}))}}{{({y})!}}"


def _von_mises(y: str, args: Sequence[str], emit: Emit) -> str:
    mu, kappa = args
    bessel = emit("sympy", "besseli")
    return (
        f"\\frac{{\\exp(({kappa}) \\cos(({y}) - ({mu})))}}{{{{2}} \\pi {bessel}({{0}}, {kappa})}}"
    )


DENSITIES: dict[str, tuple[int, Callable[[str, Sequence[str], Emit], str]]] = {
    "Norm": (2, _norm),
    "Normal": (2, _norm),
    "Bern": (1, _bern),
    "Pois": (1, _pois),
    "VonMises": (2, _von_mises),
}
"""Density name → (number of parameters, formula)."""

VECTOR_OPERATORS = frozenset({"Cat", "softmax"})
"""Operators whose argument is a vector, indexed by the letter below them."""

WORDS = {
    "Norm": "the normal density N(y; μ, σ²) = exp(−(y − μ)²/(2σ²))/√(2πσ²)",
    "Normal": "the normal density N(y; μ, σ²) = exp(−(y − μ)²/(2σ²))/√(2πσ²)",
    "Bern": "the Bernoulli probability λ^y (1 − λ)^(1 − y)",
    "Pois": "the Poisson probability λ^y e^(−λ) / y!",
    "VonMises": "the von Mises density exp(κ cos(y − μ)) / (2π I₀[κ])",
}


def density(word: str, y: str, args: Sequence[str], emit: Emit) -> str:
    """The formula of the density ``word`` of ``y`` at ``args``."""
    count, formula = DENSITIES[word]
    if len(args) != count:
        raise InputError(f"{word} takes {count} parameter(s) in brackets, not {len(args)}")
    return f"({formula(y, args, emit)})"  # bracketed: \\log Norm_y[…] is the log of all of it


def vector_entry(word: str, index: str, base: str, emit: Emit) -> str:
    """``Cat_y[λ] = λ_y``; ``softmax_k[z] = exp(z_k) / Σ_{j=1}^{N(z)} exp(z_j)``: the entries
    of z are numbered 1 … N(z) (unspecified, as for ``\\sum_j \\exp[\\mathbf{z}_j]``)."""
    entry = emit("indexed", base)
    if word == "Cat":
        return f"{entry}({index})"
    bound = emit("symbol", "j_softmax")
    size = emit("symbol", f"N({base})")
    total = f"\\sum_{{{bound}=1}}^{{{size}}} \\exp({entry}({bound}))"
    return f"(\\frac{{\\exp({entry}({index}))}}{{{total}}})"
