"""The command line: ``calcproof init | list | show | build | check | derive``.

This is the only module that catches :class:`CalcproofError` broadly and the
only place (with the command modules under :mod:`calcproof.commands`) that
writes files.  Command modules are imported lazily so that ``calcproof list``
does not pay for matplotlib or the LaTeX parser.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from calcproof import __version__
from calcproof.errors import CalcproofError

COMMANDS = {
    "init": ("calcproof.commands.init", "write a starter course folder (or a worked example)"),
    "list": ("calcproof.commands.listing", "list derivations with their verdict counts"),
    "show": ("calcproof.commands.listing", "print one derivation step by step"),
    "build": (
        "calcproof.commands.build",
        "build solution sheets (LaTeX, PDF, figures) into output/",
    ),
    "check": ("calcproof.commands.check", "check hand-written LaTeX or Markdown derivations"),
    "derive": ("calcproof.commands.derive", "derive a loss from its likelihood, step by step"),
}

EXIT_USAGE = 2


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="calcproof",
        description="Machine-checked derivations: every step verified, refuted with a "
        "counterexample, or honestly reported unknown.",
    )
    top.add_argument("--version", action="version", version=f"calcproof {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        module.configure(name, command)
        command.set_defaults(subparser=command)
    return top


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; an unknown option is reported with the usage of its subcommand."""
    args, extra = parser().parse_known_args(argv)
    if extra:
        args.subparser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    try:
        code: int = args.run(args)
    except CalcproofError as exc:
        print(f"calcproof: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into head or similar
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("calcproof: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
