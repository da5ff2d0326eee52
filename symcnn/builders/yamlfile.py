"""Reading YAML files safely, with the line of every key for error messages.

Only ``yaml.SafeLoader`` is used: plain data (mappings, lists, strings, numbers,
booleans), never Python objects, never code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import SpecError


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


def read_yaml(path: str | Path) -> Located:
    """Read ``path`` with the safe loader; a missing file or bad YAML is a one-line SpecError."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise SpecError(f"cannot read the file: {reason}", where=name, rule="readable file") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Located:
    """YAML ``text`` read with the safe loader; ``name`` says where it comes from in errors.

    A key given twice in one mapping is an error (YAML would keep the last silently).

    >>> doc = parse_yaml("layers: [{kind: relu}, {kind: tanh}]", "net.yaml")
    >>> doc.data["layers"][1], doc.lines[("layers", 1, "kind")]
    ({'kind': 'tanh'}, 1)
    """
    import yaml

    # libyaml's parser where PyYAML was built with it (several times faster); the same safe
    # constructor either way.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{name} line {mark.line + 1}" if mark is not None else name
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SpecError(f"not valid YAML: {problem}", where=where, rule="YAML syntax") from None
    except RecursionError:
        raise SpecError("not valid YAML: nested too deeply", where=name, rule="YAML syntax") from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines, name, set(), [MAX_NODES])
        except RecursionError:  # libyaml parses deeper than Python can walk
            raise SpecError("not valid YAML: nested too deeply", where=name, rule="YAML syntax") from None
    return Located(name, data, lines)


# Aliases let a short file stand for a huge (or endless) tree; no spec needs one that big.
MAX_NODES = 200_000


def _walk(node, path: tuple, lines: dict[tuple, int], name: str, above: set[int], budget: list[int]) -> None:
    import yaml

    line = node.start_mark.line + 1
    if id(node) in above:
        raise SpecError("a YAML alias refers to a node that contains it (an endless tree)",
                        where=f"{name} line {line}", rule="finite YAML")
    budget[0] -= 1
    if budget[0] < 0:
        raise SpecError(f"more than {MAX_NODES:,} values once YAML aliases are expanded", where=name,
                        rule="finite YAML")
    lines.setdefault(path, line)
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        return
    above.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            if sub in lines:
                raise SpecError(f"the key {key.value!r} is given twice", where=f"{name} line {key.start_mark.line + 1}",
                                rule="unique keys")
            lines[sub] = key.start_mark.line + 1
            _walk(value, sub, lines, name, above, budget)
    else:
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, name, above, budget)
    above.discard(id(node))
