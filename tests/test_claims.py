"""`symcnn check`: claims files, right and wrong, and malformed ones."""

import json

import pytest
from conftest import ROOT

ARTICLE = ROOT / "tests" / "fixtures" / "article_claims.yaml"


def test_article_claims_flag_conv5_only(run_cli):
    # The article's summary says Conv-5 gives 27x27x256; conv5 (3x3 kernels, stride 1,
    # padding 1) on 13x13x384 gives (13 - 3 + 2*1)/1 + 1 = 13, so 13x13x256. Every other
    # number it states is right.
    status, out, err = run_cli("check", str(ARTICLE))
    assert status == 1 and err == ""
    wrong = [line for line in out.splitlines() if "WRONG" in line]
    assert wrong == ["  WRONG  conv5 output (line 11): claimed 27x27x256, derived 13x13x256"]
    assert "O = (I - K + 2*P)/S + 1 = (13 - 3 + 2*1)/1 + 1 = 13" in out
    assert "27 claims, 26 right, 1 wrong" in out


def test_article_claims_json(run_cli):
    status, out, _ = run_cli("check", str(ARTICLE), "--json")
    data = json.loads(out)
    assert status == 1
    assert data["wrong"] == 1 and data["right"] == 26
    (bad,) = [c for c in data["claims"] if not c["ok"]]
    assert (bad["layer"], bad["field"], bad["claimed"], bad["derived"]) == ("conv5", "output", "27x27x256", "13x13x256")


def write(tmp_path, body: str):
    path = tmp_path / "claims.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_all_right_exits_0(run_cli, tmp_path):
    # 34,848 + 96 = 34,944 (conv1 params); 94,848 would be the article's misprint.
    path = write(tmp_path, "network: alexnet\nclaims:\n  conv1: {params: '34,944'}\n  total_params: 62378344\n")
    status, out, _ = run_cli("check", path)
    assert status == 0 and "2 claims, 2 right, 0 wrong" in out


def test_wrong_weights_and_total_show_the_derivation(run_cli, tmp_path):
    path = write(tmp_path, "network: alexnet\nclaims:\n  conv1: {params: 94848}\n  conv_params: 3747201\n")
    status, out, _ = run_cli("check", path)
    assert status == 1
    assert "conv1 params (line 3): claimed 94,848, derived 34,944" in out
    assert "P_c = W_c + B_c = 34,848 + 96 = 34,944" in out
    # 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 = 3,747,200 (the article's conv total)
    assert "= 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 = 3,747,200" in out


def test_input_and_rounding_change_the_derivation(run_cli, tmp_path):
    # At 224 with floor rounding conv1 gives floor((224 - 11)/4) + 1 = 54.
    path = write(tmp_path, "network: alexnet\ninput: [224, 224, 3]\nrounding: floor\nclaims:\n"
                           "  conv1: {output: 54x54x96}\n")
    status, out, _ = run_cli("check", path)
    assert status == 0, out


MALFORMED = [
    pytest.param("claims: {}\n", "missing field 'network'", id="no-network"),
    pytest.param("network: alexnet\nclaims:\n  conv9: {output: [1, 1, 1]}\n",
                 "line 3: claims.conv9: no layer named 'conv9' in alexnet", id="unknown-layer"),
    pytest.param("network: alexnet\nclaims:\n  conv1: {wieghts: 1}\n",
                 "line 3: claims.conv1.wieghts: unknown claim", id="unknown-field"),
    pytest.param("network: alexnet\nclaims:\n  conv1:\n    params: 3.5\n",
                 "line 4: claims.conv1.params: expected a whole number", id="not-a-number"),
    pytest.param("network: alexnet\nclaims:\n  conv1: {output: [55, x, 96]}\n",
                 "claims.conv1.output: expected a whole number", id="bad-size"),
    pytest.param("network: alexnet\nclaims: [1, 2\n", "line 3: not valid YAML", id="bad-yaml"),
    pytest.param("network: nosuchnet\nclaims:\n  total_params: 1\n", "unknown network 'nosuchnet'", id="unknown-net"),
    pytest.param("network: alexnet\nextra: 1\nclaims:\n  total_params: 1\n", "line 2: extra: unknown field",
                 id="extra-top-field"),
    pytest.param("network: alexnet\ninput: 22x\nclaims:\n  total_params: 1\n", "expected sizes such as 227x227x3",
                 id="bad-input"),
    pytest.param("- just\n- a list\n", "expected a mapping with 'network' and 'claims'", id="not-a-mapping"),
]


@pytest.mark.parametrize("body, message", MALFORMED)
def test_malformed_claims_exit_2(run_cli, tmp_path, body, message):
    path = write(tmp_path, body)
    status, out, err = run_cli("check", path)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert path in err


def test_missing_file(run_cli, tmp_path):
    status, _, err = run_cli("check", str(tmp_path / "nope.yaml"))
    assert status == 2 and "cannot read the file" in err and err.count("\n") == 1


def test_check_doc_command_on_the_article_fixture(run_cli):
    # The article's one arithmetic slip: 94,848 + 96 is 94,944, not the 34,944 it writes
    # (the weights are 34,848).
    status, out, err = run_cli("check-doc", str(ROOT / "tests" / "fixtures" / "article_math.md"), "--json")
    assert status == 1 and err == ""
    data = json.loads(out)
    assert [(w["text"], w["left"], w["right"]) for w in data["wrong"]] == [
        ("P_{c}=94,848+96=34,944", "94,944", "34,944")
    ]
    assert data["checked"] > 0


def test_check_doc_command_bad_file(run_cli, tmp_path):
    status, out, err = run_cli("check-doc", str(tmp_path / "missing.md"))
    assert status == 2 and out == "" and err.count("\n") == 1 and "cannot read the document" in err


def test_claims_on_a_symbolic_network_are_undecided_not_wrong(run_cli, tmp_path):
    # examples/small.yaml keeps its width N symbolic: conv1 (3x3 kernels over 3 channels, N
    # of them) has 3*3*3*N + N = 28N parameters, so "28" can be neither confirmed nor
    # refuted; pool1 (2x2, stride 2) makes 32 into (32 - 2)//2 + 1 = 16, so 15x16x16 is
    # wrong whatever N is.
    # a claims file names a spec beside it (never an absolute path: docs/security.md)
    spec = "small.yaml"
    (tmp_path / spec).write_text((ROOT / "examples" / "small.yaml").read_text())
    path = write(tmp_path, f"network: {spec}\nclaims:\n  conv1: {{params: 28, output: [32, 32, 16]}}\n"
                           "  pool1: {output: [15, 16, 16]}\n")
    status, out, _ = run_cli("check", path)
    assert status == 1
    assert "3 claims, 0 right, 1 wrong, 2 undecided" in out
    assert "?      conv1 params: claimed 28, derived 28*N" in out
    assert "WRONG  pool1 output (line 4): claimed 15x16x16, derived 16x16xN" in out
    status, out, _ = run_cli("check", write(tmp_path, f"network: {spec}\nclaims:\n  conv1: {{params: 28}}\n"))
    assert status == 1 and "0 wrong, 1 undecided" in out
