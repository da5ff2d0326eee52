"""Vision transformers imported with their tokens and attention derived, against PyTorch in the test.

Every figure is PyTorch's or fvcore's, run here: ``sum(p.numel() for p in model.parameters())``,
the output of every attention module and convolution from forward hooks, fvcore's count of each
attention module; or a hand computation written out beside the assert. Models are made with
``pretrained=False`` / no weights (nothing is fetched).
"""

import warnings

import pytest
from conftest import require

torch = require("torch")
torchvision = require("torchvision")
timm = require("timm")
fvcore_nn = require("fvcore.nn")

from sympy import Integer  # noqa: E402

import symcnn  # noqa: E402
from symcnn import Network, ShapeError  # noqa: E402
from symcnn.attention import ClassToken, PositionEmbedding, SelfAttention, Tokens, TokenSelect  # noqa: E402
from symcnn.builders.torch import ModelImportError, from_torch  # noqa: E402
from symcnn.layers import ChannelLinear, Conv2d, LayerNorm, Linear  # noqa: E402
from symcnn.symbols import I  # noqa: E402

ATTENTION = (torch.nn.MultiheadAttention, timm.layers.Attention)


def outputs(model, size: int, kinds) -> dict[str, list[int]]:
    """PyTorch's output of every module of ``kinds`` at size x size, as symcnn writes it (... x C)."""
    found: dict[str, list[int]] = {}

    def keep(module, inputs, output, name):
        out = output[0] if isinstance(output, tuple) else output
        dims = list(out.shape[1:])
        found[name] = [*dims[1:], dims[0]] if isinstance(module, torch.nn.Conv2d) else dims  # channels first

    hooks = [m.register_forward_hook(lambda m, i, o, name=name: keep(m, i, o, name))
             for name, m in model.named_modules() if isinstance(m, kinds)]
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, size, size))
    finally:
        for h in hooks:
            h.remove()
    return found


def timm_model(name: str, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return timm.create_model(name, pretrained=False, **kwargs).eval()


@pytest.fixture(scope="module")
def vit():
    model = torchvision.models.vit_b_16().eval()
    return model, from_torch(model, "224x224x3", name="vit_b_16")


def fvcore_count(model, size: int):
    """fvcore's count of ``model`` run on one size x size x 3 input, its warnings off."""
    flops = fvcore_nn.FlopCountAnalysis(model, torch.zeros(1, 3, size, size))
    flops.unsupported_ops_warnings(False)
    flops.uncalled_modules_warnings(False)
    return flops


@pytest.fixture(scope="module")
def deit():
    model = timm_model("deit_tiny_patch16_224")
    return model, from_torch(model, "224x224x3", name="deit_tiny")


def test_vit_b_16_no_opaque_layer_and_pytorchs_totals_and_sizes(vit):
    model, net = vit
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    d = net.derive()
    assert d.total_params == sum(p.numel() for p in model.parameters())
    derived = {r.name: r.output.to_json() for r in d.layers if r.type in ("attention", "conv")}
    found = outputs(model, 224, (*ATTENTION, torch.nn.Conv2d))
    assert len(found) == 13 and derived == found  # 12 attention blocks, 197 x 768 each, and the patch conv


def test_vit_valid_inputs_are_its_position_embeddings(vit):
    model, net = vit
    # 197 tokens = floor(I/16)^2 + 1 (the class token): floor(I/16) = 14, so 224 <= I <= 239
    a = symcnn.analyse(net, "floor")
    assert a.valid_inputs_text() == "I = 224..239"
    refused = r"encoder.add \(input 226x768\): declares tokens = 197, but its input has tokens L = 226"
    with pytest.raises(ShapeError, match=refused):
        net.derive("240x240x3")  # floor(240/16)^2 + 1 = 226
    # the model checks H = W = 224 itself: said, since its layers alone allow up to 239
    assert any("H = 224, W = 224 only" in note for note in net.notes)
    for size in (240, 232):
        with pytest.raises(AssertionError, match="Wrong image height! Expected 224"), torch.no_grad():
            model(torch.zeros(1, 3, size, size))


def test_vit_imported_at_a_size_it_refuses_says_the_size_it_checks(vit):
    # PyTorch refuses 200 x 200 (its torch._assert); the import there says the one size the model runs at,
    # not a layer's declared size that does not fit further on
    model, _ = vit
    with pytest.raises(AssertionError, match="Expected 224 but got 200"), torch.no_grad():
        model(torch.zeros(1, 3, 200, 200))
    with pytest.raises(ModelImportError) as e:
        from_torch(model, "200x200x3", name="vit_b_16")
    assert str(e.value).count("\n") == 0
    assert "does not run on an input of 200x200x3" in str(e.value)
    assert "H = 224, W = 224 only" in str(e.value) and "import it at 224x224x3" in str(e.value)


def test_deit_tiny_at_two_sizes(deit):
    """DeiT at 224 and at 160 (timm builds the position embedding for the size asked: 101 tokens)."""
    small = timm_model("deit_tiny_patch16_224", img_size=160)
    for size, (model, net) in ((224, deit), (160, (small, from_torch(small, "160x160x3")))):
        assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
        d = net.derive()
        assert d.total_params == sum(p.numel() for p in model.parameters())
        derived = {r.name: r.output.to_json() for r in d.layers if r.type in ("attention", "conv")}
        assert derived == outputs(model, size, (*ATTENTION, torch.nn.Conv2d)), size
        # the closed forms at the model's size are PyTorch's too
        a = symcnn.analyse(net, "floor")
        assert a.params.subs(I, size) == sum(p.numel() for p in model.parameters())


def test_attention_macs_are_fvcores(deit):
    """fvcore counts every matmul of timm's attention (its unfused path): 4 L C^2 + 2 L^2 C per block."""
    model, net = deit
    for m in model.modules():
        if isinstance(m, timm.layers.Attention):
            m.fused_attn = False
    flops = fvcore_count(model, 224)
    by_module = flops.by_module()
    d = net.derive()
    attention = {r.name: r.macs for r in d.layers if r.type == "attention"}
    assert len(attention) == 12
    assert attention == {name: by_module[name] for name in attention}
    # 4 * 197 * 192^2 + 2 * 197^2 * 192 = 29,048,832 + 14,902,656
    assert set(attention.values()) == {43_951_488}
    # fvcore's total besides its layer norms (symcnn counts the weights' MACs only) is symcnn's
    assert d.total_macs == flops.total() - flops.by_operator()["layer_norm"]


def test_vit_macs_against_fvcore(vit):
    """torchvision's nn.MultiheadAttention runs scaled_dot_product_attention, which fvcore does not
    count (it lists it as unsupported): fvcore gives the projections, 4 L C^2; symcnn adds the
    attention's two products, 2 L^2 C."""
    model, net = vit
    flops = fvcore_count(model, 224)
    by_module = flops.by_module()
    assert "aten::scaled_dot_product_attention" in flops.unsupported_ops()
    products = 2 * 197**2 * 768  # 59,610,624
    d = net.derive()
    for r in d.layers:
        if r.type == "attention":
            assert r.macs - products == by_module[r.name] == 4 * 197 * 768**2
    assert d.total_macs == flops.total() - flops.by_operator()["layer_norm"] + 12 * products


def test_a_spec_reloads_a_transformer(deit, tmp_path):
    model, net = deit
    from symcnn.builders.specwriter import dumps

    path = tmp_path / "deit.yaml"
    path.write_text(dumps(net))
    again = symcnn.load(str(path))
    assert again.derive().total_params == sum(p.numel() for p in model.parameters())


def tiny() -> Network:
    return Network("tiny", "32x32x3", [
        Conv2d("patch", channels=8, kernel=8, stride=8), Tokens("tokens"), ClassToken("cls"),
        PositionEmbedding("pos", tokens=17), LayerNorm("ln"), SelfAttention("attn", heads=2),
        ChannelLinear("fc", features=16), TokenSelect("pick"), Linear("head", features=10),
    ], rounding="floor")


def test_the_layers_by_hand():
    d = tiny().derive()
    # conv 8x8 stride 8 on 32: 4 x 4 x 8; tokens 16; with the class token 17
    assert [r.output.to_json() for r in d.layers] == [[4, 4, 8], [16, 8], [17, 8], [17, 8], [17, 8], [17, 8],
                                                       [17, 16], [16], [10]]
    # class token 1 * 8; position embedding 17 * 8; attention 4 * 8^2 + 4 * 8; fc 8 * 16 + 16
    assert [d[name].params for name in ("cls", "pos", "attn", "fc")] == [8, 136, 288, 144]
    # attention MACs 4 * 17 * 8^2 + 2 * 17^2 * 8 = 4352 + 4624
    assert d["attn"].macs == 8976
    assert [str(s) for s in d["attn"].steps] == ["W_at = 4*C**2 = 4*8**2 = 256", "B_at = 4*C = 4*8 = 32",
                                                 "P_at = W_at + B_at = 256 + 32 = 288"]


FOUR = r"\(input 4x4x8\)"
MANY = r"\(input 1024x8\)"


@pytest.mark.parametrize("layers, message", [
    ([Tokens("t"), SelfAttention("a", heads=3)], "a " + MANY + ": C = 8 channels do not divide into 3 heads"),
    ([Conv2d("c", channels=8, kernel=8, stride=8), SelfAttention("a")],
     "a " + FOUR + r": needs a token sequence \(LxC\), got 4x4x8"),
    ([Tokens("t"), PositionEmbedding("p", tokens=5)],
     "p " + MANY + ": declares tokens = 5, but its input has tokens L = 1,024"),
    ([Tokens("t"), TokenSelect("s", index=1024)],
     "s " + MANY + ": token 1024 does not exist in 1024 tokens"),
], ids=["heads", "not-tokens", "positions", "index"])
def test_bad_token_layers(layers, message):
    with pytest.raises(symcnn.SymcnnError, match=message):
        Network("bad", "32x32x8", layers, rounding="floor").derive()


def test_heads_do_not_change_the_counts():
    one = Network("n", "4x4x8", [Tokens("t"), SelfAttention("a", heads=1)]).derive()
    four = Network("n", "4x4x8", [Tokens("t"), SelfAttention("a", heads=4)]).derive()
    assert (one.total_params, one.total_macs) == (four.total_params, four.total_macs) == (288, 4 * 16 * 64 +
                                                                                            2 * 256 * 8)
    assert Integer(one.total_params) == 288


# -- Swin: window attention, shifted windows, patch merging -----------------------------------------


@pytest.fixture(scope="module")
def swin():
    model = torchvision.models.swin_t().eval()
    return model, from_torch(model, "224x224x3", name="swin_t")


def test_swin_t_at_three_sizes(swin):
    """torchvision's Swin pads every map to whole windows of 7 and merges with an odd row padded:
    any size runs. Totals and every attention block and patch merging as PyTorch's at 224 and 200,
    and the closed forms in I at 97 (a size no window divides)."""
    model, net = swin
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    kinds = (torchvision.models.swin_transformer.ShiftedWindowAttention, torch.nn.Conv2d)
    total = sum(p.numel() for p in model.parameters())
    for size in (224, 200):
        d = net.derive(f"{size}x{size}x3")
        assert d.total_params == total
        derived = {r.name: r.output.to_json() for r in d.layers if r.type in ("attention", "conv")}
        found = outputs(model, size, kinds)
        assert len(found) == 13 and derived == found, size
    a = symcnn.analyse(net, "floor")
    assert a.params == total
    found = outputs(model, 97, kinds)  # PyTorch at a third size, against the closed forms put I = 97 in
    closed = {name: [int(v.subs(I, 97)) for v in a[name].output.dims] for name in found}
    assert closed == found
    assert a.macs.subs(I, 97) == net.derive("97x97x3").total_macs
    # the smallest input: the patch convolution's floor(I/4) >= 1; every merge pads an odd size
    assert a.valid_inputs_text() == "I = 4 and up"
    with torch.no_grad():
        assert model(torch.zeros(1, 3, 4, 4)).shape == (1, 1000)
        with pytest.raises(RuntimeError):
            model(torch.zeros(1, 3, 3, 3))


def test_swin_window_attention_macs_are_fvcores(swin):
    """fvcore counts torchvision's window attention (F.linear and matmul on the padded map):
    4 H_p W_p C^2 + 2 H_p W_p M^2 C per block, H_p = 7 ceil(H/7)."""
    model, net = swin
    for size in (224, 200):
        flops = fvcore_count(model, size)
        by_module = flops.by_module()
        d = net.derive(f"{size}x{size}x3")
        attention = {r.name: r.macs for r in d.layers if r.type == "attention"}
        assert attention == {name: by_module[name] for name in attention}
        # fvcore counts layer norms and the final average pooling besides; symcnn the weights' MACs
        ops = flops.by_operator()
        assert d.total_macs == flops.total() - ops["layer_norm"] - ops["adaptive_avg_pool2d"]
    # the first block at 200: 50 x 50 padded to 56 x 56; 4 * 56^2 * 96^2 + 2 * 56^2 * 7^2 * 96
    assert attention["features.1.0.attn"] == 115_605_504 + 29_503_488


def swin_blocks(model, size: int) -> dict[str, list[int]]:
    """PyTorch's output of every block of timm's Swin (N, H, W, C), by symcnn's name for it (its
    second residual addition)."""
    kinds = (timm.models.swin_transformer.SwinTransformerBlock,)
    return {f"{name}.add@2": shape for name, shape in outputs(model, size, kinds).items()}


@pytest.mark.parametrize("size", [224, 256])
def test_timm_swin(size):
    """timm's Swin, built for 224 and for 256 (64 x 64 patches, padded to windows of 7 in the first
    stage): totals, every block's output, and every window attention's MACs as fvcore's."""
    model = timm_model("swin_tiny_patch4_window7_224", img_size=size)
    net = from_torch(model, f"{size}x{size}x3")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    d = net.derive()
    assert d.total_params == sum(p.numel() for p in model.parameters())
    found = swin_blocks(model, size)
    assert len(found) == 12 and {name: d[name].output.to_json() for name in found} == found
    for m in model.modules():
        if hasattr(m, "fused_attn"):
            m.fused_attn = False
    flops = fvcore_count(model, size)
    by_module = flops.by_module()
    attention = {r.name: r.macs for r in d.layers if r.type == "attention"}
    assert len(attention) == 12 and attention == {name: by_module[name] for name in attention}


# -- MaxViT: MBConv stages with block and grid attention ----------------------------------------------


def test_maxvit_t_at_its_sizes():
    """torchvision's MaxViT builds its partitions for the map sizes of a 224 input (56, 28, 14, 7):
    symcnn's valid inputs are where every stage has that size, 221..224, and PyTorch runs exactly
    there. Totals, every convolution and every attention's output as PyTorch's at 221 and 224, the
    attention's MACs as fvcore's."""
    model = torchvision.models.maxvit_t().eval()
    net = from_torch(model, "224x224x3", name="maxvit_t")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    assert symcnn.analyse(net, "floor").valid_inputs_text() == "I = 221..224"
    kinds = (torchvision.models.maxvit.RelativePositionalMultiHeadAttention,)
    for size in (221, 224):
        d = net.derive(f"{size}x{size}x3")
        assert d.total_params == sum(p.numel() for p in model.parameters())
        convs = {r.name: r.output.to_json() for r in d.layers if r.type == "conv"}
        assert convs == outputs(model, size, (torch.nn.Conv2d,)), size
        # the attention runs on groups of 49 positions (B, groups, 49, C): as many values as the map
        found = outputs(model, size, kinds)
        assert len(found) == 22  # 11 blocks of a block and a grid attention
        for name, (groups, positions, channels) in found.items():
            h, w, c = d[name].output.to_json()
            assert (h * w, c) == (groups * positions, channels) and positions == 49
    for size in (220, 225):
        with pytest.raises(RuntimeError, match="is invalid for input of size"), torch.no_grad():
            model(torch.zeros(1, 3, size, size))
        with pytest.raises(ShapeError, match="declares map_size = 56"):
            net.derive(f"{size}x{size}x3")
    flops = fvcore_count(model, 224)
    by_module = flops.by_module()
    d = net.derive()
    attention = {r.name: r for r in d.layers if r.type == "attention"}
    # fvcore counts MaxViT's two einsums (scores, weighted sum) from numpy's einsum_path, which
    # prints each FLOP count to 4 significant figures: its figure is ours to within that rounding
    # (half a unit in the 4th figure of each einsum's 2 H W M^2 C FLOPs, halved to MACs)
    for name, r in attention.items():
        h, w, c = r.output.to_json()
        einsum_flops = 2 * h * w * 49 * c
        unit = 10 ** (len(str(einsum_flops)) - 4)
        assert abs(r.macs - by_module[name]) <= 2 * (unit / 2) / 2, name
        assert by_module[name] != 0
    # the first: 56 x 56 x 64 in windows of 7: 4 * 3136 * 64^2 + 2 * 3136 * 49 * 64
    assert attention["blocks.0.layers.0.layers.window_attention.attn_layer.1"].macs == 51_380_224 + 19_668_992


# -- a hybrid: a convolutional stem, then attention --------------------------------------------------


@pytest.mark.parametrize("size", [224, 256])
def test_timm_hybrid_vit(size):
    """timm's R+ViT-Ti (a ResNet stem of weight-standardised TF-SAME convolutions, a 1x1 patch
    embedding on its 1/16 map, then DeiT-tiny blocks), built for 224 and 256: totals, every
    convolution and every attention as PyTorch's, every attention's MACs as fvcore's."""
    model = timm_model("vit_tiny_r_s16_p8_224", img_size=size)
    net = from_torch(model, f"{size}x{size}x3")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    d = net.derive()
    assert d.total_params == sum(p.numel() for p in model.parameters())
    derived = {r.name: r.output.to_json() for r in d.layers if r.type in ("attention", "conv")}
    found = outputs(model, size, (*ATTENTION, torch.nn.Conv2d))
    assert derived == found and sum(r.type == "attention" for r in d.layers) == 12
    for m in model.modules():
        if isinstance(m, timm.layers.Attention):
            m.fused_attn = False
    flops = fvcore_count(model, size)
    by_module = flops.by_module()
    attention = {r.name: r.macs for r in d.layers if r.type == "attention"}
    assert attention == {name: by_module[name] for name in attention}


def test_swin_v2_counts_its_position_bias_mlp():
    # Swin-v2's attention (opaque) reads a bias its MLP computes from a fixed table of coordinates: the MLP's
    # parameters (Linear(2, 512) and Linear(512, heads) a block) are counted with the attention that reads them
    from torchvision.models.swin_transformer import PatchMergingV2, SwinTransformer, SwinTransformerBlockV2

    model = SwinTransformer([4, 4], 24, [1, 1], [1, 2], [4, 4], block=SwinTransformerBlockV2,
                            downsample_layer=PatchMergingV2, num_classes=10).eval()
    mlp = sum(p.numel() for name, p in model.named_parameters() if ".cpb_mlp." in name)
    assert mlp == 2 * (2 * 512 + 512) + 512 * 1 + 512 * 2  # by hand: two blocks, one and two heads
    net = from_torch(model, "32x32x3", name="swin_v2")
    assert net.derive().total_params == sum(p.numel() for p in model.parameters())
