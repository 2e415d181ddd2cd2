"""``calcproof check``: not implemented yet."""

from __future__ import annotations

import argparse
import sys


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print("calcproof check: not implemented yet", file=sys.stderr)
    return 2
