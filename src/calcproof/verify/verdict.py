"""Compatibility re-export: the verdict record lives in :mod:`calcproof.verdict`."""

from calcproof.verdict import Status, Verdict, unknown, verified

__all__ = ["Status", "Verdict", "unknown", "verified"]
