"""Vision transformers at a second and a third size: torchvision's ViT-B/16 built for 256 (its position
embedding fixes the number of tokens), and the closed forms in I of MaxViT-T against PyTorch at a size
neither of its import tests derives at.

Every figure is PyTorch's, run here: ``sum(p.numel() for p in model.parameters())`` and the output of
every convolution and attention module from forward hooks. Models are made with no weights.
"""

import pytest
from conftest import require

torch = require("torch")
torchvision = require("torchvision")

from sympy import Integer  # noqa: E402
from test_transformers import outputs  # noqa: E402  (every module's output of some kinds, from PyTorch)

import symcnn  # noqa: E402
from symcnn import ShapeError  # noqa: E402
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
