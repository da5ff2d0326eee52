"""A training-only branch (an auxiliary head) that fits no input near the one asked for: the derivation
probes larger inputs for its parameters, never smaller ones, so it ends (Inception-v3's aux head once
recursed without end between 96 and 192)."""

import warnings

from conftest import require

import symcnn

torch = require("torch")
tvm = require("torchvision.models")


def inception_v3():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torchvision's note on the weights' initialisation
        return tvm.inception_v3()


def test_inception_v3_derives_where_its_aux_head_does_not_fit():
    model = inception_v3()
    # PyTorch's own count: every parameter, the auxiliary head's included (its FC reads a 1 x 1 pooled map,
    # so its parameters do not depend on the input size)
    params = sum(p.numel() for p in model.parameters())
    for imported, derived in ((160, 96), (96, 96), (96, 160)):
        net = symcnn.from_torch(model, f"{imported}x{imported}x3")
        d = net.derive(f"{derived}x{derived}x3")
        assert d.total_params == params, (imported, derived)
        assert d["AuxLogits.fc"].skipped  # the aux head runs at neither 96 nor 160 in eval
        # the eval network's output at that input, from PyTorch
        model.eval()
        with torch.no_grad():
            out = model(torch.zeros(1, 3, derived, derived))
        assert d.output.dims == (out.shape[1],)
