"""An ONNX model as a symcnn :class:`~symcnn.network.Network`: ``from_onnx(path_or_model)``.

Each node maps to a symcnn layer from its attributes and the shapes of its initializers: Conv
(``pads`` may differ per side: then a Pad layer comes first; ``auto_pad`` SAME_UPPER/SAME_LOWER is
TensorFlow's SAME padding), pooling, BatchNormalization, Gemm and MatMul as FC layers (a MatMul
over the channels of a channels-last map, with the Add of its bias, as a linear layer over the
channels), LayerNormalization, Resize, Concat, element-wise Add and Mul, and the shape arithmetic
PyTorch's exporter writes around a channel shuffle, a chunk or an upsampling to another tensor's
size (Shape, Gather, Slice, Concat, Unsqueeze, ... evaluated on the numbers at the model's size,
keeping track of which are another tensor's height and width).

Layers are named as PyTorch names them where the exporter recorded it (torch.onnx.export's
default, dynamo, does: ``layer1.0.conv1``, ``layer1.0.add``), else after the node (its ``name``,
else its first output). An initializer read through several ``Identity`` nodes (PyTorch's
TorchScript exporter merges equal initializers so) counts once per Identity, as the separate
tensors they were; the dynamo exporter merges them without an Identity, and its record of each
node's PyTorch parameters tells them apart likewise. One initializer read directly by two nodes as
their own parameter is shared, and counted once.

What the exporter changed is said in the network's ``notes``: batch norms folded into the
convolutions (constant folding, the default: the PyTorch model counts their parameters besides),
and biases of all zeros it dropped (counted all the same, as PyTorch's).

The ``onnx`` package is an optional extra, imported only here.
"""

from __future__ import annotations

import ast
import contextlib
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import SpecError, SymcnnError, quote
from ..layers import (
    BatchNorm,
    ChannelLinear,
    Elementwise,
    Flatten,
    GlobalAvgPool,
    Layer,
    LayerNorm,
    Linear,
    Opaque,
    Pad,
    Scale,
    Softmax,
    Split,
    Upsample,
)
from ..limits import LAYERS, MODEL_BYTES, read_bytes
from ..network import INPUT, Network
from ..shape import Shape
from .onnxdata import count_nodes, load_external_data
from .operations import (
    OPERATIONS,
    UNMATCHED,
    Call,
    OpaqueOperation,
    T,
    concat,
    conv_class,
    conv_fields,
    implicit_inputs,
    reshape,
    squeeze,
    two_maps,
)

_Opaque = OpaqueOperation


class OnnxImportError(SymcnnError, ValueError):
    """An ONNX model that cannot be imported as asked."""


@dataclass(frozen=True)
class Const:
    """A constant or initializer; ``key`` names the tensor for counting parameters."""

    value: Any
    key: str
    param: bool


@dataclass(frozen=True)
class ShapeVal:
    """Shape arithmetic: numbers at the model's size, each with where it came from (``(tensor, axis)``)."""

    value: Any
    source: tuple


def _onnx():
    try:
        import onnx
    except ImportError as e:  # pragma: no cover - exercised without onnx only
        raise SpecError(f"importing an ONNX model needs the onnx package ({e}); pip install 'symcnn[onnx]'",
                        where="from_onnx", rule="onnx installed") from None
    return onnx


def from_onnx(path_or_model, input=None, *, strict: bool = False, name: str | None = None) -> Network:
    """The network of an ONNX model (a path or a ``ModelProto``), rounding floor.

    ``input`` (H x W x C) is needed only where the model's input has symbolic sizes; the derivation
    takes any size afterwards.
    """
    if isinstance(path_or_model, (str, Path)):
        path = Path(path_or_model)
        data = read_bytes(path, limit=MODEL_BYTES, what="ONNX model")  # a regular file, within the limit
        if not data:
            raise SpecError(f"{path} is not an ONNX model: the file is empty", where="from_onnx", rule="ONNX file")
        nodes = count_nodes(data, LAYERS.value)
        LAYERS.check(nodes, f"a graph of more than {LAYERS.value:,} nodes", where=str(path))
        onnx = _onnx()
        try:
            model = onnx.load_model_from_string(data)
        except Exception as e:
            raise SpecError(f"{path} is not an ONNX model: {quote(str(e), 200)}", where="from_onnx",
                            rule="ONNX file") from None
        if not model.HasField("graph") or not (model.graph.node or model.graph.input):
            # protobuf reads many byte strings (\x08\x07) as a model without a graph
            raise SpecError(f"{path} is not an ONNX model: it holds no graph of operations", where="from_onnx",
                            rule="ONNX file")
        title = name or path.stem
        folder: Path | None = path.parent
    else:
        model = path_or_model
        title = name or (model.graph.name or "onnx")
        folder = None
    # before anything is built: a model of a million nodes is refused at once, not after importing them
    LAYERS.check(len(model.graph.node), f"a graph of {len(model.graph.node):,} nodes", where=title)
    load_external_data(model, folder, title)
    return _Importer(model, input, strict).network(title)


def _array(tensor):
    """A TensorProto's values; one the onnx package cannot read (data of the wrong size for its
    dimensions, an unknown type) is a one-line error."""
    from onnx import numpy_helper

    try:
        return numpy_helper.to_array(tensor)
    except Exception as e:
        raise OnnxImportError(f"tensor {quote(tensor.name, 40)} cannot be read: {quote(str(e), 120)}",
                              where="from_onnx", rule="ONNX tensor") from None


class _Importer:
    def __init__(self, model, input, strict: bool):
        onnx = _onnx()

        self.strict = strict
        # shapes of the nodes (an opaque layer keeps its own); a model shape inference cannot read
        # imports all the same, its opaque nodes then fail with their name
        with contextlib.suppress(Exception):
            model = onnx.shape_inference.infer_shapes(model)
        self.model = model
        graph = model.graph
        self.inits = {i.name: _array(i) for i in graph.initializer}
        inputs = [i for i in graph.input if i.name not in self.inits]
        if len(inputs) != 1:
            raise OnnxImportError(f"the model has {len(inputs)} inputs; symcnn imports models of one input",
                                  where=graph.name or "onnx", rule="one input")
        self.input_name = inputs[0].name
        #: the size asked for, where it is not the file's own (the network is derived there)
        self.asked: Shape | None = None
        #: layers whose sizes the file writes as numbers: (name, size)
        self.fixed: list[tuple[str, str]] = []
        shape = self._input_shape(inputs[0], input)
        self.shape = shape
        self.rank = shape.rank
        self.values: dict[str, Any] = {self.input_name: T(INPUT)}
        self.shapes: dict[str, tuple] = {INPUT: (1, int(shape.channels), *(int(s) for s in shape.spatial))}
        self.derived: dict[str, Shape] = {INPUT: shape}
        self.info: dict[str, tuple] = {}
        for vi in (*graph.value_info, *graph.output):
            dims = [d.dim_value if d.HasField("dim_value") else None for d in vi.type.tensor_type.shape.dim]
            if dims and all(d is not None for d in dims):
                self.info[vi.name] = tuple(dims)
        self.layers: list[Layer] = []
        self.names: set[str] = set()
        self.counted: dict[str, str] = {}  # parameter key -> the layer that counts it
        self.uses: dict[str, int] = {}  # initializer -> number of nodes reading it directly
        #: convolutions a batch norm was folded into by the exporter: (channels, whether the folding gave
        #: the convolution a bias it did not have; None: unknown)
        self.folded: list[tuple[int, bool | None]] = []
        #: channels of the all-zero biases the exporter dropped and the import restored
        self.restored: list[int] = []
        self.node: Any = None  # the node being visited
        #: every PyTorch parameter and buffer the graph computes from, where the exporter says so (dynamo)
        self.torch_params = set().union(*(_fx_params(n) for n in graph.node))
        #: the scopes (module paths) that hold others, from the TorchScript exporter's node names
        scopes = {path for path in (_scope_path(n.name) for n in graph.node) if path}
        self.parents = {p.rsplit(".", i)[0] for p in scopes for i in range(1, p.count(".") + 1)}

    def _input_shape(self, given, input) -> Shape:
        """The size the import is made at: the file's own where it has one (another size asked is
        derived afterwards, ``self.asked``), else the size asked."""
        dims = [d.dim_value if d.HasField("dim_value") else None for d in given.type.tensor_type.shape.dim]
        if dims and all(d for d in dims[1:]):
            # a file of one input size: its shapes (and any size the exporter wrote as a number) hold
            # there, so the import is made there
            shape = Shape(tuple(dims[2:]), dims[1])
            asked = Shape.of(input, field="input") if input is not None else shape
            self.asked = asked if asked != shape else None
            return shape
        if input is not None:
            return Shape.of(input, field="input")
        raise SpecError(f"the model's input has symbolic sizes {dims}: give input=HxWxC", where="from_onnx",
                        rule="input size")

    # -- the graph -----------------------------------------------------------------------------

    def network(self, title: str) -> Network:
        for node in self.model.graph.node:
            try:
                self.visit(node)
            except _Opaque as why:
                self.opaque(node, why.reason)
        outputs = [self.values.get(o.name) for o in self.model.graph.output]
        if not any(isinstance(o, T) for o in outputs):
            raise OnnxImportError("the model's outputs are not tensors symcnn follows", where=title,
                                  rule="tensor output")
        layers = implicit_inputs(self.layers)
        note = f"imported from ONNX at {self.shape}"
        opaque = [layer.name for layer in layers if layer.type == "opaque"]
        if opaque:
            note += f"; opaque (not derived): {', '.join(opaque)}"
        notes = tuple(n for n in (self.folding_note(), self.restored_note()) if n)
        if self.asked is not None and self.fixed:
            layer, size = self.fixed[0]
            raise OnnxImportError(f"it upsamples to {size}, a size the file writes as numbers (it may be what a "
                                  f"tensor's size was at the export size {self.shape}): the file holds at {self.shape} "
                                  "only; export it with a dynamic height and width to derive other sizes",
                                  where=layer, rule="sizes fixed at export")
        if self.asked is not None:
            note += f", derived at {self.asked}"
        try:
            return Network(title, self.asked or self.shape, tuple(layers), rounding="floor", description=note,
                           notes=notes)
        except SymcnnError as e:
            raise OnnxImportError(f"the imported layers do not make a network: {e}", where=title,
                                  rule="imported network") from None

    def name_of(self, node) -> str:
        base = _torch_name(node) or self._scoped_name(node) or node.name or node.output[0]
        name, k = base, 1
        while name in self.names or name == INPUT:
            k += 1
            name = f"{base}@{k}"
        self.names.add(name)
        return name

    def _scoped_name(self, node) -> str:
        """PyTorch's name for a node of the TorchScript exporter (``dynamo=False``), read from its
        path of scopes: ``/features/features.1/block/block.0/block.0.0/Conv`` runs
        ``features.1.block.0.0``; a module with no modules inside takes the name of the first node
        it runs, another node ``MODULE.op`` (``layer1.0.add``)."""
        scope = _scope_path(node.name)
        if scope is None:
            return ""
        if scope and scope not in self.names and scope not in self.parents:
            return scope
        op = re.sub(r"_\d+$", "", node.name.rsplit("/", 1)[-1]).lower()
        return f"{scope}.{op}" if scope else op

    def add(self, node, layer_cls, inputs, layout="nchw", **fields) -> T:
        name = fields.pop("name", None) or self.name_of(node)
        layer = layer_cls(name, inputs=tuple(inputs), **fields)
        self.append(layer)
        out = T(name, layout)
        self.values[node.output[0]] = out
        return out

    def append(self, layer: Layer) -> None:
        """Add a layer, and keep its shape at the model's size (N, C, spatial...), as symcnn derives it."""
        self.layers.append(layer)
        self.names.add(layer.name)
        inputs = tuple(self.derived[s] for s in (layer.inputs or (self.layers[-2].name if len(self.layers) > 1
                                                                   else INPUT,)))
        out = layer.derive(inputs, "floor").output
        self.derived[layer.name] = out
        self.shapes[layer.name] = (1, int(out.channels), *(int(v) for v in out.spatial))

    def _out_shape(self, node, layout) -> tuple | None:
        dims = self.info.get(node.output[0])
        if dims is None:
            return None
        return (dims[0], dims[-1], *dims[1:-1]) if layout == "nhwc" else dims

    def arg(self, name: str):
        if name == "":
            return None
        if name in self.values:
            return self.values[name]
        if name in self.inits:
            self.uses[name] = self.uses.get(name, 0) + 1
            return self.initializer(name)
        raise _Opaque(f"reads {name}, which symcnn does not follow")

    def initializer(self, name: str) -> Const:
        # a constant the exporter made (``val_12``: a shape, gather indices) is no parameter
        param = not self.torch_params or bool(_placeholder(name) & self.torch_params)
        return Const(self.inits[name], self._key(name), param)

    def _key(self, name: str) -> str:
        """The tensor an initializer stands for at the node being visited, for counting it once.

        torch.onnx.export (dynamo) merges initializers of equal values (an untrained model's batch
        norms all have weights of ones and biases of zeros) and records, on each node, the PyTorch
        parameters it computes from (``%p_layer1_0_bn1_weight``): a node reading a merged
        initializer that is not one of its own parameters reads a tensor of its own in PyTorch."""
        own = _fx_params(self.node) if self.node is not None else set()
        if not own or _placeholder(name) & own:
            return name
        return f"{name}@{self.node.name or self.node.output[0]}"

    def count(self, consts, owner: str) -> str:
        keys = [c.key for c in consts if isinstance(c, Const) and c.param]
        if keys and all(k in self.counted for k in keys):
            return self.counted[keys[0]]
        for k in keys:
            self.counted.setdefault(k, owner)
        return ""

    def opaque(self, node, reason: str) -> None:
        if self.strict:
            raise OnnxImportError(f"node {node.name or node.output[0]} ({node.op_type}) has no symcnn layer: "
                                  f"{reason}; strict import refuses it", where=node.name or node.output[0],
                                  rule="strict import")
        inputs = [self.values.get(i) for i in node.input]
        tensors = [t for t in inputs if isinstance(t, T)]
        dims = self.info.get(node.output[0])
        if not tensors:
            return  # arithmetic on constants that no layer reads
        if dims is None or any(self.shapes.get(t.layer) is None for t in tensors):
            raise OnnxImportError(f"node {node.name or node.output[0]} ({node.op_type}) has no symcnn layer "
                                  f"({reason}) and no known output shape", where=node.name or node.output[0],
                                  rule="importable node")
        params = self._node_parameters(node)
        name = self.name_of(node)
        shares = self.count(params, name)
        numel = 0 if shares else sum(int(c.value.size) for c in params)
        shapes = tuple(_text(self.shapes[t.layer]) for t in tensors)
        self.append(Opaque(name, op=f"ONNX {node.op_type}", output=_text(dims), shapes=shapes, params=numel,
                           inputs=tuple(t.layer for t in tensors)))
        self.values[node.output[0]] = T(name)

    def _node_parameters(self, node) -> list[Const]:
        """The parameters a node reads (its initializers, and constants it reads that are parameters)."""
        values = (self.values.get(i) or (self.initializer(i) if i in self.inits else None) for i in node.input)
        return [c for c in values if isinstance(c, Const) and c.param]

    # -- nodes ---------------------------------------------------------------------------------

    def visit(self, node) -> None:
        """One node: its op type normalised to a canonical operation (``_SPELLINGS``), then that
        operation's handler (the shared ones of :data:`~symcnn.builders.operations.OPERATIONS`, given
        the node's operands as the operation takes them, ``_FIELDS``, or this front end's own);
        arithmetic on numbers where the handler does not take the operands or there is none."""
        self.node = node
        op = _SPELLINGS.get(node.op_type)
        handler = _HANDLERS.get(op) if op is not None else None
        if op is None or handler is None:
            if all(isinstance(self.values.get(i), (Const, ShapeVal)) or i in self.inits or i == ""
                   for i in node.input):
                return self.evaluate(node)
            raise _Opaque(f"no symcnn layer for ONNX {node.op_type}")
        shared = op in OPERATIONS
        call = Call(node, "onnx", node.op_type, None, [self.arg(node.input[0])] if shared and node.input else [],
                    _attrs(node))
        fields = _FIELDS.get(op) if shared else None
        if fields is not None and isinstance(call.x, T):
            call = replace(call, fields=fields(self, call))
        if handler(self, call) is UNMATCHED:
            self.evaluate(node)

    def flatten_all(self, call: Call, x: T) -> T:
        return self.add(call.node, Flatten, [x.layer], "vec")

    def make(self, call: Call, cls, inputs, layout="nchw", **fields) -> T:
        """The layer of a shared handler, named after its node."""
        return self.add(call.node, cls, inputs, layout, **fields)

    def tensor(self, node, index=0) -> T:
        x = self.arg(node.input[index])
        if not isinstance(x, T):
            raise _Opaque("its input is not a tensor symcnn follows")
        return x

    # constants and shape arithmetic

    def op_Constant(self, node, a):
        value = a.get("value")
        if value is not None:
            value = _array(value)
        elif "value_ints" in a:
            import numpy as np

            value = np.array(a["value_ints"])
        elif "value_int" in a:
            import numpy as np

            value = np.array(a["value_int"])
        elif "value_float" in a:
            import numpy as np

            value = np.array(a["value_float"])
        else:
            raise _Opaque("a constant symcnn cannot read")
        self.values[node.output[0]] = Const(value, node.output[0], False)

    def op_Identity(self, node, a):
        x = self.arg(node.input[0])
        if isinstance(x, Const):  # a separate tensor that PyTorch's exporter merged with an equal one
            x = Const(x.value, node.output[0], x.param)
            if node.input[0] in self.uses:
                self.uses[node.input[0]] -= 1
        self.values[node.output[0]] = x

    def op_Shape(self, node, a):
        import numpy as np

        x = self.tensor(node)
        dims = self.shapes.get(x.layer)
        if dims is None:
            raise _Opaque("the shape of a tensor whose shape is not known")
        if x.layout == "nhwc":
            dims = (dims[0], *dims[2:], dims[1])
            source = tuple((x.layer, i) for i in (0, *range(2, len(dims)), 1))
        else:
            source = tuple((x.layer, i) for i in range(len(dims)))
        start = a.get("start", 0)
        end = a.get("end", len(dims))
        self.values[node.output[0]] = ShapeVal(np.array(dims[start:end], dtype=np.int64), source[start:end])

    def _num(self, name):
        v = self.arg(name)
        if isinstance(v, ShapeVal):
            return v.value, v.source
        if isinstance(v, Const):
            import numpy as np

            value = np.asarray(v.value)
            return value, (None,) * max(1, value.size)
        raise _Opaque("shape arithmetic on a tensor")

    def evaluate(self, node):
        """Shape arithmetic on numbers: Gather, Slice, Concat, Unsqueeze, Squeeze, Cast, Add, Mul, Div, ...
        (one small function per operation, in ``_ARITHMETIC``)."""
        import numpy as np

        rule = _ARITHMETIC.get(node.op_type)
        if rule is None:
            raise _Opaque(f"no symcnn layer for ONNX {node.op_type}")
        values: list[Any] = [self._num(i) if i else (None, ()) for i in node.input]
        out, sources = rule(values, _attrs(node))
        self.values[node.output[0]] = ShapeVal(np.asarray(out), tuple(sources))

    # layers with weights

    def op_Conv(self, node, a):
        x = self.tensor(node)
        w = self.arg(node.input[1])
        b = self.arg(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        if not isinstance(w, Const) or x.layout != "nchw":
            raise _Opaque("a convolution whose weights are not an initializer")
        weight = w.value
        rank = weight.ndim - 2
        group = a.get("group", 1)
        kernel = list(a.get("kernel_shape", weight.shape[2:]))
        stride = list(a.get("strides", [1] * rank))
        dilation = list(a.get("dilations", [1] * rank))
        padding, source = self._pads(node, a, rank, x)
        name = self.name_of(node)
        shares = self.count([w, b], name)
        folded, gained = self._folded(node, w, b)
        if folded:
            self.folded.append((int(weight.shape[0]), gained))
        elif b is None and self._dropped_bias(node, w):
            self.restored.append(int(weight.shape[0]))
            b = w
        fields = {**conv_fields(weight.shape, group), "kernel": kernel}
        self.add(node, conv_class(rank), [source.layer], name=name, **fields, stride=stride, padding=padding,
                 dilation=dilation, groups=int(group), bias=b is not None, shares=shares)

    def _folded(self, node, w: Const, b) -> tuple[bool, bool | None]:
        """Whether PyTorch's exporter folded a batch norm into this convolution, and whether that
        gave the convolution a bias it did not have (None: cannot tell).

        torch.onnx.export (dynamo) marks the node with the rewrite rule it applied, and names a
        bias it made ``<weight>_bias``; the TorchScript exporter's constant folding names the
        weights it computed ``onnx::Conv_<n>`` (a parameter it left alone keeps its PyTorch name).
        """
        rules = next((p.value for p in node.metadata_props if p.key == "pkg.onnxscript.rewriter.rule_name"), "")
        if "FuseBatchNormIntoConv" in rules:
            return True, isinstance(b, Const) and b.key.partition("@")[0].endswith("weight_bias")
        if self.model.producer_name == "pytorch" and w.key.startswith("onnx::"):
            return True, None
        return False, False

    @staticmethod
    def _dropped_bias(node, w: Const) -> bool:
        """Whether torch.onnx.export (dynamo) dropped this layer's bias: the PyTorch call it records
        reads the weight and a bias parameter of the same module, which the node does not have
        (an all-zero bias, as an untrained model's, is removed as an optimisation)."""
        own = _fx_params(node)
        weight = _placeholder(w.key.partition("@")[0]) & own
        if not weight:
            return False
        bias = {p[: -len("weight")] + "bias" for p in weight if p.endswith("weight")}
        return bool(bias & own)

    def restored_note(self) -> str | None:
        if not self.restored:
            return None
        n = len(self.restored)
        return (f"the ONNX exporter dropped {n} bias{'es' if n > 1 else ''} that were all zeros "
                f"({sum(self.restored):,} values, as in an untrained model); they are counted here, as the "
                "PyTorch model has them")

    def folding_note(self) -> str | None:
        """What a reader comparing with the PyTorch model must know of the folded batch norms."""
        if not self.folded:
            return None
        n, channels = len(self.folded), sum(c for c, _ in self.folded)
        made = [c for c, gained in self.folded if gained]
        unknown = any(gained is None for _, gained in self.folded)
        words = (f"{n} batch norm{'s' if n > 1 else ''} ({channels:,} channels) were folded into the convolution"
                 f"{'s' if n > 1 else ''} before them by the ONNX exporter (constant folding, torch.onnx.export's "
                 f"default): the PyTorch model counts their 2 x {channels:,} = {2 * channels:,} parameters, "
                 "not counted here")
        if unknown:
            words += (f", and its convolutions may lack the biases (up to {channels:,}) the folding gave them")
        elif made:
            words += f", and its convolutions lack the {sum(made):,} biases the folding gave them"
        return words + "; export with dynamo=False, do_constant_folding=False to keep the batch norms"

    def _pads(self, node, a, rank, x: T):
        """The padding of a Conv node, and its input: a Pad layer first where the sides differ."""
        padding, before, after = _padding(a, rank)
        if before == after:
            return padding, x
        pad_name = f"{node.name or node.output[0]}.pad"
        self.names.add(pad_name)
        self.append(Pad(pad_name, inputs=(x.layer,), before=before, after=after))
        return [0] * rank, T(pad_name)

    def op_ConvTranspose(self, node, a):
        x = self.tensor(node)
        w = self.arg(node.input[1])
        b = self.arg(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        if not isinstance(w, Const) or "output_shape" in a or x.layout != "nchw":
            raise _Opaque("a transposed convolution given its output shape")
        weight = w.value
        rank = weight.ndim - 2
        pads = list(a.get("pads", [0] * 2 * rank))
        if pads[:rank] != pads[rank:]:
            raise _Opaque("a transposed convolution with different padding per side")
        group = a.get("group", 1)
        name = self.name_of(node)
        shares = self.count([w, b], name)
        fields = {**conv_fields(weight.shape, group, transposed=True), "kernel": list(a.get("kernel_shape",
                                                                                                weight.shape[2:]))}
        self.add(node, conv_class(rank, transposed=True), [x.layer], name=name, **fields,
                 stride=list(a.get("strides", [1] * rank)), padding=pads[:rank],
                 output_padding=list(a.get("output_padding", [0] * rank)),
                 dilation=list(a.get("dilations", [1] * rank)), groups=int(group), bias=b is not None, shares=shares)

    def op_BatchNormalization(self, node, a):
        x = self.tensor(node)
        consts = [self.arg(i) for i in node.input[1:3]]
        name = self.name_of(node)
        shares = self.count(consts, name)
        self.add(node, BatchNorm, [x.layer], name=name, shares=shares)

    def op_Gemm(self, node, a):
        x = self.tensor(node)
        w = self.arg(node.input[1])
        c = self.arg(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        if not isinstance(w, Const) or a.get("transA", 0):
            raise _Opaque("a Gemm whose weights are not an initializer")
        features, inputs = (w.value.shape[0], w.value.shape[1]) if a.get("transB", 0) else w.value.shape[::-1]
        name = self.name_of(node)
        shares = self.count([w, c], name)
        if c is None and self._dropped_bias(node, w):
            self.restored.append(int(features))
            c = w
        self.add(node, Linear, [x.layer], "vec", name=name, features=int(features), bias=c is not None,
                 in_features=int(inputs), shares=shares)

    def op_MatMul(self, node, a):
        x = self.tensor(node)
        w = self.arg(node.input[1])
        if not isinstance(w, Const) or w.value.ndim != 2:
            raise _Opaque("a product with a value that is not a weight matrix")
        name = self.name_of(node)
        shares = self.count([w], name)
        cls = ChannelLinear if x.layout == "nhwc" else Linear
        if x.layout not in ("nhwc", "vec"):
            raise _Opaque("a product over the width of a channels-first map")
        self.add(node, cls, [x.layer], x.layout, name=name, features=int(w.value.shape[1]), bias=False,
                 in_features=int(w.value.shape[0]), shares=shares)

    def op_LayerNormalization(self, node, a):
        x = self.tensor(node)
        axis = a.get("axis", -1)
        scale = self.arg(node.input[1])
        bias = self.arg(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        if axis != -1 or x.layout not in ("nhwc", "vec") or bias is None:
            raise _Opaque("a layer norm over other axes than the channels, or without a shift")
        name = self.name_of(node)
        shares = self.count([scale, bias], name)
        self.add(node, LayerNorm, [x.layer], x.layout, name=name, shares=shares)

    # element-wise

    def _binary(self, node, op):
        left, right = self.arg(node.input[0]), self.arg(node.input[1])
        tensors = [v for v in (left, right) if isinstance(v, T)]
        consts = [v for v in (left, right) if isinstance(v, Const)]
        if not tensors:
            return self.evaluate(node)
        if len(tensors) == 2:
            return two_maps(self, Call(node, "onnx", op, None, [left, right], {}), op.lower(), left, right)
        t = tensors[0]
        if consts and consts[0].param and consts[0].value.size > 1:
            return self._with_parameter(node, op, t, consts[0])
        return self.add(node, Elementwise, [t.layer], t.layout, op=op.lower())

    def _with_parameter(self, node, op, t: T, c: Const):
        """A tensor and a parameter: a linear layer's bias (MatMul then Add), or a scale per channel."""
        channels = self.shapes[t.layer][1]
        previous = self.layers[-1] if self.layers else None
        if op == "Add" and previous is not None and previous.name == t.layer and \
                isinstance(previous, (ChannelLinear, Linear)) and not previous.bias and \
                c.value.shape == (previous.features,) and not previous.shares:
            # MatMul then Add of the bias: one linear layer, as PyTorch's Linear was
            self.count([c], previous.name)
            self.layers[-1] = replace(previous, bias=True, inputs=previous.inputs)
            self.values[node.output[0]] = t
            return None
        expected = (channels, 1, 1) if t.layout == "nchw" and self.rank == 2 else (channels,)
        if op == "Mul" and tuple(c.value.shape) == expected:
            name = self.name_of(node)
            shares = self.count([c], name)
            return self.add(node, Scale, [t.layer], t.layout, name=name, shares=shares)
        raise _Opaque(f"an element-wise {op} with a parameter tensor")

    def op_Softmax(self, node, a):
        x = self.tensor(node)
        if a.get("axis", -1) in (1, -1) and x.layout == "vec" or a.get("axis", -1) == 1:
            return self.add(node, Softmax, [x.layer], x.layout)
        return self.add(node, Elementwise, [x.layer], x.layout, op="softmax")

    def op_ReduceMean(self, node, a):
        x = self.tensor(node)
        axes = self._axes(node, a)
        rank = 2 + self.rank
        axes = sorted(v + rank if v < 0 else v for v in (axes or []))
        if x.layout != "nchw" or axes != list(range(2, rank)):
            raise _Opaque("a mean over other axes than the spatial ones")
        if a.get("keepdims", 1):
            return self.add(node, GlobalAvgPool, [x.layer])
        name = self.name_of(node)
        pooled = GlobalAvgPool(f"{name}.pool", inputs=(x.layer,))
        self.append(pooled)
        self.add(node, Flatten, [pooled.name], "vec", name=name)

    # shapes and layouts

    def op_Squeeze(self, node, a):
        """A squeeze of a map pooled to 1 x 1 (:func:`~symcnn.builders.operations.squeeze`)."""
        x = self.arg(node.input[0])
        if not isinstance(x, T):
            return self.evaluate(node)
        src = self.shapes.get(x.layer)
        if src is not None and x.layout == "ones":  # squeezed in part already: ``groups`` axes left
            src = (*src[:2], *(1,) * (x.groups - 2))
        if src is not None and x.layout in ("nchw", "ones"):  # the shape, where inference did not give it
            axes = self._axes(node, a)
            gone = {v + len(src) if v < 0 else v for v in axes} if axes is not None else \
                {i for i, d in enumerate(src) if d == 1}
            self.info.setdefault(node.output[0], tuple(d for i, d in enumerate(src) if i not in gone))
        call = Call(node, "onnx", node.op_type, None, [x], a)
        self.values[node.output[0]] = squeeze(self, call, x, src, self.info.get(node.output[0]))
        return None

    def _axes(self, node, a) -> list[int] | None:
        """The axes of a Squeeze or a Reduce node: its attribute (older opsets), else its second input."""
        axes = a.get("axes")
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = [int(v) for v in self._num(node.input[1])[0]]
        return None if axes is None else list(axes)

    def op_Flatten(self, node, a):
        x = self.tensor(node)
        if x.layout == "vec":
            self.values[node.output[0]] = x
            return
        if x.layout == "ones" and a.get("axis", 1) == 1:
            return self.add(node, Flatten, [x.layer], "vec")
        if a.get("axis", 1) != 1 or x.layout != "nchw":
            raise _Opaque("a flatten of other axes than all but the batch")
        self.add(node, Flatten, [x.layer], "vec")

    def op_Reshape(self, node, a):
        x = self.arg(node.input[0])
        if not isinstance(x, T):
            return self.evaluate(node)
        src = self.shapes.get(x.layer)
        if src is None:
            raise _Opaque("a reshape of a tensor whose shape is not known")
        shape = _target([int(v) for v in self._num(node.input[1])[0]], src)
        if x.layout == "nchw" and len(shape) == 1 and len(src) > 1:
            # the whole tensor as one vector (torch.export writes a strided view so); only a gather of
            # every element in order (below) makes it the tensor again
            self.values[node.output[0]] = T(x.layer, "flat")
            return None
        made = reshape(self, Call(node, "onnx", node.op_type, None, [x], a), x, src, shape)
        if made is None:
            raise _Opaque("a reshape that is not a flatten or a channel shuffle")
        self.values[node.output[0]] = made
        return None

    def op_Gather(self, node, a):
        import numpy as np

        x = self.arg(node.input[0])
        if not isinstance(x, T):
            return self.evaluate(node)
        idx = self.arg(node.input[1])
        src = self.shapes.get(x.layer)
        if x.layout == "flat" and isinstance(idx, Const) and a.get("axis", 0) == 0 and src is not None:
            value = np.asarray(idx.value)
            if value.shape == tuple(src) and np.array_equal(value.reshape(-1), np.arange(value.size)):
                self.values[node.output[0]] = T(x.layer)  # every element where it was: the tensor itself
                return None
        raise _Opaque("a gather of a tensor's elements")

    def op_Transpose(self, node, a):
        x = self.arg(node.input[0])
        perm = list(a.get("perm", []))
        if isinstance(x, ShapeVal):  # numbers (PyTorch's exporter pads so): arithmetic
            return self.evaluate(node)
        if isinstance(x, Const):  # a weight stored the other way round: the same tensor
            import numpy as np

            self.values[node.output[0]] = Const(np.transpose(x.value, perm or None), x.key, x.param)
            return
        x = self.tensor(node)
        rank = 2 + self.rank
        if x.layout == "grouped" and perm == [0, 2, 1, 3, 4]:
            self.values[node.output[0]] = T(x.layer, "grouped_t", x.groups)
        elif x.layout == "nchw" and perm == [0, *range(2, rank), 1]:
            self.values[node.output[0]] = T(x.layer, "nhwc")
        elif x.layout == "nhwc" and perm == [0, rank - 1, *range(1, rank - 1)]:
            self.values[node.output[0]] = T(x.layer, "nchw")
        else:
            raise _Opaque("a transpose other than to channels-last and back, or a channel shuffle's")

    def op_Concat(self, node, a):
        items = [self.arg(i) for i in node.input]
        if not any(isinstance(v, T) for v in items):
            return self.evaluate(node)
        made = concat(self, Call(node, "onnx", node.op_type, None, items, a), items, a.get("axis"), self.rank)
        if made is None:
            raise _Opaque("a concatenation along an axis other than the channels")
        self.values[node.output[0]] = made
        return None

    def op_Slice(self, node, a):
        x = self.arg(node.input[0])
        if not isinstance(x, T):
            return self.evaluate(node)
        starts, ends = (self._num(i)[0] for i in node.input[1:3])
        axes = self._num(node.input[3])[0] if len(node.input) > 3 and node.input[3] else list(range(len(starts)))
        steps = self._num(node.input[4])[0] if len(node.input) > 4 and node.input[4] else [1] * len(starts)
        if x.layout != "nchw" or [int(v) for v in axes] != [1] or int(steps[0]) != 1:
            raise _Opaque("a slice of other than the channels")
        channels = self.shapes[x.layer][1]
        start, end = int(starts[0]), int(ends[0])
        start = max(0, start + channels if start < 0 else start)
        end = min(channels, end + channels if end < 0 else end)
        sizes = [s for s in (start, end - start, channels - end) if s > 0]
        index = 1 if start > 0 else 0
        self.add(node, Split, [x.layer], sizes=sizes, index=index)

    def op_Split(self, node, a):
        x = self.tensor(node)
        axis = a.get("axis", 0)
        if x.layout != "nchw" or axis not in (1, -1 - self.rank):
            raise _Opaque("a split along an axis other than the channels")
        channels = self.shapes[x.layer][1]
        if len(node.input) > 1 and node.input[1]:
            sizes = [int(v) for v in self._num(node.input[1])[0]]
        elif "split" in a:
            sizes = list(a["split"])
        else:
            n = len(node.output)
            size = -(-channels // n)
            sizes = [min(size, channels - i * size) for i in range(n)]
        base = node.name or node.output[0]
        for index, output in enumerate(node.output):
            name = f"{base}.{index}"
            self.append(Split(name, inputs=(x.layer,), sizes=sizes, index=index))
            self.values[output] = T(name)

    def op_Resize(self, node, a):
        x = self.tensor(node)
        mode = a.get("mode", b"nearest")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        scales = self.arg(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        sizes = self.arg(node.input[3]) if len(node.input) > 3 and node.input[3] else None
        rank = self.rank
        ref = self._size_of(sizes)
        if ref is not None:
            return self.add(node, Upsample, [x.layer, ref], mode=mode)
        if isinstance(sizes, (Const, ShapeVal)):
            value = [int(v) for v in sizes.value[2:]]
            out = self.add(node, Upsample, [x.layer], size=value, mode=mode)
            # the exporter may have written the size a tensor had (F.interpolate(x, size=y.shape[-2:])) as
            # numbers: the file holds at its own size, the model may upsample to another size elsewhere
            self.fixed.append((out.layer, "x".join(map(str, value))))
            return out
        if isinstance(scales, (Const, ShapeVal)) and len(scales.value) == 2 + rank:
            from fractions import Fraction

            values = [Fraction(float(v)) for v in scales.value[2:]]
            return self.add(node, Upsample, [x.layer], scale=values, mode=mode)
        raise _Opaque("a resize without scales or sizes symcnn can read")

    def _size_of(self, sizes) -> str | None:
        """The layer whose height and width a Resize's sizes are (``F.interpolate(x, size=y.shape[-2:])``)."""
        if not isinstance(sizes, ShapeVal) or len(sizes.source) != 2 + self.rank:
            return None
        spatial = sizes.source[2:]
        if any(s is None for s in spatial) or len({s[0] for s in spatial}) != 1:
            return None
        return spatial[0][0] if [s[1] for s in spatial] == list(range(2, 2 + self.rank)) else None

    def op_Upsample(self, node, a):
        return self.op_Resize(node, a) if node.op_type == "Resize" or len(node.input) > 3 else \
            self._upsample_scales(node)

    def _upsample_scales(self, node):
        from fractions import Fraction

        x = self.tensor(node)
        scales = self.arg(node.input[1])
        values = [Fraction(float(v)) for v in scales.value[2:]]
        self.add(node, Upsample, [x.layer], scale=values)

    def op_Pad(self, node, a):
        x = self.tensor(node)
        pads = list(a.get("pads", [])) or [int(v) for v in self._num(node.input[1])[0]]
        mode = a.get("mode", b"constant")
        mode = {"edge": "replicate", "wrap": "circular"}.get(mode.decode() if isinstance(mode, bytes) else mode,
                                                               mode.decode() if isinstance(mode, bytes) else mode)
        rank = 2 + self.rank
        before, after = pads[:rank], pads[rank:]
        if x.layout != "nchw" or any(before[:2]) or any(after[:2]):
            raise _Opaque("padding of the batch or the channels")
        if any(v < 0 for v in before + after):
            raise _Opaque("negative padding")
        self.add(node, Pad, [x.layer], before=before[2:], after=after[2:], mode=mode)

# -- shape arithmetic on numbers: ONNX op type -> (values, attributes) -> (result, sources) ----------
# each value is (numbers, sources): which tensor's axis each number is, where it is one


def _none(out) -> list:
    import numpy as np

    return [None] * np.size(out)


def _kept(out, src) -> list:
    """The sources of an operation that keeps the numbers (and so their sources) where it keeps their count."""
    import numpy as np

    return list(src) if np.size(out) == len(src) else _none(out)


def _gather(values, a):
    import numpy as np

    (x, src), idx = values[0], np.asarray(values[1][0])
    out = np.take(x, idx, axis=a.get("axis", 0))
    return out, [src[int(i)] if x.ndim == 1 and len(src) == x.size else None for i in np.atleast_1d(idx)]


def _optional(values, index: int, default):
    import numpy as np

    return np.atleast_1d(values[index][0]) if len(values) > index and values[index][0] is not None else default


def _slice(values, a):
    import numpy as np

    x, src = values[0]
    starts, ends = np.atleast_1d(values[1][0]), np.atleast_1d(values[2][0])
    axes = _optional(values, 3, np.arange(len(starts)))
    steps = _optional(values, 4, [1] * len(starts))
    cut = [slice(None)] * max(np.ndim(x), 1)
    for start, end, axis, step in zip(starts, ends, axes, steps):
        # ends past the axis (INT64_MAX, or INT64_MIN going back) clamp as numpy's slices do
        end = None if int(step) < 0 and int(end) < -np.shape(x)[int(axis)] else int(end)
        cut[int(axis)] = slice(int(start), end, int(step))
    out = x[tuple(cut)]
    return out, list(src)[cut[0]] if np.ndim(x) == 1 and len(src) == x.size else _none(out)


def _transpose(values, a):
    import numpy as np

    perm = a.get("perm")
    out = np.transpose(values[0][0], list(perm) if perm else None)
    return out, _none(out)


def _concat(values, a):
    import numpy as np

    out = np.concatenate([np.atleast_1d(v[0]) for v in values], axis=a.get("axis", 0))
    sources = [s for v in values for s in (v[1] if len(v[1]) == np.atleast_1d(v[0]).size
                                           else [None] * np.atleast_1d(v[0]).size)]
    return out, sources


def _same_numbers(f):
    """An operation on one operand that keeps its numbers' sources (Cast, Squeeze, Reshape, ...)."""
    def rule(values, a):
        x, src = values[0]
        out = f(x, values)
        return out, _kept(out, src)
    return rule


def _unsqueeze(x, values):
    import numpy as np

    return np.reshape(x, (-1,)) if np.ndim(x) == 0 else np.expand_dims(x, 0)


def _numpy(name: str):
    """A numpy function by name, looked up when the rule runs (numpy is imported only then)."""
    def f(*args):
        import numpy as np

        return getattr(np, name)(*args)
    return f


def _divide(p, q):
    import numpy as np

    return p // q if np.issubdtype(np.asarray(p).dtype, np.integer) else p / q


def _elementwise(f):
    def rule(values, a):
        out = f(*(v[0] for v in values))
        return out, _none(out)
    return rule


def _constant_of_shape(values, a):
    import numpy as np

    fill = _array(a["value"]) if "value" in a else np.zeros(1)
    out = np.full([int(d) for d in values[0][0]], fill.reshape(-1)[0])
    return out, _none(out)


def _range(values, a):
    import numpy as np

    out = np.arange(int(values[0][0]), int(values[1][0]), int(values[2][0]))
    return out, _none(out)


_ARITHMETIC: dict[str, Any] = {
    "Gather": _gather, "Slice": _slice, "Transpose": _transpose, "Concat": _concat,
    "Unsqueeze": _same_numbers(_unsqueeze), "Squeeze": _same_numbers(lambda x, v: _numpy("squeeze")(x)),
    "Reshape": _same_numbers(lambda x, v: _numpy("reshape")(x, [int(d) for d in v[1][0]])),
    "Cast": _same_numbers(lambda x, v: x), "Identity": _same_numbers(lambda x, v: x),
    "Floor": _same_numbers(lambda x, v: _numpy("floor")(x)), "Ceil": _same_numbers(lambda x, v: _numpy("ceil")(x)),
    "Add": _elementwise(_numpy("add")), "Sub": _elementwise(_numpy("subtract")),
    "Mul": _elementwise(_numpy("multiply")), "Div": _elementwise(_divide), "Max": _elementwise(_numpy("maximum")),
    "Min": _elementwise(_numpy("minimum")), "Equal": _elementwise(_numpy("equal")),
    "Mod": _elementwise(_numpy("mod")), "Where": _elementwise(_numpy("where")),
    "ConstantOfShape": _constant_of_shape, "Range": _range,
}

# -- one vocabulary of operations: ONNX op type -> canonical operation -> handler -----------------


def _padding(a, rank: int) -> tuple[Any, list, list]:
    """A Conv or pooling node's padding (``tf_same`` for SAME_UPPER/SAME_LOWER), and its pads before
    and after each axis where it writes them (equal where it does not)."""
    auto = a.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        return "tf_same", [], []
    if auto == "VALID":
        return [0] * rank, [], []
    pads = list(a.get("pads", [0] * 2 * rank))
    return pads[:rank], pads[:rank], pads[rank:]


def _pool_fields(importer, c: Call) -> dict:
    a, node = c.kwargs, c.node
    rank = len(a["kernel_shape"])
    padding, before, after = _padding(a, rank)
    if before != after:
        raise _Opaque("pooling with different padding per side")
    fields = dict(rank=rank, kernel=list(a["kernel_shape"]), stride=list(a.get("strides", [1] * rank)),
                  padding=padding, ceil_mode=bool(a.get("ceil_mode", 0)))
    if c.name == "MaxPool":
        return {**fields, "dilation": list(a.get("dilations", [1] * rank)),
                "indices": len(node.output) > 1 and bool(node.output[1])}
    return {**fields, "count_include_pad": bool(a.get("count_include_pad", 0))}


def _clip_fields(importer, c: Call) -> dict:
    bounds = [importer.arg(i) for i in c.node.input[1:3]]
    return {"bounds": [float(b.value) if isinstance(b, Const) else None for b in bounds]}


def _depth_to_space(importer, c: Call) -> dict:
    mode = c.kwargs.get("mode", b"DCR")
    if (mode.decode() if isinstance(mode, bytes) else mode) != "CRD":
        raise _Opaque("DepthToSpace in DCR order (PyTorch's PixelShuffle exports as CRD)")
    return {"factor": int(c.kwargs["blocksize"])}


#: canonical operation -> the operands of a shared handler, from the node
_FIELDS: dict[str, Any] = {"max_pool": _pool_fields, "avg_pool": _pool_fields, "clip": _clip_fields,
                           "pixel_shuffle": _depth_to_space}

#: ONNX's spellings of the operations
_SPELLINGS: dict[str, str] = {
    "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "HardSwish": "hardswish", "HardSigmoid": "hardsigmoid",
    "Gelu": "gelu", "Cast": "identity", "Clip": "clip", "Dropout": "dropout",
    **dict.fromkeys(("LeakyRelu", "Elu", "Selu", "Erf", "Exp", "Sqrt", "Abs", "Neg", "Log", "Softplus", "Reciprocal",
                     "Mish", "Celu", "Softsign", "Sin", "Cos", "Floor", "Ceil", "Round"), "elementwise"),
    "MaxPool": "max_pool", "AveragePool": "avg_pool", "GlobalAveragePool": "global_avg_pool",
    "GlobalMaxPool": "global_max_pool", "DepthToSpace": "pixel_shuffle",
    **dict.fromkeys(("Add", "Mul", "Sub", "Div", "Pow"), "binary"),
    "Constant": "constant", "Identity": "alias", "Shape": "size", "Conv": "conv", "ConvTranspose": "conv_transpose",
    "BatchNormalization": "batch_norm", "Gemm": "linear", "MatMul": "matmul", "LayerNormalization": "layer_norm",
    "Softmax": "softmax", "ReduceMean": "mean", "Squeeze": "squeeze", "Flatten": "flatten", "Reshape": "view",
    "Gather": "getitem", "Transpose": "permute", "Concat": "cat", "Slice": "slice", "Split": "parts",
    "Resize": "interpolate", "Upsample": "interpolate", "Pad": "pad",
}


def _node(method: str):
    """An operation only this front end has: the importer's ``method(node, attributes)``."""
    return lambda importer, c: getattr(importer, method)(c.node, c.kwargs)


_HANDLERS: dict[str, Any] = {
    **OPERATIONS,
    "binary": lambda importer, c: importer._binary(c.node, c.name),
    **{op: _node(method) for op, method in (
        ("constant", "op_Constant"), ("alias", "op_Identity"), ("size", "op_Shape"), ("conv", "op_Conv"),
        ("conv_transpose", "op_ConvTranspose"), ("batch_norm", "op_BatchNormalization"), ("linear", "op_Gemm"),
        ("matmul", "op_MatMul"), ("layer_norm", "op_LayerNormalization"), ("softmax", "op_Softmax"),
        ("mean", "op_ReduceMean"), ("squeeze", "op_Squeeze"), ("flatten", "op_Flatten"), ("view", "op_Reshape"),
        ("getitem", "op_Gather"), ("permute", "op_Transpose"), ("cat", "op_Concat"), ("slice", "op_Slice"),
        ("parts", "op_Split"), ("interpolate", "op_Upsample"), ("pad", "op_Pad"))},
}


def _target(target: list[int], src) -> tuple:
    """A Reshape's shape from its operand: 0 keeps the axis of ``src``, -1 is what the others leave."""
    out = [int(src[i]) if v == 0 else v for i, v in enumerate(target)]
    if -1 in out:
        known = math.prod(v for v in out if v != -1)
        out[out.index(-1)] = math.prod(int(v) for v in src) // known
    return tuple(out)


def _attrs(node) -> dict:
    from onnx import helper

    return {attr.name: helper.get_attribute_value(attr) for attr in node.attribute}


def _text(dims) -> str:
    """An ONNX shape (N, C, spatial...) as symcnn writes it (spatial x C; a vector's length)."""
    dims = [int(d) for d in dims[1:]] if len(dims) > 1 else [int(d) for d in dims] or [1]
    if len(dims) == 1:
        return str(dims[0])
    return "x".join(str(d) for d in (*dims[1:], dims[0]))


def _meta(node, key: str) -> str:
    return next((p.value for p in node.metadata_props if p.key == key), "")


def _fx_params(node) -> set[str]:
    """The PyTorch parameters and buffers the node computes from, as torch.onnx.export (dynamo)
    records them (``p_layer1_0_conv1_weight``, ``b_bn1_running_mean``); empty for other exporters."""
    return set(re.findall(r"%([pb]_\w+)", _meta(node, "pkg.torch.onnx.fx_node")))


def _placeholder(name: str) -> set[str]:
    """The names torch.export gives the parameter or buffer called ``name``."""
    flat = name.replace(".", "_")
    return {f"p_{flat}", f"b_{flat}"}


def _torch_name(node) -> str:
    """The PyTorch name of the module a node runs (``layer1.0.conv1``), or of a function in the
    module that calls it (``layer1.0.add``), as torch.onnx.export (dynamo) records it; "" where it
    does not. A batch norm folded into a convolution takes the convolution's weight's name."""
    scopes = _meta(node, "pkg.torch.onnx.name_scopes")
    classes = _meta(node, "pkg.torch.onnx.class_hierarchy")
    if not scopes:
        return ""
    if "FuseBatchNormIntoConv" in _meta(node, "pkg.onnxscript.rewriter.rule_name") and len(node.input) > 1 \
            and node.input[1].endswith(".weight"):
        return node.input[1][: -len(".weight")]
    try:  # qualified names: ['', 'layer1', 'layer1.0', 'layer1.0.conv1', 'conv2d_3']
        path = [str(p) for p in ast.literal_eval(scopes)]
        kinds = [str(c) for c in ast.literal_eval(classes)] if classes else []
    except (ValueError, SyntaxError):
        return ""
    if len(path) < 2:
        return ""
    module, function = path[-2], re.sub(r"_\d+$", "", path[-1])
    if module and len(kinds) == len(path) and kinds[-2].startswith("torch.nn.modules."):
        return module  # a module of torch's own: named as the module, not the function it runs
    return f"{module}.{function}" if module else function


def _scope_path(name: str) -> str | None:
    """The module path of a TorchScript-exported node's name (``/layer1/layer1.0/conv1/Conv``:
    ``layer1.0.conv1``; each scope is written relative to the one before, or from it on); None
    for a name not of that form."""
    if not name.startswith("/") or name.count("/") < 1:
        return None
    path, previous = "", ""
    for part in name.split("/")[1:-1]:
        if not part:
            return None
        if previous and part.startswith(previous + "."):
            path += part[len(previous):]
        else:
            path = f"{path}.{part}" if path else part
        previous = part
    return path


__all__ = ["from_onnx", "OnnxImportError"]
