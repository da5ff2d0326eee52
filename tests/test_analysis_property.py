"""Property: for random chains of conv/pool layers the collapsed closed form equals the
layer-by-layer arithmetic at every input size where the chain is valid, with one floor
(or ceiling) per axis, and the smallest valid input is the one the closed forms give."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sympy import ceiling, floor

from symcnn import Conv2d, I, MaxPool2d, Network, ShapeError, SolveError
from symcnn.analysis import analyse

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
    a = analyse(net, rounding)
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
        a = analyse(net, "exact")
    except SolveError:
        assert not any(whole_by_hand(specs, i) for i in range(1, 2000))
        return
    cong = a.exact_inputs[I]
    top = a.min_input + 3 * cong.modulus
    whole = [i for i in range(1, top) if whole_by_hand(specs, i) is not None]
    assert whole == [i for i in range(a.min_input, top) if i % cong.modulus == cong.residue]
    f = a.compile(a.layers[-1].output.spatial[0])
    assert all(f(i) == whole_by_hand(specs, i)[-1] for i in whole)


# -- ceil-mode pooling: PyTorch's last-window rule --------------------------------------------

ceil_chains = st.lists(
    st.one_of(
        st.tuples(st.just("conv"), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2)),
        # pools with any K, S, P PyTorch allows (P <= K/2), K < S + P included
        st.integers(1, 6).flatmap(lambda k: st.tuples(st.just("ceilpool"), st.just(k), st.integers(1, 5),
                                                       st.integers(0, k // 2))),
    ),
    min_size=1,
    max_size=6,
)


def pytorch_sizes(specs, size):
    """Each layer's width as PyTorch computes it (aten's pooling_output_shape with ceil_mode,
    conv_output_size), or None once an output would be below 1."""
    sizes = []
    for kind, k, s, p in specs:
        if kind == "conv":
            if size + 2 * p < k:
                return None
            size = (size + 2 * p - k) // s + 1
        else:
            out = (size + 2 * p - (k - 1) - 1 + (s - 1)) // s + 1
            if (out - 1) * s >= size + p:
                out -= 1
            size = out
        if size < 1:
            return None
        sizes.append(size)
    return sizes


@settings(max_examples=80, deadline=None)
@given(specs=ceil_chains)
@example(specs=[("conv", 3, 2, 0), ("ceilpool", 2, 3, 0)])  # K < S + P: the rule fires (test_closed_forms.py)
@example(specs=[("ceilpool", 3, 4, 1), ("ceilpool", 1, 3, 0), ("ceilpool", 3, 2, 0)])
def test_ceil_mode_chains_agree_with_pytorch_and_the_derivation(specs):
    layers = [
        Conv2d(name=f"l{n}", channels=2, kernel=k, stride=s, padding=p) if kind == "conv"
        else MaxPool2d(name=f"l{n}", kernel=k, stride=s, padding=p, ceil_mode=True)
        for n, (kind, k, s, p) in enumerate(specs)
    ]
    net = Network("ceil", "64x64x1", layers, rounding="floor")
    a = analyse(net)
    for la in a.layers:  # one rounding per axis, whatever the mix of floors and ceilings
        assert len(la.output.spatial[0].atoms(floor, ceiling)) <= 1
    functions = [a.compile(la.output.spatial[0]) for la in a.layers]
    top = a.min_input + 60
    valid = [i for i in range(1, top) if pytorch_sizes(specs, i) is not None]
    assert valid == list(range(a.min_input, top))
    for i in valid:
        by_pytorch = pytorch_sizes(specs, i)
        assert [f(i) for f in functions] == by_pytorch
        assert [d.output.spatial[0] for d in net.derive((i, i, 1)).layers] == by_pytorch
    if a.min_input > 1:
        with pytest.raises(ShapeError):
            net.derive((a.min_input - 1, a.min_input - 1, 1))
