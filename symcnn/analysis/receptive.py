"""Receptive fields (size, effective stride, effective padding per axis), as Araujo, Norris
and Sim compute them in "Computing Receptive Fields of Convolutional Neural Networks"
(Distill, 2019): ``r_out = r_in + (k - 1) j_in``, ``j_out = j_in s``, ``p_out = p_in + p j_in``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

from sympy import Basic

from ..layers import Layer
from ..network import Network, sources
from ..numbers import PLAIN, grouped
from ..printing import text
from ..records import NetworkDerivation, number
from ..shape import Shape

#: One axis' value of a receptive field: a plain int where it is a number (the usual case,
#: thousands of layers deep), else a sympy expression (a padding left symbolic).
Value: TypeAlias = int | Basic


@dataclass(frozen=True)
class ReceptiveField:
    """Per spatial axis: receptive field size, effective stride, effective padding (Araujo et al. 2019),
    each a plain ``int`` where it is a number."""

    size: tuple[Value, ...]
    stride: tuple[Value, ...]
    padding: tuple[Value, ...]

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:  # worked out once: a deep network looks each field up by it
        return hash((self.size, self.stride, self.padding))

    def to_json(self) -> dict:
        return {k: _axes_json(getattr(self, k)) for k in ("size", "stride", "padding")}

    def text(self) -> str:
        return f"{_axes_text(self.size)}/{_axes_text(self.stride)}/{_axes_text(self.padding)}"


def _axes_json(values: tuple[Value, ...]) -> int | str | list[int | str]:
    if all(v == values[0] for v in values):
        return number(values[0])
    return [number(v) for v in values]


def _axes_text(values: tuple[Value, ...]) -> str:
    if values.count(values[0]) == len(values):
        return _value_text(values[0])
    return "x".join(_value_text(v) for v in values)


def _value_text(value: Value) -> str:
    return grouped(value, PLAIN) if type(value) is int else text(value, separators=False)


def receptive_fields(network: Network, derivation: NetworkDerivation) -> dict[str, ReceptiveField | None]:
    """Araujo et al.: r_out = r_in + (k - 1) j_in, j_out = j_in s, p_out = p_in + p j_in.

    Over several inputs the largest field is kept; a vector output ends the spatial part, so does
    an output of other axes than the input's (a feature map read as tokens), and so does a window
    that grows with the input (adaptive pooling): its output sees all
    of the input, whatever its size.
    """
    rank = derivation.input.rank
    one = (1,) * rank
    fields: dict[str, ReceptiveField | None] = {"input": ReceptiveField(one, one, (0,) * rank)}
    derived = {d.name: d for d in derivation.layers}
    seen: dict[tuple, ReceptiveField | None] = {}
    windows: dict[tuple, tuple[Window | None, bool]] = {}  # a repeated layer on the same input: the same window
    for (layer, names), sig in zip(sources(network.layers), network.signatures):
        d = derived.get(layer.name)
        if d is None:  # a derivation stopped short (the analysis' time budget)
            break
        if len(names) == 1:  # the usual case, without lists
            rf = fields[names[0]]
        else:
            incoming = [fields[s] for s in names]
            known = [f for f in incoming if f is not None]
            rf = max(known, key=lambda f: _sort_key(f.size)) if len(known) == len(incoming) else None
        if rf is None or d.output.is_vector or d.output.rank != rank:
            fields[layer.name] = None
            continue
        key = (sig, d.inputs[0], rf)
        if sig is not None and key in seen:  # a repeated layer on the same field
            fields[layer.name] = seen[key]
            continue
        at = (sig, d.inputs[0])
        window, grows = windows[at] if sig is not None and at in windows else _window(layer, d.inputs[0])
        if sig is not None:
            windows[at] = window, grows
        if grows:
            fields[layer.name] = None
            continue
        fields[layer.name] = seen[key] = rf if window is None else _grown(rf, window)
    return fields


#: Per spatial axis, a layer's (effective kernel, stride, padding): plain ints where they are numbers.
Window = tuple[tuple[Value, Value, Value], ...]


def _window(layer: Layer, shape: Shape) -> tuple[Window | None, bool]:
    """A layer's window at ``shape``, its whole numbers as plain ints, and whether it grows with
    the input (a kernel or stride that is not a number: adaptive pooling)."""
    window = layer.window(shape)
    if window is None:
        return None, False
    grows = any(not v.is_number for axis in window for v in axis[:2])
    return tuple((_int(k), _int(s), _int(p)) for k, s, p in window), grows


def _int(value: Basic) -> Value:
    return int(value) if value.is_Integer else value


def _grown(rf: ReceptiveField, window: Window) -> ReceptiveField:
    """Araujo et al.'s step through one window: in plain ints where every value is one (the
    usual case, and thousands of layers deep; sympy's arithmetic would cost far more), else
    in sympy, whose whole results are plain ints again."""
    size, stride, padding = [], [], []
    for r, j, p0, (k, s, p) in zip(rf.size, rf.stride, rf.padding, window):
        size.append(r + (k - 1) * j)
        stride.append(j * s)
        padding.append(p0 + p * j)
    return ReceptiveField(_ints(size), _ints(stride), _ints(padding))


def _ints(values: list[Value]) -> tuple[Value, ...]:
    for v in values:
        if not isinstance(v, int):
            return tuple(v if isinstance(v, int) else _int(v) for v in values)
    return tuple(values)


def _sort_key(sizes: tuple[Value, ...]) -> tuple[int, ...]:
    return tuple(v if isinstance(v, int) else int(v) if v.is_Integer else 0 for v in sizes)


__all__ = ["ReceptiveField", "receptive_fields"]
