"""The command line: output, JSON contracts, and one clear line for every bad input."""

import json

import pytest


def test_summary_table(run_cli):
    status, out, err = run_cli("summary", "alexnet")
    assert status == 0 and err == ""
    assert "conv5  conv  13x13x256" in out
    assert "884,992" in out and "37,752,832" in out
    assert "conv params   3,747,200" in out
    assert out.rstrip().endswith("total params  62,378,344")


def test_summary_json_contract(run_cli):
    status, out, _ = run_cli("summary", "alexnet", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["network"] == "alexnet"
    assert data["input"] == [227, 227, 3]
    assert data["rounding"] == "exact"
    assert data["layers"][0] == {
        "name": "conv1", "type": "conv", "output": [55, 55, 96], "weights": 34848, "biases": 96, "params": 34944,
    }
    assert data["layers"][7]["output"] == [6, 6, 256] and data["layers"][7]["params"] == 0
    assert data["layers"][-1]["output"] == [1000]
    assert data["total_params"] == 62378344
    assert sum(l["params"] for l in data["layers"]) == data["total_params"]


def test_summary_other_input_floor(run_cli):
    # 224 in floor mode: conv1 floor((224 - 11)/4) + 1 = 54, pool1 floor((54 - 3)/2) + 1 = 26,
    # conv2 26, pool2 floor(23/2) + 1 = 12, conv3-5 12, pool3 floor(9/2) + 1 = 5; so fc1 sees
    # 5x5x256: 5*5*256*4096 + 4096 = 26,218,496 and the total is 3,747,200 + 26,218,496 + 16,781,312
    # + 4,097,000 = 50,844,008.
    status, out, _ = run_cli("summary", "alexnet", "--input", "224x224x3", "--rounding", "floor", "--json")
    data = json.loads(out)
    assert [l["output"] for l in data["layers"] if l["name"] in ("conv1", "pool3")] == [[54, 54, 96], [5, 5, 256]]
    assert data["layers"][8]["params"] == 5 * 5 * 256 * 4096 + 4096
    assert data["total_params"] == 3_747_200 + 26_218_496 + 16_781_312 + 4_097_000 == 50_844_008


def test_formula_outputs(run_cli):
    status, out, _ = run_cli("formula", "conv-output")
    assert status == 0 and out.startswith("O = (I - K + 2*P)/S + 1")
    status, out, _ = run_cli("formula", "conv-params", "--latex")
    assert out.splitlines() == [r"W_{c} = K^{2} \times C \times N", "B_{c} = N", "P_{c} = W_{c} + B_{c}"]
    status, out, _ = run_cli("formula", "fc-fc-params", "--json")
    data = json.loads(out)
    assert set(data) >= {"name", "equation", "latex"}
    assert data["equation"] == "Eq(P_ff, F*F_prev + F)"
    assert "F_{-1}" in data["latex"]
    status, out, _ = run_cli("formula", "conv-output", "--rounding", "floor")
    assert out.startswith("O = floor((I - K + 2*P)/S) + 1")
    status, out, _ = run_cli("formula", "--list")
    names = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names[:2] == ["conv-output", "pool-output"]
    assert {"conv-params", "fc-conv-params", "fc-fc-params"} <= set(names)


def test_list(run_cli):
    status, out, _ = run_cli("list")
    assert status == 0 and out.startswith("alexnet")


BAD = [
    pytest.param(["summary", "vgg99"], "unknown network 'vgg99'", id="unknown-network"),
    pytest.param(["summary", "alexnet", "--input", "227x227x"], "--input: expected sizes such as 227x227x3",
                 id="malformed-input"),
    pytest.param(["summary", "alexnet", "--input", "0x227x3"], "--input: sizes must be at least 1",
                 id="zero-input"),
    pytest.param(["summary", "alexnet", "--input=-5x227x3"], "--input: expected sizes", id="negative-input"),
    pytest.param(["summary", "alexnet", "--input", "224x224x3"],
                 "conv1 (input 224x224x3): output height (224 - 11 + 2*0)/4 + 1 = 54.25 is not whole",
                 id="exact-division"),
    pytest.param(["summary", "alexnet", "--input", "7x7x3", "--rounding", "floor"],
                 "conv1 (input 7x7x3): kernel 11 is larger than the padded input 7", id="kernel-too-large"),
    pytest.param(["summary", "alexnet", "--rounding", "round"], "invalid choice: 'round'", id="unknown-rounding"),
    pytest.param(["formula", "conv"], "unknown formula 'conv'", id="unknown-formula"),
    pytest.param(["formula"], "give a formula NAME or --list", id="formula-without-name"),
    pytest.param(["formula", "--list", "conv-output"], "--list lists every formula as text", id="list-and-name"),
    pytest.param(["formula", "--list", "--json"], "give it no NAME, --latex or --json", id="list-and-json"),
    pytest.param(["frobnicate"], "invalid choice: 'frobnicate'", id="unknown-command"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_bad_input_is_one_line(run_cli, argv, message):
    status, out, err = run_cli(*argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("symcnn: error: ")
    assert message in err
    assert "Traceback" not in err


def test_a_model_named_without_torch_says_how_to_install_it(run_cli, monkeypatch):
    """Without torch, naming a PyTorch model says what to install, and that PyPI's torch is the CUDA
    build (docs/install.md measures it: about 5.3 GB), pointing to the CPU build's command."""
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError, as where it is missing
    status, out, err = run_cli("summary", "torchvision.models:resnet18")
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert "pip install torch torchvision" in err and "CUDA build" in err and "docs/install.md#pytorch" in err
    assert "symcnn[torch]" not in err

