"""``check-doc`` on text as it arrives from a web page: a formula written with words whose
values the sentence above gives, a result whose formula is a picture, labels glued to
factors, a page mis-decoded (UTF-8 read in another code page), a table whose cells ran
together when it was copied, and figures given only in words. Each case is a few lines
written for this file, every figure computed by hand in the comments.
"""

from __future__ import annotations

from symcnn.checkdoc import check_document
from symcnn.checkdoc.decoding import misdecoded
from symcnn.checkdoc.wordvalues import word_formulas

# -- a formula written with words ------------------------------------------------------------------

SETTINGS_ABOVE = (
    "第一层: 输入 224×224×3, 卷积核的大小为 11×11×3, stride = 4, padding = 2。\n"
    "\n"
    "wide = (224 + 2 * padding - kernel_size) / stride + 1 = 55\n"
    "height = (224 + 2 * padding - kernel_size) / stride + 1 = 55\n"
    "\n"
    "第二层: kernel_size = 5, pad = 2, stride = 1\n"
    "wide = (27 + 2 * pad - kernel_size) / stride + 1 = 27\n"
)


def test_a_formula_with_words_takes_the_values_the_line_above_gives():
    # line 3: (224 + 2*2 - 11)/4 + 1 = 217/4 + 1 = 55.25, not 55 (no floor is stated);
    # line 4: the same; line 7: (27 + 2*2 - 5)/1 + 1 = 26 + 1 = 27, right
    result = check_document(SETTINGS_ABOVE, name="alexnet.txt")
    assert [w.line for w in result.wrong] == [3, 4]
    assert [w.left for w in result.wrong] == ["55.25", "55.25"]
    assert result.checked == 3
    assert "kernel_size = 11, padding = 2, stride = 4 (line 1)" in result.wrong[0].text
    assert not [s for s in result.skips if s.line in (3, 4, 7)]


def test_the_nearest_line_above_gives_each_value():
    formulas = word_formulas(SETTINGS_ABOVE)
    # line 7 takes kernel_size = 5, pad = 2, stride = 1 from line 6, not line 1's 11, 2, 4
    assert [(f.line, f.readings) for f in formulas] == [
        (3, ("(224 + 2 * 2 - 11) / 4 + 1 = 55",)), (4, ("(224 + 2 * 2 - 11) / 4 + 1 = 55",)),
        (7, ("(27 + 2 * 2 - 5) / 1 + 1 = 27",))]


def test_a_formula_with_a_word_no_line_gives_is_not_put_together():
    # "dilation" is no setting read, and nothing above gives the stride: both lines stay unread
    text = ("kernel_size = 3, padding = 1\n"
            "out = (32 + 2 * padding - dilation * (kernel_size - 1) - 1) / 2 + 1 = 16\n"
            "out = (32 + 2 * padding - kernel_size) / stride + 1 = 16\n")
    assert word_formulas(text) == []
    assert not check_document(text, name="dil.txt").wrong


def test_a_document_that_floors_its_sizes_is_not_judged_on_a_formula_with_words():
    # (224 + 0 - 11)/4 + 1 = 54.25, floored to 54 as the document says: not a mistake
    text = ("Sizes are floored. kernel_size = 11, stride = 4, padding = 0\n"
            "wide = (224 + 2 * padding - kernel_size) / stride + 1 = 54\n")
    assert not check_document(text, name="floor.txt").wrong


def test_a_result_alone_is_checked_against_the_settings_the_lines_above_give():
    # the formula is a picture; the lines give I = 14, K = 5, P = 0, S = 3:
    # (14 - 5 + 0)/3 + 1 = 3 + 1 = 4, not 14. Below, I = 55, K = 3, P = 0, S = 2:
    # (55 - 3)/2 + 1 = 27, right; and I = 13, K = 3, P = 0, S = 2 gives (13 - 3)/2 + 1 = 6
    text = ("辅助分类器: 平均池化\n"
            "其中输入为14、池化核大小为5、padding为0\n"
            "步长为3\n"
            "得结果=14\n"
            "\n"
            "input = 55, kernel = 3, padding = 0, stride = 2\n"
            "output = 27\n")
    result = check_document(text, name="aux.txt")
    assert [w.line for w in result.wrong] == [4]
    assert result.wrong[0].left == "4"
    assert result.checked == 2


def test_a_result_alone_is_right_when_a_pooling_would_ceil_it():
    # (112 - 3)/2 + 1 = 55.5: floored 55 (PyTorch's default), ceiled 56 (ceil_mode, as Caffe's
    # GoogLeNet pools): either is a size a pooling gives
    for stated in (55, 56):
        text = f"input = 112, kernel = 3, padding = 0, stride = 2\noutput = {stated}\n"
        result = check_document(text, name="pool.txt")
        assert not result.wrong and result.checked == 1
    text = "input = 112, kernel = 3, padding = 0, stride = 2\noutput = 57\n"
    assert check_document(text, name="pool.txt").wrong[0].left == "55"


def test_a_result_alone_without_all_four_settings_is_not_guessed():
    # no padding is stated: the output cannot be derived from what the text gives
    text = "input = 14, kernel = 5, stride = 3\nresult = 14\n"
    assert word_formulas(text) == []


# -- labels glued to factors -----------------------------------------------------------------------


def test_a_label_in_brackets_glued_to_a_factor_is_skipped():
    # 256 * 5 * 5 * 192 = 1,228,800, not 12,288,000; 256 * 3 * 3 * 64 = 147,456 (right);
    # 16(3*3*8+1) is a product: 16 * 73 = 1,168 (right)
    text = ("计算量为:256(in) × 5×5 × 192(out) = 12,288,000次乘法\n\n"
            "weights: 256(in) × 3×3 × 64(out) = 147,456\n\n"
            "A 16(3*3*8+1) = 1,168 count\n")
    result = check_document(text, name="labels.txt")
    assert [(w.line, w.left) for w in result.wrong] == [(1, "1,228,800")]
    assert result.checked == 3


# -- a mis-decoded page ----------------------------------------------------------------------------


def mojibake(text: str, code_page: str) -> str:
    """What a UTF-8 page looks like when read in ``code_page``."""
    return text.encode("utf-8").decode(code_page, errors="replace")


def test_a_page_read_in_the_wrong_code_page_is_listed_not_judged():
    # read as Windows-1252, × becomes "Ã—" and → "â†’": 28Ã—28Ã—6 is no product; the lines
    # say so instead of "6 should be 1"
    page = ("conv1: f=5, s=1 → convolution → 28×28×6f=5\n"
            "pool1: f=2, s=2 → max pooling → 14×14×6f=2\n"
            "conv2: f=5, s=1 → convolution → 10×10×16f=5\n"
            "\n"
            "params = 5*5*3*6 + 6 = 456\n")  # plain ASCII, and right: 450 + 6
    result = check_document(mojibake(page, "cp1252"), name="page.txt")
    assert not result.wrong
    assert result.checked == 1
    assert {s.line: s.reason for s in result.skips} == {1: "misdecoded", 2: "misdecoded", 3: "misdecoded"}
    assert all(s.detail == "UTF-8 read as cp1252" for s in result.skips)


def test_the_code_page_is_found_and_text_that_reads_as_written_is_left_alone():
    korean = "합성곱 층: 28×28×6 → 풀링 → 14×14×6, 파라미터 456개\n" * 3
    assert misdecoded(korean) is None
    assert misdecoded("Größe 28×28×6, Schrittweite 2 → 14×14×6 (déjà vu)\n") is None
    assert misdecoded(mojibake(korean, "cp1252")) == ("cp1252", [1, 2, 3])
    # the Thai code page keeps three bytes of → as three letters, × as two
    thai = ("conv → 28×28×6\n" * 3).encode("utf-8").decode("cp874", errors="replace")
    assert misdecoded(thai)[0] == "cp874"


# -- table cells run together ----------------------------------------------------------------------


def test_cells_run_together_are_listed_not_read_as_one_expression():
    # copied from a table without its cell breaks: "Conv1 | 28x28x6 | 4,704 | (5x5x3)x6 + 6 = 456"
    # became one word glued to figures; (5*5*3)*6 + 6 = 456 and 120*400 + 120 = 48,120 are right,
    # but 704 x (5x5x3) x 6 + 6 and "+ 120" alone are no reading of them
    text = ("Conv128x28x64,704(5x5x3)x6 + 6 = 456\n"
            "FC3120x1120120x400 + 120 = 48,120\n")
    result = check_document(text, name="cells.txt")
    assert not result.wrong
    reasons = {s.line: s.detail for s in result.skips}
    assert reasons == {1: "a figure run together with a word before it",
                       2: "a word as an operand (FC3120x1120120x400)"}


def test_a_word_before_a_plus_is_an_operand_but_a_sentence_is_not():
    # "weights + 96 = 100": the word is part of the sum, so the line is not 96 = 100;
    # "The total is 34,848 + 96 = 34,944." is prose, then a right sum (34,848 + 96 = 34,944)
    text = "weights + 96 = 100\n\nThe total is 34,848 + 96 = 34,944.\n"
    result = check_document(text, name="w.txt")
    assert not result.wrong
    assert result.checked == 1
    assert [s.line for s in result.skips] == [1]


# -- figures only in words -------------------------------------------------------------------------


def test_a_size_and_a_count_in_words_is_listed_as_prose():
    # "a 5x5 filter needs 25 parameters; two 3x3 filters need 18": right (25 = 5*5, 18 = 2*3*3),
    # but written in words: nothing to check, and the lines say why
    text = "5x5 필터의 파라미터는 25개입니다.\n\n3x3 필터 2개의 파라미터는 18개입니다.\n"
    result = check_document(text, name="words.txt")
    assert result.checked == 0
    assert {s.line: s.reason for s in result.skips} == {1: "prose", 3: "prose"}


# -- two figures in units of one kind --------------------------------------------------------------


def test_two_figures_in_bytes_and_megabytes_are_compared_as_written():
    # 4 bytes is 0.000004 MB, not 93 MB: wrong as written, and the fix is said in MB (before,
    # 4 bytes was read as 4 MB and "93 MB should be 4 MB"); 4 KB = 4 * 1,024 = 4,096 bytes (right);
    # 2 * 527.8 = 1,055.6 (MiB: right)
    # d: 12.5 (million values) * 4 bytes = 50 M bytes, about 50 MB: the bare figure of a product
    # is in the other side's scale (right)
    text = ("a: 4 bytes = 93 MB\n\nb: 4 KB = 4096 bytes\n\nc: 2 × 527.8 = 1,055.6 MiB\n\n"
            "d: in all 12.5*4 bytes ~= 50MB\n")
    result = check_document(text, name="units.txt")
    assert [(w.line, w.left, w.right) for w in result.wrong] == [(1, "4", "93,000,000")]
    assert str(result.wrong[0].blame) == "93 MB should be 0.000004 MB"
    assert result.checked == 4
