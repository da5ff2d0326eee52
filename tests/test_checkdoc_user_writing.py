"""``check-doc`` on ways of writing found in real documents (tests/fixtures/docs3): each case the
third corpus showed the checker misreading, in a few lines.

Figures (hand computations):
VGG-16 (224x224x3): conv3_3 outputs 56x56x256, conv4_3 28x28x512, pool5 7x7x512.
ResNet-18 (224x224x3): conv1 7*7*3*64 = 9,408 weights, bn1 2*64 = 128, together 9,536; layer1
outputs 56x56x64, layer3 14x14x256; layer2.0.conv1 3*3*64*128 = 73,728 weights, with bn1
(2*128 = 256) 73,984; layer2's convolutions 73,728 + 147,456 + 8,192 + 147,456 + 147,456 =
524,288 weights and its five batch norms 5 * 256 = 1,280 parameters, 525,568 in all.
SqueezeNet 1.0: fire2 (features.3) outputs 54x54x128.
"""

from __future__ import annotations

from pathlib import Path

from symcnn.checkdoc import check_document

NETS = Path(__file__).resolve().parent / "fixtures" / "nets"


def wrong_steps(result) -> list[tuple[int, str | None]]:
    return [(w.line, str(w.blame) if w.blame is not None else None) for w in result.wrong]


def wrong_claims(result) -> list[tuple[int, str, str]]:
    return [(c.line, c.layer, c.claimed) for c in result.wrong_claims]


# -- which layer a size is about ---------------------------------------------------------------


def test_a_size_at_the_end_of_a_line_is_not_about_the_name_that_starts_the_next():
    # plain text pasted from a browser: one paragraph, one layer a line, no full stops
    text = "출력 크기 체크\nconv3_3 출력 : 56x56x256\nconv4_3 출력 : 28x28x256\npool5 출력 : 7x7x512\n"
    result = check_document(text, name="post.txt", network="vgg16")
    assert wrong_claims(result) == [(3, "features.21", "28x28x256")]  # conv4_3: 28x28x512


def test_on_one_line_a_name_before_the_size_wins_over_one_after_it():
    result = check_document("conv3_3: 56x56x256 conv4_3: 28x28x512\n", name="n.txt", network="vgg16")
    assert wrong_claims(result) == []
    # a joining word still ties a size to the name after it
    result = check_document("We get 28x28x256 for conv4_3.\n", name="n.md", network="vgg16")
    assert wrong_claims(result) == [(1, "features.21", "28x28x256")]


def test_a_size_inside_an_identifier_is_no_size():
    text = ("fire2 (features.3), 96 -> s=16, e=64:\n"
            "  expand1x1 16*64 + 64 = 1,088\n"
            "  expand3x3 3*3*16*64 + 64 = 9,280, output 54x54x128\n")
    result = check_document(text, name="notes.txt", network=str(NETS / "squeezenet1_0.yaml"))
    assert wrong_claims(result) == [] and wrong_steps(result) == []
    assert not any(c.claimed in ("1x1", "3x3") for c in result.claims)


def test_a_heading_naming_one_block_twice_is_about_it():
    text = "## 4. layer3 (conv4_x)\n\n- 출력: 14×14×512\n"
    result = check_document(text, name="post.md", network="resnet18")
    assert wrong_claims(result) == [(3, "layer3", "14x14x512")]


# -- tables ------------------------------------------------------------------------------------


def test_a_row_naming_two_layers_is_about_both():
    text = ("| stage | output | params |\n|---|---|--:|\n"
            "| conv1 + bn1 | 112×112×64 | 9,536 |\n| layer1 | 56×56×64 | 147,968 |\n")
    result = check_document(text, name="t.md", network="resnet18")
    assert wrong_claims(result) == []
    bad = text.replace("9,536", "9,408 ")  # conv1 alone: not the row's count
    assert wrong_claims(check_document(bad, name="t.md", network="resnet18")) == [(3, "conv1 + bn1", "9,408")]


def test_a_column_of_batch_norm_parameters():
    text = ("| layer | weights | BN | params |\n|---|--:|--:|--:|\n"
            "| layer2.0.conv1 | 73,728 | 256 | 73,984 |\n"
            "| **layer2** | **524,288** | **1,280** | **525,568** |\n")
    result = check_document(text, name="t.md", network="resnet18")
    assert wrong_claims(result) == [] and wrong_steps(result) == []
    bad = text.replace("| 256 |", "| 128 |")  # bn1 of 128 channels has 256 parameters
    assert wrong_claims(check_document(bad, name="t.md", network="resnet18")) == [(3, "layer2.0.conv1", "128")]


def test_a_total_of_rows_rounded_on_their_own():
    # ResNet-18's stages in MB at 4 bytes a parameter: 9,536, 147,968, 525,568, 2,099,712,
    # 8,393,728 and 513,000 give 0.038..., 0.591..., 2.102..., 8.398..., 33.574..., 2.052, rounded
    # 0.04, 0.59, 2.10, 8.40, 33.57, 2.05 (adding up to 46.75); the total 11,689,512 gives 46.758...
    rows = "| stage | MB |\n|---|--:|\n" + "".join(f"| s{k} | {v} |\n" for k, v in enumerate(
        ["0.04", "0.59", "2.10", "8.40", "33.57", "2.05"]))
    assert wrong_steps(check_document(rows + "| **total** | **46.76** |\n", name="t.md")) == []
    # past what the rounding of six rows and the total can explain (7 x 0.005 = 0.035)
    result = check_document(rows + "| **total** | **46.80** |\n", name="t.md")
    assert [line for line, _ in wrong_steps(result)] == [9]
    # whole numbers are exact: no tolerance
    exact = "| a | n |\n|---|--:|\n| x | 4 |\n| y | 5 |\n| z | 6 |\n| **total** | **16** |\n"
    assert [line for line, _ in wrong_steps(check_document(exact, name="t.md"))] == [6]


# -- numbers as written ------------------------------------------------------------------------


def test_an_operand_the_document_calls_approximate():
    # 15,087,080 x 4 = 60,348,320; 15.1M stands for 15.05M to 15.15M, so 60.2M to 60.6M
    text = "15,087,080 values, i.e. ~15.1M floats x 4 B = 60,348,320 B\n"
    assert wrong_steps(check_document(text, name="mail.txt")) == []
    # without the mark it is a figure like any other
    assert len(check_document("15.1M floats x 4 B = 60,348,320 B\n", name="mail.txt").wrong) == 1
    # and the mark does not hide a step that is wrong at every value it stands for
    assert len(check_document("about 15.1M floats x 4 B = 70,348,320 B\n", name="mail.txt").wrong) == 1


def test_bare_terms_of_a_sum_are_in_its_unit():
    # 11 - 2.2 - 3.9 = 4.9
    result = check_document("So 11 GB - 2.2 - 3.9 ≈ 5.9 GB headroom.\n", name="mail.txt")
    assert wrong_steps(result) == [(1, "5.9 GB should be 4.9 GB")]
    assert check_document("So 11 GB - 2.2 - 3.9 ≈ 4.9 GB headroom.\n", name="mail.txt").wrong == ()


def test_a_number_right_after_han_kana_or_hangul():
    for text in ("约6,238万 = 62,380,000\n", "サイズは6,238万 = 62,380,000\n", "是6,238 = 6,238\n",
                 "약6,238만 = 62,380,000\n"):
        result = check_document(text, name="n.txt")
        assert (result.checked, result.wrong) == (1, ()), text
    # 6,238万 = 62,380,000, not 62,390,000
    assert len(check_document("约6,238万 = 62,390,000\n", name="n.txt").wrong) == 1


def test_a_count_of_hundred_millions_then_of_ten_thousands():
    # 138,357,544 = 1억 3,835.7544만: 1억 3,836만 to the 만 written
    right = "전체 = 14,714,688 + 123,642,856 = 138,357,544, 약 1억 3,836만 개\n"
    assert (check_document(right, name="k.txt").checked, check_document(right, name="k.txt").wrong) == (2, ())
    wrong = check_document(right.replace("3,836만", "3,936만"), name="k.txt")
    assert wrong_steps(wrong) == [(1, "the right side 1억 3,936만 should be 1억 3,836만")]
    assert check_document("1亿3836万 = 138,360,000\n", name="z.txt").wrong == ()


def test_full_width_digits():
    assert check_document("２２７ × ２ = ４５４\n", name="j.txt").checked == 1
    assert wrong_steps(check_document("２２７ × ２ = ４５５\n", name="j.txt")) == [(1, "455 should be 454")]
    # with a full-width comma between the groups: 3 x 3 x 3 x 64 + 64 = 1,792
    assert wrong_steps(check_document("３×３×３×６４＋６４＝１，７９２\n", name="j.txt")) == []
    result = check_document("３×３×３×６４＋６４＝１，７９３\n", name="j.txt")
    assert wrong_steps(result) == [(1, "1,793 should be 1,792")]


def test_lines_ended_by_a_carriage_return_alone():
    # an old Mac file: each \r ends a line, so 3 + 3 = 7 is on line 3
    result = check_document("notes\r$2 + 2 = 4$\r$3 + 3 = 7$\r", name="old.md")
    assert wrong_steps(result) == [(3, "7 should be 6")]
    # Windows line ends count once
    result = check_document("notes\r\n$2 + 2 = 4$\r\n$3 + 3 = 7$\r\n", name="win.md")
    assert wrong_steps(result) == [(3, "7 should be 6")]
