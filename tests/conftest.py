"""Shared test helpers.

``require`` is imported by test modules (``from conftest import require``): pytest
puts this folder on ``sys.path`` because ``tests/`` is not a package.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


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
        pytest.fail(
            f"{module_name} is required under CI but cannot be imported: {error}", pytrace=False
        )
    pytest.skip(f"{module_name} is not installed ({error})", allow_module_level=True)
