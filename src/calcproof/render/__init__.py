"""Renderers: they format expressions and verdicts and never do mathematics."""
