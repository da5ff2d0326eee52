"""A number of 10,000 digits is written one way in every view (symcnn.numbers.grouped): the
summary, a report and check-doc show its first and last digits and its length, and nothing
trips over Python's limit of 4,300 digits for converting a whole number to text."""

from __future__ import annotations

import pytest

from symcnn.layers import Conv2d
from symcnn.network import Network

# N = 10**9999 + 7 output channels (10,000 digits), written out without converting an int to text
N_DIGITS = "1" + "0" * 9995 + "0007"
SPEC = f"""name: huge
input: 8x8x3
rounding: floor
layers:
  - {{name: conv1, kind: conv, channels: {N_DIGITS}, kernel: 3}}
"""
# By hand: weights K^2 C N = 3*3*3*N = 27*10**9999 + 189, biases N, params 28*10**9999 + 196:
# 10,001 digits; shown as its first 14 digits (12 and the 2 that make the head end on a group of
# three: 10,001 = 3*3,333 + 2) and its last 12, grouped in threes, and its length.
PARAMS = "28,000,000,000,000,…,000,000,000,196 (10,001 digits)"
CHANNELS = "1,000,000,000,000,…,000,000,000,007 (10,000 digits)"  # 10,000 = 3*3,333 + 1: 13 digits first


@pytest.fixture
def spec(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMCNN_MAX_DIGITS", "20000")  # numbers in specs are refused past 1,000 digits by default
    path = tmp_path / "huge.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_the_summary_a_report_and_check_doc_write_it_alike(spec, tmp_path, run_cli):
    status, summary, err = run_cli("summary", str(spec))
    assert status == 0 and err == ""
    assert f"6x6x{CHANNELS}" in summary and summary.rstrip().endswith(f"total params  {PARAMS}")

    status, _, err = run_cli("report", str(spec), "--format", "md", "--lang", "en", "--out", str(tmp_path))
    assert status == 0, err
    report = (tmp_path / "huge.md").read_text(encoding="utf-8")
    assert PARAMS in report and CHANNELS in report

    doc = tmp_path / "post.md"
    doc.write_text("# A huge layer\n\nConv-1 has 5 parameters.\n", encoding="utf-8")
    status, checked, _ = run_cli("check-doc", str(doc), "--network", str(spec))
    assert status == 1
    assert f"conv1: 5 params, derived {PARAMS}" in checked


def test_python_shows_it_the_same_way(monkeypatch):
    monkeypatch.setenv("SYMCNN_MAX_DIGITS", "20000")
    layer = Conv2d("conv1", channels=10**9999 + 7, kernel=3)
    # repr and str of a layer, a derivation and its steps: no ValueError from Python's limit
    assert repr(layer) == "Conv2d('conv1', channels=1000000000000…000000000007 (10,000 digits), kernel=3)"
    d = Network("huge", "8x8x3", [layer], rounding="floor").derive()
    assert PARAMS in repr(d) and PARAMS in str(d["conv1"]) and str(d).rstrip().endswith(f"total params  {PARAMS}")
    assert str(d["conv1"].output) == "6x6x1000000000000…000000000007 (10,000 digits)"
