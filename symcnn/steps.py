"""The step evaluator: a general formula, the values put in, the value worked out.

:func:`make_step` makes one :class:`~symcnn.records.Step`; for an output-size formula it
also checks the division (exact rounding needs it whole; a kernel must fit the padded
input; a pooling window in ceil mode may overhang the end).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from functools import reduce

from sympy import Add, Basic, Mul, Pow, Symbol, ceiling, floor

from .errors import RoundingError, Rule, ShapeError
from .formulas import Formula
from .printing import decimal, text, tidy
from .records import Step
from .rounding import round_with, rounded
from .symbols import D, I, K, P, P_s

#: The words of the checks of a division (the HTML report's page says them too, with its own numbers);
#: ``{window}`` is :data:`WINDOW` and ": " where the step slides a window, else empty.
TOO_SMALL = "{window}{label} {substituted} = {value} would be below 1"
NOT_WHOLE = ("{label} {substituted} = {value} is not whole; exact rounding (the article's formula) needs whole "
             "divisions: choose floor rounding (PyTorch) or ceil (Caffe pooling)")
WINDOW = "{kind} {size} is larger than the padded input {padded}"


def make_step(
    symbol: Symbol,
    f: Formula,
    values: Mapping[Symbol, Basic],
    *,
    part: int = -1,
    axis: str | None = None,
    where: str = "",
    value: Basic | None = None,
) -> Step:
    """Put ``values`` into part ``part`` of formula ``f`` and evaluate it.

    ``value``, where given, is the formula's value already known in closed form (the
    caller proves it equal; sympy would reach it only through a slow general route).

    For an output-size formula this also checks the division: in ``exact`` rounding a
    quotient that is not whole is a :class:`RoundingError`; a kernel larger than the
    padded input is a :class:`ShapeError` (a pooling window in ceil mode may overhang the
    end, but the output must still be at least 1).
    """
    general = f.parts[part][1]
    values = dict(values)
    substituted = tidy(general, values)
    evaluated: dict[Basic, Basic] = {}
    if value is None:
        value = _evaluate(general, values, evaluated)
    rounding = unrounded = None
    overhang = False
    if f.quotient is not None:
        rounding = f.rounding
        numerator = _evaluate(f.quotient[0], values, evaluated)
        quotient = numerator / _evaluate(f.quotient[1], values, evaluated)
        label = output_label(axis)
        # A kernel never reaches past the padded input; a pooling window in ceil mode may
        # overhang its end as long as it starts inside (PyTorch's ceil_mode, Caffe's pooling).
        overhang = f.rounding == "ceil" and P_s in values
        if _unbounded(numerator):  # a symbolic size that grows with the input: never too small for all
            too_small = False
        elif overhang:
            too_small = (rounded(quotient, "ceil") + 1).is_positive is False
        else:
            too_small = numerator.is_negative
        if too_small:
            raise ShapeError(
                TOO_SMALL.format(window=_window(values), label=label, substituted=text(substituted), value=text(value)),
                where=where,
                rule="kernel <= padded input",
            )
        if quotient.is_Rational and not quotient.is_Integer:
            if f.rounding == "exact":
                raise RoundingError(
                    NOT_WHOLE.format(label=label, substituted=text(substituted), value=decimal(value)),
                    where=where,
                    rule=Rule.EXACT_DIVISION,
                )
            unrounded = quotient
    return Step(symbol, f.name, general, substituted, value, values, axis, rounding, unrounded, f.counts(part),
                overhang)


def _evaluate(expr: Basic, values: Mapping[Symbol, Basic], done: dict[Basic, Basic]) -> Basic:
    """The unevaluated formula ``expr`` with ``values`` put in, evaluated (``done`` keeps the subterms).

    ``substituted.doit()`` gives the same, but evaluates the values again: a symbolic size is
    an expression of floors that sympy would re-evaluate, asking for signs each time.
    Roundings go through :func:`~symcnn.formulas.round_with`.
    """
    if expr in values:
        return values[expr]
    if not expr.args:
        return expr
    if expr not in done:
        args = [_evaluate(a, values, done) for a in expr.args]
        if isinstance(expr, (floor, ceiling)):
            done[expr] = round_with(expr.func, args[0])
        elif expr.func in _ARITHMETIC and all(a.is_Rational for a in args):
            # numbers: their own arithmetic, without sympy's general Add (whose first use imports
            # sympy's tensor and combinatorics modules, tens of milliseconds)
            done[expr] = reduce(_ARITHMETIC[expr.func], args)
        else:
            done[expr] = expr.func(*args)
    return done[expr]


_ARITHMETIC = {Add: operator.add, Mul: operator.mul, Pow: operator.pow}


def _unbounded(expr: Basic) -> bool:
    """Whether ``expr`` grows past every bound as its symbols (sizes, not bounded above) grow.

    Such an expression is not negative for every value of its symbols, so sympy's
    ``is_negative`` cannot be True; asking would cost milliseconds. Built of symbols that
    are at least 0, positive rational multiples, sums with numbers, floor and ceiling.
    """
    if expr.is_Symbol:
        return expr.is_nonnegative is True
    if isinstance(expr, (floor, ceiling)):
        return _unbounded(expr.args[0])
    if expr.is_Mul:
        coeff, rest = expr.as_coeff_Mul()
        return coeff.is_Rational and coeff.is_positive and rest is not expr and _unbounded(rest)
    if expr.is_Add:
        growing = [t for t in expr.args if not t.is_Rational]
        return bool(growing) and all(_unbounded(t) for t in growing)
    return False


_AXIS_NAMES = {"H": "height", "W": "width", "L": "length", "D": "depth"}


def output_label(axis: str | None) -> str:
    """What a size step's check calls its output: ``output height``, or ``output size`` without an axis."""
    return "output " + (_AXIS_NAMES.get(axis, axis) if axis else "size")


def window(values: Mapping[Symbol, Basic]) -> tuple[str, Basic, Basic | None] | None:
    """The window a size step slides (``kernel``, ``pooling window``, dilated), its span and the
    padded input; None for a step that slides none (an upsampling's ``floor(I U)``)."""
    if K not in values and P_s not in values:
        return None
    kind, size = ("kernel", values[K]) if K in values else ("pooling window", values[P_s])
    if values.get(D, 1) != 1:
        kind, size = f"dilated {kind}", (values[D] * (size - 1) + 1)
    padded = (values[I] + 2 * values.get(P, 0)).doit() if I in values else None
    return kind, size, padded


def _window(values: Mapping[Symbol, Basic]) -> str:
    """``{window}`` of :data:`TOO_SMALL`."""
    found = window(values)
    if found is None:
        return ""
    kind, size, padded = found
    return WINDOW.format(kind=kind, size=text(size), padded=text(padded)) + ": "




__all__ = ["make_step", "output_label", "window", "TOO_SMALL", "NOT_WHOLE", "WINDOW"]
