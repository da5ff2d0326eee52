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
