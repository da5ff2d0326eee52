r"""Finding what to check in a document: its math, and the prose and table cells around it.

:func:`find` masks everything that is not the document's own text (code, comments,
markup) with spaces, keeping every offset and line where it was, and locates the math.
Nothing here is quadratic: each delimiter is matched by moving forward through the
positions of its possible closers, so unmatched ``$``, ``\(`` or ``<!--`` cost one look each.

Markdown (and Jupyter's Markdown export)
    Masked: YAML front matter; fenced code (```` ``` ```` and ``~~~``), indented code blocks
    (four spaces beyond the enclosing list item, after a blank line: how notebook outputs
    are exported), ``<pre>``, ``<code>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>``,
    HTML comments and tags, code spans, link targets and bare URLs.
    Math: ``$...$`` (pandoc's rules: no space inside the dollars, no digit after the closing
    one, no blank line or table cell border inside), ``$$...$$``, ``\(...\)``, ``\[...\]``,
    the environments below, ```` ```math ```` fences and GitLab's ``$`...`$``.

LaTeX
    Masked: the preamble, ``%`` comments, ``verbatim``-like environments, ``\verb``,
    ``\lstinline``, ``\mintinline``, ``\texttt``, ``\url``, ``\href`` targets, labels,
    references and citations.
    Math: ``$...$``, ``$$...$$``, ``\(...\)``, ``\[...\]`` and the environments below.

Notebooks and HTML pages
    Read into Markdown first (:mod:`.notebook`: the Markdown cells; :mod:`.webpage`: the
    text a reader sees), with :class:`Place` for each line: where it is in the file.

Plain text
    Nothing is math: every line is prose. In every syntax a line of only ``-``, ``=``, ``*``
    or ``_`` (a rule, or a title's underline) is masked.

Math environments: ``equation``, ``align``, ``alignat``, ``flalign``, ``gather``,
``multline``, ``eqnarray``, ``displaymath``, ``math``, ``dmath``, ``dgroup`` (each starred or
not); ``aligned``, ``split``, ``gathered`` and ``alignedat`` inside math.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .doubled import doubled

SYNTAXES = ("markdown", "latex", "text", "notebook", "html")

#: Math environments and how ``&`` works in them: "pairs" (align: every second ``&``
#: starts a new column of equations), "none" (eqnarray: ``&`` only aligns) or "" (no ``&``).
MATH_ENVS = {
    "equation": "", "displaymath": "", "math": "", "gather": "", "multline": "", "dmath": "", "dgroup": "",
    "align": "pairs", "alignat": "pairs", "flalign": "pairs", "eqnarray": "none", "xalignat": "pairs",
}
#: Environments that may sit inside math and keep its lines and columns.
INNER_ENVS = {"aligned": "pairs", "alignedat": "pairs", "split": "pairs", "gathered": "", "multlined": ""}


@dataclass(frozen=True)
class Span:
    """One piece of math: its content ``start:end`` and delimiters ``open:close``."""

    start: int
    end: int
    open: int
    close: int
    display: bool
    env: str = ""  # the environment, or "" for dollars, \( and \[ (and fences)


@dataclass(frozen=True)
class Place:
    """Where a line of the text that is checked is in the file a user gave: its line, and in
    a notebook the cell (counted from 1 over all cells) and the line within that cell."""

    line: int
    cell: int = 0
    cell_line: int = 0

    def __str__(self) -> str:
        return f"cell {self.cell}, line {self.cell_line}" if self.cell else f"line {self.line}"


@dataclass
class Document:
    """A document ready to check: the text, a masked copy of the same length, its math.

    A document read out of another file (a notebook, an HTML page) has ``places``: where
    each of its lines is in that file (its lines are numbered as the text checked has them,
    and mapped back when the result is reported), and ``skips``: what was left unread there
    (line, text, reason).
    """

    text: str
    masked: str
    syntax: str
    spans: list[Span]
    #: (start, end) of every Markdown table row, in order
    table_rows: list[tuple[int, int]] = field(default_factory=list)
    #: offset and level of every heading, in order
    headings: list[tuple[int, int]] = field(default_factory=list)
    #: (start, end) of the content of every inline code span (Markdown)
    code_spans: list[tuple[int, int]] = field(default_factory=list)
    #: macros the document defines (\newcommand{\ceil}[1]{...}): name -> (arguments, body)
    macros: dict[str, tuple[int, str]] = field(default_factory=dict)
    places: list[Place] | None = None
    skips: list[tuple[int, str, str]] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_of(self, offset: int) -> int:
        """1-based line number of an offset."""
        return bisect.bisect_right(self._line_starts, offset)

    def place(self, line: int) -> Place:
        """Where line ``line`` of the text is in the file."""
        if self.places is None:
            return Place(line)
        return self.places[min(max(line, 1), len(self.places)) - 1] if self.places else Place(1)

    def at(self, line: int) -> str:
        """A line as a report names it: ``line 12``, or in a notebook ``cell 3, line 2``."""
        return str(self.place(line))

    def line_start(self, offset: int) -> int:
        return self._line_starts[self.line_of(offset) - 1]

    def in_table_row(self, offset: int) -> bool:
        k = bisect.bisect_right(self.table_rows, (offset, len(self.text) + 1)) - 1
        return k >= 0 and self.table_rows[k][0] <= offset < self.table_rows[k][1]


def guess_syntax(text: str, name: str) -> str:
    """``notebook`` for ``.ipynb`` files or a JSON notebook; ``html`` for ``.html``/``.htm``
    files or text that starts as a page does; ``latex`` for ``.tex`` files or text with
    ``\\documentclass``/``\\begin{document}``; ``text`` for ``.txt`` files; else ``markdown``.

    >>> guess_syntax('{"cells": [], "nbformat": 4}', "<stdin>"), guess_syntax("<!DOCTYPE html>", "post")
    ('notebook', 'html')
    """
    lower = name.lower()
    if lower.endswith(".ipynb"):
        return "notebook"
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    head = text[:1000].lstrip("\ufeff \t\r\n")
    if head.startswith("{") and '"nbformat"' in text and ('"cells"' in text or '"worksheets"' in text):
        return "notebook"
    if re.match(r"<!doctype\s+html|<html[\s>]", head, re.I):
        return "html"
    if lower.endswith((".tex", ".ltx", ".latex")):
        return "latex"
    if lower.endswith((".txt", ".text")):
        # a Markdown file saved as .txt: front matter, display math or headings
        markdown = _FRONT_MATTER.match(text) or "$$" in text or re.search(r"^#{1,6} |^```", text, re.M)
        return "markdown" if markdown else "text"
    if "\\documentclass" in text or "\\begin{document}" in text:
        return "latex"
    return "markdown"


class _Mask:
    """A mutable copy of the text in which ranges are blanked (newlines kept)."""

    def __init__(self, text: str) -> None:
        self.chars = list(text)
        self.text = text

    def blank(self, start: int, end: int) -> None:
        chars = self.chars
        for k in range(start, min(end, len(chars))):
            if chars[k] != "\n":
                chars[k] = " "

    def result(self) -> str:
        # full-width digits (２２７, as Japanese and Chinese IMEs type them) read as digits, with
        # the comma and point between them (１，７９２, ０．５); one character for one
        text = "".join(self.chars)
        if not _FULL_WIDTH.search(text):
            return text
        text = _FULL_WIDTH_MARK.sub(lambda m: "," if m.group(0) == "，" else ".", text)
        return text.translate(_FULL_WIDTH_DIGITS)


_FULL_WIDTH = re.compile("[０-９]")
_FULL_WIDTH_MARK = re.compile("(?<=[０-９])[，．](?=[０-９])")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


_RULE_LINE = re.compile(r"^[ \t]*([-=_*~#+])(?:[ \t]*\1){2,}[ \t]*$", re.M)


def find(text: str, syntax: str, *, markup: bool = True) -> Document:
    """Mask what is not to be checked and locate the math (Markdown, LaTeX or text; a
    notebook and an HTML page are read into Markdown by :mod:`.notebook` and :mod:`.webpage`).

    ``markup=False`` reads Markdown whose HTML, code and code spans were already taken out
    (the text an HTML page shows): ``<``, backticks and indentation in it are text.
    """
    mask = _Mask(text)
    for m in _RULE_LINE.finditer(text):  # ----- and ===== under a title, *** between parts
        mask.blank(m.start(), m.end())
    if syntax in ("text", "markdown"):
        for a, b in doubled(text):  # 2∗6=122∗6=12: a formula a flattened page shows twice
            mask.blank(a, b)
    if syntax == "text":
        return Document(text, mask.result(), syntax, [])
    if (fm := _FRONT_MATTER.match(text)) is not None:
        mask.blank(0, fm.end())
    fences: list[Span] = []
    rows: list[tuple[int, int]] = []
    headings: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    if syntax == "markdown":
        _mask_markdown_blocks(text, mask, fences, rows, headings, markup=markup)
        masked = mask.result()
        inline = _mask_markdown_inline(masked, mask, code, markup=markup)
        masked = mask.result()
    else:
        _mask_latex(text, mask, headings)
        masked = mask.result()
        inline = []
    spans = _math_spans(masked, syntax, rows)
    spans = sorted(spans + fences + inline, key=lambda s: s.open)
    # Math spans found inside others (a fence inside $$...$$ cannot be) are dropped.
    kept: list[Span] = []
    for span in spans:
        if kept and span.open < kept[-1].close:
            continue
        kept.append(span)
    return Document(text, masked, syntax, kept, rows, headings, code, macros(text if syntax == "latex" else masked))


def combine(parts: list[tuple[Document, list[Place]]], syntax: str) -> Document:
    r"""One document of several (the cells of a notebook, in order), a blank line between
    two, each part's lines placed in the file by ``places`` (one per line of its text).

    >>> doc = combine([(find("$2+2=4$", "markdown"), [Place(5, 1, 1)]),
    ...                (find("$3+3=6$", "markdown"), [Place(9, 3, 1)])], "notebook")
    >>> doc.text, [doc.at(line) for line in (1, 3)]
    ('$2+2=4$\n\n$3+3=6$', ['cell 1, line 1', 'cell 3, line 1'])
    """
    texts: list[str] = []
    masks: list[str] = []
    spans: list[Span] = []
    rows: list[tuple[int, int]] = []
    headings: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    defined: dict[str, tuple[int, str]] = {}
    places: list[Place] = []
    skips: list[tuple[int, str, str]] = []
    offset = 0
    for doc, part_places in parts:
        if texts:
            gap = "\n" if texts[-1].endswith("\n") else "\n\n"
            texts.append(gap)
            masks.append(gap)
            offset += len(gap)
            places.append(places[-1] if places else Place(1))  # the blank line between parts
        lines = doc.text.count("\n") + (0 if doc.text.endswith("\n") else 1)
        base = len(places)
        for k in range(1, lines + 1):
            within = doc.place(k).line  # a line of the part's own source (an HTML cell's text)
            places.append(part_places[min(within, len(part_places)) - 1] if part_places else Place(1))
        texts.append(doc.text)
        masks.append(doc.masked)
        spans += [Span(s.start + offset, s.end + offset, s.open + offset, s.close + offset, s.display, s.env)
                  for s in doc.spans]
        rows += [(a + offset, b + offset) for a, b in doc.table_rows]
        headings += [(a + offset, level) for a, level in doc.headings]
        code += [(a + offset, b + offset) for a, b in doc.code_spans]
        defined.update(doc.macros)
        skips += [(line + base, text, reason) for line, text, reason in doc.skips]
        offset += len(doc.text)
    return Document("".join(texts), "".join(masks), syntax, spans, rows, headings, code, defined, places, skips)


_NEWCOMMAND = re.compile(
    r"\\(?:(?:re|provide)?newcommand\*?|DeclareRobustCommand\*?)\s*(?:\{\s*\\([A-Za-z]+)\s*\}|\\([A-Za-z]+))"
    r"\s*(?:\[\s*(\d)\s*\])?\s*(\[)?"
    r"|\\def\s*\\([A-Za-z]+)((?:#\d)*)\s*(?=\{)"
    r"|\\DeclareMathOperator\*?\s*\{\s*\\([A-Za-z]+)\s*\}\s*(?=\{)"
)
#: macros read from one document, and the longest body kept
MAX_MACROS, MAX_MACRO_BODY = 500, 2_000


def group_end(s: str, i: int, end: int) -> int:
    """End (after the ``}``) of the brace group opening at ``s[i] == '{'``, or -1."""
    depth = 0
    j = i
    while j < end:
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _group(text: str, i: int) -> tuple[int, int] | None:
    """(content start, end after the closing brace) of the brace group at ``text[i]``."""
    if i >= len(text) or text[i] != "{":
        return None
    j = group_end(text, i, min(len(text), i + MAX_MACRO_BODY + 3))
    return (i + 1, j) if j >= 0 else None


def macros(text: str) -> dict[str, tuple[int, str]]:
    r"""The macros a document defines with ``\newcommand``, ``\renewcommand``, ``\def`` or
    ``\DeclareMathOperator``: name -> (number of arguments, body). One with an optional
    argument is left out (its default changes what it means).

    >>> macros(r"\newcommand{\ceil}[1]{\left\lceil #1 \right\rceil} \def\K{11}")
    {'ceil': (1, '\\left\\lceil #1 \\right\\rceil'), 'K': (0, '11')}
    """
    found: dict[str, tuple[int, str]] = {}
    if "\\newcommand" not in text and "\\def" not in text and "\\renewcommand" not in text and (
            "\\DeclareMathOperator" not in text and "\\providecommand" not in text and "\\DeclareRobust" not in text):
        return found
    for m in _NEWCOMMAND.finditer(text):
        if len(found) >= MAX_MACROS:
            break
        if m.group(1) or m.group(2):
            if m.group(4):  # [default]: an optional argument
                continue
            name, count = m.group(1) or m.group(2), int(m.group(3) or 0)
        elif m.group(5):
            name, count = m.group(5), len(m.group(6)) // 2
        else:
            name, count = m.group(7), -1
        body = _group(text, m.end())
        if body is None:
            continue
        content = text[body[0] : body[1] - 1]
        if count == -1:  # \DeclareMathOperator{\floor}{floor}
            name, count, content = name, 0, "\\operatorname{" + content + "}"
        found[name] = (count, content)
    return found


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(?:.*?\n)?(?:\1|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_LINE = re.compile(r"[^\n]*\n?")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^`\n]*)")
_LIST_ITEM = re.compile(r"(?<![ \t])([ \t]*)([-+*]|\d{1,9}[.)])([ \t]+|$)")
_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t]|$)")
_TABLE_DELIMITER = re.compile(
    r"(?<![ \t|:-])[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*\n?"
    r"|(?<![ \t|:-])[ \t]*\|[ \t]*:?-+:?[ \t]*\|[ \t]*\n?"
)
_HTML_BLOCK_TAGS = ("pre", "script", "style", "textarea", "code", "kbd", "samp", "tt", "listing", "xmp")
_HTML_CODE_OPEN = re.compile(r"<(" + "|".join(_HTML_BLOCK_TAGS) + r")\b[^>]*>", re.I)
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|img|br|hr|p|div|span|center|figure|figcaption|table|thead|tbody|tfoot|tr|td|th|sup|sub|"
    r"b|i|em|strong|u|s|del|ins|mark|details|summary|font|small|big|ul|ol|li|dl|dt|dd|h[1-6]|iframe|video|"
    r"audio|source|blockquote|section|article|header|footer|nav|main|aside|input|label|button|meta|link|"
    r"picture|svg|path|caption|col|colgroup|cite|q|time|wbr|nobr)\b[^>\n]*>",
    re.I,
)
_URL = re.compile(r"<?\bhttps?://[^\s<>)\]\"'`]+>?|\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+",
                  re.M)


def _columns(prefix: str) -> int:
    col = 0
    for c in prefix:
        col = col + 4 - col % 4 if c == "\t" else col + 1
    return col


def _mask_markdown_blocks(
    text: str, mask: _Mask, fences: list[Span], rows: list[tuple[int, int]], headings: list[tuple[int, int]],
    *, markup: bool = True,
) -> None:
    """Fenced and indented code, and where the tables and headings are (one pass over the lines)."""
    _Blocks(text, mask, fences, rows, headings, markup).run()


class _Blocks:
    """One pass over the lines of a Markdown text. A line is, tried in this order: a line of an
    open fence, a blank line, a line of an open indented code block; else the first of
    :attr:`_STARTS` that it begins (indented code, a fence, a heading, a table), else a line of
    a paragraph or a list item."""

    def __init__(self, text: str, mask: _Mask, fences: list[Span], rows: list[tuple[int, int]],
                 headings: list[tuple[int, int]], markup: bool) -> None:
        self.text, self.mask, self.fences, self.rows, self.headings, self.markup = (
            text, mask, fences, rows, headings, markup)
        self.lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.start() < m.end()]
        self.lists: list[int] = []  # content columns of the open list items
        self.prev_blank, self.in_paragraph = True, False
        self.in_code, self.code_col = False, 0
        self.fence: tuple[str, int, int, int, bool] | None = None  # (marker, length, line start, content start, math)
        self.block: list[tuple[int, int]] = []  # the lines of the open fence
        self.info = ""

    def run(self) -> None:
        k = 0
        while k < len(self.lines):
            k = self.step(k)
        if self.fence is not None and not self.fence[4]:  # an unclosed code fence runs to the end of the document
            _read_code_block(self.text, self.mask, self.block, self.info)

    def step(self, k: int) -> int:
        """Read line ``k``; the index of the next line to read."""
        start, end = self.lines[k]
        body = self.text[start:end].rstrip("\n")
        if self.fence is not None:
            self._fenced(self.fence, start, end, body)
            return k + 1
        if not body.strip():
            self.prev_blank = True
            return k + 1
        indent = _columns(body[: len(body) - len(body.lstrip(" \t"))])
        if self.in_code and indent >= self.code_col:
            self.mask.blank(start, end)
            return k + 1
        self.in_code = False
        if self.prev_blank:
            while self.lists and indent < self.lists[-1]:
                self.lists.pop()
        base = self.lists[-1] if self.lists else 0
        for starts in self._STARTS:
            after = starts(self, k, body, indent, base)
            if after is not None:
                self.prev_blank, self.in_paragraph = False, False
                return after
        self._list_item(body)
        self.prev_blank, self.in_paragraph = False, True
        return k + 1

    def _fenced(self, fence: tuple[str, int, int, int, bool], start: int, end: int, body: str) -> None:
        """A line inside a fence: its closing line ends it (math is kept, code read or masked)."""
        marker, length, opened, content, is_math = fence
        stripped = body.strip()
        if stripped.startswith(marker * length) and set(stripped) == {marker}:
            if is_math:
                self.fences.append(Span(content, start, opened, end, display=True))
            else:
                _read_code_block(self.text, self.mask, self.block, self.info)
            self.mask.blank(start, end)
            self.fence = None
        elif not is_math:
            self.block.append((start, end))

    def _indented_code(self, k: int, body: str, indent: int, base: int) -> int | None:
        """Four spaces beyond the list item, not going on with a paragraph: indented code, masked."""
        if not (self.markup and indent >= base + 4 and (self.prev_blank or not self.in_paragraph)):
            return None
        self.in_code, self.code_col = True, base + 4
        self.mask.blank(*self.lines[k])
        return k + 1

    def _fence_open(self, k: int, body: str, indent: int, base: int) -> int | None:
        """```` ``` ```` or ``~~~``: a fence opens (```` ```math ````: display math)."""
        if not self.markup or (f := _FENCE.match(body)) is None or indent >= base + 4:
            return None
        marker, self.info = f.group(1), f.group(2).strip().lower()
        is_math = self.info.split(" ")[0] in ("math", "latex-math", "katex")
        start, end = self.lines[k]
        self.fence = (marker[0], len(marker), start, end, is_math)
        self.block = []
        self.mask.blank(start, end)
        return k + 1

    def _heading(self, k: int, body: str, indent: int, base: int) -> int | None:
        if (h := _HEADING.match(body)) is None:
            return None
        self.headings.append((self.lines[k][0], len(h.group(1))))
        return k + 1

    def _table(self, k: int, body: str, indent: int, base: int) -> int | None:
        """A line with ``|`` over a delimiter row: a table, to its first line without ``|``."""
        text, lines = self.text, self.lines
        if "|" not in body or k + 1 >= len(lines) or not _TABLE_DELIMITER.fullmatch(
                text[lines[k + 1][0] : lines[k + 1][1]]):
            return None
        self.rows.append(lines[k])
        self.mask.blank(*lines[k + 1])
        k += 2
        while k < len(lines) and "|" in text[lines[k][0] : lines[k][1]] and text[lines[k][0] : lines[k][1]].strip():
            self.rows.append(lines[k])
            k += 1
        return k

    _STARTS = (_indented_code, _fence_open, _heading, _table)

    def _list_item(self, body: str) -> None:
        """A list item opens where the line starts with a marker (closing the deeper ones)."""
        if (item := _LIST_ITEM.match(body)) is None:
            return
        marker_col = _columns(item.group(1))
        gap = len(item.group(3)) if item.group(3) else 1
        while self.lists and self.lists[-1] > marker_col:
            self.lists.pop()
        self.lists.append(marker_col + len(item.group(2)) + (gap if 1 <= gap <= 4 else 1))


#: the info strings of fenced blocks that are not programs: their arithmetic lines are read
PROSE_BLOCKS = {"", "text", "txt", "plain", "plaintext", "none", "output", "console", "log", "note", "markdown", "md"}
#: a line of arithmetic: digits on both sides of an equality, and nothing of a program (no
#: call, index, attribute, string, comparison, brace or semicolon) nor of math source shown
#: as code (dollars, backslashes); an assignment to a bare name is a program's unless
#: :data:`_MATH_ASSIGNMENT` says it is math
_PROGRAM_SIGN = re.compile(r"[A-Za-z_]\w{0,60}[(\[]|\.[A-Za-z_]|[\"{};≤≥$\\`]|==|!=|<=|>=")
_ASSIGNMENT = re.compile(r"\s{0,40}[A-Za-z_]\w{0,60}\s{0,8}=(?!=)")
#: what no program writes after ``name =``: a sign of math (``MACs = 64 × 3 × 3``), or a second
#: relation after an expression (``MACs = 1000 * 512 = 512,000``: Python assigns to no expression)
_MATH_ASSIGNMENT = re.compile(r"[×÷·−≈]|=[^=≈]{0,400}?(?:(?<!\w)\d|\))[^=≈]{0,400}?[=≈]")
#: a label and a colon first (``CONV1: 11*11*3*96 = 34,848``): the line annotates, it is no program
_LABEL = re.compile(r"[\w ]{1,40}:")
#: a line that goes on with the chain of the line above it (``     = 87,096,000 MACs``)
_CONTINUATION = re.compile(r"[ \t]{0,80}[=≈](?![=>])[^\n]{0,400}?\d")


def _math_line(line: str) -> bool:
    """Whether a line with a relation reads as math rather than as a statement of a program
    (the relation itself is not looked for here)."""
    if _LABEL.match(line):
        return True
    if _PROGRAM_SIGN.search(line) is not None:
        return False
    return _ASSIGNMENT.match(line) is None or _MATH_ASSIGNMENT.search(line) is not None


def arithmetic_line(line: str) -> bool:
    """Whether a line of code (a code span, a line of a block) is prose arithmetic a reader
    checks (``28 * 28 * 32 * 3 * 3 * 16 = 3.6M``), not a statement of a program.

    >>> arithmetic_line("CONV1: 11*11*3*96 = 34,848"), arithmetic_line("x = torch.randn(1, 3, 224, 224)")
    (True, False)
    """
    line = line.strip()
    if len(line) > 800 or not line or not any(r in line for r in "=≈") or not _math_line(line):
        return False
    digits = [any(c.isdigit() for c in part) for part in re.split("[=≈]", line, maxsplit=2)]
    named = _ASSIGNMENT.match(line) is not None  # MACs = 1000 × 512 = 512,000: after the name
    return digits[0] and digits[1] or named and len(digits) == 3 and digits[1] and digits[2]


#: a row of a tree of figures: tree marks, a label, a colon and a number (``├─ conv: 13.8M``)
_FIGURE_ROW = re.compile(r"[ \t│|├└─-]{0,40}[^\s:：][^:：\n]{0,40}[:：][ \t]{0,4}\d")


def _parses_as_python(source: str) -> bool:
    import ast

    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _read_code_block(text: str, mask: _Mask, lines: list[tuple[int, int]], info: str) -> None:
    """A fenced block: a program stays unread; in a block of prose arithmetic or a text
    table, the lines of arithmetic are read and the rest masked."""
    if not lines:
        return
    source = text[lines[0][0] : lines[-1][1]]
    tree = "├" in source or "└" in source  # a tree of figures: its rows are read (see trees.py)
    arithmetic = [arithmetic_line(text[start:end]) or (tree and _FIGURE_ROW.match(text, start, end) is not None)
                  for start, end in lines]
    _chains(text, lines, arithmetic)
    # a block of only arithmetic may parse as Python too (``conv1: 5*5 = 25`` annotates)
    program = (info.split() or [""])[0] not in PROSE_BLOCKS or len(source) > 200_000 or (
        not all(a or not text[start:end].strip() for a, (start, end) in zip(arithmetic, lines))
        and _parses_as_python(source))
    for (start, end), is_arithmetic in zip(lines, arithmetic):
        if program or not is_arithmetic:
            mask.blank(start, end)


def _chains(text: str, lines: list[tuple[int, int]], arithmetic: list[bool]) -> None:
    """A chain written down the lines of a block (``MACs = C_o × C_i × k × k``, then
    ``     = 64 × 3 × 3 × 3``, then ``     = 1,728``): the lines that go on with ``=`` or
    ``≈`` are read, with the line they go on from when it is math. One pass."""
    head: int | None = None  # the line the open chain goes on from
    for k, (start, end) in enumerate(lines):
        line = text[start:end]
        if _CONTINUATION.match(line) is not None and head is not None:
            arithmetic[k] = arithmetic[head] = True
        elif line.strip():
            relation = any(r in line for r in "=≈")
            head = k if arithmetic[k] or (relation and len(line) <= 800 and _math_line(line.strip())) else None
        else:
            head = None


_BACKTICKS = re.compile(r"`+")


def _mask_markdown_inline(text: str, mask: _Mask, code: list[tuple[int, int]], *,
                          markup: bool = True) -> list[Span]:
    """Code spans (and GitLab's $`...`$ math), HTML code and comments, tags, URLs (only URLs
    in text without markup)."""
    if not markup:
        for url in _URL.finditer(text):
            mask.blank(url.start(), url.end())
        return []
    _mask_comments(text, mask)
    _mask_html_code(text, mask)
    spans = _code_spans(text, mask, code)
    current = mask.result()
    for pattern in (_HTML_TAG, _URL):
        for m in pattern.finditer(current):
            mask.blank(m.start(), m.end())
    return spans


def _mask_comments(text: str, mask: _Mask) -> None:
    """HTML comments: one search for the closer of each opener; an unclosed one is text."""
    pos = 0
    while (i := text.find("<!--", pos)) >= 0:
        j = text.find("-->", i + 4)
        if j < 0:
            break
        mask.blank(i, j + 3)
        pos = j + 3


def _mask_html_code(text: str, mask: _Mask) -> None:
    """``<pre>``, ``<code>``, ... up to their closing tag (an unclosed one runs to the end)."""
    lower = text.lower()
    pos = 0
    while (m := _HTML_CODE_OPEN.search(text, pos)) is not None:
        close = lower.find(f"</{m.group(1).lower()}", m.end())
        stop = len(text) if close < 0 else lower.find(">", close) + 1 or len(text)
        mask.blank(m.start(), stop)
        pos = stop


def _code_spans(text: str, mask: _Mask, code: list[tuple[int, int]]) -> list[Span]:
    """Code spans: a run of n backticks closes at the next run of exactly n. Masked, but for
    the arithmetic written as code, whose backticks only are; GitLab's $`...`$ is math."""
    spans: list[Span] = []
    runs: dict[int, list[int]] = {}
    found = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text) if not _escaped(text, m.start())]
    for a, b in found:
        runs.setdefault(b - a, []).append(a)
    closers = {n: _Next(starts) for n, starts in runs.items()}
    covered = -1
    for a, b in found:
        if a < covered:
            continue
        n = b - a
        c = closers[n].after(a)
        if c < 0:
            continue
        if a > 0 and text[a - 1] == "$" and text[c + n : c + n + 1] == "$":
            spans.append(Span(b, c, a - 1, c + n + 1, display=False))
            mask.blank(a - 1, b)
            mask.blank(c, c + n + 1)
        elif arithmetic_line(text[b:c]):  # `28 * 28 * 32 = 25,088`: arithmetic written as code
            mask.blank(a, b)
            mask.blank(c, c + n)
            code.append((b, c))
        else:
            mask.blank(a, c + n)
            code.append((b, c))
        covered = c + n
    return spans


def _escaped(text: str, i: int) -> bool:
    k = i
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (i - k) % 2 == 1


# ---------------------------------------------------------------------------
# LaTeX
# ---------------------------------------------------------------------------

_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*(%[^\n]*)")
_VERBATIM = ("verbatim", "Verbatim", "BVerbatim", "lstlisting", "minted", "comment", "alltt", "filecontents",
             "code", "spverbatim", "pyglist")
_VERBATIM_BEGIN = re.compile(r"\\begin\{(" + "|".join(_VERBATIM) + r")\*?\}")
_VERB = re.compile(r"\\(?:verb|lstinline)\*?([^a-zA-Z\s*{])[^\n]*?\1|\\(?:lstinline|mintinline\{[^}\n]*\})\{[^}\n]*\}")
_LATEX_CODE_ARG = re.compile(
    r"\\(?:texttt|url|path|href|label|ref|eqref|pageref|autoref|cref|Cref|cite[a-z]*|input|include|"
    r"includegraphics|usepackage|RequirePackage|documentclass|bibliography|bibliographystyle|graphicspath)"
    r"\*?(?:\[[^\]\n]*\])*\{[^{}\n]*\}"
)
_SECTION = re.compile(r"\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\s*\{")


def _mask_latex(text: str, mask: _Mask, headings: list[tuple[int, int]]) -> None:
    begin = text.find("\\begin{document}")
    if begin >= 0:
        mask.blank(0, begin + len("\\begin{document}"))
    for m in _COMMENT.finditer(text):
        mask.blank(m.start(1), m.end(1))
    current = mask.result()
    pos = 0
    while (verbatim := _VERBATIM_BEGIN.search(current, pos)) is not None:
        close = re.compile(r"\\end\{" + verbatim.group(1) + r"\*?\}").search(current, verbatim.end())
        stop = close.end() if close else len(current)
        mask.blank(verbatim.start(), stop)
        pos = stop
    current = mask.result()
    for pattern in (_VERB, _LATEX_CODE_ARG):
        for m in pattern.finditer(current):
            mask.blank(m.start(), m.end())
    levels = {"part": 1, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5}
    headings.extend((m.start(), levels[m.group(1)]) for m in _SECTION.finditer(current))


# ---------------------------------------------------------------------------
# Math delimiters, matched in one forward pass
# ---------------------------------------------------------------------------

_ENV_NAMES = "|".join(sorted(MATH_ENVS, key=len, reverse=True))
_DELIMS = re.compile(
    r"\\\\|\\[$()\[\]]|\\(begin|end)\{(" + _ENV_NAMES + r")(\*?)\}|\\.|\$\$|\$|\n[ \t]*(?=\n)|\|", re.S
)


_COLUMNS = re.compile(r"(?<!\s)\s*\{\s*\d+\s*\}")


class _Next:
    """The next position of one kind after a given index, over a sorted list; the cursor
    only moves forward, so all look-ups of a pass cost the length of the list."""

    def __init__(self, positions: list[int]) -> None:
        self.positions, self.k = positions, 0

    def after(self, i: int) -> int:
        positions, k = self.positions, self.k
        while k < len(positions) and positions[k] <= i:
            k += 1
        self.k = k
        return positions[k] if k < len(positions) else -1


def _math_spans(text: str, syntax: str, rows: list[tuple[int, int]]) -> list[Span]:
    """Every piece of math, each opener matched with the first closer of its kind after it
    (with no blank line or table cell border between, for dollars and brackets)."""
    markdown = syntax == "markdown"
    tokens = _delimiters(text, markdown, rows)
    closers = _Closers(text, tokens, markdown)
    spans: list[Span] = []
    k = 0
    while k < len(tokens):
        j = closers.close(k)
        if j < 0:
            k += 1
            continue
        spans.append(_math_span(text, tokens[k], tokens[j]))
        k = j + 1
    return spans


def _delimiters(text: str, markdown: bool, rows: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The delimiters of math and what stops them (blank lines; in Markdown, a table cell's
    border): (start, end, kind)."""
    tokens: list[tuple[int, int, str]] = []  # (start, end, kind)
    row_k = 0
    for m in _DELIMS.finditer(text):
        s = m.group(0)
        if s == "|":
            if not markdown:
                continue
            while row_k < len(rows) and rows[row_k][1] <= m.start():
                row_k += 1
            if row_k < len(rows) and rows[row_k][0] <= m.start() and not _escaped(text, m.start()):
                tokens.append((m.start(), m.end(), "barrier"))
            continue
        if s.startswith("\n"):
            kind = "barrier"
        elif m.group(1):
            kind = f"{m.group(1)}:{m.group(2)}{m.group(3)}"
        elif s in ("$", "$$", "\\(", "\\)", "\\[", "\\]"):
            kind = s
        else:
            continue
        tokens.append((m.start(), m.end(), kind))
    return tokens


_CLOSER_OF = {"$$": "$$", "\\(": "\\)", "\\[": "\\]", "$": "$"}


class _Closers:
    """For each opener, the token that closes it: cursors over the tokens of each kind, which
    only move forward (an unmatched opener costs one look)."""

    def __init__(self, text: str, tokens: list[tuple[int, int, str]], markdown: bool) -> None:
        self.text, self.tokens, self.markdown = text, tokens, markdown
        index: dict[str, list[int]] = {}
        for k, (_, _, kind) in enumerate(tokens):
            index.setdefault(kind, []).append(k)
        self.closers = {kind: _Next(ks) for kind, ks in index.items()}
        self.barriers = _Next(index.get("barrier", []))
        # pandoc: a closing $ has no space before it and no digit after it
        self.inline = _Next([k for k in index.get("$", []) if not (markdown and (
            text[tokens[k][0] - 1 : tokens[k][0]].isspace() or text[tokens[k][1] : tokens[k][1] + 1].isdigit()))])
        self.empty = _Next([])

    def close(self, k: int) -> int:
        """The index of the token that closes token ``k``, or -1 (not an opener, or unclosed)."""
        _, end, kind = self.tokens[k]
        close_kind = "end:" + kind[6:] if kind.startswith("begin:") else _CLOSER_OF.get(kind)
        if close_kind is None:
            return -1
        if kind == "$" and self.markdown and (end >= len(self.text) or self.text[end].isspace()):
            return -1  # pandoc: no space after the opening $
        finder = self.inline if kind == "$" else self.closers.get(close_kind, self.empty)
        j = finder.after(k)
        wall = self.barriers.after(k) if not kind.startswith("begin:") else -1
        if j < 0 or (wall >= 0 and wall < j):
            return -1
        return j


def _math_span(text: str, opener: tuple[int, int, str], closer: tuple[int, int, str]) -> Span:
    start, end, kind = opener
    env = kind[6:].rstrip("*") if kind.startswith("begin:") else ""
    content = end
    if env in ("alignat", "xalignat") and (arg := _COLUMNS.match(text, end)) is not None:
        content = arg.end()  # alignat's {2}
    return Span(content, closer[0], start, closer[1], display=kind != "$" and kind != "\\(", env=env)


__all__ = ["Document", "Place", "Span", "find", "combine", "guess_syntax", "group_end", "SYNTAXES", "MATH_ENVS",
           "INNER_ENVS"]
