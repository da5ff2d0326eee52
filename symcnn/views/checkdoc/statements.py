"""Cutting math into statements and each statement into sides, with positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = "\x1f"  # stands in for a thousands separator inside the working copy
_THOUSANDS = re.compile(r"(?<![\d.\\\x1f])\d{1,3}(?:(?:,|\{,\}|\\,)\d{3})+(?!\d)")
_SEPARATOR_IN_NUMBER = re.compile(r",|\{,\}|\\,")
_NOISE = re.compile(
    r"\\(?:label|tag\*?)\s*\{[^{}]*\}"
    r"|\\(?:nonumber|notag)(?![a-zA-Z])"
    r"|\\(?:begin|end)\s*\{(?:aligned|alignedat|split|gathered)\}(?:\{\d+\})?"
    r"|&"
)
_TEXT_CMDS = {"text", "textrm", "textit", "textbf", "textnormal", "mbox", "hbox", "intertext"}
_SEPARATOR_CMDS = {
    "approx", "approxeq", "ne", "neq", "le", "leq", "ge", "geq", "leqslant", "geqslant",
    "lt", "gt", "ll", "gg", "sim", "simeq", "cong", "equiv", "propto", "doteq",
    "to", "rightarrow", "Rightarrow", "longrightarrow", "Longrightarrow", "implies",
    "iff", "Leftrightarrow", "leftrightarrow", "mapsto", "therefore", "because", "in",
    "quad", "qquad",
}
_COMMAND = re.compile(r"\\([a-zA-Z]+)")
_LINE_SPACING = re.compile(r"\s*\[[^\]\n]*\]")  # the [2pt] of \\[2pt]


@dataclass(frozen=True)
class _Piece:
    start: int  # offsets into the span's working copy
    end: int
    line_start: bool  # first statement of a line (may continue the chain above)


def _working_copy(span_text: str) -> str:
    """Same length as the span: noise blanked, thousands separators marked."""
    w = _NOISE.sub(lambda m: " " * len(m.group(0)), span_text)
    w = w.replace("\\coloneqq", "=" + " " * 8).replace(":=", " =")
    return _THOUSANDS.sub(
        lambda m: _SEPARATOR_IN_NUMBER.sub(lambda s: _SEP * len(s.group(0)), m.group(0)), w
    )


def _pieces(w: str) -> list[_Piece]:
    """Statements of a span: cut at ``\\`` and at top-level separators."""
    pieces: list[_Piece] = []
    start, depth, line_start = 0, 0, True
    i = 0

    def cut(at: int, resume: int, newline: bool) -> None:
        nonlocal start, line_start
        pieces.append(_Piece(start, at, line_start))
        start, line_start = resume, newline

    while i < len(w):
        c = w[i]
        if c == "\\":
            if w.startswith("\\\\", i):
                j = i + 2
                if (m := _LINE_SPACING.match(w, j)) is not None:
                    j = m.end()
                cut(i, j, True)
                depth, i = 0, j
                continue
            m = _COMMAND.match(w, i)
            if m is None:
                i += 2
                continue
            if depth == 0 and m.group(1) in _TEXT_CMDS:
                j = _group_end(w, m.end())
                j = len(w) if j < 0 else j
                cut(i, j, False)
                i = j
                continue
            if depth == 0 and m.group(1) in _SEPARATOR_CMDS:
                cut(i, m.end(), False)
            i = m.end()
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ",;<>":
            cut(i, i + 1, False)
        i += 1
    cut(len(w), len(w), False)
    return pieces


def _group_end(w: str, i: int) -> int:
    """End of the brace group starting at (or after spaces from) ``i``; ``i`` if there is
    no group, -1 if it never closes."""
    j = i
    while j < len(w) and w[j].isspace():
        j += 1
    if j >= len(w) or w[j] != "{":
        return i
    depth = 0
    while j < len(w):
        if w[j] == "\\":
            j += 2
            continue
        if w[j] == "{":
            depth += 1
        elif w[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _split_sides(w: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each side of the top-level ``=`` signs in w[start:end]."""
    sides, depth, i, s = [], 0, start, start
    while i < end:
        c = w[i]
        if c == "\\":
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c == "=" and depth == 0:
            sides.append((s, i))
            s = i + 1
        i += 1
    sides.append((s, end))
    return sides

