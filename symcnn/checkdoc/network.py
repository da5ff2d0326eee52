r"""What a document says about a network's layers, against the derivation.

With ``--network NET`` the checker also reads the document's prose, inline math and tables
for the tensor sizes (``27x27x256``, ``27×27×256``, ``$27\times 27\times 256$``) and the
parameter counts (``34,944 parameters``, ``파라미터 개수는 34,944개``) it gives next to a
layer's name, and compares them with what symcnn derives.

Layer names
    A name in the document matches a layer whatever its case and hyphens (``Conv-5``,
    ``conv5``, ``CONV5``, ``FC-1``), and a numbered kind matches the layer of that kind and
    rank (``MaxPool-2`` is the second max-pooling layer, ``conv3`` the third convolution,
    ``fc1`` the first fully connected layer) where no layer has that name. Names that do
    not match can be mapped (``{"Pool-A": "pool1"}``, or ``{"MP": "pool"}`` for every
    numbered one). Lists name several: ``Conv-2, 3, 4, 5``, ``Conv-2/3/4/5``.

Which layer a size or count is about
    The layer named before it in the same sentence, close to it, or right after it
    (``224x224x64 for conv1_2``); in a sentence without a name, the layer named in the
    list item it belongs to, earlier in a paragraph about one layer, or in the heading of
    the section. Not read as claims: a kernel (``a 1x1 convolution``), a size about another
    kind of layer than the one named (``bn1 ..., and a max pool ... 56x56x64``), an input
    (``a 224x224x3 image``), a value quoted to be refuted (``Many wrote 96x3. No: ...``), and
    counts per kernel or in all.

When a size is right
    A size is right when it is the layer's output or input (``HxWxC``, ``CxHxW``, or the
    spatial ``HxW``; a vector also as ``Fx1``; the shape a flatten took in), or its kernel
    (``KxK``, ``KxKxC``, ``KxKxCxN`` ...), since a sentence about a layer may give any of
    them; only its output when the sentence says so (``outputs``, ``출력``, ``->``). A block
    (``layer2``) is any of its layers, and its count the sum. Anything else is reported with
    the derivation of the layer's output. A count is right when it is the
    layer's (parameters, weights or biases, as the word next to it says); a rounded count
    (``3.2M parameters``) to the precision written.
"""


from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

from ..errors import SpecError, quote
from .find import Document
from .layer_labels import generic_labels, input_said, norm_name, part_size
from .literals import EN, format_int, read_number
from .netauto import choose
from .nettotals import total_claims
from .results import NetworkClaim, Skip

_KIND_PREFIXES = {
    "conv": ("conv", "convolution", "convlayer"),
    "pool": ("pool", "pooling", "poollayer"),
    "maxpool": ("maxpool", "maxpooling", "maxpoollayer"),
    "avgpool": ("avgpool", "avgpooling", "averagepool", "averagepooling"),
    "fc": ("fc", "dense", "linear", "fullyconnected", "fclayer"),
}
#: layer names that are also ordinary words: a mention only where the document numbers them
_COMMON_WORDS = {"add", "input", "output", "relu", "flatten", "dropout", "concat", "identity", "softmax", "sigmoid",
                 "tanh", "gelu", "silu", "pool", "conv", "linear", "dense", "norm", "head", "stem", "block", "layer"}
_MENTION = re.compile(
    r"(?<![A-Za-z0-9_.\-])([A-Za-z][A-Za-z_\-. ]{0,30}?[-_ ]?\d+(?:[._]\d+)*(?:_[xX]|[a-f](?![A-Za-z]))?)"
    r"(?![A-Za-z0-9_])(?![-‐]\d)(?!\s*[x×X*]\s*\d)"
)
_LIST_MORE = re.compile(
    r"(?<!\s)\s{0,8}(?:,|/|and|&|와|과|및)\s{0,8}(\d{1,3})(?![\d,.]{0,12}\s{0,8}[x×X*])(?![A-Za-z0-9_])")
_DIM = r"(?:\d{1,3}(?:,\d{3})+|\d{1,6})"
_SIZE = re.compile(r"(?<![\d.,A-Za-z_])(" + _DIM + r"(?:\s*[x×X*]\s*" + _DIM + r"){1,4})(?![,.]{0,2}\d)")
_COUNT_WORD = (r"(?P<word>parameters?|params?|weights?|biases?|파라미터|매개변수|가중치|바이어스|편향"
               r"|パラメータ|重み|バイアス|参数|參數|权重|權重|偏置)")
_NUMBER = r"\d{1,3}(?:[ \u2009]\d{3})+(?![\d,.])|\d+(?:[,.]\d+)*(?:[kKMGB]|\s?million|\s?billion|만|억)?"
_NUMBER_LIST = (r"(?<![\w.,×*/^+\-·])(?P<nums>(?:" + _NUMBER + r")(?:\s*/\s*(?:" + _NUMBER + r"))*)"
                r"(?![,.]{0,2}\d)(?!\s{0,8}[x×X*·^+\-/]\s{0,8}\d)")
_COUNT_BEFORE = re.compile(_NUMBER_LIST + r"\s*(?:개의|개|trainable|learnable)?\s*" + _COUNT_WORD, re.I)
_COUNT_AFTER = re.compile(
    _COUNT_WORD + r"[^\s\d=:,.;()]*(?:[\s:=]+[^\s\d=,.;:()]+){0,4}?[\s:=]+" + _NUMBER_LIST, re.I
)
#: an operator after a count: it starts arithmetic (``参数:6∗(5∗5+1)``), it is not the count
_NOT_A_COUNT = re.compile(r"[ \t]{0,3}[∗×*·+/^(]")
#: the larger part of a number written in two (``1억 3800만``: the count is not 3800만)
_COMPOUND_BEFORE = re.compile(r"\d[억億亿][ \t]{0,3}$")
_FIELD_OF_WORD = {
    "param": "params", "파라미터": "params", "매개변수": "params", "weight": "weights", "가중치": "weights",
    "bias": "biases", "바이어스": "biases", "편향": "biases", "パラメータ": "params", "参数": "params",
    "參數": "params", "重み": "weights", "权重": "weights", "權重": "weights", "バイアス": "biases", "偏置": "biases",
}
_INLINE_MATH = (
    (re.compile(r"\\(?:times|cdot|ast)(?![A-Za-z])|×|·|⋅"), "x"),
    (re.compile(r"\{,\}|\\,(?=\d)"), ","),
    (re.compile(r"\\(?:left|right|big[lr]?|Big[lr]?|mathbf|mathrm|text|boldsymbol|displaystyle)(?![A-Za-z])|[{}]"), ""),
)
_PROSE_NUMBERS = (
    (re.compile(r"(?<=\d)(?:\{,\}|\\,)(?=\d)"), ","),
    (re.compile(r"\\(?:times|cdot)(?![A-Za-z])"), "x"),
    (re.compile(r"\\(?:textbf|textit|emph|mathbf|text|texttt)\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\_"), "_"),
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s|\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\s*\{")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-+*]|\d{1,9}[.)]|\\item\b)\s?")
_TABLE_HEADER_FIELDS = (
    ("size", ("output", "shape", "size", "출력", "크기", "tensor", "出力", "サイズ", "形状", "输出", "尺寸", "輸出")),
    ("params", ("param", "파라미터", "매개변수", "パラメータ", "参数", "參數")),
    ("weights", ("weight", "가중치", "重み", "权重", "權重")),
    ("biases", ("bias", "편향", "바이어스", "バイアス", "偏置")),
    ("buffers", ("buffer",)),
)
#: words for a part of a layer: a size right before one is a kernel or a window
_PART_WORD = re.compile(r"\b(?:kernels?|filters?|windows?|stride)\b|커널|필터|윈도|カーネル|フィルタ|ウィンドウ"
                        r"|卷积核|滤波器|窗口|ストライド|步长", re.I)
#: words for a kind of layer, and the type symcnn gives it: a size right before one is a
#: kernel, and one of another type than the layer named is about a layer the sentence does not name
#: (words of Latin script, then of scripts without spaces between words)
_LAYER_WORDS = (
    ("conv", r"conv(?:olution)?s?|convolutional", r"합성곱|컨볼루션|畳み込み|畳込み|卷积|卷積"),
    ("pool", r"(?:max|avg|average)[- ]?pool(?:ing|ed)?|pool(?:ing|ed)?", r"풀링|プーリング|池化"),
    ("fc", r"fully[- ]connected|linear|dense|classifier", r"전결합|全結合|全连接|分類器|分类器"),
    ("norm", r"BN|batch ?norm(?:alization)?", r"배치 ?정규화|バッチ正規化|批归一化"),
    ("act", r"ReLU", r"활성화"),
    ("", r"blocks?|shortcut|downsample|projection|bottleneck|depthwise|pointwise", r"블록|ブロック|块"),
)
_LAYER_WORD = re.compile("|".join(f"(?P<k{n}>\\b(?:{w})\\b|{cjk})" for n, (_, w, cjk) in enumerate(_LAYER_WORDS)),
                         re.I)
_OUTPUT_WORD = re.compile(r"\b(?:outputs?|gives|produces|yields|returns|Ausgabe|liefert)\b|->|→|출력|出力|输出", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?;。])\s+")
_INPUT_WORDS = re.compile(r"\b(?:input|inputs|image|images|picture|photo|Eingabe|Bild)\b"
                          r"|입력|이미지|入力|画像|输入|图像", re.I)
_NEGATION = re.compile(
    r"\b(?:no|not|never|wrong|incorrect|isn't|aren't|mistake|nicht|kein|falsch)\b|아니|않|틀리|잘못"
    r"|ではない|じゃない|間違|不是|错误|錯誤", re.I)
#: words between a size and the layer named right after it ("224x224x64 for conv1_2")
_FOR = re.compile(r"\s*(?:(?:for|of|in|at|from|des|der|von)\s+(?:the\s+)?|[(\[]\s*)?", re.I)
#: characters between a name and the size or count next to it
_NEAR_SIZE, _NEAR_COUNT = 80, 60
#: a count per kernel or a total is not the layer's own
_PER = re.compile(r"\b(?:per|each|every|together|in all|total)\b|당|(?<![가-힣])각\s|전체|모두", re.I)


_norm = norm_name


@dataclass(frozen=True)
class _Target:
    """What a name in the document stands for: one layer, or several (a block such as
    ``layer2``, or a name mapped to a list)."""

    name: str
    layers: tuple
    block: bool = False
    #: a name read from its form (conv3_2, fc6, C3, res2a) rather than found: what it stands
    #: for in each way of numbering layers that fits the document ((scheme, target), ...)
    readings: tuple = ()
    #: the way of writing names it belongs to (conv with two numbers, fc with one ...)
    family: str = ""
    #: the name as the document writes it, where it is not the network's
    called: str = ""
    #: what else the name may stand for, where a claim wrong about this layer is right about
    #: it (ResNet's conv1, in a table of stages: conv1 with its batch norm)
    alternatives: tuple = ()
    #: its layers counted together only ("conv1 + bn1"), not one of them alone
    together: bool = False

    def sizes(self) -> set[tuple[int, ...]]:
        found: set[tuple[int, ...]] = set()
        for d in self.layers:
            found |= _sizes_of(d)
        return found

    def count(self, field: str) -> tuple[int | None, set[int]]:
        """The value to report and every value a right claim may give (a block's total, or
        one of its layers)."""
        values = [_field_value(d, field) for d in self.layers]
        if any(v is None for v in values):
            return None, set()
        total = sum(v for v in values if v is not None)
        if self.together:
            return total, {total}
        return total, {total, *(v for v in values if v is not None)}

    @property
    def last(self):
        return self.layers[-1]

    @property
    def numeric(self) -> bool:
        return all(_ints(d.output.dims) is not None for d in self.layers)

    @property
    def types(self) -> set[str]:
        """The types of its layers, in every reading of its name."""
        found = {d.type for d in self.layers}
        for _, t in self.readings:
            found |= {d.type for d in t.layers}
        return found


@dataclass
class _Layers:
    """The network's layers by every name a document may use."""

    derivation: object
    by_key: dict[str, _Target]
    prefixes: dict[str, str]
    spelled: re.Pattern[str] | None = None  # the network's own names, any case
    mapped: re.Pattern[str] | None = None  # names the user mapped, as spelled
    flattened: dict[int, tuple] | None = None  # layer id -> the shape a flatten before it took in
    #: layers of each kind, in order (conv, pool, maxpool, avgpool, fc)
    groups: dict[str, list] = field(default_factory=dict)
    #: runs of layers at one spatial size that hold a convolution (VGG's conv3_x, ResNet's conv3_x)
    stages: list[list] = field(default_factory=list)
    #: the convolutions, poolings and fully connected layers, in order (LeNet's C1, S2, C3 ...)
    positions: list = field(default_factory=list)
    #: for each family of names, the ways of numbering that fit every name of it in the document
    allowed: dict[str, set[str]] = field(default_factory=dict)
    #: the document names stages as the ResNet paper does (conv2_x, res3a): its conv1 may be a stage
    stage_style: bool = False
    #: labels the document gives every layer of a kind (POOL2 on each 2x2 pool's row): no layer's name
    generic: set[str] = field(default_factory=set)
    _made: dict[str, _Target | None] = field(default_factory=dict)

    def find(self, written: str) -> _Target | None:
        """The layer (or block) a name stands for: the network's own name or one mapped,
        else what its form says in the ways of numbering that fit the document."""
        key = _norm(written)
        if key in self.generic:
            return None
        found = self.by_key.get(key)
        if found is not None:
            form = _parse_name(written)
            if form is not None and form[:2] == ("conv", "1") and not found.block:
                stage = self._scheme("stage", "conv", form[2])
                if stage is not None and stage.layers != found.layers:
                    if key not in self._made:  # one target per name (mentions are told apart by identity)
                        self._made[key] = replace(found, alternatives=(stage,))
                    return self._made[key]
            return found
        m = re.fullmatch(r"([a-z.]*?)(\d+)", key)
        if m and m.group(1) in self.prefixes:
            prefix = self.prefixes[m.group(1)]
            if prefix.startswith("@"):  # MP=maxpool: MP2 is the second max pooling layer
                members = self.groups.get(prefix[1:], [])
                rank = int(m.group(2))
                return _Target(members[rank - 1].name, (members[rank - 1],)) if 1 <= rank <= len(members) else None
            return self.by_key.get(prefix + m.group(2))
        if key not in self._made:
            self._made[key] = self._inferred(written)
        return self._made[key]

    def readings(self, form: tuple[str, str, tuple[int, ...]]) -> list[tuple[str, _Target]]:
        """What a name of this form stands for in each way of numbering layers."""
        kind, shape, numbers = form
        out: list[tuple[str, _Target]] = []
        for scheme in _SCHEMES.get((kind, shape), ()):
            target = self._scheme(scheme, kind, numbers)
            if target is None:
                continue
            if scheme == "stage index" and any(d.type in ("add", "concat") for d in self.stages[numbers[0] - 1]):
                scheme = "stage index in blocks"  # ResNet's conv3_2: the second conv, or the second block?
            out.append((scheme, target))
        return out

    def _scheme(self, scheme: str, kind: str, numbers: tuple[int, ...]) -> _Target | None:
        group = _KIND_GROUP[kind]
        n = numbers[0]

        def one(members, k: int) -> _Target | None:
            return _Target(members[k - 1].name, (members[k - 1],)) if 1 <= k <= len(members) else None

        if scheme == "rank":
            return one(self.groups.get(group, []), n)
        if scheme == "position":
            found = one(self.positions, n)
            return found if found is not None and _group_of(found.last) in _SAME_KIND[group] else None
        if scheme == "after convolutions":
            return one(self.groups.get("fc", []), n - len(self.groups.get("conv", [])))
        if scheme == "after stages":
            return one(self.groups.get("fc", []), n - len(self.stages))
        if not 1 <= n <= len(self.stages):
            return None
        stage = self.stages[n - 1]
        if scheme == "stage":
            return _stage_target(stage, self.derivation.layers)  # type: ignore[attr-defined]
        if scheme == "stage index":
            return one([d for d in stage if d.type == "conv"], numbers[1])
        if scheme == "stage block":
            blocks: dict[str, list] = {}
            for d in stage:
                parts = d.name.split(".")
                if len(parts) >= 3:
                    blocks.setdefault(".".join(parts[:2]), []).append(d)
            k = numbers[1]
            if not 1 <= k <= len(blocks):
                return None
            name, members = list(blocks.items())[k - 1]
            return _Target(name, tuple(members), block=len(members) > 1)
        return None  # pragma: no cover

    def _inferred(self, written: str) -> _Target | None:
        form = _parse_name(written)
        if form is None:
            return None
        if form[1] == "1" and form[0] in _KIND_GROUP and (own := self.by_key.get(
                _KIND_GROUP[form[0]] + str(form[2][0]))) is not None and form[0] not in ("c", "s", "f"):
            return own  # conv layer 3, fully connected 1: the network's conv3, fc1
        family = f"{form[0]} {form[1]}"
        allowed = self.allowed.get(family)
        readings = [(scheme, t) for scheme, t in self.readings(form) if allowed is None or scheme in allowed]
        if not readings:
            return None
        first = readings[0][1]
        return _Target(first.name, first.layers, first.block, tuple(readings), family, written.strip())


#: a layer name by its form: a kind and one or two numbers (conv3_2), a stage (conv2_x) or a
#: block letter (res2a)
_KINDS = {
    "conv": "conv", "convolution": "conv", "convolutional": "conv", "c": "c",
    "pool": "pool", "pooling": "pool", "s": "s", "p": "s", "subsampling": "pool",
    "maxpool": "maxpool", "max pool": "maxpool", "max-pool": "maxpool", "maxpooling": "maxpool", "mp": "maxpool",
    "avgpool": "avgpool", "avg pool": "avgpool", "averagepool": "avgpool", "average pool": "avgpool",
    "fc": "fc", "dense": "fc", "linear": "fc", "fully connected": "fc", "fully-connected": "fc", "f": "f",
    "res": "res",
}
#: a layer name by its form: a kind and one or two numbers (conv3_2), a stage (conv2_x) or a
#: block letter (res2a); the kind is one of a fixed list, so that no run of letters is tried
#: in more than one way (a free-form kind backtracks exponentially on long words)
_NAME_FORM = re.compile(
    r"(?P<kind>" + "|".join(re.escape(k) for k in sorted(_KINDS, key=len, reverse=True)) + r")"
    r"(?:[ -]?layer)?[ _-]?(?P<n>\d{1,3})(?:[_.-](?P<m>\d{1,2}|x)|(?P<letter>[a-z]))?"
)
#: the group of layers each kind of name counts in
_KIND_GROUP = {"conv": "conv", "c": "conv", "pool": "pool", "s": "pool", "maxpool": "maxpool", "avgpool": "avgpool",
               "fc": "fc", "f": "fc", "res": "conv"}
_SAME_KIND = {"conv": {"conv"}, "pool": {"pool", "maxpool", "avgpool"}, "maxpool": {"maxpool"},
              "avgpool": {"avgpool"}, "fc": {"fc"}}
#: the ways of numbering a name of each form may follow:
#: rank (conv3: the third convolution), stage (conv3, conv3_x: the convolutions at the third
#: spatial size), stage index (conv3_2: the second convolution there), stage block (res3b:
#: its second block), position (LeNet's C3: the third of all convolutions, poolings and
#: fully connected layers), after convolutions (AlexNet's fc6: numbered on from conv5),
#: after stages (VGG's fc6: numbered on from conv5_x)
_SCHEMES = {
    ("conv", "1"): ("rank", "stage"), ("c", "1"): ("rank", "position"),
    ("conv", "2"): ("stage index",), ("c", "2"): ("stage index",),
    ("conv", "x"): ("stage",), ("c", "x"): ("stage",), ("res", "a"): ("stage block",),
    ("pool", "1"): ("rank",), ("maxpool", "1"): ("rank",), ("avgpool", "1"): ("rank",),
    ("s", "1"): ("rank", "position"),
    ("fc", "1"): ("rank", "after convolutions", "after stages"),
    ("f", "1"): ("rank", "position", "after convolutions", "after stages"),
}


#: readings that do not make a name certain on their own
_NOT_ALONE = {"stage index in blocks"}


def _parse_name(written: str) -> tuple[str, str, tuple[int, ...]] | None:
    """(kind, form, numbers) of a layer name by its form, or None."""
    m = _NAME_FORM.fullmatch(written.strip().lower())
    if m is None:
        return None
    kind = _KINDS.get(m.group("kind"))
    if kind is None:
        return None
    n = int(m.group("n"))
    if m.group("letter"):
        return (kind, "a", (n, ord(m.group("letter")) - ord("a") + 1)) if kind == "res" else None
    if m.group("m") == "x":
        return kind, "x", (n,)
    if m.group("m"):
        return kind, "2", (n, int(m.group("m")))
    return (kind, "1", (n,)) if kind != "res" else None


def _group_of(d) -> str:
    if d.type == "pool":
        kind = type(d.layer).__name__.lower()
        return "maxpool" if "max" in kind else "avgpool" if "avg" in kind else "pool"
    return d.type


def _stage_target(stage: list, every: list) -> _Target:
    """A stage as one block, named by the block of the network it is (layer2), else by its ends."""
    if len(stage) == 1:
        return _Target(stage[0].name, (stage[0],))
    for d in stage:
        parts = d.name.split(".")
        for k in range(1, len(parts)):
            prefix = ".".join(parts[:k])
            members = [x for x in every if x.name.startswith(prefix + ".")]
            # the block the stage is, give or take layers without parameters (ResNet's conv2_x
            # is its max pool and layer1)
            if members and all(x in stage for x in members) and all(
                    x in members or _field_value(x, "params") == 0 for x in stage):
                return _Target(prefix, tuple(stage), block=True)
    return _Target(f"{stage[0].name} to {stage[-1].name}", tuple(stage), block=True)


def _spatial(d) -> tuple | None:
    dims = d.output.dims
    return tuple(dims[:-1]) if len(dims) >= 3 else None


def _index(derivation, mapping: Mapping[str, str | list[str]]) -> _Layers:
    layers = list(derivation.layers)
    by_key: dict[str, _Target] = {_norm(d.name): _Target(d.name, (d,)) for d in layers}
    blocks = _blocks(layers)
    exact = set(by_key)
    for prefix, members in blocks.items():
        key = _norm(prefix)
        if key not in exact and len(members) > 1:
            by_key[key] = _Target(prefix, tuple(members), block=True)
    groups = _kind_groups(layers)
    positions = [d for d in layers if d.type in ("conv", "pool", "fc")]
    prefixes, mapped_names = _map_names(derivation, mapping, by_key, _ranked(groups), blocks)
    spelled = {d.name for d in layers if len(d.name) >= 2 and d.name.lower() not in _COMMON_WORDS}
    spelled |= {b for b in blocks if _norm(b) in by_key and re.search(r"\d", b)}
    return _Layers(derivation, by_key, prefixes, _names_pattern(spelled, re.I), _names_pattern(mapped_names, 0),
                   _flattened(layers), groups, _stages(layers), positions)


def _blocks(layers: list) -> dict[str, list]:
    """Blocks: a dotted prefix of layers' names (layer2, features.17), and its layers."""
    blocks: dict[str, list] = {}
    for d in layers:
        parts = d.name.split(".")
        for k in range(1, len(parts)):
            blocks.setdefault(".".join(parts[:k]), []).append(d)
    return blocks


def _kind_groups(layers: list) -> dict[str, list]:
    """The layers of each kind (conv, pool, maxpool, avgpool, fc), in order."""
    groups: dict[str, list] = {group: [] for group in _KIND_PREFIXES}
    for d in layers:
        if d.type in ("conv", "pool", "fc"):
            groups[d.type].append(d)
        if d.type == "pool":
            kind = type(d.layer).__name__.lower()
            if "max" in kind:
                groups["maxpool"].append(d)
            elif "avg" in kind:
                groups["avgpool"].append(d)
    return groups


def _ranked(groups: dict[str, list]) -> dict[str, _Target]:
    """A layer by its kind and rank, as a mapping may name it (pool1: the first pooling layer)."""
    ranked: dict[str, _Target] = {}
    for group, members in groups.items():
        for rank, d in enumerate(members, 1):
            for prefix in _KIND_PREFIXES[group]:
                ranked.setdefault(f"{prefix}{rank}", _Target(d.name, (d,)))
    return ranked


def _stages(layers: list) -> list[list]:
    """Stages: runs of layers at one spatial size that hold a convolution, a residual block
    (layer4.0, features.2) going whole to the size it ends at (ResNet-50's layer4.0.conv1 is
    still 14x14)."""
    units: list[tuple[str, list]] = []
    for d in layers:
        if _spatial(d) is None:
            continue
        parts = d.name.split(".")
        key = ".".join(parts[:2]) if len(parts) >= 3 else d.name
        if units and units[-1][0] == key:
            units[-1][1].append(d)
        else:
            units.append((key, [d]))
    stages: list[list] = []
    run: list = []
    for _, members in units:
        if run and _spatial(run[-1]) != _spatial(members[-1]):
            if any(x.type == "conv" for x in run):
                stages.append(run)
            run = []
        run.extend(members)
    if any(x.type == "conv" for x in run):
        stages.append(run)
    return stages


def _map_names(derivation, mapping: Mapping[str, str | list[str]], by_key: dict[str, _Target],
               ranked: dict[str, _Target], blocks: dict[str, list]) -> tuple[dict[str, str], list[str]]:
    """The user's names (``--layer DOC=NET``) put into ``by_key``: a name for layers, or a
    prefix for every numbered one (returned, with the names mapped)."""
    layers = list(derivation.layers)
    names = {d.name: d for d in layers}
    prefixes: dict[str, str] = {}
    mapped_names = []
    for written, target in mapping.items():
        targets = [t.strip() for t in target.split(",")] if isinstance(target, str) else list(target)
        missing = [t for t in targets if t not in names and _norm(t) not in by_key and _norm(t) not in ranked]
        if not missing:
            found = [_Target(t, (names[t],)) if t in names else by_key.get(_norm(t)) or ranked[_norm(t)]
                     for t in targets]
            by_key[_norm(written)] = _mapped_target(written, targets, found, blocks)
            mapped_names.append(written)
        elif (prefix := _mapped_prefix(written, targets)) is not None:
            prefixes[_norm(written)] = prefix
        else:
            shown = ", ".join(d.name for d in layers[:12]) + (", ..." if len(layers) > 12 else "")
            raise SpecError(f"no layer named {quote(missing[0])} in {derivation.name} (layers: {shown})",
                            where=f"--layer {written}={target}", rule="layer name")
    return prefixes, mapped_names


def _mapped_target(written: str, targets: list[str], found: list[_Target], blocks: dict[str, list]) -> _Target:
    """What a name the user mapped stands for: the layers mapped to, or the block it names."""
    chosen = tuple(x for f in found for x in f.layers)
    whole = blocks.get(written.strip())
    if whole and len(chosen) == 1 and chosen[0] in whole:
        chosen = tuple(whole)  # "layer2" for layer2.1.relu2: the block, whose output that is
    return _Target(targets[0] if len(targets) == 1 else written, chosen, block=len(chosen) > 1)


def _mapped_prefix(written: str, targets: list[str]) -> str | None:
    """A name mapped to a prefix, for every numbered one (``MP=maxpool``: MP2 is the second
    max pooling layer): the network's prefix, or "@" and a kind; None where it is no prefix."""
    if len(targets) != 1 or re.search(r"\d$", written) or re.search(r"\d$", targets[0]):
        return None
    kind_group = next((g for g, words in _KIND_PREFIXES.items() if _norm(targets[0]) in words), None)
    return "@" + kind_group if kind_group else _norm(targets[0])


def _names_pattern(words, flags: int) -> re.Pattern[str] | None:
    """A pattern of the names, longest first, each a whole name."""
    if not words:
        return None
    body = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(r"(?<![A-Za-z0-9_.\-])(" + body + r")(?![A-Za-z0-9_]|\.[A-Za-z0-9])", flags)


def _flattened(layers: list) -> dict[int, tuple]:
    """For the layers right after a flatten (up to its fully connected layer): the shape it took in."""
    flattened: dict[int, tuple] = {}
    for k, d in enumerate(layers):
        if d.type == "flatten" and d.inputs:
            for after in layers[k + 1 : k + 3]:
                flattened[id(after)] = (d.input,)
                if after.type == "fc":
                    break
    return flattened


def _ints(dims) -> tuple[int, ...] | None:
    out = []
    for d in dims:
        if not getattr(d, "is_Integer", False):
            return None
        out.append(int(d))
    return tuple(out)


def _shape_forms(shape) -> set[tuple[int, ...]]:
    """A shape as a line may give it: HxWxC, CxHxW, with a batch of 1, the spatial HxW."""
    dims = _ints(shape.dims)
    if dims is None:
        return set()
    found = {dims}
    if len(dims) == 1:
        found |= {(dims[0], 1), (1, dims[0])}
        # a vector's values laid out as a grid of the same number (84 values: a 7x12 bitmap)
        found |= {(a, dims[0] // a) for a in range(2, min(dims[0], 1 << 12)) if dims[0] % a == 0}
    else:
        spatial, c = dims[:-1], dims[-1]
        found |= {spatial, (c, *spatial), (1, c, *spatial), (1, *dims)}
        if all(x == 1 for x in spatial):
            found |= {(c,), (c, 1), (1, c)}  # a 1x1xC map is the vector of its C channels
        if len(set(spatial)) == 1:
            found.add((spatial[0], c))
    return found


_FLATTENED: dict[int, tuple] = {}


def _sizes_of(d) -> set[tuple[int, ...]]:
    """Every way a line about this layer may rightly give a size: its output and input (and
    the shape a flatten before it took in), its kernel, its weight matrix."""
    found: set[tuple[int, ...]] = set()
    for shape in (d.output, *d.inputs, *_FLATTENED.get(id(d), ())):
        found |= _shape_forms(shape)
    found |= _kernel_forms(d)
    if d.type == "fc" and d.inputs:
        f_in = _ints((d.input.numel,))
        f = _ints((d.output.numel,))
        if f_in and f:
            found |= {(f[0], f_in[0]), (f_in[0], f[0])}
    return found


def _kernel_forms(d) -> set[tuple[int, ...]]:
    """A layer's kernel as a line may give it: KxK, KxKxC, KxKxCxN, NxCxKxK ... (C the input
    channels, or those of one group)."""
    kernel = getattr(d.layer, "kernel", None)
    k = _ints(kernel if isinstance(kernel, tuple) else (kernel,)) if kernel is not None else None
    if k is None:
        return set()
    c_in = _ints((d.input.channels,)) if d.inputs else None
    n = _ints((d.output.channels,))
    rank = d.input.rank if d.inputs else 0
    if len(k) == 1 and rank > 1:
        k = k * rank  # one size for every axis
    found = {k}
    if c_in and n:
        cin, nout = c_in[0], n[0]
        groups = getattr(d.layer, "groups", 1)
        g = int(groups) if getattr(groups, "is_Integer", False) else 1
        for c in {cin, cin // g if g else cin}:
            found |= {(*k, c), (*k, c, nout), (nout, c, *k), (c, *k), (*k, nout), (nout, *k)}
    return found


def _field_value(d, field: str) -> int | None:
    value = getattr(d, field, None)
    if value is None or not getattr(value, "is_Integer", False):
        return None
    return int(value)


def _steps_text(d, counts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s.text() for s in d.steps if s.counts in counts)


@dataclass
class _Unit:
    """A paragraph, list item or table row of prose, its lines joined: sentences may run over lines."""

    text: str
    lines: list[tuple[int, int]]  # (offset in text, line number)
    indent: int
    item: bool
    heading: bool
    in_table: bool
    mentions: list = field(default_factory=list)  # (start, end, target)
    elsewhere: bool = False  # in a section about another network

    def line_at(self, offset: int) -> int:
        number = self.lines[0][1]
        for start, n in self.lines:
            if start > offset:
                break
            number = n
        return number


def _view(doc: Document) -> str:
    """The document's prose with inline math written as prose (``55\\times 55`` as 55x55) and
    identifiers in code spans shown (`features.17`); display math and equations blanked. Same
    length, so offsets and lines stay put."""
    chars = list(doc.masked)
    for a, b in doc.code_spans:
        content = doc.text[a:b]
        if re.fullmatch(r"[A-Za-z][\w.\-]{0,40}", content):
            chars[a:b] = list(content)
    for span in doc.spans:
        content = doc.masked[span.start : span.end]
        if span.display or re.search(r"=|\\approx|≈", content):
            replacement = ""
        else:
            replacement = content
            for pattern, repl in _INLINE_MATH:
                replacement = pattern.sub(repl, replacement)
            replacement = re.sub(r"\s*x\s*", "x", replacement)
            if "\n" in replacement or len(replacement) > span.close - span.open:
                replacement = ""
        width = span.close - span.open
        for k in range(span.open, span.close):
            if chars[k] != "\n":
                chars[k] = " "
        for k, ch in enumerate(replacement[:width]):
            if chars[span.open + k] != "\n":
                chars[span.open + k] = ch
    return "".join(chars)


def _mentions(text: str, layers: _Layers) -> list[tuple[int, int, _Target]]:
    found = _spelled(text, layers)
    taken = [(a, b) for a, b, _ in found]
    for m in _MENTION.finditer(text):
        if any(a < m.end(1) and m.start(1) < b for a, b in taken):
            continue
        written = m.group(1).strip()
        # the shortest tail of the words before the number that names a layer ("conv layer 1")
        target = None
        words = written.split(" ")
        for k in range(len(words) - 1, -1, -1):
            target = layers.find(" ".join(words[k:]))
            if target is not None:
                break
        if target is None:
            continue
        found.append((m.end(1) - len(words[-1]), m.end(1), target))
        prefix = re.match(r"(.*?)[-_ ]?\d+(?:[._]\d+)*$", words[-1])
        end = m.end(1)
        while prefix and (more := _LIST_MORE.match(text, end)) is not None:
            other = layers.find(prefix.group(1) + more.group(1))
            if other is None:
                break
            found.append((more.start(1), more.end(1), other))
            end = more.end()
    return _ranges(text, sorted(found, key=lambda item: item[0]), layers)


#: what follows a name that makes it another one: CONV3-64 (a 3x3 convolution of 64 kernels) is no conv3
_NAME_GOES_ON = re.compile(r"[-‐]\d")


def _spelled(text: str, layers: _Layers) -> list[tuple[int, int, _Target]]:
    """Mentions of the network's own names and of the names the user mapped."""
    found: list[tuple[int, int, _Target]] = []
    for pattern in (layers.spelled, layers.mapped):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if any(a < m.end(1) and m.start(1) < b for a, b, _ in found) or _NAME_GOES_ON.match(text, m.end(1)):
                continue
            target = layers.find(m.group(1))
            if target is not None:
                found.append((m.start(1), m.end(1), target))
    return found


_RANGE = re.compile(r"(?<!\s)\s*(?:[-–—~～]|to|through|thru|bis|부터|から)\s*", re.I)


def _ranges(text: str, found: list[tuple[int, int, _Target]], layers: _Layers) -> list[tuple[int, int, _Target]]:
    """``fc6–fc8``, ``conv3_1 to conv3_3``: one mention of every layer from the first to the
    last, a block (its count is their sum). Where either end may be read several ways, neither
    is a mention: which layers the range holds is not certain."""
    order = {id(d): k for k, d in enumerate(layers.derivation.layers)}  # type: ignore[attr-defined]
    out: list[tuple[int, int, _Target]] = []
    k = 0
    while k < len(found):
        if k + 1 < len(found) and _RANGE.fullmatch(text[found[k][1] : found[k + 1][0]]):
            (a, _, first), (_, b, last) = found[k], found[k + 1]
            k += 2
            if len({t.name for _, t in first.readings}) > 1 or len({t.name for _, t in last.readings}) > 1:
                continue
            lo, hi = order[id(first.layers[0])], order[id(last.layers[-1])]
            if lo < hi:
                span = tuple(layers.derivation.layers[lo : hi + 1])  # type: ignore[attr-defined]
                out.append((a, b, _Target(f"{first.layers[0].name} to {last.layers[-1].name}", span, block=True)))
            continue
        out.append(found[k])
        k += 1
    return out


def check_claims(doc: Document, network, mapping: Mapping[str, str | list[str]], *, convention: int = EN,
                 input=None, rounding: str | None = None) -> tuple[str, list[NetworkClaim], list[Skip]]:
    """The network's name, every size or count the document gives for its layers, and the
    ones skipped because the layer a name stands for is not certain. ``network="auto"``:
    the built-in network the document names most (none where that is not clear)."""
    if network == "auto":
        return _auto_claims(doc, mapping, convention)
    derivation = _derive(network, input, rounding)
    layers = _index(derivation, mapping)
    _FLATTENED.clear()
    _FLATTENED.update(layers.flattened or {})
    view = _view(doc)
    layers.generic = generic_labels(view) - {_norm(k) for k in mapping}
    units = _units(doc, view, layers)
    layers.stage_style = any(t.family in ("conv x", "c x", "res a") for unit in units for _, _, t in unit.mentions)
    if layers._made:
        _fit_numbering(units, layers)
    claims = _Claims(layers)
    _mark_elsewhere(units, claims.network)
    _tables([u for u in units if not u.elsewhere], claims, convention)
    _prose(units, claims, convention)
    found, skipped = claims.settle()
    raw = doc.text if doc.syntax in ("markdown", "text") else ""  # text tables in code blocks
    return derivation.name, found + total_claims(view, derivation, convention, raw), skipped


def _prose(units: list[_Unit], claims: _Claims, convention: int) -> None:
    """The claims of the prose: each unit with the layer it inherits from the list item,
    paragraph or heading above it."""
    heading: _Target | None = None
    block: list[_Unit] = []
    for unit in units:
        if unit.heading:
            named = _distinct(unit.mentions)
            # "layer3 (conv4_x)": two names of one block
            heading = named[0] if len({t.name for t in named}) == 1 else None
            block = []
            continue
        if unit.in_table or unit.elsewhere:
            continue
        if not unit.text.strip():
            block = []
            continue
        inherited, how = _inherited(unit, block, heading)
        _unit_claims(unit, block[-1] if block else None, inherited, how, claims, convention)
        block.append(unit)


def _auto_claims(doc: Document, mapping: Mapping[str, str | list[str]],
                 convention: int) -> tuple[str, list[NetworkClaim], list[Skip]]:
    """The claims about the built-in network the document names most; none where no one is
    named clearly most, or where most of its figures are wrong for it and its total is not
    right (a variant of the network named: a LeNet of other sizes)."""
    network, why = choose(doc.text)
    if network is None:
        return "auto", [], [Skip(1, "--network auto", "uncertain network", why)]
    name, found, skipped = check_claims(doc, network, mapping, convention=convention)
    wrong = sum(not c.ok for c in found)
    whole = any(c.ok and c.how == "total" and c.layer == name for c in found)
    if wrong * 2 > len(found) and not whole:
        return name, [], [*skipped, Skip(1, "--network auto", "uncertain network",
                                         f"{network} ({why}) fits {wrong} of its {len(found)} figures badly")]
    return name, found, skipped


def _fit_numbering(units: list[_Unit], layers: _Layers) -> None:
    """Keep, for each family of names the document writes, the ways of numbering that fit
    every name of it, and read the mentions again under them."""
    fits: dict[str, list[set[str]]] = {}
    for unit in units:
        for _, _, t in unit.mentions:
            if t.readings:
                fits.setdefault(t.family, []).append({scheme for scheme, _ in t.readings})
    for family, sets in fits.items():
        common = set.intersection(*sets)
        if common:
            layers.allowed[family] = common
    layers._made.clear()
    for unit in units:
        if unit.text:
            unit.mentions = _mentions(unit.text, layers)


def _mark_elsewhere(units: list[_Unit], network: str) -> None:
    """A section whose heading names another network (## AlexNet, while checking vgg16) says
    nothing about this one."""
    elsewhere = False
    for unit in units:
        if unit.heading:
            elsewhere = _other_network(unit.text, network) and not _this_network(unit.text, network)
        unit.elsewhere = elsewhere and not unit.heading


#: what a claim says, judged against one layer: right or not, the derived value, its derivation
_Verdict = tuple[bool, str, tuple[str, ...]]


@dataclass
class _Pending:
    """A claim about a name read from its form: its verdict in each reading of the name."""

    line: int
    target: _Target
    field: str
    claimed: str
    written: str
    how: str
    results: list[tuple[str, _Target, _Verdict]]
    fits: bool  # whether the claimed value is some layer's at all


class _Claims:
    """The claims of a document in order; those about names read from their form are settled
    at the end, when the document has said which way it numbers its layers."""

    def __init__(self, layers: _Layers) -> None:
        self.layers = layers
        self.network = str(getattr(layers.derivation, "name", ""))
        self.items: list[NetworkClaim | _Pending] = []

    def add(self, line: int, target: _Target, field: str, claimed: str, written: str, how: str,
            judge, anywhere) -> None:
        """``judge(t)`` is the verdict against layer ``t`` (None: it says nothing about it);
        ``anywhere()`` whether the claimed value is any layer's."""
        if not target.readings:
            verdict = judge(target)
            if verdict is not None and not verdict[0] and self.layers.stage_style:
                for other in target.alternatives:
                    again = judge(other)
                    if again is not None and again[0]:
                        target, verdict = other, again
                        break
            if verdict is not None:
                ok, derived, derivation = verdict
                self.items.append(NetworkClaim(line, target.name, field, claimed, derived, ok, written, how,
                                               derivation))
            return
        results = [(scheme, t, v) for scheme, t in target.readings if (v := judge(t)) is not None]
        if results:
            self.items.append(_Pending(line, target, field, claimed, written, how, results,
                                       any(v[0] for _, _, v in results) or anywhere()))

    def settle(self) -> tuple[list[NetworkClaim], list[Skip]]:
        """Claims about names read from their form, judged in the way of numbering the
        document bears out: of the readings of a family of names, the one under which more
        of its figures are right than under any other, with at least one right. Without
        one, a claim right in some reading is right, and one wrong in every reading is
        wrong where the name reads one way only (conv4_3 in VGG-16, whose stages are plain
        chains; not conv3_2 in ResNet, whose stages are blocks, unless the value is no
        layer's at all) and the document's other figures do not contradict that way; else
        it is skipped: which layer it is about is not certain."""
        score: dict[tuple[str, str], list[int]] = {}
        for item in self.items:
            if isinstance(item, _Pending):
                for scheme, _, (ok, _, _) in item.results:
                    tally = score.setdefault((item.target.family, scheme), [0, 0])
                    tally[0 if ok else 1] += 1
        chosen = _chosen_schemes(score)
        claims: list[NetworkClaim] = []
        skips: list[Skip] = []
        for item in self.items:
            settled = item if isinstance(item, NetworkClaim) else _settle(item, chosen.get(item.target.family), score)
            if isinstance(settled, NetworkClaim):
                claims.append(settled)
            else:
                skips.append(settled)
        return claims, skips


def _chosen_schemes(score: dict[tuple[str, str], list[int]]) -> dict[str, str]:
    """For each family of names, the way of numbering under which more of its figures are
    right than under any other, with at least one right (none where no way is)."""
    chosen: dict[str, str] = {}
    for family in {family for family, _ in score}:
        ranked = sorted(((r - w, r, scheme) for (f, scheme), (r, w) in score.items() if f == family), reverse=True)
        if ranked[0][1] >= 1 and ranked[0][0] >= 0 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            chosen[family] = ranked[0][2]
    return chosen


def _settle(item: _Pending, preferred: str | None, score: dict[tuple[str, str], list[int]]) -> NetworkClaim | Skip:
    """A claim about a name read from its form, judged in the way of numbering chosen for its
    family, else as :meth:`_Claims.settle` says; or skipped."""
    by_scheme = {scheme: (t, verdict) for scheme, t, verdict in item.results}
    distinct = {t.name for _, t, _ in item.results}
    first = item.results[0][0]
    right, wrong = score.get((item.target.family, first), [0, 0])
    oks = [(t, v) for _, t, v in item.results if v[0]]
    if preferred in by_scheme:
        t, verdict = by_scheme[preferred]
    elif oks:
        t, verdict = oks[0]
    elif len(distinct) == 1 and (first not in _NOT_ALONE or not item.fits) and wrong - 1 <= right:
        # the name reads one way only, and the document does not contradict it
        _, t, verdict = item.results[0]
    else:
        shown = ", ".join(dict.fromkeys(t.name for _, t, _ in item.results))
        ways = " or ".join(dict.fromkeys(s for s, _, _ in item.results))
        return Skip(item.line, f"{item.target.called}: {item.written}", "uncertain layer",
                    f"{item.target.called} may be {shown} (numbered by {ways}); nothing else "
                    "in the document says which")
    ok, derived, derivation = verdict
    return NetworkClaim(item.line, t.name, item.field, item.claimed, derived, ok, item.written,
                        item.how, derivation, item.target.called)


def _size_judge(dims: tuple[int, ...], output: bool):
    def judge(t: _Target) -> _Verdict | None:
        if not t.numeric:
            return None
        d = t.last
        ok = dims in (_shape_forms(d.output) if output else t.sizes())
        return ok, d.output.text(), () if ok else _steps_text(d, ("size", "length"))
    return judge


def _part_judge(dims: tuple[int, ...]):
    """A size given for a part of a layer (a kernel, a window, its weights): right where it is
    one of the layer's kernel shapes, else not read (a bias vector, a part of another shape)."""
    def judge(t: _Target) -> _Verdict | None:
        return (True, t.last.output.text(), ()) if t.numeric and dims in t.sizes() else None
    return judge


def _count_judge(field_name: str, claimed: tuple[Fraction, Fraction], counts: tuple[str, ...]):
    def judge(t: _Target) -> _Verdict | None:
        shown, allowed = t.count(field_name)
        if shown is None:
            return None
        ok = any(_close(x, *claimed) for x in allowed)
        return ok, format_int(shown), () if ok or t.block else _steps_text(t.last, counts)
    return judge


def _size_anywhere(layers: _Layers, dims: tuple[int, ...]):
    return lambda: any(dims in _sizes_of(d) for d in layers.derivation.layers)  # type: ignore[attr-defined]


def _count_anywhere(layers: _Layers, field_name: str, claimed: tuple[Fraction, Fraction]):
    def anywhere() -> bool:
        values = [_field_value(d, field_name) for d in layers.derivation.layers]  # type: ignore[attr-defined]
        values += [sum(_field_value(d, field_name) or 0 for d in stage) for stage in layers.stages]
        return any(v is not None and _close(v, *claimed) for v in values)
    return anywhere


def _derive(network, input, rounding):
    if hasattr(network, "layers") and hasattr(network, "total_params"):
        return network  # already a derivation
    from ..builders.load import load

    return load(network).derive(input, rounding)


def _units(doc: Document, view: str, layers: _Layers) -> list[_Unit]:
    """Paragraphs, list items (with the lines that go on from them), headings and table rows;
    a blank line is an empty unit that ends a block."""
    units: list[_Unit] = []
    pos = 0
    current: _Unit | None = None
    for number, raw in enumerate(view.split("\n"), 1):
        text = raw
        for pattern, repl in _PROSE_NUMBERS:
            text = pattern.sub(repl, text)
        in_table = doc.in_table_row(pos) if doc.table_rows else False
        pos += len(raw) + 1
        if not text.strip():
            units.append(_Unit("", [(0, number)], 0, False, False, False))
            current = None
            continue
        indent = len(text) - len(text.lstrip())
        heading = bool(_HEADING.match(text))
        item = bool(_LIST_ITEM.match(text))
        if current is not None and not (heading or item or in_table or current.heading or current.in_table):
            current.lines.append((len(current.text) + 1, number))
            current.text += " " + text.strip()
            continue
        current = _Unit(text, [(0, number)], indent, item, heading, in_table)
        units.append(current)
    for unit in units:
        if unit.text:
            unit.mentions = _mentions(unit.text, layers)
    return units


def _inherited(unit: _Unit, block: list[_Unit], heading: _Target | None) -> tuple[list[_Target], str]:
    """The layer a unit without a name of its own is about: the list item it belongs to
    ("item"), the paragraph when that is about one layer ("paragraph"), the heading."""
    if block:
        if unit.item or unit.indent > 0:
            level = unit.indent
            for above in reversed(block):
                if above.indent < level and (above.item or not unit.item):
                    if above.mentions:
                        return _distinct(above.mentions), "item"
                    level = above.indent
                    if level == 0:
                        break
        elif not any(above.item for above in block):
            named = _distinct([m for above in block for m in above.mentions])
            if len(named) == 1:
                return named, "paragraph"
            if named:
                return [], ""
    if heading is not None:
        return [heading], "heading"
    return [], ""


def _distinct(mentions) -> list[_Target]:
    return list({id(t): t for _, _, t in mentions}.values())


def _sentence_start(text: str, at: int) -> int:
    return next(a for a, b in _sentences(text) if a <= at <= b)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _layer_words(text: str) -> set[str]:
    """The types of the layers a text names by kind (``max pool``: pool; ``block``: "")."""
    return {_LAYER_WORDS[int(name[1:])][0] for m in _LAYER_WORD.finditer(text)
            for name, value in m.groupdict().items() if value}


#: names of networks a sentence may be about
_NETWORK_NAME = re.compile(
    r"\b(?:ResNeXt|ResNet|Wide[- ]?ResNet|VGG|AlexNet|LeNet|MobileNet|EfficientNet|DenseNet|Inception|GoogLeNet|"
    r"U-?Net|ShuffleNet|SqueezeNet|ConvNeXt|RegNet|Xception|ViT|YOLO)(?:[- ]?(?:v\d+|V\d+|\d+[a-z]?))*\b")


#: words that make a size a region of the input rather than a tensor of the layer
_REGION = re.compile(r"\b(?:sees?|covers?|spans?|receptive|region|patch(?:es)?|crops?|tiles?)\b|\bpixels? of the\b"
                     r"|수용 ?영역|受容野|感受野", re.I)
#: a sentence about another version of the network (the original paper's, as first published)
_VARIANT = re.compile(
    r"\b(?:original(?:ly)?|(?:1[89]|20)\d\d (?:paper|version)|paper's|in the paper)\b|원\s?논문|논문에서는|원래|원본"
    r"|原論文|元の論文|論文では|原始论文|原论文|论文中|原文", re.I)


def _this_network(text: str, network: str) -> bool:
    """Whether the text names the network checked (ResNet-50 for resnet50)."""
    net = re.sub(r"[^a-z0-9]", "", network.lower())
    return any(net.startswith(named) or named.startswith(net)
               for m in _NETWORK_NAME.finditer(text) if (named := re.sub(r"[^a-z0-9]", "", m.group(0).lower())))


def _other_network(sentence: str, network: str) -> bool:
    """Whether the sentence names a network other than the one checked (ResNet-34 while
    checking resnet50); ResNet, ResNet-50 and resnet50 are all resnet50."""
    if not network:
        return False
    net = re.sub(r"[^a-z0-9]", "", network.lower())
    for m in _NETWORK_NAME.finditer(sentence):
        named = re.sub(r"[^a-z0-9]", "", m.group(0).lower())
        if not (net.startswith(named) or named.startswith(net)):
            return True
    return False


@dataclass
class _Spot:
    """A size or count at ``at:end`` of a unit, the sentence it is in (``a:b``) and what that
    sentence names."""

    unit: _Unit
    at: int
    end: int
    a: int
    b: int
    count: bool
    inherited: list[_Target]
    how: str
    following: str = ""  # the next sentence

    @property
    def text(self) -> str:
        return self.unit.text

    @property
    def sentence(self) -> str:
        return self.unit.text[self.a : self.b]

    @property
    def next_words(self) -> str:
        """The two words after it (a particle joining them left out)."""
        return re.sub(r"^[の的의]", "", " ".join(self.text[self.end :].split()[:2]))

    @property
    def here(self) -> list[tuple[int, int, _Target]]:
        """The names in its sentence."""
        return [(s, e, t) for s, e, t in self.unit.mentions if self.a <= s < self.b]

    @property
    def before(self) -> list[tuple[int, int, _Target]]:
        return [(s, e, t) for s, e, t in self.here if e <= self.at]

    @property
    def output(self) -> bool:
        """Whether the words before it say it is an output."""
        return bool(_OUTPUT_WORD.search(" ".join(self.text[self.a : self.at].split()[-3:])))


#: what a size or count is about, where it is about no layer of the network
_NOT_ABOUT: tuple[_Target | None, str, bool] = (None, "", False)


def _about(unit: _Unit, at: int, end: int, inherited: list[_Target], how: str, *,
           count: bool = False, network: str = "") -> tuple[_Target | None, str, bool]:
    """The layer a size or count at ``at:end`` is about, how it was found, and whether the
    sentence says it is an output (``outputs``, ``출력``, ``->``). Not a claim: a value
    in a sentence about another network (``ResNet-34 has its layer3 at 6,822,400``), or
    the input's size (``for a 224x224 input``), or any other of :data:`_NOT_CLAIMS`; else
    the first of :data:`_ABOUT` that decides."""
    sentences = _sentences(unit.text)
    k = next(i for i, (a, b) in enumerate(sentences) if a <= at <= b)
    following = unit.text[sentences[k + 1][0] : sentences[k + 1][1]] if k + 1 < len(sentences) else ""
    spot = _Spot(unit, at, end, *sentences[k], count, inherited, how, following)
    if any(rule(spot, network) for rule in _NOT_CLAIMS):
        return _NOT_ABOUT
    for way in _ABOUT:
        found = way(spot)
        if found is not None:
            return found
    return _NOT_ABOUT


def _refuted(spot: _Spot, network: str) -> bool:
    """Quoted to be refuted: "Many wrote 96x3. No: ..."."""
    return bool(_NEGATION.search(spot.sentence) or _NEGATION.match(spot.following))


def _another_network(spot: _Spot, network: str) -> bool:
    """In a sentence about another network, or another version of this one (the original paper's)."""
    return _other_network(spot.sentence, network) or bool(_VARIANT.search(spot.sentence))


def _kernel(spot: _Spot, network: str) -> bool:
    """A size before a part or a kind of layer ("a 1x1 convolution", "3x3 kernels"): a kernel of some layer."""
    return not spot.count and bool(_PART_WORD.match(spot.next_words) or _LAYER_WORD.match(spot.next_words))


def _input_after(spot: _Spot, network: str) -> bool:
    """A size before "input" ("layer4 gives 7x7x2048 for a 224x224 input")."""
    return not spot.count and bool(_INPUT_WORDS.match(spot.next_words))


def _region(spot: _Spot, network: str) -> bool:
    """A region of the input ("one pixel of conv5_3 sees 196x196 pixels of the input")."""
    text = spot.text
    return not spot.count and bool(_REGION.search(" ".join(text[spot.a : spot.at].split()[-2:])) or _REGION.match(
        " ".join(text[spot.end : spot.b].split()[:4])))


#: the values that are no claim about a layer, whatever the sentence names
_NOT_CLAIMS = (_refuted, _another_network, _kernel, _input_after, _region)


def _named_after(spot: _Spot) -> tuple[_Target | None, str, bool] | None:
    """A name right after it ("224x224x64 for conv1_2"), on the same line (a name that starts the
    next line of a paragraph begins a statement of its own: "conv3_3: 56x56x256 / conv4_3: ..."),
    with a word joining them wherever a name before it may be the one meant."""
    text, unit, before = spot.text, spot.unit, spot.before
    after = [(s, e, t) for s, e, t in spot.here if s >= spot.end and (m := _FOR.fullmatch(text[spot.end : s]))
             and unit.line_at(s) == unit.line_at(spot.at) and (m.group(0).strip() or not before)]
    return (after[0][2], "named", False) if after else None


def _named_before(spot: _Spot) -> tuple[_Target | None, str, bool] | None:
    """The last name before it in the sentence, when near, about the layer's own figure, and
    not of another kind than a layer word between them says."""
    if not spot.before:
        return None
    _, e, target = spot.before[-1]
    between = spot.text[e : spot.at]
    if len(" ".join(between.split())) > (_NEAR_COUNT if spot.count else _NEAR_SIZE):
        return _NOT_ABOUT  # too far from the name to be about it
    if spot.count and _PER.search(between + " " + " ".join(spot.text[spot.end : spot.b].split()[:3])):
        return _NOT_ABOUT  # per kernel, each, in all: not the layer's own count
    if _layer_words(between) - target.types:
        return _NOT_ABOUT  # "bn1, and a 3x3 max pool ... gives 56x56x64": another layer
    return target, "named", bool(_OUTPUT_WORD.search(between))


def _named_later(spot: _Spot) -> tuple[_Target | None, str, bool] | None:
    """A layer named after it, not right after: not read."""
    return _NOT_ABOUT if spot.here else None


def _unnamed_other(spot: _Spot) -> tuple[_Target | None, str, bool] | None:
    """The network's input or another the sentence names, or a layer it names by kind only
    ("The max pool ... takes it to 56x56x64")."""
    text = spot.text
    words_before = " ".join(text[spot.a : spot.at].split()[-3:])
    word_after = " ".join(text[spot.end : spot.b].split()[:1])
    if _INPUT_WORDS.search(words_before) or _INPUT_WORDS.search(word_after) or _layer_words(text[spot.a : spot.at]):
        return _NOT_ABOUT
    return None


def _earlier_in_unit(spot: _Spot) -> tuple[_Target | None, str, bool] | None:
    """A size in a paragraph about one layer, named earlier in it; a unit naming other layers is
    about none of them."""
    earlier = _distinct([m for m in spot.unit.mentions if m[1] <= spot.at])
    if earlier:
        if len(earlier) == 1 and len(_distinct(spot.unit.mentions)) == 1 and not spot.count:
            return earlier[0], "paragraph", spot.output
        return _NOT_ABOUT
    return _NOT_ABOUT if spot.unit.mentions else None


def _from_above(spot: _Spot) -> tuple[_Target | None, str, bool] | None:
    """The layer of the list item, paragraph or heading it is under (a count, not from a paragraph)."""
    if spot.inherited and not (spot.count and spot.how == "paragraph"):
        return spot.inherited[0], spot.how, spot.output
    return None


#: the ways of finding the layer a size or count is about, tried in order: the first that
#: decides (a layer, or :data:`_NOT_ABOUT`) is the answer
_ABOUT = (_named_after, _named_before, _named_later, _unnamed_other, _earlier_in_unit, _from_above)


def _unit_claims(unit: _Unit, previous: _Unit | None, inherited: list[_Target], how: str,
                 claims: _Claims, convention: int) -> None:
    text = unit.text
    for m in _SIZE.finditer(text):
        before = text[: m.start()].rstrip()[-1:]
        rest = text[m.end() :].lstrip()
        after = rest[:1]
        if after == ")":  # (which outputs 14x14x512) is a remark; (3x3)*256 arithmetic
            after = rest[1:].lstrip()[:1] or ")"
            before = "" if before == "(" and after not in "=+-/^≈*×x·" else before
        if (before and before in "=+-/^≈(") or (after and after in "=+-/^≈*×"):
            continue  # arithmetic, checked as an equality
        target, found_how, output = _about(unit, m.start(), m.end(), inherited, how, network=claims.network)
        if target is None:
            continue
        # "its input is the first layer's output, 28x28x6": the size may be its input
        output = output and not input_said(text, _sentence_start(text, m.start()), m.start())
        dims = tuple(int(x.replace(",", "")) for x in re.split(r"\s*[x×X*]\s*", m.group(1)))
        # "the window is 2x2", "Bias: 1 x 96": a part of the layer, read where it is its kernel
        judge = _part_judge(dims) if part_size(text, m.start()) else _size_judge(dims, output)
        claims.add(unit.line_at(m.start()), target, "size", "x".join(map(str, dims)), m.group(1), found_how,
                   judge, _size_anywhere(claims.layers, dims))
    _count_claims(unit, inherited, how, claims, convention)


def _count_claims(unit: _Unit, inherited: list[_Target], how: str, claims: _Claims, convention: int) -> None:
    text = unit.text
    seen: set[int] = set()
    for pattern in (_COUNT_BEFORE, _COUNT_AFTER):
        for m in pattern.finditer(text):
            if m.start("nums") in seen:
                continue
            seen.add(m.start("nums"))
            target, found_how, _ = _about(unit, m.start("nums"), m.end("nums"), inherited, how, count=True,
                                          network=claims.network)
            if target is None:
                continue
            if text[: m.start("nums")].rstrip().endswith(("=", "≈")) or _NOT_A_COUNT.match(text, m.end("nums")) or \
                    _COMPOUND_BEFORE.search(text, max(0, m.start("nums") - 12), m.start("nums")):
                continue  # the result of arithmetic (checked as an equality), the start of it, or part of a number
            _add_counts(unit, m, target, found_how, claims, convention)


def _add_counts(unit: _Unit, m: re.Match[str], target: _Target, how: str, claims: _Claims, convention: int) -> None:
    """The counts of one match (``34,944 parameters``; ``6 / 16 weights`` after two names: one each)."""
    word = m.group("word").lower()
    field_name = next(f for key, f in _FIELD_OF_WORD.items() if word.startswith(key))
    numbers = [n.strip() for n in m.group("nums").split("/")]
    named = [t for s, _, t in unit.mentions if s < m.start("nums")]
    paired = len(numbers) > 1 and len(numbers) == len(named)
    for k, written in enumerate(numbers):
        claimed = _number(written, convention)
        if claimed is None:
            continue
        report = named[k] if paired else target
        counts = ("weights", "biases", "params") if field_name == "params" else (field_name,)
        claims.add(unit.line_at(m.start("nums")), report, field_name, written, written, how,
                   _count_judge(field_name, claimed, counts),
                   _count_anywhere(claims.layers, field_name, claimed))


def _number(written: str, convention: int = EN) -> tuple[Fraction, Fraction] | None:
    text = written.replace(" ", "").replace("\u2009", "")
    if not text or not text[0].isdigit():
        return None
    lit, end = read_number(text, 0, text_mode=True, decimal_comma=convention != EN)
    if end != len(text) or lit.readings == (None, None):
        return None
    reading = lit.reading(convention)
    return reading.value, (reading.place if reading.rounded else Fraction(0))


def _close(v: int, value: Fraction, place: Fraction) -> bool:
    if place == 0:
        return v == value
    return abs(v - value) * 2 <= place or 0 <= v - value < place


def _tables(units: list[_Unit], claims: _Claims, convention: int) -> None:
    """Markdown tables: a column headed output/shape/size or parameters/weights/biases gives
    that for the layer named in its row."""
    for table in _table_runs(units):
        fields = [_header_field(cell, claims.network) for cell in _cells(table[0].text)]
        for row in table[1:]:
            target = _row_target(row, claims.layers)
            if target is not None:
                _row_claims(row, target, fields, claims, convention)


def _table_runs(units: list[_Unit]) -> list[list[_Unit]]:
    """The tables: runs of table rows (the header, its delimiter row masked, the rows)."""
    tables: list[list[_Unit]] = []
    k = 0
    while k < len(units):
        if not units[k].in_table:
            k += 1
            continue
        table = [units[k]]
        while k + 1 < len(units) and (units[k + 1].in_table or (  # the delimiter row, masked
                not units[k + 1].text and k + 2 < len(units) and units[k + 2].in_table and len(table) == 1)):
            k += 1
            if units[k].in_table:
                table.append(units[k])
        k += 1
        tables.append(table)
    return tables


def _header_field(cell: str, network: str) -> str | None:
    """What a column gives, by its header: size, params, weights, biases, buffers, or norm
    (the batch norms' parameters); None for another network's column or any other."""
    if _other_network(cell, network):
        return None  # "params, ResNet-34" while checking resnet18: another network's column
    if _NORM_HEADER.fullmatch(cell.strip("*_` ")):
        return "norm"  # a column of the batch norms' parameters
    low = cell.lower()
    return next((f for f, keys in _TABLE_HEADER_FIELDS if any(key in low for key in keys)), None)


def _row_target(row: _Unit, layers: _Layers) -> _Target | None:
    """The layer a row is about: named by the layer's own name in its first cell, or the
    layers named there together, or the first it names."""
    first = _cells(row.text)[:1]
    name = first[0].strip("*_` ") if first else ""
    own = layers.find(name) if _norm(name) in layers.by_key else None
    first_end = re.match(r"\s*\|?[^|]*", row.text).end()  # type: ignore[union-attr]
    named = _distinct([m for m in row.mentions if m[0] < first_end])
    if own is not None:
        return own  # a row named by the layer's own name, even an ordinary word (stem, head)
    if len({t.name for t in named}) > 1:
        # "conv1 + bn1", "Conv-3, Conv-4": the row is about those layers together
        if any(t.readings for t in named):
            return None  # which layers, not certain
        members = tuple({id(d): d for t in named for d in t.layers}.values())
        return _Target(" + ".join(t.name for t in named), members, block=True,
                       together=bool(re.search(r"\+|&|\band\b|와|과", row.text[:first_end])))
    return row.mentions[0][2] if row.mentions else None


def _row_parts(target: _Target, fields: list[str | None], layers: list) -> tuple[_Target, dict]:
    """The row's layers, and what its weights and norm columns are about. In a table with a
    column for the batch norms, a row is a layer with the batch norm that follows it; its
    weights are the other layers', its norm column the norms'."""
    if "norm" not in fields:
        return target, {"weights": target, "norm": None}
    target = _with_norm(target, layers)
    plain = tuple(d for d in target.layers if d.type != "norm")
    norms = tuple(d for d in target.layers if d.type == "norm")
    return target, {"weights": replace(target, layers=plain) if plain else None,
                    "norm": replace(target, layers=norms) if norms else None}


def _row_claims(row: _Unit, target: _Target, fields: list[str | None], claims: _Claims, convention: int) -> None:
    """The sizes and counts of a row's cells, in the columns that give them."""
    number = row.lines[0][1]
    target, parts = _row_parts(target, fields, claims.layers.derivation.layers)  # type: ignore[attr-defined]
    for cell, field_name in zip(_cells(row.text), fields):
        cell = cell.strip("*_ ")
        if field_name is None or not cell or cell.startswith(("-", "—")):
            continue
        if field_name == "size":
            if not (_SIZE.fullmatch(cell) or re.fullmatch(r"\d{1,3}(?:,\d{3})*|\d+", cell)):
                continue
            dims = tuple(int(x.replace(",", "")) for x in re.split(r"\s*[x×X*]\s*", cell))
            claims.add(number, target, "size", "x".join(map(str, dims)), cell, "table",
                       _size_judge(dims, False), _size_anywhere(claims.layers, dims))
            continue
        claimed = _number(cell, convention)
        about, counted = (parts[field_name], "params" if field_name == "norm" else field_name) if (
            field_name in parts) else (target, field_name)
        if claimed is None or about is None:
            continue
        claims.add(number, about, counted, cell, cell, "table", _count_judge(counted, claimed, (counted,)),
                   _count_anywhere(claims.layers, counted, claimed))


#: a table column of the batch norms' parameters (``BN``), beside a layer's own
_NORM_HEADER = re.compile(r"(?:BN|batch ?norm(?:alization)?|norm(?:alization)?|배치 ?정규화|バッチ正規化|批归一化)"
                          r"(?:\s*(?:params?|parameters?))?", re.I)


def _with_norm(target: _Target, every: list) -> _Target:
    """A layer with the batch norm that reads it next (conv1 and bn1), as one block; a block
    as it is."""
    if target.block or len(target.layers) != 1 or target.readings:
        return target
    d = target.layers[0]
    k = next((i for i, x in enumerate(every) if x is d), None)
    if k is None or k + 1 >= len(every):
        return target
    after = every[k + 1]
    reads = getattr(after.layer, "inputs", ())
    if after.type != "norm" or (reads and tuple(reads) != (d.name,)):
        return target
    return _Target(target.name, (d, after), block=True)


def _cells(row: str) -> list[str]:
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())]
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


__all__ = ["check_claims"]
