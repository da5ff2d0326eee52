"""Importing torchvision's models: every family at three input sizes against PyTorch's own numbers.

For each model (the smallest of each classification family, and two segmentation networks) the
import must have no opaque layer, and at each size, one of them not square:

- the total parameters equal ``sum(p.numel() for p in model.parameters())`` (each tensor once);
- every leaf module's output, recorded by a forward hook on a real tensor, has the H x W x C of the
  symcnn layer of the same name, and the model's output that of the last layer;
- the closed forms in H and W give the same sizes and the same total.
"""

import pytest
from conftest import require

require("torch")
require("torchvision")

torch_families = require("torch_families")  # the reference models of every family: they need torch
from sympy import Integer  # noqa: E402

from symcnn.analysis import analyse  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402
from symcnn.symbols import H, W  # noqa: E402

# Modules that only move axes: symcnn writes every map H x W x C and has no layer for them.
LAYOUT_ONLY = {"Permute"}


@pytest.fixture(scope="module", params=list(torch_families.FAMILIES))
def imported(request):
    build, sizes = torch_families.FAMILIES[request.param]
    model = build().eval()
    h, w = sizes[0]
    return request.param, model, sizes, from_torch(model, f"{h}x{w}x3")


def test_imports_with_no_opaque_layer(imported):
    name, model, sizes, net = imported
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    assert "torch.fx" in net.description


def test_params_and_every_feature_map_match_pytorch(imported):
    name, model, sizes, net = imported
    expected_params = sum(p.numel() for p in model.parameters())  # parameters() gives each tensor once
    mismatches = []
    for h, w in sizes:
        d = net.derive(f"{h}x{w}x3")
        assert d.total_params == expected_params, (name, h, w)
        by_name = {ld.name: ld for ld in d.layers}
        records = torch_families.hooked_shapes(model, (h, w))
        *modules, (_, output, _) = records
        for key, dims, kind in modules:
            if kind in LAYOUT_ONLY:
                continue
            if key not in by_name:
                mismatches.append((h, w, key, "no symcnn layer"))
            elif by_name[key].output.to_json() != dims:
                mismatches.append((h, w, key, by_name[key].output.to_json(), dims))
        eval_layers = [ld for ld in d.layers if not ld.training]
        if eval_layers[-1].output.to_json() != output:
            mismatches.append((h, w, "output", eval_layers[-1].output.to_json(), output))
    assert mismatches == []


def test_closed_forms_agree_with_every_size(imported):
    name, model, sizes, net = imported
    a = analyse(net, "floor", symbolic="HW")
    assert not a.stops_at and a.stopped is None  # closed forms of every layer, within the time budget
    for h, w in sizes:
        d = net.derive(f"{h}x{w}x3")
        at = {H: Integer(h), W: Integer(w)}
        for la in a.layers:
            if la.record.training:
                continue
            assert [x.xreplace(at) for x in la.output.dims] == list(d[la.name].output.dims), (name, la.name, h, w)
        assert a.params.xreplace(at) == d.total_params
