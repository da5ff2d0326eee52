"""The wheel built from this repository works on its own, from any folder."""

import subprocess


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
