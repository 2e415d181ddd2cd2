"""The notation people write (densities, Σ without a range, reasons, ∈) and document markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calcproof.cli import main


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *extra: str):  # type: ignore[no-untyped-def]
    doc = tmp_path / "d.tex"
    doc.write_text(text)
    code = main(["check", "--json", *extra, str(doc)])
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, report


DECLS = "% calcproof: positive \\sigma; unit \\lambda\n"


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (
            r"\log \text{Norm}_{y}[\mu, \sigma^2] = -\frac{1}{2}\log(2\pi\sigma^2) - \frac{(y-\mu)^2}{2\sigma^2}",  # noqa: E501
            "verified",
        ),
        (
            r"\log \operatorname{Norm}_{y}[\mu, \sigma^2] = -\log(2\pi\sigma^2) - \frac{(y-\mu)^2}{2\sigma^2}",  # noqa: E501
            "refuted",
        ),
        (r"\log \text{Bern}_{y}[\lambda] = y \log \lambda + (1-y)\log(1-\lambda)", "verified"),
        (r"\log \text{Bern}_{y}[\lambda] = y \log \lambda + y \log(1-\lambda)", "refuted"),
        (r"\mathrm{Pois}_{k}[\lambda] = \frac{\lambda^k e^{-\lambda}}{k!}", "verified"),
        (r"\mathrm{Pois}_{k}[\lambda] = \lambda^k e^{-\lambda}", "refuted"),
        (
            r"\text{VonMises}_{y}[\mu, \kappa] = \frac{\exp[\kappa \cos(y - \mu)]}{2\pi I_0[\kappa]}",  # noqa: E501
            "verified",
        ),
        (
            r"\text{VonMises}_{y}[\mu, \kappa] = \frac{\exp[\kappa \sin(y - \mu)]}{2\pi I_0[\kappa]}",  # noqa: E501
            "refuted",
        ),
        (
            r"\log \operatorname{softmax}_{k}[\mathbf{z}] = \mathbf{z}_k - \log \sum_{j} \exp[\mathbf{z}_j]",  # noqa: E501
            "verified",
        ),
        (
            r"\log \operatorname{softmax}_{k}[\mathbf{z}] = \mathbf{z}_k - \sum_{j} \mathbf{z}_j",
            "refuted",
        ),
    ],
)
def test_densities_are_read_as_their_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], claim: str, expected: str
) -> None:
    """Norm, Bern, Pois, VonMises and softmax are their densities: true forms verify, slips
    are refuted."""
    _, report = run(
        tmp_path, capsys, f"{DECLS}\\begin{{align}}\nu + v = 1 \\\\\n{claim}\n\\end{{align}}\n"
    )
    assert report["steps"][-1]["verdict"] == expected, report


def test_density_with_the_wrong_number_of_parameters_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Norm_y[μ] (one parameter) is an error naming the density, not a guess."""
    _, report = run(tmp_path, capsys, "$$u = 1$$\n\\[ \\text{Norm}_{y}[\\mu] = 1 \\]\n")
    assert "Norm takes 2" in report["errors"][0]["message"]


def test_sum_without_range_has_an_unspecified_size_and_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Σ_i a_i + Σ_i b_i = Σ_i (a_i + b_i) is verified; Σ_i 1 = I is not (N(i) is not I)."""
    text = "\\[ \\sum_i a_i + \\sum_i b_i = \\sum_i (a_i + b_i) \\]\n\\[ \\sum_i 1 = I \\]\n"
    _, report = run(tmp_path, capsys, text)
    first, second = report["steps"]
    assert first["verdict"] == "verified" and "without a range" in first["message"]
    assert second["verdict"] == "refuted"


def test_stated_reason_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A trailing \\quad\\text{(expand)} is the step's reason, in its report, not an error."""
    text = "\\begin{align}\n(a + b)^2 &= a^2 + 2 a b + b^2 \\quad \\text{(expand)} \\label{e} \\\\\n\\end{align}\n"  # noqa: E501
    _, report = run(tmp_path, capsys, text)
    (step,) = report["steps"]
    assert step["verdict"] == "verified" and "stated reason: expand" in step["message"]
    assert report["errors"] == []


def test_membership_rows_are_declarations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """\\lambda \\in (0, 1) on its own row makes log(1 − λ) real (the step verifies)."""
    text = (
        "\\[ \\lambda \\in (0, 1) \\]\n"
        "\\[ \\log(\\lambda (1 - \\lambda)) = \\log \\lambda + \\log(1 - \\lambda) \\]\n"
    )
    _, report = run(tmp_path, capsys, text)
    assert [s["verdict"] for s in report["steps"]] == ["verified"]
    assert report["steps"][0]["assumptions"]["lambda"] == "in (0, 1)"


def test_statement_skip_and_off_regions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A statement is reported as taken and not checked; skipped and off displays are not read."""
    text = (
        "\\[ L = (y - w x - b)^2 \\]\n% calcproof: statement\n\\[ y = w x + b \\]\n"
        "% calcproof: skip\n\\[ a + a = 3 a \\]\n% calcproof: off\n\\[ a + a = 5 a \\]\n"
        "\\[ \\oint \\]\n% calcproof: on\n\\[ c + c = 2 c \\]\n"
    )
    code, report = run(tmp_path, capsys, text)
    assert [s["relation"] + ":" + s["verdict"] for s in report["steps"]] == [
        "def:definition",
        "statement:statement",
        "=:verified",
    ]
    assert report["errors"] == [] and code == 0


def test_without_statement_marker_the_model_equation_is_a_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same y = w x + b unmarked is checked as a claim and refuted (exit 1)."""
    code, report = run(tmp_path, capsys, "\\[ L = (y - w x - b)^2 \\]\n\\[ y = w x + b \\]\n")
    assert report["steps"][1]["verdict"] == "refuted" and code == 1


def test_conflicting_definitions_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second := of a name with another value says so in its notes."""
    _, report = run(tmp_path, capsys, "\\[ L := 2 \\]\n\\[ L := 3 \\]\n")
    assert "redefines L" in report["steps"][1]["message"]
    assert "redefines" not in report["steps"][0]["message"]


def test_imaginary_looking_input_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """e^{iπ} = −1 is refuted with i real, and the report warns that i is not imaginary."""
    _, report = run(tmp_path, capsys, "\\[ e^{i \\pi} = -1 \\]\n")
    assert report["steps"][0]["verdict"] == "refuted"
    assert "not the imaginary unit" in report["steps"][0]["message"]


def test_folders_recurse_and_allow_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder checks its .tex/.md files below it; a file without math fails unless
    --allow-empty; a pattern matching nothing is exit 2."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("$$a + a = 2 a$$\n")
    (tmp_path / "b.tex").write_text("no mathematics\n")
    (tmp_path / "c.txt").write_text("$$a + a = 3 a$$\n")
    assert main(["check", "--json", str(tmp_path)]) == 2
    files = [json.loads(line)["file"] for line in capsys.readouterr().out.splitlines()]
    assert [Path(f).name for f in files] == ["b.tex", "a.md"]
    assert main(["check", "--allow-empty", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["check", str(tmp_path / "nothing*.tex")]) == 2
    assert "no file matches" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (r"1 \frac{1}{2}", "whole number before a numeric fraction"),
        (r"\|\mathbf{v}\|_1", "Euclidean norm"),
        (r"D_{KL}[p \,\|\, q]", "outside a norm"),
    ],
)
def test_ambiguous_numbers_and_norms_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expr: str, message: str
) -> None:
    """A mixed number, other norms and D_KL are refused by name."""
    _, report = run(tmp_path, capsys, f"\\[ u = 1 \\]\n\\[ w = {expr} \\]\n")
    assert message in report["errors"][0]["message"]


def test_gcd_of_decimals_is_of_the_numbers_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """gcd(2.4, 3.6) = 6/5 is verified (not SymPy's 1 for floats); = 1 is refuted."""
    text = "\\[ \\gcd(2.4, 3.6) = \\frac{6}{5} \\]\n\\[ \\gcd(2.4, 3.6) = 1 \\]\n"
    _, report = run(tmp_path, capsys, text)
    assert [s["verdict"] for s in report["steps"]] == ["verified", "refuted"]


def test_a_number_times_a_fraction_with_letters_is_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2 \\frac{x}{2} = x stays a verified product (only numeric mixed numbers are refused)."""
    _, report = run(tmp_path, capsys, "\\[ 2 \\frac{x}{2} = x \\]\n")
    assert report["steps"][0]["verdict"] == "verified"


def test_squared_norm_is_the_sum_of_squares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """‖v‖² = Σ_j v_j² is verified; ‖v‖² = Σ_j v_j is refuted at a point."""
    text = "\\[ \\|\\mathbf{v}\\|^2 = \\sum_{j} \\mathbf{v}_j^2 \\]\n"
    text += "\\[ \\|\\mathbf{v}\\|^2 = \\sum_{j} \\mathbf{v}_j \\]\n"
    _, report = run(tmp_path, capsys, text)
    assert [s["verdict"] for s in report["steps"]] == ["verified", "refuted"]


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (r"\left. \frac{d}{d\sigma} (\sigma^3) \right|_{\sigma=1} = 3", "verified"),
        (r"\left. \frac{d}{d\sigma} (\sigma^3) \right|_{\sigma=1} = 1", "refuted"),
        (r"\left. x^2 + y \right|_{x=2} = 4 + y", "verified"),
    ],
)
def test_evaluation_at_a_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], claim: str, expected: str
) -> None:
    """\\left. f \\right|_{x=a} is f at x = a (a derivative is taken before substituting)."""
    _, report = run(tmp_path, capsys, f"\\[ {claim} \\]\n")
    assert report["steps"][0]["verdict"] == expected


def test_evaluation_without_a_point_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """\\left. f \\right| with no point below is an error naming the construct."""
    _, report = run(tmp_path, capsys, "\\[ u = 1 \\]\n\\[ w = \\left. x^2 \\right| \\]\n")
    assert "right|_{x=a}" in report["errors"][0]["message"]


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (r"\int_0^1 x^2 \, dx = \frac{1}{3}", "verified"),
        (r"\int_0^1 x^2 \, dx = \frac{1}{2}", "refuted"),
        (r"\int_{0}^{\infty} \lambda e^{-\lambda y} \, dy = 1", "verified"),
    ],
)
def test_definite_integrals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], claim: str, expected: str
) -> None:
    """A definite integral SymPy can do is read as its value (λ > 0 for the exponential)."""
    _, report = run(tmp_path, capsys, f"% calcproof: positive \\lambda\n\\[ {claim} \\]\n")
    assert report["steps"][0]["verdict"] == expected


def test_indefinite_integral_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """∫ x dx without limits is refused by name."""
    _, report = run(tmp_path, capsys, "\\[ u = 1 \\]\n\\[ w = \\int x \\, dx \\]\n")
    assert "definite integrals" in report["errors"][0]["message"]


def test_the_imaginary_unit_is_a_declaration(tmp_path, capsys) -> None:
    """`imaginary i` reads i as the imaginary unit (e^{iπ} = −1 verified, = 1 refuted);
    without it i is a real letter and the report warns and names the declaration."""
    import json

    from calcproof.cli import main

    doc = tmp_path / "euler.tex"
    doc.write_text("% calcproof: imaginary i\n\\[ e^{i\\pi} = -1 \\]\n\\[ e^{i\\pi} = 1 \\]\n")
    main(["check", "--json", str(doc)])
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [s["verdict"] for s in report["steps"]] == ["verified", "refuted"]
    plain = tmp_path / "plain.tex"
    plain.write_text("\\[ e^{i\\pi} = -1 \\]\n")
    main(["check", "--json", str(plain)])
    (report,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert report["steps"][0]["verdict"] == "refuted"
    assert "declare `imaginary i`" in report["steps"][0]["message"]
