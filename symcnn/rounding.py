"""Rounding modes: the article's exact division, PyTorch's floor, Caffe's ceil.

The one home of the modes and of their check. :func:`round_with` rounds a size and, for
the sizes of a network with a symbolic input, merges nested roundings into one as it
builds them (the rule is proved in :mod:`symcnn.analysis.collapse`).

>>> check_rounding("floor")
'floor'
>>> from sympy import Rational
>>> from symcnn.symbols import I
>>> rounded(I/4 - Rational(11, 4), "floor"), rounded(Rational(213, 4), "ceil")
(floor(I/4 - 11/4), 54)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from .errors import UnknownNameError, quote

if TYPE_CHECKING:  # sympy loads on the first rounding: the command line's --help never needs it
    from sympy import Basic, ceiling, floor

#: The rounding modes, the default first in no particular sense: ``exact`` is the article's.
ROUNDINGS = ("exact", "floor", "ceil")

#: What each mode means, in one line.
ROUNDING_NOTES = {
    "exact": "the article's formula; every division must come out whole",
    "floor": "rounded down, as PyTorch's convolutions and pooling do",
    "ceil": "rounded up, as Caffe's pooling does",
}

Rounder = Union[type["floor"], type["ceiling"]]  # noqa: UP007 (names of types not imported yet)


def check_rounding(rounding: object, *, where: str | None = None) -> str:
    """``rounding`` if it names a mode; otherwise an :class:`~symcnn.errors.UnknownNameError`.

    >>> check_rounding("round")
    Traceback (most recent call last):
    ...
    symcnn.errors.UnknownNameError: unknown rounding 'round'; choose one of exact, floor, ceil
    """
    if not isinstance(rounding, str) or rounding not in ROUNDINGS:
        raise UnknownNameError(
            f"unknown rounding {quote(rounding)}; choose one of {', '.join(ROUNDINGS)}", where=where, rule="rounding"
        )
    return rounding


def rounder(rounding: str) -> Rounder | None:
    """The sympy function a mode rounds with (``None`` for ``exact``)."""
    from sympy import ceiling, floor

    return {"exact": None, "floor": floor, "ceil": ceiling}[check_rounding(rounding)]


def rounded(quotient: Basic, rounding: str, *, evaluated: bool = True) -> Basic:
    """``quotient`` rounded by ``rounding`` (``exact`` leaves it as it is).

    Evaluated, it is :func:`round_with`'s: nested roundings of a symbolic size merge into one.
    """
    fn = rounder(rounding)
    if fn is None:
        return quotient
    return round_with(fn, quotient) if evaluated else fn(quotient, evaluate=False)


def round_with(rounder: Rounder, arg: Basic) -> Basic:
    """``rounder(arg)`` with nested roundings merged, built directly where the result is known.

    sympy's floor and ceiling ask for the sign of their argument (milliseconds each, and
    a deep network's sizes are deep expressions). The sizes of a network with a symbolic
    input take few forms, and for these the result is built without asking:

    - a number: rounded as a number;
    - ``R(u)/b + beta`` (R this rounder, b whole > 0, beta rational or a whole symbolic
      term) is ``R((u + c)/b)``, c = ``R(b beta)``, by the rule proved in
      :mod:`symcnn.analysis.collapse`;
    - ``Q(u)/b + beta`` with Q the other rounder is ``Q((u + c + d)/b)``, c = ``R(b beta)``,
      d = ``b - 1`` (rounding up a whole m over b is rounding down ``m + b - 1``) or
      ``1 - b`` (rounding down is rounding up ``m - b + 1``): one rounder, the inner one's
      kind (proved there too);
    - ``R(u) + c`` with c whole is itself;
    - ``a x + q`` (x one symbol of a size, so not bounded above; a, q rational): for a
      whole a, ``a x + R(q)``; for a > 0 not whole, sympy takes only a whole q out and
      leaves ``R(a x + q)`` otherwise, as this does.

    Anything else goes through sympy.

    >>> from sympy import Rational, ceiling, floor
    >>> from symcnn.symbols import I
    >>> round_with(floor, floor(I/4 - Rational(11, 4))/2 - Rational(3, 2))
    floor(I/8 - 23/8)
    >>> round_with(ceiling, I/2 + 3), round_with(floor, I + Rational(1, 2))
    (ceiling(I/2) + 3, I)
    >>> round_with(ceiling, floor(I/2 - Rational(5, 2))/2 - Rational(3, 2))
    floor(I/4 - 9/4)
    """
    if arg.is_Rational:
        return rounder(arg)
    terms = arg.as_coefficients_dict()
    for strategy in (_one_inner, _no_inner, _linear):
        found = strategy(rounder, arg, terms)
        if found is not None:
            return found
    return rounder(arg)


def _one_inner(rounder: Rounder, arg: Basic, terms: dict) -> Basic | None:
    """``R(u)/b + beta`` or ``Q(u)/b + beta`` (b whole > 0) as one rounding (see :func:`round_with`)."""
    from sympy import Add, ceiling, floor

    inner = [t for t in terms if isinstance(t, (floor, ceiling))]
    if len(inner) != 1:
        return None
    alpha = terms[inner[0]]
    if not (alpha.is_Rational and alpha.p == 1 and alpha.q >= 1):
        return None
    kind = type(inner[0])
    beta = Add(*(coeff * term for term, coeff in terms.items() if term is not inner[0]))
    if alpha.q == 1 and beta.is_Integer:
        return arg
    c = beta * alpha.q
    if c.is_Rational:
        c = rounder(c)
    elif c.is_integer is not True:
        return rounder(arg)
    if kind is not rounder:  # one whole number m = Q(u) + c over b: change the rounder
        c += (alpha.q - 1) if rounder is ceiling else (1 - alpha.q)
    return round_with(kind, (inner[0].args[0] + c) / alpha.q)


def _no_inner(rounder: Rounder, arg: Basic, terms: dict) -> Basic | None:
    """A rounding inside a product with a symbolic stride (:func:`_merge_symbolic`), none at the top."""
    from sympy import ceiling, floor

    if any(isinstance(t, (floor, ceiling)) for t in terms):
        return None
    return _merge_symbolic(rounder, arg)


def _linear(rounder: Rounder, arg: Basic, terms: dict) -> Basic | None:
    """``a x + q`` for one size symbol x (see :func:`round_with`)."""
    from sympy import Integer

    sizes = [t for t in terms if t != 1]
    q = terms.get(Integer(1), Integer(0))
    if not (len(sizes) == 1 and sizes[0].is_Symbol and sizes[0].is_nonnegative and q.is_Rational):
        return None
    x, a = sizes[0], terms[sizes[0]]
    if a.is_Integer and x.is_integer:
        return a * x + rounder(q)
    if a.is_Rational and a.is_positive:
        if q.is_Integer:
            return _finite(rounder(a * x, evaluate=False)) + q
        return _finite(rounder(arg, evaluate=False))
    return None


def _merge_symbolic(rounder: Rounder, arg: Basic) -> Basic | None:
    """``R(Q(u)/b + beta)`` merged as above where b is a symbol known whole and positive (a
    stride ``S`` left symbolic); None where ``arg`` is not of that form."""
    from sympy import Add, Mul, ceiling, floor

    rounded = [t for t in Add.make_args(arg) if any(isinstance(f, (floor, ceiling)) for f in Mul.make_args(t))]
    if len(rounded) != 1:
        return None
    term = rounded[0]
    factors = [f for f in Mul.make_args(term) if isinstance(f, (floor, ceiling))]
    if len(factors) != 1:
        return None
    inner = factors[0]
    b = inner / term
    if not (b.is_integer and b.is_positive) or b.has(floor, ceiling):
        return None
    c = (b * (arg - term)).expand()
    if c.is_Rational:
        c = rounder(c)
    elif c.is_integer is not True:
        return None
    kind = type(inner)
    if kind is not rounder:
        c += (b - 1) if rounder is ceiling else (1 - b)
    return round_with(kind, (inner.args[0] + c) / b)


def _finite(r: Basic) -> Basic:
    """``r``, known finite before anything asks.

    Asked whether ``r`` is infinite (as building a power of ``r + 1`` does), sympy tries
    the related facts in a random order and may ask its sign first (milliseconds); asking
    ``is_finite`` first settles it from the argument at once.
    """
    _ = r.is_finite
    return r


__all__ = ["ROUNDINGS", "ROUNDING_NOTES", "Rounder", "check_rounding", "rounder", "rounded", "round_with"]
