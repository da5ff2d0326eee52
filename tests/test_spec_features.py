"""Spec features for the layers real models use: arithmetic in block arguments, blocks of several
inputs and outputs, training-only branches, shared layers, the new kinds, and the spec writer.

Every figure is worked out by hand in the comments.
"""

from dataclasses import fields

import pytest

from symcnn import SpecError
from symcnn.analysis import analyse
from symcnn.builders.load import load
from symcnn.builders.spec import loads
from symcnn.builders.specwriter import dumps
from symcnn.layers import Conv
from symcnn.network import signature, sources

INVERTED = """
input: 8x8x16
blocks:
  inverted:
    params: {inp: 16, t: 6, out: 24}
    layers:
      - {name: expand, kind: conv, channels: "$inp * $t", kernel: 1, bias: false}
      - {name: dw, kind: conv, channels: "$inp * $t", kernel: 3, padding: 1, groups: "$inp * $t", bias: false}
      - {name: se_reduce, kind: conv, channels: "$in.channels // 4", kernel: 1}
      - {name: project, kind: conv, channels: $out, kernel: 1, bias: false, from: dw}
layers:
  - {block: inverted, name: b1, args: {inp: 16, t: 6, out: 24}}
"""


def test_arithmetic_in_block_arguments():
    net = loads(INVERTED)
    d = net.derive()
    # expand: 16 * 6 = 96 channels, 1*1*16*96 = 1,536 weights; dw: 96 groups of 3*3*1 = 864 weights
    assert d["b1.expand"].output.channels == 96 and d["b1.expand"].params == 1536
    assert d["b1.dw"].params == 864
    # $in.channels is the block input's 16 channels: 16 // 4 = 4 kernels of 1*1*96, + 4 biases = 388
    assert d["b1.se_reduce"].output.channels == 4 and d["b1.se_reduce"].params == 388
    assert d["b1.project"].params == 96 * 24


@pytest.mark.parametrize("value, message", [
    ("$inp ** 2", "'$inp ** 2' has '*' where a number belongs"),
    ("__import__('os')", "cannot read"),
    ("$nope + 1", "unknown block parameter '$nope'"),
    ("($inp + 1", "ends too early"),
    ("$inp // 0", "divides by zero"),
])
def test_arithmetic_refuses_what_it_does_not_read(value, message):
    text = INVERTED.replace('"$inp * $t", kernel: 1, bias', f'"{value}", kernel: 1, bias')
    with pytest.raises(SpecError, match=r"line 7, layer b1.expand: field channels: .*" + message.replace("(", r"\(")
                       .replace(")", r"\)").replace("*", r"\*").replace("$", r"\$")):
        loads(text, source="net.yaml")


SPLIT_MERGE = """
input: 16x16x8
blocks:
  halves:          # one input, two outputs: ShuffleNet's split
    outputs: [left, right]
    layers:
      - {name: left, kind: split, chunks: 2, index: 0}
      - {name: right, kind: split, chunks: 2, index: 1, from: in}
  gate:            # two inputs: a map and its gate
    inputs: [x, g]
    layers:
      - {name: pool, kind: global_avgpool, from: g}
      - {name: act, kind: sigmoid}
      - {name: mul, kind: mul, from: [x, act]}
layers:
  - {block: halves, name: s}
  - {name: conv, kind: conv, channels: 4, kernel: 3, padding: 1, from: s.right}
  - {block: gate, name: g, from: [s.left, conv]}
  - {name: out, kind: concat, from: [g, conv]}
  - {name: shuffle, kind: channel_shuffle, groups: 2}
"""


def test_blocks_with_several_inputs_and_outputs():
    d = loads(SPLIT_MERGE).derive()
    # chunk(2) of 8 channels: 4 and 4; the gate of the conv's 16x16x4 is 1x1x4, times the 16x16x4 left half
    assert d["s.left"].output.dims == (16, 16, 4) and d["s.right"].output.dims == (16, 16, 4)
    assert d["g.mul"].output.dims == (16, 16, 4)
    assert d["g.mul"].layer.inputs == ("s.left", "g.act")
    assert d["out"].output.dims == (16, 16, 8) and d["shuffle"].output.dims == (16, 16, 8)


def test_several_inputs_must_be_named():
    with pytest.raises(SpecError, match="block 'gate' reads 2 inputs \\(x, g\\): name them in from"):
        loads(SPLIT_MERGE.replace("from: [s.left, conv]}", "}"))


AUX = """
input: 64x64x3
layers:
  - {name: conv, kind: conv, channels: 8, kernel: 3, stride: 2}
  - {name: aux_pool, kind: avgpool, kernel: 5, stride: 3, training: true}
  - {name: aux_conv, kind: conv, channels: 4, kernel: 5, training: true}
  - {name: aux_fc, kind: linear, features: 10, training: true}
  - {name: head, kind: conv, channels: 16, kernel: 3, from: conv}
"""


def test_training_only_branch_does_not_limit_the_input():
    net = loads(AUX)
    # at 64: conv floor((64 - 3)/2) + 1 = 31; aux pool floor((31 - 5)/3) + 1 = 9; aux conv 9 - 5 + 1 = 5
    d = net.derive()
    assert d["aux_conv"].output.dims == (5, 5, 4) and not d["aux_conv"].skipped
    # aux fc after the 5x5x4 map: 5*5*4*10 + 10 = 1,010 parameters; aux conv 5*5*8*4 + 4 = 804
    total = (3 * 3 * 3 * 8 + 8) + 804 + 1010 + (3 * 3 * 8 * 16 + 16)
    assert d.total_params == total
    # at 24: conv 11, aux pool floor((11 - 5)/3) + 1 = 3, aux conv 5 > 3: the head does not run, the
    # parameters stay those at the network's own input; the eval network derives
    small = net.derive("24x24x3")
    assert small["aux_conv"].skipped and small.total_params == total
    assert small["head"].output.dims == (9, 9, 16)
    # the smallest input is the eval network's: conv (7 - 3)/2 + 1 = 3, head 3 - 3 + 1 = 1 (the aux head
    # would need conv >= 7 for its 5-wide pooling and more for its conv: it does not count)
    assert analyse(net, "floor").min_input == 7


def test_a_training_branch_that_fits_neither_input_nor_twice_it_ends():
    # at its own 16: conv floor((16 - 3)/2) + 1 = 7, aux pool floor((7 - 5)/3) + 1 = 1, aux conv 5 > 1;
    # at 32: conv 15, aux pool floor((15 - 5)/3) + 1 = 4, aux conv 5 > 4; at 64 (as above) it fits: its
    # parameters are those at 64. Probing 32 once probed 16 again, without end.
    net = loads(AUX.replace("input: 64x64x3", "input: 16x16x3"))
    total = (3 * 3 * 3 * 8 + 8) + 804 + 1010 + (3 * 3 * 8 * 16 + 16)
    for size in ("16x16x3", "32x32x3", "24x24x3"):
        d = net.derive(size)
        assert d["aux_fc"].skipped and d.total_params == total, size
    assert not net.derive("64x64x3")["aux_fc"].skipped


def test_an_eval_layer_may_not_read_a_training_one():
    with pytest.raises(SpecError, match="reads 'aux_fc', which runs only in training"):
        loads(AUX.replace("from: conv}", "}"))


def test_shares_in_a_spec():
    net = loads("""
input: 8x8x4
layers:
  - {name: c, kind: conv, channels: 4, kernel: 3, padding: 1}
  - {name: c_again, kind: conv, channels: 4, kernel: 3, padding: 1, shares: c}
""")
    d = net.derive()
    assert d.total_params == 3 * 3 * 4 * 4 + 4 and d.shared == (("c_again", "c"),)


def test_shares_only_the_weights_in_a_spec():
    net = loads("""
input: 8x8x4
layers:
  - {name: c, kind: conv, channels: 4, kernel: 3, padding: 1}
  - {name: tied, kind: conv, channels: 4, kernel: 3, padding: 1, shares: c, shares_only: weights}
""")
    d = net.derive()
    # c: 3*3*4*4 weights + 4 biases; tied: its own 4 biases, c's weights
    assert d.total_params == 3 * 3 * 4 * 4 + 4 + 4
    assert (d["tied"].weights, d["tied"].biases) == (0, 4)
    assert d["tied"].note == "shares the weights of c (counted there)"
    assert d.to_json()["layers"][1]["shares_only"] == "weights"
    with pytest.raises(SpecError, match="shares_only must be weights or biases"):
        loads("input: 8x8x4\nlayers:\n  - {name: c, kind: conv, channels: 4, kernel: 3}\n"
              "  - {name: t, kind: conv, channels: 4, kernel: 3, shares: c, shares_only: bias}\n")


NEW_KINDS = """
input: 20x18x8
layers:
  - {name: pad, kind: pad, before: [1, 0], after: [2, 3], mode: reflect}
  - {name: same, kind: conv, channels: 8, kernel: 3, stride: 2, padding: tf_same}
  - {name: up, kind: upsample, scale: 3/2, mode: bilinear}
  - {name: crop, kind: crop, before: [2, 1], after: [0, 1]}
  - {name: shuffle, kind: pixel_unshuffle, factor: 2}
  - {name: unshuffle, kind: pixel_shuffle, factor: 2}
  - {name: scale, kind: scale}
  - {name: drop, kind: drop_path}
  - {name: x3, kind: elementwise, op: mul}
  - {name: half, kind: split, sizes: [3, 5], index: 1}
  - {name: perpos, kind: channel_linear, features: 6}
"""


def test_new_kinds_in_a_spec():
    d = loads(NEW_KINDS).derive()
    # pad: 20 + 1 + 2 = 23, 18 + 0 + 3 = 21; tf_same stride 2: ceil(23/2) = 12, ceil(21/2) = 11
    assert d["pad"].output.dims == (23, 21, 8) and d["same"].output.dims == (12, 11, 8)
    # upsample 3/2: floor(18) = 18, floor(16.5) = 16; crop 2 + 0 from H, 1 + 1 from W: 16 x 14
    assert d["up"].output.dims == (18, 16, 8) and d["crop"].output.dims == (16, 14, 8)
    # pixel unshuffle by 2: 8 x 7 x 32, and back: 16 x 14 x 8
    assert d["shuffle"].output.dims == (8, 7, 32) and d["unshuffle"].output.dims == (16, 14, 8)
    # split [3, 5] takes the second part: 5 channels; an FC over them: 5*6 + 6 = 36 parameters
    assert d["half"].output.dims == (16, 14, 5) and d["perpos"].params == 36
    assert d["scale"].params == 8  # one scale per channel


def test_pixel_unshuffle_needs_a_size_it_divides():
    message = r"line 3, layer u \(input 15x16x4\): input H 15 is not divisible by the factor R = 2"
    with pytest.raises(SpecError, match=message):
        loads("input: 15x16x4\nlayers:\n  - {name: u, kind: pixel_unshuffle, factor: 2}\n", source="net.yaml")


def test_the_writer_round_trips_every_kind():
    for source in (NEW_KINDS, SPLIT_MERGE, AUX, INVERTED):
        net = loads(source)
        again = loads(dumps(net))
        wiring = [(layer.name, names) for layer, names in sources(net.layers)]
        assert [(layer.name, names) for layer, names in sources(again.layers)] == wiring
        assert [_fields(layer) for layer in again.layers] == [_fields(layer) for layer in net.layers]
        assert again.input == net.input
        assert again.derive().to_json()["layers"] == net.derive().to_json()["layers"]


def _fields(layer):
    """A layer's kind and fields, all but its inputs (the wiring is compared on its own)."""
    return type(layer).__name__, {f.name: getattr(layer, f.name) for f in fields(layer) if f.name != "inputs"}


@pytest.mark.parametrize("name", ["resnet18", "mobilenet-v2", "alexnet"])
def test_the_writer_round_trips_the_zoo(name):
    net = load(name)
    assert loads(dumps(net)).derive().to_json() == net.derive().to_json()


@pytest.mark.parametrize("lang, title, note", [
    ("en", "Output tensor size of an upsampling layer", "Runs only in training"),
    ("ko", "업샘플링 층의 출력 텐서 크기", "학습할 때만 실행되는 층"),
])
def test_reports_work_the_new_layers_out(lang, title, note):
    from symcnn import report

    md = report(loads(NEW_KINDS), "md", lang=lang)
    # the upsampling's worked step: floor(I U) with the tf_same conv's 12 and U = 3/2: floor(18) = 18
    assert title in md and "\\left\\lfloor{12 \\times \\frac{3}{2}}\\right\\rfloor = 18" in md
    tex = report(loads(AUX), "tex", lang=lang)
    assert note in tex and "aux\\_conv" in tex


REPEATED = """
input: 8x8x3
blocks:
  pair:
    params: {bias: true}
    layers:
      - {name: a, kind: conv, channels: 8, kernel: 3, padding: 1}
      - {name: b, kind: conv, channels: 8, kernel: 3, padding: 1, bias: $bias}
layers:
  - {block: pair, name: p, repeat: 2}
  - {block: pair, name: q, args: {bias: false}}
  - {name: sum, kind: add, from: [p.1, q]}
  - {name: c, kind: conv, channels: 8, kernel: 3, padding: 1}
  - {name: d, kind: conv, channels: 8, kernel: 3, padding: 1, training: true}
"""


def test_a_repeated_item_is_read_once_and_keeps_its_own_name_and_inputs():
    """The reader builds a layer of given values once and copies it under each name: the copies
    keep every value that differs (a bias off, training only) and their own inputs."""
    net = loads(REPEATED)
    d = net.derive()
    # p.0.a reads 3 channels: 3*3*3*8 = 216 weights + 8 biases = 224; every later conv reads 8:
    # 3*3*8*8 = 576 weights, + 8 biases = 584, or 576 without (q.b, $bias false)
    assert [d[n].params for n in ("p.0.a", "p.0.b", "p.1.a", "p.1.b", "q.a", "c", "d")] == [224, 584, 584, 584, 584,
                                                                                             584, 584]
    assert d["q.b"].params == 576
    assert [layer.name for layer in net.layers][:4] == ["p.0.a", "p.0.b", "p.1.a", "p.1.b"]
    # a block item names its last layer: p.1 is p.1.b, q is q.b
    assert net["sum"].inputs == ("p.1.b", "q.b") and net["q.b"].inputs == () and net["c"].inputs == ()
    assert not net["c"].training and net["d"].training
    # a copy equals the layer its values build through the class, and works out the same signature
    built = Conv("p.1.b", channels=8, kernel=3, padding=1)
    assert net["p.1.b"] == built and signature(net["p.1.b"]) == signature(built)


def test_renamed_checks_again_what_depends_on_the_number_of_inputs():
    from symcnn.errors import LayerError
    from symcnn.layers import Add, Conv2d

    add = Add("sum", inputs=("a", "b"))
    assert add.renamed("sum2", ("c", "d")) == Add("sum2", inputs=("c", "d"))
    with pytest.raises(LayerError, match="at least two inputs"):
        add.renamed("sum3", ("c",))
    conv = Conv2d("c", channels=8, kernel=3)
    assert conv.renamed("c2").name == "c2" and conv.renamed("c2").kernel == conv.kernel
