"""Closed forms evaluated in whole numbers, one size or arrays of sizes: exact everywhere,
past int64 too, and in exact rounding."""

import builtins

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, Max, Rational, ceiling, floor

import symcnn
from symcnn import I, RoundingError, ShapeError
from symcnn.analysis import analyse
from symcnn.analysis.compile import INT64, compile_expr

np = pytest.importorskip("numpy")


def forms():
    """Closed forms as networks make them: sums of rational multiples, roundings and powers of I."""
    leaf = st.one_of(st.just(I), st.integers(-9, 9).map(Integer),
                     st.tuples(st.integers(-9, 9), st.integers(1, 5)).map(lambda t: Rational(*t)))

    def grow(inner):
        return st.one_of(
            st.tuples(inner, inner).map(lambda t: t[0] + t[1]),
            st.tuples(st.integers(-4, 4), st.integers(1, 3), inner).map(lambda t: Rational(t[0], t[1]) * t[2]),
            st.tuples(inner, st.sampled_from([1, 2, 3, 4, 8, 16, 5])).map(lambda t: floor(t[0] / t[1])),
            st.tuples(inner, st.sampled_from([1, 2, 3, 4, 8, 16, 5])).map(lambda t: ceiling(t[0] / t[1])),
            st.tuples(inner, st.integers(1, 3)).map(lambda t: t[0] ** t[1]),
            st.tuples(inner, inner).map(lambda t: Max(t[0], t[1])),
        )

    return st.recursive(leaf, grow, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(expr=forms(), xs=st.lists(st.integers(-10**19, 10**19), min_size=1, max_size=5))
def test_compiled_forms_are_sympys_values(expr, xs):
    f = compile_expr(expr, (I,))
    want = [expr.subs(I, x) for x in xs]
    assert [f(x) for x in xs] == want  # a Fraction where the form is not whole
    if all(w.is_Integer for w in want):
        got = f.many(np.array(xs, dtype=object))
        assert [int(v) for v in got] == [int(w) for w in want]
        small = [x for x in xs if abs(x) < 2**62]
        if small:
            assert [int(v) for v in f.many(np.array(small, dtype=np.int64))] == [int(expr.subs(I, x)) for x in small]


def test_resnet50_macs_past_int64_stay_exact():
    # ResNet-50's MACs grow as I**2 (4.1e9 at 224, so about 8.1e18 at 10**7): at 1.1e7 they
    # pass 2**63, and the array is evaluated in Python integers instead of wrapping around.
    a = analyse(symcnn.load("resnet50"))
    f = a.compile(a.macs)
    small = f.many(np.arange(224, 1224))
    assert small.dtype == np.int64 and int(small[0]) == a.at(a.macs, 224)
    assert f.bound([(11 * 10**6, 11 * 10**6 + 9)]) > INT64
    big = f.many(np.arange(11 * 10**6, 11 * 10**6 + 10))
    assert big.dtype == object
    assert [int(v) for v in big] == [int(a.macs.subs(I, x)) for x in range(11 * 10**6, 11 * 10**6 + 10)]
    assert int(big[0]) > INT64


def test_exact_rounding_values_are_whole_or_refused():
    a = analyse(symcnn.load("alexnet"), "exact")
    pool3 = a["pool3"].output.spatial[0]  # (I - 35)/32, whole at I = 3 mod 32: 6 at 227 (the article's 6x6)
    assert [int(v) for v in a.compile(pool3).many([67, 99, 227])] == [1, 2, 6]
    with pytest.raises(RoundingError, match="not whole at 228"):
        a.compile(pool3).many([227, 228])
    # evaluate() checks the sizes as at() does: exact rounding's congruence, the smallest input
    with pytest.raises(RoundingError, match="exact rounding needs I = 3 mod 32"):
        a.evaluate(pool3, [227, 228])
    with pytest.raises(ShapeError, match="below the smallest input 67"):
        analyse(symcnn.load("alexnet"), "floor").evaluate(pool3, [35, 227])


def test_without_numpy_many_gives_python_integers(monkeypatch):
    real_import = builtins.__import__

    def no_numpy(name, *args, **kwargs):
        if name == "numpy":
            raise ImportError("no numpy here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_numpy)
    a = analyse(symcnn.load("alexnet"), "floor")
    assert a.compile(a.params).many(range(227, 230)) == [62378344] * 3


def test_non_square_inputs_take_one_array_per_symbol():
    a = analyse(symcnn.load("resnet18"), "floor", "HW")
    h, w = a["maxpool"].output.spatial  # floor((H + 3)/4) and floor((W + 3)/4): 56 x 56 at 224
    assert [int(v) for v in a.evaluate(h * w, [224, 225, 193], [224, 224, 320])] == [56 * 56, 57 * 56, 49 * 80]
