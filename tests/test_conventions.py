"""The counting conventions and the memory commands without PyTorch: each rule's formula is the value it
gives, and the command line's bad inputs get one line and exit 2 (the figures against the tools themselves
are tests/test_counting.py's and tests/test_memory.py's)."""

import pytest
from sympy import Integer

import symcnn
from symcnn.analysis.counting import CONVENTIONS, count, kind_of
from symcnn.analysis.memory import memory, parse_bytes
from symcnn.commands import cli
from symcnn.errors import SpecError
from symcnn.symbols import C, F, F_prev, G, I, K, N, O


def test_each_formula_is_the_rule_it_writes():
    # the general formula of every rule, at the values of a square 2-d layer, is the value the rule gives
    net = symcnn.Network("t", "16x16x8", [
        symcnn.Conv2d("conv", channels=12, kernel=3, padding=1, groups=4), symcnn.BatchNorm("bn"), symcnn.ReLU("relu"),
        symcnn.MaxPool2d("pool", kernel=2), symcnn.AvgPool2d("avg", kernel=2),
        symcnn.ConvTranspose2d("up", channels=6, kernel=2, stride=2, groups=2),
        symcnn.AdaptiveAvgPool("gap", output=2), symcnn.Flatten("flat"), symcnn.Linear("fc", features=10)],
        rounding="floor")
    d = net.derive()
    checked = 0
    for conv in CONVENTIONS.values():
        for record in d.layers:
            rule = conv.rule(kind_of(record.layer))
            if rule.formula == 0 or record.type == "flatten":
                continue
            layer = record.layer
            values = {I: record.input.spatial[0] if record.input.spatial else Integer(1), C: record.input.channels,
                      O: record.output.spatial[0] if record.output.spatial else Integer(1),
                      N: record.output.channels, F: record.output.channels, F_prev: record.input.numel,
                      K: layer.kernel[0] if isinstance(getattr(layer, "kernel", None), tuple) else Integer(1),
                      G: getattr(layer, "groups", Integer(1))}
            value = count(d, conv).layers[d.layers.index(record)].value
            assert rule.formula.xreplace(values) == value, (conv.name, record.name, rule.formula)
            checked += 1
    assert checked >= 25


def test_an_unknown_convention_is_refused():
    with pytest.raises(SpecError, match="unknown counting convention"):
        count(symcnn.load("lenet5").derive(), "gflops")


@pytest.mark.parametrize("argv,words", [
    (["memory", "lenet5", "--fit", "24XB"], "memory size"),
    (["memory", "lenet5", "--fit", "-3GiB"], "memory size"),
    (["memory", "lenet5", "--batch", "0"], "--batch"),
    (["memory", "lenet5", "--dtype", "int8"], "invalid choice"),
    (["summary", "lenet5", "--count", "fvcore", "--format", "csv"], "--count"),
    (["compare", "lenet5", "--input", "8x8x1"], "features.3"),
    (["plot", "lenet5", "--what", "size", "--against", "B", "--out", "x.svg"], "--against"),
], ids=["unit", "negative", "batch-0", "dtype", "count-csv", "too-small", "against-B"])
def test_bad_inputs_say_one_line_and_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


def test_largest_batch_is_the_budget_arithmetic():
    # LeNet-5, Adam, float32: 987,336 bytes fixed (weights, gradients, Adam's moments and 10 step counters)
    # and 36,432 bytes of saved activations per sample (see docs/memory.md): 1 MiB holds
    # (1,048,576 - 987,336) // 36,432 = 61,240 // 36,432 = 1 sample
    m = memory(symcnn.load("lenet5").derive(), optimizer="adam")
    assert (m.fixed, m.per_sample) == (987336, 36432)
    assert m.largest_batch(parse_bytes("1MiB")) == 1
    assert m.largest_batch(987336 + 2 * 36432) == 2 and m.largest_batch(987336 + 2 * 36432 - 1) == 1
    assert parse_bytes("24GiB") == 24 * 2**30 and parse_bytes("16GB") == 16 * 10**9


def test_the_choices_help_names_are_the_ones_there_are():
    # --help names them without loading sympy; they must be the analysis' own
    from symcnn.analysis import memory as analysis_memory
    from symcnn.commands import memory as memory_command
    from symcnn.commands import options

    assert tuple(CONVENTIONS) == options.COUNTS
    assert tuple(analysis_memory.DTYPES) == memory_command.DTYPES
    assert tuple(analysis_memory.OPTIMIZERS) == memory_command.OPTIMIZERS


@pytest.mark.parametrize("command", ["compare", "memory"])
def test_help_of_the_new_commands_loads_no_sympy(command):
    import subprocess
    import sys
    from pathlib import Path

    code = ("import runpy, sys\n"
            f"sys.argv = ['symcnn', {command!r}, '--help']\n"
            "try:\n    runpy.run_module('symcnn', run_name='__main__')\n"
            "except SystemExit as e:\n    status = e.code\n"
            "print('STATUS', status, sorted(m for m in ('sympy', 'jinja2', 'lark') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.splitlines()[-1] == "STATUS 0 []", done.stdout[-300:] + done.stderr
    assert f"examples:\n  symcnn {command}" in done.stdout


def test_largest_input_fits_and_the_next_does_not_by_deriving_both():
    # the closed form's answer, checked by deriving the network at that size and the next
    from symcnn.analysis.memory import largest_size

    net = symcnn.load("resnet18")
    a = symcnn.analyse(net, "floor")
    m = memory(a.derivation, optimizer="momentum")
    budget = parse_bytes("2GiB")
    found, after = largest_size(a, m, 16, budget)
    assert after == found + 1
    assert memory(net.derive(f"{found}x{found}x3", "floor"), optimizer="momentum").training(16) <= budget
    assert memory(net.derive(f"{after}x{after}x3", "floor"), optimizer="momentum").training(16) > budget
