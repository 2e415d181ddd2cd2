"""The LaTeX adapter: documents split into chains, and sides read to calcproof's objects."""

from __future__ import annotations

import time

import pytest
from sympy import (
    Abs,
    Derivative,
    IndexedBase,
    Limit,
    Max,
    Product,
    Rational,
    Sum,
    Symbol,
    asinh,
    ceiling,
    exp,
    factorial,
    floor,
    log,
    oo,
    pi,
    sqrt,
)

from calcproof.errors import InputError
from calcproof.latex_input.adapter import Failure, read_sides
from calcproof.latex_input.declarations import Declarations, parse_declaration
from calcproof.latex_input.document import read_document
from calcproof.latex_input.objects import ParsedSide
from calcproof.losses import Pr, sig
from calcproof.symbols import I, d, f, i, network, phi, sigma, x, y, z

a, b, c, n = (Symbol(s, real=True) for s in "abcn")
xs = Symbol("x", real=True)
ys = Symbol("y", real=True)
k = Symbol("k", integer=True, positive=True)
f0 = network("f", 0)
f_bold, f0_bold = network("f_bold", 1), network("f_bold", 0)
x_bold = IndexedBase("x_bold", real=True)
xs_bold = Symbol("x_bold", real=True)


def read(latex: str, decls: Declarations | None = None) -> ParsedSide:
    (side,) = read_sides([latex], decls or Declarations(), seconds=None)
    assert isinstance(side, ParsedSide), side
    return side


EXPRESSIONS = [
    (r"\operatorname{sig}[z]", sig(z)),
    (r"\mathrm{sig}[z]", sig(z)),
    (r"\exp[-z]", exp(-z)),
    (r"\log\left[\exp[z]\right]", z),
    (r"\log(a)", log(a)),
    (r"\ln a", log(a)),
    (r"e^{z}", exp(z)),
    (r"\pi", pi),
    (r"f[x_i, \phi]", f0(x[i], phi)),
    (r"\mathbf{f}_d[\mathbf{x}_i, \boldsymbol{\phi}]", f_bold(d, x_bold[i], phi)),
    (r"f_2[x_i,\phi]", f(2, x[i], phi)),
    (r"\mathbf{f}[\mathbf{x}, \boldsymbol\phi]", f0_bold(xs_bold, phi)),
    (r"\mathbf{x} + x", xs_bold + xs),
    (r"\vec{v}", Symbol("v_bold", real=True)),
    (r"y_{id}", y[i, d]),
    (r"y_{i,d}", y[i, d]),
    (r"\sum_{d=1}^{10} (y_d - f_d)^2",
     Sum((y[d] - IndexedBase("f", real=True)[d]) ** 2, (d, 1, 10))),
    (r"\prod_{i=1}^{I} z_i", Product(IndexedBase("z", real=True)[i], (i, 1, I))),
    (r"\sum_{k=1}^{n} k", Sum(k, (k, 1, Symbol("n", integer=True, positive=True)))),
    (r"|a|", Abs(a)),
    (r"\left|a\right|", Abs(a)),
    (r"n!", factorial(Symbol("n", integer=True, nonnegative=True))),  # a count
    (r"\sqrt{2\pi\sigma^2}", sqrt(2 * pi * sigma**2)),
    (r"\hat{\phi}", Symbol("phi_hat", real=True)),
    (r"\frac{d}{dz} z^2", Derivative(z**2, z)),
    (r"\frac{\partial}{\partial z} z^2", Derivative(z**2, z)),
    (r"\Pr(y \mid x, \phi)", Pr(ys, xs, phi)),
    (r"Pr(y|f[x, \boldsymbol{\phi}], \sigma^2)", Pr(ys, f0(xs, phi), sigma**2)),
    (r"\lim_{z\to -\infty} z", Limit(z, z, -oo, "+")),
    (r"\sigma(z)", sig(z)),
    (r"\sigma^2", sigma**2),
    (r"x^23", 3 * xs**2),
    (r"\frac13", Rational(1, 3)),
    (r"2 3", 6),
    (r"2x2y", 4 * xs * ys),
    (r"a(b + c)", a * (b + c)),
    (r"\left(a+b\right)", a + b),
    (r"\left[a+b\right] c", (a + b) * c),
    (r"\boldsymbol{\phi} \cdot 2", 2 * phi),
]  # fmt: skip


@pytest.mark.parametrize(("latex", "expected"), EXPRESSIONS)
def test_reads_the_intended_expression(latex: str, expected: object) -> None:
    """Each construct the book or a solution key writes is read to the intended object."""
    side = read(latex)
    assert side.kind == "expr"
    assert side.expr == expected


OPTIMA = [
    r"\underset{\phi}{\operatorname{argmin}} \left[ (y - \phi)^2 \right]",
    r"\operatorname*{arg\,min}_{\phi} \left[ (y - \phi)^2 \right]",
    r"\mathop{\mathrm{argmin}}_\phi \left[ (y - \phi)^2 \right]",
    r"\arg\min_{\boldsymbol\phi} (y - \phi)^2",
    r"\operatorname{argmin} \left[ (y - \phi)^2 \right]",
]


@pytest.mark.parametrize("latex", OPTIMA)
def test_reads_argmin_as_an_objective_over_phi(latex: str) -> None:
    """Every spelling of argmin yields the bracketed objective and the parameter φ."""
    side = read(latex)
    assert (side.kind, side.params, side.expr) == ("argmin", (phi,), (ys - phi) ** 2)


def test_reads_argmax_with_its_sense() -> None:
    """argmax is kept apart from argmin so that the kernel can orient it."""
    side = read(r"\underset{\theta}{\operatorname{argmax}} \left[ -\theta^2 \right]")
    assert side.kind == "argmax"
    assert side.params == (Symbol("theta", real=True),)


def test_declarations_change_readings() -> None:
    """Declarations: 'product \\sigma' gives σ·z, 'positive b', 'functions u' makes u applied."""
    decls = parse_declaration(Declarations(), r"product \sigma; positive b; functions u", "t")
    assert read(r"\sigma(z)", decls).expr == sigma * z
    assert read("b", decls).expr == Symbol("b", positive=True)
    assert read("u(a)", decls).expr == network("u", 0)(a)
    assert read("u(a)").expr == Symbol("u", real=True) * a


def test_sum_scope_reading_is_reported() -> None:
    """A Σ followed by a top-level minus takes the standard reading and says so."""
    side = read(r"\sum_{i=1}^{I} y_i - y_i")
    assert side.expr == Sum(y[i], (i, 1, I)) - y[i]
    assert any("Σ" in note for note in side.notes)


FAILURES = [
    (r"\oint_C a", r"\oint"),
    (r"a \mid b", r"\mid"),
    (r"\frac{d^2}{dz^2} z", "first derivatives"),
    (r"\sum_{i} y_i", "index = start"),
    (r"\sum_{i=1} y_i", "upper limit"),
    (r"\text{hello world} a", "operator 'helloworld'"),
    (r"(a = b)", "relation"),
    (r"\left( a", "unbalanced"),
    (r"a + (b", "unbalanced"),
    (r"\left\langle a \right\rangle", "delimiter"),
    (r"\overline{a}", r"\overline"),
    (r"\hat{ab}", "single letter"),
    ("(" * 45 + "a" + ")" * 45, "nested too deeply"),
    ("a+" * 2100 + "a", "too long"),
    (r"a \operatorname{foo} b", "foo"),
    (r"2.5E2 + a", "scientific notation '2.5E2'"),
    (r"x \cdot \mathbb{R}", r"\mathbb"),
    (r"\lim_{\pi \to 3} a", "a limit must be taken in a variable"),
]


@pytest.mark.parametrize(("latex", "named"), FAILURES)
def test_unsupported_input_is_an_error_naming_the_construct(latex: str, named: str) -> None:
    """Unsupported or malformed input fails with a message naming the construct, never a guess."""
    (side,) = read_sides([latex], Declarations(), seconds=None)
    assert isinstance(side, Failure)
    assert named in side.message


def test_parsing_is_bounded_by_a_time_budget() -> None:
    """An input whose evaluation would not finish is cut off by the budget, not waited for."""
    started = time.perf_counter()
    (side,) = read_sides([r"10^{10^{10^{10}}} + a"], Declarations(), seconds=1.0)
    assert isinstance(side, Failure)
    assert time.perf_counter() - started < 8


def test_index_letters_are_one_symbol_across_a_document() -> None:
    """A letter used as a Σ index on one side and bare on another is the same integer symbol."""
    left, right = read_sides([r"\sum_{k=1}^{n} k", r"\frac{n(n+1)}{2}"], Declarations(), None)
    assert isinstance(left, ParsedSide) and isinstance(right, ParsedSide)
    assert left.expr.free_symbols == right.expr.free_symbols


def steps_of(text: str, path: str = "doc.tex") -> list[tuple[int, int, int, str, str, str]]:
    doc = read_document(path, text)
    return [(s.chain, s.index, s.line, s.relation, s.lhs.text, s.rhs.text) for s in doc.steps]


def test_align_rows_continue_the_chain() -> None:
    """'&=' continues from the previous right-hand side; each step records its own line."""
    text = "\\begin{align}\na &= b \\\\\n  &= c \\label{eq}, \\\\\nd &= e = g.\n\\end{align}\n"
    assert steps_of(text) == [
        (1, 1, 2, "=", "a", "b"),
        (1, 2, 3, "=", "b", "c"),
        (2, 1, 4, "=", "d", "e"),
        (2, 2, 4, "=", "e", "g"),
    ]


def test_row_starting_with_an_operator_extends_the_previous_side() -> None:
    """A row with no relation that starts with + or − is the rest of the previous expression."""
    text = "\\begin{align*}\na &= b \\\\\n  &\\quad + c \\\\\n  &= d\n\\end{align*}\n"
    assert steps_of(text) == [(1, 1, 2, "=", "a", "b + c"), (1, 2, 4, "=", "b + c", "d")]


def test_markdown_blocks_declarations_and_code_fences() -> None:
    """$$ and \\[ \\] blocks are read; HTML-comment declarations apply; fenced code is ignored."""
    text = (
        "<!-- calcproof: positive b -->\n"
        "```\n$$ not = math $$\n```\n"
        "Text $x = 1$ inline.\n"
        "$$\na = b\n$$\n"
        "\\[ c := d \\]\n"
    )
    doc = read_document("notes.md", text)
    assert [(s.line, s.relation, s.lhs.text) for s in doc.steps] == [(7, "=", "a"), (9, ":=", "c")]
    assert doc.declarations.is_positive("b")


def test_tex_comments_are_ignored_and_declare() -> None:
    """LaTeX comments are not read as math, except calcproof: declarations."""
    text = "% calcproof: params \\theta; binary y\n\\[ a = b % = c\n\\]\n"
    doc = read_document("doc.tex", text)
    assert [(s.lhs.text, s.rhs.text) for s in doc.steps] == [("a", "b")]
    assert doc.declarations.params == ("theta",)
    assert doc.declarations.domains == (("y", "binary"),)


def test_aligned_inside_equation_is_read() -> None:
    """An aligned block inside an equation is split into rows like align."""
    text = "\\begin{equation}\\begin{aligned}\na &= b \\\\\n&= c\n\\end{aligned}\\end{equation}\n"
    assert [s[4:] for s in steps_of(text)] == [("a", "b"), ("b", "c")]


MALFORMED = [
    ("\\begin{align}\na &= {b\n\\end{align}\n", "unbalanced braces", "doc.tex:1"),
    ("\\begin{eqnarray}\na &=& b\n\\end{eqnarray}\n", "unknown environment", "doc.tex:1"),
    ("\\[ \\begin{cases} a \\end{cases} = b \\]\n", "unknown environment", "doc.tex:1"),
    ("Just prose.\n", "no derivation found", "doc.tex"),
    ("\\[ a = b\n", "never closed", "doc.tex:1"),
    ("% calcproof: frobnicate a\n\\[ a = b \\]\n", "unknown declaration", "doc.tex:1"),
]


@pytest.mark.parametrize(("text", "message", "location"), MALFORMED)
def test_malformed_documents_are_input_errors(text: str, message: str, location: str) -> None:
    """File-level problems raise InputError with a message and file:line."""
    with pytest.raises(InputError) as caught:
        read_document("doc.tex", text)
    assert message in caught.value.message
    assert caught.value.location == location


def test_unsupported_relation_is_a_line_error() -> None:
    """An unsupported relation is recorded against its line, and other lines are still read."""
    doc = read_document("doc.tex", "\\begin{align}\na &\\leq b \\\\\nc &= d\n\\end{align}\n")
    assert [(e.line, e.message) for e in doc.errors] == [(2, "unsupported relation '\\leq'")]
    assert [(s.lhs.text, s.rhs.text) for s in doc.steps] == [("c", "d")]


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\mleft|a\mright|", Abs(a)),
        (r"\left\vert a \right\vert", Abs(a)),
        (r"\left\lfloor a \right\rfloor", floor(a)),
        (r"\lceil a \rceil", ceiling(a)),
        (r"\operatorname{arcsinh}(a)", asinh(a)),
        (r"\max(a, b)", Max(a, b)),
        (r"\gcd(12, 18, 8)", 2),
    ],
)
def test_standard_spellings_of_known_functions(latex: str, expected: object) -> None:
    """Aliases and named operators that are SymPy functions are read as those functions."""
    assert read(latex).expr == expected


def test_integrals_are_refused() -> None:
    """Integrals (whose differentials the pre-pass cannot place) are refused, not misread."""
    (side,) = read_sides([r"\int x dx"], Declarations(), seconds=None)
    assert isinstance(side, Failure)
    assert r"\int" in side.message


def test_square_brackets_after_a_letter_depend_on_the_notation() -> None:
    """In the book's notation a[b] applies a; in standard notation it is a times b."""
    udl = read(r"a[b]")
    standard = read(r"a[b]", Declarations(notation="standard"))
    assert udl.expr == network("a", 0)(b)
    assert standard.expr == a * b
    assert read(r"f[b]", Declarations(notation="standard")).expr == f0(b)
