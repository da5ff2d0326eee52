"""``symcnn plot``: the files are opened and read back; the values plotted equal the closed forms.

AlexNet in exact rounding (the article's): conv1's width is (I - 11)/4 + 1 = (I - 7)/4 and pool3's
(I - 35)/32 (see test_report.test_committed_closed_forms); every division is whole when
I = 3 (mod 32), from 67 on. Its parameters: fc1 has 256 x 4096 = 1,048,576 weights per pool3
position, and 62,378,344 - 36 x 1,048,576 = 24,629,608 do not depend on I.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import require, require_program

import symcnn
from symcnn.analysis import analyse
from symcnn.views import plot

SVG = "{http://www.w3.org/2000/svg}"


def conv1(i: int) -> int:
    return (i - 7) // 4


def pool3(i: int) -> int:
    return (i - 35) // 32


def params(i: int) -> int:
    return 1_048_576 * pool3(i) ** 2 + 24_629_608


def read_svg(path):
    """The series of an SVG plot: label -> [(I, value)] read back from the drawn points through the axes'
    calibration (``data-x``, ``data-y``), and the tooltips' exact values."""
    root = ET.parse(path).getroot()
    x0, px0, x1, px1 = map(float, root.get("data-x").split())
    y0, py0, y1, py1 = map(float, root.get("data-y").split())
    drawn, exact = {}, {}
    for line in root.iter(f"{SVG}polyline"):
        points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        drawn[line.get("data-label")] = [(x0 + (px - px0) * (x1 - x0) / (px1 - px0),
                                          y0 + (py - py0) * (y1 - y0) / (py1 - py0)) for px, py in points]
    for circle in root.iter(f"{SVG}circle"):
        label, at, value = circle.find(f"{SVG}title").text.rsplit(": ", 2)
        exact.setdefault(label, {})[int(at.removeprefix("I = "))] = int(value.replace(",", ""))
    invalid = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "invalid"]
    return root, drawn, exact, invalid, (y1 - y0) / abs(py1 - py0)


def near(points, size: int, per_pixel: float):
    """The value drawn at ``size`` (the polyline's point there), to a hundredth of a pixel."""
    (value,) = [v for i, v in points if abs(i - size) < 0.01]
    return value, per_pixel * 0.01


def test_alexnet_size(run_cli, tmp_path):
    out = tmp_path / "s.svg"
    status, printed, err = run_cli("plot", "alexnet", "--what", "size", "--out", str(out))
    assert (status, printed, err) == (0, f"{out}\n", "")
    root, drawn, exact, invalid, per_pixel = read_svg(out)
    assert list(drawn) == ["conv1", "pool1 … conv2 (2)", "pool2 … conv5 (4)", "pool3"]
    for size in (67, 227, 483):
        assert exact["conv1"][size] == conv1(size) and exact["pool3"][size] == pool3(size)
        for label, f in (("conv1", conv1), ("pool3", pool3)):
            value, tolerance = near(drawn[label], size, per_pixel)
            assert abs(value - f(size)) <= tolerance, (label, size, value)
    assert exact["conv1"][227] == 55 and exact["pool3"][227] == 6  # the article's sizes
    # only I = 3 (mod 32) from 67 is plotted; the sizes between are marked
    assert sorted(exact["conv1"]) == list(range(67, 513, 32))
    assert len(invalid) == 15  # 32..66, then 31 sizes between each valid one, and 484..512


def test_alexnet_params(run_cli, tmp_path):
    out = tmp_path / "p.svg"
    assert run_cli("plot", "alexnet", "--what", "params", "--out", str(out))[0] == 0
    _, drawn, exact, _, per_pixel = read_svg(out)
    ((label, points),) = drawn.items()
    assert label == "parameters"
    assert exact[label][227] == 62_378_344  # the article's total
    for size in (67, 227, 483):
        assert exact[label][size] == params(size)
        value, tolerance = near(points, size, per_pixel)
        assert abs(value - params(size)) <= tolerance


def test_floor_plots_every_size(run_cli, tmp_path):
    out = tmp_path / "f.svg"
    assert run_cli("plot", "alexnet", "--rounding", "floor", "--range", "60:300", "--out", str(out))[0] == 0
    _, drawn, exact, invalid, per_pixel = read_svg(out)
    assert exact == {}  # too many points for markers: the line alone
    # floor((I - 35)/32) at 224 is 5 (test_cli.py's 224 in floor mode); every size from 67 on is valid
    value, tolerance = near(drawn["pool3"], 224, per_pixel)
    assert abs(value - 5) <= tolerance
    assert [round(i) for i, _ in drawn["pool3"]] == list(range(67, 301))
    assert len(invalid) == 1


def test_png_and_pdf(run_cli, tmp_path):
    require("matplotlib")
    png, pdf = tmp_path / "p.png", tmp_path / "m.pdf"
    assert run_cli("plot", "alexnet", "--what", "params", "--out", str(png))[0] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run_cli("plot", "resnet18", "--what", "macs", "--out", str(pdf))[0] == 0
    text = subprocess.run([require_program("pdftotext"), str(pdf), "-"], capture_output=True, text=True).stdout
    assert "resnet18: MACs against the input size (floor rounding)" in text


BAD = [
    pytest.param(["--out", "x.gif"], "--out: a plot is written as .svg, .png or .pdf, got 'x.gif'", id="file-type"),
    pytest.param(["--range", "300:200", "--out", "x.svg"], "--range: a range needs 1 <= LOW < HIGH", id="range"),
    pytest.param(["--range", "a:b", "--out", "x.svg"], "--range: a range is LOW:HIGH in whole numbers",
                 id="not-numbers"),
    pytest.param(["--what", "flops", "--out", "x.svg"], "invalid choice: 'flops'", id="what"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_bad_input_is_one_line(run_cli, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli("plot", "alexnet", *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_names_are_escaped(tmp_path):
    net = symcnn.Network("odd", "32x32x3", [symcnn.Conv2d("<a&b>", channels=4, kernel=3)], rounding="floor")
    out = plot.save(plot.figure(analyse(net), "size", 8, 40), tmp_path / "odd.svg")
    root, drawn, exact, _, _ = read_svg(out)  # parses: the name is escaped
    assert list(drawn) == ["<a&b>"] and exact["<a&b>"][32] == 30  # 32 - 3 + 1
