"""Limits, and how the command line reports what goes wrong.

Each limit refuses past its default, in one line naming the variable that raises it, and
that variable does raise it. Unexpected errors are bugs: exit status 3, one line saying
so, and the traceback only on request.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

import symcnn
from symcnn.builders.spec import loads
from symcnn.errors import LimitError, SpecError, escaped, quote

RELU_BLOCK = "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: %d}\n"


def test_repeat_within_and_past_the_layer_limit(monkeypatch):
    assert len(loads(RELU_BLOCK % 10_000).layers) == 10_000
    with pytest.raises(LimitError, match=r"repeat 10,001 is over the limit of 10,000 layers \(set SYMCNN_MAX_LAYERS"):
        loads(RELU_BLOCK % 10_001)
    monkeypatch.setenv("SYMCNN_MAX_LAYERS", "20000")
    assert len(loads(RELU_BLOCK % 10_001).layers) == 10_001


def test_blocks_that_double_stop_at_the_layer_limit_not_after():
    # 2**24 layers from a few lines: refused as the 10,001st is made
    lines = ["input: 8x8x3", "blocks:"]
    for i in range(24):
        inner = "[{kind: relu}]" if i == 23 else f"[{{block: b{i + 1}, name: p}}, {{block: b{i + 1}, name: q}}]"
        lines += [f"  b{i}:", f"    layers: {inner}"]
    with pytest.raises(LimitError, match="layer number 10,001"):
        loads("\n".join([*lines, "layers:", "  - {block: b0, name: top}"]))


def test_block_depth(monkeypatch):
    def nested(depth):
        lines = ["input: 8x8x3", "blocks:"]
        for i in range(depth):
            inner = "{kind: relu}" if i == depth - 1 else f"{{block: b{i + 1}, name: x}}"
            lines += [f"  b{i}:", f"    layers: [{inner}]"]
        return "\n".join([*lines, "layers:", "  - {block: b0, name: top}"])

    assert len(loads(nested(32)).layers) == 1
    with pytest.raises(LimitError, match="33 blocks deep, is over the limit of 32 blocks deep"):
        loads(nested(33))
    monkeypatch.setenv("SYMCNN_MAX_BLOCK_DEPTH", "40")
    assert len(loads(nested(33)).layers) == 1


def test_digits_read(monkeypatch):
    wide = "9" * 1001
    with pytest.raises(LimitError, match="1,001 digits is over the limit of 1,000 digits"):
        symcnn.Shape.of(f"{wide}x3")
    with pytest.raises(LimitError, match=r"<spec> line 3: a number of 1,001 digits"):
        loads(f"input: 8x8x3\nlayers:\n  - {{kind: linear, features: {wide}}}\n")
    monkeypatch.setenv("SYMCNN_MAX_DIGITS", "2000")
    assert symcnn.Shape.of(f"{wide}x3").spatial[0] == int(wide)


def test_digits_shown(monkeypatch):
    monkeypatch.setenv("SYMCNN_MAX_DIGITS_SHOWN", "700")
    assert symcnn.display(symcnn.I * 10**699) == "1" + "0" * 699 + "*I"
    with pytest.raises(LimitError, match="SYMCNN_MAX_DIGITS_SHOWN"):
        symcnn.display(symcnn.I * 10**700)


def test_file_size(tmp_path, monkeypatch):
    path = tmp_path / "net.yaml"
    path.write_text("input: 8x8x3\nlayers: [{kind: relu}]\n" + "#" * 2000 + "\n")
    monkeypatch.setenv("SYMCNN_MAX_FILE_BYTES", "1000")
    with pytest.raises(LimitError, match=r"the file is 2,\d{3} bytes or more, which is over the limit of 1,000 bytes"):
        symcnn.load(path)
    monkeypatch.setenv("SYMCNN_MAX_FILE_BYTES", "3000")
    assert symcnn.load(path).name == "net"


def test_a_file_is_read_as_long_as_it_is_not_as_long_as_the_limit(tmp_path):
    # a regular file whose size the system gives as 0 (/proc) is still read whole, and a file
    # is read with the room its size needs, not the limit's (2 GiB for a model: read(2 GiB) of
    # an empty file can fail for memory): the bad-input catalogue reads one under 500 MB
    from symcnn.limits import MODEL_BYTES, read_bytes

    status = read_bytes("/proc/self/status")
    assert status.startswith(b"Name:") and status.endswith(b"\n")
    path = tmp_path / "m.onnx"
    path.write_bytes(b"x" * 5000)
    assert read_bytes(path, limit=MODEL_BYTES) == b"x" * 5000


@pytest.mark.parametrize("value", ["many", "0", "-1", "1e6", "9" * 20])
def test_a_limit_variable_must_be_a_positive_whole_number(monkeypatch, run_cli, value):
    monkeypatch.setenv("SYMCNN_MAX_LAYERS", value)
    status, out, err = run_cli("summary", "alexnet")
    assert (status, out) == (2, "")
    assert err.startswith("symcnn: error: SYMCNN_MAX_LAYERS: must be a positive whole number, got ")


def test_messages_escape_control_characters_and_quote_excerpts():
    e = SpecError("unknown kind 'a\nb\x1b[2J'", where="net.yaml line 3, layer c\rd")
    assert str(e) == "net.yaml line 3, layer c\\rd: unknown kind 'a\\nb\\x1b[2J'"
    assert escaped("tab\tand newline\n", keep="\t\n") == "tab\tand newline\n"
    assert quote("x" * 100) == f"'{'x' * 60}...' (100 characters)"
    assert quote(10**5000) == "a number of about 5,001 digits"


def test_an_unexpected_error_is_a_bug_in_one_line(run_cli, monkeypatch):
    from symcnn.commands import summary

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(summary, "run", broken)
    status, out, err = run_cli("summary", "alexnet")
    assert (status, out) == (3, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("symcnn: internal error, a bug in symcnn (ZeroDivisionError: division by zero); please")
    assert "--debug" in err and "SYMCNN_DEBUG=1" in err
    status, out, err = run_cli("--debug", "summary", "alexnet")
    assert status == 3 and err.startswith("Traceback (most recent call last):") and "ZeroDivisionError" in err
    monkeypatch.setenv("SYMCNN_DEBUG", "1")
    status, out, err = run_cli("summary", "alexnet")
    assert status == 3 and "Traceback" in err


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["list"], ["summary", "--help"], ["report", "--help"],
                                  ["check-doc", "--help"], ["plot", "--help"], ["frobnicate"]])
def test_help_version_and_list_do_not_load_sympy(argv):
    code = ("import runpy, sys\n"
            f"sys.argv = ['symcnn', *{argv!r}]\n"
            "try:\n    runpy.run_module('symcnn', run_name='__main__')\n"
            "except SystemExit as e:\n    status = e.code\n"
            "print('STATUS', status, sorted(m for m in ('sympy', 'jinja2', 'lark') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.splitlines()[-1] in ("STATUS 0 []", "STATUS 2 []"), done.stdout[-300:] + done.stderr


@pytest.mark.parametrize("command", ["summary", "formula", "derive", "solve", "report", "plot", "check", "check-doc",
                                     "list"])
def test_every_command_has_help_with_examples(run_cli, command):
    with pytest.raises(SystemExit):
        run_cli(command, "--help")


def test_help_texts_state_defaults_and_examples(capsys):
    from symcnn.commands import cli

    for command in ("summary", "formula", "derive", "solve", "report", "plot", "check", "check-doc", "list"):
        with pytest.raises(SystemExit):
            cli([command, "--help"])
        out = capsys.readouterr().out
        assert "examples:\n  symcnn " + command in out, command
    with pytest.raises(SystemExit):
        cli(["report", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for default in ("(default: all)", "(default: en)", "(default: reports)", "(default: the network's own"):
        assert default in out
    with pytest.raises(SystemExit):
        cli(["--help"])
    assert "seongkyun.github.io" in capsys.readouterr().out


def test_formula_list_is_aligned_and_uses_the_article_names(run_cli):
    status, out, _ = run_cli("formula", "--list")
    lines = out.splitlines()
    names, meanings = lines[0::2], lines[1::2]
    column = len(names[0]) - len(names[0].split(maxsplit=1)[1])
    assert all(len(n) - len(n.split(maxsplit=1)[1]) == column for n in names)
    assert all(m[:column].strip() == "" and m[column] != " " for m in meanings)
    assert "F_{-1}" in out and "F_prev" not in out


def test_the_choices_help_names_are_the_formats_there_are():
    # --help lists them without importing the views (which load sympy); they must agree
    from symcnn.commands import summary
    from symcnn.views.report.files import FORMAT_NAMES
    from symcnn.views.report.formats import FORMATS
    from symcnn.views.tables import SUMMARY_FORMATS

    assert summary.FORMATS == SUMMARY_FORMATS
    assert tuple(FORMATS) == FORMAT_NAMES


def test_the_command_time_limit_ends_a_long_command_in_one_line(monkeypatch, run_cli, tmp_path):
    # a report of 1,000 convolutions takes seconds of CPU time; its limit set to one second ends it
    layers = "".join(f"  - {{name: c{i}, kind: conv, channels: 4, kernel: 3, padding: 1}}\n" for i in range(1000))
    (tmp_path / "net.yaml").write_text("input: 16x16x3\nlayers:\n" + layers)
    monkeypatch.setenv("SYMCNN_MAX_SECONDS", "1")
    status, out, err = run_cli("report", str(tmp_path / "net.yaml"), "--out", str(tmp_path / "out"))
    assert status == 2 and out == "" and err.count("\n") == 1, err
    assert "over the limit of 1 seconds of CPU time (set SYMCNN_MAX_SECONDS" in err
    assert not (tmp_path / "out").exists()
    import signal

    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)  # the timer is off again


def test_text_repeated_by_aliases_is_bounded_as_a_file_is(monkeypatch):
    # 30 aliases of a 100-character text: 3,000 characters from a file of some 300
    text = "n: &n '" + "x" * 100 + "'\nnotes: [" + ", ".join(["*n"] * 30) + "]\ninput: 8x8x3\nlayers: [{kind: relu}]\n"
    monkeypatch.setenv("SYMCNN_MAX_FILE_BYTES", "2000")
    with pytest.raises(LimitError, match="the text once YAML aliases are expanded is over the limit of 2,000 bytes"):
        loads(text)
    monkeypatch.setenv("SYMCNN_MAX_FILE_BYTES", "4000")
    with pytest.raises(SpecError, match="unknown field 'n'"):  # past the limit's check: the spec's own rules
        loads(text)
