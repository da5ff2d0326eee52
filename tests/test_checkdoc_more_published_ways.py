"""``check-doc`` on ways of writing seen in a fourth set of published documents: each case a
few lines written for this file, every figure computed by hand in the comments.

A correct line under the reading its author uses is never flagged; a real slip beside it is.
"""

from __future__ import annotations

from test_checkdoc_published_ways import skipped_lines, wrong_lines

from symcnn.checkdoc import check_document
from symcnn.checkdoc.find import arithmetic_line

# -- a chain written down the lines of a text block ------------------------------------------------


def test_a_chain_down_the_lines_of_a_text_block_is_read():
    # a fenced block of prose (not a program): 48 × 3 × 3 = 432 (written 423, a slip), then
    # 16 × 3 × 5 × 5 = 1,200 (right) and ≈ 1.2 thousand; a second block with its chain on one
    # line after a name: 250 × 4 = 1,000 (written 1,001, a slip)
    text = ("Cost of one layer:\n\n"
            "```\n"
            "Input: 30×30×3\n"
            "Ops = C_o × k × k\n"
            "    = 48 × 3 × 3\n"
            "    = 423 ops\n"
            "\n"
            "Ops = C_o × C_i × k × k\n"
            "    = 16 × 3 × 5 × 5\n"
            "    = 1,200 ops\n"
            "    ≈ 1.2K ops\n"
            "```\n\n"
            "```\n"
            "Matrix: 250 × 4\n"
            "Ops = 250 × 4 = 1,001 ops\n"
            "```\n")
    result = check_document(text, name="chain.md")
    assert wrong_lines(result) == [7, 17]
    assert [w.left for w in result.wrong] == ["432", "1,000"]
    assert result.checked == 4


def test_a_program_in_a_block_stays_unread():
    # a program: assignments of one expression each, a call; 3 * 4 is not checked against
    # anything (and there is nothing to check), nor is the chained assignment of names
    text = ("```\n"
            "macs = 48 * 3 * 3\n"
            "total = macs\n"
            "x1 = y2 = 0\n"
            "print(macs)\n"
            "```\n")
    result = check_document(text, name="prog.md")
    assert result.wrong == () and result.checked == 0
    assert not arithmetic_line("macs = 48 * 3 * 3")
    assert not arithmetic_line("x1 = y2 = 0")
    assert arithmetic_line("MACs = 1000 × 512 = 512,000 MACs")
    assert arithmetic_line("ops = 250 * 4 = 1,000")


# -- a change written with an arrow ----------------------------------------------------------------


def test_a_percentage_after_an_arrow_is_the_change_not_the_figure():
    # 3.00B → 1.20B is (3.00 - 1.20) / 3.00 = 60 % fewer: right; 300M -> 100M is 2/3 = 67 %
    # less (written 50 %, a slip); 100 → 150 is 50 % more: right; 감소: (2.5 - 1.5) / 2.5 = 40 %
    text = ("Reduction: 3.00B → 1.20B = **60% fewer MACs**\n\n"
            "Cost: 300M -> 100M = 50% less compute.\n\n"
            "Params: 100 → 150 = 50% more\n\n"
            "연산량 2.5B → 1.5B = 40% 감소\n")
    result = check_document(text, name="change.md")
    assert wrong_lines(result) == [3]
    assert result.wrong[0].expected == "67%"
    assert result.checked == 4


# -- a square size named by its side ---------------------------------------------------------------


def test_a_square_size_beside_its_side_is_no_product():
    # two stacked 3×3 kernels see 1 + 2×2 = 5 pixels a side, written "5×5 = 1 + 2×2"; three:
    # 1 + 3×2 = 7; the other way round too. 4×4 = 1 + 2×2 is a slip (5 is no side of 4×4, and
    # 4 × 4 = 16 is not 5 either); 6 × 6 = 36 stays a product
    text = ("1. Two layers: RF = 5×5 = 1 + 2×2\n"
            "2. Three layers: RF = 7×7 = 1 + 3×2\n"
            "3. Also: 1 + 2×2 = 5×5\n"
            "4. Wrong: RF = 4×4 = 1 + 2×2\n"
            "5. And 6 × 6 = 36.\n")
    result = check_document(text, name="rf.md")
    assert wrong_lines(result) == [4]
    assert skipped_lines(result) == [1, 2, 3]
    assert all("square size" in s.detail for s in result.skips)


# -- a total on the line after a table of counts ---------------------------------------------------


def test_a_total_after_a_table_of_counts_is_their_sum():
    # weights 8·3·3·3 = 216, 16·3·3·8 = 1,152, 10·64 = 640; biases 8 + 16 + 10 = 34; all
    # 216 + 1,152 + 640 + 34 = 2,042: "In total 2042" is right; a table with one layer left
    # out (rows 216 + 8 + 640 + 10 = 874) under the whole model's 2,042 is a slip
    table = ("| layer | weights | biases |\n"
             "|---|---|---|\n"
             "| conv1 | 8 $\\cdot$ 3 $\\cdot$ 3 $\\cdot$ 3 | 8 |\n"
             "| conv2 | 16 $\\cdot$ 3 $\\cdot$ 3 $\\cdot$ 8 | 16 |\n"
             "| fc | 10 $\\cdot$ 64 | 10 |\n")
    partial = table.replace("| conv2 | 16 $\\cdot$ 3 $\\cdot$ 3 $\\cdot$ 8 | 16 |\n", "")
    partial = partial.replace("| fc |", "| conv3 | 8 | 1 |\n| fc |")  # 874 + 8 + 1 = 883
    text = table + "\nIn total 2042\n\n" + partial + "\nTotal params: 2,042\n"
    result = check_document(text, name="total.md")
    assert wrong_lines(result) == [15]
    assert result.wrong[0].left == "883"
    assert result.checked == 2


def test_a_total_of_something_else_after_a_table_is_not_summed():
    # "Total memory" is no count of the table's weights and biases; a table with a total row
    # is checked by that row (10 + 20 + 30 = 60) and not again by the line after it
    text = ("| layer | weights | biases |\n|---|---|---|\n| a | 100 | 10 |\n| b | 200 | 20 |\n"
            "| c | 300 | 30 |\n\nTotal memory: 93MB\n\n"
            "| layer | weights | biases |\n|---|---|---|\n| a | 100 | 10 |\n| b | 200 | 20 |\n"
            "| c | 300 | 30 |\n| total | 600 | 60 |\n\nIn total 661\n")
    result = check_document(text, name="other.md")
    assert result.wrong == ()
    assert result.checked == 2  # the total row's two columns


def test_a_row_of_a_text_figure_is_no_chain_after_a_name():
    # a dot product drawn over three lines of a text block: the middle line holds
    # "= 4×(-1) + 5×5 + 6×(-1) = 5", the last part of a sum begun on the line above
    # (0 - 2 + 0 - 4 + 25 - 6 + 0 - 8 + 0 = 5): not a chain to check on its own
    text = ("```text\n"
            "│ 1 │ 2 │ 3 │        1×0  + 2×(-1) + 3×0\n"
            "├───┼───┤   ×   =   4×(-1)+ 5×5   + 6×(-1)  = 5\n"
            "│ 7 │ 8 │ 9 │        7×0  + 8×(-1) + 9×0\n"
            "```\n")
    assert check_document(text, name="dot.md").wrong == ()


# -- a word that counts, inside brackets -----------------------------------------------------------


def test_a_counting_word_before_a_closing_bracket_labels_its_term():
    # 10 filters of 5×5×3 and a bias each: 10 × (75 + 1) = 760 (right, with "bias" and with
    # Markdown-escaped asterisks and a bold word); 6 × (3×3×3 + 1 bias) = 168 (a slip: 6 × 28)
    text = ("We have 10 * (5*5*3 + 1 bias) = 760 parameters.\n\n"
            "As noted: ( 10 \\*( 5 \\* 5 \\*3 +1 **bias**)=760)\n\n"
            "And 6 * (3*3*3 + 1 bias) = 170.\n\n"
            "Not a count: 2 * (3 + 1 apple) = 8.\n")
    result = check_document(text, name="bias.md")
    assert wrong_lines(result) == [5]
    assert result.wrong[0].left == "168"
    assert result.checked == 3
