"""`check` on long files: per-step progress, and wrong lines shown whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from calcproof.cli import main
from calcproof.latex_input.checking import check_file

FIXTURES = Path(__file__).parent / "fixtures"


def test_progress_is_told_of_every_step_in_order() -> None:
    """check_file calls its progress callback once per decided step: 1/n, 2/n, …, n/n."""
    seen: list[tuple[int, int]] = []
    report = check_file(
        str(FIXTURES / "udl_wrong.tex"), 10.0, progress=lambda k, n: seen.append((k, n))
    )
    total = len(report.steps)
    assert total > 3
    assert seen == [(k, total) for k in range(1, total + 1)]


def test_a_long_refuted_line_is_shown_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refuted step longer than the excerpt width is printed in full, up to its last term."""
    terms = " + ".join(f"x^{{{k}}}" for k in range(1, 40))
    doc = tmp_path / "long.tex"
    doc.write_text(f"\\[ {terms} = {terms} + 1 \\]\n")
    assert main(["check", str(doc)]) == 1
    out = capsys.readouterr().out
    assert "x^{39} + 1" in out and "…" not in out.splitlines()[1]
