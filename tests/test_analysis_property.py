"""Property: for random chains of conv/pool layers the collapsed closed form equals the
layer-by-layer arithmetic at every input size where the chain is valid, with one floor
(or ceiling) per axis, and the smallest valid input is the one the closed forms give."""

from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import ceiling, floor

from symcnn import Conv2d, I, MaxPool2d, Network, SolveError

layer_specs = st.lists(
    st.tuples(
        st.sampled_from(["conv", "pool"]),
        st.integers(1, 5),  # kernel
        st.integers(1, 3),  # stride
        st.integers(0, 2),  # padding
    ),
    min_size=1,
    max_size=6,
)


def build(specs, rounding):
    layers = []
    for n, (kind, k, s, p) in enumerate(specs):
        if kind == "conv":
            layers.append(Conv2d(name=f"l{n}", channels=2, kernel=k, stride=s, padding=p))
        else:
            layers.append(MaxPool2d(name=f"l{n}", kernel=k, stride=s, padding=min(p, k // 2)))
    return Network("chain", "64x64x1", layers, rounding=rounding)


def by_hand(specs, size, rounding):
    """Each layer's output width by plain integer arithmetic, or None once a window does not fit.

    A kernel must fit the padded input; a pooling window in ceil mode may overhang its end
    as long as it leaves an output of at least 1 (as PyTorch's and Caffe's pooling do).
    """
    sizes = []
    for kind, k, s, p in specs:
        if kind == "pool":
            p = min(p, k // 2)  # PyTorch: pooling padding at most half the window
        numerator = size - k + 2 * p
        if numerator < 0 and (kind == "conv" or rounding == "floor"):
            return None
        size = (numerator // s if rounding == "floor" else -(-numerator // s)) + 1
        if size < 1:
            return None
        sizes.append(size)
    return sizes


@settings(max_examples=60, deadline=None)
@given(specs=layer_specs, rounding=st.sampled_from(["floor", "ceil"]))
def test_collapsed_closed_form_equals_layer_by_layer(specs, rounding):
    net = build(specs, rounding)
    a = net.analyse(rounding)
    rounder = floor if rounding == "floor" else ceiling
    for la in a.layers:
        for size in la.output.spatial:
            assert len(size.atoms(floor, ceiling)) <= 1, size
            assert not size.atoms(ceiling if rounding == "floor" else floor)
    functions = [a.compile(la.output.spatial[0]) for la in a.layers]
    top = a.min_input + 60
    valid = [i for i in range(1, top) if by_hand(specs, i, rounding) is not None]
    assert valid and valid[0] == a.min_input
    assert valid == list(range(valid[0], top))  # the valid inputs: every size from the smallest
    for i in valid:
        assert [f(i) for f in functions] == by_hand(specs, i, rounding)
    last = a.layers[-1].output.spatial[0]
    assert len(last.atoms(rounder)) <= 1


def whole_by_hand(specs, size):
    """Each layer's output width where every division is whole, else None."""
    sizes = []
    for kind, k, s, p in specs:
        if kind == "pool":
            p = min(p, k // 2)  # as build() makes it
        numerator = size - k + 2 * p
        if numerator < 0 or numerator % s:
            return None
        size = numerator // s + 1
        sizes.append(size)
    return sizes


@settings(max_examples=40, deadline=None)
@given(specs=layer_specs)
def test_exact_inputs_are_the_derived_congruence(specs):
    net = build(specs, "exact")
    try:
        a = net.analyse("exact")
    except SolveError:
        assert not any(whole_by_hand(specs, i) for i in range(1, 2000))
        return
    cong = a.exact_inputs[I]
    top = a.min_input + 3 * cong.modulus
    whole = [i for i in range(1, top) if whole_by_hand(specs, i) is not None]
    assert whole == [i for i in range(a.min_input, top) if i % cong.modulus == cong.residue]
    f = a.compile(a.layers[-1].output.spatial[0])
    assert all(f(i) == whole_by_hand(specs, i)[-1] for i in whole)
