"""Find the derivations (and sheets) defined in a ``derivations/`` folder.

Each ``*.py`` file there (not starting with ``_``) is content: it may define
``DERIVATIONS`` (a list of :class:`~calcproof.derivation.Derivation`) and
``SHEETS`` (a list of sheets).  Files load in name order.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from calcproof.defaults import DEFAULT_DIRECTORY
from calcproof.derivation import Derivation
from calcproof.errors import CalcproofError, InputError


@dataclass(frozen=True)
class Content:
    """Everything a derivations folder defines, in file order."""

    derivations: tuple[Derivation, ...]
    sheets: tuple[Any, ...]

    def derivation(self, name: str) -> Derivation:
        for derivation in self.derivations:
            if derivation.name == name:
                return derivation
        known = ", ".join(d.name for d in self.derivations)
        raise InputError(f"no derivation named {name!r} (known: {known})")


def load(directory: Path = DEFAULT_DIRECTORY) -> Content:
    """Import every content module of ``directory``."""
    if not directory.is_dir():
        raise InputError(
            f"no derivations folder at {directory} (run from the project root or pass --dir)"
        )
    derivations: list[Derivation] = []
    sheets: list[Any] = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = _import(path)
        derivations.extend(getattr(module, "DERIVATIONS", []))
        sheets.extend(getattr(module, "SHEETS", []))
    names = [d.name for d in derivations]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(f"derivation names defined twice: {', '.join(duplicates)}", str(directory))
    return Content(tuple(derivations), tuple(sheets))


def _import(path: Path) -> ModuleType:
    name = f"calcproof_content.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InputError("cannot import", str(path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except CalcproofError as exc:
        raise InputError(str(exc), str(path)) from exc
    except Exception as exc:  # content is user code: report where it failed, not a traceback
        raise InputError(f"{type(exc).__name__}: {exc}", _location(path, exc)) from exc
    return module


def _location(path: Path, exc: BaseException) -> str:
    """``file:line`` of the innermost frame of ``exc`` inside ``path``."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = exc.lineno
    return f"{path}:{line}" if line else str(path)
