r"""Totals a document gives for a whole network, for its convolutions or fully connected
layers together, or for one of its blocks, against the derivation (``--network``).

Read line by line, each a label, a colon and a figure (the last result where the line
computes one), in a setting about parameters (the line, or the lines above it in its block,
name them):

* the whole network: ``Total params: 138,357,544``, ``总参数: 138.4M``, ``VGG16 has 138M
  parameters``, ``AlexNet 大约有 6000 万参数``;
* a kind of layer together: ``Conv layers: ~14.7M``, ``全连接层: 123.6M``, with the share of
  the whole network written after it (``(89% of total)``);
* a block: ``Block 3: ... = 1,475,328``, or a ``参数: ... = 221,440`` line under a ``[Block 2]``
  line, where the network's blocks are the runs of convolutions at one spatial size (VGG's
  five), never where a block may be a residual block.

A rounded figure is right to the precision written; one marked as approximate (``~``,
``≈``, "about", ``约``) within 5 %.

>>> from symcnn.builders.load import load
>>> d = load("vgg16").derive()
>>> [(c.line, c.layer, c.ok, c.derived) for c in total_claims("Total params: 138M\nFC layers: 124.6M", d)]
[(1, 'vgg16', True, '138,357,544'), (2, 'fc layers', False, '123,642,856')]
"""

from __future__ import annotations

import re
from fractions import Fraction

from .literals import EN, format_int, read_number
from .results import NetworkClaim

_COUNT_WORD = re.compile(r"\b(?:param(?:eter)?s?|weights)\b|参数|參數|파라미터|매개변수|パラメータ", re.I)
_TOTAL_WORD = re.compile(r"\btotal\b|\bin all\b|总|總|共有|합계|총|전체|合計|全体", re.I)
_OTHER_COUNT = re.compile(r"\b(?:FLOPs?|MACs?|mult-adds|memory|bytes?|activations?|connections?|neurons?|"
                          r"trainable|non-trainable)\b|计算量|計算量|内存|메모리|연산|メモリ|连接数|連接數"
                          r"|연결 ?수|接続数", re.I)
#: the label of a network's total of another count: its activations (``TOTAL memory``) or MACs
_OTHER_TOTAL = re.compile(r"total (?:memory|activations)|总内存|總記憶體|总激活(?:值|量)?|총 메모리|メモリ合計"
                          r"|total (?P<macs>FLOPs|MACs|mult-adds|multiply-adds)", re.I)
_BYTES = re.compile(r"\d ?(?:[KMGT]i?B|bytes?)(?![A-Za-z])|\d ?[KMGT]i?B", re.I)
#: a layer's name (C3, S2, F6, layer 2, stage3) or a word for layers, in a sentence
_A_LAYER = re.compile(r"(?<![A-Za-z])(?:[CSF]\d{1,2}(?!\d)|(?:layer|block|stage|pool|res)[-_ ]?\d)|层|層|층", re.I)
#: words that make a count one layer's or each layer's, never the network's
_PER = re.compile(r"\b(?:each|every|per)\b|各|每|각|毎", re.I)
#: a label at the head of a line, after tree, list and quote marks: a match starts at the
#: first mark and the label at the first character that is none of them, so a run of marks is
#: read once, not once from each of its characters
_MARKS = r"[ \t│├└─*+>|#\-\[]"
_LABEL = re.compile(rf"(?<!{_MARKS}){_MARKS}{{0,80}}(?P<label>[^\s:：=\]│├└─*+>|#\-\[][^:：=\]\n]{{0,40}}?)"
                    r"\]?[ \t]{0,4}[:：]")
_GROUPS = (
    ("conv", re.compile(r"conv(?:olution(?:al)?)?(?: layers?)?|卷积层?|卷積層?|합성곱 ?층?|畳み込み層?", re.I)),
    ("fc", re.compile(r"(?:FC|fully[- ]connected|dense|linear)(?: layers?)?|全连接层?|全連接層?|전결합 ?층?"
                      r"|완전 ?연결 ?층?|全結合層?", re.I)),
)
_BLOCK = re.compile(r"block ?(?P<n>\d{1,2})|第(?P<cn>[1-9])(?:个)?(?:块|塊|ブロック)|블록 ?(?P<kn>\d)", re.I)
_TOTAL_LABEL = re.compile(r"(?:total(?: (?:params|parameters|number of parameters))?|总参数量?|總參數量?|参数总[数量]"
                          r"|총 ?파라미터(?: ?수)?|전체 ?파라미터|総パラメータ数?|パラメータ総数)", re.I)
#: a figure with what it may end with (K or k, M, G, million, 万, 亿, 만, 억); a figure glued to any
#: other letters (60.7kB, 3x) is not one
_FIGURE = re.compile(r"(?<![\w.,\-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                     r"(?:[ \t]?(?P<unit>[KkMG](?![A-Za-z])|million|billion|万|萬|亿|億|만|억))?(?![\d,.]?\d)"
                     r"(?!\.?[A-Za-z])"
                     r"(?![ \t]?[x×*][ \t]?\d)")
#: a number written in two parts (``1억 3800만``, ``1亿3800万``): the larger part before the smaller
_LARGER_PART = re.compile(r"(?<![\d.,])\d{1,4}[ \t]?[억亿億][ \t]{0,2}$")
_SMALLER_PART = re.compile(r"[ \t]{0,2}(?P<num>\d{1,4})[ \t]?[만万萬]")
#: a word for the FLOPs or MACs of a network
_FLOPS_WORD = re.compile(r"(?<![A-Za-z])(?:FLOPs|MACs|mult-adds|multiply-adds)(?![A-Za-z])|计算量|計算量|연산량", re.I)
#: a part of a network a sentence may give the FLOPs of
_PART = re.compile(r"conv|\bfc|layer|block|stage|res\d|[CSF]\d|层|層|층|块|塊|블록|段", re.I)
#: a bound rather than a figure: "6000 多万" (more than 60 million), "over 60M", "at least"
_BOUND = re.compile(r"\d[\d,.]{0,24}\s?(?:多|余|几|\+)|\b(?:over|more than|at least|under|less than|nearly|almost)\b"
                    r"|超过|超過|以上|以下|不到|이상|이하|未満", re.I)
#: what may stand between a word for parameters and the figure it gives
_AFTER_WORD = re.compile(r"[^\S\n]{0,2}(?:量|数|數|수|の数)?[^\S\n]{0,2}(?:[:：=]|is|are|为|是|은|는|は)?[^\S\n]{0,2}"
                         r"(?:约|約|about|~|≈)?[^\S\n]{0,2}(?=\d)", re.I)
#: a plain figure below this is a count of layers or blocks, not a total of values
_FEWEST = 100
#: a line of a program, never read as a total (a call, an index, an assignment, a string)
_PROGRAM = re.compile(r"[A-Za-z_]\w{0,60}[(\[]|[\"'{};$\\`]|^\s{0,40}[A-Za-z_]\w{0,60}\s{0,8}=|^\s{0,8}(?:```|~~~)")
_APPROX = re.compile(r"[~≈∼約约대약]|\babout\b|\baround\b|\bapprox|大约|大約|およそ", re.I)
_PERCENT = re.compile(r"\(\s*(?P<p>\d{1,3}(?:\.\d+)?)\s?%")
_SCALE = {"k": 10**3, "m": 10**6, "g": 10**9, "million": 10**6, "billion": 10**9, "万": 10**4, "萬": 10**4,
          "亿": 10**8, "億": 10**8, "만": 10**4, "억": 10**8}
#: a name of a network in a sentence ("VGG16 has 138M parameters")
_NET_NAME = re.compile(r"\b(?:VGG|AlexNet|LeNet|ResNet|MobileNet)[- ]?(?:v?\d{1,3})?(?:[- ]?\d)?\b", re.I)


def _figure(rest: str, convention: int) -> tuple[str, Fraction, Fraction] | None:
    """The figure a line's rest gives (after its last ``=`` where it computes one): its text,
    value, and the place it is rounded to."""
    if "=" in rest:
        rest = rest.rsplit("=", 1)[1]
    m = _FIGURE.search(rest)
    if m is None:
        return None
    lit, end = read_number(m.group("num"), 0, text_mode=True, decimal_comma=convention != EN)
    if end != len(m.group("num")) or lit.readings == (None, None):
        return None
    reading = lit.reading(convention)
    value, place = reading.value, (reading.place if reading.rounded else Fraction(0))
    unit = (m.group("unit") or "").lower()
    if unit:
        scale = _SCALE[unit]
        digits = m.group("num").replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        value, place = value * scale, (place or Fraction(1, 10**decimals)) * scale
    if unit in ("억", "亿", "億") and (small := _SMALLER_PART.match(rest, m.end())) is not None:
        # 1억 3800만: 100,000,000 + 38,000,000, to the last digit of 3800 that is not a trailing zero
        part = small.group("num")
        zeros = len(part) - len(part.rstrip("0"))
        value, place = value + int(part) * 10**4, Fraction(10 ** (4 + zeros))
        return m.group(0) + small.group(0), value, place
    return m.group(0), value, place


def _near_count(line: str) -> str:
    """The part of a sentence that gives its count: from the figure right before a word for
    parameters ("138M parameters", "6000 万参数"), else what follows that word."""
    word = _COUNT_WORD.search(line)
    if word is None:
        return ""
    before = [f for f in _FIGURE.finditer(line[: word.start()]) if len(line[f.end() : word.start()].strip()) <= 3]
    if before:
        start = before[-1].start()
        if (larger := _LARGER_PART.search(line, max(0, start - 12), start)) is not None:
            start = larger.start()  # 1억 3800만: the figure is both parts
        bound = _BOUND.search(line[max(0, start - 12) : word.start()])
        return "" if bound else line[start : word.start()]
    after = _AFTER_WORD.match(line, word.end())  # "parameters: 138M", "参数量为 1.38亿"
    return "" if after is None or _BOUND.match(line, after.end()) else line[after.end() : after.end() + 24]


def _right(derived: int, value: Fraction, place: Fraction, approx: bool) -> bool:
    if approx and abs(derived - value) * 20 <= derived:
        return True
    if place == 0:
        return derived == value
    return abs(derived - value) * 2 <= place or 0 <= derived - value < place


def _what(label: str) -> str | None:
    """``network``, ``conv``, ``fc``, ``block N`` or None: what a label gives the total of."""
    if _TOTAL_LABEL.fullmatch(label.strip()):
        return "network"
    for group, pattern in _GROUPS:
        if pattern.fullmatch(label.strip()):
            return group
    m = _BLOCK.fullmatch(label.strip())
    return _block_name(m) if m else None


class _Totals:
    """The derivation's totals, by what a label names: the value shown, and every value a
    right figure may give (a convolution that leaves 1x1, LeNet's C5, counted as fully
    connected; activations with or without the input and the element-wise layers; FLOPs as
    MACs or twice them)."""

    def __init__(self, derivation) -> None:
        self.name = str(getattr(derivation, "name", ""))
        layers = list(derivation.layers)
        self.whole = _int(derivation.total_params)
        as_fc = [d for d in layers if d.type == "conv" and all(x == 1 for x in d.output.dims[:-1])]
        convs, fcs = [d for d in layers if d.type == "conv"], [d for d in layers if d.type == "fc"]
        self.groups = {"conv": (_sum(convs), _sum([d for d in convs if d not in as_fc])),
                       "fc": (_sum(fcs), _sum(fcs + as_fc))}
        self.blocks = _plain_stages(layers)
        self.activations = _activations(derivation)
        macs = _int(derivation.total("macs"))
        self.macs = (macs, 2 * macs) if macs else ()

    def value(self, what: str) -> tuple[str, int | None, tuple]:
        if what == "network":  # or without its fully connected head (Keras' include_top=False)
            headless = self.whole - self.groups["fc"][0] if self.whole and self.groups["fc"][0] else None
            return self.name, self.whole, (self.whole, headless)
        if what in self.groups:
            return f"{what} layers", self.groups[what][0], self.groups[what]
        if what in ("activations", "macs"):
            values = getattr(self, what)
            return f"{self.name} {what}", (values[0] if values else None), values
        n = int(what.split()[1])
        if self.blocks is None or not 1 <= n <= len(self.blocks):
            return what, None, ()
        stage = self.blocks[n - 1]
        return f"{what} ({stage[0].name} to {stage[-1].name})", _sum(stage), (_sum(stage),)


def _activations(derivation) -> tuple[int, ...]:
    """The values a forward pass holds, as people count them: every layer's output, or the
    convolutions', poolings' and fully connected layers' only; with the input or without."""
    counted = [d for d in derivation.eval_layers if d.type in ("conv", "pool", "fc")]
    first = derivation.layers[0] if derivation.layers else None
    image = _int(first.input.numel) if first is not None and first.inputs else None
    found = []
    for total in (_int(derivation.total("activations")), _sum(counted, "activations")):
        if total is not None:
            found += [total] + ([total + image] if image else [])
    return tuple(found)


def _int(value) -> int | None:
    return int(value) if getattr(value, "is_Integer", False) or isinstance(value, int) else None


def _sum(layers, what: str = "params") -> int | None:
    values = [_int(getattr(d, what)) for d in layers]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _plain_stages(layers: list) -> list[list] | None:
    """Runs of convolutions at one spatial size, with the layers between them (VGG's blocks);
    None where a run holds a residual sum or a concatenation (a block may be a residual one)."""
    stages: list[list] = []
    size = None
    for d in layers:
        if d.type in ("add", "concat"):
            return None
        dims = d.output.dims
        if d.type == "conv" and len(dims) >= 3 and (size != tuple(dims[:-1]) or not stages):
            stages.append([])
            size = tuple(dims[:-1])
        if stages and d.type != "fc" and len(dims) >= 3 and tuple(dims[:-1]) == size:
            stages[-1].append(d)
    return stages or None


def total_claims(text: str, derivation, convention: int = EN, raw: str = "") -> list[NetworkClaim]:
    """The totals ``text`` (a document as check-doc reads it, one line per line) gives, judged;
    a line ``text`` leaves blank is read from ``raw`` (the document as written: a text table
    in a code block, ``├─ Block1: 0.039M``) where it is not a program's."""
    totals = _Totals(derivation)
    claims: list[NetworkClaim] = []
    intro = False  # the last line was "Parameter count:": the block after it is about parameters
    for block in _blocks(text, raw):
        # a block of lines is about parameters where one of its lines names them
        context = intro or any(_COUNT_WORD.search(line) for _, line in block)
        opened = ""  # the block a "[Block 2]" line opened
        for number, line in block:
            if not line:
                continue
            claim, opened = _line(line, number, totals, convention, context, opened)
            if claim is not None:
                claims.append(claim)
        last = block[-1][1]
        intro = bool(_COUNT_WORD.search(last)) and last.rstrip().endswith((":", "："))
    return claims


def _blocks(text: str, raw: str) -> list[list[tuple[int, str]]]:
    """The document's lines (numbered) in blocks without a blank line."""
    written = raw.split("\n") if raw else []
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(text.split("\n"), 1):
        shown = written[number - 1] if not line.strip() and number <= len(written) else line
        if shown.strip():
            # a line of a program stays unread, and does not end the block it is in
            blocks[-1].append((number, "" if _PROGRAM.search(shown) and shown is not line else shown))
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _line(line: str, number: int, totals: _Totals, convention: int, context: bool,
          opened: str) -> tuple[NetworkClaim | None, str]:
    """The claim one line makes, and the block it opens for the lines after it."""
    m = _LABEL.match(line)
    label = m.group("label").strip() if m else ""
    if m is not None and _OTHER_TOTAL.fullmatch(label):
        return _other_total(line, m, number, totals, convention), opened
    if (flops := _sentence_flops(line, totals.name)) is not None:  # it says what it counts
        return _judge(flops, number, "macs", totals, convention, bool(_APPROX.search(line))), opened
    if _OTHER_COUNT.search(line):
        return None, opened
    if m is None and re.match(r"[ \t]{0,8}\[", line):  # "[Block 2] 2xConv3x3 + Pool" opens a block
        head = _BLOCK.match(line.strip()[1:])
        return None, _block_name(head) if head else ""
    what = _what(label) if m else None
    if what is None and m is not None and opened and _COUNT_WORD.fullmatch(label):
        what = opened  # "参数: ... = 221,440" under "[Block 2]"
    if what is None:
        what, m = _sentence_total(line, totals.name), None
    if what is None or not context:
        return None, opened
    rest = line[m.end():] if m is not None else _near_count(line)
    approx = bool(_APPROX.search(rest if m is not None else line))
    return _judge(rest, number, what, totals, convention, approx), opened


def _block_name(m: re.Match[str]) -> str:
    return f"block {m.group('n') or m.group('cn') or m.group('kn')}"


def _other_total(line: str, m: re.Match[str], number: int, totals: _Totals, convention: int) -> NetworkClaim | None:
    """``TOTAL memory: 24M * 4 bytes``: the values held (activations), or ``Total FLOPs: ...``
    (MACs); a figure in bytes says nothing of which type of value, and is not read."""
    what = "macs" if _OTHER_TOTAL.fullmatch(m.group("label").strip()).group("macs") else "activations"  # type: ignore[union-attr]
    head = re.split(r"\s[*×x]\s|[=≈~]", line[m.end():], maxsplit=1)[0]
    if _BYTES.search(head):
        return None
    return _judge(head, number, what, totals, convention, bool(_APPROX.search(line)))


def _sentence_total(line: str, network: str) -> str | None:
    """``network`` where a sentence says the whole network has so many parameters ("VGG16
    has 138M parameters", "total of 138M parameters"), naming no layer kind and no layer
    ("LeNet-5's C3 has 1,516 parameters" is C3's count)."""
    if not _COUNT_WORD.search(line) or _PER.search(line) or any(p.search(line) for _, p in _GROUPS):
        return None
    if _A_LAYER.search(_NET_NAME.sub(" ", line)):
        return None
    named = [re.sub(r"[^a-z0-9]", "", n.group(0).lower()) for n in _NET_NAME.finditer(line)]
    net = re.sub(r"[^a-z0-9]", "", network.lower())
    if named and all(net.startswith(n) or n.startswith(net) for n in named):
        return "network"
    return "network" if _TOTAL_WORD.search(line) and not named and re.match(r"\s*\W{0,3}\s*total", line, re.I) \
        else None


def _sentence_flops(line: str, network: str) -> str | None:
    """What follows the word where a sentence gives the FLOPs (or MACs) of the network it names
    ("ResNet-50's FLOPs are 4.1 billion"), naming no layer, block or part; else None."""
    word = _FLOPS_WORD.search(line)
    if word is None or _PER.search(line) or _PART.search(_NET_NAME.sub(" ", line)):
        return None
    named = [re.sub(r"[^a-z0-9]", "", n.group(0).lower()) for n in _NET_NAME.finditer(line[: word.start()])]
    net = re.sub(r"[^a-z0-9]", "", network.lower())
    if not named or not all(net.startswith(n) or n.startswith(net) for n in named):
        return None
    after = _AFTER_WORD.match(line, word.end())
    return None if after is None or _BOUND.match(line, after.end()) else line[after.end() : after.end() + 24]


def _judge(rest: str, number: int, what: str, totals: _Totals, convention: int,
           approx: bool) -> NetworkClaim | None:
    figure = _figure(rest, convention)
    if figure is None:
        return None
    written, value, place = figure
    if value < _FEWEST and written.strip().isdigit():
        return None  # "Conv layers: 13", "Total: 16": a count of layers, not of parameters
    name, derived, allowed = totals.value(what)
    if derived is None:
        return None
    ok = any(v is not None and _right(v, value, place, approx) for v in allowed)
    shown = format_int(derived)
    share = _PERCENT.search(rest)
    if ok and share and what in ("conv", "fc") and totals.whole:
        # "(89% of total)": the share of the whole network, to the places written
        p = Fraction(share.group("p"))
        digits = len(share.group("p").split(".")[1]) if "." in share.group("p") else 0
        part = Fraction(100 * derived, totals.whole)
        ok = abs(part - p) * 2 <= Fraction(1, 10**digits)
        written = f"{written} ({share.group('p')}%)"
        shown = f"{shown} ({float(part):.{digits + 1}f}% of {format_int(totals.whole)})"
    field = what if what in ("activations", "macs") else "params"
    return NetworkClaim(number, name, field, written.strip(), shown, ok, written.strip(), "total")


__all__ = ["total_claims"]
