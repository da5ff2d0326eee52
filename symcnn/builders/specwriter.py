"""A network written out as a spec file (:mod:`symcnn.builders.spec`) that reloads to the same network.

``dumps(network)`` gives YAML text: the header (name, description, input, rounding) and one layer
per line in flow style, ``{name: layer1.0.conv1, kind: conv2d, channels: 64, ...}``, with only the
fields that differ from their defaults, ``from:`` where a layer does not read the one before it,
``shares:`` and ``training:`` where they apply. An imported model so becomes a file one can read,
edit and keep without torch or onnx.

>>> from symcnn.builders.load import load
>>> text = dumps(load("lenet5"))
>>> "- {name: features.0, kind: conv, channels: 6, kernel: 5}" in text
True
>>> from symcnn.builders.spec import loads
>>> loads(text).derive().total_params == load("lenet5").derive().total_params
True
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from sympy import Basic, Rational

from ..layers import LAYER_TYPES, Layer
from ..network import INPUT, Network, sources
from ..shape import Shape

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@\-]*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def kind_of(layer: Layer) -> str:
    """The spec kind of a layer: the one of its own class, else of its nearest base (MaxPool2d: maxpool)."""
    by_class: dict[type, str] = {}
    for kind, cls in LAYER_TYPES.items():
        by_class.setdefault(cls, kind)
    for cls in type(layer).__mro__:
        if cls in by_class:
            return by_class[cls]
    raise TypeError(f"{type(layer).__name__} has no spec kind")


#: List fields that are not one size per axis (a split's parts, an opaque layer's input shapes): kept as lists.
_LISTS = ("sizes", "shapes")


def _value(value: Any, field: str = "") -> Any:
    """A field value as a spec writes it: whole numbers, symbol names, texts, lists of those; a size
    per axis once where every axis has the same (``kernel: 3``)."""
    if isinstance(value, Shape):
        return value.text().replace(",", "")
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value]
        if field in _LISTS:
            return items
        return items[0] if items and all(i == items[0] for i in items) else items
    if isinstance(value, bool):
        return value
    if isinstance(value, Basic):
        if value.is_Integer:
            return int(value)
        if isinstance(value, Rational):
            return f"{value.p}/{value.q}"
        return str(value)
    return value


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def layer_item(layer: Layer, explicit_inputs: bool) -> dict[str, Any]:
    """The spec item of one layer: name, kind, its fields that differ from their defaults."""
    cls = type(layer)
    kind = kind_of(layer)
    spec_cls = LAYER_TYPES[kind]
    item: dict[str, Any] = {"name": layer.name, "kind": kind}
    if explicit_inputs:
        item["from"] = list(layer.inputs) if len(layer.inputs) > 1 else layer.inputs[0]
    own = {f.name for f in dataclasses.fields(spec_cls)}
    for f in dataclasses.fields(cls):
        if f.name not in spec_cls.spec_fields() or f.name not in own:
            continue
        value = getattr(layer, f.name)
        default = _default(f)
        if default is not dataclasses.MISSING:
            normal = getattr(_normalised(cls, f.name, default, layer), f.name, default)
            if _value(value, f.name) == _value(normal, f.name):
                continue
        item[f.name] = _value(value, f.name)
    if layer.shares:
        item["shares"] = layer.shares
    if layer.shares_only:
        item["shares_only"] = layer.shares_only
    if layer.training:
        item["training"] = True
    return item


def _normalised(cls, name: str, default: Any, layer: Layer):
    """The default of a field as the layer keeps it (a layer converts its fields on the way in)."""
    try:
        return dataclasses.replace(layer, **{name: default})
    except Exception:
        return None


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not text[0].isdigit():
        return text
    return "'" + text.replace("'", "''") + "'"


def _flow(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in item.items()) + "}"


def dumps(network: Network) -> str:
    """The spec text of ``network``; :func:`symcnn.builders.spec.loads` reads it back to the same layers."""
    lines = [f"name: {_scalar(network.name)}"]
    if network.description:
        lines.append(f"description: {_scalar(network.description)}")
    if network.notes:
        lines.append("notes:")
        lines += [f"  - {_scalar(note)}" for note in network.notes]
    lines.append(f"input: {network.input.text().replace(',', '')}")
    lines.append(f"rounding: {network.rounding}")
    lines.append("layers:")
    previous = INPUT
    for layer, names in sources(network.layers):
        explicit = bool(layer.inputs) and names != (previous,)
        lines.append(f"  - {_flow(layer_item(layer, explicit))}")
        previous = layer.name
    return "\n".join(lines) + "\n"


__all__ = ["dumps", "layer_item", "kind_of"]
