"""The README stands alone as the user's manual: its rule table is the real list of rules."""

from __future__ import annotations

import re
from pathlib import Path

from calcproof import rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_rule_table_names_exactly_the_rules_of_the_docstring():
    """Every rule in the README table exists in calcproof.rules and is in help(calcproof.rules)."""
    section = README[README.index("## Ready-made rules") :]
    section = section[: section.index("\n## ")]
    names = re.findall(r"^\| `([a-z_]+)", section, flags=re.MULTILINE)
    assert len(names) >= 15
    doc = rules.__doc__ or ""
    for name in names:
        assert hasattr(rules, name), name
        assert f"    {name}" in doc, name


def test_readme_refers_to_nothing_users_do_not_have():
    """No design notes, no absolute paths of a development machine."""
    assert "design.md" not in README
    assert not re.search(r"(?<![\w.])/(work|root|home|tmp)/", README)


def test_readme_shows_the_path_from_an_empty_folder():
    """The quick start is pip install, calcproof init, calcproof build, pytest, in that order."""
    quick = README[README.index("## Quick start") :]
    steps = [quick.index(s) for s in ("pip install", "calcproof init", "calcproof build", "pytest")]
    assert steps == sorted(steps)
