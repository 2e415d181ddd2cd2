"""Points at which to evaluate both sides of a claim, respecting every assumption.

Values are assigned in an order that keeps a point consistent: plain symbols
first, then indexed data (whose indices are now numbers), then network outputs
innermost first, keyed by their *evaluated* arguments, so ``f(x)`` and ``f(2)``
at ``x = 2`` get the same value.  Atoms that depend on the optimisation
parameters are keyed by a *world* (one per parameter point); all other atoms
are shared between worlds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from sympy import Basic, Dummy, Expr, Indexed, Integer, Rational, Symbol

from calcproof.derivation import Context
from calcproof.losses import UNKNOWN_APPLICATIONS

NICE = {
    "real": [Integer(0), Integer(1), Integer(-1), Rational(1, 2), Integer(2), Integer(-2)],
    "positive": [Integer(1), Integer(2), Rational(1, 2), Integer(3), Rational(3, 2)],
    "negative": [Integer(-1), Integer(-2), Rational(-1, 2), Integer(-3)],
    "unit_interval": [Rational(1, 2), Rational(1, 4), Rational(3, 4), Rational(1, 3)],
    "binary": [Integer(0), Integer(1)],
    "integer": [Integer(1), Integer(2), Integer(3)],
    "count": [Integer(0), Integer(1), Integer(2), Integer(3)],
}

CHECKED = ("integer", "positive", "negative", "nonnegative", "nonpositive", "nonzero", "zero")


def domain(atom: Basic, ctx: Context) -> str:
    """The sampling domain of an atom: a declared one, else from its assumptions."""
    declared = ctx.facts.domain(atom)
    if declared is not None:
        return declared
    if atom.is_integer:
        return "count" if atom.is_nonnegative and not atom.is_positive else "integer"
    if atom.is_positive:
        return "positive"
    if atom.is_negative:
        return "negative"
    if atom.is_nonnegative:
        return "positive" if atom.is_nonzero else "unit_interval"
    return "real"


def draw(dom: str, rng: random.Random, nice: int | None) -> Expr:
    """A value from ``dom``: the ``nice``-th simple value, or a random rational."""
    if nice is not None:
        values = NICE[dom]
        return values[nice % len(values)]
    if dom == "binary":
        return Integer(rng.randint(0, 1))
    if dom == "integer":
        return Integer(rng.randint(1, 3))
    if dom == "count":
        return Integer(rng.randint(0, 6))
    if dom == "unit_interval":
        q = rng.randint(2, 9)
        return Rational(rng.randint(1, q - 1), q)
    if dom == "positive":
        return Rational(rng.randint(1, 40), rng.randint(1, 8))
    if dom == "negative":
        return -Rational(rng.randint(1, 40), rng.randint(1, 8))
    return Rational(rng.randint(-30, 30), rng.randint(1, 8))


def required(atom: Basic) -> tuple[str, ...]:
    """The checked assumptions that SymPy holds true for ``atom``."""
    return tuple(name for name in CHECKED if getattr(atom, f"is_{name}") is True)


def respects(atom: Basic, value: Expr, needs: tuple[str, ...] | None = None) -> bool:
    """False when ``value`` contradicts an assumption SymPy holds for ``atom``."""
    names = required(atom) if needs is None else needs
    return all(getattr(value, f"is_{name}") is not False for name in names)


@dataclass
class Sampler:
    """Draws values for atoms; one sampler makes one point (possibly in several worlds)."""

    ctx: Context
    rng: random.Random
    nice: int | None
    params: tuple[Basic, ...] = ()
    memo: dict[tuple[object, Basic], Expr] = field(default_factory=dict)
    labels: dict[tuple[object, str], Expr] = field(default_factory=dict)
    kinds: dict[Basic, tuple[bool, str, tuple[str, ...]]] = field(default_factory=dict)

    def value(
        self, atom: Basic, key: object, world: object, label: object, template: Basic | None = None
    ) -> Expr:
        """The value of ``atom`` (keyed by ``key``) in ``world``; ``label`` names it in reports.

        ``template`` is a symbolic form shared by many atoms (``y[i, d]`` for every
        ``y[1, 2]``): what depends only on assumptions is worked out once per template.
        """
        dependent, dom, needs = self._kind(template if template is not None else atom)
        slot = (world if dependent else "shared", key)
        if slot not in self.memo:
            for attempt in range(20):
                offset = None if self.nice is None else self.nice + len(self.memo) + attempt
                candidate = draw(dom, self.rng, offset)
                if respects(atom, candidate, needs):
                    break
            else:
                raise ValueError(f"no value found for {atom}")
            self.memo[slot] = candidate
        tag = f" @{world}" if slot[0] != "shared" else ""
        self.labels[(label, tag)] = self.memo[slot]
        return self.memo[slot]

    def _kind(self, template: Basic) -> tuple[bool, str, tuple[str, ...]]:
        if template not in self.kinds:
            dependent = bool(self.params) and template.has(*self.params)
            self.kinds[template] = (dependent, domain(template, self.ctx), required(template))
        return self.kinds[template]

    def forget(self) -> None:
        """Drop every value handed out (the point is abandoned)."""
        self.memo.clear()
        self.labels.clear()

    @property
    def shown(self) -> dict[str, Expr]:
        """Every value handed out, by the name of what it was for (``"<name> @<world>"``)."""
        return {f"{label}{tag}": value for (label, tag), value in self.labels.items()}


def concretise(expr: Expr, sampler: Sampler, world: object = "p") -> Expr:
    """``expr`` with every symbol, indexed datum and network output replaced by a value."""
    labels = _labels(expr)
    masked = expr.xreplace({u: Dummy() for u in expr.atoms(*UNKNOWN_APPLICATIONS)})
    outside = sorted(
        (
            s
            for s in masked.free_symbols & expr.free_symbols
            if isinstance(s, Symbol) and s not in labels and s not in sampler.params
        ),
        key=str,
    )
    out = expr.xreplace({s: sampler.value(s, s, world, str(s)) for s in outside})
    out = _network_outputs(out, sampler, world)
    indexed = sorted(out.atoms(Indexed), key=str)
    out = out.xreplace({a: sampler.value(a, a, world, str(a)) for a in indexed})
    rest = sorted(
        (s for s in out.free_symbols if isinstance(s, Symbol) and s not in _labels(out)), key=str
    )
    return out.xreplace({s: sampler.value(s, s, world, str(s)) for s in rest})


def _network_outputs(expr: Expr, sampler: Sampler, world: object) -> Expr:
    """Give each network output a value keyed by its evaluated arguments, innermost first."""
    for _ in range(50):
        undef = [
            u
            for u in expr.atoms(*UNKNOWN_APPLICATIONS)
            if not any(a.has(*UNKNOWN_APPLICATIONS) for a in u.args)
        ]
        if not undef:
            return expr
        mapping = {}
        for atom in sorted(undef, key=str):
            concrete = atom.func(*[valued(a, sampler, world) for a in atom.args])
            mapping[atom] = sampler.value(atom, concrete, world, str(atom))
        expr = expr.xreplace(mapping)
    return expr


def valued(arg: Expr, sampler: Sampler, world: object) -> Expr:
    """An argument with its indexed data and symbols replaced by their values."""
    mapping: dict[Basic, Expr] = {
        a: sampler.value(a, a, world, str(a)) for a in sorted(arg.atoms(Indexed), key=str)
    }
    labels = _labels(arg)
    mapping.update(
        {
            s: sampler.value(s, s, world, str(s))
            for s in sorted(arg.free_symbols, key=str)
            if isinstance(s, Symbol) and s not in labels
        }
    )
    return arg.xreplace(mapping)


def _labels(expr: Expr) -> set[Basic]:
    return {a.base.label for a in expr.atoms(Indexed)}


def shown(sampler: Sampler, extra: Sequence[tuple[str, str]] = ()) -> tuple[tuple[str, str], ...]:
    """The point as sorted ``(name, value)`` strings for reports."""
    items = {**{k: str(v) for k, v in sampler.shown.items()}, **dict(extra)}
    return tuple(sorted(items.items()))
