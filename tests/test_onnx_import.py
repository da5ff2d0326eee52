"""The torchvision models of the import tests, exported to ONNX and imported back with ``from_onnx``.

An ONNX file holds one graph at one size: PyTorch's exporter writes an adaptive pooling as a
pooling of fixed windows for the size it exports at (AlexNet's, VGG's), so the comparison is at
that size, 224 x 224: the total parameters, the output, and the output shape of every layer with
parameters, in order, equal those of the import from PyTorch. The exported graph is the eval
graph: GoogLeNet's and Inception-v3's auxiliary heads (training only) are not in the file, so
their parameters are compared without those heads.

The export keeps batch normalisation apart (``do_constant_folding=False``; folded into the
convolutions it would change the parameters) at opset 17, where GELU is written with Erf.
"""

import io
import warnings

import pytest
from conftest import require

torch = require("torch")
require("torchvision")
onnx = require("onnx")

torch_families = require("torch_families")  # the reference models of every family: they need torch

from symcnn.builders.onnx import from_onnx  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402

SIZE = (224, 224)


def export(model, size):
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, *size), f, dynamo=False, do_constant_folding=False,
                          opset_version=17)
    return onnx.load_from_string(f.getvalue())


def weighted(d):
    return [(ld.type, ld.output.to_json()) for ld in d.layers if ld.params != 0 and not ld.training]


@pytest.mark.parametrize("family", list(torch_families.FAMILIES))
def test_onnx_round_trip(family):
    build, _ = torch_families.FAMILIES[family]
    model = build().eval()
    h, w = SIZE
    expected = from_torch(model, f"{h}x{w}x3").derive()
    net = from_onnx(export(model, SIZE), name=family)
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    got = net.derive()
    eval_params = sum(ld.params for ld in expected.layers if not ld.training)
    assert got.total_params == eval_params
    assert got.output == [ld for ld in expected.layers if not ld.training][-1].output
    assert weighted(got) == weighted(expected)
