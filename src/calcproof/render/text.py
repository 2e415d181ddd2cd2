"""Plain prose (rule justifications, titles) as LaTeX text mode.

Justifications are written in Unicode (``σ² > 0``, ``z → −∞``); pdfLaTeX wants
ASCII.  Characters map through a table; an unknown character is an error that
names it, rather than a TeX failure later.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from calcproof.errors import BuildError

SPECIAL = MappingProxyType(
    {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "<": r"\ensuremath{<}",
        ">": r"\ensuremath{>}",
        "|": r"\ensuremath{|}",
    }
)

UNICODE = MappingProxyType(
    {
        "−": "-",
        "→": r"\to",
        "∞": r"\infty",
        "φ": r"\boldsymbol{\phi}",
        "σ": r"\sigma",
        "μ": r"\mu",
        "κ": r"\kappa",
        "λ": r"\lambda",
        "π": r"\pi",
        "²": "^{2}",
        "Σ": r"\Sigma",
        "Π": r"\Pi",
        "≡": r"\equiv",
        "≔": ":=",
        "≤": r"\le",
        "≥": r"\ge",
        "≠": r"\ne",
        "∈": r"\in",
        "·": r"\cdot",
        "×": r"\times",
    }
)
"""Characters set in math mode (``\\ensuremath``)."""

TEXT_UNICODE = MappingProxyType({"—": "---", "–": "--", "’": "'", "‘": "`", "“": "``", "”": "''"})

WORDS = MappingProxyType({"phi": r"\boldsymbol{\phi}", "sigma": r"\sigma"})
"""Symbol names that SymPy's ``str`` leaves spelled out (``depend on phi``)."""

_WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b")
_SUBSCRIPT = re.compile(r"\b([A-Za-z])_([A-Za-z0-9]+)\b")
_VARIABLE = re.compile(r"(?<![\\\w])([xyzpL])(?![\w{])")
"""Single-letter variables (``set y = 0``) are set in math italic."""


def tex_text(text: str) -> str:
    """``text`` (Unicode prose) as pdfLaTeX text-mode source."""
    out: list[str] = []
    for piece in _split(text):
        out.append(piece if piece.startswith("\\ensuremath") else _escape(piece))
    return "".join(out)


def _split(text: str) -> list[str]:
    """Split out spelled symbol names and ``a_b`` subscripts as math pieces."""
    text = _WORD.sub(lambda m: "\0" + WORDS[m.group(1)] + "\0", text)
    text = _SUBSCRIPT.sub(lambda m: f"\0{m.group(1)}_{{{m.group(2)}}}\0", text)
    pieces = text.split("\0")
    text = "\0".join(p if n % 2 else _VARIABLE.sub("\0\\1\0", p) for n, p in enumerate(pieces))
    pieces = text.split("\0")
    return [rf"\ensuremath{{{p}}}" if n % 2 else p for n, p in enumerate(pieces) if p]


def _escape(text: str) -> str:
    out = []
    for char in text:
        if char in SPECIAL:
            out.append(SPECIAL[char])
        elif char in UNICODE:
            out.append(rf"\ensuremath{{{UNICODE[char]}}}")
        elif char in TEXT_UNICODE:
            out.append(TEXT_UNICODE[char])
        elif char == "_":
            out.append(r"\_")
        elif ord(char) > 127:
            raise BuildError(f"no LaTeX spelling for the character {char!r} in {text!r}")
        else:
            out.append(char)
    return "".join(out)
