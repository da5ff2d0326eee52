"""The HTML page's memory of a training step against PyTorch's own (the Markdown and LaTeX reports'
are in test_memory.py): the bytes each layer saves for backward, per sample, read with
``torch.autograd.graph.saved_tensors_hooks`` in a real CPU training step; the parameters, and Adam's
state after one ``torch.optim`` step. The page's math is MathML (test_html.py checks no TeX is left):
each figure is the last number of its equation.
"""

import html
import re

from conftest import require

torch = require("torch")
require("tools")
require("torch_zoo")

from test_memory import training_step  # noqa: E402  (PyTorch's saved tensors, per layer, and Adam's state)

import symcnn  # noqa: E402


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _memory_section(name: str) -> str:
    page = symcnn.report(name, "html")
    return page[page.index("Memory of a training step"):]


def _figure(section: str, symbol: str) -> int:
    """The number the equation for ``M_{symbol}`` ends with (``M p = s x n p = 4 x 61,706 = 246,824``)."""
    equations = [_text(m) for m in re.findall(r"<math.*?</math>", section, re.S)]
    equation = next(e for e in equations if e.startswith(f"M {symbol} = "))
    return int(equation.rsplit("= ", 1)[1].replace(",", ""))


def test_the_pages_layer_table_is_pytorchs_saved_tensors():
    # LeNet-5 at 32x32x1, batch 1: no batch norm, so every byte a layer saves grows with the batch
    _, saved, state, params, _ = training_step("lenet5")
    section = _memory_section("lenet5")
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)]
    table = {_text(cells[0]): int(_text(cells[-1]).replace(",", "")) for cells in rows if cells}
    total = table.pop("total")
    assert {layer: v for layer, v in table.items() if v} == dict(saved)
    assert total == sum(saved.values()) == _figure(section, "a")
    assert _figure(section, "p") == _figure(section, "g") == params
    assert _figure(section, "o") == state


def test_the_pages_totals_with_batch_norm():
    # ResNet-18 at 224x224x3: batch norm saves two float32 values a channel (its mean and inverse
    # deviation) that do not grow with the batch; the rest is M_a, per sample
    model, saved, state, params, _ = training_step("resnet18")
    stats = 8 * sum(m.num_features for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    section = _memory_section("resnet18")
    assert _figure(section, "a") == sum(saved.values()) - stats
    assert _figure(section, "p") == params and _figure(section, "o") == state

