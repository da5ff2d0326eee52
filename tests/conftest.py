"""Shared test helpers.

``require`` and ``require_program`` are imported by test modules (``from conftest import
require``): pytest puts this folder on ``sys.path`` because ``tests/`` is not a package.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The reference models import torch at the top and hold no doctests: the tests that use
# them import them through require("torch"), so the suite runs without torch.
collect_ignore = ["torch_zoo.py", "torch_families.py"]
IN_CI = bool(os.environ.get("CI"))


def require(module_name: str) -> ModuleType:
    """Import an optional test dependency, or skip the calling test module without it.

    Under CI (the ``CI`` environment variable set to a non-empty value) a missing
    dependency fails instead: CI is where the reference tests must really run, and a
    skip there would let them silently stop running.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        error = exc
    # Outside the except block, so the report is one line rather than a chained traceback.
    if os.environ.get("CI"):
        pytest.fail(f"{module_name} is required under CI but cannot be imported: {error}", pytrace=False)
    pytest.skip(f"{module_name} is not installed ({error})", allow_module_level=True)


def require_program(name: str) -> str:
    """The path of an external program; under CI its absence is a failure, not a skip."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required under CI but is not on PATH", pytrace=False)
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture
def run_cli(capsys):
    """Run ``symcnn`` in-process: returns (exit status, stdout, stderr)."""
    from symcnn.__main__ import cli

    def run(*argv: str):
        status = cli(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


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
