"""``calcproof init [DIR]``: write a course folder that builds and tests as it is.

The starter folder has a derivations module (one derivation, a one-problem
sheet with a figure drawn from a symbolic expression) and a pytest file that
asserts every derivation with ``assert_verified``.  ``--example activity4``
writes the Activity 4 course of this project instead.  Existing files are
never overwritten.  The files come from the installed package
(``calcproof/examples/<name>/``).
"""

from __future__ import annotations

import argparse
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from calcproof import atomic
from calcproof.errors import InputError

STARTER = "starter"
EXAMPLES = ("activity4",)
SKIP = ("__pycache__",)

EPILOG = """\
Then, in DIR:
  calcproof build     verify the derivations and write the sheets to output/
  pytest              run the tests (assert_verified on every derivation)"""


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="folder to write into (default: the current folder)",
    )
    parser.add_argument(
        "--example",
        choices=EXAMPLES,
        help="write a worked example course instead of the starter",
    )
    parser.set_defaults(run=run)


def template(name: str) -> list[tuple[PurePosixPath, bytes]]:
    """The files of the example ``name`` (relative paths and contents), in name order."""
    root = files("calcproof").joinpath("examples", name)
    if not root.is_dir():
        raise InputError(f"calcproof is installed without its example {name!r}")
    return sorted(_walk(root, PurePosixPath()))


def _walk(folder: Traversable, prefix: PurePosixPath) -> list[tuple[PurePosixPath, bytes]]:
    out = []
    for entry in folder.iterdir():
        if entry.name in SKIP or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            out.extend(_walk(entry, prefix / entry.name))
        else:
            out.append((prefix / entry.name, entry.read_bytes()))
    return out


def run(args: argparse.Namespace) -> int:
    plan = [(args.directory / rel, data) for rel, data in template(args.example or STARTER)]
    existing = [str(path) for path, _ in plan if path.exists()]
    if existing:
        raise InputError(
            f"{existing[0]} exists; calcproof init writes only new files "
            "(choose another folder or move it away)"
        )
    for path, data in plan:
        atomic.write_bytes(path, data)
        print(f"wrote {path}")
    where = "" if args.directory == Path(".") else f"cd {args.directory} && "
    print(f"next: {where}calcproof build && pytest")
    return 0
