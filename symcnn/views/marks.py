"""The marks after a layer's type in every table (text, Markdown, LaTeX, HTML), and what they
say: defined with the plain-text table (:mod:`symcnn.table`), which a derivation prints as."""

from __future__ import annotations

from ..table import MARKS, type_mark

__all__ = ["MARKS", "type_mark"]
