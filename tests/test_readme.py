"""The README says what is true: its Python examples run as pasted and print what it shows,
and its reference sections name every layer kind, field and claim there is."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from symcnn.builders.spec import _fields
from symcnn.layers import LAYER_TYPES
from symcnn.views.claims import LAYER_FIELDS, TOP_FIELDS, TOTALS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(README)]


def examples() -> list[tuple[str, str | None]]:
    """Each Python block and the ``text`` block that follows it (what it prints), if any."""
    found = blocks()
    return [(code, found[i + 1][1] if i + 1 < len(found) and found[i + 1][0] == "text" else None)
            for i, (kind, code) in enumerate(found) if kind == "python"]


def test_the_examples_are_plain_python():
    assert examples(), "no Python example found"
    for code, _ in examples():
        assert ">>>" not in code and "..." not in code.replace('"..."', ""), "a transcript cannot be pasted"


def test_every_example_prints_what_the_readme_shows(monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    # Each example shown with its output (a ``text`` block after it) runs, in order: later examples
    # use the names of earlier ones. (A sketch without output, such as one that needs a model
    # file of the reader's, is not run.)
    for code, shown in examples():
        if shown is None:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), namespace)
        assert out.getvalue() == shown, f"the README shows:\n{shown}\nthe code prints:\n{out.getvalue()}"


def _section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n#", start + len(title))
    return README[start:end]


def test_the_spec_reference_names_every_kind_and_field():
    table = _section("### Spec file reference")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    for kind, cls in LAYER_TYPES.items():
        [row] = [r for r in rows if f"`{kind}`" in r.split("|")[1]] or [None]
        assert row is not None, f"kind {kind} is missing from the README's spec reference"
        for field in _fields(cls):
            assert f"`{field}`" in row, f"field {field} of kind {kind} is missing from the README's spec reference"


def test_the_claims_reference_names_every_key():
    table = _section("### Claims file reference")
    for key in (*TOP_FIELDS, *LAYER_FIELDS, *TOTALS):
        assert f"`{key}`" in table, f"{key} is missing from the README's claims reference"


@pytest.mark.parametrize("command", ["pip install . && symcnn report alexnet",
                                     "pip install '.[test]' && python -m pytest"])
def test_the_two_set_up_commands_are_shown(command):
    assert ("sh", command + "\n") in blocks()
