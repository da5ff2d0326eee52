"""Networks as graphs: residual additions and concatenations wired through ``inputs``."""

import pytest

import symcnn
from symcnn import Add, BatchNorm, Concat, Conv, MaxPool, Network, ReLU


def basic_block(channels=64, size=56):
    """ResNet's basic block without a projection: conv-bn-relu-conv-bn, plus the input."""
    return Network("block", f"{size}x{size}x{channels}", [
        Conv("conv1", channels=channels, kernel=3, padding=1, bias=False),
        BatchNorm("bn1"),
        ReLU("relu1"),
        Conv("conv2", channels=channels, kernel=3, padding=1, bias=False),
        BatchNorm("bn2"),
        Add("add", inputs=("bn2", "input")),
        ReLU("relu2"),
    ], rounding="floor")


def test_residual_block_totals():
    d = basic_block().derive()
    # Two 3x3 convs of 64 -> 64 without bias: 2 * 3^2 * 64 * 64 = 2 * 36,864 = 73,728;
    # two batch norms of 2 * 64 = 128 each: 256. In all 73,984 (torchvision's BasicBlock(64, 64)).
    assert d.total_params == 73_984
    # Buffers: 2 * (64 + 64 + 1) = 258, kept apart from the params.
    assert d.total_buffers == 258
    assert d.to_json()["total_buffers"] == 258 and d.to_json()["total_params"] == 73_984
    assert d["add"].output.to_json() == [56, 56, 64]
    assert d["add"].type == "add" and d["add"].params == 0
    assert d.output.to_json() == [56, 56, 64]


def downsampling_block():
    """ResNet's basic block from 64 to 128 channels at stride 2, with a 1x1 projection of the input."""
    return Network("down", "56x56x64", [
        Conv("conv1", channels=128, kernel=3, stride=2, padding=1, bias=False),
        BatchNorm("bn1"),
        ReLU("relu1"),
        Conv("conv2", channels=128, kernel=3, padding=1, bias=False),
        BatchNorm("bn2"),
        Conv("proj", channels=128, kernel=1, stride=2, bias=False, inputs=("input",)),
        BatchNorm("proj_bn"),
        Add("add", inputs=("bn2", "proj_bn")),
        ReLU("relu2"),
    ], rounding="floor")


def test_downsampling_block_with_a_projection():
    d = downsampling_block().derive()
    # Main path: (56 + 2 - 3)/2 -> 27 + 1 = 28. Projection: (56 - 1)/2 -> 27 + 1 = 28.
    assert d["bn2"].output.to_json() == d["proj_bn"].output.to_json() == [28, 28, 128]
    # 3^2*64*128 = 73,728; 3^2*128*128 = 147,456; 1*64*128 = 8,192; three BNs of 256:
    # 73,728 + 147,456 + 8,192 + 768 = 230,144 (torchvision's BasicBlock(64, 128, stride 2) with downsample).
    assert d.total_params == 230_144


def test_inception_style_concat():
    net = Network("mixed", "28x28x192", [
        Conv("b1", channels=64, kernel=1, inputs=("input",)),
        Conv("b2", channels=128, kernel=3, padding=1, inputs=("input",)),
        MaxPool("b3", kernel=3, stride=1, padding=1, inputs=("input",)),
        Concat("cat", inputs=("b1", "b2", "b3")),
    ], rounding="floor")
    d = net.derive()
    # Channels 64 + 128 + 192 = 384 at 28x28.
    assert d["cat"].output.to_json() == [28, 28, 384]
    assert d["cat"].type == "concat"
    # 1*1*192*64 + 64 = 12,352; 3^2*192*128 + 128 = 221,312; pooling 0.
    assert d.total_params == 12_352 + 221_312


MISMATCHES = [
    pytest.param(
        Conv("b", channels=32, kernel=1, inputs=("input",)), Add("sum", inputs=("a", "b")),
        "sum (input 8x8x16, 8x8x32): inputs 'a' (8x8x16) and 'b' (8x8x32) differ in shape; "
        "addition needs equal shapes",
        id="add-shapes",
    ),
    pytest.param(
        MaxPool("b", kernel=2, inputs=("input",)), Concat("cat", inputs=("a", "b")),
        "cat (input 8x8x16, 4x4x16): inputs 'a' (8x8x16) and 'b' (4x4x16) differ in spatial size; "
        "concatenation needs equal sizes",
        id="concat-spatial",
    ),
]


@pytest.mark.parametrize("branch, merge, message", MISMATCHES)
def test_merge_mismatch_names_both_inputs(branch, merge, message):
    net = Network("bad", "8x8x16", [Conv("a", channels=16, kernel=1), branch, merge])
    with pytest.raises(symcnn.ShapeError) as e:
        net.derive()
    assert str(e.value) == message


def test_merges_need_two_inputs():
    with pytest.raises(symcnn.LayerError, match="sum: needs at least two inputs, got \\['a'\\]"):
        Add("sum", inputs=("a",))
    with pytest.raises(symcnn.LayerError, match="needs at least two inputs"):
        Concat("cat")


def test_inputs_must_name_earlier_layers():
    with pytest.raises(symcnn.LayerError, match="input 'later' is not an earlier layer"):
        Network("n", "8x8x1", [Add("sum", inputs=("input", "later")), ReLU("later")])


def test_symbolic_channels_through_a_concat():
    d = Network("sym", "8x8x3", [
        Conv("a", channels="N", kernel=1, inputs=("input",)),
        Conv("b", channels=5, kernel=1, inputs=("input",)),
        Concat("cat", inputs=("a", "b")),
    ]).derive()
    assert d["cat"].output.channels == symcnn.N + 5
