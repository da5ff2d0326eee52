"""Vision transformers at a second and a third size: torchvision's ViT-B/16 built for 256 (its position
embedding fixes the number of tokens) and built for each size, the closed forms in I of MaxViT-T against
PyTorch at a size neither of its import tests derives at, and timm's DeiT, R+ViT hybrid and Swin made to
run at any size (``dynamic_img_size=True``): one model against PyTorch at two sizes, its closed forms at a
third.

Every figure is PyTorch's, run here: ``sum(p.numel() for p in model.parameters())`` and the output of
every convolution and attention module from forward hooks. Models are made with no weights.
"""

from dataclasses import replace

import pytest
from conftest import require

torch = require("torch")
torchvision = require("torchvision")
timm = require("timm")

from sympy import Integer  # noqa: E402
from test_transformers import ATTENTION, fvcore_count, outputs, swin_blocks, timm_model  # noqa: E402

import symcnn  # noqa: E402
from symcnn import ShapeError  # noqa: E402
from symcnn.attention import PositionEmbedding  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402
from symcnn.symbols import I  # noqa: E402


def test_vit_b_16_built_for_256():
    """256 / 16 = 16 patches a side: 16^2 + 1 = 257 tokens of 768 in each of the 12 attention blocks;
    the position embedding holds 257 tokens, so the valid inputs are floor(I/16) = 16: 256..271."""
    model = torchvision.models.vit_b_16(image_size=256).eval()
    net = from_torch(model, "256x256x3", name="vit_b_16_256")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    total = sum(p.numel() for p in model.parameters())
    d = net.derive()
    assert d.total_params == total
    kinds = (torch.nn.MultiheadAttention, torch.nn.Conv2d)
    found = outputs(model, 256, kinds)
    derived = {r.name: r.output.to_json() for r in d.layers if r.type in ("attention", "conv")}
    assert len(found) == 13 and derived == found
    assert found["conv_proj"] == [16, 16, 768] and found["encoder.layers.encoder_layer_0.self_attention"] == [257, 768]
    # the closed forms in I, put I = 256 in, are PyTorch's at 256
    a = symcnn.analyse(net, "floor")
    assert a.valid_inputs_text() == "I = 256..271"
    assert a.params.xreplace({I: Integer(256)}) == total
    closed = {name: [int(v.xreplace({I: Integer(256)})) for v in a[name].output.dims] for name in found}
    assert closed == found
    # past the embedding's tokens: symcnn refuses, as PyTorch does
    with pytest.raises(ShapeError, match="declares tokens = 257"):
        net.derive("272x272x3")
    with pytest.raises(AssertionError), torch.no_grad():
        model(torch.zeros(1, 3, 272, 272))


def test_maxvit_t_closed_forms_at_a_third_size():
    """MaxViT-T's layers allow 221..224 (test_transformers derives at 221 and 224): the closed forms in I
    put I = 222 in give every convolution PyTorch's output at 222, and every attention as many values as
    PyTorch's (groups x 49 positions x C)."""
    model = torchvision.models.maxvit_t().eval()
    net = from_torch(model, "224x224x3", name="maxvit_t")
    a = symcnn.analyse(net, "floor")
    assert not a.stops_at and a.stopped is None
    at = {I: Integer(222)}
    convs = outputs(model, 222, (torch.nn.Conv2d,))
    assert len(convs) > 0
    assert {name: [int(v.xreplace(at)) for v in a[name].output.dims] for name in convs} == convs
    attention = outputs(model, 222, (torchvision.models.maxvit.RelativePositionalMultiHeadAttention,))
    assert len(attention) == 22
    for name, (groups, positions, channels) in attention.items():
        h, w, c = (int(v.xreplace(at)) for v in a[name].output.dims)
        assert (h * w, c) == (groups * positions, channels)
    assert a.params.xreplace(at) == sum(p.numel() for p in model.parameters())
    assert a.macs.xreplace(at) == net.derive("222x222x3").total_macs


# -- timm's models made to run at any size: one model, two sizes against PyTorch, the closed forms at a third --



def at_sizes(model, net, pytorch, sizes: tuple[int, ...], third: int):
    """``net`` (one import of ``model``) derived at each of ``sizes``: PyTorch's total and every
    output ``pytorch(size)`` gives (name: shape); then the closed forms in I put I = ``third`` in:
    the same outputs as PyTorch's at ``third``, the total, and the MACs of a derivation there."""
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    total = sum(p.numel() for p in model.parameters())
    for size in sizes:
        d = net.derive(f"{size}x{size}x3")
        assert d.total_params == total, size
        found = pytorch(size)
        assert {name: d[name].output.to_json() for name in found} == found, size
    a = symcnn.analyse(net, "floor")
    assert not a.stops_at and a.stopped is None
    at = {I: Integer(third)}
    found = pytorch(third)
    assert {name: [int(v.xreplace(at)) for v in a[name].output.dims] for name in found} == found
    assert a.params.xreplace(at) == total
    assert a.macs.xreplace(at) == net.derive(f"{third}x{third}x3").total_macs
    return a, found


def test_deit_tiny_with_an_interpolated_position_embedding():
    """timm's ``dynamic_img_size=True`` resizes the 14 x 14 position embedding to the grid of each
    input: one model of 5,717,416 parameters at any multiple of 16 (its patch embedding checks it).
    Every attention block and the patch convolution as PyTorch's at 224 and 160, the closed forms at 96."""
    model = timm_model("deit_tiny_patch16_224", dynamic_img_size=True)
    net = from_torch(model, "224x224x3", name="deit_tiny")
    pos = [layer for layer in net.layers if isinstance(layer, PositionEmbedding)]
    assert [(p.tokens, p.interpolated) for p in pos] == [(197, True)]  # 14^2 + 1 embeddings, built for 224

    def pytorch(size):
        return outputs(model, size, (*ATTENTION, torch.nn.Conv2d))

    a, found = at_sizes(model, net, pytorch, (224, 160), 96)
    # 96 / 16 = 6 patches a side: 6^2 + 1 = 37 tokens of 192
    assert len(found) == 13 and found["blocks.0.attn"] == [37, 192] and found["patch_embed.proj"] == [6, 6, 192]
    # every attention's MACs at 160 as fvcore's (timm's unfused path): 4 L C^2 + 2 L^2 C, L = 101
    for m in model.modules():
        if isinstance(m, timm.layers.Attention):
            m.fused_attn = False
    by_module = fvcore_count(model, 160).by_module()
    attention = {r.name: r.macs for r in net.derive("160x160x3").layers if r.type == "attention"}
    assert attention == {name: by_module[name] for name in attention}
    assert set(attention.values()) == {4 * 101 * 192**2 + 2 * 101**2 * 192}
    # the layers allow any I >= 16; the model checks for multiples of 16 itself, and says so
    assert a.valid_inputs_text() == "I = 16 and up"
    assert any("H a multiple of 16, W a multiple of 16 only" in note for note in net.notes)
    with pytest.raises(AssertionError, match="should be divisible by patch size"), torch.no_grad():
        model(torch.zeros(1, 3, 200, 200))


def test_timm_hybrid_at_any_size():
    """timm's R+ViT-Ti with ``dynamic_img_size=True``: its ResNet stem (a TF-SAME convolution and max
    pooling, ceil(I/2) each) and 8 x 8 patches, then tokens with an interpolated position embedding.
    No size check: every convolution and attention block as PyTorch's at 128 and 160 (imported at
    128: small sizes keep the test short), the closed forms at 104 (not a multiple of the 32 of stem
    and patches)."""
    model = timm_model("vit_tiny_r_s16_p8_224", dynamic_img_size=True)
    net = from_torch(model, "128x128x3", name="vit_tiny_r_s16_p8")

    def pytorch(size):
        return outputs(model, size, (*ATTENTION, torch.nn.Conv2d))

    a, found = at_sizes(model, net, pytorch, (128, 160), 104)
    assert sum(name.endswith(".attn") for name in found) == 12
    # 104 -> ceil(104/2) = 52 (the stem's convolution) -> 26 (its max pooling) -> floor(26/8) = 3 (the
    # patches): 3^2 + 1 = 10 tokens
    assert found["patch_embed.backbone.conv"] == [52, 52, 64] and found["patch_embed.proj"] == [3, 3, 192]
    assert found["blocks.0.attn"] == [10, 192]
    assert net.notes == ()
    # the smallest input: ceil(ceil(I/2)/2) >= 8 for one patch, I >= 29; PyTorch runs at 29, not at 28
    assert a.valid_inputs_text() == "I = 29 and up"
    with torch.no_grad():
        assert model(torch.zeros(1, 3, 29, 29)).shape == (1, 1000)
        with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
            model(torch.zeros(1, 3, 28, 28))


def test_timm_swin_at_any_size():
    """timm's Swin-T with ``dynamic_img_size=True``: windows of 7 (built for 224) on maps padded to
    whole windows, its attention masks made for each input. Imported at 96 (small sizes keep the
    test short). Every block and the patch convolution as PyTorch's at 96 and 128, the closed forms
    at 64 (maps of 16, 8, 4 and 2: each padded to whole windows of 7)."""
    model = timm_model("swin_tiny_patch4_window7_224", dynamic_img_size=True)
    net = from_torch(model, "96x96x3", name="swin_tiny")

    def pytorch(size):
        return {**swin_blocks(model, size), **outputs(model, size, (torch.nn.Conv2d,))}

    a, found = at_sizes(model, net, pytorch, (96, 128), 64)
    assert len(found) == 13 and found["layers.3.blocks.1.add@2"] == [2, 2, 768]
    assert a.valid_inputs_text() == "I = 4 and up"
    assert any("H a multiple of 4, W a multiple of 4 only" in note for note in net.notes)
    with pytest.raises(AssertionError, match="should be divisible by patch size"), torch.no_grad():
        model(torch.zeros(1, 3, 97, 97))


def test_vit_b_16_built_for_each_size():
    """torchvision's ViT checks that its input has the size it was built for (``image_size``, a multiple
    of 16), and its position embedding holds (I/16)^2 + 1 tokens: one model runs at one size only
    (tests above). What runs at several sizes is the family ``vit_b_16(image_size=I)`` (torchvision's
    ``interpolate_embeddings`` carries weights across): imported once with a position embedding of one
    embedding per token of the input (``tokens`` left out), its closed forms in I are each build's.
    Totals, every attention block and the patch convolution as PyTorch's builds for 64 and 96, the
    closed forms as the build for 128. Valid inputs: I a multiple of 16 (torchvision's own check)."""
    built = {size: torchvision.models.vit_b_16(image_size=size).eval() for size in (64, 96, 128)}
    net = from_torch(built[96], "96x96x3", name="vit_b_16")
    layers = tuple(replace(layer, tokens=None) if isinstance(layer, PositionEmbedding) else layer
                   for layer in net.layers)
    family = replace(net, layers=layers, notes=())  # no longer one model: no one size it checks for
    kinds = (torch.nn.MultiheadAttention, torch.nn.Conv2d)
    for size in (64, 96):
        model = built[size]
        d = family.derive(f"{size}x{size}x3")
        assert d.total_params == sum(p.numel() for p in model.parameters()), size
        found = outputs(model, size, kinds)
        assert len(found) == 13 and {name: d[name].output.to_json() for name in found} == found, size
    a = symcnn.analyse(family, "floor")
    assert not a.stops_at and a.stopped is None
    at, model = {I: Integer(128)}, built[128]
    found = outputs(model, 128, kinds)
    assert {name: [int(v.xreplace(at)) for v in a[name].output.dims] for name in found} == found
    assert found["encoder.layers.encoder_layer_0.self_attention"] == [65, 768]  # (128/16)^2 + 1
    # the parameters grow with the embedding: 768 ((I/16)^2 + 1) of them; by hand at 128: 768 * 65 = 49,920
    assert a.params.xreplace(at) == sum(p.numel() for p in model.parameters())
    assert a.params.xreplace(at) - a.params.xreplace({I: Integer(96)}) == 768 * (65 - 37)
    with pytest.raises(AssertionError, match="Input shape indivisible by patch size"):
        torchvision.models.vit_b_16(image_size=100)
