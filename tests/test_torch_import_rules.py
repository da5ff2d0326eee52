"""Importing from PyTorch: opaque layers, strict imports, mappings of one's own, shared parameters.

Every figure here is PyTorch's: ``sum(p.numel() for p in model.parameters())`` (each tensor once)
and the shapes of a forward pass.
"""

import subprocess
import sys

import pytest
from conftest import ROOT, require

torch = require("torch")
nn = torch.nn

import symcnn  # noqa: E402
from symcnn.analysis import analyse  # noqa: E402
from symcnn.builders.torch import ModelImportError, from_torch  # noqa: E402
from symcnn.layers import Identity  # noqa: E402


class Cumulative(nn.Module):
    """An operation symcnn has no layer for (a running sum over the channels), with a parameter of its own."""

    def __init__(self, channels):
        super().__init__()
        self.offset = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def forward(self, x):
        return torch.cumsum(x, dim=1) + self.offset


class WithCustom(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.cum = Cumulative(8)
        self.conv2 = nn.Conv2d(8, 4, 3, stride=2)

    def forward(self, x):
        return self.conv2(self.cum(self.conv1(x)))


def params(model):
    return sum(p.numel() for p in model.parameters())


def test_custom_operation_is_opaque_and_marked_everywhere(run_cli):
    model = WithCustom().eval()
    net = from_torch(model, "32x32x3", name="custom")
    opaque = [layer for layer in net.layers if layer.type == "opaque"]
    # cumsum, then the addition of a parameter symcnn cannot place: both opaque, in the module's scope
    assert [layer.op for layer in opaque] == ["torch.cumsum", "operator.add"]
    d = net.derive()
    out = model(torch.zeros(1, 3, 32, 32))
    assert d.output.to_json() == [*out.shape[2:], out.shape[1]]  # 15x15x4: floor((32 - 3)/2) + 1 = 15
    assert d.total_params == params(model)  # the offset (8) counts, in the opaque layer that reads it
    data = d.to_json()
    assert data["not_derived"] == [layer.name for layer in opaque]
    assert all(entry["derived"] is False for entry in data["layers"] if entry["type"] == "opaque")
    assert "opaque" in net.description
    a = analyse(net, "floor")
    assert a.stops_at == opaque[0].name and [la.name for la in a.layers] == ["conv1"]
    md = symcnn.report(net, "md")
    assert "Opaque (torch.cumsum)" in md and f"The closed forms stop before {opaque[0].name}" in md
    html = symcnn.report(net, "html")  # a page whose numbers would not follow a new input size says so
    assert "Opaque (torch.cumsum)" in html and "opaque *" in html
    with pytest.raises(symcnn.ShapeError, match=f"{opaque[0].name} .*: opaque .*known only for the input 32x32x8"):
        net.derive("40x40x3")


def test_strict_import_names_the_node():
    with pytest.raises(ModelImportError, match=r"node cumsum \(torch.cumsum\) has no symcnn layer.*strict"):
        from_torch(WithCustom(), "32x32x3", strict=True)


def test_a_mapping_of_ones_own():
    # The user says what the module is: it keeps the shape (the parameter is counted in the mapped layer).
    class KeepsShape(Identity):
        pass

    net = from_torch(WithCustom(), "32x32x3", strict=True,
                     mappings={Cumulative: lambda module, name: KeepsShape(name)})
    assert [layer.type for layer in net.layers] == ["conv", "act", "conv"]
    assert net.layers[1].name == "cum"


class Shared(nn.Module):
    """One convolution called twice, and a Linear tied to another (the same weight and bias tensors)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.fc1 = nn.Linear(4 * 8 * 8, 10)
        self.fc2 = nn.Linear(4 * 8 * 8, 10)
        self.fc2.weight = self.fc1.weight
        self.fc2.bias = self.fc1.bias

    def forward(self, x):
        x = torch.flatten(self.conv(self.conv(x)), 1)
        return self.fc1(x) + self.fc2(x)


def test_shared_parameters_are_counted_once(run_cli):
    model = Shared().eval()
    # conv: 3*3*4*4 + 4 = 148; fc: 256*10 + 10 = 2,570; each once: 2,718
    assert params(model) == 148 + 2570
    net = from_torch(model, "8x8x4", name="shared")
    d = net.derive()
    assert d.total_params == params(model)
    assert d.shared == (("conv@2", "conv"), ("fc2", "fc1"))
    assert d["conv@2"].params == 0 and d["conv"].params == 148
    assert "shares the parameters of conv (counted there)" in d["conv@2"].note


class Branchy(nn.Module):
    """Python control flow on a shape: torch.fx cannot trace it, torch.export can."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        if x.shape[1] == 3:
            x = self.conv(x)
        x = self.pool(torch.relu(self.bn(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def test_torch_export_where_fx_cannot_trace():
    model = Branchy().eval()
    net = from_torch(model, "32x32x3")
    assert "torch.export with a dynamic height and width (torch.fx could not trace: TraceError" in net.description
    assert [layer.name for layer in net.layers] == ["conv", "bn", "relu", "pool", "avgpool", "view", "fc"]
    shapes = {}
    hooks = [getattr(model, n).register_forward_hook(lambda m, i, o, n=n: shapes.__setitem__(n, list(o.shape)))
             for n in ("conv", "bn", "pool", "fc")]
    model(torch.zeros(1, 3, 40, 24))  # not the import size: the height and width stayed dynamic
    for h in hooks:
        h.remove()
    d = net.derive("40x24x3")
    assert d.total_params == params(model)
    for name, shape in shapes.items():
        dims = shape[1:]  # (C, H, W) or (F,): symcnn writes H x W x C
        assert d[name].output.to_json() == ([*dims[1:], dims[0]] if len(dims) > 1 else dims), name


def test_import_symcnn_does_not_import_torch():
    code = "import sys, symcnn; import symcnn.layers; print('torch' in sys.modules, 'onnx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_docstring_example_of_from_torch():
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3))
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 32, 32))  # PyTorch's own shape: 1 x 8 x 30 x 30
    assert from_torch(model, "32x32x3").derive().output.to_json() == [*out.shape[2:], out.shape[1]]
