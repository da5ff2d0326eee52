"""ONNX files as ``torch.onnx.export`` writes them by default, which is how users get them: the
exporter folds batch norms into the convolutions (the import says so, with the figures to compare),
drops biases that are all zeros and merges initializers of equal values (an untrained model's: the
import counts the PyTorch model's tensors), and the dynamo exporter's layers take PyTorch's names.

Every expected count is PyTorch's own (``sum(p.numel() for p in model.parameters())``) or written
out by hand below.
"""

import contextlib
import io
import os
import re
import warnings

import pytest
from conftest import require

torch = require("torch")
onnx = require("onnx")
require("onnxscript")

nn = torch.nn

from symcnn.builders.onnx import from_onnx  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402


def export(model, size=(16, 16), **options):
    f = io.BytesIO()
    with warnings.catch_warnings(), open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, *size), f, **options)
    return onnx.load_from_string(f.getvalue())


def torch_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


def trained(model):
    """Batch norms with statistics and affine values of their own, as after training."""
    torch.manual_seed(0)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
            m.weight.data.uniform_(0.5, 2)
            m.bias.data.uniform_(-1, 1)
    return model.eval()


def folded_model():
    return trained(nn.Sequential(
        nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3), nn.BatchNorm2d(16), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(16, 10),
    ))


# By hand: conv 3*3*3*8 = 216, bn 2*8 = 16, conv 3*3*8*16 + 16 = 1,168, bn 2*16 = 32, fc 16*10 + 10 = 170.
FOLDED_TORCH = 216 + 16 + 1168 + 32 + 170


def test_the_model_by_hand():
    assert torch_params(folded_model()) == FOLDED_TORCH == 1602


def test_dynamo_export_folds_batch_norms_and_says_so():
    net = from_onnx(export(folded_model()))
    total = net.derive().total_params
    # the file: the folded convolutions, the first with the 8 biases the folding gave it
    assert total == 216 + 8 + 1168 + 170
    (note,) = net.notes
    assert note.startswith("2 batch norms (24 channels) were folded into the convolutions before them by the "
                           "ONNX exporter")
    assert "2 x 24 = 48 parameters" in note and "lack the 8 biases the folding gave them" in note
    assert total + 48 - 8 == FOLDED_TORCH
    assert [layer.name for layer in net.layers if layer.type in ("conv", "fc")] == ["0", "3", "8"]


def test_torchscript_export_folds_batch_norms_and_says_so():
    net = from_onnx(export(folded_model(), dynamo=False))
    total = net.derive().total_params
    assert total == 216 + 8 + 1168 + 170  # both folded convolutions have a bias (the second's its own)
    (note,) = net.notes
    assert "2 x 24 = 48 parameters" in note and "may lack the biases (up to 24)" in note
    assert "export with dynamo=False, do_constant_folding=False to keep the batch norms" in note
    # they were: 8 gained by the first convolution, 16 the second had
    assert total + 48 - 8 == FOLDED_TORCH


def test_the_note_stays_in_the_spec_written_from_the_import():
    from symcnn.builders.spec import loads
    from symcnn.builders.specwriter import dumps

    net = from_onnx(export(folded_model()))
    again = loads(dumps(net))
    assert again.notes == net.notes and again.derive().total_params == net.derive().total_params


def test_without_folding_the_counts_are_pytorchs():
    net = from_onnx(export(folded_model(), dynamo=False, do_constant_folding=False))
    assert net.notes == () and net.derive().total_params == FOLDED_TORCH


def untrained_model():
    """Batch norms that cannot fold (after a ReLU), as PyTorch initialises them (weights 1, biases 0:
    equal values the exporter merges), and biases set to zero (which it drops)."""
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3), nn.ReLU(), nn.BatchNorm2d(8),
        nn.Conv2d(8, 8, 3), nn.ReLU(), nn.BatchNorm2d(8),
        nn.Flatten(1), nn.Linear(8 * 12 * 12, 10),
    )
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.zeros_(m.bias)
    return model.eval()


def test_merged_equal_initializers_and_dropped_zero_biases_count_as_in_pytorch():
    model = untrained_model()
    # by hand: 3*3*3*8 + 8 = 224, bn 16, 3*3*8*8 + 8 = 584, bn 16, 1152*10 + 10 = 11,530
    assert torch_params(model) == 224 + 16 + 584 + 16 + 11530
    net = from_onnx(export(model))
    d = net.derive()
    assert d.total_params == torch_params(model)
    assert [ld.name for ld in d.layers if ld.params] == ["0", "2", "3", "5", "7"]
    (note,) = net.notes
    assert note == ("the ONNX exporter dropped 3 biases that were all zeros (26 values, as in an untrained model); "
                    "they are counted here, as the PyTorch model has them")


def test_dynamo_export_names_layers_as_pytorch():
    from torchvision.models import resnet18

    model = resnet18().eval()
    net = from_onnx(export(model, (64, 64)))
    weighted = [ld.name for ld in net.derive().layers if ld.type in ("conv", "fc")]
    expected = [ld.name for ld in from_torch(model, "64x64x3").derive().layers if ld.type in ("conv", "fc")]
    assert weighted == expected
    # 20 folded batch norms of 4,800 channels: PyTorch's count is the file's plus 2 x 4,800
    assert re.search(r"20 batch norms \(4,800 channels\).*2 x 4,800 = 9,600", net.notes[0])
    assert net.derive().total_params + 9600 == torch_params(model)


def test_convnext_default_export_imports_without_opaque_layers():
    """The dynamo exporter writes ConvNeXt's average pooling with a strided view (a reshape to one
    vector and a gather of every element in order): the tensor itself."""
    from torchvision.models import convnext_tiny

    model = convnext_tiny().eval()
    net = from_onnx(export(model, (64, 64)))
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    assert net.derive().total_params == torch_params(model)


@pytest.mark.parametrize("dims, text", [((1, 8, 4, 5), "4x5x8"), ((1, 768), "768"), ((768,), "768"), ((), "1")])
def test_shapes_of_any_rank_are_written(dims, text):
    from symcnn.builders.onnx import _text

    assert _text(dims) == text


def test_the_note_shows_in_summary_derive_and_json(run_cli, tmp_path):
    import json

    path = tmp_path / "folded.onnx"
    path.write_bytes(export(folded_model()).SerializeToString())
    status, out, _ = run_cli("summary", str(path))
    assert status == 0 and "\nnote: 2 batch norms (24 channels) were folded" in out
    status, out, _ = run_cli("summary", str(path), "--json")
    assert status == 0 and json.loads(out)["notes"][0].startswith("2 batch norms")
    status, out, _ = run_cli("derive", str(path))
    assert status == 0 and "\nnote: 2 batch norms (24 channels) were folded" in out
