"""``check-doc`` on ways of writing that a first corpus did not show: running computations,
numbers in units, layer names in the styles of the papers, and inputs that are not documents.

Every expected value is worked out in a comment beside it.
"""

from __future__ import annotations

import pytest

from symcnn.views.checkdoc import check_document


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
    from symcnn.views.checkdoc.literals import _CANDIDATE, read_number

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
    from symcnn.views.checkdoc.tokens import Lexer

    text = "a = " + "x" * 10_000
    toks = Lexer(text).text(0, len(text), line_start=True)
    assert all(t.end - t.start <= 201 for t in toks)
    assert check_document(text).status == "nothing checkable"


def test_long_statements_are_shown_by_their_ends():
    from symcnn.views.checkdoc import format_text

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
