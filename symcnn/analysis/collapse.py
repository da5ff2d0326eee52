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
Each layer's inputs are already collapsed, so each rewrite only touches the few nodes the
layer added: the work grows linearly with the depth.
"""

from __future__ import annotations

from dataclasses import replace

from sympy import Add, Basic, ceiling, floor

from ..records import LayerDerivation
from ..rounding import round_with
from ..shape import Shape

ROUNDERS = (floor, ceiling)


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


def collapse_record(d: LayerDerivation) -> LayerDerivation:
    """A layer's record with its output sizes, parameters and MACs collapsed."""
    out = d.output
    return replace(
        d,
        output=Shape(tuple(collapse(s) for s in out.spatial), collapse(out.channels)),
        weights=collapse(d.weights),
        biases=collapse(d.biases),
        macs=collapse(d.macs),
    )


__all__ = ["collapse", "collapse_record", "ROUNDERS"]
