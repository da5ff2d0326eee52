r"""Cutting a document into statements: chains of sides joined by ``=`` or ``≈``.

A document is read in *blocks*: each piece of display math is one, and so is each
paragraph of prose (a table row, a list item, a line of a plain-text note) together with
the inline math in it. A block's tokens (:mod:`.tokens`) are cut into statements at
``;``, ``\quad``, relations other than equality, words of prose, commas that are not
inside brackets, and at line ends, except where the expression clearly goes on:

* a line that starts with ``=`` continues the chain above (``&= 34{,}848`` in ``align``);
* a line that starts with an operator, or a line that ends with one, continues the side
  above (``P &= a + b \\ &\quad + c \\ &= \text{total}``);
* inline math and the prose around it join where a relation or an operator meets the
  border (``$W_c$ = 34,848``), and are apart otherwise (``$O=6$, $N=256$``).

A word of prose right after a number and before an operator is a unit label and is
skipped (``34,848 weights + 96 biases = 34,944``), and so is a label in brackets
(``650,080 (conv outputs) + 9,192``); a statement of prose may go on from the number
before the words that cut it (``34,848 weights, + 96 = 34,944``; ``11,689,512, i.e.
≈ 11.7M``). A statement needs two sides.

Markdown tables add statements of their own: a column whose header multiplies other
columns (``Weights (K·K·C_in·C_out)``), or weights plus biases making the parameters,
row by row; and a total row, column by column.

>>> from symcnn.checkdoc.find import find
>>> doc = find("so 5x5x3 = 75 weights, and $a=2; b=3$", "markdown")
>>> [[side.text(doc) for side in st.sides] for st in statements(doc)]
[['5x5x3', '75'], ['a', '2'], ['b', '3']]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

from .find import Document, Span
from .labels import counted, counting, is_size, read_labels
from .listtotals import figure as _figure
from .listtotals import list_totals
from .literals import evidence, unit_scale
from .tokens import Lexer, Tok
from .trees import Row as _Row
from .trees import shares_of_sum, tree_statements

OPERATORS = {"PLUS", "MINUS", "TIMES", "DIV", "POW"}
_OPEN = {"LPAR", "LBRACE", "LBRACK", "LFLOOR", "LCEIL", "ABSL"}
_CLOSE = {"RPAR", "RBRACE", "RBRACK", "RFLOOR", "RCEIL", "ABSR"}
#: Words that join two statements (``x = 3 and 2 + 2 = 4``); any other word between two
#: numbers may be part of the arithmetic (``50% of 10``, ``227 minus 11``).
CONJUNCTIONS = {
    "and", "or", "so", "then", "thus", "hence", "therefore", "while", "but", "where", "whereas", "with", "since",
    "because", "giving", "gives", "give", "yields", "yield", "also", "und", "oder", "dann", "et",
    "donc", "y", "is", "are", "was", "were", "that's", "it's", "which's", "makes", "means",
    "그리고", "및", "와", "과", "이고", "이며", "이므로", "따라서", "그래서", "즉", "또는", "그러면",
}
#: words between two figures compared (``15.3% vs. 26.2% = 10.9pp``: the gap)
COMPARED = {"vs", "versus", "대비"}
#: words after which a number is an operand of something the prose says, not a whole side
OPERAND_OF = {"by", "times", "plus", "minus", "over", "into", "than", "per", "divided", "multiplied", "um", "durch"}
#: words that may do arithmetic between two numbers (50% of 10, 227 minus 11): what follows
#: one is not a whole side; any other word between two numbers ends the statement
ARITHMETIC_WORDS = {"of", "times", "minus", "plus", "over", "divided", "by", "per", "into", "less", "mal", "durch",
                    "geteilt", "von", "fois", "moins", "sur", "곱하기", "나누기", "빼기", "더하기"}
#: operators that join what stands before them to what follows (not ``-``, also a dash)
_JOINS_BEFORE = {"PLUS", "TIMES", "DIV", "POW"}
_STARTS_OPERAND = {"NUM", "NAME", "LPAR", "LBRACE", "FUNC", "LFLOOR", "LCEIL", "FRAC", "SQRT", "BINOM"}
_EXPECTS_OPERAND = OPERATORS | _OPEN | {"REL", "FRAC", "BINOM", "SQRT", "COMMA", "FUNC"}
_RELATION = re.compile(r"[=≈≃≅≒∼＝≔]|\\(?:approx|simeq|sim|coloneqq|thickapprox|fallingdotseq|doteq)(?![A-Za-z])"
                       r"|&(?:asymp|approx|equals);|\d\s*~\s*\d"
                       r"|(?:about|approx(?:imately|\.)?|roughly|around|circa|ca\.|rund|etwa|ungefähr|environ|약|대략|约"
                       r"|大约|約|およそ)\s*\d")
_TIDY = re.compile(r"\\(?:label|tag\*?)\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![a-zA-Z])|&|\\\\")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: Tokens of one block beyond which the rest of the block is not read.
MAX_BLOCK_TOKENS = 200_000


@dataclass
class Side:
    """One side of a chain: its tokens and where it is in the document."""

    toks: list[Tok]
    start: int
    end: int
    shown: str | None = None  # for sides made of table cells

    def text(self, doc: Document) -> str:
        return self.shown if self.shown is not None else tidy(doc.text[self.start : self.end])


@dataclass
class Statement:
    """A chain ``side rel side rel side ...``; ``rels[k]`` joins ``sides[k]`` and ``sides[k + 1]``."""

    sides: list[Side]
    rels: list[str]
    start: int
    end: int
    math: bool  # display math (True) or prose with inline math (False)
    #: it goes on from a value before the prose that cut it (``62,378,344 in all, ≈ 62.4M``)
    resumed: bool = False
    shown: str | None = None  # for statements made of table cells
    #: stands for the rest of a block too long to read (reported as skipped)
    truncated: bool = False
    #: how far a total may be from the sum of rows written with decimals, each rounded on
    #: its own (0.04 + 0.59 + ... = 46.76 where the rows add up to 46.75)
    tolerance: Fraction | None = None

    def text(self, doc: Document) -> str:
        return self.shown if self.shown is not None else tidy(doc.text[self.start : self.end])


def tidy(text: str) -> str:
    """A statement as shown in reports: alignment marks, labels and runs of spaces removed."""
    return re.sub(r"\s+", " ", _TIDY.sub(" ", text)).strip()


@dataclass
class Block:
    """Tokens to cut: a display math region or a paragraph of prose with its inline math."""

    toks: list[Tok]
    math: bool
    start: int
    end: int


def statements(doc: Document) -> Iterator[Statement]:
    """Every statement of the document, in order; then what its tables' columns say."""
    lexer = lexer_for(doc)
    for block in blocks(doc, lexer):
        yield from cut(block)
    yield from table_statements(doc, lexer)
    for terms, total, label, tolerance in chain(list_totals(doc, lexer), tree_statements(doc, lexer)):
        made = _made(doc, terms, total, label)
        made.tolerance = tolerance or None
        yield made


# ---------------------------------------------------------------------------
# Tables whose columns multiply and add
# ---------------------------------------------------------------------------

_TOTAL_ROW = re.compile(r"^\W*(?:total|sum|all|합계|총계|전체|summe|gesamt|insgesamt|σ|Σ)\b", re.I)
_COLUMN_WORD = re.compile(r"[^\W\d][\w]*", re.U)
_PARTS = {"weights": ("weight", "가중치", "gewicht"), "biases": ("bias", "편향", "바이어스"),
          "params": ("param", "파라미터", "매개변수", "parameter")}


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row, without the outer pipes."""
    cells, a = [], start
    k = start
    while k < end:
        if text[k] == "\\":
            k += 2
            continue
        if text[k] == "|":
            cells.append((a, k))
            a = k + 1
        k += 1
    cells.append((a, end))
    if cells and not text[cells[0][0] : cells[0][1]].strip():
        cells = cells[1:]
    if cells and not text[cells[-1][0] : cells[-1][1]].strip():
        cells = cells[:-1]
    return cells


def _value_token(lexer: Lexer, a: int, b: int) -> Tok | None:
    """The number a cell gives: the cell is that number, or ends ``= number``."""
    toks = [t for t in lexer.text(a, b, line_start=False) if t.kind not in ("NL",)]
    if not toks:
        return None
    if len(toks) == 1 and toks[0].kind == "NUM":
        return toks[0]
    if len(toks) >= 3 and toks[-1].kind == "NUM" and toks[-2].kind == "REL" and toks[-2].value == "=":
        return toks[-1]
    return None


def _empty(text: str) -> bool:
    return text.strip(" *_\t") in ("", "-", "—", "–", "0")


def table_statements(doc: Document, lexer: Lexer) -> Iterator[Statement]:
    """For each Markdown table: a column whose header is a product of other columns
    (``Weights (K·K·C_in·C_out)``) or the sum of weights and biases, row by row; and a
    total row, column by column."""
    text = doc.masked
    rows = doc.table_rows
    k = 0
    while k < len(rows):
        table = [rows[k]]
        while k + 1 < len(rows) and _same_table(doc, table[-1][0], rows[k + 1][0]):
            k += 1
            table.append(rows[k])
        k += 1
        yield from _table(doc, lexer, [_cells(text, a, b) for a, b in table])


def _same_table(doc: Document, last: int, row: int) -> bool:
    """The row goes on the table whose last row starts at ``last``: on the next line, or after
    the delimiter row (not after a blank line: that starts another table)."""
    gap = doc.line_of(row) - doc.line_of(last)
    if gap != 2:
        return gap == 1
    start = doc.text.find("\n", last) + 1
    end = doc.text.find("\n", start)
    return bool(doc.text[start : end if end >= 0 else len(doc.text)].strip())


@dataclass
class _Header:
    """What the header row of a table says of its columns."""

    cells: list[str]
    #: each column's first word, lower case: what a formula in a header calls it
    keys: list[str]
    #: the columns of weights, biases and parameters, by role
    roles: dict[str, int]
    #: the formula a column's header gives in brackets (``Weights (K·K·C_in·C_out)``), read
    formulas: dict[int, list[Tok]]


def _read_header(doc: Document, lexer: Lexer, row: list[tuple[int, int]]) -> _Header:
    text = doc.masked
    header = [text[a:b].strip() for a, b in row]
    keys = []
    for cell in header:
        word = _COLUMN_WORD.search(cell)
        keys.append(word.group(0).lower() if word else "")
    roles = {role: j for j, cell in enumerate(header) for role, words in _PARTS.items()
             if any(w in cell.lower().split("(")[0] for w in words)}
    formulas: dict[int, list[Tok]] = {}
    for j, cell in enumerate(header):
        m = re.search(r"\(\s*=?\s*([^()]*[·*×x+\-/][^()]*)\)", cell)
        if m:
            a = row[j][0] + text[row[j][0] :].index(m.group(1))
            formulas[j] = [t for t in lexer.text(a, a + len(m.group(1)), line_start=False) if t.kind != "NL"]
    return _Header(header, keys, roles, formulas)


def _table(doc: Document, lexer: Lexer, rows: list[list[tuple[int, int]]]) -> Iterator[Statement]:
    text = doc.masked
    header = _read_header(doc, lexer, rows[0])
    body = [cells for cells in rows[1:] if cells]  # a row of only | has no cells
    yield from _share_column(doc, lexer, body)
    yield from _formula_column(doc, lexer, header.cells, body)
    totalled = False
    for cells in body:
        label = text[cells[0][0] : cells[0][1]].strip(" *_")
        if _TOTAL_ROW.match(label):
            totalled = True
            yield from _totals(doc, lexer, header.cells, body, cells)
            continue
        values = {j: _value_token(lexer, a, b) for j, (a, b) in enumerate(cells)}
        yield from _row_formulas(doc, header, values, label)
        yield from _row_parameters(doc, header, values, label)
    if not totalled:
        yield from _total_after(doc, lexer, header, body)


def _row_formulas(doc: Document, header: _Header, values: dict[int, Tok | None], label: str) -> Iterator[Statement]:
    """The row's numbers put into each formula of the header, equal to its cell of that column."""
    for j, formula in header.formulas.items():
        made = _substitute(formula, header.keys, values)
        result = values.get(j)
        if made is not None and result is not None:
            yield _made(doc, made, result, f"{label}: {header.cells[j]}")


def _row_parameters(doc: Document, header: _Header, values: dict[int, Tok | None],
                    label: str) -> Iterator[Statement]:
    """Weights plus biases make the parameters, in a table whose header gives no formula."""
    roles = header.roles
    if header.formulas or not {"weights", "biases", "params"} <= roles.keys():
        return
    w, b_, p = (values.get(roles[r]) for r in ("weights", "biases", "params"))
    if w is not None and b_ is not None and p is not None:
        at = w.end
        yield _made(doc, [w, Tok("PLUS", at, at), b_], p, f"{label}: {header.cells[roles['params']]}")


def _percent(tok: Tok | None) -> bool:
    return tok is not None and tok.value.text.endswith("%")


def _share_column(doc: Document, lexer: Lexer, body: list) -> Iterator[Statement]:
    """A column of percentages beside a column of values (``| conv2 | 5x5x48x256 = 307,200 | 0.50% |``):
    when the shares add up to 100 %, each is its row's part of the rows' sum (a total row is
    not one of them)."""
    text = doc.masked
    rows = [cells for cells in body if not _TOTAL_ROW.match(text[cells[0][0] : cells[0][1]].strip(" *_"))]
    if len(rows) < 3 or len({len(cells) for cells in rows}) != 1:
        return
    values = [[_value_token(lexer, a, b) for a, b in cells] for cells in rows]
    pairs = _value_and_share(values)
    if not pairs:
        return
    group = [_Row(doc.line_of(v.start), 0, _figure(v), _figure(p), False) for v, p in pairs]
    shares = list(shares_of_sum(group))
    for left, right, label, tolerance in shares:
        made = _made(doc, left, right, label)
        made.tolerance = tolerance
        yield made
    if shares and len(pairs) == len(rows):
        labels = [text[cells[0][0] : cells[0][1]].strip(" *_") for cells in rows]
        yield from _prose_shares(doc, lexer, list(zip(labels, [r.value for r in group])), body[-1][-1][1])


def _value_and_share(values: list[list[Tok | None]]) -> list[tuple[Tok, Tok]]:
    """Each row's (value, share): the first column that is all percentages, and the nearest
    column before it that is all other numbers; empty where there are none."""
    width = len(values[0])
    j = next((j for j in range(width) if all(_percent(row[j]) for row in values)), None)
    if j is None:
        return []
    k = next((k for k in range(j - 1, -1, -1) if all(row[k] is not None and not _percent(row[k]) for row in values)),
             None)
    if k is None:
        return []
    return [(v, p) for row in values if (v := row[k]) is not None and (p := row[j]) is not None]


#: a percentage in prose (``97.7%``), with the clause it is in: up to a sentence's end or a comma
_CLAUSE = re.compile(r"(?:[^.,;:!?。，、；\n—]|(?<=\d)[.,](?=\d)){1,300}")
_PROSE_PERCENT = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3})?[ \t]?%")
_PARAMS_WORD = re.compile(r"param|파라미터|매개변수|参数|參數|パラメータ", re.I)
#: lines after a table read for shares of its rows
MAX_SHARE_LINES = 12


def _prose_shares(doc: Document, lexer: Lexer, rows: list[tuple[str, Tok]], after: int) -> Iterator[Statement]:
    """The lines after a table of shares (to a heading, a table or :data:`MAX_SHARE_LINES`):
    ``97.7% of parameters are in FC layers`` under a table of shares: the share of the rows
    whose label starts with the word nearest the percentage (``FC`` for FC6, FC7, FC8), of
    the rows' sum, in a clause that speaks of parameters."""
    text = doc.masked
    after = end = text.find("\n", after)
    if after < 0:
        return
    for _ in range(MAX_SHARE_LINES):
        nxt = text.find("\n", end + 1)
        if nxt < 0 or doc.in_table_row(end + 1) or text[end + 1 : end + 2] == "#":
            break
        end = nxt
    kinds = _row_kinds([label for label, _ in rows])
    if not kinds:
        return
    for clause in _CLAUSE.finditer(text, after, end):
        if not _PARAMS_WORD.search(clause.group(0)):
            continue
        for m in _PROSE_PERCENT.finditer(text, clause.start(), clause.end()):
            kind = _nearest_kind(text, clause.start(), clause.end(), m, kinds)
            share = next((t for t in lexer.text(m.start(), m.end(), line_start=False) if t.kind == "NUM"), None)
            if kind is None or share is None:
                continue
            part = [v for label, v in rows if label.lower().startswith(kind)]
            made = _made(doc, _ratio(part, [v for _, v in rows]), _figure(share), f"{kind} share")
            decimals = len(m.group(0).rstrip("% \t").partition(".")[2])
            made.tolerance = Fraction(1, 200 * 10**decimals)  # half a unit of its last digit
            yield made


def _row_kinds(labels: list[str]) -> list[str]:
    """Words that start the labels of two rows or more, not of all (``fc`` of FC6, FC7, FC8)."""
    starts = [m.group(0).lower() for label in labels if (m := re.match(r"[A-Za-z]{2,12}", label))]
    return [k for k in dict.fromkeys(starts) if 2 <= starts.count(k) < len(labels)]


def _nearest_kind(text: str, a: int, b: int, m: re.Match[str], kinds: list[str]) -> str | None:
    best: tuple[int, str] | None = None
    for kind in kinds:
        for w in re.finditer(r"(?<![A-Za-z])" + re.escape(kind) + r"(?![A-Za-z0-9])", text[a:b], re.I):
            gap = min(abs(a + w.start() - m.end()), abs(m.start() - a - w.end()))
            if best is None or gap < best[0]:
                best = (gap, kind)
    return best[1] if best else None


def _ratio(part: list[Tok], whole: list[Tok]) -> list[Tok]:
    at = part[0].start
    out = [Tok("LPAR", at, at)]
    for k, group in enumerate((part, whole)):
        if k:
            out += [Tok("RPAR", at, at), Tok("DIV", at, at), Tok("LPAR", at, at)]
        for j, t in enumerate(group):
            if j:
                out.append(Tok("PLUS", t.start, t.start))
            out.append(t)
    return [*out, Tok("RPAR", at, at)]


#: a column header saying its cells are formulas whose values the next column gives
_FORMULA_HEADER = re.compile(r"(?:formula|calculation|computation|rumus|perhitungan|fórmula|cálculo|formel|"
                             r"berechnung|公式|计算|計算|算式|式|계산|수식)", re.I)
_EXPRESSION = {"NUM", "PLUS", "MINUS", "TIMES", "DIV", "POW", "LPAR", "RPAR"}


def _formula_column(doc: Document, lexer: Lexer, header: list[str], body: list) -> Iterator[Statement]:
    """``| Layer | Formula | Params |`` / ``| fc1 | 256×128 + 128 | 32,896 |``: a column headed
    as formulas, whose arithmetic (numbers only) the next column's number gives."""
    j = next((j for j, cell in enumerate(header) if _FORMULA_HEADER.search(cell.split("(")[0])), None)
    if j is None or j + 1 >= len(header):
        return
    for cells in body:
        if len(cells) <= j + 1:
            continue
        toks = [t for t in lexer.text(*cells[j], line_start=False) if t.kind != "NL"]
        value = _value_token(lexer, *cells[j + 1])
        if value is None or not toks or any(t.kind not in _EXPRESSION for t in toks) or \
                not any(t.kind in OPERATORS for t in toks):
            continue
        label = doc.masked[cells[0][0] : cells[0][1]].strip(" *_")
        yield _made(doc, toks, value, f"{label}: {header[j + 1]}")


def _substitute(formula: list[Tok], keys: list[str], values: dict[int, Tok | None]) -> list[Tok] | None:
    out = []
    for t in formula:
        if t.kind in ("NAME", "WORD"):
            name = str(t.value).lower()
            j = next((j for j, key in enumerate(keys) if key == name or key == name.replace("_", "")), None)
            value = values.get(j) if j is not None else None
            if value is None:
                return None
            out.append(value)
        else:
            out.append(t)
    return out


def _totals(doc: Document, lexer: Lexer, header: list[str], body: list, total_cells) -> Iterator[Statement]:
    text = doc.masked
    above = body[: body.index(total_cells)]
    sums = {}
    for j, (a, b) in enumerate(total_cells):
        total = _value_token(lexer, a, b)
        if total is not None and j > 0 and (terms := _column(doc, lexer, above, j)) is not None and len(terms) >= 3:
            sums[j] = terms, total
    partial = _partial(sums)
    for j, (terms, total) in sums.items():
        if partial is not None:
            terms = [Tok("UNK", total.start, total.end, partial), *terms]
        made = _made(doc, terms, total, f"{header[j]}, total")
        places = [_decimal_place(text[t.start : t.end], lexer.decimal_comma) for t in [*terms, total]
                  if t.end > t.start and t.kind == "NUM"]
        if any(places):
            made.tolerance = sum((q / 2 for q in places if q), Fraction(0))
        yield made


#: a total on the line after a table of counts (``In total 62,378,344``, ``Total: 1,234``)
_TOTAL_LINE = re.compile(r"[^\n\d]{0,40}?(?:\btotal\b|\bin all\b|合计|總計|总计|总共|합계|총계|合計)[ \t:：=]{0,4}"
                         r"(?:(?:trainable |learnable )?(?:param(?:eter)?s?|weights?)|参数|參數|파라미터|パラメータ)?"
                         r"[ \t:：=]{0,4}(?=\d)", re.I)
#: what a cell of counts holds: a number, or arithmetic on numbers (``96 · 11 · 11 · 3``)
_CELL_ARITHMETIC = {"NUM", "TIMES", "PLUS", "MINUS", "DIV", "LPAR", "RPAR", "POW"}


def _count_cell(lexer: Lexer, a: int, b: int) -> list[Tok] | None:
    """A cell of counts as arithmetic: its number (after ``=`` when it has one), else its
    product or sum of numbers (math dollars dropped); None when it holds anything else."""
    value = _value_token(lexer, a, b)
    if value is not None:
        return [value]
    toks = [t for t in lexer.text(a, b, line_start=False)
            if t.kind != "NL" and not (t.kind == "CUT" and t.value == "$")]
    if not toks or any(t.kind not in _CELL_ARITHMETIC for t in toks):
        return None
    return [Tok("LPAR", toks[0].start, toks[0].start), *toks, Tok("RPAR", toks[-1].end, toks[-1].end)]


def _line_after(doc: Document, at: int) -> tuple[int, int] | None:
    """(start, end) of the first line with text after offset ``at``, one blank line between at most."""
    text = doc.masked
    start = text.find("\n", at) + 1
    while 0 < start < len(text) and text[start] == "\n":
        start += 1
    if start <= 0 or doc.line_of(start) - doc.line_of(at) > 2:
        return None
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


def _count_terms(doc: Document, lexer: Lexer, body: list, columns: list[int]) -> list[Tok] | None:
    """Every count of the columns, row by row, as one sum; None when a cell is not one."""
    return _cells_sum(doc, lexer, body, columns, _count_cell)


def _cells_sum(doc: Document, lexer: Lexer, rows: list, columns: list[int],
               read: Callable[[Lexer, int, int], list[Tok] | None]) -> list[Tok] | None:
    """The non-empty cells of ``columns`` in ``rows``, each read by ``read``, as one sum; None when
    one cannot be read."""
    terms: list[Tok] = []
    for cells in rows:
        for j in columns:
            if j >= len(cells) or _empty(doc.masked[cells[j][0] : cells[j][1]]):
                continue
            cell = read(lexer, *cells[j])
            if cell is None:
                return None
            terms.extend([Tok("PLUS", cell[0].start, cell[0].start), *cell] if terms else cell)
    return terms


def _total_after(doc: Document, lexer: Lexer, header: _Header, body: list) -> Iterator[Statement]:
    """A table of counts (a parameters column, or weights and biases) with no total row,
    then, on the next line, ``In total N`` (``Total params: N``): N is the sum of every count
    in the table."""
    roles = header.roles
    columns = [roles["params"]] if "params" in roles else [roles[r] for r in ("weights", "biases") if r in roles]
    line = _line_after(doc, body[-1][-1][1]) if columns and len(body) >= 3 else None
    if line is None or (m := _TOTAL_LINE.match(doc.masked, *line)) is None:
        return
    after = lexer.text(m.end(), line[1], line_start=False)
    total = after[0] if after and after[0].kind == "NUM" else None
    if any(t.kind in _CELL_ARITHMETIC - {"NUM"} or t.kind == "REL" for t in after):
        return  # Total: 34,944 + ... = 62,378,344 is a statement of its own
    terms = _count_terms(doc, lexer, body, columns)
    if total is not None and terms is not None and len(terms) > 2:
        yield _made(doc, terms, total, "total after the table")


def _column(doc: Document, lexer: Lexer, above: list, j: int) -> list[Tok] | None:
    """The column's values above a total row as a sum, None when one cannot be read."""
    return _cells_sum(doc, lexer, above, [j], _value_cell)


def _value_cell(lexer: Lexer, a: int, b: int) -> list[Tok] | None:
    """A cell that holds one value, as a list of its token (None: it does not)."""
    value = _value_token(lexer, a, b)
    return None if value is None else [value]


def _partial(sums: dict) -> str | None:
    """Why the total row is not the sum of the rows listed, when two columns' totals exceed
    their sums by the same amount: the rows left out are common to both (a table of the layers a
    change touches, under the whole model's totals)."""
    gaps = []
    for terms, total in sums.values():
        values = [v for t in [*terms, total] if t.kind == "NUM" and (v := _number(t)) is not None]
        if len(values) < len([t for t in terms if t.kind == "NUM"]) + 1:
            return None
        gaps.append(values[-1] - sum(values[:-1], Fraction(0)))
    if len(gaps) >= 2 and gaps[0] > 0 and all(g == gaps[0] for g in gaps):
        return "a partial table: each column's total is its rows' sum plus the same amount (rows not listed)"
    return None


def _number(tok: Tok) -> Fraction | None:
    found = next((r for r in tok.value.readings if r is not None), None)
    return None if found is None else found.value


def _decimal_place(written: str, decimal_comma: bool) -> Fraction | None:
    """The place a number written with decimals is given to (``2.10``: 1/100), else None."""
    m = re.search(r"\d([,.])(\d+)\D*$", written)
    if m is None or m.group(1) != ("," if decimal_comma else ".") or re.search(r"\d[,.]\d{3}[,.]", written):
        return None
    return Fraction(1, 10 ** len(m.group(2)))


_SHOWN = {"PLUS": "+", "DIV": "/", "LPAR": "(", "RPAR": ")", "TIMES": "*"}


def _made(doc: Document, left: list[Tok], right: Tok, label: str) -> Statement:
    shown = " ".join(doc.text[t.start : t.end] if t.end > t.start else _SHOWN.get(t.kind, "+") for t in left)
    first = next(t for t in left if t.end > t.start)
    sides = [Side(list(left), first.start, left[-1].end, shown), Side([right], right.start, right.end)]
    right_text = doc.text[right.start : right.end]
    return Statement(sides, ["="], first.start, right.end, False, shown=f"{label}: {shown} = {right_text}")


def lexer_for(doc: Document) -> Lexer:
    en, de = evidence(doc.masked)
    return Lexer(doc.masked, decimal_comma=de > en, latex=doc.syntax == "latex", macros=doc.macros)


def blocks(doc: Document, lexer: Lexer | None = None) -> Iterator[Block]:
    """The blocks of a document in order; prose without any relation is not read."""
    lexer = lexer or lexer_for(doc)
    text = doc.masked
    paragraph: list[tuple[int, int] | Span] = []

    def flush() -> Iterator[Block]:
        if not paragraph:
            return
        pieces = list(paragraph)
        paragraph.clear()
        if not any(_RELATION.search(text, *((p.start, p.end) if isinstance(p, Span) else p)) for p in pieces):
            return
        toks: list[Tok] = []
        for piece in pieces:
            if isinstance(piece, Span):
                toks.append(Tok("BOUND", piece.open, piece.open))
                toks.extend(lexer.math(piece.start, piece.end, piece.env))
                toks.append(Tok("BOUND", piece.close, piece.close))
            else:
                a, b = piece
                toks.extend(lexer.text(a, b, line_start=a == 0 or text[a - 1] == "\n"))
        first = pieces[0]
        last = pieces[-1]
        start = first.open if isinstance(first, Span) else first[0]
        end = last.close if isinstance(last, Span) else last[1]
        yield Block(toks, False, start, end)

    def prose(a: int, b: int) -> Iterator[Block]:
        pos = a
        for m in _BLANK_LINE.finditer(text, a, b):
            if _goes_on(text, m.end(), b):
                continue  # = 236,027,904 alone on its paragraph: the chain above goes on
            if m.start() > pos:
                paragraph.append((pos, m.start()))
            yield from flush()
            pos = m.end() - 1
        if b > pos:
            paragraph.append((pos, b))

    cursor = 0
    for span in doc.spans:
        yield from prose(cursor, span.open)
        if span.display:
            yield from flush()
            yield Block(lexer.math(span.start, span.end, span.env), True, span.start, span.end)
        else:
            paragraph.append(span)
        cursor = span.close
    yield from prose(cursor, len(text))
    yield from flush()


#: words after which an equality restates the value before them (``= 11,689,512, i.e. ≈ 11.7M``)
RESTATING = {"i.e.", "i. e.", "ie", "that is", "so", "also", "thus", "or", "about", "roughly", "approx.", "ca.",
             "d.h.", "d. h.", "즉", "약", "대략", "etwa", "rund", "circa", "environ", "soit"}


#: words that say the figure after them is rounded (62,378,344, about 62.4M)
APPROXIMATELY = {"about", "approximately", "approx.", "approx", "roughly", "around", "some", "ca.", "circa", "rund",
                 "etwa", "ungefähr", "environ", "약", "대략", "约", "大约", "約", "およそ", "~"}


class _Cutter:
    def __init__(self, block: Block) -> None:
        self.block = block
        self.out: list[Statement] = []
        self.sides: list[list[Tok]] = []
        self.rels: list[str] = []
        self.side: list[Tok] = []
        self.depth = 0
        self.abs_open = 0
        # the last side before prose cut the statement, and the words since: a statement of
        # prose may go on from it (34,848 weights, + 96 = 34,944; 62,378,344 in all, ≈ 62.4M)
        self.carry: list[Tok] | None = None
        self.gap: list[str] = []
        self.toks: list[Tok] = []
        self.skip_to = -1  # the tokens of a label in brackets, up to here, are not read
        #: sides that may be labels rather than arithmetic, by index: see :func:`read_labels`
        self.labels: dict[int, str] = {}
        #: words set to an expression on the line before: (the words, the expression)
        self.pending: tuple[tuple[str, ...], list[Tok]] | None = None

    def resume(self, sides: list[list[Tok]], rels: list[str]) -> bool:
        """Put the carried side in front of a statement that starts with an operator or a
        relation: the first of :data:`_RESUMPTIONS` that fits."""
        if not self.carry or not sides or len(self.gap) > 3:
            return False
        carry, gap = self.carry, [w.lower() for w in self.gap]
        return any(resumption(carry, gap, sides, rels) for resumption in _RESUMPTIONS)

    def end_side(self) -> None:
        if self.depth:
            self.side.append(Tok("UNK", self.side[-1].end if self.side else 0, 0, "unbalanced brackets"))
        self.sides.append(self.side)
        self.side = []
        self.depth = self.abs_open = 0

    def end_statement(self, *, prose: bool = False) -> None:
        if not self.side and not self.sides and not self.depth:
            if not prose:
                self.carry = None
            return  # nothing to end
        self.end_side()
        sides, rels = self.sides, self.rels
        self.sides, self.rels = [], []
        labels, self.labels = self.labels, {}
        read_labels(sides, labels)
        self.same_label(sides, rels)
        resumed = self.resume(sides, rels)
        last = next((side for side in reversed(sides) if side), None)
        if last is not None:
            self.carry, self.gap = (last if prose and all(t.kind != "UNK" for t in last) else None), []
        elif not prose:
            self.carry = None
        _trim(sides, rels)
        if len(sides) < 2:
            return
        made = _sides(sides)
        self.out.append(Statement(made, rels[: len(made) - 1], made[0].start, made[-1].end, self.block.math,
                                  resumed))

    def same_label(self, sides: list[list[Tok]], rels: list[str]) -> None:
        """``intensity = 2 * 50 / (4 * 3)`` then, on the next line, ``intensity = 8.33``: the
        words set to an expression, then to a number, make one chain."""
        label = tuple(w.lower() for w in self.gap)
        pending, self.pending = self.pending, None
        if len(sides) != 2 or sides[0] or not label or not sides[1]:
            return
        if any(t.kind in OPERATORS for t in sides[1]):
            self.pending = (label, sides[1])
        elif pending is not None and pending[0] == label and [t.kind for t in sides[1]] == ["NUM"]:
            sides[0] = pending[1]

    def last_kind(self) -> str | None:
        if self.side:
            return self.side[-1].kind
        return "REL" if self.sides else None


def _rounded_number(side: list[Tok]) -> bool:
    """A side that is one number written rounded (``6,238만``, ``62.4M``)."""
    return len(side) == 1 and side[0].kind == "NUM" and any(
        r is not None and r.rounded for r in side[0].value.readings)


def _goes_on_by_operator(carry: list[Tok], gap: list[str], sides: list[list[Tok]], rels: list[str]) -> bool:
    """``34,848 weights, + 96 = 34,944``: the statement's first side starts with an operator."""
    first = sides[0]
    if not (first and first[0].kind in ("PLUS", "TIMES", "DIV") and rels):
        return False
    at = carry[0].start
    sides[0] = [Tok("LPAR", at, at), *carry, Tok("RPAR", at, at), *first]
    return True


def _rounded_restatement(carry: list[Tok], gap: list[str], sides: list[list[Tok]], rels: list[str]) -> bool:
    """``62,378,344개, 약 6,238만 개``; ``62,378,344，约 6238 万``: a lone rounded figure after
    words that say it is approximate restates the carried side."""
    words = [w for w in gap if w != ","]
    if not (len(sides) == 1 and _rounded_number(sides[0]) and words and all(w in APPROXIMATELY for w in words)):
        return False
    sides.insert(0, list(carry))
    rels.append("~")
    return True


def _restatement(carry: list[Tok], gap: list[str], sides: list[list[Tok]], rels: list[str]) -> bool:
    """``11,689,512, i.e. ≈ 11.7M``: a statement starting with its relation, after words that
    restate (or, with ``≈``, a large figure and a rounded one), goes on from the carried side."""
    if not rels or sides[0] or len(sides) <= 1:
        return False
    restating = any(w in RESTATING for w in gap) or " ".join(gap) in RESTATING
    big = len(carry) == 1 and carry[0].kind == "NUM" and (
        len(carry[0].value.digits) >= 5 or not carry[0].value.text.isdigit())
    if not (restating or (rels[0] == "~" and big and _rounded_number(sides[1]))):
        return False
    sides[0] = list(carry)
    return True


#: how a statement of prose goes on from the side carried before the words that cut it, tried in order
_RESUMPTIONS = (_goes_on_by_operator, _rounded_restatement, _restatement)


def _goes_on(text: str, k: int, end: int) -> bool:
    """Whether the paragraph at ``k`` starts with ``=`` or ``≈`` (after at most a few blank
    lines): it continues the chain of the paragraph before."""
    stop = min(end, k + 40)
    while k < stop and text[k] in " \t\n":
        k += 1
    return k < stop and text[k] in "=≈" and text[k + 1 : k + 2] not in ("=", ">")  # not => or ==


def _trim(sides: list[list[Tok]], rels: list[str]) -> None:
    """Empty sides at either end go, with their relations."""
    while sides and not sides[0]:
        sides.pop(0)
        if rels:
            rels.pop(0)
    while sides and not sides[-1]:
        sides.pop()
        if rels:
            rels.pop()


def _sides(sides: list[list[Tok]]) -> list[Side]:
    made: list[Side] = []
    for toks in sides:
        real = [t for t in toks if t.kind != "UNK" or t.end]
        if not real:  # a = = b, or a side of nothing but a marker
            at = made[-1].end if made else (toks[0].start if toks else 0)
            made.append(Side(toks or [Tok("UNK", at, at, "an empty side")], at, at))
            continue
        made.append(Side(toks, real[0].start, real[-1].end))
    return made


#: words after ``A → B = P%`` saying that P is how much B is below A, or above it (a word
#: starts with one of the first, or holds one of the CJK ones)
_LOWER = (("fewer", "less", "smaller", "lower", "cheaper", "reduc", "decrease", "saving", "cut"),
          ("减少", "降低", "减小", "節約", "削減", "減少", "低減", "감소", "절감", "줄"))
_HIGHER = (("more", "larger", "bigger", "higher", "increase"), ("增加", "增长", "增大", "증가", "増加"))


def _says(word: str, words: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    w = word.lower()
    return w.startswith(words[0]) or any(x in w for x in words[1])


def _change(toks: list[Tok], k: int) -> list[Tok] | None:
    """At the arrow ``toks[k]`` of ``A → B = P% fewer`` (``more``), the tokens of
    ``(A - B) / A = P%`` (``(B - A) / A``): the percentage is the change from A to B, not B.
    The divisor sits, without width, where B ends: the side still shows as ``A → B``."""
    if not (k > 0 and k + 4 < len(toks) and toks[k].value in ("→", "->")):
        return None
    a, b, rel, pct, word = toks[k - 1], toks[k + 1], toks[k + 2], toks[k + 3], toks[k + 4]
    if not (a.kind == b.kind == pct.kind == "NUM" and rel.kind == "REL" and word.kind == "WORD"
            and str(pct.value.text).endswith("%") and not str(b.value.text).endswith("%")):
        return None
    lower = _says(str(word.value), _LOWER)
    if not (lower or _says(str(word.value), _HIGHER)):
        return None
    first, second = (a, b) if lower else (b, a)
    return [Tok("LPAR", a.start, a.start), first, Tok("MINUS", a.end, a.end), second, Tok("RPAR", b.end, b.end),
            Tok("DIV", b.end, b.end), Tok("NUM", b.end, b.end, a.value), rel, pct]


def _changes(toks: list[Tok]) -> list[Tok]:
    """The block's tokens with each change written with an arrow read as one (:func:`_change`)."""
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        made = _change(toks, k) if toks[k].kind == "CUT" else None
        if made is None:
            out.append(toks[k])
            k += 1
            continue
        out[-1:] = made  # A, the arrow, B, the relation and P become the change and P
        k += 4
    return out


def cut(block: Block) -> list[Statement]:
    """The statements of one block: each token kind has its own rule (:data:`_ON_KIND`)."""
    c = _Cutter(block)
    c.toks = toks = _changes(block.toks[:MAX_BLOCK_TOKENS])
    for k, t in enumerate(toks):
        if t.kind != "REL" and k < c.skip_to:
            continue
        _ON_KIND.get(t.kind, _on_operand)(c, k, t)
    c.end_statement()
    if len(block.toks) > MAX_BLOCK_TOKENS:
        at = block.toks[MAX_BLOCK_TOKENS].start
        shown = f"(tokens {MAX_BLOCK_TOKENS:,} to {len(block.toks):,} of a block)"
        c.out.append(Statement([], [], at, at, block.math, shown=shown, truncated=True))
    return c.out


def _next(c: _Cutter, k: int) -> str | None:
    return c.toks[k + 1].kind if k + 1 < len(c.toks) else None


def _on_rel(c: _Cutter, k: int, t: Tok) -> None:
    if c.depth and not c.block.math and c.side[: c.depth] and all(x.kind == "LPAR" for x in c.side[: c.depth]):
        # prose in brackets: (138,357,544 ≈ 138.4M)
        del c.side[: c.depth]
        c.depth = 0
    if c.depth:
        c.side.append(Tok("UNK", t.start, t.end, "a relation inside brackets"))
    else:
        c.end_side()
        c.rels.append(t.value)


def _on_cut(c: _Cutter, k: int, t: Tok) -> None:
    math = c.block.math
    if t.value == "|" and not c.depth and _next(c, k) == "REL":
        return  # a table cell that starts with = goes on from the cell before
    if t.value == "(" and not math and (after := _label_end(c.toks, k + 1, c.side)) is not None:
        c.skip_to = after  # 650,080 (conv outputs) + 9,192: a label in brackets
        return
    if t.kind == "COMMA" and c.depth:
        c.side.append(t)
    elif _glued_group(c.toks, k):
        c.depth = 0
        c.end_statement(prose=True)
        c.side.append(Tok("UNK", t.start, t.end, "a figure run together with a word before it"))
    elif c.depth and math:
        c.side.append(Tok("UNK", t.start, t.end, t.value or ","))
    else:
        c.depth = 0
        had = bool(c.side or c.sides)
        c.end_statement(prose=True)
        if not had and t.kind == "COMMA":
            c.gap.append(",")


def _glued_group(toks: list[Tok], k: int) -> bool:
    """Whether the comma at ``k`` sits inside a figure glued to a word (``Conv128x28x64,704``:
    table cells run together): the three digits after it are a group of that figure."""
    if k == 0 or k + 1 >= len(toks):
        return False
    word, comma, after = toks[k - 1], toks[k], toks[k + 1]
    return (word.kind == "WORD" and str(word.value)[-1:].isdigit() and word.end == comma.start
            and after.kind == "NUM" and after.start == comma.end and after.end - after.start == 3)


def _on_word(c: _Cutter, k: int, t: Tok) -> None:
    """A word: it goes on joining numbers, counts things, labels a number, or ends the statement."""
    if c.side and c.side[-1].kind == "UNK" and str(c.side[-1].value).startswith("numbers joined by words"):
        c.side.append(Tok("UNK", t.start, t.end, f"numbers joined by words ({t.value})"))
        return  # 25 less 3 of them = 22: the words go on joining the numbers
    if (end := counted(c.side, c.toks, k)) is not None:
        c.skip_to = end  # 2个3×3 = 1个5×5: counts of things
        return
    if _unit_label(c, k, t):
        return
    if c.depth and c.block.math:
        c.side.append(Tok("UNK", t.start, t.end, t.value))
        return
    _prose_word(c, k, t)


def _unit_label(c: _Cutter, k: int, t: Tok) -> bool:
    """A unit label after a number, before an operator or a relation (34,848 weights + 96
    biases) or, for a word that counts, a closing bracket (``(5*5*3 + 1 bias)``), skipped;
    after a size, maybe what it is the size of (:func:`.labels.read_labels`).
    A word glued to the ``=`` after it is the name of a setting (``...をstride=2``), not a label."""
    nxt = _next(c, k)
    label_before = nxt in OPERATORS - {"POW"} or (nxt == "REL" and any(x.kind in OPERATORS for x in c.side)) or (
        nxt == "RPAR" and c.depth > 0 and counting(str(t.value)))  # 10 * (5*5*3 + 1 bias) = 760
    setting = nxt == "REL" and c.toks[k + 1].start == t.end and str(t.value)[-1:].isascii()
    if not (c.side and c.side[-1].kind in ("NUM", "RPAR") and label_before) or setting:
        return False
    if nxt == "REL" and is_size(c.side) and not counting(str(t.value)):
        c.labels[len(c.sides)] = str(t.value)
    return True


def _prose_word(c: _Cutter, k: int, t: Tok) -> None:
    """A word of prose ends the statement; a number after some words is only an operand."""
    nxt = _next(c, k)
    word = str(t.value).lower()
    between = (bool(c.side) and c.side[-1].kind in ("NUM", "RPAR") and nxt in _STARTS_OPERAND
               and word in ARITHMETIC_WORDS)
    c.depth = 0
    had = bool(c.side or c.sides)
    c.end_statement(prose=True)
    if not had:
        c.gap.append(str(t.value))
    if word in COMPARED and _compared(c, k, t):
        return
    if between or (word in OPERAND_OF and nxt in _STARTS_OPERAND):
        # 50% of 10 = 5: what follows a word between two numbers is not a whole side;
        # grew by 3 = 4, faster than 2 = ...: the number is an operand of what the words say
        c.side.append(Tok("UNK", t.start, t.end, f"numbers joined by words ({t.value})"))
    elif nxt in _JOINS_BEFORE and c.toks[k + 1].start - t.end <= 1:
        # FC3120x400 + 120 = 48,120 (table cells run together): the word is the sum's first
        # operand, not prose before it; a sum without it is not what the line says
        c.side.append(Tok("UNK", t.start, t.end, f"a word as an operand ({t.value})"))


def _compared(c: _Cutter, k: int, t: Tok) -> bool:
    """``15.3% vs. 26.2% = 10.9pp``: what follows ``vs.`` is one side of a comparison whose
    gap the ``=`` gives, not a side equal to it."""
    j = k + 2 if _next(c, k) == "CUT" and c.toks[k + 1].value == "." else k + 1
    if j >= len(c.toks) or c.toks[j].kind not in _STARTS_OPERAND:
        return False
    c.skip_to = j
    c.side.append(Tok("UNK", t.start, t.end, f"a comparison ({t.value}): the gap it gives is not read"))
    return True


def _on_newline(c: _Cutter, k: int, t: Tok) -> None:
    if c.depth:
        return
    prev = c.last_kind()
    nxt = _next_kind(c.toks, k + 1)
    if prev in OPERATORS or prev == "REL" or nxt == "REL" or nxt in ("PLUS", "MINUS", "TIMES", "DIV"):
        return
    c.end_statement()


def _on_bound(c: _Cutter, k: int, t: Tok) -> None:
    toks = c.toks
    prev = c.side[-1].kind if c.side else None
    nxt = _next(c, k)
    if prev == "NUM" and nxt == "WORD" and (scale := unit_scale(str(toks[k + 1].value))) is not None:
        # $\approx 11.69$ million
        last = c.side[-1]
        last.value = last.value.scaled(Fraction(scale), None, last.value.text + " " + str(toks[k + 1].value))
        toks[k + 1] = Tok("BOUND", toks[k + 1].start, toks[k + 1].end)
        return
    if not c.side and not c.sides:
        return
    if prev in OPERATORS or prev is None or nxt in OPERATORS or nxt == "REL" or nxt == "BOUND":
        return
    c.end_statement()


def _on_bar(c: _Cutter, k: int, t: Tok) -> None:
    if (not c.side or c.side[-1].kind in _EXPECTS_OPERAND) and t.value != "rvert":
        c.abs_open += 1
        _on_operand(c, k, Tok("ABSL", t.start, t.end))
    elif c.abs_open:
        c.abs_open -= 1
        _on_operand(c, k, Tok("ABSR", t.start, t.end))
    else:
        c.side.append(Tok("UNK", t.start, t.end, "|"))


def _on_operand(c: _Cutter, k: int, t: Tok) -> None:
    """An operand, an operator or a bracket: it goes on the side."""
    math = c.block.math
    if t.kind in _OPEN:
        c.depth += 1
    elif t.kind in _CLOSE:
        if c.depth == 0:
            if not math:
                c.end_statement()
                return
            c.side.append(Tok("UNK", t.start, t.end, "unbalanced brackets"))
            return
        c.depth -= 1
    elif _next_equation(c, t, math):
        c.end_statement()  # 6x(5x5+1)=156 6x2=12: a result, then the next equation of a row
    c.side.append(t)


def _on_lpar(c: _Cutter, k: int, t: Tok) -> None:
    """A bracket glued to a figure that holds only words before an operator or relation is the
    figure's label (``256(in) × 5×5 × 192(out) = 1,228,800``), skipped; else an operand."""
    glued = bool(c.side) and c.side[-1].kind == "NUM" and c.side[-1].end == t.start
    if glued and not c.block.math and (after := _label_end(c.toks, k, c.side)) is not None:
        c.skip_to = after
        return
    _on_operand(c, k, t)


_ON_KIND = {"REL": _on_rel, "CUT": _on_cut, "COMMA": _on_cut, "WORD": _on_word, "NL": _on_newline,
            "BOUND": _on_bound, "BAR": _on_bar, "LPAR": _on_lpar}


def _next_equation(c: _Cutter, t: Tok, math: bool) -> bool:
    """Whether a number after a space starts a new equation: the side so far is one number
    right after a relation (``= 156 6x2 = 12`` in a row of equations, ``=13 13x13x192``), or
    a product written without spaces (``16x2 120x(...)``: two cells of a row)."""
    if t.kind != "NUM" or math or c.depth or not c.side or c.side[-1].kind != "NUM" or t.start == c.side[-1].end:
        return False
    if c.rels and len(c.side) == 1:
        return True
    # 1x1x8760 10x(120+1)=1210: a product written without spaces, then a space, is a cell of a row
    return len(c.side) >= 3 and all(b.start == a.end for a, b in zip(c.side, c.side[1:]))


def _label_end(toks: list[Tok], k: int, side: list[Tok]) -> int | None:
    """Where a bracketed label of words ends, when an operator follows it, or a relation
    and the side has arithmetic (``3 (hours) = 180 (minutes)`` is not a claim)."""
    if k >= len(toks) or toks[k].kind != "LPAR":
        return None
    j = k + 1
    while j < len(toks) and toks[j].kind in ("WORD", "COMMA", "NL"):
        j += 1
    if j == k + 1 or j >= len(toks) or toks[j].kind != "RPAR":
        return None
    after = toks[j + 1].kind if j + 1 < len(toks) else None
    if after == "REL" and not any(t.kind in OPERATORS for t in side):
        return None
    return j + 1 if after in ("PLUS", "MINUS", "TIMES", "DIV", "REL") else None


def _next_kind(toks: list[Tok], k: int) -> str | None:
    while k < len(toks) and toks[k].kind == "NL":
        k += 1
    return toks[k].kind if k < len(toks) else None


__all__ = ["Side", "Statement", "Block", "statements", "blocks", "cut", "tidy", "lexer_for", "OPERATORS"]
