"""Seconds to derive the closed forms of chains of L = 10, 100, 1000 conv/pool layers.

Each chain mixes 3x3 convolutions (padding 1), 3x3 max pools (stride 1, padding 1) and a
stride-2 convolution every 10 layers; the input is symbolic (I x I x 3) and the rounding
floor, so every stride-2 layer adds a floor that must collapse into the one before.

    python benchmarks/closed_forms.py [L ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from symcnn import Conv2d, MaxPool2d, Network
from symcnn.analysis import analyse


def chain(length: int) -> Network:
    layers = []
    for j in range(length):
        if j % 10 == 0:
            layers.append(Conv2d(name=f"conv{j}", channels=8, kernel=3, stride=2, padding=1))
        elif j % 3 == 0:
            layers.append(MaxPool2d(name=f"pool{j}", kernel=3, stride=1, padding=1))
        else:
            layers.append(Conv2d(name=f"conv{j}", channels=8, kernel=(3 if j % 2 else 5), padding=(1 if j % 2 else 2)))
    return Network(f"chain{length}", "224x224x3", layers, rounding="floor")


def seconds(length: int) -> float:
    net = chain(length)
    start = time.perf_counter()
    a = analyse(net)
    _ = a.macs, a.min_input  # the totals and the smallest input are part of the closed forms
    return time.perf_counter() - start


def main(lengths: list[int]) -> None:
    seconds(5)  # warm the imports (a different chain: results are cached)
    times = {}
    for length in lengths:
        times[length] = seconds(length)
        print(f"L = {length:5d}: {times[length]:.3f} s")
    if 100 in times and 1000 in times:
        print(f"t(1000)/t(100) = {times[1000] / times[100]:.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 1000])
