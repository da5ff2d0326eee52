r"""Sides that name a thing rather than compute a value.

Authors put a size in front of what it is the size of, and the value after ``=`` is then a
figure of that thing, not the product of the size:

* a size and a noun before ``=``: ``3×3 感受野 = 3`` (the receptive field of a 3×3 kernel),
  ``3x3 conv = 3*3*64*64``. Where what follows is a derivation of its own, or a number no
  product of the size can be (not above its largest factor), the size is a label and is
  listed as skipped; otherwise it is a product (``5x5x3 filter = 75``; ``13x13 map = 168`` is
  a wrong one). A noun that counts what the product makes (weights, parameters, bytes ...)
  keeps the side arithmetic whatever follows;
* a size followed by its derivation in brackets: ``28 * 28 (32-5 + 1) = 28`` says the side
  is 28 because 32 - 5 + 1 = 28; where the bracket alone gives the value written and the
  product does not, the bracket is the side;
* a square size beside a value equal to its side: ``RF = 5×5 = 1 + 2×2`` names the 5×5 field
  by its side 5 (not a product of 25); ``1×1 = 1``, a product equal to its side, stays one;
* a count of things in CJK writing: ``2个3×3`` (two 3×3 kernels), ``1个5×5``: the number
  glued to a counter, and the size after it, are not a value.

>>> from symcnn.checkdoc.find import find
>>> from symcnn.checkdoc.statements import statements
>>> doc = find("3×3感受野 = 3", "markdown")
>>> [[side.text(doc) for side in st.sides] for st in statements(doc)]
[['3×3', '3']]
>>> [str(t.value) for t in next(statements(doc)).sides[0].toks]
['a size naming a thing (感受野), not a product']
"""

from __future__ import annotations

from fractions import Fraction

from .evaluate import Unevaluable, Values, evaluate, parse
from .tokens import Tok

#: nouns that say what a product counts: ``5x5x3 weights = 75`` stays arithmetic
_COUNTING = ("weight", "param", "bias", "value", "neuron", "unit", "connection", "mult", "add", "mac", "flop",
             "op", "byte", "bit", "element", "entr", "activation", "number", "pixel", "float", "coef", "kb", "mb",
             "gb", "kib", "mib", "gib", "scalar", "trainable", "total", "cell")
_COUNTING_CJK = ("参数", "參數", "权重", "權重", "偏置", "连接", "連接", "神经元", "字节", "像素", "元素", "个", "個",
                 "가중치", "파라미터", "매개변수", "개", "바이트", "뉴런", "픽셀", "연결", "パラメータ", "重み",
                 "バイト", "ニューロン", "画素", "要素", "結合")


def counting(word: str) -> bool:
    """Whether a word after a product says what it counts (weights, 参数, 가중치 ...)."""
    w = word.lower()
    return w == "b" or w.startswith(_COUNTING) or any(c in w for c in _COUNTING_CJK)


def cjk(word: str) -> bool:
    return any("\u1100" <= ch <= "\ud7af" or "\uf900" <= ch <= "\uffef" for ch in word)


def size_end(toks: list[Tok], k: int) -> int | None:
    """Where a size ``N (× N)*`` starting at token ``k`` ends (exclusive), or None."""
    if k >= len(toks) or toks[k].kind != "NUM":
        return None
    j = k + 1
    while j + 1 < len(toks) and toks[j].kind == "TIMES" and toks[j + 1].kind == "NUM":
        j += 2
    return j


def is_size(toks: list[Tok]) -> bool:
    """A product of plain numbers with at least one sign (``3×3``, ``5x5x3``)."""
    return len(toks) >= 3 and size_end(toks, 0) == len(toks)


def plain_value(toks: list[Tok]) -> Fraction | None:
    """The value of a side of numbers only (the first reading of each), else None."""
    if not toks or any(t.kind in ("NAME", "UNK") for t in toks):
        return None

    def literal(k: int) -> Fraction:
        found = next((r for r in toks[k].value.readings if r is not None), None)
        if found is None:
            raise Unevaluable("too large", "")
        return found.value

    def unknown(k: int) -> Fraction:
        raise Unevaluable("unknown", "")

    try:
        return evaluate(parse(toks), Values(literal, unknown, lambda k: str(toks[k].value)))
    except Unevaluable:
        return None


def _label(side: list[Tok], why: str) -> list[Tok]:
    return [Tok("UNK", side[0].start, side[-1].end, why)]


def _derivation(side: list[Tok]) -> int | None:
    """``28 * 28 (32-5 + 1)``: where the bracket after a size starts, when it closes the side."""
    j = size_end(side, 0)
    if j is None or j < 3 or j >= len(side) or side[j].kind != "LPAR" or side[-1].kind != "RPAR":
        return None
    depth = 0
    for k in range(j, len(side)):
        depth += {"LPAR": 1, "RPAR": -1}.get(side[k].kind, 0)
        if depth == 0 and k != len(side) - 1:
            return None
    return j


def _names_a_thing(side: list[Tok], nxt: list[Tok], after: Fraction | None) -> bool:
    """Whether a size before a noun names a thing: what follows is a derivation of its own
    (``3x3 conv = 3*3*64*64``), or a number that no product of the size can be (not above
    its largest factor: ``3×3 感受野 = 3``). ``13x13 map = 168`` stays a (wrong) product."""
    product = plain_value(side)
    if after is None or after == product:
        return after is None
    if any(t.kind in ("PLUS", "MINUS", "TIMES", "DIV", "POW") for t in nxt):
        return True
    factors = [v for t in side if t.kind == "NUM" and (v := plain_value([t])) is not None]
    return bool(factors) and after <= max(factors)


def _side_length(side: list[Tok]) -> Fraction | None:
    """The side of a square size (``5×5``: 5; all its factors equal), else None."""
    if not is_size(side):
        return None
    factors = {plain_value([t]) for t in side if t.kind == "NUM"}
    length = factors.pop() if len(factors) == 1 else None
    return None if length is None or plain_value(side) == length else length  # 1×1 = 1 is a product


def _squares_by_their_side(sides: list[list[Tok]]) -> None:
    """``RF = 5×5 = 1 + 2×2``: a square size beside a value equal to its side names the size
    by its side; it is no product of 25."""
    values = [plain_value(side) for side in sides]
    for k, side in enumerate(sides):
        length = _side_length(side)
        beside = (values[k - 1] if k else None, values[k + 1] if k + 1 < len(sides) else None)
        if length is not None and length in beside:
            sides[k] = _label(side, "a square size named by its side, not a product")


def read_labels(sides: list[list[Tok]], nouns: dict[int, str]) -> None:
    """Put a label in place of each side that names a thing (see the module's text)."""
    for k in range(len(sides) - 1):
        side = sides[k]
        if not side:
            continue
        after = plain_value(sides[k + 1])
        if k in nouns:
            if _names_a_thing(side, sides[k + 1], after):
                sides[k] = _label(side, f"a size naming a thing ({nouns[k]}), not a product")
            continue
        j = _derivation(side)
        if j is not None and after is not None and plain_value(side[j:]) == after != plain_value(side):
            sides[k] = side[j:]
    _squares_by_their_side(sides)


def counted(side: list[Tok], toks: list[Tok], k: int) -> int | None:
    """``2个3×3``: at the counter word ``toks[k]`` glued to the number ending ``side``, put a
    label for the count and the size counted in place of the number; where the size ends."""
    word, t = str(toks[k].value), toks[k]
    if not (side and side[-1].kind == "NUM" and side[-1].end == t.start and len(word) <= 3 and cjk(word)):
        return None
    end = size_end(toks, k + 1)
    if end is None or toks[k + 1].start - t.end > 1:
        return None
    count = side.pop()
    side.append(Tok("UNK", count.start, toks[end - 1].end, f"a count of things ({count.value.text}{word}...), "
                                                             "not a value"))
    return end


__all__ = ["counting", "cjk", "is_size", "plain_value", "read_labels", "counted", "size_end"]
