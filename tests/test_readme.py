"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_examples_run_and_their_tests_pass():
    """Every ```python block executes, and every test function it defines passes."""
    blocks = python_blocks()
    assert len(blocks) >= 2
    ran = 0
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, str(README), "exec"), namespace)
        for name, value in namespace.items():
            if name.startswith("test_") and callable(value):
                value()
                ran += 1
    assert ran >= 1


def test_readme_assert_verified_example_is_at_most_ten_lines_of_test():
    """The pytest example stays short enough to read at a glance."""
    example = next(b for b in python_blocks() if "assert_verified" in b)
    body = example[example.index("def test_") :].strip().splitlines()
    assert len(body) <= 10
