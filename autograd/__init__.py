"""Autograd from scratch: build reverse-mode automatic differentiation yourself.

The public API that the lessons use. Layers: ``engine`` at the bottom; ``gradcheck``,
``draw`` and ``nn`` above it; the widgets (``animate``) on top.
"""

from .engine import Value

__all__ = ["Value"]
