"""The importers' one vocabulary of operations.

Both importers (:mod:`symcnn.builders.torch`, :mod:`symcnn.builders.onnx`) are front ends: each
normalises its spellings of an operation (a PyTorch module class, ``F.*``, ``torch.*``,
``Tensor.*``, ``aten.*``; an ONNX op type) to one canonical name with a small table of its own,
builds a :class:`Call`, and looks the name up in :data:`OPERATIONS` (in the style of onnxruntime's
symbolic shape inference dispatcher and onnx2torch's converter registry). A handler takes the front
end and the call, and gives the value the call makes (a :class:`T`), or :data:`UNMATCHED` where
the operands are not ones it takes (the front end then decides: a value computed from no tensor it
follows, or an opaque layer). Here too: the values the importers carry (:class:`T`), the signal
of an operation symcnn cannot derive (:class:`OpaqueOperation`), and the constructors of the layers
both build from tensors and attributes (convolutions, pooling, padding).

A front end gives the handlers ``make(call, cls, inputs, layout="nchw", **fields) -> T``, the
layer ``cls`` made from ``inputs`` (layer names), named as that front end names it, and
``flatten_all(call, x) -> T``, all but the batch of ``x`` flattened; and ``shapes``, PyTorch's
shape (N, C, ...) of each layer's output at the import size, by layer name.

Supporting a new operation: a handler here (and its layer, if it is new), plus one spelling line
in each front end's table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..layers import (
    GELU,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    Add,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    ChannelShuffle,
    Concat,
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
    Dropout,
    DropPath,
    Elementwise,
    GlobalAvgPool,
    Hardsigmoid,
    Hardswish,
    Identity,
    Layer,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    Multiply,
    PixelShuffle,
    PixelUnshuffle,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Tanh,
)
from ..network import INPUT

# -- values the importers carry along the graph -------------------------------------------------


@dataclass(frozen=True)
class T:
    """A tensor: the symcnn layer that gives it, and how its axes lie.

    ``layout``: ``nchw`` (PyTorch's own), ``nhwc`` (permuted channels-last), ``vec`` (a vector
    per sample), ``grouped`` / ``grouped_t`` (a channel shuffle half done: viewed in ``groups``
    groups, then transposed), ``ones`` (a map pooled to 1 x 1 with ``groups`` axes left), ``flat``
    (the whole tensor as one vector), ``ncl`` (the positions flattened: N x C x HW) and ``tokens``
    (then channels-last: N x HW x C, a map as a sequence of positions, each a token).
    """

    layer: str
    layout: str = "nchw"
    groups: int = 0


class OpaqueOperation(Exception):
    """An operation symcnn cannot derive: the front end makes it an opaque layer (or, strict, an error)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


#: what a handler gives where the operands are not ones it takes
UNMATCHED = object()


@dataclass(frozen=True)
class Call:
    """One call in a graph: the front end that spells it (``method``, ``function``, ``aten``,
    ``onnx``), its spelling, target and operands (``args``, ``kwargs``; an ONNX node's attributes
    are its ``kwargs``), the value it gave where the front end ran it, and ``fields``: its operands
    normalised by the front end to the canonical operation's (``kernel``, ``stride``, ...)."""

    node: Any
    front: str
    name: str
    target: Any
    args: list
    kwargs: dict
    value: Any = None
    fields: dict = field(default_factory=dict)

    @property
    def x(self) -> Any:
        return self.args[0] if self.args else None

    @property
    def spelling(self) -> str:
        return {"method": f"Tensor.{self.name}", "aten": f"aten.{self.name}", "onnx": f"ONNX {self.name}"}.get(
            self.front, self.name)

    def get(self, index: int, name: str, default):
        if name in self.kwargs:
            return self.kwargs[name]
        if len(self.args) > index:
            return self.args[index]
        return default


def implicit_inputs(layers: list[Layer]) -> list[Layer]:
    """Inputs left implicit where a layer reads the layer right before it (as a spec writes them)."""
    out = []
    previous = INPUT
    for layer in layers:
        if layer.inputs == (previous,):
            layer = replace(layer, inputs=())
        out.append(layer)
        previous = layer.name
    return out


def pooled_to_one(layers: list[Layer], name: str) -> bool:
    """Whether the layer ``name`` pools to 1 on every axis at every input size."""
    layer = next((layer for layer in reversed(layers) if layer.name == name), None)
    if isinstance(layer, GlobalAvgPool):
        return True
    if isinstance(layer, (AdaptiveAvgPool, AdaptiveMaxPool)):
        output = layer.output if isinstance(layer.output, (list, tuple)) else (layer.output,)
        return all(v == 1 for v in output)
    return False


def ints(value) -> list[int] | int:
    if isinstance(value, (list, tuple)):
        return [int(v) for v in value]
    return int(value)


def floats(value):
    from fractions import Fraction

    items = value if isinstance(value, (list, tuple)) else [value]
    out = [Fraction(v) if isinstance(v, float) else v for v in items]
    return out if isinstance(value, (list, tuple)) else out[0]


# -- layers from tensors and attributes ---------------------------------------------------------

_CONV: dict[int, Any] = {1: Conv1d, 2: Conv2d, 3: Conv3d}
_CONV_TRANSPOSE: dict[int, Any] = {1: ConvTranspose1d, 2: ConvTranspose2d, 3: ConvTranspose3d}
_POOL: dict[tuple[str, int], Any] = {("avg", 1): AvgPool1d, ("avg", 2): AvgPool2d, ("avg", 3): AvgPool3d,
                                     ("max", 1): MaxPool1d, ("max", 2): MaxPool2d, ("max", 3): MaxPool3d}


def conv_fields(weight_shape, groups: int, transposed: bool = False) -> dict[str, Any]:
    """A convolution's channels, kernel and input channels from its weight's shape (PyTorch's and
    ONNX's: out x in/groups x kernel; transposed, in x out/groups x kernel)."""
    dims = [int(d) for d in weight_shape]
    if transposed:
        return dict(channels=dims[1] * int(groups), kernel=dims[2:], in_channels=dims[0])
    return dict(channels=dims[0], kernel=dims[2:], in_channels=dims[1] * int(groups))


def conv_class(rank: int, transposed: bool = False) -> Any:
    """The convolution layer of ``rank`` spatial axes."""
    return (_CONV_TRANSPOSE if transposed else _CONV)[rank]


def pool_class(kind: str, rank: int) -> Any:
    """The pooling layer of ``kind`` (``max``, ``avg``) over ``rank`` spatial axes."""
    return _POOL[(kind, rank)]


def torch_pad(pad, rank: int) -> tuple[list, list]:
    """PyTorch's padding (last axis first: left, right, top, bottom, ...) as the amounts before and
    after each spatial axis, first axis first."""
    pad = list(pad) + [0] * (2 * rank - len(pad))
    return [pad[2 * (rank - 1 - i)] for i in range(rank)], [pad[2 * (rank - 1 - i) + 1] for i in range(rank)]


# -- the handlers ---------------------------------------------------------------------------------


def keeping(cls) -> Callable:
    """A layer of ``cls`` that keeps its input's shape and layout (an activation, a dropout)."""
    def make(front, call: Call):
        x = call.x
        if not isinstance(x, T):
            return UNMATCHED
        return front.make(call, cls, [x.layer], x.layout)
    return make


def _dropping(cls) -> Callable:
    """A dropout (``F.dropout(x, p)``, torchvision's ``stochastic_depth(x, p, ...)``) of ``cls``; of probability
    0 an identity: it drops nothing and saves no mask in training."""
    def make(front, call: Call):
        p = call.get(1, "p", None)
        return keeping(Identity if isinstance(p, (int, float)) and p == 0 else cls)(front, call)
    return make


def _elementwise(front, call: Call):
    """An element-wise function of one map (``exp``, ``leaky_relu``, ONNX ``Erf``): sizes unchanged."""
    x = call.x
    if not isinstance(x, T):
        return UNMATCHED
    return front.make(call, Elementwise, [x.layer], x.layout, op=call.name.rstrip("_").lower())


def _clip(front, call: Call):
    """A clip between bounds: ReLU6 between 0 and 6, else an element-wise function."""
    if call.fields.get("bounds") == [0.0, 6.0]:
        return keeping(ReLU6)(front, call)
    return _elementwise(front, call)


def _pool(kind: str) -> Callable:
    """Pooling from ``kernel``, ``stride``, ``padding``, ``ceil_mode`` (and ``dilation`` for max,
    ``count_include_pad`` for average) over ``rank`` spatial axes."""
    def make(front, call: Call):
        x = call.x
        if not isinstance(x, T):
            return UNMATCHED
        if x.layout != "nchw":
            raise OpaqueOperation("pooling a channels-last map")
        fields = dict(call.fields)
        if fields.pop("indices", False):
            raise OpaqueOperation("max pooling that gives indices")
        cls = pool_class(kind, fields.pop("rank"))
        return front.make(call, cls, [x.layer], **fields)
    return make


def _with_fields(cls, **given) -> Callable:
    """A layer of ``cls`` from a map and the call's fields (``given``: those the operation fixes)."""
    def make(front, call: Call):
        x = call.x
        if not isinstance(x, T):
            return UNMATCHED
        return front.make(call, cls, [x.layer], **given, **call.fields)
    return make


def reshape(front, call: Call, x: T, src, out):
    """A view or reshape of the map ``x`` from PyTorch's shape ``src`` (N, C, ...) to ``out``: a step
    of a channel shuffle (the channels viewed in groups; the same shape again after a transpose of
    the groups: the shuffle), the map itself, or all but the batch flattened (``front.flatten_all``);
    None for another reshape (the front end's own patterns, or an opaque layer)."""
    src, out = tuple(int(d) for d in src), tuple(int(d) for d in out)
    if x.layout == "grouped_t" and out == src:
        return front.make(call, ChannelShuffle, [x.layer], groups=x.groups)
    if out == src and x.layout in ("nchw", "vec", "ones"):
        return x
    if x.layout == "nchw" and len(src) == 4 and len(out) == 5 and out[3:] == src[2:] and out[1] * out[2] == src[1]:
        return T(x.layer, "grouped", out[1])
    if x.layout in ("nchw", "vec", "ones") and len(out) == 2 and out[0] == src[0]:
        return front.flatten_all(call, x)
    return None


def squeeze(front, call: Call, x: T, src, out):
    """A squeeze of the map ``x`` (PyTorch's shape ``src``) to ``out`` where it was pooled to 1 x 1 at
    every input size (an adaptive pooling to 1, a global average): all but the batch flattened once
    only the batch and the channels are left; where axes of 1 are left, the same map (``ones``)."""
    if x.layout not in ("nchw", "ones") or src is None or out is None or not pooled_to_one(front.layers, x.layer):
        raise OpaqueOperation("a squeeze of a tensor not pooled to 1 at every input size")
    src, out = tuple(int(d) for d in src), tuple(int(d) for d in out)
    if out == src[:2]:
        return front.flatten_all(call, x)
    if len(out) > 2 and out[:2] == src[:2]:
        return T(x.layer, "ones", len(out))
    raise OpaqueOperation("a squeeze of the batch or the channels")


def two_maps(front, call: Call, op: str, a: T, b: T):
    """The sum, difference or product (``op``: ``add``, ``sub``, ``mul``) of two maps: a residual (a
    difference has a sum's sizes: PoolFormer's ``pool(x) - x``), a gating that broadcasts (SE)."""
    if a.layout != b.layout:
        raise OpaqueOperation("operands in different layouts")
    if op not in ("add", "sub", "mul"):
        raise OpaqueOperation(f"an element-wise {op} of two maps")
    cls = Multiply if op == "mul" else Add
    if cls is Add and front.shapes.get(a.layer) != front.shapes.get(b.layer):
        raise OpaqueOperation(f"an element-wise {op} that broadcasts")
    return front.make(call, cls, [a.layer, b.layer], a.layout)


def concat(front, call: Call, tensors: list, axis: int, rank: int):
    """Maps side by side along the channels (``axis`` 1 of ``rank`` spatial axes); one map is itself.
    None for another concatenation."""
    if len(tensors) == 1 and isinstance(tensors[0], T):
        return tensors[0]
    if all(isinstance(t, T) and t.layout == "nchw" for t in tensors) and axis in (1, -1 - rank):
        return front.make(call, Concat, [t.layer for t in tensors])
    return None


#: activations: canonical name -> layer
ACTIVATIONS: dict[str, Any] = {
    "relu": ReLU, "relu6": ReLU6, "hardswish": Hardswish, "hardsigmoid": Hardsigmoid, "silu": SiLU,
    "sigmoid": Sigmoid, "tanh": Tanh, "gelu": GELU, "identity": Identity,
}

#: canonical operation -> handler ``(front, call)``; each front end adds the operations only it has
#: (following values it alone carries: PyTorch's ``x.shape``, ONNX's shape arithmetic)
OPERATIONS: dict[str, Callable] = {
    **{name: keeping(cls) for name, cls in ACTIVATIONS.items()},
    "elementwise": _elementwise,
    "clip": _clip,
    "dropout": _dropping(Dropout),
    "drop_path": _dropping(DropPath),
    "max_pool": _pool("max"),
    "avg_pool": _pool("avg"),
    "adaptive_avg_pool": _with_fields(AdaptiveAvgPool),
    "adaptive_max_pool": _with_fields(AdaptiveMaxPool),
    "global_avg_pool": _with_fields(GlobalAvgPool),
    "global_max_pool": _with_fields(AdaptiveMaxPool, output=1),
    "pixel_shuffle": _with_fields(PixelShuffle),
    "pixel_unshuffle": _with_fields(PixelUnshuffle),
}


__all__ = ["T", "Call", "OpaqueOperation", "UNMATCHED", "OPERATIONS", "ACTIVATIONS", "implicit_inputs", "reshape",
           "concat", "squeeze", "two_maps", "pooled_to_one", "ints", "floats", "conv_fields", "conv_class",
           "pool_class", "torch_pad", "keeping"]
