"""The wheel built from this repository works on its own, from any folder."""

import os
import re
import shlex
import subprocess
from pathlib import Path


def test_summary_from_another_folder(installed, tmp_path):
    done = subprocess.run(
        [str(installed / "symcnn"), "summary", "alexnet"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "total params  62,378,344" in done.stdout  # the article's total
    done = subprocess.run(
        [str(installed / "python"), "-m", "symcnn", "summary", "alexnet", "--json"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert '"total_params": 62378344' in done.stdout


def test_zoo_ships_in_the_wheel(installed, tmp_path):
    # the zoo's spec files are package data: torchvision's ResNet-18 total, 11,689,512
    done = subprocess.run(
        [str(installed / "symcnn"), "summary", "resnet18", "--json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert '"total_params": 11689512' in done.stdout


#: The environment of a user of the wheel: no PYTHONPATH pointing into a checkout.
CLEAN = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _help_examples(installed, cwd) -> list[str]:
    from test_examples import help_examples

    top = subprocess.run([str(installed / "symcnn"), "--help"], cwd=cwd, capture_output=True, text=True,
                         env=CLEAN).stdout
    listed = top.split("positional arguments:")[1].split("options:")[0]
    commands = re.findall(r"^ {4}([a-z][\w-]*)", listed, flags=re.M)
    texts = [top] + [subprocess.run([str(installed / "symcnn"), c, "--help"], cwd=cwd, capture_output=True,
                                    text=True, env=CLEAN).stdout for c in commands]
    return [line for text in texts for line in help_examples(text)]


#: What an example needs that the bare wheel does not install (torch, onnx, matplotlib, TeX).
NEEDS_MORE = ("torchvision", "model.onnx", ".png", "--pdf")


def test_every_help_example_runs_from_the_wheel_outside_the_repository(installed, tmp_path):
    from test_examples import named_files

    done = subprocess.run([str(installed / "symcnn"), "examples"], cwd=tmp_path, capture_output=True, text=True,
                          env=CLEAN)
    assert done.returncode == 0, done.stderr
    where = "from symcnn.commands.examples import source; print(source())"
    done = subprocess.run([str(installed / "python"), "-c", where], cwd=tmp_path, capture_output=True, text=True,
                          env=CLEAN, check=True)
    assert Path(done.stdout.strip()).parts[-2:] == ("symcnn", "examples")  # the wheel's own copy
    examples = _help_examples(installed, tmp_path)
    assert len(examples) >= 20
    for line in examples:
        for name in named_files(line):
            assert (tmp_path / name).is_file(), f"{line}: {name} is not there after 'symcnn examples'"
        if any(need in line for need in NEEDS_MORE):
            continue
        words = shlex.split(line.split(" #")[0])
        done = subprocess.run([str(installed / "symcnn"), *words[1:]], cwd=tmp_path, capture_output=True, text=True,
                              env=CLEAN)
        # 1: a check found the mistakes the example documents hold
        assert done.returncode in (0, 1), f"{line}: {done.stderr}"
        assert done.returncode == 0 or words[1] in ("check", "check-doc"), line


def test_symcnn_alone_prints_the_help_from_the_wheel(installed, tmp_path):
    done = subprocess.run([str(installed / "symcnn")], cwd=tmp_path, capture_output=True, text=True, env=CLEAN)
    assert done.returncode == 0 and done.stdout.startswith("usage: symcnn") and "examples" in done.stdout
