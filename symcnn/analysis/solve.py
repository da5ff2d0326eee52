"""Solving a named general formula for any of its symbols.

Values come as ``NAME=VALUE`` pairs: NAME is a known symbol, VALUE a whole number or a
symbol name. Neither is parsed as an expression (nothing is evaluated).

>>> solve("conv-output", "P", parse_given(["O=I", "S=1"]))
P = (K - 1)/2
>>> _[0]
K/2 - 1/2
>>> solve("conv-params", "K", {"P_c": 34944, "C": 3, "N": 96}) == [11]
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sympy import Basic, Eq, Integer, Symbol, factor_terms, false, true
from sympy import solve as sympy_solve

from ..errors import SolveError, SpecError, UnknownNameError, did_you_mean, quote
from ..formulas import Formula, formula
from ..limits import check_int, check_numeral
from ..printing import over_one_denominator, tex
from ..symbols import SYMBOLS, is_symbol_name, symbol

_INTEGER = re.compile(r"[+-]?[0-9]+")


def known_symbol(name: str, *, where: str) -> Symbol:
    """One of the article's symbols by name (never a new one: a typo must not pass)."""
    try:
        return SYMBOLS[name]
    except KeyError:
        raise UnknownNameError(
            f"unknown symbol {quote(name)}{did_you_mean(name, SYMBOLS)}; known: {', '.join(sorted(SYMBOLS))}",
            where=where, rule="symbol name"
        ) from None


def parse_value(text: str, *, where: str) -> Basic:
    """A whole number or a symbol name."""
    text = text.strip()
    if _INTEGER.fullmatch(text):
        check_numeral(text, where=where)
        return Integer(int(text))
    if is_symbol_name(text):
        return symbol(text)
    raise SpecError(f"a value must be a whole number or a symbol name, got {quote(text)}", where=where, rule="value")


def parse_given(pairs: Iterable[str]) -> dict[Symbol, Basic]:
    """``["O=I", "S=1"]`` as ``{O: I, S: 1}``."""
    given: dict[Symbol, Basic] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SpecError(f"expected NAME=VALUE, got {quote(pair)}", where="--given", rule="NAME=VALUE")
        sym = known_symbol(name.strip(), where="--given")
        if sym in given:
            raise SpecError(f"{name.strip()} is given twice", where="--given", rule="one value per symbol")
        given[sym] = parse_value(value, where=f"--given {name.strip()}")
    return given


class Solutions(list):
    """The solutions of a formula for one symbol: a list of sympy expressions that prints as the
    command line does, one ``P = (K - 1)/2`` a line. ``symbol`` is the symbol solved for,
    ``formula`` the formula's name, ``given`` the values put in."""

    def __init__(self, solutions: Iterable[Basic], symbol: Symbol, formula: str, given: Mapping[Symbol, Basic]):
        super().__init__(solutions)
        self.symbol = symbol
        self.formula = formula
        self.given = dict(given)

    def lines(self) -> list[str]:
        return [f"{self.symbol} = {written(s)}" for s in self]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        shown = "; ".join(self.lines())
        return shown if len(shown) <= 300 else f"<Solutions of {self.formula} for {self.symbol}: {shown[:200]}...>"

    def _repr_latex_(self) -> str:
        lines = [f"{tex(self.symbol)} = {tex(over_one_denominator(s))}" for s in self]
        return "$\\displaystyle " + r" \\ ".join(lines) + "$"


def solve(name: str, target: str | Symbol, given: Mapping[str | Symbol, Basic | int] | None = None) -> Solutions:
    """Solve formula ``name`` for ``target`` with the ``given`` values put in: a list of the
    solutions (sympy expressions) that prints each as ``P = (K - 1)/2``.

    The equation solved is the part whose left side is ``target`` where it is one of the
    formula's named results (``W_c``), else the formula's combined equation.

    >>> print(solve("conv-output", "P", {"O": "I", "S": 1}))
    P = (K - 1)/2
    """
    f = formula(name)
    where = f"solve {name}"
    x = target if isinstance(target, Symbol) else known_symbol(target, where="--for")
    values = {
        (k if isinstance(k, Symbol) else known_symbol(k, where="--given")): _value(v)
        for k, v in (given or {}).items()
    }
    _check_given(values)
    _check_present(f, name, x, values, where)
    lhs = dict(f.parts)
    eq = Eq(x, lhs[x].doit()) if x in lhs and x is not f.lhs else f.eq
    eq = eq.xreplace(values)
    if eq is true:
        raise SolveError(f"the given values satisfy {name} for every {x}", where=where, rule="determined")
    if eq is false:
        raise SolveError(f"the given values contradict {name}", where=where, rule="solvable")
    try:
        solutions = sympy_solve(eq, x)
    except NotImplementedError as e:
        # sympy explains over several lines; the command line gives one
        reason = " ".join(str(e).split())
        raise SolveError(f"sympy cannot solve {name} for {x}: {reason}", where=where, rule="solvable") from None
    if not solutions:
        raise SolveError(f"{name} has no solution for {x} with the given values", where=where, rule="solvable")
    return Solutions(solutions, x, name, values)


def _check_given(values: Mapping[Symbol, Basic]) -> None:
    """A size, a count or a stride given is a positive whole number; a padding a non-negative one."""
    for sym, v in values.items():
        low = 1 if sym.is_positive else 0 if sym.is_nonnegative else None
        if v.is_Integer and low is not None and v < low:
            size = "a positive" if low else "a non-negative"
            raise SpecError(f"{sym} is {size} whole number, got {v}", where=f"--given {sym}", rule="value")


def _check_present(f: Formula, name: str, x: Symbol, values: Mapping[Symbol, Basic], where: str) -> None:
    """The symbol solved for and the ones given are the formula's, and none is both."""
    present = set().union(*(eq.free_symbols for eq in f.equations))
    if x not in present:
        raise SolveError(
            f"{x} is not in {name} ({'; '.join(f.text_lines())})", where=where, rule="symbol in formula"
        )
    for sym in values:
        if sym not in present:
            raise SolveError(f"the given {sym} is not in {name}", where=where, rule="symbol in formula")
    if x in values:
        raise SolveError(f"{x} is both solved for and given", where=where, rule="unknown not given")


def written(solution: Basic) -> str:
    """A solution over one denominator, as a person writes it: ``(K - 1)/2``."""
    return str(factor_terms(solution))


def _value(v: object) -> Basic:
    if isinstance(v, str):
        return parse_value(v, where="--given")
    if isinstance(v, bool) or not isinstance(v, (int, Basic)):
        raise SpecError(f"a value must be a whole number or a symbol, got {quote(v)}", where="--given", rule="value")
    if isinstance(v, (int, Integer)):
        check_int(int(v), where="--given")
    return Integer(v) if isinstance(v, int) else v


__all__ = ["Solutions", "solve", "written", "parse_given", "parse_value", "known_symbol"]

