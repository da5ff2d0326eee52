"""Tokens and attention as layers: what a vision transformer is made of, each with its formulas.

A token sequence is a 1-d channels-last map, written ``L x C`` (L tokens of C channels): a
feature map read position by position (``tokens``, after a patch embedding's convolution with
kernel and stride the patch size), learned tokens put before it (``class_token``), a learned
position embedding added to it (``pos_embed``: it holds one value per token, so it fixes L and,
through it, the input size), multi-head self-attention (``attention``), and the token a head
reads (``token``). Layer norms and the MLP's linear layers over the channels are
:class:`~symcnn.layers.LayerNorm` and :class:`~symcnn.layers.ChannelLinear`.

>>> from symcnn.shape import Shape
>>> d = SelfAttention("attn", heads=12).derive((Shape.parse("197x768"),), "floor")
>>> d.params, d.macs  # 4*768**2 + 4*768; 4*197*768**2 + 2*197**2*768
(2362368, 524391936)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, cast

from sympy import Basic, Integer, Mul, ceiling

from .errors import LayerError, ShapeError
from .formulas import formula
from .layers import Layer, SizeArg, _param_steps, _short_reprs, as_size
from .records import LayerDerivation
from .shape import Shape
from .steps import make_step
from .symbols import C, E_t, H, I, L, M, N, N_h, O, W, W_ct, W_pe


class _OnTokens(Layer):
    """A layer over a token sequence (``L x C``)."""

    def _tokens(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = self._one_input(inputs)
        if shape.rank != 1:
            raise ShapeError(f"needs a token sequence (LxC), got {shape}", where=self.name, rule="token input")
        return shape


class Tokens(Layer, kinds=("tokens",)):
    """A feature map read position by position as a sequence of ``L = H W`` tokens of C channels
    (a patch embedding's ``x.flatten(2).transpose(1, 2)``); no parameters.

    >>> str(Tokens("t").derive((Shape.parse("14x14x768"),), "floor").output)
    '196x768'
    """

    type: ClassVar[str] = "tokens"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        if shape.rank != 2:
            raise ShapeError(f"needs an HxWxC feature map, got {shape}", where=self.name, rule="2-d input")
        step = make_step(L, formula("tokens", rounding), {H: shape.spatial[0], W: shape.spatial[1]}, where=self.name)
        return LayerDerivation(self, inputs, Shape((step.value,), shape.channels), (step,), rounding=rounding)


@dataclass(frozen=True, kw_only=True)
class ClassToken(_OnTokens, kinds=("class_token",)):
    """``tokens`` learned tokens (E_t: a class token, DeiT's distillation token) put before the
    sequence: ``L + E_t`` tokens, ``E_t C`` parameters.

    >>> d = ClassToken("cls").derive((Shape.parse("196x768"),), "floor")
    >>> str(d.output), d.params
    ('197x768', 768)
    """

    tokens: SizeArg = 1
    type: ClassVar[str] = "tokens"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("tokens", as_size(self.tokens, layer=self.name, name="tokens", minimum=1))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._tokens(inputs)
        out = make_step(O, formula("class-token-output", rounding), {L: shape.spatial[0], E_t: self.tokens},
                        where=self.name)
        params = make_step(W_ct, formula("class-token-params", rounding), {E_t: self.tokens, C: shape.channels},
                           where=self.name)
        return LayerDerivation(self, inputs, Shape((out.value,), shape.channels), (out, params), params.value,
                               rounding=rounding)


@dataclass(frozen=True, kw_only=True)
class PositionEmbedding(_OnTokens, kinds=("pos_embed",)):
    """A learned position embedding added to every token: C values for each of its ``tokens``
    (L), ``L C`` parameters. It holds one embedding per token, so the sequence it is added to
    must have exactly L tokens: a condition on the input size (ViT-B/16's 197 tokens at
    patch 16 hold for inputs 224 to 239; the model itself may check for 224 alone).

    ``interpolated``: the embedding of the grid's tokens is resized to the grid of every input
    before it is added (timm's ``dynamic_img_size=True``, ``resample_abs_pos_embed``; class
    tokens keep theirs): still ``L C`` parameters, L the tokens it was built with, and no
    condition on the input.

    ``tokens`` left out (None): one embedding for each token of the input, as a model built
    for each input size has (torchvision's ``vit_b_16(image_size=...)``): ``L C`` parameters
    with L the input's tokens, so the parameters grow with the input.

    >>> PositionEmbedding("pos", tokens=197).derive((Shape.parse("197x768"),), "floor").params
    151296
    >>> str(PositionEmbedding("pos", tokens=197, interpolated=True).derive((Shape.parse("257x768"),), "floor").output)
    '257x768'
    >>> PositionEmbedding("pos").derive((Shape.parse("257x768"),), "floor").params  # 257 * 768
    197376
    """

    tokens: SizeArg | None = None
    interpolated: bool = False
    type: ClassVar[str] = "tokens"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.tokens is not None:
            self._set("tokens", as_size(self.tokens, layer=self.name, name="tokens", minimum=1))
        self._flag("interpolated")
        if self.interpolated and self.tokens is None:
            raise LayerError("an interpolated position embedding needs the tokens it was built with", where=self.name,
                             rule="tokens given")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._tokens(inputs)
        declared = () if self.interpolated else self._declared("tokens", shape.spatial[0], "tokens L =")
        tokens = shape.spatial[0] if self.tokens is None else self.tokens
        step = make_step(W_pe, formula("position-embedding-params", rounding), {L: tokens, C: shape.channels},
                         where=self.name)
        return LayerDerivation(self, inputs, shape, (step,), step.value, rounding=rounding, declared=declared)


@dataclass(frozen=True, kw_only=True)
class SelfAttention(_OnTokens, kinds=("attention",)):
    """Multi-head self-attention over L tokens of C channels in ``heads`` heads (C divisible by
    them): the query, key and value projections (``3C^2`` weights, ``3C`` biases) and the output
    projection (``C^2``, ``C``), ``4C^2 + 4C`` parameters with ``bias``, ``4C^2`` without.

    MACs, as the profilers count them (fvcore's convention): the four projections ``4 L C^2``,
    and the two products of the attention (queries by keys, weights by values) ``2 L^2 C``,
    whatever the number of heads; the softmax and the scaling are not counted.
    """

    heads: SizeArg = 1
    bias: bool = True
    type: ClassVar[str] = "attention"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("heads", as_size(self.heads, layer=self.name, name="heads", minimum=1))
        self._flag("bias")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._tokens(inputs)
        c, tokens = shape.channels, shape.spatial[0]
        heads = cast(Basic, self.heads)
        if c.is_Integer and heads.is_Integer and c % heads:
            raise ShapeError(f"C = {c} channels do not divide into {heads} heads", where=self.name,
                             rule="channels divisible by heads")
        steps, w, b = _param_steps("attention-params", {C: c}, rounding, self.name, bias=self.bias)
        macs = Integer(4) * tokens * c**2 + Integer(2) * tokens**2 * c
        return LayerDerivation(self, inputs, shape, steps, w, b, rounding, macs=macs)


@dataclass(frozen=True, kw_only=True)
class TokenSelect(_OnTokens, kinds=("token",)):
    """The token at ``index`` (0: the class token a classifier head reads): a vector of C values.

    >>> str(TokenSelect("pick").derive((Shape.parse("197x768"),), "floor").output)
    '768'
    """

    index: SizeArg = 0
    type: ClassVar[str] = "tokens"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set("index", as_size(self.index, layer=self.name, name="index", minimum=0))

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._tokens(inputs)
        tokens, index = shape.spatial[0], cast(Basic, self.index)
        if tokens.is_Integer and index.is_Integer and index >= tokens:
            raise ShapeError(f"token {index} does not exist in {tokens} tokens", where=self.name,
                             rule="index < tokens")
        return LayerDerivation(self, inputs, Shape((), shape.channels), rounding=rounding)


def _heads(layer: Layer, c: Basic) -> Basic:
    heads = cast(Basic, layer.heads)  # type: ignore[attr-defined]  # SelfAttention, WindowAttention
    if c.is_Integer and heads.is_Integer and c % heads:
        raise ShapeError(f"C = {c} channels do not divide into {heads} heads", where=layer.name,
                         rule="channels divisible by heads")
    return heads


@dataclass(frozen=True, kw_only=True)
class WindowAttention(Layer, kinds=("window_attention",)):
    """Swin's multi-head self-attention within windows of ``window_size`` x ``window_size`` positions (M) of a
    channels-last H x W x C map, the windows shifted by ``shift`` in every other block: the map is
    padded on the right and the bottom to whole windows, attended window by window, and cut back,
    so the output keeps the input's shape. Parameters: the four projections (``4C^2 + 4C`` with
    ``bias``) and a table of relative position biases, ``(2M - 1)^2`` per head.

    MACs (fvcore's convention, as :class:`SelfAttention`): the projections of every padded
    position, ``4 H_p W_p C^2``, and the two products within each window, ``2 H_p W_p M^2 C``,
    where ``H_p = M ceil(H/M)``. MaxViT's block and grid attention (``grid``) attend groups of M^2
    positions too, on a map of the size the model was built for (``map_size``, a multiple of M).

    >>> d = WindowAttention("attn", window_size=7, heads=3).derive((Shape.parse("56x56x96"),), "floor")
    >>> d.params, d.macs  # 4*96**2 + 13**2*3 + 4*96; 4*56*56*96**2 + 2*56*56*49*96
    (37755, 145108992)
    """

    window_size: SizeArg = 7
    heads: SizeArg = 1
    shift: SizeArg = 0
    bias: bool = True
    #: MaxViT's grid attention: windows of positions H/M apart rather than side by side (the same counts)
    grid: bool = False
    #: the height and width the layer was built for (MaxViT's ``grid_size``): a condition on the input
    map_size: SizeArg | None = None
    type: ClassVar[str] = "attention"

    def __post_init__(self) -> None:
        super().__post_init__()
        for name, minimum in (("window_size", 1), ("heads", 1), ("shift", 0)):
            self._set(name, as_size(getattr(self, name), layer=self.name, name=name, minimum=minimum))
        if self.map_size is not None:
            self._set("map_size", as_size(self.map_size, layer=self.name, name="map_size", minimum=1))
        self._flag("bias")
        self._flag("grid")
        shift, window = cast(Basic, self.shift), cast(Basic, self.window_size)
        if shift.is_Integer and window.is_Integer and shift >= window:
            raise LayerError(f"shift {shift} must be smaller than the window {window}", where=self.name,
                             rule="shift < window")

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        if shape.rank != 2:
            raise ShapeError(f"needs an HxWxC feature map, got {shape}", where=self.name, rule="2-d input")
        c, m = shape.channels, cast(Basic, self.window_size)
        steps, w, b = _param_steps("window-attention-params", {C: c, M: m, N_h: _heads(self, c)}, rounding,
                                   self.name, bias=self.bias)
        declared = tuple(d for i in dict.fromkeys(shape.spatial) for d in self._declared("map_size", i, "a size"))
        padded = Mul(*(m * ceiling(i / m) for i in shape.spatial))
        macs = Integer(4) * padded * c**2 + Integer(2) * padded * m**2 * c
        return LayerDerivation(self, inputs, shape, steps, w, b, rounding, macs=macs, declared=declared)

    def window(self, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...] | None:
        """The largest a position's field grows: any position of a window of M that holds it."""
        m = cast(Basic, self.window_size)
        return ((2 * m - 1, Integer(1), m - 1),) * shape.rank


class PatchMerge(Layer, kinds=("patch_merge",)):
    """Swin's patch merging before its linear layer: each 2 x 2 block of positions side by side in
    the channels (an odd last row or column padded): ``ceil(H/2) x ceil(W/2) x 4C``, no parameters.

    >>> str(PatchMerge("merge").derive((Shape.parse("7x7x384"),), "floor").output)
    '4x4x1536'
    """

    type: ClassVar[str] = "pool"

    def derive(self, inputs: tuple[Shape, ...], rounding: str) -> LayerDerivation:
        shape = self._feature_map(inputs)
        # the last 2 x 2 block of an odd row or column overhangs it (padded), as a pooling's in ceil mode
        per_axis = [replace(make_step(O, formula("patch-merge-output", rounding), {I: i}, axis=axis, where=self.name),
                            overhang=True) for axis, i in zip(shape.axes, shape.spatial)]
        channels = make_step(N, formula("patch-merge-channels", rounding), {C: shape.channels}, where=self.name)
        steps = (per_axis[0],) if len({st.value for st in per_axis}) == 1 and len(per_axis) > 1 and \
            len({st.substituted for st in per_axis}) == 1 else tuple(per_axis)
        return LayerDerivation(self, inputs, Shape(tuple(st.value for st in per_axis), channels.value),
                               (*steps, channels), rounding=rounding)

    def window(self, shape: Shape) -> tuple[tuple[Basic, Basic, Basic], ...] | None:
        return ((Integer(2), Integer(2), Integer(0)),) * shape.rank


_short_reprs(_OnTokens)
WindowAttention.__repr__ = Layer.__repr__  # type: ignore[method-assign]

__all__ = ["Tokens", "ClassToken", "PositionEmbedding", "SelfAttention", "TokenSelect", "WindowAttention",
           "PatchMerge"]
