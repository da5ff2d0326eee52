"""Finding the math of a document: masking code and comments, then the math regions."""

from __future__ import annotations

import re

_MATH_ENVS = ("equation", "align", "gather")
_ENV_BEGIN = re.compile(r"\\begin\{(" + "|".join(_MATH_ENVS) + r")(\*?)\}")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BACKTICKS = re.compile(r"`+")
_VERBATIM_ENV = re.compile(
    r"\\begin\{(verbatim|Verbatim|lstlisting|minted|comment)\*?\}.*?\\end\{\1\*?\}", re.S
)
_VERB = re.compile(r"\\verb\*?([^a-zA-Z\s*])[^\n]*?\1")


def _blank_all(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match by spaces, keeping newlines so offsets and lines stay put."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _is_latex(text: str, name: str) -> bool:
    if name.lower().endswith((".tex", ".ltx", ".latex")):
        return True
    return "\\documentclass" in text or "\\begin{document}" in text


def _blank_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in ranges:
        for k in range(start, end):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


def _mask_markdown(text: str) -> str:
    text = _blank_all(text, _HTML_COMMENT)
    # Fenced code blocks: a closing fence uses the same character, at least as long.
    ranges, pos = [], 0
    while (m := _FENCE_OPEN.search(text, pos)) is not None:
        fence = m.group(1)
        close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        c = close.search(text, m.end())
        pos = c.end() if c else len(text)
        ranges.append((m.start(), pos))
    text = _blank_ranges(text, ranges)
    # Code spans: a run of n backticks closes at the next run of exactly n.
    ranges, pos = [], 0
    while (m := _BACKTICKS.search(text, pos)) is not None:
        c = re.compile(r"(?<!`)" + m.group(0) + r"(?!`)").search(text, m.end())
        pos = c.end() if c else m.end()
        if c is not None:
            ranges.append((m.start(), c.end()))
    return _blank_ranges(text, ranges)


def _mask_latex(text: str) -> str:
    text = _blank_all(text, _VERBATIM_ENV)
    text = _blank_all(text, _VERB)
    out = list(text)
    i = 0
    while i < len(out):
        if out[i] == "\\":
            i += 2
        elif out[i] == "%":
            while i < len(out) and out[i] != "\n":
                out[i] = " "
                i += 1
        else:
            i += 1
    return "".join(out)


def _find_close(text: str, start: int, close: str) -> int:
    """Index of ``close`` at or after ``start``, stepping over backslash escapes; -1 if none."""
    i = start
    while i < len(text):
        if text.startswith(close, i):
            return i
        i += 2 if text[i] == "\\" else 1
    return -1


def _math_spans(text: str, markdown: bool) -> list[tuple[int, int]]:
    """(start, end) offsets of the contents of every math region, in document order."""
    spans = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            pair = text[i : i + 2]
            if pair in ("\\(", "\\["):
                close = "\\)" if pair == "\\(" else "\\]"
                j = _find_close(text, i + 2, close)
                if j >= 0:
                    spans.append((i + 2, j))
                    i = j + 2
                    continue
            elif (m := _ENV_BEGIN.match(text, i)) is not None:
                end_tag = "\\end{" + m.group(1) + m.group(2) + "}"
                j = _find_close(text, m.end(), end_tag)
                if j >= 0:
                    spans.append((m.end(), j))
                    i = j + len(end_tag)
                    continue
            i += 2
        elif c == "$" and text.startswith("$$", i):
            j = _find_close(text, i + 2, "$$")
            if j < 0:
                i += 2
                continue
            spans.append((i + 2, j))
            i = j + 2
        elif c == "$":
            j = _inline_close(text, i + 1, markdown)
            if j < 0:
                i += 1
                continue
            spans.append((i + 1, j))
            i = j + 1
        else:
            i += 1
    return spans


def _inline_close(text: str, start: int, markdown: bool) -> int:
    # Markdown follows pandoc: no space just inside the dollars, no digit right after the
    # closing one, no blank line inside; that keeps "$5 and $10" prose out of the math.
    if markdown and (start >= len(text) or text[start].isspace()):
        return -1
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n" and re.match(r"\n[ \t]*\n", text[i:]):
            return -1
        if c == "$":
            if not markdown:
                return i
            if not text[i - 1].isspace() and not text[i + 1 : i + 2].isdigit():
                return i
        i += 1
    return -1

