"""The article's AlexNet, every number checked against the article (and corrected where it errs)."""

import pytest

import symcnn

# (layer, output H x W x C, params) as the source article derives them. The article's
# summary gives Conv-5 as 27x27x256, but conv5 keeps the 13x13 size (3x3 kernel, stride 1,
# padding 1: (13 - 3 + 2*1)/1 + 1 = 13), and its own pool3 then gives 6x6x256.
ARTICLE = [
    ("conv1", [55, 55, 96], 34_944),
    ("pool1", [27, 27, 96], 0),
    ("conv2", [27, 27, 256], 614_656),
    ("pool2", [13, 13, 256], 0),
    ("conv3", [13, 13, 384], 885_120),
    ("conv4", [13, 13, 384], 1_327_488),
    ("conv5", [13, 13, 256], 884_992),
    ("pool3", [6, 6, 256], 0),
    ("fc1", [4096], 37_752_832),
    ("fc2", [4096], 16_781_312),
    ("fc3", [1000], 4_097_000),
]


@pytest.fixture(scope="module")
def alexnet():
    return symcnn.load("alexnet").derive()


@pytest.mark.parametrize("name, output, params", ARTICLE, ids=[a[0] for a in ARTICLE])
def test_layer(alexnet, name, output, params):
    d = alexnet[name]
    assert d.output.to_json() == output
    assert d.params == params


def test_layer_order_and_totals(alexnet):
    assert [d.name for d in alexnet.layers] == [a[0] for a in ARTICLE]
    assert alexnet.total_params == 62_378_344  # the article's total
    assert alexnet.params_of("conv") == 3_747_200  # the article's conv total
    assert sum(p for _, _, p in ARTICLE) == 62_378_344  # the rows add up to the article's total
    assert alexnet.total_params == sum(d.params for d in alexnet.layers)


def test_conv1_worked_example(alexnet):
    # The article: O = (227 - 11 + 2*0)/4 + 1 = 55; W_c = 11^2 x 3 x 96 = 34,848; B_c = 96;
    # P_c = 34,848 + 96 = 34,944 (the article misprints 94,848 + 96).
    conv1 = alexnet["conv1"]
    out, w, b, p = conv1.steps
    assert out.text() == "O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55"
    assert (w.value, b.value, p.value) == (11**2 * 3 * 96, 96, 34_848 + 96)
    assert p.text() == "P_c = W_c + B_c = 34,848 + 96 = 34,944"
    assert out.rounding == "exact" and out.unrounded is None


def test_fc_worked_examples(alexnet):
    # FC-1: W_cf = 6^2 x 256 x 4096 = 37,748,736; FC-3: W_ff = 4096 x 1000 = 4,096,000.
    assert alexnet["fc1"].formulas == ("fc-conv-params",)
    assert alexnet["fc1"].weights == 6**2 * 256 * 4096 == 37_748_736
    assert alexnet["fc3"].formulas == ("fc-fc-params",)
    assert alexnet["fc3"].weights == 4096 * 1000 == 4_096_000
    assert alexnet["fc2"].params == 4096 * 4096 + 4096 == 16_781_312


def test_pool1_worked_example(alexnet):
    # The article: O = (55 - 3)/2 + 1 = 27.
    (step,) = alexnet["pool1"].steps
    assert step.text() == "O = (I - P_s)/S + 1 = (55 - 3)/2 + 1 = 27"
    assert alexnet["pool1"].params == 0
