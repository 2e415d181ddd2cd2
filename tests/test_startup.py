"""Start-up cost: ``calcproof --help`` builds every parser without importing SymPy.

Each case runs in a fresh interpreter (this process has SymPy loaded already) and
reports the heavy modules it imported.  No timing is asserted (see
``bench/bench_startup.py`` for that); what is imported is what decides start-up.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calcproof import defaults, registry, verify
from calcproof.distributions import DISTRIBUTIONS, LINKS

HEAVY = ("sympy", "numpy", "scipy", "mpmath", "matplotlib", "antlr4", "tqdm")

PROBE = """
import json, sys
from calcproof.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {heavy!r}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy))), file=sys.stderr)
"""


def heavy_modules(*argv: str) -> list[str]:
    """The heavy top-level packages a fresh ``calcproof ARGV`` imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("--version",),
        ("check", "--help"),
        ("list", "--help"),
        ("show", "--help"),
        ("build", "--help"),
        ("derive", "--help"),
        ("init", "--help"),
    ],
)
def test_help_does_not_import_sympy(argv):
    """Every help page (every subcommand's parser is built for it) is plain argparse."""
    assert heavy_modules(*argv) == []


def test_help_by_module_does_not_import_sympy():
    """``python -m calcproof --help`` as a user runs it: SymPy never appears in its imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "calcproof", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "usage: calcproof" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert not {name.split(".")[0] for name in imported} & set(HEAVY)


def test_light_defaults_are_the_ones_used():
    """The constants the parsers show are those of the modules that use them."""
    assert verify.DEFAULT_TIMEOUT == defaults.DEFAULT_TIMEOUT
    assert registry.DEFAULT_DIRECTORY == defaults.DEFAULT_DIRECTORY
    assert tuple(DISTRIBUTIONS) == defaults.DISTRIBUTION_NAMES
    assert tuple(LINKS) == defaults.LINK_NAMES
