"""The plain-text table of a derivation: what ``symcnn summary`` prints and what ``str`` of a
:class:`~symcnn.records.NetworkDerivation` is (the records call down to it; the views use it
for the terminal and lay out the same marks in Markdown, LaTeX and HTML).

It reads the records it is given and computes nothing of its own; it imports no record
(a record imports it to print itself).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from .printing import thousands

#: What the marks after a layer's type say.
MARKS = ("* opaque: not derived (the shape PyTorch or ONNX gave at the import size); "
         "= shares an earlier layer's parameters (counted there, once); + runs only in training")


def type_mark(ld: Any) -> str:
    """A mark after the type: ``*`` not derived (opaque), ``=`` shared, ``+`` training only."""
    return ("" if ld.derived else " *") + (" =" if ld.shares else "") + (" +" if ld.training else "")


def columns(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = (),
            rule: bool = True) -> list[str]:
    """Rows padded into columns two spaces apart (``right[i]``: column i aligned right), by the
    columns a terminal gives each character (합성곱, 畳み込み: two each)."""
    align = [*right, *([False] * len(header))]
    table = [header, *rows]
    padded, widths = [], []
    for i in range(len(header)):
        cells, width = _padded([r[i] for r in table], align[i])
        padded.append(cells)
        widths.append(width)
    lines = ["  ".join(cells).rstrip() for cells in zip(*padded)]
    if rule:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _padded(column: list[str], right: bool) -> tuple[list[str], int]:
    """A column's cells padded to its width, and the width: a column of ASCII text (a deep
    network's 10,000 rows, most often) by ``str.ljust``, any other by :func:`shown_width`."""
    if all(map(str.isascii, column)):
        width = max(map(len, column))
        return [c.rjust(width) for c in column] if right else [c.ljust(width) for c in column], width
    shown = [shown_width(c) for c in column]
    width = max(shown)
    return [" " * (width - n) + c if right else c + " " * (width - n) for c, n in zip(column, shown)], width


def shown_width(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide (East Asian) character, none for
    a combining mark or a format character (a zero-width space), one for any other."""
    if text.isascii():
        return len(text)
    others = _NOT_ASCII.findall(text)  # the ASCII ones take one column each
    return len(text) - len(others) + sum(2 if unicodedata.east_asian_width(c) in "WF" else
                                         0 if unicodedata.combining(c) or unicodedata.category(c) == "Cf" else 1
                                         for c in others)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def summary_text(d: Any) -> str:
    """``symcnn summary``: every layer's output size and parameters, and the totals, of a
    :class:`~symcnn.records.NetworkDerivation`."""
    header = ("layer", "type", "output (HxWxC)", "weights", "biases", "params")
    rows = [(ld.name, ld.type + type_mark(ld), ld.output.text(), thousands(ld.weights), thousands(ld.biases),
             thousands(ld.params)) for ld in d.layers]
    lines = [f"{d.name}: input {d.input.text()}, rounding {d.rounding}"]
    lines += columns(header, rows, right=(False, False, False, True, True, True))
    lines.append("")
    if d.of_type("conv"):
        lines.append(f"conv params   {thousands(d.params_of('conv'))}")
    lines.append(f"total params  {thousands(d.total_params)}")
    notes = [(ld.name, ld.note) for ld in d.layers if ld.note]
    if notes:
        lines += ["", f"{MARKS}:"]
        lines += [f"  {name}: {note}" for name, note in notes]
    lines += network_notes(d.network)
    return "\n".join(lines)


def counted(n: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``1,024 layers``: a count and its noun, plural where it is not one."""
    return f"{thousands(n)} {noun}{'' if n == 1 else 's'}"


#: The longest ``repr`` of any symcnn object.
REPR_CHARS = 300


def short(text: str, limit: int = REPR_CHARS) -> str:
    """A one-line ``repr`` cut to ``limit`` characters (a deep network's closed forms run to
    thousands): ``<...>`` closed with ``...>`` where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 4] + "...>"


def network_notes(network: Any) -> list[str]:
    """``note: ...`` lines for what a reader of the network's numbers must know (Network.notes)."""
    return [f"note: {note}" for note in getattr(network, "notes", ())]


__all__ = ["REPR_CHARS", "short", "counted", "MARKS", "type_mark", "columns", "shown_width", "summary_text",
           "network_notes"]
