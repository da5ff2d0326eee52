"""Spec files: the schema, block expansion, symbolic fields, and one clear error per mistake."""

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import symbols

import symcnn
from symcnn.builders.spec import load_spec, loads
from symcnn.errors import SpecError
from symcnn.layers import LAYER_TYPES
from symcnn.network import Network

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "examples" / "small.yaml"


def spec(tmp_path, text, name="net.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the example


def test_example_is_symbolic_in_N():
    N = symbols("N", integer=True, positive=True)
    net = symcnn.load(str(SMALL))
    d = net.derive()
    assert net.name == "small" and str(net.input) == "32x32x3" and net.rounding == "floor"
    # conv1: 3*3*3*N + N = 28N; block1.conv1 and .conv2: 3*3*N*N = 9N^2 each (no bias);
    # block1.bn1 and .bn2: 2N each; fc after the 1x1xN pool and flatten: 10N + 10.
    assert d["conv1"].params == 28 * N
    assert d["block1.conv2"].params == 9 * N**2
    assert d.total_params.expand() == 18 * N**2 + 42 * N + 10
    # 32 -> pool1 floor((32 - 2)/2) + 1 = 16 -> global pool 1 -> flatten: a vector of N values
    assert d["block1.add"].output.dims == (16, 16, N)
    assert d["flatten"].output.dims == (N,)
    assert N in d["fc"].params.free_symbols


def test_example_through_the_cli(run_cli):
    status, out, err = run_cli("summary", str(SMALL), "--json")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert data["network"] == "small"
    assert [l["name"] for l in data["layers"]][:4] == ["conv1", "relu1", "pool1", "block1.conv1"]
    assert data["layers"][0]["params"] == "28*N"
    status, out, _ = run_cli("summary", str(SMALL), "--input", "64x64x3", "--json")
    # 64 -> pool1 floor((64 - 2)/2) + 1 = 32
    assert json.loads(out)["layers"][2]["output"] == [32, 32, "N"]


def test_load_accepts_a_path_object(tmp_path):
    path = spec(tmp_path, """
        input: [28, 28, 1]
        layers:
          - {kind: conv, channels: 4, kernel: 5}
          - {kind: flatten}
          - {kind: linear, features: 10}
    """, name="mine.yml")
    net = symcnn.load(path)
    assert net.name == "mine" and str(net.input) == "28x28x1"
    # conv: 5*5*1*4 + 4 = 104, 24x24x4 = 2,304 values; fc: 2304*10 + 10 = 23,050
    assert net.derive().total_params == 104 + 23_050


# --------------------------------------------------------------------------- the schema


def test_auto_names_and_default_rounding():
    net = loads("""
input: 8x8x1
layers:
  - {kind: conv, channels: 2, kernel: 3}
  - {kind: relu}
  - {kind: conv, channels: 2, kernel: 3}
  - {name: conv3, kind: relu}
  - {kind: conv, channels: 2, kernel: 2}
""")
    # kind + running number, skipping a name given by hand
    assert [l.name for l in net.layers] == ["conv1", "relu1", "conv2", "conv3", "conv4"]
    assert net.rounding == "floor"
    # floor((4 - 2)/1) + 1 = 3 after two 3x3 convs: 8 -> 6 -> 4 -> 3
    assert net.derive().output.dims == (3, 3, 2)


def test_from_and_input():
    net = loads("""
input: 8x8x4
layers:
  - {name: a, kind: conv, channels: 4, kernel: 1}
  - {name: b, kind: conv, channels: 4, kernel: 1, from: input}
  - {name: sum, kind: add, from: [a, b]}
  - {name: cat, kind: concat, from: [sum, input, a]}
""")
    assert net["a"].inputs == () and net["b"].inputs == ("input",)
    assert net["sum"].inputs == ("a", "b")
    # 4 + 4 + 4 channels
    assert net.derive()["cat"].output.dims == (8, 8, 12)


BLOCKS = """
input: 16x16x8
blocks:
  res:
    params: {channels: null, stride: 1}
    layers:
      - {name: conv, kind: conv, channels: $channels, kernel: 3, stride: $stride, padding: 1}
      - {name: short, kind: conv, channels: $channels, kernel: 1, stride: $stride, from: in}
      - {name: add, kind: add, from: [conv, short]}
  twice:
    params: [width]
    layers:
      - {block: res, name: first, args: {channels: $width}}
      - {block: res, name: second, args: {channels: $width}}
layers:
  - {name: stem, kind: relu}
  - {block: res, name: b1, args: {channels: 8, stride: 2}}
  - {block: res, name: stack, repeat: 2, start: 3, args: {channels: 16}}
  - {block: twice, name: t, from: stem, args: {width: 4}}
"""


def test_blocks_expand_with_prefixes_and_arguments():
    net = loads(BLOCKS)
    names = [l.name for l in net.layers]
    assert names == [
        "stem",
        "b1.conv", "b1.short", "b1.add",
        "stack.3.conv", "stack.3.short", "stack.3.add",
        "stack.4.conv", "stack.4.short", "stack.4.add",
        "t.first.conv", "t.first.short", "t.first.add",
        "t.second.conv", "t.second.short", "t.second.add",
    ]
    # `in` is the block's input: the layer before the block item, the previous copy, or `from:`
    assert net["b1.short"].inputs == ("stem",)
    assert net["stack.4.conv"].inputs == () and net["stack.4.short"].inputs == ("stack.3.add",)
    assert net["t.first.conv"].inputs == ("stem",) and net["t.second.short"].inputs == ("t.first.add",)
    assert net["b1.add"].inputs == ("b1.conv", "b1.short")
    # args replace the $parameters; a missing one takes the template's default
    assert str(net["b1.conv"].stride[0]) == "2"
    assert str(net["stack.3.conv"].stride[0]) == "1" and str(net["t.first.conv"].channels) == "4"
    d = net.derive()
    # 16 -> floor((16 - 3 + 2)/2) + 1 = 8 in b1; stride 1 after; t reads the 16x16 stem
    assert d["b1.add"].output.dims == (8, 8, 8)
    assert d["stack.4.add"].output.dims == (8, 8, 16)
    assert d["t.second.add"].output.dims == (16, 16, 4)


def test_from_names_a_block_item_for_its_output():
    net = loads("""
input: 8x8x3
blocks:
  b:
    params: {c: 4}
    layers:
      - {name: conv, kind: conv, channels: $c, kernel: 1}
layers:
  - {block: b, name: st, repeat: 2}
  - {block: b, name: one, args: {c: 5}}
  - {name: cat, kind: concat, from: [st, one, st.0]}
""")
    # `st` is its last copy's output; the copies have names of their own
    assert net["cat"].inputs == ("st.1.conv", "one.conv", "st.0.conv")
    # 4 + 5 + 4 channels
    assert net.derive()["cat"].output.dims == (8, 8, 13)


def test_same_and_valid_padding():
    net = loads("""
input: 9x9x2
layers:
  - {name: s, kind: conv, channels: 4, kernel: 3, padding: same}
  - {name: v, kind: conv, channels: 4, kernel: 3, padding: valid}
""")
    # same keeps 9 (stride 1); valid is padding 0: 9 - 3 + 1 = 7
    d = net.derive()
    assert d["s"].output.dims == (9, 9, 4) and d["v"].output.dims == (7, 7, 4)


def test_nothing_is_evaluated(tmp_path):
    # A python tag is refused by the safe loader; an expression is not a size.
    path = spec(tmp_path, """
        input: 8x8x1
        layers:
          - {kind: conv, channels: !!python/object/apply:os.getcwd [], kernel: 3}
    """)
    with pytest.raises(SpecError, match="not valid YAML"):
        load_spec(path)
    with pytest.raises(SpecError, match="nothing is evaluated"):
        loads("input: 8x8x1\nlayers:\n  - {kind: conv, channels: \"__import__('os')\", kernel: 3}\n")


# --------------------------------------------------------------------------- errors

HEAD = "input: 32x32x3\nlayers:\n"
BLOCK_HEAD = """input: 32x32x3
blocks:
  b:
    params: [channels]
    layers:
      - {name: conv, kind: conv, channels: $channels, kernel: 3, padding: 1}
layers:
"""

# (id, spec text, the line, the layer, what the message must say)
BAD = [
    ("unknown-kind", HEAD + "  - {name: c1, kind: cnv, channels: 8, kernel: 3}\n", 3, "c1",
     "unknown layer kind 'cnv' (did you mean 'conv'?)"),
    ("missing-kind", HEAD + "  - {name: c1, channels: 8, kernel: 3}\n", 3, "c1", "missing field 'kind'"),
    ("missing-field", HEAD + "  - {name: c1, kind: conv, kernel: 3}\n", 3, "c1", "missing field 'channels'"),
    ("extra-field", HEAD + "  - {name: c1, kind: conv, channels: 8,\n     kernel: 3, dilate: 2}\n", 4, "c1",
     "unknown field 'dilate' for kind conv (did you mean 'dilation'?)"),
    ("float", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: 3.5}\n", 3, "c1",
     "field kernel must be a whole number, a symbol name or a list of those, got 3.5"),
    # whole-number arithmetic has + - * // and brackets only: a power is not read, nor run
    ("expression", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: \"2**3\"}\n", 3, "c1",
     "field kernel: '2**3' has '*' where a number belongs (nothing is evaluated)"),
    ("bool-size", HEAD + "  - {name: c1, kind: conv, channels: true, kernel: 3}\n", 3, "c1",
     "field channels must be a whole number"),
    ("size-bool", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: 3, bias: 0}\n", 3, "c1",
     "field bias must be true or false, got 0"),
    ("same-on-pool", HEAD + "  - {name: p1, kind: maxpool, kernel: 2, padding: same}\n", 3, "p1",
     "padding of a pooling layer must be a size, 'valid' or 'tf_same', got 'same'"),
    ("valid-as-stride", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: 3, stride: valid}\n", 3, "c1",
     "field stride: 'valid' is only for a convolution's padding"),
    ("nested-list", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: [[3]]}\n", 3, "c1",
     "flat, non-empty list of sizes"),
    ("negative", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: 3, padding: -1}\n", 3, "c1",
     "padding must be a whole number >= 0, got -1"),
    ("stride-rank", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: 3, stride: [1, 2, 3]}\n", 3, "c1",
     "stride has 3 sizes but the input 32x32x3 has 2 spatial axes"),
    ("unknown-from",
     HEAD + "  - {name: conv1, kind: conv, channels: 8, kernel: 3}\n  - {name: r, kind: relu, from: conv2}\n",
     4, "r", "from names 'conv2', which is not a layer in the spec (nor 'input') (did you mean 'conv1'?)"),
    ("cycle-later", HEAD + "  - {name: c1, kind: conv, channels: 8, kernel: 3, from: r}\n  - {name: r, kind: relu}\n",
     3, "c1", "from names the later layer 'r': a layer can only read earlier layers (this would be a cycle)"),
    ("cycle-self", HEAD + "  - {name: r, kind: relu, from: r}\n", 3, "r", "from names itself"),
    ("duplicate-name", HEAD + "  - {name: r, kind: relu}\n  - {name: r, kind: relu}\n", 4, "r",
     "the name 'r' is used twice"),
    ("channel-mismatch", HEAD + "  - {name: a, kind: conv, channels: 64, kernel: 1}\n"
     "  - {name: b, kind: conv, channels: 128, kernel: 1, from: input}\n  - {name: sum, kind: add, from: [a, b]}\n",
     5, "sum", "inputs 'a' (32x32x64) and 'b' (32x32x128) differ in shape"),
    ("kernel-too-large", "input: 4x4x3\nlayers:\n  - {name: c1, kind: conv, channels: 8, kernel: 5}\n", 3, "c1",
     "kernel 5 is larger than the padded input 4"),
    ("unknown-block", BLOCK_HEAD + "  - {block: c, name: b1, args: {channels: 8}}\n", 8, "b1",
     "unknown block 'c'; blocks: b"),
    ("unknown-param", BLOCK_HEAD + "  - {block: b, name: b1, args: {channels: 8, width: 2}}\n", 8, "b1",
     "block 'b' has no parameter 'width'; its parameters: channels"),
    ("missing-arg", BLOCK_HEAD + "  - {block: b, name: b1}\n", 8, "b1", "missing argument 'channels' of block 'b'"),
    ("dollar-outside-block", HEAD + "  - {name: c1, kind: conv, channels: $width, kernel: 3}\n", 3, "c1",
     "unknown block parameter '$width', outside a block"),
    ("extra-item-field", BLOCK_HEAD + "  - {block: b, name: b1, args: {channels: 8}, times: 2}\n", 8, "b1",
     "unknown field 'times' in block item 'b1'"),
    ("bad-repeat", BLOCK_HEAD + "  - {block: b, name: b1, repeat: 0, args: {channels: 8}}\n", 8, "b1",
     "repeat must be a whole number >= 1, got 0"),
    ("block-local-from", "input: 8x8x3\nblocks:\n  b:\n    layers:\n      - {name: r, kind: relu, from: stem}\n"
     "layers:\n  - {name: stem, kind: relu}\n  - {block: b, name: b1}\n", 5, "b1.r",
     "from names 'stem', which is not a layer in this block (nor 'in')"),
    ("recursive-block", "input: 8x8x3\nblocks:\n  b:\n    layers:\n      - {block: b, name: again}\n"
     "layers:\n  - {block: b, name: b1}\n", 5, "b1.again", "block 'b' uses itself"),
]


@pytest.mark.parametrize("text, line, layer, says", [pytest.param(*case[1:], id=case[0]) for case in BAD])
def test_malformed_spec(tmp_path, run_cli, text, line, layer, says):
    path = spec(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    message = str(info.value)
    assert message.startswith(f"{path} line {line}, layer {layer}"), message
    assert says in message
    # the CLI: one line on stderr, exit 2, nothing on stdout
    status, out, err = run_cli("summary", str(path))
    assert status == 2 and out == ""
    assert err == f"symcnn: error: {message}\n"


# (id, spec text, what the message must say, the line if there is one)
BAD_FILE = [
    ("yaml", "input: 32x32x3\nlayers:\n  - {kind: relu\n  - {kind: relu}\n", "not valid YAML", 4),
    ("tab", "input: 32x32x3\nlayers:\n\t- {kind: relu}\n", "not valid YAML", 3),
    ("duplicate-key", "input: 32x32x3\nlayers:\n  - {kind: relu, kind: tanh}\n", "the key 'kind' is given twice", 3),
    ("not-a-mapping", "- {kind: relu}\n", "a spec is a mapping with 'input' and 'layers', got a list", 1),
    ("empty", "", "a spec is a mapping with 'input' and 'layers', got nothing", None),
    ("unknown-key", "input: 32x32x3\nlayer:\n  - {kind: relu}\n",
     "unknown field 'layer' in the spec (did you mean 'layers'?)", 2),
    ("no-input", "layers:\n  - {kind: relu}\n", "missing field 'input'", 1),
    ("bad-input", "input: 32x32x3.5\nlayers:\n  - {kind: relu}\n", "expected sizes such as 227x227x3", 1),
    ("bad-rounding", "input: 32x32x3\nrounding: round\nlayers:\n  - {kind: relu}\n",
     "unknown rounding 'round'; choose one of exact, floor, ceil", 2),
    ("no-layers", "input: 32x32x3\nlayers: []\n", "layers must be a non-empty list", 2),
    ("layer-not-mapping", "input: 32x32x3\nlayers:\n  - {kind: relu}\n  - relu\n",
     "a layer is a mapping with a kind (or a block), got the text 'relu'", 4),
    ("alias-cycle", "input: 32x32x3\nlayers: &l\n  - {kind: relu}\n  - *l\n",
     "a YAML alias refers to a node that contains it", 2),
    # nine levels of ten aliases each: 10^9 values from a file of ten lines
    ("alias-bomb", "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
     .join(["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n", "input: 32x32x3\nlayers: [{kind: relu}]\n"]),
     "values once YAML aliases are expanded is over the limit of 200,000 values", None),
    # PyYAML reads nested lists by recursion
    ("deep", "input: 32x32x3\nlayers: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML: nested too deeply", None),
]


@pytest.mark.parametrize("text, says, line", [pytest.param(*case[1:], id=case[0]) for case in BAD_FILE])
def test_malformed_file(tmp_path, run_cli, text, says, line):
    path = spec(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    message = str(info.value)
    assert message.startswith(f"{path} line {line}:" if line else f"{path}:"), message
    assert says in message
    status, out, err = run_cli("summary", str(path))
    assert (status, out) == (2, "") and err.count("\n") == 1 and says in err


def test_missing_file(tmp_path, run_cli):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(SpecError, match="cannot read the file: No such file or directory"):
        symcnn.load(str(path))
    status, out, err = run_cli("summary", str(path))
    assert (status, out) == (2, "")
    assert err == f"symcnn: error: {path}: cannot read the file: No such file or directory\n"


def test_unknown_network_name(run_cli):
    status, _, err = run_cli("summary", "resnet19")
    assert status == 2 and "unknown network 'resnet19'" in err and "resnet18" in err


# --------------------------------------------------------------------------- spec == Python

SIZES = st.integers(1, 3)
LAYER_ITEMS = st.one_of(
    st.fixed_dictionaries({"kind": st.just("conv"), "channels": st.one_of(st.integers(1, 8), st.just("N")),
                           "kernel": SIZES, "stride": SIZES, "padding": st.integers(0, 2),
                           "bias": st.booleans()}),
    st.fixed_dictionaries({"kind": st.just("maxpool"), "kernel": SIZES, "ceil_mode": st.booleans()}),
    st.fixed_dictionaries({"kind": st.sampled_from(["relu", "batchnorm", "tanh", "dropout"])}),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LAYER_ITEMS, min_size=1, max_size=6))
def test_a_spec_is_the_network_built_in_python(items):
    """What the loader makes of a chain of layers is the Network the Python API makes of it."""
    text = yaml.safe_dump({"name": "chain", "input": "64x64x3", "layers": items}, sort_keys=False)
    counts = {}
    layers = []
    for item in items:
        fields = dict(item)
        kind = fields.pop("kind")
        counts[kind] = counts.get(kind, 0) + 1
        layers.append(LAYER_TYPES[kind](f"{kind}{counts[kind]}", **fields))
    assert loads(text, check=False) == Network("chain", "64x64x3", layers, rounding="floor")
