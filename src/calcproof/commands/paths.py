"""The files a ``check`` command line names: files, directories (recursively) and patterns.

A directory stands for every ``.tex`` and ``.md`` file below it (sorted, hidden
folders skipped, symbolic links to folders not followed; a folder with none stays
in the list, so that it is reported, in order, as an unreadable input); a pattern
(``notes/*.tex``) that the shell left unexpanded is expanded here, and one that
matches nothing is reported, never silently dropped.
"""

from __future__ import annotations

import glob
import os

SUFFIXES = (".tex", ".latex", ".ltx", ".md", ".markdown")


def expand(arguments: list[str]) -> tuple[list[str], list[str]]:
    """``(files, errors)``: the files to check, in order, and one message per empty pattern."""
    files: list[str] = []
    errors: list[str] = []
    for argument in arguments:
        if os.path.isdir(argument):
            below = _below(argument)
            files.extend(below or [argument])  # an empty folder is reported as unreadable
        elif not os.path.exists(argument) and glob.has_magic(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                errors.append(f"{argument}: no file matches this pattern")
            for match in matches:
                files.extend(_below(match) if os.path.isdir(match) else [match])
        else:
            files.append(argument)
    return list(dict.fromkeys(files)), errors


def _below(folder: str) -> list[str]:
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, n) for n in sorted(names) if n.lower().endswith(SUFFIXES))
    return found
