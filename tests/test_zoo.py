"""The model zoo: the published totals, and every layer as PyTorch computes it.

The totals are torchvision's (``num_params`` in each weights enum's meta), the article's
for its AlexNet, and LeNet-5's usual modern count; the per-layer comparison runs the
plain-PyTorch reference models of ``tests/torch_zoo.py`` where torch is installed.
"""

import json
from collections import Counter

import pytest
from conftest import require
from zoo_figures import EXPECTED_PARAMS

import symcnn
from symcnn.builders.zoo import BUILTIN

ZOO = [name for name in EXPECTED_PARAMS if name != "alexnet"]

# torchvision's networks end in adaptive pooling, so they take other input sizes as they are.
RESIZABLE = ["alexnet-torchvision", "vgg16", "vgg16-bn", "resnet18", "resnet50", "mobilenet-v2"]
OTHER_SIZES = [193, 256, 320]


def test_every_network_is_listed(run_cli):
    assert set(BUILTIN) == set(EXPECTED_PARAMS)
    status, out, _ = run_cli("list")
    assert status == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert rows == {name: "32x32x1" if name == "lenet5" else "227x227x3" if name in ("alexnet", "alexnet-paper")
                    else "224x224x3" for name in EXPECTED_PARAMS}


@pytest.mark.parametrize("name", EXPECTED_PARAMS)
def test_total_params(name):
    d = symcnn.load(name).derive()
    assert d.total_params == EXPECTED_PARAMS[name]
    assert d.output.dims == ((10,) if name == "lenet5" else (1000,))


def test_alexnet_paper_groups():
    # The paper's grouping halves the weights of conv2, conv4 and conv5 against the article's:
    # conv2 5*5*(96/2)*256 = 307,200 (+256), conv4 3*3*(384/2)*384 = 663,552 (+384),
    # conv5 3*3*(384/2)*256 = 442,368 (+256); the article's 614,656 + 1,327,488 + 884,992
    # become 307,456 + 663,936 + 442,624, so 62,378,344 - 1,413,120 = 60,965,224.
    d = symcnn.load("alexnet-paper").derive()
    assert [d[f"features.{i}"].params for i in (3, 8, 10)] == [307_456, 663_936, 442_624]
    assert 62_378_344 - (614_656 + 1_327_488 + 884_992) + (307_456 + 663_936 + 442_624) == 60_965_224


def test_resnet18_at_another_size(run_cli):
    # 193: conv1 floor((193 + 2*3 - 7)/2) + 1 = 97, maxpool floor((97 + 2 - 3)/2) + 1 = 49,
    # layer2 floor((49 + 2 - 3)/2) + 1 = 25, layer3 13, layer4 7, and the adaptive pool gives 1x1
    # whatever comes in, so the parameters stay 11,689,512.
    status, out, _ = run_cli("summary", "resnet18", "--input", "193x193x3", "--json")
    data = json.loads(out)
    shapes = {l["name"]: l["output"] for l in data["layers"]}
    assert shapes["conv1"] == [97, 97, 64] and shapes["maxpool"] == [49, 49, 64]
    assert shapes["layer2.1.add"] == [25, 25, 128] and shapes["layer3.1.add"] == [13, 13, 256]
    assert shapes["layer4.1.relu2"] == [7, 7, 512] and shapes["avgpool"] == [1, 1, 512]
    assert data["total_params"] == 11_689_512


def test_mobilenet_v2_residuals():
    # A shortcut only where the stride is 1 and the channels stay: 1 + 2 + 3 + 2 + 2 = 10 blocks.
    net = symcnn.load("mobilenet-v2")
    adds = [l.name for l in net.layers if l.type == "add"]
    assert adds == [f"features.{i}.add" for i in (3, 5, 6, 8, 9, 10, 12, 13, 15, 16)]
    assert net["features.5.add"].inputs == ("features.5.conv.3", "features.4.conv.3")


# --------------------------------------------------------------------------- against PyTorch


def _torch_shape(shape):
    """symcnn's HxWxC as PyTorch's (C, H, W); a vector stays (F,)."""
    return tuple(int(d) for d in (shape.channels, *shape.spatial))


def compare_with_torch(name: str, size: int | None = None):
    """Every traced module call against the symcnn layer of the same name.

    A module PyTorch calls k > 1 times (ResNet's one ``relu`` per block) is the spec's
    ``relu1`` ... ``relu<k>``; a residual block's record (the shape after its addition) is
    the spec's ``<block>.add``.
    """
    require("torch")
    import torch_zoo

    model, (channels, height, width) = torch_zoo.build(name)
    shape = (channels, size, size) if size else (channels, height, width)
    records = torch_zoo.trace(model, shape)
    d = symcnn.load(name).derive(None if size is None else f"{size}x{size}x{channels}")

    calls = Counter(r["name"] for r in records if r["kind"] == "layer")
    seen = Counter()
    matched = set()
    for r in records:
        if r["kind"] == "block":
            layer = d[f"{r['name']}.add"]
            assert _torch_shape(layer.output) == r["shape"], r
            matched.add(layer.name)
            continue
        seen[r["name"]] += 1
        own = r["name"] if calls[r["name"]] == 1 else f"{r['name']}{seen[r['name']]}"
        layer = d[own]
        assert (_torch_shape(layer.output), layer.params) == (r["shape"], r["params"]), (own, r)
        # PyTorch's BatchNorm also keeps num_batches_tracked, one number, which the trace leaves out
        extra = 1 if r["type"].startswith("BatchNorm") else 0
        assert layer.buffers == r["buffers"] + extra, (own, r)
        matched.add(own)
    # nothing in the spec that PyTorch does not have (the additions are checked as blocks)
    unmatched = [l.name for l in d.layers if l.name not in matched and l.type != "add"]
    assert unmatched == []
    assert d.total_params == torch_zoo.count_params(model)


@pytest.mark.parametrize("name", ZOO)
def test_layers_equal_pytorch(name):
    compare_with_torch(name)


@pytest.mark.parametrize("size", OTHER_SIZES)
@pytest.mark.parametrize("name", RESIZABLE)
def test_layers_equal_pytorch_at_other_sizes(name, size):
    compare_with_torch(name, size)


def test_article_alexnet_equals_pytorch():
    # The article's AlexNet names its layers conv1 ... fc3 and leaves out the ReLUs and the
    # dropout; its convolutions, pools and FC layers are PyTorch's in the same order.
    require("torch")
    import torch_zoo

    records = torch_zoo.trace(*torch_zoo.build("alexnet"))
    ours = [(_torch_shape(l.output), l.params) for l in symcnn.load("alexnet").derive().layers]
    theirs = [(r["shape"], r["params"]) for r in records if r["type"] in ("Conv2d", "MaxPool2d", "Linear")]
    assert ours == theirs


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", ZOO)
def test_reports_render(name, lang):
    from symcnn.printing import thousands

    md = symcnn.report(name, "md", lang=lang)
    tex = symcnn.report(name, "tex", lang=lang)
    total = thousands(EXPECTED_PARAMS[name])
    assert total in md and total.replace(",", "{,}") in tex
    d = symcnn.load(name).derive()
    # every layer has its own worked derivation
    assert all(f"### {l.name} ({l.type})" in md for l in d.layers)


def test_report_of_a_spec_file(tmp_path, run_cli):
    from test_spec import SMALL

    status, _, err = run_cli("report", str(SMALL), "--out", str(tmp_path), "--format", "md")
    assert status == 0, err
    md = (tmp_path / "small.md").read_text(encoding="utf-8")
    # block1.conv2: 3*3*N*N weights, no bias (see test_spec)
    assert r"9 \times N^{2}" in md


@pytest.mark.parametrize("lang, engine", [("en", "pdflatex"), ("ko", "xelatex")])
@pytest.mark.parametrize("name", ZOO)
def test_zoo_latex_compiles(tmp_path, name, lang, engine):
    from test_report_render import compile_tex

    text, log = compile_tex(symcnn.report(name, "tex", lang=lang), tmp_path, name, engine)
    assert f"{EXPECTED_PARAMS[name]:,}" in text
    # long layer names (resnet50's layer4.2.downsample.0), tables of ~170 rows over several
    # pages and the closed forms all fit the page
    assert "Overfull \\hbox" not in log and "Overfull \\vbox" not in log
    assert "LaTeX Warning" not in log


@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_buffers_apart_from_parameters(fmt):
    from test_report import md_table

    text = symcnn.report("resnet18", fmt)
    # ResNet-18's 20 batch norms have C = 64 (bn1), 4 x 64 (layer1), 5 x 128, 5 x 256 and
    # 5 x 512 (layer2-4 with their downsample): 4,800 channels, so 2 x 4,800 = 9,600
    # parameters and 2 x 4,800 + 20 = 9,620 buffers (mean, variance, one batch count each).
    if fmt == "md":
        *rows, total = md_table(text)
        assert total[5] == "**11,689,512**" and total[6] == "9,620"
        assert {r[0]: r[6] for r in rows}["layer4.0.downsample.1"] == "1,025"  # 2 x 512 + 1
    else:
        assert r"\textbf{11{,}689{,}512} & 9{,}620 \\" in text
    assert "buffers" in text
    # a network without buffers has no such column
    assert "buffers" not in symcnn.report("vgg16", fmt).lower()
