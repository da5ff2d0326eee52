r"""Which part of a wrong step is wrong, and why, using what the document itself defined.

For a step ``left = right`` whose sides differ, the explanations tried, strongest first:

1. *A name's old value*: the side with names gives the other side's value when one of
   its names takes a value it had earlier (``K^{2} C N = 10,368`` after ``C = 3`` became
   ``C = 256``): the other side was computed with the old value.
2. *A wrong value put in*: a side has the shape of a general formula of the same chain,
   or of the name being defined (``P_c = W_c + B_c``), with numbers where it has names,
   and one number is not its name's value while that value makes the step hold
   (``94,848 + 96 = 34,944`` where ``W_c = 34,848``): "94,848 should be W_c = 34,848 (line 121)".
3. *The chain*: another side of the same chain, or the general formula of the name being
   defined, agrees with one of the two sides; the other is wrong. If it is a number as
   written, it is named; inside an expression, a single number off by one digit is named.
4. *A rounded figure or a slip*: a rounded figure (``0.34`` for 1/3) should be the value
   rounded at its last digit. Otherwise the result (a side that is one number) is named
   when it is one digit off (changed, swapped with its neighbour, dropped or doubled) or
   when no single operand is; else an operand one digit off.

Where none of these singles out one part, the blame is left out and both values are given.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .evaluate import Unevaluable
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


def blame_step(checker: Checker, st: Statement, infos: list[SideInfo], a: int, b: int, p: int,
               rel: str = "=") -> Blame | None:
    left, right = infos[a], infos[b]
    lv, rv = left.values[p], right.values[p]
    assert lv is not None and rv is not None
    doc = checker.doc

    def blame(c: _Candidate) -> Blame:
        return Blame("operand" if c.kind == "operand" else c.label, shown(c.written), format_value(c.value, p),
                     c.because, c.line, c.label)

    # 1. an old value of a name
    stale = _stale(checker, left, right, rv, lv, "right", p) + _stale(checker, right, left, lv, rv, "left", p)
    if len(stale) == 1:
        return blame(stale[0])

    # 2. a number put where the general formula has a name, which is not that name's value
    generals = [info.tree for info in infos if info.names and info.tree is not None]
    generals += [f.tree for info in infos if info.name and (f := checker.formula_of.get(info.name)) is not None]
    named: list[_Candidate] = []
    for info, target, label in ((left, rv, "left"), (right, lv, "right")):
        if info.tree is None or info.names:
            continue
        for general, owner in ((g, _owner(checker, infos, g)) for g in generals):
            for c in _substituted(checker, info, general, owner, target, label, p):
                if all((c.written, c.line) != (n.written, n.line) for n in named):
                    named.append(c)
    if len(named) == 1:
        return blame(named[0])

    # 3. the rest of the chain, and the formula of the name being defined
    refs: list[Fraction] = []
    for k, info in enumerate(infos):
        value = info.values[p]
        if k not in (a, b) and info.name is None and value is not None:
            refs.append(value)
    for info in infos:
        formula = checker.formula_of.get(info.name) if info.name else None
        if formula is not None:
            with contextlib.suppress(Unevaluable):
                refs.append(checker.evaluate(formula, p))
    left_agrees, right_agrees = lv in refs, rv in refs
    if left_agrees != right_agrees:
        wrong, target, label = (right, lv, "right") if left_agrees else (left, rv, "left")
        lit = wrong.literal()
        if lit is not None:
            return Blame(label, shown(lit.text), format_value(target, p), "", wrong.line, label)
        close = [c for c in _operands(checker, wrong, target, label, p) if c.distance <= 1]
        if len(close) == 1:
            return blame(close[0])
        return Blame(label, wrong.side.text(doc), format_value(target, p), "", wrong.line, label)

    # 4. a rounded figure, or one slip of one digit
    for info, target, label in ((right, lv, "right"), (left, rv, "left")):
        place = info.precision(p, rel == "~")
        lit = info.literal()
        if place is not None and lit is not None:
            return Blame(label, shown(lit.text), format_value(_round(target, place), p), "", info.line, label)
    close = [c for info, target, label in ((left, rv, "left"), (right, lv, "right"))
             for c in _operands(checker, info, target, label, p) if c.distance <= 1]
    lit = right.literal()
    if lit is not None and (_distance(lit.digits, lv) <= 1 or not close):
        return Blame("right", shown(lit.text), format_value(lv, p), "", right.line, "right")
    if len(close) == 1:
        return blame(close[0])
    lit = left.literal()
    if lit is not None and _distance(lit.digits, rv) <= 1:
        return Blame("left", shown(lit.text), format_value(rv, p), "", left.line, "left")
    return None


def _round(x: Fraction, place: Fraction) -> Fraction:
    """``x`` rounded half away from zero to a multiple of ``place``."""
    units = abs(x) / place
    whole = int(units)
    if units - whole >= Fraction(1, 2):
        whole += 1
    return whole * place * (1 if x >= 0 else -1)


def shown(written: str) -> str:
    """A number as written, without LaTeX's grouping braces: ``34{,}884`` is ``34,884``."""
    return written.replace("{,}", ",").replace("{.}", ".").replace("\\,", "\u2009").replace("\\ ", " ")


def _distance(digits: str, value: Fraction) -> int:
    written = digits_of(value)
    return 3 if written is None else digit_distance(digits, written)


def _owner(checker: Checker, infos: list[SideInfo], tree) -> SideInfo | None:
    for info in infos:
        if info.tree is tree:
            return info
    for info in checker.formula_of.values():
        if info.tree is tree:
            return info
    return None


def _strip(node):
    while node[0] == "group":
        node = node[1]
    return node


def _align(g, x, pairs: list[tuple[int, int]]) -> bool:
    """Whether tree ``x`` has the shape of tree ``g`` with numbers where ``g`` has names;
    ``pairs`` gets (name token in g, number token in x)."""
    g, x = _strip(g), _strip(x)
    if g[0] == "name":
        if x[0] == "num":
            pairs.append((g[1], x[1]))
        return True
    if g[0] != x[0]:
        return False
    if g[0] == "num":
        return True
    if g[0] in ("sum", "prod"):
        if len(g[1]) != len(x[1]):
            return False
        for (og, cg), (ox, cx) in zip(g[1], x[1]):
            if (og == "/") != (ox == "/") or (g[0] == "sum" and og != ox):
                return False
            if not _align(cg, cx, pairs):
                return False
        return True
    parts_g = [c for c in g[1:] if isinstance(c, tuple)]
    parts_x = [c for c in x[1:] if isinstance(c, tuple)]
    if len(parts_g) != len(parts_x) or (g[0] == "func" and g[1] != x[1]):
        return False
    if g[0] == "func":
        parts_g, parts_x = list(g[2]), list(x[2])
        if len(parts_g) != len(parts_x):
            return False
    return all(_align(a, b, pairs) for a, b in zip(parts_g, parts_x))


def _substituted(checker: Checker, info: SideInfo, general, owner: SideInfo | None, target: Fraction, label: str,
                 p: int) -> list[_Candidate]:
    """Numbers of ``info`` standing where ``general`` has a name, that are not that name's
    value and, put right, make the side equal ``target``."""
    pairs: list[tuple[int, int]] = []
    if owner is None or not _align(general, info.tree, pairs):
        return []
    found = []
    for name_k, num_k in pairs:
        name = owner.toks[name_k].value
        binding = checker.env.get(name)
        if binding is None or binding.state != "value":
            continue
        value = binding.values[p]
        lit = info.toks[num_k].value
        if value is None or lit.reading(p).value == value:
            continue
        try:
            fixed = checker.evaluate(info, p, literal_override={num_k: value})
        except Unevaluable:
            continue
        if fixed == target:
            found.append(_Candidate("operand", label, lit.text, value, checker.doc.line_of(info.toks[num_k].start),
                                    _distance(lit.digits, value), f"{name} = {format_value(value, p)} "
                                                                  f"(line {binding.line})"))
    return found


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
                because = (f"with {name} = {format_value(old_value, p)} (line {old.line}), but "
                           f"{name} = {format_value(current.values[p] or Fraction(0), p)} since line {current.line}")
                found.append(_Candidate("stale", label, written, value, other.line, 0, because))
                break
    return found


__all__ = ["blame_step"]
