"""The ``require`` helper: skip locally, fail under CI."""

import pytest
from conftest import require

MISSING = "symcnn_no_such_module_for_tests"


def test_returns_the_module():
    assert require("math").sqrt(4) == 2


def test_missing_module_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require(MISSING)


def test_missing_module_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=MISSING):
        require(MISSING)


def test_the_suite_is_collected_without_torch_under_ci(tmp_path):
    """Under CI without torch, torchvision, onnx and onnxscript, every test module is still
    collected (each test that needs them then fails alone): a module that imports one at its
    top other than through ``require`` would stop the whole run."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    # sitecustomize runs at start-up: it makes the optional packages unimportable in the child
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Hidden:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] in {'torch', 'torchvision', 'onnx', 'onnxscript'}:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r} (hidden)')\n"
        "sys.meta_path.insert(0, _Hidden())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "CI": "1", "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0", "tests"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " error" not in result.stdout.splitlines()[-1]
    # and torch really was hidden: the modules that need it are collected with their tests marked
    check = subprocess.run([sys.executable, "-c", "import torch"], env=env, capture_output=True, text=True)
    assert check.returncode != 0 and "hidden" in check.stderr
