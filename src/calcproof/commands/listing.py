"""``calcproof list`` and ``calcproof show NAME``."""

from __future__ import annotations

import argparse
import json
import sys

from calcproof.commands import add_content_directory, add_timeout

PRELOAD = ("calcproof.registry", "calcproof.verify")
"""Imported before ``run`` (see :func:`calcproof.cli.preload`)."""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    add_content_directory(parser)
    add_timeout(parser)
    if name == "list":
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.set_defaults(run=run_list)
    else:
        parser.add_argument("name", help="the derivation to show (see calcproof list)")
        parser.set_defaults(run=run_show)


def run_list(args: argparse.Namespace) -> int:
    from calcproof import registry
    from calcproof.verify import check_derivation

    content = registry.load(args.dir)
    rows: list[dict[str, int | str]] = []
    for derivation in content.derivations:
        if not args.json:
            print(f"checking {derivation.name} ...", file=sys.stderr, flush=True)
        report = check_derivation(derivation, args.timeout)
        counts = report.counts()
        rows.append(
            {
                "name": derivation.name,
                "steps": len(derivation.steps),
                "definitions": len(derivation.definitions),
                **counts,
            }
        )
    if args.json:
        print(json.dumps(rows))
    else:
        width = max((len(str(r["name"])) for r in rows), default=4)
        print(f"{'name':<{width}}  definitions  steps  verified  refuted  unknown")
        for r in rows:
            print(
                f"{r['name']:<{width}}  {r['definitions']:>11}  {r['steps']:>5}  "
                f"{r['verified']:>8}  {r['refuted']:>7}  {r['unknown']:>7}"
            )
    return 0 if all(r["refuted"] == 0 and r["unknown"] == 0 for r in rows) else 1


def run_show(args: argparse.Namespace) -> int:
    from calcproof import registry
    from calcproof.render.terminal import show
    from calcproof.verify import check_derivation

    derivation = registry.load(args.dir).derivation(args.name)
    report = check_derivation(derivation, args.timeout)
    show(derivation, report.verdicts)
    return 0 if report.verified else 1
