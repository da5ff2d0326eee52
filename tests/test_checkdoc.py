"""Tests of the document checker (symcnn.checkdoc).

Every expected value below is worked out in a comment or stated by the document under
test; the planted mistakes of the fixtures are listed with the value they should have.
"""

from __future__ import annotations

import builtins
import doctest
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symcnn import checkdoc
from symcnn.checkdoc import (
    DocCheck,
    WrongStep,
    check_document,
    check_file,
    format_github,
    format_text,
    to_json,
)
from symcnn.checkdoc.literals import format_value
from symcnn.errors import SpecError, SymcnnError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OWN = FIXTURES / "checkdoc"


def line_of(path: Path, snippet: str) -> int:
    """1-based number of the one line of ``path`` that contains ``snippet``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits} of {path.name}"
    return hits[0]


def found(result: DocCheck) -> set[tuple[int, str, str]]:
    return {(w.line, w.left, w.right) for w in result.wrong}


def blames(result: DocCheck) -> list[str]:
    return [str(w.blame) for w in result.wrong]


# ---------------------------------------------------------------------------
# The source article
# ---------------------------------------------------------------------------


def assert_article_result(result: DocCheck, path: Path) -> None:
    line = line_of(path, "94,848+96")
    [step] = result.wrong
    # P_c = W_c + B_c (the general formula above) = 34,848 + 96 = 34,944: the total is
    # right, and 94,848 is a slip for W_c, defined on the same line as 11^2 x 3 x 96 = 34,848.
    assert (step.line, step.left, step.right, step.expected) == (line, "94,944", "34,944", "34,848")
    assert step.text == "P_{c}=94,848+96=34,944"
    assert (step.left_text, step.right_text) == ("94,848+96", "34,944")
    assert str(step.blame) == f"94,848 should be W_c = 34,848 (line {line})"
    # 8 checked steps: O=55, O=27, W_c, P_c, W_cf, P_cf, W_ff, P_ff. The general formulas
    # (O twice, W_c/B_c/P_c, W_cf/B_cf/P_cf, W_ff/B_ff/P_ff) are formulas, not skips.
    assert (result.checked, result.skipped, len(result.formulas)) == (8, 0, 11)


def test_article_fixture_has_one_wrong_step():
    path = FIXTURES / "article_math.md"
    assert_article_result(check_file(path), path)


def test_seed_article_itself(seed):
    result = check_file(seed)
    assert_article_result(result, seed)
    assert result.name == str(seed) and result.syntax == "markdown"  # a .txt with front matter and $$


def test_article_fixture_keeps_every_formula_of_the_seed(seed):
    import re

    def math(text: str) -> list[str]:
        return re.findall(r"\$[^$]*\$", text)

    assert math((FIXTURES / "article_math.md").read_text(encoding="utf-8")) == math(
        seed.read_text(encoding="utf-8")
    )


# ---------------------------------------------------------------------------
# Planted mistakes, and documents without any
# ---------------------------------------------------------------------------

PLANTED_MD = FIXTURES / "planted.md"
PLANTED_TEX = FIXTURES / "planted.tex"

# (document, snippet of the line, left value, right value, blame)
PLANTED = [
    # 55 x 55 x 96 = 290,400
    (PLANTED_MD, "290,000", "290,400", "290,000", "290,000 should be 290,400"),
    # W_c = K^2 C N with C = 3: the 4 put in for C is the slip (11^2 x 3 x 96 = 34,848)
    (PLANTED_MD, "11^{2}\\times 4", "34,848", "46,464", "4 should be C = 3 (line 7)"),
    # 34,848 + 96 = 34,944
    (PLANTED_MD, "34,954", "34,944", "34,954", "34,954 should be 34,944"),
    # O = 55 carried from Conv-1: (55 - 3)/2 + 1 = 27
    (PLANTED_MD, "=28$$", "27", "28", "28 should be 27"),
    # W_cf = O^2 N F = 6^2 x 256 x 4096 = 37,748,736: the exponent should be 2
    (PLANTED_MD, "6^{3}", "226,492,416", "37,748,736", "3 should be 2"),
    # K = 3, C = 256, N = 384: 9 x 256 x 384 = 884,736; 10,368 is 9 x 3 x 384 (the old C)
    (PLANTED_MD, "=10,368", "884,736", "10,368",
     "10,368 should be 884,736: 10,368 is the value with C = 3 (line 7), but C = 256 since line 43"),
    (PLANTED_TEX, "&= 34{,}884", "34,848", "34,884", "34,884 should be 34,848"),
    # (227 - 11 + 0)/4 + 1 = 55
    (PLANTED_TEX, "= 56", "55", "56", "56 should be 55"),
    # 6 x 6 x 256 = 9,216
    (PLANTED_TEX, "9,126", "9,216", "9,126", "9,126 should be 9,216"),
    # F = 4096: 4096^2 = 16,777,216
    (PLANTED_TEX, "16{,}777{,}261", "16,777,216", "16,777,261", "16,777,261 should be 16,777,216"),
]


@pytest.mark.parametrize("path, snippet, left, right, blame", [pytest.param(*p, id=f"{p[0].suffix}-{p[1]}")
                                                                for p in PLANTED])
def test_planted_mistake_is_found_and_blamed(path, snippet, left, right, blame):
    result = check_file(path)
    line = line_of(path, snippet)
    [step] = [w for w in result.wrong if w.line == line]
    assert (step.left, step.right, str(step.blame)) == (left, right, blame)


@pytest.mark.parametrize("path", [PLANTED_MD, PLANTED_TEX], ids=["markdown", "latex"])
def test_planted_documents_have_no_false_alarm(path):
    # Every wrong step is one of the planted ones: the correct chains around them (the
    # redefined C, the re-derived W_c, comments, code, \verb) stay quiet.
    assert len(check_file(path).wrong) == sum(1 for p in PLANTED if p[0] == path)


@pytest.mark.parametrize("name", ["correct.md", "correct.tex"])
def test_correct_documents_have_zero_wrong(name):
    result = check_file(FIXTURES / name)
    assert result.wrong == ()
    assert result.checked >= 5
    assert result.ok and result.status == "ok" and result.exit_code == 0


# Documents in the styles people write, each with its planted mistakes: (snippet, blame).
OWN_DOCUMENTS = {
    "notes.txt": [  # plain text, unicode operators, x, superscripts, percent, M suffix
        # 9 x 128 x 256 + 256 = 295,168: three digits off, so no one part is named
        ("259,840", "None"),
        ("16,781,321", "16,781,321 should be 16,781,312"),  # 4096^2 + 4096
    ],
    "params_table.md": [("885,102", "885,102 should be 885,120")],  # 9 x 256 x 384 + 384
    "jupyter.md": [("62,378,334", "62,378,334 should be 62,378,344")],  # the sum of the four
    "paper.tex": [
        ("1{,}042", "1,042 should be 1,024"),  # 2^10
        ("= 26", "26 should be 25"),  # floor(25,088 / 1,000)
    ],
    "ko_blog.md": [("73,738", "73,738 should be 73,728")],  # 9 x 64 x 128
    "de_notes.md": [],  # German separators: 34.848, 0,056 %
    "so_answer.md": [("12,554", "12,554 should be 12,544")],  # 28 x 28 x 16
    "course.md": [],  # math fences, GitLab math, floor, ceil, tables, rounded figures
}
#: steps each document checks (counted by hand from the documents; notes.txt: lines 4, 6-11,
#: 13-16, 18, 19 and 20, where "stride 2 halves the width: ⌊(224 − 2)/2⌋ + 1 = 112" is a word
#: between two numbers that does no arithmetic; ko_blog.md: the steps of lines 9, 11, 12, 13 and 16,
#: and "138,357,544개로, 약 1억 3,836만 개" on line 14, where 1억 3,836만 is one number, 138,360,000)
OWN_CHECKED = {"notes.txt": 14, "params_table.md": 9, "jupyter.md": 2, "paper.tex": 8, "ko_blog.md": 7,
               "de_notes.md": 7, "so_answer.md": 4, "course.md": 11}


@pytest.mark.parametrize("name", sorted(OWN_DOCUMENTS))
def test_own_documents(name):
    path = OWN / name
    result = check_file(path)
    expected = sorted((line_of(path, snippet), blame) for snippet, blame in OWN_DOCUMENTS[name])
    assert sorted((w.line, str(w.blame)) for w in result.wrong) == expected
    assert result.checked == OWN_CHECKED[name]
    assert result.status == ("wrong" if expected else "ok")


# ---------------------------------------------------------------------------
# Rules, case by case
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked, skipped, wrong",
    [
        pytest.param(r"$34,848=34848$", 1, 0, set(), id="thousands-comma"),
        pytest.param(r"$34{,}848=34\,848=34848=34\ 848$", 3, 0, set(), id="thousands-latex"),
        pytest.param(r"$4,096,000=4096\times 1000$", 1, 0, set(), id="thousands-groups"),
        pytest.param(r"$F_{-1}=4096,\; F=1000$ $$W=F_{-1}\times F=4,096,000$$", 1, 0, set(), id="comma-space"),
        pytest.param(r"$x=1,2345$ $x=1$ $x+1=2$", 1, 0, set(), id="comma-not-3-digits"),
        pytest.param(r"$a=2; b=3$ $ab=6$", 1, 0, set(), id="semicolon"),
        pytest.param(r"$12 345=12345$ 62 378 344 = 62,378,344", 2, 0, set(), id="space-grouped-digits"),
        pytest.param(r"$2 3 = 6$", 0, 1, set(), id="digits-side-by-side-ambiguous"),
        pytest.param(r"$\left(2+3\right)\cdot 4=20$", 1, 0, set(), id="left-right"),
        pytest.param(r"$2*3\times 4\cdot 5=120$", 1, 0, set(), id="products"),
        pytest.param(r"$2^{10}=1,024$ $2^3=8$", 2, 0, set(), id="powers"),
        pytest.param(r"$2^10=1024$", 0, 1, set(), id="latex-power-takes-one-digit"),
        pytest.param(r"$\frac{227-11+2*0}{4}+1=55$ $\frac12=0.5$", 2, 0, set(), id="frac"),
        pytest.param(r"$P=2$ $2P+1=5$", 1, 0, set(), id="implicit-product"),
        pytest.param(r"$K=3$ $K^{2}KK=81$ $K(K-1)=6$", 2, 0, set(), id="implicit-after-power-and-paren"),
        pytest.param(r"$I=227$ $E=2$ $S=4$ $I+E+S=233$", 1, 0, set(), id="I-E-S-are-names"),
        pytest.param(r"$d=2$ $d^{2}=4$", 1, 0, set(), id="d-is-a-name"),
        pytest.param(r"$W_c=2$ $W_{c}+W_{\mathrm{c}}=4$ W_c + W_{c} = 4", 2, 0, set(), id="one-name-four-spellings"),
        pytest.param(r"$W_{c1}=5$ $\alpha_{1}=2$ $W_{c1}\alpha_{1}=10$", 1, 0, set(), id="odd-subscripts"),
        pytest.param(r"$O=\frac{I-K+2P}{S}+1$", 0, 0, set(), id="general-formula-is-a-formula"),
        pytest.param(r"$O=6$ $O=\frac{I-K+2P}{S}+1$ $O^{2}=36$", 0, 1, set(), id="restated-formula-unbinds"),
        pytest.param(r"$C=3$ $C=4$", 0, 0, set(), id="definitions-are-not-claims"),
        pytest.param(r"$x := 4$ $x^{2}=16$ $y \coloneqq 2$ $y=2$", 1, 0, set(), id="colon-equals"),
        pytest.param(r"$2+2=5$", 1, 0, {(1, "4", "5")}, id="plain-wrong"),
        pytest.param(r"$2+2=4=5$", 2, 0, {(1, "4", "5")}, id="chain-steps-are-adjacent"),
        pytest.param(r"$x=2+2=5$ $x+1=6$", 1, 1, {(1, "4", "5")}, id="contradicted-name-forgotten"),
        pytest.param(r"$\frac{1}{3}=0.333$ $\frac{1}{3}=0.34$", 2, 0, {(1, "1/3", "0.34")}, id="decimals"),
        pytest.param(r"$\frac{2}{3}=0.66$ $\frac{2}{3}=0.67$", 2, 0, set(), id="truncated-or-rounded"),
        pytest.param(r"$\frac{7}{2}=3.5$ $0.1+0.2=0.3$", 2, 0, set(), id="exact-decimals"),
        pytest.param(r"$\sqrt{16}=4$ $\sqrt{2}=1.414$ $\sqrt[3]{27}=3$", 2, 1, set(), id="roots"),
        pytest.param(r"$2^{10^{100}}=5$ $(10^{9})!=3$ $\frac{1}{0}=2$", 0, 3, set(), id="too-big-or-zero"),
        pytest.param(r"$a/bc=1$ $6/2(1+2)=9$", 0, 2, set(), id="slash-with-implicit-product"),
        pytest.param(r"$2\frac{1}{2}=2.5$", 0, 1, set(), id="mixed-number-ambiguous"),
        pytest.param(
            r"$x = 3 \text{ px}$ $x \approx 3.1$ $x=3 \quad y=4$ $x+y=7$", 1, 0, set(), id="text-relations-quad"
        ),
        pytest.param(r"$\pi = 3$ $\sin(0) = 0$", 0, 1, set(), id="functions-unsupported"),
        pytest.param(r"$\lfloor 7/2 \rfloor = 3$ $\lceil 7/2 \rceil = 4$ ⌊7/2⌋ + ⌈7/2⌉ = 7", 3, 0, set(),
                     id="floor-ceil"),
        pytest.param(r"$\operatorname{floor}(7/2) = \mathrm{ceil}(5/2) = \max(1, 3) = |-3|$", 3, 0, set(),
                     id="named-functions"),
        pytest.param(r"$\binom{5}{2} = 10$ $5! = 120$", 2, 0, set(), id="binomial-factorial"),
        pytest.param(r"$\mathbf{W} = 2$ $\boxed{W + 1} = \num{3}$", 1, 0, set(), id="bold-boxed-num"),
        pytest.param(r"$1 + 2 + \cdots + 10 = 55$", 0, 1, set(), id="ellipsis-skipped"),
    ],
)
def test_rules(doc, checked, skipped, wrong):
    result = check_document(doc)
    assert (result.checked, result.skipped, found(result)) == (checked, skipped, wrong)


# ---------------------------------------------------------------------------
# Prose, tables and the ways people write numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked, wrong",
    [
        pytest.param("5*5*3 = 75 weights", 1, set(), id="stars"),
        pytest.param("5x5x16 = 400 and 5 x 5 x 16 = 400, 5X5 = 25", 3, set(), id="x-as-times"),
        pytest.param("11 × 11 × 3 · 96 = 34,848; 227 − 11 = 216; 12 ÷ 4 = 3", 3, set(), id="unicode"),
        pytest.param("11² × 3 × 96 = 34,848, 2⁻¹ = 0.5", 2, set(), id="superscripts"),
        pytest.param("34,848 weights + 96 biases = 34,944 parameters", 1, set(), id="unit-labels"),
        pytest.param("3 hours = 180 minutes", 0, set(), id="a-number-and-its-unit-is-no-claim"),
        # words for operations: 50% of 10 = 0.5 x 10 = 5; 227 minus 11 = 216; 10 divided by 4 = 2.5
        pytest.param("50% of 10 = 5, and the width 227 minus 11 = 216", 2, set(), id="words-between-numbers"),
        pytest.param("10 divided by 4 = 2.6", 1, {(1, "2.5", "2.6")}, id="word-operator-wrong"),
        # a number after a word of an operation is an operand, not a side: not read
        pytest.param("accuracy grew by 3 = 4 points, 2 of 3 = 0.5", 0, set(), id="operand-of-words"),
        pytest.param("25% = 0.25 and 3.2M = 3,200,000 and 34.8k = 34,800", 3, set(), id="percent-suffixes"),
        pytest.param("62 million = 62,000,000, 1.2e6 = 1,200,000, 6,238만 = 62,380,000", 3, set(),
                     id="scale-words"),
        pytest.param("$62{,}378{,}344 \\approx 62.4\\text{ million} = 6.24 \\times 10^{7}$ and $25\\% = 0.25$", 3,
                     set(), id="scale-words-in-math"),
        pytest.param("62,378,344 ≈ 62.4M ~ 62 million, 1/3 ≈ 0.33, 62,378,344 ~= 6.24e7", 4, set(),
                     id="approximate"),
        pytest.param("62,378,344 ≈ 63M", 1, {(1, "62,378,344", "63,000,000")}, id="approximate-wrong"),
        pytest.param("**34,944** = 34,848 + 96 and __62,378,344__ = 62,378,344", 2, set(), id="emphasis"),
        pytest.param("1. 2 + 2 = 4\n2. 3 + 3 = 6\n- 4 + 4 = 8\n> 5 + 5 = 10", 4, set(), id="list-markers"),
        pytest.param("(138,357,544 ≈ 138.4M)", 1, set(), id="prose-in-brackets"),
        pytest.param("$W_c$ = 34,848 and $W_c + 96$ = 34,944", 1, set(), id="inline-math-joins-prose"),
        pytest.param("the sum 3,747,200 + 37,752,832 +\n16,781,312 + 4,097,000 = 62,378,344", 1, set(),
                     id="sum-over-lines"),
        pytest.param("2 &times; 3 = 6 and 7 &minus; 1 = 6", 2, set(), id="html-entities"),
        pytest.param("floor((224 - 7 + 6)/2) + 1 = 112, max(3, 5) = 5", 2, set(), id="functions-in-prose"),
        pytest.param("in all 1,135,256,096 + 650,080 (conv outputs) +\n9,192 (FC biases) = 1,135,915,368", 1, set(),
                     id="labels-in-brackets"),
        # words for what is counted are no units of numbers: not claims; 1 KB = 1,024 bytes is
        # checked (a KB is 1,000 or 1,024 bytes, as people use both: 1,024 = 1,024)
        pytest.param("3 (hours) = 180 (minutes), 1 epoch = 5005 iterations, 1 KB = 1,024 bytes", 1, set(),
                     id="units-are-no-claims"),
        pytest.param("16:9 = 1.78, a 1:2 ratio = 0.5", 2, set(), id="ratios"),
        pytest.param("batch 256 = 8 GPUs × 32 images; lr = 0.1 × 0.1 = 0.01; 224×224 = 50,176 pixels", 3, set(),
                     id="blog-prose"),
        pytest.param("f(x) = 2x + 1 and O(n^2) = 4 for n = 2; top-1 = 76.1%; ResNet-50 = 25.6M params", 0, set(),
                     id="prose-that-is-not-arithmetic"),
    ],
)
def test_prose(doc, checked, wrong):
    result = check_document(doc)
    assert (result.checked, found(result)) == (checked, wrong)


def test_table_cells():
    doc = "\n".join([
        "| layer | computation | result |",
        "|---|---|---|",
        "| conv1 | (11*11*3)*96 + 96 = 34,944 | ok |",  # 34,848 + 96
        "| conv2 | 5x5x96x256 + 256 | = 614,656 |",  # a cell that starts with = goes on from the one before
        "| fc2 | 4096 × 4096 + 4096 | = 16,781,321 |",  # 16,781,312
    ])
    result = check_document(doc)
    assert result.checked == 3
    assert [(w.line, str(w.blame)) for w in result.wrong] == [(5, "16,781,321 should be 16,781,312")]


@pytest.mark.parametrize(
    "doc, checked, wrong, convention",
    [
        # German: points group thousands, commas mark decimals; decided by 62.378.344 and 0,056
        pytest.param("34.848 + 96 = 34.944, 62.378.344 - 1 = 62.378.343, 0,5 + 0,25 = 0,75", 3, set(), "1.234,5",
                     id="german"),
        # English, decided by 4,096,000 and 0.75
        pytest.param("34,848 + 96 = 34,944, 4,096,000 / 4 = 1,024,000, 0.5 + 0.25 = 0.75", 3, set(), "1,234.5",
                     id="english"),
        # nothing decides: 34.848 reads both ways, and the step that holds in one reading holds
        pytest.param("11 x 11 x 3 x 96 = 34.848 and 34.848 + 96 = 34.944", 2, set(), "1.234,5", id="undecided"),
        # wrong in both readings: 94.848 + 96 is 190.848 (or 94.944 in German), not 34.944;
        # with nothing to decide, the English reading is the one reported
        pytest.param("94.848 + 96 = 34.944", 1, {(1, "190.848", "34.944")}, "1,234.5", id="wrong-either-way"),
    ],
)
def test_thousands_separators(doc, checked, wrong, convention):
    result = check_document(doc)
    assert (result.checked, found(result), result.convention) == (checked, wrong, convention)


def test_separator_read_the_other_way_is_skipped_not_flagged():
    # The document uses English separators (1,234,567 and 0.75), but one line writes 34.848
    # for 34,848: the step holds only in the German reading, so it is skipped, not flagged.
    doc = "1,234,567 + 1 = 1,234,568 and 0.5 + 0.25 = 0.75\n\n11 x 11 x 3 x 96 = 34.848"
    result = check_document(doc)
    assert (result.checked, result.wrong) == (2, ())
    [skip] = result.skips
    assert skip.reason == "ambiguous" and "separators" in skip.detail


# ---------------------------------------------------------------------------
# Where the math is, and what is never read
# ---------------------------------------------------------------------------


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
        pytest.param("\\begin{multline}\n2 + 2\n+ 1 = 6\n\\end{multline}", [3], id="multline"),
        pytest.param("\\begin{eqnarray}\nx &=& 2+2 \\\\\n &=& 5\n\\end{eqnarray}", [3], id="eqnarray"),
        pytest.param("\\begin{alignat}{2}\nx &= 2+2 &\\quad y &= 5 \\\\\n z &= 1+1 &\\quad w &= 3 \\\\\n"
                     "x + y &= 10\n\\end{alignat}", [4], id="alignat"),
        pytest.param("\\begin{gather*}\n1=1 \\\\\n2+2=5\n\\end{gather*}", [3], id="gather"),
        pytest.param("\\begin{flalign}\n2+2&=5\n\\end{flalign}", [2], id="flalign"),
        pytest.param("\\begin{displaymath}\n2+2=5\n\\end{displaymath}", [2], id="displaymath"),
        pytest.param("```math\n1 = 1\n2+2=5\n```", [3], id="math-fence"),
        pytest.param("\\begin{equation}\\begin{split}\nP &= 1 + 2 \\\\\n  &\\quad + 3 \\\\\n  &= 7\n"
                     "\\end{split}\\end{equation}", [4], id="split-sum"),
        pytest.param("it is $`2+2=5`$ here", [1], id="gitlab-inline"),
        pytest.param("\\begin{align}\nP &= 1 + 2 \\\\\n  &\\quad + 3 \\\\\n  &= 7\n\\end{align}", [4],
                     id="sum-continued-over-align-lines"),
        pytest.param("\\begin{align}\nP &= 1 + 2 + \\\\\n  & 3 + 4 = 11\n\\end{align}", [3], id="line-ending-plus"),
    ],
)
def test_math_delimiters_and_lines(doc, lines):
    assert [w.line for w in check_document(doc).wrong] == lines


def test_align_sum_over_lines_is_right_when_right():
    doc = ("\\begin{align*}\n  P &= 1{,}200 + 2{,}416 \\\\\n    &\\quad + 36{,}928 + 73{,}856 \\\\\n"
           "    &= 114{,}400\n\\end{align*}")
    result = check_document(doc)
    assert (result.checked, result.wrong) == (1, ())


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param("`$2+2=5$` and `x = 2+2  # 5`", id="code-span"),
        pytest.param("``a ` 2+2=5 b``", id="double-backtick-span"),
        pytest.param("```c\n$$2+2=5$$\n2+2=5\n```", id="fenced-code"),
        pytest.param("```\nimport math\nx = 2 + 2\ny = [x, 5]\n```", id="fenced-python"),
        pytest.param("~~~~python\n$2+2=5$\n~~~~", id="tilde-fence"),
        pytest.param("```python\nx = 2 + 2  # = 5", id="unclosed-fence-runs-to-the-end"),
        pytest.param("text\n\n    2 + 2 = 5\n    $2+2=5$\n", id="indented-code"),
        pytest.param("- item\n\n      2 + 2 = 5\n", id="indented-code-in-a-list"),
        pytest.param("<!-- $2+2=5$ 2+2=5 -->", id="html-comment"),
        pytest.param("<pre>\n2 + 2 = 5\n</pre>", id="pre"),
        pytest.param("a <code>2 + 2 = 5</code> b <kbd>2+2=5</kbd>", id="code-tag"),
        pytest.param("---\ntitle: $2+2=5$\n---\ntext", id="front-matter"),
        pytest.param("see https://example.com/?a=2+2=5 and [x](http://a.b/2+2=5)", id="urls"),
        pytest.param('<img src="a.png" width="2+2=5">', id="html-tags"),
    ],
)
def test_markdown_code_is_never_read(doc):
    result = check_document(doc)
    assert (result.checked, result.wrong) == (0, ())
    # a line of code with an equality of numbers is listed as not read, with why
    assert {s.reason for s in result.skips} <= {"code"}


@pytest.mark.parametrize(
    "doc, line",
    [
        pytest.param("The conv costs `28 * 28 * 32 * 3 * 3 * 16 = 3.7M` MACs.", 1, id="code-span"),
        pytest.param("Sizes:\n\n```\nCONV1: 11*11*3*96 = 34,846\nPOOL1: no weights\n```\n", 4, id="text-block"),
        pytest.param("```text\nconv1: [55x55x96] memory: 55*55*96 = 290,500\n```\n", 2, id="text-fence"),
    ],
)
def test_arithmetic_written_as_code_is_read(doc, line):
    # 28*28*32*3*3*16 = 3,612,672 (3.6M, not 3.7M); 11*11*3*96 = 34,848; 55*55*96 = 290,400
    assert [w.line for w in check_document(doc).wrong] == [line]


def test_prose_outside_math_is_read():
    # Not math in Markdown (a space after $, a blank line inside, escaped dollars), but a
    # reader still sees 2+2=5 written there.
    for doc in ("$ 2+2=5$", "$2+2=5\n\n$", "it costs \\$2+2=5\\$ today"):
        assert found(check_document(doc)) == {(1, "4", "5")}, doc


def test_latex_comments_code_and_verbatim_are_never_read():
    doc = "\n".join([
        "\\documentclass{article}",
        "\\newcommand{\\x}{2+2=5}",  # the preamble
        "\\begin{document}",
        "% $2+2=5$",
        "\\verb|$2+2=5$| \\verb!2+2=5! 50\\% $2+2=4$",
        "\\begin{verbatim}\n2+2=5\n\\end{verbatim}",
        "\\begin{lstlisting}\n2+2=5\n\\end{lstlisting}",
        "\\texttt{2+2=5} \\lstinline|2+2=5| \\url{http://a/2+2=5}",
        "\\end{document}",
    ])
    result = check_document(doc)
    assert (result.checked, result.wrong) == (1, ())


def test_syntax_is_guessed_from_the_name_and_can_be_forced():
    doc = "`$2+2=5$` % $3+3=7$"
    # Markdown: the first is a code span, % is text; LaTeX: backticks are quotes, % a comment.
    assert [w.right for w in check_document(doc).wrong] == ["7"]
    assert [w.right for w in check_document(doc, name="a.tex").wrong] == ["5"]
    assert [w.right for w in check_document(doc, syntax="latex").wrong] == ["5"]
    assert [w.right for w in check_document(doc, name="a.tex", syntax="markdown").wrong] == ["7"]
    # plain text: dollars and backticks are characters, so both are read
    assert sorted(w.right for w in check_document(doc, name="a.txt").wrong) == ["5", "7"]
    with pytest.raises(SpecError, match="unknown syntax"):
        check_document(doc, syntax="rst")


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked, skipped, wrong",
    [
        # a size is not a number: I stays undecided and O's substituted side is skipped
        pytest.param(r"$I = 227 \times 227 \times 3$ $O = \frac{I - 11}{4} + 1 = 55$ $I = 227$ $I - 11 = 216$",
                     1, 1, set(), id="a-size-binds-nothing"),
        pytest.param(r"$I = 227 \times 227 \times 3 = 154,587$ $I + 1 = 154,588$", 2, 0, set(),
                     id="a-product-with-its-value-binds"),
        # a value restated later replaces the earlier one
        pytest.param(r"$K = 11$ $K = 3$ $K^2 = 9$", 1, 0, set(), id="restated-value-replaces"),
        # chains of names all get the value
        pytest.param(r"$O_3 = O_4 = O_5 = 13$ $O_3 + O_4 + O_5 = 39$", 1, 0, set(), id="chain-of-names"),
        # B = F defines B from F, and keeps F
        pytest.param(r"$F = 4096$ $B = F$ $F^{2} = 16{,}777{,}216$", 1, 0, set(), id="name-equals-name"),
        # a name known only as a rounded figure is not used as a value
        pytest.param(r"$P \approx 3.2\text{M}$ $P + 1 = 3,200,001$", 0, 1, set(), id="approximate-name"),
        # prose defines too
        pytest.param("K = 3, C = 64, N = 128, so K^2 C N = 73,728", 1, 0, set(), id="prose-definitions"),
    ],
)
def test_names(doc, checked, skipped, wrong):
    result = check_document(doc)
    assert (result.checked, result.skipped, found(result)) == (checked, skipped, wrong)


def test_redefinition_uses_the_latest_value_and_blames_the_old_one():
    doc = "\n".join([
        "- $C=3$, $K=3$, $N=384$",
        "- $C=256$",
        "- $$K^{2}\\times C\\times N=884,736$$",  # 9 x 256 x 384
        "- $$K^{2}\\times C\\times N=10,368$$",  # 9 x 3 x 384: the old C
    ])
    result = check_document(doc)
    assert found(result) == {(4, "884,736", "10,368")}
    assert blames(result) == ["10,368 should be 884,736: 10,368 is the value with C = 3 (line 1), "
                              "but C = 256 since line 2"]
    assert result.checked == 2


# ---------------------------------------------------------------------------
# Blame
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, blame",
    [
        # the result one digit off
        pytest.param("$2+2=5$", "5 should be 4", id="result"),
        # another side of the chain agrees with the result: the left side is wrong, and its
        # one number off by a digit is named (9 x 3 x 96 = 2,592)
        pytest.param("$P = 9 \\times 3 \\times 86 = 2,592 = 2592$", "86 should be 96", id="operand-by-the-chain"),
        # the substituted value differs from the name the general formula has there
        pytest.param("$W = 34,848$ $B = 96$ $$P = W + B = 94,848 + 96 = 34,944$$",
                     "94,848 should be W = 34,848 (line 1)", id="operand-by-the-formula"),
        # the general formula written earlier says what P is
        pytest.param("$$P = W + B$$ $W = 34,848$, $B = 96$ $$P = 94,848 + 96 = 34,944$$",
                     "94,848 should be W = 34,848 (line 1)", id="operand-by-an-earlier-formula"),
        # a rounded figure: rounded at its last digit
        pytest.param("$\\frac{1}{3} \\approx 0.34$", "0.34 should be 0.33", id="rounded-figure"),
        # the left side is one number and the right an expression: the left is named
        pytest.param("$5 = 2 + 2$", "5 should be 4", id="left-result"),
    ],
)
def test_blame(doc, blame):
    assert blames(check_document(doc)) == [blame]


def test_no_blame_when_nothing_singles_out_a_part():
    # 2 x 3 + 4 = 10 and 5 + 6 = 11: no side is a number, and three numbers one digit off
    # would each make it hold (4 -> 5, 5 -> 4, 6 -> 5): both values are given instead.
    [step] = check_document("$2 \\times 3 + 4 = 5 + 6$").wrong
    assert step.blame is None
    assert step.message == "2 \\times 3 + 4 is 10, 5 + 6 is 11"
    assert step.expected == "10"


def test_names_claimed_in_a_chain_of_names():
    # After H_3 = 16, a chain that brings in H_4 and H_5 claims H_3 is 8: H_3 is the slip.
    doc = "$H_3 = 16$, output $16 \\times 16 \\times 64$.\n\nSo $H_3 = H_4 = H_5 = 8$.\n\n$H_4 + H_5 = 16$"
    result = check_document(doc)
    assert [(w.line, str(w.blame)) for w in result.wrong] == [(3, "H_3 = 16 (line 1), not 8")]
    # B_c = N = 384 after B_c = N = 256 restates both for the next layer: no claim
    assert check_document("$B_c = N = 256$ $B_c = N = 384$ $B_c + 1 = 385$").wrong == ()


def test_a_value_from_before_its_inputs_changed_is_recomputed():
    # B_c = N in general; for Conv-1 B_c = 96 (N = 96); Conv-2 sets N = 256, and
    # P_c = W_c + B_c = 614,400 + 256 uses B_c = N = 256, not the 96 of Conv-1.
    doc = "\n\n".join([
        "$$W_c = K^2 C N, \\qquad B_c = N, \\qquad P_c = W_c + B_c$$",
        "Conv-1: $C = 3$, $K = 11$, $N = 96$. $$B_c = 96$$",
        "Conv-2: $C = 96$, $K = 5$, $N = 256$:",
        "$$W_c = 5^2 \\times 96 \\times 256 = 614,400, \\qquad P_c = W_c + B_c = 614,400 + 256 = 614,656$$",
    ])
    result = check_document(doc)
    assert (result.checked, result.wrong) == (3, ())


@pytest.mark.parametrize(
    "doc, checked, wrong",
    [
        # a running sum goes on after the prose that cut it: 34,848 + 96 = 34,944
        pytest.param("Conv-1: 11x11x3x96 = 34,848 weights, + 96 = 34,944", 2, set(), id="running-sum"),
        # a rounded restatement after a connective or of a big number: 11,689,512 is about 11.7M
        pytest.param("the total is 11,689,512, i.e. ≈ 11.7M", 1, set(), id="restated-ie"),
        pytest.param("62,378,344 parameters in all, ≈ 64.2M", 1, {(1, "62,378,344", "64,200,000")},
                     id="restated-wrong"),
        # the same unit with a prefix after the prose: 1,135,256,096 MACs ≈ 1.1 GMACs; another
        # unit is not compared
        pytest.param("1,135,256,096 MACs in all, ≈ 1.1 GMACs", 1, set(), id="restated-in-a-unit"),
        pytest.param("1,135,256,096 MACs in all, ≈ 2.3 GFLOPs", 1, set(), id="restated-in-another-unit"),
        pytest.param("1,135,256,096 MACs in all, ≈ 61 MB", 0, set(), id="restated-other-unit"),
        pytest.param("in 2019, ≈ 5 papers", 0, set(), id="small-number-not-restated"),
    ],
)
def test_statements_that_go_on_after_prose(doc, checked, wrong):
    result = check_document(doc)
    assert (result.checked, found(result)) == (checked, wrong)


def test_boxed_equations_and_rule_lines():
    doc = "Total\n-----\n  156 + 850 = 1,006\n\n$$\\boxed{84 \\cdot 10 + 10 = 860}$$"
    result = check_document(doc, name="notes.txt")
    # 860 -> 850 or the + 10 dropped would each explain it; the notes write 850 above
    assert [(w.line, str(w.blame)) for w in result.wrong] == [
        (5, "860 should be 850 as the document gives it elsewhere")]
    assert result.checked == 2


def test_tables_whose_columns_multiply_and_add():
    doc = "\n".join([
        "| Layer | K | C_in | C_out | Weights (K·K·C_in·C_out) | Biases | Parameters |",
        "|---|---|---|---|---|---|---|",
        "| conv1 | 3 | 3 | 32 | 864 | 32 | 896 |",  # 3·3·3·32 = 864, + 32 = 896
        "| conv2 | 3 | 32 | 64 | 18,423 | 64 | 18,496 |",  # 3·3·32·64 = 18,432: the weights cell is wrong
        "| fc | | 128 | 10 | 1,280 | 10 | 1,290 |",
        "| **Total** | | | | 20,576 | 106 | **20,682** |",  # 864 + 18,432 + 1,280 = 20,576
    ])
    result = check_document(doc)
    assert [(w.line, str(w.blame)) for w in result.wrong] == [(4, "18,423 should be 18,432")]
    # the weights total adds up with 18,423 put right; the parameter total without it
    assert not any("total" in s.text for s in result.skips)
    # without a header formula: weights + biases = parameters, row by row
    plain = "| layer | weights | biases | parameters |\n|---|---|---|---|\n| conv1 | 34,848 | 96 | 34,494 |"
    assert [str(w.blame) for w in check_document(plain).wrong] == ["34,494 should be 34,944"]


@pytest.mark.parametrize(
    "doc, blame",
    [
        # the other side of the chain says 2 x 2,359,808 where this one says 4,791,616
        pytest.param("$P = 1,180,160 + 2 \\times 2,359,808 = 1,180,160 + 4,791,616 = 5,899,776$",
                     "4,791,616 should be 4,719,616, as 2 \\times 2,359,808", id="by-the-side-before"),
        # the result leaves out a term (the biases)
        pytest.param("$25{,}088 \\cdot 4{,}096 + 4{,}096 = 102{,}760{,}448$",
                     "102,760,448 should be 102,764,544: it leaves out + 4{,}096", id="dropped-term"),
        # two one-digit slips would explain it (84,120 or 120); the document writes 120 elsewhere
        pytest.param("C5 has 120 kernels.\n\n$5^2 \\cdot 16 \\cdot 210 + 120 = 48{,}120$",
                     "210 should be 120 as the document gives it elsewhere", id="written-elsewhere"),
        # a rounded figure in scientific notation
        pytest.param("$6 \\times 6 \\times 256 \\times 4096 = 3.8 \\times 10^{6}$",
                     "3.8 \\times 10^{6} should be 3.8 \\times 10^{7}", id="scientific"),
    ],
)
def test_blame_from_the_document(doc, blame):
    assert blames(check_document(doc)) == [blame]


# ---------------------------------------------------------------------------
# What is reported: skipped statements, formulas, status, exit codes
# ---------------------------------------------------------------------------


def test_skipped_statements_carry_their_reason():
    doc = "\n".join([
        "$W_c + 96 = 34,944$",  # W_c never defined
        "$\\sin(0) = 0$",
        "$a/bc = 1$",
        "$2^{10^{100}} = 5$",
    ])
    result = check_document(doc)
    assert [(s.line, s.reason) for s in result.skips] == [
        (1, "unknown"), (2, "unsupported"), (3, "ambiguous"), (4, "too large")]
    assert result.skips[0].detail == "W_c"
    text = format_text(result, show_skipped=True)
    assert "unknown names (1):" in text and "<doc>:1: W_c + 96 = 34,944  [W_c]" in text
    assert len(format_text(result).splitlines()) == 1  # the skipped ones only when asked


def test_formulas_are_reported_as_formulas():
    result = check_document("$$W_c = K^2 C N \\qquad B_c = N \\qquad P_c = W_c + B_c$$")
    assert [f.text for f in result.formulas] == ["W_c = K^2 C N", "B_c = N", "P_c = W_c + B_c"]
    assert result.skipped == 0


@pytest.mark.parametrize(
    "doc, status, code",
    [
        pytest.param("$2+2=4$", "ok", 0, id="checked"),
        pytest.param("$2+2=5$", "wrong", 1, id="wrong"),
        pytest.param("no arithmetic at all", "nothing checkable", 4, id="nothing"),
        pytest.param("$W_c = K^2 C N$ and $W_c + 1 = 5$", "nothing checkable", 4, id="only-formulas-and-skips"),
    ],
)
def test_status_and_exit_code(doc, status, code):
    result = check_document(doc)
    assert (result.status, result.exit_code) == (status, code)


def test_nothing_checkable_says_so():
    text = format_text(check_document("Plain words, and 5 and 6."))
    assert text.startswith("nothing checkable: no equality with a value on both sides")


# ---------------------------------------------------------------------------
# Bounds: budgets, big numbers, hostile input
# ---------------------------------------------------------------------------


def test_long_sides_are_checked_up_to_a_limit():
    from symcnn.checkdoc.evaluate import MAX_SIDE_TOKENS

    short, long = "+".join(["1"] * 100), "+".join(["1"] * MAX_SIDE_TOKENS)
    assert check_document(f"${short}=100$").checked == 1
    result = check_document(f"${long}={MAX_SIDE_TOKENS}$")
    assert (result.checked, [s.reason for s in result.skips]) == (0, ["too long"])


def test_document_budget_cuts_and_says_so():
    doc = "\n\n".join(f"${k}+{k}={2 * k}$" for k in range(1, 21))
    result = check_document(doc, budget=12)  # 3 tokens on the left, 1 on the right: 3 steps
    assert result.checked == 3
    assert {s.reason for s in result.skips} == {"budget"}
    assert result.checked + result.skipped == 20


def test_a_block_too_long_is_cut_and_says_so(monkeypatch):
    from symcnn.checkdoc import statements

    monkeypatch.setattr(statements, "MAX_BLOCK_TOKENS", 50)
    result = check_document("1+1=2, " * 40)  # 240 tokens in one paragraph: 8 statements fit in 50
    assert result.checked == 8
    assert [(s.reason, s.text) for s in result.skips] == [("too long", "(tokens 50 to 240 of a block)")]


def test_big_numbers_never_crash_and_show_their_ends():
    result = check_document("$2000! = 1$")  # 2000! has 5,736 digits, past Python's 4,300-digit str limit
    [step] = result.wrong
    assert step.left.endswith("(5,736 digits)") and step.left.startswith("331,627,509,245,063,")
    assert step.right == "1"
    data = json.loads(json.dumps(to_json(result)))
    assert data["wrong"][0]["left"] == step.left
    # a 4,500-digit literal is read (in pieces: Python converts at most 4,300 digits at once);
    # a 6,000-digit one is past what is read
    assert check_document(f"${'9' * 4500} = 1$").status == "wrong"
    assert [s.reason for s in check_document(f"${'9' * 6000} = 1$").skips] == ["too large"]


def test_values_are_formatted_exactly():
    fmt = format_value
    assert [fmt(Fraction(n)) for n in (0, 999, 1000, -1234567)] == ["0", "999", "1,000", "-1,234,567"]
    assert [fmt(Fraction(5, 2)), fmt(Fraction(-1, 8)), fmt(Fraction(1, 3))] == ["2.5", "-0.125", "1/3"]


def test_malicious_math_is_only_skipped(tmp_path, monkeypatch):
    canary = tmp_path / "pwned"
    check_document("$1=1$")  # warm up lark before the traps are set

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
    assert not canary.exists()


LATEXISH = st.sampled_from(
    list("$\\{}()[]=,;_^'`~%&|!-+*/.0123456789 \nxKCdIE<>#")
    + ["$$", "```", "---\n", "{,}", "\\,", "\\\\", "_{-1}", "12,345", "\\frac", "\\left(", "\\right)", "<!--", "-->"]
    + ["\\times", "\\cdot", "\\[", "\\]", "\\(", "\\)", "\\text{", "\\sqrt", "\\alpha", "\\mathrm{", "×", "≈", "²"]
    + ["\\begin{align}", "\\end{align}", "\\lfloor", "\\rceil", "    ", "| a |", "|---|", "<pre>", "34.848", "3.2M"]
    + [" MiB", " GMACs", " bytes", "万", "about ", " divided by ", "\\newcommand{\\q}[1]{#1+#1}", "\\q{3}", "16.9x",
       "$48", "/hr", "1.81 G", "\\def\\z{\\z\\z}", "\\z"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LATEXISH, max_size=60).map("".join), st.sampled_from(["markdown", "latex", "text"]))
def test_any_text_is_handled_without_error(doc, syntax):
    result = check_document(doc, syntax=syntax)
    assert result.checked >= len(result.wrong)
    assert all(w.left != w.right or w.relation == "≈" for w in result.wrong)
    json.dumps(to_json(result))
    format_text(result, show_skipped=True)
    format_github(result)


# ---------------------------------------------------------------------------
# Files, JSON, text and GitHub output
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
    assert data["counts"] == {"checked": 8, "wrong": 1, "skipped": 0, "formulas": 11, "claims": 0,
                              "claims_wrong": 0}
    assert (data["status"], data["exit"], data["checked"], data["skipped"]) == ("wrong", 1, 8, [])
    [step] = data["wrong"]
    assert {"line", "text", "left", "right", "expected", "blame", "message"} <= step.keys()
    assert (step["left"], step["right"], step["expected"]) == ("94,944", "34,944", "34,848")
    assert step["blame"]["part"] == "operand" and step["blame"]["written"] == "94,848"
    assert isinstance(step["line"], int)
    assert json.loads(json.dumps(data)) == data
    skipped = to_json(check_document("$\\sin(0) = 0$"))["skipped"]
    assert skipped == [{"line": 1, "text": "\\sin(0) = 0", "reason": "unsupported",
                        "why": "not arithmetic the checker reads", "detail": "\\sin"}]


def test_format_text():
    result = check_document("$$x=1$$\n$$P_{c}=94,848+96=34,944$$", name="a.md")
    assert format_text(result) == (
        "a.md:2: P_{c}=94,848+96=34,944\n"
        "  step:  94,848+96 = 34,944 (94,944 is not 34,944)\n"
        "  wrong: 34,944 should be 94,944\n"
        "checked 1, wrong 1, skipped 0, formulas 0"
    )
    assert format_text(check_document("$1=1$")) == "checked 1, wrong 0, skipped 0, formulas 0"


def test_format_github():
    result = check_document("a\n$$2+2=5$$\n\n100% sure: 1 = 2", name="docs/a,b.md")
    assert format_github(result).splitlines() == [
        "::error file=docs/a%2Cb.md,line=2,title=check-doc::2+2=5: 5 should be 4",
        "::error file=docs/a%2Cb.md,line=4,title=check-doc::1 = 2: 2 should be 1",
        "::notice title=check-doc::checked 2, wrong 2, skipped 0, formulas 0",
    ]
    nothing = format_github(check_document("words", name="a.md"))
    assert nothing.startswith("::warning file=a.md,title=check-doc::nothing checkable")


def test_results_are_frozen():
    result = check_document("$2+2=5$")
    with pytest.raises(AttributeError):
        result.checked = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.wrong[0].line = 0  # type: ignore[misc]
    assert isinstance(result.wrong[0], WrongStep)


def test_docstring_examples():
    from symcnn.checkdoc import blame, check, evaluate, find, literals, output, results, statements, tokens

    for module in (checkdoc, blame, check, evaluate, find, literals, output, results, statements, tokens):
        assert doctest.testmod(module).failed == 0, module.__name__


# ---------------------------------------------------------------------------
# Property: random correct chains are never flagged; a changed digit always is
# ---------------------------------------------------------------------------

NAME_FORMS = {
    "latex": ["V_{%d}", "W_{c%d}", "F_{-%d}", "\\alpha_{%d}", "P_{s%d}"],
    "text": ["V_%d", "W_c%d", "P_s%d", "Q%d"],
}
OPERATORS = {
    "latex": ["\\times ", "\\cdot ", "*"],
    "text": [" × ", "*", " · ", " x "],
}
SEPARATORS = {"latex": [",", "{,}", "\\,", ""], "text": [",", ""]}


def thousands(n: int, style: str) -> str:
    text = f"{abs(n):,}".replace(",", style)
    return ("-" if n < 0 else "") + text


@st.composite
def expressions(draw, names: dict[str, int], depth: int, syntax: str, top: bool = False):
    """(text, value) of a random expression whose value is an integer."""
    kinds = ["int"] + (["name"] if names and not top else [])
    if depth > 0:
        kinds += ["add", "sub", "mul", "pow", "frac", "implicit" if names and syntax == "latex" else "mul"]
    kind = draw(st.sampled_from(kinds))
    if kind == "int":
        n = draw(st.integers(0, 10**7))
        return thousands(n, draw(st.sampled_from(SEPARATORS[syntax]))), n
    if kind == "name":
        name = draw(st.sampled_from(sorted(names)))
        return name, names[name]
    if kind == "pow":
        base, exp = draw(st.integers(0, 12)), draw(st.integers(0, 4))
        return (f"{base}^{{{exp}}}" if syntax == "latex" else f"{base}^{exp}"), base**exp
    if kind == "implicit":
        k, name = draw(st.integers(1, 99)), draw(st.sampled_from(sorted(names)))
        return f"{k}{name}", k * names[name]

    def operand():
        text, value = draw(expressions(names, depth - 1, syntax))
        if text.lstrip("-").replace(",", "").replace("{,}", "").replace("\\,", "").isdigit() or text in names:
            return text, value
        pairs = [("(", ")"), ("\\left(", "\\right)")] if syntax == "latex" else [("(", ")"), ("[", "]")]
        left, right = draw(st.sampled_from(pairs))
        return f"{left}{text}{right}", value

    if kind == "frac":
        top_text, top_value = draw(expressions(names, depth - 1, syntax))
        divisors = [d for d in range(1, 61) if top_value % d == 0]
        d = draw(st.sampled_from(divisors))
        if syntax == "latex":
            return f"\\frac{{{top_text}}}{{{d}}}", top_value // d
        return f"({top_text}) / {d}", top_value // d
    (a, x), (b, y) = operand(), operand()
    if kind == "add":
        return f"{a} + {b}", x + y
    if kind == "sub":
        return f"{a} - {b}", x - y
    op = draw(st.sampled_from(OPERATORS[syntax]))
    return f"{a}{op}{b}", x * y


@st.composite
def documents(draw, syntax: str):
    """A document of correct chains (LaTeX math, prose lines or table cells): its lines,
    and per chain (line, final value)."""
    names: dict[str, int] = {}
    lines, chains = ["---", "title: generated", "---", ""], []
    table = syntax == "table"
    form_syntax = "text" if syntax in ("text", "table") else "latex"
    if table:
        lines += ["| step | chain |", "|---|---|"]
    for k in range(draw(st.integers(1, 4))):
        text, value = draw(expressions(dict(names), 2, form_syntax, top=True))
        sides = [text]
        if draw(st.booleans()):
            shift = draw(st.integers(0, 500))
            sides.append(f"({thousands(value - shift, ',')}) + {shift}")
        final = thousands(value, draw(st.sampled_from([","] if form_syntax == "text" else [",", "{,}"])))
        sides.append(final)
        if draw(st.booleans()):
            name = draw(st.sampled_from(NAME_FORMS[form_syntax])) % (k + 1)
            sides.insert(0, name)
            names[name] = value
        chain = " = ".join(sides)
        if table:
            lines.append(f"| {k + 1} | {chain} |")
        elif form_syntax == "text":
            lines += [f"- step {k + 1}:", f"  {chain}"]
        else:
            form = draw(st.sampled_from(["$$%s$$", "- step: $%s$", "\\[ %s \\]"]))
            lines += [f"- step {k + 1}", form % chain]
        chains.append((len(lines), final))
    return lines, chains


SYNTAXES = ["latex", "text", "table"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_correct_chains_are_never_flagged(syntax):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(syntax))
    def check(doc):
        lines, chains = doc
        result = check_document("\n".join(lines))
        assert result.wrong == ()
        assert result.checked >= len(chains)
        assert result.skipped == 0

    check()


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_changed_final_digit_is_always_flagged(syntax):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(syntax), st.data())
    def check(doc, data):
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
        flagged = [w for w in result.wrong if w.line == line and w.right == format_value(Fraction(value))]
        assert flagged
        # the changed number is the one blamed where the other sides of the chain agree
        if flagged[0].text.count("=") >= 3:
            assert flagged[0].blame is not None and flagged[0].blame.part == "right"
        assert all(w.line >= line for w in result.wrong)

    check()


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, status",
    [
        pytest.param("$2+2=4$", 0, id="checked-nothing-wrong"),
        pytest.param("$2+2=5$", 1, id="a-mistake"),
        pytest.param("no arithmetic here", 4, id="nothing-checkable"),
    ],
)
def test_cli_exit_status(run_cli, tmp_path, text, status):
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    got, out, err = run_cli("check-doc", str(path))
    assert (got, err) == (status, "")
    assert out.rstrip().splitlines()[-1].startswith("nothing checkable" if status == 4 else "checked")


def test_cli_reads_stdin(run_cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"1 + 1 = 3\n")))
    status, out, _ = run_cli("check-doc", "-", "--format", "github")
    assert status == 1
    assert out.splitlines()[0] == "::error file=<stdin>,line=1,title=check-doc::1 + 1 = 3: 3 should be 2"


def test_cli_json_and_show_skipped(run_cli, tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("$\\sin(0) = 0$\n\n$2+2=4$\n", encoding="utf-8")
    status, out, _ = run_cli("check-doc", str(path), "--json")
    data = json.loads(out)
    assert (status, data["counts"]["skipped"], data["skipped"][0]["reason"]) == (0, 1, "unsupported")
    status, out, _ = run_cli("check-doc", str(path), "--show-skipped")
    assert out.splitlines() == [
        "skipped 1, by reason:",
        "  not arithmetic the checker reads (1):",
        f"    {path}:1: \\sin(0) = 0  [\\sin]",
        "checked 1, wrong 0, skipped 1, formulas 0",
    ]


def test_cli_bad_input_and_internal_errors(run_cli, tmp_path, monkeypatch):
    status, out, err = run_cli("check-doc", str(tmp_path / "missing.md"))
    assert status == 2 and out == "" and err.count("\n") == 1 and "cannot read the document" in err
    path = tmp_path / "doc.md"
    path.write_text("$1=1$", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("symcnn.checkdoc.check_file", broken)
    status, out, err = run_cli("check-doc", str(path))
    assert status == 3 and out == ""
    # the command line's one handler: a bug is one line, with where to report it and how to see more
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("symcnn: internal error, a bug in symcnn (RuntimeError: boom); please report it")
