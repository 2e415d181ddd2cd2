"""The one exception hierarchy of calcproof; only the CLI catches it broadly."""

from __future__ import annotations


class CalcproofError(Exception):
    """Base class of every error calcproof raises on purpose."""


class DerivationError(CalcproofError):
    """A derivation is malformed: a rule did not apply, or relations do not compose."""


class InputError(CalcproofError):
    """Input could not be read: a missing file, bad encoding, unsupported LaTeX.

    ``location`` is ``file:line`` (or just ``file``) when known.
    """

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class BuildError(CalcproofError):
    """A sheet could not be built (an unverified step, a failed TeX run)."""
