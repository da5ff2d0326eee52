"""How symcnn writes sympy expressions: in the article's term order, with its names.

Derivation records keep their substituted formulas unevaluated and in the order the
article writes them; these printers print the terms in that order (``order="none"``)
instead of sympy's canonical one, so ``(227 - 11 + 2*0)/4 + 1`` stays as written.

>>> from sympy import Integer, Add
>>> from symcnn.symbols import F_prev, F
>>> tex(F_prev * F)
'F \\\\times F_{-1}'
>>> thousands(62378344)
'62,378,344'
>>> thousands(34848, tex=True)
'34{,}848'
"""

from __future__ import annotations

from typing import Mapping

from sympy import Basic, Integer, Mul, Number, Tuple
from sympy.core.sympify import _sympify
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from .symbols import LATEX_NAMES


def thousands(value, *, tex: bool = False) -> str:
    """An integer with the article's thousands separators (``34,848``; LaTeX ``34{,}848``).

    Anything that is not a whole number is returned as its ``str``.
    """
    if isinstance(value, Basic):
        if not value.is_Integer:
            return str(value)
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    text = f"{value:,}"
    return text.replace(",", "{,}") if tex else text


class _TextPrinter(StrPrinter):
    _default_settings = {**StrPrinter._default_settings, "order": "none", "thousands": False}

    def _print_Integer(self, expr):
        return thousands(expr) if self._settings["thousands"] else super()._print_Integer(expr)

    def _print_Piecewise(self, expr):
        """``a if condition else b``, as one reads a rule such as PyTorch's ceil_mode."""
        *cases, (last, _) = expr.args
        parts = [f"{self._print(value)} if {self._print(condition)} else" for value, condition in cases]
        return "(" + " ".join([*parts, self._print(last)]) + ")"


class _TexPrinter(LatexPrinter):
    _default_settings = {
        **LatexPrinter._default_settings,
        "order": "none",
        "mul_symbol": "times",
        "symbol_names": LATEX_NAMES,
    }

    def _print_Integer(self, expr):
        return thousands(expr, tex=True)


def text(expr, *, separators: bool = True) -> str:
    """Plain text in the article's order; ``separators`` adds thousands separators."""
    return _TextPrinter({"thousands": separators}).doprint(expr)


def tex(expr) -> str:
    """LaTeX in the article's order, ``\\times`` for products, ``34{,}848`` for numbers."""
    return _TexPrinter().doprint(expr)


def tidy(expr: Basic, values: Mapping[Basic, Basic] | None = None) -> Basic:
    """Fold ``-1 * 11`` into ``-11`` in an unevaluated expression, keeping everything else as is.

    ``values`` are put in first: a general formula becomes the substituted side of a step.

    >>> from symcnn.formulas import conv_output
    >>> from symcnn.symbols import I, K, P, S
    >>> text(tidy(conv_output.parts[0][1], {I: 227, K: 11, P: 0, S: 4}))
    '(227 - 11 + 2*0)/4 + 1'
    """
    if values and expr in values:
        return _sympify(values[expr])  # strict: numbers and sympy values only, never a string
    if not expr.args:
        return expr
    args = [tidy(a, values) for a in expr.args]
    if isinstance(expr, Mul) and len(args) == 2 and args[0] == -1 and isinstance(args[1], Number):
        return -args[1]
    return _unevaluated(expr.func, args)


def _unevaluated(func, args) -> Basic:
    """``func(*args)`` as written.

    Through ``evaluate=False`` rather than ``with evaluate(False)``: switching sympy's global
    evaluation clears all of its caches, which costs far more than the node itself.
    """
    if issubclass(func, Tuple):  # a Piecewise's (expression, condition) pairs evaluate nothing
        return func(*args)
    return func(*args, evaluate=False)


__all__ = ["text", "tex", "thousands", "tidy"]
