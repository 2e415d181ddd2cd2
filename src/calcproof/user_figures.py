"""Users' own figures: a :class:`~calcproof.sheet.Curves` spec or a drawing function.

:func:`check_sheet` validates every figure of a sheet *before* any derivation
is verified, so that a typo in a figure costs no kernel time: a built-in name
must exist, a curve spec must have a finite span, a value for every symbol
other than the plotted variable, valid colours, and must evaluate to a finite
real number somewhere on its span.  :func:`maker` turns a figure into the
function that :func:`calcproof.figures.render` draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sympy import Basic, Expr, exp, lambdify, latex, sympify
from sympy.core.function import AppliedUndef

from calcproof.errors import BuildError
from calcproof.figures import PLOTS, SIZE
from calcproof.losses import sig
from calcproof.sheet import Curves, Figure, Sheet

PROBE_POINTS = 21
"""Points of the span at which a curve spec is evaluated by :func:`check_sheet`."""


def check_sheet(sheet: Sheet) -> None:
    """Raise :class:`BuildError` naming the sheet and figure when a figure cannot be drawn."""
    seen: dict[str, Figure] = {}
    for figure in sheet.figures():
        where = f"sheet {sheet.name!r}, figure {figure.plot!r}"
        previous = seen.setdefault(figure.plot, figure)
        if previous is not figure and (previous.curves, previous.draw) != (
            figure.curves,
            figure.draw,
        ):
            raise BuildError(f"{where}: two different figures have this name")
        try:
            _check(figure)
        except BuildError as exc:
            raise BuildError(f"{where}: {exc}") from None


def _check(figure: Figure) -> None:
    if figure.curves is not None and figure.draw is not None:
        raise BuildError("give curves= or draw=, not both")
    if figure.draw is not None:
        if not callable(figure.draw):
            raise BuildError("draw= must be a function draw(axes, notation)")
        return
    if figure.curves is None:
        if figure.plot not in PLOTS:
            known = ", ".join(sorted(PLOTS))
            raise BuildError(
                f"unknown plot (built in: {known}); for your own, pass curves=Curves(...) "
                "or draw=function"
            )
        return
    spec = figure.curves
    low, high = (float(v) for v in spec.span)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise BuildError(f"span {spec.span} must be two finite numbers, low < high")
    if not spec.cases:
        raise BuildError("a curve spec needs at least one case")
    if not (isinstance(spec.points, int) and spec.points >= 2):
        raise BuildError(f"points={spec.points!r} must be an integer of at least 2")
    for number, case in enumerate(spec.cases, 1):
        _check_case(spec, number, case.subs, case.colour)


def _check_case(spec: Curves, number: int, subs: Any, colour: str) -> None:
    from matplotlib.colors import is_color_like

    if colour and not is_color_like(colour):
        raise BuildError(f"case {number}: {colour!r} is not a colour")
    expr = _concrete(spec.expr, subs)
    missing = sorted(str(s) for s in expr.free_symbols if s != spec.var)
    if missing:
        raise BuildError(
            f"case {number}: no value for {', '.join(missing)} (give it in Curve(subs={{...}}))"
        )
    unknown = sorted(str(a) for a in expr.atoms(AppliedUndef))
    if unknown:
        raise BuildError(
            f"case {number}: {', '.join(unknown)} has no numeric definition "
            "(substitute it in the expression, or draw the figure with draw=)"
        )
    low, high = (float(v) for v in spec.span)
    step = (high - low) / (PROBE_POINTS - 1)
    values = [_value(spec, expr, low + k * step) for k in range(PROBE_POINTS)]
    if not any(v is not None for v in values):
        raise BuildError(f"case {number}: {expr} has no finite real value on [{low:g}, {high:g}]")


def _value(spec: Curves, expr: Expr, at: float) -> float | None:
    try:
        value = complex(expr.subs(spec.var, at).evalf())
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if value.imag != 0 or not math.isfinite(value.real):
        return None
    return value.real


def _concrete(expr: Basic, subs: Any) -> Expr:
    """``expr`` with the case's values put in, sums carried out, ``sig`` written out."""
    out = sympify(expr).xreplace({sympify(k): sympify(v) for k, v in dict(subs).items()})
    return out.replace(sig, lambda a: 1 / (1 + exp(-a))).doit()


def maker(figure: Figure) -> Callable[[str], Any] | None:
    """The function drawing ``figure`` in a notation, or ``None`` for a built-in plot."""
    if figure.draw is not None:
        draw = figure.draw
        return lambda notation: _with_axes(lambda ax: draw(ax, notation))
    if figure.curves is not None:
        spec = figure.curves
        return lambda notation: _with_axes(lambda ax: _curves(ax, spec))
    return None


def _with_axes(paint: Callable[[Any], None]) -> Any:
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=SIZE)
    ax = fig.add_subplot()
    paint(ax)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _curves(ax: Any, spec: Curves) -> None:
    import numpy as np

    low, high = (float(v) for v in spec.span)
    xs = np.linspace(low, high, spec.points)
    for case in spec.cases:
        expr = _concrete(spec.expr, case.subs)
        function = lambdify(spec.var, expr, "numpy")
        with np.errstate(all="ignore"):
            ys = np.broadcast_to(np.asarray(function(xs), dtype=complex), xs.shape)
        ys = np.where(np.isclose(ys.imag, 0) & np.isfinite(ys.real), ys.real, np.nan)
        style: dict[str, Any] = {"linewidth": 2}
        if case.colour:
            style["color"] = case.colour
        if case.label:
            style["label"] = case.label
        ax.plot(xs, ys, **style)
    ax.set_xlim(low, high)
    if spec.ylim is not None:
        ax.set_ylim(*spec.ylim)
    ax.set_xlabel(spec.xlabel or f"${latex(spec.var)}$")
    if spec.ylabel:
        ax.set_ylabel(spec.ylabel)
    if any(case.label for case in spec.cases):
        ax.legend(frameon=False)
