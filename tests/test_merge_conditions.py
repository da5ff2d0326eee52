"""Merges whose inputs have equal sizes for some input sizes only (an upsampled map concatenated
with a finer one, U-Net, FPN): in closed form the requirement is a condition on the input, which
the analysis folds into the valid inputs, and which ``Analysis.at``/``evaluate`` enforce.

Which input sizes a model takes is PyTorch's to say: each model runs a real forward pass at every
size of a range, and the sizes where it runs are exactly those the analysis calls valid.
"""

import json

import pytest
from conftest import require
from sympy import Integer, Range, floor

from symcnn import Concat, Conv2d, I, Multiply, Network, Pad, ShapeError, Upsample, explain
from symcnn.analysis import analyse
from symcnn.printing import text
from symcnn.records import Equal
from symcnn.shape import Shape

torch = require("torch")
nn = torch.nn

from symcnn.builders.torch import from_torch  # noqa: E402


class Brief(nn.Module):
    """conv 3x3 pad 1 -> conv stride 2 pad 1 -> upsample x2 -> concatenated with the first."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.up = nn.Upsample(scale_factor=2)
        self.c3 = nn.Conv2d(48, 8, 1)

    def forward(self, x):
        a = torch.relu(self.c1(x))
        return self.c3(torch.cat([a, self.up(torch.relu(self.c2(a)))], 1))


class UNet(nn.Module):
    """U-Net with padded convolutions, depth 3: 2 x 2 pooling down, stride-2 transposed convolutions up."""

    def __init__(self, width=4, depth=3):
        super().__init__()
        self.downs, self.ups, self.decs = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        ch = 3
        for d in range(depth):
            self.downs.append(nn.Conv2d(ch, width << d, 3, padding=1))
            ch = width << d
        self.pool = nn.MaxPool2d(2)
        self.mid = nn.Conv2d(ch, ch * 2, 3, padding=1)
        for d in reversed(range(depth)):
            self.ups.append(nn.ConvTranspose2d(width << (d + 1), width << d, 2, stride=2))
            self.decs.append(nn.Conv2d(width << (d + 1), width << d, 3, padding=1))

    def forward(self, x):
        skips = []
        for down in self.downs:
            x = down(x)
            skips.append(x)
            x = self.pool(x)
        x = self.mid(x)
        for up, dec, skip in zip(self.ups, self.decs, reversed(skips)):
            x = dec(torch.cat([skip, up(x)], 1))
        return x


class FPN(nn.Module):
    """Two stride-2 convolutions; the coarser map upsampled by F.interpolate(scale_factor=2) and
    added to a lateral 1x1 of the finer one."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)
        self.lat = nn.Conv2d(8, 8, 1)

    def forward(self, x):
        a = self.c1(x)
        return self.lat(a) + nn.functional.interpolate(self.c2(a), scale_factor=2.0)


class Slopes(nn.Module):
    """Two branches of different strides concatenated: I - 2 and floor((I + 7)/2) meet at two sizes."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3)
        self.b = nn.Conv2d(3, 4, 3, stride=2, padding=4)

    def forward(self, x):
        return torch.cat([self.a(x), self.b(x)], 1)


class Gate(nn.Module):
    """A gate of the stride-2 branch, upsampled, multiplying the full-size map (attention gating)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)

    def forward(self, x):
        a = self.c1(x)
        return a * torch.sigmoid(nn.functional.interpolate(self.c2(a), scale_factor=2.0))


def runs(model, h, w=None) -> bool:
    """Whether PyTorch's forward pass takes an input of h x w."""
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, h, w or h))
    except RuntimeError:
        return False
    return True


def valid(a, h, w=None) -> bool:
    try:
        a.values_at(h if w is None else Shape((h, w), 3))
    except ShapeError:
        return False
    return True


# (model, an import size where it runs, the sizes to try, the valid inputs in words, worked out by hand)
# Brief: relu is I, up 2*floor((I + 1)/2): equal for even I. UNet: three halvings by flooring pools,
# each undone by a doubling: I = 0 mod 8. FPN: floor((I + 1)/2) against 2*floor((I + 3)/4): equal for
# I = 0, 3 mod 4 (from 3: the smallest where c2 has an output of 1 and the interpolation 2).
# Slopes: I - 2 = floor((I + 7)/2) for I = 10, 11 only. Gate: as Brief.
CASES = {
    "brief": (Brief, 64, range(1, 70), "I = 2 and up, where I = 0 mod 2"),
    "unet": (UNet, 64, range(1, 70), "I = 8 and up, where I = 0 mod 8"),
    # below 3 the lateral map is 1 x 1, which PyTorch's + broadcasts (symcnn's Add needs equal shapes)
    "fpn": (FPN, 64, range(3, 70), "I = 3 and up, where I = 0, 3 mod 4"),
    "slopes": (Slopes, 10, range(1, 40), "I = 10..11"),
    # at 1 the full-size map is 1 x 1, which the product broadcasts; the closed forms (the first
    # input's sizes) do not hold there, and the analysis leaves it out
    "gate": (Gate, 64, range(2, 70), "I = 2 and up, where I = 0 mod 2"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_valid_inputs_are_those_pytorch_runs(case):
    build, size, sizes, words = CASES[case]
    model = build().eval()
    a = analyse(from_torch(model, f"{size}x{size}x3"))
    assert a.valid_inputs_text() == words
    assert [s for s in sizes if valid(a, s)] == [s for s in sizes if runs(model, s)]


@pytest.mark.parametrize("case", ["brief", "fpn", "slopes"])
def test_valid_inputs_in_h_and_w_are_those_pytorch_runs(case):
    build, size, sizes, _ = CASES[case]
    model = build().eval()
    a = analyse(from_torch(model, f"{size}x{size}x3"), symbolic="HW")
    pairs = [(h, w) for h in sizes[8:20] for w in sizes[8:20:3]]
    assert [p for p in pairs if valid(a, *p)] == [p for p in pairs if runs(model, *p)]


def test_the_closed_forms_hold_at_every_valid_size():
    model = Brief().eval()
    net = from_torch(model, "64x64x3")
    a = analyse(net)
    sizes = list(range(2, 80, 2))
    params = [sum(p.numel() for p in model.parameters())] * len(sizes)
    assert [int(v) for v in a.evaluate(a.params, sizes)] == params
    macs = [int(v) for v in a.evaluate(a.macs, sizes)]
    # by hand: c1 I*I*27*16, c2 (I/2)^2*144*32, c3 I*I*48*8 at even I
    assert macs == [s * s * 27 * 16 + (s // 2) ** 2 * 144 * 32 + s * s * 48 * 8 for s in sizes]
    assert macs == [int(net.derive(f"{s}x{s}x3").total_macs) for s in sizes]


def test_an_input_off_the_condition_is_refused_with_the_sizes():
    a = analyse(from_torch(Brief().eval(), "64x64x3"))
    with pytest.raises(ShapeError) as e:
        a.at(a.macs, 63)
    assert str(e.value) == ("cat: input I = 63 gives inputs 'relu' and 'up' different sizes (H = 63 and 64); they "
                            "are equal for I = 0 mod 2")
    with pytest.raises(ShapeError, match="cat: input I = 31 gives"):
        a.evaluate(a.macs, [*range(2, 31, 2), 31, 32])  # the first odd size is 31
    with pytest.raises(ShapeError, match="input I = 0 is below the smallest input 2 for which every layer's output "
                                         "is at least 1, where I = 0 mod 2"):
        a.at(a.params, 0)
    # c2 = floor((I + 1)/2) is 5 at I = 9, 10: only 10 is even
    assert a.min_input == 2 and a.inputs_for("c2", 5) == Range(10, 12, 2)


def test_a_numeric_input_names_the_sizes_that_fit():
    net = from_torch(Brief().eval(), "64x64x3")
    with pytest.raises(ShapeError) as e:
        net.derive("63x64x3")
    engine = ("cat (input 63x64x16, 64x64x32): inputs 'relu' (63x64x16) and 'up' (64x64x32) differ in spatial size; "
              "concatenation needs equal sizes")
    assert str(e.value) == engine  # the engine says what it knows, at once
    assert str(explain(e.value)) == engine + "; they are equal for H = 0 mod 2, W = 0 mod 2"


def test_derive_text_and_json(run_cli, tmp_path, monkeypatch):
    from symcnn.views.tables import derive_text

    a = analyse(from_torch(Brief().eval(), "64x64x3"))
    lines = derive_text(a).splitlines()
    assert "equal sizes: cat needs relu and up of equal size: I = 2*floor((I + 1)/2) for I = 0 mod 2" in lines
    assert "valid inputs: I = 2 and up, where I = 0 mod 2" in lines
    data = a.to_json()
    assert data["equal_sizes"] == [{"layer": "cat", "axis": "H", "inputs": ["relu", "up"],
                                    "sizes": ["I", "2*floor(I/2 + 1/2)"],
                                    "holds": {"symbol": "I", "modulus": 2, "residue": 0}}]
    assert data["valid_residues"] == {"I": {"modulus": 2, "residue": 0}} and data["min_input"] == 2
    json.dumps(data)


def test_the_report_says_it_in_english_and_korean():
    from symcnn.views.report.data import report_data
    from symcnn.views.report.render import render

    data = report_data(from_torch(Brief().eval(), "64x64x3"))
    assert "The inputs of cat (relu, up) have equal sizes exactly when $I \\equiv 0 \\pmod{2}$" in render(data, "md")
    assert "cat의 입력(relu, up)의 크기가 같은 입력: $I \\equiv 0 \\pmod{2}$" in render(data, "md", "ko")
    html = render(data, "html")
    assert '"equal":[{"where":"cat (input' in html


# -- the engine: what it records, what it refuses ---------------------------------------------


def brief_layers(pad=0):
    layers = [
        Conv2d("c1", channels=4, kernel=3, padding=1),
        Conv2d("c2", channels=4, kernel=3, stride=2, padding=1),
        Upsample("up", scale=2),
    ]
    if pad:
        layers.append(Pad("pad", before=pad, after=pad))
    return [*layers, Concat("cat", inputs=("c1", layers[-1].name))]


def test_the_engine_records_a_condition_for_symbolic_sizes():
    net = Network("brief", "64x64x3", brief_layers(), rounding="floor")
    d = net.derive(Shape((I, I), 3))
    half = 2 * (floor((I + 2 - 3) / Integer(2)) + 1)  # c2: floor((I + 2P - K)/S) + 1, doubled
    assert d["cat"].equal == tuple(Equal(axis, ("c1", "up"), (I, half), "differ in spatial size; concatenation "
                                         "needs equal sizes") for axis in ("H", "W"))
    assert d["cat"].output == Shape((I, I), 8)
    assert net.derive("64x64x3")["cat"].equal == ()


def test_sizes_that_differ_at_every_input_are_refused():
    # differing by a number: I and I + 2, refused by the engine
    net = Network("n", "8x8x3", [Conv2d("a", channels=4, kernel=3), Conv2d("b", channels=4, kernel=1, padding=1,
                                                                            inputs=("input",)),
                                 Concat("cat", inputs=("a", "b"))], rounding="floor")
    with pytest.raises(ShapeError, match="differ in spatial size"):
        net.derive(Shape((I, I), 3))
    # differing by 2 at even I and 3 at odd I: refused by the analysis, naming the layer
    net = Network("n", "8x8x3", brief_layers(pad=1), rounding="floor")
    with pytest.raises(ShapeError) as e:
        analyse(net)
    padded = 2 * floor((I + 1) / Integer(2)) + 2  # c2 floor((I + 1)/2), doubled, 1 + 1 padded
    assert str(e.value) == (f"cat: inputs 'c1' (H = I) and 'pad' (H = {text(padded)}) differ at every input size; "
                            "they must be equal")


def test_multiply_broadcasts_a_one_and_conditions_the_rest():
    net = Network("gate", "8x8x3", [Conv2d("c1", channels=4, kernel=3, padding=1),
                                    Conv2d("g", channels=4, kernel=3, stride=2, padding=1),
                                    Upsample("up", scale=2), Multiply("mul", inputs=("c1", "up"))], rounding="floor")
    a = analyse(net)
    assert a.valid_inputs_text() == "I = 2 and up, where I = 0 mod 2"
    with pytest.raises(ShapeError, match="do not broadcast"):
        net.derive("9x9x3")
