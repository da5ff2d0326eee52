"""examples/walkthrough.ipynb runs in a real Jupyter kernel (nbclient), and what it displays is
what a notebook user sees: a formula as LaTeX, a derivation as its report and table, a closed
form and a solution as LaTeX."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import require

nbclient = require("nbclient")
nbformat = require("nbformat")
require("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "walkthrough.ipynb"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env = dict(os.environ)
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *([old] if old else [])])  # the kernel imports this tree
    try:
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env)
    return [c for c in nb.cells if c.cell_type == "code"]


def _data(cell, mime: str) -> str:
    found = [o["data"][mime] for o in cell.outputs if mime in o.get("data", {})]
    assert found, f"no {mime} output from: {cell.source}"
    return found[0]


def _stream(cell) -> str:
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream")


def _cell(cells, start: str):
    (cell,) = [c for c in cells if c.source.startswith(start)]
    assert not [o for o in cell.outputs if o["output_type"] == "error"], cell.outputs
    return cell


def test_a_formula_shows_as_latex(executed):
    cell = _cell(executed, "import symcnn")
    assert _data(cell, "text/latex") == r"$\displaystyle O = \frac{I - K + 2 \times P}{S} + 1$"
    assert _data(cell, "text/plain") == "<Formula conv-output: O = (I - K + 2*P)/S + 1>"


def test_a_derivation_shows_its_report_and_table(executed):
    cell = _cell(executed, 'd = symcnn.load("alexnet")')
    markdown = _data(cell, "text/markdown")
    # the report's table has conv1's row: (227 - 11)/4 + 1 = 55, 11*11*3*96 + 96 = 34,944
    assert "# alexnet: tensor sizes and parameter counts" in markdown
    assert any(row.startswith("| conv1 |") and "34,944" in row for row in markdown.splitlines())
    assert _data(cell, "text/plain") == "<NetworkDerivation alexnet 227x227x3, 11 layers, 62,378,344 params>"
    printed = _stream(_cell(executed, "print(d)"))
    assert printed.splitlines()[3].split() == ["conv1", "conv", "55x55x96", "34,848", "96", "34,944"]
    assert "total params  62,378,344" in printed  # the article's total
    layer = _cell(executed, 'd["conv1"]')
    assert r"P_{c} &= W_{c} + B_{c} = 34{,}848 + 96 = 34{,}944" in _data(layer, "text/latex")


def test_the_check_finds_the_article_s_mistakes(executed):
    out = _stream(_cell(executed, "from symcnn.commands import cli"))
    assert "55x55x96x3 is not its output" in out
    assert "94,848 should be W_c = 34,848" in out
    assert "27x27x256 is not its output" in out and "its output is 13x13x256" in out


def test_closed_forms_and_solutions_show_as_latex(executed):
    width = _cell(executed, 'net = symcnn.load("alexnet")')
    # pool3's width by hand: floor((I - 35)/32) under floor rounding
    assert _data(width, "text/latex") == r"$\displaystyle \left\lfloor{\frac{I - 35}{32}}\right\rfloor$"
    assert _data(width, "text/plain") == "floor((I - 35)/32)"
    solved = _cell(executed, 'symcnn.solve("conv-output"')
    assert _data(solved, "text/latex") == r"$\displaystyle P = \frac{K - 1}{2}$"
    assert _data(solved, "text/plain") == "P = (K - 1)/2"
    assert _data(_cell(executed, 'a.inputs_for("pool3"'), "text/plain") == "Range(227, 259, 1)"
    kernel = _cell(executed, 'net.with_layer("conv1"')
    assert _data(kernel, "text/plain") == "Shape(((231 - K)/4)x((231 - K)/4)x96)"
