"""Checking what someone claims about a network against what symcnn derives.

A claims file names a network (a built-in name, or a spec file beside it or below, by a relative path)
and the numbers claimed::

    network: alexnet
    input: 227x227x3          # optional; also `rounding: floor`
    claims:
      conv1: {output: [55, 55, 96], weights: 34848, biases: 96, params: 34944}
      conv5: {output: 27x27x256}
      total_params: 62,378,344

A claims file is data: it never names a PyTorch model or an ONNX file (only the command line
may), nor a file outside its own folder.

Each claim is right or wrong; a wrong one comes with the derived value and the
derivation that gives it. Numbers may carry thousands separators (``"34,944"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sympy import Basic, Integer

from ..builders.load import load_named_in_file
from ..builders.yamlfile import Located, read_yaml
from ..errors import SymcnnError, did_you_mean, quote
from ..limits import check_numeral
from ..printing import thousands
from ..records import LayerDerivation, NetworkDerivation, Step
from ..shape import Shape

LAYER_FIELDS = ("output", "weights", "biases", "params", "macs")
TOTALS = {
    "total_params": "total parameters",
    "total_weights": "total weights",
    "total_biases": "total biases",
    "conv_params": "parameters of the conv layers",
    "total_macs": "multiply-accumulates",
}
TOP_FIELDS = ("network", "input", "rounding", "claims")


@dataclass(frozen=True)
class Claim:
    """One claim and its verdict; ``derivation`` is the worked steps that give the true value.

    ``ok`` is ``None`` where the derived value still holds a symbol (a spec with
    ``channels: N``): a number can be neither confirmed nor refuted against ``28*N``.
    """

    layer: str | None
    field: str
    claimed: str
    derived: str
    ok: bool | None
    derivation: tuple[str, ...] = ()
    line: int | None = None

    @property
    def label(self) -> str:
        return f"{self.layer} {self.field}" if self.layer else self.field

    def to_json(self) -> dict:
        return {
            "layer": self.layer, "field": self.field, "claimed": self.claimed, "derived": self.derived,
            "ok": self.ok, "derivation": list(self.derivation), "line": self.line,
        }


@dataclass(frozen=True)
class ClaimsReport:
    network: str
    input: Shape
    rounding: str
    claims: tuple[Claim, ...]

    @property
    def wrong(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.ok is False)

    @property
    def undecided(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.ok is None)

    @property
    def right(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.ok)

    def to_json(self) -> dict:
        return {
            "network": self.network, "input": self.input.to_json(), "rounding": self.rounding,
            "right": len(self.right), "wrong": len(self.wrong), "undecided": len(self.undecided),
            "claims": [c.to_json() for c in self.claims],
        }

    def text(self) -> str:
        count = len(self.claims)
        head = (f"{self.network} (input {self.input}, rounding {self.rounding}): "
                f"{count} claim{'s' if count != 1 else ''}, {len(self.right)} right, {len(self.wrong)} wrong")
        lines = [head + (f", {len(self.undecided)} undecided" if self.undecided else "")]
        for c in self.claims:
            if c.ok:
                lines.append(f"  right  {c.label}: {c.claimed}")
            elif c.ok is None:
                lines.append(f"  ?      {c.label}: claimed {c.claimed}, derived {c.derived} "
                             "(depends on a symbol: give it a value in the spec to decide)")
            else:
                at = f" (line {c.line})" if c.line else ""
                lines.append(f"  WRONG  {c.label}{at}: claimed {c.claimed}, derived {c.derived}")
                lines.extend(f"         {d}" for d in c.derivation)
        return "\n".join(lines)


#: What a document that ``check-doc`` reads is named (a claims file is YAML).
DOCUMENT_SUFFIXES = (".md", ".markdown", ".tex", ".txt", ".ipynb", ".html", ".htm")


def check_claims(path: str | Path) -> ClaimsReport:
    """Check the claims file at ``path``; a malformed file raises a one-line ``SpecError``."""
    document = str(path).lower().endswith(DOCUMENT_SUFFIXES)
    hint = " (a claims file is YAML; symcnn check-doc checks a document)" if document else ""
    try:
        doc = read_yaml(path)
    except SymcnnError as e:
        raise e.moved(f"{e.message}{hint}", where=e.where) from None
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error(f"expected a mapping with 'network' and 'claims'{hint}", rule="claims file")
    if "layers" in data and "claims" not in data:
        raise doc.error("this is a spec file, not a claims file: symcnn summary derives it; a claims file "
                        "names it (network: FILE) and says what is claimed (claims:)", rule="claims file")
    for key in data:
        if key not in TOP_FIELDS:
            raise doc.error(f"unknown field{did_you_mean(key, TOP_FIELDS)}; known: {', '.join(TOP_FIELDS)}{hint}",
                            key, rule="known fields")
    for key in ("network", "claims"):
        if key not in data:
            raise doc.error(f"missing field {quote(key)}", rule="required fields")
    derivation = _derive(doc, data)
    claims = data["claims"]
    if not isinstance(claims, dict) or not claims:
        raise doc.error("expected a mapping of layer names (or totals) to claims", "claims", rule="claims")
    results: list[Claim] = []
    names = [d.name for d in derivation.layers]
    for key, value in claims.items():
        key = str(key)
        if key in TOTALS:
            results.append(_total(doc, derivation, key, value))
            continue
        if key not in names:
            raise doc.error(
                f"no layer named {quote(key)} in {derivation.name}{did_you_mean(key, [*names, *TOTALS])} "
                f"(layers: {', '.join(names)}; totals: "
                f"{', '.join(TOTALS)})", "claims", key, rule="layer name",
            )
        if not isinstance(value, dict) or not value:
            raise doc.error(f"expected a mapping of {', '.join(LAYER_FIELDS)}", "claims", key, rule="layer claims")
        for field, claimed in value.items():
            if field not in LAYER_FIELDS:
                raise doc.error(f"unknown claim{did_you_mean(field, LAYER_FIELDS)}; known: {', '.join(LAYER_FIELDS)}",
                                "claims", key, field, rule="claim fields")
            results.append(_layer_claim(doc, derivation[key], str(field), claimed))
    return ClaimsReport(derivation.name, derivation.input, derivation.rounding, tuple(results))


def _derive(doc: Located, data: dict) -> NetworkDerivation:
    shape = data.get("input")
    if shape is not None:
        shape = Shape.of(shape, field=doc.where("input"))
    rounding = data.get("rounding")
    try:
        net = load_named_in_file(data["network"], Path(doc.name).parent, shape, rounding=rounding, where="")
        return net.derive(shape, rounding)
    except SymcnnError as e:
        raise e.moved(str(e), where=doc.where("network")) from None


_NUMBER = re.compile(r"\d{1,3}(,\d{3})+|\d+")


def _number(doc: Located, value, *path) -> Integer:
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        return Integer(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        check_numeral(value, where=doc.where(*path))
        return Integer(int(value.strip().replace(",", "")))
    raise doc.error(f"expected a whole number (34944 or '34,944'), got {quote(value)}", *path, rule="whole number")


def _dims(doc: Located, value, *path) -> tuple[Integer, ...]:
    if isinstance(value, str):
        return Shape.parse(value, field=doc.where(*path)).dims
    if isinstance(value, list) and value:
        return tuple(_number(doc, v, *path) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return (Integer(value),)
    raise doc.error(f"expected sizes such as [55, 55, 96] or 55x55x96, got {quote(value)}", *path, rule="sizes")


def _steps_for(d: LayerDerivation, field: str) -> tuple[Step, ...]:
    """The steps whose value is this field: the record says what each step counts."""
    if field == "output":
        return d.steps_counting("size") or d.steps_counting("length")
    return d.steps_counting(field)


def _verdict(claimed: tuple, derived: tuple) -> bool | None:
    """False where a size or count that is a number differs; None (undecided) where the
    rest still holds a symbol; else True."""
    if len(claimed) != len(derived):
        return False
    pairs = list(zip(claimed, derived))
    if any(not v.free_symbols and (c - v) != 0 for c, v in pairs):
        return False
    return None if any(v.free_symbols for _, v in pairs) else True


def _layer_claim(doc: Located, d: LayerDerivation, field: str, claimed) -> Claim:
    line = doc.lines.get(("claims", d.name, field))
    if field == "output":
        dims = _dims(doc, claimed, "claims", d.name, field)
        ok = _verdict(dims, d.output.dims)
        claimed_text, derived_text = "x".join(str(x) for x in dims), str(d.output)
    else:
        number = _number(doc, claimed, "claims", d.name, field)
        value: Basic = getattr(d, field)
        ok = _verdict((number,), (value,))
        claimed_text, derived_text = thousands(number), thousands(value)
    steps = () if ok is not False else tuple(s.text() for s in _steps_for(d, field))
    return Claim(d.name, field, claimed_text, derived_text, ok, steps, line)


def _total(doc: Located, d: NetworkDerivation, key: str, claimed) -> Claim:
    number = _number(doc, claimed, "claims", key)
    layers = d.of_type("conv") if key == "conv_params" else d.layers
    attr = "params" if key == "conv_params" else key.removeprefix("total_")
    terms = [getattr(layer, attr) for layer in layers if getattr(layer, attr) != 0]
    value = d.total(attr, "conv" if key == "conv_params" else None)
    ok = _verdict((number,), (value,))
    sum_text = " + ".join(thousands(t) for t in terms)
    derivation = () if ok is not False else (f"{TOTALS[key]} = {sum_text} = {thousands(value)}",)
    return Claim(None, key, thousands(number), thousands(value), ok, derivation, doc.lines.get(("claims", key)))


__all__ = ["Claim", "ClaimsReport", "check_claims"]
