"""Whole-network closed forms: AlexNet's figures from the issue, each checked against the
numeric derivation (brute force over input sizes) or a hand computation written out."""

import json

import pytest
from sympy import Range, Rational, ceiling, floor, parse_expr

import symcnn
from symcnn import Conv2d, I, Linear, MaxPool2d, Network, Shape, ShapeError
from symcnn.analysis import analyse
from symcnn.builders.zoo import BUILTIN
from symcnn.printing import display
from symcnn.symbols import H, W


@pytest.fixture(scope="module")
def alexnet():
    return symcnn.load("alexnet")


def numeric(net, size, rounding):
    """Layer-by-layer derivation at one input size: every output size, or None where derive refuses."""
    try:
        d = net.derive(Shape((size, size), net.input.channels), rounding)
    except ShapeError:
        return None
    return d


def at(net, total, size, rounding=None):
    """A network's total (``params``, ``macs``) at an input size, from its closed form."""
    a = analyse(net, rounding)
    return a.at(getattr(a, total), size)


def all_outputs_at_least_one(d):
    return d is not None and all(s >= 1 for layer in d.layers for s in layer.output.dims)


def test_pool3_closed_form_collapses_to_one_floor(alexnet):
    pool3 = analyse(alexnet, "floor")["pool3"].output.spatial[0]
    assert pool3 == floor((I - 35) / 32)
    assert display(pool3) == "floor((I - 35)/32)"
    assert analyse(alexnet, "floor").output_size(I) == floor((I - 35) / 32)
    # ceil mode collapses the same way (one ceiling per axis)
    assert analyse(alexnet, "ceil")["pool3"].output.spatial[0] == ceiling((I - 35) / 32)


@pytest.mark.parametrize("rounding", ["floor", "ceil", "exact"])
def test_closed_forms_match_the_numeric_derivation(alexnet, rounding):
    a = analyse(alexnet, rounding)
    for size in (227, 228, 259, 300):
        d = numeric(alexnet, size, rounding)
        if d is None:  # exact rounding refuses 228, 259, 300
            assert rounding == "exact" and size % 32 != 3
            continue
        for la, ld in zip(a.layers, d.layers):
            assert [a.at(s, size) for s in la.output.dims] == list(ld.output.dims), la.name
            assert a.at(la.params, size) == ld.params and a.at(la.macs, size) == ld.macs, la.name


def test_min_input_is_67_and_brute_force_agrees(alexnet):
    assert analyse(alexnet, "floor").min_input == 67
    assert analyse(alexnet).min_input == 67  # exact: 67 = 2*32 + 3 is also whole everywhere
    for rounding in ("floor", "exact"):
        ok = [i for i in range(1, 80) if all_outputs_at_least_one(numeric(alexnet, i, rounding))]
        assert ok[0] == 67, rounding


def test_ceil_min_input_brute_force(alexnet):
    smallest = analyse(alexnet, "ceil").min_input
    ok = [i for i in range(1, 80) if all_outputs_at_least_one(numeric(alexnet, i, "ceil"))]
    assert ok[0] == smallest


def test_exact_inputs_are_3_mod_32(alexnet):
    a = analyse(alexnet, "exact")
    assert a.exact_inputs[I].residue == 3 and a.exact_inputs[I].modulus == 32
    whole = [i for i in range(1, 200) if numeric(alexnet, i, "exact") is not None]
    # 67, 99, 131, 163, 195: every input from the smallest one that is 3 mod 32
    assert whole == [i for i in range(67, 200) if i % 32 == 3] == [67, 99, 131, 163, 195]


def test_inputs_for_pool3_of_6(alexnet):
    assert analyse(alexnet, "floor").inputs_for("pool3", 6) == Range(227, 259)
    got = [i for i in range(200, 280) if numeric(alexnet, i, "floor")["pool3"].output.spatial[0] == 6]
    assert got == list(range(227, 259))
    assert list(analyse(alexnet).inputs_for("pool3", 6)) == [227]  # exact rounding: the article's input only


def test_params_as_a_function_of_i(alexnet):
    # conv 3,747,200 + fc1 bias 4,096 + fc2 16,781,312 + fc3 4,097,000 = 24,629,608;
    # fc1 weights: 256*4096 = 1,048,576 per position of the last 256-channel map.
    expected = 3_747_200 + 256 * 4096 * floor((I - 35) / 32) ** 2 + 4_096 + 16_781_312 + 4_097_000
    assert analyse(alexnet, "floor").params == expected
    assert at(alexnet, "params", 227, "floor") == 62_378_344
    assert at(alexnet, "params", 227) == 62_378_344


def test_macs_at_227(alexnet):
    # conv1 55^2*34,848 = 105,415,200   conv2 27^2*614,400 = 447,897,600
    # conv3 13^2*884,736 = 149,520,384  conv4 13^2*1,327,104 = 224,280,576
    # conv5 13^2*884,736 = 149,520,384  fc1 9,216*4,096 = 37,748,736
    # fc2 4,096*4,096 = 16,777,216      fc3 4,096*1,000 = 4,096,000       sum 1,135,256,096
    assert at(alexnet, "macs", 227) == 1_135_256_096
    assert at(alexnet, "macs", 227, "floor") == 1_135_256_096
    assert analyse(alexnet)["conv1"].macs.subs(I, 227) == 105_415_200


def test_activations_at_227(alexnet):
    a = analyse(alexnet, "floor")
    # 55^2*96 + 27^2*96 + 27^2*256 + 13^2*256 + 13^2*384*2 + 13^2*256 + 6^2*256 + 4096 + 4096 + 1000
    # = 290,400 + 69,984 + 186,624 + 43,264 + 129,792 + 43,264 + 9,216 + 9,192 = 781,736
    assert a.at(a.activations, 227) == 781_736
    assert a.to_json()["at_input"]["activation_bytes"] == 4 * 781_736


def test_receptive_field_at_pool3(alexnet):
    # (size, stride, padding) after each layer, r += (k-1)*j, p += pad*j, j *= s:
    # conv1 (11, 4, 0) pool1 (19, 8, 0) conv2 (51, 8, 16) pool2 (67, 16, 16)
    # conv3 (99, 16, 32) conv4 (131, 16, 48) conv5 (163, 16, 64) pool3 (195, 32, 64)
    rf = analyse(alexnet, "floor").receptive_field
    assert (rf.size, rf.stride, rf.padding) == ((195, 195), (32, 32), (64, 64))
    assert analyse(alexnet, "floor").receptive_field_of("conv2").size == (51, 51)
    assert analyse(alexnet, "floor").receptive_field_of("fc1") is None  # a vector has no spatial field


def test_symbolic_hw_keeps_axes_apart():
    net = Network("wide", "227x259x3", [
        Conv2d(name="c", channels=4, kernel=(3, 5), stride=2),
        MaxPool2d(name="p", kernel=2),
        Linear(name="fc", features=10),
    ], rounding="floor")
    a = analyse(net, symbolic="HW")
    h, w, c = a["p"].output.dims
    # conv: floor((H - 3)/2) + 1; pool k2 s2: floor((floor((H - 3)/2) + 1 - 2)/2) + 1
    #   = floor((H - 3 - 2)/4) + 1 = floor((H - 1)/4); W likewise from floor((W - 5)/2) + 1
    assert h == floor((H - 1) / 4) and w == floor((W - 3) / 4) and c == 4
    # at 227 x 259: h = floor(226/4) = 56, w = floor(256/4) = 64; fc weights 56*64*4*10 = 143,360, + 10 biases
    assert a.at(a["fc"].params, Shape((227, 259), 3)) == 143_370
    assert a.min_input == {"H": 5, "W": 7}  # H - 1 >= 4 and W - 3 >= 4


def test_branch_follows_named_inputs():
    net = Network("branch", "64x64x3", [
        Conv2d(name="a", channels=4, kernel=7, stride=2, padding=3),
        Conv2d(name="b", channels=4, kernel=3, padding=1),
        Conv2d(name="c", channels=4, kernel=5, inputs=("a",)),
    ], rounding="floor")
    a = analyse(net)
    # a: (7, 2, 3); c reads a: r = 7 + 4*2 = 15, j = 2, p = 3 + 0*2 = 3 (b's 3x3 is not on its path)
    assert (a["c"].receptive_field.size[0], a["c"].receptive_field.stride[0], a["c"].receptive_field.padding[0]) == (
        15, 2, 3)
    # a: floor((I + 6 - 7)/2) + 1 = floor((I + 1)/2); c: that - 5 + 1 = floor((I + 1 - 8)/2)
    assert a["c"].output.spatial[0] == floor((I - 7) / 2)


def test_compiled_closed_forms_are_exact_integers(alexnet):
    a = analyse(alexnet, "floor")
    f = a.compile(a.params)
    for size in range(67, 400, 7):
        assert f(size) == a.params.subs(I, size)
    # a denominator of 3 that floats would round wrongly: (10 - 7)/3 = 1 exactly
    g = a.compile(floor(I / 3 - Rational(7, 3)))
    assert [g(i) for i in (9, 10, 11, 12, 13)] == [0, 1, 1, 1, 2]
    e = analyse(alexnet, "exact")
    assert e.compile(e["pool3"].output.spatial[0])(227) == 6


def test_exact_rounding_without_any_whole_input_is_an_error():
    # two branches that disagree: (I - 2)/2 + 1 is whole for even I, (I - 1)/2 + 1 for odd I
    net = Network("clash", "8x8x1", [
        Conv2d(name="a", channels=1, kernel=2, stride=2),
        Conv2d(name="b", channels=1, kernel=1, stride=2, inputs=("input",)),
    ])
    with pytest.raises(symcnn.SolveError, match="no input size makes every division whole"):
        analyse(net, "exact")


def test_derive_json_contract(run_cli):
    status, out, err = run_cli("derive", "alexnet", "--rounding", "floor", "--json")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert data["network"] == "alexnet" and data["rounding"] == "floor" and data["symbols"] == ["I"]
    assert data["min_input"] == 67
    assert data["receptive_field"] == {"size": 195, "stride": 32, "padding": 64}
    pool3 = next(l for l in data["layers"] if l["name"] == "pool3")
    assert parse_expr(pool3["output"][0], local_dict={"I": I}) == floor((I - 35) / 32)
    params = parse_expr(data["params"], local_dict={"I": I})
    assert params.subs(I, 227) == 62_378_344
    assert parse_expr(data["macs"], local_dict={"I": I}).subs(I, 227) == 1_135_256_096
    assert data["at_input"]["macs"] == 1_135_256_096
    assert "exact_inputs" not in data


def test_derive_json_exact_inputs(run_cli):
    status, out, _ = run_cli("derive", "alexnet", "--json")
    assert status == 0
    assert json.loads(out)["exact_inputs"] == {"modulus": 32, "residue": 3}


def test_derive_text(run_cli):
    status, out, err = run_cli("derive", "alexnet", "--rounding", "floor")
    assert status == 0 and err == ""
    assert "pool3  pool  floor((I - 35)/32) x floor((I - 35)/32) x 256" in out
    assert "at I = 227: 62,378,344" in out and "at I = 227: 1,135,256,096" in out
    assert "smallest input (every output >= 1): 67" in out
    assert "195/32/64" in out and "FLOPs = 2 x MACs" in out


@pytest.mark.parametrize("argv, message", [
    (("derive", "nonet"), "unknown network 'nonet'"),
    (("derive", "alexnet", "--symbolic", "X"), "invalid choice: 'X'"),
    (("derive", "alexnet", "--rounding", "round"), "invalid choice: 'round'"),
], ids=["unknown-network", "bad-symbolic", "bad-rounding"])
def test_derive_bad_input(run_cli, argv, message):
    status, out, err = run_cli(*argv)
    assert status == 2 and out == ""
    assert err.startswith("symcnn: error: ") and message in err and err.count("\n") == 1


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_builtin_network_has_closed_forms(name):
    # torchvision's networks end in adaptive pooling, whose windows are cut from the input.
    # At the network's own input the closed forms give the derived total (test_zoo checks
    # those against the published ones); the smallest input derives, the one below it does not.
    net = symcnn.load(name)
    a = analyse(net, "floor")
    assert a.at(a.params, net.input) == net.derive(rounding="floor").total_params
    m = a.min_input
    assert net.derive(Shape((m, m), net.input.channels), "floor").layers
    if m > 1:
        with pytest.raises(ShapeError):
            net.derive(Shape((m - 1, m - 1), net.input.channels), "floor")


def test_derive_vgg16(run_cli):
    # Five 2x2 max pools of stride 2 (the 3x3 convolutions keep the size): 32 -> 16 -> 8 -> 4
    # -> 2 -> 1, while 31 -> 15 -> 7 -> 3 -> 1 leaves the last pool a 1x1 input.
    status, out, err = run_cli("derive", "vgg16", "--rounding", "floor")
    assert status == 0 and err == ""
    assert "smallest input (every output >= 1): 32" in out
    assert "at I = 224: 138,357,544" in out


@pytest.mark.parametrize("call, error, message", [
    # AlexNet's smallest input is 67 (test_min_input_is_67_and_brute_force_agrees): at 10 the
    # closed forms would give floor((10 - 35)/32) = -1 for pool3, a size derive() refuses.
    (lambda a: at(a, "macs", 10, "floor"), ShapeError, "input I = 10 is below the smallest input 67"),
    (lambda a: analyse(a).output_size(-5), ShapeError, "input I = -5 is below the smallest input 67"),
    # 228 is not 3 mod 32: conv1's (228 - 11)/4 + 1 = 55.25 is not whole.
    (lambda a: at(a, "params", 228), symcnn.RoundingError, "exact rounding needs I = 3 mod 32"),
    (lambda a: at(a, "params", "227"), symcnn.SpecError, "an input size is a whole number or a Shape, got '227'"),
], ids=["below-min-input", "negative", "not-whole-in-exact", "string"])
def test_closed_forms_refuse_inputs_derive_refuses(alexnet, call, error, message):
    with pytest.raises(error, match=message):
        call(alexnet)
    # 228 in floor rounding is fine: pool3 floor((228 - 35)/32) = 6, so the same 62,378,344.
    assert at(alexnet, "params", 228, "floor") == 62_378_344


def test_derive_text_of_a_non_square_input_says_where_its_values_are(run_cli, tmp_path):
    spec = tmp_path / "rect.yaml"
    spec.write_text("name: rect\ninput: 32x48x3\nrounding: floor\nlayers:\n  - {kind: conv, channels: 4, kernel: 3}\n",
                    encoding="utf-8")
    status, out, _ = run_cli("derive", str(spec))
    assert status == 0 and "no values at the input 32x48x3: it is not square; see them with --symbolic HW" in out
    status, out, _ = run_cli("derive", str(spec), "--symbolic", "HW")
    # (32 - 3 + 1) x (48 - 3 + 1) = 30 x 46 positions, 3*3*3*4 = 108 weights each: 149,040 MACs
    assert status == 0 and "at H = 32, W = 48: 149,040" in out
