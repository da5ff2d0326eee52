"""symcnn at the prompt: short reprs, readable strs, closed forms that print as the command line
does, solve's result, lookups that say which name was meant, the README's console session and
docs/repl.md's examples."""

from __future__ import annotations

import code
import contextlib
import doctest
import io
import re
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from sympy import Range, floor

import symcnn
from symcnn import I, K, P
from symcnn.analysis import compile_expr
from symcnn.analysis.forms import ClosedForm
from symcnn.builders.zoo import BUILTIN
from symcnn.errors import UnknownNameError
from symcnn.formulas import FORMULA_NAMES
from symcnn.rounding import ROUNDINGS
from symcnn.views.report.formats import shape_tex

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 300


def _objects(name: str):
    """Every public object one built-in network leads to: the network, its layers, the derivation,
    its layer records and steps, the analysis and its parts, closed forms and compiled ones."""
    net = symcnn.load(name)
    yield net
    yield from net.layers
    d = net.derive()
    yield d
    yield d.input
    for ld in d.layers:
        yield ld
        yield ld.output
        yield from ld.steps
    a = symcnn.analyse(net, "floor")
    yield a
    yield from a.layers
    yield a.receptive_field
    yield from a.congruences.values()
    yield from a.fits
    yield from a.matches
    yield a.compile(a.macs)
    yield a.macs_of()
    yield a.params_of()
    yield a.output_size(I)


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_no_repr_of_a_network_s_objects_is_long(name):
    for obj in _objects(name):
        shown = repr(obj)
        assert len(shown) <= LIMIT, f"{type(obj).__name__}: {len(shown)} characters: {shown[:120]}..."
        assert "\n" not in shown, shown


def test_no_repr_of_the_other_public_objects_is_long():
    objects = [symcnn.formula(n, r) for n in FORMULA_NAMES for r in ROUNDINGS]
    objects += [symcnn.solve("conv-output", "P", {"O": "I", "S": 1}), symcnn.solve("conv-params", "K", {"C": 3})]
    # every public name's value but classes and Python's own containers (FORMULA_NAMES, LAYER_TYPES)
    objects += [getattr(symcnn, n) for n in symcnn.__all__
                if not isinstance(getattr(symcnn, n), (type, tuple, dict, list, str))]
    objects += [symcnn.UnknownNameError("x" * 1000), symcnn.load("examples/small.yaml").derive()]
    for obj in objects:
        assert len(repr(obj)) <= LIMIT, f"{type(obj).__name__}: {repr(obj)[:120]}..."


def test_reprs_name_the_object_and_its_key_figures():
    net = symcnn.load("alexnet")
    d = net.derive()
    # the source article's input and total
    assert repr(d) == "<NetworkDerivation alexnet 227x227x3, 11 layers, 62,378,344 params>"
    assert repr(net) == "<Network alexnet 227x227x3, 11 layers, rounding exact>"
    # conv1 by hand: 11*11*3*96 + 96 = 34,944 parameters, (227 - 11)/4 + 1 = 55
    assert repr(d["conv1"]) == "<LayerDerivation conv1 (conv): 227x227x3 -> 55x55x96, 34,944 params>"
    assert repr(d["conv1"].steps[0]) == "<Step O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55>"
    assert repr(net["conv1"]) == "Conv2d('conv1', channels=96, kernel=11, stride=4)"
    assert repr(symcnn.conv_output) == "<Formula conv-output: O = (I - K + 2*P)/S + 1>"
    assert repr(symcnn.analyse(net)).startswith("<Analysis alexnet in I, rounding exact, 11 layers, params ")


def test_a_long_closed_form_says_how_to_see_it():
    a = symcnn.analyse(symcnn.load("alexnet"), "floor", "HW")
    macs = symcnn.ClosedForm(sympy.expand(a.macs * a.activations))  # MAC-activation products, in H and W
    assert len(str(macs)) > LIMIT  # the whole closed form prints
    assert repr(macs).startswith("<ClosedForm ") and "print() it" in repr(macs) and len(repr(macs)) <= LIMIT


def test_str_of_a_formula_is_its_equations_in_the_article_s_order():
    assert str(symcnn.conv_output) == "O = (I - K + 2*P)/S + 1"
    assert str(symcnn.conv_params) == "W_c = K**2*C*N\nB_c = N\nP_c = W_c + B_c"
    assert str(symcnn.fc_fc_params) == "W_ff = F_{-1}*F\nB_ff = F\nP_ff = W_ff + B_ff"


def test_str_of_resnet50_s_derivation_is_its_summary_table(run_cli):
    d = symcnn.load("resnet50").derive()
    status, out, _ = run_cli("summary", "resnet50")
    assert status == 0
    assert str(d) == out.rstrip("\n")
    # the table's params column adds up to its total line
    rows = [line.split() for line in str(d).splitlines()[3:3 + len(d.layers)]]
    column = sum(int(r[-1].replace(",", "")) for r in rows)
    assert len(rows) == 175 and column == d.total_params
    assert f"total params  {d.total_params:,}" in str(d)


def test_str_of_an_analysis_is_what_derive_prints(run_cli):
    status, out, _ = run_cli("derive", "alexnet", "--rounding", "floor")
    assert status == 0
    assert str(symcnn.analyse(symcnn.load("alexnet"), "floor")) == out.rstrip("\n")


def test_str_of_a_layer_derivation_is_its_worked_steps():
    ld = symcnn.load("alexnet").derive()["conv1"]
    assert str(ld).splitlines() == [
        "conv1 (conv): 227x227x3 -> 55x55x96",
        "  O = (I - K + 2*P)/S + 1 = (227 - 11 + 2*0)/4 + 1 = 55",
        "  W_c = K**2*C*N = 11**2*3*96 = 34,848",
        "  B_c = N = 96",
        "  P_c = W_c + B_c = 34,848 + 96 = 34,944",
    ]


def test_closed_forms_print_as_the_command_line_and_behave_as_sympy():
    width = symcnn.analyse(symcnn.load("alexnet"), "floor").output_size(I)
    plain = floor(I / 32 - sympy.Rational(35, 32))  # pool3's width, (I - 35)/32 rounded down
    assert isinstance(width, ClosedForm)
    assert str(width) == repr(width) == "floor((I - 35)/32)"
    assert width == plain and plain == width.expr and hash(width) == hash(plain)
    # by hand: floor((227 - 35)/32) = 6, floor((259 - 35)/32) = 7
    assert width.subs(I, 227) == 6 and width.xreplace({I: 259}) == 7
    assert sympy.lambdify(I, width, "math")(227) == 6
    assert sympy.diff(symcnn.ClosedForm(3 * I**2 + I), I) == 6 * I + 1
    assert width + 1 == plain + 1 and 2 * width == 2 * plain
    assert sympy.latex(width) == r"\left\lfloor{\frac{I - 35}{32}}\right\rfloor"
    # the command line writes the same
    cli = symcnn.analyse(symcnn.load("alexnet"), "floor")
    assert "pool3  pool  floor((I - 35)/32) x floor((I - 35)/32) x 256" in str(cli)


def test_one_way_of_writing_a_symbolic_size():
    # conv1 with a symbolic kernel, stride 4, no padding: (227 - K)/4 + 1 = (231 - K)/4 per side
    d = symcnn.load("alexnet").with_layer("conv1", kernel=K).derive()
    shape = d["conv1"].output
    assert str(shape) == shape.text() == "((231 - K)/4)x((231 - K)/4)x96"
    assert shape.text(" x ") == "((231 - K)/4) x ((231 - K)/4) x 96"
    assert shape_tex(shape) == r"\left(\frac{231 - K}{4}\right) \times \left(\frac{231 - K}{4}\right) \times 96"
    assert "conv1  conv  ((231 - K)/4)x((231 - K)/4)x96" in str(d)
    # padding P: (227 - 11 + 2P)/4 + 1 = (P + 110)/2, over one denominator
    padded = symcnn.load("alexnet").with_layer("conv1", padding=P).derive()["conv1"].output
    assert padded.spatial[0] == (227 - 11 + 2 * P) / 4 + 1 and str(padded) == "((P + 110)/2)x((P + 110)/2)x96"
    # floor((64 - K)/2) + 1 = floor((66 - K)/2): one floor, as the closed forms write a size
    net = symcnn.Network("t", "64x64x3", [symcnn.Conv2d("c", channels=16, kernel=K, stride=2)], rounding="floor")
    out = net.derive()["c"].output
    assert out.spatial[0] == floor((64 - K) / 2) + 1
    assert str(out) == out.text() == "floor((66 - K)/2)xfloor((66 - K)/2)x16"
    side = r"\left\lfloor{\frac{66 - K}{2}}\right\rfloor"
    assert shape_tex(out) == rf"{side} \times {side} \times 16"


def test_solve_returns_solutions_that_print_as_the_command_line(run_cli):
    s = symcnn.solve("conv-output", "P", {"O": "I", "S": 1})
    # by hand: I = (I - K + 2P)/1 + 1 gives P = (K - 1)/2
    assert str(s) == repr(s) == "P = (K - 1)/2"
    assert s == [(K - 1) / 2] and s[0] == K / 2 - sympy.Rational(1, 2) and s.symbol == P
    assert s._repr_latex_() == r"$\displaystyle P = \frac{K - 1}{2}$"
    status, out, _ = run_cli("solve", "conv-output", "--for", "P", "--given", "O=I", "S=1")
    assert status == 0 and out.strip() == str(s)
    # by hand: 34,944 = K^2*3*96 + 96 gives K^2 = 121
    assert symcnn.solve("conv-params", "K", {"P_c": 34944, "C": 3, "N": 96}) == [11]


def test_the_query_api():
    net = symcnn.load("alexnet")
    a = symcnn.analyse(net, "floor")
    # conv1's MACs by hand: 55*55 positions * 96 kernels * 11*11*3 weights = 105,415,200
    assert a.macs_of("conv1", 227) == 55 * 55 * 96 * 11 * 11 * 3
    # fc1 after pool3: 6*6*256 inputs per neuron at 227, 4,096 neurons, one bias each
    assert a.params_of("fc1", 227) == 6 * 6 * 256 * 4096 + 4096
    assert a.params_of("fc1") == 256 * 4096 * floor((I - 35) / 32) ** 2 + 4096
    assert a.inputs_for("pool3", 6) == Range(227, 259)
    # a kernel of K at stride 1: 227 - K + 1 per side, K^2*3*96 + 96 parameters
    d = net.with_layer("conv1", kernel=K, stride=1).derive()
    assert d["conv1"].output.spatial == (228 - K, 228 - K) and d["conv1"].params == 288 * K**2 + 96
    assert net.derive()["conv1"].params == 34944  # the network itself is unchanged


@pytest.mark.parametrize("lookup, meant", [
    pytest.param(lambda: symcnn.load("alexnett"), "'alexnet'", id="network"),
    pytest.param(lambda: symcnn.load("Resnet50"), "'resnet50'", id="network-case"),
    pytest.param(lambda: symcnn.formula("conv-outptu"), "'conv-output' or 'deconv-output'", id="formula"),
    pytest.param(lambda: symcnn.load("alexnet").derive()["conv11"], "'conv1'", id="layer-derivation"),
    pytest.param(lambda: symcnn.load("resnet50")["layer1.0.conv"], "'layer1.0.conv1', 'layer1.0.conv2' or "
                 "'layer1.0.conv3'", id="layer-network"),
    pytest.param(lambda: symcnn.analyse(symcnn.load("alexnet"))["fc4"], "'fc1', 'fc2' or 'fc3'",
                 id="layer-analysis"),
    pytest.param(lambda: symcnn.solve("conv-output", "k"), "'K'", id="symbol"),
    pytest.param(lambda: symcnn.solve("conv-output", "P", {"Ss": 1}), "'S'", id="given-symbol"),
    pytest.param(lambda: symcnn.load("alexnet").with_layer("conv1", kernal=3), "'kernel'", id="layer-field"),
])
def test_every_lookup_says_which_name_was_meant(lookup, meant):
    with pytest.raises(symcnn.SymcnnError) as e:
        lookup()
    assert f"(did you mean {meant}?)" in str(e.value)


def test_no_suggestion_where_nothing_is_close():
    with pytest.raises(UnknownNameError) as e:
        symcnn.load("zzzzzz")
    assert "did you mean" not in str(e.value)


def test_the_network_error_has_no_prefix(run_cli):
    status, _, err = run_cli("summary", "alexnett")
    assert status == 2
    assert err.startswith("symcnn: error: unknown network 'alexnett' (did you mean 'alexnet'?); built-in: ")


def test_symcnn_alone_prints_the_help(run_cli):
    status, out, err = run_cli()
    assert status == 0 and err == ""  # as --help: nothing went wrong
    from symcnn.commands import parser

    assert out == parser().format_help()
    assert out.startswith("usage: symcnn") and "  summary " in out and "  examples " in out


def test_one_claim_is_one_claim(run_cli, tmp_path):
    doc = tmp_path / "post.md"
    doc.write_text("Conv-1's output is 55x55x96.\n", encoding="utf-8")  # (227 - 11)/4 + 1 = 55: right
    status, out, _ = run_cli("check-doc", str(doc), "--network", "alexnet")
    assert "alexnet: 1 claim, 0 wrong" in out and status == 0


def test_evaluate_checks_every_size():
    np = pytest.importorskip("numpy")

    a = symcnn.analyse(symcnn.load("alexnet"))  # exact rounding: I = 3 mod 32, from 67
    sizes = np.arange(67, 67 + 32 * 1000, 32)
    f = compile_expr(a.params, a.symbols)
    assert [int(v) for v in a.evaluate(a.params, sizes[:2])] == [f(67), f(99)]
    assert f(227) == 62378344  # the article's total
    for bad, words in (([227, 228], "I = 228 makes a division not whole"), ([35], "I = 35 is below the smallest"),
                       ([227.0], "whole numbers"), ([True], "whole numbers")):
        with pytest.raises(symcnn.SymcnnError, match=words):
            a.evaluate(a.params, bad)
    # a Linear that declares 784 inputs after 16 maps: floor((I - 4)/4)^2 = 49 for I = 32..35 only
    net = symcnn.Network("lenet", "32x32x1", [
        symcnn.Conv2d("c1", channels=16, kernel=5), symcnn.MaxPool2d("p1", kernel=4), symcnn.Flatten("flat"),
        symcnn.Linear("fc", features=10, in_features=784)])
    b = symcnn.analyse(net, "floor")
    # by hand: 5*5*1*16 + 16 = 416 for c1, 784*10 + 10 = 7,850 for fc
    assert [int(v) for v in b.evaluate(b.params, np.array([32, 35]))] == [416 + 7850] * 2
    with pytest.raises(symcnn.ShapeError, match="declares in_features = 784, but its input has length 1,024"):
        b.evaluate(b.params, np.array([32, 33, 36]))
    # what the checks cost beside Compiled.many is measured in benchmarks/evaluate.py, not here


def _pycon_blocks(text: str) -> list[str]:
    return re.findall(r"```pycon\n(.*?)```", text, flags=re.S)


def _console_session(block: str) -> tuple[str, str]:
    """Feed a ``>>>`` session to a real :class:`code.InteractiveConsole`: (what it showed, what
    the block says it shows), both as a person sees them (prompts and echoed input left out)."""
    console = code.InteractiveConsole({})
    shown, expected = io.StringIO(), []
    for example in doctest.DocTestParser().get_examples(block):
        with contextlib.redirect_stdout(shown):
            more = False
            for line in example.source.rstrip("\n").split("\n"):
                more = console.push(line)
            if more:
                console.push("")
        expected.append(example.want)
    return shown.getvalue(), "".join(expected).replace("<BLANKLINE>\n", "\n")


def test_the_readme_s_walk_through_in_a_real_console():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## At the prompt"):]
    (block,) = _pycon_blocks(section[:section.index("\n## ", 5)])
    assert len(block.splitlines()) <= 40
    shown, expected = _console_session(block)
    assert shown == expected


def test_docs_repl_examples_run():
    text = (ROOT / "docs" / "repl.md").read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, "repl.md", str(ROOT / "docs" / "repl.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()
    assert runner.tries > 25


def test_the_checked_call_returns_what_many_does():
    # the same closed form, the same sizes: the checked call returns what the unchecked one does
    a = symcnn.analyse(symcnn.load("resnet18"), "floor")
    sizes = list(range(int(a.min_input), int(a.min_input) + 300))
    f = a.compile(a.macs)
    assert [int(v) for v in a.evaluate(a.macs, sizes)] == [int(v) for v in f.many(sizes)]
    assert all(not isinstance(f(s), Fraction) for s in sizes[:5])
