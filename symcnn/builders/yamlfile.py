"""Reading YAML files safely, with the line of every key for error messages.

Only PyYAML's safe loaders are used (libyaml's ``yaml.CSafeLoader`` where PyYAML has it and the
text does not nest too deeply, ``yaml.SafeLoader`` otherwise; the same safe constructor either
way): plain data (mappings, lists, strings, numbers, booleans), never Python objects, never code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SpecError, quote
from ..limits import FILE_BYTES, YAML_VALUES, check_numeral, read_text


class Located:
    """The data of a YAML file and the line each key or item starts on (1-based)."""

    def __init__(self, name: str, data: Any, lines: dict[tuple, int]):
        self.name = name
        self.data = data
        self.lines = lines

    def where(self, *path) -> str:
        """``file line N: a.b.c`` for the innermost known line of ``path``."""
        line = None
        for i in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:i]))
            if line is not None:
                break
        dotted = ".".join(str(p) for p in path)
        loc = f"{self.name} line {line}" if line is not None else self.name
        return f"{loc}: {dotted}" if dotted else loc

    def error(self, message: str, *path, rule: str | None = None) -> SpecError:
        return SpecError(message, where=self.where(*path), rule=rule)


def read_yaml(path: str | Path, check: Callable[[Any, str], None] | None = None) -> Located:
    """Read ``path`` with a safe loader; a missing, unreadable or oversized file, or bad YAML,
    is a one-line SpecError (see :func:`symcnn.limits.read_text`)."""
    return parse_yaml(read_text(path), str(path), check)


def parse_yaml(text: str, name: str, check: Callable[[Any, str], None] | None = None) -> Located:
    """YAML ``text`` read with a safe loader (:func:`_loader`); ``name`` says where it comes from in errors.

    A key given twice in one mapping is an error (YAML would keep the last silently). The
    tree is checked before anything is built from it: at most
    :data:`~symcnn.limits.YAML_VALUES` values once aliases are expanded, and no more text than
    a file may hold (:data:`~symcnn.limits.FILE_BYTES` characters: an alias repeating a long
    text in ``notes`` is refused as a repeated list would be), no alias inside
    itself, no whole number longer than :data:`~symcnn.limits.DIGITS` allows. ``check(node,
    name)``, where given, sees the root node first and may refuse the text before any of it is built.

    >>> doc = parse_yaml("layers: [{kind: relu}, {kind: tanh}]", "net.yaml")
    >>> doc.data["layers"][1], doc.lines[("layers", 1, "kind")]
    ({'kind': 'tanh'}, 1)
    """
    import yaml

    lines: dict[tuple, int] = {}
    loader = None
    try:
        loader = _loader(text)  # refuses control characters at once
        node = loader.get_single_node()
        if node is not None and check is not None:
            check(node, name)
        if node is not None:
            _walk(node, (), lines, name, set(), [YAML_VALUES.value, FILE_BYTES.value])
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        position = getattr(e, "position", None)  # a reader error: a character YAML does not allow
        line = mark.line + 1 if mark is not None else None
        if line is None and isinstance(position, int):
            line = text.count("\n", 0, position) + 1
        where = f"{name} line {line}" if line is not None else name
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SpecError(f"not valid YAML: {problem}", where=where, rule="YAML syntax") from None
    except RecursionError:
        raise SpecError("not valid YAML: nested too deeply", where=name, rule="YAML syntax") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Located(name, data, lines)


_INT_TAG = "tag:yaml.org,2002:int"
#: libyaml's parser keeps its state on the heap, but PyYAML's C composer builds the node tree by
#: recursion in C and, some 100,000 levels deep (``[[[...`` or ``- - - ...``), ends the process rather
#: than raising. A text nested deeper than this is read by PyYAML's own composer instead, which raises
#: (RecursionError) long before such a depth; a flat text of any length stays with libyaml.
LIBYAML_DEPTH = 200


def _loader(text: str):
    """libyaml's safe loader where PyYAML was built with it (several times faster) and the text
    does not nest deeply enough to crash it; PyYAML's own otherwise. The same safe constructor either way."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None or _depth_over(fast, text, LIBYAML_DEPTH):
        return yaml.SafeLoader(text)
    return fast(text)


def _depth_over(loader_class, text: str, limit: int) -> bool:
    """Whether the collections of ``text`` nest more than ``limit`` deep, measured on libyaml's
    events (its parser is not recursive); it stops at the first level past the limit. Bad YAML
    counts as not too deep: the loader that reads it then says what is wrong, on which line."""
    import yaml

    opening, closing = (yaml.SequenceStartEvent, yaml.MappingStartEvent), (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    parser = loader_class(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, opening):
                depth += 1
                if depth > limit:
                    return True
            elif isinstance(event, closing):
                depth -= 1
    except yaml.YAMLError:
        return False
    finally:
        parser.dispose()
    return False


def _walk(node, path: tuple, lines: dict[tuple, int], name: str, above: set[int], budget: list[int]) -> None:
    import yaml

    line = node.start_mark.line + 1
    if id(node) in above:
        raise SpecError("a YAML alias refers to a node that contains it (an endless tree)",
                        where=f"{name} line {line}", rule="finite YAML")
    budget[0] -= 1
    if budget[0] < 0:
        raise YAML_VALUES.error("the number of values once YAML aliases are expanded", where=name)
    lines.setdefault(path, line)
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        budget[1] -= len(node.value)
        if budget[1] < 0:
            raise FILE_BYTES.error("the text once YAML aliases are expanded", where=name)
        if node.tag == _INT_TAG:  # before YAML converts it: Python refuses 4,300 digits in a traceback
            check_numeral(node.value, where=f"{name} line {line}")
        return
    above.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise SpecError("a key must be a name, not a list or a mapping",
                                where=f"{name} line {key.start_mark.line + 1}", rule="YAML keys")
            if key.tag == _INT_TAG:
                check_numeral(key.value, where=f"{name} line {key.start_mark.line + 1}")
            sub = path + (key.value,)
            if sub in lines:
                raise SpecError(f"the key {quote(key.value)} is given twice",
                                where=f"{name} line {key.start_mark.line + 1}", rule="unique keys")
            lines[sub] = key.start_mark.line + 1
            _walk(value, sub, lines, name, above, budget)
    else:
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, name, above, budget)
    above.discard(id(node))
