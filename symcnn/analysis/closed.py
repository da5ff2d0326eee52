"""Whole-network analysis: closed forms in the input size, valid inputs, compute, receptive fields.

The network is derived once with a symbolic input (``I x I``, or ``H x W``), each layer's
record collapsed as it is made (:mod:`symcnn.analysis.collapse`); an :class:`Analysis` holds
those records and what follows from them (:mod:`~symcnn.analysis.inputs`,
:mod:`~symcnn.analysis.receptive`).

>>> from symcnn import load, I
>>> a = load("alexnet").analyse("floor")
>>> a["pool3"].output.spatial[0]
floor(I/32 - 35/32)
>>> a.min_input, a.inputs_for("pool3", 6)
(67, Range(227, 259, 1))
>>> a.at(a.params, 227)
62378344
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any

from sympy import Add, Basic, Integer, Range, Symbol

from ..errors import RoundingError, ShapeError, SolveError, SpecError
from ..network import Network
from ..records import LayerDerivation, NetworkDerivation, number
from ..rounding import check_rounding
from ..shape import Shape
from ..symbols import H, I, W
from .collapse import collapse_record
from .compile import compile_expr
from .inputs import Congruence, exact_inputs, min_inputs, smallest_input
from .receptive import ReceptiveField, receptive_fields

#: How symcnn counts compute; printed with every MACs figure.
MACS_CONVENTION = (
    "MACs = multiply-accumulates of the weights only (no bias adds, no pooling, no activations); "
    "FLOPs = 2 x MACs"
)
BYTES_PER_ELEMENT = 4  # float32


@dataclass(frozen=True)
class LayerAnalysis:
    """One layer's closed forms (from its collapsed derivation record)."""

    record: LayerDerivation
    receptive_field: ReceptiveField | None

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def type(self) -> str:
        return self.record.type

    @property
    def output(self) -> Shape:
        return self.record.output

    @property
    def params(self) -> Basic:
        return self.record.params

    @property
    def macs(self) -> Basic:
        return self.record.macs

    @property
    def activations(self) -> Basic:
        """Elements of the output tensor."""
        return self.record.output.numel

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "output": [str(s) for s in self.output.dims],
            "params": str(self.params),
            "macs": str(self.macs),
            "activations": str(self.activations),
            "receptive_field": self.receptive_field.to_json() if self.receptive_field else None,
        }


@dataclass(frozen=True)
class Analysis:
    """A network's closed forms in its input size(s) ``symbols``, and what follows from them."""

    network: str
    rounding: str
    symbols: tuple[Symbol, ...]
    input: Shape
    derivation: NetworkDerivation
    layers: tuple[LayerAnalysis, ...]
    min_inputs: Mapping[Symbol, int]
    exact_inputs: Mapping[Symbol, Congruence] | None

    def __getitem__(self, name: str) -> LayerAnalysis:
        self.derivation[name]  # raises the usual error for an unknown name
        return next(la for la in self.layers if la.name == name)

    @property
    def params(self) -> Basic:
        return self.derivation.total_params

    @property
    def macs(self) -> Basic:
        return Add(*(la.macs for la in self.layers))

    @property
    def activations(self) -> Basic:
        return Add(*(la.activations for la in self.layers))

    @property
    def min_input(self) -> int | dict[str, int]:
        """Smallest input (per symbol) for which every layer's output is at least 1."""
        if self.symbols == (I,):
            return self.min_inputs[I]
        return {s.name: v for s, v in self.min_inputs.items()}

    @property
    def last_map(self) -> LayerAnalysis | None:
        maps = [la for la in self.layers if not la.output.is_vector]
        return maps[-1] if maps else None

    @property
    def receptive_field_layer(self) -> LayerAnalysis | None:
        """The last feature map with a receptive field of its own (global and adaptive
        pooling, whose windows grow with the input, see all of it)."""
        maps = [la for la in self.layers if not la.output.is_vector and la.receptive_field is not None]
        return maps[-1] if maps else None

    @property
    def receptive_field(self) -> ReceptiveField | None:
        """At :attr:`receptive_field_layer`, the last feature map that has one."""
        last = self.receptive_field_layer
        return last.receptive_field if last else None

    def receptive_field_of(self, layer: str | None = None) -> ReceptiveField | None:
        return self[layer].receptive_field if layer else self.receptive_field

    # -- numbers --------------------------------------------------------------------------

    def values_at(self, size: int | Shape | None = None) -> dict[Symbol, int]:
        """The symbols' values for an input ``size`` (default: the network's input)."""
        shape = self.input if size is None else size
        if isinstance(shape, bool) or not isinstance(shape, (int, Shape)):
            raise SpecError(f"an input size is a whole number or a Shape, got {shape!r}", where="size",
                            rule="input size")
        if isinstance(shape, int):
            values = {s: Integer(shape) for s in self.symbols}
        elif self.symbols == (I,):
            if shape.spatial[0] != shape.spatial[-1]:
                raise SpecError(f"the input {shape} is not square; analyse in H and W (symbolic HW)",
                                rule="square input")
            values = {I: shape.spatial[0]}
        else:
            values = dict(zip(self.symbols, shape.spatial))
        if size is not None:
            self._check_valid(values)
        return values

    def _check_valid(self, values: Mapping[Symbol, Basic]) -> None:
        # The closed forms hold only where derive() would succeed: below the smallest input a
        # floor goes to 0 or below, and in exact rounding a division stops being whole.
        for s, v in values.items():
            if not v.is_Integer:
                continue
            if v < self.min_inputs[s]:
                raise ShapeError(
                    f"input {s} = {v} is below the smallest input {self.min_inputs[s]} "
                    f"for which every layer's output is at least 1", where=self.network, rule="smallest input")
            if self.exact_inputs is not None and int(v) not in self.exact_inputs[s]:
                raise RoundingError(
                    f"input {s} = {v} makes a division not whole; exact rounding needs {s} "
                    f"{self.exact_inputs[s]}: choose rounding floor or ceil", where=self.network,
                    rule="exact division")

    def at(self, expr: Basic, size: int | Shape | Basic | None = None) -> Basic:
        """``expr`` at an input size (a symbol, or None, leaves it as the closed form)."""
        if size is None or isinstance(size, Symbol):
            return expr
        return expr.xreplace(self.values_at(size))

    def compile(self, expr: Basic) -> Callable[..., int | Fraction]:
        """A fast function of the input size(s) for ``expr``, in exact integer arithmetic.

        >>> from symcnn import load
        >>> a = load("alexnet").analyse("floor")
        >>> f = a.compile(a.params)
        >>> [f(i) for i in (227, 259)]
        [62378344, 76009832]
        """
        return compile_expr(expr, self.symbols)

    def output_size(self, size=None, layer: str | None = None) -> Basic:
        la = self[layer] if layer else (self.last_map or self.layers[-1])
        width = la.output.spatial[-1] if la.output.spatial else la.output.channels
        return self.at(width, size)

    @cached_property
    def totals_at_input(self) -> dict[str, Basic] | None:
        """The totals at the network's own input (``params``, ``macs``, ``activations``,
        ``activation_bytes`` at float32), or None where the input is not one value of the
        symbols (a non-square input analysed in I)."""
        if not self._square_or_hw():
            return None
        at = self.values_at()
        acts = self.activations.xreplace(at)
        return {"params": self.params.xreplace(at), "macs": self.macs.xreplace(at), "activations": acts,
                "activation_bytes": BYTES_PER_ELEMENT * acts}

    # -- inverse questions ----------------------------------------------------------------

    def inputs_for(self, layer: str, size: int, symbol: Symbol = I) -> Range:
        """The inputs (at least the smallest valid one) that give ``layer`` an output ``size`` wide."""
        la = self[layer]
        axis = self.symbols.index(symbol) if symbol in self.symbols else -1
        if la.output.is_vector or axis < 0:
            raise SolveError(
                f"{layer}'s output {la.output} has no spatial size in {symbol}", where=layer, rule="feature map"
            )
        expr = la.output.spatial[axis]
        low = max(smallest_input(expr, symbol, Integer(size), layer), self.min_inputs[symbol])
        high = smallest_input(expr, symbol, Integer(size) + 1, layer)
        if self.exact_inputs is not None:
            cong = self.exact_inputs[symbol]
            low += (cong.residue - low) % cong.modulus
            return Range(low, max(low, high), cong.modulus)
        return Range(low, max(low, high))

    # -- output ---------------------------------------------------------------------------

    def to_json(self) -> dict:
        data: dict[str, Any] = {
            "network": self.network,
            "rounding": self.rounding,
            "symbols": [s.name for s in self.symbols],
            "input": self.input.to_json(),
            "layers": [la.to_json() for la in self.layers],
            "params": str(self.params),
            "macs": str(self.macs),
            "activations": str(self.activations),
            "macs_convention": MACS_CONVENTION,
            "min_input": self.min_input,
            "receptive_field": self.receptive_field.to_json() if self.receptive_field else None,
        }
        if self.exact_inputs is not None:
            cong = {s.name: c.to_json() for s, c in self.exact_inputs.items()}
            data["exact_inputs"] = cong["I"] if self.symbols == (I,) else cong
        if self.totals_at_input is not None:
            data["at_input"] = {k: number(v) for k, v in self.totals_at_input.items()}
        return data

    def _square_or_hw(self) -> bool:
        return self.symbols != (I,) or self.input.spatial[0] == self.input.spatial[-1]


def analyse(network: Network, rounding: str | None = None, symbolic: str = "I") -> Analysis:
    """Derive ``network`` with a symbolic input and collect its closed forms.

    ``symbolic`` is ``"I"`` (a square I x I input) or ``"HW"`` (H x W).
    """
    return _analyse(network, check_rounding(rounding or network.rounding, where="rounding"), symbolic)


@lru_cache(maxsize=64)
def _analyse(network: Network, rounding: str, symbolic: str) -> Analysis:
    symbols = _symbols(symbolic, network.input)
    spatial = symbols * 2 if symbols == (I,) else symbols
    shape = Shape(spatial, network.input.channels)
    derivation = network.derive(shape, rounding, simplify=collapse_record)
    fields = receptive_fields(network, derivation)
    layers = tuple(LayerAnalysis(d, fields[d.name]) for d in derivation.layers)
    exact = exact_inputs(derivation, symbols) if rounding == "exact" else None
    if rounding == "exact" and exact is None:
        raise SolveError(
            "no input size makes every division whole; choose floor or ceil rounding",
            where=network.name, rule="exact division",
        )
    return Analysis(
        network.name, rounding, symbols, network.input, derivation, layers,
        min_inputs(network, derivation, symbols, exact), exact,
    )


def _symbols(symbolic: str, input: Shape) -> tuple[Symbol, ...]:
    if input.rank != 2:
        raise SpecError(f"closed forms need a 2-d input (HxWxC), got {input}", where="symbolic", rule="2-d input")
    if symbolic == "I":
        return (I,)
    if symbolic == "HW":
        return (H, W)
    raise SpecError(f"symbolic must be I or HW, got {symbolic!r}", where="symbolic", rule="I or HW")


__all__ = ["Analysis", "LayerAnalysis", "analyse", "MACS_CONVENTION", "BYTES_PER_ELEMENT"]
