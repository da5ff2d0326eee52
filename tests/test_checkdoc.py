"""Tests of the document checker (symcnn.checkdoc)."""

from __future__ import annotations

import builtins
import doctest
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symcnn.errors import SpecError, SymcnnError
from symcnn.views import checkdoc
from symcnn.views.checkdoc import DocCheck, WrongStep, check_document, check_file, format_text, to_json

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_bed8f733b6fe585c.txt"


def line_of(path: Path, snippet: str) -> int:
    """1-based number of the one line of ``path`` that contains ``snippet``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits} of {path.name}"
    return hits[0]


def found(result: DocCheck) -> set[tuple[int, str, str]]:
    return {(w.line, w.left, w.right) for w in result.wrong}


# ---------------------------------------------------------------------------
# The source article
# ---------------------------------------------------------------------------


def assert_article_result(result: DocCheck, path: Path) -> None:
    line = line_of(path, "94,848+96")
    assert len(result.wrong) == 1
    step = result.wrong[0]
    assert (step.line, step.left, step.right, step.expected) == (line, "94,944", "34,944", "94,944")
    assert step.text == "P_{c}=94,848+96=34,944"
    assert (step.left_text, step.right_text) == ("94,848+96", "34,944")
    # 8 checked steps: O=55, O=27, W_c, P_c, W_cf, P_cf, W_ff, P_ff.  10 skipped: the
    # general formulas (O twice, W_c/B_c/P_c, W_cf/B_cf/P_cf, W_ff/P_ff; B_ff=F defines).
    assert (result.checked, result.skipped) == (8, 10)


def test_article_fixture_has_one_wrong_step():
    path = FIXTURES / "article_math.md"
    assert_article_result(check_file(path), path)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not next to this checkout")
def test_seed_article_itself():
    result = check_file(SEED)
    assert_article_result(result, SEED)
    assert result.name == str(SEED)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not next to this checkout")
def test_article_fixture_keeps_every_formula_of_the_seed():
    import re

    def math(text: str) -> list[str]:
        return re.findall(r"\$[^$]*\$", text)

    assert math((FIXTURES / "article_math.md").read_text(encoding="utf-8")) == math(
        SEED.read_text(encoding="utf-8")
    )


# ---------------------------------------------------------------------------
# Planted mistakes, and documents without any
# ---------------------------------------------------------------------------

PLANTED_MD = FIXTURES / "planted.md"
PLANTED_TEX = FIXTURES / "planted.tex"


@pytest.mark.parametrize(
    "path, snippet, left, right",
    [
        pytest.param(PLANTED_MD, "290,000", "290,400", "290,000", id="md-inline-arithmetic"),
        pytest.param(PLANTED_MD, "11^{2}\\times 4", "34,848", "46,464", id="md-wrong-substituted-value"),
        pytest.param(PLANTED_MD, "34,954", "34,944", "34,954", id="md-addition-slip"),
        pytest.param(PLANTED_MD, "=28$$", "27", "28", id="md-carried-name-in-formula"),
        pytest.param(PLANTED_MD, "6^{3}", "226,492,416", "37,748,736", id="md-wrong-exponent"),
        pytest.param(PLANTED_MD, "=10,368", "884,736", "10,368", id="md-old-value-after-redefinition"),
        pytest.param(PLANTED_TEX, "&= 34{,}884", "34,848", "34,884", id="tex-align-continued-line"),
        pytest.param(PLANTED_TEX, "= 56", "55", "56", id="tex-equation-star-left-right"),
        pytest.param(PLANTED_TEX, "9,126", "9,216", "9,126", id="tex-inline-paren-math"),
        pytest.param(PLANTED_TEX, "16{,}777{,}261", "16,777,216", "16,777,261", id="tex-gather"),
    ],
)
def test_planted_mistake_is_found(path, snippet, left, right):
    assert (line_of(path, snippet), left, right) in found(check_file(path))


@pytest.mark.parametrize(
    "path, count", [pytest.param(PLANTED_MD, 6, id="markdown"), pytest.param(PLANTED_TEX, 4, id="latex")]
)
def test_planted_documents_have_no_false_alarm(path, count):
    # Every wrong step is one of the planted ones listed above: the correct chains around
    # them (the redefined C, the re-derived W_c, comments, code, \verb) stay quiet.
    assert len(check_file(path).wrong) == count


def test_redefinition_uses_the_latest_value():
    doc = r"""
- $C=3$, $K=3$, $N=384$
- $C=256$
- $$K^{2}\times C\times N=884,736$$
- $$K^{2}\times C\times N=10,368$$
"""
    result = check_document(doc)
    assert found(result) == {(5, "884,736", "10,368")}
    assert result.checked == 2


@pytest.mark.parametrize("name", ["correct.md", "correct.tex"])
def test_correct_documents_have_zero_wrong(name):
    result = check_file(FIXTURES / name)
    assert result.wrong == ()
    assert result.checked >= 5
    assert result.ok


# ---------------------------------------------------------------------------
# Rules, case by case
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked, skipped, wrong",
    [
        pytest.param(r"$34,848=34848$", 1, 0, set(), id="thousands-comma"),
        pytest.param(r"$34{,}848=34\,848=34848$", 2, 0, set(), id="thousands-latex"),
        pytest.param(r"$4,096,000=4096\times 1000$", 1, 0, set(), id="thousands-groups"),
        pytest.param(
            r"$F_{-1}=4096,\; F=1000$ $$W=F_{-1}\times F=4,096,000$$", 1, 0, set(), id="comma-space"
        ),
        pytest.param(r"$x=1,2345$ $x=1$ $x+1=2$", 1, 0, set(), id="comma-not-3-digits"),
        pytest.param(r"$a=2; b=3$ $ab=6$", 1, 0, set(), id="semicolon"),
        pytest.param(r"$12 345=12345$", 0, 1, set(), id="space-grouped-digits-ambiguous"),
        pytest.param(r"$\left(2+3\right)\cdot 4=20$", 1, 0, set(), id="left-right"),
        pytest.param(r"$2*3\times 4\cdot 5=120$", 1, 0, set(), id="products"),
        pytest.param(r"$2^{10}=1,024$ $2^3=8$", 2, 0, set(), id="powers"),
        pytest.param(r"$\frac{227-11+2*0}{4}+1=55$", 1, 0, set(), id="frac"),
        pytest.param(r"$P=2$ $2P+1=5$", 1, 0, set(), id="implicit-product"),
        pytest.param(r"$K=3$ $K^{2}KK=81$ $K(K-1)=6$", 2, 0, set(), id="implicit-after-power-and-paren"),
        pytest.param(r"$I=227$ $E=2$ $S=4$ $I+E+S=233$", 1, 0, set(), id="I-E-S-are-names"),
        pytest.param(r"$d=2$ $d^{2}=4$", 1, 0, set(), id="d-is-a-name"),
        pytest.param(r"$W_c=2$ $W_{c}+W_{\mathrm{c}}=4$", 1, 0, set(), id="one-name-three-spellings"),
        pytest.param(r"$W_{c1}=5$ $\alpha_{1}=2$ $W_{c1}\alpha_{1}=10$", 1, 0, set(), id="odd-subscripts"),
        pytest.param(r"$O=\frac{I-K+2P}{S}+1$", 0, 1, set(), id="general-formula-skipped"),
        pytest.param(r"$O=6$ $O=\frac{I-K+2P}{S}+1$ $O^{2}=36$", 1, 1, set(), id="formula-keeps-old-value"),
        pytest.param(r"$C=3$ $C=4$", 0, 0, set(), id="definitions-are-not-claims"),
        pytest.param(r"$x := 4$ $x^{2}=16$", 1, 0, set(), id="colon-equals"),
        pytest.param(r"$2+2=5$", 1, 0, {(1, "4", "5")}, id="plain-wrong"),
        pytest.param(r"$2+2=4=5$", 2, 0, {(1, "4", "5")}, id="chain-steps-are-adjacent"),
        pytest.param(r"$x=2+2=5$ $x+1=6$", 1, 1, {(1, "4", "5")}, id="contradicted-name-forgotten"),
        pytest.param(r"$\frac{1}{3}=0.333$ $\frac{1}{3}=0.34$", 2, 0, {(1, "1/3", "0.34")}, id="decimals"),
        pytest.param(r"$\frac{7}{2}=3.5$ $0.1+0.2=0.3$", 2, 0, set(), id="exact-decimals"),
        pytest.param(r"$\sqrt{16}=4$ $\sqrt{2}=1.414$", 1, 1, set(), id="roots"),
        pytest.param(r"$2^{10^{100}}=5$ $(10^{9})!=3$ $\frac{1}{0}=2$", 0, 3, set(), id="too-big-or-zero"),
        pytest.param(r"$a/bc=1$", 0, 1, set(), id="slash-with-implicit-product"),
        pytest.param(
            r"$x = 3 \text{ px}$ $x \approx 3.1$ $x=3 \quad y=4$ $x+y=7$", 1, 0, set(), id="text-relations-quad"
        ),
        pytest.param(r"$\pi = 3$ $\sin(0) = 0$", 0, 1, set(), id="functions-unsupported"),
    ],
)
def test_rules(doc, checked, skipped, wrong):
    result = check_document(doc)
    assert (result.checked, result.skipped, found(result)) == (checked, skipped, wrong)


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param("`$2+2=5$`", id="code-span"),
        pytest.param("``a ` $2+2=5$ b``", id="double-backtick-span"),
        pytest.param("```\n$$2+2=5$$\n```", id="fenced-code"),
        pytest.param("~~~~python\n$2+2=5$\n~~~~", id="tilde-fence"),
        pytest.param("<!-- $2+2=5$ -->", id="html-comment"),
        pytest.param("it costs \\$2+2=5\\$ today", id="escaped-dollars"),
        pytest.param("---\ntitle: $2+2=5$\n---\ntext", id="front-matter"),
        pytest.param("$ 2+2=5$", id="space-after-dollar"),
        pytest.param("$2+2=5\n\n$", id="blank-line-in-inline"),
    ],
)
def test_markdown_non_math_is_ignored(doc):
    assert check_document(doc) == DocCheck(checked=0, skipped=0, wrong=())


@pytest.mark.parametrize(
    "doc, lines",
    [
        pytest.param("x\n$$2+2=5$$", [2], id="dollars-display"),
        pytest.param("$$\n1=1\n\\\\ 2+2=5\n$$", [3], id="display-lines"),
        pytest.param("\\(2+2=5\\)", [1], id="paren"),
        pytest.param("\\[\n2+2=5\n\\]", [2], id="bracket"),
        pytest.param("\\begin{equation*}\n2+2=5\n\\end{equation*}", [2], id="equation-star"),
        pytest.param("\\begin{align}\nx &= 2+2 \\\\\n  &= 5\n\\end{align}", [3], id="align-continued"),
        pytest.param("$$\\begin{aligned} x &= 2+2 \\\\ &= 5 \\end{aligned}$$", [1], id="aligned-in-dollars"),
    ],
)
def test_math_delimiters_and_lines(doc, lines):
    assert [w.line for w in check_document(doc).wrong] == lines


def test_latex_comments_and_verb_are_ignored():
    doc = "\\documentclass{article}\n% $2+2=5$\n\\verb|$2+2=5$| 50\\% $2+2=4$\n"
    assert check_document(doc) == DocCheck(checked=1, skipped=0, wrong=())


def test_syntax_is_guessed_from_the_name_and_can_be_forced():
    doc = "`$2+2=5$` % $3+3=7$"
    # Markdown: the first is a code span, % is text; LaTeX: backticks are quotes, % a comment.
    assert [w.right for w in check_document(doc).wrong] == ["7"]
    assert [w.right for w in check_document(doc, name="a.tex").wrong] == ["5"]
    assert [w.right for w in check_document(doc, syntax="latex").wrong] == ["5"]
    assert [w.right for w in check_document(doc, name="a.tex", syntax="markdown").wrong] == ["7"]
    with pytest.raises(SpecError, match="unknown syntax"):
        check_document(doc, syntax="rst")


def test_long_sides_are_checked_up_to_a_limit():
    short, long = "+".join(["1"] * 100), "+".join(["1"] * 800)
    assert check_document(f"${short}=100$") == DocCheck(checked=1, skipped=0, wrong=())
    assert check_document(f"${long}=800$") == DocCheck(checked=0, skipped=1, wrong=())


LATEXISH = st.sampled_from(
    list("$\\{}()[]=,;_^'`~%&|!-+*/.0123456789 \nxKCdIE")
    + ["$$", "```", "---\n", "{,}", "\\,", "\\\\", "_{-1}", "12,345", "\\frac", "\\left(", "\\right)"]
    + ["\\times", "\\cdot", "\\[", "\\]", "\\(", "\\)", "\\text{", "\\sqrt", "\\alpha", "\\mathrm{"]
    + ["\\begin{align}", "\\end{align}", "\\lfloor", "\\rceil"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LATEXISH, max_size=60).map("".join), st.sampled_from(["markdown", "latex"]))
def test_any_text_is_handled_without_error(doc, syntax):
    result = check_document(doc, syntax=syntax)
    assert result.checked >= len(result.wrong)
    assert all(w.left != w.right and w.expected == w.left for w in result.wrong)


# ---------------------------------------------------------------------------
# Malicious input
# ---------------------------------------------------------------------------


def test_malicious_math_is_only_skipped(tmp_path, monkeypatch):
    canary = tmp_path / "pwned"
    check_document("$1=1$")  # warm up sympy and lark before the traps are set

    def trap(*args, **kwargs):
        raise AssertionError("document text reached eval/exec")

    monkeypatch.setattr(builtins, "eval", trap)
    monkeypatch.setattr(builtins, "exec", trap)
    doc = "\n".join(
        [
            f"$__import__('os').system('touch {canary}')=1$",
            "$__import__('os').system('echo hi')=1$",
            "$\\input{/etc/passwd}$",
            "$\\input{/etc/passwd}=1$",
            "$\\write18{touch " + str(canary) + "}=1$",
            "$$exec('1')=eval('1')$$",
        ]
    )
    result = check_document(doc)
    assert result.wrong == ()
    assert result.checked == 0
    assert result.skipped == 5
    assert not canary.exists()


# ---------------------------------------------------------------------------
# Files, JSON and text output
# ---------------------------------------------------------------------------


def test_check_file_reads_utf8(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("\ufeff# 계산\n- $2+2=5$\n", encoding="utf-8")
    result = check_file(path)
    assert found(result) == {(2, "4", "5")}
    assert result.name == str(path)


@pytest.mark.parametrize("kind", ["missing", "directory", "not-utf8"])
def test_unreadable_file_names_the_file(tmp_path, kind):
    path = tmp_path / "doc.md"
    if kind == "directory":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes(b"$2+2=4$ \xff\xfe")
    with pytest.raises(SpecError) as info:
        check_file(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, (SymcnnError, ValueError))


def test_to_json_shape():
    data = to_json(check_file(FIXTURES / "article_math.md"))
    assert {"checked", "skipped", "wrong"} <= data.keys()
    assert (data["checked"], data["skipped"]) == (8, 10)
    [step] = data["wrong"]
    assert {"line", "text", "left", "right", "expected"} <= step.keys()
    assert (step["left"], step["right"], step["expected"]) == ("94,944", "34,944", "94,944")
    assert isinstance(step["line"], int)
    assert json.loads(json.dumps(data)) == data


def test_format_text():
    result = check_document("$$x=1$$\n$$P_{c}=94,848+96=34,944$$", name="a.md")
    assert format_text(result) == (
        "a.md:2: P_{c}=94,848+96=34,944\n"
        "  step:  94,848+96 = 34,944\n"
        "  left:  94,944\n"
        "  right: 34,944, should be 94,944\n"
        "checked 1, wrong 1, skipped 0"
    )
    assert format_text(check_document("$1=1$")) == "checked 1, wrong 0, skipped 0"


def test_values_are_formatted_exactly():
    fmt = checkdoc._format_value
    assert [fmt(Fraction(n)) for n in (0, 999, 1000, -1234567)] == ["0", "999", "1,000", "-1,234,567"]
    assert [fmt(Fraction(5, 2)), fmt(Fraction(-1, 8)), fmt(Fraction(1, 3))] == ["2.5", "-0.125", "1/3"]


def test_results_are_frozen():
    result = check_document("$2+2=5$")
    with pytest.raises(AttributeError):
        result.checked = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.wrong[0].line = 0  # type: ignore[misc]
    assert isinstance(result.wrong[0], WrongStep)


def test_docstring_examples():
    assert doctest.testmod(checkdoc).failed == 0


# ---------------------------------------------------------------------------
# Property: random correct chains are never flagged; a changed digit always is
# ---------------------------------------------------------------------------

NAME_FORMS = ["V_{%d}", "W_{c%d}", "F_{-%d}", "\\alpha_{%d}", "P_{s%d}"]


def thousands(n: int, style: str) -> str:
    text = f"{abs(n):,}".replace(",", style)
    return ("-" if n < 0 else "") + text


@st.composite
def expressions(draw, names: dict[str, int], depth: int, top: bool = False):
    """(latex, value) of a random expression whose value is an integer."""
    kinds = ["int"] + (["name"] if names and not top else [])
    if depth > 0:
        kinds += ["add", "sub", "mul", "pow", "frac", "implicit" if names else "mul"]
    kind = draw(st.sampled_from(kinds))
    if kind == "int":
        n = draw(st.integers(0, 10**7))
        return thousands(n, draw(st.sampled_from([",", "{,}", "\\,", ""]))), n
    if kind == "name":
        name = draw(st.sampled_from(sorted(names)))
        return name, names[name]
    if kind == "pow":
        base, exp = draw(st.integers(0, 12)), draw(st.integers(0, 4))
        return f"{base}^{{{exp}}}", base**exp
    if kind == "implicit":
        k, name = draw(st.integers(1, 99)), draw(st.sampled_from(sorted(names)))
        return f"{k}{name}", k * names[name]

    def operand():
        text, value = draw(expressions(names, depth - 1))
        if text.lstrip("-").replace(",", "").replace("{,}", "").replace("\\,", "").isdigit() or text in names:
            return text, value
        left, right = draw(st.sampled_from([("(", ")"), ("\\left(", "\\right)")]))
        return f"{left}{text}{right}", value

    if kind == "frac":
        top_text, top_value = draw(expressions(names, depth - 1))
        divisors = [d for d in range(1, 61) if top_value % d == 0]
        d = draw(st.sampled_from(divisors))
        return f"\\frac{{{top_text}}}{{{d}}}", top_value // d
    (a, x), (b, y) = operand(), operand()
    if kind == "add":
        return f"{a}+{b}", x + y
    if kind == "sub":
        return f"{a}-{b}", x - y
    op = draw(st.sampled_from(["\\times ", "\\cdot ", "*"]))
    return f"{a}{op}{b}", x * y


@st.composite
def documents(draw):
    """A Markdown document of correct chains: its lines, and per chain (line, final value)."""
    names: dict[str, int] = {}
    lines, chains = ["---", "title: generated", "---", ""], []
    for k in range(draw(st.integers(1, 4))):
        text, value = draw(expressions(dict(names), depth=2, top=True))
        sides = [text]
        if draw(st.booleans()):
            shift = draw(st.integers(0, 500))
            sides.append(f"({thousands(value - shift, ',')})+{shift}")
        final = thousands(value, draw(st.sampled_from([",", "{,}"])))
        sides.append(final)
        if draw(st.booleans()):
            name = draw(st.sampled_from(NAME_FORMS)) % (k + 1)
            sides.insert(0, name)
            names[name] = value
        chain = "=".join(sides)
        form = draw(st.sampled_from(["$$%s$$", "- step: $%s$", "\\[ %s \\]"]))
        lines += [f"- step {k + 1}", form % chain]
        chains.append((len(lines), final))
    return lines, chains


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_correct_chains_are_never_flagged(doc):
    lines, chains = doc
    result = check_document("\n".join(lines))
    assert result.wrong == ()
    assert result.checked >= len(chains)
    assert result.skipped == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_changed_final_digit_is_always_flagged(doc, data):
    lines, chains = doc
    line, final = data.draw(st.sampled_from(chains))
    digits = [i for i, c in enumerate(final) if c.isdigit()]
    pos = data.draw(st.sampled_from(digits))
    first = pos == digits[0] and len(digits) > 1
    choices = [d for d in "0123456789" if d != final[pos] and not (first and d == "0")]
    new = data.draw(st.sampled_from(choices))
    changed = final[:pos] + new + final[pos + 1 :]
    text = lines[line - 1]
    cut = text.rindex(final)  # the final value is the chain's last side
    lines = lines[: line - 1] + [text[:cut] + changed + text[cut + len(final) :]] + lines[line:]

    result = check_document("\n".join(lines))
    value = int(changed.replace("{,}", "").replace(",", ""))
    assert line in [w.line for w in result.wrong if w.right == checkdoc._format_value(Fraction(value))]
    assert all(w.line >= line for w in result.wrong)
