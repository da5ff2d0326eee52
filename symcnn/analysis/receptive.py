"""Receptive fields (size, effective stride, effective padding per axis), as Araujo, Norris
and Sim compute them in "Computing Receptive Fields of Convolutional Neural Networks"
(Distill, 2019): ``r_out = r_in + (k - 1) j_in``, ``j_out = j_in s``, ``p_out = p_in + p j_in``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sympy import Basic, Integer

from ..network import Network, sources
from ..printing import text
from ..records import NetworkDerivation, number


@dataclass(frozen=True)
class ReceptiveField:
    """Per spatial axis: receptive field size, effective stride, effective padding (Araujo et al. 2019)."""

    size: tuple[Basic, ...]
    stride: tuple[Basic, ...]
    padding: tuple[Basic, ...]

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:  # worked out once: a deep network looks each field up by it
        return hash((self.size, self.stride, self.padding))

    def to_json(self) -> dict:
        return {k: _axes_json(getattr(self, k)) for k in ("size", "stride", "padding")}

    def text(self) -> str:
        return "/".join(_axes_text(getattr(self, k)) for k in ("size", "stride", "padding"))


def _axes_json(values: tuple[Basic, ...]) -> int | str | list[int | str]:
    if all(v == values[0] for v in values):
        return number(values[0])
    return [number(v) for v in values]


def _axes_text(values: tuple[Basic, ...]) -> str:
    if values.count(values[0]) == len(values):
        return text(values[0], separators=False)
    return "x".join(text(v, separators=False) for v in values)


def receptive_fields(network: Network, derivation: NetworkDerivation) -> dict[str, ReceptiveField | None]:
    """Araujo et al.: r_out = r_in + (k - 1) j_in, j_out = j_in s, p_out = p_in + p j_in.

    Over several inputs the largest field is kept; a vector output ends the spatial part, so does
    an output of other axes than the input's (a feature map read as tokens), and so does a window
    that grows with the input (adaptive pooling): its output sees all
    of the input, whatever its size.
    """
    rank = derivation.input.rank
    one = (Integer(1),) * rank
    fields: dict[str, ReceptiveField | None] = {"input": ReceptiveField(one, one, (Integer(0),) * rank)}
    derived = {d.name: d for d in derivation.layers}
    seen: dict[tuple, ReceptiveField | None] = {}
    windows: dict[tuple, Window | None] = {}  # a repeated layer on the same input has the same window
    for (layer, names), sig in zip(sources(network.layers), network.signatures):
        if layer.name not in derived:  # a derivation stopped short (the analysis' time budget)
            break
        d = derived[layer.name]
        incoming = [fields[s] for s in names]
        known = [f for f in incoming if f is not None]
        if d.output.is_vector or d.output.rank != rank or len(known) < len(incoming):
            fields[layer.name] = None
            continue
        rf = known[0] if len(known) == 1 else max(known, key=lambda f: _sort_key(f.size))
        key = (sig, d.inputs[0], rf)
        if sig is not None and key in seen:  # a repeated layer on the same field
            fields[layer.name] = seen[key]
            continue
        at = (sig, d.inputs[0])
        window = windows[at] if sig is not None and at in windows else layer.window(d.inputs[0])
        if sig is not None:
            windows[at] = window
        if window is not None and any(not v.is_number for axis in window for v in axis[:2]):
            fields[layer.name] = None
            continue
        fields[layer.name] = seen[key] = rf if window is None else _grown(rf, window)
    return fields


#: Per spatial axis, a layer's (effective kernel, stride, padding).
Window = tuple[tuple[Basic, Basic, Basic], ...]


def _grown(rf: ReceptiveField, window: Window) -> ReceptiveField:
    """Araujo et al.'s step through one window: in whole numbers where every value is one (the
    usual case, and thousands of layers deep), else in sympy."""
    values = (*rf.size, *rf.stride, *rf.padding, *(v for axis in window for v in axis))
    if all(v.is_Integer for v in values):
        size, stride, padding = ([int(v) for v in part] for part in (rf.size, rf.stride, rf.padding))
        ints = [[int(v) for v in axis] for axis in window]
        return ReceptiveField(
            _integers([r + (k - 1) * j for r, j, (k, _, _) in zip(size, stride, ints)]),
            _integers([j * s for j, (_, s, _) in zip(stride, ints)]),
            _integers([p0 + p * j for p0, j, (_, _, p) in zip(padding, stride, ints)]),
        )
    return ReceptiveField(
        tuple(r + (k - 1) * j for r, j, (k, _, _) in zip(rf.size, rf.stride, window)),
        tuple(j * s for j, (_, s, _) in zip(rf.stride, window)),
        tuple(p0 + p * j for p0, j, (_, _, p) in zip(rf.padding, rf.stride, window)),
    )


def _integers(values: list[int]) -> tuple[Basic, ...]:
    """As sympy integers, one made for the axes of a square input."""
    if values.count(values[0]) == len(values):
        return (Integer(values[0]),) * len(values)
    return tuple(Integer(v) for v in values)


def _sort_key(sizes: tuple[Basic, ...]) -> tuple[int, ...]:
    return tuple(int(s) if s.is_Integer else 0 for s in sizes)


__all__ = ["ReceptiveField", "receptive_fields"]
