"""timm's families imported from PyTorch: functional norms (``F.batch_norm`` in BatchNormAct2d,
``F.group_norm``), a parameter viewed as a per-channel scale, TensorFlow's SAME padding that timm
computes in ``forward`` (Conv2dSame), Python's rules for the parts of a split (``spx[-1]``), ConvNeXt-V2's
global response norm, NFNet's scaled weight-standardised convolutions (a gain per kernel), and EdgeNeXt's
cross-covariance attention over a map's tokens and its Fourier position encoding.

Every figure is PyTorch's, in the test: ``sum(p.numel() for p in model.parameters())`` and every
convolution's output from forward hooks, at two sizes; the closed forms in I against PyTorch at a
third. Models are made with ``pretrained=False`` (no weights are fetched).
"""

import warnings

import pytest
from conftest import require

torch = require("torch")
timm = require("timm")

from sympy import Integer  # noqa: E402

import symcnn  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402
from symcnn.symbols import I  # noqa: E402

MODELS = ["tf_efficientnet_b0", "efficientnet_b3", "ese_vovnet19b_dw", "fastvit_t8", "poolformer_s12",
          "res2net50_26w_4s", "convnextv2_atto", "nfnet_l0", "edgenext_xx_small"]
IMPORT, OTHER, THIRD = (96, 96), (64, 80), 72


def conv_outputs(model, size) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    hooks = [m.register_forward_hook(lambda m, i, o, name=name: found.__setitem__(name, [*o.shape[2:], o.shape[1]]))
             for name, m in model.named_modules() if isinstance(m, torch.nn.Conv2d)]
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, *size))
    finally:
        for h in hooks:
            h.remove()
    return found


def conv_name(layer) -> str:
    """A position encoding (EdgeNeXt's) is the output of its module's 1x1 convolution, added to the map."""
    return f"{layer.name}.token_projection" if layer.type == "embed" else layer.name


@pytest.fixture(scope="module", params=MODELS)
def imported(request):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = timm.create_model(request.param, pretrained=False).eval()
    return request.param, model, from_torch(model, f"{IMPORT[0]}x{IMPORT[1]}x3", name=request.param)


def test_no_opaque_layer_and_pytorchs_totals_and_sizes(imported):
    name, model, net = imported
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    assert "torch.fx" in net.description  # traced by fx: no torch.export fallback
    for size in (IMPORT, OTHER):
        d = net.derive(f"{size[0]}x{size[1]}x3")
        assert d.total_params == sum(p.numel() for p in model.parameters())
        derived = {conv_name(r): r.output.to_json() for r in d.layers if r.type in ("conv", "embed")}
        assert derived == conv_outputs(model, size), (name, size)


def test_closed_forms_through_the_whole_network_agree_at_a_third_size(imported):
    name, model, net = imported
    a = symcnn.analyse(net, "floor")
    assert not a.stops_at and a.stopped is None
    expected = conv_outputs(model, (THIRD, THIRD))
    at = {I: Integer(THIRD)}
    closed = {conv_name(la): [int(x.xreplace(at)) for x in la.output.dims] for la in a.layers
              if la.type in ("conv", "embed")}
    assert closed == expected, name


def test_an_untraceable_model_refuses_within_the_time_bound():
    """MobileViT-v2 branches on its feature map's size (fx cannot trace it); torch.export is given the
    bound, and the import says so in one line instead of running on."""
    from symcnn.builders.torch import ModelImportError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = timm.create_model("mobilevitv2_050", pretrained=False).eval()
    with pytest.raises(ModelImportError, match="torch.export did not finish within 2 s"):
        from_torch(model, "64x64x3", trace_seconds=2)


def test_cross_covariance_attention_against_pytorch_and_fvcore():
    """EdgeNeXt's XCA on 6 x 6 positions of 48 channels in 4 heads. Parameters: PyTorch's count.
    MACs: fvcore's (it counts the two linear layers and the two matrix products of the attention):
    by hand, qkv 36 x 48 x 144 = 248,832, proj 36 x 48 x 48 = 82,944, q k^T and attn v 4 heads x 12 x 12
    x 36 = 20,736 each: 373,248 (symcnn: 4 C^2 HW + 2 C^2 HW / h)."""
    require("fvcore")
    tools = require("tools")
    from timm.models.edgenext import CrossCovarianceAttn

    from symcnn.layers import CrossCovarianceAttention
    from symcnn.shape import Shape

    module = CrossCovarianceAttn(48, num_heads=4).eval()
    d = CrossCovarianceAttention("xca", heads=4).derive((Shape.parse("6x6x48"),), "floor")
    assert d.params == sum(p.numel() for p in module.parameters())
    assert d.macs == tools.fvcore_total(module, torch.zeros(1, 36, 48)) == 248_832 + 82_944 + 2 * 20_736


def test_norms_with_a_scale_and_no_shift_against_pytorch():
    """timm's MetaFormer norms without a bias (``GroupNorm1NoBias``, ``LayerNorm2dNoBias``: F.group_norm and
    F.layer_norm with a weight and no bias) and ``nn.LayerNorm(bias=False)``: C parameters each, the shapes
    kept; the totals as PyTorch's at two sizes, no layer opaque."""
    from timm.models.metaformer import GroupNorm1NoBias, LayerNorm2dNoBias

    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3), GroupNorm1NoBias(8), torch.nn.Conv2d(8, 16, 3, stride=2), LayerNorm2dNoBias(16),
        torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(16, 12), torch.nn.LayerNorm(12, bias=False),
    ).eval()
    # by hand: 3*3*3*8 + 8 = 224; 8 (scale only); 3*3*8*16 + 16 = 1,168; 16; 16*12 + 12 = 204; 12
    assert sum(p.numel() for p in model.parameters()) == 224 + 8 + 1168 + 16 + 204 + 12
    net = from_torch(model, "32x32x3")
    assert [layer.type for layer in net.layers if layer.type == "opaque"] == []
    norms = [layer for layer in net.layers if layer.type == "norm"]
    assert [(layer.affine, layer.bias) for layer in norms] == [(True, False)] * 3
    for size in (32, 23):
        d = net.derive(f"{size}x{size}x3")
        assert d.total_params == sum(p.numel() for p in model.parameters())
        assert [int(d[layer.name].params) for layer in norms] == [8, 16, 12]
        with torch.no_grad():
            theirs = list(model[:4](torch.zeros(1, 3, size, size)).shape[2:])
        assert theirs == [int(s) for s in d[norms[1].name].output.spatial]


def test_an_attention_class_of_another_shape_is_traced_not_taken_for_vits():
    # PVT-v2's class is named Attention too, with q and kv projections, not ViT's qkv: it imports (its
    # attention traced through, in opaque parts where symcnn cannot follow) with PyTorch's parameters
    model = timm.create_model("pvt_v2_b0", pretrained=False).eval()
    net = from_torch(model, "64x64x3", name="pvt_v2_b0")
    assert net.derive().total_params == sum(p.numel() for p in model.parameters())
    assert not any(layer.type == "attention" for layer in net.layers)
