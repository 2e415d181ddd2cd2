"""A starter course module: one derivation and a one-problem sheet that uses it.

calcproof loads every ``*.py`` file of this folder (names starting with ``_``
are skipped) and reads two lists from it: ``DERIVATIONS`` (what ``calcproof
list``/``show`` check and what sheets refer to by name) and ``SHEETS`` (what
``calcproof build`` writes).  Rename, copy and edit freely.
"""

from sympy import Symbol, exp

from calcproof import chain, rules, then
from calcproof.losses import sig
from calcproof.sheet import Curve, Curves, Figure, Problem, Proof, Sheet, Text
from calcproof.symbols import z

a = Symbol("a", positive=True)
"""The steepness of the sigmoid in the figure (one curve per value)."""

SYMMETRY = chain(
    "sigmoid-symmetry",
    "1 − sig[z] = sig[−z]",
    1 - sig(z),
    [
        then("=", rules.unfold_sigmoid()),
        then("=", rhs=1 / (1 + exp(z)), why=r"multiply by $\exp[z]/\exp[z]$"),
        then("=", rhs=sig(-z), why="definition of sig"),
    ],
)

DERIVATIONS = [SYMMETRY]

STEEPNESS = Figure(
    "sigmoid-steepness",
    r"The sigmoid $\operatorname{sig}[az]$ for $a = 1$ (blue) and $a = 3$ (red).",
    curves=Curves(
        sig(a * z),
        z,
        (-6, 6),
        cases=(
            Curve({a: 1}, colour="#1f77b4", label="$a = 1$"),
            Curve({a: 3}, colour="#d62728", label="$a = 3$"),
        ),
        ylabel=r"$\mathrm{sig}[az]$",
    ),
)

SHEETS = [
    Sheet(
        name="week1",
        title="Week 1: the logistic sigmoid",
        subtitle="My course",
        instructions="Handwritten answers; submit a scan online.",
        problems=(
            Problem(
                title="Symmetry of the sigmoid",
                statement=(Text(r"Show that $1 - \sig{z} = \sig{-z}$ for every real $z$."),),
                solution=(
                    Text("Write the sigmoid out and multiply through by $\\exp\\of{z}$:"),
                    Proof("sigmoid-symmetry"),
                    STEEPNESS,
                ),
            ),
        ),
    )
]
