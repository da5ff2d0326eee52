"""How symcnn writes numbers, in every view: one home.

Whole numbers with thousands separators in either convention (``1,234.5`` as the article
writes, ``1.234,5`` as many European documents do, ``34{,}848`` in LaTeX), exact decimals
(whole-number arithmetic: a float would misprint a large quotient), and one policy for huge
numbers: up to :data:`FULL_DIGITS` digits a number is written out; a longer one shows its
first and last digits and how many there are, whichever view writes it (the summary, a
report, check-doc), and never reaches Python's limit on converting long numbers.

>>> grouped(62378344), grouped(34848, TEX), grouped(-1234567, DE)
('62,378,344', '34{,}848', '-1.234.567')
>>> grouped(10**100 + 7)
'10,000,000,000,000,…,000,000,000,007 (101 digits)'
>>> exact(Fraction(69696, 5), DE), exact(Fraction(1, 3))
('13.939,2', '1/3')
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Convention:
    """How a number is written: what separates groups of three digits, what comes before the
    decimals, and what stands for a huge number's middle digits."""

    separator: str
    point: str = "."
    ellipsis: str = "…"


#: The article's convention, ``34,848`` and ``53.25``.
EN = Convention(",")
#: ``34.848`` and ``53,25``.
DE = Convention(".", ",")
#: LaTeX: ``34{,}848`` (a bare comma in math mode is followed by a space).
TEX = Convention("{,}", ".", r"\ldots{}")
#: No separators: ``34848``.
PLAIN = Convention("")

#: The most digits a number is written out with; a longer one shows its ends and its length.
FULL_DIGITS = 40
_FULL = 10**FULL_DIGITS
#: The digits a huge number shows at its end (its start shows as many and up to two more, to
#: end on a group of three).
_END_DIGITS = 12


def digit_count(n: int) -> int:
    """Decimal digits of ``abs(n)`` without converting it to text (no size limit).

    >>> digit_count(0), digit_count(-999), digit_count(10**5000)
    (1, 3, 5001)
    """
    n = abs(n)
    d = max(1, int(n.bit_length() * 0.30102999566398120))
    while 10**d <= n:
        d += 1
    while d > 1 and 10 ** (d - 1) > n:
        d -= 1
    return d


def _groups(digits: str, separator: str) -> str:
    if len(digits) <= 3 or not separator:
        return digits
    head = len(digits) % 3 or 3
    return separator.join([digits[:head], *(digits[k : k + 3] for k in range(head, len(digits), 3))])


def grouped(n: int, convention: Convention = EN) -> str:
    """A whole number with thousands separators; past :data:`FULL_DIGITS` digits, its ends and its length."""
    sign, n = ("-" if n < 0 else ""), abs(n)
    if n < _FULL:
        return sign + _groups(str(n), convention.separator)
    count = digit_count(n)
    shown = _END_DIGITS + (count % 3 or 3)  # the head ends on a group boundary of the whole number
    head = str(n // 10 ** (count - shown))
    tail = str(n % 10**_END_DIGITS).rjust(_END_DIGITS, "0")
    sep = convention.separator
    return f"{sign}{_groups(head, sep)}{sep}{convention.ellipsis}{sep}{_groups(tail, sep)} ({count:,} digits)"


def every_digit(n: int, convention: Convention = EN) -> str:
    """A whole number with thousands separators and every digit, however long: for a reader that
    recomputes it (the HTML report's live numbers), not for a person (:func:`grouped`).

    >>> every_digit(10**42, TEX).count("{,}")
    14
    """
    return ("-" if n < 0 else "") + _groups(str(abs(n)), convention.separator)


def places(q: Fraction) -> int | None:
    """The decimals ``q`` needs to be written exactly; None where it does not terminate.

    >>> places(Fraction(213, 4)), places(Fraction(1, 3)), places(Fraction(7))
    (2, None, 0)
    """
    d, twos, fives = q.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    return max(twos, fives) if d == 1 else None


def fixed(q: Fraction, decimals: int, convention: Convention | None = None) -> str:
    """``q`` with ``decimals`` decimals, exact where ``q * 10**decimals`` is whole, else cut toward 0.

    Without a ``convention``, the digits as they are, for a reader that parses them (none
    grouped, none left out).

    >>> fixed(Fraction(-1, 8), 3), fixed(Fraction(2, 3), 4), fixed(Fraction(1234567, 2), 1, EN)
    ('-0.125', '0.6666', '617,283.5')
    """
    sign = "-" if q < 0 else ""
    scaled = abs(q) * 10**decimals
    whole, part = divmod(scaled.numerator // scaled.denominator, 10**decimals)
    digits = str(whole) if convention is None else grouped(whole, convention)
    point = "." if convention is None else convention.point
    return f"{sign}{digits}{point}{part:0{decimals}d}" if decimals else sign + digits


def terminating(q: Fraction, *, max_places: int = 15, convention: Convention | None = None) -> str | None:
    """A quotient as an exact decimal where it terminates within ``max_places`` decimals, else None.

    >>> terminating(Fraction(213, 4)), terminating(Fraction(1, 3))
    ('53.25', None)
    >>> terminating(Fraction(90071992547409930 - 11, 4))
    '22517998136852479.75'
    """
    needed = places(q)
    if needed is None or needed > max_places:
        return None
    return fixed(q, needed, convention)


def decimal(q: Fraction, *, decimals: int = 6, convention: Convention | None = None) -> str:
    """A quotient as a decimal: exact where it terminates, else cut to ``decimals`` decimals and ``...``.

    >>> decimal(Fraction(217, 4)), decimal(Fraction(217, 3))
    ('54.25', '72.333333...')
    """
    found = terminating(q, max_places=decimals, convention=convention)
    return found if found is not None else fixed(q, decimals, convention) + "..."


def exact(q: Fraction, convention: Convention = EN) -> str:
    """An exact value: a whole number, a terminating decimal, or ``p/q`` (each part grouped).

    >>> [exact(Fraction(5, 2)), exact(Fraction(-1, 8)), exact(Fraction(1, 3)), exact(Fraction(10**6))]
    ['2.5', '-0.125', '1/3', '1,000,000']
    """
    if q.denominator == 1:
        return grouped(q.numerator, convention)
    found = terminating(q, max_places=FULL_DIGITS, convention=convention)
    if found is not None:
        return found
    return f"{grouped(q.numerator, convention)}/{grouped(q.denominator, convention)}"


__all__ = ["Convention", "EN", "DE", "TEX", "PLAIN", "FULL_DIGITS", "digit_count", "grouped", "every_digit", "places",
           "fixed", "terminating", "decimal", "exact"]
