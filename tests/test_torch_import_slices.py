"""Importing from PyTorch: a slice of the channels (GhostNet's ``out[:, :self.out_chs]``, ReXNet's
partial shortcut ``torch.cat([x[:, :C] + shortcut, x[:, C:]], 1)``) and ``F.linear`` with a weight
of its own (timm's ``Linear``, a subclass of ``nn.Linear`` whose ``forward`` calls it).

Every figure is PyTorch's, in the test: ``sum(p.numel() for p in model.parameters())`` and the
output of a forward pass, at two sizes; the closed forms in I against PyTorch at a third.
"""

import warnings

from conftest import require

torch = require("torch")
nn = torch.nn
F = torch.nn.functional

from sympy import Integer  # noqa: E402

import symcnn  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402
from symcnn.layers import ChannelLinear, Linear  # noqa: E402
from symcnn.symbols import I  # noqa: E402


class OwnLinear(nn.Linear):
    """As timm's ``Linear``: fx traces into its ``forward``, which calls ``F.linear``."""

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


class Slices(nn.Module):
    """Every way the models slice the channels: a head, a middle, a tail by a negative start, the
    whole, and a partial shortcut; then a linear layer over channels-last and one over a vector."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 12, 3, stride=2, padding=1)
        self.cheap = nn.Conv2d(12, 12, 3, padding=1, groups=12)
        self.expand = nn.Conv2d(10, 16, 1)
        self.mix = OwnLinear(16, 6)
        self.fc = OwnLinear(6, 5)
        self.head = OwnLinear(5, 3, bias=False)

    def forward(self, x):
        x = self.conv(x)
        x = torch.cat([x, self.cheap(x)], 1)[:, :10]  # GhostNet: 24 channels made, 10 kept
        shortcut = x[:, 2:7]
        x = self.expand(x)
        x = torch.cat([x[:, 0:5] + shortcut, x[:, 5:]], dim=1)  # ReXNet: 16 channels, 5 of them added to
        x = x[:, -16:] * x[:, :]  # the whole, twice
        x = self.mix(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(self.fc(x))


def params(model):
    return sum(p.numel() for p in model.parameters())


def outputs(model, size):
    found = {}
    hooks = [m.register_forward_hook(lambda m, i, o, name=name: found.__setitem__(name, list(o.shape[1:])))
             for name, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            out = model(torch.zeros(1, 3, *size))
    finally:
        for h in hooks:
            h.remove()
    return found, list(out.shape[1:])


def test_slices_of_the_channels_and_f_linear_derive_as_pytorch_runs_them():
    model = Slices().eval()
    net = from_torch(model, "32x32x3")
    assert [layer.name for layer in net.layers if layer.type == "opaque"] == []
    kinds = {layer.name: type(layer) for layer in net.layers}
    assert kinds["mix"] is ChannelLinear and kinds["fc"] is kinds["head"] is Linear
    for size in ((32, 32), (21, 14)):
        d = net.derive(f"{size[0]}x{size[1]}x3")
        layers, out = outputs(model, size)
        assert d.total_params == params(model)
        assert d.output.to_json() == out
        derived = {r.name: r.output.to_json() for r in d.layers if r.name in layers}
        assert derived["expand"] == [*layers["expand"][1:], layers["expand"][0]]
        assert derived["mix"] == [layers["mix"][0], layers["mix"][1], layers["mix"][2]]  # channels-last as PyTorch
        assert derived["fc"] == layers["fc"] and derived["head"] == layers["head"]
    a = symcnn.analyse(net, "floor")
    assert not a.stops_at
    layers, _ = outputs(model, (27, 27))
    expand = next(la for la in a.layers if la.name == "expand")
    assert [int(x.xreplace({I: Integer(27)})) for x in expand.output.dims] == [*layers["expand"][1:],
                                                                                layers["expand"][0]]


class Stepped(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)[:, ::2]


def test_a_slice_of_the_channels_by_a_step_stays_opaque_with_pytorchs_shape():
    model = Stepped().eval()
    net = from_torch(model, "16x16x3")
    [opaque] = [layer for layer in net.layers if layer.type == "opaque"]
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 16, 16))
    assert net.derive().output.to_json() == [*out.shape[2:], out.shape[1]]
    assert opaque.name == "getitem"


def test_ghostnet_and_rexnet_import_with_no_opaque_layer():
    """The two timm families that slice the channels, and GhostNet's classifier (timm's Linear)."""
    timm = require("timm")
    for name in ("ghostnet_050", "rexnet_100"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = timm.create_model(name, pretrained=False).eval()
        net = from_torch(model, "64x64x3", name=name)
        assert [layer.name for layer in net.layers if layer.type == "opaque"] == [], name
        for size in ((64, 64), (96, 64)):
            d = net.derive(f"{size[0]}x{size[1]}x3")
            layers, out = outputs(model, size)
            assert d.total_params == params(model), name
            assert d.output.to_json() == out, name
            convs = {r.name: r.output.to_json() for r in d.layers if r.type == "conv"}
            assert convs == {k: [*v[1:], v[0]] for k, v in layers.items() if len(v) == 3}, (name, size)


class Paths(nn.Module):
    """SKNet's selective kernel: two paths stacked, an attention over them viewed as (paths, C) and
    softmaxed over the paths. The view in groups is not a channel shuffle: what follows it is opaque,
    and the import derives at its own size."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(3, 8, 3, padding=1), nn.Conv2d(3, 8, 5, padding=2)
        self.select = nn.Conv2d(8, 16, 1)

    def forward(self, x):
        paths = torch.stack([self.a(x), self.b(x)], dim=1)
        attn = self.select(paths.sum(1).mean((2, 3), keepdim=True))
        attn = torch.softmax(attn.view(x.shape[0], 2, 8, 1, 1), dim=1)
        return (paths * attn).sum(1)


def test_an_operation_on_channels_viewed_in_groups_is_opaque_and_derives_at_the_import_size():
    model = Paths().eval()
    net = from_torch(model, "12x12x3")
    assert "softmax" in [layer.name for layer in net.layers if layer.type == "opaque"]
    d = net.derive()
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 12, 12))
    assert d.output.to_json() == [*out.shape[2:], out.shape[1]]
    assert d.total_params == params(model)
