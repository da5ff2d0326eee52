"""Valid inputs: the smallest input size for which every layer has an output, the input
sizes that make every division whole in exact rounding (residues modulo a period), the
sizes a layer's declared input length or channel count allows, the sizes where a merge's
inputs have equal sizes (residues modulo a period, or finitely many), and the inputs that
give a wanted size at a layer.

Every answer comes from the closed forms (:mod:`symcnn.analysis.search`): in closed form
where a size has one rounding of a linear form, else by evaluating the non-decreasing
form exactly; sympy's solvers are never asked, so no question runs unbounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, lcm

from sympy import Add, Basic, Integer, Max, Mul, Rational, Symbol, ceiling, divisors, floor
from sympy.ntheory.modular import solve_congruence

from ..errors import Rule, ShapeError, SolveError
from ..network import Network, sources
from ..printing import display, text
from ..records import Equal, NetworkDerivation
from ..shape import Shape
from .collapse import ROUNDERS
from .compile import compile_expr
from .search import first_reaching, nondecreasing, period

#: The longest period of whole divisions enumerated (exact rounding); the stride product of
#: a network is far below it.
LONGEST_PERIOD = 1 << 16

#: An inclusive range of whole numbers; ``None`` as the upper end: no upper end.
Span = tuple[int, "int | None"]


@dataclass(frozen=True)
class Congruence:
    """The inputs ``x`` with ``x mod modulus`` one of ``residues``."""

    residues: tuple[int, ...]
    modulus: int

    def __init__(self, residue: int | Iterable[int], modulus: int):
        found = {r % modulus for r in ((residue,) if isinstance(residue, int) else residue)}
        # the shortest period of the set: 1, 3, 5, ... 15 mod 16 is 1 mod 2
        for d in sorted(int(d) for d in divisors(modulus)):
            if all((r + d) % modulus in found for r in found):
                found, modulus = {r % d for r in found}, d
                break
        object.__setattr__(self, "residues", tuple(sorted(found)))
        object.__setattr__(self, "modulus", modulus)

    @property
    def residue(self) -> int:
        """The smallest residue (the only one where there is one)."""
        return self.residues[0]

    def __contains__(self, x: int) -> bool:
        return x % self.modulus in self.residues

    def next(self, x: int) -> int:
        """The smallest member at least ``x``."""
        return min(x + (r - x) % self.modulus for r in self.residues)

    def to_json(self) -> dict:
        if len(self.residues) == 1:
            return {"modulus": self.modulus, "residue": self.residue}
        return {"modulus": self.modulus, "residues": list(self.residues)}

    def __str__(self) -> str:
        return f"= {', '.join(map(str, self.residues))} mod {self.modulus}"


def combine(a: Congruence, b: Congruence) -> Congruence | None:
    """The inputs in both ``a`` and ``b`` (None: none)."""
    return _combine(a, b)


def _combine(a: Congruence, b: Congruence) -> Congruence | None:
    if len(a.residues) == 1 and len(b.residues) == 1:
        solved = solve_congruence((a.residue, a.modulus), (b.residue, b.modulus))
        return None if solved is None else Congruence(int(solved[0]), int(solved[1]))
    m = lcm(a.modulus, b.modulus)
    if m > LONGEST_PERIOD:
        raise SolveError(f"whole divisions repeat only every {m} input sizes", rule=Rule.EXACT_DIVISION)
    found = [x for x in range(m) if x in a and x in b]
    return Congruence(found, m) if found else None


def exact_inputs(derivation: NetworkDerivation, symbols: tuple[Symbol, ...],
                 tick: Callable[[str], None] = lambda name: None,
                 assumed: list[str] | None = None) -> dict[Symbol, Congruence] | None:
    """In exact rounding every output size must be whole. A size linear in its symbol,
    ``(A x + B)/D``, is whole exactly when ``A x = -B (mod D)``; a size with roundings in it
    (a ceil-mode pool) repeats with a period T (:func:`~symcnn.analysis.search.period`),
    so it is whole at some residues modulo T, found by evaluating one period. The
    conditions combine by the Chinese remainder theorem (or over the lcm of the periods).
    None where no input makes every division whole."""
    conditions: dict[Symbol, set[Congruence]] = {s: set() for s in symbols}
    for d in derivation.layers:
        tick(d.name)
        if d.training:  # sizes are for eval, where a training-only branch does not run
            continue
        for size in d.output.spatial:
            x = _one_symbol(size, symbols, d.name)
            if x is None:
                continue
            if size.free_symbols != {x}:
                if assumed is not None and size.is_integer is not True:
                    assumed.append(f"{d.name}: {display(size)} is whole (exact rounding)")
                continue
            cong = _whole_at(size, x, d.name)
            if cong is None:
                return None
            conditions[x].add(cong)
    result = {}
    for x, conds in conditions.items():
        combined: Congruence | None = Congruence(0, 1)
        for cong in sorted(conds, key=lambda c: (c.modulus, c.residues)):
            combined = _combine(combined, cong) if combined is not None else None
        if combined is None:
            return None
        result[x] = combined
    return result


def _whole_at(size: Basic, x: Symbol, where: str) -> Congruence | None:
    try:
        a, b = linear(size, x, where)
    except SolveError:
        pass
    else:
        denominator = Integer(a.q).lcm(b.q)
        A, B, D = int(a * denominator), int(b * denominator), int(denominator)
        solved = _linear_congruence(A, -B, D)
        return None if solved is None else Congruence(*solved)
    found = period(size, x)
    if found is None or size.free_symbols != {x}:
        raise SolveError(f"output size {text(size)} is not built of roundings of a linear form in {x}",
                         where=where, rule="linear size")
    T = found[0] * int(Rational(found[1]).q)
    if T > LONGEST_PERIOD:
        raise SolveError(f"output size {text(size)} repeats only every {T} input sizes", where=where,
                         rule=Rule.EXACT_DIVISION)
    f = compile_expr(size, (x,))
    whole = [r for r in range(T) if not isinstance(f(r + T), Fraction)]
    return Congruence(whole, T) if whole else None


def _one_symbol(size: Basic, symbols: tuple[Symbol, ...], where: str) -> Symbol | None:
    free = size.free_symbols & set(symbols)
    if not free:
        return None
    if len(free) > 1:
        raise SolveError(f"output size {size} mixes {', '.join(sorted(map(str, free)))}", where=where,
                         rule="one symbol per axis")
    return next(iter(free))


def linear(expr: Basic, x: Symbol, where: str) -> tuple[Rational, Rational]:
    """``(a, b)`` with ``expr = a x + b``, a and b rational."""
    terms = expr.as_coefficients_dict()
    if set(terms) - {x, Integer(1)} or x not in terms or not all(c.is_Rational for c in terms.values()):
        raise SolveError(f"output size {expr} is not linear in {x}", where=where, rule="linear size")
    return terms[x], terms.get(Integer(1), Integer(0))


def _linear_congruence(a: int, b: int, m: int) -> tuple[int, int] | None:
    """Solve ``a x = b (mod m)`` as ``(residue, modulus)``, or None where it has no solution."""
    g = gcd(a, m)
    if b % g:
        return None
    m2 = m // g
    return ((b // g) * pow(a // g, -1, m2) % m2 if m2 > 1 else 0), m2


def min_inputs(network: Network, derivation: NetworkDerivation, symbols: tuple[Symbol, ...],
               exact: Mapping[Symbol, Congruence] | None,
               tick: Callable[[str], None] = lambda name: None) -> dict[Symbol, Basic]:
    """Smallest input per symbol such that every output is at least 1 and every window fits
    its padded input (the two derive() enforces). A whole number, or, where a layer's
    hyper-parameters are symbols (``kernel: K``), a formula in them (``Max(1, 2*K - 1)``)."""
    lowest: dict[Symbol, Basic] = dict.fromkeys(symbols, Integer(1))
    asked: set[tuple[Basic, Basic]] = set()

    def need(expr: Basic, at_least: Basic, where: str) -> None:
        if (expr, at_least) in asked:  # the axes and the layers that keep the size repeat it
            return
        asked.add((expr, at_least))
        x = _one_symbol(expr, symbols, where)
        if x is None:
            return
        lowest[x] = Max(lowest[x], smallest_input(expr, x, at_least, where))

    windows: set[tuple] = set()
    outputs: set[Shape] = set()
    for (layer, _), sig in zip(sources(network.layers), network.signatures):
        tick(layer.name)
        if layer.training:  # sizes are for eval, where a training-only branch does not run
            continue
        d = derivation[layer.name]
        if d.output not in outputs:  # a deep network repeats a few outputs: each asked once
            outputs.add(d.output)
            for size in d.output.spatial:
                need(size, Integer(1), layer.name)
        key = (sig, d.inputs[:1])
        if key[0] is not None and key in windows:  # a repeated layer asks what its first use asked
            continue
        windows.add(key)
        # derive() lets a pooling window in ceil mode overhang the input's end; elsewhere
        # the window must fit the padded input.
        overhang = any(step.overhang for step in d.steps)
        if d.inputs and d.inputs[0].spatial and not overhang:
            window = layer.window(d.inputs[0])
            for size, (k, _, p) in zip(d.inputs[0].spatial, window or ()):
                if not (k - 2 * p).free_symbols & set(symbols):  # adaptive pooling cuts its windows from the input
                    need(size, k - 2 * p, layer.name)
    if exact is not None:
        for x, cong in exact.items():
            if lowest[x].is_Integer:
                lowest[x] = Integer(cong.next(int(lowest[x])))
    return lowest


def smallest_input(expr: Basic, x: Symbol, t: Basic, where: str, low: int = 1) -> Basic:
    """The smallest whole ``x >= low`` with ``expr >= t``.

    In closed form for ``alpha * R(a x + b) + beta`` (R floor or ceiling, alpha, a > 0) and
    ``a x + b``, where b, beta and t may hold other symbols (a kernel K: the answer is then
    a formula in them); for any other non-decreasing form by evaluating it
    (:func:`~symcnn.analysis.search.first_reaching`)."""
    if x not in expr.free_symbols:
        if expr.is_number and t.is_number and (expr >= t) is not True:
            raise SolveError(f"size {text(expr)} is below {t} for every input", where=where, rule="size >= 1")
        return Integer(low)
    closed = _closed_form(expr, x, t)
    if closed is not None:
        return closed if not closed.is_number else Integer(max(low, int(closed)))
    if expr.free_symbols == {x} and t.is_Integer and nondecreasing(expr, x):
        found = first_reaching(compile_expr(expr, (x,)), int(t), low)
        if found is not None:
            return Integer(found)
        raise SolveError(f"size {text(expr)} stays below {t} for every input", where=where, rule="size >= 1")
    raise SolveError(f"cannot solve {text(expr)} >= {t} for {x} in closed form", where=where, rule="closed form")


def _closed_form(expr: Basic, x: Symbol, t: Basic) -> Basic | None:
    terms = expr.as_coefficients_dict()
    rounders = [term for term in terms if isinstance(term, ROUNDERS)]
    if len(rounders) == 1 and all(term is rounders[0] or x not in term.free_symbols for term in terms):
        inner = rounders[0]
        alpha = terms[inner]
        beta = expr - alpha * inner
        split = _linear_in(inner.args[0], x)
        if not (alpha.is_positive and split and split[0].is_positive):
            return None
        a, b = split
        level = ceiling(((t - beta) / alpha).expand())  # R(u) >= level, R(u) being whole
        if isinstance(inner, floor):  # u >= level
            bound = ceiling(((level - b) / a).expand())
        else:  # ceil(u) >= level  <=>  u > level - 1
            bound = floor(((level - 1 - b) / a).expand()) + 1
        return Max(1, bound)
    if not rounders:
        split = _linear_in(expr, x)
        if split and split[0].is_positive:
            return Max(1, ceiling(((t - split[1]) / split[0]).expand()))
    return None


def _linear_in(expr: Basic, x: Symbol) -> tuple[Basic, Basic] | None:
    """``(a, b)`` with ``expr = a x + b``, a free of x and b free of x (symbols allowed)."""
    terms = expr.as_coefficients_dict()
    if x in terms and all(t is x or x not in t.free_symbols for t in terms):  # a number times x
        return terms[x], Add(*(c * t for t, c in terms.items() if t is not x))
    a = expr.diff(x) if x in expr.free_symbols else Integer(0)
    if x in a.free_symbols or a.has(floor, ceiling):
        return None
    b = (expr - a * x).expand()
    if x in b.free_symbols:
        return None
    return a, b


# -- merges of inputs whose sizes are equal for some input sizes only ------------------------


@dataclass(frozen=True)
class Match:
    """A merge's two sizes that must be equal (:class:`~symcnn.records.Equal`) as a condition on
    the input ``symbol``: where the sizes differ by an amount that repeats (the same slope), the
    residues ``congruence`` where it is 0; where their slopes differ, the finitely many inputs
    ``boxes`` (one span per symbol, as :class:`Fit`'s) where they meet. ``symbol`` None: the sizes
    hold other symbols too (a kernel K), and the condition is stated, not solved; both None: the
    form is not one the analysis solves (it is stated too)."""

    layer: str
    equal: Equal
    symbol: Symbol | None
    congruence: Congruence | None = None
    boxes: tuple[tuple[Span, ...], ...] | None = None

    @property
    def solved(self) -> bool:
        return self.congruence is not None or self.boxes is not None

    def text(self, symbols: tuple[Symbol, ...]) -> str:
        """``cat needs relu and up of equal size: I = 2*floor((I + 1)/2) for I = 0 mod 2``."""
        a, b = self.equal.inputs
        sizes = f"{display(self.equal.sizes[0])} = {display(self.equal.sizes[1])}"
        along = "" if len(symbols) == 1 and self.equal.axis != "C" else f" along {self.equal.axis}"
        head = f"{self.layer} needs {a} and {b} of equal size{along}: {sizes}"
        if self.congruence is not None:
            return f"{head} for {self.symbol} {self.congruence}"
        if self.boxes is not None:
            return f"{head} for {boxes_text(self.boxes, symbols)}"
        return head


def matches(derivation: NetworkDerivation, symbols: tuple[Symbol, ...], lowest: Mapping[Symbol, Basic],
            tick: Callable[[str], None] = lambda name: None) -> tuple[Match, ...]:
    """Every condition a merge puts on the input (:attr:`LayerDerivation.equal
    <symcnn.records.LayerDerivation.equal>`), solved where the two sizes are roundings of linear
    forms in one symbol. A merge whose sizes differ at every input size is an error naming it."""
    found: dict[tuple, Match] = {}
    for d in derivation.layers:
        tick(d.name)
        if d.training:  # sizes are for eval, where a training-only branch does not run
            continue
        for eq in d.equal:
            key = (d.name, eq.inputs, eq.sizes)  # a square input asks the same of H and W
            if key not in found:
                found[key] = _match(d.name, eq, symbols, lowest)
    return tuple(found.values())


def _match(layer: str, eq: Equal, symbols: tuple[Symbol, ...], lowest: Mapping[Symbol, Basic]) -> Match:
    diff = (eq.sizes[0] - eq.sizes[1]).expand()
    free = diff.free_symbols
    if len(free) != 1 or not free <= set(symbols):
        return Match(layer, eq, None)
    (x,) = free
    found = period(diff, x)
    low = int(lowest[x]) if lowest[x].is_Integer else 1
    if found is None:
        return Match(layer, eq, x)
    T, delta = found
    if T > LONGEST_PERIOD:
        return Match(layer, eq, x)
    f = compile_expr(diff, (x,))
    if delta == 0:  # the difference repeats every T inputs: zero at some residues
        zeros = [r for r in range(T) if f(r) == 0]
        if not zeros:
            raise _never(layer, eq, x)
        return Match(layer, eq, x, congruence=Congruence(zeros, T))
    # f(r + k T) = f(r) + k delta: at most one k per residue r
    values = set()
    for r in range(T):
        k = Fraction(-f(r)) / Fraction(delta.p, delta.q)
        if k.denominator == 1 and r + int(k) * T >= low:
            values.add(r + int(k) * T)
    if not values:
        raise _never(layer, eq, x, low)
    boxes = tuple(tuple(span if s == x else (int(lowest[s]) if lowest[s].is_Integer else 1, None) for s in symbols)
                  for span in _runs(sorted(values)))
    return Match(layer, eq, x, boxes=boxes)


def _runs(values: list[int]) -> list[tuple[int, int]]:
    """Sorted whole numbers as inclusive spans of consecutive ones: ``[3, 4, 5, 9]`` is ``(3, 5), (9, 9)``."""
    spans: list[tuple[int, int]] = []
    for v in values:
        if spans and spans[-1][1] == v - 1:
            spans[-1] = (spans[-1][0], v)
        else:
            spans.append((v, v))
    return spans


def _never(layer: str, eq: Equal, x: Symbol, low: int | None = None) -> ShapeError:
    a, b = eq.inputs
    where = f"at every input size {x} from {low} up" if low is not None else "at every input size"
    return ShapeError(f"inputs {a!r} ({eq.axis} = {text(eq.sizes[0])}) and {b!r} ({eq.axis} = "
                      f"{text(eq.sizes[1])}) differ {where}; they must be equal", where=layer,
                      rule="equal sizes at some input")


# -- declared sizes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """A layer's declared input size (``in_features``, ``in_channels``) as a condition on the input.

    ``derived`` is what reaches the layer, a formula in the input size(s); ``boxes`` are the
    input sizes where it equals ``declared``: per box one inclusive ``(low, high)`` span per
    symbol (``high`` None: no upper end). ``boxes`` is None where they cannot be computed
    (the formula holds other symbols, or is not a product of one factor per axis).
    """

    layer: str
    field: str
    declared: Basic
    derived: Basic
    boxes: tuple[tuple[Span, ...], ...] | None


def fits(derivation: NetworkDerivation, symbols: tuple[Symbol, ...], lowest: Mapping[Symbol, Basic],
         tick: Callable[[str], None] = lambda name: None) -> tuple[Fit, ...]:
    """Every declaration of the derivation whose derived size depends on the input size."""
    found = []
    for d in derivation.layers:
        tick(d.name)
        for decl in d.declared:
            if not decl.derived.free_symbols & set(symbols):
                continue
            found.append(Fit(d.name, decl.field, decl.declared, decl.derived,
                             solve_equal(decl.derived, decl.declared, symbols, lowest)))
    return tuple(found)


def solve_equal(expr: Basic, value: Basic, symbols: tuple[Symbol, ...],
                lowest: Mapping[Symbol, Basic]) -> tuple[tuple[Span, ...], ...] | None:
    """The input sizes (boxes of spans, one per symbol) where ``expr`` equals ``value``:
    ``expr`` must be non-decreasing in each symbol, a product of one factor per symbol
    (``16*floor((H - 12)/4)*floor((W - 12)/4)``: the divisors of 400/16 split it)."""
    if not value.is_Integer or expr.free_symbols - set(symbols):
        return None
    if any(not lowest[s].is_Integer for s in symbols):
        return None
    try:
        return _solve_equal(expr, int(value), symbols, {s: int(lowest[s]) for s in symbols})
    except _Unknown:
        return None


def _solve_equal(expr: Basic, value: int, symbols: tuple[Symbol, ...],
                 lowest: Mapping[Symbol, int]) -> tuple[tuple[Span, ...], ...] | None:
    if len(symbols) == 1:
        (x,) = symbols
        span = _level_set(expr, x, value, lowest[x])
        return ((span,),) if span else ()
    coeff, rest = expr.as_coeff_Mul()
    groups: dict[Symbol, Basic] = {s: Integer(1) for s in symbols}
    for factor in Mul.make_args(rest):
        free = factor.free_symbols & set(symbols)
        if len(free) != 1:
            return None
        (s,) = free
        groups[s] *= factor
    if not coeff.is_Integer or coeff <= 0 or value % int(coeff):
        return () if coeff.is_Integer and coeff > 0 else None
    target = value // int(coeff)
    boxes: list[tuple[Span, ...]] = []
    parts = [(s, groups[s]) for s in symbols]
    for split in _splits(target, len(parts)):
        spans: list[Span] = []
        for (s, g), part in zip(parts, split):
            span = _level_set(g, s, part, lowest[s])
            if not span:
                break
            spans.append(span)
        else:
            boxes.append(tuple(spans))
    return tuple(boxes)


def _splits(n: int, k: int) -> list[tuple[int, ...]]:
    """Every way to write n as a product of k whole factors, in order."""
    if k == 1:
        return [(n,)]
    return [(a, *rest) for a in divisors(n) for rest in _splits(n // a, k - 1)]


class _Unknown(Exception):
    """A level set the closed form does not let us find (not non-decreasing)."""


def _level_set(expr: Basic, x: Symbol, value: int, low: int) -> Span | None:
    """The span of ``x >= low`` where ``expr`` equals ``value`` (None: nowhere)."""
    if x not in expr.free_symbols:
        return (low, None) if expr == value else None
    if not nondecreasing(expr, x):
        raise _Unknown
    f = compile_expr(expr, (x,))
    start = first_reaching(f, value, low)
    if start is None or f(start) != value:
        return None
    end = first_reaching(f, value + 1, start)
    return start, (None if end is None else end - 1)


def boxes_text(boxes: tuple[tuple[Span, ...], ...], symbols: tuple[Symbol, ...]) -> str:
    """``I = 32..35``, ``H x W = 16..19 x 112..115 or 32..35 x 32..35``, ``no input size``."""
    if not boxes:
        return "no input size"
    names = " x ".join(s.name for s in symbols)
    shown = " or ".join(" x ".join(span_text(span) for span in box) for box in boxes)
    return f"{names} = {shown}"


def span_text(span: Span) -> str:
    low, high = span
    if high is None:
        return f"{low} and up"
    return str(low) if low == high else f"{low}..{high}"


def intersect(a: tuple[tuple[Span, ...], ...], b: tuple[tuple[Span, ...], ...]) -> tuple[tuple[Span, ...], ...]:
    """The boxes in both ``a`` and ``b``."""
    out = []
    for x in a:
        for y in b:
            box = []
            for (lo1, hi1), (lo2, hi2) in zip(x, y):
                lo = max(lo1, lo2)
                hi = hi1 if hi2 is None else hi2 if hi1 is None else min(hi1, hi2)
                if hi is not None and hi < lo:
                    break
                box.append((lo, hi))
            else:
                out.append(tuple(box))
    return tuple(sorted(set(out)))


__all__ = [
    "Match", "matches", "combine",
    "Congruence", "exact_inputs", "min_inputs", "smallest_input", "linear", "Fit", "fits", "solve_equal",
    "boxes_text", "span_text", "intersect", "Span", "LONGEST_PERIOD",
]
