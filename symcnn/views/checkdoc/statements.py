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
skipped (``34,848 weights + 96 biases = 34,944``). A statement needs two sides.

>>> from symcnn.views.checkdoc.find import find
>>> doc = find("so 5x5x3 = 75 weights, and $a=2; b=3$", "markdown")
>>> [[side.text(doc) for side in st.sides] for st in statements(doc)]
[['5x5x3', '75'], ['a', '2'], ['b', '3']]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from .find import Document, Span
from .literals import evidence, unit_scale
from .tokens import Lexer, Tok

OPERATORS = {"PLUS", "MINUS", "TIMES", "DIV", "POW"}
_OPEN = {"LPAR", "LBRACE", "LBRACK", "LFLOOR", "LCEIL", "ABSL"}
_CLOSE = {"RPAR", "RBRACE", "RBRACK", "RFLOOR", "RCEIL", "ABSR"}
#: Words that join two statements (``x = 3 and 2 + 2 = 4``); any other word between two
#: numbers may be part of the arithmetic (``50% of 10``, ``227 minus 11``).
CONJUNCTIONS = {
    "and", "or", "so", "then", "thus", "hence", "therefore", "while", "but", "where", "whereas", "with", "since",
    "because", "giving", "gives", "give", "yields", "yield", "also", "und", "oder", "dann", "et",
    "donc", "y", "그리고", "및", "와", "과", "이고", "이며", "이므로", "따라서", "그래서", "즉", "또는", "그러면",
}
_STARTS_OPERAND = {"NUM", "NAME", "LPAR", "LBRACE", "FUNC", "LFLOOR", "LCEIL", "FRAC", "SQRT", "BINOM"}
_EXPECTS_OPERAND = OPERATORS | _OPEN | {"REL", "FRAC", "BINOM", "SQRT", "COMMA", "FUNC"}
_RELATION = re.compile(r"[=≈≃≅≒∼＝≔]|\\(?:approx|simeq|sim|coloneqq|thickapprox|fallingdotseq|doteq)(?![A-Za-z])"
                       r"|&(?:asymp|approx|equals);|\d\s*~\s*\d")
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

    def text(self, doc: Document) -> str:
        return tidy(doc.text[self.start : self.end])


@dataclass
class Statement:
    """A chain ``side rel side rel side ...``; ``rels[k]`` joins ``sides[k]`` and ``sides[k + 1]``."""

    sides: list[Side]
    rels: list[str]
    start: int
    end: int
    math: bool  # display math (True) or prose with inline math (False)

    def text(self, doc: Document) -> str:
        return tidy(doc.text[self.start : self.end])


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
    """Every statement of the document, in order."""
    for block in blocks(doc):
        yield from cut(block)


def lexer_for(doc: Document) -> Lexer:
    en, de = evidence(doc.masked)
    return Lexer(doc.masked, decimal_comma=de > en, latex=doc.syntax == "latex")


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


class _Cutter:
    def __init__(self, block: Block) -> None:
        self.block = block
        self.out: list[Statement] = []
        self.sides: list[list[Tok]] = []
        self.rels: list[str] = []
        self.side: list[Tok] = []
        self.depth = 0
        self.abs_open = 0

    def end_side(self) -> None:
        if self.depth:
            self.side.append(Tok("UNK", self.side[-1].end if self.side else 0, 0, "unbalanced brackets"))
        self.sides.append(self.side)
        self.side = []
        self.depth = self.abs_open = 0

    def end_statement(self) -> None:
        self.end_side()
        sides, rels = self.sides, self.rels
        self.sides, self.rels = [], []
        while sides and not sides[0]:
            sides.pop(0)
            if rels:
                rels.pop(0)
        while sides and not sides[-1]:
            sides.pop()
            if rels:
                rels.pop()
        if len(sides) < 2:
            return
        made: list[Side] = []
        for toks in sides:
            real = [t for t in toks if t.kind != "UNK" or t.end]
            if not real:  # a = = b, or a side of nothing but a marker
                at = made[-1].end if made else (toks[0].start if toks else 0)
                made.append(Side(toks or [Tok("UNK", at, at, "an empty side")], at, at))
                continue
            made.append(Side(toks, real[0].start, real[-1].end))
        self.out.append(Statement(made, rels[: len(made) - 1], made[0].start, made[-1].end, self.block.math))

    def last_kind(self) -> str | None:
        if self.side:
            return self.side[-1].kind
        return "REL" if self.sides else None


def cut(block: Block) -> list[Statement]:
    """The statements of one block."""
    c = _Cutter(block)
    toks = block.toks[:MAX_BLOCK_TOKENS]
    math = block.math
    n = len(toks)
    for k, t in enumerate(toks):
        kind = t.kind
        if kind == "REL":
            if c.depth and not math and c.side[: c.depth] and all(x.kind == "LPAR" for x in c.side[: c.depth]):
                # prose in brackets: (138,357,544 ≈ 138.4M)
                del c.side[: c.depth]
                c.depth = 0
            if c.depth:
                c.side.append(Tok("UNK", t.start, t.end, "a relation inside brackets"))
            else:
                c.end_side()
                c.rels.append(t.value)
            continue
        if kind in ("CUT", "COMMA"):
            if t.value == "|" and not c.depth and k + 1 < n and toks[k + 1].kind == "REL":
                continue  # a table cell that starts with = goes on from the cell before
            if kind == "COMMA" and c.depth:
                c.side.append(t)
            elif c.depth and math:
                c.side.append(Tok("UNK", t.start, t.end, t.value or ","))
            else:
                c.depth = 0
                c.end_statement()
            continue
        if kind == "WORD":
            nxt = toks[k + 1].kind if k + 1 < n else None
            label_before = nxt in OPERATORS - {"POW"} or (nxt == "REL" and any(x.kind in OPERATORS for x in c.side))
            if c.side and c.side[-1].kind in ("NUM", "RPAR") and label_before:
                continue  # a unit label: 34,848 weights + 96 biases
            if c.depth and math:
                c.side.append(Tok("UNK", t.start, t.end, t.value))
                continue
            between = (bool(c.side) and c.side[-1].kind in ("NUM", "RPAR") and nxt in _STARTS_OPERAND
                       and str(t.value).lower() not in CONJUNCTIONS)
            c.depth = 0
            c.end_statement()
            if between:
                # 50% of 10 = 5: what follows a word between two numbers is not a whole side
                c.side.append(Tok("UNK", t.start, t.end, f"numbers joined by words ({t.value})"))
            continue
        if kind == "NL":
            if c.depth:
                continue
            prev = c.last_kind()
            nxt = _next_kind(toks, k + 1)
            if prev in OPERATORS or prev == "REL" or nxt == "REL" or nxt in ("PLUS", "MINUS", "TIMES", "DIV"):
                continue
            c.end_statement()
            continue
        if kind == "BOUND":
            prev = c.side[-1].kind if c.side else None
            nxt = toks[k + 1].kind if k + 1 < n else None
            if prev == "NUM" and nxt == "WORD" and (scale := unit_scale(str(toks[k + 1].value))) is not None:
                # $\approx 11.69$ million
                last = c.side[-1]
                last.value = last.value.scaled(Fraction(scale), None, last.value.text + " " + str(toks[k + 1].value))
                toks[k + 1] = Tok("BOUND", toks[k + 1].start, toks[k + 1].end)
                continue
            if not c.side and not c.sides:
                continue
            if prev in OPERATORS or prev is None or nxt in OPERATORS or nxt == "REL" or nxt == "BOUND":
                continue
            c.end_statement()
            continue
        if kind == "BAR":
            if (not c.side or c.side[-1].kind in _EXPECTS_OPERAND) and t.value != "rvert":
                t = Tok("ABSL", t.start, t.end)
                c.abs_open += 1
            elif c.abs_open:
                t = Tok("ABSR", t.start, t.end)
                c.abs_open -= 1
            else:
                t = Tok("UNK", t.start, t.end, "|")
            kind = t.kind
        if kind in _OPEN:
            c.depth += 1
        elif kind in _CLOSE:
            if c.depth == 0:
                if not math:
                    c.end_statement()
                    continue
                c.side.append(Tok("UNK", t.start, t.end, "unbalanced brackets"))
                continue
            c.depth -= 1
        c.side.append(t)
    c.end_statement()
    return c.out


def _next_kind(toks: list[Tok], k: int) -> str | None:
    while k < len(toks) and toks[k].kind == "NL":
        k += 1
    return toks[k].kind if k < len(toks) else None


__all__ = ["Side", "Statement", "Block", "statements", "blocks", "cut", "tidy", "lexer_for", "OPERATORS"]
