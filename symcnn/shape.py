"""Tensor shapes, written H x W x C as the article writes them (channels last)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from sympy import Basic, Integer, Mul

from .errors import SpecError, quote
from .limits import check_int, check_numeral
from .printing import thousands

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

        A sum among several sizes is bracketed (``left``, ``right``): 35 - K x 35 - K would
        read as 35 - 35K - K."""
        several = len(self.dims) > 1
        return sep.join(f"{left}{show(d)}{right}" if several and d.is_Add else show(d) for d in self.dims)

    def __str__(self) -> str:
        """``55x55x96``; a symbolic sum in brackets: ``(35 - K)x(35 - K)xN``."""
        return self.joined("x", str, "(", ")")

    def __repr__(self) -> str:
        return f"Shape({self})"

    def text(self) -> str:
        """With thousands separators: ``55x55x96``, ``4,096``."""
        return self.joined("x", thousands, "(", ")")

    def to_json(self) -> list[int | str]:
        return [int(d) if d.is_Integer else str(d) for d in self.dims]
