"""Plain prose (rule justifications, titles) as LaTeX text mode.

Justifications are written in Unicode (``σ² > 0``, ``z → −∞``, ``λ_i > 0``) or
with inline LaTeX maths (``$\\lambda_i > 0$``, passed through as written);
pdfLaTeX wants ASCII.  Characters map through a table (every Greek letter
included); spelled Greek names (``lambda_i``, as SymPy's ``str`` writes symbols)
are set as the letter (λ_i).  An unknown character is an error that names it,
rather than a TeX failure later.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
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

GREEK_NAMES = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
]
"""The Greek letters by the names SymPy and LaTeX use."""

_LATIN_CAPITALS = MappingProxyType(
    dict(
        zip(
            [
                "alpha",
                "beta",
                "epsilon",
                "zeta",
                "eta",
                "iota",
                "kappa",
                "mu",
                "nu",
                "omicron",
                "rho",
                "tau",
                "chi",
            ],
            "ABEZHIKMNOPTX",
            strict=True,
        )
    )
)
"""Capital Greek letters that look like Latin ones and have no LaTeX command."""


def _greek() -> dict[str, str]:
    """Every Greek letter (U+0391..U+03C9) as LaTeX maths."""
    table = {}
    for code in range(0x0391, 0x03CA):
        char = chr(code)
        name = unicodedata.name(char, "")
        if not name.startswith("GREEK"):
            continue
        word = name.split()[-1].lower().replace("lamda", "lambda")
        if "CAPITAL" in name:
            latin = _LATIN_CAPITALS.get(word)
            table[char] = rf"\mathrm{{{latin}}}" if latin else "\\" + word.capitalize()
        elif word == "sigma" and "FINAL" in name:
            table[char] = r"\varsigma"
        else:
            table[char] = "o" if word == "omicron" else "\\" + word
    table["φ"] = r"\boldsymbol{\phi}"
    table["ϕ"] = r"\phi"
    table["ϑ"] = r"\vartheta"
    table["ϵ"] = r"\epsilon"
    return table


UNICODE = MappingProxyType(
    {
        **_greek(),
        "−": "-",
        "→": r"\to",
        "∞": r"\infty",
        "²": "^{2}",
        "³": "^{3}",
        "≡": r"\equiv",
        "≔": ":=",
        "≤": r"\le",
        "≥": r"\ge",
        "≠": r"\ne",
        "∈": r"\in",
        "·": r"\cdot",
        "×": r"\times",
        "∑": r"\sum",
        "∏": r"\prod",
        "√": r"\surd",
        "∂": r"\partial",
        "∇": r"\nabla",
        "≈": r"\approx",
        "±": r"\pm",
    }
)
"""Characters set in math mode (``\\ensuremath``)."""

TEXT_UNICODE = MappingProxyType({"—": "---", "–": "--", "’": "'", "‘": "`", "“": "``", "”": "''"})

WORDS = MappingProxyType(
    {
        **{name: "\\" + name for name in GREEK_NAMES if name != "omicron"},
        "phi": r"\boldsymbol{\phi}",
        "theta": r"\boldsymbol{\theta}",
        "omicron": "o",
    }
)
"""Symbol names that SymPy's ``str`` leaves spelled out (``depend on phi``, ``lambda_i``)."""

_WORD = re.compile(r"\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")(?:_(\w+))?\b")
_SUBSCRIPT = re.compile(r"\b([A-Za-z])_([A-Za-z0-9]+)\b")
_VARIABLE = re.compile(r"(?<![\\\w])([xyzpL])(?![\w{])")
"""Single-letter variables (``set y = 0``) are set in math italic."""
_GREEK_CHAR = re.compile(r"([\u0391-\u03c9\u03d1\u03d5\u03f5])(?:_(\w+))?")
INLINE_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")


def tex_text(text: str) -> str:
    """``text`` (Unicode prose, inline maths in ``$...$``) as pdfLaTeX text-mode source."""
    out: list[str] = []
    for number, part in enumerate(INLINE_MATH.split(text)):
        if number % 2:
            out.append(f"${part}$")
            continue
        for piece in _split(part):
            out.append(piece if piece.startswith("\\ensuremath") else _escape(piece))
    return "".join(out)


def _word(match: re.Match[str]) -> str:
    first = match.group(1)
    head = WORDS.get(first) or UNICODE.get(first)
    if head is None:  # a character of the Greek block that is not a letter
        raise BuildError(f"no LaTeX spelling for the character {first!r} (U+{ord(first):04X})")
    sub = match.group(2)
    return "\0" + head + (f"_{{{sub}}}" if sub else "") + "\0"


def _split(text: str) -> list[str]:
    """Split out Greek letters, spelled symbol names and ``a_b`` subscripts as math pieces."""
    text = _on_text(text, _GREEK_CHAR, _word)
    text = _on_text(text, _WORD, _word)
    text = _on_text(text, _SUBSCRIPT, lambda m: f"\0{m.group(1)}_{{{m.group(2)}}}\0")
    text = _on_text(text, _VARIABLE, lambda m: f"\0{m.group(1)}\0")
    pieces = text.split("\0")
    return [rf"\ensuremath{{{p}}}" if n % 2 else p for n, p in enumerate(pieces) if p]


def _on_text(text: str, pattern: re.Pattern[str], make: Callable[[re.Match[str]], str]) -> str:
    """Apply ``pattern`` to the text pieces only (maths pieces sit between NUL marks)."""
    pieces = text.split("\0")
    return "\0".join(p if n % 2 else pattern.sub(make, p) for n, p in enumerate(pieces))


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
            raise BuildError(
                f"no LaTeX spelling for the character {char!r} "
                f"(U+{ord(char):04X}) in {text!r}; write it as inline maths, e.g. $\\ldots$"
            )
        else:
            out.append(char)
    return "".join(out)
