"""The article's general formulas, checked symbolically, and the three rounding modes."""

import pytest
from sympy import Eq, Rational, ceiling, floor, simplify

import symcnn
from symcnn import B_c, C, F, F_prev, I, K, N, O, P, P_c, P_s, S, W_c
from symcnn.formulas import formula

# Each formula written out by hand from the article.
EXPECTED = [
    ("conv-output", O, (I - K + 2 * P) / S + 1),
    ("pool-output", O, (I - P_s) / S + 1),
    ("conv-params", P_c, K**2 * C * N + N),
    ("fc-conv-params", symcnn.P_cf, O**2 * N * F + F),
    ("fc-fc-params", symcnn.P_ff, F_prev * F + F),
]


@pytest.mark.parametrize("name, lhs, rhs", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_general_formula(name, lhs, rhs):
    f = formula(name)
    assert f.lhs == lhs
    assert simplify(f.rhs - rhs) == 0


def test_conv_params_parts():
    parts = dict(formula("conv-params").parts)
    assert simplify(parts[W_c].doit() - K**2 * C * N) == 0
    assert parts[B_c] == N
    assert simplify(parts[P_c] - (W_c + B_c)) == 0


def test_repl_substitution():
    assert symcnn.conv_output.rhs.subs({I: 227, K: 11, P: 0, S: 4}) == 55
    assert symcnn.pool_output.rhs.subs({I: 55, P_s: 3, S: 2}) == 27


def test_symbols_are_integers():
    for s in (I, K, S, N, C, F, O, P_s, F_prev):
        assert s.is_integer and s.is_positive
    assert P.is_integer and P.is_nonnegative
    from symcnn.printing import tex

    assert tex(F_prev) == "F_{-1}" and tex(W_c) == "W_{c}"


@pytest.mark.parametrize(
    "rounding, expected",
    # I=224, K=11, P=0, S=4: (224 - 11)/4 = 53.25, so floor gives 53 + 1 = 54, ceil 54 + 1 = 55.
    [("floor", 54), ("ceil", 55)],
)
def test_rounding_modes(rounding, expected):
    f = formula("conv-output", rounding)
    assert f.rhs.subs({I: 224, K: 11, P: 0, S: 4}) == expected
    round_fn = floor if rounding == "floor" else ceiling
    assert simplify(f.rhs - (round_fn((I - K + 2 * P) / S) + 1)) == 0
    net = symcnn.Network("one", "224x224x3", [symcnn.Conv2d(name="conv1", channels=96, kernel=11, stride=4)],
                         rounding=rounding)
    (step,) = [s for s in net.derive()["conv1"].steps if s.symbol == O]
    assert step.value == expected
    assert step.rounding == rounding
    assert step.unrounded == Rational(213, 4)  # (224 - 11)/4 = 53.25, kept for the report


def test_exact_rounding_refuses_a_fraction():
    net = symcnn.Network("one", "224x224x3", [symcnn.Conv2d(name="conv1", channels=96, kernel=11, stride=4)])
    with pytest.raises(symcnn.RoundingError) as e:
        net.derive()
    assert "conv1" in str(e.value)
    assert "54.25" in str(e.value)  # (224 - 11)/4 + 1
    assert "floor rounding" in str(e.value) and "ceil" in str(e.value)


def test_formula_json_equation_is_sympy_parseable():
    from sympy.parsing.sympy_parser import parse_expr

    # Our own output, not user text: parsing it back is what the contract promises.
    for name in ("conv-output", "pool-output", "conv-params", "fc-conv-params", "fc-fc-params"):
        f = formula(name)
        eq = parse_expr(f.to_json()["equation"], local_dict={s.name: s for s in f.eq.free_symbols})
        assert isinstance(eq, Eq)
        assert simplify(eq.rhs - f.rhs) == 0


def test_unknown_formula_and_rounding():
    with pytest.raises(symcnn.UnknownNameError, match="unknown formula 'conv'"):
        formula("conv")
    with pytest.raises(symcnn.UnknownNameError, match="unknown rounding 'round'"):
        formula("conv-output", "round")
