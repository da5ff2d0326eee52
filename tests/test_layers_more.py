"""The layers beyond the article's: formulas checked by hand, and the rules each layer enforces."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, Rational, Symbol, simplify

import symcnn
from symcnn import (
    LAYER_TYPES,
    AdaptiveAvgPool,
    AvgPool,
    BatchNorm,
    Conv,
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose,
    Flatten,
    GlobalAvgPool,
    GroupNorm,
    Layer,
    Linear,
    MaxPool,
    MaxPool2d,
    Network,
    Shape,
)
from symcnn.formulas import formula
from symcnn.symbols import MEANINGS, D, G, I, K, O, O_a, P, P_o, P_s, S


def derive(layer, shape, rounding="floor"):
    return layer.derive((Shape.parse(shape),), rounding)


# Each general formula with values put in, against the arithmetic done by hand.
FORMULAS = [
    # (65 + 2*0 - 2*(3 - 1) - 1)/2 + 1 = 60/2 + 1 = 31
    pytest.param("conv-output-dilated", {I: 65, P: 0, D: 2, K: 3, S: 2}, 31, id="conv-dilated"),
    # (7 - 1)*2 - 2*1 + 1*(3 - 1) + 1 + 1 = 12 - 2 + 2 + 1 + 1 = 14
    pytest.param("deconv-output", {I: 7, S: 2, P: 1, D: 1, K: 3, P_o: 1}, 14, id="deconv"),
    # (10 + 2*1 - 2*(3 - 1) - 1)/2 + 1 = floor(7/2) + 1 = 4
    pytest.param("pool-output-dilated", {I: 10, P: 1, D: 2, P_s: 3, S: 2}, 4, id="pool-dilated"),
    # O = 4, (4 - 1)*2 = 6 >= 5 + 1: the last window would start in the padding, so 3
    pytest.param("pool-ceil-last-window", {O: 4, S: 2, I: 5, P: 1}, 3, id="ceil-rule-drops"),
    # O = 56, (56 - 1)*2 = 110 < 112 + 0: kept
    pytest.param("pool-ceil-last-window", {O: 56, S: 2, I: 112, P: 0}, 56, id="ceil-rule-keeps"),
    pytest.param("adaptive-pool-output", {O_a: 6}, 6, id="adaptive"),
    # AlexNet paper's conv2 in two groups: 5^2 * (96/2) * 256 = 25 * 48 * 256 = 307,200 weights
    pytest.param("conv-params-grouped", {K: 5, symcnn.C: 96, G: 2, symcnn.N: 256}, 307_200, id="grouped"),
    # batch norm over 64 channels: running mean 64 + running var 64 + one counter = 129
    pytest.param("bn-buffers", {symcnn.C: 64}, 129, id="bn-buffers"),
]


@pytest.mark.parametrize("name, values, expected", FORMULAS)
def test_formula_by_hand(name, values, expected):
    f = formula(name, "floor")
    values = {symbol: Integer(v) for symbol, v in values.items()}
    step = symcnn.steps.make_step(f.parts[0][0], f, values, part=0)
    assert step.value == expected


def test_every_new_symbol_has_a_meaning():
    for name in ("K_d", "P_o", "O_a", "W_n", "B_n", "P_n", "R_n"):
        assert MEANINGS[symcnn.symbols.SYMBOLS[name]]


def test_defaults_keep_the_articles_formulas():
    d = derive(Conv2d("conv1", channels=96, kernel=11, stride=4), "227x227x3", "exact")
    assert d.formulas == ("conv-output", "conv-params")
    assert str(d.steps[0]) == "O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55"


def test_dilated_conv():
    # 32x32x16, 3x3 kernel, dilation 2, padding 2: (32 + 2*2 - 2*(3 - 1) - 1)/1 + 1 = 31 + 1 = 32;
    # weights 3^2 * 16 * 8 = 1,152, biases 8.
    d = derive(Conv("c", channels=8, kernel=3, padding=2, dilation=2), "32x32x16", "exact")
    assert d.output.to_json() == [32, 32, 8]
    assert d.formulas == ("conv-output-dilated", "conv-params")
    assert d.params == 1_160
    assert d.to_json()["dilation"] == [2]
    # Effective kernel 3 + (3 - 1)(2 - 1) = 5.
    assert Conv("c", channels=8, kernel=3, padding=2, dilation=2).window(Shape.parse("32x32x16")) == ((5, 1, 2),) * 2


def test_grouped_and_depthwise_conv():
    # AlexNet paper conv2: 27x27x96 -> 27x27x256, K=5, P=2, G=2: 307,200 + 256 = 307,456.
    d = derive(Conv2d("conv2", channels=256, kernel=5, padding=2, groups=2), "27x27x96", "exact")
    assert d.output.to_json() == [27, 27, 256]
    assert d.params == 307_456
    assert d.formulas == ("conv-output", "conv-params-grouped")
    assert d.to_json()["groups"] == 2
    # Depthwise 3x3 over 32 channels: 3^2 * (32/32) * 32 = 288 weights + 32 biases.
    assert derive(Conv("dw", channels=32, kernel=3, padding=1, groups=32, bias=False), "112x112x32").params == 288


def test_groups_must_divide_both_channel_counts():
    with pytest.raises(symcnn.ShapeError) as e:
        Network("n", "8x8x6", [Conv("c", channels=8, kernel=1, groups=4)]).derive()
    assert str(e.value) == "c (input 8x8x6): input channels C = 6 is not divisible by groups G = 4"
    with pytest.raises(symcnn.LayerError) as e:
        Conv("c", channels=6, kernel=1, groups=4)
    assert str(e.value) == "c: output channels N = 6 is not divisible by groups G = 4"


def test_conv_1d_and_3d():
    # 1-d: (100 - 5 + 0)/2 = 47.5 -> 47, + 1 = 48; weights 5 * 4 * 8 = 160.
    d = derive(Conv1d("c", channels=8, kernel=5, stride=2), "100x4")
    assert d.output.to_json() == [48, 8] and d.weights == 160 and d.formulas[-1] == "conv-params-1d"
    # 3-d with a 3x3x1 kernel, stride 2, no bias: D (8 - 3)/2 -> 2 + 1 = 3, H (16 - 3)/2 -> 6 + 1 = 7,
    # W (16 - 1)/2 -> 7 + 1 = 8; weights 3*3*1 * 4 * 8 = 288.
    d = derive(Conv3d("c", channels=8, kernel=(3, 3, 1), stride=2, bias=False), "8x16x16x4")
    assert d.output.to_json() == [3, 7, 8, 8]
    assert (d.weights, d.biases, d.params) == (288, 0, 288)
    assert d.formulas[-1] == "conv-params-dhw"
    # MACs: 3*7*8 output positions * 288 weights = 48,384.
    assert d.macs == 48_384


def test_rank_is_checked():
    with pytest.raises(symcnn.ShapeError, match=r"c: needs a 2-d feature map \(HxWxC\), got 100x4"):
        derive(Conv2d("c", channels=8, kernel=3), "100x4")
    with pytest.raises(symcnn.ShapeError, match=r"p: needs a 3-d feature map \(DxHxWxC\)"):
        derive(symcnn.MaxPool3d("p", kernel=2), "8x8x3")


def test_same_and_valid_padding():
    d = derive(Conv("c", channels=4, kernel=4, padding="same", dilation=1), "9x9x2")
    assert d.output.to_json() == [9, 9, 4] and d.formulas[0] == "conv-output-same"
    # PyTorch pads D(K - 1) = 3 in all, floor(3/2) = 1 on the left.
    assert Conv("c", channels=4, kernel=4, padding="same").window(Shape.parse("9x9x2")) == ((4, 1, 1),) * 2
    assert Conv("c", channels=4, kernel=3, padding="valid") == Conv("c", channels=4, kernel=3, padding=0)
    with pytest.raises(symcnn.LayerError, match="c: padding must be a size, 'same', 'valid' or 'tf_same', got 'SAME'"):
        Conv("c", channels=4, kernel=3, padding="SAME")
    with pytest.raises(symcnn.LayerError, match="c: padding 'same' needs stride 1"):
        Conv("c", channels=4, kernel=3, padding="same", stride=2)


def test_transposed_conv():
    # 7x7x16 -> (7 - 1)*2 - 2*1 + 1*(3 - 1) + 1 + 1 = 14; weights 3^2 * 16 * 8 = 1,152, biases 8.
    layer = ConvTranspose("up", channels=8, kernel=3, stride=2, padding=1, output_padding=1)
    d = derive(layer, "7x7x16")
    assert d.output.to_json() == [14, 14, 8]
    assert d.params == 1_160
    assert d.type == "deconv"
    # Each of the 7*7 inputs meets every weight once: 49 * 1,152 = 56,448 multiplications.
    assert d.macs == 56_448
    assert layer.window(Shape.parse("7x7x16")) == ((3, Rational(1, 2), 1),) * 2


def test_output_padding_below_stride_or_dilation():
    with pytest.raises(symcnn.LayerError) as e:
        derive(ConvTranspose("up", channels=8, kernel=3, stride=2, output_padding=2), "7x7x16")
    assert str(e.value) == "up: output_padding 2 must be smaller than the stride 2 or the dilation 1"
    # Below the dilation is enough: (4 - 1)*2 - 0 + 3*(3 - 1) + 2 + 1 = 6 + 6 + 3 = 15.
    d = derive(symcnn.ConvTranspose1d("up", channels=2, kernel=3, stride=2, output_padding=2, dilation=3), "4x2")
    assert d.output.to_json() == [15, 2]


def test_pooling_ceil_mode():
    # ceil((112 - 3)/2) + 1 = ceil(54.5) + 1 = 56 (floor would give 55).
    assert derive(MaxPool2d("p", kernel=3, stride=2, ceil_mode=True), "112x112x64").output.to_json() == [56, 56, 64]
    assert derive(MaxPool2d("p", kernel=3, stride=2), "112x112x64").output.to_json() == [55, 55, 64]
    # ceil((5 + 2 - 2)/2) + 1 = 4, but (4 - 1)*2 = 6 >= 5 + 1, so the last window goes: 3.
    d = derive(MaxPool("p", kernel=2, stride=2, padding=1, ceil_mode=True), "5x5x1", "exact")
    assert d.output.to_json() == [3, 3, 1]
    assert [s.formula for s in d.steps] == ["pool-output-padded", "pool-ceil-last-window"]
    assert [s.value for s in d.steps] == [4, 3]
    assert str(d.steps[1]) == "O = (O - 1 if (O - 1)*S >= I + P else O) = (4 - 1 if (4 - 1)*2 >= 5 + 1 else 4) = 3"


def test_pooling_without_ceil_mode_uses_the_networks_rounding():
    with pytest.raises(symcnn.RoundingError):
        derive(MaxPool2d("p", kernel=3, stride=2), "112x112x64", "exact")


def test_pooling_padding_at_most_half_the_window():
    with pytest.raises(symcnn.LayerError) as e:
        derive(AvgPool("p", kernel=3, padding=2), "8x8x1")
    assert str(e.value) == "p: padding 2 is more than half the pooling window 3"


def test_window_larger_than_input():
    with pytest.raises(symcnn.ShapeError, match="dilated pooling window 5 is larger than the padded input 4"):
        derive(MaxPool("p", kernel=3, dilation=2), "4x4x1")
    with pytest.raises(symcnn.ShapeError, match="kernel 7 is larger than the padded input 6"):
        derive(Conv("c", channels=1, kernel=7, padding=1), "4x4x1")


def test_adaptive_and_global_pooling():
    d = derive(AdaptiveAvgPool("avgpool", output=[6, 6]), "13x13x256")
    assert d.output.to_json() == [6, 6, 256] and d.params == 0
    # 13 into 6: windows [floor(13j/6), ceil(13(j+1)/6)) = [0,3), [2,5), [4,7), [6,9), [8,11), [10,13):
    # all 3 wide, on average 13/6 apart.
    assert AdaptiveAvgPool("a", output=6).window(Shape.parse("13x13x1")) == ((3, Rational(13, 6), 0),) * 2
    # 7 into 3: [0,3), [2,5), [4,7): 3 wide.  8 into 3: [0,3), [2,6), [5,8): the middle one is 4 wide.
    assert AdaptiveAvgPool("a", output=3).window(Shape.parse("8x1"))[0][0] == 4
    assert derive(GlobalAvgPool("g"), "7x7x512").output.to_json() == [1, 1, 512]
    assert GlobalAvgPool("g").window(Shape.parse("7x7x512")) == ((7, 7, 0),) * 2


def test_batchnorm_buffers_are_not_params():
    net = Network("n", "56x56x64", [BatchNorm("bn")])
    d = net.derive()
    # gamma 64 + beta 64 = 128 params; running mean 64 + var 64 + num_batches_tracked 1 = 129 buffers.
    assert (d.total_params, d.total_buffers) == (128, 129)
    assert d["bn"].to_json()["buffers"] == 129
    assert "buffers" not in derive(BatchNorm("bn", track_running_stats=False), "4x4x8").to_json()
    assert derive(BatchNorm("bn", affine=False), "4x4x8").params == 0


def test_groupnorm_needs_divisible_channels():
    with pytest.raises(symcnn.ShapeError, match="g: input channels C = 30 is not divisible by groups G = 8"):
        derive(GroupNorm("g", groups=8), "4x4x30")


def test_linear_without_bias():
    # 512 * 1000 = 512,000 weights and no biases.
    d = derive(Linear("fc", features=1000, bias=False), "512")
    assert (d.weights, d.biases) == (512_000, 0)


def test_flags_must_be_booleans():
    with pytest.raises(symcnn.LayerError, match="c: bias must be true or false, got 'yes'"):
        Conv("c", channels=1, kernel=1, bias="yes")
    with pytest.raises(symcnn.LayerError, match="p: ceil_mode must be true or false, got 1"):
        MaxPool("p", kernel=2, ceil_mode=1)


def test_symbolic_dilation_and_groups():
    # With padding = dilation = D the 3x3 conv keeps the size for every D: (32 + 2D - 2D - 1)/1 + 1 = 32.
    d = derive(Conv("c", channels="N", kernel=3, padding="D", dilation="D", groups="G"), "32x32x64", "exact")
    assert d.output.spatial == (32, 32)
    # weights 3^2 * (64/G) * N = 576 N / G
    N = symcnn.N
    assert simplify(d.weights - 576 * N / G) == 0


CONTRACT_KINDS = [
    "conv", "conv1d", "conv2d", "conv3d", "deconv", "conv_transpose", "maxpool", "avgpool",
    "adaptive_avgpool", "adaptive_maxpool", "global_avgpool", "batchnorm", "layernorm", "groupnorm", "lrn", "grn",
    "relu", "relu6", "hardswish", "hardsigmoid", "silu", "sigmoid", "tanh", "gelu", "softmax", "identity",
    "dropout", "flatten", "linear", "fc", "add", "concat",
    "mul", "elementwise", "drop_path", "channel_shuffle", "split", "upsample", "pad", "crop", "pixel_shuffle",
    "pixel_unshuffle", "channel_linear", "scale", "opaque", "xca", "fourier_position",
    "tokens", "class_token", "pos_embed", "attention", "token", "window_attention", "patch_merge",
]


def test_layer_types_cover_the_contract():
    # a kind added since needs no entry here (tests/test_layer_kind.py adds one): the registry is the list
    assert set(CONTRACT_KINDS) <= set(LAYER_TYPES)
    assert all(issubclass(cls, Layer) for cls in LAYER_TYPES.values())
    assert LAYER_TYPES["fc"] is LAYER_TYPES["linear"] is Linear


@pytest.mark.parametrize("kind, required, optional", [
    ("conv", {"channels", "kernel"}, {"stride", "padding", "dilation", "groups", "bias", "in_channels"}),
    ("deconv", {"channels", "kernel"},
     {"stride", "padding", "output_padding", "dilation", "groups", "bias", "in_channels"}),
    ("maxpool", {"kernel"}, {"stride", "padding", "dilation", "ceil_mode"}),
    ("avgpool", {"kernel"}, {"stride", "padding", "ceil_mode", "count_include_pad"}),
    ("adaptive_avgpool", {"output"}, set()),
    ("global_avgpool", set(), set()),
    ("batchnorm", set(), {"affine", "bias", "track_running_stats"}),
    ("groupnorm", {"groups"}, {"affine", "bias"}),
    ("linear", {"features"}, {"bias", "in_features"}),
    ("add", set(), set()),
    ("relu", set(), set()),
])
def test_spec_fields(kind, required, optional):
    fields = LAYER_TYPES[kind].spec_fields()
    assert {f for f, needed in fields.items() if needed} == required
    assert {f for f, needed in fields.items() if not needed} == optional


def test_types_for_summary_json():
    types = {kind: cls.type for kind, cls in LAYER_TYPES.items()}
    assert types["conv3d"] == "conv" and types["deconv"] == "deconv" and types["global_avgpool"] == "pool"
    assert types["batchnorm"] == types["lrn"] == "norm" and types["hardswish"] == types["identity"] == "act"
    assert (types["add"], types["concat"], types["flatten"], types["dropout"]) == ("add", "concat", "flatten",
                                                                                    "dropout")


def test_unknown_symbol_stays_symbolic():
    layer = Conv("c", channels=8, kernel="k")
    assert layer.kernel == (Symbol("k", integer=True, positive=True),)


def test_exact_rounding_refuses_a_dilated_conv_that_does_not_divide():
    # (32 + 2*0 - 2*(3 - 1) - 1)/2 = 27/2 = 13.5: not whole.
    message = r"c: output height \(32 \+ 2\*0 - 2\*\(3 - 1\) - 1\)/2 \+ 1 = 14.5 is not whole"
    with pytest.raises(symcnn.RoundingError, match=message):
        derive(Conv("c", channels=1, kernel=3, dilation=2, stride=2), "32x32x1", "exact")
    # floor(27/2) + 1 = 14
    assert derive(Conv("c", channels=1, kernel=3, dilation=2, stride=2), "32x32x1").output.to_json() == [14, 14, 1]


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 40), kernel=st.integers(1, 5), stride=st.integers(1, 4), padding=st.integers(0, 2),
       dilation=st.integers(1, 3))
def test_exact_is_floor_where_the_division_is_whole(size, kernel, stride, padding, dilation):
    layer = Conv("c", channels=1, kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    reach = size + 2 * padding - dilation * (kernel - 1) - 1
    if reach < 0:
        with pytest.raises(symcnn.ShapeError, match="larger than the padded input"):
            derive(layer, f"{size}x1", "floor")
        return
    floor_size = derive(layer, f"{size}x1", "floor").output.spatial[0]
    ceil_size = derive(layer, f"{size}x1", "ceil").output.spatial[0]
    assert floor_size == reach // stride + 1 and ceil_size == -(-reach // stride) + 1
    if reach % stride:
        with pytest.raises(symcnn.RoundingError):
            derive(layer, f"{size}x1", "exact")
    else:
        assert derive(layer, f"{size}x1", "exact").output.spatial[0] == floor_size == ceil_size


def lenet_declared(in_features=400):
    # LeNet-5's feature extractor with the input lengths PyTorch's modules declare.
    return Network("lenet", "32x32x1", [
        Conv("c1", channels=6, kernel=5, in_channels=1), MaxPool("s2", kernel=2),
        Conv("c3", channels=16, kernel=5, in_channels=6), MaxPool("s4", kernel=2),
        Flatten("flat"), Linear("fc1", features=120, in_features=in_features),
    ], rounding="floor")


def test_declared_input_sizes_hold_at_the_input():
    # 32 -> 28 -> 14 -> 10 -> 5: 5 x 5 x 16 = 400 values reach fc1, as declared.
    d = lenet_declared().derive()
    assert d["fc1"].declared[0].declared == d["fc1"].declared[0].derived == 400
    assert d["c3"].declared[0].derived == 6


def test_a_declared_size_that_does_not_reach_the_layer_is_an_error():
    # At 36: 36 -> 32 -> 16 -> 12 -> 6, and 6 x 6 x 16 = 576 values reach fc1, not 400.
    with pytest.raises(symcnn.ShapeError, match=r"fc1 \(input 576\): declares in_features = 400, but its input "
                                                r"has length 576"):
        lenet_declared().derive("36x36x1")
    net = Network("n", "8x8x3", [Conv("c", channels=4, kernel=3, in_channels=1)], rounding="floor")
    with pytest.raises(symcnn.ShapeError, match="declares in_channels = 1, but its input has channels 3"):
        net.derive()
