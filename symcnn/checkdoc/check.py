r"""Checking the statements of a document: what names stand for, and each step's verdict.

Names
    A side that is one name (``W_c``, ``O_3``, ``\mathbf{W}``) is a definition, not a
    claim: ``C = 3`` ... ``C = 256`` redefines C, and ``O_3 = O_4 = O_5 = 13`` defines all
    three. Only in a chain of names that brings in a new name is a name the document set on
    its own earlier a claim (after ``H_3 = 16``, ``H_3 = H_4 = H_5 = 8`` is wrong about H_3).
    A name takes the value of its chain when the chain holds and writes a number
    (``W_c = K^2 C N = 11^2 \times 3 \times 96 = 34,848``); it stays undecided, and its
    later uses are skipped, when the chain is a general formula without numbers
    (``W_c = K^2 C N``), a size rather than a number (``I = 227 \times 227 \times 3``), only
    a rounded figure (``P \approx 3.2M``), or wrong (the document then contradicts itself
    about it, and later uses are not flagged a second time for the same slip). A value set
    before the names of its general formula changed is that formula's new value
    (``B_c = N``; ``B_c = 96`` for Conv-1; ``N = 256`` for Conv-2: B_c is 256 there).

Steps
    Each pair of neighbouring sides that both have a value is one step; a side that has no
    value (a general formula, an unknown name) is stepped over, so in
    ``O = \frac{I-K+2P}{S}+1 = \frac{227-11+0}{4}+1 = 55`` the last two sides are compared.
    Sides are equal when their exact values are, or, where a side is a rounded figure
    (``0.333``, ``3.2M``, ``3.2\times10^{6}``, ``33%``), when the other side rounds or
    truncates to it at the precision written; after ``≈`` (``\approx``, ``~``) a whole
    number is rounded at its last non-zero digit (``62,000,000``).

Separators
    A number such as ``34.848`` reads one way in English (34.848) and another in German
    (34,848). The document's own unambiguous numbers decide which it uses; where they do
    not, or where a step is right only in the other reading, the step is never flagged on
    a reading the document may not mean.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from os import PathLike

from ..errors import SpecError, quote
from ..limits import DOCUMENT_BYTES, read_text
from .blame import blame_step
from .blame import shown as shown_number
from .evaluate import Unevaluable, Values, evaluate, parse
from .find import Document, find, guess_syntax
from .literals import (
    CONVENTIONS,
    DE,
    EN,
    NAME_LIKE_SUFFIXES,
    Literal,
    evidence,
    format_value,
    read_number,
    unit_scale,
)
from .results import DocCheck, Formula, Skip, WrongStep
from .statements import OPERATORS, Side, Statement, statements
from .tokens import Tok

_NUMBER_IN_TEXT = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:,|\{,\}|\.)\d{3})+(?![\d])|(?<![\d.,])\d+(?:\.\d+)?")
#: Wrong steps of a document given a blame; later ones get both values only.
MAX_BLAMED = 500
#: Tokens evaluated per document (all sides, every reading, every blame) before the rest
#: of the document is skipped.
DOC_BUDGET = 20_000_000


@dataclass
class Binding:
    """What a name stands for: its value in each reading, or why it has none."""

    values: tuple[Fraction | None, Fraction | None]
    line: int
    state: str  # value | formula | contradicted | size
    text: str = ""
    #: the value is a rounded figure in that reading (P ≈ 3.2M)
    rounded: tuple[bool, bool] = (False, False)
    #: the name led its chain (H_3 = 16), rather than followed another name (B_c = N = 96)
    leading: bool = False

    def why_not(self, name: str, at=lambda line: f"line {line}") -> Unevaluable:
        """Why the name has no value; ``at`` names a line (``line 12``, ``cell 3, line 2``)."""
        if self.state == "formula":
            return Unevaluable("unknown", name)
        what = {
            "contradicted": f"{name}: its chain on {at(self.line)} is wrong",
            "value": f"{name} is only known approximately ({at(self.line)})",
            "size": f"{name} = {self.text} ({at(self.line)}) is a size, not a number",
        }[self.state]
        return Unevaluable("not a value", what)


class SideInfo:
    """One side of a statement, read: its tree (or why there is none) and what it holds."""

    __slots__ = ("side", "toks", "name", "tree", "error", "names", "literals", "values", "errors", "line")

    def __init__(self, side, line: int) -> None:
        self.side = side
        self.toks = side.toks
        self.line = line
        self.name = _bare_name(side.toks)
        self.tree = None
        self.error: Unevaluable | None = None
        self.values: list[Fraction | None] = [None, None]
        self.errors: list[Unevaluable | None] = [None, None]
        try:
            self.tree = parse(side.toks)
        except Unevaluable as e:
            self.error = e
        self.names = [t.value for t in side.toks if t.kind == "NAME"]
        self.literals = [t.value for t in side.toks if t.kind == "NUM"]

    @property
    def units(self) -> set[str]:
        """The dimensions of the units its numbers carry (``byte``, ``mac`` ...)."""
        return {lit.unit for lit in self.literals if lit.unit is not None}

    def literal(self) -> Literal | None:
        """The one literal the side is (``34,944``, ``{34{,}944}``, ``-3``), if it is one."""
        core = [t for t in self.toks if t.kind not in ("LBRACE", "RBRACE", "LPAR", "RPAR", "PLUS", "MINUS")]
        return core[0].value if len(core) == 1 and core[0].kind == "NUM" else None

    def scientific(self) -> tuple[Literal, int] | None:
        """``3.2 \\times 10^{6}``: the literal and the power of ten."""
        kinds = [t.kind for t in self.toks if t.kind not in ("LBRACE", "RBRACE")]
        nums = [t.value for t in self.toks if t.kind == "NUM"]
        if kinds[:4] == ["NUM", "TIMES", "NUM", "POW"] and nums[1].digits == "10" and nums[1].text == "10":
            rest = kinds[4:]
            if rest == ["NUM"] or rest == ["MINUS", "NUM"]:
                k = int(nums[2].digits)
                return nums[0], -k if rest[0] == "MINUS" else k
        return None

    def precision(self, convention: int, approx: bool) -> Fraction | None:
        """The value of one unit in the last place written, where the side is a rounded figure."""
        lit = self.literal()
        if lit is not None:
            reading = lit.reading(convention)
            if reading.rounded:
                return _significant_place(lit, reading)
            if approx and reading.place == 1 and lit.digits.strip("0"):
                zeros = len(lit.digits) - len(lit.digits.rstrip("0"))
                return Fraction(10**zeros)
            return None
        sci = self.scientific()
        if sci is not None:
            reading = sci[0].reading(convention)
            return reading.place * Fraction(10) ** sci[1]
        return None


#: words before inline math that make it a qualifier (the $K = 5$ case)
_DETERMINERS = {"the", "a", "an", "this", "that", "each", "every", "our", "der", "die", "das", "den", "dem", "ein",
                "eine", "le", "la", "les", "un", "une"}
#: 1 of the first unit is this many of the second
_CONVERSIONS = {("byte", "bit"): 8, ("mac", "flop"): 2, ("byte/s", "bit/s"): 8, ("mac", "op"): 2, ("flop", "op"): 1,
                ("mac/s", "flop/s"): 2, ("mac/s", "op/s"): 2, ("flop/s", "op/s"): 1}
#: words after a number that are no unit of it
_NOT_UNITS = {"and", "or", "in", "for", "of", "the", "per", "each", "total", "all", "to", "at", "on", "with", "which",
              "that", "so", "as", "is", "are", "was", "were", "but", "then", "und", "oder", "im", "pro", "je"}
#: bytes (bits) a value may take, where a side of values equals one of memory (4 bytes in
#: fp32); FLOPs per multiply-accumulate
_WIDTHS = {"byte": (2, 4, 8), "bit": (8, 16, 32), "flop": (2,)}


_FLOOR_STATED = re.compile(
    r"\bfloor(?:ed|s|ing)?\b|\\lfloor|⌊|\bround(?:ed|s|ing)? ?down\b|向下取整|내림|버림|切り捨て", re.I)
_CEIL_STATED = re.compile(r"\bceil(?:ed|s|ing)?\b|\\lceil|⌈|\bround(?:ed|s|ing)? ?up\b|向上取整|올림|切り上げ", re.I)


def stated_rounding(text: str) -> frozenset[str]:
    r"""The roundings of a fraction to a whole size a document states (``output widths are
    floored``, a ``\lfloor`` in its formula): ``floor``, ``ceil``, both or neither.

    >>> sorted(stated_rounding("Output width will be floor down to integer."))
    ['floor']
    """
    return frozenset(name for name, pattern in (("floor", _FLOOR_STATED), ("ceil", _CEIL_STATED))
                     if pattern.search(text))


def _rounded_as_stated(x: Fraction | None, y: Fraction | None, rounding: frozenset[str]) -> bool:
    """Whether one side is the other rounded as the document says sizes are (``(30-5)/2+1 = 13``
    where widths are floored)."""
    if x is None or y is None:
        return False
    for whole, frac in ((y, x), (x, y)):
        if whole.denominator != 1 or frac.denominator == 1:
            continue
        if ("floor" in rounding and whole == math.floor(frac)) or ("ceil" in rounding and whole == math.ceil(frac)):
            return True
    return False


#: a suffix's power of 1,024 where it follows a count of bytes (494,791,584 bytes = 471.87M)
_BINARY_SUFFIX = {"K": 1, "k": 1, "M": 2, "G": 3, "T": 4}


def _binary_suffix(ua: set[str], ub: set[str], a: SideInfo, b: SideInfo, agrees) -> bool:
    """A side in bytes equal to a bare figure whose K, M, G suffix is binary (MiB): what a
    byte count converted by 2**20 is written as."""
    if ("byte" in ua) == ("byte" in ub):
        return False
    bare = b if "byte" in ua else a
    lit = bare.literal()
    if lit is None or bare.units or lit.suffix not in _BINARY_SUFFIX or lit.scale != unit_scale(lit.suffix):
        return False
    factor = Fraction(1024 ** _BINARY_SUFFIX[lit.suffix]) / lit.scale
    return bool(agrees(Fraction(1), factor) if bare is b else agrees(factor, Fraction(1)))


#: values put in for the names of an identity (distinct primes: no accidental equality)
_IDENTITY_SAMPLES = ((3, 7, 13, 19, 29, 37), (5, 11, 17, 23, 31, 41), (101, 103, 107, 109, 113, 127))


def _significant_place(lit: Literal, reading) -> Fraction:
    """The place a rounded figure is written to: trailing zeros of a whole number with a scale
    suffix are not significant (``800K`` is 802,816 to one figure, as ``3.2M`` is to two); a
    figure in a unit (``600 MB``) keeps its written place."""
    if lit.unit is None and lit.scale > 1 and reading.place == lit.scale and lit.digits.strip("0"):
        return reading.place * 10 ** (len(lit.digits) - len(lit.digits.rstrip("0")))
    return reading.place


def _same_magnitude(x: Fraction | None, y: Fraction | None) -> bool:
    if x is None or y is None or x == 0 or y == 0:
        return x == y
    ratio = abs(x / y)
    return Fraction(1, 2) <= ratio <= 2


def _bare_name(toks) -> str | None:
    core = [t for t in toks if t.kind not in ("LBRACE", "RBRACE")]
    if len(core) == 1 and core[0].kind == "NAME":
        return core[0].value
    return None


def substitution(formula: SideInfo, numbers: SideInfo, p: int) -> dict[str, Fraction] | None:
    """The numbers put in for the names when ``numbers`` is ``formula`` with a number in place
    of each name (one number per name, the numbers of both the same), else None:
    ``\\frac{H_{in} - K}{S} + 1 = \\frac{5 - 2}{3} + 1`` restates the formula for this derivation."""
    if formula.tree is None or numbers.tree is None or not formula.names or numbers.names or formula.name:
        return None  # a bare name is not a formula: W_4 = 56 says what W_4 is
    put: dict[str, Fraction] = {}
    stack = [(formula.tree, numbers.tree)]
    while stack:
        f, n = stack.pop()
        if f[0] == "name" and n[0] == "num":
            value = _literal_value(numbers.toks[n[1]], p)
            if value is None or put.setdefault(formula.toks[f[1]].value, value) != value:
                return None
            continue
        if not _same_node(f, n, formula, numbers, p):
            return None
        if f[0] not in ("num", "name", "op"):
            stack.extend(zip(_parts(f), _parts(n)))
    return put


def _same_node(f, n, formula: SideInfo, numbers: SideInfo, p: int) -> bool:
    """Whether two nodes are alike: the same kind, operator or number, as many children."""
    if f[0] != n[0] or len(f) != len(n) or (f[0] == "op" and f != n):
        return False
    if f[0] == "num":
        return _literal_value(formula.toks[f[1]], p) == _literal_value(numbers.toks[n[1]], p)
    if f[0] in ("name", "op"):
        return True  # (the side of numbers has no names; operators were compared above)
    return len(_parts(f)) == len(_parts(n))


def _literal_value(tok: Tok, p: int) -> Fraction | None:
    found = tok.value.readings[p] or tok.value.readings[1 - p]
    return None if found is None else found.value


def _parts(node) -> list:
    """The children of a tree node with its operators as leaves to compare, or None."""
    if node[0] in ("sum", "prod"):
        out = []
        for op, child in node[1]:
            out.extend([("op", op), child])
        return out
    return [x if isinstance(x, tuple) else ("op", x) for x in node[1:]]


def _is_size(info: SideInfo) -> bool:
    """``227 \\times 227 \\times 3`` or ``3 \\times 3``: a tensor or kernel size rather than a
    number (three or more whole numbers, or two equal ones, joined only by multiplication)."""
    kinds = [t.kind for t in info.toks]
    if len(kinds) < 3 or kinds[0] != "NUM" or kinds[-1] != "NUM":
        return False
    if any(k != ("NUM" if n % 2 == 0 else "TIMES") for n, k in enumerate(kinds)):
        return False
    if not all(lit.readings[EN] is not None and lit.reading(EN).place == 1 for lit in info.literals):
        return False
    # HxWxC, or a square HxW; 3 x 4 or 2 x 48 is a product
    return len(info.literals) >= 3 or info.literals[0].digits == info.literals[1].digits


def _bare_in_one_unit(lits: list[tuple[int, Literal]]) -> tuple[list[int], Fraction] | None:
    """The bare numbers of a sum (no unit, suffix or scale) and the scale of its one unit,
    where every other number is in that unit; else None."""
    units = {(lit.unit, lit.scale) for _, lit in lits if lit.unit is not None}
    bare = [k for k, lit in lits if lit.unit is None and lit.suffix is None and lit.scale == 1]
    if len(units) != 1 or not bare or len(bare) + sum(1 for _, lit in lits if lit.unit is not None) != len(lits):
        return None
    (_, scale), = units
    return bare, scale


#: a unit rule's finding that the step is wrong in the units read (no later rule is tried)
_WRONG_IN_UNITS = ("wrong", "")


class _InUnits:
    """Two sides that differ as numbers, with the units of each and the readings of their
    values: as written, and with KB, MB, GB read in binary (1 KB = 1,024 bytes)."""

    def __init__(self, checker: Checker, a: SideInfo, b: SideInfo, rel: str, p: int) -> None:
        self.checker, self.a, self.b, self.rel, self.p = checker, a, b, rel, p
        self.ua, self.ub = a.units, b.units
        x, y = a.values[p], b.values[p]
        assert x is not None and y is not None
        #: (value of a, value of b, factor of a's precision, factor of b's)
        self.readings = [(x, y, Fraction(1), Fraction(1))]
        xs, ys = checker._binary(a, p), checker._binary(b, p)
        for xb in ([xs] if xs else []) + [None]:
            for yb in ([ys] if ys else []) + [None]:
                if xb is not None or yb is not None:
                    self.readings.append((xb[0] if xb else x, yb[0] if yb else y, xb[1] if xb else Fraction(1),
                                          yb[1] if yb else Fraction(1)))

    def agrees(self, fx: Fraction, fy: Fraction) -> bool:
        """Whether the sides agree in some reading, with a's value times ``fx`` and b's times ``fy``."""
        a, b, rel, p = self.a, self.b, self.rel, self.p
        return any(self.checker.agree(a, b, rel, p, (vx * fx, vy * fy), (gx * fx, gy * fy))
                   for vx, vy, gx, gy in self.readings)


def _same_unit(r: _InUnits) -> tuple[str, str] | None:
    """Equal as written, in the same unit or with one side bare; or equal with KB read as 1,024 bytes."""
    ua, ub = r.ua, r.ub
    if r.agrees(Fraction(1), Fraction(1)) and (not ua or not ub or ua == ub or len(r.readings) > 1):
        return "right", ""
    return None


def _converted(r: _InUnits) -> tuple[str, str] | None:
    """Sides in two units: equal once one is converted (1.8 GMACs = 3.6 GFLOPs), else in
    different units."""
    ua, ub = r.ua, r.ub
    if not (ua and ub and ua != ub):
        return None
    for (one, other), n in _CONVERSIONS.items():
        if (one in ua and other in ub and r.agrees(Fraction(n), Fraction(1))) or (
                other in ua and one in ub and r.agrees(Fraction(1), Fraction(n))):
            return "right", ""
    if r.agrees(Fraction(1), Fraction(1)):
        return "right", ""
    return "units", f"the sides are in different units ({', '.join(sorted(ua | ub))})"


def _bare_in_the_other_unit(r: _InUnits) -> tuple[str, str] | None:
    """A bare side in the other side's unit: 2 × 527.8 = 1,055.6 MiB. Where it is wrong but
    nearer in that reading, it is judged (and blamed) in it."""
    a, b, p = r.a, r.b, r.p
    unit_side, bare = (b, a) if r.ub else (a, b)
    if r.ua and r.ub and bare.literal() is not None:  # 4 bytes = 93 MB: one figure in its own unit
        return None
    lit = unit_side.literal()
    if lit is None or lit.scale == 1:
        return None
    if r.agrees(lit.scale, Fraction(1)) if unit_side is b else r.agrees(Fraction(1), lit.scale):
        return "right", ""
    value, theirs = bare.values[p], unit_side.values[p]
    assert value is not None and theirs is not None
    if theirs and abs(value * lit.scale - theirs) < abs(value - theirs):
        bare.values[p] = value * lit.scale
        return _WRONG_IN_UNITS
    return None


def _binary_bytes(r: _InUnits) -> tuple[str, str] | None:
    """A count of bytes equal to a bare figure whose K, M, G suffix is binary (471.87M)."""
    return ("right", "") if _binary_suffix(r.ua, r.ub, r.a, r.b, r.agrees) else None


def _values_and_bytes(r: _InUnits) -> tuple[str, str] | None:
    """One side counts values, the other bytes (or bits, FLOPs) of them: not the same figure."""
    ua, ub = r.ua, r.ub
    for dim in ua or ub:
        for width in _WIDTHS.get(dim, ()):
            if r.agrees(Fraction(width), Fraction(1)) if ua == set() else r.agrees(Fraction(1), Fraction(width)):
                return "units", f"one side counts values, the other {dim}s ({width} {dim}s each?)"
    return None


#: How two sides in units are judged, tried in order: ``("right", "")``, ``("units", why)``,
#: :data:`_WRONG_IN_UNITS`, or None for the next rule.
_UNIT_RULES = (_same_unit, _converted, _bare_in_the_other_unit, _binary_bytes, _values_and_bytes)


class Checker:
    """Reads the statements of one document in order and keeps what its names stand for."""

    def __init__(self, doc: Document, *, budget: int = DOC_BUDGET) -> None:
        self.doc = doc
        self.env: dict[str, Binding] = {}
        self.history: dict[str, list[Binding]] = {}
        self.formula_of: dict[str, SideInfo] = {}
        en, de = evidence(doc.masked)
        self.evidence = [en, de]
        self.primary = DE if de > en else EN
        self.decided = (en == 0) != (de == 0)
        #: the rounding of sizes the document says it uses (floor, ceil), applied to its steps
        self.rounding = stated_rounding(doc.masked)
        self.heading_lines = [doc.line_of(at) for at, _ in doc.headings]
        self.checked = 0
        self.wrong: list[WrongStep] = []
        self.skips: list[Skip] = []
        self.formulas: list[Formula] = []
        self.budget = budget
        self._unit_detail = ""
        self._recomputing: set[str] = set()
        self._written: dict[Fraction, list[int]] | None = None
        #: where the numbers of the wrong sides found so far are (a table's total over them is not
        #: flagged a second time)
        self.wrong_spots: dict[int, Fraction | None] = {}

    # -- values -----------------------------------------------------------------

    def values(self, info: SideInfo, convention: int, *, literal_override=None, name_override=None) -> Values:
        toks = info.toks
        env = self.env

        def literal(k: int) -> Fraction:
            if literal_override and k in literal_override:
                return literal_override[k]
            lit = toks[k].value
            if lit.suffix in NAME_LIKE_SUFFIXES and lit.suffix in env and env[lit.suffix].state == "value":
                raise Unevaluable("ambiguous", f"{lit.text}: a unit suffix, or a product with {lit.suffix}?")
            found = lit.readings[convention] or lit.readings[1 - convention]
            if found is None:
                raise Unevaluable("too large", f"a number of {len(lit.digits):,} digits")
            return found.value

        def name(k: int) -> Fraction:
            canonical = toks[k].value
            if name_override and canonical in name_override:
                return name_override[canonical]
            binding = env.get(canonical)
            if binding is None:
                raise Unevaluable("unknown", canonical)
            if binding.state != "value" or binding.rounded[convention]:
                raise binding.why_not(canonical, self.doc.at)
            fresh = self.recomputed(canonical, binding, convention)
            if fresh is not None:
                return fresh
            value = binding.values[convention]
            if value is None:
                value = binding.values[1 - convention]
            if value is None:
                raise Unevaluable("unknown", canonical)
            return value

        def function(k: int) -> str:
            return toks[k].value

        return Values(literal, name, function)

    def _note_correction(self, step: WrongStep, left: SideInfo, right: SideInfo, p: int) -> None:
        """Remember where the wrong number is and what it should be (None: not one number)."""
        blame = step.blame
        side = left if blame is not None and blame.side == "left" else right
        value: Fraction | None = None
        spots = [t for t in side.toks if t.kind == "NUM"]
        if blame is not None and blame.part in ("left", "right", "operand"):
            if blame.part == "operand":
                spots = [t for t in spots if shown_number(t.value.text) == blame.written][:1]
            written = blame.should_be.lstrip("-")
            if len(spots) == 1 and written[:1].isdigit():
                lit, end = read_number(written, 0, decimal_comma=p == DE)
                if end == len(written) and lit.readings != (None, None):
                    value = lit.reading(p).value * (-1 if blame.should_be.startswith("-") else 1)
        for t in spots:
            self.wrong_spots[t.start] = value

    def _with_corrections(self, info: SideInfo, p: int) -> Fraction | None:
        override = {}
        for k, t in enumerate(info.toks):
            if t.start in self.wrong_spots:
                value = self.wrong_spots[t.start]
                if value is None:
                    return None
                override[k] = value
        try:
            return self.evaluate(info, p, literal_override=override)
        except Unevaluable:
            return None

    def written_elsewhere(self, value: Fraction, st: Statement) -> bool:
        """Whether the document writes ``value`` as a number outside the statement ``st``."""
        if self._written is None:
            self._written = {}
            for m in _NUMBER_IN_TEXT.finditer(self.doc.masked):
                lit, _ = read_number(m.group(0), 0, decimal_comma=self.primary == DE)
                for reading in lit.readings:
                    if reading is not None:
                        self._written.setdefault(reading.value, []).append(m.start())
        return any(not st.start <= at < st.end for at in self._written.get(value, ()))

    def _changed_since(self, name: str, line: int, convention: int) -> bool:
        """Whether ``name`` has been given another value since ``line``."""
        current = self.env[name]
        if current.line <= line:
            return False
        then = [b for b in self.history.get(name, []) if b.line <= line]
        return bool(then) and then[-1].values[convention] != current.values[convention]

    def recomputed(self, name: str, binding: Binding, convention: int) -> Fraction | None:
        """The value of a name whose general formula's names were set again after it was
        (B_c = N, then B_c = 96 for Conv-1, then N = 256 for Conv-2: B_c is now 256)."""
        formula = self.formula_of.get(name)
        if formula is None or name in self._recomputing:
            return None
        inputs = [self.env.get(n) for n in formula.names]
        if not inputs or any(b is None or b.state != "value" for b in inputs):
            return None
        if not any(self._changed_since(n, binding.line, convention) for n in formula.names):
            return None
        self._recomputing.add(name)
        try:
            return self.evaluate(formula, convention)
        except Unevaluable:
            return None
        finally:
            self._recomputing.discard(name)

    def evaluate(self, info: SideInfo, convention: int, **overrides) -> Fraction:
        if info.error is not None:
            raise info.error
        unknown = [n for n in info.names if n not in self.env or self.env[n].state == "formula"]
        if unknown:
            raise Unevaluable("unknown", ", ".join(dict.fromkeys(unknown)))
        self.budget -= len(info.toks)
        if self.budget < 0:
            raise Unevaluable("budget", "")
        return evaluate(info.tree, self.values(info, convention, **overrides))

    def tainted(self, info: SideInfo) -> bool:
        """Whether the side reads differently in the two conventions."""
        if any(lit.ambiguous for lit in info.literals):
            return True
        for n in info.names:
            b = self.env.get(n)
            if b is not None and b.state == "value" and b.values[0] != b.values[1] and None not in b.values:
                return True
        return False

    def fill(self, info: SideInfo, convention: int) -> None:
        try:
            info.values[convention] = self.evaluate(info, convention)
        except Unevaluable as e:
            info.errors[convention] = e

    # -- agreement ----------------------------------------------------------------

    @staticmethod
    def agree(a: SideInfo, b: SideInfo, rel: str, convention: int, values: tuple[Fraction, Fraction] | None = None,
              factors: tuple[Fraction, Fraction] = (Fraction(1), Fraction(1))) -> bool | None:
        """Whether two evaluated sides agree; None where an approximation has no written
        precision. ``values`` replaces the sides' values (read in other units), whose
        precision is then the written one times ``factors``."""
        x, y = values if values is not None else (a.values[convention], b.values[convention])
        assert x is not None and y is not None
        if x == y:
            return True
        approx = rel == "~"
        places = [(place * f, value, other) for side, f, value, other in ((a, factors[0], x, y), (b, factors[1], y, x))
                  if (place := side.precision(convention, approx)) is not None]
        if not places:
            return None if approx else False
        place, r, other = max(places, key=lambda item: item[0])
        if abs(other - r) * 2 <= place:
            return True
        # truncated rather than rounded: 2/3 = 0.66
        return (other >= 0) == (r >= 0) and 0 <= abs(other) - abs(r) < place

    def _units(self, a: SideInfo, b: SideInfo, rel: str, p: int) -> tuple[str, str] | None:
        """Two sides that differ as numbers, read in their units: ``right`` where a reading
        of the units makes them agree (1 KB = 1,024 bytes; 1.8 GMACs = 3.6 GFLOPs), ``units``
        (skipped, with why) where they are in different units, else None (wrong). The rules
        of :data:`_UNIT_RULES` are tried in order once the sides' own units are read."""
        if not a.units and not b.units:
            return None
        for side in (a, b):
            # 11 GB - 2.2 - 3.9: the bare terms of a sum are in the unit of the others
            summed = self._sum_in_unit(side, p)
            if summed is not None:
                side.values[p] = summed
                return ("right", "") if self.agree(a, b, rel, p) else None
        for plain, dims_there in ((a, b.units), (b, a.units)):
            if dims_there and not plain.units and (word := self._unit_word(plain)) is not None:
                return "units", f"the sides are in different units ({', '.join(sorted(dims_there))} and {word})"
        reading = _InUnits(self, a, b, rel, p)
        for rule in _UNIT_RULES:
            found = rule(reading)
            if found is not None:
                return None if found == _WRONG_IN_UNITS else found
        return None

    def _unit_word(self, info: SideInfo) -> str | None:
        """A word right after a side that is one number, naming what it counts (1 byte =
        2 nibbles): the side is in that unit."""
        if info.literal() is None:
            return None
        m = re.match(r"[ \t\u00a0]*([^\W\d_][\w-]+)", self.doc.text[info.side.end : info.side.end + 40])
        return m.group(1) if m and m.group(1).lower() not in _NOT_UNITS else None

    def _binary(self, info: SideInfo, p: int) -> tuple[Fraction, Fraction] | None:
        """The side's value with its KB/MB/GB read in binary (1 KB = 1,024 bytes), and the
        factor of its precision; None where it has no such unit."""
        override = {k: t.value.reading(p).value * t.value.alt for k, t in enumerate(info.toks)
                    if t.kind == "NUM" and t.value.alt is not None}
        if not override:
            return None
        try:
            value = self.evaluate(info, p, literal_override=override)
        except Unevaluable:
            return None
        lit = info.literal()
        return value, (lit.alt if lit is not None and lit.alt is not None else Fraction(1))

    def _sum_in_unit(self, side: SideInfo, p: int) -> Fraction | None:
        """A side that only adds and subtracts numbers, some in one unit (``11 GB``) and the
        others bare (``- 2.2 - 3.9``), with the bare ones read in that unit; else None."""
        toks = side.toks
        if len(toks) < 3 or len(toks) % 2 == 0 or any(t.kind not in ("PLUS", "MINUS") for t in toks[1::2]):
            return None
        if any(t.kind != "NUM" for t in toks[0::2]):
            return None
        found = _bare_in_one_unit([(k, toks[k].value) for k in range(0, len(toks), 2)])
        if found is None:
            return None
        bare, scale = found
        try:
            return self.evaluate(side, p, literal_override={k: toks[k].value.reading(p).value * scale for k in bare})
        except Unevaluable:
            return None

    def _spans(self, side: SideInfo, other: SideInfo, p: int) -> bool:
        """Whether ``side`` holds one number the document marks as approximate (``~15.1M``,
        ``about 60.3``) and, with that number anywhere within the precision it is written to,
        comes out as ``other``'s value (a side of +, -, x and / is monotone in one number,
        so its two ends bound it)."""
        nums = [k for k, t in enumerate(side.toks) if t.kind == "NUM"]
        marked = [k for k in nums if _APPROX_BEFORE.search(self.doc.masked, max(0, side.toks[k].start - 24),
                                                            side.toks[k].start)]
        y = other.values[p]
        if len(marked) != 1 or y is None:
            return False
        k = marked[0]
        reading = side.toks[k].value.reading(p)
        if not reading.rounded or reading.place == 0:
            return False
        try:
            ends = [self.evaluate(side, p, literal_override={k: reading.value + d * reading.place / 2})
                    for d in (-1, 1)]
        except (Unevaluable, ZeroDivisionError):
            return False
        return min(ends) <= y <= max(ends)

    # -- statements -----------------------------------------------------------------

    def statement(self, st: Statement) -> None:
        doc = self.doc
        if st.truncated:
            self.skips.append(Skip(doc.line_of(st.start), st.text(doc), "too long",
                                   "a paragraph longer than is read: the rest of it was not"))
            return
        infos = [SideInfo(side, doc.line_of(side.start)) for side in st.sides]
        text = st.text(doc)
        line = doc.line_of(st.start)
        if self.budget < 0:
            self.skips.append(Skip(line, text, "budget", ""))
            return
        defined, value_sides = self._roles(infos)
        p = self.primary
        for k in value_sides:
            self.fill(infos[k], p)
        if self.budget < 0:
            self.skips.append(Skip(line, text, "budget", ""))
            return
        has_literal = any(infos[k].literals for k in value_sides)
        evaluable = [k for k in value_sides if infos[k].values[p] is not None]
        wrong_here = self._steps(st, infos, evaluable, text, p)
        self._unread(st, infos, value_sides, evaluable, text, p)
        if defined and not self._adjectival(st):
            self._define(defined, infos, value_sides, evaluable, has_literal, wrong_here, line, text, st)

    def _roles(self, infos: list[SideInfo]) -> tuple[list[str], list[int]]:
        """The names a statement defines, and the sides whose values it claims."""
        names = [k for k, i in enumerate(infos) if i.name is not None]
        # A name is being defined, except, in a chain that brings in a new name, one the
        # document set on its own earlier: after H_3 = 16, H_3 = H_4 = H_5 = 8 claims H_3 is 8
        # (while B_c = N = 384 after B_c = N = 256 restates both for the next layer).
        established = [k for k in names if (bound := self.env.get(infos[k].name or "")) is not None
                       and bound.state == "value" and bound.leading]
        new = any(infos[k].name not in self.env for k in names)
        with_number = any(info.literals for info in infos)
        claimed = established if len(names) >= 2 and new and with_number else []
        defined = [name for k in names if k not in claimed and (name := infos[k].name) is not None]
        return defined, [k for k, i in enumerate(infos) if i.name is None or k in claimed]

    def _steps(self, st: Statement, infos: list[SideInfo], evaluable: list[int], text: str, p: int) -> bool:
        """Check each step between sides with values; whether one was wrong."""
        s = 1 - p
        wrong_here = False
        last = (-1, -1)  # a wrong step whose right side was blamed: (its left, that side's index)
        for i, (a, b) in enumerate(zip(evaluable, evaluable[1:])):
            rel = "~" if "~" in st.rels[a:b] else "="
            nxt = evaluable[i + 2] if i + 2 < len(evaluable) else None  # not .index(b): linear in the chain
            lead = self._running(infos, a, b, nxt, st, p)
            if lead is not None:
                # a running computation: 1152 × 10 = 11,520 weights + 10 = 11,530 says
                # 1152 × 10 = 11,520, then goes on from it
                self.checked += 1
                if self._step(infos[a], lead, rel, p, s) != "right":
                    wrong_here = True
                    step = self._wrong(st, [*infos[:b], lead, *infos[b + 1 :]], a, b, rel, text, p)
                    self.wrong.append(step)
                    self._note_correction(step, infos[a], lead, p)
                continue
            verdict = self._verdict(st, infos[a], infos[b], rel, p)
            why = self._not_judged(verdict, st, infos[a], infos[b], p)
            if why is not None:
                self.skips.append(Skip(infos[b].line, text, *why))
                continue
            self.checked += 1
            if verdict != "right":
                wrong_here = True
                last = self._wrong_step(st, infos, a, b, rel, text, p, last)
        return wrong_here

    def _verdict(self, st: Statement, a: SideInfo, b: SideInfo, rel: str, p: int) -> str:
        verdict = self._step(a, b, rel, p, 1 - p)
        if verdict != "right" and st.tolerance is not None and _within(a, b, p, st.tolerance):
            verdict = "right"  # a total of rows each rounded on its own
        if verdict not in ("right", "approx", "units") and rel == "=" and (
                self._spans(a, b, p) or self._spans(b, a, p)):
            verdict = "right"  # ~15.1M floats x 4 B = 60,348,320 B: an operand the document calls approximate
        return verdict

    def _not_judged(self, verdict: str, st: Statement, a: SideInfo, b: SideInfo, p: int) -> tuple[str, str] | None:
        """Why a step that is not right is not called wrong either (reason, detail), else None."""
        if verdict == "approx":
            return "ambiguous", "≈ between sides without a rounded figure to give the precision"
        if verdict == "units":
            return "units", self._unit_detail
        if verdict == "separator":
            s = 1 - p
            return "ambiguous", (f"right only if the separators are read the other way "
                                 f"({CONVENTIONS[s]} instead of {CONVENTIONS[p]})")
        if verdict != "right" and st.resumed and not _same_magnitude(a.values[p], b.values[p]):
            return "ambiguous", "the number before the prose may be in another unit"
        return None

    def _wrong_step(self, st: Statement, infos: list[SideInfo], a: int, b: int, rel: str, text: str, p: int,
                    last: tuple[int, int]) -> tuple[int, int]:
        """Report a wrong step (once for a side wrong on both of its steps)."""
        before, repeated = last
        if repeated == a and infos[before].values[p] == infos[b].values[p]:
            return last  # the same wrong side, seen from its other neighbour
        if st.shown is not None and any(t.start in self.wrong_spots for t in infos[a].toks):
            # a table's total over numbers found wrong above: with them put right
            fixed = self._with_corrections(infos[a], p)
            if fixed is None:
                self.skips.append(Skip(infos[b].line, text, "not a value",
                                       "adds up a number already found wrong above"))
                return last
            infos[a].values[p] = fixed
            if self.agree(infos[a], infos[b], rel, p):
                return last
        step = self._wrong(st, infos, a, b, rel, text, p)
        self.wrong.append(step)
        self._note_correction(step, infos[a], infos[b], p)
        return a, (b if step.blame is not None and step.blame.side == "right" else -1)

    def _unread(self, st: Statement, infos: list[SideInfo], value_sides: list[int], evaluable: list[int],
                text: str, p: int) -> None:
        """List the sides that could not be read; a statement of names only is a formula, or
        an identity to check."""
        checked_here = bool(evaluable[1:])
        for k in value_sides:
            error = infos[k].errors[p]
            if error is None:
                continue
            if error.reason == "unknown" and (checked_here or not evaluable):
                continue  # the general form beside the numbers, or a general formula
            self.skips.append(Skip(infos[k].line, text, error.reason, error.detail))
        reasons = [e.reason if (e := infos[k].errors[p]) is not None else "" for k in value_sides]
        if not evaluable and st.rels and all(r == "unknown" for r in reasons):
            false_identity = self._false_identity(st, infos, text)
            if false_identity is not None:
                self.checked += 1
                self.wrong.append(false_identity)
            else:
                self.formulas.append(Formula(self.doc.line_of(st.start), text))

    def _false_identity(self, st: Statement, infos: list[SideInfo], text: str) -> WrongStep | None:
        """An identity of names that is false (``M * N + N = M * (N + 1)``): both sides are
        arithmetic (neither a bare name, which a formula defines) and they differ at every one
        of a few values put in for the names; None otherwise."""
        if len(infos) != 2 or st.rels != ["="] or any(
                i.tree is None or not i.names or not any(t.kind in OPERATORS for t in i.toks) for i in infos):
            return None  # F(x) = H(x) - x defines F
        if set(infos[0].names) != set(infos[1].names):
            return None  # |W| + |b| = 9CN + N names sizes by other names: a definition
        names = sorted(set(infos[0].names) | set(infos[1].names))[: len(_IDENTITY_SAMPLES[0])]
        if self._identity_holds(infos, [dict(zip(names, map(Fraction, p))) for p in _IDENTITY_SAMPLES]):
            self.checked += 1  # C*K^2 + C*N = C*(K^2 + N): an identity, checked and true
            return None
        found = []
        # an identity true where one name is 1 or 0 may be meant for that case (K is 1: C*N*K^2 = C*N)
        special = [{**dict(zip(names, map(Fraction, _IDENTITY_SAMPLES[0]))), name: Fraction(v)}
                   for name in names for v in (1, 0)]
        for given in [dict(zip(names, map(Fraction, primes))) for primes in _IDENTITY_SAMPLES] + special:
            try:
                pair = [evaluate(i.tree, self.values(i, self.primary, name_override=given)) for i in infos]
            except Unevaluable:
                return None
            if pair[0] == pair[1]:
                return None
            found.append((pair, given))
        (lv, rv), given = found[0]
        at = ", ".join(f"{n} = {v}" for n, v in given.items())
        return WrongStep(line=infos[1].line, text=text, left=format_value(lv, self.primary),
                         right=format_value(rv, self.primary), expected=f"no identity (at {at})",
                         left_text=infos[0].side.text(self.doc), right_text=infos[1].side.text(self.doc))

    def _identity_holds(self, infos: list[SideInfo], samples: list[dict[str, Fraction]]) -> bool:
        """Whether both sides agree at every one of the values put in for their names."""
        for given in samples:
            try:
                left, right = (evaluate(i.tree, self.values(i, self.primary, name_override=given)) for i in infos)
            except Unevaluable:
                return False
            if left != right:
                return False
        return True

    def _adjectival(self, st: Statement) -> bool:
        """Inline math used as a qualifier (``the $\\alpha = 1$ cost``, ``an $S = 2$ layer``):
        it names a case, it does not set the name for what follows."""
        if st.math or len(st.sides) != 2:
            return False
        text = self.doc.text
        before = text[max(0, st.start - 40) : st.start].rstrip(" $\\(")
        after = text[st.end : st.end + 40].lstrip(" $\\)")
        word = re.search(r"([^\W\d_]+)\s*$", before)
        return (word is not None and word.group(1).lower() in _DETERMINERS and before[-1:].isalpha()
                and re.match(r"[^\W\d_]", after) is not None)

    def _running(self, infos: list[SideInfo], a: int, b: int, nxt: int | None, st: Statement,
                 p: int) -> SideInfo | None:
        """The number side ``b`` goes on from, where ``b`` continues a value rather than
        restating side ``a``'s (``= 11,520 weights + 10 = 11,530``; ``= 1,200 + 16 = 1,216``):
        ``b`` starts with a number and an operator, and a unit word stands between them, or
        the side after ``b`` gives ``b``'s value. The step ``a = b`` then claims that number."""
        toks = infos[b].toks
        if len(toks) < 3 or toks[0].kind != "NUM" or toks[1].kind not in ("PLUS", "MINUS", "TIMES", "DIV"):
            return None
        rel = "~" if "~" in st.rels[a:b] else "="
        if infos[a].values[p] is None or infos[b].values[p] is None or self.agree(infos[a], infos[b], rel, p):
            return None
        worded = re.search(r"[^\W\d_]", self.doc.text[toks[0].end : toks[1].start]) is not None
        goes_on = nxt is not None and bool(self.agree(infos[b], infos[nxt], "~" if "~" in st.rels[b:nxt] else "=", p))
        if not (worded or goes_on):
            return None
        lead = SideInfo(Side([toks[0]], toks[0].start, toks[0].end), infos[b].line)
        self.fill(lead, p)
        return lead if lead.values[p] is not None else None

    def _step(self, a: SideInfo, b: SideInfo, rel: str, p: int, s: int) -> str:
        verdict = self.agree(a, b, rel, p)
        if verdict:
            return "right"
        if verdict is None:
            return "approx"
        if self.rounding and _rounded_as_stated(a.values[p], b.values[p], self.rounding):
            return "right"
        if self._rebound(substitution(a, b, p) or substitution(b, a, p), b.line, p):
            return "right"  # the formula, then its numbers: the names stand for these here
        units = self._units(a, b, rel, p)
        if units is not None:
            self._unit_detail = units[1]
            return units[0]
        if not (self.tainted(a) or self.tainted(b)):
            return "wrong"
        for info in (a, b):
            if info.values[s] is None and info.errors[s] is None:
                self.fill(info, s)
        if a.values[s] is None or b.values[s] is None or not self.agree(a, b, rel, s):
            return "wrong"
        if self.decided:
            return "separator"
        # The document has not said which separators it uses: this step says it.
        self.evidence[s] += 1
        if self.evidence[s] > self.evidence[p]:
            self.primary = s
        return "right"

    def _rebound(self, put: dict[str, Fraction] | None, line: int, p: int) -> bool:
        """Whether the numbers put in for names start a new derivation: each name was set
        under an earlier heading (a new question), or not set to a value at all."""
        if not put:
            return False
        for name in put:
            bound = self.env.get(name)
            if bound is not None and bound.state == "value" and not any(
                    bound.line < h <= line for h in self.heading_lines):
                return False  # set in this section: a number put in for it is a slip
        return True

    def _wrong(self, st: Statement, infos: list[SideInfo], a: int, b: int, rel: str, text: str, p: int) -> WrongStep:
        left, right = infos[a], infos[b]
        lv, rv = left.values[p], right.values[p]
        assert lv is not None and rv is not None
        # past a few hundred wrong steps, a document is not one a person checks step by step:
        # the rest get both values, without the search for one part to blame
        blame = blame_step(self, st, infos, a, b, p, rel) if len(self.wrong) < MAX_BLAMED else None
        line = blame.line if blame is not None and blame.line else right.line
        return WrongStep(
            line=line,
            text=text,
            left=format_value(lv, p),
            right=format_value(rv, p),
            expected=blame.should_be if blame is not None else format_value(lv, p),
            left_text=left.side.text(self.doc),
            right_text=right.side.text(self.doc),
            relation="≈" if rel == "~" else "=",
            blame=blame,
        )

    def _define(self, names: list[str], infos: list[SideInfo], value_sides: list[int], evaluable: list[int],
                has_literal: bool, wrong: bool, line: int, text: str, st: Statement) -> None:
        """Bind the names a statement defines to what it says they are, and to the general
        formula it gives for them."""
        if wrong:
            binding = Binding((None, None), line, "contradicted", text)
        elif len(value_sides) == 1 and evaluable and _is_size(infos[value_sides[0]]):
            binding = Binding((None, None), line, "size", infos[value_sides[0]].side.text(self.doc))
        elif not evaluable or not has_literal:
            binding = Binding((None, None), line, "formula", text)
        else:
            values, rounded = self._defined_values(infos, value_sides, evaluable, st)
            binding = Binding((values[0], values[1]), line, "value", text, (rounded[0], rounded[1]))
        formula = next((infos[k] for k in value_sides if infos[k].names and infos[k].tree is not None), None)
        if formula is None and not value_sides and len(infos) >= 2 and infos[1].tree is not None:
            formula = infos[1]  # B_c = N
        # a general formula defines its first name; a name it equals keeps its value (B = F)
        self._bind(names[:1] if binding.state == "formula" else names, binding, formula)

    def _defined_values(self, infos: list[SideInfo], value_sides: list[int], evaluable: list[int],
                        st: Statement) -> tuple[list[Fraction | None], list[bool]]:
        """The value a statement gives its names in each reading, and whether it is only a
        rounded figure there (the same in both readings unless a side reads differently)."""
        p = self.primary
        tainted = any(self.tainted(infos[k]) for k in evaluable)
        values: list[Fraction | None] = [None, None]
        rounded = [False, False]
        for c in (p, 1 - p):
            if c != p and not tainted:
                values[c], rounded[c] = values[p], rounded[p]
                continue
            chosen = self._defining_side(infos, value_sides, evaluable, "~" in st.rels, c)
            if chosen is not None:
                values[c], rounded[c] = infos[chosen[0]].values[c], chosen[1]
        return values, rounded

    def _defining_side(self, infos: list[SideInfo], value_sides: list[int], evaluable: list[int], approx: bool,
                       c: int) -> tuple[int, bool] | None:
        """The side whose value in reading ``c`` the names take, and whether it is only a
        rounded figure: the last exact side, else the last side with a value."""
        for k in evaluable:
            if infos[k].values[c] is None and infos[k].errors[c] is None:
                self.fill(infos[k], c)
        known = [k for k in evaluable if infos[k].values[c] is not None]
        exact = [k for k in known if infos[k].precision(c, approx) is None or (
            len(value_sides) == 1 and not approx and (lit := infos[k].literal()) is not None
            and lit.scale == 1)]  # alpha = 0.75 sets alpha; it is no rounded figure
        if exact:
            return exact[-1], False
        return (known[-1], True) if known else None

    def _bind(self, names: list[str], binding: Binding, formula: SideInfo | None) -> None:
        """Set each name (the first of them leading its chain), keep the history of its values,
        and remember the general formula it was given."""
        first = names[0] if names else None
        for name in dict.fromkeys(names):
            if binding.state == "value":
                binding = replace(binding, leading=name == first)
            self.env[name] = binding
            if binding.state == "value":
                self.history.setdefault(name, []).append(binding)
            if formula is not None and name not in formula.names:
                self.formula_of[name] = formula

    def result(self, name: str) -> DocCheck:
        return DocCheck(
            checked=self.checked,
            wrong=tuple(self.wrong),
            skips=tuple(self.skips),
            formulas=tuple(self.formulas),
            name=name,
            syntax=self.doc.syntax,
            convention=CONVENTIONS[self.primary],
        )


def check_statements(doc: Document, sts: Iterable[Statement], *, budget: int = DOC_BUDGET) -> Checker:
    checker = Checker(doc, budget=budget)
    for st in sts:
        checker.statement(st)
    return checker


def check_document(
    text: str, *, name: str = "<doc>", syntax: str | None = None, network=None, layer_names=None,
    budget: int = DOC_BUDGET,
) -> DocCheck:
    r"""Check every equality ``text`` writes, in math and in prose; with ``network`` (a
    name, spec file or :class:`~symcnn.network.Network`, or a derivation), also what it
    says about that network's layers.

    ``name`` appears in reports and, by its suffix, picks the syntax (``.tex``: LaTeX,
    ``.txt``: plain text, ``.ipynb``: a Jupyter notebook, ``.html``: a web page, else
    Markdown, or a notebook or page by its content); ``syntax`` (``markdown``, ``latex``,
    ``text``, ``notebook`` or ``html``) overrides that guess. Lines are the file's (in a
    notebook, also the cell and the line in it: ``cell``, ``cell_line``). ``layer_names``
    maps names the document uses to the network's (``{"MaxPool-1": "pool1"}``;
    ``{"MaxPool": "pool"}`` maps every numbered one).

    >>> doc = r'''
    ... - $K=11$, $C=3$, $N=96$
    ... $$W_{c}=K^{2}\times C\times N=11^{2}\times 3\times 96=34,848$$
    ... $$P_{c}=W_{c}+96=94,944$$
    ... '''
    >>> result = check_document(doc)
    >>> result.checked, result.skipped
    (3, 0)
    >>> [(w.line, w.left_text, w.left, w.right, str(w.blame)) for w in result.wrong]
    [(4, 'W_{c}+96', '34,944', '94,944', '94,944 should be 34,944')]
    """
    from .find import SYNTAXES

    if syntax is not None and syntax not in SYNTAXES:
        raise SpecError(f"unknown syntax {quote(syntax)}; use one of {', '.join(SYNTAXES)}", where=name, rule="syntax")
    # a lone carriage return ends a line (old Mac files): as a newline, one character for one
    text = _LONE_CR.sub("\n", text)
    syntax = syntax or guess_syntax(text, name)
    text, misread = _unmisread(text, syntax)
    doc = document_of(text, syntax, name)
    seen: set[int] = set()
    checker = check_statements(doc, _noting_lines(doc, statements(doc), seen), budget=budget)
    result = _with_word_formulas(checker.result(name), doc, checker, budget)
    found = misread + tuple(Skip(line, text, reason) for line, text, reason in doc.skips)  # math a page keeps no TeX of
    unread = tuple(_unread_lines(doc, seen | {s.line for s in found}))
    if found or unread:
        result = replace(result, skips=result.skips + found + unread)
    if network is not None:
        from .network import check_claims

        label, claims, uncertain = check_claims(doc, network, layer_names or {}, convention=checker.primary)
        # a wrong count the arithmetic already blamed (a table's parameter cell) is one mistake
        blamed = {(w.line, w.blame.written) for w in result.wrong if w.blame is not None}
        claims = [c for c in claims if c.ok or (c.line, c.written) not in blamed]
        result = replace(result, claims=tuple(claims), network=label, skips=result.skips + tuple(uncertain))
    if not result.checked and not result.skips and not result.claims:
        result = replace(result, skips=tuple(_why_nothing(doc, result)))
    return relocate(result, doc) if doc.places is not None else result


def _unmisread(text: str, syntax: str) -> tuple[str, tuple[Skip, ...]]:
    """The text with its mis-decoded lines blanked (:mod:`.decoding`), and those lines as
    skips; text, Markdown and LaTeX only (a notebook's or page's lines are its markup)."""
    from .decoding import blank_lines, misdecoded

    found = misdecoded(text) if syntax in ("text", "markdown", "latex") else None
    if found is None:
        return text, ()
    code_page, lines = found
    rows = text.split("\n")
    skips = tuple(Skip(n, rows[n - 1].strip()[:200], "misdecoded", f"UTF-8 read as {code_page}") for n in lines)
    return blank_lines(text, lines), skips


def _with_word_formulas(result: DocCheck, doc: Document, checker: Checker, budget: int) -> DocCheck:
    """The result with the formulas written with words checked, the values the lines above
    them state put in (:mod:`.wordvalues`): where the document states no rounding of sizes."""
    from .wordvalues import word_formulas

    if checker.rounding:
        return result
    wrong, skips, checked = list(result.wrong), list(result.skips), result.checked
    for f in word_formulas(doc.masked):
        subs = [check_document(text, name=result.name, syntax="text", budget=budget) for text in f.readings]
        if any(not sub.checked or sub.skips for sub in subs):
            continue
        checked += 1
        skips = [s for s in skips if s.line != f.line]
        if all(sub.wrong for sub in subs):  # wrong under every reading
            wrong += [replace(w, line=f.line, text=f"{f.written} (with {f.sources})") for w in subs[0].wrong]
    return replace(result, wrong=tuple(sorted(wrong, key=lambda w: w.line)), skips=tuple(skips), checked=checked)


def _noting_lines(doc: Document, sts: Iterable[Statement], seen: set[int]) -> Iterator[Statement]:
    """The statements, noting the lines each covers."""
    for st in sts:
        seen.update(range(doc.line_of(st.start), doc.line_of(max(st.start, st.end - 1)) + 1))
        yield st


#: relations a reader checks between two numbers
_RELATION_CHARS = ("=", "≈", "→")


def _number_relation(line: str) -> int:
    """Where a relation stands between two numbers in a line (``11*11*3*96 = 34,848``; not
    ``stride=4``), or -1."""
    for k, c in enumerate(line):
        if c in _RELATION_CHARS and k > 0:
            before, after = line[:k].rstrip()[-1:], line[k + 1 :].lstrip()[:1]
            if (before.isdigit() or before in ")%") and (after.isdigit() or after == "("):
                return k
    return -1


def _unread_lines(doc: Document, seen: set[int]) -> Iterator[Skip]:
    """Every line with digits on both sides of ``=``, ``≈`` or ``→`` that no statement read:
    listed with why (code, or not read as an equality), so that nothing is dropped silently."""
    start = 0
    for number, line in enumerate(doc.text.split("\n"), 1):
        end = start + len(line)
        if number not in seen and len(line) <= 2000:
            at = _number_relation(line)
            if at >= 0:
                masked = doc.masked[start:end]
                reason = "code" if not masked[: at + 1].strip() or masked.strip() != line.strip() else "unread"
                yield Skip(number, line.strip()[:200], reason)
        start = end + 1


#: a figure of three digits or more (``3,747,200``, ``614656``)
_FIGURE = re.compile(r"(?<![\w.,\-])\d[\d,]{1,20}\d(?![\w.]|[ \t]?[x×*])")
#: a side of names with an operation in it (``kkc + cm``, ``c(kk + m)``), no digits
_NAMES_SIDE = re.compile(r"[^\W\d_][\w ]{0,40}[+*×·(/-][\w ()+*×·/-]{0,80}")


_NAME = re.compile(r"[^\W\d_]{1,30}")
#: a size and a count in words on one line (``3x3 필터 2개의 파라미터는 18개``, ``a 5x5 filter has 25 weights``)
_W = r"[A-Za-z0-9_]"
_SIZE_AND_COUNT = re.compile(rf"(?<!{_W}|\.)\d{{1,4}} ?[x×] ?\d{{1,4}}(?!{_W}|\.\d).{{1,80}}?(?<!{_W}|[.,×])\d{{1,9}}"
                             rf"(?!{_W}|[.,]\d|[ \t]?[x×])|(?<!{_W}|[.,×])\d{{1,9}}(?!{_W}|[.,]\d|[ \t]?[x×])"
                             rf".{{1,80}}?(?<!{_W}|\.)\d{{1,4}} ?[x×] ?\d{{1,4}}(?!{_W}|\.\d)")


def _why_nothing(doc: Document, result: DocCheck) -> Iterator[Skip]:
    """Why a document with nothing checked holds nothing to check: identities of names it
    writes (not formulas defining a name), or figures given in prose (two or more on a line,
    no relation between them)."""
    formulas = {f.line for f in result.formulas}
    lines = doc.masked.split("\n")
    found = False
    for number, line in enumerate(lines, 1):
        left, eq, right = line.partition("=")
        sides = [side.strip(" \t=") for side in (left, right)]
        if eq and number not in formulas and len(line) <= 2000 and not _FIGURE.search(line) and all(
                _NAMES_SIDE.fullmatch(side) or _NAME.fullmatch(side) for side in sides) and any(
                _NAMES_SIDE.fullmatch(side) for side in sides):
            found = True
            yield Skip(number, line.strip()[:200], "identity")
    if found:
        return
    for number, line in enumerate(lines, 1):
        if len(line) <= 2000 and (len(_FIGURE.findall(line)) >= 2 or _SIZE_AND_COUNT.search(line)):
            yield Skip(number, line.strip()[:200], "prose")


def document_of(text: str, syntax: str, name: str = "<doc>") -> Document:
    """The document to check in ``text``: Markdown, LaTeX and text as they are; a notebook's
    cells and an HTML page's text read into Markdown, each line placed in the file."""
    if syntax == "notebook":
        from .notebook import find_notebook

        try:
            return find_notebook(text)
        except SpecError as e:  # a malformed notebook
            raise e.within(name) from None
    if syntax == "html":
        from .webpage import find_html

        return find_html(text)
    return find(text, syntax)


def relocate(result: DocCheck, doc: Document) -> DocCheck:
    """The result with every line put where it is in the file the document was read from
    (a notebook's line, cell and line in the cell; an HTML page's line)."""

    def moved(item):
        place = doc.place(item.line)
        return replace(item, line=place.line, cell=place.cell, cell_line=place.cell_line)

    wrong = tuple(replace(moved(w), blame=moved(w.blame) if w.blame is not None else None) for w in result.wrong)
    skips = tuple(sorted((moved(s) for s in result.skips), key=lambda s: s.line))
    return replace(result, wrong=wrong, skips=skips, formulas=tuple(moved(f) for f in result.formulas),
                   claims=tuple(moved(c) for c in result.claims))


def read_document(path: str | PathLike[str]) -> str:
    """The text of a document (UTF-8, a byte-order mark allowed); ``-`` reads stdin."""
    import sys

    if str(path) == "-":
        data = sys.stdin.buffer.read(DOCUMENT_BYTES.value + 1)
        DOCUMENT_BYTES.check(len(data), f"the document is {len(data):,} bytes or more, which", where="<stdin>")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise SpecError(f"cannot read the document: not UTF-8 ({err.reason} at byte {err.start})",
                            where="<stdin>") from None
    # a regular file within the document limit (not /dev/zero, a pipe or a folder)
    return read_text(path, limit=DOCUMENT_BYTES, what="document", encoding="utf-8-sig")


def check_file(path: str | PathLike[str], *, syntax: str | None = None, **options) -> DocCheck:
    """Check the document at ``path`` (``-``: standard input); see :func:`check_document`.

    An unreadable file raises :class:`~symcnn.errors.SpecError` naming the file.

    >>> check_file("/nonexistent/notes.md")
    Traceback (most recent call last):
    ...
    symcnn.errors.SpecError: /nonexistent/notes.md: cannot read the document: No such file or directory
    """
    text = read_document(path)
    name = "<stdin>" if str(path) == "-" else str(path)
    return check_document(text, name=name, syntax=syntax, **options)


#: a number the document calls approximate: ``~15.1M``, ``≈ 60.3``, ``about 2.2``, ``약 1.2``
_APPROX_BEFORE = re.compile(r"(?:[~≈∼]|\b(?:about|approx\.?|approximately|roughly|around|ca\.)|약|约|大约|約)\s*\Z",
                            re.I)


_LONE_CR = re.compile(r"\r(?!\n)")


def _within(a: SideInfo, b: SideInfo, convention: int, tolerance: Fraction) -> bool:
    x, y = a.values[convention], b.values[convention]
    return x is not None and y is not None and abs(x - y) <= tolerance


__all__ = ["check_document", "check_file", "read_document", "Checker", "SideInfo", "Binding", "DOC_BUDGET",
           "MAX_BLAMED"]
