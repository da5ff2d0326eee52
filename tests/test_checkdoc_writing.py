"""``check-doc`` on ways of writing that a first corpus did not show: running computations,
numbers in units, layer names in the styles of the papers, and inputs that are not documents.

Every expected value is worked out in a comment beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from symcnn.checkdoc import check_document


def found(result) -> set[tuple[int, str, str]]:
    return {(w.line, w.left, w.right) for w in result.wrong}


def blames(result) -> list[str]:
    return [str(w.blame) for w in result.wrong]


# ---------------------------------------------------------------------------
# Running computations: the side after = goes on from the value before it
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked",
    [
        # 1152 x 10 = 11,520; 11,520 + 10 = 11,530
        pytest.param("fc: 1152 × 10 = 11,520 weights + 10 = 11,530", 2, id="unit-word"),
        # 5*5*3*16 = 1,200; 1,200 + 16 = 1,216
        pytest.param("conv: 5*5*3*16 = 1,200 + 16 = 1,216", 2, id="no-word"),
        pytest.param("$5 \\times 5 \\times 3 \\times 16 = 1{,}200 + 16 = 1{,}216$", 2, id="math"),
        pytest.param("$$W = 3 \\cdot 3 \\cdot 64 \\cdot 128 = 73{,}728 \\text{ weights} + 128 = 73{,}856$$", 2,
                     id="math-unit-word"),
        # 224 x 224 x 64 = 3,211,264 values; x 4 bytes = 12,845,056 bytes
        pytest.param("224 × 224 × 64 = 3,211,264 values × 4 bytes = 12,845,056 bytes", 2, id="product"),
        # 3 x 4 = 12; 12 x 4 + 3 = 51
        pytest.param("3 × 4 = 12 × 4 + 3 = 51", 2, id="precedence"),
        # a unit word with nothing after it: 1152 x 10 = 11,520 weights, and 10 biases
        pytest.param("1152 × 10 = 11,520 weights + 10 biases", 1, id="no-total"),
    ],
)
def test_running_computations_are_right(doc, checked):
    result = check_document(doc)
    assert (result.checked, result.wrong) == (checked, ())


@pytest.mark.parametrize(
    "doc, wrong, blame",
    [
        # the new value is wrong: 11,520 + 10 = 11,530, not 11,540
        pytest.param("fc: 1152 × 10 = 11,520 weights + 10 = 11,540", (1, "11,530", "11,540"),
                     "11,540 should be 11,530", id="total"),
        # the value carried is wrong: 1152 x 10 = 11,520, not 11,530 (and 11,530 + 10 = 11,540)
        pytest.param("fc: 1152 × 10 = 11,530 weights + 10 = 11,540", (1, "11,520", "11,530"),
                     "11,530 should be 11,520", id="carried-with-word"),
        # 5*5*3*16 = 1,200, not 1,210 (1,210 + 16 = 1,226 goes on from the slip)
        pytest.param("conv: 5*5*3*16 = 1,210 + 16 = 1,226", (1, "1,200", "1,210"), "1,210 should be 1,200",
                     id="carried"),
        # 2 + 2 = 4, not 5; 5 + 1 = 6 goes on from it
        pytest.param("2 + 2 = 5 + 1 = 6", (1, "4", "5"), "5 should be 4", id="small"),
    ],
)
def test_running_computations_that_are_wrong(doc, wrong, blame):
    result = check_document(doc)
    assert found(result) == {wrong}
    assert blames(result) == [blame]


def test_a_side_that_only_starts_like_a_running_one_is_compared_whole():
    # 2 + 2 = 4, and 4 + 1 = 5: nothing after it says the author went on from 4
    result = check_document("2 + 2 = 4 + 1")
    assert found(result) == {(1, "4", "5")}


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked",
    [
        # 224*224*64*4 = 12,845,056 bytes = 12.25 x 1,048,576 bytes
        pytest.param("224 * 224 * 64 * 4 bytes = 12.25 MiB", 1, id="mib"),
        pytest.param("$224 \\times 224 \\times 64 \\times 4\\,\\text{B} = 12.25\\,\\text{MiB}$", 1, id="mib-math"),
        pytest.param("$224 \\times 224 \\times 64 \\times 4 = \\SI{12.25}{\\mebi\\byte}$", 1, id="siunitx"),
        # 138,357,544 x 4 = 553,430,176 bytes: 553 MB (decimal), 527.8 MiB (528 MB read in binary)
        pytest.param("138,357,544 × 4 bytes = 553,430,176 bytes ≈ 553 MB", 2, id="mb-decimal"),
        pytest.param("138,357,544 × 4 bytes = 553,430,176 bytes ≈ 528 MB", 2, id="mb-binary"),
        # 1 KB = 1,024 bytes (binary) or 1,000 bytes; 1 MiB = 1,024 KiB = 1,048,576 bytes
        pytest.param("1 KB = 1,024 bytes; 1 kB = 1,000 bytes; 1 MiB = 1,024 KiB = 1,048,576 bytes", 4, id="kb"),
        # 4 bytes = 32 bits; 1 GB = 1,000 MB = 1,024 MB read in binary
        pytest.param("4 bytes = 32 bits, 1 GB = 1,000 MB, 1 GB = 1,024 MB", 3, id="bits-and-gb"),
        # a MAC is two FLOPs: 1.8 GMACs = 3.6 GFLOPs; and 2 x 1.82 GMACs = 3.64 (G)FLOPs
        pytest.param("1.8 GMACs ≈ 3.6 GFLOPs; FLOPs ≈ 2 × 1.82 GMACs = 3.64 GFLOPs", 2, id="macs-flops"),
        pytest.param("1.8G MACs = 1,800 MMACs = 1,800,000,000 MACs", 2, id="mac-prefixes"),
        # 4.1 GFLOPs = 4,100 MFLOPs
        pytest.param("4.1 GFLOPs = 4,100 MFLOPs", 1, id="flop-prefixes"),
        # 25,557,032 x 4 = 102,228,128 bytes = 97.49 MiB
        pytest.param("25,557,032 × 4 = 102,228,128 bytes ≈ 97.5 MiB", 2, id="count-times-width"),
        # 56*56*256 = 802,816 values; x 4 B = 3,211,264 bytes = 3.2 MB
        pytest.param("56 × 56 × 256 = 802,816 values × 4 B = 3.2 MB", 2, id="running-with-bytes"),
    ],
)
def test_units_are_converted(doc, checked):
    result = check_document(doc)
    assert (result.checked, result.wrong) == (checked, ())


@pytest.mark.parametrize(
    "doc",
    [
        # 224*224*64 = 3,211,264 values; 12.8 MB is them at 4 bytes each (fp32)
        pytest.param("224*224*64 = 12.8 MB in fp32", id="values-and-bytes"),
        # 25.6M parameters at 4 bytes: 102.4 MB = 97.7 MiB
        pytest.param("ResNet-50: 25.6M params ≈ 97.5 MiB in fp32", id="params-and-mib"),
        # 1.8 GMACs is not 5.0 GFLOPs in any reading: other units, not compared
        pytest.param("1.8 GMACs ≈ 5.0 GFLOPs", id="macs-flops-unrelated"),
        pytest.param("1,135,256,096 MACs = 61 MB", id="macs-and-bytes"),
        # 4 bytes are 32 bits: a step between two units is never flagged, only skipped
        pytest.param("4 bytes = 24 bits", id="bytes-and-bits"),
    ],
)
def test_sides_in_other_units_are_skipped_with_a_reason(doc):
    result = check_document(doc)
    assert result.wrong == ()
    assert [s.reason for s in result.skips] == ["units"]


@pytest.mark.parametrize(
    "doc, wrong",
    [
        # 224*224*64*4 = 12,845,056 bytes = 12.25 MiB, not 14.25 MiB (14,942,208 bytes)
        pytest.param("224 * 224 * 64 * 4 bytes = 14.25 MiB", (1, "12,845,056", "14,942,208"), id="mib"),
        # 553,430,176 bytes is 553 MB or 528 MiB, not 600 MB in either reading
        pytest.param("553,430,176 bytes ≈ 600 MB", (1, "553,430,176", "600,000,000"), id="mb"),
    ],
)
def test_a_wrong_value_in_units_is_flagged(doc, wrong):
    assert found(check_document(doc)) == {wrong}


# ---------------------------------------------------------------------------
# Layer names in the styles of the papers, against a network that names them otherwise
# ---------------------------------------------------------------------------
# torchvision's VGG-16 (the vgg16 network) names its layers features.0 ... classifier.6:
# conv1_1 is features.0 (224x224x64, 3*3*3*64 + 64 = 1,792 parameters), conv1_2 features.2
# (224x224x64, 3*3*64*64 + 64 = 36,928), conv3_2 features.12 (56x56x256, 3*3*256*256 + 256 =
# 590,080), conv5_3 features.28 (14x14x512); fc6, fc7, fc8 are classifier.0 (25,088*4,096 +
# 4,096 = 102,764,544), classifier.3 (4,096*4,096 + 4,096 = 16,781,312), classifier.6
# (4,096*1,000 + 1,000 = 4,097,000).

VGG_TABLE = """\
| layer | output | params |
|---|---|---|
| conv1_1 | 224×224×64 | 1,792 |
| conv1_2 | 224×224×64 | 36,928 |
| conv3_2 | {conv3_2} | 590,080 |
| conv5_3 | 14×14×512 | 2,359,808 |
| fc6 | 4096 | 102,764,544 |
| fc7 | 4096 | 16,781,312 |
| fc8 | 1000 | 4,097,000 |
"""


def claims(result) -> list[tuple[int, str, str, str, bool]]:
    return [(c.line, c.layer, c.called, c.claimed, c.ok) for c in result.claims]


def test_vgg_paper_names_are_read_by_stage():
    result = check_document(VGG_TABLE.format(conv3_2="56×56×256"), network="vgg16")
    assert result.wrong_claims == ()
    assert claims(result)[:4] == [(3, "features.0", "conv1_1", "224x224x64", True),
                                  (3, "features.0", "conv1_1", "1,792", True),
                                  (4, "features.2", "conv1_2", "224x224x64", True),
                                  (4, "features.2", "conv1_2", "36,928", True)]
    assert [c.layer for c in result.claims if c.called in ("fc6", "fc7", "fc8")] == [
        "classifier.0", "classifier.0", "classifier.3", "classifier.3", "classifier.6", "classifier.6"]


def test_a_wrong_size_for_a_vgg_name_is_flagged_on_its_layer():
    # conv3_2 outputs 56x56x256; 56x56x128 is pool2's output, but conv3_2 reads one way only
    result = check_document(VGG_TABLE.format(conv3_2="56×56×128"), network="vgg16")
    assert [(c.line, c.layer, c.called, c.claimed, c.derived) for c in result.wrong_claims] == [
        (5, "features.12", "conv3_2", "56x56x128", "56x56x256")]


def test_vgg_kernel_notation_is_not_a_layer_name():
    # the VGG paper's conv3-64 is a 3x3 convolution with 64 kernels, not a layer called conv3
    result = check_document("| layer | output |\n|---|---|\n| conv3-64 | 224×224×64 |\n| conv3-128 | 112×112×128 |",
                            network="vgg16")
    assert result.claims == ()


@pytest.mark.parametrize(
    "doc, network, expected",
    [
        # LeNet-5's names number every layer: C1 28x28x6, S2 14x14x6, C3 10x10x16
        # (5*5*6*16 + 16 = 2,416), S4 5x5x16, C5 1x1x120 (5*5*16*120 + 120 = 48,120), F6 84
        # (120*84 + 84 = 10,164)
        pytest.param("C1 gives 28×28×6, S2 gives 14×14×6, C3 gives 10×10×16 (2,416 parameters), "
                     "S4 gives 5×5×16, C5 gives 1×1×120 (48,120 parameters), F6 has 10,164 parameters.",
                     "lenet5", ["features.0", "features.2", "features.3", "features.5", "features.6",  # sizes
                                "features.3", "features.6", "classifier.0"], id="lenet"),  # then counts
        # AlexNet's paper numbers its FC layers on from conv5: FC-6 is the first (37,752,832)
        pytest.param("- FC-6: 37,752,832 parameters\n- FC-7: 16,781,312 parameters\n- FC-8: 4,097,000 parameters",
                     "alexnet", ["fc1", "fc2", "fc3"], id="alexnet-fc6"),
        # ResNet's paper: conv2_x is layer1 (56x56x64), conv3_x layer2 (28x28x128); res3a is
        # layer2.0: 3*3*64*128 + 3*3*128*128 + 64*128 + 3 batch norms of 2*128 = 230,144
        pytest.param("conv1 outputs 112×112×64; conv2_x outputs 56×56×64; conv3_x outputs 28×28×128. "
                     "The block res3a has 230,144 parameters.",
                     "resnet18", ["conv1", "layer1", "layer2", "layer2.0"], id="resnet"),
        # torchvision's AlexNet: conv2 is the second convolution, features.3 (27x27x192)
        pytest.param("conv2: 27x27x192", "alexnet-torchvision", ["features.3"], id="rank"),
    ],
)
def test_names_in_the_papers_styles(doc, network, expected):
    result = check_document(doc, network=network)
    assert [c.layer for c in result.claims] == expected
    assert result.wrong_claims == ()


@pytest.mark.parametrize(
    "doc, network, wrong",
    [
        # C3 has 2,416 parameters; S4 outputs 5x5x16
        pytest.param("C1 gives 28×28×6, S2 gives 14×14×6, C3 gives 10×10×16 (2,461 parameters), "
                     "S4 gives 5×5×6, C5 gives 1×1×120.", "lenet5",
                     [("features.5", "S4", "5x5x6"), ("features.3", "C3", "2,461")], id="lenet"),
        # FC-7 has 16,781,312 parameters (16,777,216 leaves out the 4,096 biases)
        pytest.param("- FC-6: 37,752,832 parameters\n- FC-7: 16,777,216 parameters\n- FC-8: 4,097,000 parameters",
                     "alexnet", [("fc2", "FC-7", "16,777,216")], id="alexnet-fc7"),
        # conv3_x (layer2) outputs 28x28x128
        pytest.param("conv2_x outputs 56×56×64; conv3_x outputs 28×28×256.", "resnet18",
                     [("layer2", "conv3_x", "28x28x256")], id="resnet-stage"),
    ],
)
def test_wrong_claims_about_names_in_the_papers_styles(doc, network, wrong):
    result = check_document(doc, network=network)
    assert [(c.layer, c.called, c.claimed) for c in result.wrong_claims] == wrong


@pytest.mark.parametrize(
    "doc, network",
    [
        # VGG's conv2: the second convolution (features.2, 224x224x64) or the second stage
        # (conv2_1, conv2_2: 112x112x128)? 112x112x64 is neither's output: not certain, skipped
        pytest.param("In VGG-16, conv2 outputs 112x112x64.", "vgg16", id="vgg-conv2"),
        # LeNet's C3 alone: the third convolution (C5) or the third layer (C3)?
        pytest.param("C3 gives 10×10×6.", "lenet5", id="lenet-c3-alone"),
        # ResNet's conv3_2: the second convolution of conv3_x, or its second block? (56x56x64
        # is layer1's output: the name may be meant another way)
        pytest.param("conv3_2 outputs 56×56×64.", "resnet18", id="resnet-conv3_2"),
    ],
)
def test_a_name_that_may_mean_several_layers_is_skipped_not_flagged(doc, network):
    result = check_document(doc, network=network)
    assert result.wrong_claims == ()
    assert [s.reason for s in result.skips] == ["uncertain layer"]
    assert "may be" in result.skips[0].detail


def test_a_numbering_the_document_bears_out_decides():
    # Every other row says stage numbering (conv2 = conv2_x: 112x112x128, conv3 = conv3_x:
    # 56x56x256, conv5 = conv5_x: 14x14x512; rank numbering would make conv2 features.2,
    # 224x224x64): conv4 = conv4_x takes 28x28x256 in and gives 28x28x512, not 14x14x512.
    doc = ("| block | output |\n|---|---|\n| conv1 | 224×224×64 |\n| conv2 | 112×112×128 |\n"
           "| conv3 | 56×56×256 |\n| conv4 | 14×14×512 |\n| conv5 | 14×14×512 |\n")
    result = check_document(doc, network="vgg16")
    assert [(c.line, c.called, c.claimed, c.derived) for c in result.wrong_claims] == [
        (6, "conv4", "14x14x512", "28x28x512")]


# ---------------------------------------------------------------------------
# Inputs that are not documents
# ---------------------------------------------------------------------------


def test_a_run_of_numbers_and_commas_is_read_one_number_at_a_time():
    from symcnn.checkdoc.literals import _CANDIDATE, read_number

    run = "1," * 50_000 + "1"
    # each number's reading looks at most one group past it: no rescanning the run from
    # every number (that was quadratic in time and in memory)
    assert _CANDIDATE.match(run).group(0) == "1,1"
    assert read_number(run, 0)[0].text == "1"
    assert _CANDIDATE.match("1,234,567.5 and more").group(0) == "1,234,567.5"
    assert _CANDIDATE.match("62 378 344").group(0) == "62 378 344"
    result = check_document("a = " + run)
    assert (result.wrong, result.status) == ((), "nothing checkable")


def test_a_very_long_word_is_read_in_pieces():
    from symcnn.checkdoc.tokens import Lexer

    text = "a = " + "x" * 10_000
    toks = Lexer(text).text(0, len(text), line_start=True)
    assert all(t.end - t.start <= 201 for t in toks)
    assert check_document(text).status == "nothing checkable"


def test_long_statements_are_shown_by_their_ends():
    from symcnn.checkdoc import format_text

    doc = "$$" + "1 + " * 3000 + "1 = 3$$"
    text = format_text(check_document(doc, name="a.md"), show_skipped=True)
    assert max(len(line) for line in text.splitlines()) < 300
    assert "(12,005 characters)" in text


@pytest.mark.parametrize(
    "doc, reason",
    [
        pytest.param("$10^{10^{10}} = 1$", "too large", id="tower"),
        pytest.param("$9^9^9 = 2$", "too large", id="9^9^9"),
        pytest.param("$(10^{9})! = 3$", "too large", id="factorial"),
        pytest.param("$$" + "{" * 5000 + "1" + "}" * 5000 + " = 1$$", "too long", id="nested-braces"),
        pytest.param("$$" + "(" * 3000 + "1" + ")" * 3000 + " = 1$$", "too long", id="nested-parentheses"),
    ],
)
def test_huge_or_deep_arithmetic_is_skipped_with_its_reason(doc, reason):
    result = check_document(doc)
    assert result.wrong == ()
    assert [s.reason for s in result.skips] == [reason]


def test_empty_and_blank_documents_say_nothing_is_checkable():
    for doc in ("", "\n\n   \n", "# Title\n"):
        result = check_document(doc)
        assert (result.status, result.exit_code) == ("nothing checkable", 4)


# ---------------------------------------------------------------------------
# More units, and blame in a figure's own unit
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked",
    [
        # Adam's two copies: 2 x 527.8 = 1,055.6, the bare side in the other side's unit (MiB)
        pytest.param("2 × 527.8 = 1,055.6 MiB", 1, id="bare-side-in-the-unit"),
        # a MAC is two operations: 1.8 GMACs = 3.6 GOPS; 2 TOPS = 2,000 GOPS
        pytest.param("1 MAC = 2 ops, 1.8 GMACs = 3.6 GOPS, 2 TOPS = 2,000 GOPS", 3, id="ops"),
        # 1,814,073,344 ≈ 1.81 G (a suffix after a space)
        pytest.param("1,814,073,344 MACs ≈ 1.81 G; 25,557,032 ≈ 25.6 M, so", 2, id="spaced-suffix"),
    ],
)
def test_more_units(doc, checked):
    result = check_document(doc)
    assert (result.checked, result.wrong) == (checked, ())


def test_a_number_in_a_unit_the_checker_does_not_know_is_not_compared():
    # 1 byte is 2 nibbles: bytes on one side, a word for another unit on the other
    result = check_document("1 byte = 2 nibbles")
    assert (result.wrong, [s.reason for s in result.skips]) == ((), ["units"])


@pytest.mark.parametrize(
    "doc, blame",
    [
        # 62,378,344 is 62.4M; 12,845,056 bytes are 12.25 MiB; 553,430,176 bytes 553 MB; 1,055.6 MiB
        pytest.param("62,378,344 parameters in all, ≈ 64.2M", "64.2M should be 62.4M", id="M"),
        pytest.param("224 * 224 * 64 * 4 bytes = 14.25 MiB", "14.25 MiB should be 12.25 MiB", id="MiB"),
        pytest.param("138,357,544 × 4 bytes = 553,430,176 bytes ≈ 600 MB", "600 MB should be 553 MB", id="MB"),
        pytest.param("2 × 527.8 = 1,065.6 MiB", "1,065.6 MiB should be 1,055.6 MiB", id="bare-side"),
        pytest.param("1,814,073,344 MACs ≈ 1.9 GMACs", "1.9 GMACs should be 1.8 GMACs", id="GMACs"),
        # 1,814,073,344 / 300,774,272 = 6.03: to the one decimal written
        pytest.param("1,814,073,344 / 300,774,272 ≈ 6.3", "6.3 should be 6.0", id="decimals-kept"),
        # 1/512 + 1/9 = 0.11306
        pytest.param("$\\frac{1}{512} + \\frac{1}{9} \\approx 0.131$", "0.131 should be 0.113", id="rounded"),
    ],
)
def test_a_rounded_figure_is_blamed_in_its_own_unit_and_figures(doc, blame):
    assert blames(check_document(doc)) == [blame]


def test_a_fraction_is_shown_with_a_decimal():
    from symcnn.checkdoc import format_text

    text = format_text(check_document("$\\frac{1}{512} + \\frac{1}{9} \\approx 0.131$", name="a.md"))
    # 1/512 + 1/9 = 521/4,608 = 0.1130642...
    assert "521/4,608 (≈ 0.113064) is not about 0.131" in text


# ---------------------------------------------------------------------------
# Prose as people write it
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, checked",
    [
        # 1,179,648 / 69,632 = 16.94: "16.9x more" is a number of times, not 16.9 times x
        pytest.param("1,179,648 / 69,632 ≈ 16.9x more; 15.5 / 4.1 ≈ 3.8x. 6/2 = 3× faster", 3, id="times"),
        # "that's" says the same as "="; 64 x 58.1 = 3,718.4 MiB
        pytest.param("At batch size 64 that's 64 × 58.1 ≈ 3,718 MiB", 1, id="copula"),
        # a word between two numbers that does no arithmetic ends a statement: 7 x 7 x 1024 = 50,176
        pytest.param("the last 7×7×1024 map 7 × 7 × 1024 = 50,176", 1, id="noun-between"),
        # prices: 40 x 1.20 = 48 (dollars); 8 x 2.10 x 6 = 100.80
        pytest.param("40 x 1.20 = $48 per run; 8 GPUs × $2.10/hr × 6 hrs = $100.80", 2, id="prices"),
        # a value carried after a comma: 20,647,936 x 4 = 82,591,744
        pytest.param("568 x 568 x 64 = 20,647,936 values, x 4 bytes = 82,591,744 bytes", 2, id="carried-times"),
        # units of time and rates after a number: 50,000 / 1,250 = 40
        pytest.param("eval took 50,000 images / 1,250 img/s = 40 s", 1, id="rates"),
        # a rounded restatement after about, 약, 约, rund: 62,378,344 ≈ 62.4M = 6,238만 = 6238 万
        pytest.param("62,378,344 parameters, about 62.4M in all", 1, id="about"),
        pytest.param("AlexNet의 파라미터는 모두 62,378,344개, 약 6,238만 개다.", 1, id="korean"),
        pytest.param("全部参数：62,378,344，约 6238 万。", 1, id="chinese"),
        pytest.param("insgesamt 62.378.344 Parameter, rund 62,4 Mio.", 1, id="german"),
        # a Japanese particle between two numbers joins nothing: 300,774,272 / 4,089,184,256 = 7.4%
        pytest.param("ResNet-50 の 4,089,184,256 の 300,774,272 / 4,089,184,256 ≈ 7.4% です", 1, id="particle"),
    ],
)
def test_prose_as_people_write_it(doc, checked):
    result = check_document(doc)
    assert (result.checked, result.wrong) == (checked, ())


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param("2x = 4", id="algebra"),  # 2x is two times x, not "twice"
        pytest.param("62,378,344 parameters, about 5 per pixel", id="not-a-restatement"),
        pytest.param("in 2019, about 5 papers", id="year"),
    ],
)
def test_what_only_looks_like_it_is_not_flagged(doc):
    assert check_document(doc).wrong == ()


def test_a_wrong_rounded_restatement_is_flagged():
    # 62,378,344 is 6,237.8 万, not 6,328 万
    result = check_document("全部参数：62,378,344，约 6328 万。")
    assert blames(result) == ["6328 万 should be 6,238 万"]


# ---------------------------------------------------------------------------
# LaTeX as people write it
# ---------------------------------------------------------------------------


def test_macros_the_document_defines_are_expanded():
    doc = r"""\documentclass{article}
\newcommand{\ceil}[1]{\left\lceil #1 \right\rceil}
\newcommand{\conv}[4]{#1 \times #1 \times #2 \times #3 + #4}
\DeclareMathOperator{\flr}{floor}
\begin{document}
$O = \ceil{224 / 2} = 112$, $\conv{3}{256}{384}{384} = 885{,}120$ and $\flr(111.5) + 1 = 112$.
\end{document}
"""
    # ceil(112) = 112; 3*3*256*384 + 384 = 885,120; floor(111.5) + 1 = 112
    result = check_document(doc, syntax="latex")
    assert (result.checked, result.wrong, result.skips) == (3, (), ())


def test_macros_that_expand_without_end_are_cut():
    doc = "\\def\\a{\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a}\n\\newcommand{\\c}{\\c}\n$\\a = 1$ and $\\c = 2$"
    result = check_document(doc, syntax="latex")
    assert result.wrong == ()
    assert {s.reason for s in result.skips} <= {"too long", "unsupported"}


def test_inline_math_that_names_a_case_sets_nothing():
    # alpha = 0.75 is set; "the $\alpha = 1$ cost" names the unthinned case; alpha^2 = 0.5625
    doc = "With $\\alpha = 0.75$ it costs 0.566 of the $\\alpha = 1$ cost, close to $\\alpha^2 = 0.5625$."
    result = check_document(doc)
    assert (result.checked, result.wrong, result.skips) == (1, (), ())


# ---------------------------------------------------------------------------
# What a sentence, a section or a table column says about which network
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, network",
    [
        # ResNet-34's layer3 has 6,822,400 parameters; resnet50's has 7,098,368
        pytest.param("ResNet-34 (21,797,672 params) has its layer3 at 6,822,400 params.", "resnet50",
                     id="another-network"),
        # the 1998 paper's C3 is partly connected: 1,516 parameters; symcnn's lenet5 has 2,416
        pytest.param("C1 gives 28×28×6 and C3 gives 10×10×16. In the 1998 paper C3 had 1,516 parameters.",
                     "lenet5", id="another-version"),
        pytest.param("C1 gives 28×28×6, C3 gives 10×10×16. 원 논문의 C3는 파라미터가 1,516개였다.", "lenet5",
                     id="another-version-korean"),
        # conv5_3 outputs 14x14x512; 196x196 is the region of the input one pixel of it sees
        pytest.param("One pixel of conv5_3 (which outputs 14×14×512) sees 196×196 pixels of the input.", "vgg16",
                     id="region"),
        # layer4 outputs 7x7x2048 for a 224x224 input
        pytest.param("layer4 outputs 7x7x2048 for a 224x224 input.", "resnet50", id="input-after"),
        # a section about AlexNet while checking VGG-16
        pytest.param("## AlexNet\n\n- conv2, 5×5: 27×27×256\n\n## VGG\n\nconv5_3 outputs 14×14×512.", "vgg16",
                     id="section"),
    ],
)
def test_values_about_another_network_are_not_claims(doc, network):
    assert check_document(doc, network=network).wrong_claims == ()


def test_table_columns_of_other_networks_are_not_claims():
    # only the ResNet-18 column is about resnet18: layer1 147,968, layer2 525,568 parameters
    doc = ("| stage | params, ResNet-18 | params, ResNet-34 |\n|---|---:|---:|\n"
           "| conv2_x | 147,968 | 221,952 |\n| conv3_x | 525,568 | 1,116,416 |\n")
    result = check_document(doc, network="resnet18")
    assert [(c.layer, c.claimed, c.ok) for c in result.claims] == [("layer1", "147,968", True),
                                                                  ("layer2", "525,568", True)]


def test_resnet50_stages_keep_their_blocks_whole():
    # torchvision's ResNet-50 strides in layer4.0's 3x3 conv, so layer4.0.conv1 is still 14x14:
    # conv5_x is all of layer4 all the same (14,964,736 parameters)
    result = check_document("conv5_x has 14,964,736 parameters.", network="resnet50")
    assert [(c.layer, c.called, c.ok) for c in result.claims] == [("layer4", "conv5_x", True)]


def test_conv1_may_be_a_stage_where_the_document_names_stages():
    # ResNet's stage table: conv1 with its batch norm, 9,408 + 128 = 9,536
    stages = "| stage | params |\n|---|---:|\n| conv1 | 9,536 |\n| conv2_x | 147,968 |\n"
    assert check_document(stages, network="resnet18").wrong_claims == ()
    # without stage names, conv1 is the layer: 9,408
    alone = check_document("conv1 has 9,536 parameters.", network="resnet18")
    assert [(c.layer, c.claimed, c.derived) for c in alone.wrong_claims] == [("conv1", "9,536", "9,408")]


@pytest.mark.parametrize(
    "doc, network, expected",
    [
        # a 1x1x256 map written as 256; a row named stem by the spec's own name
        pytest.param("| layer | output | params |\n|---|---|---|\n| stem | 32×32×32 | 896 |\n| gap | 256 | 0 |\n",
                     str(Path(__file__).resolve().parent / "fixtures" / "docs2" / "tinycls.yaml"),
                     [("stem", "32x32x32", True), ("stem", "896", True), ("gap", "256", True), ("gap", "0", True)],
                     id="spec-rows"),
        # Chinese headers and count words: 输出 (output), 参数量 (parameters)
        pytest.param("| 层 | 输出 | 参数量 |\n|---|---|---:|\n| FC6 | 4096 | 37,752,832 |\n"
                     "| FC7 | 4096 | 16,781,312 |\n| FC8 | 1000 | 4,097,000 |\n", "alexnet",
                     [("fc1", "4096", True), ("fc1", "37,752,832", True), ("fc2", "4096", True),
                      ("fc2", "16,781,312", True), ("fc3", "1000", True), ("fc3", "4,097,000", True)], id="chinese"),
        # Japanese: 1x1 畳み込み is a kernel, not the layer's output
        pytest.param("features.18 は 320→1280 の 1×1 畳み込みです。", "mobilenet-v2", [], id="japanese-kernel"),
    ],
)
def test_claims_in_tables_and_other_scripts(doc, network, expected):
    result = check_document(doc, network=network)
    assert [(c.layer, c.claimed, c.ok) for c in result.claims] == expected


def test_a_range_of_layers_is_their_block():
    # VGG-16's classifier, fc6 to fc8: 102,764,544 + 16,781,312 + 4,097,000 = 123,642,856
    right = check_document("The classifier (fc6–fc8) holds 123,642,856 parameters.", network="vgg16")
    assert [(c.layer, c.ok) for c in right.claims] == [("classifier.0 to classifier.6", True)]
    wrong = check_document("The classifier (fc6–fc8) holds 123,642,865 parameters.", network="vgg16")
    assert [(c.claimed, c.derived) for c in wrong.wrong_claims] == [("123,642,865", "123,642,856")]
    # AlexNet's Conv-2 to Conv-5: 614,656 + 885,120 + 1,327,488 + 884,992 = 3,712,256
    alexnet = check_document("Conv-2 to Conv-5 hold 3,712,256 parameters.", network="alexnet")
    assert [(c.layer, c.ok) for c in alexnet.claims] == [("conv2 to conv5", True)]


def test_a_table_row_of_only_a_bar_is_no_crash():
    # a row "|" has no cells: it was an IndexError (exit 3)
    for doc in ("| a | b |\n|---|---|\n|\n| 1+1 | 2 |\n", "|\n|---|---|\n| 1 | 2 |\n"):
        assert check_document(doc, syntax="markdown").wrong == ()
