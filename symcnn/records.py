"""Derivations as data: what was computed, from which formula, with which values.

A :class:`Step` is one equation of the worked derivation (``O = (I - K + 2P)/S + 1 =
(227 - 11 + 2*0)/4 + 1 = 55``). A :class:`LayerDerivation` holds one layer's steps and
results; a :class:`NetworkDerivation` holds every layer's and the totals of every kind.
Reports, the checkers and the closed forms read these records; nothing downstream
recomputes them, and each step says what it counts, so no view infers it.

The records are plain data: they import nothing but the vocabulary. How they show in a
notebook is the views' (:mod:`symcnn.views.notebook`, registered with IPython's formatters
by the package's facade).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Protocol

from sympy import Add, Basic, Integer, Symbol

from .errors import SymcnnError, UnknownNameError, did_you_mean, quote
from .printing import display, text, thousands
from .shape import Shape
from .table import counted, short, summary_text


def add_up(values: Iterable[Basic]) -> Basic:
    """The sum of ``values``, each distinct value counted once and multiplied by its count:
    a deep network repeats a few sizes and counts thousands of times, and sympy's ``Add``
    compares every term with the others (the sum is the same ``Add`` either way).

    >>> from symcnn.symbols import I
    >>> add_up([I, 2 * I, I, Integer(3)])
    4*I + 3
    """
    # the same object first (repeated layers share their values), then equal ones: sympy
    # hashes whole numbers modulo 2**61 - 1, and a deep network's distinct sizes collide
    same: dict[int, list] = {}
    for v in values:
        same.setdefault(id(v), [v, 0])[1] += 1
    counts: Counter[Basic] = Counter()
    for v, n in same.values():
        counts[v] += n
    if all(v.is_Integer for v in counts):  # numbers add up without sympy's general Add
        return Integer(sum(int(v) * n for v, n in counts.items()))
    return Add(*(v if n == 1 else n * v for v, n in counts.items()))


#: What a step can count (the formulas say it for each part: :data:`symcnn.formulas.COUNTS`).
COUNT_KINDS = ("size", "length", "weights", "biases", "params", "buffers")


class Described(Protocol):
    """What a record needs of a layer: its name and its type."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...


@dataclass(frozen=True)
class Step:
    """One equation of a derivation: ``symbol = general = substituted = value``.

    ``counts`` says what the value is (``size``, ``length``, ``weights``, ``biases``,
    ``params`` or ``buffers``). ``rounding`` is the mode applied to this step's division
    (``None`` where there is none); ``unrounded`` is the exact quotient that floor or ceil
    rounded, where they changed it (``213/4`` for ``floor(213/4) = 53``); ``overhang``
    says the last pooling window may reach past the padded input (ceil mode).
    """

    symbol: Symbol
    formula: str
    general: Basic
    substituted: Basic
    value: Basic
    values: Mapping[Symbol, Basic] = field(default_factory=dict)
    axis: str | None = None
    rounding: str | None = None
    unrounded: Basic | None = None
    counts: str = "size"
    overhang: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.value.is_Number is True

    def chain(self) -> list[Basic]:
        """The distinct sides, in order: general, substituted, value (repeats dropped)."""
        sides: list[Basic] = [self.general]
        for side in (self.substituted, self.value):
            if text(side) != text(sides[-1]):
                sides.append(side)
        return sides

    def lhs_text(self) -> str:
        return f"{text(self.symbol)}[{self.axis}]" if self.axis else text(self.symbol)

    def text(self) -> str:
        return " = ".join([self.lhs_text(), *(text(s) for s in self.chain())])

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return short(f"<Step {self.text()}>")


@dataclass(frozen=True)
class Declared:
    """A size a layer declares for its input (a Linear's ``in_features``, a conv's
    ``in_channels``) and the size that reaches it: they must be equal. With a symbolic
    input, ``derived`` is a formula, and the declaration a condition on the input size."""

    field: str
    declared: Basic
    derived: Basic


@dataclass(frozen=True)
class Equal:
    """Two sizes a merge needs equal (a concatenation's inputs' spatial sizes, an addition's
    shapes): ``sizes`` of the inputs named ``inputs`` along ``axis`` (H, W, ... or C). With a
    symbolic input they may be equal for some input sizes only (``I`` and ``2*floor(I/2 + 1/2)``
    for even I): the requirement is then a condition on the input."""

    axis: str
    inputs: tuple[str, str]
    sizes: tuple[Basic, Basic]
    #: what the layer says where they differ ("differ in spatial size; concatenation needs equal sizes")
    what: str = "differ in size"


@dataclass(frozen=True)
class LayerDerivation:
    """Everything derived for one layer: its steps, output shape and counts."""

    layer: Described
    inputs: tuple[Shape, ...]
    output: Shape
    steps: tuple[Step, ...] = ()
    weights: Basic = Integer(0)
    biases: Basic = Integer(0)
    rounding: str = "exact"
    #: multiply-accumulates: weight multiplications only (no bias adds, no pooling)
    macs: Basic = Integer(0)
    #: values a layer keeps that are not parameters (batch norm's running statistics)
    buffers: Basic = Integer(0)
    #: what the layer declares about its input, with what reached it
    declared: tuple[Declared, ...] = ()
    #: sizes of its inputs a merge needs equal that are equal for some input sizes only
    equal: tuple[Equal, ...] = ()
    #: the earlier layer whose parameters this one uses (counted there, so 0 here)
    shares: str = ""
    #: ``weights`` or ``biases`` where only that part of ``shares``'s parameters is used
    shares_only: str = ""
    #: why a training-only layer was not derived at this input (it keeps the counts it has at the
    #: network's own input, or at a larger one where its branch fits)
    skipped: str = ""

    @property
    def derived(self) -> bool:
        """False for an opaque layer: its output is PyTorch's (or ONNX's) shape at the import size."""
        return self.layer.type != "opaque"

    @property
    def training(self) -> bool:
        """Whether the layer runs only in training (an auxiliary head)."""
        return bool(getattr(self.layer, "training", False))

    @property
    def note(self) -> str:
        """What a reader must know beside the numbers: opaque, shared, training-only (for text views)."""
        notes = []
        if not self.derived:
            notes.append(f"opaque: {getattr(self.layer, 'op', '?')}, not derived (the shape at the import size)")
        if self.shares:
            what = f"the {self.shares_only}" if self.shares_only else "the parameters"
            notes.append(f"shares {what} of {self.shares} (counted there)")
        if self.training:
            notes.append("training only" + (f", not run at this input: {self.skipped}" if self.skipped else ""))
        return "; ".join(notes)

    @property
    def name(self) -> str:
        return self.layer.name

    @property
    def type(self) -> str:
        return self.layer.type

    def of(self, layer: Described) -> LayerDerivation:
        """The same record for ``layer``, a layer of the same kind and fields (a repeated block's).

        Built without ``dataclasses.replace`` (which runs ``__init__`` again): a deep network
        asks for hundreds of these.
        """
        if layer is self.layer:
            return self
        twin = object.__new__(LayerDerivation)
        twin.__dict__.update(self.__dict__)
        twin.__dict__["layer"] = layer
        return twin

    def replaced(self, **changes: Any) -> LayerDerivation:
        """``dataclasses.replace(self, **changes)``, without running ``__init__`` again (a record
        checks nothing of its own, and a deep network's analysis makes one for every layer)."""
        unknown = changes.keys() - _RECORD_FIELDS
        if unknown:
            raise TypeError(f"LayerDerivation has no field {sorted(unknown)[0]!r}")
        twin = object.__new__(LayerDerivation)
        twin.__dict__.update(self.__dict__)
        twin.__dict__.update(changes)
        return twin

    @property
    def params(self) -> Basic:
        return self.weights + self.biases

    @property
    def input(self) -> Shape:
        return self.inputs[0]

    @property
    def activations(self) -> Basic:
        """Elements of the output tensor."""
        return self.output.numel

    @property
    def formulas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.formula for s in self.steps))

    def steps_counting(self, what: str) -> tuple[Step, ...]:
        """The steps whose value is ``what`` (one of :data:`COUNT_KINDS`)."""
        return tuple(s for s in self.steps if s.counts == what)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "output": self.output.to_json(),
            "weights": number(self.weights),
            "biases": number(self.biases),
            "params": number(self.params),
            **self._extra_json(),
        }

    def _extra_json(self) -> dict:
        """Keys only some layers have: groups, dilation, buffers (left out at their defaults)."""
        extra: dict[str, Any] = {}
        groups = getattr(self.layer, "groups", None)
        if isinstance(groups, Basic) and groups != 1:
            extra["groups"] = number(groups)
        dilation = getattr(self.layer, "dilation", None)
        if isinstance(dilation, tuple) and any(d != 1 for d in dilation):
            extra["dilation"] = [number(d) for d in dilation]
        if self.buffers != 0:
            extra["buffers"] = number(self.buffers)
        if not self.derived:
            extra["derived"] = False
            extra["op"] = getattr(self.layer, "op", "")
        if self.shares:
            extra["shares"] = self.shares
        if self.shares_only:
            extra["shares_only"] = self.shares_only
        if self.training:
            extra["training"] = True
        if self.skipped:
            extra["skipped"] = self.skipped
        return extra

    def text(self) -> str:
        head = f"{self.name} ({self.type}): {self.input} -> {self.output}"
        note = [f"  [{self.note}]"] if self.note else []
        return "\n".join([head, *note, *(f"  {s.text()}" for s in self.steps)])

    def __str__(self) -> str:
        """The worked steps."""
        return self.text()

    def __repr__(self) -> str:
        return short(f"<LayerDerivation {self.name} ({self.type}): {' + '.join(s.text() for s in self.inputs)} -> "
                     f"{self.output.text()}, {_count(self.params)} params>")


_RECORD_FIELDS = frozenset(f.name for f in fields(LayerDerivation))


def _count(value: Basic) -> str:
    return thousands(value) if value.is_Integer else display(value)


def plain(value: Basic | int) -> Basic | int:
    """A value as the Python API gives it: a plain ``int`` where it is a number, else the sympy
    expression (``f"{d.total_params:,}"`` works, and ``28*N`` stays a formula).

    >>> plain(Integer(62378344)), type(plain(Integer(3)))
    (62378344, <class 'int'>)
    """
    return int(value) if isinstance(value, Basic) and value.is_Integer else value


def number(value: Basic | int) -> int | str:
    """An int where the value is a number, else its sympy ``str`` (for JSON)."""
    if isinstance(value, int):
        return value
    return int(value) if value.is_Integer else str(value)


@dataclass(frozen=True)
class NetworkDerivation:
    """Every layer's derivation, in order, and the totals.

    ``network`` is the network it was derived from (a :class:`~symcnn.network.Network`),
    so that a view given a derivation can also ask for its closed forms.
    """

    name: str
    input: Shape
    rounding: str
    layers: tuple[LayerDerivation, ...]
    network: Any = field(default=None, compare=False, repr=False)

    def __getitem__(self, name: str) -> LayerDerivation:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownNameError(f"no layer named {quote(name)} in {self.name}{did_you_mean(name, self._by_name)}",
                                   rule="layer name") from None

    @cached_property
    def _by_name(self) -> dict[str, LayerDerivation]:
        return {layer.name: layer for layer in self.layers}

    @property
    def output(self) -> Shape:
        return self.layers[-1].output

    def total(self, what: str, type: str | None = None) -> Basic:
        """The sum of one count (``params``, ``weights``, ``macs``, ...) over every layer, or
        every layer of one ``type``, as a sympy value (the ``total_*`` properties give it as
        a plain ``int`` where it is a number). MACs and activations are those of eval: a
        training-only branch does not run."""
        layers = self.eval_layers if what in ("macs", "activations") else self.layers
        return add_up(getattr(d, what) for d in layers if type is None or d.type == type)

    @property
    def total_params(self) -> Basic | int:
        return plain(self.total("params"))

    @property
    def total_weights(self) -> Basic | int:
        return plain(self.total("weights"))

    @property
    def total_biases(self) -> Basic | int:
        return plain(self.total("biases"))

    @property
    def total_buffers(self) -> Basic | int:
        """Values kept that are not parameters (running statistics); not in ``total_params``."""
        return plain(self.total("buffers"))

    @property
    def eval_layers(self) -> tuple[LayerDerivation, ...]:
        """The layers that run in eval: all but the training-only ones."""
        return tuple(d for d in self.layers if not d.training)

    @property
    def total_macs(self) -> Basic | int:
        """In eval: a training-only branch does not run."""
        return plain(self.total("macs"))

    @property
    def total_activations(self) -> Basic | int:
        """Output elements of every layer that runs in eval."""
        return plain(self.total("activations"))

    @property
    def opaque(self) -> tuple[LayerDerivation, ...]:
        """The layers symcnn did not derive (opaque: PyTorch's or ONNX's shapes at the import size)."""
        return tuple(d for d in self.layers if not d.derived)

    @property
    def shared(self) -> tuple[tuple[str, str], ...]:
        """``(layer, owner)`` for every layer that uses an earlier layer's parameters."""
        return tuple((d.name, d.shares) for d in self.layers if d.shares)

    def of_type(self, type: str) -> tuple[LayerDerivation, ...]:
        return tuple(d for d in self.layers if d.type == type)

    def params_of(self, type: str) -> Basic | int:
        """The parameters of every layer of one type (``conv`` gives the article's 3,747,200)."""
        return plain(self.total("params", type))

    @property
    def type_totals(self) -> tuple[tuple[str, Basic | int], ...]:
        """``(type, params)`` for every layer type that holds parameters, in order of first use."""
        types = dict.fromkeys(d.type for d in self.layers)
        return tuple((t, self.params_of(t)) for t in types if self.params_of(t) != 0)

    def to_json(self) -> dict:
        return {
            "network": self.name,
            "input": self.input.to_json(),
            "rounding": self.rounding,
            "layers": [d.to_json() for d in self.layers],
            "total_params": number(self.total("params")),
            **({"total_buffers": number(self.total("buffers"))} if self.total_buffers != 0 else {}),
            **({"not_derived": [d.name for d in self.opaque]} if self.opaque else {}),
            **({"shared": [{"layer": a, "shares": b} for a, b in self.shared]} if self.shared else {}),
            **({"notes": list(self.network.notes)} if getattr(self.network, "notes", ()) else {}),
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """Every layer as a plain dict, one row of a table: ``name``, ``type``, ``output``
        (``"55x55x96"``), ``weights``, ``biases``, ``params`` and, where the network keeps
        any, ``buffers``; numbers are ints (a symbolic value is its ``str``).

        >>> from symcnn import load
        >>> load("alexnet").derive().to_rows()[0]
        {'name': 'conv1', 'type': 'conv', 'output': '55x55x96', 'weights': 34848, 'biases': 96, 'params': 34944}
        """
        keys = ("weights", "biases", "params") + (("buffers",) if self.total_buffers != 0 else ())
        return [{"name": d.name, "type": d.type, "output": "x".join(map(str, d.output.to_json())),
                 **{k: number(getattr(d, k)) for k in keys}} for d in self.layers]

    def to_pandas(self) -> Any:
        """:meth:`to_rows` as a pandas ``DataFrame`` (pandas is an optional extra: ``symcnn[pandas]``)."""
        try:
            import pandas
        except ImportError:
            raise SymcnnError("to_pandas() needs pandas: pip install 'symcnn[pandas]'", where="to_pandas",
                              rule="pandas installed") from None
        return pandas.DataFrame(self.to_rows())

    def __str__(self) -> str:
        """The summary table (what ``symcnn summary`` prints)."""
        return summary_text(self)

    def __repr__(self) -> str:
        return short(f"<NetworkDerivation {self.name} {self.input.text()}, {counted(len(self.layers), 'layer')}, "
                     f"{_count(self.total('params'))} params>")


__all__ = ["add_up", "Step", "LayerDerivation", "NetworkDerivation", "Declared", "Equal", "Described", "COUNT_KINDS",
           "number", "plain"]
