"""Every file the command line's help and the README name exists: the example files ship in
``examples/`` (and in the wheel, where ``symcnn examples`` copies them out; tests/test_wheel.py
runs the help's examples from an installed wheel in a folder outside the repository)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from symcnn.commands import COMMANDS, parser

ROOT = Path(__file__).resolve().parents[1]
#: What a named file ends with (an argument, not an output: what follows --out is made).
FILE = re.compile(r"^([\w./-]+\.(?:yaml|yml|md|tex|ipynb|html?|onnx|py|json))(?::\w+)?$")


def named_files(command: str) -> list[str]:
    """The files a ``symcnn ...`` command line reads (outputs after ``--out`` left out; a name in
    capitals, ``CLAIMS.yaml``, is a placeholder)."""
    words = shlex.split(command.split(" #")[0])
    found = []
    for before, word in zip(["", *words], words):
        m = FILE.match(word.strip("`'\"(),"))
        if m and before != "--out" and not Path(m.group(1)).stem.isupper():
            found.append(m.group(1))
    return found


def help_examples(help_text: str) -> list[str]:
    """The example command lines of a help text (under ``examples:``)."""
    _, _, tail = help_text.partition("\nexamples:\n")
    return [line.strip() for line in tail.splitlines() if line.strip().startswith("symcnn ")]


def every_help() -> list[str]:
    p = parser()
    texts = [p.format_help()]
    sub = next(a for a in p._actions if a.dest == "command")
    texts += [sub.choices[name].format_help() for name in sub.choices]
    return texts


def test_every_command_has_examples_in_its_help():
    examples = [line for text in every_help() for line in help_examples(text)]
    assert len(every_help()) == len(COMMANDS) + 1
    assert all(help_examples(text) for text in every_help())
    assert len(examples) >= 20


@pytest.mark.parametrize("line", [line for text in every_help() for line in help_examples(text)])
def test_every_file_the_help_names_is_an_example(line):
    for name in named_files(line):
        assert name.startswith("examples/"), f"{line}: {name} is not an example file"
        assert (ROOT / name).is_file(), f"{line}: {name} does not exist"


def test_every_file_the_readme_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"(?:^|`|\$ )(symcnn [^`\n]*)", text, flags=re.M)
    commands += [f"symcnn {m}" for m in re.findall(r"symcnn\.(?:load|from_onnx)\(\"([^\"]+)\"\)", text)]
    names = {name for command in commands for name in named_files(command)}
    assert names  # the README names some files (its check-doc example's document)
    missing = sorted(name for name in names if not (ROOT / name).exists())
    assert not missing


def test_the_model_onnx_is_what_its_script_writes():
    onnx = pytest.importorskip("onnx")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_model_onnx", ROOT / "examples" / "make_model_onnx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = onnx.load(str(ROOT / "examples" / "model.onnx"))
    assert shipped.SerializeToString() == module.model().SerializeToString()


def test_the_example_files_are_copied(run_cli, tmp_path):
    out = tmp_path / "here"
    status, printed, _ = run_cli("examples", "--out", str(out))
    assert status == 0
    shipped = sorted(p.name for p in (ROOT / "examples").iterdir() if p.is_file())
    assert sorted(p.name for p in out.iterdir()) == shipped
    assert all((out / n).read_bytes() == (ROOT / "examples" / n).read_bytes() for n in shipped)
    (out / "small.yaml").write_text("mine\n", encoding="utf-8")
    status, printed, _ = run_cli("examples", "--out", str(out))
    assert status == 0 and f"kept    {out / 'small.yaml'} (already there)" in printed
    assert (out / "small.yaml").read_text(encoding="utf-8") == "mine\n"  # a file there is never overwritten


def test_the_onnx_example_imports(run_cli):
    pytest.importorskip("onnx")
    status, out, _ = run_cli("summary", "examples/model.onnx", "--json")
    assert status == 0
    assert '"total_params": 224' in out  # by hand: 3*3*3*8 weights + 8 biases


def test_the_pytorch_example_imports(run_cli):
    from conftest import require

    torch = require("torch")
    import importlib.util

    spec = importlib.util.spec_from_file_location("mynet", ROOT / "examples" / "mynet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.Net()
    status, out, _ = run_cli("summary", "examples/mynet.py:Net", "--input", "64x64x3", "--json")
    assert status == 0
    assert f'"total_params": {sum(p.numel() for p in model.parameters())}' in out
    # PyTorch's output at 64x64: 10 maps of 64x64
    assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 10, 64, 64)
    assert '"output": [\n        64,\n        64,\n        10\n      ]' in out


def test_examples_into_a_file_or_an_unwritable_folder_is_one_line(run_cli, tmp_path):
    afile = tmp_path / "a.txt"
    afile.write_text("", encoding="utf-8")
    status, _, err = run_cli("examples", "--out", str(afile))
    assert status == 2 and err == f"symcnn: error: --out: {afile} is a file, not a folder\n"
    status, _, err = run_cli("examples", "--out", str(afile / "sub"))
    assert status == 2 and err.startswith("symcnn: error: --out: cannot write into ") and err.count("\n") == 1
