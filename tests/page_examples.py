"""The code examples of a Markdown page (the README, the pages of the documentation site), run
as a reader would run them, with the output compared to what the page shows.

- a ``python`` block followed by a ``text`` block: run in order in one namespace per page (later
  examples use the names of earlier ones); what it prints must be the ``text`` block;
- a ``pycon`` block: a doctest session;
- a ``console`` block: each ``$ symcnn ...`` (or ``$ python -m symcnn ...``) line is run
  (in-process, from the repository's root) and its output (stdout, then stderr) must be the
  lines under it; a line ``...`` stands for any number of lines. Other commands in a console
  block (``python benchmarks/...``: measured times) are shown, not run.

A ``python`` block without output (a sketch that needs a model file of the reader's) is not run;
neither are ``sh`` blocks (set-up commands, tested on their own).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^( *)(`{3,})(\w*)[^\n]*\n(.*?)^\1\2\n", re.S | re.M)


@dataclass(frozen=True)
class Block:
    kind: str
    code: str
    line: int


def blocks(text: str) -> list[Block]:
    """The fenced blocks of ``text`` (indented ones, in list items, dedented)."""
    return [Block(m.group(3), textwrap.dedent(m.group(4)), text.count("\n", 0, m.start()) + 1)
            for m in FENCE.finditer(text)]


def python_examples(text: str) -> list[tuple[Block, str | None]]:
    """Each Python block and the ``text`` block that follows it (what it prints), if any."""
    found = blocks(text)
    return [(b, found[i + 1].code if i + 1 < len(found) and found[i + 1].kind == "text" else None)
            for i, b in enumerate(found) if b.kind == "python"]


def run_python(text: str, name: str) -> None:
    namespace: dict = {}
    for block, shown in python_examples(text):
        if shown is None:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block.code, f"{name} line {block.line}", "exec"), namespace)
        assert out.getvalue() == shown, f"{name} line {block.line} shows:\n{shown}\nthe code prints:\n{out.getvalue()}"


def run_pycon(block: Block, name: str) -> None:
    test = doctest.DocTestParser().get_doctest(block.code, {}, f"{name} line {block.line}", name, block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


def console_commands(block: Block) -> list[tuple[str, list[str]]]:
    """``(command, the lines shown under it)`` for each ``$ `` line of a console block."""
    commands: list[tuple[str, list[str]]] = []
    for line in block.code.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands


def matches(shown: list[str], got: list[str]) -> bool:
    """Whether ``got`` is ``shown``, a line ``...`` in ``shown`` standing for any lines."""
    pattern = "\n".join(".*?" if line.strip() == "..." else re.escape(line) for line in shown)
    return re.fullmatch(pattern, "\n".join(got), re.S) is not None


def run_console(block: Block, name: str, cli) -> None:
    for command, shown in console_commands(block):
        argv = shlex.split(command.split("  #")[0])
        if argv[:3] == ["python", "-m", "symcnn"]:
            argv = argv[2:]
        if argv[0] != "symcnn":  # a benchmark's transcript: its figures are measured, not compared
            continue
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli(argv[1:])
        got = (out.getvalue() + err.getvalue()).splitlines()
        assert matches(shown, got), (f"{name} line {block.line}: {command}\nthe page shows:\n" + "\n".join(shown)
                                     + "\nthe command prints:\n" + "\n".join(got))
