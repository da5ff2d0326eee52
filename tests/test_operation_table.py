"""The PyTorch importer's one table of operations: every spelling (a Tensor method, a function, an
aten operation) names a canonical operation that has a handler, and the spellings of one operation
in the three front ends import as the same layer.

Figures are PyTorch's, from a forward pass in the test.
"""

from conftest import require

torch = require("torch")
nn = torch.nn
F = nn.functional

from symcnn.builders import onnx as onnx_importer  # noqa: E402
from symcnn.builders import torch as importer  # noqa: E402
from symcnn.builders.operations import OPERATIONS  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402


def test_every_spelling_names_an_operation_with_a_handler():
    tables = (importer._METHODS, importer._FUNCTION_NAMES, importer._ATEN, importer._functions())
    named = {op for table in tables for op in table.values()}
    assert named - set(importer._OPERATIONS) == set()
    own = set(importer._OPERATIONS) - set(OPERATIONS)
    assert own - named == {"tuple"}  # a model's named outputs: a tuple subclass called


def test_the_two_front_ends_share_one_vocabulary():
    """ONNX's op types name operations with handlers; every shared operation is spelled by a front
    end, and the shared handlers are the same functions in both."""
    spelled = set(onnx_importer._SPELLINGS.values())
    assert spelled - set(onnx_importer._HANDLERS) == set()
    tables = (importer._METHODS, importer._FUNCTION_NAMES, importer._ATEN, importer._functions())
    torch_spelled = {op for table in tables for op in table.values()}
    assert set(OPERATIONS) - spelled - torch_spelled == set()
    for op, handler in OPERATIONS.items():
        assert importer._OPERATIONS[op] is handler and onnx_importer._HANDLERS[op] is handler
    # the families both import through one handler
    both = spelled & torch_spelled & set(OPERATIONS)
    assert {"relu", "sigmoid", "elementwise", "clip", "max_pool", "avg_pool", "dropout", "pixel_shuffle"} <= both


class Spellings(nn.Module):
    """One operation three ways: ``x.mean((2, 3), keepdim=True)``, ``torch.mean``, and a permute as a method
    and as a function."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        x = self.conv(x)
        a = x.mean((2, 3), keepdim=True)
        b = torch.mean(x, dim=(2, 3), keepdim=True)
        c = torch.permute(x.permute(0, 2, 3, 1), (0, 3, 1, 2))
        return torch.relu(c) * (a + b)


def test_the_spellings_of_one_operation_are_one_layer():
    model = Spellings().eval()
    net = from_torch(model, "20x24x3")
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds.count("GlobalAvgPool") == 2 and "Opaque" not in kinds
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 30, 26))
    assert net.derive("30x26x3").output.to_json() == [*out.shape[2:], out.shape[1]]
