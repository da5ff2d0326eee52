"""How each tool counts compute: symcnn's own MACs, FLOPs, and fvcore's, ptflops', thop's and torchinfo's.

A convention is data: per kind of layer, the rule the tool applies (its general formula in the
article's symbols, with what it leaves out in a note), read from the tool's own source (fvcore's
``jit_handles``, ptflops' ``pytorch_ops`` and ``pytorch_engine``, thop's ``vision/basic_hooks`` and
``calc_func``, torchinfo's ``layer_info``). :func:`count` applies one to a derivation, layer by
layer, numerically or in closed form; :func:`compare` puts several side by side, kind by kind.

The tools count in eval, one sample, as they run by default; a training-only branch does not run.
Some count by what PyTorch ran rather than by the layer: ptflops hooks ``torch.nn`` modules of
exact classes *and* patches a few ``torch.nn.functional`` calls, so an ``nn.ReLU`` counts twice
(its hook and the ``F.relu`` it calls) and an ``F.relu()`` once; thop and torchinfo count modules
only; fvcore counts ATen operations (``x.mean()`` is not ``adaptive_avg_pool2d``). A layer's
``origin`` says what ran; a layer without one (a spec's) is the ``torch.nn`` module of its kind.

>>> from symcnn import load
>>> d = load("resnet18").derive()
>>> [count(d, c).total for c in ("macs", "fvcore", "thop")]
[1814073344, 1819065856, 1824033792]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import mul
from typing import Any

from sympy import Add, Basic, Integer, Symbol, ceiling, floor

from ..errors import SpecError, quote
from ..records import LayerDerivation, NetworkDerivation, number, plain
from ..symbols import C, F, F_prev, G, I, K, N, O

# -- what a layer is, for the tools ---------------------------------------------------------------

#: symcnn's layer classes (by name, along the class's bases) and the kind each tool's rules name.
KINDS = {
    "ConvTranspose": "deconv", "Conv": "conv", "ChannelLinear": "channel-fc", "Linear": "fc",
    "BatchNorm": "batchnorm", "LayerNorm": "layernorm", "GroupNorm": "groupnorm", "LRN": "lrn",
    "MaxPool": "maxpool", "AvgPool": "avgpool", "GlobalAvgPool": "adaptive-avgpool",
    "AdaptiveAvgPool": "adaptive-avgpool", "AdaptiveMaxPool": "adaptive-maxpool",
    "ReLU": "relu", "ReLU6": "relu6", "GELU": "gelu", "SiLU": "silu", "Hardswish": "hardswish",
    "Hardsigmoid": "hardsigmoid", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softmax": "softmax",
    "Elementwise": "elementwise", "Upsample": "upsample", "Add": "add", "Multiply": "mul", "Concat": "concat",
    "SelfAttention": "attention", "WindowAttention": "window-attention", "Tokens": "tokens", "TokenSelect": "token",
    "Scale": "scale", "Identity": "identity", "Dropout": "dropout", "DropPath": "dropout", "Flatten": "flatten",
    "Opaque": "opaque",
}

#: The ``torch.nn`` module (or the call) a layer of each kind stands for where it has no origin;
#: ``{r}`` is its number of spatial axes.
MODULE_OF = {
    "conv": "nn.Conv{r}d", "deconv": "nn.ConvTranspose{r}d", "fc": "nn.Linear", "channel-fc": "nn.Linear",
    "batchnorm": "nn.BatchNorm{r}d", "layernorm": "nn.LayerNorm", "groupnorm": "nn.GroupNorm",
    "lrn": "nn.LocalResponseNorm", "maxpool": "nn.MaxPool{r}d", "avgpool": "nn.AvgPool{r}d",
    "adaptive-avgpool": "nn.AdaptiveAvgPool{r}d", "adaptive-maxpool": "nn.AdaptiveMaxPool{r}d",
    "relu": "nn.ReLU", "relu6": "nn.ReLU6", "gelu": "nn.GELU", "silu": "nn.SiLU", "hardswish": "nn.Hardswish",
    "hardsigmoid": "nn.Hardsigmoid", "sigmoid": "nn.Sigmoid", "tanh": "nn.Tanh", "softmax": "nn.Softmax",
    "upsample": "nn.Upsample", "dropout": "nn.Dropout", "flatten": "nn.Flatten", "add": "operator.add()",
    "mul": "operator.mul()", "scale": "operator.mul()", "concat": "torch.cat()", "elementwise": "operator.add()",
}


def kind_of(layer: Any) -> str:
    """The kind of a layer the conventions' rules name (``conv``, ``relu``, ...; ``other`` for the rest)."""
    for cls in type(layer).__mro__:
        if cls.__name__ in KINDS:
            return KINDS[cls.__name__]
    return "other"


def _module_path(name: str) -> str:
    """The module a layer's name stands for: ``layer1.relu`` of its second call ``layer1.relu@2``."""
    return name.split("@", 1)[0]


def parents_of(names: Any) -> frozenset[str]:
    """Module paths that hold other layers (``bn1`` of ``bn1.act``): modules with children."""
    found: set[str] = set()
    for name in names:
        parts = _module_path(name).split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(found)


def _product(values: Any) -> Basic:
    return reduce(mul, values, Integer(1))


@dataclass(frozen=True)
class Op:
    """One layer as the tools see it: its kind, what ran (``nn.ReLU``, ``F.relu()``), and its sizes."""

    record: LayerDerivation
    kind: str
    origin: str
    #: whether the module that ran holds no other module (torchinfo counts leaf modules only)
    leaf: bool = True

    @classmethod
    def of(cls, d: LayerDerivation, parents: frozenset[str] = frozenset()) -> Op:
        kind = kind_of(d.layer)
        origin = getattr(d.layer, "origin", "") or MODULE_OF.get(kind, "").format(r=max(d.input.rank, 1))
        return cls(d, kind, origin, _module_path(d.name) not in parents)

    @property
    def module(self) -> str:
        """The module class that ran (``ReLU``), or empty where a function or method was called."""
        if not self.origin or self.origin.endswith("()"):
            return ""
        return self.origin.rsplit(".", 1)[-1]

    @property
    def nn(self) -> str:
        """The ``torch.nn`` class that ran, exactly (``Linear``); empty for a class defined elsewhere, even a
        subclass (timm's ``Linear``, ``BatchNormAct2d``), and for a call: ptflops and thop look a module's
        exact class up in their tables."""
        return self.module if self.origin.startswith("nn.") else ""

    @property
    def call(self) -> str:
        """The function called (``F.relu``), or empty where a module ran."""
        return self.origin[:-2] if self.origin.endswith("()") else ""

    @property
    def layer(self) -> Any:
        return self.record.layer

    @property
    def n_in(self) -> Basic:
        return self.record.input.numel

    @property
    def n_out(self) -> Basic:
        return self.record.output.numel

    @property
    def a_in(self) -> Basic:
        """Positions of the input (``I^2`` of a square map; 1 for a vector)."""
        return _product(self.record.input.spatial)

    @property
    def a_out(self) -> Basic:
        return _product(self.record.output.spatial)

    @property
    def macs(self) -> Basic:
        return self.record.macs

    @property
    def bias(self) -> bool:
        return bool(getattr(self.layer, "bias", False))

    @property
    def affine(self) -> bool:
        return bool(getattr(self.layer, "affine", False))

    @property
    def out_channels(self) -> Basic:
        return self.record.output.channels

    @property
    def weights(self) -> Basic:
        """The weights the layer multiplies with, per position (counted here even where shared)."""
        return self.macs / self.a_in if self.kind == "deconv" else self.macs / self.a_out

    @property
    def mode(self) -> str:
        return str(getattr(self.layer, "mode", ""))


Value = Callable[[Op], Basic]
ZERO: Value = lambda op: Integer(0)  # noqa: E731


@dataclass(frozen=True)
class Rule:
    """How a tool counts one kind of layer: ``value`` of a layer, ``formula`` in the article's symbols
    (a square 2-d map with a bias and an affine norm: ``I`` the input width, ``O`` the output's, ``C``
    the input channels, ``N`` the output's), and what else decides it."""

    value: Value
    formula: Basic
    note: str = ""


@dataclass(frozen=True)
class Convention:
    """One tool's way of counting: a name, what its figure is, and a rule per kind of layer."""

    name: str
    title: str
    #: what the figure is: ``multiply-accumulates``, ``floating-point operations``, ...
    unit: str
    summary: str
    rules: Mapping[str, Rule] = field(default_factory=dict)

    def rule(self, kind: str) -> Rule:
        return self.rules.get(kind, _NOT_COUNTED)

    def value(self, op: Op) -> Basic:
        return self.rule(op.kind).value(op)


_NOT_COUNTED = Rule(ZERO, Integer(0), "not counted")

# The formulas as written (square 2-d maps): input values I^2 C, output values O^2 C (O^2 N after a conv).
_IN = I**2 * C
_OUT = O**2 * C
_CONV = K**2 * C / G * N * O**2
_DECONV = K**2 * C / G * N * I**2


# -- attention: what each tool sees depends on how the module runs it -----------------------------------
# Symbols of the formulas: L tokens (positions of a window map: M ceil(H/M) x M ceil(W/M)), C channels,
# h heads, M^2 positions of a window.
L, M2, h = (Symbol(n, integer=True, positive=True) for n in ("L", "M^2", "h"))


def _attention(op: Op) -> tuple[Basic, Basic, Basic]:
    """(positions attended, positions each attends to, heads): ``L, L, h`` of a self-attention, the
    padded map's positions, ``M^2`` and ``h`` of a window attention."""
    layer = op.layer
    if op.kind == "window-attention":
        m = layer.window_size
        return _product(m * ceiling(i / m) for i in op.record.input.spatial), m**2, layer.heads
    return op.record.input.spatial[0], op.record.input.spatial[0], layer.heads


def _products(op: Op) -> Basic:
    """The two products of the attention (queries by keys, weights by values): ``2 L^2 C``."""
    n, per, _ = _attention(op)
    return 2 * n * per * op.record.input.channels


def _projections(op: Op) -> Basic:
    """The query, key, value and output projections: ``4 L C^2`` (symcnn's MACs less the products)."""
    return op.macs - _products(op)


def _runs(op: Op) -> str:
    """How the attention module runs, for the tools: ``mha`` (nn.MultiheadAttention: an in-projection
    parameter, F.multi_head_attention_forward), ``timm`` (timm's Attention: nn.Linear projections and
    F.scaled_dot_product_attention), ``functional`` (F.linear and Tensor.matmul: torchvision's Swin)."""
    if op.nn == "MultiheadAttention":
        return "mha"
    if op.module == "Attention" and op.origin.startswith("timm."):
        return "timm"
    return "functional"


def _bias_out(op: Op) -> Basic:
    return op.n_out if op.bias else Integer(0)


def _weighted(op: Op) -> Basic:
    """symcnn's MACs: one multiply-accumulate per weight per position (no bias, no other layer)."""
    return op.macs


_WEIGHTED = {
    "conv": Rule(_weighted, _CONV, "K^2 weights of C/G channels for each of N kernels at each output position"),
    "attention": Rule(_weighted, 4 * L * C**2 + 2 * L**2 * C, "the four projections and the two products"),
    "window-attention": Rule(_weighted, 4 * L * C**2 + 2 * L * M2 * C,
                             "L the positions of the map padded to whole windows of M^2"),
    "deconv": Rule(_weighted, _DECONV, "each input position times every weight"),
    "fc": Rule(_weighted, F_prev * F),
    "channel-fc": Rule(_weighted, C * F * O**2, "an FC layer over the channels at each position"),
}


def _scaled(rules: Mapping[str, Rule], by: int) -> dict[str, Rule]:
    def times(rule: Rule) -> Value:
        return lambda op: by * rule.value(op)

    return {k: Rule(times(r), by * r.formula, r.note) for k, r in rules.items()}


# -- fvcore: ATen operations traced by torch.jit; one fused multiply-add is one "flop" -------------------

def _fv_batchnorm(op: Op) -> Basic:
    return op.n_in * (2 if op.affine else 1)  # batchnorm_flop_jit in eval


def _fv_norm(op: Op) -> Basic:
    return op.n_in * (5 if op.affine else 4)  # norm_flop_counter(2)


def _fv_adaptive(op: Op) -> Basic:
    # aten::adaptive_avg_pool2d only: adaptive pooling of 1-d or 3-d maps, and x.mean(), count 0
    two_d = op.record.input.rank == 2 and op.call != "torch.mean" and not op.call.startswith("Tensor.")
    return op.n_in if two_d else Integer(0)


def _fv_upsample(op: Op) -> Basic:
    if op.record.input.rank != 2:
        return Integer(0)
    return {"nearest": op.n_out, "bilinear": 4 * op.n_out}.get(op.mode, Integer(0))


def _fv_attention(op: Op) -> Basic:
    # aten::linear and aten::matmul count; F.scaled_dot_product_attention (nn.MultiheadAttention called with
    # need_weights=False, as torchvision's ViT does, and timm's Attention) is not counted
    return _projections(op) if _runs(op) in ("mha", "timm") else op.macs


FVCORE = Convention(
    "fvcore", "fvcore (FlopCountAnalysis)", "multiply-adds (fvcore calls them flops)",
    "ATen operations of a jit trace: convolutions, matrix products and linear layers by their weights (no "
    "bias), batch norm, layer and group norm, adaptive average pooling and upsampling by their values; "
    "activations, max and average pooling, additions and concatenations count 0",
    {**_WEIGHTED,
     "batchnorm": Rule(_fv_batchnorm, 2 * _IN, "in eval; I^2 C without the affine scale and shift"),
     "layernorm": Rule(_fv_norm, 5 * _IN, "4 I^2 C without the affine scale and shift"),
     "groupnorm": Rule(_fv_norm, 5 * _IN, "4 I^2 C without the affine scale and shift"),
     "adaptive-avgpool": Rule(_fv_adaptive, _IN, "2-d only (aten::adaptive_avg_pool2d); x.mean() counts 0"),
     "upsample": Rule(_fv_upsample, _OUT, "nearest; bilinear 4 O^2 C; other modes and 1-d or 3-d maps 0"),
     "attention": Rule(_fv_attention, 4 * L * C**2, "the projections; + 2 L^2 C where the products run as "
                       "matrix products, not F.scaled_dot_product_attention (nn.MultiheadAttention, timm's)"),
     "window-attention": Rule(_fv_attention, 4 * L * C**2 + 2 * L * M2 * C, "F.linear and matrix products"),
     })

# -- ptflops (pytorch backend): hooks on torch.nn modules of exact classes, and patched F.* calls ---------

_PT_ACTIVATION_CALLS = {"F.relu", "F.prelu", "F.elu", "F.relu6", "F.gelu", "F.silu", "F.softmax"}
_PT_POOL_CALLS = {f"F.{kind}_pool{r}d" for kind in ("avg", "max", "adaptive_avg", "adaptive_max") for r in (1, 2, 3)}
_PT_POOL_MODULES = {f"{kind}Pool{r}d" for kind in ("Max", "Avg", "AdaptiveMax", "AdaptiveAvg") for r in (1, 2, 3)}
_PT_TENSOR_CALLS = {"torch.add", "Tensor.add", "torch.mul", "Tensor.mul"}


# ptflops and thop look a module's class up exactly: a subclass defined elsewhere (timm's Linear, LayerNorm,
# BatchNormAct2d) is not hooked, and counts only what its forward calls that ptflops patched.


def _pt_conv(op: Op) -> Basic:
    return op.macs + _bias_out(op) if op.nn.startswith(("Conv", "ConvTranspose")) else Integer(0)


def _pt_linear(op: Op) -> Basic:
    if op.nn != "Linear":
        return Integer(0)  # F.linear is not patched; a subclass of nn.Linear (timm's) is not hooked
    per = op.weights + (op.out_channels if op.bias else 0)
    return per * op.a_out  # positions of a Linear over channels; 1 for a vector


def _pt_norm(op: Op) -> Basic:
    if op.nn.startswith(("BatchNorm", "InstanceNorm")) or op.nn == "GroupNorm":
        return op.n_in * (2 if op.affine else 1)
    return op.n_in if op.nn == "LayerNorm" else Integer(0)  # LayerNorm has no .affine: once


#: activation modules ptflops hooks (exact classes), and those whose forward calls a patched F.* function
_PT_HOOKED = {"ReLU", "GELU", "ELU", "PReLU", "ReLU6", "LeakyReLU"}
_PT_CALLS_PATCHED = {"ReLU", "GELU", "ELU", "PReLU", "SiLU", "Softmax"}


def _pt_activation(op: Op) -> Basic:
    # the module's hook, and the F.relu (F.gelu, ...) its forward calls: nn.ReLU counts twice, nn.ReLU6 once
    # (F.hardtanh is not patched), nn.SiLU once (it is not hooked), a subclass only by the call inside
    hooked = op.n_out if op.nn in _PT_HOOKED else Integer(0)
    inside = op.n_in if op.module in _PT_CALLS_PATCHED or op.call in _PT_ACTIVATION_CALLS else Integer(0)
    return hooked + inside if hooked or inside else _pt_tensor(op)


def _pt_pool(op: Op) -> Basic:
    hooked = op.n_in if op.nn in _PT_POOL_MODULES else Integer(0)
    inside = op.n_in if op.module in _PT_POOL_MODULES or op.call in _PT_POOL_CALLS else Integer(0)
    return hooked + inside  # the hook, and the patched F.*_pool* its forward calls


def _interpolate(op: Op) -> Basic:
    scale = getattr(op.layer, "scale", None)
    if scale:
        return op.n_in * _product(scale) if len(scale) > 1 else op.n_in * scale[0] ** op.record.input.rank
    return op.n_out


def _pt_upsample(op: Op) -> Basic:
    if op.module == "Upsample":
        return (op.n_out if op.nn else Integer(0)) + _interpolate(op)
    return _interpolate(op) if op.call in ("F.interpolate", "F.upsample") else Integer(0)


def _pt_tensor(op: Op) -> Basic:
    return op.n_out if op.call in _PT_TENSOR_CALLS else Integer(0)  # a + b (operator.add) is not patched


def _pt_attention(op: Op) -> Basic:
    n, per, heads = _attention(op)
    c = op.record.input.channels
    # each hook's terms: the query scaling L C, the products, the softmax h L^2 (per window: h L M^2)
    core = n * c + _products(op) + heads * n * per
    runs = _runs(op)
    if runs == "mha":  # the projections in the hook, their biases, the output projection's (always counted)
        return core + _projections(op) + (3 * n * c if op.bias else 0) + n * c
    if runs == "timm":  # the hook; the nn.Linear projections inside are not added to a hooked module's count
        return core
    return _products(op) + heads * n * per  # Tensor.matmul and F.softmax patched; F.linear is not


_PT_ACT = Rule(_pt_activation, 2 * _OUT, "nn.ReLU and nn.GELU: 2 O^2 C (the hook and the patched F.relu "
               "inside); nn.ReLU6: O^2 C; nn.SiLU, nn.Softmax, F.relu(), a subclass (timm's GELU): O^2 C; others 0")
_PT_POOL = Rule(_pt_pool, 2 * _IN, "a torch.nn pooling module: 2 I^2 C (its hook and the patched F call "
                "inside); F.max_pool2d() and the like: I^2 C; x.mean(): 0")

PTFLOPS = Convention(
    "ptflops", "ptflops (get_model_complexity_info, pytorch backend)", "multiply-adds (MACs)",
    "forward hooks on torch.nn modules of exact classes, plus patched F.relu, F.*pool*, F.interpolate, "
    "F.softmax, torch.add and torch.mul calls: convolutions and linear layers with their bias adds, "
    "normalisation, activations, pooling and upsampling by their values; a module that calls a patched "
    "function counts twice",
    {"conv": Rule(_pt_conv, _CONV + N * O**2, "N O^2 bias adds; 0 without a bias"),
     "deconv": Rule(_pt_conv, _DECONV + N * O**2, "N O^2 bias adds; 0 without a bias"),
     "fc": Rule(_pt_linear, F_prev * F + F, "F bias adds; F.linear() calls count 0"),
     "channel-fc": Rule(_pt_linear, (C * F + F) * O**2, "at each position, with its bias adds"),
     "batchnorm": Rule(_pt_norm, 2 * _IN, "I^2 C without the affine scale and shift"),
     "groupnorm": Rule(_pt_norm, 2 * _IN, "I^2 C without the affine scale and shift"),
     "layernorm": Rule(_pt_norm, _IN, "nn.LayerNorm only (a subclass such as LayerNorm2d counts 0)"),
     **dict.fromkeys(("relu", "relu6", "gelu", "silu", "softmax", "hardswish", "hardsigmoid", "sigmoid", "tanh",
                      "elementwise"), _PT_ACT),
     **dict.fromkeys(("maxpool", "avgpool", "adaptive-avgpool", "adaptive-maxpool"), _PT_POOL),
     "upsample": Rule(_pt_upsample, 2 * _OUT, "nn.Upsample: its hook and the patched F.interpolate inside; "
                      "F.interpolate(): O^2 C"),
     "add": Rule(_pt_tensor, _OUT, "torch.add() and x.add() calls only; a + b counts 0"),
     "mul": Rule(_pt_tensor, _OUT, "torch.mul() and x.mul() calls only; a * b counts 0"),
     "scale": Rule(_pt_tensor, _OUT, "x.mul(gamma) and torch.mul() calls only; x * gamma counts 0"),
     "attention": Rule(_pt_attention, 4 * L * C**2 + 3 * L * C + 2 * L * C + 2 * L**2 * C + h * L**2,
                       "nn.MultiheadAttention's hook; timm's Attention hook: L C + 2 L^2 C + h L^2 (its "
                       "projections are left out); other modules: the Tensor.matmul products and F.softmax"),
     "window-attention": Rule(_pt_attention, 2 * L * M2 * C + h * L * M2,
                              "Tensor.matmul products and F.softmax; F.linear projections count 0"),
     })

# -- thop (profile): forward hooks on torch.nn modules of exact classes; functions count 0 ----------------

_THOP_NORM = {*(f"BatchNorm{r}d" for r in (1, 2, 3)), *(f"InstanceNorm{r}d" for r in (1, 2, 3)), "LayerNorm",
              "SyncBatchNorm"}
_THOP_UPSAMPLE = {"nearest": 1, "linear": 5, "bilinear": 11, "bicubic": 259}


def _th_conv(op: Op) -> Basic:
    # calculate_conv2d_flops: output values x (C/G) x K^2, for a transposed convolution too
    return op.weights * op.a_out if op.nn.startswith(("Conv", "ConvTranspose")) else Integer(0)


def _th_linear(op: Op) -> Basic:
    return op.macs if op.nn == "Linear" else Integer(0)  # in_features x output values


def _th_norm(op: Op) -> Basic:
    return op.n_in * (4 if op.affine else 2) if op.nn in _THOP_NORM else Integer(0)


def _th_avgpool(op: Op) -> Basic:
    return op.n_out if op.nn.startswith("AvgPool") else Integer(0)


def _th_adaptive(op: Op) -> Basic:
    if not op.nn.startswith("AdaptiveAvgPool"):
        return Integer(0)
    sizes = list(zip(op.record.input.spatial, op.record.output.spatial))
    if all(i.is_Integer and o.is_Integer for i, o in sizes) and op.n_out.is_Integer:
        # thop's own arithmetic: float64 window (a product of per-axis quotients), truncated
        window = 1.0
        for i, o in sizes:
            window *= int(i) / int(o)
        return Integer(int((window + 1) * int(op.n_out)))
    return floor((op.a_in / op.a_out + 1) * op.n_out)  # (window + 1 division) per output value, truncated


def _th_upsample(op: Op) -> Basic:
    return op.n_out * _THOP_UPSAMPLE.get(op.mode, 0) if op.nn == "Upsample" else Integer(0)


def _th_softmax(op: Op) -> Basic:
    # calculate_softmax along the channels: per row of C values, C exponentials, C - 1 adds, C divisions
    return 3 * op.n_in - op.n_in / op.record.input.channels if op.nn == "Softmax" else Integer(0)


def _th_attention(op: Op) -> Basic:
    return _projections(op) if _runs(op) == "timm" else Integer(0)  # only its nn.Linear modules


THOP = Convention(
    "thop", "thop (profile)", "multiply-adds (MACs)",
    "forward hooks on torch.nn modules of exact classes only: convolutions (by output values, transposed ones "
    "too) and linear layers by their weights, no bias; batch and layer norm 4 values each; average pooling, "
    "upsampling and softmax; ReLU, max pooling, other activations, group norm and every function call count 0",
    {"conv": Rule(_th_conv, _CONV),
     "deconv": Rule(_th_conv, K**2 * C / G * N * O**2, "by output positions, not input ones as fvcore"),
     "fc": Rule(_th_linear, F_prev * F),
     "channel-fc": Rule(_th_linear, C * F * O**2),
     "batchnorm": Rule(_th_norm, 4 * _IN, "2 I^2 C without the affine scale and shift"),
     "layernorm": Rule(_th_norm, 4 * _IN, "nn.LayerNorm only; 2 I^2 C without the affine scale and shift"),
     "avgpool": Rule(_th_avgpool, _OUT),
     "adaptive-avgpool": Rule(_th_adaptive, floor((I**2 / O**2 + 1) * O**2 * C),
                              "the window's values and one division per output value"),
     "upsample": Rule(_th_upsample, _OUT, "nearest; linear 5 O^2 C, bilinear 11 O^2 C, bicubic 259 O^2 C"),
     "softmax": Rule(_th_softmax, 3 * _IN - I**2, "along the channels"),
     "attention": Rule(_th_attention, 4 * L * C**2, "the projections where they are nn.Linear modules (timm's "
                       "Attention); nn.MultiheadAttention 0"),
     })

# -- torchinfo (summary): "Mult-Adds" of leaf modules with parameters, from their parameter counts ----------


def _ti_params(op: Op) -> Basic:
    """Parameters of the module per call: its weights and biases (counted per call where it is shared)."""
    if op.kind in ("batchnorm", "layernorm", "groupnorm"):
        return 2 * op.record.input.channels if op.affine else Integer(0)
    return op.weights + (op.out_channels if op.bias else 0)


def _ti_conv(op: Op) -> Basic:
    return _ti_params(op) * op.a_out if "Conv" in op.module and op.leaf else Integer(0)


def _ti_module(op: Op) -> Basic:
    return _ti_params(op) if op.module and op.leaf else Integer(0)  # batch x parameters, whatever the input size


def _ti_attention(op: Op) -> Basic:
    c = op.record.input.channels
    return 4 * c**2 + (4 * c if op.bias else 0) if _runs(op) == "timm" else Integer(0)  # its nn.Linear leaves


TORCHINFO = Convention(
    "torchinfo", "torchinfo (summary: Mult-Adds)", "multiply-adds (Mult-Adds)",
    "leaf modules with parameters only: a convolution's parameters (bias included) times its output "
    "positions; any other module's parameters once per sample (a Linear over a map's channels too); "
    "layers without parameters and function calls count 0",
    {"conv": Rule(_ti_conv, (K**2 * C / G * N + N) * O**2, "N O^2 without a bias"),
     "deconv": Rule(_ti_conv, (K**2 * C / G * N + N) * O**2, "by output positions"),
     "fc": Rule(_ti_module, F_prev * F + F),
     "channel-fc": Rule(_ti_module, C * F + F, "once, not at each position"),
     "batchnorm": Rule(_ti_module, 2 * C, "its parameters; 0 without the affine scale and shift"),
     "layernorm": Rule(_ti_module, 2 * C, "its parameters; 0 without the affine scale and shift"),
     "groupnorm": Rule(_ti_module, 2 * C, "its parameters; 0 without the affine scale and shift"),
     "attention": Rule(_ti_attention, 4 * C**2 + 4 * C, "the parameters of its nn.Linear projections (timm's "
                       "Attention); nn.MultiheadAttention 0 (not a leaf; its projections run as functions)"),
     })

MACS = Convention(
    "macs", "symcnn MACs", "multiply-accumulates",
    "multiply-accumulates of the weights only: convolutions, transposed convolutions and FC layers; no bias "
    "adds, no pooling, no activations, no normalisation", _WEIGHTED)

FLOPS = Convention(
    "flops", "symcnn FLOPs", "floating-point operations",
    "two operations (a multiply and an add) per multiply-accumulate of the weights: 2 x MACs; no bias adds, "
    "no pooling, no activations, no normalisation", _scaled(_WEIGHTED, 2))

#: Every convention by the name ``--count`` takes.
CONVENTIONS: dict[str, Convention] = {c.name: c for c in (MACS, FLOPS, FVCORE, PTFLOPS, THOP, TORCHINFO)}
#: The order ``compare`` lists them in.
ORDER = tuple(CONVENTIONS)


def convention(name: str | Convention) -> Convention:
    """The convention named ``name`` (``macs``, ``flops``, ``fvcore``, ``ptflops``, ``thop``, ``torchinfo``)."""
    if isinstance(name, Convention):
        return name
    if not isinstance(name, str) or name not in CONVENTIONS:
        raise SpecError(f"unknown counting convention {quote(name)}; choose one of {', '.join(CONVENTIONS)}",
                        where="count", rule="counting convention")
    return CONVENTIONS[name]


# -- counting ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCount:
    """One layer's figure under a convention (None: an opaque layer, not derived)."""

    name: str
    kind: str
    origin: str
    value: Basic | None


@dataclass(frozen=True)
class Counted:
    """A network's figures under one convention: per layer (in eval), per kind, and the total."""

    network: str
    convention: Convention
    layers: tuple[LayerCount, ...]

    @property
    def total_expr(self) -> Basic:
        return Add(*(lc.value for lc in self.layers if lc.value is not None))

    @property
    def total(self) -> Basic | int:
        """The sum over every layer derived (a plain int where it is a number)."""
        return plain(self.total_expr)

    @property
    def not_derived(self) -> tuple[str, ...]:
        return tuple(lc.name for lc in self.layers if lc.value is None)

    def by_kind(self) -> dict[str, Basic]:
        """The figure of each kind of layer, in order of first use."""
        kinds: dict[str, list[Basic]] = {}
        for lc in self.layers:
            if lc.value is not None:
                kinds.setdefault(lc.kind, []).append(lc.value)
        return {k: Add(*v) for k, v in kinds.items()}

    def to_json(self) -> dict:
        return {"convention": self.convention.name, "unit": self.convention.unit,
                "total": number(self.total_expr),
                "layers": [{"name": lc.name, "kind": lc.kind, "value": None if lc.value is None else number(lc.value)}
                           for lc in self.layers],
                **({"not_derived": list(self.not_derived)} if self.not_derived else {})}


def count(d: NetworkDerivation, name: str | Convention = "macs") -> Counted:
    """``d``'s figures under the convention ``name``, layer by layer (numbers, or closed forms where
    ``d`` was derived with a symbolic input)."""
    conv = convention(name)
    layers = []
    parents = parents_of(r.name for r in d.layers)
    for record in d.eval_layers:
        op = Op.of(record, parents)
        value = None if not record.derived else conv.value(op)
        layers.append(LayerCount(record.name, op.kind, op.origin, value))
    return Counted(d.name, conv, tuple(layers))


@dataclass(frozen=True)
class KindComparison:
    """One kind of layer under every convention compared: its layers, figure and rule in each."""

    kind: str
    layers: int
    values: dict[str, Basic]
    rules: dict[str, Rule]

    @property
    def differs(self) -> bool:
        return len(set(self.values.values())) > 1


@dataclass(frozen=True)
class Comparison:
    """Several conventions side by side: the totals, and per kind of layer where they differ and why."""

    network: str
    counts: tuple[Counted, ...]
    kinds: tuple[KindComparison, ...]
    #: the input the figures are at (H x W x C)
    input: str = ""

    @property
    def totals(self) -> dict[str, Basic | int]:
        return {c.convention.name: c.total for c in self.counts}

    def gap(self, a: str, b: str) -> Basic:
        """``a``'s total minus ``b``'s, as the sum over the kinds of their differences."""
        return Add(*(k.values[a] - k.values[b] for k in self.kinds))

    def to_json(self) -> dict:
        return {"network": self.network, "input": self.input,
                "totals": {c.convention.name: number(c.total_expr) for c in self.counts},
                "units": {c.convention.name: c.convention.unit for c in self.counts},
                "kinds": [{"kind": k.kind, "layers": k.layers,
                           "values": {n: number(v) for n, v in k.values.items()},
                           "formulas": {n: str(r.formula) for n, r in k.rules.items()}} for k in self.kinds]}


def compare(d: NetworkDerivation, names: tuple[str, ...] = ORDER) -> Comparison:
    """The conventions ``names`` side by side on ``d``: totals, and each kind's figure and rule in each."""
    counts = tuple(count(d, n) for n in names)
    layers_of: dict[str, int] = {}
    for lc in counts[0].layers:
        layers_of[lc.kind] = layers_of.get(lc.kind, 0) + 1
    per = [c.by_kind() for c in counts]
    kinds = tuple(KindComparison(kind, n, {c.convention.name: p.get(kind, Integer(0)) for c, p in zip(counts, per)},
                                 {c.convention.name: c.convention.rule(kind) for c in counts})
                  for kind, n in layers_of.items())
    return Comparison(d.name, counts, kinds, str(d.input))


def origin_name(text: str) -> str:
    """An origin without the module path of its class (``torchvision.models.convnext.LayerNorm2d``: LayerNorm2d)."""
    return text if text.endswith("()") else re.sub(r"^.*\.", "", text)


__all__ = ["Convention", "Rule", "Op", "Counted", "LayerCount", "Comparison", "KindComparison", "CONVENTIONS",
           "ORDER", "KINDS", "MODULE_OF", "convention", "count", "compare", "kind_of", "origin_name"]
