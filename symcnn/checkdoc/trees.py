r"""Figures laid out as a tree or a list of shares: each node is the sum of its children, and a
share in brackets is the node's part of its parent (or of the rows it is listed with).

A row is a line ``label: value`` (``├─ conv: 13.8M (10%)``, ``- FC layers: 123.6M (90%)``);
rows on consecutive lines form a group. In a group drawn with ``├``, ``└`` and ``│`` a row's
depth is where its branch starts, and a line above the first branch without one is the root:

    params: 138.4M
    ├─ conv: 13.8M (10%)       13.8M / 138.4M is 10 %
    │  ├─ block1: 0.5M         block1 + block2 = 13.8M
    │  └─ block2: 13.3M
    └─ FC: 124.6M (90%)

A share is checked against its parent's value; rows without a parent whose shares add up to
100 % are shares of their sum (``- conv: 13.8M (10%)`` / ``- FC: 123.6M (90%)``). The values
are rounded to what is written, and the sums and shares are judged within that rounding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from .find import Document
from .listtotals import figure as _figure
from .listtotals import half_place as _half_place
from .tokens import Lexer, Tok

#: a row: indentation or tree marks, a branch, a label, a colon (bounded pieces: linear time)
_ROW = re.compile(r"(?P<lead>[ \t│|]{0,40})(?P<branch>[├└][─-]{1,4}|[-*+](?= ))?[ \t]{0,4}"
                  r"(?P<label>[^\s:：│├└][^:：\n]{0,40})[:：]")
MAX_GROUP = 400
#: the most a row's value (a figure, maybe a share in brackets) takes after its colon: a longer
#: rest of the line is prose or arithmetic, not read again as a value
_LONGEST_VALUE = 120


@dataclass
class Row:
    line: int
    depth: int
    value: Tok
    share: Tok | None
    drawn: bool  # a branch of a drawn tree


def _row(lexer: Lexer, text: str, start: int, end: int, line: int) -> Row | None:
    m = _ROW.match(text, start, end)
    if m is None or end - m.end() > _LONGEST_VALUE:
        return None
    toks = [t for t in lexer.text(m.end(), end, line_start=False) if t.kind != "NL"]
    share = None
    if len(toks) == 4 and [t.kind for t in toks[1:]] == ["LPAR", "NUM", "RPAR"] or (
            len(toks) == 5 and toks[1].kind == "CUT" and [t.kind for t in toks[2:]] == ["LPAR", "NUM", "RPAR"]):
        share = toks[-2]
        if not share.value.text.endswith("%"):
            return None
        toks = toks[:1]
    if len(toks) != 1 or toks[0].kind != "NUM":
        return None
    branch = m.group("branch") or ""
    drawn = branch[:1] in ("├", "└")
    depth = len(m.group("lead")) + (1 if branch else 0)
    return Row(line, depth, _figure(toks[0]), share and _figure(share), drawn)


def _groups(doc: Document, lexer: Lexer) -> Iterator[list[Row]]:
    text = doc.masked
    group: list[Row] = []
    pos = 0
    for line_no, line in enumerate(text.split("\n"), 1):
        row = _row(lexer, text, pos, pos + len(line), line_no) if ":" in line or "：" in line else None
        pos += len(line) + 1
        if row is not None and len(group) < MAX_GROUP:
            group.append(row)
            continue
        if len(group) >= 2:
            yield group
        group = [row] if row is not None else []
    if len(group) >= 2:
        yield group


def _value(tok: Tok) -> Fraction | None:
    found = next((r for r in tok.value.readings if r is not None), None)
    return None if found is None else found.value


def _pct_half(tok: Tok) -> Fraction:
    """Half a unit of the last digit of a percentage (``10%``: 0.5 %, ``9.5%``: 0.05 %)."""
    decimals = len(re.sub(r"\D", "", tok.value.text.partition(".")[2]))
    return Fraction(1, 200 * 10**decimals)


def _sum(rows: list[Row]) -> list[Tok]:
    terms: list[Tok] = []
    for row in rows:
        if terms:
            terms.append(Tok("PLUS", row.value.start, row.value.start))
        terms.append(row.value)
    return terms


def _children(group: list[Row], k: int) -> list[Row]:
    out: list[Row] = []
    for row in group[k + 1 :]:
        if row.depth <= group[k].depth:
            break
        if row.drawn and (not out or row.depth == out[0].depth):
            out.append(row)
    return out


def tree_statements(doc: Document, lexer: Lexer) -> Iterator[tuple[list[Tok], Tok, str, Fraction]]:
    """(left tokens, right token, label, tolerance) of each sum and share a tree or a list of
    shares states."""
    for group in _groups(doc, lexer):
        drawn = any(row.drawn for row in group)
        for k, row in enumerate(group):
            kids = _children(group, k) if drawn else []
            if len(kids) >= 2:
                yield _sum(kids), row.value, "children, total", sum((_half_place(r.value) for r in kids), Fraction(0))
        yield from _shares(group, drawn)


def _shares(group: list[Row], drawn: bool) -> Iterator[tuple[list[Tok], Tok, str, Fraction]]:
    parents: dict[int, list[Row]] = {}
    for k, row in enumerate(group):
        parent = next((group[j] for j in range(k - 1, -1, -1) if group[j].depth < row.depth), None) if drawn else None
        if row.share is not None:
            parents.setdefault(parent.line if parent else 0, []).append(row)
    for at, rows in parents.items():
        parent = next((r for r in group if r.line == at), None)
        if parent is None:
            yield from shares_of_sum(rows)
        else:
            for row in rows:
                yield _share(row, [parent.value])


def shares_of_sum(rows: list[Row]) -> Iterator[tuple[list[Tok], Tok, str, Fraction]]:
    """Each row's share of the rows' sum, when their shares add up to 100 % (within 2 %);
    else nothing: they are shares of something not listed."""
    shares = [v for r in rows if r.share is not None and (v := _value(r.share)) is not None]
    if len(rows) < 2 or len(shares) < len(rows) or abs(sum(shares, Fraction(0)) - 1) > Fraction(1, 50):
        return
    base = _sum(rows)
    for row in rows:
        yield _share(row, base)


def _share(row: Row, base: list[Tok]) -> tuple[list[Tok], Tok, str, Fraction]:
    assert row.share is not None
    at = row.value.start
    whole = sum((v for t in base if t.kind == "NUM" and (v := _value(t)) is not None), Fraction(0))
    part = _value(row.value) or Fraction(0)
    slack = sum((_half_place(t) for t in base if t.kind == "NUM"), Fraction(0))
    share_error = (part + _half_place(row.value)) / max(whole - slack, Fraction(1, 10**9)) - part / whole \
        if whole else Fraction(0)
    left = [row.value, Tok("DIV", at, at), Tok("LPAR", at, at), *base, Tok("RPAR", at, at)]
    return left, row.share, "share", abs(share_error) + _pct_half(row.share)


__all__ = ["tree_statements"]
