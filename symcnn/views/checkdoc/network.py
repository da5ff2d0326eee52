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

Which layer a size is about
    A layer named on the same line; else, on a line with no layer name, the layer named
    in the list item it belongs to, or earlier in the same paragraph when the paragraph is
    about one layer, or in the heading of the section when the heading names one layer.

When a size is right
    A size is right when it is the layer's output or input (``HxWxC``, ``CxHxW``, or the
    spatial ``HxW``; a vector also as ``Fx1``), or its kernel (``KxK``, ``KxKxC``,
    ``KxKxCxN`` ...), since a line about a layer may give any of them. Anything else is
    reported with the derivation of the layer's output. A count is right when it is the
    layer's (parameters, weights or biases, as the word next to it says); a rounded count
    (``3.2M parameters``) to the precision written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ...errors import SpecError
from .find import Document
from .literals import EN, format_int, read_number
from .results import NetworkClaim

_KIND_PREFIXES = {
    # group: (prefixes, which layers count)
    "conv": ("conv", "convolution", "convlayer"),
    "pool": ("pool", "pooling", "poollayer"),
    "maxpool": ("maxpool", "maxpooling", "maxpoollayer"),
    "avgpool": ("avgpool", "avgpooling", "averagepool", "averagepooling"),
    "fc": ("fc", "dense", "linear", "fullyconnected", "fclayer"),
}
_MENTION = re.compile(r"(?<![A-Za-z0-9_.\-])([A-Za-z][A-Za-z_\-. ]{0,30}?[-_ ]?\d+(?:[._]\d+)*)(?![A-Za-z0-9_])")
_LIST_MORE = re.compile(r"\s*(?:,|/|and|&|와|과|및)\s*(\d{1,3})(?![\d,.]*\s*[x×X*])(?![A-Za-z0-9_])")
_SIZE = re.compile(r"(?<![\d.,])(\d{1,6}(?:\s*[x×X*]\s*\d{1,6}){1,4})(?![\d,.]*\d)")
_COUNT_WORD = (
    r"(?P<word>parameters?|params?|weights?|biases?|파라미터|매개변수|가중치|바이어스|편향)"
)
_NUMBER = r"\d(?:[\d,.]*\d)?(?:[kKMGB]|\s?million|\s?billion|만|억)?"
_NUMBER_LIST = (r"(?<![\w.,×*/^])(?P<nums>" + _NUMBER + r"(?:\s*/\s*" + _NUMBER + r")*)"
                r"(?![\d,.]*\d)(?!\s*[x×X*]\s*\d)")
_COUNT_BEFORE = re.compile(_NUMBER_LIST + r"\s*(?:개의|개|trainable|learnable|total|in total)?\s*" + _COUNT_WORD, re.I)
_COUNT_AFTER = re.compile(_COUNT_WORD + r"[^\s\d=:]*(?:[\s:=]+[^\s\d=]+){0,4}?[\s:=]+" + _NUMBER_LIST, re.I)
_FIELD_OF_WORD = {
    "param": "params", "파라미터": "params", "매개변수": "params", "weight": "weights", "가중치": "weights",
    "bias": "biases", "바이어스": "biases", "편향": "biases",
}
_INLINE_MATH = (
    (re.compile(r"\\(?:times|cdot|ast)(?![A-Za-z])|×|·|⋅"), "x"),
    (re.compile(r"\{,\}|\\,(?=\d)"), ","),
    (re.compile(r"\\(?:left|right|big[lr]?|Big[lr]?|mathbf|mathrm|text|boldsymbol|displaystyle)(?![A-Za-z])|[{}]"), ""),
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s|\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\s*\{")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-+*]|\d{1,9}[.)]|\\item\b)\s?")
_TABLE_HEADER_FIELDS = (
    ("size", ("output", "shape", "size", "출력", "크기", "tensor")),
    ("params", ("param", "파라미터", "매개변수")),
    ("weights", ("weight", "가중치")),
    ("biases", ("bias", "편향", "바이어스")),
    ("buffers", ("buffer",)),
)


def _norm(name: str) -> str:
    return re.sub(r"[-_ ]", "", name.lower()).removesuffix("layer")


@dataclass
class _Layers:
    """The network's layers by every name a document may use."""

    derivation: object
    by_key: dict[str, object]
    prefixes: dict[str, str]
    exact: re.Pattern[str] | None = None

    def find(self, written: str):
        key = _norm(written)
        found = self.by_key.get(key)
        if found is not None:
            return found
        m = re.fullmatch(r"([a-z.]*?)(\d+(?:[._]\d+)*)", key)
        if m and m.group(1) in self.prefixes:
            return self.by_key.get(self.prefixes[m.group(1)] + m.group(2))
        return None


def _index(derivation, mapping: Mapping[str, str]) -> _Layers:
    layers = list(derivation.layers)
    by_key: dict[str, object] = {_norm(d.name): d for d in layers}
    exact = set(by_key)
    groups: dict[str, list] = {group: [] for group in _KIND_PREFIXES}
    for d in layers:
        kind = type(d.layer).__name__.lower()
        if d.type == "conv":
            groups["conv"].append(d)
        elif d.type == "pool":
            groups["pool"].append(d)
            if "max" in kind:
                groups["maxpool"].append(d)
            elif "avg" in kind:
                groups["avgpool"].append(d)
        elif d.type == "fc":
            groups["fc"].append(d)
    for group, members in groups.items():
        for rank, d in enumerate(members, 1):
            for prefix in _KIND_PREFIXES[group]:
                key = f"{prefix}{rank}"
                if key not in exact:
                    by_key.setdefault(key, d)
    prefixes: dict[str, str] = {}
    names = {d.name: d for d in layers}
    for written, target in mapping.items():
        if target in names:
            by_key[_norm(written)] = names[target]
        elif not re.search(r"\d$", written) and not re.search(r"\d$", target):
            prefixes[_norm(written)] = _norm(target)
        else:
            raise SpecError(f"no layer named {target!r} in {derivation.name} (layers: "
                            f"{', '.join(d.name for d in layers[:12])}{', ...' if len(layers) > 12 else ''})",
                            where=f"--layer {written}={target}", rule="layer name")
    # names written as they are (layer1.0.conv1, features.3, avgpool): not common words
    spelled = sorted([d.name for d in layers if re.search(r"[\d._]", d.name) or len(d.name) >= 6]
                     + [written for written in mapping if _norm(written) in by_key], key=len, reverse=True)
    exact_re = re.compile(r"(?<![A-Za-z0-9_.\-])(" + "|".join(map(re.escape, spelled)) + r")(?![A-Za-z0-9_])",
                          re.I) if spelled else None
    return _Layers(derivation, by_key, prefixes, exact_re)


def _ints(dims) -> tuple[int, ...] | None:
    out = []
    for d in dims:
        if not getattr(d, "is_Integer", False):
            return None
        out.append(int(d))
    return tuple(out)


def _sizes_of(d) -> set[tuple[int, ...]]:
    """Every way a line about this layer may rightly give a size."""
    found: set[tuple[int, ...]] = set()
    for shape in (d.output, *d.inputs):
        dims = _ints(shape.dims)
        if dims is None:
            continue
        found.add(dims)
        if len(dims) == 1:
            found |= {(dims[0], 1), (1, dims[0])}
        else:
            spatial, c = dims[:-1], dims[-1]
            found |= {spatial, (c, *spatial), (1, c, *spatial), (1, *dims)}
            if len(set(spatial)) == 1:
                found.add((spatial[0], c))
    kernel = getattr(d.layer, "kernel", None)
    if kernel is not None:
        k = _ints(kernel if isinstance(kernel, tuple) else (kernel,))
        c_in = _ints((d.input.channels,)) if d.inputs else None
        n = _ints((d.output.channels,))
        rank = d.input.rank if d.inputs else 0
        if k is not None and len(k) == 1 and rank > 1:
            k = k * rank  # one size for every axis
        if k is not None:
            found.add(k)
            if c_in and n:
                cin, nout = c_in[0], n[0]
                groups = getattr(d.layer, "groups", 1)
                g = int(groups) if getattr(groups, "is_Integer", False) else 1
                for c in {cin, cin // g if g else cin}:
                    found |= {(*k, c), (*k, c, nout), (nout, c, *k), (c, *k), (*k, nout), (nout, *k)}
    if d.type == "fc" and d.inputs:
        f_in = _ints((d.input.numel,))
        f = _ints((d.output.numel,))
        if f_in and f:
            found |= {(f[0], f_in[0]), (f_in[0], f[0])}
    return found


def _shape_text(d) -> str:
    return d.output.text()


def _steps_text(d, counts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s.text() for s in d.steps if s.counts in counts)


def _field_value(d, field: str):
    value = getattr(d, field, None)
    if value is None or not getattr(value, "is_Integer", False):
        return None
    return int(value)


@dataclass
class _Line:
    number: int
    text: str
    indent: int
    item: bool
    heading: bool
    mentions: list  # (start, end, layer)
    in_table: bool


def _view(doc: Document) -> str:
    """The document's prose with inline math written as prose (``55\\times 55`` as 55x55),
    display math and equations blanked; same length, so offsets and lines stay put."""
    chars = list(doc.masked)
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


def _mentions(text: str, layers: _Layers) -> list[tuple[int, int, object]]:
    found: list[tuple[int, int, object]] = []
    taken: list[tuple[int, int]] = []
    if layers.exact is not None:
        for m in layers.exact.finditer(text):
            layer = layers.find(m.group(1))
            if layer is not None:
                found.append((m.start(1), m.end(1), layer))
                taken.append((m.start(1), m.end(1)))
    for m in _MENTION.finditer(text):
        if any(a < m.end(1) and m.start(1) < b for a, b in taken):
            continue
        written = m.group(1).strip()
        # the shortest tail of the words before the number that names a layer ("conv layer 1")
        layer = None
        words = written.split(" ")
        for k in range(len(words) - 1, -1, -1):
            layer = layers.find(" ".join(words[k:]))
            if layer is not None:
                break
        if layer is None:
            continue
        found.append((m.end(1) - len(words[-1]), m.end(1), layer))
        prefix = re.match(r"(.*?)[-_ ]?\d+(?:[._]\d+)*$", words[-1])
        end = m.end(1)
        while prefix and (more := _LIST_MORE.match(text, end)) is not None:
            other = layers.find(prefix.group(1) + more.group(1))
            if other is None:
                break
            found.append((more.start(1), more.end(1), other))
            end = more.end()
    return sorted(found, key=lambda item: item[0])


def check_claims(doc: Document, network, mapping: Mapping[str, str], *, input=None,
                 rounding: str | None = None) -> tuple[str, list[NetworkClaim]]:
    """The network's name and every size or count the document gives for its layers."""
    derivation = _derive(network, input, rounding)
    layers = _index(derivation, mapping)
    view = _view(doc)
    lines = _lines(doc, view, layers)
    claims: list[NetworkClaim] = []
    _tables(doc, view, lines, layers, claims)
    heading_layer = None
    block: list[_Line] = []
    for line in lines:
        if not line.text.strip():
            block = []
            continue
        if line.heading:
            named = {id(layer): layer for _, _, layer in line.mentions}
            heading_layer = next(iter(named.values())) if len(named) == 1 else None
        if line.in_table:
            block.append(line)
            continue
        context, how = _context(line, block, heading_layer)
        block.append(line)
        # a layer whose sizes still hold a symbol (a spec with channels: N) decides nothing
        context = [d for d in context if _ints(d.output.dims) is not None]
        if context:
            _line_claims(line, context, how, claims)
    return derivation.name, claims


def _derive(network, input, rounding):
    if hasattr(network, "layers") and hasattr(network, "total_params"):
        return network  # already a derivation
    from ...builders.load import load

    return load(network).derive(input, rounding)


_PROSE_NUMBERS = (
    (re.compile(r"(?<=\d)(?:\{,\}|\\,)(?=\d)"), ","),
    (re.compile(r"\\(?:times|cdot)(?![A-Za-z])"), "x"),
    (re.compile(r"\\(?:textbf|textit|emph|mathbf|text)\{([^{}]*)\}"), r"\1"),
)


def _lines(doc: Document, view: str, layers: _Layers) -> list[_Line]:
    out = []
    pos = 0
    for number, raw in enumerate(view.split("\n"), 1):
        text = raw
        for pattern, repl in _PROSE_NUMBERS:
            text = pattern.sub(repl, text)
        stripped = text.lstrip()
        item = _LIST_ITEM.match(text)
        out.append(_Line(
            number, text, len(text) - len(stripped), bool(item), bool(_HEADING.match(text)),
            _mentions(text, layers) if any(ch.isdigit() for ch in text) or text.strip() else [],
            doc.in_table_row(pos) if doc.table_rows else False,
        ))
        pos += len(raw) + 1
    return out


def _context(line: _Line, block: list[_Line], heading_layer) -> tuple[list, str]:
    if line.mentions:
        return [layer for _, _, layer in line.mentions], "named"
    if block:
        # the list item this line belongs to (an item with less indent above it)
        if line.item or line.indent > 0:
            level = line.indent
            for above in reversed(block):
                if above.indent < level and (above.item or not line.item):
                    if above.mentions:
                        return [layer for _, _, layer in above.mentions], "paragraph"
                    level = above.indent
                    if level == 0:
                        break
        elif not any(above.item for above in block):
            named = {id(layer): layer for above in block for _, _, layer in above.mentions}
            if len(named) == 1:
                return list(named.values()), "paragraph"
    if heading_layer is not None:
        return [heading_layer], "heading"
    return [], ""


def _line_claims(line: _Line, context: list, how: str, claims: list[NetworkClaim]) -> None:
    text = line.text
    for m in _SIZE.finditer(text):
        before = text[: m.start()].rstrip()[-1:]
        after = text[m.end() :].lstrip()[:1]
        if (before and before in "=+-/^≈(") or (after and after in "=+-/^≈)*×"):
            continue  # arithmetic, checked as an equality
        dims = tuple(int(x) for x in re.split(r"\s*[x×X*]\s*", m.group(1)))
        layer = _nearest(line, m.start(), context)
        ok = any(dims in _sizes_of(d) for d in context)
        written = m.group(1)
        claims.append(NetworkClaim(line.number, layer.name, "size", "x".join(map(str, dims)), _shape_text(layer),
                                   ok, written, how, () if ok else _steps_text(layer, ("size", "length"))))
    _count_claims(line, context, how, claims)


def _nearest(line: _Line, at: int, context: list):
    before = [layer for start, _, layer in line.mentions if start <= at]
    if before:
        return before[-1]
    return context[0]


_PER = re.compile(r"\b(?:per|each|every)\b|당|(?<![가-힣])각\s", re.I)  # 각각 is "respectively"


def _count_claims(line: _Line, context: list, how: str, claims: list[NetworkClaim]) -> None:
    text = line.text
    if _PER.search(text):
        return  # a count per kernel or per neuron, not the layer's
    seen: set[int] = set()
    for pattern in (_COUNT_BEFORE, _COUNT_AFTER):
        for m in pattern.finditer(text):
            if m.start("nums") in seen:
                continue
            seen.add(m.start("nums"))
            word = m.group("word").lower()
            field = next(f for key, f in _FIELD_OF_WORD.items() if word.startswith(key))
            numbers = [n.strip() for n in m.group("nums").split("/")]
            layers = [layer for _, _, layer in line.mentions] or context
            paired = len(numbers) > 1 and len(numbers) == len(layers)
            for k, written in enumerate(numbers):
                claimed = _number(written)
                if claimed is None:
                    continue
                value, place = claimed
                candidates = [layers[k]] if paired else layers
                derived = [(d, _field_value(d, field)) for d in candidates]
                ok = any(v is not None and _close(v, value, place) for _, v in derived)
                layer, v = derived[0]
                if v is None:
                    continue
                counts = ("weights", "biases", "params") if field == "params" else (field,)
                claims.append(NetworkClaim(line.number, layer.name, field, written, format_int(v), ok, written, how,
                                           () if ok else _steps_text(layer, counts)))


def _number(written: str) -> tuple[Fraction, Fraction] | None:
    text = written.replace(" ", "")
    if not text or not text[0].isdigit():
        return None
    lit, end = read_number(text, 0, text_mode=True)
    if end != len(text):
        return None
    reading = lit.reading(EN)
    return reading.value, (reading.place if reading.rounded else Fraction(0))


def _close(v: int, value: Fraction, place: Fraction) -> bool:
    if place == 0:
        return v == value
    return abs(v - value) * 2 <= place or 0 <= v - value < place


def _tables(doc: Document, view: str, lines: list[_Line], layers: _Layers, claims: list[NetworkClaim]) -> None:
    """Markdown tables: a column headed output/shape/size or parameters/weights/biases gives
    that for the layer named in its row."""
    if not doc.table_rows:
        return
    by_number = {line.number: line for line in lines}
    rows = [doc.line_of(start) for start, _ in doc.table_rows]
    k = 0
    while k < len(rows):
        table = [rows[k]]
        while k + 1 < len(rows) and rows[k + 1] in (table[-1] + 1, table[-1] + 2):
            k += 1
            table.append(rows[k])
        k += 1
        header = _cells(by_number[table[0]].text)
        fields = []
        for cell in header:
            low = cell.lower()
            fields.append(next((f for f, keys in _TABLE_HEADER_FIELDS if any(key in low for key in keys)), None))
        for number in table[1:]:
            line = by_number[number]
            if not line.mentions:
                continue
            layer = line.mentions[0][2]
            for cell, field in zip(_cells(line.text), fields):
                if field is None or not cell or cell.startswith(("-", "—")):
                    continue
                if field == "size":
                    if not (_SIZE.fullmatch(cell) or re.fullmatch(r"\d{1,3}(?:,\d{3})*|\d+", cell)):
                        continue
                    dims = tuple(int(x.replace(",", "")) for x in re.split(r"\s*[x×X*]\s*", cell))
                    ok = dims in _sizes_of(layer)
                    claims.append(NetworkClaim(number, layer.name, "size", "x".join(map(str, dims)),
                                               _shape_text(layer), ok, cell, "table",
                                               () if ok else _steps_text(layer, ("size", "length"))))
                else:
                    claimed = _number(cell)
                    v = _field_value(layer, field)
                    if claimed is None or v is None:
                        continue
                    ok = _close(v, *claimed)
                    claims.append(NetworkClaim(number, layer.name, field, cell, format_int(v), ok, cell, "table",
                                               () if ok else _steps_text(layer, (field,))))


def _cells(row: str) -> list[str]:
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())]
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


__all__ = ["check_claims"]
