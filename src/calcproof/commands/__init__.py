"""One module per command; each defines ``configure(name, parser)`` that sets ``run``.

The options several commands share are defined here once.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from calcproof.defaults import DEFAULT_DIRECTORY, DEFAULT_TIMEOUT

MAX_TIMEOUT = 86_400.0
"""Longest accepted ``--timeout`` (a day): larger values overflow the OS's timers."""


def positive_seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds, at most :data:`MAX_TIMEOUT`."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {text}")
    if not math.isfinite(value) or value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIMEOUT:g} seconds, not {text}")
    return value


def add_timeout(parser: argparse.ArgumentParser) -> None:
    """``--timeout SECONDS``: the kernel's budget per step."""
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="seconds per step before it is reported unknown (default: %(default)s)",
    )


def add_content_directory(parser: argparse.ArgumentParser) -> None:
    """``--dir FOLDER``: where the derivation modules are."""
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIRECTORY,
        metavar="FOLDER",
        help="folder of derivation modules (default: %(default)s)",
    )
