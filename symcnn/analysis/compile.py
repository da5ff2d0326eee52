"""Closed forms compiled to Python functions of the input size, in whole numbers."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from sympy import Basic, Symbol, lambdify
from sympy.printing.pycode import PythonCodePrinter


class _WholePrinter(PythonCodePrinter):
    """Python code in whole numbers: ``floor(p/q)`` as ``p // q``, fractions as ``Fraction``.

    Floats would round ``floor((I - 7)/3)`` wrongly where ``I/3 - 7/3`` lands just below a
    whole number; integer division cannot.
    """

    def _fraction(self, arg: Basic):
        from sympy import fraction, together

        num, den = fraction(together(arg))
        return (num, den) if den.is_Integer else None

    def _print_floor(self, expr):
        nd = self._fraction(expr.args[0])
        if nd is None:
            return super()._print_floor(expr)
        return f"(({self._print(nd[0])}) // {nd[1]})"

    def _print_ceiling(self, expr):
        nd = self._fraction(expr.args[0])
        if nd is None:
            return super()._print_ceiling(expr)
        return f"(-((-({self._print(nd[0])})) // {nd[1]}))"

    def _print_Rational(self, expr):
        return f"Fraction({expr.p}, {expr.q})"

    def _print_Half(self, expr):
        return self._print_Rational(expr)


def compile_expr(expr: Basic, symbols: tuple[Symbol, ...]) -> Callable[..., int | Fraction]:
    """``expr`` as a Python function of ``symbols`` (lambdify through :class:`_WholePrinter`)."""
    f = lambdify(symbols, expr, modules=[{"Fraction": Fraction}, "math"], printer=_WholePrinter)

    def whole(*values):
        v = f(*values)
        return int(v) if isinstance(v, Fraction) and v.denominator == 1 else v

    return whole


__all__ = ["compile_expr"]
