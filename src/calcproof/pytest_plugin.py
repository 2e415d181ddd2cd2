"""The pytest plugin, loaded automatically (entry point ``pytest11``) once calcproof is installed.

A test that fails because a derivation is not verified
(:class:`calcproof.testing.DerivationFailure`) is reported briefly: the line of
the test that asserted it, then calcproof's account of each failing step (both
sides, the verdict, the certificate), instead of a traceback through the
kernel and the ``repr`` of the whole derivation.  The header of the run names
the calcproof version.  Disable with ``pytest -p no:calcproof``.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

import calcproof
from calcproof.testing import DerivationFailure

PACKAGE = Path(calcproof.__file__).resolve().parent


def pytest_report_header(config: pytest.Config) -> str:
    return f"calcproof {calcproof.__version__}: assert_verified failures are reported briefly"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if excinfo is None or not isinstance(excinfo.value, DerivationFailure):
        return
    where = _user_line(excinfo, item.config.rootpath)
    report.longrepr = f"{where}: derivation not verified\n{excinfo.value}"


def _user_line(excinfo: pytest.ExceptionInfo[BaseException], root: Path) -> str:
    """``file:line`` of the innermost frame outside calcproof (the user's assertion)."""
    where = "?"
    for entry in excinfo.traceback:
        path = Path(str(entry.path)).resolve()
        if PACKAGE in path.parents:
            continue
        shown = path.relative_to(root) if root in path.parents else path
        where = f"{shown}:{entry.lineno + 1}"
    return where
