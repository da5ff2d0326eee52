"""Shared test helpers."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = bool(os.environ.get("CI"))


def require(module: str):
    """Import an optional test component; under CI its absence is a failure, not a skip."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        if IN_CI:
            pytest.fail(f"CI is set but {module!r} is not installed: {e}")
        pytest.skip(f"{module} is not installed")


def require_program(name: str) -> str:
    """The path of an external program; under CI its absence is a failure, not a skip."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"CI is set but the program {name!r} is not on PATH")
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
