"""One module per command; each defines ``configure(name, parser)`` that sets ``run``."""
