"""Tensor shapes, written H x W x C as the article writes them (channels last)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Union

from sympy import Add, Basic, Integer, Mul, Rational, ceiling, floor

from .errors import SpecError, quote
from .limits import check_int, check_numeral
from .numbers import PLAIN, grouped
from .printing import display, thousands

AXES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}

#: What a user may give for a shape: a Shape, a text (``"227x227x3"``), whole numbers
#: (``(227, 227, 3)`` or ``[227, 227, 3]``) or one whole number (a vector's length).
ShapeLike = Union["Shape", str, int, tuple[int, ...], list[int]]


@dataclass(frozen=True)
class Shape:
    """A feature map (``spatial`` sizes and ``channels``) or a vector (no spatial sizes).

    >>> Shape.parse("227x227x3")
    Shape(227x227x3)
    >>> Shape.parse("4096").is_vector
    True
    """

    spatial: tuple[Basic, ...]
    channels: Basic

    def __init__(self, spatial: tuple[Basic | int, ...], channels: Basic | int):
        object.__setattr__(self, "spatial", tuple(spatial))
        object.__setattr__(self, "channels", channels)
        self.__post_init__()

    def __post_init__(self) -> None:
        object.__setattr__(self, "spatial", tuple(Integer(s) if isinstance(s, int) else s for s in self.spatial))
        if isinstance(self.channels, int):
            object.__setattr__(self, "channels", Integer(self.channels))

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # sympy hashes a whole number as Python does, modulo 2**61 - 1: the sizes of a network
        # that halves its input 61 times apart (floor((I + 2**k - 1)/2**k) and k + 61) hash
        # alike, and every lookup of one compares them node by node. The lengths of the
        # numbers in the sizes tell them apart.
        lengths = tuple(sorted((int(r.p).bit_length(), int(r.q).bit_length())
                               for d in self.dims for r in d.atoms(Rational)))
        return hash((self.spatial, self.channels, lengths))

    @classmethod
    def of(cls, value: Any, *, field: str = "input") -> Shape:
        """A shape from anything a user may give (:data:`ShapeLike`): the one way in.

        >>> Shape.of((227, 227, 3)) == Shape.of("227x227x3") == Shape.of([227, 227, 3])
        True
        >>> Shape.of(4096).is_vector
        True
        """
        if isinstance(value, Shape):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if isinstance(value, (tuple, list)) and value and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            for v in value:
                check_int(v, where=field)
            value = "x".join(str(v) for v in value)
        return cls.parse(value, field=field)

    @classmethod
    def parse(cls, text: str, *, field: str = "input") -> Shape:
        """Read ``HxWxC`` (or ``LxC``, ``DxHxWxC``, or a vector length ``F``); whole numbers only."""
        if not isinstance(text, str) or not re.fullmatch(r"\s*[0-9]+(\s*[xX×]\s*[0-9]+){0,3}\s*", text):
            raise SpecError(
                f"expected sizes such as 227x227x3 (HxWxC, positive whole numbers), got {quote(text)}",
                where=field,
                rule="HxWxC",
            )
        parts = re.split(r"\s*[xX×]\s*", text.strip())
        for part in parts:
            check_numeral(part, where=field)
        dims = [int(d) for d in parts]
        if any(d < 1 for d in dims):
            raise SpecError(f"sizes must be at least 1, got {quote(text)}", where=field, rule="HxWxC")
        return cls(tuple(dims[:-1]), dims[-1])

    @property
    def is_vector(self) -> bool:
        return not self.spatial

    @property
    def rank(self) -> int:
        """Number of spatial axes (0 for a vector)."""
        return len(self.spatial)

    @property
    def dims(self) -> tuple[Basic, ...]:
        """The sizes in H, W, C order (``[F]`` for a vector)."""
        return (*self.spatial, self.channels)

    @property
    def axes(self) -> tuple[str, ...]:
        return AXES.get(self.rank, tuple(f"X{i}" for i in range(self.rank)))

    @property
    def numel(self) -> Basic:
        return Mul(*self.dims)

    def joined(self, sep: str, show: Callable[[Basic], str], left: str, right: str) -> str:
        """The sizes, each written by ``show``, joined by ``sep`` (how each output writes a shape).

        A sum or a quotient among several sizes is bracketed (``left``, ``right``): 35 - K x 35 - K would
        read as 35 - 35K - K."""
        several = len(self.dims) > 1
        return sep.join(f"{left}{show(d)}{right}" if several and _compound(collapsed(d)) else show(d)
                        for d in self.dims)

    def __str__(self) -> str:
        """``55x55x96``; a symbolic size over one denominator, a sum or a quotient in brackets:
        ``(35 - K)x(35 - K)xN``, ``((231 - K)/4)x((231 - K)/4)x96``."""
        return self.joined("x", _size_str, "(", ")")

    def __repr__(self) -> str:
        return f"Shape({self})"

    def text(self, sep: str = "x") -> str:
        """As every text view writes a size: numbers with thousands separators (``55x55x96``,
        ``4,096``), a symbolic size over one denominator (:func:`~symcnn.printing.display`), a sum
        among several sizes in brackets (``(I - K + 1) x (I - K + 1) x 16`` with ``sep=" x "``)."""
        return _shape_text(self, sep)

    def to_json(self) -> list[int | str]:
        return [int(d) if d.is_Integer else str(d) for d in self.dims]


@lru_cache(maxsize=4096)
def _shape_text(shape: Shape, sep: str) -> str:
    """Written once per shape (a deep network's layers repeat a few outputs)."""
    return shape.joined(sep, _size_text, "(", ")")


@lru_cache(maxsize=4096)
def _size_text(size: Basic) -> str:
    """Written once per size (a deep network repeats a few sizes in every layer)."""
    return thousands(size) if size.is_Integer else display(collapsed(size))


@lru_cache(maxsize=4096)
def _size_str(size: Basic) -> str:
    return grouped(int(size), PLAIN) if size.is_Integer else display(collapsed(size))



def collapsed(size: Basic) -> Basic:
    """A whole number added to one floor (or ceiling) taken into it, unevaluated, as the closed
    forms write a size: ``floor(-K/2) + 33`` (sympy takes whole numbers out) is ``floor((66 - K)/2)``."""
    if not isinstance(size, Add) or len(size.args) != 2:
        return size
    whole = [a for a in size.args if a.is_Integer]
    rounded = [a for a in size.args if isinstance(a, (floor, ceiling))]
    if len(whole) != 1 or len(rounded) != 1:
        return size
    inner = rounded[0].args[0] + whole[0]
    return type(rounded[0])(inner, evaluate=False)


def _compound(size: Basic) -> bool:
    """A sum, or a product with a fraction in it (``(231 - K)/4``): bracketed among other sizes."""
    return size.is_Add or (size.is_Mul and any(a.is_Rational and not a.is_Integer for a in size.args))
