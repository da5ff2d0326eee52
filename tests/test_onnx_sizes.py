"""An ONNX file derived at a size other than the one it was exported at: PyTorch's numbers at that
size, or one line that refuses; and PyTorch's layer names read back from both exporters' files.

Every figure is PyTorch's own at the size asked: forward hooks on each convolution.
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

import symcnn  # noqa: E402
from symcnn.builders.onnx import from_onnx  # noqa: E402

EXPORT = (64, 64)
ASKED = (48, 64)  # H x W, not the export size


def export(model, dynamo: bool):
    f = io.BytesIO()
    with warnings.catch_warnings(), open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), \
            contextlib.redirect_stderr(quiet):
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, *EXPORT), f, dynamo=dynamo, external_data=False)
    return onnx.load_from_string(f.getvalue())


def conv_shapes(model, size) -> dict[str, list[int]]:
    """Every convolution's output as H x W x C, from a forward pass of PyTorch at ``size``."""
    found: dict[str, list[int]] = {}
    hooks = [m.register_forward_hook(lambda m, i, o, name=name: found.__setitem__(name, [*o.shape[2:], o.shape[1]]))
             for name, m in model.named_modules() if isinstance(m, torch.nn.Conv2d)]
    with torch.no_grad():
        model(torch.zeros(1, 3, *size))
    for h in hooks:
        h.remove()
    return found


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript", "dynamo"])
def test_shufflenet_at_another_size_is_pytorchs(dynamo):
    model = torchvision.models.shufflenet_v2_x0_5().eval()
    net = from_onnx(export(model, dynamo), f"{ASKED[0]}x{ASKED[1]}x3")
    assert not [layer.name for layer in net.layers if layer.type == "opaque"]  # the channel shuffles derived
    d = net.derive()
    expected = conv_shapes(model, ASKED)
    derived = {r.name: r.output.to_json() for r in d.layers if r.type == "conv"}
    assert derived == expected  # names read back as PyTorch's, and every size PyTorch's (56 convolutions)
    assert len(expected) == 56
    with torch.no_grad():
        assert d.output.to_json() == list(model(torch.zeros(1, 3, *ASKED)).shape[1:])


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript", "dynamo"])
def test_lraspp_at_another_size_refuses_in_one_line(dynamo, run_cli, tmp_path):
    model = torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None).eval()
    proto = export(model, dynamo)
    net = from_onnx(proto)  # at its own size it derives
    with torch.no_grad():
        assert net.derive().output.to_json() == [*EXPORT, 21] == list(model(torch.zeros(1, 3, *EXPORT))["out"].shape[
            2:]) + [21]
    # its upsamplings to another tensor's size are numbers in the file: it holds at its own size only
    with pytest.raises(symcnn.SymcnnError, match="upsamples to 8x8, a size the file writes as numbers"):
        from_onnx(proto, f"{ASKED[0]}x{ASKED[1]}x3")
    path = tmp_path / "lraspp.onnx"
    onnx.save(proto, str(path))
    code, out, err = run_cli("summary", str(path), "--input", f"{ASKED[0]}x{ASKED[1]}x3")
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1 and "holds at 64x64x3 only" in err


def test_torchscript_node_paths_give_pytorchs_names():
    model = torchvision.models.mobilenet_v3_small().eval()
    net = from_onnx(export(model, dynamo=False))
    convs = [layer.name for layer in net.layers if layer.type == "conv"]
    assert convs == [name for name, m in model.named_modules() if isinstance(m, torch.nn.Conv2d)]
