"""check-doc on the ways people write arithmetic in what they publish (fixtures written here,
in the styles found in public course notes, answers and posts; every figure computed by hand
in the comments)."""

from __future__ import annotations

import pytest

from symcnn.checkdoc import check_document


def wrong(doc: str, **options) -> list[tuple[int, str, str]]:
    return [(w.line, w.left, w.right) for w in check_document(doc, **options).wrong]


@pytest.mark.parametrize(
    "doc",
    [
        # 56*56*256 = 802,816: 800K to one significant figure
        "CONV3-256: [56x56x256]  memory:  56*56*256=800K",
        # 28*28*512 = 401,408: 400K
        "CONV4-512: [28x28x512]  memory:  28*28*512=400K",
        # 224*224*3 = 150,528: 150K to two figures
        "INPUT: [224x224x3]  memory:  224*224*3=150K",
    ],
)
def test_trailing_zeros_of_a_rounded_figure_are_not_significant(doc):
    assert wrong(doc) == []


def test_a_rounded_figure_off_at_its_own_figures_is_wrong():
    # 56*56*256 = 802,816, which is 800K, not 900K, to one figure
    assert wrong("memory: 56*56*256=900K") == [(1, "802,816", "900,000")]


def test_a_byte_count_with_a_bare_m_may_be_mebibytes():
    # 494,791,584 / 2**20 = 471.869...: 471.87 MiB written "471.87M"
    assert wrong("model size 494791584Byte=471.87M") == []
    # 494,791,584 / 10**6 = 494.79: the decimal reading too
    assert wrong("model size 494791584 bytes = 494.79M") == []
    # neither reading gives 491.87
    assert len(wrong("model size 494791584Byte=491.87M")) == 1


def test_a_stated_floor_applies_to_later_steps():
    # (28 + 2*0 - 7)/2 + 1 = 11.5, floored 11
    doc = "Output width is floored to an integer when it is not one.\n\n| CONV1 | (28+2*0-7)/2+1=11 |\n"
    assert wrong(doc) == []
    # without the stated floor, 11.5 is not 11
    assert wrong("| CONV1 | (28+2*0-7)/2+1=11 |\n") == [(1, "11.5", "11")]
    # floored, 11.5 is still not 12
    assert len(wrong("We floor every width.\n\n(28+2*0-7)/2+1=12")) == 1


def test_a_tilde_between_whole_numbers_is_a_range():
    # maps 1 to 5 each read 3 input maps: no approximation 1 ~ 5
    assert check_document("columns 1~5 : 3 input maps each -> 6 maps").wrong == ()
    # 224*224*3 = 150,528 ~ 150K is still an approximation
    assert check_document("224*224*3~150K").checked == 1


def test_an_index_pair_does_not_make_commas_decimal():
    # Output[0,1] is an index; 2 + 2 + 1 = 5 and 1,234 + 1 = 1,235 read in English
    doc = "Output[0,1] = 2 and Output[1,0] = 3.\n\n2 + 2 + 1 = 5, and 1,234 + 1 = 1,235\n"
    result = check_document(doc)
    assert result.convention == "1,234.5" and result.wrong == ()


def test_a_row_of_equations_is_cut_after_each_result():
    # 6*(5*5+1) = 156; 6*2 = 12; 10*(84+1) = 850
    assert wrong("params 6x(5x5+1)=156 6x2=12 10x(84+1)=850") == []
    # 6*2 = 12, not 13: only that equation is wrong
    assert wrong("params 6x(5x5+1)=156 6x2=13 10x(84+1)=850") == [(1, "12", "13")]


def test_a_false_identity_of_names_is_wrong():
    # at M = 3, N = 7: M*N + N = 28 and M*(N + 1) = 24; the right identity is (M + 1)*N = 28
    result = check_document("so the layer has M * N + N = M * (N + 1) parameters")
    assert [(w.line, w.left, w.right) for w in result.wrong] == [(1, "28", "24")]
    assert check_document("so the layer has M * N + N = (M + 1) * N parameters").wrong == ()
    # a formula that defines a name (or a function) is no identity
    assert check_document("$$W_c = K^2 C N$$").wrong == ()
    assert check_document("F(x) = H(x) - x").wrong == ()
    # C*N*K^2 = C*N holds where K is 1, a case the words may state (a 1x1 filter)
    assert check_document("K is 1, so C*N*K^2 = C*N").wrong == ()


def test_every_line_with_an_equality_of_numbers_is_checked_or_listed():
    doc = "The count:\n\n```python\nparams = 11*11*3*96 + 96  # 96 = 34,944\n```\n\nwith stride=4 and padding=0.\n"
    result = check_document(doc)
    # the program's line is listed as code; stride=4 sets a name, with no number before the =
    assert [(s.line, s.reason) for s in result.skips] == [(4, "code")]


def test_a_comma_before_han_is_not_a_decimal_comma():
    # (227 - 11)/4 + 1 = 55; "55,96..." goes on with 96, the number of filters
    result = check_document("由来:(227-11)/ 4 + 1 = 55,96就是滤波器的个数。")
    assert (result.convention, result.wrong) == ("1,234.5", ())


def test_a_number_before_a_bracket_of_arithmetic_multiplies_it():
    # 6 * (5*5 + 1) = 156; 16 * (3*3*8 + 1) = 1,168
    assert wrong("there are 6 (5 * 5 + 1) = 156 parameters in total") == []
    assert wrong("so 16 (3 * 3 * 8 + 1) = 1,168") == []
    assert [w[1:] for w in wrong("there are 6 (5 * 5 + 1) = 150 parameters")] == [("156", "150")]
