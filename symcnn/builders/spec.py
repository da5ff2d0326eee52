"""Spec files: a network written down in YAML, read without evaluating anything.

A spec is a mapping::

    name: small                  # optional; default: the file name without .yaml
    description: a tiny example  # optional; shown by `symcnn list`
    notes: [what a reader of the numbers must know]   # optional; shown with the totals
    input: 32x32x3               # "HxWxC" (or "LxC", "DxHxWxC", a vector length), or [32, 32, 3]
    rounding: floor              # optional: exact | floor (default, PyTorch) | ceil
    blocks:                      # optional: named block templates (see below)
      ...
    layers:                      # the layers, in order
      - {name: conv1, kind: conv, channels: N, kernel: 3, padding: 1}
      - {kind: relu}             # no name: "relu1" (kind + running number of that kind)
      - {name: both, kind: concat, from: [relu1, input]}    # 32x32x(N + 3)
      - {name: pool1, kind: maxpool, kernel: 2}

Each layer item names its ``kind`` (a key of :data:`symcnn.layers.LAYER_TYPES`: ``conv``,
``maxpool``, ``batchnorm``, ``relu``, ``linear``, ``add``, ...) and gives that layer's fields by
their Python names (``channels``, ``kernel``, ``stride``, ``padding``, ``groups``, ``bias``, ...).
A layer reads the layer before it (the first reads ``input``), or the layer(s) named in
``from:`` (one name or a list; ``input`` is the network's input). Names must be unique and
``from`` may only name earlier layers: a network is a graph without cycles.

Field values are whole numbers, symbol names (``channels: N`` keeps the number of kernels
symbolic, so every formula after it is in ``N``), ``same``/``valid`` for a convolution's
padding (PyTorch's rules), lists of
these (one size per axis: ``kernel: [1, 7]``), and ``true``/``false`` for the switches
(``bias``, ``ceil_mode``, ...). Nothing else is accepted, and nothing is evaluated:
``kernel: 3.5`` and ``kernel: "1+1"`` are errors.

Blocks are templates for repeated groups of layers (a ResNet block, an inverted residual)::

    blocks:
      basic:
        params: [channels]                  # or a mapping giving defaults: {channels: 64, stride: 1}
        layers:
          - {name: conv1, kind: conv, channels: $channels, kernel: 3, padding: 1, bias: false}
          - {name: bn1, kind: batchnorm}
          - {name: relu1, kind: relu}
          - {name: conv2, kind: conv, channels: $channels, kernel: 3, padding: 1, bias: false}
          - {name: bn2, kind: batchnorm}
          - {name: add, kind: add, from: [bn2, in]}
          - {name: relu2, kind: relu}
    layers:
      - {block: basic, name: layer1.0, args: {channels: 64}}
      - {block: basic, name: layer2, repeat: 2, start: 1, args: {channels: 128}}   # layer2.1, layer2.2

A block item expands to the template's layers, named ``<name>.<local name>``. ``$param``
(a whole field value or a list item) is replaced by the argument: a token substitution, never
arithmetic. Inside a template, ``from`` names the template's own layers or ``in``, the
block's input (the layer before the block item, or its ``from:``); the template's last layer is
the block's output, and ``from:`` outside may name the block item for it. ``repeat: n``
expands the block n times in a chain, named ``<name>.<start>`` ... (``start`` defaults to 0).
Templates may use other templates.

Every mistake is a :class:`~symcnn.errors.SpecError` in one line that names the file, the
line, the layer and the field (``net.yaml line 12, layer layer1.0.conv1: field kernel must be
a whole number or a symbol name, got '1+1' (nothing is evaluated)``).  A spec is also
derived once at its own input when it is loaded, so that a shape mistake (an ``add`` of 64
and 128 channels) is reported with the file and line too.

>>> net = loads('''
... input: 32x32x3
... layers:
...   - {name: conv1, kind: conv, channels: N, kernel: 3, padding: 1}
...   - {name: pool1, kind: maxpool, kernel: 2}
... ''', source="small.yaml")
>>> d = net.derive()
>>> str(d.output), d.total_params
('16x16xN', 28*N)
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from ..errors import SpecError, SymcnnError, did_you_mean, has_control, quote
from ..layers import LAYER_TYPES, AvgPool, Conv, MaxPool
from ..limits import BLOCK_DEPTH, LAYERS
from ..network import INPUT, Network, signature
from ..rounding import check_rounding
from ..shape import Shape
from ..symbols import is_symbol_name
from .arith import ExpressionError, evaluate, is_expression
from .yamlfile import Located, parse_yaml, read_yaml

#: The name a block template's layers use for the block's input.
BLOCK_INPUT = "in"

_NETWORK_KEYS = ("name", "description", "notes", "input", "rounding", "blocks", "layers")
_BLOCK_KEYS = ("params", "layers", "description", "inputs", "outputs")
_BLOCK_ITEM_KEYS = ("block", "name", "args", "repeat", "start", "from", "training")
_LAYER_KEYS = ("name", "kind", "from", "shares", "shares_only", "training")
PADDING_WORDS = ("same", "valid", "tf_same")
#: Fields whose values are words or texts the layer itself checks (a mode, an operation's name,
#: an opaque layer's shapes, a scale such as 3/2), not sizes.
TEXT_FIELDS = ("mode", "op", "output", "shapes", "scale")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def load_spec(path: str | Path, *, check: bool = True, input: Shape | None = None,
              rounding: str | None = None) -> Network:
    """Read a spec file into a :class:`~symcnn.network.Network`.

    With ``check`` (the default) the network is derived once, so that a shape mistake is
    reported against the file and line: at ``input`` and ``rounding`` where they are given
    (the ones it will be used at), else at its own.
    """
    return _Reader(read_yaml(path, _layer_count)).network(Path(path).stem, check, input, rounding)


def loads(text: str, *, source: str = "<spec>", check: bool = True, input: Shape | None = None,
          rounding: str | None = None) -> Network:
    """A network from spec text; ``source`` names it in error messages."""
    return _Reader(parse_yaml(text, source, _layer_count)).network("network", check, input, rounding)


def _layer_count(node, name: str) -> None:
    """Every item of ``layers`` makes a layer at least: a list longer than the limit is refused
    before any of the file is built (reading 20,000 layers to refuse them is most of the work)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if getattr(key, "value", None) == "layers" and isinstance(value, yaml.SequenceNode):
            items = value.value
            if len(items) > LAYERS.value:
                line = items[LAYERS.value].start_mark.line + 1
                raise LAYERS.error(f"a list of {len(items):,} layers", where=f"{name} line {line}")


class _Reader:
    """Turns the YAML data of one spec into layers; ``path``s are YAML paths, for lines."""

    def __init__(self, doc: Located):
        self.doc = doc
        self.blocks: dict[str, dict] = {}
        self.block_paths: dict[str, tuple] = {}
        self.lines: dict[str, int] = {}  # layer name -> line of its item
        self.last: str | None = None  # the last layer made so far
        self.built: list = []  # every layer made so far, in order
        self.shape: Shape | None = None  # the spec's input
        self.inputs: dict[str, str] = {}  # the current block's input names -> full layer names
        self.training = False  # inside a block item marked training: true
        self.made = 0  # layers made so far, blocks and repeats expanded
        self.max_layers = LAYERS.value
        self.kinds: dict[tuple, Any] = {}  # (class, number of inputs, field values) -> the first layer made of them
        self.read: dict[tuple, tuple[type, dict]] = {}  # (item's path, training) -> its class and values
        # (items' path, inside a block) -> their local names, the names each defines, and the item defining each
        self.names: dict[tuple, tuple[list[str], list[list[str]], dict[str, int]]] = {}

    # errors -----------------------------------------------------------------

    def error(self, message: str, path: tuple = (), layer: str | None = None, rule: str | None = "spec") -> SpecError:
        return SpecError(message, where=self.where(path, layer), rule=rule)

    def where(self, path: tuple = (), layer: str | None = None) -> str:
        line = self.line(path)
        return self.doc.name + (f" line {line}" if line else "") + (f", layer {layer}" if layer else "")

    def line(self, path: tuple) -> int | None:
        for i in range(len(path), -1, -1):
            if path[:i] in self.doc.lines:
                return self.doc.lines[path[:i]]
        return None

    def located(self, e: SymcnnError) -> SymcnnError:
        """An error from a layer or the network, with the file and the layer's line added."""
        where = e.where or ""
        layer = max((n for n in self.lines if where == n or where.startswith((n + " ", n + ":"))),
                    key=len, default=None)
        line = f" line {self.lines[layer]}" if layer else ""
        kind = type(e) if isinstance(e, SpecError) else SpecError
        return e.moved(where=f"{self.doc.name}{line}" + (f", layer {where}" if where else ""), kind=kind)

    def unknown_keys(self, mapping: dict, allowed, what: str, path: tuple, layer: str | None = None):
        for key in mapping:
            if key not in allowed:
                hint = _did_you_mean(str(key), allowed)
                raise self.error(f"unknown field {quote(key)} in {what}{hint}; allowed: {', '.join(allowed)}",
                                 (*path, key), layer, rule="known fields")

    # the network ------------------------------------------------------------

    def network(self, default_name: str, check: bool, input: Shape | None = None,
                rounding_used: str | None = None) -> Network:
        doc = self.doc.data
        if not isinstance(doc, dict):
            raise self.error(f"a spec is a mapping with 'input' and 'layers', got {_whole_kind(doc)}", rule="spec")
        self.unknown_keys(doc, _NETWORK_KEYS, "the spec", ())
        name = doc.get("name", default_name)
        if not isinstance(name, str) or not name:
            raise self.error(f"name must be a text, got {quote(name)}", ("name",), rule="name")
        if has_control(name):
            raise self.error(f"name must be one line of printable characters, got {quote(name)}", ("name",),
                             rule="printable name")
        description = doc.get("description", "")
        if not isinstance(description, str):
            raise self.error(f"description must be a text, got {_kind_of(description)}", ("description",),
                             rule="description")
        notes = doc.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise self.error(f"notes must be a list of texts, got {_kind_of(notes)}", ("notes",), rule="notes")
        if "input" not in doc:
            raise self.error("missing field 'input' (the input size, e.g. 224x224x3)", rule="input")
        shape = self.input_shape(doc["input"])
        rounding = doc.get("rounding", "floor")
        try:
            check_rounding(rounding)
        except SymcnnError as e:
            raise self.error(e.message, ("rounding",), rule=e.rule) from None
        blocks = doc.get("blocks", {})
        if not isinstance(blocks, dict):
            raise self.error(f"blocks must be a mapping of block names to templates, got {_kind_of(blocks)}",
                             ("blocks",), rule="blocks")
        for block_name, template in blocks.items():
            self.check_template(block_name, template, ("blocks", block_name))
        self.blocks = blocks
        items = doc.get("layers")
        if not isinstance(items, list) or not items:
            raise self.error("layers must be a non-empty list of layers", ("layers",), rule="layers")

        self.shape = shape
        layers = self.expand(items, ("layers",), prefix="", block_input=None, args={}, stack=())
        try:
            net = Network(name, shape, tuple(layers), rounding=rounding, description=description, notes=notes)
            if check:
                net.derive(input, rounding_used)
        except SymcnnError as e:
            raise self.located(e) from None
        return net

    def input_shape(self, value) -> Shape:
        try:
            return Shape.of(value, field="input")
        except SpecError as e:
            raise self.error(e.message, ("input",), rule=e.rule) from None

    # blocks -----------------------------------------------------------------

    def check_template(self, name, template, path: tuple):
        if not isinstance(name, str) or not name.isidentifier():
            raise self.error(f"a block name must be a name, got {quote(name)}", path, rule="block name")
        if not isinstance(template, dict):
            raise self.error(f"block '{name}' must be a mapping with params and layers, got {_kind_of(template)}",
                             path, rule="blocks")
        self.unknown_keys(template, _BLOCK_KEYS, f"block '{name}'", path)
        params = template.get("params", [])
        names = list(params) if isinstance(params, (list, dict)) else None
        if names is None or not all(isinstance(p, str) and p.isidentifier() for p in names):
            raise self.error(f"params of block '{name}' must be a list of names or a mapping of names to defaults, "
                             f"got {quote(params)}", (*path, "params"), rule="block params")
        items = template.get("layers")
        if not isinstance(items, list) or not items:
            raise self.error(f"block '{name}' needs a non-empty list of layers", (*path, "layers"),
                             rule="block layers")
        for key in ("inputs", "outputs"):
            names = template.get(key, [])
            if not isinstance(names, list) or not all(isinstance(n, str) and n.isidentifier() for n in names):
                raise self.error(f"{key} of block '{name}' must be a list of names, got {quote(names)}", (*path, key),
                                 rule=f"block {key}")

    def block_args(self, item: dict, path: tuple, block: str, outer_args: dict, label: str) -> dict:
        params = self.blocks[block].get("params", [])
        defaults = params if isinstance(params, dict) else {}
        args = item.get("args", {})
        if not isinstance(args, dict):
            raise self.error(f"args must be a mapping of parameter names to values, got {_kind_of(args)}",
                             (*path, "args"), label, rule="block args")
        for key in args:
            if key not in params:
                hint = _did_you_mean(key, list(params))
                raise self.error(f"block '{block}' has no parameter {quote(key)}{hint}; its parameters: "
                                 f"{', '.join(params) or '(none)'}", (*path, "args", key), label, rule="block params")
        values = {}
        for param in params:
            if param in args:
                values[param] = self.substitute(args[param], outer_args, (*path, "args", param), label, param)
            elif defaults.get(param) is not None:
                values[param] = defaults[param]
            else:
                raise self.error(f"missing argument '{param}' of block '{block}'", (*path, "args"), label,
                                 rule="block params")
        return values

    # layers -----------------------------------------------------------------

    def expand(self, items: list, path: tuple, *, prefix: str, block_input: str | None, args: dict,
               stack: tuple, inputs: dict[str, str] | None = None, found: dict[str, str] | None = None) -> list:
        """The layers of ``items``: a whole spec (``prefix`` empty) or one use of a block.

        ``inputs`` maps the block's input names to the layers they stand for (default: ``in``, the
        block input); ``found`` receives each local name's full layer name (a block's outputs).
        """
        outer_inputs = self.inputs
        self.inputs = inputs if inputs is not None else ({BLOCK_INPUT: block_input} if block_input else {})
        try:
            return self._expand(items, path, prefix, block_input, args, stack, found)
        finally:
            self.inputs = outer_inputs

    def _expand(self, items, path, prefix, block_input, args, stack, found) -> list:
        known = self.names.get((path, bool(prefix)))  # a block's template, used again: the same names
        if known is None:
            labels, copies = self.local_names(items, path, prefix)
            defined = {name: index for index, names in enumerate(copies) for name in names}
            known = self.names[(path, bool(prefix))] = labels, copies, defined
        labels, copies, defined = known
        outputs: dict[str, str] = {}  # local name -> the full name of its (last) layer
        layers: list = []
        previous = block_input
        for index, item in enumerate(items):
            label = prefix + labels[index]
            at = (*path, index)
            sources = self.sources(item, at, label, index, defined, outputs, block_input, args)
            if "block" in item:
                new = self.expand_block(item, at, label, copies[index], prefix, sources, previous, args, stack,
                                        outputs)
            else:
                new = [self.layer(item, at, label, sources, previous, args)]
                outputs[labels[index]] = label
            layers.extend(new)
            previous = new[-1].name
        if found is not None:
            found.update(outputs)
        return layers

    def local_names(self, items: list, path: tuple, prefix: str) -> tuple[list[str], list[list[str]]]:
        """Each item's name within ``items`` (its ``name``, or kind + running number), and the
        local names it defines: itself, or ``name.start`` ... for a repeated block."""
        given = {str(i.get("name")) for i in items if isinstance(i, dict)}
        labels: list[str] = []
        copies: list[list[str]] = []
        seen: set[str] = set()
        counts: dict[str, int] = {}
        for index, item in enumerate(items):
            at = (*path, index)
            if not isinstance(item, dict):
                raise self.error(f"a layer is a mapping with a kind (or a block), got {_kind_of(item)}", at,
                                 rule="layer")
            name = self.item_name(item, at, prefix, given, counts)
            names = [name]
            if "block" in item and "repeat" in item:
                repeat = self.count(item, at, "repeat", 1, 1, prefix + name)
                start = self.count(item, at, "start", 0, 0, prefix + name)
                LAYERS.check(repeat, f"repeat {repeat:,}", where=self.where((*at, "repeat"), prefix + name))
                names = [f"{name}.{start + i}" for i in range(repeat)]
            for n in names:
                if n in seen:
                    raise self.error(f"the name '{prefix + n}' is used twice", (*at, "name"), prefix + n,
                                     rule="unique layer names")
                seen.add(n)
            labels.append(name)
            copies.append(names)
        return labels, copies

    def item_name(self, item: dict, at: tuple, prefix: str, given: set[str], counts: dict[str, int]) -> str:
        """An item's own name (an index as PyTorch's Sequential gives it, as text), or its kind and the
        next running number no item is given as a name; refused where it is not one printable line or
        is the input's."""
        name = item.get("name")
        if type(name) is int:  # an index, as PyTorch's Sequential names its layers
            name = str(name)
        if name is None:
            base = item.get("kind") or item.get("block") or "layer"
            base = base if isinstance(base, str) else "layer"
            while True:  # ends: each turn a new number, and given names are finitely many
                counts[base] = counts.get(base, 0) + 1
                name = f"{base}{counts[base]}"
                if name not in given:
                    return name
        if not isinstance(name, str) or not name or name != name.strip():
            raise self.error(f"a layer name must be a non-empty text, got {quote(name)}", (*at, "name"),
                             rule="layer name")
        if has_control(name):
            raise self.error(f"a layer name must be one line of printable characters (no control character, "
                             f"line break or line separator), got {quote(name)}", (*at, "name"),
                             rule="printable name")
        if name == INPUT or (prefix and name == BLOCK_INPUT):
            raise self.error(f"the name '{name}' is kept for the input; choose another", (*at, "name"),
                             prefix + name, rule="layer name")
        return name

    def sources(self, item, path, label, index, defined, outputs, block_input, args) -> tuple[str, ...] | None:
        """The full names of the layers ``from:`` names, or None for the default (the layer before)."""
        if "from" not in item:
            return None
        at = (*path, "from")
        raw = self.substitute(item["from"], args, at, label, "from")
        refs = [str(r) if type(r) is int else r for r in (raw if isinstance(raw, list) else [raw])]
        if not refs or not all(isinstance(r, str) for r in refs):
            raise self.error(f"from must be a layer name or a list of layer names, got {quote(raw)}", at, label,
                             rule="from")
        out = []
        own_input = BLOCK_INPUT if block_input is not None else INPUT
        for ref in refs:
            if ref == own_input and ref not in self.inputs:
                out.append(block_input if block_input is not None else INPUT)
            elif ref in self.inputs and block_input is not None:
                out.append(self.inputs[ref])
            elif ref in outputs:
                out.append(outputs[ref])
            elif ref in defined:
                what = "itself" if defined[ref] == index else f"the later layer {quote(ref)}"
                raise self.error(f"from names {what}: a layer can only read earlier layers (this would be a cycle)",
                                 at, label, rule="no cycles")
            else:
                scope = "in this block" if block_input is not None else "in the spec"
                hint = _did_you_mean(ref, [own_input, *outputs])
                raise self.error(f"from names {quote(ref)}, which is not a layer {scope} (nor '{own_input}'){hint}",
                                 at, label, rule="known from")
        return tuple(out)

    def known_block(self, item: dict, path: tuple, label: str, stack: tuple) -> str:
        """The block an item uses: one the spec defines, not used inside itself, within the depth limit;
        the item's keys known, ``start`` only with ``repeat``."""
        self.unknown_keys(item, _BLOCK_ITEM_KEYS, f"block item '{label}'", path, label)
        block = item["block"]
        if not isinstance(block, str) or block not in self.blocks:
            hint = _did_you_mean(str(block), list(self.blocks))
            known = ", ".join(self.blocks) or "(none: add a top-level 'blocks:' mapping)"
            raise self.error(f"unknown block {quote(block)}{hint}; blocks: {known}", (*path, "block"), label,
                             rule="known block")
        if block in stack:
            raise self.error(f"block '{block}' uses itself (through {' -> '.join((*stack, block))})",
                             (*path, "block"), label, rule="no recursive blocks")
        BLOCK_DEPTH.check(len(stack) + 1, f"block '{block}', used {len(stack) + 1} blocks deep,",
                          where=self.where((*path, "block"), label))
        if "start" in item and "repeat" not in item:
            raise self.error("start numbers the copies of a repeat: give repeat too", (*path, "start"), label,
                             rule="start needs repeat")
        return block

    def block_inputs(self, block: str, path: tuple, label: str, sources: tuple[str, ...] | None) -> list[str]:
        """The names of a block's inputs; ``from`` names as many (or is left out for one)."""
        names = self.blocks[block].get("inputs") or [BLOCK_INPUT]
        if sources is not None and len(sources) != len(names):
            raise self.error(f"block '{block}' reads {len(names)} input(s) ({', '.join(names)}): from must name "
                             f"{len(names)} layer(s)", (*path, "from"), label, rule="from")
        if sources is None and len(names) > 1:
            raise self.error(f"block '{block}' reads {len(names)} inputs ({', '.join(names)}): name them in from",
                             (*path, "from"), label, rule="from")
        return names

    def expand_block(self, item, path, label, copies, prefix, sources, previous, args, stack, outputs) -> list:
        block = self.known_block(item, path, label, stack)
        values = self.block_args(item, path, block, args, label)
        names = self.block_inputs(block, path, label, sources)
        block_input = sources[0] if sources else (previous or INPUT)
        training = item.get("training", False)
        if not isinstance(training, bool):
            raise self.error(f"training must be true or false, got {_show(training)}", (*path, "training"), label,
                             rule="training is true or false")
        outer_training, self.training = self.training, self.training or training
        layers: list = []
        try:
            for name in copies:
                inputs = dict(zip(names, sources or (block_input,)))
                found: dict[str, str] = {}
                new = self.expand(self.blocks[block]["layers"], ("blocks", block, "layers"),
                                  prefix=prefix + name + ".", block_input=block_input, args=values,
                                  stack=(*stack, block), inputs=inputs, found=found)
                layers.extend(new)
                for out in self.blocks[block].get("outputs", []):
                    if out not in found:
                        raise self.error(f"output '{out}' of block '{block}' is not one of its layers",
                                         ("blocks", block, "outputs"), label, rule="block outputs")
                    outputs[f"{name}.{out}"] = found[out]
                block_input = outputs[name] = new[-1].name
                sources = None
        finally:
            self.training = outer_training
        if "repeat" in item:  # the item's own name stands for the last copy's output
            outputs[copies[0].rsplit(".", 1)[0]] = block_input
        return layers

    def count(self, item, path, key, default, minimum, label) -> int:
        value = item.get(key, default)
        if type(value) is not int or value < minimum:
            raise self.error(f"{key} must be a whole number >= {minimum}, got {quote(value)}", (*path, key), label,
                             rule=key)
        return value

    def layer(self, item: dict, path: tuple, name: str, sources, previous, args: dict):
        # an item with no $parameter (nor shares, which names layers by their place) reads the same
        # wherever a block puts it: read once (a block of 49 convolutions used 200 times)
        read = self.read.get((path, self.training))
        if read is None:
            read = self.values(item, path, name, args)
            if "shares" not in item and not _has_parameter(item):
                self.read[(path, self.training)] = read
        cls, values = read
        if sources is not None:
            inputs = sources
        else:  # the layer before: implicit where that is also the layer before in the network's list
            inputs = () if previous in (None, self.last) else (previous,)
        self.made += 1
        if self.made > self.max_layers:
            raise LAYERS.error(f"layer number {self.made:,} (blocks and repeats expanded)",
                               where=self.where(path, name))
        line = self.line(path)
        if line is not None:
            self.lines[name] = line
        self.last = name
        # a repeated layer is converted and checked once: the key is the plain values read, each
        # with its type (1 and true are not the same value), and the number of inputs
        key = (cls, len(inputs), tuple((k, _typed(v)) for k, v in values.items()))
        made = self.kinds.get(key)
        if made is not None:
            layer = made.renamed(name, inputs)
        else:
            try:
                layer = self.kinds[key] = cls(name, inputs=inputs, **values)
            except SymcnnError as e:
                raise self.error(e.message, path, name, rule=e.rule) from None
            signature(layer)  # worked out once, kept on the layer and on each copy of it
        self.built.append(layer)
        return layer

    def values(self, item: dict, path: tuple, name: str, args: dict) -> tuple[type, dict]:
        """The layer class of an item and its fields' values as the layer takes them (each checked)."""
        cls, fields = self.layer_class(item, path, name)
        values: dict = {}
        for field, (required, boolean) in fields.items():
            if field in item:
                value = self.substitute(item[field], args, (*path, field), name, field)
                if field in TEXT_FIELDS:
                    values[field] = self.text_value(value, (*path, field), name, field)
                    continue
                words = field == "padding" and issubclass(cls, (Conv, MaxPool, AvgPool))
                values[field] = self.field_value(value, boolean, (*path, field), name, field, words)
            elif required:
                raise self.error(f"missing field '{field}' for kind {item['kind']}", path, name,
                                 rule="required fields")
        training = item.get("training", False)
        if not isinstance(training, bool):
            raise self.error(f"training must be true or false, got {_show(training)}", (*path, "training"), name,
                             rule="training is true or false")
        values["training"] = training or self.training
        values.update(self.sharing(item, path, name))
        return cls, values

    def layer_class(self, item: dict, path: tuple, name: str):
        """The layer class an item's ``kind`` names, and its fields (every key of the item known)."""
        if "kind" not in item:
            raise self.error("missing field 'kind' (the layer's type, e.g. conv, maxpool, relu; or 'block:')",
                             path, name, rule="kind")
        kind = item["kind"]
        if not isinstance(kind, str) or kind not in LAYER_TYPES:
            hint = _did_you_mean(str(kind), list(LAYER_TYPES))
            raise self.error(f"unknown layer kind {quote(kind)}{hint}; kinds: {', '.join(sorted(LAYER_TYPES))}",
                             (*path, "kind"), name, rule="known kind")
        cls = LAYER_TYPES[kind]
        fields = _fields(cls)
        for key in item:
            if key not in _LAYER_KEYS and key not in fields:
                hint = _did_you_mean(str(key), [*fields, *_LAYER_KEYS])
                allowed = ", ".join(fields) or "none"
                raise self.error(f"unknown field {quote(key)} for kind {kind}{hint}; its fields: {allowed}",
                                 (*path, key), name, rule="known fields")
        return cls, fields

    def sharing(self, item: dict, path: tuple, name: str) -> dict:
        """``shares`` (an earlier layer, by its full name or its name in the block) and ``shares_only``."""
        values: dict = {}
        if "shares" in item:
            shared = item["shares"]
            known = {layer.name for layer in self.built}
            full = shared if shared in known else name.rsplit(".", 1)[0] + "." + str(shared) if "." in name else None
            if not isinstance(shared, str) or full not in known:
                raise self.error(f"shares names {quote(shared)}, which is not an earlier layer", (*path, "shares"),
                                 name, rule="shares names an earlier layer")
            values["shares"] = full
        if "shares_only" in item:
            only = item["shares_only"]
            if only not in ("weights", "biases") or "shares" not in item:
                raise self.error(f"shares_only must be weights or biases, beside shares, got {_show(only)}",
                                 (*path, "shares_only"), name, rule="shares_only is weights or biases")
            values["shares_only"] = only
        return values

    def text_value(self, value, path: tuple, layer: str, field: str):
        """A word or text field (a mode, an op, an opaque layer's shapes, a scale such as 3/2): texts and
        whole numbers as they are, for the layer to check."""
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in items):
            raise self.error(f"field {field} must be a text, a whole number or a list of those, got {_show(value)}",
                             path, layer, rule="text field")
        return value

    def channels_of(self, input_name: str, path: tuple, layer: str):
        """The channels of the current block's input ``input_name`` (``$in.channels``), derived at the
        spec's own input from the layers made so far."""
        if input_name not in self.inputs:
            where = "outside a block" if not self.inputs else f"not an input of this block ({', '.join(self.inputs)})"
            raise self.error(f"${input_name}.channels: '{input_name}' is {where}", path, layer,
                             rule="block inputs")
        source = self.inputs[input_name]
        assert self.shape is not None  # set before any layer is read
        if source == INPUT:
            return self.shape.channels
        try:
            d = Network("spec", self.shape, tuple(self.built), rounding="floor").derive()
        except SymcnnError as e:
            raise self.located(e) from None
        return d[source].output.channels

    def substitute(self, value, args: dict, path: tuple, layer: str, field: str):
        """``$param`` tokens replaced by the block's arguments (a whole value or a list item), and
        whole-number expressions (``$inp * $t``, ``$in.channels // 4``) worked out by
        :mod:`symcnn.builders.arith`'s grammar: nothing is evaluated as code."""
        if isinstance(value, list):
            return [self.substitute(v, args, path, layer, field) for v in value]
        if isinstance(value, str) and field not in ("from", "shares", *TEXT_FIELDS) and is_expression(value):
            def param(name: str):
                if name not in args:
                    where = "outside a block" if not args else f"not a parameter of this block ({', '.join(args)})"
                    raise self.error(f"field {field}: unknown block parameter '${name}', {where}", path, layer,
                                     rule="block params")
                return args[name]

            try:
                return evaluate(value, param, lambda name: self.channels_of(name, path, layer))
            except ExpressionError as e:
                raise self.error(f"field {field}: {e} (nothing is evaluated)", path, layer,
                                 rule="whole-number arithmetic") from None
        if isinstance(value, str) and value.startswith("$"):
            m = _PARAM.fullmatch(value)
            if not m:
                raise self.error(f"field {field}: {quote(value)} is not a $parameter name", path, layer,
                                 rule="block params")
            if m.group(1) not in args:
                where = "outside a block" if not args else f"not a parameter of this block ({', '.join(args)})"
                raise self.error(f"field {field}: unknown block parameter '{value}', {where}", path, layer,
                                 rule="block params")
            return args[m.group(1)]
        return value

    def field_value(self, value, boolean: bool, path: tuple, layer: str, field: str, words: bool = False):
        """A field's value as the layer takes it: checked here so that the error names the line.

        ``words``: the field may be ``same`` or ``valid`` (a convolution's padding); elsewhere
        those two are refused rather than read as symbols of that name.
        """
        if boolean:
            if not isinstance(value, bool):
                raise self.error(f"field {field} must be true or false, got {_show(value)}", path, layer,
                                 rule=f"{field} is true or false")
            return value
        if isinstance(value, list):
            if not value or any(isinstance(v, list) for v in value):
                raise self.error(f"field {field} must be a size or a flat, non-empty list of sizes, got {quote(value)}",
                                 path, layer, rule="sizes")
            return tuple(self.field_value(v, False, path, layer, field) for v in value)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.error(
                f"field {field} must be a whole number, a symbol name or a list of those, got {_show(value)}",
                path, layer, rule="sizes are whole numbers or symbols",
            )
        if isinstance(value, str) and value in PADDING_WORDS and not words:
            raise self.error(f"field {field}: '{value}' is only for a convolution's padding", path, layer,
                             rule="same/valid padding")
        if isinstance(value, str) and not is_symbol_name(value):
            raise self.error(
                f"field {field} must be a whole number or a symbol name, got {quote(value)} (nothing is evaluated)",
                path, layer, rule="sizes are whole numbers or symbols",
            )
        return value


def _has_parameter(item: dict) -> bool:
    """Whether a layer item names a ``$parameter`` (or ``$in.channels``) in any of its values."""
    return any("$" in v for value in item.values() for v in (value if isinstance(value, list) else [value])
               if isinstance(v, str))


def _typed(value: Any) -> tuple:
    """A field's value as read (a whole number, a word, a flag, a list of those) with the type
    of each part: a key under which two values are the same only where they are the same
    value of the same type."""
    if isinstance(value, (list, tuple)):
        return (list, tuple(_typed(v) for v in value))
    return (type(value), value)


def _fields(cls) -> dict[str, tuple[bool, bool]]:
    """A layer class's spec fields: name -> (required, boolean); worked out once a class (do not
    change the dict returned)."""
    if cls not in _FIELDS:
        required = cls.spec_fields()
        _FIELDS[cls] = {f.name: (required[f.name], f.type in ("bool", bool) or isinstance(f.default, bool))
                        for f in dataclasses.fields(cls) if f.name in required}
    return _FIELDS[cls]


_FIELDS: dict[type, dict[str, tuple[bool, bool]]] = {}


_did_you_mean = did_you_mean


def _kind_of(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    return {list: "a list", str: f"the text {quote(value)}", type(None): "nothing"}.get(type(value), quote(value))


def _whole_kind(value) -> str:
    """What a file that is not a spec holds, quoting none of it (it may be any file: a key, a password)."""
    if isinstance(value, str):
        return f"a text of {len(value):,} characters"
    return "a number" if isinstance(value, (int, float)) else _kind_of(value)


def _show(value) -> str:
    if isinstance(value, float):
        return f"{quote(value)} (a fraction)"
    return "nothing" if value is None else repr(value)


__all__ = ["load_spec", "loads", "BLOCK_INPUT"]
