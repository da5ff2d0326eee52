"""Formulas written with words, whose values the prose just above gives.

Course notes and posts often write the output size with words for names and give the
values in the sentence before::

    The kernel is 11x11x3, stride = 4, padding = 2.
    wide = (224 + 2 * padding - kernel_size) / stride + 1 = 55

A reader puts the kernel size, stride and padding in (``(224 + 4 - 11)/4 + 1 = 55.25``).
:func:`word_formulas` finds such lines and writes them with the values in, naming the line
each value came from; the checker then checks the line so written. Only the three settings
of a convolution or pooling are put in (kernel size, stride, padding), each from the nearest
of the few lines above that states it; a formula with any other word is left as it is.

A size stated as a result alone (``result = 4``), the formula shown only as a picture, is
checked against ``(I - K + 2P)/S + 1`` when the lines above give all four of the input size,
kernel, padding and stride: floored or ceiled, since a pooling may use either.

>>> text = ("The kernel is 11x11x3, stride = 4, padding = 2.\\n"
...         "wide = (224 + 2 * padding - kernel_size) / stride + 1 = 55")
>>> [(f.line, f.readings, f.sources) for f in word_formulas(text)]
[(2, ('(224 + 2 * 2 - 11) / 4 + 1 = 55',), 'kernel_size = 11, padding = 2, stride = 4 (line 1)')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: how far above a formula its values are looked for, in lines
REACH = 8
#: formulas read in one document, at most
MOST = 500
#: the longest line read as a formula
_LONGEST = 300

_SEP = r"\s{0,3}(?:[=:：]|为|是|は|는|은|이|가|of|is)\s{0,3}[:：]?\s{0,3}"
#: each setting: the words a formula names it with, and how prose states its value
_SETTINGS = (
    ("kernel", re.compile(r"kernel(?:_?size)?|k_?size|filter_?size", re.I),
     re.compile(r"(?:kernel[ _]?size|kernel|filter[ _]?size|卷积核的?(?:大小|尺寸)|核的?大小|커널 ?크기|필터 ?크기"
                r"|カーネル ?サイズ|フィルタ ?サイズ)" + _SEP + r"\(?\s{0,3}(\d{1,4})(?!\d|\.\d)", re.I)),
    ("stride", re.compile(r"strides?", re.I),
     re.compile(r"(?:stride|步长|步幅|스트라이드|ストライド)" + _SEP + r"\(?(\d{1,3})(?!\d|\.\d)", re.I)),
    ("padding", re.compile(r"padding|pad", re.I),
     re.compile(r"(?:padding|pad|填充|패딩|パディング)" + _SEP + r"\(?(\d{1,3})(?!\d|\.\d)", re.I)),
    ("input", re.compile(r"input(?:_?size)?", re.I),
     re.compile(r"(?:input(?: size)?|输入(?:大小|尺寸)?|입력(?: ?크기)?|入力(?:サイズ)?)" + _SEP
                + r"\(?(\d{1,4})(?!\d|\.\d)", re.I)),
)
#: a result stated alone, the formula it comes from shown as a picture: ``得结果=14``
_RESULT = re.compile(r"(?m)^[ \t]{0,40}(?:[^\W\d]{1,3}[ \t]{0,2})?"
                     r"(?:结果|結果|result|output(?: size)?|输出(?:大小|尺寸)?|결과|출력(?: ?크기)?|出力(?:サイズ)?)"
                     r"[ \t]{0,3}(?:[=:：]|为|是|は|는|은|is)[ \t]{0,3}(?P<value>\d{1,5})[ \t.。]{0,3}$", re.I)
#: the settings an output size follows from, in the order of the formula
_OUTPUT_SIZE = ("input", "kernel", "padding", "stride")
#: a formula line: an optional ``name =``, an expression of words and numbers, ``=``, a number
_LINE = re.compile(r"(?m)^\s{0,40}(?:[^\W\d]\w{0,30}\s{0,3}=\s{0,3})?(?P<expr>[\w \t+\-*/×().]{3,200})"
                   r"=\s{0,3}(?P<value>\d{1,9}(?:\.\d{1,6})?)[ \t.。]{0,3}")
_WORD = re.compile(r"[^\W\d]\w{0,40}")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class WordFormula:
    """A formula line (``line``, from 1) as written, and the readings of it with the values
    put in: the line is right when one of them is."""

    line: int
    written: str
    readings: tuple[str, ...]
    sources: str


def _setting(word: str) -> str | None:
    return next((name for name, words, _ in _SETTINGS if words.fullmatch(word)), None)


def _stated(lines: list[str], number: int, name: str) -> tuple[str, int] | None:
    """The value of setting ``name`` the nearest line above ``number`` (from 1) states, and
    that line."""
    prose = next(p for n, _, p in _SETTINGS if n == name)
    for k in range(number - 1, max(0, number - 1 - REACH), -1):
        found = prose.findall(lines[k - 1][:2000])
        if found:
            return found[-1], k
    return None


def _formula(lines: list[str], number: int) -> WordFormula | None:
    line = lines[number - 1]
    m = _LINE.fullmatch(line) if len(line) <= _LONGEST else None
    if m is None:
        return None
    expr = m.group("expr")
    words = {w.group() for w in _WORD.finditer(expr)}
    names = {w: _setting(w) for w in words}
    if not words or None in names.values() or not any(c.isdigit() for c in expr):
        return None
    values = {w: _stated(lines, number, name) for w, name in names.items() if name is not None}
    if None in values.values():
        return None
    found = {w: v for w, v in values.items() if v is not None}
    put = _WORD.sub(lambda w: found[w.group()][0], expr).strip()
    return WordFormula(number, line.strip(), (f"{put} = {m.group('value')}",), _sources(found))


def _sources(found: dict[str, tuple[str, int]]) -> str:
    """``kernel_size = 11, stride = 4 (line 6)``: the values put in and where they were."""
    names = ", ".join(f"{w} = {v}" for w, (v, _) in sorted(found.items()))
    where = sorted({k for _, k in found.values()})
    return f"{names} (line{'s' if len(where) > 1 else ''} {', '.join(map(str, where))})"


def _output_size(lines: list[str], number: int) -> WordFormula | None:
    """A size stated as a result after the lines above give the input, kernel, padding and
    stride: ``(I - K + 2P)/S + 1``, floored or ceiled (a pooling may use either)."""
    line = lines[number - 1]
    m = _RESULT.fullmatch(line) if len(line) <= _LONGEST else None
    if m is None:
        return None
    found = {name: v for name in _OUTPUT_SIZE if (v := _stated(lines, number, name)) is not None}
    if len(found) < len(_OUTPUT_SIZE):
        return None
    i, k, p, s = (found[name][0] for name in _OUTPUT_SIZE)
    value = m.group("value")
    readings = tuple(f"{a}({i} - {k} + 2 * {p}) / {s}{b} + 1 = {value}" for a, b in (("⌊", "⌋"), ("⌈", "⌉")))
    return WordFormula(number, line.strip(), readings, "O = (I - K + 2P)/S + 1 and " + _sources(found))


def word_formulas(text: str) -> list[WordFormula]:
    """The formula lines of ``text`` written with the words of a layer's settings, each with
    the values the lines above state put in."""
    lines = text.split("\n")
    found: list[WordFormula] = []
    for number, line in enumerate(lines, 1):
        if not _DIGIT.search(line):
            continue
        if (f := _formula(lines, number) or _output_size(lines, number)) is not None:
            found.append(f)
            if len(found) >= MOST:
                break
    return found


__all__ = ["word_formulas", "WordFormula", "REACH"]
