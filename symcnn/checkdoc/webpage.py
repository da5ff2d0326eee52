r"""Reading an HTML page (``.html``, ``.htm``): the text its reader sees, placed in the file.

The page is parsed with the standard library's :mod:`html.parser` and written out as the
Markdown the rest of check-doc reads (its math, prose and tables), every line of it placed
at the line of the page it comes from, so a finding names the page's own line:

* **text** as a reader sees it: entities decoded (``&times;`` ×, ``&#8722;`` −, ``&nbsp;``),
  a block element (``<p>``, ``<div>``, ``<li>``, ``<h2>``, ...) on lines of its own,
  headings and list items as Markdown writes them, ``11<sup>2</sup>`` as ``11²`` and
  ``C<sub>in</sub>`` as ``C_in``; a footnote mark (a ``<sup>`` holding a link) is left out;
* **math** where the page keeps its TeX: MathJax's delimiters in the text (``\(...\)``,
  ``\[...\]``, ``$$...$$`` and ``$...$`` by the Markdown rules), ``<script
  type="math/tex">`` (``; mode=display``: display math), and math already rendered by KaTeX
  or MathJax as MathML with an ``<annotation encoding="application/x-tex">``: the TeX is
  read, the rendered copy (``katex-html``, MathJax's spans) is not, so nothing is read
  twice. MathML without its TeX, and MathJax 3's rendered ``<mjx-container>``, are counted
  as skipped;
* **tables** (``<table>``) as Markdown tables, their first row the header when it is made of
  ``<th>`` (else an empty header is put above), so a table's totals, its weights + biases
  and, with ``--network``, its rows about layers are read as in Markdown.

Never read: ``<script>`` (other than math), ``<style>``, ``<pre>``, ``<code>``, ``<kbd>``,
``<samp>``, ``<tt>``, ``<template>``, ``<textarea>``, ``<noscript>``, ``<svg>``,
``<head>``, comments, elements that are ``hidden`` or ``aria-hidden``, and what nbconvert
exports of a notebook's code cells and outputs (``jp-InputArea-editor``, ``jp-OutputArea``,
and the classic template's ``input_area``, ``output_wrapper``): code and what it computed,
as in a notebook; its Markdown cells are read.

>>> doc = find_html('<p>Weights:\n11<sup>2</sup> &times; 3 &times; 96 = 34,848</p>')
>>> doc.text, doc.at(1)
('Weights:\n11² × 3 × 96 = 34,848', 'line 1')
>>> doc.at(2)
'line 2'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import NamedTuple

from .find import Document, Place, find

_SKIP_TAGS = {"script", "style", "pre", "code", "kbd", "samp", "tt", "template", "textarea", "noscript", "svg",
              "head", "title", "select", "object", "iframe", "canvas", "listing", "xmp", "plaintext"}
_SKIP_CLASSES = {
    "katex-html", "MathJax", "MathJax_Preview", "MathJax_Display", "MathJax_SVG", "MathJax_SVG_Display",
    "MathJax_CHTML", "MJX_Assistive_MathML",
    # nbconvert: a code cell's editor and prompts, every cell's outputs (its Markdown cells are
    # in a jp-InputArea too, so that is not left out); the classic template's input and output
    "jp-CodeMirrorEditor", "jp-InputArea-editor", "jp-OutputArea", "jp-Cell-outputWrapper", "jp-InputPrompt",
    "jp-OutputPrompt", "input_area", "output_wrapper", "output_area", "prompt", "input_prompt",
}
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "figure",
           "figcaption", "details", "summary", "address", "form", "fieldset", "dl", "dt", "dd", "hr", "center",
           "body", "html", "ul", "ol", "li", "table", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
           "td", "th"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_TEX = {"application/x-tex", "tex", "text/x-tex", "latex", "application/x-latex"}
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
#: characters of a MathML formula shown in the skipped list
_SHOWN = 80


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: what a tag starts or ends, by where it is: a tag's handler
_Handler = Callable[["_Page", str, int, dict], None]


class _Handlers(NamedTuple):
    """The handlers of tags (start or end tags): those that work anywhere; in the outer table
    (rows, cells, its caption); the tags a nested table's text gets a space for; in the text."""

    anywhere: dict[str, _Handler]
    in_table: dict[str, _Handler]
    spaced: set[str]
    in_text: dict[str, _Handler]


def _start_in_math(math: dict, tag: str, values: dict) -> None:
    """Inside ``<math>``: the TeX annotation starts (the rendered MathML is only shown)."""
    if tag == "annotation" and (values.get("encoding") or "").lower() in _TEX:
        math["in_tex"] = True
        math["tex"] = []


class _Page(HTMLParser):
    """One pass over the page, writing the lines of Markdown and where each comes from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.src: list[int] = [1]
        self.skips: list[tuple[int, str, str]] = []
        self.skipping: list = []  # [tag, depth] of the element being left out
        self.lists = 0
        self.tables = 0
        self.row: list[str] | None = None
        self.row_line = 0
        self.row_header = True
        self.rows = 0  # rows of the current table written
        self.cell: list[str] | None = None
        self.caption = False
        self.heading = False
        self.math: dict | None = None  # a <math> element being read
        self.script: tuple[str, list[str], int] | None = None  # (delimiters, TeX, line) of a math/tex script
        self.inline: list[tuple[str, list[str], bool]] = []  # open <sup>/<sub>: (tag, text, holds a link)
        self.anchored = False  # the current line is placed where something on it (math left out) is

    # -- where text goes ---------------------------------------------------------------------

    def put(self, text: str, line: int) -> None:
        if self.inline:
            self.inline[-1][1].append(text)
            return
        if self.tables and not self.caption:
            if self.cell is not None:  # text between cells is not shown; a nested table's is the cell's
                if not self.row_line and text.strip():
                    self.row_line = line
                self.cell.append(text)
            return
        for k, part in enumerate(text.split("\n")):
            if k:
                if self.heading:  # a heading stays on one line
                    part = " " + part
                else:
                    self.newline(line + k)
            current = self.lines[-1]
            if not current or current[-1] == " ":
                part = part.lstrip()  # the page's indentation, and runs of spaces, are not the text's
            if part and not current and not self.anchored:
                self.src[-1] = line + k
            self.lines[-1] += part

    def newline(self, line: int) -> None:
        """A line break of the text: a new line where this one has something (never a blank one)."""
        if self.lines[-1].strip():
            self.lines.append("")
            self.src.append(line)
            self.anchored = False

    def anchor(self, line: int) -> int:
        """Place the current line at ``line`` (where math left out is), and return its number.
        In a table cell the math left out leaves a mark: "= 55x55x96" after it ends that
        math, never a statement with the cell before."""
        if self.cell is not None:
            self.cell.append(" … ")
        if not self.lines[-1] and not self.anchored and not (self.tables and not self.caption):
            self.src[-1] = line
            self.anchored = True
        return len(self.lines)

    def block(self, line: int, blank: bool = True) -> None:
        """The end or start of a block: a new line, and a blank one before it outside lists."""
        if self.tables and not self.caption:
            return
        self.newline(line)
        if blank and not self.lists and len(self.lines) >= 2 and self.lines[-2].strip():
            self.lines.append("")
            self.src.append(line)
        self.anchored = False

    # -- tables ------------------------------------------------------------------------------

    def end_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            text = " ".join("".join(self.cell).split())
            self.row.append(text.replace("|", "\\|"))
        self.cell = None

    def end_row(self, line: int) -> None:
        self.end_cell()
        row, self.row = self.row, None
        if not row:
            return
        at = self.row_line or line
        if self.rows == 0:
            self.newline(at)
            if len(self.lines) >= 2 and self.lines[-2].strip():
                self.lines.append("")
                self.src.append(at)
            if not self.row_header:  # no header row: an empty one, so the first row is read as data
                self.write_line("|" + "  |" * len(row), at)
                self.write_line("|" + "---|" * len(row), at)
        self.write_line("| " + " | ".join(row) + " |", at)
        if self.rows == 0 and self.row_header:
            self.write_line("|" + "---|" * len(row), at)
        self.rows += 1

    def write_line(self, text: str, line: int) -> None:
        self.newline(line)
        self.lines[-1] = text
        self.src[-1] = line
        self.lines.append("")
        self.src.append(line)
        self.anchored = False

    # -- the parser's events -----------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping[1] += 1
            return
        values = dict(attrs)
        if self.math is not None:
            _start_in_math(self.math, tag, values)
        elif not self._start_math_script(tag, values) and not self._start_skipped(tag, values, line):
            self._dispatch(tag, line, values, _Page._STARTS)

    def _dispatch(self, tag: str, line: int, values: dict, handlers: _Handlers) -> None:
        """Call the handler of ``tag``: one that works anywhere, else one of the outer table's
        (rows, cells, caption), a space in a nested table, or one of the text's (a block element)."""
        if tag in handlers.anywhere:
            handlers.anywhere[tag](self, tag, line, values)
        elif self.tables == 1:
            if tag in handlers.in_table:
                handlers.in_table[tag](self, tag, line, values)
        elif self.tables:
            if tag in handlers.spaced:  # in a nested table: its breaks and cells are spaces
                self.put(" ", line)
        elif tag in handlers.in_text:
            handlers.in_text[tag](self, tag, line, values)
        elif tag in _BLOCKS:
            self.block(line, blank=tag not in ("dt", "dd") or not self.lists)

    def _start_math_script(self, tag: str, values: dict) -> bool:
        """``<script type="math/tex">`` (``; mode=display``): its TeX is read; whether it is one."""
        if tag != "script":
            return False
        kind = (values.get("type") or "").lower().replace(" ", "")
        if not kind.startswith("math/tex"):
            return False
        self.script = ("\\[", [], 0) if "mode=display" in kind else ("\\(", [], 0)
        return True

    def _start_skipped(self, tag: str, values: dict, line: int) -> bool:
        """An element left out with all it holds (code, styles, hidden, rendered math); whether it is one."""
        classes = set((values.get("class") or "").split())
        hidden = "hidden" in values or (values.get("aria-hidden") or "").lower() == "true"
        if tag in _VOID or not (tag in _SKIP_TAGS or classes & _SKIP_CLASSES or hidden or tag == "mjx-container"):
            return False
        self.skipping = [tag, 1]
        if tag == "mjx-container":
            self.skips.append((self.anchor(line), "rendered math (MathJax 3)", "mathml"))
        return True

    def _start_math(self, tag: str, line: int, values: dict) -> None:
        self.math = {"tex": None, "in_tex": False, "text": [], "line": line, "tex_line": line,
                     "display": (values.get("display") or "").lower() == "block"}

    def _start_mark(self, tag: str, line: int, values: dict) -> None:
        """``<sup>``, ``<sub>``: their text is gathered and written when they end."""
        self.inline.append((tag, [], False))

    def _start_link(self, tag: str, line: int, values: dict) -> None:
        """A link inside ``<sup>``: a footnote mark, left out."""
        if self.inline:
            mark, text, _ = self.inline[-1]
            self.inline[-1] = (mark, text, True)

    def _start_table(self, tag: str, line: int, values: dict) -> None:
        if not self.tables:
            self.block(line)
            self.rows, self.row, self.cell = 0, None, None
        self.tables += 1

    def _start_row(self, tag: str, line: int, values: dict) -> None:
        self.end_row(line)
        self.row, self.row_line, self.row_header = [], 0, True

    def _start_cell(self, tag: str, line: int, values: dict) -> None:
        self.end_cell()
        if self.row is None:
            self.row, self.row_line, self.row_header = [], 0, True
        self.cell = []
        if tag == "td":
            self.row_header = False

    def _start_caption(self, tag: str, line: int, values: dict) -> None:
        self.caption = True
        self.block(line)

    def _start_cell_break(self, tag: str, line: int, values: dict) -> None:
        if self.cell is not None:
            self.cell.append(" ")

    def _start_list(self, tag: str, line: int, values: dict) -> None:
        self.block(line, blank=not self.lists)
        self.lists += 1

    def _start_item(self, tag: str, line: int, values: dict) -> None:
        self.block(line, blank=False)
        self.lines[-1] = "  " * min(max(self.lists - 1, 0), 3) + "- "
        self.src[-1] = line

    def _start_heading(self, tag: str, line: int, values: dict) -> None:
        self.block(line)
        self.lines[-1] = "#" * int(tag[1]) + " "
        self.src[-1] = line
        self.heading = True

    def _start_break(self, tag: str, line: int, values: dict) -> None:
        self.newline(line)

    _STARTS = _Handlers(
        {"math": _start_math, "sup": _start_mark, "sub": _start_mark, "a": _start_link, "table": _start_table},
        {"tr": _start_row, "td": _start_cell, "th": _start_cell, "caption": _start_caption, "br": _start_cell_break},
        {"br", "td", "th", "tr"},
        {"ul": _start_list, "ol": _start_list, "li": _start_item, "br": _start_break,
         **dict.fromkeys(_HEADINGS, _start_heading)})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _VOID:
            self.handle_starttag(tag, attrs)  # <br/>; a void element has no content to leave out

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping[1] -= 1
                if self.skipping[1] == 0:
                    self.skipping = []
        elif self.script is not None:
            if tag == "script":
                self._end_math_script(self.script, line)
        elif self.math is not None:
            self._end_in_math(self.math, tag)
        elif tag in ("sup", "sub"):  # one not open is nothing
            if self.inline and self.inline[-1][0] == tag:
                self._end_mark(tag, line)
        else:
            self._dispatch(tag, line, {}, _Page._ENDS)

    def _put_tex(self, body: str, display: bool, first: int) -> None:
        """Math whose TeX is ``body``, placed at its first line of TeX (``first``: where the body starts)."""
        at = first + body[: len(body) - len(body.lstrip())].count("\n")
        opened, closed = ("\\[", "\\]") if display else ("\\(", "\\)")
        self.put(opened + body.strip() + closed, at)

    def _end_math_script(self, script: tuple[str, list[str], int], line: int) -> None:
        delimiters, tex, at = script
        self.script = None
        self._put_tex("".join(tex), delimiters == "\\[", at or line)

    def _end_in_math(self, math: dict, tag: str) -> None:
        """The end of the TeX annotation, or of the math: its TeX written, or MathML without TeX skipped."""
        if tag == "annotation":
            math["in_tex"] = False
        elif tag == "math":
            self.math = None
            if math["tex"] is not None:
                self._put_tex("".join(math["tex"]), math["display"], math["tex_line"])
            else:
                shown = " ".join("".join(math["text"]).split())
                shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"
                self.skips.append((self.anchor(math["line"]), f"MathML: {shown}", "mathml"))

    def _end_mark(self, tag: str, line: int) -> None:
        """``11<sup>2</sup>`` as ``11²``, ``C<sub>in</sub>`` as ``C_in``; a footnote mark left out."""
        _, parts, link = self.inline.pop()
        text = " ".join("".join(parts).split())
        if link or not text:
            return
        if tag == "sup":
            shown = text.translate(_SUPERSCRIPT) if re.fullmatch(r"[-+]?\d+", text) else f"^({text})"
        else:
            shown = "_" + text if re.fullmatch(r"\w+", text) else f"_({text})"
        self.put(shown, line)

    def _end_table(self, tag: str, line: int, values: dict) -> None:
        if self.tables == 1:
            self.end_row(line)
            self.tables = 0
            self.block(line)
        elif self.tables:
            self.tables -= 1

    def _end_row(self, tag: str, line: int, values: dict) -> None:
        self.end_row(line)

    def _end_cell(self, tag: str, line: int, values: dict) -> None:
        self.end_cell()

    def _end_caption(self, tag: str, line: int, values: dict) -> None:
        self.block(line)
        self.caption = False

    def _end_list(self, tag: str, line: int, values: dict) -> None:
        self.lists = max(self.lists - 1, 0)
        self.block(line, blank=not self.lists)

    def _end_heading(self, tag: str, line: int, values: dict) -> None:
        self.heading = False
        self.block(line)

    def _end_item(self, tag: str, line: int, values: dict) -> None:
        self.block(line, blank=False)

    _ENDS = _Handlers(
        {"table": _end_table},
        {"tr": _end_row, "td": _end_cell, "th": _end_cell, "caption": _end_caption},
        set(),
        {"ul": _end_list, "ol": _end_list, "li": _end_item, **dict.fromkeys(_HEADINGS, _end_heading)})

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        line = self.getpos()[0]
        if self.script is not None:
            delimiters, tex, at = self.script
            if not tex:
                self.script = (delimiters, tex, line)
            tex.append(data)
            return
        if self.math is not None:
            if self.math["in_tex"] and not self.math["tex"]:
                self.math["tex_line"] = line
            (self.math["tex"] if self.math["in_tex"] else self.math["text"]).append(data)
            return
        self.put(data.replace("\xa0", " "), line)


#: a whole tag: its name, then attributes (a quoted value may hold ``>`` and ``<``) up to ``>``
_TAG = re.compile(r"""</?[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""")
_RAW_TEXT = re.compile(r"<(script|style)[\s/>]", re.I)


def complete_tags(text: str) -> str:
    """The page with every ``<`` that begins no complete tag, comment or declaration written
    as ``&lt;`` (the same text), and an unclosed one at the end left out, as a browser leaves
    it out.

    :mod:`html.parser`, given a ``<`` whose tag never closes, looks for the tag's end again
    from every later ``<`` (``<a <a <a ...``: 30 KB take 10 seconds, 60 KB about a minute). Here each
    construct is matched once, moving forward: linear in the page.

    >>> complete_tags('a < b <p class="x>y">3 <4</p> <!-- c --> <a href="x')
    'a &lt; b <p class="x>y">3 &lt;4</p> <!-- c --> '
    """
    out: list[str] = []
    pos, n = 0, len(text)
    lower: str | None = None  # made once, at the first script
    i = text.find("<")
    while i >= 0:
        nxt = text[i + 1 : i + 2]
        if text.startswith("<!--", i):
            j = text.find("-->", i + 4)
            end = j + 3 if j >= 0 else -1
        elif text.startswith("<![", i):
            j = text.find("]]>", i + 3)
            end = j + 3 if j >= 0 else -1
        elif nxt in ("!", "?") or (nxt == "/" and not text[i + 2 : i + 3].isalpha()):
            j = text.find(">", i + 2)
            end = j + 1 if j >= 0 else -1
        elif nxt.isascii() and (nxt.isalpha() or nxt == "/"):
            m = _TAG.match(text, i)
            end = m.end() if m is not None else -1
            if m is not None and (raw := _RAW_TEXT.match(text, i)) is not None:
                lower = lower if lower is not None else text.lower()
                close = lower.find("</" + raw.group(1).lower(), end)
                end = close if close >= 0 else n  # a script or style runs to its end tag, or to the end
        else:
            out.append(text[pos:i] + "&lt;")
            pos = i + 1
            i = text.find("<", pos)
            continue
        if end < 0:  # never closed: left out, to the end of the page
            out.append(text[pos:i])
            pos = n
            break
        i = text.find("<", end)
    out.append(text[pos:])
    return "".join(out)


def find_html(text: str) -> Document:
    """The page as the Markdown its reader sees, each line placed at the page's line."""
    page = _Page()
    page.feed(complete_tags(text))
    page.close()
    if page.script is not None:  # a math script never closed
        page.handle_endtag("script")
    if page.tables:
        page.end_row(page.getpos()[0])
    lines = [line.rstrip() for line in page.lines]
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    doc = find("\n".join(lines), "markdown", markup=False)
    doc.syntax = "html"
    doc.places = [Place(line) for line in page.src]
    doc.skips = page.skips
    return doc


__all__ = ["find_html", "complete_tags"]
