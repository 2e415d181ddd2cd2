"""Reading hand-written derivations: LaTeX and Markdown documents -> kernel steps.

Modules, one per concern: :mod:`.document` (finding display math, splitting it
into chains), :mod:`.declarations` (``calcproof:`` comments), :mod:`.tokens`,
:mod:`.normalise` and :mod:`.prepass` (the pre-pass), :mod:`.adapter` (the only
importer of SymPy's LaTeX parser, run under a time budget), :mod:`.objects`
(the post-pass onto calcproof's symbols), :mod:`.steps` (relations and
definitions) and :mod:`.checking` (a whole file through the kernel).  Importing
this package does not import the parser.
"""
