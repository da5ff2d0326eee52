"""Reports through real renderers: KaTeX (node) for the Markdown math, pdflatex and xelatex for
the LaTeX, pdftotext to read the PDFs back, and the wheel installed in a fresh environment.

Each needs its program: locally a missing one skips, under CI it fails (see conftest).
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, notebook, require_file, require_program

import symcnn
from symcnn.views.report.render import render_latex, render_markdown

KATEX = ROOT / "tests" / "katex"


@pytest.fixture(scope="module")
def katex():
    """Parse fragments with KaTeX: a list of (tex, display) in, a list of errors (None = parses) out."""
    node = require_program("node")
    require_file(KATEX / "node_modules" / "katex" / "package.json", "KaTeX", "run 'npm ci --prefix tests/katex'")

    def parse(fragments: list[tuple[str, bool]]) -> list[str | None]:
        payload = json.dumps([{"tex": tex, "display": display} for tex, display in fragments])
        done = subprocess.run([node, str(KATEX / "check.js")], input=payload, capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout)

    return parse


_DISPLAY = re.compile(r"^\$\$\n(.*?)\n\$\$$", re.M | re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\\]|\\.)+?)\$")


def math_fragments(markdown: str) -> list[tuple[str, bool]]:
    """The ``$$ ... $$`` blocks and the ``$...$`` spans of a report (escaped ``\\$`` is text)."""
    display = [(m.group(1), True) for m in _DISPLAY.finditer(markdown)]
    rest = _DISPLAY.sub("", markdown)
    inline = [(m.group(1), False) for m in _INLINE.finditer(rest)]
    assert _INLINE.sub("", rest).replace("\\$", "").count("$") == 0, "an unpaired $ in the Markdown"
    return display + inline


def markdown_reports() -> dict[str, str]:
    from test_report import odd_network

    reports = {f"reports/{p.name}": p.read_text(encoding="utf-8") for p in sorted((ROOT / "reports").glob("*.md"))}
    reports["alexnet floor 224"] = render_markdown("alexnet", input="224x224x3", rounding="floor")
    reports["alexnet ceil 224 ko"] = render_markdown("alexnet", input="224x224x3", rounding="ceil", lang="ko")
    reports["odd names"] = render_markdown(odd_network())
    rect = symcnn.Network("rect", "230x200x3", [symcnn.Conv2d("c", channels=2, kernel=(3, 5), stride=2),
                                                symcnn.Flatten("flat"), symcnn.Linear("fc", features=3)],
                          rounding="floor")
    reports["rect"] = render_markdown(rect)
    reports["symbolic"] = render_markdown(symbolic_network())
    reports["resnet18 as thop counts"] = render_markdown("resnet18", count="thop")
    return reports


def symbolic_network():
    return symcnn.Network("sym", "32x32x3", [symcnn.Conv2d("c", channels="N_1", kernel=3, padding=1),
                                             symcnn.Linear("f", features="F_1")])


def test_every_markdown_math_fragment_parses(katex):
    reports = markdown_reports()
    assert len(reports) == 2 * 9 + 6  # every built-in network's two Markdown reports, and six more
    fragments = {name: math_fragments(text) for name, text in reports.items()}
    # AlexNet: 32 steps (5 conv x 4, 3 pools x 1, 3 FC x 3) in "every layer", 11 in the first
    # examples (conv output 1, conv params 3, pool 1, FC-conv 3, FC-FC 3) and 5 general formulas; the
    # memory of a training step in 6 (parameters, gradients, Adam's state, activations, the fixed part, the
    # step in B: no buffers) and 3 for the batch that fits (the batch, the step at it and at the next).
    assert sum(display for _, display in fragments["reports/alexnet.md"]) == 32 + 11 + 5 + 6 + 3
    flat = [(name, f) for name, fs in fragments.items() for f in fs]
    errors = katex([f for _, f in flat])
    bad = [f"{name}: {tex!r}: {error}" for (name, (tex, _)), error in zip(flat, errors) if error]
    assert not bad, "\n".join(bad)


def test_notebook_latex_parses(katex):
    d = symcnn.load("alexnet").derive()
    fragments = [(notebook(d[name], "text/latex").strip()[2:-2], True) for name in ("conv1", "pool1", "fc1", "fc3")]
    fragments.append((notebook(d, "text/latex").strip()[2:-2], True))
    assert katex(fragments) == [None] * 5


def test_katex_check_finds_errors(katex):
    # The check itself: a fragment KaTeX cannot parse is reported, not passed.
    errors = katex([(r"\frac{1}{", True), (r"O = \lfloor 53.25 \rfloor + 1", False), (r"\notacommand", False)])
    assert errors[0] and "KaTeX parse error" in errors[0]
    assert errors[1] is None
    assert errors[2] and "notacommand" in errors[2]


# -- LaTeX ----------------------------------------------------------------------------------

def compile_tex(tex: str, folder: Path, name: str, engine: str) -> tuple[str, str]:
    """Compile with latexmk; return (the PDF's text, the LaTeX log)."""
    require_program("latexmk")
    require_program(engine)
    require_program("pdftotext")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.tex").write_text(tex, encoding="utf-8")
    mode = {"pdflatex": "-pdf", "xelatex": "-xelatex"}[engine]
    done = subprocess.run(["latexmk", mode, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
                          cwd=folder, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    log = (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    text = subprocess.run(["pdftotext", "-layout", f"{name}.pdf", "-"], cwd=folder, capture_output=True,
                          text=True, check=True).stdout
    return text, log


@pytest.mark.parametrize("lang, engine", [("en", "pdflatex"), ("ko", "xelatex")])
def test_committed_latex_compiles(tmp_path, lang, engine):
    name = "alexnet" if lang == "en" else "alexnet.ko"
    tex = (ROOT / "reports" / f"{name}.tex").read_text(encoding="utf-8")
    text, log = compile_tex(tex, tmp_path, name, engine)
    assert "62,378,344" in text  # the article's total
    assert "3,747,200" in text  # the article's conv total
    # the memory section compiled too: the parameters' bytes at float32, 4 x 62,378,344
    assert "249,513,376" in text
    assert "Overfull \\hbox" not in log and "Overfull \\vbox" not in log
    assert "LaTeX Warning" not in log
    if lang == "ko":
        assert "출력 텐서 크기" in text and "파라미터 개수" in text


def test_odd_names_compile(tmp_path):
    from test_report import ODD, odd_network

    text, _ = compile_tex(render_latex(odd_network()), tmp_path, "odd", "pdflatex")
    # pdflatex's default (OT1) fonts draw \_ as a rule, which pdftotext reads as a space, and
    # ~ ^ as the accents; every other character comes back as written.
    assert ODD.replace("_", " ") in text
    assert "p|*$\u02dc\u02c6#{}\\<>" in text
    assert "20,714" in text  # 224 + 20,490, see test_report.odd_network


def test_fragment_compiles_inside_a_document(tmp_path):
    body = render_latex("alexnet", fragment=True)
    (tmp_path / "body.tex").write_text(body, encoding="utf-8")
    # the packages a report's body uses: amsmath, booktabs, array, longtable and (its figures) pgfplots
    main = ("\\documentclass{article}\n\\usepackage{amsmath,booktabs,array,longtable,pgfplots}\n\\begin{document}\n"
            "\\input{body}\n\\end{document}\n")
    text, _ = compile_tex(main, tmp_path, "main", "pdflatex")
    assert "62,378,344" in text


def test_cli_pdf(run_cli, tmp_path):
    for program in ("latexmk", "pdflatex", "xelatex", "pdftotext"):
        require_program(program)
    status, out, err = run_cli("report", "alexnet", "--lang", "all", "--pdf", "--out", str(tmp_path))
    assert status == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alexnet.html", "alexnet.ko.html", "alexnet.ko.md", "alexnet.ko.pdf", "alexnet.ko.tex", "alexnet.md",
        "alexnet.pdf", "alexnet.tex"]
    for pdf in ("alexnet.pdf", "alexnet.ko.pdf"):
        text = subprocess.run(["pdftotext", pdf, "-"], cwd=tmp_path, capture_output=True, text=True).stdout
        assert "62,378,344" in text


def test_cli_pdf_failure_is_one_line(run_cli, tmp_path):
    require_program("latexmk")
    require_program("pdflatex")
    mine = tmp_path / "mine" / "tex"
    mine.mkdir(parents=True)
    (mine / "report.tex.j2").write_text(
        '{% extends "builtin/tex/report.tex.j2" %}{% block after %}\\undefinedcommand{% endblock %}\n',
        encoding="utf-8")
    status, _, err = run_cli("report", "alexnet", "--format", "tex", "--pdf", "--template-dir",
                             str(tmp_path / "mine"), "--out", str(tmp_path / "out"))
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("symcnn: error: --pdf: pdflatex failed on alexnet.tex:") and "Undefined control" in err
    assert not list((tmp_path / "out").glob("*.pdf"))


# -- the wheel ------------------------------------------------------------------------------

def test_report_from_the_installed_wheel(installed, tmp_path):
    done = subprocess.run([str(installed / "symcnn"), "report", "alexnet", "--lang", "all", "--out", "X"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in ("alexnet.md", "alexnet.tex", "alexnet.ko.md", "alexnet.ko.tex"):
        assert (tmp_path / "X" / name).read_text(encoding="utf-8") == (ROOT / "reports" / name).read_text(
            encoding="utf-8")
    where = "from symcnn.views.report.render import templates_dir; print(templates_dir())"
    done = subprocess.run([str(installed / "python"), "-c", where],
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()).parts[-2:] == ("symcnn", "templates")
    assert str(ROOT) not in done.stdout


