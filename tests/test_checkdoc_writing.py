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
