"""Closed forms compiled to Python code in whole numbers: one input size, or many at once.

A closed form is a polynomial in floors and ceilings of linear forms with rational
coefficients (``2645760*floor((I + 1)/16)**2 + ...``). :func:`compile_expr` writes it as
Python code over whole numbers only: the expression is put over one denominator ``D``
(``expr = N/D`` with ``N`` whole at whole inputs), ``floor(a/d)`` becomes ``a // d`` and
``ceiling(a/d)`` becomes ``-(-a // d)``, and each distinct floor, ceiling or power is
computed once. Floats would round ``floor((I - 7)/3)`` wrongly where ``I/3 - 7/3`` lands
just below a whole number; integer division cannot.

The same code runs on one input (Python integers: exact at any size) and on a numpy array
of inputs (:meth:`Compiled.many`). On arrays it uses 64-bit integers only where they are
exact: before evaluating, every intermediate value of the code is bounded over the inputs
given (interval arithmetic on the expression tree, the floors included), and where a bound
reaches ``2**63`` the array is evaluated with Python integers instead (numpy's object
arrays), exactly and more slowly. A value that is not whole (exact rounding at an input
whose divisions are not whole) is returned as a ``Fraction`` by the scalar function and
refused by :meth:`Compiled.many`. numpy is optional (``pip install symcnn[fast]``);
without it :meth:`~Compiled.many` returns a list of Python integers.

>>> from sympy import floor
>>> from symcnn.symbols import I
>>> f = compile_expr(2645760*floor((I + 1)/16)**2 + 1024000, (I,))
>>> f(224)
519592960
>>> [int(v) for v in f.many([223, 224])]
[519592960, 519592960]
>>> print(f.source)
def f(x0):
    t0 = (1 + x0) >> 4
    t1 = t0**2
    return 1024000 + 2645760*t1
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from functools import reduce
from math import lcm
from typing import Any

from sympy import Add, Basic, Integer, Max, Min, Mul, Pow, Rational, Symbol, ceiling, floor

from ..errors import RoundingError, Rule, SolveError
from ..printing import display

#: The largest magnitude an int64 holds (numpy's integers wrap around silently past it).
INT64 = 2**63 - 1
#: Inputs evaluated at a time on arrays (64K int64 values: half a megabyte a temporary).
CHUNK = 1 << 16

Bounds = tuple[int, int]
#: Bounds the value of one emitted node for a box of inputs: ``(box, memo, peak) -> (low, high)``;
#: ``peak[0]`` collects the largest magnitude of every intermediate value on the way.
Bounder = Callable[[dict[int, Bounds], dict[str, Bounds], list[int]], Bounds]


class _Node:
    """One emitted whole-number value: its code, and how to bound it over a box of inputs."""

    __slots__ = ("code", "bound", "atom")

    def __init__(self, code: str, bound: Bounder, atom: bool):
        self.code = code
        self.bound = bound
        self.atom = atom  # needs no brackets as an operand of * or **

    def wrapped(self) -> str:
        return self.code if self.atom else f"({self.code})"


def _seen(peak: list[int], b: Bounds) -> Bounds:
    peak[0] = max(peak[0], abs(b[0]), abs(b[1]))
    return b


def _product(a: Bounds, b: Bounds) -> Bounds:
    corners = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return min(corners), max(corners)


def _power(a: Bounds, n: int) -> Bounds:
    lo, hi = a[0] ** n, a[1] ** n
    if n % 2 == 0 and a[0] <= 0 <= a[1]:
        return 0, max(lo, hi)
    return min(lo, hi), max(lo, hi)


def _scaled(b: Bounds, k: int) -> Bounds:
    return (b[0] * k, b[1] * k) if k >= 0 else (b[1] * k, b[0] * k)


class _Writer:
    """Writes an expression as whole-number Python code, one temporary per distinct
    floor, ceiling, power, maximum or minimum."""

    def __init__(self, symbols: Sequence[Symbol]):
        self.args = {s: f"x{i}" for i, s in enumerate(symbols)}
        self.index = {s: i for i, s in enumerate(symbols)}
        self.lines: list[str] = []
        self.temps: dict[Basic, tuple[_Node, int]] = {}
        self.uses_extremes = False

    def temp(self, expr: Basic, code: str, bound: Bounder, den: int = 1) -> tuple[_Node, int]:
        name = f"t{len(self.temps)}"
        self.lines.append(f"    {name} = {code}")

        # computed once per call, so bounded once per box
        def once(box: dict[int, Bounds], memo: dict[str, Bounds], peak: list[int]) -> Bounds:
            if name not in memo:
                memo[name] = _seen(peak, bound(box, memo, peak))
            return memo[name]

        self.temps[expr] = (_Node(name, once, True), den)
        return self.temps[expr]

    def emit(self, e: Basic) -> tuple[_Node, int]:
        """``(node, d)`` with ``e = node/d``, the node's value whole at whole inputs."""
        if e in self.temps:
            return self.temps[e]
        if e.is_Rational:
            p, q = int(e.p), int(e.q)
            return _Node(str(p), lambda box, memo, peak: (p, p), p >= 0), q
        if e.is_Symbol:
            if e not in self.args:
                raise SolveError(f"the closed form has the symbol {e}, which has no value here; give it one first",
                                 rule="numeric closed form")
            i = self.index[e]
            return _Node(self.args[e], lambda box, memo, peak: box[i], True), 1
        if isinstance(e, Add):
            return self._add([self.emit(a) for a in e.args])
        if isinstance(e, Mul):
            return self._mul([self.emit(a) for a in e.args])
        if isinstance(e, Pow) and e.exp.is_Integer and e.exp > 0:
            (base, d), n = self.emit(e.base), int(e.exp)
            return self.temp(e, f"{base.wrapped()}**{n}",
                             lambda box, memo, peak: _power(base.bound(box, memo, peak), n), d**n)
        if isinstance(e, (floor, ceiling)):
            return self._round(e)
        if isinstance(e, (Max, Min)):
            return self._extreme(e)
        raise SolveError(f"cannot evaluate {e} in whole numbers", rule="numeric closed form")

    def _add(self, parts: list[tuple[_Node, int]]) -> tuple[_Node, int]:
        den = lcm(*(d for _, d in parts))
        terms = [(node, den // d) for node, d in parts]
        code = " + ".join(node.code if k == 1 else f"{node.wrapped()}*{k}" for node, k in terms).replace("+ -", "- ")

        def bound(box: dict[int, Bounds], memo: dict[str, Bounds], peak: list[int]) -> Bounds:
            lo = hi = 0
            for node, k in terms:
                b = _seen(peak, _scaled(node.bound(box, memo, peak), k))
                lo, hi = _seen(peak, (lo + b[0], hi + b[1]))
            return lo, hi

        return _Node(code, bound, False), den

    def _mul(self, parts: list[tuple[_Node, int]]) -> tuple[_Node, int]:
        den = 1
        for _, d in parts:
            den *= d
        factors = [node.wrapped() for node, _ in parts if node.code != "1"] or ["1"]
        code = "*".join(factors)
        if code.startswith("-1*"):
            code = "-" + code[3:]

        def bound(box: dict[int, Bounds], memo: dict[str, Bounds], peak: list[int]) -> Bounds:
            acc = (1, 1)
            for node, _ in parts:
                acc = _seen(peak, _product(acc, node.bound(box, memo, peak)))
            return acc

        return _Node(code, bound, False), den

    def _round(self, e: Basic) -> tuple[_Node, int]:
        node, d = self.emit(e.args[0])
        if d == 1:
            return node, 1
        # a shift floors exactly like // (also below 0), and costs a third as much on arrays
        over = f" >> {d.bit_length() - 1}" if d & (d - 1) == 0 else f" // {d}"
        if isinstance(e, floor):
            return self.temp(e, node.wrapped() + over,
                             lambda box, memo, peak: _floor_div(node.bound(box, memo, peak), d))
        return self.temp(e, f"-(-{node.wrapped()}{over})",
                         lambda box, memo, peak: _ceil_div(_seen(peak, _scaled(node.bound(box, memo, peak), -1)), d))

    def _extreme(self, e: Basic) -> tuple[_Node, int]:
        parts = [self.emit(a) for a in e.args]
        den = lcm(*(d for _, d in parts))
        terms = [(node, den // d) for node, d in parts]
        pick = max if isinstance(e, Max) else min
        self.uses_extremes = True

        def bound(box: dict[int, Bounds], memo: dict[str, Bounds], peak: list[int]) -> Bounds:
            bs = [_seen(peak, _scaled(node.bound(box, memo, peak), k)) for node, k in terms]
            return pick(b[0] for b in bs), pick(b[1] for b in bs)

        args = ", ".join(node.code if k == 1 else f"{node.wrapped()}*{k}" for node, k in terms)
        return self.temp(e, f"{'_max' if pick is max else '_min'}({args})", bound, den)


def _floor_div(b: Bounds, d: int) -> Bounds:
    return b[0] // d, b[1] // d


def _ceil_div(negated: Bounds, d: int) -> Bounds:
    return -(negated[1] // d), -(negated[0] // d)


class Compiled:
    """A closed form as a function of the input size(s), in exact whole-number arithmetic.

    Call it with one value per symbol (``f(224)``, or ``f(224, 320)`` for H and W) for a
    whole number (a ``Fraction`` where the closed form is not whole there), or use
    :meth:`many` for arrays of inputs. ``source`` is the generated code.
    """

    def __init__(self, expr: Basic, symbols: Sequence[Symbol]):
        self.expr = expr
        self.symbols = tuple(symbols)
        writer = _Writer(self.symbols)
        node, den = writer.emit(expr)
        self.den = den
        self._bound = node.bound
        params = ", ".join(writer.args[s] for s in self.symbols)
        self.source = "\n".join([f"def f({params}):", *writer.lines, f"    return {node.code}"])
        self._f = self._function(max, min)
        self._f_arrays: Callable[..., Any] | None = None if writer.uses_extremes else self._f

    def _function(self, maximum: Callable[..., Any], minimum: Callable[..., Any]) -> Callable[..., Any]:
        # The code is written here from the sympy tree (numbers, x0, x1, ...), never from user text.
        scope: dict[str, Any] = {"_max": maximum, "_min": minimum}
        exec(compile(self.source, "<closed form>", "exec"), scope)
        return scope["f"]

    def __repr__(self) -> str:
        names = ", ".join(s.name for s in self.symbols)
        shown = display(self.expr)
        return f"<Compiled f({names}) = {shown if len(shown) <= 200 else shown[:200] + '...'}>"

    def __call__(self, *values: int) -> int | Fraction:
        v = self._f(*(int(x) for x in values))
        return v // self.den if v % self.den == 0 else Fraction(v, self.den)

    def bound(self, ranges: Sequence[tuple[int, int]]) -> int:
        """The largest magnitude any intermediate value takes for inputs in ``ranges`` (low, high per symbol)."""
        peak = [0]
        lo, hi = self._bound({i: (int(a), int(b)) for i, (a, b) in enumerate(ranges)}, {}, peak)
        return max(peak[0], abs(lo), abs(hi))

    def many(self, *sizes: Iterable[int]) -> Any:
        """The closed form at every input of ``sizes`` (one array-like per symbol), exactly.

        With numpy: a numpy array, ``int64`` where every intermediate value provably fits
        (see the module's notes), else of Python integers (``dtype=object``). Without numpy:
        a list of Python integers. An input where the value is not whole is a
        :class:`~symcnn.errors.RoundingError` naming it.
        """
        try:
            import numpy as np
        except ImportError:
            return self._many_python(sizes)
        arrays = [np.asarray(s) for s in sizes]
        if not arrays or any(a.size == 0 for a in arrays):
            return np.zeros(0, dtype=np.int64)
        for a in arrays:
            if a.dtype.kind not in "iuO":
                raise TypeError(f"input sizes must be whole numbers, got an array of {a.dtype}")
        ranges = [(int(a.min()), int(a.max())) for a in arrays]
        exact64 = self.bound(ranges) <= INT64 and all(a.dtype.kind in "iu" for a in arrays)
        if exact64:
            arrays = [a.astype(np.int64, copy=False) for a in arrays]
        else:
            arrays = [a.astype(object) for a in arrays]
        if self._f_arrays is None:
            self._f_arrays = self._function(lambda *a: reduce(np.maximum, a), lambda *a: reduce(np.minimum, a))
        arrays = [a.ravel() for a in np.broadcast_arrays(*arrays)]
        shape = np.broadcast(*[np.asarray(s) for s in sizes]).shape
        v = np.empty(arrays[0].shape, dtype=np.int64 if exact64 else object)
        # In slices that stay in the processor's cache: a temporary of a million int64 values is
        # 8 MB of fresh memory, and touching it costs more than computing it.
        for start in range(0, v.size, CHUNK):
            v[start:start + CHUNK] = self._f_arrays(*(a[start:start + CHUNK] for a in arrays))
        return self._whole(np, v.reshape(shape), arrays)

    def _whole(self, np: Any, v: Any, arrays: list[Any]) -> Any:
        """The values over the common denominator divided by it; the first input where one is not
        whole is a :class:`~symcnn.errors.RoundingError` naming it."""
        if self.den == 1:
            return v
        rest = v % self.den
        if rest.any():
            at = int(np.flatnonzero(rest)[0])
            where = ", ".join(str(a[at]) for a in arrays)
            raise RoundingError(f"{self.expr} is not whole at {where}", rule=Rule.EXACT_DIVISION)
        return v // self.den

    def _many_python(self, sizes: Sequence[Iterable[int]]) -> list[int]:
        out = []
        for values in zip(*sizes):
            v = self(*values)
            if isinstance(v, Fraction):
                raise RoundingError(f"{self.expr} is not whole at {', '.join(map(str, values))}",
                                    rule=Rule.EXACT_DIVISION)
            out.append(v)
        return out


def compile_expr(expr: Basic, symbols: Sequence[Symbol]) -> Compiled:
    """``expr`` as a :class:`Compiled` function of ``symbols``."""
    return Compiled(expr if isinstance(expr, Basic) else Integer(expr), symbols)


def value_at(expr: Basic, values: Mapping[Symbol, Basic]) -> Basic:
    """``expr.xreplace(values)`` where every value is a whole number, worked out exactly in
    Python's fractions, each distinct part once: the totals of a deep network are sums of
    hundreds of floors of fractions with 60-digit denominators, which sympy's evaluation
    builds as sympy numbers one node at a time. Anything but sums, products, whole powers,
    floors, ceilings and rational numbers is left to ``xreplace``.

    >>> from sympy import floor
    >>> from symcnn.symbols import I
    >>> value_at(576*floor((I + 1)/2)**2 + 8, {I: Integer(224)})
    7225352
    """
    known = {s: Fraction(int(v)) for s, v in values.items() if isinstance(v, Integer)}
    if len(known) != len(values):
        return expr.xreplace(values)
    try:
        q = _exact(expr, known, {})
    except (_NotPlain, ZeroDivisionError):
        return expr.xreplace(values)
    return Integer(q.numerator) if q.denominator == 1 else Rational(q.numerator, q.denominator)


class _NotPlain(Exception):
    """A part :func:`value_at` leaves to sympy."""


def _exact(e: Basic, known: dict[Symbol, Fraction], memo: dict[Basic, Fraction]) -> Fraction:
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e.is_Symbol:
        if e not in known:
            raise _NotPlain
        return known[e]
    if e in memo:
        return memo[e]
    args = [_exact(a, known, memo) for a in e.args]
    if isinstance(e, Add):
        q = sum(args, Fraction(0))
    elif isinstance(e, Mul):
        q = reduce(operator.mul, args, Fraction(1))
    elif isinstance(e, Pow) and e.exp.is_Integer:
        q = args[0] ** int(e.exp)
    elif isinstance(e, floor):
        q = Fraction(math.floor(args[0]))
    elif isinstance(e, ceiling):
        q = Fraction(math.ceil(args[0]))
    else:
        raise _NotPlain
    memo[e] = q
    return q


__all__ = ["Compiled", "compile_expr", "value_at", "INT64"]

