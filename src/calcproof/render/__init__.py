"""Renderers: they format expressions and verdicts and never do mathematics.

- :mod:`~calcproof.render.notation`: the ``udl`` and ``standard`` profiles, as data;
- :mod:`~calcproof.render.latex`: expressions as LaTeX (a SymPy ``LatexPrinter``);
- :mod:`~calcproof.render.chain`: a derivation as an ``align*`` block;
- :mod:`~calcproof.render.document`: a sheet as a LaTeX document;
- :mod:`~calcproof.render.text`, :mod:`~calcproof.render.width`: prose and line widths;
- :mod:`~calcproof.render.terminal`: plain text for ``calcproof show``.
"""
