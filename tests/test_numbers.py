"""Numbers are written one way in every view (symcnn.numbers): the summary, a report and
check-doc give a huge number the same text, and each convention groups as it should."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symcnn import numbers
from symcnn.numbers import DE, EN, PLAIN, TEX, exact, grouped, terminating

# 10**10000 - 10**5000 by hand: 5,000 nines, then 5,000 zeros; 10,000 digits in all. Grouped in
# threes from the right, the first group has 10,000 mod 3 = 1 digit; the text shows the first
# 12 + 1 digits (a group boundary), the last 12, and the length.
HUGE = 10**10000 - 10**5000
HUGE_TEXT = "9,999,999,999,999,…,000,000,000,000 (10,000 digits)"
NINES = "9" * 5000  # 10**5000 - 1


def test_a_number_of_10000_digits_is_written_the_same_in_summary_report_and_check_doc(run_cli, tmp_path,
                                                                                         monkeypatch):
    # A linear layer of 10**5000 - 1 features on a flattened 1 x 1 x (10**5000 - 1) input has
    # (10**5000 - 1)**2 weights and 10**5000 - 1 biases: (10**5000 - 1) * 10**5000 = HUGE parameters.
    monkeypatch.setenv("SYMCNN_MAX_DIGITS", "5000")
    spec = tmp_path / "wide.yaml"
    spec.write_text(f"name: wide\ninput: 1x1x{NINES}\nlayers:\n  - {{name: flat, kind: flatten}}\n"
                    f"  - {{name: fc, kind: linear, features: {NINES}}}\n", encoding="utf-8")
    assert grouped(HUGE) == HUGE_TEXT
    status, out, err = run_cli("summary", str(spec))
    assert status == 0, err
    assert f"total params  {HUGE_TEXT}" in out.splitlines()
    status, _, err = run_cli("report", str(spec), "--format", "md", "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert HUGE_TEXT in (tmp_path / "out" / "wide.md").read_text(encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text("The count: $10^{10000} - 10^{5000} = 1$.\n", encoding="utf-8")
    status, out, _ = run_cli("check-doc", str(doc))
    assert status == 1
    assert f"({HUGE_TEXT} is not 1)" in out


@pytest.mark.parametrize("n, convention, text", [
    (34848, EN, "34,848"), (34848, TEX, "34{,}848"), (34848, DE, "34.848"), (34848, PLAIN, "34848"),
    (-1234567, EN, "-1,234,567"), (999, EN, "999"), (0, EN, "0"),
    # 10**40 has 41 digits, one past those written out: its first group has 41 mod 3 = 2
    # digits, so it shows 2 + 12 digits (10 and 12 zeros), then the last 12 (zeros)
    (10**40, EN, "10,000,000,000,000,…,000,000,000,000 (41 digits)"),
    (10**40, TEX, r"10{,}000{,}000{,}000{,}000{,}\ldots{}{,}000{,}000{,}000{,}000 (41 digits)"),
], ids=lambda v: str(v)[:20])
def test_grouping_in_each_convention(n, convention, text):
    assert grouped(n, convention) == text


@pytest.mark.parametrize("q, text", [
    (Fraction(213, 4), "53.25"), (Fraction(-1, 8), "-0.125"), (Fraction(1, 3), "1/3"),
    (Fraction(69696, 5), "13,939.2"), (Fraction(10**6), "1,000,000"),
    # 1/2**41 needs 41 decimals, one past those written out: p/q
    (Fraction(1, 2**41), "1/2,199,023,255,552"),
], ids=str)
def test_exact_values(q, text):
    assert exact(q) == text


def test_exact_decimals_use_whole_numbers_only():
    # (10 x 2**53 + 10 - 11)/4: a float loses the last digits; 90071992547409919/4 = 22517998136852479.75
    assert terminating(Fraction(90071992547409930 - 11, 4)) == "22517998136852479.75"
    assert terminating(Fraction(1, 3)) is None
    assert numbers.decimal(Fraction(217, 3)) == "72.333333..."
    assert numbers.digit_count(10**5000) == 5001
