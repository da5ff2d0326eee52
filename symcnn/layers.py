"""Layers as frozen values: each knows its formulas and derives its output from its input.

Fields are converted to sympy on the way in (a whole number, or a symbol that keeps the
quantity symbolic) and checked in ``__post_init__``. Sizes may be given per axis
(``kernel=(3, 5)``) or once for every axis (``kernel=3``).

>>> from symcnn.shape import Shape
>>> d = Conv2d("conv1", channels=96, kernel=11, stride=4).derive((Shape.parse("227x227x3"),), "exact")
>>> str(d.output), d.params
('55x55x96', 34944)
>>> print(d.steps[0])
O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, fields
from typing import ClassVar

from sympy import Basic, Integer, Mul, Symbol

from .derivation import LayerDerivation, Step, make_step
from .errors import LayerError, ShapeError
from .formulas import ROUNDINGS, formula
from .shape import Shape
from .symbols import C, F, F_prev, H, I, K, K_h, K_w, N, O, P, P_s, S, W, symbol

Size = Basic  # a sympy Integer or Symbol


def as_size(value, *, layer: str, name: str, minimum: int) -> Basic:
    """One size field as sympy: a whole number ``>= minimum`` or a symbol name, never parsed."""
    if isinstance(value, str):
        if not value.isidentifier():
            raise LayerError(
                f"{name} must be a whole number or a symbol name, got {value!r}", where=layer, rule="symbol name"
            )
        return symbol(value)
    if isinstance(value, Symbol):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Integer)):
        raise LayerError(
            f"{name} must be a whole number or a symbol, got {value!r}", where=layer, rule=f"{name} is an integer"
        )
    if value < minimum:
        rule = f"{name} >= {minimum}"
        kind = "a positive whole number" if minimum == 1 else "a whole number >= 0"
        raise LayerError(f"{name} must be {kind}, got {value}", where=layer, rule=rule)
    return Integer(value)


def as_sizes(value, *, layer: str, name: str, minimum: int) -> tuple[Basic, ...]:
    """A size given once or per axis, as a tuple (one element: every axis)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    if not items:
        raise LayerError(f"{name} must not be empty", where=layer, rule=f"{name} has a size per axis")
    return tuple(as_size(v, layer=layer, name=name, minimum=minimum) for v in items)


def per_axis(sizes: tuple[Basic, ...], shape: Shape, *, layer: str, name: str) -> tuple[Basic, ...]:
    if len(sizes) == 1:
        return sizes * shape.rank
    if len(sizes) != shape.rank:
        raise ShapeError(
            f"{name} has {len(sizes)} sizes but the input {shape} has {shape.rank} spatial axes",
            where=layer,
            rule=f"one {name} per axis",
        )
    return sizes


@dataclass(frozen=True)
class Layer:
    """Base of every layer: a name, and the names of its inputs (default: the layer before)."""

    name: str
    _: KW_ONLY
    inputs: tuple[str, ...] = ()
    type: ClassVar[str] = "layer"

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise LayerError(f"a layer needs a non-empty name, got {self.name!r}", rule="name")
        object.__setattr__(self, "inputs", tuple(self.inputs))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        raise NotImplementedError

    def window(self, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...] | None:
        """Per spatial axis ``(effective kernel, stride, padding)`` for receptive fields.

        ``None`` for a layer that maps each position to itself (activations, norms, ...).
        """
        return None

    def _one_input(self, inputs: tuple[Shape, ...]) -> Shape:
        if len(inputs) != 1:
            raise ShapeError(f"takes one input, got {len(inputs)}", where=self.name, rule="one input")
        return inputs[0]

    def _feature_map(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = self._one_input(inputs)
        if shape.is_vector:
            raise ShapeError(
                f"needs a feature map (HxWxC) but gets a vector of {shape}",
                where=self.name,
                rule="feature-map input",
            )
        return shape

    def _output_steps(self, f_exact, shape, kernel, stride, padding, rounding) -> tuple[tuple[Step, ...], tuple]:
        """One output-size step per axis, or one for all axes where they are the same."""
        f = formula(f_exact, rounding)
        steps = []
        for axis, i, k, s, p in zip(
            shape.axes, shape.spatial,
            per_axis(kernel, shape, layer=self.name, name="kernel"),
            per_axis(stride, shape, layer=self.name, name="stride"),
            per_axis(padding, shape, layer=self.name, name="padding"),
        ):
            window = K if f_exact == "conv-output" else P_s
            steps.append(make_step(O, f, {I: i, window: k, P: p, S: s}, axis=axis, where=self.name))
        if all(st.substituted == steps[0].substituted for st in steps):
            first = steps[0]
            steps = [Step(**{**{fl.name: getattr(first, fl.name) for fl in fields(first)}, "axis": None})]
            sizes = (first.value,) * shape.rank
        else:
            sizes = tuple(st.value for st in steps)
        return tuple(steps), sizes


def _windows(layer, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...]:
    return tuple(zip(
        per_axis(layer.kernel, shape, layer=layer.name, name="kernel"),
        per_axis(layer.stride, shape, layer=layer.name, name="stride"),
        per_axis(layer.padding, shape, layer=layer.name, name="padding"),
    ))


def _param_steps(name: str, values: dict, rounding: str, where: str) -> tuple[tuple[Step, ...], Basic, Basic]:
    f = formula(name, rounding)
    weights = make_step(f.parts[0][0], f, values, part=0, where=where)
    biases = make_step(f.parts[1][0], f, values, part=1, where=where)
    total = make_step(
        f.parts[2][0], f, {f.parts[0][0]: weights.value, f.parts[1][0]: biases.value}, part=2, where=where
    )
    return (weights, biases, total), weights.value, biases.value


@dataclass(frozen=True, kw_only=True)
class Conv2d(Layer):
    """A convolution with ``channels`` kernels (N) of size ``kernel`` (K)."""

    channels: Size
    kernel: tuple[Size, ...]
    stride: tuple[Size, ...] = (Integer(1),)
    padding: tuple[Size, ...] = (Integer(0),)
    type: ClassVar[str] = "conv"

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "channels", as_size(self.channels, layer=self.name, name="channels", minimum=1))
        for name, minimum in (("kernel", 1), ("stride", 1), ("padding", 0)):
            object.__setattr__(self, name, as_sizes(getattr(self, name), layer=self.name, name=name, minimum=minimum))

    def derive(self, inputs, rounding):
        shape = self._feature_map(inputs)
        steps, sizes = self._output_steps("conv-output", shape, self.kernel, self.stride, self.padding, rounding)
        kernel = per_axis(self.kernel, shape, layer=self.name, name="kernel")
        if shape.rank == 2 and kernel[0] == kernel[1]:
            params, w, b = _param_steps("conv-params", {K: kernel[0], C: shape.channels, N: self.channels}, rounding, self.name)
        elif shape.rank == 2:
            values = {K_h: kernel[0], K_w: kernel[1], C: shape.channels, N: self.channels}
            params, w, b = _param_steps("conv-params-hw", values, rounding, self.name)
        else:
            raise ShapeError(f"needs a 2-d feature map (HxWxC), got {shape}", where=self.name, rule="2-d input")
        macs = Mul(*sizes) * w
        return LayerDerivation(self, inputs, Shape(sizes, self.channels), steps + params, w, b, rounding, macs)

    def window(self, shape):
        return _windows(self, shape)


@dataclass(frozen=True, kw_only=True)
class _Pool(Layer):
    """Pooling over ``kernel`` x ``kernel`` windows (P_s); the stride defaults to the kernel."""

    kernel: tuple[Size, ...]
    stride: tuple[Size, ...] | None = None
    padding: tuple[Size, ...] = (Integer(0),)
    type: ClassVar[str] = "pool"

    def __post_init__(self):
        super().__post_init__()
        if self.stride is None:
            object.__setattr__(self, "stride", self.kernel)
        for name, minimum in (("kernel", 1), ("stride", 1), ("padding", 0)):
            object.__setattr__(self, name, as_sizes(getattr(self, name), layer=self.name, name=name, minimum=minimum))

    def derive(self, inputs, rounding):
        shape = self._feature_map(inputs)
        padded = any(p != 0 for p in self.padding)
        name = "pool-output-padded" if padded else "pool-output"
        steps, sizes = self._output_steps(name, shape, self.kernel, self.stride, self.padding, rounding)
        return LayerDerivation(self, inputs, Shape(sizes, shape.channels), steps, rounding=rounding)

    def window(self, shape):
        return _windows(self, shape)


@dataclass(frozen=True, kw_only=True)
class MaxPool2d(_Pool):
    """Max pooling (no parameters)."""


@dataclass(frozen=True, kw_only=True)
class AvgPool2d(_Pool):
    """Average pooling (no parameters)."""


@dataclass(frozen=True, kw_only=True)
class Linear(Layer):
    """A fully connected layer of ``features`` neurons (F).

    After a feature map it uses the article's ``W_cf = O^2 N F`` (``H W N F`` when the
    map is not square); after a vector, ``W_ff = F_{-1} F``.
    """

    features: Size
    type: ClassVar[str] = "fc"

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "features", as_size(self.features, layer=self.name, name="features", minimum=1))

    def derive(self, inputs, rounding):
        shape = self._one_input(inputs)
        if shape.is_vector:
            values = {F_prev: shape.channels, F: self.features}
            steps, w, b = _param_steps("fc-fc-params", values, rounding, self.name)
        elif shape.rank == 2 and shape.spatial[0] == shape.spatial[1]:
            values = {O: shape.spatial[0], N: shape.channels, F: self.features}
            steps, w, b = _param_steps("fc-conv-params", values, rounding, self.name)
        elif shape.rank == 2:
            values = {H: shape.spatial[0], W: shape.spatial[1], N: shape.channels, F: self.features}
            steps, w, b = _param_steps("fc-conv-params-hw", values, rounding, self.name)
        else:
            raise ShapeError(f"needs a vector or an HxWxC feature map, got {shape}", where=self.name, rule="fc input")
        return LayerDerivation(self, inputs, Shape((), self.features), steps, w, b, rounding, macs=w)


@dataclass(frozen=True, kw_only=True)
class Flatten(Layer):
    """Flattens a feature map into a vector of H x W x C values."""

    type: ClassVar[str] = "flatten"

    def derive(self, inputs, rounding):
        shape = self._one_input(inputs)
        steps: tuple[Step, ...] = ()
        if shape.rank == 2:
            values = {H: shape.spatial[0], W: shape.spatial[1], C: shape.channels}
            steps = (make_step(F, formula("flatten", rounding), values, where=self.name),)
        return LayerDerivation(self, inputs, Shape((), shape.numel), steps, rounding=rounding)


@dataclass(frozen=True, kw_only=True)
class _ShapeKeeping(Layer):
    """A layer that keeps its input's shape and holds no parameters."""

    def derive(self, inputs, rounding):
        shape = self._one_input(inputs)
        return LayerDerivation(self, inputs, shape, rounding=rounding)


@dataclass(frozen=True, kw_only=True)
class ReLU(_ShapeKeeping):
    type: ClassVar[str] = "act"


@dataclass(frozen=True, kw_only=True)
class Softmax(_ShapeKeeping):
    type: ClassVar[str] = "act"


@dataclass(frozen=True, kw_only=True)
class LRN(_ShapeKeeping):
    """Local response normalisation (AlexNet's); no parameters."""

    type: ClassVar[str] = "norm"


@dataclass(frozen=True, kw_only=True)
class Dropout(_ShapeKeeping):
    type: ClassVar[str] = "dropout"


def check_rounding(rounding: str, *, where: str = "--rounding") -> str:
    if rounding not in ROUNDINGS:
        from .errors import SpecError

        raise SpecError(f"unknown rounding {rounding!r}; choose one of {', '.join(ROUNDINGS)}", where=where, rule="rounding")
    return rounding


__all__ = [
    "Layer", "Conv2d", "MaxPool2d", "AvgPool2d", "Linear", "Flatten", "ReLU", "Softmax", "LRN", "Dropout",
    "as_size", "as_sizes", "check_rounding",
]
