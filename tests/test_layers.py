"""Layers as values: fields checked on the way in, shapes carried through networks."""

import pytest
from sympy import Integer, floor

import symcnn
from symcnn import Conv2d, Flatten, Linear, MaxPool2d, Network, ReLU, Shape
from symcnn.views.report.formats import shape_tex

BAD_FIELDS = [
    pytest.param(dict(stride=0), "conv1: stride must be a positive whole number, got 0", id="stride-0"),
    pytest.param(dict(padding=-1), "conv1: padding must be a whole number >= 0, got -1", id="negative-padding"),
    pytest.param(dict(kernel=0), "conv1: kernel must be a positive whole number, got 0", id="kernel-0"),
    pytest.param(dict(channels=-96), "conv1: channels must be a positive whole number, got -96",
                 id="negative-channels"),
    pytest.param(dict(kernel=2.5), "conv1: kernel must be a whole number or a symbol, got 2.5", id="float-kernel"),
    pytest.param(dict(stride=True), "conv1: stride must be a whole number or a symbol, got True", id="bool"),
    pytest.param(dict(kernel="__import__('os')"), "conv1: kernel must be a whole number or a symbol name",
                 id="code-as-symbol"),
]


@pytest.mark.parametrize("change, message", BAD_FIELDS)
def test_bad_fields(change, message):
    with pytest.raises(symcnn.LayerError) as e:
        Conv2d(name="conv1", **{"channels": 96, "kernel": 11, **change})
    assert str(e.value).startswith(message)


def test_layers_are_frozen_values():
    a = Conv2d(name="c", channels=8, kernel=3)
    assert a == Conv2d(name="c", channels=Integer(8), kernel=(3,))
    with pytest.raises(AttributeError):
        a.channels = 9  # type: ignore[misc]


def test_rectangular_input_and_kernel():
    # 32x48x3 input, 3x5 kernel, padding (1, 2): H = (32 - 3 + 2)/1 + 1 = 32, W = (48 - 5 + 4)/1 + 1 = 48;
    # weights 3*5*3*16 = 720, biases 16.
    net = Network("rect", "32x48x3", [Conv2d(name="c", channels=16, kernel=(3, 5), padding=(1, 2)),
                                      MaxPool2d(name="p", kernel=2), Flatten(name="flat"),
                                      Linear(name="fc", features=10)])
    d = net.derive()
    assert d["c"].output.to_json() == [32, 48, 16]
    assert [s.axis for s in d["c"].steps if s.symbol == symcnn.O] == ["H", "W"]
    assert d["c"].weights == 3 * 5 * 3 * 16 and d["c"].biases == 16
    assert d["p"].output.to_json() == [16, 24, 16]
    assert d["flat"].output.to_json() == [16 * 24 * 16]
    assert d["fc"].formulas == ("fc-fc-params",)
    assert d["fc"].params == 16 * 24 * 16 * 10 + 10


def test_fc_after_rectangular_map_uses_h_w_n_f():
    d = Network("r", "4x6x8", [Linear(name="fc", features=5)]).derive()
    assert d["fc"].formulas == ("fc-conv-params-hw",)
    assert d["fc"].weights == 4 * 6 * 8 * 5


def test_shape_keeping_layers_hold_nothing():
    d = Network("a", "13x13x256", [ReLU(name="r"), symcnn.LRN(name="n"), symcnn.Dropout(name="d"),
                                   symcnn.Softmax(name="s")]).derive()
    assert [l.output.to_json() for l in d.layers] == [[13, 13, 256]] * 4
    assert [l.type for l in d.layers] == ["act", "norm", "dropout", "act"]
    assert d.total_params == 0


def test_symbolic_input_keeps_formulas():
    # With the input size left as I, conv1's output is the article's formula with K, P, S put in.
    I = symcnn.I
    conv = Conv2d(name="conv1", channels=96, kernel=11, stride=4)
    d = conv.derive((Shape((I, I), 3),), "floor")
    assert d.output.spatial == (floor((I - 11) / 4) + 1,) * 2
    assert d.params == 34_944


def test_network_checks_names_and_inputs():
    with pytest.raises(symcnn.LayerError, match="used twice"):
        Network("n", "8x8x1", [ReLU(name="a"), ReLU(name="a")])
    with pytest.raises(symcnn.LayerError, match="input 'zz' is not an earlier layer"):
        Network("n", "8x8x1", [ReLU(name="a", inputs=("zz",))])


def test_vector_into_conv_is_a_shape_error():
    net = Network("n", "10", [Conv2d(name="c", channels=2, kernel=1)])
    with pytest.raises(symcnn.ShapeError, match=r"c \(input 10\): needs a feature map"):
        net.derive()


@pytest.mark.parametrize("name", ["__import__", "_private", "lambda", "1x", "a-b"])
def test_symbol_names_refuse_private_names_and_keywords(name):
    # symbols reach the code sympy.lambdify generates; only plain names may become symbols
    with pytest.raises(symcnn.LayerError, match="must be a whole number or a symbol name"):
        Conv2d(name="c", channels=name, kernel=3)


def test_symbolic_sums_in_a_shape_are_bracketed():
    # A KxK conv with padding 1 on 32: 32 - K + 2*1 + 1 = 35 - K per side. Unbracketed,
    # 35 - K \times 35 - K \times N would be 35 - 35K - KN in LaTeX; the plain text likewise.
    K, N = symcnn.K, symcnn.N
    d = Network("s", "32x32x3", [Conv2d("c", channels="N", kernel="K", padding=1)], rounding="floor").derive()
    assert d["c"].output == Shape((35 - K, 35 - K), N)
    assert str(d["c"].output) == d["c"].output.text() == "(35 - K)x(35 - K)xN"
    assert shape_tex(d["c"].output) == r"\left(35 - K\right) \times \left(35 - K\right) \times N"
    assert Shape((), 35 - K).text() == "35 - K"  # a vector's one size needs no brackets


def test_only_ascii_digits_are_sizes():
    with pytest.raises(symcnn.SpecError, match="expected sizes such as 227x227x3"):
        Shape.parse("\u0663x\u0663x\u0663")  # Arabic-Indic digits


def test_network_input_as_whole_numbers():
    # (32, 32, 3) is 32x32x3; AlexNet at (224, 224, 3) in floor rounding: 50,844,008 (test_cli.py's sum)
    assert Network("n", (32, 32, 3), [ReLU("r")]).input == Shape.parse("32x32x3")
    assert symcnn.load("alexnet").derive((224, 224, 3), "floor").total_params == 50_844_008


@pytest.mark.parametrize("args, error, message", [
    (("n", (32.0, 32, 3), [ReLU("r")]), symcnn.SpecError, "n: input: expected sizes such as 227x227x3"),
    (("n", "8x8x3", [ReLU("r"), "relu"]), symcnn.LayerError, "n: layer 2 is not a Layer, got 'relu'"),
    (("n", "8x8x3", None), symcnn.LayerError, "n: layers must be a list of layers, got None"),
    ((None, "8x8x3", [ReLU("r")]), symcnn.LayerError, "a network needs a non-empty name, got None"),
], ids=["float-size", "not-a-layer", "no-layers", "no-name"])
def test_network_arguments_are_checked(args, error, message):
    with pytest.raises(error) as e:
        Network(*args)
    assert str(e.value).startswith(message)


def test_load_of_something_that_is_no_name():
    with pytest.raises(symcnn.UnknownNameError, match="unknown network 5; built-in: alexnet"):
        symcnn.load(5)


def test_every_annotated_field_of_a_layer_is_a_dataclass_field():
    # A layer class that adds no field is a plain subclass (no @dataclass, for start-up time);
    # one that adds a field without the decorator would silently lose it.
    from symcnn.layers import LAYER_TYPES, Layer

    def classes(cls):
        yield cls
        for sub in cls.__subclasses__():
            yield from classes(sub)

    for cls in {*classes(Layer), *LAYER_TYPES.values()}:
        if cls.__module__ != "symcnn.layers":
            continue
        own = {name for name, kind in cls.__dict__.get("__annotations__", {}).items()
               if "ClassVar" not in str(kind) and "KW_ONLY" not in str(kind)}
        if own:
            assert own <= set(cls.__dict__.get("__dataclass_fields__", {})), cls
