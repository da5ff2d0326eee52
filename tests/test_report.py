"""Worked-derivation reports: the article's numbers, the committed reports, escaping, the CLI.

The LaTeX, KaTeX and wheel checks are in ``test_report_render.py``.
"""

import re

import pytest
from conftest import ROOT, notebook
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn
from symcnn.builders.zoo import BUILTIN
from symcnn.views.report.files import filename
from symcnn.views.report.formats import latex_escape, md_escape
from symcnn.views.report.render import REGENERATE, render_latex, render_markdown

REPORTS = ROOT / "reports"
FILES = [("md", "en"), ("tex", "en"), ("md", "ko"), ("tex", "ko")]
FILE_IDS = [filename("alexnet", fmt, lang) for fmt, lang in FILES]
# every format of every language: the golden files
EVERY_FILE = [(fmt, lang) for lang in ("en", "ko") for fmt in ("md", "tex", "html")]

# Every number of the article's derivations (conv1's weights and params, the other conv
# layers' params, the conv total, FC-1's weights and params, FC-2's params, FC-3's weights
# and params, the total).
ARTICLE_NUMBERS = [34_848, 34_944, 614_656, 885_120, 1_327_488, 884_992, 3_747_200, 37_748_736, 37_752_832,
                   16_781_312, 4_096_000, 4_097_000, 62_378_344]
# The tensor sizes of the article's summary (Conv-5 corrected: 13x13x256, see test_alexnet.py).
ARTICLE_SIZES = [(55, 55, 96), (27, 27, 96), (27, 27, 256), (13, 13, 256), (13, 13, 384), (6, 6, 256)]


def committed(fmt: str, lang: str) -> str:
    return (REPORTS / filename("alexnet", fmt, lang)).read_text(encoding="utf-8")


def number(n: int, fmt: str) -> str:
    return f"{n:,}" if fmt == "md" else f"{n:,}".replace(",", "{,}")


def size(dims, fmt: str) -> str:
    return "x".join(map(str, dims)) if fmt == "md" else r" \times ".join(map(str, dims))


GOLDEN = [(net, fmt, lang) for net in BUILTIN for fmt, lang in EVERY_FILE]


@pytest.mark.parametrize("net, fmt, lang", GOLDEN, ids=[filename(*case) for case in GOLDEN])
def test_golden(net, fmt, lang):
    fresh = symcnn.report(net, fmt, lang=lang)
    name = filename(net, fmt, lang)
    assert (REPORTS / name).read_text(encoding="utf-8") == fresh, (
        f"reports/{name} differs from a fresh render; if the change is meant, regenerate every report "
        f"with: {REGENERATE}"
    )


def test_reports_folder_holds_the_golden_files_only():
    assert sorted(p.name for p in REPORTS.iterdir()) == sorted(filename(*case) for case in GOLDEN), (
        f"reports/ should hold exactly the reports of every built-in network; regenerate with: {REGENERATE}"
    )


@pytest.mark.parametrize("fmt, lang", FILES, ids=FILE_IDS)
def test_holds_the_article_numbers(fmt, lang):
    text = committed(fmt, lang)
    for n in ARTICLE_NUMBERS:
        assert number(n, fmt) in text, n
    for dims in ARTICLE_SIZES:
        assert size(dims, fmt) in text, dims
    # Conv-5 keeps 13x13: (13 - 3 + 2*1)/1 + 1 = 13, with 256 kernels.
    row = r"\| conv5 \| conv \| 13x13x256 \|" if fmt == "md" else r"conv5 & conv & \$13 \\times 13 \\times 256\$ &"
    assert re.search(row, text)


@pytest.mark.parametrize("fmt, lang", FILES, ids=FILE_IDS)
def test_worked_examples_as_the_article_writes_them(fmt, lang):
    text = committed(fmt, lang)
    # The article: O = (227 - 11 + 2*0)/4 + 1 = 55, O = (55 - 3)/2 + 1 = 27,
    # W_c = 11^2 x 3 x 96 = 34,848, P_c = 34,848 + 96 = 34,944, W_cf = 6^2 x 256 x 4096,
    # W_ff = 4096 x 1000 = 4,096,000.
    for line in [
        r"\frac{I - K + 2 \times P}{S} + 1 = \frac{227 - 11 + 2 \times 0}{4} + 1 = 55",
        r"\frac{55 - 3}{2} + 1 = 27",
        r"= 11^{2} \times 3 \times 96 = 34{,}848",
        r"= 34{,}848 + 96 = 34{,}944",
        r"= 6^{2} \times 256 \times 4{,}096 = 37{,}748{,}736",
        r"= 4{,}096 \times 1{,}000 = 4{,}096{,}000",
        r"F_{-1} \times F",
    ]:
        assert line in text, line


def cells(line: str) -> list[str]:
    """A Markdown table row's cells, as written: a backslash keeps the next character in its cell."""
    out, cell, chars = [], "", iter(line.strip()[1:])
    for ch in chars:
        if ch == "\\":
            cell += ch + next(chars, "")
        elif ch == "|":
            out.append(cell.strip())
            cell = ""
        else:
            cell += ch
    return out


def md_table(text: str) -> list[list[str]]:
    """The rows of the Markdown table of layers (the first table; header and rule dropped), cells stripped."""
    start = text.index("\n|") + 1
    end = text.find("\n\n", start)
    lines = text[start:end if end >= 0 else None].splitlines()
    assert re.fullmatch(r"[:\-| ]+", lines[1])
    return [cells(l) for l in lines[2:]]


def md_unescape(cell: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell)


def as_int(cell: str) -> int:
    return int(cell.strip("*").replace(",", ""))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_committed_table_adds_up(lang):
    """A snapshot cannot bless a wrong total: the committed rows must add up to the committed total."""
    *layers, total = md_table(committed("md", lang))
    assert [r[0] for r in layers] == ["conv1", "pool1", "conv2", "pool2", "conv3", "conv4", "conv5", "pool3",
                                      "fc1", "fc2", "fc3"]
    for name, _, _, weights, biases, params in layers:
        assert as_int(weights) + as_int(biases) == as_int(params), name
    for column in (3, 4, 5):
        assert sum(as_int(r[column]) for r in layers) == as_int(total[column])
    assert as_int(total[5]) == 62_378_344  # the article's total
    assert sum(as_int(r[5]) for r in layers if r[1] == "conv") == 3_747_200  # the article's conv total


def test_committed_latex_table_adds_up():
    text = committed("tex", "en")
    rows = re.findall(r"^(\S+) & (\w+) & \$[^$]*\$ & ([\d{},]+) & ([\d{},]+) & ([\d{},]+) \\\\$", text, re.M)
    assert len(rows) == 11
    params = [int(r[4].replace("{,}", "")) for r in rows]
    assert sum(params) == 62_378_344
    assert r"\textbf{62{,}378{,}344}" in text


def test_floor_shows_brackets_and_the_quotient_rounded():
    md = render_markdown("alexnet", input="224x224x3", rounding="floor")
    # (224 - 11 + 2*0)/4 = 213/4 = 53.25, floor 53, + 1 = 54; pool2 (26 - 3)/2 = 11.5 -> 12.
    assert (r"\left\lfloor{\frac{224 - 11 + 2 \times 0}{4}}\right\rfloor + 1 = \left\lfloor{53.25}\right\rfloor + 1"
            r" = 54") in md
    assert r"\left\lfloor{\frac{26 - 3}{2}}\right\rfloor + 1 = \left\lfloor{11.5}\right\rfloor + 1 = 12" in md
    # A whole quotient needs no extra side: pool1 (54 - 3)/2 = 25.5 is not whole, conv2 (26 - 5 + 4)/1 = 25 is.
    assert r"\left\lfloor{\frac{26 - 5 + 2 \times 2}{1}}\right\rfloor + 1 = 26" in md
    # The total from test_cli.py's hand computation for 224 and floor.
    assert as_int(md_table(md)[-1][5]) == 50_844_008


def test_ceil_brackets():
    tex = render_latex("alexnet", input="224x224x3", rounding="ceil", fragment=True)
    # ceil(213/4) + 1 = 54 + 1 = 55.
    assert r"\left\lceil{53.25}\right\rceil + 1 = 55" in tex


def test_non_terminating_quotient_stays_a_fraction():
    net = symcnn.Network("odd", "10x10x1", [symcnn.Conv2d("c", channels=2, kernel=2, stride=3)], rounding="floor")
    # (10 - 2)/3 = 8/3 = 2.666..., floor 2, + 1 = 3.
    assert r"\left\lfloor{\frac{8}{3}}\right\rfloor + 1 = 3" in render_markdown(net)


def test_per_axis_steps():
    net = symcnn.Network("rect", "230x200x3", [symcnn.Conv2d("c", channels=2, kernel=(3, 5), stride=2)],
                         rounding="floor")
    md = render_markdown(net)
    # H: floor((230 - 3)/2) + 1 = floor(113.5) + 1 = 114; W: floor((200 - 5)/2) + 1 = 98;
    # weights 3 x 5 x 3 x 2 = 90, + 2 biases = 92.
    assert r"O_{H} = " in md and r"\left\lfloor{113.5}\right\rfloor + 1 = 114" in md
    assert r"O_{W} = " in md and r"\left\lfloor{97.5}\right\rfloor + 1 = 98" in md
    assert "| c | conv | 114x98x2 | 90 | 2 | 92 |" in md


# -- user text ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, escaped", [
    ("\\", r"\textbackslash{}"), ("{", r"\{"), ("}", r"\}"), ("$", r"\$"), ("&", r"\&"), ("#", r"\#"),
    ("^", r"\textasciicircum{}"), ("_", r"\_"), ("%", r"\%"), ("~", r"\textasciitilde{}"),
    ("a_b&c%", r"a\_b\&c\%"), ("x\\{}", r"x\textbackslash{}\{\}"), ("conv1", "conv1"),
], ids=lambda v: repr(v))
def test_latex_escape(raw, escaped):
    assert latex_escape(raw) == escaped


@pytest.mark.parametrize("raw, escaped", [
    ("a_b&c%", r"a\_b\&c%"), ("x|y", r"x\|y"), ("*b*", r"\*b\*"), ("$5", r"\$5"), ("[l](u)", r"\[l\](u)"),
    ("<b>", r"\<b\>"), ("a\\b", r"a\\b"), ("two\nlines", "two lines"), ("conv1", "conv1"),
], ids=lambda v: repr(v))
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped


ODD = "a_b&c%"


def odd_network():
    # conv: 3x3x3x8 = 216 weights + 8 = 224; pool 32 -> 16; fc after 16x16x8:
    # 16*16*8*10 = 20,480 + 10 = 20,490; total 224 + 20,490 = 20,714.
    return symcnn.Network("odd", "32x32x3", [
        symcnn.Conv2d(ODD, channels=8, kernel=3, padding=1),
        symcnn.MaxPool2d("p|*$~^#{}\\<>", kernel=2),
        symcnn.ReLU("r`[x](y)"),
        symcnn.Linear("fc", features=10),
    ])


def test_odd_names_are_escaped():
    md = render_markdown(odd_network())
    tex = render_latex(odd_network())
    assert ODD not in md and r"a\_b\&c%" in md
    assert ODD not in tex and r"a\_b\&c\%" in tex
    assert r"p\|\*\$\~^\#{}\\\<\>" in md
    assert r"p\textbar{}*\$\textasciitilde{}\textasciicircum{}\#\{\}\textbackslash{}\textless{}\textgreater{}" in tex
    assert r"| a\_b\&c% | conv | 32x32x8 | 216 | 8 | 224 |" in md
    assert as_int(md_table(md)[-1][5]) == 20_714


NAMES = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(st.lists(NAMES, min_size=2, max_size=2, unique=True))
def test_any_name_survives_the_table(names):
    net = symcnn.Network("any", "8x8x1", [symcnn.Conv2d(names[0], channels=2, kernel=3),
                                          symcnn.Linear(names[1], features=3)])
    *rows, total = md_table(render_markdown(net))
    assert [md_unescape(r[0]) for r in rows] == [" ".join(n.split()) for n in names]
    # conv: 3x3x1x2 = 18 + 2 = 20, output 6x6x2; fc: 6*6*2*3 = 216 + 3 = 219; total 239.
    assert [as_int(r[5]) for r in rows] == [20, 219] and as_int(total[5]) == 239


def test_layer_without_steps():
    md = render_markdown(odd_network())
    assert "### r\\`\\[x\\](y) (act): 16x16x8 → 16x16x8\n\nKeeps the size of its input; no parameters." in md


# -- API and notebooks --------------------------------------------------------------------

def test_api_and_notebook_reprs():
    net = symcnn.load("alexnet")
    d = net.derive()
    assert symcnn.report(net, "md") == symcnn.report("alexnet") == symcnn.report(d, "md")
    assert notebook(net, "text/markdown") == symcnn.report(net, "md")
    assert notebook(d, "text/markdown") == committed("md", "en")
    assert symcnn.report(net, "tex", lang="ko") == committed("tex", "ko")
    layer = notebook(d["conv1"], "text/markdown")
    assert layer.startswith("### conv1 (conv): 227x227x3 → 55x55x96")
    assert r"P_{c} = W_{c} + B_{c} = 34{,}848 + 96 = 34{,}944" in layer
    latex = notebook(d["conv1"], "text/latex")
    assert latex.startswith(r"$$\begin{aligned}") and latex.rstrip().endswith(r"\end{aligned}$$")
    assert r"W_{c} &= K^{2} \times C \times N = 11^{2} \times 3 \times 96 = 34{,}848" in latex
    assert r"\text{fc3}:\quad & W_{ff} = " in notebook(net, "text/latex")
    # one step: conv1's output width, (227 - 11 + 2*0)/4 + 1 = 55 (the article's)
    step = notebook(d["conv1"].steps[0], "text/latex")
    assert step.startswith("$O = ") and step.endswith(" = 55$")


def test_api_errors():
    with pytest.raises(symcnn.UnknownNameError, match="unknown format 'docx'; choose one of md, tex, html"):
        symcnn.report("alexnet", "docx")
    with pytest.raises(symcnn.UnknownNameError, match="unknown language 'fr'"):
        symcnn.report("alexnet", "md", lang="fr")


def test_strings_of_each_language_cover_the_same_entries():
    from symcnn.views.strings import STRINGS

    en, ko = STRINGS["en"], STRINGS["ko"]
    assert set(en) == set(ko)
    for key in ("kinds", "kind_notes", "types", "rounding_notes"):
        assert set(en[key]) == set(ko[key]), key
    assert set(ko["symbol_meanings"]) == {s.name for s in symcnn.symbols.MEANINGS}
    # every formula has a heading in every language
    for lang in (en, ko):
        assert set(lang["kinds"]) >= set(symcnn.formulas.FORMULA_NAMES)
        types = {"conv", "deconv", "pool", "fc", "norm", "act", "dropout", "flatten", "add", "concat"}
        assert set(lang["types"]) >= types


# -- command line -------------------------------------------------------------------------

def test_cli_writes_md_and_tex(run_cli, tmp_path):
    status, out, err = run_cli("report", "alexnet", "--out", str(tmp_path))
    assert status == 0 and err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alexnet.html", "alexnet.md", "alexnet.tex"]
    assert out.split() == [str(tmp_path / "alexnet.md"), str(tmp_path / "alexnet.tex"), str(tmp_path / "alexnet.html")]
    assert (tmp_path / "alexnet.md").read_text(encoding="utf-8") == committed("md", "en")


def test_cli_default_folder_and_all_languages(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, _ = run_cli(*REGENERATE.split()[1:])
    assert status == 0
    for case in GOLDEN:
        name = filename(*case)
        assert (tmp_path / "reports" / name).read_text(encoding="utf-8") == (REPORTS / name).read_text(
            encoding="utf-8"), name


def test_cli_several_networks(run_cli, tmp_path):
    status, out, _ = run_cli("report", "lenet5", "alexnet", "--format", "md", "--out", str(tmp_path))
    assert status == 0
    assert out.split() == [str(tmp_path / "lenet5.md"), str(tmp_path / "alexnet.md")]
    assert (tmp_path / "alexnet.md").read_text(encoding="utf-8") == committed("md", "en")


def test_cli_refuses_two_networks_of_one_name(run_cli, tmp_path):
    spec = tmp_path / "mine.yaml"
    spec.write_text("name: alexnet\ninput: 8x8x3\nlayers: [{kind: relu}]\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    status, out, err = run_cli("report", "alexnet", str(spec), "--out", str(out_dir))
    assert (status, out) == (2, "") and err.count("\n") == 1
    assert f"alexnet and {spec} are both named 'alexnet'" in err
    assert not out_dir.exists()  # nothing written, not one report over the other


def test_cli_korean_markdown_only(run_cli, tmp_path):
    status, _, _ = run_cli("report", "alexnet", "--format", "md", "--lang", "ko", "--out", str(tmp_path))
    assert status == 0
    assert [p.name for p in tmp_path.iterdir()] == ["alexnet.ko.md"]


def test_cli_fragment(run_cli, tmp_path):
    status, _, _ = run_cli("report", "alexnet", "--format", "tex", "--fragment", "--out", str(tmp_path))
    assert status == 0
    body = (tmp_path / "alexnet.tex").read_text(encoding="utf-8")
    assert r"\documentclass" not in body and r"\begin{document}" not in body
    assert body in committed("tex", "en")
    assert r"\textbf{62{,}378{,}344}" in body


def test_cli_template_dir(run_cli, tmp_path):
    user = tmp_path / "mine" / "md"
    user.mkdir(parents=True)
    (user / "report.md.j2").write_text(
        '{% extends "builtin/md/report.md.j2" %}\n{% block after %}\nWritten by hand: {{ d.total_params|thousands }}\n'
        "{% endblock %}\n", encoding="utf-8")
    status, _, err = run_cli("report", "alexnet", "--format", "md", "--template-dir", str(tmp_path / "mine"),
                             "--out", str(tmp_path / "out"))
    assert status == 0, err
    text = (tmp_path / "out" / "alexnet.md").read_text(encoding="utf-8")
    assert text.startswith(committed("md", "en")) and text.endswith("\nWritten by hand: 62,378,344\n")


BAD = [
    pytest.param(["--format", "md", "--pdf"], "--pdf: --pdf compiles the LaTeX report", id="pdf-needs-tex"),
    pytest.param(["--pdf", "--fragment"], "--pdf: a --fragment cannot be compiled", id="pdf-fragment"),
    pytest.param(["--lang", "fr"], "invalid choice: 'fr'", id="unknown-language"),
    pytest.param(["--template-dir", "/no/such/folder"], "--template-dir: /no/such/folder is not a folder",
                 id="missing-template-dir"),
    pytest.param(["--input", "224x224x3"],
                 "conv1 (input 224x224x3): output height (224 - 11 + 2*0)/4 + 1 = 54.25 is not whole",
                 id="exact-division"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_cli_bad_input_is_one_line_and_writes_nothing(run_cli, tmp_path, argv, message):
    status, out, err = run_cli("report", "alexnet", "--out", str(tmp_path / "out"), *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("symcnn: error: ") and message in err, err
    assert not (tmp_path / "out").exists()


def test_cli_broken_template_is_one_line_and_writes_nothing(run_cli, tmp_path):
    (tmp_path / "mine" / "tex").mkdir(parents=True)
    (tmp_path / "mine" / "tex" / "report.tex.j2").write_text("{% if %}", encoding="utf-8")
    status, _, err = run_cli("report", "alexnet", "--template-dir", str(tmp_path / "mine"),
                             "--out", str(tmp_path / "out"))
    assert status == 2 and err.count("\n") == 1
    assert "tex/report.tex.j2 line 1: TemplateSyntaxError" in err
    assert not (tmp_path / "out").exists()  # the Markdown rendered fine but is not written alone


def test_cli_missing_compiler_is_one_line(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    status, out, err = run_cli("report", "alexnet", "--pdf", "--out", str(tmp_path / "out"))
    assert status == 2
    assert err == "symcnn: error: --pdf: latexmk is not installed; it is needed to compile alexnet.tex\n"
    assert not (tmp_path / "out").exists()  # checked before anything is written


def test_network_name_that_cannot_name_a_file():
    with pytest.raises(symcnn.SpecError, match="cannot name a file"):
        filename("../x", "md", "en")


def test_korean_speaks_the_article_terms():
    text = committed("md", "ko")
    for term in ("출력 텐서 크기", "파라미터 개수", "합성곱 층", "풀링 층", "완전 연결 층"):
        assert term in text, term
    headings = [l for l in text.splitlines() if l.startswith("#") and not l.startswith("### ")]
    assert len(headings) == 12  # title, symbols, 5 kinds, every layer, table, totals, closed forms, memory
    assert all(re.search("[\uac00-\ud7a3]", h) for h in headings), headings
    assert "First example" not in text and "parameters" not in text


def test_cli_out_that_is_a_file(run_cli, tmp_path):
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    status, _, err = run_cli("report", "alexnet", "--out", str(tmp_path / "taken"))
    assert status == 2 and err.count("\n") == 1
    assert err.startswith(f"symcnn: error: --out: cannot write {tmp_path / 'taken'}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


# -- closed forms in the input size --------------------------------------------------------

@pytest.mark.parametrize("fmt, lang", FILES, ids=FILE_IDS)
def test_committed_closed_forms(fmt, lang):
    text = committed(fmt, lang)
    # Exact rounding: conv1 (I - 11)/4 + 1 = (I - 7)/4, pool1 ((I - 7)/4 - 3)/2 + 1 = (I - 11)/8,
    # pool2 ((I - 11)/8 - 3)/2 + 1 = (I - 19)/16 and pool3 ((I - 19)/16 - 3)/2 + 1 = (I - 35)/32;
    # 227: (227 - 35)/32 = 6.
    for size in (r"\frac{I - 7}{4}", r"\frac{I - 11}{8}", r"\frac{I - 19}{16}", r"\frac{I - 35}{32}"):
        assert size in text, size
    # Whole divisions: I = 7 (mod 4), 11 (mod 8), 19 (mod 16), 35 (mod 32) all hold exactly
    # when I = 3 (mod 32); the smallest such I with pool3 at least 1 is 35 + 32 = 67.
    assert r"$I \equiv 3 \pmod{32}$" in text
    assert re.search(r": 67$", text, re.M)
    # Receptive field at pool3 (Araujo et al.): sizes 11, 11 + 2*4 = 19, 19 + 4*8 = 51,
    # 51 + 2*8 = 67, 67 + 2*16 = 99, 131, 163, 163 + 2*16 = 195; stride 4*2*2*2 = 32;
    # padding 0 + 2*8 (conv2) + 1*16 * 3 (conv3-5) = 64.
    assert "195/32/64" in text and "163/16/64" in text and "11/4/0" in text
    # MACs at 227 (weights only): conv1 55^2*34,848 = 105,415,200, conv2 27^2*614,400 = 447,897,600,
    # conv3-5 13^2*(884,736 + 1,327,104 + 884,736) = 523,321,344, fc 37,748,736 + 16,777,216 +
    # 4,096,000 = 58,621,952; in all 1,135,256,096.
    assert 105_415_200 + 447_897_600 + 523_321_344 + 58_621_952 == 1_135_256_096
    assert number(1_135_256_096, fmt) in text
    # The parameters as a function of I: fc1's 256*4096 = 1,048,576 weights per pool3 position,
    # and 62,378,344 - 1,048,576*36 = 24,629,608 that do not depend on I.
    assert 62_378_344 - 1_048_576 * 36 == 24_629_608
    assert r"1{,}048{,}576 \times \left(\frac{I - 35}{32}\right)^{2} + 24{,}629{,}608" in text
    assert "FLOPs = 2" in text


def test_floor_closed_forms():
    md = render_markdown("alexnet", input="224x224x3", rounding="floor")
    section = md.split("\n## Closed forms")[1]
    # floor((floor((I - 11)/4) + 1 - 3)/2) + 1 = floor((I - 11)/8) ... pool3 floor((I - 35)/32).
    assert r"\left\lfloor{\frac{I - 35}{32}}\right\rfloor" in section
    # Floor rounding takes every I from the smallest valid one on: no congruence.
    assert r"\pmod" not in section
    # At 224 the table's total (test_cli.py's hand computation for 224 and floor) again.
    assert "at 224x224x3: 50,844,008" in section


def test_no_closed_form_is_one_sentence():
    # The closed forms are in I x I (or H x W): a 1-d network has none, and the section says why.
    net = symcnn.Network("signal", "64x3", [
        symcnn.Conv1d("c", channels=4, kernel=3), symcnn.MaxPool1d("p", kernel=3, stride=2, ceil_mode=True),
    ], rounding="floor")
    md = render_markdown(net, lang="en")
    section = md.split("\n## Closed forms in the input size\n")[1].split("\n## ")[0]  # up to the memory
    assert section.strip().count("\n") == 0 and section.startswith("\nsymcnn gives no closed forms in $I$")
    assert "closed forms need a 2-d input" in section
    d = symcnn.load("resnet18").derive()
    # A derivation built by hand keeps no network: the section says so instead of failing.
    alone = symcnn.records.NetworkDerivation("mine", d.input, d.rounding, d.layers)
    assert "does not keep the network" in render_markdown(alone)


def test_cli_without_a_network(run_cli, tmp_path):
    status, out, err = run_cli("report", "--out", str(tmp_path / "out"))
    assert status == 2 and out == ""
    assert err == "symcnn: error: report: name a network (see 'symcnn list'), a spec file, or --builtin\n"
    assert not (tmp_path / "out").exists()


def test_lenet5_closed_forms_in_brackets():
    md = render_markdown("lenet5")
    section = md.split("\n## Closed forms")[1]
    # conv 5x5 without padding: I - 4 per side; a sum is bracketed before the next x.
    assert r"| features.0 | $\left(I - 4\right) \times \left(I - 4\right) \times 6$ | 156 |" in section
    # MACs at 32 (weights only): 150 x 28^2 = 117,600, 2,400 x (16 - 6)^2 = 240,000,
    # 48,000 + 10,080 = 58,080 times (8 - 7)^2 (the conv 16 -> 120 and the first FC), 84 x 10 = 840: 416,520.
    assert 150 * 28**2 + 2_400 * (16 - 6) ** 2 + 58_080 * (8 - 7) ** 2 + 840 == 416_520
    assert "at 32x32x1: 416,520" in section
    assert "at 32x32x1: 61,706" in section  # LeNet-5's usual count


# -- one derivation per report ------------------------------------------------------------------

def test_a_report_in_every_format_and_language_derives_the_network_once(run_cli, tmp_path, monkeypatch):
    import symcnn.network
    from symcnn.analysis.closed import clear_cache

    calls = []
    uncached = symcnn.network._derive

    def counting(network, shape, rounding, simplify=None):
        calls.append(str(shape))
        return uncached(network, shape, rounding, simplify)

    monkeypatch.setattr(symcnn.network, "_derive", counting)
    clear_cache()
    symcnn.network._derived.cache_clear()
    status, _, err = run_cli("report", "alexnet", "--format", "all", "--lang", "all", "--out", str(tmp_path))
    assert status == 0, err
    assert len(list(tmp_path.iterdir())) == 3 * 2  # md, tex and html; en and ko
    # once at the input for the worked derivation; once in I for the closed forms, once in H and W
    # for the HTML page's non-square inputs
    assert calls == ["227x227x3", "IxIx3", "HxWx3"]


def test_values_at_the_input_are_the_derivations_totals():
    from symcnn.views.report.data import report_data

    for net in BUILTIN:
        data = report_data(net)
        d = data.derivation
        # two computations that must agree: the closed forms at the input, and the layers added up
        assert data.at_input == {"params": d.total_params, "macs": d.total_macs,
                                 "activations": d.total_activations, "activation_bytes": 4 * d.total_activations}, net


def test_closed_forms_follow_the_reports_input_channels():
    md = render_markdown("alexnet", input="227x227x1")
    # conv1 on one channel: 11^2 x 1 x 96 = 11,616 weights, not 34,848: 23,232 fewer parameters,
    # 62,378,344 - 23,232 = 62,355,112; MACs 55^2 x 23,232 = 70,276,800 fewer than 1,135,256,096.
    assert 62_378_344 - (34_848 - 11_616) == 62_355_112
    assert 1_135_256_096 - 55**2 * 23_232 == 1_064_979_296
    assert "**62,355,112**" in md
    assert "at 227x227x1: 62,355,112" in md and "at 227x227x1: 1,064,979,296" in md
    assert "62,378,344" not in md


def test_what_a_formula_counts_comes_from_its_steps():
    from sympy import Integer

    from symcnn.records import LayerDerivation, NetworkDerivation, Step
    from symcnn.symbols import B_c, N
    from symcnn.views.report.data import kinds

    # a formula named like buffers whose step counts biases: the report says parameters
    layer = symcnn.load("alexnet")["conv1"]
    step = Step(B_c, "odd-buffers", N, Integer(96), Integer(96), {N: Integer(96)}, counts="biases")
    ld = LayerDerivation(layer, (symcnn.Shape.of("227x227x3"),), symcnn.Shape.of("55x55x96"), (step,),
                         biases=Integer(96))
    (kind,) = kinds(NetworkDerivation("n", ld.input, "exact", (ld,)))
    assert kind.counts == "params"
    counts = {k.formula: k.counts for net in ("alexnet", "vgg16-bn") for k in kinds(symcnn.load(net).derive())}
    assert counts["conv-output"] == counts["pool-output"] == counts["flatten"] == "size"
    assert counts["bn-buffers"] == "buffers" and counts["norm-params"] == counts["conv-params"] == "params"
