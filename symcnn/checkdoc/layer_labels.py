r"""Which words of a document name one layer of a network, and which sizes are a layer's at all.

Small rules :mod:`.network` applies before it reads a name or a size as a claim:

* a **label of a kind**: in one block of lines (a table, a list, a text table in a code
  block), a label that heads several lines (``POOL2: [112x112x64]``, then ``POOL2:
  [56x56x128]``) is the author's name for every layer of that kind (a 2x2 pool), not the
  name of one layer;
* a **size of a part**: a size right after a word for a part of a layer (``the window is
  2 * 2``, ``Bias: 1 x 96``, ``过滤器大小为2x2``) is that part's, not the layer's tensor;
* an **input said to be an output**: "this layer's input is the previous layer's output,
  28x28x6" gives the layer's input, though the word "output" is in it.

>>> sorted(generic_labels("POOL2: [112x112x64]\nCONV3-128: [112x112x128]\nPOOL2: [56x56x128]"))
['pool2']
>>> part_size("the window size is still ", 25), part_size("S2 gives ", 9)
(True, False)
"""

from __future__ import annotations

import re

#: a label at the head of a line: a name (with a digit) before ``:``, ``|``, ``[`` or ``(``,
#: after any list, quote or table marks
_LINE_LABEL = re.compile(r"[ \t]{0,8}(?:[-|*>+][ \t]{0,4}){0,3}([A-Za-z][A-Za-z_.\-]{0,20}[0-9][A-Za-z0-9_.\-]{0,8})"
                         r"[ \t]{0,4}[:|(\[]")
#: a word for a part of a layer, then at most "size is (still) a" and a colon, right before a size
_PART_BEFORE = re.compile(
    r"(?:kernels?|filters?|windows?|weights?|bias(?:es)?|stride|過濾器|过滤器|滤波器|卷积核|窗口|池化核|权重|偏置"
    r"|커널|필터|윈도우?|가중치|편향|カーネル|フィルタ|ウィンドウ|重み|バイアス)"
    r"(?: ?(?:sizes?|shapes?|dimensions?|大小|尺寸|形状|크기|サイズ))?(?: (?:is|are|of|was))?(?: still)?(?: an?)?"
    r"(?: ?[:=为是は는은])? ?$", re.I)
#: the words for an input, in a clause that also says "output"
_INPUT_WORD = re.compile(r"\b(?:input|inputs)\b|입력|入力|输入|輸入", re.I)
#: how far back a part word is looked for
_BACK = 40


def norm_name(name: str) -> str:
    """A name whatever its case and hyphens (``Conv-5``: conv5); numbers stay apart
    (``conv1_1``: conv1.1, never conv11)."""
    key = re.sub(r"(?<=\d)[-_. ](?=\d)", ".", name.lower())
    return re.sub(r"[-_ ]", "", key).removesuffix("layer")


def generic_labels(text: str) -> set[str]:
    """The labels (as :func:`norm_name` keys) that head two or more lines of one block of
    lines: in a table or a list, a layer's own name heads one row."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        if not line.strip():
            counts = {}
            continue
        m = _LINE_LABEL.match(line)
        if m is None:
            continue
        key = norm_name(m.group(1))
        counts[key] = counts.get(key, 0) + 1
        if counts[key] >= 2:
            found.add(key)
    return found


def part_size(text: str, at: int) -> bool:
    """Whether the size at ``at`` comes right after a word for a part of a layer (a kernel,
    a window, its weights or biases)."""
    return _PART_BEFORE.search(text[max(0, at - _BACK) : at]) is not None


def input_said(text: str, start: int, at: int) -> bool:
    """Whether the text from ``start`` to a size at ``at`` says "input" (then an "output"
    in it is the earlier layer's, and the size may be this layer's input)."""
    return _INPUT_WORD.search(text[max(start, at - 4 * _BACK) : at]) is not None


__all__ = ["generic_labels", "part_size", "input_said", "norm_name"]
