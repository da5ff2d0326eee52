"""Single layers against PyTorch: the same output shape and parameter count, or both refuse.

Hypothesis draws conv, transposed conv, max- and average-pooling layers over 1, 2 and 3
spatial axes with random kernel, stride, padding, dilation, groups, ceil_mode,
output_padding and bias; PyTorch builds and runs the same layer on a tensor of zeros.
Where PyTorch refuses a configuration (or gives an empty tensor), symcnn must refuse it too, with one of its own
errors naming the layer.
"""

import warnings

import pytest
from conftest import require
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sympy import Integer

torch = require("torch")
nn = torch.nn

import symcnn  # noqa: E402
from symcnn.layers import (  # noqa: E402
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    Conv,
    ConvTranspose,
    GlobalAvgPool,
    GroupNorm,
    LayerNorm,
    Linear,
    MaxPool,
)
from symcnn.shape import Shape  # noqa: E402

TORCH = {
    ("conv", 1): nn.Conv1d, ("conv", 2): nn.Conv2d, ("conv", 3): nn.Conv3d,
    ("deconv", 1): nn.ConvTranspose1d, ("deconv", 2): nn.ConvTranspose2d, ("deconv", 3): nn.ConvTranspose3d,
    ("maxpool", 1): nn.MaxPool1d, ("maxpool", 2): nn.MaxPool2d, ("maxpool", 3): nn.MaxPool3d,
    ("avgpool", 1): nn.AvgPool1d, ("avgpool", 2): nn.AvgPool2d, ("avgpool", 3): nn.AvgPool3d,
}
MAX_SIZE = {1: 12, 2: 9, 3: 6}


def sizes(rank, low, high):
    """One size for every axis, or one per axis (as both PyTorch and symcnn take them)."""
    return st.one_of(st.integers(low, high), st.tuples(*[st.integers(low, high)] * rank))


@st.composite
def layers(draw):
    kind = draw(st.sampled_from(["conv", "deconv", "maxpool", "avgpool"]))
    rank = draw(st.integers(1, 3))
    spatial = draw(st.tuples(*[st.integers(1, MAX_SIZE[rank])] * rank))
    fields = {"kernel": draw(sizes(rank, 1, 4)), "stride": draw(sizes(rank, 1, 3))}
    if kind in ("conv", "deconv"):
        channels_in = draw(st.integers(1, 6))
        fields.update(
            channels=draw(st.integers(1, 6)),
            dilation=draw(st.one_of(st.just(1), sizes(rank, 1, 3))),
            groups=draw(st.sampled_from([1, 1, 2, 3])),
            bias=draw(st.booleans()),
        )
        if kind == "conv":
            fields["padding"] = draw(st.one_of(sizes(rank, 0, 3), st.sampled_from(["same", "valid"])))
        else:
            fields["padding"] = draw(st.one_of(st.just(0), sizes(rank, 0, 3)))
            fields["output_padding"] = draw(st.one_of(st.just(0), sizes(rank, 0, 2)))
    else:
        channels_in = draw(st.integers(1, 3))
        fields.update(padding=draw(st.one_of(st.just(0), sizes(rank, 0, 2))), ceil_mode=draw(st.booleans()))
        if kind == "maxpool":
            fields["dilation"] = draw(st.one_of(st.just(1), sizes(rank, 1, 3)))
    return kind, rank, spatial, channels_in, fields


def torch_layer(kind, rank, channels_in, fields):
    """PyTorch's module for the same layer; ValueError/RuntimeError where PyTorch refuses it."""
    f = dict(fields)
    if kind in ("conv", "deconv"):
        args = (channels_in, f.pop("channels"), f.pop("kernel"))
        return TORCH[kind, rank](*args, **f)
    return TORCH[kind, rank](f.pop("kernel"), **f)


def torch_result(kind, rank, spatial, channels_in, fields):
    """(output dims in symcnn's order, params) from PyTorch, or None where it refuses."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = torch_layer(kind, rank, channels_in, fields)
            with torch.no_grad():
                out = module(torch.zeros(1, channels_in, *spatial))
    except (RuntimeError, ValueError):
        return None
    if 0 in out.shape:
        # Some PyTorch layers (2-d and 3-d transposed convs) give an empty tensor where others
        # refuse; symcnn refuses every size below 1.
        return None
    params = sum(p.numel() for p in module.parameters())
    return [*out.shape[2:], out.shape[1]], params


SYMCNN = {"conv": Conv, "deconv": ConvTranspose, "maxpool": MaxPool, "avgpool": AvgPool}


def symcnn_result(kind, spatial, channels_in, fields):
    """(output dims, params) from symcnn, or the error it raised."""
    try:
        layer = SYMCNN[kind]("layer", **fields)
        d = layer.derive((Shape(spatial, channels_in),), "floor")
    except symcnn.SymcnnError as e:
        return e
    return d.output.to_json(), int(d.params)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers())
def test_single_layer_matches_pytorch(case):
    kind, rank, spatial, channels_in, fields = case
    expected = torch_result(kind, rank, spatial, channels_in, fields)
    got = symcnn_result(kind, spatial, channels_in, fields)
    if expected is None:
        event(f"{kind}: PyTorch refuses")
        assert isinstance(got, symcnn.SymcnnError), f"PyTorch refuses {fields} on {spatial}x{channels_in}: {got}"
        assert str(got).startswith("layer: ") and "\n" not in str(got)
    else:
        event(f"{kind}: both derive")
        assert not isinstance(got, Exception), f"PyTorch derives {expected}, symcnn refuses: {got}"
        assert got == (list(expected[0]), expected[1])


@settings(max_examples=100, deadline=None)
@given(
    rank=st.integers(1, 3),
    data=st.data(),
    kind=st.sampled_from(["avg", "max"]),
)
def test_adaptive_pooling_matches_pytorch(rank, data, kind):
    spatial = data.draw(st.tuples(*[st.integers(1, 9)] * rank))
    output = data.draw(st.tuples(*[st.integers(1, 9)] * rank))
    layer = (AdaptiveAvgPool if kind == "avg" else AdaptiveMaxPool)("a", output=list(output))
    d = layer.derive((Shape(spatial, 3),), "floor")
    module = getattr(nn, f"Adaptive{kind.title()}Pool{rank}d")(output)
    out = module(torch.zeros(1, 3, *spatial))
    assert d.output.to_json() == [*out.shape[2:], 3]


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 6), output=st.integers(1, 6))
def test_adaptive_window_is_a_plain_pooling_where_divisible(size, output):
    # Where O divides I, PyTorch's adaptive windows are a plain pooling of kernel = stride = I/O,
    # which is what window() reports; the values must then agree with AvgPool2d of that window.
    spatial = size * output
    ((k, s, p), _) = AdaptiveAvgPool("a", output=output).window(Shape((spatial, spatial), 2))
    assert (k, s, p) == (size, size, 0)
    x = torch.rand(1, 2, spatial, spatial)
    adaptive = nn.AdaptiveAvgPool2d(output)(x)
    plain = nn.AvgPool2d(int(k), int(s), int(p))(x)
    assert torch.allclose(adaptive, plain)


@pytest.mark.parametrize("rank, kernel, dilation", [(1, 3, 2), (2, 3, 3), (2, 2, 1), (3, 2, 2), (1, 4, 3)])
def test_conv_window_is_the_reach_of_one_output(rank, kernel, dilation):
    # The effective kernel K + (K - 1)(D - 1) is how many inputs along an axis one output
    # depends on; the gradient of output 0 wrt the input shows it.
    conv = getattr(nn, f"Conv{rank}d")(1, 1, kernel, dilation=dilation, bias=False)
    nn.init.constant_(conv.weight, 1.0)
    x = torch.zeros(1, 1, *[12] * rank, requires_grad=True)
    conv(x)[(0, 0) + (0,) * rank].backward()
    reach = int(x.grad[(0, 0) + (0,) * (rank - 1)].nonzero().max()) + 1
    window = Conv("c", channels=1, kernel=kernel, dilation=dilation).window(Shape((12,) * rank, 1))
    assert window[-1][0] == reach


@pytest.mark.parametrize("channels, affine, track", [(64, True, True), (3, False, True), (10, True, False)])
def test_batchnorm_params_and_buffers(channels, affine, track):
    module = nn.BatchNorm2d(channels, affine=affine, track_running_stats=track)
    d = BatchNorm("bn", affine=affine, track_running_stats=track).derive((Shape((5, 5), channels),), "floor")
    assert d.params == sum(p.numel() for p in module.parameters())
    # PyTorch's buffers: running_mean (C), running_var (C), num_batches_tracked (1).
    assert d.buffers == sum(b.numel() for b in module.buffers())


def test_group_and_layer_norm_params():
    assert GroupNorm("gn", groups=8).derive((Shape((7, 7), 32),), "floor").params == sum(
        p.numel() for p in nn.GroupNorm(8, 32).parameters()
    )
    assert LayerNorm("ln").derive((Shape((), 768),), "floor").params == sum(
        p.numel() for p in nn.LayerNorm(768).parameters()
    )
    assert GlobalAvgPool("g").derive((Shape((7, 7), 512),), "floor").output.to_json() == [
        *nn.AdaptiveAvgPool2d(1)(torch.zeros(1, 512, 7, 7)).shape[2:], 512
    ]


@pytest.mark.parametrize("bias", [True, False])
def test_linear_bias(bias):
    d = Linear("fc", features=10, bias=bias).derive((Shape((), Integer(512)),), "floor")
    assert d.params == sum(p.numel() for p in nn.Linear(512, 10, bias=bias).parameters())


@pytest.mark.parametrize("stride, planes", [(1, 64), (2, 128)])
def test_residual_block_matches_the_reference_basic_block(stride, planes):
    import torch_zoo
    from test_graph import basic_block

    downsample = None
    if stride != 1:
        downsample = nn.Sequential(torch_zoo.conv1x1(64, planes, stride), nn.BatchNorm2d(planes))
    block = torch_zoo.BasicBlock(64, planes, stride, downsample)
    out = block(torch.zeros(1, 64, 56, 56))
    if stride == 1:
        d = basic_block(64, 56).derive()
    else:
        from test_graph import downsampling_block

        d = downsampling_block().derive()
    assert d.output.to_json() == [*out.shape[2:], out.shape[1]]
    assert d.total_params == sum(p.numel() for p in block.parameters())
    assert d.total_buffers == sum(b.numel() for b in block.buffers())
