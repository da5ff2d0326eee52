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


def test_totals_of_the_layers_before_an_opaque_layer_are_not_the_networks(run_cli, tmp_path):
    """derive (text and JSON) gives the totals of the part before the opaque layer as that part's only."""
    import json

    model = WithCustom().eval()
    source = tmp_path / "custom.py"
    source.write_text("import torch\nfrom torch import nn\n" + _source_of(Cumulative, WithCustom) +
                      "\ndef build():\n    return WithCustom()\n")
    code, out, _ = run_cli("derive", f"{source}:build", "--input", "32x32x3")
    assert code == 0
    conv1 = sum(p.numel() for p in model.conv1.parameters())  # 3*3*3*8 + 8 = 224, the one layer before cumsum
    assert "params up to cum" in out and f"{conv1:,}" in out
    assert "smallest input of the layers before cum" in out
    totals = [line for line in out.splitlines() if line.startswith(("params", "MACs", "activations"))]
    assert len(totals) == 3 and all(" up to cum " in line for line in totals)
    code, out, _ = run_cli("derive", f"{source}:build", "--input", "32x32x3", "--json")
    data = json.loads(out)
    assert not {"params", "macs", "at_input", "min_input"} & set(data)
    assert data["up_to"]["layer"] == "cum" and data["up_to"]["at_input"]["params"] == conv1
    assert params(model) != conv1  # the network's own total differs: it is never shown as the part's


def _source_of(*classes) -> str:
    import inspect

    return "\n".join(inspect.getsource(c) for c in classes)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.fc = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5), nn.Linear(16 * 5 * 5, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.c1(x)), 2)
        x = nn.functional.max_pool2d(torch.relu(self.c2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x).view(7, -1, 3)


class Looping(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        while x.sum() > 0:
            x = x - 1
        return self.conv(x)


LENET = "import torch\nfrom torch import nn\n\n" + _source_of(LeNet, Broken, Looping)


def _runs(model, size) -> bool:
    try:
        with torch.no_grad():
            model(torch.zeros(1, 1, size, size))
        return True
    except RuntimeError:
        return False


def test_a_one_channel_lenet_derives_with_no_input(run_cli, tmp_path):
    (tmp_path / "lenet.py").write_text(LENET)
    code, out, err = run_cli("derive", f"{tmp_path / 'lenet.py'}:LeNet")
    assert code == 0 and err == ""
    # PyTorch: the model takes 1 channel, and 32 is the smallest size it runs at
    model = LeNet().eval()
    smallest = next(s for s in range(1, 100) if _runs(model, s))
    assert smallest == 32
    assert "(input IxIx1)" in out.splitlines()[0] and f"at I = {smallest}: {params(model):,}" in out


@pytest.mark.parametrize("model, says", [
    ("Broken", "does not run"),
    ("Looping", "torch.export"),  # which fails on the loop, or runs out of its 1 s
], ids=["fails-at-every-size", "trace-time-bound"])
def test_import_failures_are_one_line_and_the_tracer_text_needs_debug(run_cli, tmp_path, monkeypatch, model, says):
    (tmp_path / "m.py").write_text(LENET)
    monkeypatch.setenv("SYMCNN_TRACE_SECONDS", "1")
    code, out, err = run_cli("summary", f"{tmp_path / 'm.py'}:{model}", "--input", "16x16x3")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err
    assert not any(word in err for word in ("While executing", "Original traceback", "tlparse"))


def test_with_debug_an_import_failure_shows_what_lies_behind_its_line(run_cli, tmp_path):
    # Broken views the convolution's 1 x 4 x 14 x 14 output (784 values) as 7 x -1 x 3: 784 is not a
    # multiple of 21, so PyTorch refuses it at every size; --debug shows PyTorch's own error under the line
    (tmp_path / "m.py").write_text(LENET)
    assert 4 * 14 * 14 == 784 and 784 % 21 != 0
    code, out, err = run_cli("--debug", "summary", f"{tmp_path / 'm.py'}:Broken", "--input", "16x16x3")
    assert code == 2 and out == ""
    assert "Traceback" in err and "RuntimeError" in err and "is invalid for input of size 784" in err
    assert "does not run" in err.strip().splitlines()[-1]


class Parts(nn.Module):
    """Res2Net's and EdgeNeXt's use of a split: the last part by a negative index, the rest by a slice."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(4, 4, 3, padding=1) for _ in range(3))

    def forward(self, x):
        spx = torch.split(x, 4, 1)
        rest = spx[:-1]
        out = [conv(rest[i]) for i, conv in enumerate(self.convs)]
        return torch.cat([*out, spx[-1]], 1)


def test_negative_indices_and_slices_of_a_split_as_python_takes_them():
    model = Parts().eval()
    net = from_torch(model, "8x8x16")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    for size in (8, 11):
        d = net.derive(f"{size}x{size}x16")
        with torch.no_grad():
            out = model(torch.zeros(1, 16, size, size))
        assert d.output.to_json() == [*out.shape[2:], out.shape[1]]
        assert d.total_params == params(model)
