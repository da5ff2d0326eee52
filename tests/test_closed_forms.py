"""Closed forms for every network: each checked against the step-by-step numeric derivation
at every input size from the smallest valid one to 512, ceil-mode pooling included.

The networks are the zoo and two torchvision networks with ceil-mode max pools, written as
specs in tests/fixtures/nets (SqueezeNet 1.0 and GoogLeNet; test_torch_closed_forms.py
checks them against torchvision's models). The figures asserted besides come from
torchvision's weight metadata (``min_size``, ``num_params``, ``_ops``) or are worked out by
hand in the comments.
"""

from pathlib import Path

import pytest
from sympy import Integer, Range, Rational, ceiling, floor, srepr

import symcnn
from symcnn import I, Shape, ShapeError, explain
from symcnn.analysis import analyse, search
from symcnn.builders.zoo import BUILTIN

NETS = Path(__file__).parent / "fixtures" / "nets"
CEIL_MODE = {"squeezenet1_0": NETS / "squeezenet1_0.yaml", "googlenet": NETS / "googlenet.yaml"}
NETWORKS = [*sorted(BUILTIN), *CEIL_MODE]
TOP = 512


def load(name):
    return symcnn.load(str(CEIL_MODE.get(name, name)))


def numeric(net, size, rounding):
    """The engine's step-by-step derivation at one square size (None where it refuses the size)."""
    try:
        return net.derive(Shape((size, size), net.input.channels), rounding)
    except ShapeError:  # RoundingError is one too
        return None


@pytest.mark.parametrize("name", NETWORKS)
def test_closed_forms_equal_the_numeric_derivation_at_every_size(name):
    net = load(name)
    rounding = "floor" if net.rounding == "exact" else net.rounding  # exact: below
    a = analyse(net, rounding)
    assert a.complete
    low = a.min_input
    sizes = list(range(low, TOP + 1))
    # every distinct closed form compiled once and evaluated at all the sizes at once
    values = {}
    for la in a.layers:
        for expr in (*la.output.dims, la.params, la.macs):
            if expr not in values:
                values[expr] = list(a.evaluate(expr, sizes))
    mismatches = []
    for k, size in enumerate(sizes):
        d = numeric(net, size, rounding)
        assert d is not None, f"{name} refuses {size}, above its smallest input {low}"
        for la, ld in zip(a.layers, d.layers, strict=True):
            got = [values[e][k] for e in (*la.output.dims, la.params, la.macs)]
            if got != [*ld.output.dims, ld.params, ld.macs]:
                mismatches.append((size, la.name, got, [*ld.output.dims, ld.params, ld.macs]))
    assert mismatches == []
    if low > 1:  # the smallest input is the smallest: one below it the derivation refuses
        assert numeric(net, low - 1, rounding) is None


def test_alexnet_exact_closed_forms_at_every_whole_size():
    # exact rounding: the sizes 3 mod 32 (test_analysis.py), 67 to 483 below 512
    net = load("alexnet")
    a = analyse(net, "exact")
    sizes = [s for s in range(1, TOP + 1) if s % 32 == 3 and s >= 67]
    assert [s for s in range(1, TOP + 1) if numeric(net, s, "exact") is not None] == sizes
    for la in a.layers:
        for expr in (*la.output.dims, la.params, la.macs):
            got = list(a.evaluate(expr, sizes))
            assert got == [getattr_dims(numeric(net, s, "exact")[la.name], expr, la) for s in sizes]


def getattr_dims(ld, expr, la):
    """The numeric record's value for the closed form ``expr`` of ``la``."""
    pairs = [*zip(la.output.dims, ld.output.dims), (la.params, ld.params), (la.macs, ld.macs)]
    return next(v for e, v in pairs if e == expr)


# -- SqueezeNet and GoogLeNet: torchvision's figures --------------------------------------


@pytest.mark.parametrize("name, params, min_size", [
    # torchvision's weights metadata: num_params and min_size of SqueezeNet1_0_Weights and
    # GoogLeNet_Weights (the smallest input their weights are documented for)
    ("squeezenet1_0", 1_248_424, 21),
    ("googlenet", 6_624_904, 15),
])
def test_ceil_mode_networks_match_torchvisions_metadata(name, params, min_size):
    net = load(name)
    a = analyse(net)
    assert a.min_input == min_size
    assert a.at(a.params, 224) == params == net.derive().total_params


def test_googlenet_macs_at_224():
    # GoogLeNet_Weights' "_ops" is 1.498 (GFLOPS as torchvision counts them: multiply-adds)
    a = analyse(load("googlenet"))
    assert round(int(a.at(a.macs, 224)) / 1e9, 3) == 1.498


def test_ceil_mode_sizes_have_one_floor_per_axis():
    # conv1 of GoogLeNet: floor((I + 6 - 7)/2) + 1 = floor((I + 1)/2); maxpool1 (3, 2, ceil):
    # K = 3 >= S + P = 2, so PyTorch's last-window rule never fires and the ceiling is plain:
    # ceil((floor((I + 1)/2) - 3)/2) + 1 = floor((floor((I + 1)/2) - 3 + 1)/2) + 1 = floor((I + 1)/4).
    # maxpool4 (2, 2, ceil) after three more halvings: ceil((floor((I + 1)/16) - 2)/2) + 1
    # = floor((floor((I + 1)/16) + 1)/2) = floor((I + 17)/32).
    a = analyse(load("googlenet"))
    assert a["maxpool1"].output.spatial[0] == floor((I + 1) / 4)
    assert a["maxpool4"].output.spatial[0] == floor((I + 17) / 32)
    for la in a.layers:
        for size in la.output.spatial:
            assert len(size.atoms(floor, ceiling)) <= 1 and not size.atoms(ceiling), (la.name, size)


# -- PyTorch's last-window rule ------------------------------------------------------------


def torch_pool(size, k, s, p, d=1):
    """PyTorch's pooling_output_shape with ceil_mode (aten/src/ATen/native/Pool.h)."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1)) // s + 1
    if (out - 1) * s >= size + p:
        out -= 1
    return out


def test_ceil_mode_size_is_pytorchs_for_every_small_pool():
    from symcnn.layers import ceil_mode_size

    for k in range(1, 8):
        for s in range(1, 8):
            for p in range(k // 2 + 1):  # PyTorch: padding at most half the window
                for d in (1, 2, 3):
                    span = d * (k - 1) + 1
                    for size in range(1, 40):
                        want = torch_pool(size, k, s, p, d)
                        n = size + 2 * p - span
                        fires = -(-n // s) + 1 != want
                        # the rule fires exactly where the window reaches less than S into
                        # the padding and the ceiling's slack (-n mod S) is at least that reach
                        assert fires == (span - p < s and (-n) % s >= span - p)
                        for by in (floor, ceiling):
                            got = ceil_mode_size(Integer(size), Integer(span), Integer(s), Integer(p), by)
                            assert got == want, (k, s, p, d, size)


def test_piecewise_in_i_modulo_the_stride_product():
    # conv 3x3 stride 2 then a 2x2 max pool of stride 3 in ceil mode: K = 2 < S + P = 3, so
    # PyTorch's rule fires at some sizes. By hand, with x = floor((I - 3)/2) + 1 = floor((I - 1)/2):
    #   PyTorch  O' = ceil((x - 2)/3) + 1, and O = O' - 1 where (O' - 1)*3 >= x.
    #   I = 6q + r (the stride product is 2*3 = 6):
    #   r = 0: x = 3q - 1 + 0 ... written out: I = 12: x = 5, O' = 2, 3 >= 5 no: O = 2 = q
    #   r = 1: I = 13: x = 6, O' = ceil(4/3) + 1 = 3, 6 >= 6 yes: O = 2 = q (the rule fires)
    #   r = 2: I = 14: x = 6, as r = 1: O = 2 = q
    #   r = 3: I = 15: x = 7, O' = ceil(5/3) + 1 = 3, 6 >= 7 no: O = 3 = q + 1
    #   r = 4: I = 16: x = 7: O = 3 = q + 1;   r = 5: I = 17: x = 8, O' = 3, 6 >= 8 no: O = 3 = q + 1
    # so O = q + (0, 0, 0, 1, 1, 1)[r], which is the one floor floor((I + 3)/6).
    net = symcnn.Network("piecewise", "64x64x1", [
        symcnn.Conv2d("conv", channels=2, kernel=3, stride=2),
        symcnn.MaxPool2d("pool", kernel=2, stride=3, ceil_mode=True),
    ], rounding="floor")
    a = analyse(net)
    assert a["pool"].output.spatial[0] == floor((I + 3) / 6)
    pieces = (0, 0, 0, 1, 1, 1)
    # the pieces, written down from the closed form: period 6, one more every 6
    assert search.pieces(a["pool"].output.spatial[0], I) == (6, Rational(1, 6), pieces)
    for size in range(a.min_input, 200):
        q, r = divmod(size, 6)
        assert a.at(a["pool"].output.spatial[0], size) == q + pieces[r]
        assert q + pieces[r] == torch_pool(torch_pool_conv(size), 2, 3, 0)


def torch_pool_conv(size):
    return (size - 3) // 2 + 1


def test_exact_rounding_through_ceil_mode_pools_is_residues():
    # exact convolutions around a ceil-mode pool: the pool's floor makes the whole sizes
    # repeat modulo 4; brute force gives the residues
    net = symcnn.Network("mixed", "64x64x1", [
        symcnn.Conv2d("c1", channels=2, kernel=3),
        symcnn.MaxPool2d("p", kernel=3, stride=2, ceil_mode=True),
        symcnn.Conv2d("c2", channels=2, kernel=3, stride=2),
    ], rounding="exact")
    a = analyse(net)
    whole = [s for s in range(1, 120) if numeric(net, s, "exact") is not None]
    cong = a.exact_inputs[I]
    assert whole == [s for s in range(a.min_input, 120) if s in cong]
    f = a.compile(a["c2"].output.spatial[0])
    assert [f(s) for s in whole] == [numeric(net, s, "exact")["c2"].output.spatial[0] for s in whole]
    assert set(a.inputs_for("c2", 5)) == {s for s in whole if numeric(net, s, "exact")["c2"].output.spatial[0] == 5}


# -- declared input sizes --------------------------------------------------------------------

LENET = NETS / "lenet5-fc.yaml"


def test_lenet5_with_in_features_400_accepts_32_to_35():
    # By hand, with floor pooling: conv1 5x5: I - 4; pool1: floor((I - 4)/2); conv2 5x5:
    # floor((I - 4)/2) - 4; pool2: floor((floor((I - 4)/2) - 4)/2) = floor((I - 12)/4).
    # fc1 reads 16*floor((I - 12)/4)**2 values and declares 400 = 16*5*5:
    # floor((I - 12)/4) = 5  <=>  20 <= I - 12 <= 23  <=>  32 <= I <= 35.
    net = symcnn.load(str(LENET))
    a = analyse(net, "floor")
    assert a.valid_inputs == (((32, 35),),)
    assert a.valid_inputs_text() == "I = 32..35"
    assert [s for s in range(1, 200) if numeric(net, s, "floor") is not None] == [32, 33, 34, 35]
    assert a.inputs_for("flatten", 400) == a.inputs_for("fc1", 400) == Range(32, 36)
    with pytest.raises(ShapeError, match="the input sizes that fit: I = 32..35"):
        a.at(a.params, 36)


def test_lenet5_in_features_non_square():
    # 16*floor((H - 12)/4)*floor((W - 12)/4) = 400: the two floors multiply to 25 = 1*25 = 5*5
    # = 25*1, and floor((x - 12)/4) is 1 for x in 16..19, 5 for 32..35, 25 for 112..115.
    net = symcnn.load(str(LENET))
    a = analyse(net, "floor", "HW")
    assert a.valid_inputs == (((16, 19), (112, 115)), ((32, 35), (32, 35)), ((112, 115), (16, 19)))
    for h, w in [(16, 112), (19, 115), (33, 34), (112, 19)]:
        assert net.derive(Shape((h, w), 1), "floor")["fc1"].input.numel == 400
    for h, w in [(20, 112), (36, 32), (112, 20)]:
        with pytest.raises(ShapeError):
            net.derive(Shape((h, w), 1), "floor")
    boxes = a.inputs_for("flatten", 400)
    assert [(list(b[0])[:1], list(b[1])[:1]) for b in boxes] == [([16], [112]), ([32], [32]), ([112], [16])]


def test_declared_mismatch_names_the_layer_both_sizes_and_what_fits(run_cli):
    # 36: floor((36 - 12)/4) = 6, 16*6*6 = 576
    status, out, err = run_cli("summary", str(LENET), "--input", "36x36x1")
    assert status == 2 and out == ""
    # --input applies before the spec is checked, so the error also names the file and line
    assert err == (f"symcnn: error: {LENET} line 16, layer fc1 (input 576): declares in_features = 400, but its "
                   "input has length 576; the input sizes that fit: H x W = 16..19 x 112..115 or 32..35 x 32..35 "
                   "or 112..115 x 16..19\n")
    # non-square: 36 x 40 gives 16*6*7 = 672
    status, _, err = run_cli("summary", str(LENET), "--input", "36x40x1")
    assert status == 2 and "declares in_features = 400, but its input has length 672; the input sizes" in err


def test_derive_states_the_valid_inputs(run_cli):
    status, out, err = run_cli("derive", str(LENET))
    assert status == 0 and err == ""
    assert "fc1 declares in_features = 400: 16*(floor(I/4) - 3)**2 = 400 for I = 32..35" in out
    assert "valid inputs: I = 32..35" in out


def test_declared_channels_that_never_fit():
    net = symcnn.Network("chan", "32x32x3", [symcnn.Conv2d("c", channels=4, kernel=3, in_channels=1)])
    with pytest.raises(ShapeError, match="declares in_channels = 1, but its input has channels 3$"):
        net.derive(rounding="floor")


# -- symbolic hyper-parameters -----------------------------------------------------------------


KERNEL_K = """
name: kernelk
input: 64x64x3
rounding: floor
layers:
  - {name: conv1, kind: conv, channels: 16, kernel: K}
  - {name: pool1, kind: maxpool, kernel: 2}
  - {name: conv2, kind: conv, channels: 32, kernel: K}
  - {name: pool2, kind: maxpool, kernel: 3, stride: 2, ceil_mode: true}
  - {name: flatten, kind: flatten}
  - {name: fc, kind: linear, features: 10}
"""


def test_a_symbolic_kernel_gives_closed_forms_and_the_smallest_input_in_k(run_cli, tmp_path):
    # conv1: I - K + 1 >= 1 gives I >= K; pool1: floor((I - K + 1)/2) >= 1 gives I >= K + 1;
    # conv2: floor((I - K + 1)/2) - K + 1 >= 1 gives I >= 3K - 1; pool2 (3, 2, ceil; 3 >= 2 + 0,
    # so a plain ceiling): ceil((x - 3)/2) + 1 = floor(x/2) with x that size, = floor((I - 3K + 3)/4)
    # >= 1 gives I >= 3K + 1, the largest.
    spec = tmp_path / "k.yaml"
    spec.write_text(KERNEL_K, encoding="utf-8")
    net = symcnn.load(str(spec))
    a = analyse(net)
    K = symcnn.K
    assert a.min_input == 3 * K + 1
    assert a["pool2"].output.spatial[0] == floor((I - 3 * K + 3) / 4)
    # at K = 3 the smallest input is 10: brute force on the same spec with kernel 3
    three = symcnn.builders.spec.loads(KERNEL_K.replace("kernel: K", "kernel: 3"), source="k3.yaml")
    assert [s for s in range(1, 40) if numeric(three, s, "floor") is not None][0] == 10
    status, out, _ = run_cli("derive", str(spec))
    assert status == 0 and "smallest input (every output >= 1): 3*K + 1" in out


# -- the time budget ----------------------------------------------------------------------------


class Spin(symcnn.Layer):
    """A layer whose derivation at a symbolic input does not end in reasonable time (bounded,
    so that a broken timer fails the test rather than hanging it)."""

    def derive(self, inputs, rounding):
        import time

        end = time.monotonic() + (0 if inputs[0].spatial[0].is_Integer else 30)
        while time.monotonic() < end:
            pass
        return symcnn.LayerDerivation(self, inputs, inputs[0], rounding=rounding)


def spinning():
    return symcnn.Network("spinning", "32x32x3", [
        symcnn.Conv2d("c1", channels=4, kernel=3), symcnn.ReLU("r1"), Spin("spin"), symcnn.Conv2d("c2", channels=4,
                                                                                                    kernel=3),
    ], rounding="floor")


def test_a_layer_out_of_time_is_named_and_the_layers_before_it_given(run_cli):
    import time

    start = time.monotonic()
    a = analyse(spinning(), budget=0.5)
    assert time.monotonic() - start < 20  # interrupted, not waited for (30 s)
    assert not a.complete and a.stopped.layer == "spin" and a.stopped.stage == "closed forms"
    assert [la.name for la in a.layers] == ["c1", "r1"]
    assert a["c1"].output.spatial[0] == I - 2
    from symcnn.views.tables import derive_text

    text = derive_text(a)
    assert text.endswith("spin had no closed form within the time budget of 0.5 s; the layers before it are given")
    assert "\nc1     conv  (I - 2) x (I - 2) x 4 " in text  # a sum among sizes in brackets


def test_the_report_says_which_layer_had_no_closed_form_in_time():
    from symcnn.analysis.budget import within

    with within(0.5):
        md = symcnn.report(spinning(), "md")
        ko = symcnn.report(spinning(), "md", lang="ko")
    assert "spin had no closed form within the time budget of 0.5 s; the layers before it are given." in md
    assert "spin 층은 시간 예산 0.5초 안에 닫힌 식을 얻지 못했습니다" in ko
    closed = md.split("## Closed forms in the input size")[1].split("\n## ")[0]  # up to the next section
    assert "| c1 |" in closed and "| c2 |" not in closed


def test_without_the_timer_the_budget_is_checked_between_layers():
    # outside the main thread no timer can interrupt; the clock is read after each layer
    import threading


    class Slow(symcnn.layers.ReLU):
        def derive(self, inputs, rounding):
            import time

            time.sleep(0.3)
            return super().derive(inputs, rounding)

    net = symcnn.Network("slow", "32x32x3", [Slow("a"), Slow("b"), Slow("c")], rounding="floor")
    got = []
    thread = threading.Thread(target=lambda: got.append(analyse(net, budget=0.1)))
    thread.start()
    thread.join(10)
    (a,) = got
    assert a.stopped.layer == "b" and [la.name for la in a.layers] == ["a"]


# -- speed, as behaviour: each distinct thing done once -------------------------------------------


def test_repeated_layers_are_derived_once(monkeypatch):
    # ResNet-152's 515 layers are 55 distinct (kind, fields, input shape) records
    net = symcnn.load(str(NETS / "resnet152.yaml"))
    calls = []
    for cls in {type(layer) for layer in net.layers}:
        original = cls.derive
        monkeypatch.setattr(cls, "derive", lambda self, inputs, rounding, _f=original: calls.append(1) or _f(
            self, inputs, rounding))
    d = net.derive(Shape((225, 225), 3), "floor")
    fields = {(type(ld.layer), tuple(v for k, v in vars(ld.layer).items() if k not in ("name", "inputs")), ld.inputs)
              for ld in d.layers}
    assert len(d.layers) == 515 and len(fields) == 55 and len(calls) == 55


def test_derive_writes_each_distinct_expression_once(monkeypatch):
    from symcnn import shape
    from symcnn.analysis import text
    from symcnn.views import tables

    a = analyse(symcnn.load(str(NETS / "resnet152.yaml")))
    written = []
    for module in (text, shape):  # the cells, and the sizes
        monkeypatch.setattr(module, "display", lambda e, _d=module.display: written.append(e) or _d(e))
    tables.derive_text(a)
    assert len(written) == len(set(written))


def test_no_formula_is_built_at_import():
    import subprocess
    import sys

    code = "import symcnn, symcnn.formulas as f; print(f.formula.cache_info().currsize)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parents[1])
    assert done.stdout.strip() == "0"


STRIDE_S = """
name: strides
input: 64x64x3
rounding: floor
layers:
  - {name: conv1, kind: conv, channels: 16, kernel: 3, stride: S, padding: 1}
  - {name: conv2, kind: conv, channels: 16, kernel: 3, stride: S, padding: 1}
  - {name: pool, kind: maxpool, kernel: 3, stride: 2, ceil_mode: true}
"""


def test_a_symbolic_stride_merges_its_floors():
    # conv1: floor((I + 2 - 3)/S) + 1 = floor((I - 1)/S) + 1; conv2 on that: floor((floor((I - 1)/S) + 1
    # - 1)/S) + 1 = floor((I - 1)/S**2) + 1 (the merging rule holds for any whole S > 0); the pool
    # (3, 2, ceil: 3 >= 2, a plain ceiling) needs its input x >= 2: floor((I - 1)/S**2) >= 1, so
    # I >= S**2 + 1. At S = 2 that is 5: brute force below.
    net = symcnn.builders.spec.loads(STRIDE_S, source="s.yaml")
    a = analyse(net)
    S = symcnn.S
    assert a["conv2"].output.spatial[0] == floor((I - 1) / S**2) + 1
    assert a.min_input == S**2 + 1
    two = symcnn.builders.spec.loads(STRIDE_S.replace("stride: S", "stride: 2"), source="s2.yaml")
    assert [s for s in range(1, 20) if numeric(two, s, "floor") is not None][0] == 5
    exact = analyse(net, "exact")
    assert exact.conditions[:2] == ("conv1: 1 + (I - 1)/S is whole (exact rounding)",
                                    "conv2: 1 + (I - 1)/S**2 is whole (exact rounding)")


def test_squeezenet_in_exact_rounding_takes_the_odd_sizes():
    # conv1 (7, 2, 0): (I - 7)/2 + 1 is whole for odd I; the ceil-mode pools round whatever
    # comes, and the fire modules keep the size: every odd size from the smallest (21).
    net = load("squeezenet1_0")
    a = analyse(net, "exact")
    assert (a.exact_inputs[I].residues, a.exact_inputs[I].modulus) == ((1,), 2)
    assert [s for s in range(1, 80) if numeric(net, s, "exact") is not None] == list(range(21, 80, 2))


def test_the_sizes_that_fit_nearest_first_and_for_the_inputs_channels():
    # an MLP on 28x28 images: H*W*C = 784 = 2**4 * 7**2 has 15 divisor pairs for one channel;
    # the four nearest 30x30 come first. With 3 channels no H x W fits (784 is not 3 H W).
    net = symcnn.Network("mlp", "28x28x1", [symcnn.Flatten("flat"), symcnn.Linear("fc", features=10,
                                                                                   in_features=784)])
    with pytest.raises(ShapeError) as e:
        net.derive((30, 30, 1), "floor")
    assert str(e.value).endswith("but its input has length 900")  # the engine runs no analysis
    assert str(explain(e.value)).endswith("but its input has length 900; the input sizes that fit: "
                                          "H x W = 28 x 28 or 16 x 49 or 49 x 16 or 14 x 56 (and 11 more)")
    with pytest.raises(ShapeError) as e:
        net.derive((28, 28, 3), "floor")
    assert str(explain(e.value)).endswith("but its input has length 2,352; no input size fits")


def test_a_mismatch_in_the_engine_runs_no_analysis_and_sets_no_alarm(monkeypatch):
    # Network.derive answers a declared size that does not fit with the engine's words alone:
    # no analysis (which would run under a SIGALRM timer); explain() adds what fits, on request.
    import signal

    from symcnn.analysis import closed

    net = symcnn.Network("mlp", "28x28x1", [symcnn.Flatten("flat"), symcnn.Linear("fc", features=10,
                                                                                   in_features=784)])
    calls = []
    monkeypatch.setattr(closed, "_analyse", lambda *args: calls.append("analyse"))
    monkeypatch.setattr(signal, "signal", lambda *args: calls.append("signal"))
    with pytest.raises(ShapeError) as e:
        net.derive((30, 30, 1), "floor")
    assert str(e.value) == "fc (input 900): declares in_features = 784, but its input has length 900"
    assert calls == []


def _random_closed_forms(seed: int, count: int):
    """Sizes, counts and totals of the kinds the closed forms hold: floors and ceilings of linear
    sums with fractions of up to 80-bit denominators, their powers, multiples and sums."""
    import random

    from sympy import Add, Rational, Symbol, ceiling, floor

    from symcnn.symbols import C, H, K, N, P, W

    rng = random.Random(seed)
    for _ in range(count):
        names = rng.sample([I, K, H, W, P, N, C, Symbol("a")], rng.randint(1, 3))
        terms = [Rational(rng.choice([1, 1, 2, 3, 10 ** rng.randint(1, 50)]) * rng.choice([1, 1, -1]),
                          rng.choice([1, 2, 3, 16, 2 ** rng.randint(1, 80)])) * s for s in names]
        if rng.random() < 0.8:
            terms.append(Rational(rng.randint(-10 ** rng.randint(1, 60), 10 ** rng.randint(1, 60)),
                                  rng.choice([1, 2, 3, 2 ** rng.randint(1, 80)])))
        x = Add(*terms)
        c = rng.choice([2, 3, 576, 10 ** rng.randint(2, 60), -3, Rational(1, 2)])
        yield rng.choice([x, floor(x), ceiling(x), c * floor(x) ** 2, c * ceiling(x) + 5, floor(x) * ceiling(x / 2),
                          Add(*[rng.randint(1, 500) * floor(x / 2 ** k) ** 2 for k in range(1, 6)])])


def test_closed_forms_print_as_sympy_prints_them():
    # display() writes each part once and orders linear sums and simple products itself:
    # the text is sympy's own str of the same expression, sum over one denominator
    from sympy import Add, factor_terms, together

    from symcnn.printing import _displayed, _positive_over_one_denominator, display, linear_order

    for expr in _random_closed_forms(19, 200):
        shown = _displayed(expr)
        assert display(expr) == str(shown), expr
        for part in (p for p in shown.atoms(Add) if linear_order(p) is not None):
            assert linear_order(part) == part.as_ordered_terms(), part
    for expr in _random_closed_forms(20, 200):  # the fast way over one denominator, against sympy's factoring
        for part in expr.atoms(Add):
            if not all(t == 1 or t.is_Symbol for t in part.as_coefficients_dict()):
                continue  # display() writes linear sums over one denominator only
            fast = _positive_over_one_denominator(part)
            if fast is not None:
                f = factor_terms(part)
                rest = f.as_coeff_Mul()[1]
                slow = together(part) if isinstance(rest, Add) and any(
                    not c.is_Integer for c in rest.as_coefficients_dict().values()) else f
                assert srepr(fast) == srepr(slow), part


def test_totals_at_an_input_are_sympy_s_values():
    from symcnn.analysis.compile import value_at

    for expr in _random_closed_forms(21, 200):
        values = {s: Integer(224 + 7 * i) for i, s in enumerate(sorted(expr.free_symbols, key=str))}
        assert value_at(expr, values) == expr.xreplace(values), expr
