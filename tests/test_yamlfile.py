"""YAML is read by libyaml wherever it is safe, with the same results and errors as PyYAML's own loader."""

from __future__ import annotations

import pytest
import yaml

from symcnn.builders import yamlfile
from symcnn.errors import SpecError

requires_libyaml = pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")


def _plain_layers(n: int) -> str:
    return "input: 8x8x3\nlayers:\n" + "".join(f"  - {{name: r{i}, kind: relu}}\n" for i in range(n))


@requires_libyaml
def test_a_flat_spec_of_many_brackets_is_read_by_libyaml():
    # 10,000 layers written one {...} a line: 10,000 brackets, but nested 3 deep
    loader = yamlfile._loader(_plain_layers(10_000))
    try:
        assert type(loader) is yaml.CSafeLoader
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", [
    "layers: " + "[" * 300 + "]" * 300,
    "layers:\n" + "- " * 300 + "x\n",  # block sequences nest without a bracket
    "a: " + "{b: " * 300 + "1" + "}" * 300,
], ids=["flow-lists", "block-sequences", "flow-mappings"])
@requires_libyaml
def test_a_deep_text_is_left_to_the_loader_that_raises(text):
    assert yamlfile._depth_over(yaml.CSafeLoader, text, yamlfile.LIBYAML_DEPTH)
    loader = yamlfile._loader(text)
    try:
        assert type(loader) is yaml.SafeLoader
    finally:
        loader.dispose()


def test_the_depth_counts_nesting_not_brackets():
    depth = yamlfile.LIBYAML_DEPTH
    # the mapping holding x, then the lists inside each other
    assert not yamlfile._depth_over(yaml.SafeLoader, "x: " + "[" * (depth - 1) + "]" * (depth - 1), depth)
    assert yamlfile._depth_over(yaml.SafeLoader, "x: " + "[" * depth + "]" * depth, depth)
    assert not yamlfile._depth_over(yaml.SafeLoader, "[" * 500 + "]" * 500, 500)
    assert not yamlfile._depth_over(yaml.SafeLoader, "x: [" + "[], " * 500 + "]", 3)  # wide, not deep


BAD = {
    "unclosed-list": "input: 8x8x3\nlayers: [\n  {kind: relu},\n",
    "tab-indent": "input: 8x8x3\nlayers:\n\t- {kind: relu}\n",
    "bad-key": "input: 8x8x3\nlayers:\n  - {kind: relu\n  - {kind: tanh}\n",
    "control-character": "input: 8x8x3\nlayers:\n  - {kind: \x07relu}\n",
    "duplicate-key": "input: 8x8x3\nlayers:\n  - {kind: relu, kind: tanh}\n",
    "alias-loop-free-but-many": "a: &a [1, 2]\nb: [*a, *a]\nc: {x: 1, x: 2}\n",
}


@requires_libyaml
@pytest.mark.parametrize("name", BAD)
def test_libyaml_and_pyyaml_give_the_same_error_on_the_same_line(name, monkeypatch):
    text = BAD[name]
    with pytest.raises(SpecError) as fast:
        yamlfile.parse_yaml(text, "net.yaml")
    monkeypatch.setattr(yamlfile, "_loader", lambda text: yaml.SafeLoader(text))
    with pytest.raises(SpecError) as slow:
        yamlfile.parse_yaml(text, "net.yaml")
    assert fast.value.where == slow.value.where, (str(fast.value), str(slow.value))
    assert " line " in fast.value.where


@requires_libyaml
def test_libyaml_and_pyyaml_read_the_same_data_and_lines(monkeypatch):
    text = _plain_layers(50) + "blocks:\n  b:\n    params: [c]\n    layers:\n      - {kind: conv, channels: $c}\n"
    fast = yamlfile.parse_yaml(text, "net.yaml")
    monkeypatch.setattr(yamlfile, "_loader", lambda text: yaml.SafeLoader(text))
    slow = yamlfile.parse_yaml(text, "net.yaml")
    assert fast.data == slow.data and fast.lines == slow.lines
    assert fast.lines[("layers", 49, "kind")] == 52  # two lines before the list, then one layer a line
