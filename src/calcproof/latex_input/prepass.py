"""Second pre-pass stage: rewrite a normalised tree into the LaTeX SymPy's parser reads well.

Function applications (``\\op:sig[z]``, ``f_d[x_i, \\phi]``, ``\\exp[-z]``,
``\\log\\left[…\\right]``, ``\\op:Pr(y | …)``) and indexed objects (``y_{id}``)
become placeholder commands (``\\cpfa(…)``, ``\\cpib(i, d)``) that the parser
reads as applications; :class:`Prepared` records what each placeholder means.
Letters are braced (``{d}``) so that the parser never reads ``dx`` as a
differential or ``x(a)`` as a function.  Anything unknown is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calcproof.errors import InputError
from calcproof.latex_input.declarations import Declarations
from calcproof.latex_input.normalise import GREEK, op
from calcproof.latex_input.tokens import Group, Leaf, Node, split_top

NATIVE_FUNCTIONS = frozenset(
    {
        r"\log", r"\ln", r"\exp", r"\sin", r"\cos", r"\tan", r"\sec", r"\csc", r"\cot",
        r"\sinh", r"\cosh", r"\tanh", r"\arcsin", r"\arccos", r"\arctan",
    }
)  # fmt: skip
PASS = frozenset(
    {r"\cdot", r"\times", r"\div", r"\infty", r"\partial", r"\to", r"\rightarrow", r"\binom",
     r"\dbinom", r"\lfloor", r"\rfloor", r"\lceil", r"\rceil", r"\{", r"\}"}
    | set("+-*/,!|.:;^")
)  # fmt: skip
SPACING = frozenset({r"\,", r"\;", r"\!", r"\:", r"\ ", r"\quad", r"\qquad", "&"})
SYMPY_OPERATORS = {
    "arcsinh": "asinh", "arsinh": "asinh", "arccosh": "acosh", "arcosh": "acosh",
    "arctanh": "atanh", "artanh": "atanh", "floor": "floor", "ceil": "ceiling", "gcd": "gcd",
    "lcm": "lcm", "max": "Max", "min": "Min", "sgn": "sign", "sign": "sign",
}  # fmt: skip
"""Operator names (``\\operatorname{…}``, ``\\max``) that are SymPy functions, not unknowns."""
FRACTIONS = frozenset({r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"})
CONDITION = frozenset({"|", r"\mid", ","})


@dataclass(frozen=True)
class Entry:
    """What a placeholder means: ``kind`` is symbol, indexed, sig, Pr, network or function."""

    kind: str
    name: str
    subscripts: int = 0


@dataclass(frozen=True)
class Prepared:
    """Parser-ready LaTeX, its placeholders, the letters used as indices, and readings taken."""

    latex: str
    entries: tuple[Entry, ...]
    indices: frozenset[str]
    notes: tuple[str, ...] = field(default=())


def placeholder_name(prefix: str, number: int) -> str:
    """``cpf`` + a letter code: the parser only accepts letters in command names."""
    code = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        code = chr(ord("a") + rest) + code
    return f"cp{prefix}{code}"


class _Emitter:
    """Collects placeholders while emitting one expression (local to one call, never shared)."""

    def __init__(self, decls: Declarations) -> None:
        self.decls = decls
        self.entries: list[Entry] = []
        self.indices: set[str] = set()
        self.notes: list[str] = []

    def placeholder(self, prefix: str, entry: Entry) -> str:
        if entry in self.entries:
            return "\\" + placeholder_name(prefix, self.entries.index(entry))
        self.entries.append(entry)
        return "\\" + placeholder_name(prefix, len(self.entries) - 1)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def seq(self, nodes: tuple[Node, ...], bare: bool = False) -> str:
        out: list[str] = []
        i = 0
        while i < len(nodes):
            text, i = self.item(nodes, i, bare)
            if text:
                out.append(text)
        return " ".join(out)

    def item(self, nodes: tuple[Node, ...], i: int, bare: bool) -> tuple[str, int]:
        node = nodes[i]
        if isinstance(node, Group):
            return self.group(node), i + 1
        text = node.text
        if text in SPACING:
            return "", i + 1
        if text.startswith("\\op:"):
            return self.operator(text[4:], nodes, i)
        if text in NATIVE_FUNCTIONS:
            return self.native(nodes, i)
        if text in FRACTIONS:
            return self.fraction(nodes, i)
        if text in (r"\sum", r"\prod", r"\lim"):
            return self.big_operator(nodes, i)
        if text == r"\sqrt":
            return self.root(nodes, i)
        if _is_name(text):
            return self.name(nodes, i, bare)
        if text in ("=", "<", ">"):
            if not bare:
                raise InputError(f"relation '{text}' inside one side of a step")
            return text, i + 1
        if text[0].isdigit():
            return "{" + text + "}", i + 1  # braced: the parser's lexer merges "2 3" into 23
        if text in PASS:
            return text, i + 1
        if text == r"\mid":
            raise InputError("\\mid outside Pr(… \\mid …) is not supported")
        raise InputError(f"unsupported construct '{text}'")

    def root(self, nodes: tuple[Node, ...], i: int) -> tuple[str, int]:
        """``\\sqrt[n]{x}`` and ``\\sqrt3`` (a one-token argument) as the parser wants them."""
        head, j = r"\sqrt", i + 1
        if j < len(nodes) and _is(nodes[j], "["):
            head += f"[{self.seq(nodes[j].children)}]"  # type: ignore[union-attr]
            j += 1
        return f"{head}{{{self.seq(_children(nodes, j, head))}}}", j + 1

    def group(self, node: Group) -> str:
        inner = self.seq(node.children)
        if node.kind == "{":
            return "{" + inner + "}"
        if node.kind == "|":
            return "|" + inner + "|"
        if node.kind in ("floor", "ceil"):
            return f"\\l{node.kind} {inner} \\r{node.kind}"
        return "(" + inner + ")"

    def args(self, group: Group, separators: frozenset[str] = frozenset({","})) -> list[str]:
        return [self.seq(part) for part in split_top(group.children, separators)]

    def operator(self, word: str, nodes: tuple[Node, ...], i: int) -> tuple[str, int]:
        if word in ("argmin", "argmax"):
            raise InputError(f"{word} inside an expression (write it at the start of a side)")
        if "\\" + word in NATIVE_FUNCTIONS:
            return self.native((*nodes[:i], Leaf("\\" + word), *nodes[i + 1 :]), i)
        group = nodes[i + 1] if i + 1 < len(nodes) else None
        if not isinstance(group, Group) or group.kind not in "([":
            raise InputError(f"operator '{word}' without a bracketed argument")
        if word in SYMPY_OPERATORS:
            entry = Entry("sympy", SYMPY_OPERATORS[word])
            return f"{self.placeholder('f', entry)}({', '.join(self.args(group))})", i + 2
        if word == "Pr":
            args = self.args(group, CONDITION)
            return f"{self.placeholder('f', Entry('Pr', 'Pr'))}({', '.join(args)})", i + 2
        if word in ("sig", "sigmoid"):
            sig = self.placeholder("f", Entry("sig", "sig"))
            return f"{sig}({self.seq(group.children)})", i + 2
        entry = Entry("function", word)
        return f"{self.placeholder('f', entry)}({', '.join(self.args(group))})", i + 2

    def native(self, nodes: tuple[Node, ...], i: int) -> tuple[str, int]:
        head, j = nodes[i].text, i + 1  # type: ignore[union-attr]
        if head == r"\log" and j < len(nodes) and nodes[j] == Leaf("_"):
            head += "_{" + self.seq(_children(nodes, j + 1, "\\log_")) + "}"
            j += 2
        if j < len(nodes) and isinstance(nodes[j], Group) and nodes[j].kind in "([":  # type: ignore[union-attr]
            return f"{head}({self.seq(nodes[j].children)})", j + 1  # type: ignore[union-attr]
        return head, j

    def fraction(self, nodes: tuple[Node, ...], i: int) -> tuple[str, int]:
        top = _children(nodes, i + 1, "\\frac")
        bottom = _children(nodes, i + 2, "\\frac")
        if top and top[0] in (Leaf("d"), Leaf(r"\partial")) and bottom and bottom[0] == top[0]:
            if len(bottom) != 2 or not isinstance(bottom[1], Leaf) or not _is_name(bottom[1].text):
                raise InputError("only first derivatives d/dz of a single variable are supported")
            d = top[0].text
            derivative = f"\\frac{{{d}}}{{{d} {bottom[1].text}}}"
            rest = self.seq(top[1:])
            return (f"{derivative} ({rest})" if rest else derivative), i + 3
        return f"\\frac{{{self.seq(top)}}}{{{self.seq(bottom)}}}", i + 3

    def big_operator(self, nodes: tuple[Node, ...], i: int) -> tuple[str, int]:
        head = nodes[i].text  # type: ignore[union-attr]
        if i + 2 >= len(nodes) or nodes[i + 1] != Leaf("_"):
            raise InputError(f"{head} without a subscript is not supported")
        below = _children(nodes, i + 2, head)
        if head != r"\lim" and Leaf("=") not in below:
            raise InputError(f"{head} needs 'index = start' below it ({head}_{{i=1}}^{{n}})")
        out, j = f"{head}_{{{self.seq(below, bare=True)}}}", i + 3
        if head != r"\lim":
            if j + 1 >= len(nodes) or nodes[j] != Leaf("^"):
                raise InputError(f"{head} needs an upper limit ({head}_{{i=1}}^{{n}})")
            out += f"^{{{self.seq(_children(nodes, j + 1, head))}}}"
            j += 2
            self.scope_note(nodes[j:])
        return out, j

    def scope_note(self, rest: tuple[Node, ...]) -> None:
        """Say which reading was taken when a Σ/∏ is followed by a top-level + or −."""
        signs = (Leaf("-"), Leaf("+"))
        if rest and rest[0] in (Leaf(r"\sum"), Leaf(r"\prod")):
            return  # the inner Σ/∏ reports it
        if any(n in signs for n in (rest[1:] if rest and rest[0] in signs else rest)):
            self.note(
                "a Σ/∏ binds tighter than + and −: its summand ends at the first + or − "
                "outside brackets (bracket the summand to extend it)"
            )

    def name(self, nodes: tuple[Node, ...], i: int, bare: bool) -> tuple[str, int]:
        text = nodes[i].text  # type: ignore[union-attr]
        base = text[6:] if text.startswith("\\name:") else text.lstrip("\\")
        if base.endswith("_bold") and base[:-5] in self.decls.params:
            base = base[:-5]  # the parameters are φ whatever the typeface (documented)
            self.note(f"read bold {_show(base)} as the parameters {_show(base)}")
        j, subs = i + 1, None
        if j < len(nodes) and nodes[j] == Leaf("_"):
            subs, j = _children(nodes, j + 1, base + "_"), j + 2
        group = nodes[j] if j < len(nodes) else None
        bracketed = isinstance(group, Group) and group.kind in ("(", "[")
        udl_bracket = bracketed and group.kind == "[" and self.decls.notation == "udl"  # type: ignore[union-attr]
        applied = udl_bracket or (bracketed and self.is_function(base))
        if applied and isinstance(group, Group):
            return self.application(base, subs, group), j + 1
        if bracketed and not bare:
            self.note(f"read {_show(base)}(…) as {_show(base)} times (…), not a function")
        if subs is not None:
            return self.subscripted(base, subs), j
        if text.startswith("\\name:") or (base == "x" and not bare):
            # a plain x between two numbers is read as a times sign by SymPy's parser
            return self.placeholder("s", Entry("symbol", base)), j
        name = text if base in GREEK else base
        return (name if bare else "{" + name + "}"), j

    def is_function(self, base: str) -> bool:
        base = base.removesuffix("_bold")
        if base == "sigma":
            return "sigma" not in self.decls.products
        return base in self.decls.functions and base not in self.decls.products

    def application(self, base: str, subs: tuple[Node, ...] | None, group: Group) -> str:
        args = self.args(group)
        if base == "sigma" and subs is None:
            self.note("read \\sigma(…) as the logistic sigmoid ('product \\sigma' reads σ·(…))")
            return f"{self.placeholder('f', Entry('sig', 'sig'))}({', '.join(args)})"
        sub_args = self.sub_args(subs) if subs is not None else []
        entry = Entry("network", base, len(sub_args))
        return f"{self.placeholder('f', entry)}({', '.join(sub_args + args)})"

    def subscripted(self, base: str, subs: tuple[Node, ...]) -> str:
        """``y_{id}``, ``y_{i,j,k}`` are indexed; ``x_{\\text{max}}``, ``x_{good}`` are names."""
        if len(subs) == 1 and isinstance(subs[0], Leaf) and subs[0].text.startswith("\\op:"):
            return self.placeholder("s", Entry("symbol", f"{base}_{subs[0].text[4:]}"))
        word = "".join(n.text for n in subs if isinstance(n, Leaf))
        if len(subs) >= 3 and len(word) == len(subs) and all(_is_letter(n.text) for n in subs):  # type: ignore[union-attr]
            return self.placeholder("s", Entry("symbol", f"{base}_{word}"))
        return f"{self.placeholder('i', Entry('indexed', base))}({', '.join(self.sub_args(subs))})"

    def sub_args(self, subs: tuple[Node, ...]) -> list[str]:
        parts = split_top(subs, frozenset({","}))
        if len(parts) == 1 and all(_is_index(n) for n in subs):
            parts = [(n,) for n in subs]
        for part in parts:
            self.indices.update(n.text for n in part if isinstance(n, Leaf) and _is_letter(n.text))
        return [self.seq(part) for part in parts]


def _is(node: Node, kind: str) -> bool:
    return isinstance(node, Group) and node.kind == kind


def _is_letter(text: str) -> bool:
    return len(text) == 1 and text.isascii() and text.isalpha()


def _is_index(node: Node) -> bool:
    return isinstance(node, Leaf) and (_is_letter(node.text) or node.text.isdigit())


def _is_name(text: str) -> bool:
    return _is_letter(text) or text.startswith("\\name:") or text.lstrip("\\") in GREEK


def _show(base: str) -> str:
    return "\\" + base if base in GREEK else base


def _children(nodes: tuple[Node, ...], i: int, what: str) -> tuple[Node, ...]:
    if i >= len(nodes):
        raise InputError(f"{what} without an argument")
    node = nodes[i]
    return node.children if isinstance(node, Group) and node.kind == "{" else (node,)


def prepare(nodes: tuple[Node, ...], decls: Declarations) -> Prepared:
    """Rewrite a normalised expression for the parser, recording its placeholders."""
    emitter = _Emitter(decls)
    latex = emitter.seq(nodes)
    if not latex:
        raise InputError("empty expression")
    return Prepared(latex, tuple(emitter.entries), frozenset(emitter.indices), tuple(emitter.notes))


def is_optimum_head(node: Node) -> bool:
    return node in (op("argmin"), op("argmax"))
