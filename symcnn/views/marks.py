"""The marks after a layer's type in every table (text, Markdown, LaTeX, HTML), and what they say."""

from __future__ import annotations

from ..records import LayerDerivation

#: What the marks after a layer's type say.
MARKS = ("* opaque: not derived (the shape PyTorch or ONNX gave at the import size); "
         "= shares an earlier layer's parameters (counted there, once); + runs only in training")


def type_mark(ld: LayerDerivation) -> str:
    """A mark after the type: ``*`` not derived (opaque), ``=`` shared, ``+`` training only."""
    return ("" if ld.derived else " *") + (" =" if ld.shares else "") + (" +" if ld.training else "")


__all__ = ["MARKS", "type_mark"]
