"""``calcproof list`` and ``show``: verdict counts, JSON, exit codes and messages."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from calcproof.cli import main

ROOT = Path(__file__).resolve().parent.parent
WRONG = textwrap.dedent(
    """
    from sympy import Rational
    from calcproof.derivation import chain, then
    from calcproof.losses import sig

    DERIVATIONS = [chain("wrong-half", "sig[0] = 1/3", sig(0), [then("=", rhs=Rational(1, 3))])]
    """
)


def test_list_json_shows_every_activity4_derivation_verified(capsys):
    """Every shipped derivation is listed with all its non-definition steps verified."""
    code = main(["list", "--json", "--dir", str(ROOT / "derivations")])
    rows = json.loads(capsys.readouterr().out)
    names = {row["name"] for row in rows}
    assert {"sigmoid-minus-infinity", "sigmoid-at-zero", "sigmoid-plus-infinity"} <= names
    assert {
        "bce-y0",
        "bce-y1",
        "gaussian-least-squares",
        "gaussian-least-squares-symbolic-D",
    } <= names
    for row in rows:
        assert set(row) == {"name", "steps", "definitions", "verified", "refuted", "unknown"}
        assert row["refuted"] == row["unknown"] == 0
        assert row["verified"] >= 1
    assert code == 0


def test_list_exits_1_when_a_step_is_not_verified(tmp_path, capsys):
    """A derivation with a refuted step makes ``list`` exit 1 and count it."""
    (tmp_path / "wrong.py").write_text(WRONG)
    code = main(["list", "--json", "--dir", str(tmp_path)])
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "name": "wrong-half",
            "steps": 1,
            "definitions": 0,
            "verified": 0,
            "refuted": 1,
            "unknown": 0,
        }
    ]
    assert code == 1


def test_show_prints_rules_and_verdicts(capsys):
    """``show`` prints each step's rule, reason and verdict."""
    code = main(["show", "sigmoid-minus-infinity", "--dir", str(ROOT / "derivations")])
    out = capsys.readouterr().out
    assert "definition of sig" in out and "limit" in out
    assert out.count("✓ verified") == 2
    assert code == 0


def test_show_names_the_counterexample_of_a_wrong_step(tmp_path, capsys):
    """A refuted step is shown with its verdict and the values of both sides."""
    (tmp_path / "wrong.py").write_text(WRONG)
    code = main(["show", "wrong-half", "--dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert "✗ refuted" in out and "left 0.5, right 0.333333" in out
    assert code == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "--dir", "/nonexistent"], "no derivations folder"),
        (["show", "no-such-derivation"], "no derivation named 'no-such-derivation'"),
    ],
)
def test_bad_input_gives_a_message_and_exit_2(argv, message, capsys, monkeypatch):
    """Missing folders and unknown names give one clear line and exit status 2."""
    monkeypatch.chdir(ROOT)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
