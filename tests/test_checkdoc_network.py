"""``check-doc --network``: the sizes and counts a document gives for a network's layers.

AlexNet's figures used below (input 227x227x3, exact rounding), from the derivation the
article works by hand: conv1 55x55x96 (34,944 parameters), pool1 27x27x96, conv2 27x27x256
(614,656), pool2 13x13x256, conv3 13x13x384 (885,120), conv4 13x13x384 (1,327,488), conv5
13x13x256 (884,992), pool3 6x6x256, fc1 4096 (37,752,832), fc2 4096 (16,781,312), fc3
1000 (4,097,000).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED_NAME

import symcnn
from symcnn.checkdoc import check_document, check_file, format_text
from symcnn.errors import SymcnnError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def wrong(result) -> list[tuple[int, str, str, str]]:
    return [(c.line, c.layer, c.claimed, c.derived) for c in result.wrong_claims]


def line_of(path: Path, snippet: str) -> int:
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in line]
    assert len(hits) == 1, hits
    return hits[0]


def assert_article_claims(result, path: Path) -> None:
    # The summary gives Conv-5 as 27x27x256 (it is 13x13x256); the paragraph about Conv-1
    # says its output is 55x55x96x3 "in all" (the three input channels are summed inside
    # each kernel: the output is 55x55x96). Every other size and count is right.
    assert wrong(result) == [
        (line_of(path, "55\\times 55\\times 96\\times 3"), "conv1", "55x55x96x3", "55x55x96"),
        (line_of(path, "Conv-5: 27x27x256") if path.name != SEED_NAME else line_of(path, "Conv-5는"), "conv5",
         "27x27x256", "13x13x256"),
    ]
    conv1 = result.wrong_claims[0]
    assert conv1.how == "item"  # the list item below the one that names Conv-1
    assert conv1.derivation == ("O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55",)
    assert len(result.claims) >= 20
    # the article's arithmetic slip is still found, with its blame
    assert [str(w.blame) for w in result.wrong] == [f"94,848 should be W_c = 34,848 (line {result.wrong[0].line})"]


def test_article_fixture_with_the_network():
    path = FIXTURES / "article_math.md"
    result = check_file(path, network="alexnet")
    assert result.network == "alexnet"
    assert_article_claims(result, path)


def test_seed_article_with_the_network(seed):
    result = check_file(seed, network="alexnet")
    assert_article_claims(result, seed)
    # the parameter counts its Korean prose gives, paired in order: Conv-2/3/4/5 ...
    # 614,656/885,120/1,327,488/884,992개의 parameter, and FC-2 ... 16,781,312개
    counts = [(c.layer, c.field, c.claimed, c.ok) for c in result.claims if c.field == "params"]
    assert counts == [("conv2", "params", "614,656", True), ("conv3", "params", "885,120", True),
                      ("conv4", "params", "1,327,488", True), ("conv5", "params", "884,992", True),
                      ("fc2", "params", "16,781,312", True)]


KOREAN = """\
## 요약
- Conv-1의 출력은 55×55×96이고 파라미터는 34,944개
- Conv-2/3/4/5의 파라미터는 각각 614,656/885,120/1,327,488/884,929개
- MaxPool-3은 크기를 6x6x256으로 줄임
- FC-1의 출력은 4096x1, 파라미터 개수는 37,752,832개
- FC-3: $1000 \\times 1$ 크기의 벡터
"""


def test_korean_prose_and_lists_of_layers():
    result = check_document(KOREAN, network="alexnet")
    # conv5 has 884,992 parameters; 884,929 is the slip
    assert [(c.line, c.layer, c.field, c.claimed, c.derived) for c in result.wrong_claims] == [
        (3, "conv5", "params", "884,929", "884,992")]
    # the derivation shown is the record's own: weights 9 x 384 x 256 = 884,736, biases 256
    conv5 = symcnn.load("alexnet").derive()["conv5"]
    assert result.wrong_claims[0].derivation == tuple(s.text() for s in conv5.steps if s.counts != "size")
    assert "884,736" in result.wrong_claims[0].derivation[0]
    fields = sorted({(c.layer, c.field) for c in result.claims if c.ok})
    assert fields == [("conv1", "params"), ("conv1", "size"), ("conv2", "params"), ("conv3", "params"),
                      ("conv4", "params"), ("fc1", "params"), ("fc1", "size"), ("fc3", "size"), ("pool3", "size")]


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param("Conv-5: 27x27x256", id="hyphen"),
        pytest.param("conv5 outputs 27 × 27 × 256", id="lower-unicode"),
        pytest.param("CONV5: $27\\times27\\times256$", id="upper-inline-math"),
        pytest.param("The fifth, Conv 5, gives 27*27*256.", id="space-and-stars"),
        pytest.param("## Conv-5\n\nIts output is 27x27x256.", id="heading"),
        pytest.param("- Conv-5 has 3x3 kernels\n  - output: 27x27x256", id="list-item-below"),
        pytest.param("Conv-5 has 3x3 kernels and 256 of them.\nIts output is 27x27x256.", id="same-paragraph"),
    ],
)
def test_a_wrong_size_is_found_however_the_layer_is_named(doc):
    result = check_document(doc, network="alexnet")
    assert [(c.layer, c.claimed, c.derived) for c in result.wrong_claims] == [("conv5", "27x27x256", "13x13x256")]


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param("Conv-1: 96 kernels of 11x11x3, stride 4, on a 227x227x3 input: 55x55x96", id="kernel-input"),
        pytest.param("MaxPool-1: 3x3 window, stride 2", id="pool-window"),
        pytest.param("FC-1: a 4096x9216 weight matrix, output 4096x1 (or 1x4096)", id="fc"),
        pytest.param("conv2 turns 27x27x96 into 27x27x256 (96x27x27 to 256x27x27 channels first)", id="chw"),
        pytest.param("- Conv-4: 13x13x384\n- The paper's figure shows 224x224x3", id="sibling-item-is-not-about-it"),
        pytest.param("Conv-1 has 96 kernels; each kernel has 11*11*3 = 363 weights", id="per-kernel-count"),
        pytest.param("Conv-1: 3.5e4 ≈ 35k parameters, about 0.03M", id="rounded-count"),
        pytest.param("Conv-1 has 34,944 parameters (34,848 weights and 96 biases)", id="counts"),
    ],
)
def test_right_sizes_and_counts_are_not_flagged(doc):
    result = check_document(doc, network="alexnet")
    assert result.wrong_claims == (), [(c.claimed, c.derived) for c in result.wrong_claims]


def test_names_that_do_not_match_can_be_mapped():
    doc = "- Pool-A: 27x27x96\n- Pool-B: 13x13x256\n- Pool-C: 6x6x255"
    # unmatched names: nothing is claimed
    assert check_document(doc, network="alexnet").claims == ()
    mapped = check_document(doc, network="alexnet", layer_names={"Pool-A": "pool1", "Pool-B": "pool2",
                                                                   "Pool-C": "pool3"})
    assert [(c.layer, c.claimed, c.derived) for c in mapped.wrong_claims] == [("pool3", "6x6x255", "6x6x256")]
    # a prefix maps every numbered one: P1 is pool1 ...
    prefixed = check_document("- P1: 27x27x96\n- P3: 6x6x255", network="alexnet", layer_names={"P": "pool"})
    assert [(c.layer, c.ok) for c in prefixed.claims] == [("pool1", True), ("pool3", False)]
    with pytest.raises(SymcnnError, match="no layer named 'pool9'"):
        check_document(doc, network="alexnet", layer_names={"Pool-A": "pool9"})


def test_kinds_are_counted_when_names_differ():
    # alexnet-torchvision names its layers features.0, features.3 ...; conv2 is the second
    # convolution (features.3, 27x27x192), and features.3 can be written as it is.
    result = check_document("conv2: 27x27x192, and features.3 gives 27x27x193", network="alexnet-torchvision")
    assert [(c.layer, c.claimed, c.ok) for c in result.claims] == [
        ("features.3", "27x27x192", True), ("features.3", "27x27x193", False)]


@pytest.mark.parametrize("network", ["alexnet", "alexnet-paper", "alexnet-torchvision", "lenet5", "mobilenet-v2",
                                     "resnet18", "resnet50", "vgg16", "vgg16-bn"])
def test_every_report_checks_clean_against_its_network(network):
    for fmt in ("md", "tex"):
        for lang in ("en", "ko"):
            text = symcnn.report(network, fmt, lang=lang)
            result = check_document(text, name=f"{network}.{fmt}", network=network)
            assert result.wrong == () and result.wrong_claims == (), (fmt, lang, result.wrong_claims[:3])
            assert len(result.claims) >= len(symcnn.load(network).derive().layers) // 2


def test_a_symbolic_network_claims_nothing():
    # examples/small.yaml keeps its width N: sizes after conv1 are formulas, never claims.
    result = check_document("conv1: 32x32x16, 28 parameters", network=str(ROOT / "examples" / "small.yaml"))
    assert result.claims == ()


def test_text_report_lists_wrong_claims_with_their_derivation():
    text = format_text(check_document("Conv-5: 27x27x256", name="a.md", network="alexnet"))
    assert text.splitlines() == [
        "a.md:1: conv5: 27x27x256 is not its output, input or kernel; its output is 13x13x256",
        "  O = (I - K + 2*P)/S + 1 = (13 - 3 + 2*1)/1 + 1 = 13",
        "checked 0, wrong 0, skipped 0, formulas 0; alexnet: 1 claim, 1 wrong",
    ]


def test_cli_network_options(run_cli, tmp_path):
    doc = tmp_path / "notes.md"
    doc.write_text("- Pool-C: 6x6x255\n- conv1: 55x55x96\n", encoding="utf-8")
    status, out, err = run_cli("check-doc", str(doc), "--network", "alexnet", "--layer", "Pool-C=pool3", "--json")
    assert (status, err) == (1, "")
    data = json.loads(out)
    assert [(c["layer"], c["claimed"], c["ok"]) for c in data["claims"]] == [
        ("pool3", "6x6x255", False), ("conv1", "55x55x96", True)]
    assert data["counts"]["claims_wrong"] == 1
    status, _, err = run_cli("check-doc", str(doc), "--network", "nosuchnet")
    assert status == 2 and "unknown network 'nosuchnet'" in err and err.count("\n") == 1
    status, _, err = run_cli("check-doc", str(doc), "--network", "alexnet", "--layer", "nonsense")
    assert status == 2 and "expected DOC=NET" in err
    status, _, err = run_cli("check-doc", str(doc), "--layer", "a=b")
    assert status == 2 and "need --network" in err
    # another input size: conv1 then gives floor((224 - 11)/4) + 1 = 54
    status, out, _ = run_cli("check-doc", str(doc), "--network", "alexnet", "--input", "224x224x3",
                             "--rounding", "floor", "--layer", "Pool-C=pool3")
    assert status == 1 and "conv1: 55x55x96 is not its output, input or kernel; its output is 54x54x96" in out
