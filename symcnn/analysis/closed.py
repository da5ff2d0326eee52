"""Whole-network analysis: closed forms in the input size, valid inputs, compute, receptive fields.

The network is derived once with a symbolic input (``I x I``, or ``H x W``), each layer's
record collapsed as it is made (:mod:`symcnn.analysis.collapse`); an :class:`Analysis` holds
those records and what follows from them (:mod:`~symcnn.analysis.inputs`,
:mod:`~symcnn.analysis.receptive`). All of it runs within a time budget
(:mod:`~symcnn.analysis.budget`): past it, the layers derived so far are kept and the one
that was not is named.

>>> from symcnn import load, I
>>> a = analyse(load("alexnet"), "floor")
>>> a["pool3"].output.spatial[0]
floor(I/32 - 35/32)
>>> a.min_input, a.inputs_for("pool3", 6)
(67, Range(227, 259, 1))
>>> a.at(a.params, 227)
62378344
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from typing import Any, TypeVar

from sympy import Basic, FiniteSet, Integer, Range, Symbol

from ..errors import (
    RoundingError,
    Rule,
    ShapeError,
    SolveError,
    SpecError,
    SymcnnError,
    UnknownNameError,
    did_you_mean,
    quote,
)
from ..network import Mismatch, Network
from ..printing import display, text
from ..records import LayerDerivation, NetworkDerivation, add_up, number
from ..rounding import check_rounding
from ..shape import Shape
from ..symbols import H, I, W
from ..table import counted, short
from .budget import OutOfTime, deadline, default_budget
from .collapse import collapse_record
from .compile import Compiled, compile_expr, value_at
from .forms import closed
from .inputs import (
    Congruence,
    Fit,
    Match,
    Span,
    boxes_text,
    combine,
    exact_inputs,
    fits,
    intersect,
    matches,
    min_inputs,
    smallest_input,
    solve_equal,
)
from .receptive import ReceptiveField, receptive_fields

E = TypeVar("E", bound=SymcnnError)

#: How symcnn counts compute; printed with every MACs figure.
MACS_CONVENTION = (
    "MACs = multiply-accumulates of the weights only (no bias adds, no pooling, no activations); "
    "FLOPs = 2 x MACs"
)
#: Added to it where a network has attention layers.
ATTENTION_MACS = ", and an attention's queries by keys and weights by values (2 L^2 C, as fvcore counts them)"
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

    def __repr__(self) -> str:
        return short(f"<LayerAnalysis {self.name} ({self.type}): output {self.output.text(' x ')}, "
                      f"params {display(self.params)}>")

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
class Stopped:
    """Where an analysis ran out of its time budget: the layer it was working on, and at what."""

    layer: str
    seconds: float
    #: ``closed forms`` (deriving the layer's sizes) or ``valid inputs`` (after every closed form)
    stage: str = "closed forms"

    @property
    def seconds_text(self) -> str:
        return f"{self.seconds:g}"

    def text(self) -> str:
        """The one sentence ``derive`` prints."""
        if self.stage == "closed forms":
            return (f"{self.layer} had no closed form within the time budget of {self.seconds_text} s; "
                    "the layers before it are given")
        return (f"the valid inputs were not worked out within the time budget of {self.seconds_text} s "
                f"(stopped at {self.layer}); every closed form is given")

    def to_json(self) -> dict:
        return {"layer": self.layer, "budget": self.seconds, "stage": self.stage}


@dataclass(frozen=True)
class Analysis:
    """A network's closed forms in its input size(s) ``symbols``, and what follows from them.

    ``min_inputs`` holds the smallest valid input per symbol (a formula where hyper-parameters
    are symbols), ``exact_inputs`` the residues that make every division whole (exact
    rounding), ``fits`` the layers' declared input sizes as conditions on the input,
    ``matches`` the merges whose inputs have equal sizes for some input sizes only (an
    upsampled map concatenated with a finer one: the input must be even), and ``conditions``
    what the closed forms assume of other symbols. Where the analysis ran
    out of its time budget, ``stopped`` says where, and ``layers`` holds those before it.
    """

    network: str
    rounding: str
    symbols: tuple[Symbol, ...]
    input: Shape
    derivation: NetworkDerivation
    layers: tuple[LayerAnalysis, ...]
    min_inputs: Mapping[Symbol, Basic]
    exact_inputs: Mapping[Symbol, Congruence] | None
    fits: tuple[Fit, ...] = ()
    conditions: tuple[str, ...] = ()
    stopped: Stopped | None = None
    _index: dict[str, LayerAnalysis] = field(default_factory=dict, compare=False, repr=False)
    #: the first opaque layer, where the closed forms stop (empty: they cover the whole network)
    stops_at: str = ""
    matches: tuple[Match, ...] = ()

    def __post_init__(self) -> None:
        self._index.update((la.name, la) for la in self.layers)

    def __repr__(self) -> str:
        names = ", ".join(s.name for s in self.symbols)
        end = f", stopped at {self.stopped.layer}" if self.stopped is not None else ""
        return short(f"<Analysis {self.network} in {names}, rounding {self.rounding}, "
                     f"{counted(len(self.layers), 'layer')}, "
                      f"params {display(self.params)}{end}>")

    def __str__(self) -> str:
        """What ``symcnn derive`` prints."""
        from .text import derive_text

        return derive_text(self)

    @property
    def macs_convention(self) -> str:
        """How MACs are counted (printed with every MACs figure): an attention's products besides the weights'."""
        if any(la.type == "attention" for la in self.layers):
            return MACS_CONVENTION.replace("; FLOPs", ATTENTION_MACS + "; FLOPs")
        return MACS_CONVENTION

    @property
    def complete(self) -> bool:
        """Whether every closed form and every valid-input question was answered in time."""
        return self.stopped is None

    def __getitem__(self, name: str) -> LayerAnalysis:
        try:
            return self._index[name]
        except KeyError:
            pass
        if self.stopped is not None and any(layer.name == name for layer in self.derivation.network.layers):
            raise SolveError(f"no closed form for {name}: {self.stopped.text()}", where=self.network,
                             rule="time budget")
        self.derivation[name]  # raises the usual error for an unknown name
        raise UnknownNameError(f"no layer named {name!r} in {self.network}{did_you_mean(name, self._index)}",
                               rule="layer name")

    @cached_property
    def params(self) -> Basic:
        return self.derivation.total("params")

    @cached_property
    def macs(self) -> Basic:
        """In eval: a training-only branch does not run."""
        return add_up(la.macs for la in self.layers if not la.record.training)

    @cached_property
    def activations(self) -> Basic:
        # each distinct output's size multiplied out once (a deep network repeats a few)
        outputs = Counter(la.output for la in self.layers if not la.record.training)
        return add_up(chain.from_iterable([shape.numel] * n for shape, n in outputs.items()))

    @property
    def min_input(self) -> Any:
        """Smallest input (per symbol) for which every layer's output is at least 1: a whole
        number, or a formula in the hyper-parameters that are symbols."""
        if self.stopped is not None and not self.min_inputs:
            raise SolveError(self.stopped.text(), where=self.network, rule="time budget")
        values = {s: (int(v) if v.is_Integer else v) for s, v in self.min_inputs.items()}
        if self.symbols == (I,):
            return values[I]
        return {s.name: v for s, v in values.items()}

    @cached_property
    def congruences(self) -> dict[Symbol, Congruence]:
        """Per symbol, the residues every valid input has: exact rounding's whole divisions and
        every merge whose inputs' sizes differ by an amount that repeats (a modulus 1: any).

        >>> from symcnn import load
        >>> analyse(load("alexnet")).congruences
        {I: Congruence(residues=(3,), modulus=32)}
        """
        found = {s: (self.exact_inputs or {}).get(s, Congruence(0, 1)) for s in self.symbols}
        for m in self.matches:
            if m.symbol is not None and m.congruence is not None:
                both = combine(found[m.symbol], m.congruence)
                if both is None:  # _analyse refuses such a network; here for a hand-made Analysis
                    raise SolveError(f"no input size {m.symbol} meets every condition", where=self.network,
                                     rule="valid inputs")
                found[m.symbol] = both
        return found

    def _where(self) -> str:
        """``, where I = 0 mod 2``: the residues valid inputs have (empty: any)."""
        shown = [f"{s} {c}" for s, c in self.congruences.items() if c.modulus > 1]
        return ", where " + ", ".join(shown) if shown else ""

    @cached_property
    def valid_inputs(self) -> tuple[tuple[Span, ...], ...] | None:
        """The input sizes every layer accepts, as boxes: per box one inclusive ``(low, high)``
        span per symbol (``high`` None: no upper end), from the smallest input, every
        declared input size (a Linear's ``in_features``) and every merge whose inputs meet at
        finitely many sizes. None where the smallest input is a formula. Only the members of
        :attr:`congruences` in them are valid (exact rounding, merges).

        >>> from symcnn import load
        >>> analyse(load("alexnet"), "floor").valid_inputs
        (((67, None),),)
        """
        if not self.min_inputs or any(not v.is_Integer for v in self.min_inputs.values()):
            return None
        boxes: tuple[tuple[Span, ...], ...] = (tuple((int(self.min_inputs[s]), None) for s in self.symbols),)
        for fit in self.fits:
            if fit.boxes is not None:
                boxes = intersect(boxes, fit.boxes)
        for m in self.matches:
            if m.boxes is not None:
                boxes = intersect(boxes, m.boxes)
        return boxes

    def valid_inputs_text(self) -> str | None:
        """``I = 32..35``, ``I = 67 and up``: the valid inputs in a few words (None: unknown)."""
        boxes = self.valid_inputs
        if boxes is None:
            return None
        return boxes_text(boxes, self.symbols) + self._where()

    @property
    def last_map(self) -> LayerAnalysis | None:
        maps = [la for la in self.layers if not la.output.is_vector and not la.record.training]
        return maps[-1] if maps else None

    @property
    def receptive_field_layer(self) -> LayerAnalysis | None:
        """The last feature map with a receptive field of its own (global and adaptive
        pooling, whose windows grow with the input, see all of it)."""
        maps = [la for la in self.layers
                if not la.output.is_vector and la.receptive_field is not None and not la.record.training]
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
            raise SpecError(f"an input size is a whole number or a Shape, got {quote(shape)}", where="size",
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
        # floor goes to 0 or below, in exact rounding a division stops being whole, and a
        # layer's declared input size must be the one that reaches it.
        if self.stopped is not None and not self.min_inputs:
            raise SolveError(self.stopped.text(), where=self.network, rule="time budget")
        for s, v in values.items():
            if v.is_Integer and self.min_inputs[s].is_Integer:
                self._check_smallest_and_exact(s, v)
        for m in self.matches:
            v = values.get(m.symbol) if m.symbol is not None else None
            if v is not None and v.is_Integer and not self._inside(m, v):
                raise ShapeError(self.unequal(m, v), where=m.layer, rule="equal sizes")
        if all(v.is_Integer for v in values.values()):
            for fit in self.fits:
                derived = fit.derived.xreplace(dict(values))
                if derived.is_number and derived != fit.declared:
                    raise ShapeError(self.mismatch(fit, derived), where=fit.layer, rule=Rule.DECLARED_SIZE)

    def _check_smallest_and_exact(self, s: Symbol, v: Basic) -> None:
        if v < self.min_inputs[s]:
            raise ShapeError(
                f"input {s} = {v} is below the smallest input {self.min_inputs[s]} "
                f"for which every layer's output is at least 1{self._where()}", where=self.network,
                rule="smallest input")
        if self.exact_inputs is not None and int(v) not in self.exact_inputs[s]:
            raise RoundingError(
                f"input {s} = {v} makes a division not whole; exact rounding needs {s} "
                f"{self.exact_inputs[s]}: choose rounding floor or ceil", where=self.network,
                rule=Rule.EXACT_DIVISION)

    def _inside(self, m: Match, v: Basic) -> bool:
        """Whether input ``v`` of ``m``'s symbol gives the merge's inputs equal sizes."""
        assert m.symbol is not None
        column = self.symbols.index(m.symbol)
        return (m.congruence is None or int(v) in m.congruence) and (m.boxes is None or any(
            lo <= v and (hi is None or v <= hi) for lo, hi in (box[column] for box in m.boxes)))

    def unequal(self, m: Match, value: Basic) -> str:
        """The message of an input at which a merge's inputs differ: both sizes, and the inputs where
        they do not."""
        assert m.symbol is not None
        a, b = m.equal.inputs
        at = {m.symbol: value}
        sizes = f"{m.equal.axis} = {text(m.equal.sizes[0].xreplace(at))} and {text(m.equal.sizes[1].xreplace(at))}"
        where = (f"{m.symbol} {m.congruence}" if m.congruence is not None
                 else boxes_text(m.boxes or (), self.symbols))
        return (f"input {m.symbol} = {value} gives inputs {a!r} and {b!r} different sizes ({sizes}); "
                f"they are equal for {where}")

    def mismatch(self, fit: Fit, derived: Basic) -> str:
        """The message of a declared size that does not fit: both sizes, and the inputs that would."""
        what = "channels" if fit.field == "in_channels" else "length"
        return (f"declares {fit.field} = {text(fit.declared)}, but its input has {what} {text(derived)}"
                f"{self.fitting_text(fit)}")

    def fitting_text(self, fit: Fit, near: tuple[Basic, ...] = ()) -> str:
        """``; the input sizes that fit: H x W = 32..35 x 32..35`` (empty where unknown); the
        four nearest ``near`` (the sizes given, one per symbol) first where there are more."""
        if fit.boxes is None:
            return ""
        boxes = fit.boxes
        valid = self.valid_inputs
        if valid is not None:
            boxes = intersect(valid, boxes)
        if not boxes:
            return "; no input size fits"
        if near and len(boxes) > 4:
            boxes = tuple(sorted(boxes, key=lambda box: sum(_distance(int(v), span) for v, span in zip(near, box))))
        shown = boxes_text(boxes[:4], self.symbols)
        more = f" (and {len(boxes) - 4} more)" if len(boxes) > 4 else ""
        return f"; the input sizes that fit: {shown}{more}{self._where()}"

    def at(self, expr: Basic, size: int | Shape | Basic | None = None) -> Any:
        """``expr`` at an input size: a whole number; a symbol, or None, leaves it as the closed
        form, a :class:`~symcnn.analysis.forms.ClosedForm` (printed as the command line writes it)."""
        if size is None or isinstance(size, Symbol):
            return closed(expr)
        return closed(expr.xreplace(self.values_at(size)))

    def compile(self, expr: Basic) -> Compiled:
        """A fast function of the input size(s) for ``expr``, in exact integer arithmetic.

        Called with one size it gives a whole number; :meth:`Compiled.many
        <symcnn.analysis.compile.Compiled.many>` evaluates an array of sizes at once (numpy
        where installed), exactly: 64-bit integers only where no value can overflow them.
        Unlike :meth:`at`, it does not check the sizes (see :meth:`evaluate`).

        >>> from symcnn import load
        >>> a = analyse(load("alexnet"), "floor")
        >>> f = a.compile(a.params)
        >>> list(map(f, (227, 259)))
        [62378344, 76009832]
        """
        return compile_expr(expr, self.symbols)

    def evaluate(self, expr: Basic, *sizes: Any) -> Any:
        """``expr`` at every input size of ``sizes`` (one array-like per symbol: ``a.evaluate(a.macs,
        range(67, 1000))``), exactly, as :meth:`compile` does; each size is checked as :meth:`at`
        checks one (the first size ``derive()`` would refuse raises its error).

        >>> from symcnn import load
        >>> a = analyse(load("alexnet"), "floor")
        >>> list(map(int, a.evaluate(a["pool3"].output.spatial[0], [67, 99, 227, 259])))
        [1, 2, 6, 7]
        """
        if len(sizes) != len(self.symbols):
            raise SpecError(f"give one array of sizes per symbol ({', '.join(s.name for s in self.symbols)})",
                            where="sizes", rule="input size")
        try:
            import numpy as np
        except ImportError:
            columns = [list(s) for s in sizes]
            self._check_many(columns)
            return self.compile(expr).many(*columns)
        arrays = self._arrays(np, sizes)
        self._check_arrays(np, arrays)
        return self.compile(expr).many(*arrays)

    def _arrays(self, np: Any, sizes: tuple[Any, ...]) -> list[Any]:
        """The sizes as numpy arrays of whole numbers (int64, or Python integers past its range),
        broadcast against each other; anything else is refused."""
        arrays = []
        for s, column in zip(self.symbols, sizes):
            a = np.asarray(column if hasattr(column, "__len__") or hasattr(column, "__array__") else list(column))
            if a.dtype.kind == "O":
                values = a.ravel().tolist()
                if all(not isinstance(v, bool) and hasattr(v, "__index__") for v in values):
                    a = np.array([int(v) for v in values], dtype=object).reshape(a.shape)
            if a.dtype.kind not in "iuO" or (a.dtype.kind == "O" and not all(type(v) is int for v in a.ravel())):
                raise SpecError(f"input sizes are whole numbers; {s} has {a.ravel()[:3].tolist()!r:.60}",
                                where="sizes", rule="input size")
            arrays.append(a)
        return list(np.broadcast_arrays(*arrays)) if len(arrays) > 1 else arrays

    def _check_arrays(self, np: Any, arrays: list[Any]) -> None:
        """:meth:`_check_many` over arrays at once: each rule one pass over the sizes; the first
        size a rule refuses is checked alone, for its error."""
        if any(a.size == 0 for a in arrays):
            return
        for s, a in zip(self.symbols, arrays):
            low = self.min_inputs.get(s)
            if low is not None and low.is_Integer and a.min() < low:
                self._check_valid({s: Integer(int(a.min()))})
            cong = self.congruences[s]
            if cong.modulus > 1:
                bad = ~np.isin(a % cong.modulus, list(cong.residues))
                if bad.any():
                    self._check_valid({s: Integer(int(a[bad].ravel()[0]))})
        if not (self.fits or any(m.boxes is not None for m in self.matches)):
            return
        boxes = self.valid_inputs
        if boxes is None:
            self._check_many([a.ravel().tolist() for a in arrays])
            return
        inside = np.zeros(arrays[0].shape, dtype=bool)
        for box in boxes:
            within = np.ones(arrays[0].shape, dtype=bool)
            for a, (lo, hi) in zip(arrays, box):
                within &= (a >= lo) if hi is None else (a >= lo) & (a <= hi)
            inside |= within
        if not inside.all():
            at = np.flatnonzero(~inside.ravel())[0]
            self._check_valid({s: Integer(int(a.ravel()[at])) for s, a in zip(self.symbols, arrays)})

    def _check_many(self, columns: list[list[Any]]) -> None:
        """Each size checked as :meth:`at` checks one (lists: without numpy)."""
        for s, column in zip(self.symbols, columns):
            self._check_column(s, column)
        if self.fits or any(m.boxes is not None for m in self.matches):
            # every size inside one of the valid boxes (the first outside gives the error)
            boxes = self.valid_inputs
            for values in zip(*columns):
                if boxes is None or not any(all(lo <= v and (hi is None or v <= hi) for v, (lo, hi) in zip(values, box))
                                            for box in boxes):
                    self._check_valid({s: Integer(int(v)) for s, v in zip(self.symbols, values)})

    def _check_column(self, s: Symbol, column: list[Any]) -> None:
        """The sizes of one symbol: whole numbers, none below the smallest input, each of the residues."""
        if any(isinstance(v, bool) or not isinstance(v, int) and not hasattr(v, "__index__") for v in column):
            raise SpecError(f"input sizes are whole numbers; {s} has {column!r:.60}", where="sizes",
                            rule="input size")
        low = self.min_inputs.get(s)
        if column and low is not None and low.is_Integer and min(column) < low:
            self._check_valid({s: Integer(int(min(column)))})
        cong = self.congruences[s]
        if cong.modulus > 1:
            for v in column:
                if int(v) not in cong:
                    self._check_valid({s: Integer(int(v))})

    def params_of(self, layer: str | None = None, size: int | Shape | Basic | None = None) -> Any:
        """The parameters of ``layer`` (default: the whole network) in the input size, or at ``size``.

        >>> from symcnn import analyse, load
        >>> analyse(load("alexnet"), "floor").params_of("fc1")
        1048576*floor((I - 35)/32)**2 + 4096
        """
        return self.at(self[layer].params if layer else self.params, size)

    def macs_of(self, layer: str | None = None, size: int | Shape | Basic | None = None) -> Any:
        """The MACs of ``layer`` (default: the whole network) in the input size, or at ``size``.

        >>> from symcnn import analyse, load
        >>> analyse(load("alexnet")).macs_of("conv1", 227)
        105415200
        """
        return self.at(self[layer].macs if layer else self.macs, size)

    def output_size(self, size: int | Shape | Basic | None = None, layer: str | None = None) -> Any:
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
        acts = value_at(self.activations, at)
        return {"params": value_at(self.params, at), "macs": value_at(self.macs, at), "activations": acts,
                "activation_bytes": BYTES_PER_ELEMENT * acts}

    # -- inverse questions ----------------------------------------------------------------

    def inputs_for(self, layer: str, size: int, symbol: Symbol = I) -> Any:
        """The inputs (at least the smallest valid one) that give ``layer`` an output ``size``.

        For a feature map, ``size`` is the width along ``symbol``'s axis and the answer a
        ``Range`` of that symbol. For a vector (a flatten's output) it is the length, and
        for a layer whose output length does not depend on the input (a Linear) the length
        of its input, its ``in_features``: a ``Range`` of I, or with H and W the boxes of
        ``(Range of H, Range of W)`` that give it.

        >>> from symcnn import load
        >>> a = analyse(load("lenet5"), "floor")
        >>> a.inputs_for("flatten", 120), a.inputs_for("classifier.0", 120)
        (Range(32, 36, 1), Range(32, 36, 1))
        """
        la = self[layer]
        if la.output.is_vector:
            return self._inputs_for_length(la, size)
        axis = self.symbols.index(symbol) if symbol in self.symbols else -1
        if axis < 0:
            raise SolveError(f"{layer}'s output {la.output} has no spatial size in {symbol}", where=layer,
                             rule="feature map")
        expr = la.output.spatial[axis]
        lowest = self.min_inputs[symbol]
        if not lowest.is_Integer:
            raise SolveError(f"the smallest input is {lowest}, not a number", where=layer, rule="numeric input")
        low = int(smallest_input(expr, symbol, Integer(size), layer, int(lowest)))
        high = int(smallest_input(expr, symbol, Integer(size) + 1, layer, int(lowest)))
        return self._range(symbol, low, high)

    def _range(self, symbol: Symbol, low: int, high: int | None) -> Any:
        """The valid inputs ``low <= x < high``: a ``Range`` (a ``FiniteSet`` where exact
        rounding allows several residues). ``high`` None (no end) is refused."""
        if high is None:
            raise SolveError(f"every {symbol} from {low} up gives it", rule="bounded answer")
        cong = self.congruences[symbol]
        if len(cong.residues) > 1:
            return FiniteSet(*(x for x in range(low, high) if x in cong))
        low = cong.next(low)
        return Range(low, max(low, high), cong.modulus)

    def _inputs_for_length(self, la: LayerAnalysis, size: int) -> Any:
        expr = la.output.numel
        if not expr.free_symbols & set(self.symbols):
            expr = la.record.inputs[0].numel if la.record.inputs else expr
        if not expr.free_symbols & set(self.symbols):
            raise SolveError(f"{la.name}'s output length {text(la.output.numel)} does not depend on the input size",
                             where=la.name, rule="depends on the input")
        boxes = solve_equal(expr, Integer(size), self.symbols, self.min_inputs)
        if boxes is None:
            raise SolveError(f"cannot solve {text(expr)} = {size} for {', '.join(map(str, self.symbols))}",
                             where=la.name, rule="closed form")
        if self.valid_inputs is not None:
            boxes = intersect(self.valid_inputs, boxes)
        ranges = [tuple(self._range(s, lo, None if hi is None else hi + 1) for s, (lo, hi) in zip(self.symbols, box))
                  for box in boxes]
        if self.symbols == (I,):
            return ranges[0][0] if ranges else Range(0)
        return tuple(ranges)

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
            "macs_convention": self.macs_convention,
            "receptive_field": self.receptive_field.to_json() if self.receptive_field else None,
        }
        for section in _JSON_SECTIONS:
            data.update(section(self, data))
        if self.stops_at:  # the totals of part of a network, apart from the network's own
            data["up_to"] = {"layer": self.stops_at, **{k: data.pop(k) for k in _PART_TOTALS if k in data}}
        return data

    def _square_or_hw(self) -> bool:
        return self.symbols != (I,) or self.input.spatial[0] == self.input.spatial[-1]


def _json_stopped(a: Analysis, data: dict) -> dict:
    if a.stopped is None:
        return {}
    if a.stopped.stage == "closed forms":  # the totals of part of a network are no totals
        for key in ("params", "macs", "activations"):
            del data[key]
    return {"stopped": a.stopped.to_json()}


def _json_inputs(a: Analysis, data: dict) -> dict:
    part: dict[str, Any] = {}
    if a.min_inputs:
        part["min_input"] = _json_value(a.min_input)
    if a.valid_inputs is not None and (a.fits or a.matches):
        part["valid_inputs"] = [[list(span) for span in box] for box in a.valid_inputs]
    return part


def _json_matches(a: Analysis, data: dict) -> dict:
    if not a.matches:
        return {}
    part: dict[str, Any] = {"equal_sizes": [_match_json(m) for m in a.matches]}
    valid = {s.name: c.to_json() for s, c in a.congruences.items() if c.modulus > 1}
    return {**part, "valid_residues": valid} if valid else part


def _json_fits(a: Analysis, data: dict) -> dict:
    if not a.fits:
        return {}
    return {"declared": [{"layer": f.layer, "field": f.field, "declared": number(f.declared),
                          "derived": str(f.derived),
                          "fits": None if f.boxes is None else [[list(span) for span in box] for box in f.boxes]}
                         for f in a.fits]}


def _json_said(a: Analysis, data: dict) -> dict:
    part: dict[str, Any] = {}
    if a.conditions:
        part["conditions"] = list(a.conditions)
    if a.stops_at:
        part["stops_at"] = a.stops_at
    if getattr(a.derivation.network, "notes", ()):
        part["notes"] = list(a.derivation.network.notes)
    return part


def _json_exact(a: Analysis, data: dict) -> dict:
    part: dict[str, Any] = {}
    if a.exact_inputs is not None:
        cong = {s.name: c.to_json() for s, c in a.exact_inputs.items()}
        part["exact_inputs"] = cong["I"] if a.symbols == (I,) else cong
    if a.totals_at_input is not None and "params" in data:
        part["at_input"] = {k: number(v) for k, v in a.totals_at_input.items()}
    return part


#: :meth:`Analysis.to_json` past its first keys: each section the keys it adds (in this order)
_JSON_SECTIONS = (_json_stopped, _json_inputs, _json_matches, _json_fits, _json_said, _json_exact)

#: what an analysis that stops at an opaque layer gives of the layers before it only (``to_json``'s ``up_to``)
_PART_TOTALS = ("params", "macs", "activations", "at_input", "min_input", "valid_inputs")


def analyse(network: Network, rounding: str | None = None, symbolic: str = "I",
            budget: float | None = None) -> Analysis:
    """Derive ``network`` with a symbolic input and collect its closed forms.

    ``symbolic`` is ``"I"`` (a square I x I input) or ``"HW"`` (H x W). ``budget`` is the
    number of seconds the analysis may take (default :func:`~symcnn.analysis.budget.default_budget`,
    20): past it the :class:`Analysis` holds the layers derived so far and says in
    :attr:`~Analysis.stopped` which one had no closed form in time.
    """
    if not isinstance(network, Network):
        raise SpecError(f"analyse takes a Network, got {quote(network)}: for a built-in name or a spec file, "
                        "analyse(symcnn.load(...))", where="analyse", rule="a network")
    rounding = check_rounding(rounding or network.rounding, where="rounding")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, (int, float))
                               or not 0 < budget < 1e9):
        raise SpecError(f"a time budget is a positive number of seconds below 10^9, got {quote(budget)}",
                        where="budget", rule="budget")
    key = (network, rounding, symbolic)
    seconds = float(budget or default_budget())
    for known in (_DONE.get(key), _PARTIAL.get((*key, seconds))):
        if known is not None:
            return known
    a = _analyse(network, rounding, symbolic, seconds)
    # a complete analysis holds for any budget; a partial one for the same budget only (a
    # report renders its closed forms once per format and language)
    kept: dict[Any, Analysis] = _DONE if a.complete else _PARTIAL
    if len(kept) >= 64:
        kept.pop(next(iter(kept)))
    kept[key if a.complete else (*key, seconds)] = a
    return a


_DONE: dict[Any, Analysis] = {}  # (network, rounding, symbolic)
_PARTIAL: dict[Any, Analysis] = {}  # (network, rounding, symbolic, budget)


def clear_cache() -> None:
    """Forget every analysis made (the next :func:`analyse` of a network derives it again)."""
    _DONE.clear()
    _PARTIAL.clear()


def _analyse(network: Network, rounding: str, symbolic: str, budget: float) -> Analysis:
    opaque = next((i for i, layer in enumerate(network.layers) if layer.type == "opaque"), None)
    if opaque is not None:
        return _before_opaque(network, opaque, rounding, symbolic, budget)
    symbols = _symbols(symbolic, network.input)
    spatial = symbols * 2 if symbols == (I,) else symbols
    shape = Shape(spatial, network.input.channels)
    done: list[LayerDerivation] = []
    at = [""]  # the layer a later stage is working on
    stage = "closed forms"
    # the alarm may ring before the block starts (a budget of a microsecond): caught here too
    try:
        with deadline(budget) as clock:
            derivation = network.derive(shape, rounding, simplify=_Collapse(done, clock))
            stage = "valid inputs"
            fields = receptive_fields(network, derivation)

            def tick(name: str) -> None:
                at[0] = name
                clock.check()

            found = _valid_inputs(network, derivation, symbols, rounding, tick)
    except OutOfTime:
        short = len(done) < len(network.layers)
        where = network.layers[len(done)].name if short else (at[0] or network.layers[-1].name)
        partial = NetworkDerivation(network.name, shape, rounding, tuple(done), network)
        known = receptive_fields(network, partial)
        return Analysis(
            network.name, rounding, symbols, network.input, partial,
            tuple(LayerAnalysis(d, known.get(d.name)) for d in done), {}, None,
            stopped=Stopped(where, budget, "closed forms" if short else stage),
        )
    lowest, exact, merges, declared, assumed = found
    return Analysis(
        network.name, rounding, symbols, network.input, derivation,
        tuple(LayerAnalysis(d, fields[d.name]) for d in derivation.layers), lowest, exact, declared,
        _conditions(derivation, symbols, declared, merges) + tuple(dict.fromkeys(assumed)), matches=merges,
    )


def _before_opaque(network: Network, opaque: int, rounding: str, symbolic: str, budget: float) -> Analysis:
    """An opaque layer has PyTorch's (or ONNX's) shape at the import size only: the closed forms stop
    before it."""
    name = network.layers[opaque].name
    if opaque == 0:
        raise SolveError(f"the first layer, {name}, is opaque (not derived): no closed forms",
                         where=network.name, rule="closed forms stop at an opaque layer")
    prefix = Network(network.name, network.input, network.layers[:opaque], network.rounding, notes=network.notes)
    return replace(_analyse(prefix, rounding, symbolic, budget), stops_at=name)


class _Collapse:
    """The engine's ``simplify``: each layer's record collapsed (a repeated layer, derived once by the
    engine, collapses once too), kept in ``done``, the clock checked."""

    def __init__(self, done: list[LayerDerivation], clock: Any):
        self.done, self.clock = done, clock
        self.collapsed: dict[tuple, LayerDerivation] = {}

    def __call__(self, d: LayerDerivation) -> LayerDerivation:
        key = (d.type, d.rounding, d.inputs, d.output, d.weights, d.biases, d.macs)
        c = self.collapsed.get(key)
        if c is None:
            c = self.collapsed[key] = collapse_record(d)
        d = c if c.layer is d.layer else d.replaced(output=c.output, weights=c.weights, biases=c.biases, macs=c.macs)
        self.done.append(d)
        self.clock.check()
        return d


def _valid_inputs(network: Network, derivation: NetworkDerivation, symbols: tuple[Symbol, ...], rounding: str,
                  tick: Callable[[str], None]) -> tuple:
    """Within the time bound: the residues of exact rounding, the smallest input, the merges' and the
    declared sizes' conditions, and what the residues assumed."""
    assumed: list[str] = []
    exact = exact_inputs(derivation, symbols, tick, assumed) if rounding == "exact" else None
    if rounding == "exact" and exact is None:
        raise SolveError("no input size makes every division whole; choose floor or ceil rounding",
                         where=network.name, rule=Rule.EXACT_DIVISION)
    lowest = min_inputs(network, derivation, symbols, exact, tick)
    merges = matches(derivation, symbols, lowest, tick)
    lowest = _first_valid(network.name, lowest, exact, merges)
    return lowest, exact, merges, fits(derivation, symbols, lowest, tick), assumed


def _first_valid(network: str, lowest: dict[Symbol, Basic], exact: Mapping[Symbol, Congruence] | None,
                 merges: tuple[Match, ...]) -> dict[Symbol, Basic]:
    """The smallest inputs moved up to the first that meets every merge's residues (exact
    rounding's are met already); no input meeting them all is an error."""
    lowest = dict(lowest)
    for x in lowest:
        cong = (exact or {}).get(x, Congruence(0, 1))
        for m in merges:
            if m.symbol == x and m.congruence is not None:
                both = combine(cong, m.congruence)
                if both is None:
                    rule = Rule.EXACT_DIVISION if exact is not None else "equal sizes"
                    raise ShapeError(f"no input size {x} meets every condition: {m.text((x,))}, but "
                                     f"{'exact rounding needs' if exact is not None else 'others need'} {x} {cong}",
                                     where=network, rule=rule)
                cong = both
        if lowest[x].is_Integer and cong.modulus > 1:
            lowest[x] = Integer(cong.next(int(lowest[x])))
    return lowest


def _match_json(m: Match) -> dict:
    data: dict[str, Any] = {"layer": m.layer, "axis": m.equal.axis, "inputs": list(m.equal.inputs),
                            "sizes": [str(v) for v in m.equal.sizes]}
    if m.congruence is not None:
        data["holds"] = {"symbol": str(m.symbol), **m.congruence.to_json()}
    elif m.boxes is not None:
        data["holds"] = {"boxes": [[list(span) for span in box] for box in m.boxes]}
    else:
        data["holds"] = None
    return data


def explain(error: E) -> E:
    """``error`` with the input sizes that would fit added, where it is a declared size or a merge
    that does not fit a numeric input (its ``detail`` the engine's :class:`~symcnn.network.Mismatch`),
    from the analysis in H and W; ``error`` as it is otherwise, or where the analysis cannot say.

    The engine raises such an error at once (it runs no analysis); the command line, and
    anyone who wants the sizes that fit, call this on it.

    >>> from symcnn import Network, Conv2d, MaxPool2d, Flatten, Linear
    >>> net = Network("lenet", "32x32x1", [Conv2d("c1", channels=16, kernel=5), MaxPool2d("p1", kernel=4),
    ...                                    Flatten("flat"), Linear("fc", features=10, in_features=784)])
    >>> try:
    ...     net.derive((36, 36, 1), "floor")
    ... except ShapeError as e:
    ...     for part in str(explain(e)).split("; "):
    ...         print(part)
    fc (input 1024): declares in_features = 784, but its input has length 1,024
    the input sizes that fit: H x W = 8..11 x 200..203 or 32..35 x 32..35 or 200..203 x 8..11
    """
    mismatch = error.detail
    if not isinstance(mismatch, Mismatch):
        return error
    found = _what_fits(mismatch)
    return type(error)(error.message + found, where=error.where, rule=error.rule) if found else error


def _what_fits(mismatch: Mismatch) -> str:
    """What to add to a mismatch's message: where the merge's sizes are equal, or the input sizes that fit."""
    network, shape, error = mismatch.network, mismatch.shape, mismatch.error
    if network.input.rank != 2 or shape.rank != 2:
        return ""
    if shape.channels != network.input.channels:  # the sizes that fit an input of these channels
        network = replace(network, input=shape)
    try:  # an error message is worth a few seconds, not the whole budget
        a = analyse(network, mismatch.rounding, "HW", budget=min(default_budget(), 5.0))
    except SymcnnError:
        return ""
    where = error.where or ""
    conditions = [m for m in a.matches if m.solved and (where == m.layer or where.startswith(m.layer + " ("))]
    if conditions:
        return "; they are equal for " + ", ".join(f"{m.symbol} {m.congruence}" if m.congruence is not None
                                                   else boxes_text(m.boxes or (), a.symbols) for m in conditions)
    for fit in a.fits:
        if where == fit.layer or where.startswith(fit.layer + " ("):
            return a.fitting_text(fit, shape.spatial)
    return ""


def _distance(v: int, span: Span) -> int:
    low, high = span
    return low - v if v < low else 0 if high is None or v <= high else v - high


def _conditions(derivation: NetworkDerivation, symbols: tuple[Symbol, ...],
                declared: tuple[Fit, ...], merges: tuple[Match, ...] = ()) -> tuple[str, ...]:
    """What the closed forms assume of symbols other than the input's (and of the input where
    the analysis cannot solve it), in words."""
    found = [m.text(symbols) for m in merges if not m.solved]
    for fit in declared:
        if fit.boxes is None:
            found.append(f"{fit.layer} declares {fit.field} {text(fit.declared)}: "
                         f"{display(fit.derived)} = {text(fit.declared)}")
    for d in derivation.layers:
        for decl in d.declared:
            if not decl.derived.free_symbols & set(symbols) and decl.derived != decl.declared:
                found.append(f"{d.name} declares {decl.field} {text(decl.declared)}: "
                             f"{display(decl.derived)} = {text(decl.declared)}")
    return tuple(dict.fromkeys(found))


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value if isinstance(value, int) else str(value)


def _symbols(symbolic: str, input: Shape) -> tuple[Symbol, ...]:
    if input.rank != 2:
        raise SpecError(f"closed forms need a 2-d input (HxWxC), got {input}", where="symbolic", rule="2-d input")
    if symbolic == "I":
        return (I,)
    if symbolic == "HW":
        return (H, W)
    raise SpecError(f"symbolic must be I or HW, got {quote(symbolic)}", where="symbolic", rule="I or HW")


__all__ = [
    "Analysis", "LayerAnalysis", "Stopped", "analyse", "explain", "MACS_CONVENTION", "BYTES_PER_ELEMENT",
]
