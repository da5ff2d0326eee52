"""A network: named layers in order, an input shape and a rounding mode.

Each layer reads the output of the layer before it, or of the layers named in its
``inputs``; ``derive()`` carries the shapes through and collects every layer's
derivation and the totals.

>>> from symcnn.layers import Conv2d, MaxPool2d
>>> net = Network("tiny", "32x32x3", [Conv2d(name="c", channels=8, kernel=3, padding=1),
...                                    MaxPool2d(name="p", kernel=2)])
>>> d = net.derive()
>>> str(d.output), d.total_params
('16x16x8', 224)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property, lru_cache
from itertools import islice
from typing import Any

from sympy import Integer

from . import attention as _attention  # noqa: F401 (registers the token and attention kinds with the others)
from .errors import FITTING_RULES, LayerError, ShapeError, SymcnnError, UnknownNameError, did_you_mean, quote
from .layers import Layer
from .limits import LAYERS
from .records import LayerDerivation, NetworkDerivation
from .rounding import check_rounding
from .shape import Shape, ShapeLike
from .table import counted, short

#: The name by which a layer reads the network's input.
INPUT = "input"


def sources(layers: tuple[Layer, ...] | list[Layer]) -> Iterator[tuple[Layer, tuple[str, ...]]]:
    """Each layer with the names of the layers it reads: its ``inputs``, or the layer before.

    The one place that says how a layer finds its inputs (the first layer reads ``INPUT``).
    """
    previous = INPUT
    for layer in layers:
        yield layer, layer.inputs or (previous,)
        previous = layer.name


@dataclass(frozen=True)
class Network:
    """A named network; ``layers`` is a sequence of :class:`~symcnn.layers.Layer` values.

    ``notes`` are what a reader of its numbers must know about where they came from (an ONNX
    file whose batch norms the exporter folded into the convolutions counts fewer parameters
    than the PyTorch model); the summary and the closed forms show them.
    """

    name: str
    input: Shape
    layers: tuple[Layer, ...]
    rounding: str = "exact"
    description: str = ""
    notes: tuple[str, ...] = ()

    def __init__(self, name: str, input: ShapeLike, layers: Sequence[Layer], rounding: str = "exact",
                 description: str = "", notes: Sequence[str] = ()):
        for key, value in (("name", name), ("input", input), ("layers", layers), ("rounding", rounding),
                           ("description", description), ("notes", notes)):
            object.__setattr__(self, key, value)
        self.__post_init__()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise LayerError(f"a network needs a non-empty name, got {quote(self.name)}", rule="network name")
        object.__setattr__(self, "input", Shape.of(self.input, field=f"{self.name}: input"))
        if isinstance(self.layers, (str, bytes)) or not hasattr(self.layers, "__iter__"):
            raise LayerError(f"layers must be a list of layers, got {quote(self.layers)}", where=self.name,
                             rule="layers")
        object.__setattr__(self, "layers", tuple(islice(self.layers, LAYERS.value + 1)))
        LAYERS.check(len(self.layers), f"a network of more than {LAYERS.value:,} layers", where=self.name)
        for i, layer in enumerate(self.layers, 1):
            if not isinstance(layer, Layer):
                raise LayerError(f"layer {i} is not a Layer, got {quote(layer)}", where=self.name, rule="layers")
        check_rounding(self.rounding, where=f"{self.name}: rounding")
        if isinstance(self.notes, str) or not all(isinstance(n, str) for n in self.notes):
            raise LayerError(f"notes must be a list of texts, got {self.notes!r}", where=self.name, rule="notes")
        object.__setattr__(self, "notes", tuple(self.notes))
        if not self.layers:
            raise LayerError("a network needs at least one layer", where=self.name, rule="layers")
        self._check_sources()

    def _check_sources(self) -> None:
        """Names used once; inputs, shared weights and training-only branches read earlier layers."""
        seen = {INPUT}
        by_name: dict[str, Layer] = {}
        for layer, names in sources(self.layers):
            where = f"{self.name}: {layer.name}"
            if layer.name in seen:
                raise LayerError(f"the name {quote(layer.name)} is used twice", where=where, rule="unique layer names")
            for source in layer.inputs:
                if source not in seen:
                    raise LayerError(
                        f"input {quote(source)} is not an earlier layer (nor {INPUT!r})",
                        where=where,
                        rule="inputs name earlier layers",
                    )
            if any(s in by_name and by_name[s].training and not layer.training for s in names):
                source = next(s for s in names if s in by_name and by_name[s].training)
                raise LayerError(
                    f"reads {source!r}, which runs only in training; mark this layer training too, or name "
                    "its input (from:) outside the training-only branch",
                    where=where, rule="training-only branches end the branch",
                )
            if layer.shares and layer.shares not in by_name:
                raise LayerError(f"shares {layer.shares!r}, which is not an earlier layer", where=where,
                                 rule="shares names an earlier layer")
            seen.add(layer.name)
            by_name[layer.name] = layer

    def derive(
        self,
        input: ShapeLike | None = None,
        rounding: str | None = None,
        *,
        simplify: Callable[[LayerDerivation], LayerDerivation] | None = None,
    ) -> NetworkDerivation:
        """Derive every layer for ``input`` (default: the network's) under ``rounding``.

        ``simplify`` rewrites each layer's record before the next layer reads its output
        (the closed forms use it to keep symbolic sizes collapsed layer by layer).
        """
        shape = self.input if input is None else Shape.of(input)
        rounding = check_rounding(rounding or self.rounding, where="rounding")
        try:
            return _derived(self, shape, rounding) if simplify is None else _derive(self, shape, rounding, simplify)
        except ShapeError as e:
            # A declared size that does not fit (a Linear's in_features), a merge of inputs of
            # different sizes: the error carries what the analysis needs to add the input sizes
            # that would fit, for a caller above the engine that asks (the command line does).
            if e.rule in FITTING_RULES and all(s.is_Integer for s in shape.spatial):
                e.detail = Mismatch(self, shape, rounding, e)
            raise

    @cached_property
    def signatures(self) -> tuple[Signature | None, ...]:
        """Each layer's :func:`signature`, worked out once per network."""
        return tuple(signature(layer) for layer in self.layers)

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # worked out once: a derivation and an analysis are kept by network, and a network of
        # 10,000 layers hashes every field of every layer
        return hash((self.name, self.input, self.layers, self.rounding, self.description, self.notes))

    def with_layer(self, name: str, **changes: Any) -> Network:
        """The same network with some fields of layer ``name`` changed: a number, or a symbol to
        see what depends on it (``net.with_layer("conv1", kernel=K).derive()``).

        >>> from symcnn import load, K
        >>> d = load("alexnet").with_layer("conv1", kernel=K, stride=1).derive()
        >>> d["conv1"].output, d.total_params == load("alexnet").derive().total_params
        (Shape((228 - K)x(228 - K)x96), False)
        """
        layer = self[name]
        known = [f.name for f in fields(layer) if f.init and f.name != "name"]
        for key in changes:
            if key not in known:
                raise LayerError(f"{type(layer).__name__} has no field {quote(key)}{did_you_mean(key, known)}; "
                                 f"fields: {', '.join(known)}", where=name, rule="field name")
        return replace(self, layers=tuple(replace(x, **changes) if x is layer else x for x in self.layers))


    def __getitem__(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise UnknownNameError(f"no layer named {quote(name)} in {self.name}"
                               f"{did_you_mean(name, [layer.name for layer in self.layers])}", rule="layer name")

    def __str__(self) -> str:
        return f"{self.name} ({self.input}, {counted(len(self.layers), 'layer')}, rounding {self.rounding})"

    def __repr__(self) -> str:
        return short(f"<Network {self.name} {self.input.text()}, {counted(len(self.layers), 'layer')}, "
                     f"rounding {self.rounding}>")


@dataclass(frozen=True)
class Mismatch:
    """What the engine knew when a declared size or a merge did not fit its input: the
    :attr:`~symcnn.errors.SymcnnError.detail` of that error, from which the analysis (above
    the engine) works out the input sizes that would fit (:func:`symcnn.analysis.explain`)."""

    network: Network
    shape: Shape
    rounding: str
    error: ShapeError


class Signature(tuple):
    """A layer's :func:`signature`: a tuple that works its hash out once (a deep network looks
    its records, windows and fields up by it, and a tuple hashes every field anew each time)."""

    _hash: int

    def __new__(cls, items: tuple) -> Signature:
        made = super().__new__(cls, items)
        made._hash = tuple.__hash__(made)  # TypeError where a field cannot be hashed
        return made

    def __hash__(self) -> int:
        return self._hash


def signature(layer: Layer) -> Signature | None:
    """What a layer's record depends on besides its inputs: its kind and every field but its
    name and inputs (None where a field cannot be hashed).

    Worked out once a layer and kept on it, beside its fields: a layer is a value that never
    changes, and a copy under another name (:meth:`~symcnn.layers.Layer.renamed`, a spec's
    repeated layer) keeps it too.
    """
    kept = layer.__dict__.get(_SIGNATURE, _NONE)
    if kept is _NONE:
        try:
            kept = Signature((type(layer), tuple(getattr(layer, name) for name in _signature_fields(type(layer)))))
        except TypeError:
            kept = None
        object.__setattr__(layer, _SIGNATURE, kept)
    return kept


_SIGNATURE = "_signature"  # the attribute a layer keeps its signature in
_NONE = object()


def _signature_fields(kind: type[Layer]) -> tuple[str, ...]:
    """The fields of a layer kind that its :func:`signature` holds, worked out once per kind."""
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in fields(kind) if f.name not in ("name", "inputs"))
    return _FIELDS[kind]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _derive_layer(layer: Layer, sig: tuple | None, inputs: tuple[Shape, ...], rounding: str,
                  made: dict) -> LayerDerivation:
    """``layer.derive(inputs, rounding)``, derived once per distinct layer and input: a deep
    network repeats its blocks (ResNet-152: 55 distinct layers of 515), and a record names
    its layer only in ``layer``. ``sig`` is the layer's :func:`signature`."""
    if sig is None:
        return layer.derive(inputs, rounding)
    key = (sig, inputs)
    d = made.get(key)
    if d is None:
        d = made[key] = layer.derive(inputs, rounding)
    return d.of(layer)


def _shared(d: LayerDerivation, owner: str, only: str = "") -> LayerDerivation:
    """A record that uses ``owner``'s parameters: its sizes, with the counts left to ``owner``; or,
    where it uses only its ``weights`` or its ``biases``, with the other part's counts kept."""
    if only:
        kept = "biases" if only == "weights" else "weights"
        steps = tuple(s for s in d.steps if s.counts in ("size", "length", kept))
        return replace(d, steps=steps, **{only: Integer(0)}, shares=owner, shares_only=only)
    sizes = tuple(s for s in d.steps if s.counts in ("size", "length"))
    return replace(d, steps=sizes, weights=Integer(0), biases=Integer(0), buffers=Integer(0), shares=owner)


def _skipped(network: Network, layer: Layer, inputs: tuple[Shape, ...], shape: Shape, rounding: str,
             reason: str) -> LayerDerivation:
    """A training-only layer that cannot run at this input: its record at the network's own input, or
    (where its branch does not fit that either) at the first of 2, 4, 8, 16 times it where it does.
    What counts is its parameters: in eval, which the sizes are for, the branch does not run."""
    for factor in (1, 2, 4, 8, 16):
        probe = Shape(tuple(s * factor for s in network.input.spatial), network.input.channels)
        if not all(s.is_Integer for s in probe.spatial) or not _larger(probe, shape):
            continue  # a branch that does not fit an input fits no smaller one (probing one would recurse)
        try:
            own = _derived(network, probe, rounding)[layer.name]
        except SymcnnError:
            continue
        if not own.skipped:
            return replace(own, inputs=inputs, skipped=reason)
    raise LayerError(f"runs only in training and fits no input up to 16 times the network's own: {reason}",
                     where=layer.name, rule="training-only branches fit some input")


def _larger(probe: Shape, shape: Shape) -> bool:
    """Whether ``probe`` is at least ``shape`` on every axis and larger on one, or ``shape`` is symbolic (a
    number probed for a symbol): each probe of a probe is larger again, so the probing ends."""
    if len(probe.spatial) != len(shape.spatial):
        return False
    pairs = list(zip(probe.spatial, shape.spatial))
    if not all(b.is_Integer for _, b in pairs):
        return True
    return all(a >= b for a, b in pairs) and any(a > b for a, b in pairs)


@lru_cache(maxsize=128)
def _derived(network: Network, shape: Shape, rounding: str) -> NetworkDerivation:
    """A network's derivation at one input, kept: the key is plain values (the network, the
    shape, the rounding), so asking again (a report in several formats) finds it. A
    derivation through a ``simplify`` function (the analysis') is never kept: a function is
    no value, and the analysis keeps its own result."""
    return _derive(network, shape, rounding)


def _derive(network: Network, shape: Shape, rounding: str,
            simplify: Callable[[LayerDerivation], LayerDerivation] | None = None) -> NetworkDerivation:
    outputs = {INPUT: shape}
    derived = []
    made: dict = {}
    skipped: set[str] = set()
    # One object per distinct output: a layer that keeps its input's size (a padded 3x3
    # convolution) makes an equal shape anew, and equal sympy sizes that are not the same
    # object are compared node by node wherever a later layer's record is looked up by its
    # input. ``seen`` maps each output met (kept alive in ``derived``) to its first equal.
    first: dict[Shape, Shape] = {}
    seen: dict[int, Shape] = {}
    for (layer, names), sig in zip(sources(network.layers), network.signatures):
        inputs = (outputs[names[0]],) if len(names) == 1 else tuple(outputs[s] for s in names)
        try:
            if skipped and not skipped.isdisjoint(names):
                d = _skipped(network, layer, inputs, shape, rounding,
                             f"its input {sorted(skipped & set(names))[0]} did not run")
            else:
                d = _derive_layer(layer, sig, inputs, rounding, made)
        except SymcnnError as e:
            got = ", ".join(str(s) for s in inputs)
            if not layer.training:
                raise type(e)(e.message, where=f"{e.where or layer.name} (input {got})", rule=e.rule) from None
            # a training-only branch (an auxiliary head) that does not fit this input: in eval,
            # which is what the sizes are for, it does not run
            d = _skipped(network, layer, inputs, shape, rounding, str(e))
        if d.skipped:
            skipped.add(layer.name)
        if layer.shares:
            d = _shared(d, layer.shares, layer.shares_only)
        if simplify is not None:
            d = simplify(d)
        derived.append(d)
        if id(d.output) not in seen:
            seen[id(d.output)] = first.setdefault(d.output, d.output)
        outputs[layer.name] = seen[id(d.output)]
    return NetworkDerivation(network.name, shape, rounding, tuple(derived), network)


__all__ = ["Network", "INPUT", "sources", "signature", "Signature"]
