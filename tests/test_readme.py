"""The README says what is true: its Python examples run as pasted and print what it shows, its
console example prints what it shows, its two set-up commands are shown word for word (and are
the ones .ci/run runs), and it stays short: the reference lives on the documentation site."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_examples import blocks, python_examples, run_console, run_python

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SET_UP = ["pip install . && symcnn report alexnet", "pip install '.[test]' && python -m pytest"]


def test_the_examples_are_plain_python():
    assert python_examples(README), "no Python example found"
    for block, _ in python_examples(README):
        assert ">>>" not in block.code and "..." not in block.code.replace('"..."', ""), "a transcript cannot be pasted"


def test_every_example_prints_what_the_readme_shows(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert all(shown is not None for _, shown in python_examples(README))
    run_python(README, "README.md")


def test_the_console_example_prints_what_the_readme_shows(monkeypatch):
    from symcnn.commands import cli

    monkeypatch.chdir(ROOT)
    consoles = [b for b in blocks(README) if b.kind == "console"]
    assert consoles
    for block in consoles:
        run_console(block, "README.md", cli)


@pytest.mark.parametrize("command", SET_UP)
def test_the_two_set_up_commands_are_shown(command):
    assert [b.code for b in blocks(README) if b.kind == "sh"].count(command + "\n") == 1


def test_ci_runs_the_readme_test_command_word_for_word():
    assert SET_UP[1] in (ROOT / ".ci" / "run").read_text().splitlines()


def test_the_readme_is_short_and_points_to_the_site():
    assert len(README.splitlines()) < 250
    for page in ("docs/getting-started.md", "docs/install.md", "docs/checking.md", "docs/api.md"):
        assert f"]({page}" in README and (ROOT / page).is_file(), page
