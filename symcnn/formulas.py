"""The article's general formulas as sympy equations, each with a name and a meaning.

Each :class:`Formula` keeps its parts as the article writes them (``W_c = K^2 C N``,
``B_c = N``, ``P_c = W_c + B_c``), unevaluated so they print in that order, and
offers the combined equation in the base symbols as ``eq`` / ``lhs`` / ``rhs``.

>>> from symcnn import I, K, P, S
>>> conv_output = formula("conv-output")
>>> conv_output.rhs.subs({I: 227, K: 11, P: 0, S: 4})
55
>>> formula("conv-output", rounding="floor").rhs.subs({I: 224, K: 11, P: 0, S: 4})
54
>>> str(formula("conv-params").eq)
'Eq(P_c, C*K**2*N + N)'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sympy import Add, Basic, Eq, Integer, Max, Mul, Piecewise, Pow, Symbol, ceiling

from .errors import UnknownNameError, did_you_mean, quote
from .printing import tex, text
from .rounding import check_rounding, rounded
from .symbols import (
    B_at,
    B_c,
    B_cf,
    B_ff,
    B_n,
    C,
    D,
    E_t,
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
    L,
    M,
    N,
    N_h,
    O,
    O_a,
    P,
    P_a,
    P_at,
    P_b,
    P_c,
    P_cf,
    P_ff,
    P_n,
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
    W_at,
    W_c,
    W_cf,
    W_ct,
    W_ff,
    W_n,
    W_pe,
    W_s,
    W_t,
)

#: What the left side of a formula's part counts; a derivation step carries it, so that no
#: view infers it from a formula's name.
COUNTS: dict[Symbol, str] = {
    O: "size", V: "length",
    W_c: "weights", W_cf: "weights", W_ff: "weights", W_n: "weights",
    B_c: "biases", B_cf: "biases", B_ff: "biases", B_n: "biases",
    P_c: "params", P_cf: "params", P_ff: "params", P_n: "params",
    R_n: "buffers",
    N: "size", P_t: "size", W_s: "weights", W_t: "weights",
    L: "size", W_at: "weights", B_at: "biases", P_at: "params", W_ct: "weights", W_pe: "weights",
}


def _u(fn: type[Basic], *args: Basic) -> Basic:
    """Build ``fn(*args)`` unevaluated, so the article's term order survives (``evaluate=False``
    rather than ``with evaluate(False)``, whose every switch clears sympy's whole cache)."""
    return fn(*args, evaluate=False)


def _minus(x: Basic) -> Basic:
    return _u(Mul, Integer(-1), x)


@dataclass(frozen=True)
class Formula:
    """A named general formula: ordered parts ``(lhs, rhs)`` as the article writes them.

    ``quotient`` is the ``(numerator, denominator)`` of the division that the rounding
    applies to, for output-size formulas.
    """

    name: str
    meaning: str
    parts: tuple[tuple[Symbol, Basic], ...]
    rounding: str = "exact"
    quotient: tuple[Basic, Basic] | None = None

    def __post_init__(self) -> None:
        for lhs, _ in self.parts:
            if lhs not in COUNTS:
                raise TypeError(f"formula {self.name}: say in COUNTS what {lhs} counts")

    def counts(self, part: int = -1) -> str:
        """What part ``part``'s left side counts: size, length, weights, biases, params or buffers."""
        return COUNTS[self.parts[part][0]]

    @property
    def lhs(self) -> Symbol:
        return self.parts[-1][0]

    @property
    def rhs(self) -> Basic:
        """The main result in the base symbols, earlier parts put in, evaluated."""
        known: dict[Symbol, Basic] = {}
        for lhs, rhs in self.parts:
            known[lhs] = rhs.xreplace(known).doit()
        return known[self.lhs]

    @property
    def eq(self) -> Eq:
        return Eq(self.lhs, self.rhs)

    @property
    def equations(self) -> tuple[Eq, ...]:
        """The parts as unevaluated equations, in the article's order."""
        return tuple(Eq(lhs, rhs, evaluate=False) for lhs, rhs in self.parts)

    def text_lines(self) -> list[str]:
        return [f"{text(lhs)} = {text(rhs)}" for lhs, rhs in self.parts]

    def tex_lines(self) -> list[str]:
        return [f"{tex(lhs)} = {tex(rhs)}" for lhs, rhs in self.parts]

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "meaning": self.meaning,
            "rounding": self.rounding,
            "equation": str(self.eq),
            "latex": r" \\ ".join(self.tex_lines()),
            "parts": [str(Eq(lhs, rhs.doit(), evaluate=False)) for lhs, rhs in self.parts],
        }

    def __str__(self) -> str:
        """The equations in the article's order, one a line: ``O = (I - K + 2*P)/S + 1``."""
        return "\n".join(self.text_lines())

    def __repr__(self) -> str:
        shown = "; ".join(self.text_lines())
        rounding = f", rounding {self.rounding}" if self.rounding != "exact" else ""
        text = f"<Formula {self.name}{rounding}: {shown}>"
        return text if len(text) <= 300 else text[:296] + "...>"

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + r" \\ ".join(self.tex_lines()) + "$"


def _output(name: str, meaning: str, numerator: Basic, rounding: str) -> Formula:
    quotient = _u(Mul, numerator, _u(Pow, S, Integer(-1)))
    rhs = _u(Add, rounded(quotient, rounding, evaluated=False), Integer(1))
    return Formula(name, meaning, ((O, rhs),), rounding, (numerator, S))


def _conv_output(rounding: str) -> Formula:
    return _output(
        "conv-output",
        "output width of a conv layer; its channels are the number of kernels N",
        _u(Add, I, _minus(K), _u(Mul, Integer(2), P)),
        rounding,
    )


def _pool_output(rounding: str) -> Formula:
    return _output(
        "pool-output",
        "output width of a pooling layer; channels unchanged, no parameters",
        _u(Add, I, _minus(P_s)),
        rounding,
    )


def _pool_output_padded(rounding: str) -> Formula:
    return _output(
        "pool-output-padded",
        "output width of a pooling layer with padding P; channels unchanged, no parameters",
        _u(Add, I, _minus(P_s), _u(Mul, Integer(2), P)),
        rounding,
    )


def _dilated_window(k: Symbol) -> Basic:
    """``D(k - 1)``: how far a dilated window reaches past its first position."""
    return _u(Mul, D, _u(Add, k, Integer(-1)))


def _conv_output_dilated(rounding: str) -> Formula:
    return _output(
        "conv-output-dilated",
        "output width of a conv layer with dilation D (PyTorch's formula; D = 1 gives the article's)",
        _u(Add, I, _u(Mul, Integer(2), P), _minus(_dilated_window(K)), Integer(-1)),
        rounding,
    )


def _pool_output_dilated(rounding: str) -> Formula:
    return _output(
        "pool-output-dilated",
        "output width of a max-pooling layer with padding P and dilation D; channels unchanged",
        _u(Add, I, _u(Mul, Integer(2), P), _minus(_dilated_window(P_s)), Integer(-1)),
        rounding,
    )


def _params(name: str, meaning: str, w: Symbol, b: Symbol, p: Symbol, weights: Basic, biases: Basic
            ) -> Callable[[str], Formula]:
    def build(rounding: str) -> Formula:
        return Formula(name, meaning, ((w, weights), (b, biases), (p, _u(Add, w, b))), rounding)

    return build


def _fixed(name: str, meaning: str, *parts: tuple[Symbol, Basic] | Callable[[], tuple]) -> Callable[[str], Formula]:
    """A formula with no division to round; its parts, or a function that builds them on first
    use (a comparison costs milliseconds to build: nothing costly is built at import)."""
    if len(parts) == 1 and callable(parts[0]):
        return lambda rounding: Formula(name, meaning, parts[0](), rounding)  # type: ignore[operator]
    return lambda rounding: Formula(name, meaning, parts, rounding)  # type: ignore[arg-type]


# Weights of a conv layer by kernel shape: the article's K^2 for a square 2-d kernel.
_KERNELS = {
    "": ((_u(Pow, K, Integer(2)),), "a K x K kernel"),
    "-hw": ((K_h, K_w), "a K_h x K_w kernel"),
    "-1d": ((K,), "a 1-d kernel of K"),
    "-3d": ((_u(Pow, K, Integer(3)),), "a K x K x K kernel"),
    "-dhw": ((K_d, K_h, K_w), "a K_d x K_h x K_w kernel"),
}


def _conv_params_builders() -> dict[str, Callable[[str], Formula]]:
    builders = {}
    for suffix, (kernel, words) in _KERNELS.items():
        builders["conv-params" + suffix] = _params(
            "conv-params" + suffix, f"parameters of a conv layer: N kernels of {words} over C channels, one bias each",
            W_c, B_c, P_c, _u(Mul, *kernel, C, N), N,
        )
        builders["conv-params-grouped" + suffix] = _params(
            "conv-params-grouped" + suffix,
            f"parameters of a conv layer in G groups: N kernels of {words} over C/G channels, one bias each",
            W_c, B_c, P_c, _u(Mul, *kernel, _u(Mul, C, _u(Pow, G, Integer(-1))), N), N,
        )
    return builders


_BUILDERS: dict[str, Callable[[str], Formula]] = {
    "conv-output": _conv_output,
    "pool-output": _pool_output,
    "pool-output-padded": _pool_output_padded,
    "conv-output-dilated": _conv_output_dilated,
    "conv-output-same": _fixed(
        "conv-output-same", "output width of a conv layer with padding 'same' (stride 1): the input width",
        (O, I),
    ),
    "deconv-output": _fixed(
        "deconv-output", "output width of a transposed conv layer with output padding P_o",
        (O, _u(Add, _u(Mul, _u(Add, I, Integer(-1)), S), _minus(_u(Mul, Integer(2), P)), _dilated_window(K), P_o,
               Integer(1))),
    ),
    "pool-output-dilated": _pool_output_dilated,
    "pool-ceil-last-window": _fixed(
        "pool-ceil-last-window",
        "PyTorch's ceil_mode rule: drop the last window when it would start in the right padding",
        lambda: ((O, Piecewise((_u(Add, O, Integer(-1)), _u(Mul, _u(Add, O, Integer(-1)), S) >= _u(Add, I, P)),
                               (O, True), evaluate=False)),),
    ),
    "adaptive-pool-output": _fixed(
        "adaptive-pool-output", "output width of an adaptive pooling layer: the size asked for", (O, O_a),
    ),
    **_conv_params_builders(),
    "norm-params": _params(
        "norm-params",
        "parameters of a batch-, group- or layer-norm layer: a scale (gamma) and a shift (beta) per channel",
        W_n, B_n, P_n, C, C,
    ),
    "bn-buffers": _fixed(
        "bn-buffers",
        "buffers of a batch-norm layer: running mean and variance per channel, and one batch counter",
        (R_n, _u(Add, _u(Mul, Integer(2), C), Integer(1))),
    ),
    "fc-conv-params": _params(
        "fc-conv-params", "parameters of an FC layer after a conv layer's O x O x N output",
        W_cf, B_cf, P_cf, _u(Mul, _u(Pow, O, Integer(2)), N, F), F,
    ),
    "fc-conv-params-hw": _params(
        "fc-conv-params-hw", "parameters of an FC layer after an H x W x N feature map",
        W_cf, B_cf, P_cf, _u(Mul, H, W, N, F), F,
    ),
    "fc-fc-params": _params(
        "fc-fc-params", "parameters of an FC layer after an FC layer of F_{-1} neurons",
        W_ff, B_ff, P_ff, _u(Mul, F_prev, F), F,
    ),
    "flatten": lambda rounding: Formula(
        "flatten", "length of the vector a feature map flattens to", ((V, _u(Mul, H, W, C)),), rounding
    ),
}


def _upsample_output(rounding: str) -> Formula:
    product = _u(Mul, I, U)
    return Formula(
        "upsample-output",
        "output width of an upsampling layer with scale factor U (PyTorch rounds the product down)",
        ((O, rounded(product, rounding, evaluated=False)),), rounding, (product, Integer(1)),
    )


def _tf_same_output(rounding: str) -> Formula:
    # TensorFlow's SAME padding always rounds up, whatever the network's rounding.
    quotient = _u(Mul, I, _u(Pow, S, Integer(-1)))
    return Formula(
        "tf-same-output", "output width under TensorFlow's SAME padding: the input width over the stride, rounded up",
        ((O, rounded(quotient, "ceil", evaluated=False)),), "ceil", (I, S),
    )


# The layers real models use beyond the article's: upsampling, padding and cropping, TF-SAME
# padding, pixel shuffle, channel splits, a linear layer over the channels, per-channel scales.
_BUILDERS.update({
    "upsample-output": _upsample_output,
    "upsample-output-size": _fixed(
        "upsample-output-size", "output width of an upsampling layer given the size: the size asked for", (O, O_a),
    ),
    "pad-output": _fixed(
        "pad-output", "output width of a padding layer: P_b pixels added before and P_a after",
        (O, _u(Add, I, P_b, P_a)),
    ),
    "crop-output": _fixed(
        "crop-output", "output width of a crop: P_b pixels removed before and P_a after",
        (O, _u(Add, I, _minus(P_b), _minus(P_a))),
    ),
    "tf-same-output": _tf_same_output,
    "tf-same-padding": _fixed(
        "tf-same-padding",
        "total padding of an axis under TensorFlow's SAME padding (the odd pixel goes after the last position)",
        (P_t, Max(_u(Add, _u(Mul, _u(Add, O, Integer(-1)), S), _dilated_window(K), Integer(1), _minus(I)),
                  Integer(0), evaluate=False)),
    ),
    "pixel-shuffle-output": _fixed(
        "pixel-shuffle-output", "output width of a pixel shuffle with upscale factor R", (O, _u(Mul, I, R)),
    ),
    "pixel-shuffle-channels": _fixed(
        "pixel-shuffle-channels", "output channels of a pixel shuffle: R^2 channels make one",
        (N, _u(Mul, C, _u(Pow, _u(Pow, R, Integer(2)), Integer(-1)))),
    ),
    "pixel-unshuffle-output": _fixed(
        "pixel-unshuffle-output", "output width of a pixel unshuffle with downscale factor R",
        (O, _u(Mul, I, _u(Pow, R, Integer(-1)))),
    ),
    "pixel-unshuffle-channels": _fixed(
        "pixel-unshuffle-channels", "output channels of a pixel unshuffle: each channel becomes R^2",
        (N, _u(Mul, C, _u(Pow, R, Integer(2)))),
    ),
    "chunk-channels": _fixed(
        "chunk-channels", "channels of each of Q chunks (PyTorch's chunk: all but the last are this size)",
        (N, ceiling(_u(Mul, C, _u(Pow, Q, Integer(-1))), evaluate=False)),
    ),
    "chunk-channels-last": _fixed(
        "chunk-channels-last", "channels of the last chunk, the J-th: what the chunks before it leave",
        (N, _u(Add, C, _minus(_u(Mul, J, ceiling(_u(Mul, C, _u(Pow, Q, Integer(-1))), evaluate=False))))),
    ),
    "channel-linear-params": _params(
        "channel-linear-params",
        "parameters of an FC layer over the C channels of every position (a 1x1 convolution's count)",
        W_ff, B_ff, P_ff, _u(Mul, C, F), F,
    ),
    "scale-params": _fixed(
        "scale-params", "parameters of a per-channel scale (ConvNeXt's layer scale): one per channel", (W_s, C),
    ),
    "xca-temperature": _fixed(
        "xca-temperature", "learned temperatures of a cross-covariance attention (XCiT's, EdgeNeXt's): one per head",
        (W_t, N_h),
    ),
})

# Tokens and attention (vision transformers): L tokens of C channels each.
_BUILDERS.update({
    "tokens": _fixed(
        "tokens", "number of tokens of a feature map read position by position (a patch embedding's grid)",
        (L, _u(Mul, H, W)),
    ),
    "class-token-output": _fixed(
        "class-token-output", "number of tokens after E_t learned tokens (a class token) are put before the L",
        (O, _u(Add, L, E_t)),
    ),
    "class-token-params": _fixed(
        "class-token-params", "parameters of the tokens put before the sequence: C values each",
        (W_ct, _u(Mul, E_t, C)),
    ),
    "position-embedding-params": _fixed(
        "position-embedding-params", "parameters of a learned position embedding: C values for each of the L tokens",
        (W_pe, _u(Mul, L, C)),
    ),
    "attention-params": _params(
        "attention-params",
        "parameters of a multi-head self-attention layer over C channels: the query, key and value projections "
        "(3C^2 weights, 3C biases) and the output projection (C^2, C)",
        W_at, B_at, P_at, _u(Mul, Integer(4), _u(Pow, C, Integer(2))), _u(Mul, Integer(4), C),
    ),
    "window-attention-params": _params(
        "window-attention-params",
        "parameters of a window self-attention layer over C channels (Swin): the four projections' 4C^2 weights "
        "and 4C biases, and a table of relative position biases, (2M - 1)^2 for each of the N_h heads",
        W_at, B_at, P_at,
        _u(Add, _u(Mul, Integer(4), _u(Pow, C, Integer(2))),
           _u(Mul, _u(Pow, _u(Add, _u(Mul, Integer(2), M), Integer(-1)), Integer(2)), N_h)),
        _u(Mul, Integer(4), C),
    ),
    "patch-merge-output": _fixed(
        "patch-merge-output", "output width of a patch merging (Swin): 2 x 2 neighbours side by side, an odd "
        "row or column padded", lambda: ((O, ceiling(_u(Mul, I, _u(Pow, Integer(2), Integer(-1))), evaluate=False)),),
    ),
    "patch-merge-channels": _fixed(
        "patch-merge-channels", "output channels of a patch merging: the C channels of 4 neighbours",
        (N, _u(Mul, Integer(4), C)),
    ),
})

#: The article's five formulas, in its order.
ARTICLE_FORMULAS = ("conv-output", "pool-output", "conv-params", "fc-conv-params", "fc-fc-params")
FORMULA_NAMES = tuple(_BUILDERS)


@cache
def formula(name: str, rounding: str = "exact") -> Formula:
    """The general formula called ``name`` (see ``FORMULA_NAMES``) under a rounding mode.

    Formulas are frozen values, built once per name and mode.
    """
    try:
        build = _BUILDERS[name]
    except KeyError:
        raise UnknownNameError(
            f"unknown formula {quote(name)}{did_you_mean(name, FORMULA_NAMES)}; known: {', '.join(FORMULA_NAMES)}",
            rule="formula name"
        ) from None
    check_rounding(rounding)
    return build(rounding)


#: The article's formulas by their Python names, built on first use (module ``__getattr__``).
_ARTICLE_NAMES = {
    "conv_output": "conv-output", "pool_output": "pool-output", "conv_params": "conv-params",
    "fc_conv_params": "fc-conv-params", "fc_fc_params": "fc-fc-params",
}

conv_output: Formula
pool_output: Formula
conv_params: Formula
fc_conv_params: Formula
fc_fc_params: Formula


def __getattr__(name: str) -> Formula:
    if name in _ARTICLE_NAMES:
        return formula(_ARTICLE_NAMES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Formula", "formula", "COUNTS", "ARTICLE_FORMULAS", "FORMULA_NAMES",
    "conv_output", "pool_output", "conv_params", "fc_conv_params", "fc_fc_params",
]
