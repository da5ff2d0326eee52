"""Closed forms as the Python API hands them out: sympy expressions that print as the command
line writes them.

A :class:`ClosedForm` wraps one sympy expression. ``str``, ``repr`` and a notebook's LaTeX write
it over one denominator, size first (:func:`~symcnn.printing.display`: ``floor((I - 35)/32)``,
not sympy's ``floor(I/32 - 35/32)``); everything else is the expression's own: ``subs``,
``diff``, ``free_symbols``, arithmetic, ``sympy.lambdify`` and ``==`` with the plain expression.
``.expr`` is the plain sympy expression.

>>> from sympy import Rational, floor, diff, lambdify
>>> from symcnn.symbols import I
>>> w = ClosedForm(floor(I/32 - Rational(35, 32)))
>>> w
floor((I - 35)/32)
>>> w == floor(I/32 - Rational(35, 32)), w.subs(I, 227), lambdify(I, w, "math")(227)
(True, 6, 6)
>>> diff(ClosedForm(2*I**2 + 3), I)
4*I
"""

from __future__ import annotations

from typing import Any

from sympy import Basic

from ..printing import display, over_one_denominator, tex
from ..table import REPR_CHARS


class ClosedForm:
    """A sympy expression that prints as symcnn writes closed forms (see the module's notes)."""

    __slots__ = ("expr",)

    def __init__(self, expr: Basic):
        object.__setattr__(self, "expr", expr.expr if isinstance(expr, ClosedForm) else expr)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a closed form is immutable")

    def _sympy_(self) -> Basic:
        return self.expr

    def __str__(self) -> str:
        return display(self.expr)

    def __repr__(self) -> str:
        shown = display(self.expr)
        if len(shown) <= REPR_CHARS:
            return shown
        return f"<ClosedForm {shown[:160]}... ({len(shown):,} characters: print() it; .expr is the sympy expression)>"

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {tex(over_one_denominator(self.expr))}$"

    def _latex(self, printer: Any) -> str:
        """``sympy.latex(form)``: the same order as the notebook's."""
        return printer._print(over_one_denominator(self.expr))

    def __eq__(self, other: object) -> bool:
        return self.expr == (other.expr if isinstance(other, ClosedForm) else other)

    def __hash__(self) -> int:
        return hash(self.expr)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.expr, name)

    def __int__(self) -> int:
        return int(self.expr)

    def __float__(self) -> float:
        return float(self.expr)

    def __lt__(self, other: Any) -> Any:
        return self.expr < _plain(other)

    def __le__(self, other: Any) -> Any:
        return self.expr <= _plain(other)

    def __gt__(self, other: Any) -> Any:
        return self.expr > _plain(other)

    def __ge__(self, other: Any) -> Any:
        return self.expr >= _plain(other)


def _plain(value: Any) -> Any:
    return value.expr if isinstance(value, ClosedForm) else value


def _arithmetic(name: str) -> Any:
    def method(self: ClosedForm, *other: Any) -> Any:
        return getattr(self.expr, name)(*(_plain(o) for o in other))

    method.__name__ = name
    return method


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
              "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__neg__", "__pos__",
              "__abs__"):
    setattr(ClosedForm, _name, _arithmetic(_name))


def closed(value: Any) -> Any:
    """A value as the query API gives it: a plain ``int`` where it is a whole number, a
    :class:`ClosedForm` where a symbol remains, anything else as it is."""
    if isinstance(value, Basic):
        return int(value) if value.is_Integer else ClosedForm(value)
    return value


__all__ = ["ClosedForm", "closed"]
