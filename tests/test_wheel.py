"""The wheel built from this repository works on its own, from any folder."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel built from the repository installed in it."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(dist)],
        check=True, cwd=base,
    )
    (wheel,) = dist.glob("symcnn-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, cwd=base)
    return bin_dir


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
