"""Every regular expression check-doc runs over document text takes time linear in the text.

Each compiled pattern of ``symcnn.checkdoc`` is run (``finditer``, ``match`` and
``fullmatch``: the ways the package uses them, and the hardest, since ``finditer`` tries
every start) over adversarial strings: a short unit repeated ``n`` times, then a tail that
makes a match fail late (`` layer`` after a run of letters is what made a layer-name pattern
backtrack exponentially). ``n`` doubles until a run takes a measurable time; from there,
doubling the text must not more than about double the time (a text of
32K characters still too fast to measure passes) (linear: 2; quadratic: 4;
exponential: far more). Ratios of processor time, not seconds: the machine may be slow or shared.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import symcnn.checkdoc as checkdoc

#: short units people's text (and an adversary's) repeats: digits with separators, words,
#: spaces, brackets, math and Markdown marks
UNITS = ("1", "1,", "123,", "1.", "1 ", "a", "a ", "ab1", " ", "\n", "\t", "1x", "x", "(", "$", "\\", "{",
         "-", "=", "= 1 ", "|", "|-", "`", "*", "<!--", "1e", "1k ", ". ", "Conv", ": ", "×", "万", "만 ")
#: what follows the run: nothing, a word a pattern looks for, a sign, a digit, a line end
TAILS = ("", " layer", "=", "1", "\n")
#: time a run must take before its growth is judged (shorter runs are mostly noise)
MEASURABLE = 2e-3
#: a text this long that takes no measurable time is read in linear time (a quadratic
#: pattern would take some 10**8 steps on it)
LONGEST = 1 << 15


def patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for info in pkgutil.iter_modules(checkdoc.__path__):
        module = importlib.import_module(f"{checkdoc.__name__}.{info.name}")
        for name, value in vars(module).items():
            found += [(f"{info.name}.{name}", v) for v in _within(value)]
    return found


def _within(value, depth: int = 0) -> list[re.Pattern[str]]:
    """The patterns a module-level value holds: itself, or in a tuple or list (of tuples)."""
    if isinstance(value, re.Pattern):
        return [value]
    if isinstance(value, (tuple, list)) and depth < 2:
        return [p for v in value for p in _within(v, depth + 1)]
    return []


def cost(pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        for _m in pattern.finditer(text):
            pass
        pattern.match(text)
        pattern.fullmatch(text)
        best = min(best, time.process_time() - start)
    return max(best, 1e-7)


def growth(pattern: re.Pattern[str], unit: str, tail: str, pick=min) -> tuple[float, int]:
    """The ratio of times when the text doubles, once it is measurable, and the length reached.

    Of two doublings, the smaller ratio is kept (``pick=min``) so that one disturbed run does
    not fail a linear pattern; the self-check of a slow pattern keeps the larger (``pick=max``),
    for the same reason the other way round."""
    n, previous, ratios = 8, None, []
    while len(unit) * n <= LONGEST or ratios:
        elapsed = cost(pattern, unit * n + tail)
        if previous is not None and elapsed > MEASURABLE and elapsed / previous > 16:
            return elapsed / previous, n  # far worse than quadratic: do not go on
        if previous is not None and previous > MEASURABLE:
            ratios.append(elapsed / previous)
            if len(ratios) == 2:
                return pick(ratios), n
        previous, n = elapsed, n * 2
    return 0.0, n


def test_the_package_has_patterns():
    names = {name for name, _ in patterns()}
    assert {"literals._CANDIDATE", "network._NAME_FORM", "network._COUNT_BEFORE"} <= names


@pytest.mark.parametrize("name,pattern", patterns(), ids=[name for name, _ in patterns()])
def test_pattern_is_linear(name, pattern):
    worst = max((growth(pattern, u, t), u, t) for u in UNITS for t in TAILS)
    (ratio, n), unit, tail = worst
    assert ratio < 3, f"{name}: {unit!r} x {n:,} + {tail!r} takes {ratio:.1f} times as long as half as many"


def test_the_test_catches_quadratic_and_exponential_patterns():
    quadratic = re.compile(r"\s*x")  # every start scans the whole run of spaces
    exponential = re.compile(r"(?:[a-z]+)*?!")
    assert growth(quadratic, " ", "", pick=max)[0] > 3
    assert growth(exponential, "a", "", pick=max)[0] > 3
    assert growth(re.compile(r"(?<!\s)\s*x"), " ", "")[0] < 3


# -- the whole check, not one pattern ---------------------------------------------------------

#: Documents an adversary grows by repeating a unit: comma-grouped digits, a chain of equal
#: sides on one line, a chain whose every step is wrong (each wrong step is explained by looking
#: at the chain's other sides).
DOCUMENTS = {
    "comma-grouped-digits": "123,",
    "chain-of-equal-sides": "1 = ",
    "chain-of-wrong-steps": "6 x 7 = 43 = ",
}


def document_growth(unit: str) -> float:
    """The smaller of two ratios of processor time when the document doubles, from a size whose
    check takes a measurable time (1 s: a quadratic part shows past it)."""
    from symcnn.checkdoc import check_document

    n, previous, ratios = 500, None, []
    while len(ratios) < 2:
        start = time.process_time()
        check_document(unit * n + "1\n", name="doc.txt")
        elapsed = time.process_time() - start
        if previous is not None and previous > 1:
            ratios.append(elapsed / previous)
        previous, n = elapsed, n * 2
    return min(ratios)


@pytest.mark.parametrize("unit", DOCUMENTS.values(), ids=DOCUMENTS)
def test_check_document_is_linear(unit):
    # a chain of 20,000 equal sides took 2.5 s and 50,000 took 12.8 s (a list searched at every
    # step), a chain of 10,000 wrong steps 81 s (every explanation read every side)
    assert document_growth(unit) < 3
