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

import re
from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, MISSING, dataclass, field, fields, replace
from typing import Any, ClassVar, TypeAlias, cast

from sympy import Add as SymAdd
from sympy import Basic, Integer, Max, Min, Mul, Rational, Symbol, ceiling, floor, true

from .errors import LayerError, Rule, ShapeError, quote
from .formulas import Formula, formula
from .limits import check_int, check_numeral
from .printing import text
from .records import Declared, Equal, LayerDerivation, Step
from .rounding import Rounder, round_with, rounder
from .shape import Shape
from .steps import make_step
from .symbols import (
    C,
    D,
    F,
    F_prev,
    G,
    H,
    I,
    J,
    K,
    K_d,
    K_h,
    K_w,
    N,
    N_h,
    O,
    O_a,
    P,
    P_a,
    P_b,
    P_o,
    P_s,
    P_t,
    Q,
    R,
    R_n,
    S,
    U,
    V,
    W,
    W_s,
    W_t,
    is_symbol_name,
    symbol,
)
from .table import short

#: What a size field takes: a whole number, a symbol name, or a sympy Integer or Symbol.
SizeArg: TypeAlias = int | str | Basic
#: A size given once for every axis, or one per axis (``kernel=3``, ``kernel=(1, 7)``).
SizesArg: TypeAlias = SizeArg | Sequence[SizeArg]
#: Per spatial axis, a layer's (effective kernel, stride, padding), for receptive fields.
Window: TypeAlias = tuple[tuple[Basic, Basic, Basic], ...]


def as_size(value: Any, *, layer: str, name: str, minimum: int) -> Basic:
    """One size field as sympy: a whole number ``>= minimum`` or a symbol name, never parsed."""
    if isinstance(value, str):
        if not is_symbol_name(value):
            raise LayerError(
                f"{name} must be a whole number or a symbol name, got {quote(value)}", where=layer, rule="symbol name"
            )
        return symbol(value)
    if isinstance(value, Symbol):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Integer)):
        raise LayerError(
            f"{name} must be a whole number or a symbol, got {quote(value)}", where=layer,
            rule=f"{name} is an integer",
        )
    check_int(int(value), where=f"{layer}: {name}")
    if value < minimum:
        rule = f"{name} >= {minimum}"
        kind = "a positive whole number" if minimum == 1 else "a whole number >= 0"
        raise LayerError(f"{name} must be {kind}, got {value}", where=layer, rule=rule)
    return Integer(value)


def as_sizes(value: Any, *, layer: str, name: str, minimum: int) -> tuple[Basic, ...]:
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


#: Spec-file kind names and the layer classes they stand for: each class registers its own
#: (``class Conv(_Convolution, kinds=("conv",))``); a kind may also be added here by hand.
LAYER_TYPES: dict[str, type[Layer]] = {}


@dataclass(frozen=True)
class Layer:
    """Base of every layer: a name, and the names of its inputs (default: the layer before).

    A subclass that adds or changes fields is a ``@dataclass(frozen=True, kw_only=True)``; one
    that adds none (``ReLU``, ``Conv2d``) is a plain subclass: it inherits the generated
    methods, and each decorated class costs every command's start a fraction of a millisecond
    (tests/test_layers.py checks that no field is left undecorated).
    """

    name: str
    _: KW_ONLY
    inputs: tuple[str, ...] = ()
    #: the earlier layer whose parameters this one uses (the same module called again, tied weights):
    #: they are counted once, there
    shares: str = ""
    #: what of ``shares``'s parameters this one uses where not all (``weights`` or ``biases``: a
    #: convolution tied to another's weights with a bias of its own); its other parameters count here
    shares_only: str = ""
    #: a layer of a branch that runs only in training (an auxiliary head)
    training: bool = False
    #: what PyTorch ran to make it, where it was imported: a module class (``nn.ReLU``) or a call
    #: (``F.relu()``, ``operator.add()``); empty: the ``torch.nn`` module its kind stands for. The
    #: profilers' conventions count by it (:mod:`symcnn.analysis.counting`)
    origin: str = ""
    type: ClassVar[str] = "layer"
    #: the number of spatial axes the layer needs (``None``: any)
    rank: ClassVar[int | None] = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise LayerError(f"a layer needs a non-empty name, got {quote(self.name)}", rule="name")
        object.__setattr__(self, "inputs", tuple(self.inputs))
        if not isinstance(self.shares, str):
            raise LayerError(f"shares must name a layer, got {self.shares!r}", where=self.name, rule="shares")
        if self.shares_only not in ("", "weights", "biases") or (self.shares_only and not self.shares):
            raise LayerError(f"shares_only must be weights or biases, with shares naming the layer, got "
                             f"{self.shares_only!r}", where=self.name, rule="shares_only")
        if not isinstance(self.training, bool):
            raise LayerError(f"training must be true or false, got {self.training!r}", where=self.name,
                             rule="training is a flag")
        if not isinstance(self.origin, str):
            raise LayerError(f"origin must be a text, got {self.origin!r}", where=self.name, rule="origin")

    def __init_subclass__(cls, kinds: tuple[str, ...] = (), **kwargs: Any) -> None:
        """A layer class names the spec-file kinds it stands for; the first is the one a spec is written with."""
        super().__init_subclass__(**kwargs)
        for kind in kinds:
            if kind in LAYER_TYPES:
                raise TypeError(f"the layer kind {kind!r} is {LAYER_TYPES[kind].__name__}'s already")
            LAYER_TYPES[kind] = cls

    @classmethod
    def spec_fields(cls) -> dict[str, bool]:
        """The fields a spec file may give (besides ``name`` and ``inputs``), each with whether it is required.

        >>> Conv2d.spec_fields()["channels"], Conv2d.spec_fields()["stride"]
        (True, False)
        """
        return {
            f.name: f.default is MISSING and f.default_factory is MISSING
            for f in fields(cls)
            if f.init and f.name not in ("name", "inputs", "shares", "shares_only", "training", "origin")
        }

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        raise NotImplementedError

    def renamed(self, name: str, inputs: tuple[str, ...] = ()) -> Layer:
        """The same layer under another ``name`` and ``inputs``, its fields not converted and
        checked again: a spec's repeated layer (10,000 convolutions of a few kinds) is built once.

        A kind's checks read its fields and the number of its inputs only, so a copy with as
        many inputs holds as this one does; any other change is built anew through ``__init__``.
        """
        inputs = tuple(inputs)
        if not isinstance(name, str) or not name or len(inputs) != len(self.inputs):
            return replace(self, name=name, inputs=inputs)
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin.__dict__["name"] = name
        twin.__dict__["inputs"] = inputs
        return twin

    def __repr__(self) -> str:
        """``Conv2d('conv1', channels=96, kernel=11, stride=4)``: the fields that differ from their
        defaults, a size given once per axis written once (every subclass's repr, see the module's end)."""
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            default = f.default_factory() if f.default_factory is not MISSING else f.default
            if f.name == "name" or (default is not MISSING and _same(value, default)):
                continue
            if isinstance(value, tuple) and len(set(value)) == 1 and f.name != "inputs":
                value = value[0]
            shown.append(f"{f.name}={_field_text(value)}")
        return short(f"{type(self).__name__}({self.name!r}{''.join(', ' + s for s in shown)})")

    def window(self, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...] | None:
        """Per spatial axis ``(effective kernel, stride, padding)`` for receptive fields.

        ``None`` for a layer that maps each position to itself (activations, norms, ...).
        """
        return None

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _sizes(self, *specs: tuple[str, int]) -> None:
        for name, minimum in specs:
            self._set(name, as_sizes(getattr(self, name), layer=self.name, name=name, minimum=minimum))

    def _given(self, name: str) -> tuple[Basic, ...]:
        """A size field as normalised in ``__post_init__``: one size, or one per axis."""
        value = getattr(self, name)
        return value if isinstance(value, tuple) else (value,)

    def _declared(self, field: str, derived: Basic, what: str) -> tuple[Declared, ...]:
        """The layer's declaration ``field`` (None: none) against the ``derived`` size; a
        mismatch of two numbers is a :class:`ShapeError` (a symbolic one is a condition)."""
        declared = getattr(self, field)
        if declared is None:
            return ()
        if (declared - derived).is_number and declared != derived:
            raise ShapeError(
                f"declares {field} = {text(declared)}, but its input has {what} {text(derived)}",
                where=self.name,
                rule=Rule.DECLARED_SIZE,
            )
        return (Declared(field, declared, derived),)

    def _flag(self, name: str) -> None:
        if not isinstance(getattr(self, name), bool):
            raise LayerError(
                f"{name} must be true or false, got {quote(getattr(self, name))}", where=self.name,
                rule=f"{name} is a flag",
            )

    def _axes(self, shape: Shape, *names: str) -> tuple[tuple[Basic, ...], ...]:
        """The named size fields, one value per spatial axis of ``shape``."""
        return tuple(per_axis(getattr(self, n), shape, layer=self.name, name=n) for n in names)

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
        if self.rank is not None and shape.rank != self.rank:
            layout = {1: "LxC", 2: "HxWxC", 3: "DxHxWxC"}[self.rank]
            raise ShapeError(
                f"needs a {self.rank}-d feature map ({layout}), got {shape}",
                where=self.name,
                rule=f"{self.rank}-d input",
            )
        return shape


def _collapse(per_axis_steps: list[list[Step]]) -> tuple[tuple[Step, ...], tuple[Basic, ...]]:
    """The steps of every axis, or one set without an axis where every axis has the same."""
    sizes = tuple(next(st.value for st in reversed(steps) if st.symbol == O) for steps in per_axis_steps)
    key = [[(st.formula, st.substituted) for st in steps] for steps in per_axis_steps]
    if all(k == key[0] for k in key):
        return tuple(replace(st, axis=None) for st in per_axis_steps[0]), sizes
    return tuple(st for steps in per_axis_steps for st in steps), sizes


def _axis_steps(where: str) -> Callable[..., Step]:
    """``make_step`` for one layer's axes, made once per distinct values: the axes of a
    square input share their steps (each with its own axis)."""
    made: dict[tuple, Step] = {}

    def step(symbol: Symbol, f: Formula, values: dict, axis: str, value: Basic | None = None) -> Step:
        key = (symbol, f.name, f.rounding, tuple(values.items()))
        if key not in made:
            made[key] = make_step(symbol, f, values, axis=axis, where=where, value=value)
        return replace(made[key], axis=axis)

    return step


def _windows(layer: Any, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...]:
    kernel, stride, padding, dilation = layer._axes(shape, "kernel", "stride", "padding", "dilation")
    return tuple((_effective(k, d), s, p) for k, s, p, d in zip(kernel, stride, padding, dilation))


#: TensorFlow's SAME padding as a padding mode: ``O = ceil(I/S)``, the odd pixel after the last position.
TF_SAME = "tf_same"


def _tf_same_steps(axis_step: Callable[..., Step], axis: str, i: Basic, k: Basic, s: Basic, d: Basic,
                   rounding: str) -> list[Step]:
    """``O = ceil(I/S)``, then the padding that takes: ``max((O - 1)S + D(K - 1) + 1 - I, 0)``."""
    out = axis_step(O, formula("tf-same-output", rounding), {I: i, S: s}, axis)
    pad = axis_step(P_t, formula("tf-same-padding", rounding), {O: out.value, S: s, D: d, K: k, I: i}, axis)
    return [out, pad]


def _tf_same_windows(layer: Any, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...]:
    kernel, stride, dilation = layer._axes(shape, "kernel", "stride", "dilation")
    windows = []
    for i, k, s, d in zip(shape.spatial, kernel, stride, dilation):
        o = ceiling(i / s)
        total = Max((o - 1) * s + _effective(k, d) - i, 0)
        windows.append((_effective(k, d), s, floor(total / 2)))
    return tuple(windows)


def _known(condition: Any) -> bool:
    """Whether a sympy comparison is known to hold (a comparison of symbols is not)."""
    return condition == true


def _effective(kernel: Basic, dilation: Basic) -> Basic:
    """``K + (K - 1)(D - 1)``: the span of a dilated kernel."""
    return kernel + (kernel - 1) * (dilation - 1)


def _param_steps(
    name: str, values: dict, rounding: str, where: str, *, bias: bool = True
) -> tuple[tuple[Step, ...], Basic, Basic]:
    """Weights, biases and their sum; without a bias the biases step is left out and counts 0."""
    f = formula(name, rounding)
    weights = make_step(f.parts[0][0], f, values, part=0, where=where)
    steps = [weights]
    b = Integer(0)
    if bias:
        steps.append(make_step(f.parts[1][0], f, values, part=1, where=where))
        b = steps[-1].value
    total = make_step(f.parts[2][0], f, {f.parts[0][0]: weights.value, f.parts[1][0]: b}, part=2, where=where)
    return (*steps, total), weights.value, b


def _divisible(count: Basic, groups: Basic, what: str, where: str,
               error: type[LayerError] | type[ShapeError] = ShapeError) -> None:
    if count.is_Integer and groups.is_Integer and count % groups:
        raise error(
            f"{what} = {count} is not divisible by groups G = {groups}",
            where=where,
            rule="channels divisible by groups",
        )


def _kernel_values(kernel: tuple[Basic, ...]) -> tuple[str, dict]:
    """The conv-params variant for a kernel shape, and its kernel values."""
    if len(kernel) == 1:
        return "-1d", {K: kernel[0]}
    if all(k == kernel[0] for k in kernel):
        return ("" if len(kernel) == 2 else "-3d"), {K: kernel[0]}
    if len(kernel) == 2:
        return "-hw", {K_h: kernel[0], K_w: kernel[1]}
    return "-dhw", {K_d: kernel[0], K_h: kernel[1], K_w: kernel[2]}


def _conv_params(layer: Any, in_channels: Basic, kernel: tuple[Basic, ...],
                 rounding: str) -> tuple[tuple[Step, ...], Basic, Basic]:
    """Weights ``K^2 (C/G) N`` (the article's ``K^2 C N`` when G = 1) and N biases."""
    suffix, values = _kernel_values(kernel)
    values.update({C: in_channels, N: layer.channels})
    name = "conv-params"
    if layer.groups != 1:
        name, values[G] = "conv-params-grouped", layer.groups
    return _param_steps(name + suffix, values, rounding, layer.name, bias=layer.bias)


@dataclass(frozen=True, kw_only=True)
class _Convolution(Layer):
    channels: SizeArg
    kernel: SizesArg
    stride: SizesArg = 1
    padding: SizesArg = 0
    dilation: SizesArg = 1
    groups: SizeArg = 1
    bias: bool = True
    #: the input channels the layer declares (PyTorch's ``in_channels``); None: whatever comes
    in_channels: SizeArg | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("channels", as_size(self.channels, layer=self.name, name="channels", minimum=1))
        if self.in_channels is not None:
            self._set("in_channels", as_size(self.in_channels, layer=self.name, name="in_channels", minimum=1))
        self._set("groups", as_size(self.groups, layer=self.name, name="groups", minimum=1))
        self._sizes(("kernel", 1), ("stride", 1), ("dilation", 1))
        if self.padding not in ("same", TF_SAME):
            self._sizes(("padding", 0))
        self._flag("bias")
        _divisible(self.channels, self.groups, "output channels N", self.name, LayerError)

    def _input_channels(self, shape: Shape) -> tuple[Declared, ...]:
        _divisible(shape.channels, self.groups, "input channels C", self.name)
        return self._declared("in_channels", shape.channels, "channels")


class Conv(_Convolution, kinds=("conv",)):
    """A convolution with ``channels`` kernels (N) of size ``kernel`` (K), 1-d, 2-d or 3-d.

    ``padding`` is a size (per axis or once), ``"valid"`` (0) or ``"same"`` (stride 1,
    the output keeps the input's size; PyTorch puts any odd pixel on the right).
    With ``dilation`` D the kernel spans ``K + (K - 1)(D - 1)``; with ``groups`` G each
    kernel sees C/G channels.

    >>> d = Conv("dw", channels=32, kernel=3, padding=1, groups=32).derive((Shape.parse("112x112x32"),), "floor")
    >>> str(d.output), d.params
    ('112x112x32', 320)
    """

    type: ClassVar[str] = "conv"

    def __post_init__(self) -> None:
        if isinstance(self.padding, str) and self.padding in ("same", "valid", TF_SAME):
            self._set("padding", (Integer(0),) if self.padding == "valid" else self.padding)
        elif isinstance(self.padding, str) and (not self.padding.isidentifier()
                                                or self.padding.lower() in ("same", "valid", TF_SAME)):
            # 'SAME' as TensorFlow writes it would otherwise pass as a symbol named SAME
            raise LayerError(f"padding must be a size, 'same', 'valid' or '{TF_SAME}', got {quote(self.padding)}",
                             where=self.name, rule="padding")
        super().__post_init__()
        if self.padding == "same" and any(s != 1 for s in self._given("stride")):
            raise LayerError(
                "padding 'same' needs stride 1 (PyTorch rejects it for strided convolutions; "
                f"TensorFlow's SAME is '{TF_SAME}')",
                where=self.name,
                rule="same padding needs stride 1",
            )

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        declared = self._input_channels(shape)
        kernel, stride, dilation = self._axes(shape, "kernel", "stride", "dilation")
        padding = self._axes(shape, "padding")[0] if isinstance(self.padding, tuple) else (None,) * shape.rank
        per_axis_steps = []
        axis_step = _axis_steps(self.name)
        for axis, i, k, s, p, d in zip(shape.axes, shape.spatial, kernel, stride, padding, dilation):
            if self.padding == TF_SAME:
                per_axis_steps.append(_tf_same_steps(axis_step, axis, i, k, s, d, rounding))
                continue
            if p is None:
                step = axis_step(O, formula("conv-output-same", rounding), {I: i}, axis)
            elif d == 1:
                step = axis_step(O, formula("conv-output", rounding), {I: i, K: k, P: p, S: s}, axis)
            else:
                values = {I: i, P: p, D: d, K: k, S: s}
                step = axis_step(O, formula("conv-output-dilated", rounding), values, axis)
            per_axis_steps.append([step])
        steps, sizes = _collapse(per_axis_steps)
        params, w, b = _conv_params(self, shape.channels, kernel, rounding)
        return LayerDerivation(self, inputs, Shape(sizes, self.channels), steps + params, w, b, rounding,
                               macs=Mul(*sizes) * w, declared=declared)

    def window(self, shape: Shape) -> Window | None:
        if self.padding == TF_SAME:
            return _tf_same_windows(self, shape)
        if self.padding != "same":
            return _windows(self, shape)
        kernel, stride, dilation = self._axes(shape, "kernel", "stride", "dilation")
        # PyTorch pads D(K - 1) in all, the smaller half on the left.
        return tuple((_effective(k, d), s, floor(d * (k - 1) / 2)) for k, s, d in zip(kernel, stride, dilation))


class Conv1d(Conv, kinds=("conv1d",)):
    """A 1-d convolution (input L x C)."""

    rank: ClassVar[int | None] = 1


class Conv2d(Conv, kinds=("conv2d",)):
    """A 2-d convolution (input H x W x C), as in the article."""

    rank: ClassVar[int | None] = 2


class Conv3d(Conv, kinds=("conv3d",)):
    """A 3-d convolution (input D x H x W x C)."""

    rank: ClassVar[int | None] = 3


@dataclass(frozen=True, kw_only=True)
class ConvTranspose(_Convolution, kinds=("deconv", "conv_transpose")):
    """A transposed convolution: ``O = (I - 1)S - 2P + D(K - 1) + P_o + 1``.

    ``output_padding`` (P_o) must be smaller than the stride or the dilation, as in
    PyTorch. Its weights number the same as a convolution's from N to C channels:
    ``K^2 (C/G) N``.

    >>> d = ConvTranspose("up", channels=8, kernel=2, stride=2).derive((Shape.parse("7x7x16"),), "floor")
    >>> str(d.output), d.params
    ('14x14x8', 520)
    """

    output_padding: SizesArg = 0
    type: ClassVar[str] = "deconv"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._sizes(("output_padding", 0))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        declared = self._input_channels(shape)
        kernel, stride, padding, dilation, extra = self._axes(
            shape, "kernel", "stride", "padding", "dilation", "output_padding"
        )
        per_axis_steps = []
        axis_step = _axis_steps(self.name)
        for axis, i, k, s, p, d, a in zip(shape.axes, shape.spatial, kernel, stride, padding, dilation, extra):
            if _known(a >= s) and _known(a >= d):
                raise LayerError(
                    f"output_padding {a} must be smaller than the stride {s} or the dilation {d}",
                    where=self.name,
                    rule="output_padding < stride or dilation",
                )
            values = {I: i, S: s, P: p, D: d, K: k, P_o: a}
            step = axis_step(O, formula("deconv-output", rounding), values, axis)
            if step.value.is_positive is False:
                raise ShapeError(
                    f"output {axis} {text(step.substituted)} = {text(step.value)} would be below 1 "
                    f"(padding {p} is too large)",
                    where=self.name,
                    rule="output >= 1",
                )
            per_axis_steps.append([step])
        steps, sizes = _collapse(per_axis_steps)
        params, w, b = _conv_params(self, shape.channels, kernel, rounding)
        return LayerDerivation(self, inputs, Shape(sizes, self.channels), steps + params, w, b, rounding,
                               macs=Mul(*shape.spatial) * w, declared=declared)

    def window(self, shape: Shape) -> Window | None:
        """As a window over its input: stride ``1/S`` and padding ``K' - 1 - P`` (``K'`` the effective kernel).

        A transposed conv is a stride-1 conv of the effective kernel over its input with
        S - 1 zeros put between neighbours and ``K' - 1 - P`` on each side, so one input
        step moves S output positions: receptive-field arithmetic with a stride of 1/S.
        """
        kernel, stride, padding, dilation = self._axes(shape, "kernel", "stride", "padding", "dilation")
        return tuple(
            (_effective(k, d), Integer(1) / s, _effective(k, d) - 1 - p)
            for k, s, p, d in zip(kernel, stride, padding, dilation)
        )


class ConvTranspose1d(ConvTranspose):
    rank: ClassVar[int | None] = 1


class ConvTranspose2d(ConvTranspose):
    rank: ClassVar[int | None] = 2


class ConvTranspose3d(ConvTranspose):
    rank: ClassVar[int | None] = 3


def ceil_mode_size(i: Basic, k: Basic, s: Basic, p: Basic, by: Rounder = floor) -> Basic:
    """PyTorch's ceil-mode pooling size in closed form: ``floor((I + P - 1)/S) + 1`` where
    the last-window rule can fire (``K < S + P``), else the plain ``ceil((I + 2P - K)/S) + 1``.

    ``k`` is the window's span (``D(K - 1) + 1`` when dilated), ``by`` the rounding to
    write the result with (both forms below are whole numbers over S, so either writes it).

    PyTorch (``pooling_output_shape``) takes ``O' = ceil(n/S) + 1`` with ``n = I + 2P - K``
    and drops the last window, ``O = O' - 1``, where it would start inside the right
    padding: ``(O' - 1) S >= I + P``. Write ``t = K - P``, so that ``I + P = n + t``; the
    layer's rule ``P <= K/2`` makes ``t >= K/2 > 0``, and ``t`` is whole.

    *When the rule can fire.* ``(O' - 1) S = ceil(n/S) S = n + r`` with
    ``r = (-n) mod S`` in ``0 .. S - 1``; so it fires exactly when ``r >= t``. As
    ``r <= S - 1``, it never fires when ``t >= S``, that is ``K >= S + P`` (every
    common pool: 3/2/0, 2/2/0, 3/2/1, 3/1/1). Where ``t <= S - 1``, it fires at every
    input with ``r >= t`` (``n = 1 mod S`` gives ``r = S - 1``): there the size is
    piecewise in ``n mod S``, and through the layers before it in I modulo the product of
    their strides.

    *One rounding instead of the pieces.* The windows PyTorch keeps are the ``j >= 0``
    with ``j S <= n + S - 1`` (the ceiling) and, after the rule, ``j S <= I + P - 1 =
    n + t - 1`` (a start before the right padding; at most one window goes, as ``(O' - 2) S
    < n < I + P``). So ``O = floor((n + min(S, t) - 1)/S) + 1``: for ``t >= S`` this is
    ``floor((n + S - 1)/S) + 1 = ceil(n/S) + 1`` (n is whole), for ``t < S`` it is
    ``floor((I + P - 1)/S) + 1``. The pieces in ``n mod S`` are this one floor, which
    merges with the floors before it like any other (:mod:`symcnn.analysis.collapse`).
    With a symbolic window or stride, ``min(S, t)`` stays in the formula.

    >>> from symcnn.symbols import I
    >>> ceil_mode_size(I, 2, 3, 0), ceil_mode_size(I, 3, 2, 0), ceil_mode_size(I, 3, 2, 0, ceiling)
    (floor(I/3 - 1/3) + 1, floor(I/2), ceiling(I/2 - 3/2) + 1)
    """
    n = i + 2 * p - k
    t = k - p
    if _known(t >= s):
        return round_with(ceiling, n / s) + 1 if by is ceiling else round_with(floor, (n + s - 1) / s) + 1
    reach = t if _known(t < s) else Min(s, t)
    if by is ceiling:  # floor(m/S) = ceil((m - S + 1)/S) for a whole m
        return round_with(ceiling, (n + reach - s) / s) + 1
    return round_with(floor, (n + reach - 1) / s) + 1


@dataclass(frozen=True, kw_only=True)
class _Pool(Layer):
    """Pooling over ``kernel`` windows (P_s); the stride defaults to the kernel.

    Without ``ceil_mode`` the division is rounded by the network's rounding; with it,
    by PyTorch's rule: rounded up, then the last window dropped if it would start in
    the right padding.
    """

    kernel: SizesArg
    stride: SizesArg | None = None
    padding: SizesArg = 0
    ceil_mode: bool = False
    type: ClassVar[str] = "pool"
    dilation: SizesArg = field(default=1, init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.stride is None:
            self._set("stride", self.kernel)
        if self.padding == "valid":
            self._set("padding", (Integer(0),))
        if isinstance(self.padding, str) and self.padding != TF_SAME:
            raise LayerError(f"padding of a pooling layer must be a size, 'valid' or '{TF_SAME}', got "
                             f"{self.padding!r}", where=self.name, rule="padding")
        self._sizes(("kernel", 1), ("stride", 1), ("dilation", 1))
        if self.padding != TF_SAME:
            self._sizes(("padding", 0))
        self._flag("ceil_mode")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        if self.padding == TF_SAME:
            shape = self._feature_map(inputs)
            kernel, stride, dilation = self._axes(shape, "kernel", "stride", "dilation")
            axis_step = _axis_steps(self.name)
            same, same_sizes = _collapse([_tf_same_steps(axis_step, axis, i, k, s, d, rounding)
                                          for axis, i, k, s, d in zip(shape.axes, shape.spatial, kernel, stride,
                                                                      dilation)])
            return LayerDerivation(self, inputs, Shape(same_sizes, shape.channels), same, rounding=rounding)
        shape = self._feature_map(inputs)
        kernel, stride, padding, dilation = self._axes(shape, "kernel", "stride", "padding", "dilation")
        mode = "ceil" if self.ceil_mode else rounding
        per_axis_steps = []
        axis_step = _axis_steps(self.name)
        for axis, i, k, s, p, d in zip(shape.axes, shape.spatial, kernel, stride, padding, dilation):
            if _known(2 * p > k):
                raise LayerError(
                    f"padding {p} is more than half the pooling window {k}",
                    where=self.name,
                    rule="padding <= kernel/2",
                )
            if d != 1:
                name, values = "pool-output-dilated", {I: i, P: p, D: d, P_s: k, S: s}
            elif p != 0:
                name, values = "pool-output-padded", {I: i, P_s: k, P: p, S: s}
            else:
                name, values = "pool-output", {I: i, P_s: k, S: s}
            steps = [axis_step(O, formula(name, mode), values, axis)]
            reach = _effective(k, d) - p  # how far a window that starts at the right padding reaches into it
            if self.ceil_mode and not _known(reach >= s):  # else PyTorch's last-window rule never fires
                values = {O: steps[0].value, S: s, I: i, P: p}
                size = None
                if not all(v.is_number for v in values.values()):
                    size = ceil_mode_size(i, _effective(k, d), s, p, rounder(rounding) or floor)
                last = axis_step(O, formula("pool-ceil-last-window", mode), values, axis, size)
                if last.value != steps[0].value:
                    steps.append(last)
                if last.value.is_positive is False:
                    raise ShapeError(
                        f"pooling window {k} leaves no output {axis} from the padded input {i + 2 * p}",
                        where=self.name,
                        rule="kernel <= padded input",
                    )
            per_axis_steps.append(steps)
        collapsed, sizes = _collapse(per_axis_steps)
        return LayerDerivation(self, inputs, Shape(sizes, shape.channels), collapsed, rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        return _tf_same_windows(self, shape) if self.padding == TF_SAME else _windows(self, shape)


@dataclass(frozen=True, kw_only=True)
class MaxPool(_Pool, kinds=("maxpool",)):
    """Max pooling (no parameters), with an optional ``dilation`` of the window."""

    dilation: SizesArg = 1


@dataclass(frozen=True, kw_only=True)
class AvgPool(_Pool, kinds=("avgpool",)):
    """Average pooling (no parameters); ``count_include_pad`` changes values, not sizes."""

    count_include_pad: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        self._flag("count_include_pad")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        if shape.rank == 3:
            # PyTorch's 3-d average pooling (alone) also needs the unpadded input to hold a window.
            for axis, i, k in zip(shape.axes, shape.spatial, *self._axes(shape, "kernel")):
                if _known(i < k):
                    raise ShapeError(
                        f"input {axis} {i} is smaller than the pooling window {k} (3-d average pooling)",
                        where=self.name,
                        rule="kernel <= input",
                    )
        return super().derive(inputs, rounding)


class MaxPool1d(MaxPool):
    rank: ClassVar[int | None] = 1


class MaxPool2d(MaxPool):
    """Max pooling over 2-d windows, as in the article."""

    rank: ClassVar[int | None] = 2


class MaxPool3d(MaxPool):
    rank: ClassVar[int | None] = 3


class AvgPool1d(AvgPool):
    rank: ClassVar[int | None] = 1


class AvgPool2d(AvgPool):
    rank: ClassVar[int | None] = 2


class AvgPool3d(AvgPool):
    rank: ClassVar[int | None] = 3


@dataclass(frozen=True, kw_only=True)
class _Adaptive(Layer):
    """Pooling to a given ``output`` size per axis, whatever the input size (PyTorch's adaptive windows)."""

    output: SizesArg
    type: ClassVar[str] = "pool"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._sizes(("output", 1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        (output,) = self._axes(shape, "output")
        f = formula("adaptive-pool-output", rounding)
        axis_step = _axis_steps(self.name)
        steps, sizes = _collapse([[axis_step(O, f, {O_a: o}, axis)] for axis, o in zip(shape.axes, output)])
        return LayerDerivation(self, inputs, Shape(sizes, shape.channels), steps, rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        """``(I/O, I/O, 0)`` where O divides I (PyTorch's windows are then a plain pooling).

        Otherwise PyTorch's windows run from ``floor(jI/O)`` to ``ceil((j + 1)I/O)`` and
        differ in size: this gives the largest window and the mean stride ``I/O`` (a
        fraction), so a receptive field computed from it is an upper bound. A symbolic
        input size is taken as divisible.
        """
        (output,) = self._axes(shape, "output")
        windows = []
        for i, o in zip(shape.spatial, output):
            if not (i.is_Integer and o.is_Integer) or i % o == 0:
                windows.append((i / o, i / o, Integer(0)))
                continue
            largest = max(-((-(j + 1) * int(i)) // int(o)) - (j * int(i)) // int(o) for j in range(int(o)))
            windows.append((Integer(largest), Rational(i, o), Integer(0)))
        return tuple(windows)


class AdaptiveAvgPool(_Adaptive, kinds=("adaptive_avgpool",)):
    """Adaptive average pooling, e.g. ``output=[6, 6]`` before AlexNet's classifier in torchvision."""


class AdaptiveMaxPool(_Adaptive, kinds=("adaptive_maxpool",)):
    """Adaptive max pooling."""


@dataclass(frozen=True, kw_only=True)
class GlobalAvgPool(_Adaptive, kinds=("global_avgpool",)):
    """Average over all positions: adaptive average pooling to 1 on every axis."""

    output: SizesArg = field(default=1, init=False)


@dataclass(frozen=True, kw_only=True)
class Linear(Layer, kinds=("linear", "fc")):
    """A fully connected layer of ``features`` neurons (F).

    After a feature map it uses the article's ``W_cf = O^2 N F`` (``H W N F`` when the
    map is not square); after a vector, ``W_ff = F_{-1} F``. Without ``bias`` the
    biases count 0.
    """

    features: SizeArg
    bias: bool = True
    #: the input length the layer declares (PyTorch's ``in_features``); None: whatever comes
    in_features: SizeArg | None = None
    type: ClassVar[str] = "fc"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("features", as_size(self.features, layer=self.name, name="features", minimum=1))
        if self.in_features is not None:
            self._set("in_features", as_size(self.in_features, layer=self.name, name="in_features", minimum=1))
        self._flag("bias")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._one_input(inputs)
        declared = self._declared("in_features", shape.numel, "length" if shape.is_vector else "H x W x C =")
        if shape.is_vector:
            name, values = "fc-fc-params", {F_prev: shape.channels, F: self.features}
        elif shape.rank == 2 and shape.spatial[0] == shape.spatial[1]:
            name, values = "fc-conv-params", {O: shape.spatial[0], N: shape.channels, F: self.features}
        elif shape.rank == 2:
            name, values = "fc-conv-params-hw", {H: shape.spatial[0], W: shape.spatial[1], N: shape.channels,
                                                  F: self.features}
        else:
            raise ShapeError(f"needs a vector or an HxWxC feature map, got {shape}", where=self.name, rule="fc input")
        steps, w, b = _param_steps(name, values, rounding, self.name, bias=self.bias)
        return LayerDerivation(self, inputs, Shape((), self.features), steps, w, b, rounding, macs=w,
                               declared=declared)


class Flatten(Layer, kinds=("flatten",)):
    """Flattens a feature map into a vector of H x W x C values."""

    type: ClassVar[str] = "flatten"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._one_input(inputs)
        steps: tuple[Step, ...] = ()
        if shape.rank == 2:
            values = {H: shape.spatial[0], W: shape.spatial[1], C: shape.channels}
            steps = (make_step(V, formula("flatten", rounding), values, where=self.name),)
        return LayerDerivation(self, inputs, Shape((), shape.numel), steps, rounding=rounding)


class _ShapeKeeping(Layer):
    """A layer that keeps its input's shape and holds no parameters."""

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._one_input(inputs)
        return LayerDerivation(self, inputs, shape, rounding=rounding)


class _Activation(_ShapeKeeping):
    type: ClassVar[str] = "act"


class ReLU(_Activation, kinds=("relu",)):
    pass


class ReLU6(_Activation, kinds=("relu6",)):
    pass


class Hardswish(_Activation, kinds=("hardswish",)):
    pass


class Hardsigmoid(_Activation, kinds=("hardsigmoid",)):
    pass


class SiLU(_Activation, kinds=("silu",)):
    pass


class Sigmoid(_Activation, kinds=("sigmoid",)):
    pass


class Tanh(_Activation, kinds=("tanh",)):
    pass


class GELU(_Activation, kinds=("gelu",)):
    pass


class Softmax(_Activation, kinds=("softmax",)):
    pass


class Identity(_Activation, kinds=("identity",)):
    pass


class LRN(_ShapeKeeping, kinds=("lrn",)):
    """Local response normalisation (AlexNet's); no parameters."""

    type: ClassVar[str] = "norm"


class Dropout(_ShapeKeeping, kinds=("dropout",)):
    type: ClassVar[str] = "dropout"


@dataclass(frozen=True, kw_only=True)
class _Norm(Layer):
    """A normalisation with a scale and a shift per channel when ``affine``; ``bias: false`` leaves
    the shift out (``nn.LayerNorm(C, bias=False)``, timm's norms without a bias): ``C`` parameters."""

    affine: bool = True
    bias: bool = True
    type: ClassVar[str] = "norm"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._flag("affine")
        self._flag("bias")

    def _derive(self, inputs: tuple[Shape, ...], rounding: str, *, buffers: bool = False) -> LayerDerivation:
        shape = self._one_input(inputs)
        steps: tuple[Step, ...] = ()
        w = b = r = Integer(0)
        if self.affine:
            steps, w, b = _param_steps("norm-params", {C: shape.channels}, rounding, self.name, bias=self.bias)
        if buffers:
            steps += (make_step(R_n, formula("bn-buffers", rounding), {C: shape.channels}, where=self.name),)
            r = steps[-1].value
        return LayerDerivation(self, inputs, shape, steps, w, b, rounding, buffers=r)

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        return self._derive(inputs, rounding)


@dataclass(frozen=True, kw_only=True)
class BatchNorm(_Norm, kinds=("batchnorm",)):
    """Batch normalisation over the channels: ``2C`` parameters (gamma, beta).

    Its running statistics are buffers, not parameters: ``2C + 1`` as in PyTorch's
    ``state_dict`` (running mean and variance per channel, and ``num_batches_tracked``).

    >>> d = BatchNorm("bn").derive((Shape.parse("56x56x64"),), "floor")
    >>> d.params, d.buffers
    (128, 129)
    """

    track_running_stats: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        self._flag("track_running_stats")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        return self._derive(inputs, rounding, buffers=self.track_running_stats)


class LayerNorm(_Norm, kinds=("layernorm",)):
    """Layer normalisation over the channels (a vector's length; C of a channels-last map): ``2C`` parameters."""


@dataclass(frozen=True, kw_only=True)
class GroupNorm(_Norm, kinds=("groupnorm",)):
    """Group normalisation: C channels in ``groups`` groups, ``2C`` parameters."""

    groups: SizeArg

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("groups", as_size(self.groups, layer=self.name, name="groups", minimum=1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        _divisible(self._one_input(inputs).channels, self.groups, "input channels C", self.name)
        return self._derive(inputs, rounding)


class GlobalResponseNorm(_Norm, kinds=("grn",)):
    """Global response normalisation (ConvNeXt-V2's GRN): each channel's L2 norm over the positions,
    divided by the mean of those norms over the channels, rescales the map; ``x + gamma (x N(x)) + beta``
    keeps its shape, with a scale (gamma) and a shift (beta) per channel: ``2C`` parameters."""


class _Merge(Layer):
    """A layer of several inputs, named in ``inputs``.

    Sizes it needs equal that are two numbers, or formulas that differ by a number (``I`` and
    ``I + 2``), differ at every input: an error. Formulas in the input size that are not the same
    (``I`` and ``2*floor(I/2 + 1/2)``, equal for even I only) are recorded in the record's
    ``equal``: the analysis makes them conditions on the input, and at a numeric input they are
    numbers again.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.inputs) < 2:
            raise LayerError(
                f"needs at least two inputs, got {list(self.inputs)}", where=self.name, rule="two or more inputs"
            )

    def _mismatch(self, inputs: tuple[Shape, ...], index: int, what: str, rule: Rule) -> ShapeError:
        a, b = self.inputs[0], self.inputs[index]
        return ShapeError(
            f"inputs {quote(a)} ({inputs[0]}) and {quote(b)} ({inputs[index]}) {what}", where=self.name, rule=rule
        )

    def _equal(self, inputs: tuple[Shape, ...], index: int, axes: Sequence[str], what: str,
               rule: Rule) -> tuple[Equal, ...]:
        """The conditions that make input ``index``'s sizes along ``axes`` those of the first input."""
        found = []
        first, other = inputs[0], inputs[index]
        for axis in axes:
            a, b = _size_along(first, axis), _size_along(other, axis)
            if a == b:
                continue
            if (a - b).is_number:
                raise self._mismatch(inputs, index, what, rule)
            found.append(Equal(axis, (self.inputs[0], self.inputs[index]), (a, b), what))
        return tuple(found)


def _size_along(shape: Shape, axis: str) -> Basic:
    return shape.channels if axis == "C" else shape.spatial[shape.axes.index(axis)]


class Add(_Merge, kinds=("add",)):
    """Element-wise sum of its inputs (a residual connection): every shape must be the same."""

    type: ClassVar[str] = "add"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        equal: tuple[Equal, ...] = ()
        for index, shape in enumerate(inputs[1:], 1):
            if shape.is_vector != inputs[0].is_vector or shape.rank != inputs[0].rank:
                raise self._mismatch(inputs, index, "differ in shape; addition needs equal shapes", Rule.EQUAL_SHAPES)
            equal += self._equal(inputs, index, (*inputs[0].axes, "C"),
                                 "differ in shape; addition needs equal shapes", Rule.EQUAL_SHAPES)
        return LayerDerivation(self, inputs, inputs[0], rounding=rounding, equal=equal)


class Concat(_Merge, kinds=("concat",)):
    """Concatenation along the channels: spatial sizes must match; channels add up."""

    type: ClassVar[str] = "concat"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        equal: tuple[Equal, ...] = ()
        for index, shape in enumerate(inputs[1:], 1):
            if shape.rank != inputs[0].rank:
                raise self._mismatch(
                    inputs, index, "differ in spatial size; concatenation needs equal sizes", Rule.EQUAL_SPATIAL_SIZES
                )
            equal += self._equal(inputs, index, inputs[0].axes,
                                 "differ in spatial size; concatenation needs equal sizes", Rule.EQUAL_SPATIAL_SIZES)
        channels = SymAdd(*(s.channels for s in inputs))
        return LayerDerivation(self, inputs, Shape(inputs[0].spatial, channels), rounding=rounding, equal=equal)


# ---------------------------------------------------------------------------------------
# The layers real models use beyond the article's (imported from PyTorch and ONNX, or written
# in a spec): element-wise products, channel splits and shuffles, upsampling, padding and
# cropping, pixel shuffles, a linear layer over the channels, per-channel scales, DropPath,
# element-wise arithmetic with a constant, and the opaque layer for what symcnn cannot derive.


_NOT_BROADCAST = "do not broadcast: each size must be equal or 1 in one of them"


def _broadcast(a: Basic, b: Basic) -> Basic | None:
    """The size two broadcast sizes give (equal, or one of them 1), or None where they clash."""
    if a == b or b == 1:
        return a
    if a == 1:
        return b
    return None


@dataclass(frozen=True, kw_only=True)
class Multiply(_Merge, kinds=("mul",)):
    """Element-wise product of its inputs, with broadcasting (squeeze-and-excitation gating: a
    1x1xC gate times an HxWxC map). Each size must be equal, or 1 in one of the inputs.

    Two symbolic sizes that are not the same are a condition (they must be equal): where one of
    them is 1 at some input sizes only, the product broadcasts it there, but the closed forms (the
    first input's sizes) do not hold, and the analysis leaves those inputs out."""

    type: ClassVar[str] = "mul"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        out = inputs[0]
        equal: list[Equal] = []
        for index, shape in enumerate(inputs[1:], 1):
            if shape.rank != out.rank:
                raise self._mismatch(inputs, index, "have different ranks", Rule.BROADCASTABLE_SHAPES)
            dims = []
            for axis, a, b in zip((*out.axes, "C"), out.dims, shape.dims):
                size = _broadcast(a, b)
                if size is None and not (a - b).is_number:  # equal for some inputs only: a condition
                    equal.append(Equal(axis, (self.inputs[0], self.inputs[index]), (a, b), _NOT_BROADCAST))
                    size = a
                if size is None:
                    raise self._mismatch(inputs, index, _NOT_BROADCAST, Rule.BROADCASTABLE_SHAPES)
                dims.append(size)
            out = Shape(tuple(dims[:-1]), dims[-1])
        return LayerDerivation(self, inputs, out, rounding=rounding, equal=tuple(equal))


@dataclass(frozen=True, kw_only=True)
class Elementwise(_ShapeKeeping, kinds=("elementwise",)):
    """Arithmetic of a tensor with a constant (``x + 3``, ``x / 6``, ``erf(x)``): keeps the shape, no
    parameters. ``op`` says which, for the reader."""

    op: str = "op"
    type: ClassVar[str] = "act"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.op, str) or not self.op.replace("_", "").isalnum():
            raise LayerError(f"op must be a word, got {self.op!r}", where=self.name, rule="op is a word")


@dataclass(frozen=True, kw_only=True)
class DropPath(_ShapeKeeping, kinds=("drop_path",)):
    """Stochastic depth (DropPath): drops a whole residual branch in training; keeps the shape."""

    type: ClassVar[str] = "dropout"


@dataclass(frozen=True, kw_only=True)
class ChannelShuffle(Layer, kinds=("channel_shuffle",)):
    """ShuffleNet's channel shuffle in ``groups`` groups: keeps the shape; C must divide by the groups."""

    groups: SizeArg
    type: ClassVar[str] = "shuffle"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("groups", as_size(self.groups, layer=self.name, name="groups", minimum=1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        _divisible(shape.channels, self.groups, "input channels C", self.name)
        return LayerDerivation(self, inputs, shape, rounding=rounding)


@dataclass(frozen=True, kw_only=True)
class Split(Layer, kinds=("split",)):
    """One part of the channels: ``sizes`` (torch.split: the channel counts of the parts, which add
    up to C) or ``chunks`` (torch.chunk: Q parts of ceil(C/Q) channels, the last taking what is
    left), and the part's ``index``. A split in two is two layers, one per part."""

    index: SizeArg = 0
    chunks: SizeArg | None = None
    sizes: SizesArg | None = None
    type: ClassVar[str] = "split"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("index", as_size(self.index, layer=self.name, name="index", minimum=0))
        if (self.chunks is None) == (self.sizes is None):
            raise LayerError("give either chunks (a number of parts) or sizes (the channels of each part)",
                             where=self.name, rule="chunks or sizes")
        if self.chunks is not None:
            self._set("chunks", as_size(self.chunks, layer=self.name, name="chunks", minimum=1))
        else:
            self._sizes(("sizes", 1))
            index = cast(Basic, self.index)
            if index.is_Integer and index >= len(self._given("sizes")):
                raise LayerError(f"index {index} is past the {len(self._given('sizes'))} parts", where=self.name,
                                 rule="index < parts")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._one_input(inputs)
        c = shape.channels
        index = cast(Basic, self.index)
        if self.sizes is not None:
            sizes = self._given("sizes")
            total = SymAdd(*sizes)
            if _known(total - c != 0) or (total.is_Integer and c.is_Integer and total != c):
                raise ShapeError(f"the parts' sizes add up to {total} but the input has C = {c} channels",
                                 where=self.name, rule="split sizes add up to C")
            return LayerDerivation(self, inputs, Shape(shape.spatial, sizes[int(index)]), rounding=rounding)
        values = {C: c, Q: self.chunks}
        step = make_step(N, formula("chunk-channels", rounding), values, where=self.name)
        steps = [step]
        if c.is_Integer and step.value.is_Integer:
            parts = -(-int(c) // int(step.value))  # PyTorch gives fewer chunks where C/Q leaves them empty
            if index >= parts:
                raise ShapeError(f"chunk {index} does not exist: C = {c} in chunks of {step.value} makes "
                                 f"{parts} chunks", where=self.name, rule="index < chunks")
            if index == parts - 1 and parts * int(step.value) != int(c):
                values = {C: c, Q: self.chunks, J: index}
                steps.append(make_step(N, formula("chunk-channels-last", rounding), values, where=self.name))
        return LayerDerivation(self, inputs, Shape(shape.spatial, steps[-1].value), tuple(steps), rounding=rounding)


def _ratio(value: Any, *, layer: str, name: str) -> Basic:
    """A scale factor: a whole number, a fraction (``Rational``, ``Fraction``, ``"3/2"``) or a float
    that is one (``1.5``), positive; never parsed beyond ``p/q``."""
    from fractions import Fraction

    if isinstance(value, str) and "/" in value:
        p, _, q = (part.strip() for part in value.partition("/"))
        if re.fullmatch(r"[0-9]+", p) and re.fullmatch(r"[0-9]+", q):  # ASCII digits only: not ², not ３
            check_numeral(p, where=f"layer {layer}, {name}")
            check_numeral(q, where=f"layer {layer}, {name}")
            if int(q) > 0:
                value = Rational(int(p), int(q))
    if isinstance(value, Fraction):
        value = Rational(value.numerator, value.denominator)
    if isinstance(value, float) and value > 0 and value == value and value != float("inf"):
        value = Rational(value)  # exactly the float's value, as PyTorch multiplies with it
    if isinstance(value, bool) or not isinstance(value, (int, Integer, Rational)) or value <= 0:
        raise LayerError(f"{name} must be a positive whole number or fraction (such as 2 or 3/2), got {value!r}",
                         where=layer, rule=f"{name} is a positive number")
    return Rational(value)


@dataclass(frozen=True, kw_only=True)
class Upsample(Layer, kinds=("upsample",)):
    """Upsampling (nearest, bilinear, ...; the mode changes values, not sizes) by a ``scale`` factor
    per axis, ``O = floor(I U)`` as PyTorch rounds it, or to a ``size``; with neither and two
    inputs, to the spatial size of the second (``F.interpolate(x, size=y.shape[-2:])``)."""

    scale: object = None
    size: SizesArg | None = None
    mode: str = "nearest"
    type: ClassVar[str] = "upsample"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.scale is not None and self.size is not None:
            raise LayerError("give scale or size, not both", where=self.name, rule="scale or size")
        if self.scale is not None:
            items = self.scale if isinstance(self.scale, (tuple, list)) else (self.scale,)
            self._set("scale", tuple(_ratio(v, layer=self.name, name="scale") for v in items))
        elif self.size is not None:
            self._sizes(("size", 1))
        elif len(self.inputs) != 2:
            raise LayerError("give a scale, a size, or a second input whose size to take", where=self.name,
                             rule="scale, size or reference")
        if not isinstance(self.mode, str) or not self.mode.replace("_", "").isalnum():
            raise LayerError(f"mode must be a word, got {self.mode!r}", where=self.name, rule="mode is a word")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        if self.scale is None and self.size is None:
            shape, reference = inputs[0], inputs[-1]
            if len(inputs) != 2 or reference.rank != shape.rank:
                raise ShapeError("takes the spatial size of its second input, which must have as many axes",
                                 where=self.name, rule="reference input")
            sizes = reference.spatial
            f = formula("upsample-output-size", rounding)
            axis_step = _axis_steps(self.name)
            steps, _ = _collapse([[axis_step(O, f, {O_a: o}, axis)] for axis, o in zip(shape.axes, sizes)])
            return LayerDerivation(self, inputs, Shape(sizes, shape.channels), steps, rounding=rounding)
        shape = self._feature_map(inputs)
        axis_step = _axis_steps(self.name)
        per_axis_steps = []
        if self.size is not None:
            (sizes,) = self._axes(shape, "size")
            f = formula("upsample-output-size", rounding)
            per_axis_steps = [[axis_step(O, f, {O_a: o}, axis)] for axis, o in zip(shape.axes, sizes)]
        else:
            (scale,) = self._axes(shape, "scale")
            f = formula("upsample-output", rounding)
            for axis, i, u in zip(shape.axes, shape.spatial, scale):
                step = axis_step(O, f, {I: i, U: u}, axis)
                if step.value.is_positive is False:
                    raise ShapeError(f"output {axis} {text(step.substituted)} = {text(step.value)} would be below 1",
                                     where=self.name, rule="output >= 1")
                per_axis_steps.append([step])
        steps, sizes = _collapse(per_axis_steps)
        return LayerDerivation(self, inputs, Shape(sizes, shape.channels), steps, rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        """Nearest-neighbour upsampling by a whole factor: one input position per output, stride ``1/U``."""
        if self.scale is None:
            return None
        (scale,) = self._axes(shape, "scale")
        return tuple((Integer(1), 1 / u, Integer(0)) for u in scale)


_PAD_MODES = ("constant", "reflect", "replicate", "circular")


@dataclass(frozen=True, kw_only=True)
class Pad(Layer, kinds=("pad",)):
    """Padding per side: ``before`` and ``after`` each axis (sizes per axis or once), filled by
    ``mode``: constant (zeros), reflect, replicate or circular. ``O = I + P_b + P_a``.

    Reflect needs each pad smaller than the input, circular at most the input, as in PyTorch.
    """

    before: SizesArg = 0
    after: SizesArg = 0
    mode: str = "constant"
    type: ClassVar[str] = "pad"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._sizes(("before", 0), ("after", 0))
        if self.mode not in _PAD_MODES:
            raise LayerError(f"mode must be one of {', '.join(_PAD_MODES)}, got {self.mode!r}", where=self.name,
                             rule="padding mode")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        before, after = self._axes(shape, "before", "after")
        axis_step = _axis_steps(self.name)
        per_axis_steps = []
        for axis, i, b, a in zip(shape.axes, shape.spatial, before, after):
            for p in (b, a):
                if self.mode == "reflect" and _known(p >= i):
                    raise ShapeError(f"reflect padding {p} must be smaller than the input {axis} {i}",
                                     where=self.name, rule="reflect pad < input")
                if self.mode == "circular" and _known(p > i):
                    raise ShapeError(f"circular padding {p} must be at most the input {axis} {i}",
                                     where=self.name, rule="circular pad <= input")
            per_axis_steps.append([axis_step(O, formula("pad-output", rounding), {I: i, P_b: b, P_a: a}, axis)])
        steps, sizes = _collapse(per_axis_steps)
        return LayerDerivation(self, inputs, Shape(sizes, shape.channels), steps, rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        (before,) = self._axes(shape, "before")
        return tuple((Integer(1), Integer(1), b) for b in before)


@dataclass(frozen=True, kw_only=True)
class Crop(Layer, kinds=("crop",)):
    """Cropping per side: ``before`` and ``after`` each axis, ``O = I - P_b - P_a``; or, with no sizes
    and two inputs, the centre of the first cut to the spatial size of the second (U-Net's
    crop-and-concat; the odd pixel is cut after)."""

    before: SizesArg = 0
    after: SizesArg = 0
    type: ClassVar[str] = "crop"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._sizes(("before", 0), ("after", 0))

    def _reference(self) -> bool:
        return len(self.inputs) == 2

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        axis_step = _axis_steps(self.name)
        if self._reference():
            shape, reference = inputs
            if reference.rank != shape.rank or shape.is_vector:
                raise ShapeError("crops to the spatial size of its second input, which must have as many axes",
                                 where=self.name, rule="reference input")
            per_axis_steps = []
            for axis, i, r in zip(shape.axes, shape.spatial, reference.spatial):
                if _known(r > i):
                    raise ShapeError(f"cannot crop {axis} {i} to the larger {r}", where=self.name,
                                     rule="crop to a smaller size")
                b = floor((i - r) / 2)
                per_axis_steps.append([axis_step(O, formula("crop-output", rounding), {I: i, P_b: b, P_a: i - r - b},
                                                 axis)])
        else:
            shape = self._feature_map(inputs)
            before, after = self._axes(shape, "before", "after")
            per_axis_steps = []
            for axis, i, b, a in zip(shape.axes, shape.spatial, before, after):
                step = axis_step(O, formula("crop-output", rounding), {I: i, P_b: b, P_a: a}, axis)
                if step.value.is_positive is False:
                    raise ShapeError(f"cropping {b} + {a} leaves nothing of the input {axis} {i}", where=self.name,
                                     rule="crop < input")
                per_axis_steps.append([step])
        steps, sizes = _collapse(per_axis_steps)
        return LayerDerivation(self, inputs, Shape(sizes, shape.channels), steps, rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        """One input position per output: a window of 1. (The field's offset, the pixels cut before,
        is left out: the windows' padding is taken as the same on both sides, which a crop's is not.)"""
        return tuple((Integer(1), Integer(1), Integer(0)) for _ in shape.spatial)


@dataclass(frozen=True, kw_only=True)
class PixelShuffle(Layer, kinds=("pixel_shuffle",)):
    """Sub-pixel upsampling: R^2 channels become an R x R block, ``rH x rW x C/R^2``."""

    factor: SizeArg
    type: ClassVar[str] = "shuffle"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("factor", as_size(self.factor, layer=self.name, name="factor", minimum=1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        r = cast(Basic, self.factor)
        c = shape.channels
        if c.is_Integer and r.is_Integer and c % (r * r):
            raise ShapeError(f"input channels C = {c} are not divisible by R^2 = {r * r}", where=self.name,
                             rule="channels divisible by R^2")
        axis_step = _axis_steps(self.name)
        steps, sizes = _collapse([[axis_step(O, formula("pixel-shuffle-output", rounding), {I: i, R: r}, axis)]
                                  for axis, i in zip(shape.axes, shape.spatial)])
        channels = make_step(N, formula("pixel-shuffle-channels", rounding), {C: c, R: r}, where=self.name)
        return LayerDerivation(self, inputs, Shape(sizes, channels.value), (*steps, channels), rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        return tuple((Integer(1), 1 / cast(Basic, self.factor), Integer(0)) for _ in shape.spatial)


@dataclass(frozen=True, kw_only=True)
class PixelUnshuffle(Layer, kinds=("pixel_unshuffle",)):
    """The inverse of a pixel shuffle: each R x R block becomes R^2 channels, ``H/r x W/r x C R^2``."""

    factor: SizeArg
    type: ClassVar[str] = "shuffle"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("factor", as_size(self.factor, layer=self.name, name="factor", minimum=1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        r = cast(Basic, self.factor)
        for axis, i in zip(shape.axes, shape.spatial):
            if i.is_Integer and r.is_Integer and i % r:
                raise ShapeError(f"input {axis} {i} is not divisible by the factor R = {r}", where=self.name,
                                 rule="size divisible by R")
        axis_step = _axis_steps(self.name)
        steps, sizes = _collapse([[axis_step(O, formula("pixel-unshuffle-output", rounding), {I: i, R: r}, axis)]
                                  for axis, i in zip(shape.axes, shape.spatial)])
        channels = make_step(N, formula("pixel-unshuffle-channels", rounding), {C: shape.channels, R: r},
                             where=self.name)
        return LayerDerivation(self, inputs, Shape(sizes, channels.value), (*steps, channels), rounding=rounding)

    def window(self, shape: Shape) -> Window | None:
        factor = cast(Basic, self.factor)
        return tuple((factor, factor, Integer(0)) for _ in shape.spatial)


@dataclass(frozen=True, kw_only=True)
class ChannelLinear(Layer, kinds=("channel_linear",)):
    """An FC layer over the channels of every position of a channels-last map (ConvNeXt's
    ``Linear`` after a permute): ``H x W x F``, with ``C F`` weights and F biases, as a 1x1 conv."""

    features: SizeArg
    bias: bool = True
    in_features: SizeArg | None = None
    type: ClassVar[str] = "fc"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("features", as_size(self.features, layer=self.name, name="features", minimum=1))
        if self.in_features is not None:
            self._set("in_features", as_size(self.in_features, layer=self.name, name="in_features", minimum=1))
        self._flag("bias")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        declared = self._declared("in_features", shape.channels, "channels")
        steps, w, b = _param_steps("channel-linear-params", {C: shape.channels, F: self.features}, rounding,
                                   self.name, bias=self.bias)
        return LayerDerivation(self, inputs, Shape(shape.spatial, self.features), steps, w, b, rounding,
                               macs=Mul(*shape.spatial) * w, declared=declared)


@dataclass(frozen=True, kw_only=True)
class Scale(Layer, kinds=("scale",)):
    """A learned scale per channel (ConvNeXt's layer scale, ``gamma * x``): C parameters, same shape."""

    type: ClassVar[str] = "scale"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._one_input(inputs)
        step = make_step(W_s, formula("scale-params", rounding), {C: shape.channels}, where=self.name)
        return LayerDerivation(self, inputs, shape, (step,), step.value, rounding=rounding)


@dataclass(frozen=True, kw_only=True)
class CrossCovarianceAttention(Layer, kinds=("xca",)):
    """Cross-covariance attention (XCiT's, EdgeNeXt's) over the positions of a map, its channels in
    ``heads`` heads: queries, keys and values by one FC layer over the channels (C to 3C, biases where
    ``qkv_bias``), a C/h x C/h attention per head between the channels of its queries and keys (scaled
    by a learned temperature, one per head), and a projection (C to C, with biases): ``4C^2`` weights,
    ``C`` (or ``4C``) biases and ``h`` temperatures; the shape is kept.

    MACs: the two FC layers at every position (``4 C^2 H W``), and the attention's two products
    ``2 (C/h)^2 H W`` per head (``2 C^2 H W / h``), a linear growth with the positions.

    >>> d = CrossCovarianceAttention("xca", heads=4).derive((Shape.parse("6x6x48"),), "floor")
    >>> d.params, d.macs
    (9268, 373248)
    """

    heads: SizeArg
    qkv_bias: bool = False
    type: ClassVar[str] = "attention"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("heads", as_size(self.heads, layer=self.name, name="heads", minimum=1))
        self._flag("qkv_bias")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        c = shape.channels
        _divisible(c, self.heads, "input channels C", self.name)
        qkv, w_qkv, b_qkv = _param_steps("channel-linear-params", {C: c, F: 3 * c}, rounding, self.name,
                                         bias=self.qkv_bias)
        proj, w_proj, b_proj = _param_steps("channel-linear-params", {C: c, F: c}, rounding, self.name)
        temperature = make_step(W_t, formula("xca-temperature", rounding), {N_h: self.heads}, where=self.name)
        positions = Mul(*shape.spatial)
        macs = positions * (w_qkv + w_proj) + 2 * positions * c * c / self.heads
        return LayerDerivation(self, inputs, shape, (*qkv, *proj, temperature), w_qkv + w_proj + temperature.value,
                               b_qkv + b_proj, rounding, macs=macs)


@dataclass(frozen=True, kw_only=True)
class FourierPositionEncoding(Layer, kinds=("fourier_position",)):
    """A position encoding added to a map (EdgeNeXt's): ``features`` sines and cosines of each
    position's row and column, computed for any height and width, projected to the map's C channels
    by a 1x1 convolution (``features C`` weights, C biases) and added; the shape is kept."""

    features: SizeArg
    type: ClassVar[str] = "embed"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("features", as_size(self.features, layer=self.name, name="features", minimum=1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        values = {K: Integer(1), C: self.features, N: shape.channels}
        steps, w, b = _param_steps("conv-params", values, rounding, self.name)
        return LayerDerivation(self, inputs, shape, steps, w, b, rounding, macs=Mul(*shape.spatial) * w)


@dataclass(frozen=True, kw_only=True)
class Opaque(Layer, kinds=("opaque",)):
    """An operation symcnn cannot derive, kept as PyTorch (or ONNX) gave it at the import size.

    ``op`` names the operation; ``output`` is its concrete output shape for the concrete
    ``shapes`` of its inputs; ``params`` the numbers of parameters it holds. It derives only at
    those inputs: at any other it stops the derivation with an error that names it. Every view
    marks it as not derived.
    """

    op: str
    output: object
    shapes: object = ()
    params: SizeArg = 0
    type: ClassVar[str] = "opaque"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.op, str) or not self.op:
            raise LayerError(f"op must name the operation, got {self.op!r}", where=self.name, rule="op")
        self._set("output", Shape.of(self.output, field=f"{self.name}: output"))
        shapes = self.shapes if isinstance(self.shapes, (tuple, list)) else (self.shapes,)
        self._set("shapes", tuple(Shape.of(s, field=f"{self.name}: shapes") for s in shapes))
        self._set("params", as_size(self.params, layer=self.name, name="params", minimum=0))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shapes = cast(tuple, self.shapes)
        if shapes and tuple(inputs) != shapes:
            got = ", ".join(str(s) for s in inputs)
            known = ", ".join(str(s) for s in shapes)
            raise ShapeError(f"opaque ({self.op}): its output is known only for the input {known} it had at "
                             f"import, not for {got}", where=self.name, rule="opaque layers do not derive")
        return LayerDerivation(self, inputs, cast(Shape, self.output), (), cast(Basic, self.params),
                               rounding=rounding)


def _same(value: object, default: object) -> bool:
    values = value if isinstance(value, tuple) else (value,)
    return all(v == default for v in values) if values else default == ()


def _field_text(value: object) -> str:
    if isinstance(value, Basic):
        return text(value, separators=False) if value.is_Integer else repr(str(value))
    if isinstance(value, tuple):
        return "(" + ", ".join(_field_text(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _short_reprs(cls: type[Layer]) -> None:
    """Every layer class's ``repr`` is :meth:`Layer.__repr__` (``@dataclass`` writes one per class)."""
    for sub in cls.__subclasses__():
        if "__repr__" in sub.__dict__:
            sub.__repr__ = Layer.__repr__  # type: ignore[method-assign]
        _short_reprs(sub)


_short_reprs(Layer)



__all__ = [
    "Layer", "LAYER_TYPES", "Conv", "Conv1d", "Conv2d", "Conv3d",
    "ConvTranspose", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "MaxPool", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool", "AdaptiveMaxPool", "GlobalAvgPool", "BatchNorm", "LayerNorm", "GroupNorm", "LRN",
    "GlobalResponseNorm",
    "ReLU", "ReLU6", "Hardswish", "Hardsigmoid", "SiLU", "Sigmoid", "Tanh", "GELU", "Softmax", "Identity",
    "Dropout", "Flatten", "Linear", "Add", "Concat", "as_size", "as_sizes",
    "Multiply", "Elementwise", "DropPath", "ChannelShuffle", "Split", "Upsample", "Pad", "Crop", "PixelShuffle",
    "PixelUnshuffle", "ChannelLinear", "Scale", "Opaque", "TF_SAME", "CrossCovarianceAttention",
    "FourierPositionEncoding",
]
