"""Equation reasoning (⇔, ⇒, ⇐, ``\\text{set}``) and the notation around it (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sympy import (
    Derivative,
    Eq,
    Function,
    IndexedBase,
    Sum,
    Symbol,
    exp,
    log,
    pi,
    simplify,
    sympify,
)

from calcproof.cli import main
from calcproof.derivation import Context, Step
from calcproof.relations import Equivalent, Implies
from calcproof.verify import check_step

x = Symbol("x", real=True)
a = Symbol("a", real=True)
s = Symbol("sigma", positive=True)
big_i = Symbol("I", integer=True, positive=True)
i = Symbol("i", integer=True, positive=True)
y = IndexedBase("y", real=True)
f = Function("f", real=True)
SQUARES = Sum((y[i] - f(i)) ** 2, (i, 1, big_i))
LOSS = Sum(log(2 * pi * s**2) / 2 + (y[i] - f(i)) ** 2 / (2 * s**2), (i, 1, big_i))
STATIONARY = Eq(Derivative(LOSS, s) / Derivative(s**2, s), 0)


def verdict(relation: Equivalent | Implies, lhs: object, rhs: object) -> tuple[str, str]:
    found = check_step(Step(relation, lhs, rhs, "as written"), Context(), timeout=30)  # type: ignore[arg-type]
    return found.status, found.message


@pytest.mark.parametrize(
    ("relation", "lhs", "rhs"),
    [
        (Equivalent(), Eq(2 * x + 1, 7), Eq(2 * x, 6)),
        (Equivalent(), Eq(2 * x, 6), Eq(x, 3)),
        (Implies(), Eq(x, 3), Eq(x**2, 9)),
        (Equivalent(), Eq(exp(x), 2), Eq(x, log(2))),
        (Equivalent(), Eq(s**2, 4), Eq(s, 2)),
        (Equivalent(), STATIONARY, Eq(s**2, SQUARES / big_i)),
    ],
)
def test_true_relations_between_equations_verify(relation, lhs, rhs) -> None:  # type: ignore[no-untyped-def]
    """Equivalent and implied equations are verified (σ > 0 makes σ² = 4 ⇔ σ = 2)."""
    assert verdict(relation, lhs, rhs)[0] == "verified"


@pytest.mark.parametrize(
    ("relation", "lhs", "rhs", "point"),
    [
        (Equivalent(), Eq(x**2, 9), Eq(x, 3), "x = -3"),
        (Implies(), Eq(x**2, 9), Eq(x, 3), "x = -3"),
        (Equivalent(), Eq(a * x, 2 * a), Eq(x, 2), "a = 0"),
        (Equivalent(), STATIONARY, Eq(s**2, SQUARES / (big_i - 1)), "I = 2"),
        (Equivalent(), STATIONARY, Eq(s**2, Sum(y[i] - f(i), (i, 1, big_i)) / big_i), "I = 2"),
    ],
)
def test_false_relations_are_refuted_with_a_point(relation, lhs, rhs, point) -> None:  # type: ignore[no-untyped-def]
    """A wrong ⇔/⇒ (a lost root, a division by a letter that may be 0, the 1/(I−1) and
    missing-square slips) is refuted at a point named in the message."""
    status, message = verdict(relation, lhs, rhs)
    assert status == "refuted"
    assert point in message and "holds exactly" in message


def test_real_x_squared_is_not_equivalent_to_x_even_when_positive_is_assumed() -> None:
    """Without σ > 0 the same step σ² = 4 ⇔ σ = 2 is refuted at σ = −2."""
    t = Symbol("t", real=True)
    status, message = verdict(Equivalent(), Eq(t**2, 4), Eq(t, 2))
    assert status == "refuted" and "t = -2" in message


def test_certificate_point_really_separates_the_equations() -> None:
    """The point in a refutation solves the first equation exactly and not the second."""
    found = check_step(Step(Equivalent(), Eq(x**2, 2), Eq(x, sympify("sqrt(2)")), "w"), Context())
    point = {Symbol(k, real=True): sympify(v) for k, v in found.counterexample}
    assert simplify((x**2 - 2).subs(point)) == 0
    assert simplify((x - sympify("sqrt(2)")).subs(point)) != 0


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, name: str = "d.tex"):  # type: ignore[no-untyped-def]
    doc = tmp_path / name
    doc.write_text(text)
    code = main(["check", "--json", str(doc)])
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, report


MLE = r"""
% calcproof: positive \sigma
\begin{align}
L &= \sum_{i=1}^{I} \left[ \frac{1}{2}\log(2\pi\sigma^2)
  + \frac{(y_i - f[x_i, \phi])^2}{2\sigma^2} \right]
\end{align}
\begin{align}
&\text{set } \frac{\partial L}{\partial \sigma^2} = 0 \\
&\iff \sigma^2 = \frac{1}{I}\sum_{i=1}^{I} (y_i - f[x_i, \phi])^2
\end{align}
"""


def test_stationarity_of_the_gaussian_loss_in_sigma_squared_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """∂L/∂σ² = 0 ⇔ σ² = (1/I) Σ (y_i − f)² is verified with σ > 0 (issue 12's example)."""
    code, report = run(tmp_path, capsys, MLE)
    assert [(s["relation"], s["verdict"]) for s in report["steps"]] == [
        ("def", "definition"),
        ("iff", "verified"),
    ]
    assert code == 0


@pytest.mark.parametrize(
    "wrong",
    [
        r"\frac{1}{I-1}\sum_{i=1}^{I} (y_i - f[x_i, \phi])^2",
        r"\frac{1}{I}\sum_{i=1}^{I} (y_i - f[x_i, \phi])",
        r"-\frac{1}{I}\sum_{i=1}^{I} (y_i - f[x_i, \phi])^2",
    ],
)
def test_stationarity_slips_are_refuted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], wrong: str
) -> None:
    """The 1/(I−1), missing-square and wrong-sign slips are refuted (exit 1)."""
    text = MLE.replace(r"\frac{1}{I}\sum_{i=1}^{I} (y_i - f[x_i, \phi])^2", wrong)
    code, report = run(tmp_path, capsys, text)
    assert report["steps"][1]["verdict"] == "refuted"
    assert code == 1


def test_a_chain_of_equivalences_continues_the_previous_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2x + 1 = 7 ⇔ 2x = 6 ⇔ x = 3 ⇒ x² = 9 on successive rows: three verified steps, and
    the first row is an equation, not an identity claim."""
    text = "\\begin{align}\n2x + 1 &= 7 \\\\\n\\iff 2x &= 6 \\\\\n\\Leftrightarrow x &= 3 \\\\\n"
    text += "\\implies x^2 &= 9\n\\end{align}\n"
    code, report = run(tmp_path, capsys, text)
    assert [(s["relation"], s["verdict"]) for s in report["steps"]] == [
        ("iff", "verified"),
        ("iff", "verified"),
        ("implies", "verified"),
    ]
    assert code == 0


def test_implied_by_reverses_the_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """x² = 9 ⇐ x = 3 is verified and x = 3 ⇐ x² = 9 refuted."""
    code, report = run(
        tmp_path, capsys, "$$x^2 = 9 \\Leftarrow x = 3$$\n$$x = 3 \\Leftarrow x^2 = 9$$\n"
    )
    assert [s["verdict"] for s in report["steps"]] == ["verified", "refuted"]
    assert code == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$$x = 1 \\iff x + 1$$", "must join equations"),
        ("$$\\iff x = 1$$", "no equation precedes it"),
        ("$$a = b \\\\ = c \\\\ \\iff x = 1$$", "no equation precedes it"),
    ],
)
def test_malformed_equation_rows_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    """A connective between non-equations, or continuing nothing, is an error on its line."""
    _, report = run(tmp_path, capsys, text + "\n$$u = 1$$\n", "d.md")
    assert any(message in e["message"] for e in report["errors"])


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (r"\mathbf{x}^T \mathbf{x}", "transpose"),
        (r"\mathbf{w}^{\top} x", "transpose"),
        (r"a^{T} b", "transpose"),
        (r"\mathbb{E}[x]", "expectation"),
        (r"\mathbb{R}", "blackboard-bold"),
    ],
)
def test_transpose_and_expectation_are_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expr: str, message: str
) -> None:
    """x^T is never read as a power; 𝔼 and blackboard sets are refused by name."""
    _, report = run(tmp_path, capsys, f"$$q + r = {expr}$$\n", "d.md")
    assert report["steps"] == []
    assert message in report["errors"][0]["message"]


def test_letter_before_brackets_is_a_product_without_placeholder_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """x (y + 1) = x y + x is verified, and no internal name appears in any message."""
    code, report = run(tmp_path, capsys, "$$x (y + 1) = x y + x$$\n", "d.md")
    assert report["steps"][0]["verdict"] == "verified"
    assert "cps" not in json.dumps(report)
    assert code == 0


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (r"\frac{d^2}{dz^2} (z^3) = 6 z", "verified"),
        (r"\frac{d^2}{dz^2} (z^3) = 3 z^2", "refuted"),
        (r"\frac{\partial^2 (x^3 y^2)}{\partial x \partial y} = 6 x^2 y", "verified"),
        (r"\frac{\partial^2 (x^3 y^2)}{\partial x \partial y} = 6 x y", "refuted"),
        (
            r"\frac{\partial (\log \sigma^2 + a / \sigma^2)}{\partial \sigma^2} = 1/\sigma^2 - a/\sigma^4",  # noqa: E501
            "verified",
        ),
        (
            r"\frac{\partial (\log \sigma^2 + a / \sigma^2)}{\partial \sigma^2} = 2/\sigma - 2 a/\sigma^3",  # noqa: E501
            "refuted",
        ),
    ],
)
def test_higher_and_power_derivatives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], claim: str, expected: str
) -> None:
    """d²/dz², mixed ∂²/∂x∂y and ∂/∂σ² (the chain rule) are read as their meaning."""
    _, report = run(
        tmp_path, capsys, f"% calcproof: positive \\sigma\n$$u + v = 1$$\n$${claim}$$\n"
    )
    assert report["steps"][-1]["verdict"] == expected


def test_derivative_orders_must_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """d²/dz is refused, never read as a first derivative."""
    _, report = run(tmp_path, capsys, "$$\\frac{d^2 z^3}{dz} = 6 z$$\n$$u = 1$$\n", "d.md")
    assert "orders" in report["errors"][0]["message"]


def test_refuted_step_exits_1_even_with_an_unreadable_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One unreadable line does not hide a refuted step: exit 1, the error still reported."""
    code, report = run(tmp_path, capsys, "$$a + a = 3 a$$\n$$b = \\oint c$$\n", "d.md")
    assert report["steps"][0]["verdict"] == "refuted" and report["errors"]
    assert code == 1


def test_unreadable_line_alone_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With nothing refuted, an unreadable line still gives exit 2."""
    code, _ = run(tmp_path, capsys, "$$a + a = 2 a$$\n$$b = \\oint c$$\n", "d.md")
    assert code == 2


def test_declared_domain_of_data_is_respected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With binary y, y_i² = 1 ⇔ y_i = 1 is verified (−1 is outside the domain) and
    y_i² = y_i ⇔ y_i = 1 is refuted at y_i = 0, a point of the domain."""
    text = "% calcproof: binary y\n\\[ y_i^2 = 1 \\iff y_i = 1 \\]\n"
    text += "\\[ y_i^2 = y_i \\iff y_i = 1 \\]\n"
    _, report = run(tmp_path, capsys, text)
    first, second = report["steps"]
    assert first["verdict"] == "verified"
    assert second["verdict"] == "refuted" and second["counterexample"] == {"y[i]": "0"}
