"""``check-doc --network`` on the ways people write about a network: labels of a kind, sizes
of a layer's parts, totals of the network, its kinds of layers and its blocks, and
``--network auto``. Every document below is written for this test in the style found in
published notes; every figure is computed by hand here.

VGG-16 (224x224x3, torchvision's), by hand: a 3x3 convolution from C to N channels has
(3*3*C + 1)*N parameters, a fully connected layer from F' to F has F'*F + F.
"""

from __future__ import annotations

import pytest

from symcnn.checkdoc import check_document
from symcnn.checkdoc.netauto import choose

CONV = {  # (C, N) of each block's convolutions
    1: [(3, 64), (64, 64)],
    2: [(64, 128), (128, 128)],
    3: [(128, 256), (256, 256), (256, 256)],
    4: [(256, 512), (512, 512), (512, 512)],
    5: [(512, 512), (512, 512), (512, 512)],
}
BLOCK = {k: sum((9 * c + 1) * n for c, n in convs) for k, convs in CONV.items()}
FC = [(7 * 7 * 512, 4096), (4096, 4096), (4096, 1000)]
FC_TOTAL = sum(f_in * f + f for f_in, f in FC)
CONV_TOTAL = sum(BLOCK.values())
TOTAL = CONV_TOTAL + FC_TOTAL


def test_the_hand_figures():
    assert BLOCK == {1: 38_720, 2: 221_440, 3: 1_475_328, 4: 5_899_776, 5: 7_079_424}
    assert (CONV_TOTAL, FC_TOTAL, TOTAL) == (14_714_688, 123_642_856, 138_357_544)


def wrong(result) -> list[tuple[int, str]]:
    return [(c.line, c.written) for c in result.claims if not c.ok]


def lines(result) -> set[int]:
    return {c.line for c in result.claims}


# -- names: a label given every layer of a kind is no layer's name ---------------------------

POOL_LABEL = """Sizes, one row per layer:

IN: [224x224x3]
C3-64: [224x224x64]
C3-64: [224x224x64]
POOL2: [112x112x64]
C3-128: [112x112x128]
C3-128: [112x112x128]
POOL2: [56x56x128]
"""


def test_a_label_on_every_pool_row_is_not_the_second_pool():
    # POOL2 (a 2x2 pool) heads two rows: read as VGG's pool2 (56x56x128), the first row would
    # be "wrong"; it is the author's label for every 2x2 pool, so neither row is read
    result = check_document(POOL_LABEL, network="vgg16")
    assert wrong(result) == []
    assert not {6, 9} & lines(result)


def test_a_name_on_one_row_is_still_that_layer():
    # the same table with POOL2 once: it is read as the second max pool, 56x56x128
    once = "Sizes:\n\nC3-64: [224x224x64]\nPOOL1: [112x112x64]\nPOOL2: [56x56x128]\n"
    assert 5 in lines(check_document(once, network="vgg16"))
    # 28x28x128 is neither its output nor its input (112x112x128)
    slip = "Sizes:\n\nC3-64: [224x224x64]\nPOOL1: [112x112x64]\nPOOL2: [28x28x128]\n"
    assert wrong(check_document(slip, network="vgg16")) == [(5, "28x28x128")]


def test_a_name_followed_by_a_number_is_another_name():
    # CONV3-64 is a 3x3 convolution of 64 kernels, not AlexNet's conv3 (13x13x384)
    doc = "Layers:\n\nCONV3-64: [224x224x64] memory 3.2M\n\nconv3 gives 13x13x384.\n"
    result = check_document(doc, network="alexnet")
    assert wrong(result) == []
    assert lines(result) == {5}


# -- sizes: a part of a layer, an input said with "output", a vector as a grid ----------------

def test_a_size_after_a_part_word_is_that_part():
    # AlexNet's conv1: 96 kernels 11x11x3, bias vector 96, output 55x55x96
    doc = ("* Layer 1 (CONV1): 96 filters\n"
           "    * Size: 55 x 55 x 96\n"
           "    * Weight: 11x11x3 x 96\n"
           "    * Bias: 1 x 96\n")
    result = check_document(doc, network="alexnet")
    assert wrong(result) == []
    assert 2 in lines(result) and 4 not in lines(result)  # the bias vector is no size of the layer


def test_a_window_size_is_checked_as_the_kernel():
    # pool1 of AlexNet has a 3x3 window (27x27x96 out); a 2x2 window is not read as its output
    right = "pool1 is a max pool; the window size is 3 x 3.\n"
    assert [(c.line, c.ok) for c in check_document(right, network="alexnet").claims] == [(1, True)]
    other = "pool1 is a max pool; the window size is 2 x 2.\n"
    assert check_document(other, network="alexnet").claims == ()


def test_a_size_pooled_from_a_named_conv_is_not_the_convs():
    # "the maps of conv2 are pooled in units of 3x3": a window of the pooling, not conv2's size
    doc = "The 256 maps of conv2 are pooled in units of 3x3 to give pool2.\n"
    assert wrong(check_document(doc, network="alexnet")) == []


def test_an_input_said_as_the_previous_output():
    # pool1's input is conv1's output, 55x55x96 (pool1 itself gives (55 - 3)/2 + 1 = 27)
    doc = "## pool1\n\nThe input of this layer is the output of conv1, a 55x55x96 volume.\n"
    result = check_document(doc, network="alexnet")
    assert wrong(result) == []
    assert lines(result) == {3}


def test_a_vector_laid_out_as_a_grid():
    # AlexNet's fc3 has 1000 outputs: 25 x 40 = 1000 is the same vector as a grid, 25 x 41 is not
    assert wrong(check_document("fc3 has 1000 nodes, shown as a 25x40 grid.\n", network="alexnet")) == []
    assert wrong(check_document("fc3 has 1000 nodes, shown as a 25x41 grid.\n", network="alexnet")) == [
        (1, "25x41")]


# -- totals -------------------------------------------------------------------------------

TOTALS = f"""Parameter count:

```
Block 1: (3*3*3+1)*64 + (3*3*64+1)*64 = {BLOCK[1]:,}
Block 2: (3*3*64+1)*128 + (3*3*128+1)*128 = {BLOCK[2]:,}
Block 3: 3*(3*3*256+1)*256 = 1,770,240
Total: ≈ 138M parameters
```

Split:
  Conv layers: ~14.7M (11% of total)
  FC layers: 123.6M (99% of total, the params are in FC)
"""


def test_block_group_and_whole_totals():
    result = check_document(TOTALS, network="vgg16")
    totals = {c.line: (c.ok, c.derived.split(" (")[0]) for c in result.claims if c.how == "total"}
    # block 3 written as three convs from 256 channels: its first reads 128 (1,475,328)
    # 14.7M is 14,714,688 to the places written, and 14,714,688 / 138,357,544 = 10.6 %: 11 %;
    # 123.6M is right but 123,642,856 / 138,357,544 = 89.4 %, not 99 %
    assert totals == {
        4: (True, f"{BLOCK[1]:,}"), 5: (True, f"{BLOCK[2]:,}"), 6: (False, f"{BLOCK[3]:,}"),
        7: (True, f"{TOTAL:,}"), 11: (True, f"{CONV_TOTAL:,}"), 12: (False, f"{FC_TOTAL:,}"),
    }
    assert round(100 * CONV_TOTAL / TOTAL) == 11 and round(100 * FC_TOTAL / TOTAL) == 89
    share = next(c.derived for c in result.claims if c.line == 12)
    assert share == f"{FC_TOTAL:,} ({100 * FC_TOTAL / TOTAL:.1f}% of {TOTAL:,})" == "123,642,856 (89.4% of 138,357,544)"


def test_a_block_named_on_the_line_above():
    # a "[Block 2]" line, then its parameters computed below it: 2x(128x128x9 + 128) = 295,168
    # takes 128 inputs for the first conv too (it has 64: 221,440)
    doc = "```\n[Block 2] 2 convs + pool\n    Params: 2*(128*128*3*3 + 128) = 295,168\n```\n"
    result = check_document(doc, network="vgg16")
    assert 2 * (128 * 128 * 9 + 128) == 295_168
    assert [(c.line, c.ok, c.derived) for c in result.claims] == [(3, False, f"{BLOCK[2]:,}")]


@pytest.mark.parametrize("sentence, ok", [
    ("VGG-16 has about 138 million parameters.", True),
    ("VGG-16 has 150M parameters.", False),  # 150M: 138,357,544 is 140M to two figures
    ("TOTAL params: 138,357,544", True),
    ("总参数量: 138,357,544", True),
    ("VGG-19 has 144M parameters.", None),  # another network: not read
    ("Each layer of VGG-16 has fewer than 3M parameters.", None),
])
def test_whole_network_totals(sentence, ok):
    found = [c.ok for c in check_document(sentence + "\n", network="vgg16").claims if c.how == "total"]
    assert found == ([] if ok is None else [ok])


def test_a_total_of_activations():
    # the values a forward pass holds: conv, pool and fc outputs (with torchvision's 7x7 average
    # pool), 15,112,168; with the input 15,262,696; with every ReLU's output too, more
    convs = 2 * 224 * 224 * 64 + 2 * 112 * 112 * 128 + 3 * 56 * 56 * 256 + 3 * 28 * 28 * 512 + 3 * 14 * 14 * 512
    pools = 112 * 112 * 64 + 56 * 56 * 128 + 28 * 28 * 256 + 14 * 14 * 512 + 7 * 7 * 512 + 7 * 7 * 512
    assert convs + pools + 4096 + 4096 + 1000 == 15_112_168
    doc = "Per layer values above.\nTOTAL memory: {} * 4 bytes ~= 60MB / image\n"
    assert [c.ok for c in check_document(doc.format("15M"), network="vgg16").claims] == [True]
    assert [c.ok for c in check_document(doc.format("24M"), network="vgg16").claims] == [False]


def test_a_conv_that_leaves_1x1_may_be_counted_as_fully_connected():
    # LeNet-5's C5 (5x5 kernels on 5x5x16, 120 maps, 1x1 out) is often counted with the FC layers:
    # convs 156 + 2,416 = 2,572 (or with C5's 48,120: 50,692); FC 48,120 + 10,164 + 850 = 59,134
    c1, c3, c5 = (25 * 1 + 1) * 6, (25 * 6 + 1) * 16, (25 * 16 + 1) * 120
    f6, out = 120 * 84 + 84, 84 * 10 + 10
    assert (c1 + c3, c5 + f6 + out) == (2_572, 59_134)
    doc = f"Number of parameters:\n- Conv layers: {c1 + c3:,}\n- FC layers: {c5 + f6 + out:,}\n"
    assert [c.ok for c in check_document(doc, network="lenet5").claims] == [True, True]


# -- --network auto ---------------------------------------------------------------------------

def test_auto_chooses_the_network_named_most():
    assert choose("VGG-16 in detail. VGG16 stacks 3x3 convolutions; VGG keeps them small.")[0] == "vgg16"
    assert choose("AlexNet, then VGG-16: AlexNet used 11x11 kernels, VGG16 3x3.")[0] is None
    assert choose("ResNet-34 has 21.8M parameters; ResNet-34 is deep.")[0] is None  # not built in


def test_auto_checks_against_the_chosen_network_and_says_which():
    doc = "# VGG-16\n\nVGG-16 has 138M parameters.\n"
    result = check_document(doc, network="auto")
    assert result.network == "vgg16"
    assert [(c.line, c.ok) for c in result.claims] == [(3, True)]


def test_auto_skips_when_unclear():
    doc = "AlexNet has 62M parameters and VGG-16 has 138M parameters.\n"
    result = check_document(doc, network="auto")
    assert result.claims == ()
    assert [s.reason for s in result.skips] == ["uncertain network"]


def test_auto_leaves_a_variant_alone():
    # a LeNet of other sizes: its total is not LeNet-5's 61,706 (156 + 2,416 + 48,120 + 10,164 + 850)
    assert 156 + 2_416 + 48_120 + 10_164 + 850 == 61_706
    doc = "# LeNet\n\nOur LeNet has 431,080 parameters.\n\nLeNet trains fast.\n"
    result = check_document(doc, network="auto")
    assert result.claims == ()
    assert "uncertain network" in [s.reason for s in result.skips]


# -- an HTML table cell of math without TeX, then its value ---------------------------------

def test_mathml_in_a_table_cell_does_not_join_the_cell_before():
    page = ("<table><tr><th>layer</th><th>parameters</th><th>MACs</th></tr>"
            "<tr><td>conv1</td><td>34,944</td><td><math><mi>I</mi><mo>+</mo><mn>1</mn></math> = 105,415,200</td>"
            "</tr></table>\n")
    result = check_document(page, syntax="html")
    assert result.wrong == ()
    assert "mathml" in [s.reason for s in result.skips]


def test_a_count_of_layers_and_a_network_without_its_head():
    # "Conv layers: 13" counts layers; VGG-16's convolutions alone hold 14,714,688 (Keras'
    # include_top=False summary gives that as its total)
    doc = f"Parameters:\n- Conv layers: 13\n- FC layers: 3\n\nTotal params: {CONV_TOTAL:,}\n"
    assert [(c.line, c.ok) for c in check_document(doc, network="vgg16").claims] == [(5, True)]


@pytest.mark.parametrize("sentence", [
    "LeNet-5's C3 has 1,516 parameters.",  # C3's count (the paper's: 60 connections x 25 + 16)
    "In LeNet-5, layer 3 holds 1,516 parameters.",
    "LeNet-5共有7层, C1层有156个参数。",
])
def test_a_sentence_naming_a_layer_gives_no_network_total(sentence):
    assert 60 * 25 + 16 == 1_516 and (25 + 1) * 6 == 156
    assert [c for c in check_document(sentence + "\n", network="lenet5").claims if c.how == "total"] == []


@pytest.mark.parametrize("sentence", [
    "很多人问 AlexNet 的 6000 多万参数在哪里。",  # "more than 60 million": a bound, not a figure
    "AlexNet has over 60M parameters.",
    "AlexNet 有多少参数，这里算一遍。输入为 227×227×3。",  # a size after the word, in another sentence
])
def test_a_bound_or_a_size_is_no_total(sentence):
    assert [c for c in check_document(sentence + "\n", network="alexnet").claims if c.how == "total"] == []


def test_a_total_in_thousands_with_a_small_k():
    # LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters, 61.7k to three figures
    assert 156 + 2_416 + 48_120 + 10_164 + 850 == 61_706
    right = check_document("LeNet-5 has 61.7k parameters.\n", network="lenet5")
    slip = check_document("LeNet-5 has 51.7k parameters.\n", network="lenet5")
    assert [(c.line, c.ok, c.written) for c in right.claims] == [(1, True, "61.7k")]
    assert [(c.line, c.ok, c.written) for c in slip.claims] == [(1, False, "51.7k")]
    # a figure glued to other letters is not a count: 60.7kB is a size in bytes
    assert check_document("LeNet-5 has 60.7kB of parameters.\n", network="lenet5").claims == ()
