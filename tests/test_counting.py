"""Each tool's convention against the tool itself: fvcore, ptflops, thop and torchinfo run on the PyTorch
model give the totals symcnn's conventions give on the same network, for every built-in network (its
reference model in tests/torch_zoo.py) and every torchvision family (tests/torch_families.py, imported
with from_torch), at two input sizes. ``compare``'s per-kind differences add up to the gap between the
tools' own totals.
"""

import pytest
from conftest import require

torch = require("torch")
require("torchvision")
for _tool in ("fvcore", "ptflops", "thop", "torchinfo"):
    require(_tool)

tools = require("tools")  # the tools as their users run them, and the reference models
torch_families = require("torch_families")

import symcnn  # noqa: E402
from symcnn.analysis.counting import compare, count  # noqa: E402
from symcnn.builders.torch import from_torch  # noqa: E402

TOOLS = tuple(tools.TOOLS)


def _builtin(name):
    net = symcnn.load(name)
    channels = int(net.input.channels)
    # floor: PyTorch's rounding (the article's AlexNet is exact only at 227)
    return tools.builtin_model(name), [(net.derive(f"{s}x{s}x{channels}", "floor"), torch.zeros(1, channels, s, s))
                                       for s in tools.BUILTIN_SIZES[name]]


@pytest.fixture(scope="module", params=list(tools.BUILTIN_SIZES))
def builtin(request):
    return (request.param, *_builtin(request.param))


@pytest.fixture(scope="module", params=list(torch_families.FAMILIES))
def family(request):
    build, _ = torch_families.FAMILIES[request.param]
    model = build().eval()
    sizes = tools.SIZES_OF.get(request.param, tools.FAMILY_SIZES)
    net = from_torch(model, f"{sizes[0][0]}x{sizes[0][1]}x3")
    return request.param, model, [(net.derive(f"{h}x{w}x3"), torch.zeros(1, 3, h, w)) for h, w in sizes]


_RUNS: dict = {}  # (network, input shape, tool) -> the tool's total: each tool runs once on each model and size


def _run(name, model, x, tool):
    key = (name, tuple(x.shape), tool)
    if key not in _RUNS:
        _RUNS[key] = tools.TOOLS[tool](model, x)
    return _RUNS[key]


def _check(name, model, cases, tool):
    got = [(tuple(x.shape), count(d, tool).total, _run(name, model, x, tool)) for d, x in cases]
    assert [(shape, ours) for shape, ours, _ in got] == [(shape, theirs) for shape, _, theirs in got], (name, tool)


@pytest.mark.parametrize("tool", TOOLS)
def test_builtin_networks_count_as_each_tool(builtin, tool):
    _check(*builtin, tool)


@pytest.mark.parametrize("tool", TOOLS)
def test_torchvision_families_count_as_each_tool(family, tool):
    _check(*family, tool)


def test_compare_differences_add_up_to_the_tools_gaps(builtin):
    # the tools' own totals, and compare's per-kind differences between every two of them
    name, model, cases = builtin
    d, x = cases[0]
    theirs = {tool: _run(name, model, x, tool) for tool in TOOLS}
    c = compare(d)
    for a in TOOLS:
        for b in TOOLS:
            assert c.gap(a, b) == theirs[a] - theirs[b], (name, a, b)
    assert c.totals["flops"] == 2 * c.totals["macs"] == 2 * d.total_macs


@pytest.mark.parametrize("tool", TOOLS)
def test_a_report_counts_as_the_tool_and_gives_its_rules(tool):
    # resnet18 at its report's input (224): the report's total is the tool's own on the PyTorch model, and
    # the figures of the kinds it lists (each with the rule's formula) add up to it
    import re

    text = symcnn.report("resnet18", "md", count=tool)
    conv = symcnn.analysis.counting.convention(tool)
    section = text[text.index(f"## Compute as {conv.title.replace('_', chr(92) + '_')}"):text.index("## Memory")]
    kinds = re.findall(r"^- ([a-z-]+): \$(.+?)\$; ([0-9,]+)", section, re.M)
    total = int(re.search(r"^- In all: \*\*([0-9,]+)\*\*", section, re.M).group(1).replace(",", ""))
    theirs = _run("resnet18", tools.builtin_model("resnet18"), torch.zeros(1, 3, 224, 224), tool)
    assert total == theirs
    assert sum(int(v.replace(",", "")) for _, _, v in kinds) == total
    assert {k for k, _, _ in kinds} >= {"conv", "fc"}
    assert "In closed form in $I$" in section


def test_report_count_on_the_command_line(run_cli, tmp_path):
    status, out, err = run_cli("report", "lenet5", "--count", "ptflops", "--format", "tex", "--out", str(tmp_path))
    assert (status, err) == (0, "")
    tex = (tmp_path / "lenet5.tex").read_text(encoding="utf-8")
    assert r"\section{Compute as ptflops" in tex
    status, _, err = run_cli("report", "lenet5", "--count", "nvidia", "--out", str(tmp_path))
    assert status == 2 and "--count" in err and "\n" not in err.strip()
