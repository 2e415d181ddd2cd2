"""The command line: ``calcproof init | list | show | build | check | derive``.

This is the only module that catches :class:`CalcproofError` broadly and the
only place (with the command modules under :mod:`calcproof.commands`) that
writes files.  Command modules are imported lazily so that ``calcproof list``
does not pay for matplotlib or the LaTeX parser.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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
STOPPING = (signal.SIGTERM, signal.SIGHUP)
"""Signals that stop a run like Ctrl-C does: clean-up runs, the exit status is 128 + signal."""


class Terminated(KeyboardInterrupt):
    """A stopping signal, raised in the main thread so that every clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: object) -> None:
    """Stop once: later stop signals are ignored, so clean-up and the exit are not cut short.

    (latexmk, for one, passes Ctrl-C on to its process group, which is ours.)
    """
    for other in (signal.SIGINT, *STOPPING):
        signal.signal(other, signal.SIG_IGN)
    raise Terminated(signum)


@contextmanager
def _stopping_signals_raise() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in (signal.SIGINT, *STOPPING)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _option_like_files(argv: Sequence[str]) -> list[str]:
    """Arguments before ``--`` that start with one ``-`` but name existing files."""
    words = list(argv)
    words = words[: words.index("--")] if "--" in words else words
    return [w for w in words if w[:1] == "-" and w[1:2] not in ("", "-", "h") and os.path.exists(w)]


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
    """Run the command line ``argv`` (default: the program's arguments) and return its status.

    Run as the program (no ``argv``), the objects made are frozen for the garbage
    collector before returning: the interpreter exits next, and its collections at
    exit would otherwise traverse every SymPy object again (about 0.1 s).
    """
    program = argv is None
    with _stopping_signals_raise():
        code = _main(sys.argv[1:] if argv is None else argv, program)
    if program:
        gc.freeze()
    return code


def preload(command: object, freeze: bool) -> None:
    """Import the modules the command's module lists in ``PRELOAD``, before it runs.

    They are imported with the cyclic garbage collector off: importing SymPy makes
    about a million long-lived objects, and the collections it would trigger on the
    way find nothing to free (about 0.04 s).  With ``freeze`` (the program, not a
    caller in a long-lived process) they are then frozen, so that later collections,
    in this process and in the children it forks, do not traverse them again.
    """
    module = sys.modules.get(getattr(command, "__module__", ""))
    names: Sequence[str] = getattr(module, "PRELOAD", ())
    if not names:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in names:
            __import__(name)  # (not importlib.import_module: -X importtime shows this)
    finally:
        if enabled:
            gc.enable()
    if freeze:
        gc.freeze()


def _main(argv: Sequence[str], program: bool = False) -> int:
    try:
        dashed = _option_like_files(argv)
        if dashed:
            raise CalcproofError(
                f"{dashed[0]!r} is read as an option; to name a file that starts with '-', "
                f"write ./{dashed[0]} or put -- before it"
            )
        args = parse(argv)
        preload(args.run, program)
        code: int = args.run(args)
    except CalcproofError as exc:
        print(f"calcproof: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into head or similar
        sys.stderr.close()
        return 0
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Terminated) else signal.SIGINT
        print(f"calcproof: stopped by {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
