"""Activity 4, task 2: binary cross-entropy as a function of p = sig[f[x, φ]], y = 0 and 1."""

from sympy import Subs, Symbol

from calcproof import rules
from calcproof.derivation import Context, chain, define, then
from calcproof.losses import bce, logit, sig

y = Symbol("y", real=True)
L = Symbol("L", real=True)
p = sig(logit())
LOSS = define(L, bce(y, p), why="binary cross-entropy of one pair {x, y}")
CONTEXT = Context(domains=((y, "binary"),))


def _label(value: int):
    return chain(
        f"bce-y{value}",
        f"For y = {value} the loss is {'−log[1 − sig[f]]' if value == 0 else '−log[sig[f]]'}",
        Subs(L, y, value),
        [
            then("=", rules.substitute(L, bce(y, p))),
            then("=", rules.substitute_value(y, value)),
        ],
        definitions=[LOSS],
        context=CONTEXT,
    )


LABEL_0 = _label(0)
LABEL_1 = _label(1)

DERIVATIONS = [LABEL_0, LABEL_1]
