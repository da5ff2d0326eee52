"""ONNX files exported at 224x224 and read at 192x256, from both exporters: torchvision's ShuffleNet-V2
(its channel shuffles a Reshape/Transpose pair) and LR-ASPP (an upsampling to another tensor's size,
which a static export writes as numbers).

Every figure is PyTorch's own at 192x256: forward hooks on every convolution and the model's output.
"""

import contextlib
import io
import os
import warnings

import pytest
from conftest import require

torch = require("torch")
onnx = require("onnx")
require("onnxscript")
torchvision = require("torchvision")

from test_onnx_sizes import conv_shapes  # noqa: E402  (every convolution's output, from PyTorch)

import symcnn  # noqa: E402
from symcnn.builders.onnx import from_onnx  # noqa: E402

EXPORT, ASKED = (224, 224), (192, 256)


def export(model, dynamo: bool, dynamic: bool = False):
    f = io.BytesIO()
    options: dict = {"dynamo": dynamo, "external_data": False}
    if dynamic:  # the height and width left free in the file (only the TorchScript exporter here)
        options.update(input_names=["x"], dynamic_axes={"x": {2: "H", 3: "W"}})
    with warnings.catch_warnings(), open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), \
            contextlib.redirect_stderr(quiet):
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, *EXPORT), f, **options)
    return onnx.load_from_string(f.getvalue())


def lraspp():
    return torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None).eval()


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript", "dynamo"])
def test_shufflenet_v2_at_192x256_is_pytorchs(dynamo):
    model = torchvision.models.shufflenet_v2_x1_0().eval()
    net = from_onnx(export(model, dynamo), f"{ASKED[0]}x{ASKED[1]}x3")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    d = net.derive()
    expected = conv_shapes(model, ASKED)
    assert len(expected) == 56
    assert {r.name: r.output.to_json() for r in d.layers if r.type == "conv"} == expected
    with torch.no_grad():
        assert d.output.to_json() == list(model(torch.zeros(1, 3, *ASKED)).shape[1:])


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript", "dynamo"])
def test_lraspp_exported_at_224_refuses_192x256_in_one_line(dynamo, run_cli, tmp_path):
    model = lraspp()
    proto = export(model, dynamo)
    # PyTorch at 192x256: the output is 192 x 256, not the export size, so the file's 28x28 would be wrong
    with torch.no_grad():
        assert list(model(torch.zeros(1, 3, *ASKED))["out"].shape[2:]) == list(ASKED)
    with pytest.raises(symcnn.SymcnnError, match="upsamples to 28x28, a size the file writes as numbers"):
        from_onnx(proto, f"{ASKED[0]}x{ASKED[1]}x3")
    path = tmp_path / "lraspp.onnx"
    onnx.save(proto, str(path))
    code, out, err = run_cli("summary", str(path), "--input", f"{ASKED[0]}x{ASKED[1]}x3")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("symcnn: ") and "holds at 224x224x3 only" in err


def test_lraspp_exported_with_a_free_size_is_pytorchs_at_192x256():
    """Exported with the height and width as symbols, the file's upsampling sizes are read from the
    tensors they follow: every convolution and the output are PyTorch's at 192x256."""
    model = lraspp()
    net = from_onnx(export(model, dynamo=False, dynamic=True), f"{ASKED[0]}x{ASKED[1]}x3")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    d = net.derive()
    expected = conv_shapes(model, ASKED)
    assert {r.name: r.output.to_json() for r in d.layers if r.type == "conv"} == expected
    with torch.no_grad():
        out = model(torch.zeros(1, 3, *ASKED))["out"]
    assert d.output.to_json() == [*out.shape[2:], out.shape[1]]
