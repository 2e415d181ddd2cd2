"""Activity 4, task 1: the logistic sigmoid at -∞, 0 and +∞."""

from sympy import oo

from calcproof import rules
from calcproof.derivation import chain, then
from calcproof.losses import sig
from calcproof.relations import Limit
from calcproof.symbols import z

MINUS_INFINITY = chain(
    "sigmoid-minus-infinity",
    "sig[z] → 0 as z → −∞",
    sig(z),
    [
        then("=", rules.unfold_sigmoid()),
        then(Limit(z, -oo), rules.take_limit(z, -oo), why="exp[−z] → +∞ as z → −∞"),
    ],
)

ZERO = chain(
    "sigmoid-at-zero",
    "sig[0] = 1/2",
    sig(0),
    [
        then("=", rules.unfold_sigmoid(evaluate=False)),
        then("=", rules.evaluate, why="exp[0] = 1"),
    ],
)

PLUS_INFINITY = chain(
    "sigmoid-plus-infinity",
    "sig[z] → 1 as z → +∞",
    sig(z),
    [
        then("=", rules.unfold_sigmoid()),
        then(Limit(z, oo), rules.take_limit(z, oo), why="exp[−z] → 0 as z → +∞"),
    ],
)

DERIVATIONS = [MINUS_INFINITY, ZERO, PLUS_INFINITY]
