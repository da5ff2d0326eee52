"""Questions about a closed form in one input size x that need no solver: where it first
reaches a value, and how it repeats.

The sizes of a network are built from x by adding whole numbers, multiplying by positive
rationals, rounding (floor, ceiling) and, for lengths and counts, multiplying sizes
together. Two facts about such forms answer every question symcnn asks of them:

- **They never decrease** (:func:`nondecreasing` checks the form): the smallest x with
  ``f(x) >= t`` is found by doubling then halving an interval, evaluating f exactly
  (:mod:`symcnn.analysis.compile`), at most ~2 log2(x) evaluations: no sympy solver runs,
  and the time is bounded whatever the nesting.
- **They repeat** (:func:`period`): a size ``s`` has a period T and a whole step ``delta``
  with ``s(x + T) = s(x) + delta`` for every whole x. For ``a x + b`` (a = p/q) take
  ``T = q`` (``delta = p``); a sum takes the lcm of its terms' periods; a rounding
  ``R(u)`` of a form with ``u(x + T) = u(x) + delta`` repeats with ``T q'`` where q' is
  the denominator of delta, since ``R(y + k) = R(y) + k`` for a whole k. So whether a
  size is whole depends on x modulo T only: exact rounding's valid inputs are residues
  modulo T, found by evaluating one period.
"""

from __future__ import annotations

from math import lcm

from sympy import Add, Basic, Integer, Max, Min, Mul, Pow, Rational, Symbol, ceiling, floor

from .compile import Compiled

#: Past this the doubling gives up (2**62: no network has an input that large).
FAR = 1 << 62


def nondecreasing(expr: Basic, x: Symbol) -> bool:
    """Whether ``expr`` provably never decreases as x grows (where its factors are not negative).

    >>> from symcnn.symbols import I
    >>> nondecreasing(16*floor((I - 12)/4)**2, I), nondecreasing(10 - I, I)
    (True, False)
    """
    if x not in expr.free_symbols:
        return True
    if expr == x:
        return True
    if isinstance(expr, Add):
        return all(nondecreasing(a, x) for a in expr.args)
    if isinstance(expr, Mul):
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_negative:
            return False
        return all(nondecreasing(a, x) and (x in a.free_symbols or a.is_nonnegative)
                   for a in Mul.make_args(rest))
    if isinstance(expr, Pow):
        return expr.exp.is_Integer and expr.exp > 0 and nondecreasing(expr.base, x)
    if isinstance(expr, (floor, ceiling, Max, Min)):
        return all(nondecreasing(a, x) for a in expr.args)
    return False


def first_reaching(f: Compiled, t: int, low: int) -> int | None:
    """The smallest whole ``x >= low`` with ``f(x) >= t`` for a non-decreasing f (None: not below :data:`FAR`)."""
    if f(low) >= t:
        return low
    step, below = 1, low
    while f(below + step) < t:
        below += step
        step *= 2
        if below + step > FAR:
            return None
    above = below + step  # f(below) < t <= f(above)
    while above - below > 1:
        mid = (below + above) // 2
        if f(mid) >= t:
            above = mid
        else:
            below = mid
    return above


def period(expr: Basic, x: Symbol) -> tuple[int, Rational] | None:
    """``(T, delta)`` with ``expr(x + T) = expr(x) + delta`` at every whole x; None where
    ``expr`` is not built of sums, rational multiples and roundings of x.

    >>> from symcnn.symbols import I
    >>> period(floor((floor((I - 5)/2) - 3)/2)/3 + 1, I)
    (4, 1/3)
    """
    if x not in expr.free_symbols:
        return 1, Integer(0)
    if expr == x:
        return 1, Integer(1)
    if isinstance(expr, Add):
        parts = [period(a, x) for a in expr.args]
        if any(p is None for p in parts):
            return None
        T = lcm(*(p[0] for p in parts if p))
        return T, sum((p[1] * (T // p[0]) for p in parts if p), Integer(0))
    if isinstance(expr, Mul):
        coeff, rest = expr.as_coeff_Mul()
        inner = period(rest, x) if rest is not expr else None
        return None if inner is None or not coeff.is_Rational else (inner[0], coeff * inner[1])
    if isinstance(expr, (floor, ceiling)):
        inner = period(expr.args[0], x)
        if inner is None or not inner[1].is_Rational:
            return None
        q = int(inner[1].q)
        return inner[0] * q, inner[1] * q
    return None


def pieces(expr: Basic, x: Symbol) -> tuple[int, Rational, tuple[int, ...]] | None:
    """The piecewise form a rounded size stands for, written down: ``(T, slope, values)``
    with ``expr(T q + r) = slope T q + values[r]`` for every whole q and ``0 <= r < T``
    (T the period, a multiple of the strides' product). None where ``expr`` does not repeat so.

    >>> from symcnn.symbols import I
    >>> pieces(floor((I + 3)/6), I)
    (6, 1/6, (0, 0, 0, 1, 1, 1))
    """
    found = period(expr, x)
    if found is None:
        return None
    T = found[0] * int(Rational(found[1]).q)
    if T > 1 << 16:
        return None
    delta = found[1] * (T // found[0])
    f = Compiled(expr, (x,))
    values = tuple(f(r) for r in range(T))
    if not all(isinstance(v, int) for v in values):
        return None
    return T, Rational(delta, T), values  # type: ignore[return-value]


__all__ = ["nondecreasing", "first_reaching", "period", "pieces", "FAR"]
