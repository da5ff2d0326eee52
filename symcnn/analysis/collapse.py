"""Collapsing nested floors and ceilings of symbolic sizes into one.

The network is derived once with a symbolic input (``I x I``, or ``H x W``); after each
layer its record is rewritten so that nested floors (or ceilings) collapse into one, by

    floor((floor(u) + c)/b) = floor((u + c)/b)      for a whole b > 0 and an integer c

(and the same for ceiling). *Why it holds:* ``n = floor(u) + c = floor(u + c)`` as c is
whole, and for a whole ``b > 0`` and any real y, ``floor(floor(y)/b) = floor(y/b)``: with
``q = floor(y/b)``, ``q b <= y`` gives ``q b <= floor(y)`` (q b is whole), and
``floor(y) <= y < (q + 1) b`` gives ``floor(y)/b < q + 1``. Taking ``y = u + c``
yields the rule; the form ``floor((floor(x/a) + c)/b) = floor((x + a c)/(a b))``
is the case ``u = x/a``. Where the constant is a fraction, ``floor(n/b + beta) =
floor((n + floor(b beta))/b)`` for whole n first makes it whole (ceiling: ``ceil(b beta)``).

A floor inside a ceiling (a ceil-mode pool after floor-rounded convolutions), or a ceiling
inside a floor, merges too: for a whole m and a whole ``b > 0``,

    ceil(m/b) = floor((m + b - 1)/b)        floor(m/b) = ceil((m - b + 1)/b)

*Why:* write ``m = q b + r`` with ``0 <= r < b``. If ``r = 0`` both sides of the first
are q (``(b - 1)/b < 1``); else ``ceil(m/b) = q + 1`` and ``m + b - 1 = (q + 1) b +
(r - 1)`` with ``0 <= r - 1 < b``. The second is the first for ``-m``, as
``floor(x) = -ceil(-x)``. With ``m = floor(u) + c`` (c made whole as above), a ceiling of
it becomes a floor of a whole number over b, which the first rule merges: one rounding per
axis whatever the mix. A size is then written with the network's own rounding where its
argument is a whole number over b (:func:`prefer`, by the same two identities).

Each layer's inputs are already collapsed, so each rewrite only touches the few nodes the
layer added: the work grows linearly with the depth.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from sympy import Add, Basic, ceiling, floor, fraction, together

from ..records import LayerDerivation
from ..rounding import Rounder, round_with, rounder
from ..shape import Shape

ROUNDERS = (floor, ceiling)


@lru_cache(maxsize=4096)
def collapse(expr: Basic) -> Basic:
    """``expr`` with every ``floor(floor(u)/b + beta)`` (and ceiling) merged into one.

    >>> from sympy import floor, Rational
    >>> from symcnn.symbols import I
    >>> collapse(floor(floor(floor(I/4 - Rational(11, 4))/2)/2 - Rational(3, 2)))
    floor(I/16 - 35/16)
    """
    if not isinstance(expr, Basic) or not expr.args or not expr.has(floor, ceiling):
        return expr
    args = tuple(collapse(a) for a in expr.args)
    if isinstance(expr, ROUNDERS):
        expr = round_with(type(expr), args[0])
    elif args != expr.args:
        expr = expr.func(*args)
    return _fold(expr) if isinstance(expr, Add) else expr


def _fold(expr: Add) -> Basic:
    """``floor(u) + k`` as ``floor(u + k)`` for a whole k: one form for every size."""
    rest, rounders = expr.as_independent(floor, ceiling, as_Add=True)
    if not (isinstance(rounders, ROUNDERS) and rest.is_Integer):
        return expr
    return round_with(type(rounders), rounders.args[0] + rest)


def prefer(expr: Basic, kind: Rounder | None) -> Basic:
    """``expr`` with each rounding of a whole number over b written as ``kind`` (None: as it is).

    >>> from sympy import ceiling
    >>> from symcnn.symbols import I
    >>> prefer(ceiling((I - 3)/2), floor)
    floor(I/2) - 1
    """
    if kind is None or not isinstance(expr, Basic) or not expr.has(floor, ceiling):
        return expr
    swap = {}
    for r in expr.atoms(floor, ceiling):
        if isinstance(r, kind):
            continue
        num, den = fraction(together(r.args[0]))
        if den.is_Integer and den > 1 and num.is_integer:
            shift = den - 1 if kind is floor else 1 - den
            swap[r] = round_with(kind, (num + shift) / den)
    return expr.xreplace(swap) if swap else expr


def collapse_record(d: LayerDerivation) -> LayerDerivation:
    """A layer's record with its output sizes, parameters and MACs collapsed (and written with
    the record's rounding where it is floor or ceil)."""
    out = d.output
    kind = rounder(d.rounding)

    def tidy(expr: Basic) -> Basic:
        return prefer(collapse(expr), kind)

    return replace(
        d,
        output=Shape(tuple(tidy(s) for s in out.spatial), tidy(out.channels)),
        weights=tidy(d.weights),
        biases=tidy(d.biases),
        macs=tidy(d.macs),
    )


__all__ = ["collapse", "collapse_record", "prefer", "ROUNDERS"]
