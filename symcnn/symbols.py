"""The article's symbols: the one place each is defined, with its assumptions and meaning.

Sizes are positive integers and counts non-negative integers, so sympy can simplify
(``floor`` of an integer, ``(K - 1)/2`` for the padding that keeps the size, ...).
``LATEX_NAMES`` holds the LaTeX spelling of the few names whose ``str`` must stay
parseable (``F_prev`` is written ``F_{-1}`` as in the article).

>>> from symcnn.symbols import I, K, P, S
>>> ((I - K + 2*P)/S + 1).subs({I: 227, K: 11, P: 0, S: 4})
55
"""

from __future__ import annotations

import keyword

from sympy import Symbol


def _size(name: str) -> Symbol:
    return Symbol(name, integer=True, positive=True)


def _count(name: str) -> Symbol:
    return Symbol(name, integer=True, nonnegative=True)


# Layer hyper-parameters and sizes (the article's square case: one width per axis).
I = _size("I")  #: size (width) of the input
O = _size("O")  #: size (width) of the output
K = _size("K")  #: size (width) of the kernel
P = _count("P")  #: padding
S = _size("S")  #: stride
N = _size("N")  #: number of kernels (output channels)
C = _size("C")  #: number of input channels
F = _size("F")  #: number of neurons of an FC layer
P_s = _size("P_s")  #: pooling size
F_prev = _size("F_prev")  #: number of neurons of the previous FC layer (F_{-1})
H = _size("H")  #: height of a feature map
W = _size("W")  #: width of a feature map
K_h = _size("K_h")  #: kernel height, when it differs from the width
K_w = _size("K_w")  #: kernel width, when it differs from the height
D = _size("D")  #: dilation
G = _size("G")  #: groups
V = _size("V")  #: length of the vector a feature map flattens to
K_d = _size("K_d")  #: kernel depth (3-d), when it differs from the height and width
P_o = _count("P_o")  #: output padding of a transposed conv layer
O_a = _size("O_a")  #: output size asked of an adaptive pooling layer

# Named results.
W_c = _count("W_c")
B_c = _count("B_c")
P_c = _count("P_c")
W_cf = _count("W_cf")
B_cf = _count("B_cf")
P_cf = _count("P_cf")
W_ff = _count("W_ff")
B_ff = _count("B_ff")
P_ff = _count("P_ff")
W_n = _count("W_n")
B_n = _count("B_n")
P_n = _count("P_n")
R_n = _count("R_n")

# The layers real models use beyond the article's (upsampling, padding, pixel shuffle, splits).
U = Symbol("U", positive=True)  #: scale factor of an upsampling layer (a whole number or a fraction)
R = _size("R")  #: upscale factor of a pixel shuffle (downscale factor of a pixel unshuffle)
P_b = _count("P_b")  #: pixels added (padding) or removed (crop) before the first position of an axis
P_a = _count("P_a")  #: pixels added (padding) or removed (crop) after the last position of an axis
P_t = _count("P_t")  #: total padding of an axis under TensorFlow's SAME padding
Q = _size("Q")  #: number of chunks a tensor's channels are split into
J = _count("J")  #: index of a chunk (0 for the first)
W_s = _count("W_s")  #: learned scales of a per-channel scale layer
W_t = _count("W_t")  #: learned temperatures of a cross-covariance attention, one per head

# Tokens and attention (vision transformers): a sequence of L tokens of C channels each.
L = _size("L")  #: number of tokens (the length of a token sequence)
E_t = _count("E_t")  #: tokens a layer puts before the sequence (a class token, a distillation token)
W_at = _count("W_at")  #: weights of a self-attention layer
B_at = _count("B_at")  #: biases of a self-attention layer
P_at = _count("P_at")  #: parameters of a self-attention layer
W_ct = _count("W_ct")  #: learned values of the tokens a layer puts before the sequence
W_pe = _count("W_pe")  #: learned values of a position embedding
M = _size("M")  #: size (width) of an attention window (Swin)
N_h = _size("N_h")  #: number of attention heads

LATEX_NAMES: dict[Symbol, str] = {F_prev: "F_{-1}"}

MEANINGS: dict[Symbol, str] = {
    I: "size (width) of the input",
    O: "size (width) of the output",
    K: "size (width) of the kernel",
    P: "padding",
    S: "stride",
    N: "number of kernels (output channels)",
    C: "number of channels of the input",
    F: "number of neurons of the FC layer",
    P_s: "pooling size",
    F_prev: "number of neurons of the previous FC layer",
    H: "height of the input feature map",
    W: "width of the input feature map",
    K_h: "kernel height",
    K_w: "kernel width",
    D: "dilation",
    G: "groups",
    V: "length of the vector a feature map flattens to",
    K_d: "kernel depth",
    P_o: "output padding of a transposed conv layer",
    O_a: "output size asked of an adaptive pooling layer",
    W_c: "number of weights of a conv layer",
    B_c: "number of biases of a conv layer",
    P_c: "number of parameters of a conv layer",
    W_cf: "number of weights of an FC layer after a conv layer",
    B_cf: "number of biases of an FC layer after a conv layer",
    P_cf: "number of parameters of an FC layer after a conv layer",
    W_ff: "number of weights of an FC layer after an FC layer",
    B_ff: "number of biases of an FC layer after an FC layer",
    P_ff: "number of parameters of an FC layer after an FC layer",
    W_n: "number of scales (gamma) of a normalisation layer",
    B_n: "number of shifts (beta) of a normalisation layer",
    P_n: "number of parameters of a normalisation layer",
    R_n: "number of running-statistics buffers of a batch-norm layer (not parameters)",
    U: "scale factor of an upsampling layer",
    R: "upscale factor of a pixel shuffle (downscale factor of a pixel unshuffle)",
    P_b: "pixels added (padding) or removed (crop) before the first position of an axis",
    P_a: "pixels added (padding) or removed (crop) after the last position of an axis",
    P_t: "total padding of an axis under TensorFlow's SAME padding",
    Q: "number of chunks the channels are split into",
    J: "index of a chunk (0 for the first)",
    W_s: "number of learned scales of a per-channel scale layer",
    W_t: "number of learned temperatures of a cross-covariance attention (one per head)",
    L: "number of tokens (the length of a token sequence)",
    E_t: "number of tokens put before the sequence (class, distillation tokens)",
    W_at: "number of weights of a self-attention layer",
    B_at: "number of biases of a self-attention layer",
    P_at: "number of parameters of a self-attention layer",
    W_ct: "number of learned values of the tokens put before the sequence",
    W_pe: "number of learned values of a position embedding",
    M: "size (width) of an attention window",
    N_h: "number of attention heads",
}

#: Every symbol by its ``str`` name (and its LaTeX spelling, for ``F_{-1}``).
SYMBOLS: dict[str, Symbol] = {s.name: s for s in MEANINGS}
SYMBOLS.update({tex: s for s, tex in LATEX_NAMES.items()})

__all__ = sorted({s.name for s in MEANINGS}) + ["LATEX_NAMES", "MEANINGS", "SYMBOLS", "symbol", "is_symbol_name"]


def is_symbol_name(name: str) -> bool:
    """Whether ``name`` may name a symbol: a letter, then letters, digits and ``_``.

    Python's private and special names and its keywords are refused too: symbols end up in
    the code that ``sympy.lambdify`` generates for the fast closed forms.
    """
    return name in SYMBOLS or (name.isidentifier() and not name.startswith("_") and not keyword.iskeyword(name))


def symbol(name: str) -> Symbol:
    """The symbol called ``name``: one of the article's, or a new positive integer.

    Only identifiers are accepted; nothing is parsed or evaluated.

    >>> symbol("K") is K
    True
    >>> symbol("channels_in")
    channels_in
    """
    from .errors import SpecError, quote

    if name in SYMBOLS:
        return SYMBOLS[name]
    if not is_symbol_name(name):
        raise SpecError(
            f"{quote(name)} is not a symbol name (a letter, then letters, digits and _)", rule="symbol name"
        )
    return _size(name)
