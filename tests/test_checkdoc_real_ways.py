"""``check-doc`` on more ways of writing seen in published documents: each case a few lines
written for this file, every figure computed by hand in the comments.

A correct line under the reading its author uses is never flagged; a real slip beside it is.
"""

from __future__ import annotations

from test_checkdoc_published_ways import skipped_lines, wrong_lines

from symcnn.checkdoc import check_document
from symcnn.checkdoc.doubled import doubled

# -- a formula a flattened page shows twice ------------------------------------------------------


def test_a_formula_shown_twice_is_read_once():
    # each formula as rendered, then its source: 20 - 3 + 1 = 18; 18 ∗ 18 = 324; 4 ∗ (2∗2+1) = 20
    # (4 * 5); 3∗(2∗2+1)+1∗(5∗5+1)=41: 3 * 5 + 1 * 26 = 15 + 26 = 41; and a real slip
    # 7∗7=48 (7 * 7 = 49), also doubled
    text = ("大小为20−3+1=1820−3+1=18,个数18∗18=32418∗18=324。\n"
            "参数4∗(2∗2+1)4∗(2∗2+1)=20，共3∗(2∗2+1)3∗(2∗2+1)+1∗(5∗5+1)=411∗(5∗5+1)=41个\n"
            "错误:7∗7=487∗7=48个\n")
    result = check_document(text, name="page.txt")
    assert wrong_lines(result) == [3]
    assert result.wrong[0].left == "49"
    assert result.checked == 5


def test_repeated_factors_and_brackets_are_not_copies():
    # 3∗3∗3∗3 = 81 (no piece followed by itself where a copy could start), 1+11+1 = 13 (no
    # product in it), (2+3)(2+3) = 25 (a square: the piece starts with a bracket)
    text = "3∗3∗3∗3=81, 1+11+1=13, (2+3)(2+3)=25, 2∗3(2∗3)=36"
    assert doubled(text) == []
    # one number written three ways: 12,345 = 12345 = 12 345 (the run 345=12345=12 is no copy)
    assert doubled("12,345=12345=12 345") == []
    result = check_document(text, name="sq.txt")
    assert result.wrong == ()


# -- a comparison and its gap ----------------------------------------------------------------------


def test_a_gap_after_a_comparison_is_not_a_side_equal_to_the_second_figure():
    # 31.2% vs. 40.5% = 9.3pp: 40.5 - 31.2 = 9.3, the gap; not 40.5% = 9.3
    text = ("Gap: 31.2% vs. 40.5% = **9.3pp**.\n\n"
            "격차: 31.2% vs 40.5% = **9.3%p 차이**.\n\n"
            "And 6 * 7 = 43.\n")  # a real slip: 42
    result = check_document(text, name="gap.md")
    assert wrong_lines(result) == [5]
    assert skipped_lines(result) == [1, 3]
    assert all("comparison" in s.detail for s in result.skips)


# -- a partial table under the whole model's totals ------------------------------------------------


def test_a_table_of_changed_rows_under_the_whole_models_totals_is_not_summed():
    # rows: before 1,000 + 20,000 + 300,000 = 321,000; after 500 + 20,000 + 300,000 = 320,500;
    # totals 5,321,000 and 5,320,500 both exceed their rows by 5,000,000 (the rows not listed)
    text = ("| Layer | Before | After | Change |\n|---|---|---|---|\n"
            "| conv1 | 1,000 | 500 | -500 |\n"
            "| conv2 | 20,000 | 20,000 | none |\n"
            "| fc | 300,000 | 300,000 | none |\n"
            "| **Total** | 5,321,000 | 5,320,500 | -500 |\n")
    result = check_document(text, name="delta.md")
    assert result.wrong == ()
    assert skipped_lines(result) == [6]
    assert all("partial table" in s.detail for s in result.skips)


def test_a_total_row_off_by_different_amounts_is_still_wrong():
    # before: 1,000 + 20,000 + 300,000 = 321,000, written 322,000 (off by 1,000);
    # after: 500 + 20,000 + 300,000 = 320,500, written right
    text = ("| Layer | Before | After |\n|---|---|---|\n"
            "| conv1 | 1,000 | 500 |\n"
            "| conv2 | 20,000 | 20,000 |\n"
            "| fc | 300,000 | 300,000 |\n"
            "| **Total** | 322,000 | 320,500 |\n")
    result = check_document(text, name="sum.md")
    assert wrong_lines(result) == [6]
    assert result.wrong[0].left == "321,000"


# -- a column of shares ---------------------------------------------------------------------------


def test_a_share_column_is_each_rows_part_of_the_rows_sum():
    # rows: 360 + 1,800 + 7,800 = 9,960
    # c1: 360 / 9,960 = 3.614 % -> 3.6 % (right)
    # c2: 1,800 / 9,960 = 18.07 % -> 18.1 % (right as written)
    # f3: 7,800 / 9,960 = 78.31 % -> 78.3 %, written 77.3 % (wrong); the shares add up to
    # 3.6 + 18.1 + 77.3 = 99.0 %, so they are shares of the rows' sum
    text = ("| Layer | Weights | Share |\n|---|---|---|\n"
            "| c1 | 3×3×4×10 = 360 | 3.6% |\n"
            "| c2 | 3×3×10×20 = 1,800 | 18.1% |\n"
            "| f3 | 200×39 = 7,800 | 77.3% |\n"
            "| **Total** | **~10K** | **100%** |\n")
    result = check_document(text, name="shares.md")
    assert wrong_lines(result) == [5]
    assert result.wrong[0].blame is not None and result.wrong[0].blame.should_be == "78.3%"


def test_a_percent_column_that_is_not_shares_is_not_judged_as_shares():
    # accuracies 71.5 + 80.25 + 90.0 = 241.75 %, far from 100 %: not shares of the rows' sum
    text = ("| Model | Params | Top-1 |\n|---|---|---|\n"
            "| a | 1,000 | 71.5% |\n"
            "| b | 2,000 | 80.25% |\n"
            "| c | 4,000 | 90.0% |\n")
    result = check_document(text, name="acc.md")
    assert result.wrong == ()


# -- a formula and its value in two cells ----------------------------------------------------------


def test_a_formula_column_is_checked_against_the_next_cell():
    # fc1: 64 * 32 + 32 = 2,048 + 32 = 2,080 (right); fc2: 32 * 10 + 10 = 330, written 340;
    # the total adds the rows as written: 10,000 + 2,080 + 340 = 12,420 (right)
    text = ("| Layer | Formula | Params |\n|---|---|---|\n"
            "| convs | — | 10,000 |\n"
            "| fc1 | 64×32 + 32 | 2,080 |\n"
            "| fc2 | 32×10 + 10 | 340 |\n"
            "| **Total** | | **12,420** |\n"
            "\n"
            "| Layer | Kernel | Channels |\n|---|---|---|\n"   # another table: a size and a count,
            "| c1 | 3×3 | 64 |\n")                              # not a formula and its value
    result = check_document(text, name="cells.md")
    assert wrong_lines(result) == [5]
    assert result.wrong[0].left == "330"
    assert result.checked == 3


def test_a_comma_in_an_argument_list_before_a_size_is_not_a_decimal_comma():
    # Conv(64→128,3×3) lists arguments; the table adds 100 + 2,048 + 18,432 = 20,580 in the
    # English convention (18,432 is eighteen thousand)
    text = ("Block: Conv(1→64,3×3) → Conv(64→128,3×3)\n\n"
            "| Layer | Params |\n|---|---|\n"
            "| a | 100 |\n| b | 2,048 |\n| c | 18,432 |\n| Total | 20,580 |\n")
    result = check_document(text, name="args.md")
    assert result.wrong == ()
    assert result.checked == 1
    assert result.convention == "1,234.5"


# -- why a document holds nothing to check ---------------------------------------------------------


def test_figures_given_in_prose_are_listed_with_a_reason():
    # no = anywhere: the layers' figures are given in words, summed in words
    text = "The three layers hold 1,200, 2,400 and 3,600 weights respectively.\n\nIn all 7,200.\n"
    result = check_document(text, name="prose.txt")
    assert result.checked == 0 and result.wrong == ()
    assert [(s.line, s.reason) for s in result.skips] == [(1, "prose")]


def test_identities_of_names_are_listed_with_a_reason():
    text = "k = kernel\nc = channels\n\nkkc + cm = c(kk + m)\n"
    result = check_document(text, name="ids.txt")
    assert result.checked == 0
    assert [(s.line, s.reason) for s in result.skips] == [(4, "identity")]


def test_arithmetic_in_a_notebooks_code_cells_is_listed_as_code():
    import json

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Sizes\n"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["# 9 - 3 + 1 = 7\n", "print('(9-3)/2 + 1 = 4')\n", "x = conv(y)\n"]}]
    nb = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, indent=1)
    result = check_document(nb, name="sizes.ipynb")
    assert result.checked == 0
    assert [(s.cell, s.cell_line, s.reason) for s in result.skips] == [(2, 1, "code"), (2, 2, "code")]


# -- with --network -------------------------------------------------------------------------------


def claims_of(result) -> list[tuple[int, str, bool]]:
    return [(c.line, c.written, c.ok) for c in result.claims]


def test_a_count_that_starts_arithmetic_is_not_a_layers_count():
    # C1's parameters: 6 * (5*5 + 1) = 6 * 26 = 156; the 6 that starts the product is not a
    # claim that C1 has 6 parameters
    text = "C1层的参数:6∗(5∗5+1), 即 156 个参数。\n"
    result = check_document(text, name="c1.txt", network="lenet5")
    assert all(c.ok for c in result.claims)
    assert all(c.written != "6" for c in result.claims)


def test_a_korean_count_in_two_parts_is_one_figure():
    # 1억 3800만 = 100,000,000 + 38,000,000 = 138,000,000; VGG16's 138,357,544 parameters are
    # 138M to the two figures 38 gives (its zeros are not significant): right
    text = "VGG-16은 ~1억 3800만 개 파라미터를 가집니다.\n"
    result = check_document(text, name="vgg.md", network="vgg16")
    assert claims_of(result) == [(1, "1억 3800만", True)]


def test_a_whole_networks_flops_in_a_sentence_are_checked():
    # ResNet-50 at 224x224: 4.089 billion multiply-adds (torchvision's ResNet50_Weights meta,
    # "_ops": 4.089); FLOPs are those or twice them (8.18 billion). "4.1 billion" is 4.089
    # to the one decimal written: right; "1.7 billion" is neither: wrong
    text = "ResNet-50的FLOPs为4.1 billion。\n\n因此,ResNet-50的Flops为1.7 billion。\n"
    result = check_document(text, name="r50.md", network="resnet50")
    assert claims_of(result) == [(1, "4.1 billion", True), (3, "1.7 billion", False)]


def test_a_share_in_prose_under_a_table_of_shares_is_the_rows_of_that_kind():
    # rows: 400 + 600 + 8,000 + 1,000 = 10,000; shares 4.0 %, 6.0 %, 80.0 %, 10.0 % (right)
    # FC rows: (8,000 + 1,000) / 10,000 = 90.0 %: "90.0%" right
    # conv rows: (400 + 600) / 10,000 = 10 %: "12%" wrong; "3%" of accuracy is not a share of
    # the parameters (its clause does not speak of them)
    text = ("| Layer | Params | Share |\n|---|---|---|\n"
            "| conv1 | 400 | 4.0% |\n| conv2 | 600 | 6.0% |\n| fc1 | 8,000 | 80.0% |\n| fc2 | 1,000 | 10.0% |\n"
            "\n"
            "The FC layers hold 90.0% of the parameters.\n"
            "The conv layers hold only 12% of the parameters, yet removing one costs 3% accuracy.\n")
    result = check_document(text, name="kinds.md")
    assert wrong_lines(result) == [9]
    assert result.wrong[0].blame is not None and result.wrong[0].blame.should_be == "10%"
