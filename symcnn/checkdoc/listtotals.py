r"""Totals under a list of rows: ``TOTAL memory: 24M`` under one line per layer, each with a
``memory: ...`` field, says that the fields add up to it.

A total line is ``TOTAL <field>:`` (or ``Total``, ``Sum``, Chinese ``总``, Korean ``총``
before the field); its rows are the lines just above it (blank lines between them allowed)
that have the same ``<field>:``, each giving its value as the last number of the field (after
an ``=`` when there is one: ``memory: 224*224*64=3.2M``). The rows are figures rounded to
what is written (``150K``, ``3.2M``: trailing zeros are not significant), so the sum may be
off by half a last place of each; the total is judged to its own figures as any claim.

>>> from symcnn.checkdoc.find import find
>>> from symcnn.checkdoc.statements import lexer_for
>>> doc = find("A: memory: 2*3=6\nB: memory: 7\nC: memory: 4*5=20\nTOTAL memory: 34\n", "text")
>>> [([doc.text[t.start:t.end] for t in terms if t.end > t.start], doc.text[total.start:total.end], label)
...  for terms, total, label, _ in list_totals(doc, lexer_for(doc))]
[(['6', '7', '20'], '34', 'memory, total')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction

from .find import Document
from .tokens import Lexer, Tok

_TOTAL = re.compile(r"^[ \t>*+#|-]{0,8}(?:total|sum|总|총)[ \t]{0,3}(?P<field>[^\W\d_]{1,30})[ \t]{0,3}[:：]",
                    re.I | re.M)
#: the label of the next field on a row (``weights:``), where a field's text ends
_NEXT_FIELD = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,30}[ \t]{0,3}[:：]")
#: rows looked at above a total
MAX_ROWS = 400


def _lines_above(text: str, at: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line above offset ``at`` (the start of a line), nearest first."""
    end = at - 1
    for _ in range(MAX_ROWS):
        if end < 0:
            return
        start = text.rfind("\n", 0, end) + 1
        yield start, end
        end = start - 1


def _field_value(lexer: Lexer, text: str, start: int, end: int, field: str) -> Tok | None | bool:
    """The value a row gives its field: the token, None when the row has no such field,
    False when it has it without one number to read."""
    m = re.search(r"(?<![^\W\d_])" + re.escape(field) + r"[ \t]{0,3}[:：]", text[start:end], re.I)
    if m is None:
        return None
    a = start + m.end()
    nxt = _NEXT_FIELD.search(text, a, end)
    b = nxt.start() if nxt else end
    toks = [t for t in lexer.text(a, b, line_start=False) if t.kind != "NL"]
    rels = [k for k, t in enumerate(toks) if t.kind == "REL"]
    after = toks[rels[-1] + 1 :] if rels else toks
    nums = [t for t in after if t.kind == "NUM"]
    if len(nums) != 1 or (not rels and len(after) != 1):
        return False
    return nums[0]


def _total_value(lexer: Lexer, text: str, a: int, b: int) -> Tok | None:
    """The figure a total line gives: its first number (``24M * 4 bytes ~= 93MB``: 24M), or
    the result of a sum written there (``1 + 2 + 3 = 6``)."""
    toks = [t for t in lexer.text(a, b, line_start=False) if t.kind != "NL"]
    first_rel = next((k for k, t in enumerate(toks) if t.kind == "REL"), len(toks))
    if any(t.kind == "PLUS" for t in toks[:first_rel]):
        toks = toks[first_rel:]
    return next((t for t in toks if t.kind == "NUM"), None)


def figure(tok: Tok) -> Tok:
    """A row's value is a figure: its letter (``150K``) is a unit, not a name multiplied."""
    return Tok(tok.kind, tok.start, tok.end, replace(tok.value, suffix=None))


def half_place(tok: Tok) -> Fraction:
    """Half the last significant place of a rounded figure (``800K``: 50K), else 0."""
    found = next((r for r in tok.value.readings if r is not None), None)
    if found is None or not found.rounded:
        return Fraction(0)
    place = found.place
    while place and (found.value / place) % 10 == 0:
        place *= 10
    return place / 2


def list_totals(doc: Document, lexer: Lexer) -> Iterator[tuple[list[Tok], Tok, str, Fraction]]:
    """For each total line under rows of the same field: the rows' values, the total, a
    label and how far the sum may be from the total because the rows are rounded."""
    text = doc.masked
    for m in _TOTAL.finditer(text):
        field = m.group("field")
        line_end = text.find("\n", m.end())
        total = _total_value(lexer, text, m.end(), len(text) if line_end < 0 else line_end)
        if total is None:
            continue
        rows = _rows(lexer, text, m.start(), field)
        if rows is not None and len(rows) >= 3:
            rows.reverse()
            terms: list[Tok] = []
            for value in map(figure, rows):
                if terms:
                    terms.append(Tok("PLUS", value.start, value.start))
                terms.append(value)
            yield terms, figure(total), f"{field}, total", sum((half_place(t) for t in rows), Fraction(0))


def _rows(lexer: Lexer, text: str, at: int, field: str) -> list[Tok] | None:
    """The values of the rows above a total, nearest first; None when one cannot be read."""
    rows: list[Tok] = []
    blank = 0
    for start, end in _lines_above(text, at):
        if not text[start:end].strip():
            blank += 1
            if blank > 1:
                break
            continue
        blank = 0
        value = _field_value(lexer, text, start, end, field)
        if value is None:
            break
        if value is False:
            return None
        assert isinstance(value, Tok)
        rows.append(value)
    return rows


__all__ = ["list_totals"]
