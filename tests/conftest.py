"""Shared test helpers.

``require``, ``require_program`` and ``require_file`` are imported by test modules (``from
conftest import require``): pytest puts this folder on ``sys.path`` because ``tests/`` is
not a package.

A test that needs something beyond Python packages (torch, TeX, KaTeX, the seed article)
is skipped where it is missing, and fails where ``CI`` is set: CI is where the reference
tests must really run, and a skip there would let them silently stop running. Either way
a missing one never stops the collection of the rest: a module that calls ``require`` at
its top is still collected under CI, and each of its tests fails with one line saying what
is missing.
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
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The reference models import torch at the top and hold no doctests: the tests that use
# them import them through require("torch_zoo"), so the suite runs without torch.
collect_ignore = ["torch_zoo.py", "torch_families.py", "tools.py"]
IN_CI = bool(os.environ.get("CI"))
# An analysis stops at a wall-clock budget (20 s by default): on a machine busy with other work a
# large one could run past it and print the layers derived so far. The tests give every analysis
# that does not ask for its own budget ten minutes, so what they compare does not depend on the
# machine's load (the tests of the budget itself pass theirs).
os.environ.setdefault("SYMCNN_BUDGET", "600")


def pytest_configure(config):
    config.addinivalue_line("markers", "missing(what, why): a requirement missing under CI; the test fails")


#: The test files that take minutes, marked ``slow`` as groups (``python -m pytest -m "not slow"``
#: runs the rest): PyTorch and ONNX comparisons, the browser, fresh virtual environments, the
#: bad-input and fuzz catalogues (a process per case), the check-doc corpora, the committed reports.
SLOW_FILES = ("test_torch_", "test_onnx_", "test_user_models", "test_import_cli", "test_merge_conditions",
              "test_html", "test_wheel", "test_bad_inputs", "test_fuzz_inputs", "test_checkdoc_corpus",
              "test_report_files", "test_transformers")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name.startswith(SLOW_FILES):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # before the test's fixtures, which may use what is missing
    for mark in item.iter_markers("missing"):
        pytest.fail(f"{mark.args[0]} is required under CI but {mark.args[1]}", pytrace=False)


def _missing(what: str, why: str) -> None:
    """Skip, or under CI fail, for a missing requirement; called at a module's top under CI,
    mark every test of that module to fail instead, so that the rest is still collected."""
    if not os.environ.get("CI"):
        pytest.skip(f"{what}: {why}", allow_module_level=True)
    caller = sys._getframe(2)
    if caller.f_code.co_name != "<module>":
        pytest.fail(f"{what} is required under CI but {why}", pytrace=False)
    marks = caller.f_globals.get("pytestmark", [])
    caller.f_globals["pytestmark"] = [*(marks if isinstance(marks, list) else [marks]),
                                      pytest.mark.missing(what, why)]


class Missing:
    """What ``require`` gives under CI for a module that cannot be imported: anything done
    with it at a module's top (``nn = torch.nn``, ``class M(torch.nn.Module)``) gives
    another stand-in, so the module is collected and its tests fail one by one."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, name: str) -> Missing:
        return Missing(f"{self._name}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Missing:
        return self

    def __getitem__(self, key: Any) -> Missing:
        return self

    def __iter__(self):
        return iter((self,))  # one stand-in: a parametrize over it makes one (failing) test, not an empty set

    def __mro_entries__(self, bases: tuple) -> tuple:
        return (object,)

    def __repr__(self) -> str:
        return f"<missing {self._name}>"


def require(module_name: str) -> ModuleType:
    """Import an optional test dependency; without it, skip the calling test module (under
    CI: fail each of its tests, see the module's docstring)."""
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        error = exc
    # Outside the except block, so the report is one line rather than a chained traceback.
    _missing(module_name, f"cannot be imported: {error}")
    return Missing(module_name)  # type: ignore[return-value]


def require_program(name: str) -> str:
    """The path of an external program; under CI its absence is a failure, not a skip."""
    path = shutil.which(name)
    if path is None:
        _missing(name, "is not on PATH")
        return name
    return path


#: The source article is not part of the repository: it lies in the project's shared folder
#: beside the checkout (or above a worktree), beside the repository a clone was made from (a
#: clean clone for CI may lie anywhere), or where SYMCNN_SEED_ARTICLE says.
SEED_NAME = "000_bed8f733b6fe585c.txt"


def _origin() -> list[Path]:
    """The folder of the local repository this checkout was cloned from, and the folders above it."""
    try:
        url = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True,
                             text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return []
    path = Path(url.removeprefix("file://"))
    return [path, *path.parents] if path.is_absolute() and path.is_dir() else []


_SEEDS = [p / "shared" / "seeds" / SEED_NAME for p in [*ROOT.parents, *_origin()]]
SEED = Path(os.environ.get("SYMCNN_SEED_ARTICLE") or next((p for p in _SEEDS if p.is_file()), _SEEDS[0]))


@pytest.fixture
def seed() -> Path:
    """The source article's text (fails under CI where it is missing, else skips)."""
    return require_file(SEED, "the seed article", "set SYMCNN_SEED_ARTICLE to its path")


def require_file(path: Path, what: str, hint: str) -> Path:
    """A file the tests read that is not in the repository; ``hint`` says how to get it."""
    if not path.is_file():
        _missing(what, f"is not at {path} ({hint})")
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


def notebook(value, mime: str) -> str:
    """What Jupyter shows of ``value`` as ``mime`` (``text/markdown``, ``text/latex``): IPython's
    own formatters, with symcnn's display registered as the package does where IPython runs."""
    require("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    import symcnn

    shell = InteractiveShell.instance()
    symcnn._notebook_display()
    data, _ = shell.display_formatter.format(value, include=[mime])
    return data[mime]
