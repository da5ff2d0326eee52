"""The reference models in torch_zoo are the networks they claim to be.

Later tests compare symcnn against these models, so here they are pinned to
published figures: parameter totals, per-layer counts and output shapes.
"""

from functools import cache

import pytest
from conftest import require

torch_zoo = require("torch_zoo")  # the reference models: they need torch

from zoo_figures import EXPECTED_PARAMS  # noqa: E402

# The blog article's per-layer parameters: conv1..conv5, fc6, fc7, fc8.
ALEXNET_LAYER_PARAMS = [
    34_944, 614_656, 885_120, 1_327_488, 884_992, 37_752_832, 16_781_312, 4_097_000,
]  # fmt: skip

# Residual additions per network: ResNet-18 has 2+2+2+2 blocks, ResNet-50 3+4+6+3;
# MobileNetV2 skips only where stride is 1 and channels stay (10 of its 17 blocks).
RESIDUAL_BLOCKS = {"resnet18": 8, "resnet50": 16, "mobilenet-v2": 10}


@cache
def built(name):
    return torch_zoo.build(name)


def model(name):
    return built(name)[0]


@cache
def default_trace(name):
    return tuple(torch_zoo.trace(*built(name)))


def by_name(records, name):
    [record] = [r for r in records if r["name"] == name]
    return record


def test_every_network_has_a_figure():
    assert set(torch_zoo.BUILDERS) == set(EXPECTED_PARAMS)


@pytest.mark.parametrize("name", EXPECTED_PARAMS)
def test_total_params(name):
    assert torch_zoo.count_params(model(name)) == EXPECTED_PARAMS[name]


@pytest.mark.parametrize("name", EXPECTED_PARAMS)
def test_trace_accounts_for_every_param(name):
    assert sum(r["params"] for r in default_trace(name)) == EXPECTED_PARAMS[name]


@pytest.mark.parametrize("name", EXPECTED_PARAMS)
def test_output_shape(name):
    expected = (10,) if name == "lenet5" else (1000,)
    assert default_trace(name)[-1]["shape"] == expected


@pytest.mark.parametrize("name", EXPECTED_PARAMS)
def test_buffers_are_batchnorm_running_stats(name):
    # Each BatchNorm2d(C) has 2C parameters (weight, bias) and 2C buffers (mean, var).
    records = default_trace(name)
    bn_params = sum(r["params"] for r in records if r["type"] == "BatchNorm2d")
    assert sum(r["buffers"] for r in records) == bn_params


@pytest.mark.parametrize("name", EXPECTED_PARAMS)
def test_residual_block_records(name):
    blocks = [r for r in default_trace(name) if r["kind"] == "block"]
    assert len(blocks) == RESIDUAL_BLOCKS.get(name, 0)
    assert all(r["params"] == 0 and r["buffers"] == 0 for r in blocks)


def test_lenet5_layer_shapes():
    shapes = [r["shape"] for r in default_trace("lenet5") if r["type"] != "Tanh"]
    assert shapes == [
        (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5), (120, 1, 1),  # C1 S2 C3 S4 C5
        (120,), (84,), (10,),  # flatten F6 output
    ]  # fmt: skip


def test_alexnet_article_layers():
    records = default_trace("alexnet")
    weighted = [r for r in records if r["type"] in ("Conv2d", "Linear")]
    assert [r["params"] for r in weighted] == ALEXNET_LAYER_PARAMS
    assert weighted[4]["shape"] == (256, 13, 13)  # conv5
    assert by_name(records, "flatten")["shape"] == (9216,)


def test_alexnet_paper_differs_only_by_grouping():
    plain = [r for r in default_trace("alexnet") if r["type"] == "Conv2d"]
    paper = [r for r in default_trace("alexnet-paper") if r["type"] == "Conv2d"]
    assert [r["shape"] for r in paper] == [r["shape"] for r in plain]
    # groups=2 halves the weights of conv2, conv4 and conv5, not their biases.
    biases = [96, 256, 384, 384, 256]
    for i in (1, 3, 4):
        assert paper[i]["params"] - biases[i] == (plain[i]["params"] - biases[i]) // 2
    assert [paper[i]["params"] for i in (0, 2)] == [plain[i]["params"] for i in (0, 2)]


def test_resnet18_default_stages():
    # 224: conv1 floor((224 + 2*3 - 7)/2) + 1 = 112, maxpool floor((112 + 2 - 3)/2) + 1 = 56;
    # layer1 keeps 56, layers 2-4 halve it (stride 2, padding 1, 3x3): 28, 14, 7.
    records = default_trace("resnet18")
    assert by_name(records, "maxpool")["shape"] == (64, 56, 56)
    assert [by_name(records, f"layer{i}.1")["shape"] for i in (1, 2, 3, 4)] == [
        (64, 56, 56), (128, 28, 28), (256, 14, 14), (512, 7, 7),
    ]  # fmt: skip


# As above: 193 -> 97 -> 49 -> 25 -> 13 -> 7 (test_zoo.py); 256 -> 128 -> 64 -> 32 -> 16 -> 8;
# 320 -> 160 -> 80 -> 40 -> 20 -> 10 (each floor((x + 2 - 3)/2) + 1 = ceil(x/2)).
@pytest.mark.parametrize("size, side", [(193, 7), (256, 8), (320, 10)])
def test_resnet18_layer4_at_other_sizes(size, side):
    records = torch_zoo.trace(model("resnet18"), (3, size, size))
    assert by_name(records, "layer4.1")["shape"] == (512, side, side)
    assert records[-1]["shape"] == (1000,)


def test_vgg16_at_256():
    # 3x3 convs with padding 1 keep the size; five 2x2 max pools of stride 2: 256 / 2^5 = 8.
    # The adaptive pool then gives 7x7 whatever comes in.
    records = torch_zoo.trace(model("vgg16"), (3, 256, 256))
    features = [r for r in records if r["name"].startswith("features.")]
    assert features[-1]["shape"] == (512, 8, 8)
    assert by_name(records, "avgpool")["shape"] == (512, 7, 7)
    assert records[-1]["shape"] == (1000,)


def test_mobilenet_v2_head():
    # Five stride-2 stages (the stem and four of the seven bottleneck stages): 224 / 2^5 = 7;
    # the last 1x1 conv widens to 1,280 channels, the adaptive pool gives 1x1.
    records = default_trace("mobilenet-v2")
    assert by_name(records, "features.18.0")["shape"] == (1280, 7, 7)
    assert by_name(records, "avgpool")["shape"] == (1280, 1, 1)


def test_torchvision_state_dict_names():
    # A few keys as torchvision's own state_dicts spell them.
    assert {"features.28.weight", "classifier.6.bias"} <= model("vgg16").state_dict().keys()
    assert {
        "layer2.0.downsample.0.weight",
        "layer2.0.downsample.1.running_var",
        "fc.weight",
    } <= model("resnet18").state_dict().keys()
    assert {
        "features.0.0.weight",
        "features.1.conv.1.weight",
        "features.2.conv.3.running_mean",
        "features.18.1.bias",
        "classifier.1.weight",
    } <= model("mobilenet-v2").state_dict().keys()


def test_builders_make_initialised_models():
    # build() zeroes the weights; the builders themselves must give usable models.
    net = torch_zoo.BUILDERS["lenet5"][0]()
    assert torch_zoo.count_params(net) == EXPECTED_PARAMS["lenet5"]
    assert any(p.abs().sum() > 0 for p in net.parameters())


def test_trace_leaves_the_model_as_it_was():
    net = torch_zoo.lenet5()
    net.train()
    torch_zoo.trace(net, (1, 32, 32))
    assert net.training
    assert all(not m._forward_hooks for m in net.modules())
