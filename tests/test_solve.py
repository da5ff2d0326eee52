"""Solving the general formulas for any symbol; bad input is one line, exit 2."""

import json

import pytest
from sympy import parse_expr

from symcnn import K, SolveError, SpecError, UnknownNameError
from symcnn.analysis.solve import parse_given, solve, written


def test_padding_that_keeps_the_size():
    # O = (I - K + 2P)/1 + 1 with O = I: 0 = -K + 2P + 1, so P = (K - 1)/2
    [p] = solve("conv-output", "P", {"O": "I", "S": 1})
    assert p == (K - 1) / 2 and written(p) == "(K - 1)/2"


@pytest.mark.parametrize("name, target, given, expected", [
    # the article's conv1: (227 - 11 + 2*0)/S + 1 = 55 -> S = 216/54 = 4
    ("conv-output", "S", {"O": 55, "I": 227, "K": 11, "P": 0}, [4]),
    # 34,944 = K^2*3*96 + 96 -> K^2 = 34,848/288 = 121 -> K = 11 (K is positive)
    ("conv-params", "K", {"P_c": 34944, "C": 3, "N": 96}, [11]),
    # the named part W_c = K^2 C N: 11^2*3*96 = 34,848
    ("conv-params", "W_c", {"K": 11, "C": 3, "N": 96}, [34848]),
    # pool1: (I - 3)/2 + 1 = 27 -> I = 2*26 + 3 = 55
    ("pool-output", "I", {"O": 27, "P_s": 3, "S": 2}, [55]),
], ids=["stride", "kernel", "weights", "pool-input"])
def test_solutions(name, target, given, expected):
    assert solve(name, target, given) == expected


def test_cli_text_and_json(run_cli):
    status, out, err = run_cli("solve", "conv-output", "--for", "P", "--given", "O=I", "S=1")
    assert (status, out, err) == (0, "P = (K - 1)/2\n", "")
    status, out, _ = run_cli("solve", "conv-output", "--for", "P", "--given", "O=I", "S=1", "--json")
    solutions = json.loads(out)["solutions"]
    assert solutions == ["(K - 1)/2"] and parse_expr(solutions[0], local_dict={"K": K}) == (K - 1) / 2


@pytest.mark.parametrize("argv, message", [
    (("solve", "conv-output", "--for", "F"), "F is not in conv-output"),
    (("solve", "conv-outptu", "--for", "P"), "unknown formula 'conv-outptu'"),
    (("solve", "conv-output", "--for", "P", "--given", "O=1.5"), "a value must be a whole number or a symbol name"),
    (("solve", "conv-output", "--for", "P", "--given", "O=__import__('os')"), "got \"__import__('os')\""),
    (("solve", "conv-output", "--for", "P", "--given", "Z=1"), "unknown symbol 'Z'"),
    (("solve", "conv-output", "--for", "P", "--given", "O"), "expected NAME=VALUE"),
    (("solve", "conv-output", "--for", "P", "--given", "F=2"), "the given F is not in conv-output"),
    (("solve", "conv-output", "--for", "P", "--given", "P=1"), "P is both solved for and given"),
    (("solve", "conv-output", "--for", "Z"), "unknown symbol 'Z'"),
    (("solve", "conv-output"), "--for"),
    # O is a size (positive), P a padding (may be 0, never negative)
    (("solve", "conv-output", "--for", "I", "--given", "O=-1"), "--given O: O is a positive whole number, got -1"),
    (("solve", "conv-output", "--for", "I", "--given", "P=-1"), "--given P: P is a non-negative whole number"),
    # O on both sides of PyTorch's last-window rule: sympy refuses, in several lines of its own
    (("solve", "pool-ceil-last-window", "--for", "O"), "sympy cannot solve pool-ceil-last-window for O"),
], ids=["not-in-formula", "unknown-formula", "not-a-number", "code", "unknown-name", "no-equals",
        "given-not-in-formula", "given-and-solved", "unknown-target", "no-target", "negative-size",
        "negative-padding", "sympy-cannot"])
def test_cli_bad_input(run_cli, argv, message):
    status, out, err = run_cli(*argv)
    assert status == 2 and out == ""
    assert err.startswith("symcnn: error: ") and message in err and err.count("\n") == 1


def test_error_types():
    with pytest.raises(SolveError):
        solve("conv-output", "F", {})
    with pytest.raises(UnknownNameError):
        solve("nope", "P", {})
    with pytest.raises(SpecError):
        parse_given(["O=1+2"])
