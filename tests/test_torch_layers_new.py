"""The layers real models use, one at a time against PyTorch: the same output shape and parameter
count, or both refuse.

Hypothesis draws 600 layers a run among upsampling (a scale or a size), padding per side in each
mode, cropping, TF-SAME convolution and pooling, pixel shuffle and unshuffle, channel shuffle, a
chunk or a split of the channels, an element-wise product with broadcasting, a linear layer over
the channels of a channels-last map, a channels-last layer norm, a per-channel scale, DropPath and
element-wise arithmetic; PyTorch builds and runs the same operation on a tensor of zeros.
TensorFlow's SAME padding is PyTorch's convolution after ``F.pad`` by ``max((ceil(I/S) - 1)S +
D(K - 1) + 1 - I, 0)``, the odd pixel after (as TensorFlow and timm's ``Conv2dSame`` pad).
"""

import math
import warnings

from conftest import require
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

torch = require("torch")
torchvision = require("torchvision")
nn = torch.nn
F = torch.nn.functional

import symcnn  # noqa: E402
from symcnn.layers import (  # noqa: E402
    ChannelLinear,
    ChannelShuffle,
    Conv2d,
    Crop,
    DropPath,
    Elementwise,
    LayerNorm,
    MaxPool2d,
    Multiply,
    Pad,
    PixelShuffle,
    PixelUnshuffle,
    Scale,
    Split,
    Upsample,
)
from symcnn.shape import Shape  # noqa: E402

KINDS = ["upsample", "pad", "crop", "tf_same_conv", "tf_same_pool", "pixel_shuffle", "pixel_unshuffle",
         "channel_shuffle", "chunk", "split", "mul", "channel_linear", "layernorm", "scale", "drop_path",
         "elementwise"]
# Scale factors exact in binary, so PyTorch's floor(I * s) in doubles is the exact one.
SCALES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4]


def _tf_same_pad(i, k, s, d):
    total = max((math.ceil(i / s) - 1) * s + d * (k - 1) + 1 - i, 0)
    return total // 2, total - total // 2


@st.composite
def cases(draw):
    kind = draw(st.sampled_from(KINDS))
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    c = draw(st.integers(1, 12))
    f = {}
    if kind == "upsample":
        if draw(st.booleans()):
            f["scale"] = draw(st.sampled_from(SCALES)), draw(st.sampled_from(SCALES))
        else:
            f["size"] = draw(st.integers(1, 20)), draw(st.integers(1, 20))
    elif kind == "pad":
        f["pads"] = [draw(st.integers(0, 4)) for _ in range(4)]  # top, bottom, left, right
        f["mode"] = draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    elif kind == "crop":
        f["cut"] = [draw(st.integers(0, 6)) for _ in range(4)]
    elif kind in ("tf_same_conv", "tf_same_pool"):
        f.update(kernel=draw(st.integers(1, 5)), stride=draw(st.integers(1, 4)), dilation=draw(st.integers(1, 2)))
        if kind == "tf_same_conv":
            f["channels"] = draw(st.integers(1, 6))
        else:
            f["dilation"] = 1
    elif kind in ("pixel_shuffle", "pixel_unshuffle"):
        f["factor"] = draw(st.integers(1, 3))
        if kind == "pixel_shuffle":
            c = f["factor"] ** 2 * draw(st.integers(1, 3)) if draw(st.booleans()) else c
    elif kind == "channel_shuffle":
        f["groups"] = draw(st.integers(1, 4))
    elif kind == "chunk":
        f["chunks"] = draw(st.integers(1, 5))
        f["index"] = draw(st.integers(0, 4))
    elif kind == "split":
        f["sizes"] = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))
        f["index"] = draw(st.integers(0, len(f["sizes"]) - 1))
        c = sum(f["sizes"]) if draw(st.booleans()) else c
    elif kind == "mul":
        f["other"] = (draw(st.sampled_from([1, h])), draw(st.sampled_from([1, w])), draw(st.sampled_from([1, c, 2])))
    elif kind == "channel_linear":
        f["features"] = draw(st.integers(1, 8))
        f["bias"] = draw(st.booleans())
    elif kind == "layernorm":
        f["affine"] = draw(st.booleans())
    elif kind == "elementwise":
        f["op"] = draw(st.sampled_from(["add", "mul", "div", "erf"]))
    return kind, (h, w, c), f


def torch_result(kind, hwc, f):
    """(output H x W x C, params) from PyTorch, or None where it refuses."""
    h, w, c = hwc
    x = torch.zeros(1, c, h, w)
    module = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "upsample":
                if "scale" in f:
                    out = F.interpolate(x, scale_factor=f["scale"], mode="nearest")
                else:
                    out = F.interpolate(x, size=f["size"], mode="bilinear", align_corners=False)
            elif kind == "pad":
                top, bottom, left, right = f["pads"]
                out = F.pad(x, [left, right, top, bottom], mode=f["mode"])
            elif kind == "crop":
                top, bottom, left, right = f["cut"]
                # the stops clamped at 0: a negative one would count from the end instead of cutting
                out = x[:, :, top:max(h - bottom, 0), left:max(w - right, 0)]
            elif kind in ("tf_same_conv", "tf_same_pool"):
                k, s, d = f["kernel"], f["stride"], f["dilation"]
                ph, pw = _tf_same_pad(h, k, s, d), _tf_same_pad(w, k, s, d)
                padded = F.pad(x, [*pw, *ph])
                module = nn.Conv2d(c, f["channels"], k, s, dilation=d) if kind == "tf_same_conv" \
                    else nn.MaxPool2d(k, s)
                out = module(padded)
            elif kind == "pixel_shuffle":
                out = nn.PixelShuffle(f["factor"])(x)
            elif kind == "pixel_unshuffle":
                out = nn.PixelUnshuffle(f["factor"])(x)
            elif kind == "channel_shuffle":
                out = nn.ChannelShuffle(f["groups"])(x)
            elif kind == "chunk":
                out = torch.chunk(x, f["chunks"], dim=1)[f["index"]]
            elif kind == "split":
                out = torch.split(x, f["sizes"], dim=1)[f["index"]]
            elif kind == "mul":
                oh, ow, oc = f["other"]
                out = x * torch.zeros(1, oc, oh, ow)
            elif kind == "channel_linear":
                module = nn.Linear(c, f["features"], bias=f["bias"])
                out = module(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
            elif kind == "layernorm":
                module = nn.LayerNorm(c, elementwise_affine=f["affine"])
                out = module(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
            elif kind == "scale":
                module = nn.Module()
                module.gamma = nn.Parameter(torch.ones(c, 1, 1))
                out = module.gamma * x
            elif kind == "drop_path":
                out = torchvision.ops.StochasticDepth(0.2, "row").eval()(x)
            elif kind == "elementwise":
                out = {"add": lambda t: t + 3, "mul": lambda t: t * 2, "div": lambda t: t / 6,
                       "erf": torch.erf}[f["op"]](x)
    except (RuntimeError, ValueError, IndexError):
        return None
    if 0 in out.shape:
        return None
    params = sum(p.numel() for p in module.parameters()) if module is not None else 0
    return [*out.shape[2:], out.shape[1]], params


def symcnn_result(kind, hwc, f):
    h, w, c = hwc
    shapes = (Shape((h, w), c),)
    try:
        if kind == "upsample":
            layer = Upsample("layer", **({"scale": list(f["scale"])} if "scale" in f else {"size": list(f["size"])}))
        elif kind == "pad":
            top, bottom, left, right = f["pads"]
            layer = Pad("layer", before=[top, left], after=[bottom, right], mode=f["mode"])
        elif kind == "crop":
            top, bottom, left, right = f["cut"]
            layer = Crop("layer", before=[top, left], after=[bottom, right])
        elif kind == "tf_same_conv":
            layer = Conv2d("layer", channels=f["channels"], kernel=f["kernel"], stride=f["stride"],
                           dilation=f["dilation"], padding="tf_same")
        elif kind == "tf_same_pool":
            layer = MaxPool2d("layer", kernel=f["kernel"], stride=f["stride"], padding="tf_same")
        elif kind == "pixel_shuffle":
            layer = PixelShuffle("layer", factor=f["factor"])
        elif kind == "pixel_unshuffle":
            layer = PixelUnshuffle("layer", factor=f["factor"])
        elif kind == "channel_shuffle":
            layer = ChannelShuffle("layer", groups=f["groups"])
        elif kind == "chunk":
            layer = Split("layer", chunks=f["chunks"], index=f["index"])
        elif kind == "split":
            layer = Split("layer", sizes=f["sizes"], index=f["index"])
        elif kind == "mul":
            oh, ow, oc = f["other"]
            layer = Multiply("layer", inputs=("a", "b"))
            shapes = (shapes[0], Shape((oh, ow), oc))
        elif kind == "channel_linear":
            layer = ChannelLinear("layer", features=f["features"], bias=f["bias"])
        elif kind == "layernorm":
            layer = LayerNorm("layer", affine=f["affine"])
        elif kind == "scale":
            layer = Scale("layer")
        elif kind == "drop_path":
            layer = DropPath("layer")
        else:
            layer = Elementwise("layer", op=f["op"])
        d = layer.derive(shapes, "floor")
    except symcnn.SymcnnError as e:
        return e
    return d.output.to_json(), int(d.params)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_new_layer_matches_pytorch(case):
    kind, hwc, f = case
    expected = torch_result(kind, hwc, f)
    got = symcnn_result(kind, hwc, f)
    if expected is None:
        event(f"{kind}: PyTorch refuses")
        assert isinstance(got, symcnn.SymcnnError), f"PyTorch refuses {kind} {f} on {hwc}: symcnn gives {got}"
        assert str(got).startswith("layer") and "\n" not in str(got)
    else:
        event(f"{kind}: both derive")
        assert not isinstance(got, Exception), f"PyTorch derives {expected} for {kind} {f} on {hwc}; symcnn: {got}"
        assert got == (list(expected[0]), expected[1]), (kind, f, hwc)
