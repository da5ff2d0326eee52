r"""Numbers as people write them: separators, decimals, unit suffixes, rounded figures.

A document writes ``34,848`` (English: comma thousands, point decimals) or ``34.848``
(German and others: point thousands, comma decimals). Which one it uses is decided per
document from the numbers that can only be read one way (``1,234,567``, ``0.5``,
``1.234.567``, ``3,25`` ...), and per number where it cannot: a literal such as
``34.848`` keeps both readings, and the checker never calls a step wrong on one reading
that another makes right. Spaces (``62 378 344``, ``16\,781\,312``) and apostrophes
(``1'000``) group thousands in both conventions.

A literal may carry a scale: a unit suffix (``3.2M``, ``34.8k``, ``62 million``,
``3.2\text{ M}``, ``6,238만``), a percent sign or an exponent (``3.2e6``). Its *place* is
the value of one unit in its last written digit (``3.2M``: 100,000), which is what an
approximate equality is checked to.

>>> lit = read_number("34,848 + 96", 0)[0]
>>> lit.readings[EN].value, lit.readings[DE].value
(Fraction(34848, 1), Fraction(4356, 125))
>>> read_number("3.2M params", 0, text_mode=True)[0].readings[EN]
Reading(value=Fraction(3200000, 1), place=Fraction(100000, 1), rounded=True)
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from fractions import Fraction

from .. import numbers

EN, DE = 0, 1
_ONE = Fraction(1)
CONVENTIONS = ("1,234.5", "1.234,5")

#: Separators that group thousands in both conventions.
_SPACES = {" ", "\u2009", "\u202f", "\u00a0", "'", "\u2019", "\\,", "\\ ", "\\thinspace", "\\;"}
_THOUSANDS = ({",", "{,}"} | _SPACES, {".", "{.}"} | _SPACES)
_DECIMAL = ({"."}, {",", "{,}"})

_SEP = r"(?:,|\.|\{,\}|\{\.\}|'|\u2019|\\,|\\ |\\;|\\thinspace(?![A-Za-z]) ?|[ \u2009\u202f\u00a0])"
#: groups of three digits after the first, and a last group (decimals) of any length: a run
#: such as 1,1,1,1 is read a number at a time, never rescanned to its end from each one
_CANDIDATE = re.compile(r"\d+(?:" + _SEP + r"\d{3}(?!\d))*(?:" + _SEP + r"\d+)?|\.\d+", re.ASCII)
_GROUP_SPLIT = re.compile(r"(\d+)")
_EXPONENT = re.compile(r"[eE]([-+]?\d{1,4})(?![A-Za-z0-9])")
#: Digits written in a literal beyond which it is not read (the arithmetic has its own cap).
MAX_DIGITS = 5000
#: Groups of digits beyond which a run no convention reads is passed over whole.
MAX_GROUPS = 8

_SCALE_WORDS = {
    "thousand": 10**3, "thousands": 10**3, "million": 10**6, "millions": 10**6, "mio": 10**6,
    "billion": 10**9, "billions": 10**9, "bn": 10**9, "mrd": 10**9, "trillion": 10**12,
    "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "B": 10**9, "T": 10**12,
    "천": 10**3, "만": 10**4, "억": 10**8, "조": 10**12, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8,
}
#: Suffix letters that are also common names (``2K`` may be two kernels wide).
NAME_LIKE_SUFFIXES = {"K", "B", "T", "M", "G", "k"}
_TEXT_SUFFIX = re.compile(
    r"(?:(?P<letter>[kKMGBT])(?![^\W\d_])"
    r"|[ \u00a0](?P<spaced>[kKMGT])(?=[ \u00a0]*(?:$|[^\w\s(\[=≈~*×·+\-/^]))"  # 1.81 G; 25.6 M,
    r"|[ \u00a0]?(?P<hangul>[천만억조万萬亿億])"
    r"|[ \u00a0]?(?P<word>thousands?|millions?|billions?|trillion|bn|Mio|Mrd)\b\.?"
    r"|[ \u00a0]?(?P<pct>%))"
)


#: Units a number may carry, by dimension: memory (bytes, bits) and arithmetic (MACs,
#: FLOPs). A decimal prefix of bytes (KB, MB, GB) is also read in binary (1 KB = 1,024
#: bytes), as people use both; KiB, MiB, GiB are binary only.
_PREFIX = {"": 1, "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15}
_BINARY = {"": 1, "k": 2**10, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40, "P": 2**50}
_UNIT_WORD = re.compile(
    r"(?P<prefix>[kKMGTP]?)(?:(?P<bin>i)(?P<ibyte>B)|(?P<byte>B(?:ytes?)?)|(?P<bit>bits?)"
    r"|(?P<mac>MACs?|MACS|MAdds?|[Mm]ult-[Aa]dds)|(?P<flop>FLOPs?|FLOPS|flops?)|(?P<op>OPS|OPs|ops))(?![^\W\d_])"
    r"|(?P<word>bytes?|Bytes?|바이트|bits?|비트)(?![^\W\d_])"
)
_UNIT_AFTER = re.compile(r"[ \u00a0\u2009\u202f]?")
#: a unit per second (GB/s, GFLOPS is not told apart from GFLOPs)
_PER_SECOND = re.compile(r"/s\b|ps\b")


def unit_of(word: str) -> tuple[Fraction, str, Fraction | None] | None:
    """The factor, dimension and binary alternative of a unit written after a number:
    ``MiB`` (2**20, ``byte``), ``MB`` (10**6, ``byte``, or 2**20), ``GMACs`` (10**9, ``mac``),
    ``bits``; None for anything else.

    >>> unit_of("MiB"), unit_of("GFLOPs")[:2]
    ((Fraction(1048576, 1), 'byte', None), (Fraction(1000000000, 1), 'flop'))
    >>> unit_of("KB")
    (Fraction(1000, 1), 'byte', Fraction(128, 125))
    """
    m = _UNIT_WORD.fullmatch(word.strip())
    return None if m is None else _unit(m)


def _unit(m: re.Match[str]) -> tuple[Fraction, str, Fraction | None] | None:
    if m.group("word"):
        return Fraction(1), ("bit" if m.group("word").lower().startswith("bit") or m.group("word") == "비트"
                             else "byte"), None
    prefix = m.group("prefix")
    if m.group("ibyte"):
        return (Fraction(_BINARY[prefix]), "byte", None) if prefix else None
    if m.group("byte"):
        if m.group("byte") == "B" and not prefix:
            return Fraction(1), "byte", None  # "4 B": with a space only (4B is four billion)
        alt = Fraction(_BINARY[prefix], _PREFIX[prefix]) if prefix else None
        return Fraction(_PREFIX[prefix]), "byte", alt
    dim = "bit" if m.group("bit") else "mac" if m.group("mac") else "flop" if m.group("flop") else "op"
    return Fraction(_PREFIX[prefix]), dim, None


def unit_scale(word: str) -> int | None:
    """The multiplier a unit word stands for (``M``, ``million``, ``만``), or None."""
    word = word.strip().rstrip(".")
    return _SCALE_WORDS.get(word) or _SCALE_WORDS.get(word.lower()) if word else None


@dataclass(frozen=True)
class Reading:
    """A literal read in one convention: its value, the value of its last written place,
    and whether it may be a rounded figure (it has decimals, a unit suffix or an exponent)."""

    value: Fraction
    place: Fraction
    rounded: bool = False


@dataclass(frozen=True)
class Literal:
    """A number as written; ``readings[EN]``/``readings[DE]`` are None where that
    convention cannot read it. ``suffix`` is a one-letter unit suffix (``2K``), which is
    ambiguous where the document uses that letter as a name."""

    text: str
    digits: str
    readings: tuple[Reading | None, Reading | None]
    suffix: str | None = None
    #: the dimension of a unit written after it (``byte``, ``bit``, ``mac``, ``flop``)
    unit: str | None = None
    #: the factor to its other reading (binary for KB, MB, GB: 1,024/1,000 per prefix)
    alt: Fraction | None = None
    #: what its suffixes and unit multiply the number written by (3.2M: 1,000,000; 12.25 MiB: 2**20)
    scale: Fraction = Fraction(1)

    @property
    def ambiguous(self) -> bool:
        en, de = self.readings
        return en is not None and de is not None and en != de

    def reading(self, convention: int) -> Reading:
        """The reading in ``convention``, else the other one (``3.5`` reads only one way)."""
        found = self.readings[convention]
        if found is None:
            found = self.readings[1 - convention]
        if found is None:
            raise ValueError(f"a number of {len(self.digits):,} digits is not read (at most {MAX_DIGITS:,})")
        return found

    def scaled(self, factor: Fraction, suffix: str | None, text: str) -> Literal:
        en, de = (None if r is None else Reading(r.value * factor, r.place * factor, True) for r in self.readings)
        return Literal(text, self.digits, (en, de), suffix, self.unit, self.alt, self.scale * factor)

    def _replace_text(self, text: str) -> Literal:
        return Literal(text, self.digits, self.readings, self.suffix, self.unit, self.alt, self.scale)

    def with_unit(self, factor: Fraction, unit: str, alt: Fraction | None, text: str) -> Literal:
        """The literal in a unit (``12.25 MiB``); a scale already read stays (``1.8G MACs``)."""
        scaled = self.scaled(factor, self.suffix, text) if factor != 1 else self
        return Literal(text, self.digits, scaled.readings, self.suffix, unit, alt, scaled.scale)


def _norm(sep: str) -> str:
    return "\\thinspace" if sep.startswith("\\thinspace") else sep


def _decode(groups: list[str], seps: list[str], convention: int) -> Reading | None:
    """The reading of digit groups joined by separators in one convention, or None."""
    value_digits, decimals, grouped = groups[0], "", False
    for k, raw in enumerate(seps):
        sep, group = _norm(raw), groups[k + 1]
        if sep in _THOUSANDS[convention]:
            if len(group) != 3 or decimals:
                return None
            grouped = True
            value_digits += group
        elif sep in _DECIMAL[convention] and k == len(seps) - 1:
            decimals = group
        else:
            return None
    if grouped and (not 1 <= len(groups[0]) <= 3 or groups[0].startswith("0")):
        return None
    if len(value_digits) + len(decimals) > MAX_DIGITS:
        return None
    place = Fraction(1, 10 ** len(decimals))
    return Reading(Fraction(whole_number(value_digits + decimals)) * place, place, bool(decimals))


def whole_number(digits: str) -> int:
    """``int(digits)`` for any length (Python refuses to convert more than 4,300 digits at once)."""
    value = 0
    for k in range(0, len(digits), 4000):
        chunk = digits[k : k + 4000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def read_number(
    s: str, i: int, *, decimal_comma: bool = False, text_mode: bool = False, end: int | None = None
) -> tuple[Literal, int]:
    """The literal starting at ``s[i]`` (a digit, or a point before a digit) and where it ends.

    ``decimal_comma`` lets a comma that can only be a decimal mark (``3,25``) be one;
    otherwise such a number stops before the comma (``\\max(3,25)`` lists two numbers).
    ``text_mode`` reads unit suffixes written outside math (``3.2M``, ``50%``).
    """
    stop = len(s) if end is None else end
    m = _CANDIDATE.match(s, i, stop)
    assert m is not None, "read_number starts at a digit"
    literal, text, readable = _leading_literal(m.group(0), decimal_comma)
    j = i + len(text)
    if not readable:
        return literal, j
    if (e := _EXPONENT.match(s, j, stop)) is not None and literal.readings[EN] is not None:
        literal = literal.scaled(Fraction(10) ** int(e.group(1)), None, s[i : e.end()])
        j = e.end()
    if text_mode:
        return _text_suffix(s, i, j, stop, literal, decimal_comma)
    return literal, j


def _leading_literal(text: str, decimal_comma: bool) -> tuple[Literal, str, bool]:
    """The literal a run of digits and separators starts with, the text it spans, and whether
    it has a reading (one without is passed over whole, with no suffix read after it)."""
    literal = _literal(text, decimal_comma)
    if literal is None and len(_GROUP_SPLIT.findall(text)) > MAX_GROUPS:
        # a run of groups no convention reads (too many digits, mixed marks) is passed over
        # whole: read again from each of its groups, a long run would take quadratic time
        return Literal(text, re.sub(r"\D", "", text), (None, None)), text, False
    if literal is None:  # not a grouped number: the leading digits, with a point decimal
        simple = re.match(r"\d*\.\d+|\d+", text)
        assert simple is not None
        text = simple.group(0)
        literal = _literal(text, decimal_comma) or _literal(text.split(".")[0] or "0", decimal_comma)
        if literal is None:  # more digits than are read: no reading at all
            return Literal(text, re.sub(r"\D", "", text), (None, None)), text, False
    return literal, text, True


def _text_suffix(s: str, i: int, j: int, stop: int, literal: Literal, decimal_comma: bool) -> tuple[Literal, int]:
    """The literal ``s[i:j]`` with what prose writes after it: a unit (``12.25 MiB``), a scale
    (``3.2M``, ``62 million``, ``6,238만``) and a unit after the scale (``1.8G MACs``), a percent."""
    if (unit := read_unit(s, j, stop)) is not None:
        return literal.with_unit(unit[1], unit[2], unit[3], s[i : unit[0]]), unit[0]
    scale = _TEXT_SUFFIX.match(s, j, stop)
    if scale is None:
        return literal, j
    if scale.group("pct"):
        literal = literal.scaled(Fraction(1, 100), None, s[i : scale.end()])
    else:
        word = scale.group("letter") or scale.group("spaced") or scale.group("hangul") or scale.group("word")
        letter = scale.group("letter") or scale.group("spaced")
        literal = literal.scaled(Fraction(unit_scale(word) or 1), letter, s[i : scale.end()])
    j = scale.end()
    if scale.group("hangul") in _LARGE_UNITS and (rest := _compound(s, j, stop, decimal_comma, literal)):
        literal, j = rest[0]._replace_text(s[i : rest[1]]), rest[1]  # 1억 3,836만: one number
    if not scale.group("pct") and (unit := read_unit(s, j, stop, prefix=False)) is not None:
        literal, j = literal.with_unit(unit[1], unit[2], unit[3], s[i : unit[0]]), unit[0]  # 1.8G MACs
    return literal, j


#: units of 10**8 and more that a smaller unit's count may follow: 1억 3,836만, 1亿3836万
_LARGE_UNITS = {"억": 10**8, "亿": 10**8, "億": 10**8, "조": 10**12}
_SMALL_UNIT = re.compile(r"[ \u00a0]?([만万萬])")


def _compound(s: str, j: int, stop: int, decimal_comma: bool, big: Literal) -> tuple[Literal, int] | None:
    """``1억 3,836만``: the count of 10**4 after a count of 10**8, read as one number given to
    the place of the smaller count (10**4 here); None where no such count follows."""
    k = j + 1 if j < stop and s[j] in " \u00a0" else j
    if k >= stop or not "0" <= s[k] <= "9":
        return None
    m = _CANDIDATE.match(s, k, stop)
    small = _literal(m.group(0), decimal_comma) if m else None
    unit = _SMALL_UNIT.match(s, m.end(), stop) if m else None
    if small is None or unit is None or big.scale < 10**8:
        return None
    readings: list[Reading | None] = []
    for b, r in zip(big.readings, small.readings):
        if b is None or r is None or b.place < 10**8 or r.value >= 10**4:
            readings.append(None)
            continue
        readings.append(Reading(b.value + r.value * 10**4, r.place * 10**4, True))
    if readings == [None, None]:
        return None
    joined = Literal(big.text, big.digits + small.digits, (readings[0], readings[1]), big.suffix, scale=Fraction(10**4))
    return joined, unit.end()


def read_unit(s: str, j: int, stop: int, *, prefix: bool = True) -> tuple[int, Fraction, str, Fraction | None] | None:
    """A unit written at ``s[j]`` after a number (``12.25 MiB``, ``4 bytes``, ``1.8 GMACs``):
    where it ends, its factor, dimension and binary alternative."""
    k = _UNIT_AFTER.match(s, j, stop).end()  # type: ignore[union-attr]
    m = _UNIT_WORD.match(s, k, stop)
    if m is None or (m.group("prefix") and not prefix) or (m.group(0) == "B" and k == j):
        return None
    unit = _unit(m)
    if unit is None:
        return None
    factor, dim, alt = unit
    end = m.end()
    if (per := _PER_SECOND.match(s, end, stop)) is not None:
        dim, end = dim + "/s", per.end()
    return end, factor, dim, alt


@functools.lru_cache(maxsize=65536)
def _literal(text: str, decimal_comma: bool) -> Literal | None:
    if len(text) > MAX_DIGITS * 2:
        return None
    if text.isdigit() and len(text) <= 18:  # the common case: plain digits
        reading = Reading(Fraction(int(text)), _ONE)
        return Literal(text, text, (reading, reading))
    if text.startswith("."):
        place = Fraction(1, 10 ** (len(text) - 1))
        reading = Reading(Fraction(whole_number(text[1:])) * place, place, True)
        return Literal(text, text[1:], (reading, None))
    parts = _GROUP_SPLIT.split(text)
    groups, seps = parts[1::2], parts[2:-1:2]
    en, de = _decode(groups, seps, EN), _decode(groups, seps, DE)
    if en is None and de is None:
        return None
    if en is None and not decimal_comma and not any(_norm(sep) in (".", "{.}") for sep in seps):
        return None  # only a decimal comma reads it (3,25): a list in an English document
    return Literal(text, "".join(groups), (en, de))


# ---------------------------------------------------------------------------
# Which convention a document uses
# ---------------------------------------------------------------------------

_EVIDENCE = (
    re.compile(
        r"(?<![\d.,])\d{1,3}(?:,\d{3}){2,}(?![\d,])|\d,\d{3}\.\d"
        r"|(?<![\d.,])(?:\d+\.(?:\d{1,2}|\d{4,})|0\.\d+)(?![\d.,])"
    ),
    re.compile(
        r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![\d.])|\d\.\d{3},\d"
        r"|(?<![\d.,\[(])(?:\d+(?:,|\{,\})\d{1,2}|0(?:,|\{,\})\d+)(?![\d,\])×*·\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])"
    ),
)


def evidence(text: str) -> tuple[int, int]:
    """How many numbers in ``text`` only the English, and only the German convention reads.

    >>> evidence("34,848 and 4,096,000 and 0.75")
    (2, 0)
    >>> evidence("34.848 und 1.234.567 und 0,75")
    (0, 2)

    A comma before a size is a list's (``Conv2d(64→128,3×3)``), not a decimal comma:

    >>> evidence("Conv2d(64→128,3×3) and (0.5,)")
    (0, 0)
    """
    en = sum(1 for _ in _EVIDENCE[EN].finditer(text))
    de = sum(1 for _ in _EVIDENCE[DE].finditer(text))
    return en, de


# ---------------------------------------------------------------------------
# Writing values back
# ---------------------------------------------------------------------------

def format_int(n: int, convention: int = EN) -> str:
    """``n`` with thousands separators; a very long number shows its ends and its length
    (:func:`symcnn.numbers.grouped`, as every view writes numbers).

    >>> format_int(-1234567), format_int(1234567, DE)
    ('-1,234,567', '1.234.567')
    >>> format_int(10**100 + 7)
    '10,000,000,000,000,…,000,000,000,007 (101 digits)'
    """
    return numbers.grouped(n, _CONVENTIONS[convention])


def format_value(x: Fraction, convention: int = EN) -> str:
    """An exact value: a whole number, a terminating decimal, or ``p/q`` (:func:`symcnn.numbers.exact`).

    >>> [format_value(Fraction(5, 2)), format_value(Fraction(-1, 8)), format_value(Fraction(1, 3))]
    ['2.5', '-0.125', '1/3']
    >>> format_value(Fraction(69696, 5), DE)
    '13.939,2'
    """
    return numbers.exact(x, _CONVENTIONS[convention])


#: The conventions by their index here (EN, DE).
_CONVENTIONS = (numbers.EN, numbers.DE)


def digit_distance(a: str, b: str) -> int:
    """Edits between two digit strings: substitutions, adjacent swaps, insertions, deletions
    (restricted Damerau-Levenshtein), capped at 3.

    >>> digit_distance("94848", "34848"), digit_distance("9126", "9216"), digit_distance("96", "106")
    (1, 1, 2)
    """
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], 3)


def digits_of(x: Fraction) -> str | None:
    """The digits a value is written with (whole numbers and short decimals), for comparing
    what was written against what should have been."""
    if x.denominator == 1:
        n = abs(x.numerator)
        return str(n) if n < 10**60 else None
    text = format_value(x)
    return None if "/" in text else re.sub(r"\D", "", text)


def isqrt_exact(n: int) -> int | None:
    r = math.isqrt(n)
    return r if r * r == n else None


__all__ = [
    "EN", "DE", "CONVENTIONS", "Reading", "Literal", "read_number", "read_unit", "evidence", "unit_scale", "unit_of",
    "format_int", "format_value", "digit_distance", "whole_number", "digits_of", "NAME_LIKE_SUFFIXES", "MAX_DIGITS",
]
