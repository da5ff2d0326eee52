"""Whole-number arithmetic in a spec's field values, read by a tiny grammar and never run as code.

A block argument or a field may be an expression such as ``$inp * $t`` (MobileNet-v2's expanded
channels) or ``$in.channels // 4`` (a squeeze-and-excitation's reduced channels)::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "//") factor)*
    factor := WHOLE | "$" NAME | "$" NAME ".channels" | "(" expr ")" | "-" factor

``$name`` is a block parameter; ``$in.channels`` the channels of the block's input (of the input
called ``name`` in a block of several inputs). Only whole numbers come in and out; ``//`` is
floor division, as in Python and PyTorch's own channel arithmetic.

>>> evaluate("$inp * $t", lambda name: {"inp": 16, "t": 6}[name], lambda name: 0)
96
>>> evaluate("($c + 8) // 16 * 4", lambda name: 90, lambda name: 0)
24
>>> evaluate("$in.channels // 4", lambda name: 0, lambda name: {"in": 96}[name])
24
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import quote
from ..limits import DIGITS

_TOKEN = re.compile(r"\s*(?:(\d+)|\$([A-Za-z_][A-Za-z0-9_]*)(\.channels)?|(//|[-+*()]))")
#: The most tokens an expression may have (a spec's channel arithmetic needs a handful).
MAX_TOKENS = 1_000
#: Characters that make a field value an expression rather than a name.
OPERATORS = frozenset("+-*/()")


class ExpressionError(ValueError):
    """An expression that does not follow the grammar, or a value that is not a whole number."""


def is_expression(text: str) -> bool:
    """Whether ``text`` is to be read as an expression (it has an operator, or ``$x.channels``)."""
    return any(c in OPERATORS for c in text) or bool(re.search(r"\$[A-Za-z_][A-Za-z0-9_]*\.channels", text))


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        m = _TOKEN.match(text, position)
        if not m:
            raise ExpressionError(f"cannot read {quote(text[position:])} (whole numbers, $names, + - * // and "
                                   "brackets only)")
        number, name, channels, op = m.groups()
        if number is not None:
            out.append(("num", number))
        elif name is not None:
            out.append(("channels" if channels else "param", name))
        else:
            out.append(("op", op))
        position = m.end()
    return out


def evaluate(text: str, param: Callable[[str], object], channels: Callable[[str], object]) -> int:
    """The whole number ``text`` stands for; ``param`` and ``channels`` give the values of its names.

    An expression has at most :data:`MAX_TOKENS` tokens and numbers of at most
    :data:`~symcnn.limits.DIGITS` digits.
    """
    tokens = _tokens(text)
    if len(tokens) > MAX_TOKENS:
        raise ExpressionError(f"{len(tokens):,} tokens are more than an expression of a spec may have "
                              f"({MAX_TOKENS:,})")
    parser = _Parser(text, tokens, param, channels)
    try:
        result = parser.expr()
    except RecursionError:  # brackets or signs nested past Python's stack, within MAX_TOKENS
        raise ExpressionError(f"{quote(text)} is nested too deeply") from None
    if parser.index != len(tokens):
        raise ExpressionError(f"{quote(text)} has more after a whole expression")
    return result


def _whole(value: object, what: str) -> int:
    """``value`` as a Python int where it is a whole number (a sympy Integer too)."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            from sympy import Integer

            if isinstance(value, Integer):
                return int(value)
        except ImportError:  # pragma: no cover
            pass
        raise ExpressionError(f"{what} is {quote(value)}, not a whole number: arithmetic takes whole numbers only")
    return value


class _Parser:
    """Recursive descent over the tokens: ``expr = term (+|- term)*``, ``term = factor (*|// factor)*``,
    ``factor = number | $name | $name.channels | (expr) | -factor``."""

    def __init__(self, text: str, tokens: list[tuple[str, str]], param: Callable[[str], object],
                 channels: Callable[[str], object]):
        self.text, self.tokens, self.param, self.channels = text, tokens, param, channels
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise ExpressionError(f"{quote(self.text)} ends too early")
        self.index += 1
        return self.tokens[self.index - 1]

    def factor(self) -> int:
        kind, value = self.take()
        if kind == "num":
            if len(value) > DIGITS.value:
                raise ExpressionError(DIGITS.error(f"a number of {len(value):,} digits").message)
            return int(value)
        if kind == "param":
            return _whole(self.param(value), f"${value}")
        if kind == "channels":
            return _whole(self.channels(value), f"${value}.channels")
        if (kind, value) == ("op", "("):
            result = self.expr()
            if self.take() != ("op", ")"):
                raise ExpressionError(f"{quote(self.text)} misses a closing bracket")
            return result
        if (kind, value) == ("op", "-"):
            return -self.factor()
        raise ExpressionError(f"{quote(self.text)} has {quote(value)} where a number belongs")

    def term(self) -> int:
        result = self.factor()
        while self.peek() in (("op", "*"), ("op", "//")):
            op = self.take()[1]
            right = self.factor()
            if op == "//" and right == 0:
                raise ExpressionError(f"{quote(self.text)} divides by zero")
            result = result * right if op == "*" else result // right
        return result

    def expr(self) -> int:
        result = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            right = self.term()
            result = result + right if op == "+" else result - right
        return result


__all__ = ["evaluate", "is_expression", "ExpressionError", "OPERATORS"]
