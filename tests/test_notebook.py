"""``derivation.check()``: verdicts where notebook users look, tested in a real notebook run."""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor
from sympy import exp

from calcproof import chain, rules, then
from calcproof.losses import sig
from calcproof.symbols import z

SETUP = """\
from sympy import exp
from calcproof import chain, rules, then
from calcproof.losses import sig
from calcproof.symbols import z
"""

RIGHT = (
    'chain("right", "t", sig(0), '
    '[then("=", rules.unfold_sigmoid(False)), then("=", rules.evaluate)])'
)
WRONG = (
    'chain("wrong", "t", sig(z), '
    '[then("=", rules.unfold_sigmoid()), then("=", rhs=1 / (1 + exp(z)))])'
)


def _wrong():
    return chain(
        "wrong", "t", sig(z), [then("=", rules.unfold_sigmoid()), then("=", rhs=1 / (1 + exp(z)))]
    )


def test_check_marks_each_step_and_gives_the_counterexample():
    """The view marks the verified step ✓ and the refuted one ✗ with the point where they differ."""
    view = _wrong().check()
    assert not view.verified
    html = view._repr_html_()
    assert "wrong: 1 of 2 steps verified (1 refuted)" in html
    assert "✓ verified" in html and "✗ refuted" in html
    assert "at z = " in html and "left " in html
    latex = view._repr_latex_()
    assert r"\operatorname{sig}[z]" in latex and "step 2: ✗ refuted" in latex


def test_plain_display_has_no_marks_and_checked_display_does():
    """Displaying a derivation never shows verdicts; its checked view always does."""
    derivation = _wrong()
    assert "✓" not in derivation._repr_latex_() and "refuted" not in derivation._repr_latex_()
    assert "✗" in repr(derivation.check())


def test_check_view_in_an_executed_notebook(tmp_path):
    """A notebook executed by nbconvert shows ✓ for a right and ✗ for a wrong derivation."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell(RIGHT + ".check()"),
        nbformat.v4.new_code_cell(WRONG + ".check()"),
    ]
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(
        notebook, {"metadata": {"path": str(tmp_path)}}
    )
    right, wrong = (cell.outputs[0]["data"] for cell in notebook.cells[1:])
    assert {"text/html", "text/latex", "text/plain"} <= set(right)
    assert "2 of 2 steps verified" in right["text/html"] and "✗" not in right["text/html"]
    assert "✗ refuted" in wrong["text/html"] and "at z = " in wrong["text/html"]
