"""First pre-pass stage: remove styling and name the operators of the book's notation.

``\\mathbf{x}`` -> the name ``x_bold`` (a vector is not the scalar x; the
parameters ``\\boldsymbol\\phi`` are identified with ``\\phi`` later, see
:mod:`.prepass`); ``\\operatorname{sig}``, ``\\mathrm{sig}``, ``\\text{sig}`` -> the
operator token ``\\op:sig``;
``\\underset{\\phi}{\\operatorname{argmin}}``, ``\\operatorname*{arg\\,min}_\\phi``,
``\\mathop{\\mathrm{argmin}}_\\phi``, ``\\arg\\min_\\phi`` -> ``\\op:argmin _ {\\phi}``;
``\\Pr`` and ``Pr(`` -> ``\\op:Pr``; ``\\hat{\\phi}`` -> the name token ``\\name:phi_hat``.
"""

from __future__ import annotations

from calcproof.errors import InputError
from calcproof.latex_input.tokens import Group, Leaf, Node, letters

STYLES = frozenset(
    {
        r"\mathbf", r"\boldsymbol", r"\bm", r"\mathit", r"\mathsf", r"\vec", r"\mathrm",
        r"\text", r"\textrm", r"\mathnormal", r"\operatorname", r"\operatorname*", r"\mathop",
        r"\textit", r"\textbf",
    }
)  # fmt: skip
OPERATOR_STYLES = frozenset({r"\operatorname", r"\operatorname*", r"\mathop"})
ACCENTS = {r"\hat": "hat", r"\widehat": "hat", r"\tilde": "tilde", r"\widetilde": "tilde",
           r"\bar": "bar"}  # fmt: skip
MACROS = {
    r"\argmin": "argmin", r"\argmax": "argmax", r"\Pr": "Pr", r"\sig": "sig", r"\max": "max",
    r"\min": "min", r"\gcd": "gcd", r"\lcm": "lcm", r"\floor": "floor", r"\ceil": "ceil",
    r"\sgn": "sgn",
}  # fmt: skip
GREEK = frozenset(
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
        "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
        "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
        "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    }
)  # fmt: skip


def op(name: str) -> Leaf:
    return Leaf(f"\\op:{name}")


def normalise(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """Apply the stage to a node sequence (recursively into groups)."""
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if isinstance(node, Group):
            out.append(Group(node.kind, normalise(node.children)))
            i += 1
            continue
        produced, i = _leaf(nodes, i)
        out.extend(produced)
    return _pr(tuple(out))


def _argument(nodes: tuple[Node, ...], i: int, command: str) -> tuple[Node, ...]:
    if i >= len(nodes):
        raise InputError(f"{command} without an argument")
    arg = nodes[i]
    if isinstance(arg, Group) and arg.kind == "{":
        return normalise(arg.children)
    return normalise((arg,))


def _leaf(nodes: tuple[Node, ...], i: int) -> tuple[list[Node], int]:
    text = nodes[i].text  # type: ignore[union-attr]
    if text in STYLES:
        return _style(text, _argument(nodes, i + 1, text)), i + 2
    if text in ACCENTS:
        base = _base_name(_argument(nodes, i + 1, text), text)
        return [Leaf(f"\\name:{base}_{ACCENTS[text]}")], i + 2
    if text == r"\underset":
        below = _argument(nodes, i + 1, text)
        above = _argument(nodes, i + 2, text)
        if len(above) != 1 or above[0] not in (op("argmin"), op("argmax")):
            raise InputError("\\underset is supported only for argmin and argmax")
        return [above[0], Leaf("_"), Group("{", below)], i + 3
    if text == r"\arg" and i + 1 < len(nodes) and nodes[i + 1] in (Leaf(r"\min"), Leaf(r"\max")):
        return [op("arg" + nodes[i + 1].text[1:])], i + 2  # type: ignore[union-attr]
    if text in MACROS:
        return [op(MACROS[text])], i + 1
    if text == r"\boxed":
        return list(_argument(nodes, i + 1, text)), i + 2
    if text in (r"\limits", r"\nolimits", r"\displaystyle", r"\textstyle"):
        return [], i + 1
    return [nodes[i]], i + 1


BOLD = frozenset({r"\mathbf", r"\boldsymbol", r"\bm", r"\vec", r"\textbf", r"\pmb"})
"""Typefaces that make a letter a different object (a vector **x** is not the scalar x)."""


def _style(command: str, inner: tuple[Node, ...]) -> list[Node]:
    if command in BOLD and len(inner) == 1 and isinstance(inner[0], Leaf):
        letter = inner[0].text
        if len(letter) == 1 and letter.isascii() and letter.isalpha():
            return [Leaf(f"\\name:{letter}_bold")]
        if letter.startswith("\\") and letter[1:] in GREEK:
            return [Leaf(f"\\name:{letter[1:]}_bold")]
    word = letters(inner)
    if word and (len(word) > 1 or command in OPERATOR_STYLES):
        return [op(word)]
    if command == r"\mathop" and len(inner) == 1:
        return list(inner)
    if command in (r"\text", r"\textrm", r"\textit", r"\textbf") and word is None:
        raise InputError("text inside math (\\text{…}) is not supported")
    return list(inner)


def _base_name(inner: tuple[Node, ...], command: str) -> str:
    if len(inner) == 1 and isinstance(inner[0], Leaf):
        text = inner[0].text
        if len(text) == 1 and text.isalpha():
            return text
        if text.startswith("\\") and text[1:] in GREEK:
            return text[1:]
        if text.startswith("\\name:") and text.endswith("_bold"):
            return text[6:]
    raise InputError(f"{command}{{…}} is supported only on a single letter")


def _pr(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """``P r (`` written without a backslash is the probability ``Pr(``."""
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        if (
            nodes[i] == Leaf("P")
            and i + 2 < len(nodes)
            and nodes[i + 1] == Leaf("r")
            and isinstance(nodes[i + 2], Group)
            and nodes[i + 2].kind == "("  # type: ignore[union-attr]
        ):
            out.append(op("Pr"))
            i += 2
            continue
        out.append(nodes[i])
        i += 1
    return tuple(out)
