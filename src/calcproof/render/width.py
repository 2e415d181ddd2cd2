"""A rough width estimate of LaTeX maths, in "characters", for breaking long lines.

Good enough to decide whether a line of a derivation fits the text width: a
fraction is as wide as its wider part, scripts count two thirds, font and
sizing commands count nothing, an operator name counts its letters.
"""

from __future__ import annotations

import re

LINE_LIMIT = 64.0
"""Width (in estimated characters) above which a derivation line is broken."""

_INVISIBLE = re.compile(
    r"\\(left|right|mathbf|boldsymbol|mathrm|operatorname\*?|displaystyle|big+[lr]?|Big+[lr]?)"
    r"(?![A-Za-z])\.?"
)
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_WIDE = {"sum": 2.0, "prod": 2.0, "quad": 2.0, "qquad": 4.0, "underset": 0.0, "sqrt": 1.0}


def _group(tex: str, start: int) -> tuple[str, int]:
    """The brace group starting at ``tex[start] == '{'`` and the index after it."""
    depth = 0
    for index in range(start, len(tex)):
        if tex[index] == "{":
            depth += 1
        elif tex[index] == "}":
            depth -= 1
            if depth == 0:
                return tex[start + 1 : index], index + 1
    return tex[start + 1 :], len(tex)


def estimate(tex: str) -> float:
    """The approximate printed width of ``tex`` (maths) in characters."""
    tex = _INVISIBLE.sub("", tex)
    width, index = 0.0, 0
    while index < len(tex):
        char = tex[index]
        if tex.startswith(r"\frac", index) and tex[index + 5 : index + 6] == "{":
            numerator, after = _group(tex, index + 5)
            denominator, index = _group(tex, after)
            width += max(estimate(numerator), estimate(denominator)) + 0.5
            continue
        if char in "_^" and tex[index + 1 : index + 2] == "{":
            script, index = _group(tex, index + 1)
            width += estimate(script) * 2 / 3
            continue
        if char == "\\":
            match = _COMMAND.match(tex, index)
            name = match.group(1) if match else ""
            width += _WIDE.get(name, 1.0 if name else 0.5)
            index += len(name) + 1
            continue
        width += 0.0 if char in "{} " else 1.0
        index += 1
    return width
