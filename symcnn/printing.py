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

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache, reduce
from math import gcd, lcm
from typing import Any

from sympy import Add, Basic, Integer, Mul, Number, Pow, Rational, Symbol, Tuple, ceiling, factor_terms, floor, together
from sympy.core.sympify import _sympify
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter, sstr

from . import numbers
from .limits import PYTHON_REFUSAL, numbers_shown_up_to_the_limit, too_long_to_show
from .numbers import EN, PLAIN, TEX, grouped
from .symbols import LATEX_NAMES

#: The terms of the longest sum written in sympy's order (a polynomial's, by its symbols).
_ORDERED_UP_TO = 200


def thousands(value: object, *, tex: bool = False) -> str:
    """An integer with the article's thousands separators (``34,848``; LaTeX ``34{,}848``), as
    :func:`symcnn.numbers.grouped` writes it (a huge one shows its ends and its length).

    Anything that is not a whole number is returned as its ``str``.
    """
    if isinstance(value, Basic):
        if not value.is_Integer:
            # a sum of thousands of symbols (a total over 10,000 layers of symbolic channels): sympy's
            # ordered printing makes a vector over every symbol for every term (3 GB); its own order
            return str(value) if len(value.args) < _ORDERED_UP_TO else sstr(value, order="none")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return grouped(value, TEX if tex else EN)


@contextmanager
def _long_numbers() -> Iterator[None]:
    """Numbers of up to :data:`~symcnn.limits.DIGITS_SHOWN` digits written out; a longer one is a
    :class:`~symcnn.errors.LimitError` (Python alone refuses past 4,300 digits, in a ValueError)."""
    try:
        with numbers_shown_up_to_the_limit():
            yield
    except ValueError as e:
        if PYTHON_REFUSAL not in str(e):
            raise
        raise too_long_to_show() from None


def terminating(q: Fraction | Basic, *, max_places: int = 15) -> str | None:
    """A quotient (a sympy Rational too) as an exact decimal where it terminates within
    ``max_places`` decimals, else None (:func:`symcnn.numbers.terminating`).

    >>> terminating(Fraction(213, 4)), terminating(Fraction(1, 3))
    ('53.25', None)
    """
    return numbers.terminating(_fraction(q), max_places=max_places)


def decimal(q: Fraction | Basic, *, places: int = 6) -> str:
    """A quotient as a decimal: exact where it terminates, else cut to ``places`` decimals and ``...``.

    >>> decimal(Fraction(217, 4)), decimal(Fraction(217, 3))
    ('54.25', '72.333333...')
    """
    return numbers.decimal(_fraction(q), decimals=places)


def _fraction(q: Fraction | Basic) -> Fraction:
    return Fraction(int(q.p), int(q.q)) if isinstance(q, Basic) else Fraction(q)


class _TextPrinter(StrPrinter):
    _default_settings = {**StrPrinter._default_settings, "order": "none", "thousands": False}

    def _print_Integer(self, expr: Integer) -> str:
        """As every view writes a number (:func:`symcnn.numbers.grouped`), with or without separators."""
        return grouped(int(expr), EN if self._settings["thousands"] else PLAIN)

    def _print_Symbol(self, expr: Symbol) -> str:
        """The article's names: ``F_{-1}`` for the previous layer's width (sympy's ``str`` says ``F_prev``)."""
        return LATEX_NAMES.get(expr) or super()._print_Symbol(expr)

    def _print_Piecewise(self, expr: Basic) -> str:
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

    def _print_Integer(self, expr: Integer) -> str:
        return thousands(expr, tex=True)


def text(expr: Basic | int, *, separators: bool = True) -> str:
    """Plain text in the article's order; ``separators`` adds thousands separators."""
    if isinstance(expr, Integer) or (isinstance(expr, int) and not isinstance(expr, bool)):
        return grouped(int(expr), EN if separators else PLAIN)
    with _long_numbers():
        return _TextPrinter({"thousands": separators}).doprint(expr)


def tex(expr: Basic | int) -> str:
    """LaTeX in the article's order, ``\\times`` for products, ``34{,}848`` for numbers."""
    with _long_numbers():
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


def _unevaluated(func: type[Basic], args: list[Basic]) -> Basic:
    """``func(*args)`` as written.

    Through ``evaluate=False`` rather than ``with evaluate(False)``: switching sympy's global
    evaluation clears all of its caches, which costs far more than the node itself.
    """
    if issubclass(func, Tuple):  # a Piecewise's (expression, condition) pairs evaluate nothing
        return func(*args)
    return func(*args, evaluate=False)


def over_one_denominator(expr: Basic) -> Basic:
    """``expr`` with each linear sum over one denominator and written size first, unevaluated.

    ``I/32 - 35/32`` becomes ``(I - 35)/32``; ``-2 + floor(I/2)`` becomes ``floor(I/2) - 2``.
    The closed forms are printed through this in every format.

    >>> from sympy import Rational, floor
    >>> from symcnn.symbols import I
    >>> text(over_one_denominator(floor(I/32 - Rational(35, 32))))
    'floor((I - 35)/32)'
    """
    if isinstance(expr, Add) and all(t == 1 or t.is_Symbol for t in expr.as_coefficients_dict()):
        coeff, rest = _one_denominator(expr).as_coeff_Mul()
        if isinstance(rest, Add):  # I - 35 as written, not sympy's -35 + I
            rest = Add(*_size_first(rest.args), evaluate=False)
        return Mul(coeff, rest, evaluate=False) if coeff != 1 else rest
    if not expr.args:
        return expr
    args = [over_one_denominator(a) for a in expr.args]
    if isinstance(expr, Add):  # floor(I/2) - 2 rather than -2 + floor(I/2)
        args = _size_first(args)
    return _unevaluated(expr.func, args)


def _size_first(terms: Iterable[Basic]) -> list[Basic]:
    """A sum's terms with its number last (``I - 35``), or first where every other term is
    subtracted (``231 - K``, not ``-K + 231``)."""
    others = [t for t in terms if not t.is_Number]
    numbers = [t for t in terms if t.is_Number]
    if others and all(t.could_extract_minus_sign() for t in others):
        return numbers + others
    return others + numbers


def _one_denominator(e: Basic) -> Basic:
    """A linear sum over one denominator: ``(I - 35)/32``, and ``(P + 96)/16`` for ``P/16 + 6``
    (whose common factor alone leaves the 16 in one term)."""
    fast = _positive_over_one_denominator(e)
    if fast is not None:
        return fast
    f = factor_terms(e)
    coeff, rest = f.as_coeff_Mul()
    if isinstance(rest, Add) and any(not c.is_Integer for c in rest.as_coefficients_dict().values()):
        return together(e)
    return f


def _positive_over_one_denominator(e: Add) -> Basic | None:
    """What :func:`_one_denominator` gives for a linear sum whose coefficients are all positive
    and all fractions (``I/4 + 3/4``) or all whole (``2*I + 4``), without sympy's general
    factoring (a fraction's content taken out of whole numbers): ``(I + 3)/4``, ``2*(I + 2)``;
    None for any other sum. tests/test_closed_forms.py checks it against sympy's own."""
    terms = e.as_coefficients_dict()
    coeffs = list(terms.values())
    if not all(c.is_Rational and c.p > 0 for c in coeffs):
        return None
    whole = [c.is_Integer for c in coeffs]
    if any(whole) and not all(whole):
        return None
    content = Rational(reduce(gcd, (int(c.p) for c in coeffs)), reduce(lcm, (int(c.q) for c in coeffs)))
    if content == 1:
        return e
    return Mul(content, Add(*(c / content * t for t, c in terms.items())), evaluate=False)


class _DisplayPrinter(StrPrinter):
    """sympy's ``str``, each distinct part printed once (a deep network's sizes come back in its
    MACs and in every total), and the terms of a linear sum ordered without sympy's general
    sort, which evaluates every coefficient as a float (tests/test_closed_forms.py checks the
    order against sympy's own)."""

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs or not isinstance(expr, Basic) or not expr.args:
            return super()._print(expr, **kwargs)
        return _display_text(expr)

    def _print_Mul(self, expr: Mul) -> str:
        """``(I + 15)/16``, ``2*(I + 2)/3``: a positive number times a linear sum with positive
        terms, as sympy writes it, without sorting the factors (sympy's general way)."""
        if len(expr.args) == 2 and expr.args[0].is_Rational and expr.args[0].p > 0 \
                and isinstance(expr.args[1], Add) and _positive_linear(expr.args[1]):
            p, q = int(expr.args[0].p), int(expr.args[0].q)
            shown = f"({self._print(expr.args[1])})"
            return (shown if p == 1 else f"{p}*{shown}") + (f"/{q}" if q != 1 else "")
        if len(expr.args) == 2 and expr.args[0].is_Integer and expr.args[0].p > 1 and _rounded_power(expr.args[1]):
            return f"{self._print(expr.args[0])}*{self._print(expr.args[1])}"  # 576*floor((I + 1)/2)**2
        return super()._print_Mul(expr)

    def _print_floor(self, expr: Basic) -> str:
        """``floor(x)``, as sympy writes any function, without weighing the precedence of its argument."""
        return f"{type(expr).__name__}({self._print(expr.args[0])})"

    _print_ceiling = _print_floor

    def _as_ordered_terms(self, expr: Basic, order: str | None = None) -> list[Basic]:
        linear = linear_order(expr) if (order or self.order) is None else None
        return linear if linear is not None else super()._as_ordered_terms(expr, order)


def linear_order(expr: Basic) -> list[Basic] | None:
    """The terms of a sum of whole multiples of symbols and a number in the order sympy prints
    them (``Expr.as_ordered_terms``): the symbols by name, the number last, but a positive
    number before one negative multiple (``35 - I``); None for any other sum."""
    terms = Add.make_args(expr)
    numbers = [t for t in terms if t.is_Number]
    named: list[tuple[str, Basic]] = []
    for t in terms:
        if t.is_Number:
            continue
        coeff, rest = t.as_coeff_Mul()
        if type(rest) is not Symbol or not coeff.is_Integer or (coeff != 1 and not isinstance(t, Mul)):
            return None
        named.append((rest.name, t))
    if len(numbers) > 1 or len({name for name, _ in named}) != len(named):
        return None
    if numbers and len(named) == 1 and _positive(numbers[0]) and isinstance(named[0][1], Mul) \
            and named[0][1].args[0].p < 0:
        return [numbers[0], named[0][1]]
    return [t for _, t in sorted(named, key=lambda pair: pair[0])] + numbers


def _rounded_power(expr: Basic) -> bool:
    """A floor or ceiling, or a positive whole power of one: a factor sympy writes as it is."""
    if isinstance(expr, Pow) and expr.exp.is_Integer and expr.exp.p > 1:
        expr = expr.base
    return isinstance(expr, (floor, ceiling))


def _positive_linear(expr: Add) -> bool:
    """A sum of symbols and positive whole multiples of them, and a positive number."""
    return linear_order(expr) is not None and all(_positive(c) for c in expr.as_coefficients_dict().values())


def _positive(n: Basic) -> bool:
    """Whether a number is positive: a rational's sign read from its numerator (asking sympy, a new
    60-digit fraction of a deep network's sizes works out all of its facts first)."""
    return n.p > 0 if n.is_Rational else n.is_positive is True


_DISPLAY = _DisplayPrinter()


@lru_cache(maxsize=8192)
def _display_text(expr: Basic) -> str:
    return StrPrinter._print(_DISPLAY, expr)


def display(expr: Basic | int) -> str:
    """A closed form or a number as plain text, each floor/ceiling argument over one denominator.

    >>> from sympy import Rational, floor
    >>> from symcnn.symbols import I
    >>> display(floor(I/32 - Rational(35, 32)))
    'floor((I - 35)/32)'
    >>> display(62378344)
    '62378344'
    """
    if hasattr(expr, "_sympy_"):  # a closed form (symcnn.analysis.ClosedForm): the expression it wraps
        expr = expr._sympy_()
    if isinstance(expr, int) and not isinstance(expr, bool):
        expr = Integer(expr)
    if not isinstance(expr, Basic):
        raise TypeError(f"display() writes a closed form or a number (such as a.output_size(I) or a.params), "
                        f"not a {type(expr).__name__}: print() shows one")
    with _long_numbers():
        return _DISPLAY.doprint(_displayed(expr))


@lru_cache(maxsize=4096)
def _displayed(e: Basic) -> Basic:
    """``e`` with each linear sum over one denominator (a network repeats a few sums in every
    size and count: each is factored once)."""
    if isinstance(e, Add) and all(t == 1 or t.is_Symbol for t in e.as_coefficients_dict()):
        return _one_denominator(e)
    if not e.args:
        return e
    return e.func(*(_displayed(a) for a in e.args), evaluate=False)


__all__ = ["text", "tex", "thousands", "tidy", "decimal", "terminating", "over_one_denominator", "display"]
