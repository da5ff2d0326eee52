"""The documentation site (docs/, built by MkDocs) says what is true: every example on every
page runs and prints what the page shows, every page is reachable, and the references name every
layer kind, field and claim there is. A page added to docs/ is picked up without an edit here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from page_examples import Block, blocks, console_commands, python_examples, run_console, run_pycon, run_python

from symcnn.builders.spec import _fields
from symcnn.layers import LAYER_TYPES
from symcnn.views.claims import LAYER_FIELDS, TOP_FIELDS, TOTALS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: every page of the site; docs/examples/ holds the files the examples read (not pages)
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "examples" not in p.parts)


def _text(page: str) -> str:
    return (DOCS / page).read_text(encoding="utf-8")


def _runnable(kind: str) -> list:
    return [pytest.param(page, block, id=f"{page}:{block.line}")
            for page in PAGES for block in blocks(_text(page)) if block.kind == kind]


@pytest.mark.parametrize("page", [p for p in PAGES if any(shown for _, shown in python_examples(_text(p)))])
def test_python_examples_print_what_the_page_shows(page, monkeypatch):
    monkeypatch.chdir(ROOT)
    run_python(_text(page), f"docs/{page}")


@pytest.mark.parametrize("page, block", _runnable("pycon"))
def test_pycon_sessions(page: str, block: Block, monkeypatch):
    monkeypatch.chdir(ROOT)
    run_pycon(block, f"docs/{page}")


def _names_a_model(block: Block) -> bool:
    """Whether a console block runs a PyTorch model (``file.py:callable``, ``torchvision.models:...``)."""
    return any(".py:" in command or "torchvision." in command for command, _ in console_commands(block))


@pytest.mark.parametrize("page, block", _runnable("console"))
def test_console_examples_print_what_the_page_shows(page: str, block: Block, monkeypatch):
    from conftest import require

    from symcnn.commands import cli

    if _names_a_model(block):
        require("torch")
    monkeypatch.chdir(ROOT)
    for variable in ("SYMCNN_MAX_LAYERS", "COLUMNS"):
        monkeypatch.delenv(variable, raising=False)
    run_console(block, f"docs/{page}", cli)


def test_every_transcript_is_a_block_that_runs():
    """A ``$ symcnn ...`` transcript in a block without a tag would be shown and never run: it is a
    ``console`` block (run above), or, where it needs a file the repository does not hold (an ONNX
    export of the reader's), a ``text`` block: shown as output, by choice."""
    untagged = [f"docs/{page}:{b.line}" for page in PAGES for b in blocks(_text(page))
                if b.kind in ("", "sh") and any(line.startswith("$ symcnn ") for line in b.code.splitlines())]
    assert untagged == [], untagged


def test_every_page_is_in_the_site():
    """The navigation is docs/.pages (awesome-pages): the pages it orders, then `...`, every other
    page of docs/ in name order; a page can only be left out by naming it there."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert "awesome-pages" in [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    order = yaml.safe_load((DOCS / ".pages").read_text())["nav"]
    assert "..." in order
    assert all(entry == "..." or entry in PAGES for entry in order if isinstance(entry, str)), order


def _section(page: str, title: str) -> str:
    text = _text(page)
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start:end]


def test_the_spec_reference_names_every_kind_and_field():
    table = _section("specs.md", "## Spec file reference")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    for kind, cls in LAYER_TYPES.items():
        [row] = [r for r in rows if f"`{kind}`" in r.split("|")[1]] or [None]
        assert row is not None, f"kind {kind} is missing from the spec reference"
        for field in _fields(cls):
            assert f"`{field}`" in row, f"field {field} of kind {kind} is missing from the spec reference"


def test_the_claims_reference_names_every_key():
    table = _section("checking.md", "## Claims file reference")
    for key in (*TOP_FIELDS, *LAYER_FIELDS, *TOTALS):
        assert f"`{key}`" in table, f"{key} is missing from the claims reference"
