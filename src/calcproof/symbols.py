"""The book's standard symbols, with the assumptions the kernel relies on.

Data and network outputs are *indexed*, never atoms: ``y[i, d]`` is the d-th
target of the i-th training pair and ``f(d, x[i], phi)`` is the d-th network
output ``f_d[x_i, phi]``.  Network outputs are SymPy functions whose arguments
include the parameters ``phi``, so "depends on phi" is a property of the
expression itself, not a side table.
"""

from __future__ import annotations

from sympy import Function, IndexedBase, Symbol, symbols

z = Symbol("z", real=True)
"""The argument of the sigmoid: a real number."""

phi = Symbol("phi", real=True)
"""The network parameters (one symbol stands for the whole vector)."""

sigma = Symbol("sigma", positive=True)
"""The standard deviation of the Gaussian noise, constant and positive."""

i, d = symbols("i d", integer=True, positive=True)
"""Indices: training pair i, output dimension d."""

I, D = symbols("I D", integer=True, positive=True)
"""Ranges: I training pairs, D outputs (D = 10 in Activity 4)."""

y = IndexedBase("y", real=True)
"""Training targets, ``y[i, d]`` (or ``y[i]``)."""

x = IndexedBase("x", real=True)
"""Training inputs, ``x[i]``."""


def network(name: str = "f", subscripts: int = 1) -> type:
    """A real-valued network output ``name_{sub...}[args...]``.

    The first ``subscripts`` arguments of an application are subscripts
    (``f(d, x[i], phi)`` is ``f_d[x_i, phi]``); the rest are the bracketed
    arguments.  The count is stored on the function class as ``nsub`` so that
    renderers can print it the book's way.
    """
    fn: type = Function(name, real=True, nsub=subscripts)
    return fn


f = network("f", subscripts=1)
"""The vector-valued network output: ``f(d, x[i], phi)`` is ``f_d[x_i, phi]``."""

f_scalar = network("f", subscripts=0)
"""A scalar network output: ``f_scalar(x[i], phi)`` is ``f[x_i, phi]``."""
