"""``check-doc`` on ways of writing seen in published notes, posts and answers: each case in a
few lines written for this file, with every figure computed by hand in the comments.

A correct line under the reading its author uses is never flagged; a real slip beside it is.
"""

from __future__ import annotations

from symcnn.checkdoc import check_document


def wrong_lines(result) -> list[int]:
    return sorted({w.line for w in result.wrong})


def skipped_lines(result) -> list[int]:
    return sorted({s.line for s in result.skips})


# -- a size that names a thing -------------------------------------------------------------------


def test_a_size_and_a_noun_before_an_equals_sign_is_a_label():
    text = ("- 3×3感受野 = 3\n"                      # the receptive field of one 3x3 kernel is 3
            "- 2个3×3感受野 = 3 + (3-1)×1 = 5\n"     # two of them: 3 + 2 * 1 = 5 (checked)
            "- 2个3×3 = 1个5×5\n"                    # two 3x3 kernels see what one 5x5 sees
            "- 3个3×3 = 1个7×7，参数更少\n"
            "- 第二层 4 + 2 = 7\n")                  # a real slip: 4 + 2 = 6
    result = check_document(text, name="rf.md")
    assert wrong_lines(result) == [5]
    assert result.wrong[0].expected == "6"
    assert result.checked == 2  # 3 + 2 = 5 and 4 + 2 = 7
    # each line read as a label is listed, with its reason
    assert skipped_lines(result) == [1, 3, 4]
    assert any("naming a thing" in s.detail for s in result.skips)
    assert any("count of things" in s.detail for s in result.skips)


def test_a_size_and_a_noun_is_a_product_where_the_value_can_be_one():
    # 13 * 13 = 169, not 168: a number above the largest factor may be the product, so it is
    # judged as one; "3x3 conv = 3*3*64*64 = 36,864" names the conv and derives its own value
    # (3 * 3 * 64 * 64 = 36,864: right)
    text = "The 13x13 map = 168 cells.\n\nThe 3x3 conv = 3*3*64*64 = 36,864 weights.\n"
    result = check_document(text, name="maps.md")
    assert wrong_lines(result) == [1]
    assert result.wrong[0].expected == "169"
    assert result.checked == 2
    assert skipped_lines(result) == [3]


def test_a_size_with_a_noun_that_the_product_counts_is_arithmetic():
    # 5 * 5 * 3 = 75 weights: right; 3 * 3 * 16 = 144, not 15 (which no product of 3x3x16 can
    # be, but "weights" says the side counts them)
    text = "A 5x5x3 filter = 75 weights.\n\nA 3x3x16 weights = 15 in all.\n"
    result = check_document(text, name="w.md")
    assert wrong_lines(result) == [3]
    assert result.wrong[0].left == "144"


def test_a_setting_glued_to_its_equals_sign_is_not_a_unit_label():
    # 3×3のフィルタをstride=2で: the stride is 2, nothing says 3x3 = 2; (28 - 3)/2 + 1 = 13.5
    text = "28×28の入力に3×3のフィルタをstride=2で適用すると、\n\n$$\\frac{28 - 3}{2} + 1 = 13$$\n"
    result = check_document(text, name="ja.md")
    assert wrong_lines(result) == [3]
    assert result.wrong[0].left == "13.5"


# -- implicit multiplication and rows of cells ---------------------------------------------------


def test_a_size_followed_by_its_derivation_in_brackets():
    text = ("Output size: 24 * 24 (28-5 + 1) = 24\n\n"     # 28 - 5 + 1 = 24: the side of 24 x 24
            "There are 8 (3 * 3 + 1) = 80 parameters.\n\n"  # 8 * 10 = 80: a product, right
            "There are 8 (3 * 3 + 1) = 81 parameters.\n\n"  # 8 * 10 = 80, not 81
            "Output size: 12 * 12 (16-5 + 1) = 13\n")       # 16 - 5 + 1 = 12, 12 * 12 * 12 = 1,728: not 13
    result = check_document(text, name="lenet.md")
    assert wrong_lines(result) == [5, 7]


def test_a_row_of_cells_splits_numbers_at_spaces_after_a_product():
    # "8x2 120x(...)" is a cell 8x2 and a cell 120x(8x3x3+1) = 120 * 73 = 8,760; read as
    # 8 x 2,120 x 73 it would be 1,238,080 and a false alarm
    text = ("层 C1 S2 C3 S4 C5\n"
            "参数 4x(3x3+1)=40 4x2=8 8x(4x3x3+1)=296 8x2 120x(8x3x3+1)=8760 10x(120+1)=1210\n"
            "连接 24x24x4x(3x3+1)=23040 1x1x8760 10x(120+1)=1200\n")  # 10 * 121 = 1,210
    result = check_document(text, name="row.txt")
    assert wrong_lines(result) == [3]
    assert result.wrong[0].left == "1,210"


# -- names bound per derivation ------------------------------------------------------------------


def test_a_formula_with_new_numbers_under_a_new_heading_rebinds_its_names():
    text = ("## Question 1\n\n"
            "The input is $H_{in} = 7$, the kernel $K = 3$, the stride $S = 2$.\n\n"
            "$$H_{out} = \\frac{H_{in} - K}{S} + 1 = \\frac{7 - 3}{2} + 1 = 3$$\n\n"   # 4/2 + 1 = 3
            "## Question 2\n\n"
            "$$H_{out} = \\frac{H_{in} - K}{S} + 1 = \\frac{5 - 2}{3} + 1 = 2$$\n\n"   # 3/3 + 1 = 2
            "## Question 3\n\n"
            "$$H_{out} = \\frac{H_{in} - K}{S} + 1 = \\frac{9 - 3}{2} + 1 = 5$$\n")    # 6/2 + 1 = 4, not 5
    result = check_document(text, name="q.md")
    assert wrong_lines(result) == [13]
    assert [w.expected for w in result.wrong] == ["4"]


def test_a_different_number_put_in_for_a_name_of_the_same_section_is_a_slip():
    text = ("The input is $H_{in} = 7$, the kernel $K = 3$, the stride $S = 2$.\n\n"
            "$$H_{out} = \\frac{H_{in} - K}{S} + 1 = \\frac{9 - 3}{2} + 1 = 4$$\n")  # H_in is 7: (7-3)/2+1 = 3
    result = check_document(text, name="q.md")
    assert wrong_lines(result) == [3]
    assert "H_in = 7" in str(result.wrong[0].blame)


# -- totals under a list of rows -----------------------------------------------------------------

ROWS = ("```\n"
        "INPUT: [32x32x3]       memory:  32*32*3=3K      weights: 0\n"            # 3,072
        "CONV-16: [32x32x16]    memory:  32*32*16=16K    weights: (3*3*3)*16 = 432\n"    # 16,384
        "POOL: [16x16x16]       memory:  16*16*16=4K     weights: 0\n"            # 4,096
        "CONV-32: [16x16x32]    memory:  16*16*32=8K     weights: (3*3*16)*32 = 4,608\n"  # 8,192
        "FC: [1x1x10]           memory:  10              weights: 16*16*32*10 = 81,920\n"
        "\n"
        "TOTAL memory: {total} * 4 bytes ~= {size} / image\n"
        "```\n")


def test_a_total_line_under_rows_of_the_same_field_adds_them_up():
    # 3,072 + 16,384 + 4,096 + 8,192 + 10 = 31,754 values, about 32K: a total of 40K is wrong
    result = check_document("# Activations\n\n" + ROWS.format(total="40K", size="160KB"), name="net.md")
    assert wrong_lines(result) == [10]
    assert "total" in result.wrong[0].text


def test_a_total_of_rounded_rows_is_right_to_their_precision():
    # the rows as written add to 31,010; each is rounded (3K is 3,072), and the total 32K is
    # 31,754 to two figures: right
    result = check_document("# Activations\n\n" + ROWS.format(total="32K", size="128KB"), name="net.md")
    assert wrong_lines(result) == []


# -- trees of figures and shares -----------------------------------------------------------------

TREE = ("# Where the parameters are\n\n"
        "**Share**:\n"
        "- conv layers: 4.2M ({conv})\n"     # 4.2 / (4.2 + 117.4) = 3.45 %
        "- FC layers: 117.4M ({fc})\n\n"      # 117.4 / 121.6 = 96.5 %
        "```\n"
        "total: 121.6M\n"                     # 4.2 + 117.4 = 121.6
        "├─ conv layers: 4.2M (3%)\n"         # 4.2 / 121.6 = 3.45 %
        "│  ├─ Block1: 0.1M\n"                # 0.1 + 0.6 + 3.5 = 4.2
        "│  ├─ Block2: 0.6M\n"
        "│  └─ Block3: 3.5M\n"
        "└─ FC layers: 117.4M (97%)\n"        # but 100.7 + 16.8 + 0.1 = 117.6
        "   ├─ FC1: 100.7M\n"
        "   ├─ FC2: 16.8M\n"
        "   └─ FC3: 0.1M\n"
        "```\n")


def test_a_node_of_a_drawn_tree_is_the_sum_of_its_branches():
    result = check_document(TREE.format(conv="3%", fc="97%"), name="tree.md")
    assert wrong_lines(result) == [13]
    assert result.wrong[0].left == "117,600,000"


def test_shares_listed_together_are_parts_of_their_sum():
    # 4.2 / 121.6 is 3.45 % and 117.4 / 121.6 is 96.5 %: 13 % and 87 % (which add up to 100 %,
    # so they are shares of the two rows) are both wrong; 3 % and 97 % are right (above)
    result = check_document(TREE.format(conv="13%", fc="87%"), name="tree.md")
    assert wrong_lines(result) == [4, 5, 13]
    # shares that do not add up to 100 % may be of something not listed: not read
    result = check_document(TREE.format(conv="13%", fc="97%"), name="tree.md")
    assert wrong_lines(result) == [13]


# -- chains over paragraphs, identities ----------------------------------------------------------


def test_a_paragraph_that_starts_with_an_equals_sign_goes_on_from_the_one_before():
    text = ("# One layer\n\n"
            "Weight bytes = 1,728 × 4\n\n"          # 6,912
            "= 6,912\n\n"
            "Output bytes = 1 × 64 × 56 × 56 × 4\n\n"  # 64 * 3,136 * 4 = 802,816
            "= 802,186\n")
    result = check_document(text, name="chain.md")
    assert wrong_lines(result) == [9]
    assert result.wrong[0].left == "802,816"
    assert result.checked == 2


def test_a_true_identity_is_checked_and_a_false_one_flagged():
    # C K^2 + C N = C (K^2 + N) holds for every C, K, N; M N + M = M (N + 1) too, but
    # M N + M = N (M + 1) does not (M = 2, N = 3: 8 against 9)
    text = ("$$C K^2 + C N = C (K^2 + N)$$\n\n"
            "$$M N + M = M (N + 1)$$\n\n"
            "$$M N + M = N (M + 1)$$\n")
    result = check_document(text, name="ident.md")
    assert wrong_lines(result) == [5]
    assert result.checked == 3


def test_an_arrow_at_the_start_of_a_paragraph_does_not_continue_the_chain():
    # "=> 6,912 bytes" is a conclusion, not "= 6,912" (1,728 x 4 = 6,912 anyway); 2 x 3 = 6, not 7
    text = "Weight bytes = 1,728 x 4\n\n=> 6,912 bytes\n\nOutput = 2 x 3\n\n= 7\n"
    result = check_document(text, name="arrow.md")
    assert wrong_lines(result) == [7]
    assert result.checked == 1


def test_words_set_to_an_expression_then_to_a_number_make_one_chain():
    # 2 * 1,204,224 / (4 * 352,960) = 1.71 is what the author means, but as written (no
    # brackets round the divisor) the expression is 602,112 * 352,960 = 212,521,451,520
    text = ("flops          = 2 * 1,204,224\n"
            "bytes          = 4 * (1,728 + 150,528 + 200,704)\n"
            "intensity      = 2 * 1,204,224 / 4 * (1,728 + 150,528 + 200,704)\n"
            "intensity      = 1.71 FLOPs / byte\n"
            "\n"
            "ratio = 3 * 4 / 2\n"
            "ratio = 6\n")  # 12 / 2 = 6: right
    result = check_document(text, name="intensity.md")
    assert wrong_lines(result) == [4]
    assert result.wrong[0].left == "212,521,451,520"
    assert result.checked == 2
