"""A user's own model file, named on the command line as ``module:callable`` from its folder or as
``path/to/file.py:callable``; the options commands share; what goes wrong said in one line.

Expected figures come from PyTorch (parameters, forward-hook shapes) or are worked out by hand here.
"""

import json
import sys
import textwrap

import pytest
from conftest import require

torch = require("torch")

MODEL = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 16, 3, padding=1)
            self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
            self.fc = nn.Linear(32, 10)

        def forward(self, x):
            x = self.c2(torch.relu(self.c1(x)))
            return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


    def needs_size(size):
        return Net()


    def gives_int():
        return 5


    def fails():
        raise RuntimeError("no weights here\\nsecond line")


    not_callable = 3
""")
# By hand: c1 3*3*3*16 + 16 = 448; c2 3*3*16*32 + 32 = 4,640; fc 32*10 + 10 = 330.
NET_PARAMS = 448 + 4640 + 330


@pytest.fixture
def user_folder(tmp_path, monkeypatch):
    """A folder holding mymodel.py, made the current one, with the current folder off ``sys.path``
    (as for the ``symcnn`` console script, whose ``sys.path`` starts with its own folder)."""
    (tmp_path / "mymodel.py").write_text(MODEL)
    (tmp_path / "broken.py").write_text("x = 1 / 0\n")
    (tmp_path / "imports_missing.py").write_text("import no_such_package_here\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", ".", str(tmp_path))])
    for name in ("mymodel", "broken", "imports_missing"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return tmp_path


@pytest.mark.parametrize("source", ["mymodel:Net", "mymodel.py:Net", "./mymodel.py:Net"])
def test_a_model_in_the_current_folder(run_cli, user_folder, source):
    status, out, err = run_cli("summary", source, "--input", "64x64x3", "--json")
    assert status == 0, err
    d = json.loads(out)
    assert d["total_params"] == NET_PARAMS
    assert [layer["output"] for layer in d["layers"] if layer["name"] in ("c1", "c2")] == [[64, 64, 16], [32, 32, 32]]
    assert str(user_folder) not in sys.path  # the folder was on the path for the import only


def test_a_model_file_given_by_its_path_from_elsewhere(run_cli, user_folder, tmp_path_factory, monkeypatch):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    status, out, err = run_cli("summary", str(user_folder / "mymodel.py") + ":Net", "--json")
    assert status == 0, err
    assert json.loads(out)["total_params"] == NET_PARAMS


@pytest.mark.parametrize("source, words", [
    ("nomodule:Net", "cannot import nomodule: ModuleNotFoundError: No module named 'nomodule' (looked in the "
                     "current folder"),
    ("imports_missing:Net", "cannot import imports_missing: ModuleNotFoundError: No module named "
                            "'no_such_package_here'"),
    ("broken:Net", "importing broken failed: ZeroDivisionError: division by zero"),
    ("missing.py:Net", "no such file: missing.py"),
    ("mymodel:Nope", "mymodel has no Nope"),
    ("mymodel:needs_size", "needs_size() needs arguments (missing a required argument: 'size'); give a function "
                           "that builds the model with none"),
    ("torch.nn:Conv2d", "Conv2d() needs arguments"),
    ("mymodel:not_callable", "mymodel.not_callable is not a class or function that builds a model (it is of "
                             "type int)"),
    ("mymodel:gives_int", "gives_int() gives int, not a torch.nn.Module"),
    ("mymodel:fails", "calling fails() failed: RuntimeError: no weights here"),
], ids=["no-module", "module-imports-missing", "module-raises", "no-file", "no-attribute", "needs-arguments",
        "class-needs-arguments", "not-callable", "not-a-module", "constructor-raises"])
def test_what_goes_wrong_is_one_line(run_cli, user_folder, source, words):
    status, out, err = run_cli("summary", source)
    assert status == 2 and out == ""
    assert err.startswith(f"symcnn: error: {source}: ") and words in err and err.count("\n") == 1, err


def test_derive_takes_input_strict_and_the_import_size(run_cli, user_folder):
    # the values at I: c1 keeps I, c2 halves it (pad 1, stride 2: floor((I - 1)/2) + 1)
    status, out, err = run_cli("derive", "mymodel:Net", "--input", "40x40x3", "--json")
    assert status == 0, err
    d = json.loads(out)
    assert d["input"] == [40, 40, 3] and d["at_input"]["params"] == NET_PARAMS
    # MACs by hand at 40: c1 40*40*27*16, c2 20*20*144*32, fc 32*10
    assert d["at_input"]["macs"] == 40 * 40 * 27 * 16 + 20 * 20 * 144 * 32 + 320
    status, out, _ = run_cli("derive", "lenet5", "--input", "36x36x1", "--json")
    assert status == 0 and json.loads(out)["input"] == [36, 36, 1]


@pytest.mark.parametrize("command", ["summary", "derive", "report", "plot", "import"])
def test_commands_that_name_a_network_share_input_and_strict(command):
    from symcnn.commands import parser

    sub = parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    flags = {option for action in sub._actions for option in action.option_strings}
    assert {"--input", "--strict"} <= flags
    if command != "import":
        assert "--rounding" in flags
