r"""Which part of a wrong step is wrong, and why, using what the document itself says.

For a step ``left = right`` whose sides differ, the explanations tried, strongest first:

0. *A name set earlier*: in a chain of names, a name the document set on its own earlier
   is claimed to be another value (after ``H_3 = 16``, ``H_3 = H_4 = H_5 = 8``).
1. *A name's old value*: the side with names gives the other side's value when one of
   its names takes a value it had earlier (``K^{2} C N = 10,368`` after ``C = 3`` became
   ``C = 256``): the other side was computed with the old value.
2. *A wrong value put in*: a side has the shape of another side of the chain, or of the
   general formula of the name being defined (``P_c = W_c + B_c``), with a number where
   that one has a name or an expression, and the number is not what that stands for while
   the right value makes the step hold (``94,848 + 96 = 34,944`` where ``W_c = 34,848``:
   "94,848 should be W_c = 34,848 (line 121)"; ``1,180,160 + 4,791,616`` where the side
   before it has ``1,180,160 + 2 \times 2,359,808``).
3. *The chain*: another side of the same chain, or the general formula of the name being
   defined, agrees with one of the two sides; the other is wrong. If it is a number as
   written, it is named; inside an expression, a single number off by one digit is named.
4. *A rounded figure*: ``0.34`` for 1/3 should be the value rounded at its last digit.
5. *What the document shows*: of several single changes that make the step hold (the
   result, or one operand, off by one digit), the one whose right value the document writes
   elsewhere (``+ 4,096,000`` where its table gives fc8 4,097,000), or a result that is the
   other side with one term left out (``25,088 \cdot 4,096 + 4,096 = 102,760,448``).
6. *One slip*: a result one digit off (changed, swapped with its neighbour, dropped or
   doubled); else the one operand one digit off.

Each is one function of :data:`EXPLANATIONS`, tried in that order, the first that singles
out one part giving the blame; where none does, the blame is left out and both values are
given.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .evaluate import Unevaluable, evaluate
from .literals import digit_distance, digits_of, format_value
from .results import Blame
from .statements import Statement

# The checker (check.Checker) and its read sides (check.SideInfo) call in here; this module
# does not import them back, so they are typed loosely.
Checker = Any
SideInfo = Any

#: Numbers in a side beyond which no single operand is looked for.
MAX_OPERANDS = 40


@dataclass
class _Candidate:
    kind: str  # side | operand | stale
    label: str  # left | right (the side the blamed part is in)
    written: str
    value: Fraction
    line: int
    distance: int = 3
    because: str = ""


@dataclass
class _Step:
    """A wrong step as the explanations see it: its two sides, their values in the reading
    ``p``, the chain they are in and the checker that read the document so far."""

    checker: Checker
    st: Statement
    infos: list[SideInfo]
    a: int
    b: int
    p: int
    rel: str

    def __post_init__(self) -> None:
        self.left, self.right = self.infos[self.a], self.infos[self.b]
        lv, rv = self.left.values[self.p], self.right.values[self.p]
        assert lv is not None and rv is not None
        self.lv: Fraction = lv
        self.rv: Fraction = rv
        self.doc = self.checker.doc
        #: each side, with the value the other side gives it and its label
        self.pairs = ((self.left, rv, "left"), (self.right, lv, "right"))
        self._candidates: list[_Candidate] | None = None

    @property
    def results_first(self) -> tuple[tuple[SideInfo, Fraction, str], ...]:
        """The pairs, the right side (most often the result) first."""
        return self.pairs[::-1]

    def blame(self, c: _Candidate) -> Blame:
        part = "operand" if c.kind == "operand" else c.label
        return Blame(part, shown(c.written), format_value(c.value, self.p), c.because, c.line, c.label)

    def whole(self, info: SideInfo, target: Fraction, label: str, because: str = "") -> Blame:
        """The whole side should be ``target``, written as the side writes its figure."""
        p = self.p
        lit = info.literal()
        written = shown(lit.text) if lit is not None else info.side.text(self.doc)
        if lit is not None and lit.scale != 1:
            return Blame(label, written, self.in_unit(lit, target, lit.reading(p).place), because, info.line, label)
        place = info.precision(p, self.rel == "~") if lit is not None else None
        if place is not None:  # to the figures written: 0.131 should be 0.113, 6.3 should be 6.0
            return Blame(label, written, _at(_round(target, place), place, p), because, info.line, label)
        return Blame(label, written, format_value(target, p), because, info.line, label)

    def in_unit(self, lit, target: Fraction, place: Fraction) -> str:
        """``target`` in the figure's own unit and precision: 62.4M, 12.25 MiB, 553 MB."""
        compound = _COMPOUND.fullmatch(lit.text)
        if compound is not None:  # 1억 3,836만: the count of 10**8, then of 10**4
            n = _round(target / lit.scale, place / lit.scale)
            if n.denominator == 1 and n >= 0:
                big, small = divmod(int(n), 10**4)
                return f"{big:,}{compound.group(2)}{compound.group(3)}{small:,}{compound.group(5)}"
        number = _NUMBER_PART.match(lit.text)
        unit = lit.text[number.end() :] if number else ""
        value, step = target / lit.scale, place / lit.scale
        for _ in range(12):  # 4 bytes in MB: 0.000004 MB, not 0 MB
            if not value or _round(value, step):
                break
            step /= 10
        return _at(_round(value, step), step, self.p) + unit

    @property
    def candidates(self) -> list[_Candidate]:
        """Each single change that makes the step hold: a result as written, or one operand
        (worked out once, when an explanation first asks)."""
        if self._candidates is None:
            found = [_Candidate("side", label, lit.text, target, info.line, _distance(lit.digits, target))
                     for info, target, label in self.results_first if (lit := info.literal()) is not None]
            for info, target, label in self.pairs:
                found += _operands(self.checker, info, target, label, self.p)
            self._candidates = found
        return self._candidates


def _name_set_earlier(step: _Step) -> Blame | None:
    """0. In a chain of names, a name the document set earlier claimed to be another value."""
    checker, p, at = step.checker, step.p, step.doc.at
    for info, other, label in step.pairs:
        if info.name is not None and (binding := checker.env.get(info.name)) is not None:
            value = info.values[p]
            assert value is not None
            because = f"{info.name} = {format_value(value, p)} ({at(binding.line)}), not {format_value(other, p)}"
            return Blame("name", info.side.text(step.doc), format_value(value, p), because, info.line, label)
    return None


def _old_value(step: _Step) -> Blame | None:
    """1. One side gives the other's value with an earlier value of one of its names."""
    checker, left, right, lv, rv, p = step.checker, step.left, step.right, step.lv, step.rv, step.p
    stale = _stale(checker, left, right, rv, lv, "right", p) + _stale(checker, right, left, lv, rv, "left", p)
    return step.blame(stale[0]) if len(stale) == 1 else None


def _shapes(step: _Step) -> list[SideInfo]:
    """What a side of numbers may be the shape of: the sides of the chain that have a tree,
    and the general formulas of its names."""
    infos, formula_of = step.infos, step.checker.formula_of
    shapes = [info for info in infos if info.tree is not None]
    return shapes + [f for info in infos if info.name and (f := formula_of.get(info.name)) is not None]


def _value_put_in(step: _Step) -> Blame | None:
    """2. A number where another side of the chain, or the general formula, has a name or
    an expression, not what that stands for, while the right value makes the step hold."""
    checker, others = step.checker, _shapes(step)
    substituted: list[_Candidate] = []
    for info, target, label in step.pairs:
        if info.tree is None or info.names or info.literal() is not None:
            continue  # a result as written is judged by the explanations after this one
        for other in others:
            if other is info:
                continue
            for c in _substituted(checker, info, other, target, label, step.p):
                if all((c.written, c.line) != (n.written, n.line) for n in substituted):
                    substituted.append(c)
    return step.blame(substituted[0]) if len(substituted) == 1 else None


def _chain_refs(step: _Step) -> list[Fraction]:
    """The values of the chain's other sides (not names) and of the general formulas of its names."""
    checker, p = step.checker, step.p
    refs: list[Fraction] = []
    for k, info in enumerate(step.infos):
        value = info.values[p]
        if k not in (step.a, step.b) and info.name is None and value is not None:
            refs.append(value)
    for info in step.infos:
        formula = checker.formula_of.get(info.name) if info.name else None
        if formula is not None:
            with contextlib.suppress(Unevaluable):
                refs.append(checker.evaluate(formula, p))
    return refs


def _the_chain(step: _Step) -> Blame | None:
    """3. Another side of the chain, or the general formula, agrees with one side: the other
    is wrong (as a whole, or in its one operand off by one digit)."""
    refs = _chain_refs(step)
    left_agrees, right_agrees = step.lv in refs, step.rv in refs
    if left_agrees == right_agrees:
        return None
    wrong, target, label = (step.right, step.lv, "right") if left_agrees else (step.left, step.rv, "left")
    if wrong.literal() is not None:
        return step.whole(wrong, target, label)
    close = [c for c in _operands(step.checker, wrong, target, label, step.p) if c.distance <= 1]
    if len(close) == 1:
        return step.blame(close[0])
    return step.whole(wrong, target, label)


def _rounded_figure(step: _Step) -> Blame | None:
    """4. A rounded figure (0.34 for 1/3): the value rounded at its last digit, in its own unit."""
    p = step.p
    for info, target, label in step.results_first:
        place = info.precision(p, step.rel == "~")
        if place is None:
            continue
        sci = info.scientific()
        if sci is not None:
            return Blame(label, info.side.text(step.doc), _scientific(target, sci[0].reading(p).place), "",
                         info.line, label)
        lit = info.literal()
        if lit is not None and lit.scale != 1:
            # in the figure's own unit: 64.2M should be 62.4M, 14.25 MiB should be 12.25 MiB
            return Blame(label, shown(lit.text), step.in_unit(lit, target, place), "", info.line, label)
        if lit is not None:
            return step.whole(info, _round(target, place), label)
    return None


def _what_the_document_shows(step: _Step) -> Blame | None:
    """5. A result that is the other side with one term left out; else, of several slips of
    one digit, the one whose right value the document writes elsewhere."""
    checker, p = step.checker, step.p
    candidates = step.candidates
    for (info, target, label), other in zip(step.results_first, (step.left, step.right)):
        lit = info.literal()
        if lit is not None and (term := _dropped_term(checker, other, lit.reading(p).value, p)) is not None:
            return step.whole(info, target, label, f"it leaves out {term}")
    slips = [c for c in candidates if c.distance <= 1]
    elsewhere = [c for c in slips if abs(c.value) >= 100 and checker.written_elsewhere(c.value, step.st)]
    if len(slips) > 1 and len(elsewhere) == 1:
        c = elsewhere[0]
        c.because = f"{format_value(c.value, p)} as the document gives it elsewhere"
        return step.blame(c)
    return None


def _one_slip(step: _Step) -> Blame | None:
    """6. A result one digit off; else the one operand one digit off."""
    results = [c for c in step.candidates if c.kind == "side" and c.distance <= 1]
    if results:
        return step.blame(results[0])
    close = [c for c in step.candidates if c.kind == "operand" and c.distance <= 1]
    return step.blame(close[0]) if len(close) == 1 else None


#: How many sides of a chain, each way, the explanations of a wrong step read (more than any
#: worked example writes in one chain).
CHAIN_WINDOW = 32

#: The explanations of a wrong step, strongest first (see the module's docstring).
EXPLANATIONS = (_name_set_earlier, _old_value, _value_put_in, _the_chain, _rounded_figure,
                _what_the_document_shows, _one_slip)


def blame_step(checker: Checker, st: Statement, infos: list[SideInfo], a: int, b: int, p: int,
               rel: str = "=") -> Blame | None:
    """Which part of the step ``infos[a]`` = ``infos[b]`` (in the reading ``p``) is wrong: the
    first of :data:`EXPLANATIONS` that singles out one, else None. The chain is seen within
    :data:`CHAIN_WINDOW` sides of the step: a chain of 100,000 sides blames in linear time."""
    lo = max(0, a - CHAIN_WINDOW)
    step = _Step(checker, st, infos[lo:b + CHAIN_WINDOW + 1], a - lo, b - lo, p, rel)
    for explain in EXPLANATIONS:
        found = explain(step)
        if found is not None:
            return found
    return None


#: a count of 10**8 and one of 10**4 written as one number: 1억 3,836만, 1亿3836万
_COMPOUND = re.compile(r"(?<![\d,])([\d,]+)([억亿億조])(\s?)([\d,]+)\s?([만万萬])")
#: the number at the start of a figure, before its unit (``12.25`` of ``12.25 MiB``)
_NUMBER_PART = re.compile(r"\A[\d.,{}\\\s\u2009\u202f']*\d")


def shown(written: str) -> str:
    """A number as written, without LaTeX's grouping braces: ``34{,}884`` is ``34,884``."""
    return written.replace("{,}", ",").replace("{.}", ".").replace("\\,", "\u2009").replace("\\ ", " ")


def _round(x: Fraction, place: Fraction) -> Fraction:
    """``x`` rounded half away from zero to a multiple of ``place``."""
    units = abs(x) / place
    whole = int(units)
    if units - whole >= Fraction(1, 2):
        whole += 1
    return whole * place * (1 if x >= 0 else -1)


def _at(x: Fraction, place: Fraction, convention: int) -> str:
    """``x`` with as many decimals as ``place`` has (6 at 0.1 is 6.0)."""
    text = format_value(x, convention)
    if place >= 1 or place.numerator != 1 or "/" in text:
        return text
    decimals = len(str(place.denominator)) - 1
    if 10**decimals != place.denominator:
        return text
    point = "." if convention == 0 else ","
    whole, _, frac = text.partition(point)
    return f"{whole}{point}{frac.ljust(decimals, '0')}"


def _scientific(x: Fraction, place: Fraction) -> str:
    r"""``x`` as ``3.8 \times 10^{7}``, with as many decimals as the figure it replaces."""
    decimals = max(0, -int(math.floor(math.log10(place)))) if place < 1 else 0
    exponent = int(math.floor(math.log10(abs(x)))) if x else 0
    mantissa = _round(x / Fraction(10) ** exponent, Fraction(1, 10**decimals))
    return f"{format_value(mantissa)} \\times 10^{{{exponent}}}"


def _distance(digits: str, value: Fraction) -> int:
    written = digits_of(value)
    return 3 if written is None else digit_distance(digits, written)


def _strip(node):
    while node[0] == "group":
        node = node[1]
    return node


def _align(g, x, pairs: list[tuple[Any, int]]) -> bool:
    """Whether tree ``x`` has the shape of tree ``g`` with numbers where ``g`` has names or
    expressions; ``pairs`` gets (that part of g, the number token in x), left to right."""
    stack = [(g, x)]
    while stack:
        g, x = stack.pop()
        g, x = _strip(g), _strip(x)
        if x[0] == "num" and g[0] != "num":
            pairs.append((g, x[1]))
            continue
        children = _ALIGN_CHILDREN.get(g[0], _aligned_parts)(g, x) if g[0] == x[0] else None
        if children is None:
            return False
        stack.extend(reversed(children))
    return True


def _aligned_leaf(g, x) -> list | None:
    """A name where the other has a name, a number where it has a number: nothing below."""
    return []


def _aligned_terms(g, x) -> list | None:
    """The terms (factors) of a sum (product), paired, where the operators agree (the signs
    of a sum; of a product, only whether each divides)."""
    if len(g[1]) != len(x[1]):
        return None
    for (og, _), (ox, _) in zip(g[1], x[1]):
        if (og == "/") != (ox == "/") or (g[0] == "sum" and og != ox):
            return None
    return [(cg, cx) for (_, cg), (_, cx) in zip(g[1], x[1])]


def _aligned_args(g, x) -> list | None:
    """The arguments of two functions, paired, where there are as many."""
    return list(zip(g[2], x[2])) if len(g[2]) == len(x[2]) else None


def _aligned_parts(g, x) -> list | None:
    """The parts of any other node (a power, a fraction, a sign...), paired."""
    parts_g = [c for c in g[1:] if isinstance(c, tuple)]
    parts_x = [c for c in x[1:] if isinstance(c, tuple)]
    return list(zip(parts_g, parts_x)) if len(parts_g) == len(parts_x) else None


#: how the children of two nodes of the same kind are paired (:func:`_aligned_parts` otherwise)
_ALIGN_CHILDREN = {"num": _aligned_leaf, "name": _aligned_leaf, "sum": _aligned_terms, "prod": _aligned_terms,
                   "func": _aligned_args}


def _substituted(checker: Checker, info: SideInfo, other: SideInfo, target: Fraction, label: str,
                 p: int) -> list[_Candidate]:
    """Numbers of ``info`` standing where ``other`` has a name or an expression whose value
    they are not, and which, put right, make the side equal ``target``."""
    pairs: list[tuple[Any, int]] = []
    if not _align(other.tree, info.tree, pairs):
        return []
    found = []
    for part, num_k in pairs:
        lit = info.toks[num_k].value
        try:
            value = evaluate(part, checker.values(other, p))
        except Unevaluable:
            continue
        if lit.reading(p).value == value:
            continue
        try:
            fixed = checker.evaluate(info, p, literal_override={num_k: value})
        except Unevaluable:
            continue
        if fixed != target:
            continue
        if part[0] == "name":
            name = other.toks[part[1]].value
            binding = checker.env.get(name)
            where = f" ({checker.doc.at(binding.line)})" if binding is not None else ""
            because = f"{name} = {format_value(value, p)}{where}"
        else:
            because = f"{format_value(value, p)}, as {_text(checker, other, part)}"
        found.append(_Candidate("operand", label, lit.text, value, checker.doc.line_of(info.toks[num_k].start),
                                _distance(lit.digits, value), because))
    return found


def _text(checker: Checker, info: SideInfo, part) -> str:
    """The text of a part of a side's tree, as written."""
    from .evaluate import leaves

    ks = leaves(part, "num") + leaves(part, "name")
    if not ks:
        return "written before"
    start = min(info.toks[k].start for k in ks)
    end = max(info.toks[k].end for k in ks)
    return " ".join(checker.doc.text[start:end].split())


def _dropped_term(checker: Checker, info: SideInfo, value: Fraction, p: int) -> str | None:
    """The term of a sum whose omission gives ``value`` (a result that forgot the biases)."""
    tree = _strip(info.tree) if info.tree is not None else None
    if tree is None or tree[0] != "sum" or len(tree[1]) < 2:
        return None
    values = checker.values(info, p)
    try:
        parts = [(sign, evaluate(term, values), term) for sign, term in tree[1]]
    except Unevaluable:
        return None
    total = sum((sign * v for sign, v, _ in parts), Fraction(0))
    for sign, v, term in parts:
        if v != 0 and total - sign * v == value:
            return ("+ " if sign > 0 else "- ") + _text(checker, info, term)
    return None


def _operands(checker: Checker, info: SideInfo, target: Fraction, label: str, p: int) -> list[_Candidate]:
    """Each single number of the side that, changed, makes the side equal ``target``."""
    if info.tree is None:
        return []
    nums = [k for k, t in enumerate(info.toks) if t.kind == "NUM"]
    if not nums or len(nums) > MAX_OPERANDS or info.literal() is not None:
        return []
    found = []
    for k in nums:
        lit = info.toks[k].value
        v = lit.reading(p).value
        for x in _solutions(checker, info, k, v, target, p):
            if v.denominator == 1 and x.denominator != 1:
                continue
            if (v > 0 and x <= 0) or (v >= 0 and x < 0) or x == v:
                continue
            found.append(_Candidate("operand", label, lit.text, x, checker.doc.line_of(info.toks[k].start),
                                    _distance(lit.digits, x)))
    return found


def _solutions(checker: Checker, info: SideInfo, k: int, v: Fraction, target: Fraction, p: int) -> list[Fraction]:
    def f(x: Fraction) -> Fraction | None:
        try:
            return checker.evaluate(info, p, literal_override={k: x})
        except Unevaluable:
            return None

    f0, f1, f2 = f(v), f(v + 1), f(v + 2)
    if f0 is not None and f1 is not None and f2 is not None and f1 - f0 == f2 - f1 != 0:
        x = v + (target - f0) / (f1 - f0)
        return [x] if f(x) == target else []
    # not linear in this number (an exponent, a factorial): try it one digit off
    digits = info.toks[k].value.digits
    if v.denominator != 1 or len(digits) > 8:
        return []
    tries = {int(d) for d in _edits(digits)} | set(range(0, 13))
    return [Fraction(x) for x in sorted(tries) if x != v and f(Fraction(x)) == target]


def _edits(digits: str) -> set[str]:
    out = set()
    for i in range(len(digits)):
        for d in "0123456789":
            out.add(digits[:i] + d + digits[i + 1 :])
        if i + 1 < len(digits):
            out.add(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
        if len(digits) > 1:
            out.add(digits[:i] + digits[i + 1 :])
    return {e for e in out if e and (e == "0" or not e.startswith("0"))}


def _stale(checker: Checker, info: SideInfo, other: SideInfo, other_value: Fraction, value: Fraction, label: str,
           p: int) -> list[_Candidate]:
    """``info`` computes ``other_value`` when one of its names takes an earlier value: the
    other side (``label``) was worked out with it and should be ``value``."""
    found = []
    for name in dict.fromkeys(info.names):
        history = checker.history.get(name, [])
        current = checker.env.get(name)
        if current is None or current.state != "value" or len(history) < 2:
            continue
        for old in history[:-1]:
            old_value = old.values[p]
            if old_value is None or old_value == current.values[p]:
                continue
            try:
                got = checker.evaluate(info, p, name_override={name: old_value})
            except Unevaluable:
                continue
            if got == other_value:
                lit = other.literal()
                written = lit.text if lit is not None else other.side.text(checker.doc)
                at = checker.doc.at
                because = (f"with {name} = {format_value(old_value, p)} ({at(old.line)}), but "
                           f"{name} = {format_value(current.values[p] or Fraction(0), p)} since {at(current.line)}")
                found.append(_Candidate("stale", label, written, value, other.line, 0, because))
                break
    return found


__all__ = ["blame_step", "shown"]
