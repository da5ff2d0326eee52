"""How ``derive`` grows with depth: a chain of convolutions (3x3, padding 1, a stride-2 layer
every 50), derived at 1,000, 2,000, 5,000 and 10,000 layers.

    python benchmarks/deep_chain.py [RUNS]

Each figure is the median CPU time (user + system of this process) of RUNS runs (default 3)
of a fresh ``Network`` built outside the timing (no cache of an earlier run helps it); the
growth exponent is the slope of log(time) against log(layers) between the smallest and the
largest chain (1 is linear). The input is large enough that 10,000 layers with 200 stride-2
layers never reach a size below 1: the sizes are exact numbers throughout.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symcnn.layers import Conv2d  # noqa: E402
from symcnn.network import Network  # noqa: E402

DEPTHS = (1_000, 2_000, 5_000, 10_000)


def chain(depth: int) -> Network:
    """``depth`` convolutions of 8 channels; every 50th has stride 2 (ceil keeps sizes at least 1)."""
    layers = [Conv2d(name=f"c{i}", channels=8, kernel=3, padding=1, stride=2 if i % 50 == 49 else 1)
              for i in range(depth)]
    return Network(f"chain{depth}", (2**20, 2**20, 3), layers, rounding="ceil")


def cpu_seconds(depth: int) -> float:
    net = chain(depth)
    start = time.process_time()
    d = net.derive()
    took = time.process_time() - start
    assert len(d.layers) == depth
    return took


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    one, five, _ = os.getloadavg()
    print(f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores")
    figures = {}
    for depth in DEPTHS:
        figures[depth] = statistics.median(cpu_seconds(depth) for _ in range(runs))
        print(f"{depth:>6,} layers: {figures[depth]:.3f} s CPU")
    low, high = DEPTHS[0], DEPTHS[-1]
    exponent = math.log(figures[high] / figures[low]) / math.log(high / low)
    print(f"growth exponent {exponent:.2f} ({low:,} -> {high:,} layers)")


if __name__ == "__main__":
    main()
