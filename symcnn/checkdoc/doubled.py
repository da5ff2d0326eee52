r"""Formulas a flattened web page shows twice: a page that renders its math with MathJax keeps,
once its markup is gone, the rendered formula and then its source, with nothing between
(``32−5+1=2832−5+1=28`` for ``32−5+1=28``; ``4∗(3∗3+1)4∗(3∗3+1)``). The second copy is not
more arithmetic: read as it stands it glues two numbers (``2832``) or multiplies by a bracket
nobody wrote, so it is masked.

A copy is found inside one run of arithmetic characters: a piece ``S`` (three characters or
more, with a product, a quotient or an ``=`` in it, starting with a digit and ending with a
digit or a closing bracket) that starts where the run starts or after an operator, and is
followed at once by itself (so the copy joins it as ``2832`` or ``)4`` would), in a run not
grouped with digits either side by a separator (``34\,848=34848=34\ 848`` is one number
written in three ways, not a copy). Runs are
bounded (:data:`MAX_RUN` characters) and so is the work per document (:data:`BUDGET`
comparisons).

>>> [("32−5+1=2832−5+1=28 and 2∗22∗2"[a:b]) for a, b in doubled("32−5+1=2832−5+1=28 and 2∗22∗2")]
['32−5+1=28', '2∗2']
>>> doubled("3∗3∗3∗3 = 81, 1+11+1 = 13, (2+3)(2+3) = 25, 2∗3(2∗3) = 36")
[]
"""

from __future__ import annotations

import re

MAX_RUN = 200
#: piece comparisons per document, beyond which nothing more is looked for
BUDGET = 200_000
_RUN = re.compile(r"[0-9A-Za-z∗×·*+\-−/=().^]{6,200}")  # MAX_RUN
#: digits grouped with the run by a separator (``34\,``, ``34{,}``, ``34 ``; ``\ 848``, ``,848``)
_GROUPED_BEFORE = re.compile(r"\d(?:\\[, ]|\{,\}|[,.' \u2009])$")
_GROUPED_AFTER = re.compile(r"(?:\\[, ]|\{,\}|[,.' \u2009])\d")
_OPERATORS = frozenset("∗×·*+-−/=^")
_ENDS = frozenset("0123456789)")
_STRONG = frozenset("∗×·*/=")


def doubled(text: str) -> list[tuple[int, int]]:
    """(start, end) of each second copy of a formula in ``text``."""
    out: list[tuple[int, int]] = []
    budget = BUDGET
    for m in _RUN.finditer(text):
        run = m.group(0)
        if not _OPERATORS.intersection(run) or _GROUPED_BEFORE.search(text, max(0, m.start() - 4), m.start()) or \
                _GROUPED_AFTER.match(text, m.end(), m.end() + 4):
            continue  # part of a number grouped with spaces or commas (34\,848=34848)
        i = 0
        while i < len(run) - 5 and budget > 0:
            found = 0
            if i == 0 or run[i - 1] in _OPERATORS:
                found, spent = _copy_at(run, i)
                budget -= spent
            if found:
                out.append((m.start() + i + found, m.start() + i + 2 * found))
                i += 2 * found
            else:
                i += 1
    return out


def _copy_at(run: str, i: int) -> tuple[int, int]:
    """The length of a piece starting at ``i`` that is followed by itself (0: none), and the
    comparisons spent."""
    spent = 0
    for j in range(i + 3, (len(run) + i) // 2 + 1):
        size = j - i
        if run[j - 1] not in _ENDS or not run[i].isdigit() or run[j] != run[i]:
            continue
        spent += 1
        if run[i:j] == run[j : j + size] and _STRONG.intersection(run[i:j]) and not _part_of_number(run, j + size):
            return size, spent
    return 0, spent


def _part_of_number(run: str, k: int) -> bool:
    """The copy would end inside a number (``12+12+123``)."""
    return k < len(run) and (run[k].isdigit() or run[k] == ".")


__all__ = ["doubled"]
