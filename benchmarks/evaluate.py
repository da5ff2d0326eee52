"""Seconds to evaluate a closed form at 10^6 input sizes: checked (``Analysis.evaluate``, every
size checked as ``derive()`` would check it) against unchecked (``Compiled.many``).

For each network, the MACs at a million valid input sizes, medians of 9 interleaved rounds
(numpy arrays of int64 in, as ``Compiled.many`` takes them):

    python benchmarks/evaluate.py

alexnet in exact rounding checks the residue of every size (I = 3 mod 32), a small network with a
Linear that declares its input length the sizes that fit it (32..35), resnet50 the smallest input only.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import numpy as np

from symcnn import Conv2d, Flatten, Linear, MaxPool2d, Network, analyse, load

#: A Linear that declares its input length: only inputs 32..35 fit it.
DECLARED = Network("declared", "32x32x1", [Conv2d("c1", channels=16, kernel=5), MaxPool2d("p1", kernel=4),
                                           Flatten("flat"), Linear("fc", features=10, in_features=784)])
CASES = (("resnet50", "floor"), ("alexnet", "exact"), (DECLARED, "floor"))
SIZES = 10**6
ROUNDS = 9


def sizes_for(a) -> np.ndarray:
    """A million valid sizes: from the smallest input, on the residues exact rounding needs, inside
    the sizes a declared length allows (repeated where they are fewer)."""
    cong = a.congruences[a.symbols[0]]
    start = cong.next(int(a.min_input))
    valid = np.arange(start, start + SIZES * cong.modulus, cong.modulus, dtype=np.int64)
    boxes = a.valid_inputs
    if boxes and boxes[0][0][1] is not None:  # a bounded span: its members, repeated
        lo, hi = boxes[0][0]
        span = np.arange(cong.next(lo), hi + 1, cong.modulus, dtype=np.int64)
        valid = np.resize(span, SIZES)
    return valid


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    print(f"{'network':10} {'rounding':8} {'many s':>8} {'evaluate s':>10} {'ratio':>6}")
    for net, rounding in CASES:
        a = analyse(net if isinstance(net, Network) else load(net), rounding)
        name = a.network
        sizes = sizes_for(a)
        f = a.compile(a.macs)
        f.many(sizes), a.evaluate(a.macs, sizes)  # warm: numpy's first calls, the compiled code
        many, checked = [], []
        for _ in range(ROUNDS):
            many.append(timed(f.many, sizes))
            checked.append(timed(a.evaluate, a.macs, sizes))
        m, c = statistics.median(many), statistics.median(checked)
        print(f"{name:10} {rounding:8} {m:8.4f} {c:10.4f} {c / m:6.2f}")


if __name__ == "__main__":
    main()
