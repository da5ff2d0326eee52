"""Tables for tools: ``symcnn summary --format csv|markdown|latex``, ``to_rows()`` and ``to_pandas()``.

Every one is read back and compared with ``summary --json`` (the records' own numbers), for
every built-in network; the LaTeX table is compiled, the Markdown one rendered by a CommonMark
renderer with tables (and nothing for math).
"""

import csv
import html as html_module
import io
import json
import re

import pytest
from conftest import require

import symcnn
from symcnn.analysis import analyse
from symcnn.builders.zoo import BUILTIN


def summary_json(run_cli, net: str, *extra: str) -> dict:
    status, out, err = run_cli("summary", net, "--json", *extra)
    assert status == 0, err
    return json.loads(out)


def expected_rows(data: dict) -> list[dict]:
    """The layers of ``summary --json`` as the tables write them: the output as ``55x55x96``."""
    keys = ["name", "type", "output", "weights", "biases", "params"] + (["buffers"] if "total_buffers" in data else [])
    return [{k: ("x".join(map(str, layer[k])) if k == "output" else layer.get(k, 0)) for k in keys}
            for layer in data["layers"]]


def number(cell: str) -> int:
    return int(re.sub(r"[*,{}]|\\textbf", "", cell))


@pytest.mark.parametrize("net", BUILTIN)
def test_csv_and_rows_agree_with_json(run_cli, net):
    data = summary_json(run_cli, net)
    status, out, _ = run_cli("summary", net, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    want = expected_rows(data)
    assert list(rows[0]) == list(want[0])  # the header row
    assert [{k: v if k in ("name", "type", "output") else int(v) for k, v in r.items()} for r in rows] == want
    assert all(re.fullmatch(r"\d+", r["params"]) for r in rows)  # plain integers
    d = symcnn.load(net).derive()
    assert d.to_rows() == want
    assert sum(r["params"] for r in want) == data["total_params"]


def test_to_pandas():
    require("pandas")
    d = symcnn.load("alexnet").derive()
    frame = d.to_pandas()
    assert list(frame.columns) == ["name", "type", "output", "weights", "biases", "params"]
    assert int(frame["params"].sum()) == 62_378_344  # the article's total
    assert frame.loc[frame["name"] == "conv1", "weights"].item() == 34_848  # 11^2 x 3 x 96


def markdown_table(text: str) -> list[list[str]]:
    """The table's rows (header first) as a CommonMark renderer with tables reads them."""
    markdown_it = require("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<table>") == 1, html[:300]
    return html_table(html)


@pytest.mark.parametrize("net", BUILTIN)
def test_markdown_table_agrees_with_json(run_cli, net):
    data = summary_json(run_cli, net)
    status, out, _ = run_cli("summary", net, "--format", "markdown")
    assert status == 0 and "$" not in out  # numbers and sizes as text: no math to render
    header, *rows, total = markdown_table(out)
    assert header[:2] == ["layer", "type"] and header[-1 if "total_buffers" not in data else -2] == "parameters"
    want = expected_rows(data)
    assert [r[:2] for r in rows] == [[w["name"], w["type"]] for w in want]
    assert [r[2].replace(",", "") for r in rows] == [w["output"] for w in want]
    assert [[number(c) for c in r[3:]] for r in rows] == [[w[k] for k in list(w)[3:]] for w in want]
    assert number(total[5]) == data["total_params"]


def latex_rows(text: str) -> list[list[str]]:
    body = text.split("\\midrule\n")[1]
    return [cells(line) for line in body.splitlines() if line.strip()]


def cells(line: str) -> list[str]:
    """A LaTeX table row's cells (user text escapes its own ``&`` as ``\\&``)."""
    return [c.strip() for c in re.split(r"(?<!\\)&", line.rstrip().removesuffix("\\\\"))]


@pytest.mark.parametrize("net", BUILTIN)
def test_latex_table_agrees_with_json(run_cli, net):
    data = summary_json(run_cli, net)
    status, out, _ = run_cli("summary", net, "--format", "latex")
    assert status == 0
    assert out.startswith(f"% {net}: input ") and "\\begin{tabular}" in out and out.rstrip().endswith("\\end{tabular}")
    rows = latex_rows(out)
    want = expected_rows(data)
    assert [r[0].replace("\\_", "_") for r in rows] == [w["name"] for w in want]
    assert [r[2].strip("$").replace(" \\times ", "x").replace("{,}", "") for r in rows] == [w["output"] for w in want]
    assert [[number(c) for c in r[3:]] for r in rows] == [[w[k] for k in list(w)[3:]] for w in want]
    total = cells(out.split("\\midrule\n")[2].splitlines()[0])
    assert number(total[5]) == data["total_params"]


def test_latex_table_compiles(run_cli, tmp_path):
    from test_report_render import compile_tex

    status, out, _ = run_cli("summary", "alexnet", "--format", "latex")
    (tmp_path / "table.tex").write_text(out, encoding="utf-8")
    main = "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{table}\n\\end{document}\n"
    text, log = compile_tex(main, tmp_path, "main", "pdflatex")
    assert "62,378,344" in text and "34,944" in text  # the article's total and conv1's parameters
    assert "Overfull \\hbox" not in log


ODD = "a_b&c%|*$#"


def test_user_text_is_escaped_in_every_table(run_cli, tmp_path):
    spec = tmp_path / "odd.yaml"
    spec.write_text(f"name: odd\ninput: 8x8x1\nlayers:\n  - {{kind: conv, name: {json.dumps(ODD)}, channels: 2, "
                    "kernel: 3}\n  - {kind: fc, name: 'x,\"y\"', features: 3}\n", encoding="utf-8")
    # conv: 3x3x1x2 = 18 + 2 = 20, output 6x6x2; fc: 6*6*2*3 = 216 + 3 = 219
    _, out, _ = run_cli("summary", str(spec), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["params"]) for r in rows] == [(ODD, "20"), ('x,"y"', "219")]
    _, out, _ = run_cli("summary", str(spec), "--format", "markdown")
    header, *rows, total = markdown_table(out)
    assert [r[0] for r in rows] == [ODD, 'x,"y"'] and number(total[5]) == 239
    _, out, _ = run_cli("summary", str(spec), "--format", "latex")
    assert r"a\_b\&c\%\textbar{}*\$\#" in out


def test_json_flag_and_format(run_cli):
    status, out, _ = run_cli("summary", "lenet5", "--format", "json")
    assert json.loads(out) == json.loads(run_cli("summary", "lenet5", "--json")[1])
    status, out, err = run_cli("summary", "lenet5", "--json", "--format", "csv")
    assert status == 2 and out == "" and err.count("\n") == 1 and "--json and --format csv" in err


# -- every output agrees ----------------------------------------------------------------------

def html_table(text: str) -> list[list[str]]:
    """The rows (header first) of the first table of an HTML text (a report's: the table of every
    layer, the total last), each cell as the text it shows."""
    table = re.search(r"<table>(.*?)</table>", text, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    return [[html_module.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cell.findall(r)] for r in rows]


@pytest.mark.parametrize("net", BUILTIN)
def test_every_output_shows_the_numbers_of_summary_json(run_cli, net):
    """Per-layer parameters and the total in every output symcnn writes, against ``summary --json``."""
    from test_report import md_table

    from symcnn.views import plot

    data = summary_json(run_cli, net)
    want = [layer["params"] for layer in data["layers"]]
    total = data["total_params"]
    d = symcnn.load(net).derive()
    seen = {
        "rows": ([r["params"] for r in d.to_rows()], sum(r["params"] for r in d.to_rows())),
        "csv": ([int(r["params"]) for r in csv.DictReader(io.StringIO(run_cli("summary", net, "--format", "csv")[1]))],
                total),
    }
    header, *rows, last = markdown_table(run_cli("summary", net, "--format", "markdown")[1])
    seen["summary markdown"] = ([number(r[5]) for r in rows], number(last[5]))
    text = run_cli("summary", net, "--format", "latex")[1]
    seen["summary latex"] = ([number(r[5]) for r in latex_rows(text)],
                             number(cells(text.split("\\midrule\n")[2].splitlines()[0])[5]))
    *rows, last = md_table(symcnn.report(net, "md"))
    seen["report md"] = ([number(r[5]) for r in rows], number(last[5]))
    tex = symcnn.report(net, "tex")
    body = tex.split("\\endhead\n")[1].split("\\bottomrule")[0]
    lines = [cells(line) for line in body.splitlines() if " & " in line]
    seen["report tex"] = ([number(r[5]) for r in lines[:-1]], number(lines[-1][5]))
    header, *rows, last = html_table(symcnn.report(net, "html"))
    seen["report html"] = ([number(r[5]) for r in rows], number(last[5]))
    frame = d.to_pandas() if require("pandas") else None
    seen["pandas"] = ([int(p) for p in frame["params"]], int(frame["params"].sum()))
    figure = plot.figure(analyse(symcnn.load(net)), "params", 32, 512)  # the total at the network's input
    seen["plot"] = (want, figure.value(figure.series[0].label, int(d.input.spatial[0])))
    for name, (layers, shown_total) in seen.items():
        assert layers == want, name
        assert shown_total == total, name


def test_terminal_columns_line_up_with_wide_characters():
    # a Korean layer name takes two terminal columns a character: 합성곱1 is 7 columns wide, and
    # the next column starts at the same place on every line
    from symcnn.views.tables import columns, shown_width

    widths = [shown_width(name) for name in ("합성곱1", "conv1", "a\u200bb", "畳み込み")]
    assert widths == [7, 5, 2, 8]
    lines = columns(("layer", "type"), [("합성곱1", "conv"), ("relu", "act")])
    assert lines == ["layer    type", "-------  ----", "합성곱1  conv", "relu     act"]
