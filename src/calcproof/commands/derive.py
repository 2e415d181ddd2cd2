"""``calcproof derive DISTRIBUTION [--predict PARAM=LINK ...]``: a loss from its likelihood.

The pipeline (:mod:`calcproof.pipeline`) writes the chain; the kernel checks every
step; the chain is printed with its verdicts (terminal, LaTeX or JSON).  Exit 0
when every step is verified, 1 otherwise, 2 for an unknown distribution, parameter
or link.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from calcproof.commands import add_timeout
from calcproof.defaults import DISTRIBUTION_NAMES, LINK_NAMES
from calcproof.errors import InputError

if TYPE_CHECKING:
    from sympy import Expr

    from calcproof.derivation import Derivation
    from calcproof.verify import DerivationReport

PRELOAD = ("calcproof.pipeline", "calcproof.verify")
"""Imported before ``run`` (see :func:`calcproof.cli.preload`)."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("distribution", help=f"one of: {', '.join(DISTRIBUTION_NAMES)}")
    parser.add_argument(
        "--predict",
        action="append",
        default=[],
        metavar="PARAM=LINK",
        help=f"a parameter the network predicts and its link ({', '.join(LINK_NAMES)}); "
        "repeatable; default: the distribution's usual choice (e.g. rate=exp for poisson)",
    )
    parser.add_argument(
        "--outputs",
        metavar="D",
        help="D independent outputs per pair (a number or a name such as D)",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--latex", action="store_true", help="print the chain as LaTeX")
    form.add_argument("--json", action="store_true", help="print the chain as JSON")
    add_timeout(parser)
    parser.set_defaults(run=run)


def predictions(pairs: list[str]) -> dict[str, str] | None:
    """``["mean=identity"]`` as ``{"mean": "identity"}``; ``None`` when none are given."""
    if not pairs:
        return None
    out: dict[str, str] = {}
    for pair in pairs:
        param, sep, link = pair.partition("=")
        if not sep or not param or not link:
            raise InputError(f"--predict takes PARAM=LINK, not {pair!r}")
        out[param.strip()] = link.strip()
    return out


def outputs(text: str | None) -> Expr | None:
    """``"10"`` as 10, ``"D"`` as a positive integer symbol."""
    from sympy import Integer, Symbol

    if text is None:
        return None
    if text.isdigit() and int(text) > 0:
        return Integer(int(text))
    if text.isidentifier():
        return Symbol(text, integer=True, positive=True)
    raise InputError(f"--outputs takes a positive number or a name, not {text!r}")


def run(args: argparse.Namespace) -> int:
    from calcproof.pipeline import derive_loss
    from calcproof.verify import check_derivation

    derivation = derive_loss(
        args.distribution, predictions(args.predict), outputs=outputs(args.outputs)
    )
    report = check_derivation(derivation, args.timeout)
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=2))
    elif args.latex:
        print(as_latex(derivation, report), end="")
    else:
        from calcproof.render.terminal import show

        show(derivation, report.verdicts)
    return 0 if report.verified else 1


def as_latex(derivation: Derivation, report: DerivationReport) -> str:
    """The chain as a self-contained ``align*``, each step's verdict in a comment above it."""
    from calcproof.render.chain import ChainOptions, derivation_tex

    comments = [f"% {derivation.name}: {derivation.title}"]
    for number, (step, verdict) in enumerate(
        zip(derivation.all_steps, report.verdicts, strict=True), 1
    ):
        comments.append(
            f"% step {number} ({step.rule}): {verdict.status} {verdict.method}".rstrip()
        )
    return "\n".join(comments) + "\n" + derivation_tex(derivation, None, ChainOptions(mathjax=True))


def as_json(report: DerivationReport) -> dict[str, object]:
    """The chain as JSON: each step's relation, rule, both sides (LaTeX) and verdict."""
    from calcproof.relations import label
    from calcproof.render.latex import latex

    derivation = report.derivation
    steps = [
        {
            "index": number,
            "relation": label(step.relation),
            "rule": step.rule,
            "why": step.why,
            "lhs": latex(step.lhs),
            "rhs": latex(step.rhs),
            "verdict": verdict.status,
            "method": verdict.method,
            "message": verdict.message,
        }
        for number, (step, verdict) in enumerate(
            zip(derivation.all_steps, report.verdicts, strict=True), 1
        )
    ]
    return {
        "derivation": derivation.name,
        "title": derivation.title,
        "steps": steps,
        "summary": report.counts(),
    }


__all__ = ["as_json", "as_latex", "configure", "outputs", "predictions", "run"]
