"""How PyTorch's losses relate to the likelihoods (constants dropped), verified by the kernel."""

from calcproof.conventions import DERIVATIONS

__all__ = ["DERIVATIONS"]
