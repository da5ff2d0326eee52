r"""Reading a Jupyter notebook (``.ipynb``): the cells a reader reads, placed in the file.

A notebook is JSON (nbformat 4, and 3): a list of cells, each with its ``source`` as one
string or a list of lines. What is read:

* **Markdown cells**, as Markdown (each cell on its own: a fence left open in one cell does
  not run into the next; names and values carry on from cell to cell, as the reader reads);
  nbformat 3's heading cells as headings;
* **raw cells** whose format is LaTeX, Markdown or HTML (``raw_mimetype``), in that syntax.

Never read: code cells (their source is code) and every cell's **outputs**, even the
``text/markdown`` and ``text/latex`` ones a display writes (symcnn's own derivations are
shown that way): an output is what the code computed, not what its author wrote, and
counting it would let a notebook of code pass with nothing of its author's checked. A code
cell's lines with arithmetic (``# 6 - 3 + 1 = 4``) are listed as skipped, in code.

Each line read is placed at its cell (counted from 1 over all cells, as they stand in the
notebook) and its line in that cell, and at its line in the ``.ipynb`` file: Jupyter writes
each source line as a JSON string on a line of its own, and the reader here keeps where
every string starts. A malformed notebook (not JSON, not a notebook's structure, nested
deeper than :data:`MAX_DEPTH`) raises :class:`~symcnn.errors.SpecError` in one line.

>>> nb = '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Sizes\\n", "$3 \\\\times 4 = 13$"]}],'
>>> doc = find_notebook(nb + ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
>>> doc.text, doc.at(2)
('# Sizes\n$3 \\times 4 = 13$', 'cell 1, line 2')
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from typing import Any

from ..errors import SpecError
from .find import Document, Place, combine, find
from .webpage import find_html

#: JSON arrays and objects inside one another past which a notebook is refused (a real
#: notebook nests about 6 deep; its outputs' JSON data a few more).
MAX_DEPTH = 100

#: how a raw cell's format (``raw_mimetype``) is read
_RAW = {"text/latex": "latex", "text/x-latex": "latex", "text/tex": "latex", "text/markdown": "markdown",
        "text/x-markdown": "markdown", "text/html": "html"}


class _At(str):
    """A string of the notebook that knows where it starts in the file (an offset)."""

    __slots__ = ("offset",)
    offset: int


class _TooDeep(Exception):
    pass


def _loads(text: str):
    """The JSON value of ``text``, every string value an :class:`_At`; nesting bounded.

    The standard library's pure-Python scanner, with its string, object and array readers
    wrapped (the C scanner calls none of them)."""
    decoder: Any = json.JSONDecoder()
    reader: Any = json.decoder
    scanner: Any = json.scanner
    depth = [0]

    def parse_string(s: str, end: int, strict: bool):
        value, after = reader.scanstring(s, end, strict)
        at = _At(value)
        at.offset = end - 1
        return at, after

    def nested(parse):
        def inner(*args, **kwargs):
            depth[0] += 1
            try:
                if depth[0] > MAX_DEPTH:
                    raise _TooDeep
                return parse(*args, **kwargs)
            finally:
                depth[0] -= 1
        return inner

    decoder.parse_string = parse_string
    decoder.parse_object = nested(reader.JSONObject)
    decoder.parse_array = nested(decoder.parse_array)
    decoder.scan_once = scanner.py_make_scanner(decoder)
    return decoder.decode(text)


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    for kind, name in ((dict, "an object"), (list, "a list"), (str, "a string"), (type(None), "null")):
        if isinstance(value, kind):
            return name
    return "a number"


def _notebook_json(text: str) -> dict:
    """The notebook's JSON object, or one line on why the text is none."""
    try:
        data = _loads(text.lstrip("\ufeff"))
    except _TooDeep:
        raise SpecError(f"not a notebook: JSON nested more than {MAX_DEPTH} deep", rule="notebook") from None
    except json.JSONDecodeError as e:
        raise SpecError(f"not a notebook: not JSON ({e.msg} at line {e.lineno}, column {e.colno})",
                        rule="notebook") from None
    except (ValueError, RecursionError) as e:  # a number of more than 4,300 digits
        raise SpecError(f"not a notebook: unreadable JSON ({str(e).splitlines()[0][:80]})", rule="notebook") from None
    if not isinstance(data, dict):
        raise SpecError(f"not a notebook: the JSON is {_kind(data)}, not an object with cells", rule="notebook")
    return data


def _all_cells(data: dict) -> list:
    """Every cell of the notebook, in order: nbformat 4's ``cells``, or nbformat 3's worksheets' cells."""
    version = data.get("nbformat", 4)
    if not isinstance(version, int) or isinstance(version, bool):
        raise SpecError(f"not a notebook: nbformat is {_kind(version)}, not a number", rule="notebook")
    if version < 3:
        raise SpecError(f"nbformat {version} is not read (3 and 4 are): save it again with a newer Jupyter",
                        rule="notebook")
    if "cells" in data or version >= 4:
        cells = data.get("cells")
        if not isinstance(cells, list):
            what = "missing" if cells is None else _kind(cells)
            raise SpecError(f"not a notebook: cells is {what}, not a list", rule="notebook")
        return cells
    worksheets = data.get("worksheets")
    if not isinstance(worksheets, list) or not all(isinstance(w, dict) for w in worksheets):
        raise SpecError("not a notebook: nbformat 3 needs worksheets, a list of objects with cells",
                        rule="notebook")
    cells = []
    for w in worksheets:
        if not isinstance(w.get("cells", []), list):
            raise SpecError(f"not a notebook: a worksheet's cells is {_kind(w.get('cells'))}, not a list",
                            rule="notebook")
        cells += w.get("cells", [])
    return cells


def _cell_syntax(cell, number: int) -> tuple[str, str]:
    """A cell's type and the syntax it is read in: ``code`` (never read, only listed), or ""
    (a raw cell of another format: not read)."""
    if not isinstance(cell, dict):
        raise SpecError(f"cell {number} is {_kind(cell)}, not an object", rule="notebook")
    kind = cell.get("cell_type")
    if not isinstance(kind, str):
        raise SpecError(f"cell {number}: cell_type is {_kind(kind) if kind is not None else 'missing'}",
                        rule="notebook")
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        raise SpecError(f"cell {number}: metadata is {_kind(metadata)}, not an object", rule="notebook")
    if kind in ("markdown", "heading"):  # heading: nbformat 3
        return kind, "markdown"
    if kind == "raw":
        mime = metadata.get("raw_mimetype") or metadata.get("format") or ""
        return kind, _RAW.get(mime.lower(), "") if isinstance(mime, str) else ""
    return kind, "code"  # its "source" (or "input" in nbformat 3) is never read, only listed


def _pieces(cell: dict, number: int, syntax: str) -> list[str]:
    """A cell's source as the strings the notebook holds (one, or one per line)."""
    source = cell.get("source", cell.get("input", "")) if syntax == "code" else cell.get("source", "")
    if isinstance(source, str):
        return [source]
    if isinstance(source, list) and all(isinstance(p, str) for p in source):
        return source
    bad = _kind(source) if not isinstance(source, list) else "a list holding " + next(
        _kind(p) for p in source if not isinstance(p, str))
    raise SpecError(f"cell {number}: source is {bad}, not text or a list of lines", rule="notebook")


def _places(pieces: list[str], starts: list[int], number: int) -> list[Place]:
    """Where each line of a cell is: the cell, the line in it, and the line of the file its string starts on."""
    places: list[Place] = []
    line_in_cell = 1
    for piece in pieces:
        offset = piece.offset if isinstance(piece, _At) else 0
        file_line = bisect.bisect_right(starts, offset)
        # a piece holding several lines (one string for the whole cell) is on one line of the file
        for _ in range(piece.count("\n") + (0 if piece.endswith("\n") else 1)):
            places.append(Place(file_line, number, line_in_cell))
            line_in_cell += 1
        if not piece.endswith("\n") and piece is not pieces[-1]:
            line_in_cell -= 1  # the next piece goes on with this line
            places.pop()
    return places


def _heading(cell: dict, body: str, places: list[Place]) -> tuple[str, list[Place]]:
    """An nbformat 3 heading cell as a Markdown heading, on one line."""
    level = cell.get("level", 1)
    level = level if isinstance(level, int) and 1 <= level <= 6 else 1
    return "#" * level + " " + body.replace("\n", " "), places[:1]


def read(text: str) -> tuple[list[tuple[int, str, str, list[Place]]], int]:
    """The cells to read: (cell number, syntax, text, place of each of its lines), and the
    number of cells in all."""
    cells = _all_cells(_notebook_json(text))
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    read_cells = []
    for number, cell in enumerate(cells, 1):
        kind, syntax = _cell_syntax(cell, number)
        pieces = _pieces(cell, number, syntax)
        if not syntax:
            continue
        places = _places(pieces, starts, number)
        if not places:
            continue
        body = "".join(pieces)
        if kind == "heading":
            body, places = _heading(cell, body, places)
        read_cells.append((number, syntax, body, places))
    return read_cells, len(cells)


def _part(syntax: str, body: str) -> Document:
    """A cell as a document; a code cell's text is all masked: its lines of arithmetic are
    listed as in code, not read."""
    if syntax == "html":
        return find_html(body)
    if syntax == "code":
        return Document(body, re.sub(r"[^\n]", " ", body), "markdown", [])
    return find(body, syntax)


def find_notebook(text: str) -> Document:
    """The notebook's Markdown (and raw LaTeX, Markdown and HTML) cells as one document,
    each line placed at its cell and line (see the module's description)."""
    cells, _ = read(text)
    parts = [(_part(syntax, body), places) for _, syntax, body, places in cells]
    return combine(parts, "notebook")


__all__ = ["find_notebook", "read", "MAX_DEPTH"]
