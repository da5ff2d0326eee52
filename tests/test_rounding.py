"""round_with: the floor and ceiling that symbolic derivations build directly, checked against
sympy's own floor and ceiling and against whole-number arithmetic."""

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Rational, ceiling, floor

from symcnn import I
from symcnn.rounding import round_with

rounders = st.sampled_from([floor, ceiling])
fractions = st.builds(Fraction, st.integers(-40, 40), st.integers(1, 12))
positive = st.builds(Fraction, st.integers(1, 40), st.integers(1, 12))


def by_hand(rounder, value: Fraction) -> int:
    return math.floor(value) if rounder is floor else math.ceil(value)


def linear(a: Fraction, q: Fraction):
    return Rational(a.numerator, a.denominator) * I + Rational(q.numerator, q.denominator)


@settings(max_examples=200, deadline=None)
@given(rounder=rounders, a=positive, q=fractions)
def test_a_linear_size_is_written_as_sympy_writes_it(rounder, a, q):
    arg = linear(a, q)
    assert round_with(rounder, arg) == rounder(arg)


@settings(max_examples=200, deadline=None)
@given(rounder=rounders, a=positive, q=fractions, b=st.integers(1, 5), beta=fractions)
def test_nested_roundings_merge_into_one_of_the_same_value(rounder, a, q, b, beta):
    inner = rounder(linear(a, q))
    merged = round_with(rounder, inner / b + Rational(beta.numerator, beta.denominator))
    assert len(merged.atoms(floor, ceiling)) <= 1
    for x in range(1, 80):
        expected = by_hand(rounder, Fraction(by_hand(rounder, a * x + q), b) + beta)
        assert merged.subs(I, x) == expected, x
