"""What a new user meets first: ``load``'s keywords, ``display``, a mistyped option, a name that
cannot name a report file, a folder given as a network."""

from __future__ import annotations

import pytest
from conftest import require

import symcnn
from symcnn.builders.load import load

# AlexNet (the source article's) in floor rounding at 224x224x3, by hand:
#   conv1 floor((224 - 11 + 2*0)/4) + 1 = floor(53.25) + 1 = 54
#   pool1 floor((54 - 3)/2) + 1 = 26; conv2 (26 - 5 + 2*2)/1 + 1 = 26
#   pool2 floor((26 - 3)/2) + 1 = 12; conv3..conv5 (12 - 3 + 2*1)/1 + 1 = 12
#   pool3 floor((12 - 3)/2) + 1 = 5
#   fc1 = 5*5*256*4096 + 4096 = 26,214,400 + 4,096 = 26,218,496 (at 227: 6*6*256*4096 + 4096 = 37,752,832)
#   total = 62,378,344 - 37,752,832 + 26,218,496 = 50,844,008
ALEXNET_224_FLOOR = 62_378_344 - 37_752_832 + 26_218_496


def test_load_applies_the_rounding_it_is_given():
    net = load("alexnet", "224x224x3", rounding="floor")
    d = net.derive()
    assert d["conv1"].output.text() == "54x54x96"
    assert d["pool3"].output.text() == "5x5x256"
    assert d.total_params == ALEXNET_224_FLOOR == 50_844_008


def test_load_applies_the_rounding_to_a_spec():
    # tiny.yaml (floor): at 33x33x3 its 2x2 pooling reads (33 - 2)/2 + 1 = 16.5, not whole in exact rounding
    spec = "docs/examples/tiny.yaml"
    assert load(spec, "33x33x3").derive()["pool1"].output.text() == "16x16xN"
    with pytest.raises(symcnn.RoundingError, match="pool1"):
        load(spec, "34x34x3", rounding="exact").derive("33x33x3")


def test_display_takes_a_number_and_says_what_it_takes():
    a = symcnn.analyse(symcnn.load("alexnet"), "floor")
    assert symcnn.display(a.at(a.params, 227)) == "62378344"  # the article's total, a plain int
    assert symcnn.display(a.output_size(symcnn.I)) == "floor((I - 35)/32)"
    with pytest.raises(TypeError, match=r"not a Formula: print\(\) shows one"):
        symcnn.display(symcnn.conv_output)


@pytest.mark.parametrize(("argv", "closest", "help_of"), [
    pytest.param(("check-doc", "post.md", "--netwrk", "alexnet"), "--network", "symcnn check-doc", id="check-doc"),
    pytest.param(("summary", "alexnet", "--jsn"), "--json", "symcnn summary", id="summary"),
    pytest.param(("--debugg", "list"), "--debug", "symcnn list", id="top-level-option"),
])
def test_mistyped_option_names_the_closest_and_the_command_help(run_cli, argv, closest, help_of):
    status, out, err = run_cli(*argv)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert f"(did you mean '{closest}'?)" in err and f"(see '{help_of} --help')" in err


def test_extra_argument_names_the_command_help(run_cli):
    status, _, err = run_cli("summary", "alexnet", "resnet18")
    assert status == 2
    assert err == "symcnn: error: unrecognized arguments: resnet18 (see 'symcnn summary --help')\n"


def test_report_name_that_cannot_name_a_file_says_which_names_can(run_cli, tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text("name: réseau\ninput: 8x8x3\nlayers:\n  - {kind: conv, channels: 4, kernel: 3}\n",
                    encoding="utf-8")
    status, _, err = run_cli("report", str(spec), "--out", str(tmp_path / "out"))
    assert status == 2 and err.count("\n") == 1
    assert "ASCII letters, digits" in err and "such as 'reseau'" in err
    assert not (tmp_path / "out").exists()


def test_a_folder_given_as_a_network_is_called_a_folder(run_cli, tmp_path):
    status, _, err = run_cli("summary", str(tmp_path))
    assert status == 2 and "(that is a folder, but not a spec file" in err


def test_debug_after_the_command_is_taken(run_cli):
    # the line of an unexpected error says "run it again with --debug": appended, it is taken
    status, out, err = run_cli("summary", "lenet5", "--debug")
    assert status == 0 and err == ""
    assert "total params  61,706" in out  # LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706


def test_model_without_input_is_probed_as_it_is_imported_in_eval_mode():
    # a batch norm after global pooling (a squeeze-excitation block's, as in timm's rexnet_100) refuses
    # one value a channel in training: probed in training, no size ran and the import asked for --input
    torch = require("torch")
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.BatchNorm2d(8),
                          nn.Flatten(), nn.Linear(8, 10))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        model(torch.zeros(1, 3, 224, 224))  # what training mode does at batch 1
    net = symcnn.from_torch(model)
    assert net.input.text() == "224x224x3" and model.training
    assert net.derive().total_params == sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("argv", [
    pytest.param(("memory", "lenet5", "--batch", "0"), id="memory"),
    pytest.param(("plot", "lenet5", "--what", "memory", "--batch", "0", "--out", "m.svg"), id="plot"),
])
def test_batch_zero_is_refused_in_one_line(run_cli, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli(*argv)
    assert (status, out) == (2, "")
    assert err == "symcnn: error: --batch: a batch is a whole number from 1 to 10^9, got 0\n"
    assert not (tmp_path / "m.svg").exists()


@pytest.mark.parametrize(("name", "text", "said"), [
    pytest.param("c.yaml", "network: lenet5\nclaims:\n  features.0: {outptu: 28x28x6}\n",
                 "claims.features.0.outptu: unknown claim (did you mean 'output'?)", id="claim-typo"),
    pytest.param("c.yaml", "netwrk: lenet5\nclaims: {}\n", "netwrk: unknown field (did you mean 'network'?)",
                 id="field-typo"),
    pytest.param("s.yaml", "input: 8x8x3\nlayers:\n  - {kind: relu}\n",
                 "this is a spec file, not a claims file: symcnn summary derives it", id="a-spec"),
    pytest.param("post.md", "# Post\n\nThe output: 28x28x6, so 2 + 2 = 5\n",
                 "(a claims file is YAML; symcnn check-doc checks a document)", id="a-document"),
])
def test_check_given_the_wrong_file_or_a_typo_says_what_to_do(run_cli, tmp_path, name, text, said):
    (tmp_path / name).write_text(text, encoding="utf-8")
    status, out, err = run_cli("check", str(tmp_path / name))
    assert (status, out) == (2, "") and err.count("\n") == 1
    assert said in err


@pytest.mark.parametrize(("command", "name", "text", "what"), [
    pytest.param("summary", "net.yaml", "input: 8x8x3\nlayers:\n  - {kind: relu}\n", "file", id="spec"),
    pytest.param("check-doc", "post.md", "2 + 2 = 5\n", "document", id="document"),
])
def test_utf16_file_says_to_save_it_as_utf8(run_cli, tmp_path, command, name, text, what):
    # Windows PowerShell 5's `>` writes UTF-16 with a byte-order mark
    (tmp_path / name).write_text(text, encoding="utf-16")
    assert (tmp_path / name).read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    status, out, err = run_cli(command, str(tmp_path / name))
    assert (status, out) == (2, "")
    assert err == (f"symcnn: error: {tmp_path / name}: cannot read the {what}: UTF-16 text (it starts with UTF-16's "
                   "byte-order mark), not UTF-8: save it as UTF-8\n")


def test_channels_first_input_gets_a_note(run_cli, tmp_path):
    # PyTorch writes C x H x W; symcnn reads 3x32x32 as 3 high, 32 wide, 32 channels: the conv then has
    # 3*3*32*16 + 16 = 4,624 parameters (not 3*3*3*16 + 16 = 448), and a note says how it was read
    spec = tmp_path / "net.yaml"
    spec.write_text("input: 3x32x32\nlayers:\n  - {kind: conv, channels: 16, kernel: 3}\n", encoding="utf-8")
    status, out, err = run_cli("summary", str(spec))
    assert status == 0 and "total params  4,624" in out
    assert err == ("symcnn: note: input 3x32x32 is read as H x W x C (height 3, width 32, 32 channels); PyTorch's "
                   "C x H x W 3x32x32 is 32x32x3 here\n")
    status, out, err = run_cli("summary", str(spec), "--input", "32x32x3")
    assert status == 0 and err == "" and "total params  448" in out


@pytest.mark.parametrize("budget", ["1e9", "0", "inf", "nan"])
def test_budget_out_of_range_says_the_range(run_cli, budget):
    status, _, err = run_cli("derive", "lenet5", "--budget", budget)
    assert status == 2
    assert f"argument --budget: a positive number of seconds below 10^9, got '{budget}'" in err


def test_budget_out_of_range_in_python_says_the_range():
    with pytest.raises(symcnn.SpecError, match=r"positive number of seconds below 10\^9, got 1000000000.0"):
        symcnn.analyse(symcnn.load("lenet5"), budget=1e9)


def test_channels_first_input_option_gets_the_note_in_the_error_line(run_cli):
    # LeNet-5 read at height 1: its 5x5 conv cannot fit (1 - 5 + 2*0)/1 + 1 = -3; the note says why
    status, _, err = run_cli("summary", "lenet5", "--input", "1x32x32")
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("symcnn: error: features.0 (input 1x32x32): kernel 5 is larger")
    assert err.endswith(" (note: input 1x32x32 is read as H x W x C (height 1, width 32, 32 channels); PyTorch's "
                        "C x H x W 1x32x32 is 32x32x1 here)\n")


def test_a_spec_whose_input_reads_as_channels_first_says_so(run_cli, tmp_path):
    """A spec written with PyTorch's C x H x W (3x32x32) fails its check on its first layer: the
    5x5 kernel does not fit a height of 3 ((3 - 5)/1 + 1 = -1). The one line says how the input
    was read, as it does for --input; a spec whose input is not the cause gets no note."""
    spec = tmp_path / "chw.yaml"
    spec.write_text("input: 3x32x32\nlayers:\n  - {name: c1, kind: conv, channels: 6, kernel: 5}\n")
    status, out, err = run_cli("summary", str(spec))
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert "layer c1 (input 3x32x32)" in err and "below 1" in err
    assert err.rstrip().endswith("(note: input 3x32x32 is read as H x W x C (height 3, width 32, 32 channels); "
                                 "PyTorch's C x H x W 3x32x32 is 32x32x3 here)")
    spec.write_text("input: 4x4x3\nlayers:\n  - {name: c1, kind: conv, channels: 6, kernel: 5}\n")
    status, out, err = run_cli("summary", str(spec))
    assert status == 2 and "kernel 5 is larger" in err and "note:" not in err


def test_a_batched_channels_first_input_gets_the_note(run_cli):
    # PyTorch's N x C x H x W 1x3x227x227 is read as a volume 1 deep, 3 high, 227 wide with 227
    # channels: AlexNet's first conv takes a 2-d map and refuses it; the note gives 227x227x3, at
    # which the same command derives AlexNet's 62,378,344 parameters (the source article's total)
    status, _, err = run_cli("summary", "alexnet", "--input", "1x3x227x227")
    assert status == 2 and err.count("\n") == 1
    assert err.endswith(" (note: input 1x3x227x227 is read as D x H x W x C (depth 1, height 3, width 227, 227 "
                        "channels); PyTorch's N x C x H x W 1x3x227x227 is 227x227x3 here, with no batch)\n")
    status, out, err = run_cli("summary", "alexnet", "--input", "227x227x3")
    assert status == 0 and err == "" and out.rstrip().endswith("total params  62,378,344")
