"""check-doc on Jupyter notebooks and HTML pages, as users keep and publish their derivations.

The fixtures (tests/fixtures/formats/) are written as users have them: a notebook as Jupyter
saves it (nbformat 4, indent 1, each source line a JSON string of its own; one cell's source
a single string), a blog post typeset by MathJax, a page whose math KaTeX rendered on the
server (real KaTeX 0.16 output: MathML with the TeX in an annotation, then the rendered
spans), a notebook exported by ``jupyter nbconvert --to html`` (lab template), and a Korean
page with a parameter table. Each has mistakes planted in it; every figure a test expects is
worked out by hand in a comment beside it, and every line is found in the fixture's own text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symcnn.checkdoc import check_document, check_file, format_github, format_text, to_json
from symcnn.checkdoc.find import guess_syntax
from symcnn.checkdoc.webpage import complete_tags, find_html
from symcnn.errors import SpecError

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"


def line_of(path: Path, snippet: str) -> int:
    """1-based number of the one line of ``path`` that contains ``snippet``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits} of {path.name}"
    return hits[0]


def fixed(path: Path, *pairs: tuple[str, str]) -> str:
    """The fixture's text with each planted mistake put right (each must be there once)."""
    text = path.read_text(encoding="utf-8")
    for wrong, right in pairs:
        assert text.count(wrong) == 1, wrong
        text = text.replace(wrong, right)
    return text


# ---------------------------------------------------------------------------
# A notebook as Jupyter saves it
# ---------------------------------------------------------------------------

NOTEBOOK = FORMATS / "alexnet_planted.ipynb"
#: the planted mistakes and their right values:
#: 7 x 7 x 512 = 49 x 512 = 25,088 (cell 3);
#: 34,944 + 614,656 + 885,120 = 649,600 + 885,120 = 1,534,720 (cell 4, the table's total);
#: 4096 x 4096 + 4096 = 16,777,216 + 4,096 = 16,781,312 (cell 5, a raw LaTeX cell);
#: conv5's output: (13 - 3 + 2*1)/1 + 1 = 13, so 13x13x256 (cell 7, with --network alexnet);
#: 3 x 4 = 12 (cell 8, whose source is one string)
NOTEBOOK_FIXES = (("25{,}880", "25{,}088"), ("1,543,720", "1,534,720"), ("16{,}781{,}321", "16{,}781{,}312"),
                  ("output is 27x27x256", "output is 13x13x256"), ("3 × 4 = 13", "3 × 4 = 12"))
#: steps, counted by hand: cell 3: O = (227 - 11 + 0)/4 + 1 = 55, W_c = 11^2 x 3 x 96 = 34,848,
#: P_c = W_c + 96 = 34,944, 7 x 7 x 512 (4); cell 4: three rows weights + biases = params and
#: the total (4); cell 5: the align (1); cell 8: 4096 x 4096 + 4096, 3 x 4 (2). Not read: the
#: code cell's source and its outputs (a stream "3 * 4 = 13", a text/markdown and text/latex
#: display "2 + 2 = 5"), the raw cell without a format ("2 + 2 = 5").
NOTEBOOK_CHECKED = 4 + 4 + 1 + 2


def test_notebook_planted_mistakes_at_their_cells_and_lines():
    result = check_file(NOTEBOOK, network="alexnet")
    assert result.syntax == "notebook"
    assert result.checked == NOTEBOOK_CHECKED
    got = {(w.cell, w.cell_line, w.line, w.left, w.right) for w in result.wrong}
    assert got == {
        # cell 3 is "## conv1", "", "Its output side:", "", "$$O = ...$$", "", "Weights: ...",
        # "and with the biases ...", "", "After the last pooling ...": line 10
        (3, 10, line_of(NOTEBOOK, "25{,}880"), "25,088", "25,880"),
        # cell 4: header, delimiter, conv1, conv2, conv3, total: line 6
        (4, 6, line_of(NOTEBOOK, "| **Total** |"), "1,534,720", "1,543,720"),
        # cell 5: \begin{align}, P_{fc} &= ..., &= 16{,}781{,}321: line 3
        (5, 3, line_of(NOTEBOOK, "&= 16{,}781{,}321"), "16,781,312", "16,781,321"),
        # cell 8 is one JSON string: all its lines are on that line of the file
        (8, 3, line_of(NOTEBOOK, "One string for a whole cell"), "12", "13"),
    }
    [claim] = result.wrong_claims
    assert (claim.layer, claim.cell, claim.cell_line, claim.line) == ("conv5", 7, 1, line_of(NOTEBOOK, "27x27x256"))
    assert claim.derived == "13x13x256"
    text = format_text(result)
    assert f"{NOTEBOOK}, cell 3, line 10: 7 \\times 7 \\times 512 = 25{{,}}880" in text
    assert f"{NOTEBOOK}, cell 7, line 1: conv5" in text
    github = format_github(result)
    assert f"line={line_of(NOTEBOOK, '&= 16{,}781{,}321')},title=check-doc" in github
    data = to_json(result)
    [step] = [w for w in data["wrong"] if w["cell"] == 5]
    right_line = line_of(NOTEBOOK, "&= 16{,}781{,}321")
    assert (step["line"], step["cell_line"], step["blame"]["cell"]) == (right_line, 3, 5)
    assert all("cell" in c and "cell_line" in c for c in data["claims"])


def test_notebook_put_right_has_nothing_wrong():
    result = check_document(fixed(NOTEBOOK, *NOTEBOOK_FIXES), name="alexnet.ipynb", network="alexnet")
    assert (result.status, result.checked, result.wrong, result.wrong_claims) == ("ok", NOTEBOOK_CHECKED, (), ())


def test_notebook_on_standard_input_is_known_by_its_content():
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert guess_syntax(text, "<stdin>") == "notebook"
    result = check_document(text, name="<stdin>")
    assert {(w.cell, w.cell_line) for w in result.wrong} == {(3, 10), (4, 6), (5, 3), (8, 3)}


def test_notebook_blame_names_cells():
    # C = 3 in cell 1, then C = 256 in cell 3: 3 x 3 x C = 27 uses the old value
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["Input channels $C = 3$."]},
        {"cell_type": "code", "metadata": {}, "source": ["x = 1"], "outputs": [], "execution_count": 1},
        {"cell_type": "markdown", "metadata": {},
         "source": ["Later $C = 256$,\n", "and $$3 \\times 3 \\times C = 27$$"]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    result = check_document(json.dumps(nb, indent=1), name="nb.ipynb")
    [step] = result.wrong
    # 3 x 3 x 256 = 2,304; 27 = 3 x 3 x 3 is the value with C = 3 (cell 1)
    assert (step.cell, step.cell_line, step.left) == (3, 2, "2,304")
    assert "cell 1, line 1" in str(step.blame) and "since cell 3, line 1" in str(step.blame)


def test_nbformat_3_worksheets_and_heading_cells():
    nb = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 2, "metadata": {}, "source": "Conv-1"},
        {"cell_type": "code", "collapsed": False, "input": ["print('2 + 2 = 5')"], "language": "python",
         "metadata": {}, "outputs": [{"output_type": "stream", "stream": "stdout", "text": ["2 + 2 = 5\n"]}]},
        {"cell_type": "markdown", "metadata": {},
         "source": ["Weights: $11 \\times 11 \\times 3 \\times 96 = 34{,}848$\n", "and $34{,}848 + 96 = 34{,}994$."]},
    ]}]}
    result = check_document(json.dumps(nb, indent=1), name="old.ipynb")
    # 11 x 11 x 3 x 96 = 121 x 288 = 34,848; 34,848 + 96 = 34,944, not 34,994
    assert result.checked == 2
    [step] = result.wrong
    assert (step.cell, step.cell_line, step.left, step.right) == (3, 2, "34,944", "34,994")


@pytest.mark.parametrize("mime, checked", [("text/latex", 1), ("text/markdown", 1), ("text/html", 1),
                                           ("text/restructuredtext", 0), ("", 0)])
def test_raw_cells_by_their_format(mime, checked):
    body = "<p>2 + 2 = 4</p>" if mime == "text/html" else "$2 + 2 = 4$"
    metadata = {"raw_mimetype": mime} if mime else {}
    nb = {"cells": [{"cell_type": "raw", "metadata": metadata, "source": [body]}], "metadata": {}, "nbformat": 4,
          "nbformat_minor": 5}
    assert check_document(json.dumps(nb), name="r.ipynb").checked == checked


@pytest.mark.parametrize("text, message", [
    ('{"cells": [', "not JSON"),
    ("[]", "the JSON is a list"),
    ('{"cells": {"0": {}}, "nbformat": 4}', "cells is an object, not a list"),
    ('{"metadata": {}, "nbformat": 4}', "cells is missing"),
    ('{"cells": [7], "nbformat": 4}', "cell 1 is a number"),
    ('{"cells": [{"source": "x"}], "nbformat": 4}', "cell 1: cell_type is missing"),
    ('{"cells": [{"cell_type": "markdown", "source": 5}], "nbformat": 4}', "cell 1: source is a number"),
    ('{"cells": [{"cell_type": "markdown", "source": ["a", null]}], "nbformat": 4}', "a list holding null"),
    ('{"cells": [], "nbformat": 2}', "nbformat 2 is not read"),
    ('{"cells": [], "nbformat": "4"}', "nbformat is a string"),
    ('{"cells": ' + "[" * 5000 + "]" * 5000 + ', "nbformat": 4}', "nested more than 100 deep"),
])
def test_malformed_notebooks_are_one_clear_error(text, message):
    with pytest.raises(SpecError) as e:
        check_document(text, name="bad.ipynb")
    assert message in str(e.value) and str(e.value).startswith("bad.ipynb: ") and "\n" not in str(e.value)


def test_code_cells_are_never_read_even_when_they_look_like_markdown():
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                     "source": ["# 2 + 2 = 5\n", "$3 \\times 4 = 13$"]}], "metadata": {}, "nbformat": 4,
          "nbformat_minor": 5}
    assert check_document(json.dumps(nb, indent=1), name="c.ipynb").status == "nothing checkable"


# ---------------------------------------------------------------------------
# HTML pages
# ---------------------------------------------------------------------------

BLOG = FORMATS / "blog_mathjax.html"
#: 5 x 5 x 96 x 256 = 25 x 24,576 = 614,400; 3 x 3 x 384 x 256 = 9 x 98,304 = 884,736
BLOG_FIXES = (("641{,}400", "614{,}400"), ("884,763", "884,736"))
#: 11 x 11 x 3 x 96 = 34,848; 34,848 + 96 = 34,944; the $$ line; Conv-3, -4, -5 (3 x 3 x 256 x 384
#: = 884,736, 3 x 3 x 384 x 384 = 1,327,104); (227 - 11)/4 + 1 = 55; 11² x 3 = 363;
#: 4096 x 4096 + 4096 = 16,781,312. Not read: the title, config script, style, <pre><code>,
#: <code>, the comment, <template> and <script> (each holding 2 + 2 = 5 or 3*4 = 13).
BLOG_CHECKED = 9


def test_blog_post_with_mathjax():
    result = check_file(BLOG)
    assert (result.syntax, result.checked) == ("html", BLOG_CHECKED)
    assert {(w.line, w.left, w.right) for w in result.wrong} == {
        (line_of(BLOG, "641{,}400"), "614,400", "641,400"),
        (line_of(BLOG, "884,763"), "884,736", "884,763"),
    }
    assert f"{BLOG}:{line_of(BLOG, '884,763')}: 3 × 3 × 384 × 256 = 884,763" in format_text(result)
    ok = check_document(fixed(BLOG, *BLOG_FIXES), name="post.html")
    assert (ok.status, ok.checked, ok.wrong) == ("ok", BLOG_CHECKED, ())


KATEX = FORMATS / "katex_vgg16.html"


def test_katex_rendered_page_reads_the_tex_once():
    result = check_file(KATEX)
    # 3^2 x 64 x 128 = 73,728 (right); 1,792 + 36,928 + 73,856 = 112,576, not 112,567; and
    # (224 - 3 + 2)/1 + 1 = 224 (right): three steps, each read once (the rendered spans
    # repeat every figure); the MathML without TeX (2 + 2 = 5) is skipped, not checked
    assert result.checked == 3
    [step] = result.wrong
    assert (step.line, step.left, step.right) == (line_of(KATEX, "112{,}567</annotation>"), "112,576", "112,567")
    assert [(s.line, s.reason) for s in result.skips] == [(line_of(KATEX, "<mn>2</mn><mo>+</mo>"), "mathml")]
    ok = check_document(fixed(KATEX, ("112{,}567</annotation>", "112{,}576</annotation>")), name="k.html")
    assert (ok.status, ok.checked) == ("ok", 3)


NBCONVERT = FORMATS / "nbconvert_alexnet.html"


def test_nbconvert_export_reads_markdown_cells_not_code_or_outputs():
    result = check_file(NBCONVERT, network="alexnet")
    # O = (227 - 11 + 0)/4 + 1 = 55; 7 x 7 x 512 = 25,088 (not 25,880); five rows weights +
    # biases = params (34,848 + 96 = 34,944; 614,400 + 256 = 614,656; 884,736 + 384 = 885,120;
    # 1,327,104 + 384 = 1,327,488; 884,736 + 256 = 884,992) and their total 34,944 + 614,656 +
    # 885,120 + 1,327,488 + 884,992 = 3,747,200: 8 steps. Not read: the code ("3 * 4 = 13"),
    # its printed output, a Markdown display output ($2 + 2 = 5$) and a DataFrame whose Total
    # 7 is not 1 + 2 + 3 = 6.
    assert result.checked == 8
    assert {(w.line, w.left, w.right) for w in result.wrong} == {(line_of(NBCONVERT, "25{,}880"), "25,088", "25,880")}
    assert result.wrong_claims == ()
    ok = check_document(fixed(NBCONVERT, ("25{,}880", "25{,}088")), name="nb.html", network="alexnet")
    assert (ok.status, ok.checked) == ("ok", 8)


KOREAN = FORMATS / "ko_alexnet_table.html"


def test_korean_page_with_a_parameter_table_and_network_claims():
    result = check_file(KOREAN, network="alexnet")
    # total: 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 + 37,752,832 + 16,781,312 +
    # 4,097,000 = 62,378,344 (not 62,378,434); the prose 11 x 11 x 3 x 96 + 96 = 34,944 is right
    assert result.checked == 2
    [step] = result.wrong
    # a table row is placed at the line where its first cell's text is
    assert (step.line, step.left, step.right) == (line_of(KOREAN, "<b>합계</b>"), "62,378,344", "62,378,434")
    # Conv-5: (13 - 3 + 2*1)/1 + 1 = 13, so 13x13x256, not 27x27x256 (Conv-2's is 27x27x256, right)
    [claim] = result.wrong_claims
    assert (claim.layer, claim.line, claim.derived) == ("conv5", line_of(KOREAN, "<td>Conv-5</td>"), "13x13x256")
    text = fixed(KOREAN, ("62,378,434", "62,378,344"),
                 ("<td>Conv-5</td><td>27&times;27", "<td>Conv-5</td><td>13&times;13"))
    ok = check_document(text, name="ko.html", network="alexnet")
    assert (ok.status, ok.wrong, ok.wrong_claims) == ("ok", (), ())
    assert len(ok.claims) == len(result.claims)


# -- what a page shows, piece by piece ------------------------------------------------------


def shown(page: str) -> str:
    return find_html(page).text


def test_entities_superscripts_and_subscripts():
    assert shown("<p>(227 &#8722; 11)/4&nbsp;+&nbsp;1 = 55</p>") == "(227 − 11)/4 + 1 = 55"
    assert shown("<p>11<sup>2</sup>&times;3 = 363, C<sub>in</sub> = 3, 2<sup>n+1</sup></p>") == \
        "11²×3 = 363, C_in = 3, 2^(n+1)"
    assert shown('<p>16,781,312<sup><a href="#fn">1</a></sup>.</p>') == "16,781,312."


def test_math_scripts_and_mathjax_3():
    page = ('<p>Inline <script type="math/tex">3 \\times 4 = 12</script>, display\n'
            '<script type="math/tex; mode=display">\n  2 + 2\n  = 4\n</script></p>\n'
            '<p><mjx-container class="MathJax" jax="CHTML"><mjx-math>2+2=5</mjx-math></mjx-container></p>')
    doc = find_html(page)
    assert doc.text == "Inline \\(3 \\times 4 = 12\\), display\n\\[2 + 2\n= 4\\]"
    assert [doc.at(line) for line in (1, 2, 3)] == ["line 1", "line 3", "line 4"]
    assert [(doc.place(line).line, reason) for line, _, reason in doc.skips] == [(6, "mathml")]
    result = check_document(page, name="p.html")
    assert (result.checked, result.wrong, result.skipped) == (2, (), 1)


def test_what_a_reader_does_not_see_is_not_read():
    page = ("<html><head><title>2 + 2 = 5</title><style>p { width: 3*4 = 13 }</style></head><body>\n"
            "<p>2 + 2 = 4</p><!-- 2 + 2 = 5 --><template>2 + 2 = 5</template><script>2 + 2 = 5</script>\n"
            "<pre>2 + 2 = 5</pre><code>2 + 2 = 5</code><kbd>2 + 2 = 5</kbd><div hidden>2 + 2 = 5</div>\n"
            '<span aria-hidden="true">2 + 2 = 5</span><textarea>2 + 2 = 5</textarea><svg><text>2+2=5</text></svg>'
            "<noscript>2 + 2 = 5</noscript></body></html>")
    result = check_document(page, name="p.html")
    assert (result.checked, result.wrong) == (1, ())


def test_text_that_looks_like_markup_or_code_is_text():
    # in a page, a decoded &lt;pre&gt;, a backtick and indentation are text, not Markdown
    page = "<p>Use &lt;pre&gt; for code, `x`.</p>\n<p>\n        2 + 2 = 5\n</p>"
    [step] = check_document(page, name="p.html").wrong
    assert (step.line, step.right) == (3, "5")


def test_tables_without_a_header_row_and_lists():
    page = ("<table>\n<tr><td>conv1</td><td>34,944</td></tr>\n<tr><td>conv2</td><td>614,656</td></tr>\n"
            "<tr><td>conv3</td><td>885,120</td></tr>\n<tr><td>Total</td><td>1,534,702</td></tr>\n</table>\n"
            "<ul><li>a: 2 + 2 = 4</li><li>b:<ul><li>3 + 3 = 7</li></ul></li></ul>")
    result = check_document(page, name="t.html")
    # the first row is a layer, not a header: 34,944 + 614,656 + 885,120 = 1,534,720; 3 + 3 = 6
    assert {(w.line, w.left, w.right) for w in result.wrong} == {(5, "1,534,720", "1,534,702"), (7, "6", "7")}


def test_guess_syntax():
    assert guess_syntax("", "post.HTML") == "html" and guess_syntax("", "a.htm") == "html"
    assert guess_syntax("", "nb.ipynb") == "notebook"
    assert guess_syntax("  <!DOCTYPE html><p>x</p>", "-") == "html"
    assert guess_syntax('{"a": 1}', "-") == "markdown"  # JSON that is not a notebook
    assert guess_syntax("Some <b>bold</b> Markdown", "notes") == "markdown"


def test_unclosed_tags_are_text_or_left_out_in_one_pass():
    assert complete_tags("3 < 4 <b>x</b> <a href='y") == "3 &lt; 4 <b>x</b> "
    assert complete_tags("<!-- open") == "" and complete_tags("<script>a < b") == "<script>a < b"
    # html.parser alone takes minutes on this (it seeks the end of every "<a " again at each later one)
    assert complete_tags("<a " * 200_000) == ""
    assert find_html("<p>2 + 2 = 4</p>" + "<a " * 100_000).text == "2 + 2 = 4"


def test_page_blame_names_the_pages_lines():
    page = ("<html>\n<head>\n<title>x</title>\n</head>\n<body>\n<div>\n  <p>Input channels \\(C = 3\\).</p>\n"
            "  <p>Later \\(C = 256\\),</p>\n  <p>and \\[3 \\times 3 \\times C = 27\\]</p>\n</div>\n</body>\n</html>\n")
    [step] = check_document(page, name="p.html").wrong
    # 3 x 3 x 256 = 2,304; 27 = 3 x 3 x 3 is the value with C = 3, set on the page's line 7
    assert (step.line, step.left) == (9, "2,304")
    assert "(line 7)" in str(step.blame) and "since line 8" in str(step.blame)
