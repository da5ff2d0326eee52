"""How symcnn grows with depth: a chain of 3x3 convolutions (padding 1, 8 channels, a
stride-2 layer every 50), at 1,000, 2,500, 5,000 and 10,000 layers; and how fast the engine
answers an input that does not fit a declared size.

    python benchmarks/deep_chain.py [RUNS]

For each depth, the CPU seconds (user + system) of:

- ``Network.derive()`` in-process, the network built outside the timing (a network of
  its own each run, named apart, so that no derivation kept from an earlier run helps it);
- ``symcnn derive SPEC`` (closed forms of every layer, valid inputs, receptive fields), a
  whole process: imports, reading the spec, the analysis and the table;
- ``symcnn summary SPEC``, a whole process, for comparison.

Each figure is the median of RUNS runs (default 3). The growth exponent is the slope of
log(time) against log(layers) from 2,500 to 10,000 layers (1 is linear). The spec reads
224x224x3 and rounds down (floor), so sizes stay whole and at least 1.

On a shared machine the CPU seconds move with the load (printed before and after), less than
the wall-clock ones; each whole-process figure is also given as a multiple of ``python -c
"import sympy"`` timed in the same run (the median of RUNS runs interleaved with the others),
which moves with the load as they do.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symcnn.errors import ShapeError  # noqa: E402
from symcnn.layers import Conv2d, Flatten, Linear, MaxPool2d  # noqa: E402
from symcnn.network import Network  # noqa: E402

DEPTHS = (1_000, 2_500, 5_000, 10_000)
STAGE = 50  # layers per stride-2 layer


def chain(depth: int, run: int = 0) -> Network:
    """``depth`` convolutions; the last of every :data:`STAGE` has stride 2. Each ``run`` has a
    name of its own: a network equal to one derived before would find its derivation kept."""
    layers = [Conv2d(name=f"c{i}", channels=8, kernel=3, padding=1, stride=2 if i % STAGE == STAGE - 1 else 1)
              for i in range(depth)]
    return Network(f"chain{depth}.{run}", "224x224x3", layers, rounding="floor")


def spec(depth: int) -> str:
    """The same chain as a spec file: a block of 49 plain convolutions and a strided one, repeated."""
    return (f"name: chain{depth}\ninput: 224x224x3\nrounding: floor\nblocks:\n"
            f"  stage:\n    layers:\n      - {{block: plain, name: c, repeat: {STAGE - 1}}}\n"
            "      - {name: down, kind: conv, channels: 8, kernel: 3, padding: 1, stride: 2}\n"
            "  plain:\n    layers:\n      - {name: conv, kind: conv, channels: 8, kernel: 3, padding: 1}\n"
            f"layers:\n  - {{block: stage, name: s, repeat: {depth // STAGE}}}\n")


def derive_seconds(depth: int, run: int) -> float:
    net = chain(depth, run)
    start = time.process_time()
    d = net.derive()
    took = time.process_time() - start
    assert len(d.layers) == depth
    return took


def command_seconds(*argv: str) -> float:
    """CPU seconds (user + system) of a whole ``python -m symcnn ARGV`` run."""
    return process_seconds("-m", "symcnn", *argv)


def process_seconds(*argv: str) -> float:
    """CPU seconds (user + system) of a whole ``python ARGV`` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL, cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def mismatch_milliseconds(runs: int) -> float:
    """``Network.derive`` of LeNet-like layers at an input that does not fit the Linear's
    in_features: a network of its own each run (other features), so that nothing of an
    earlier run is kept for it."""
    took = []
    for k in range(runs):
        net = Network("lenet", "32x32x1", [Conv2d("c1", channels=16, kernel=5), MaxPool2d("p1", kernel=4),
                                           Flatten("flat"), Linear("fc", features=10 + k, in_features=784)])
        start = time.process_time()
        with contextlib.suppress(ShapeError):
            net.derive((36, 36, 1), "floor")
        took.append(time.process_time() - start)
    return 1000 * statistics.median(took)


def exponent(figures: dict[int, float]) -> float:
    low, high = DEPTHS[1], DEPTHS[-1]
    return math.log(figures[high] / figures[low]) / math.log(high / low)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(load_average())
    print(f"Network.derive of a declared size that does not fit: {mismatch_milliseconds(21):.2f} ms CPU")
    rows: dict[str, dict[int, float]] = {"Network.derive": {}, "symcnn derive": {}, "symcnn summary": {}}
    sympy_runs: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for depth in DEPTHS:
            path = Path(folder) / f"chain{depth}.yaml"
            path.write_text(spec(depth), encoding="utf-8")
            rows["Network.derive"][depth] = statistics.median(derive_seconds(depth, run) for run in range(runs))
            rows["symcnn derive"][depth] = statistics.median(command_seconds("derive", str(path)) for _ in range(runs))
            rows["symcnn summary"][depth] = statistics.median(command_seconds("summary", str(path))
                                                              for _ in range(runs))
            sympy_runs += [process_seconds("-c", "import sympy") for _ in range(runs)]
    sympy = statistics.median(sympy_runs)
    print(f'python -c "import sympy": {sympy:.2f} s CPU (median of {len(sympy_runs)} runs among the others)')
    print(f"{'CPU seconds':16}" + "".join(f"{d:>9,}" for d in DEPTHS) + "  growth exponent (2,500 to 10,000)")
    for label, figures in rows.items():
        print(f"{label:16}" + "".join(f"{figures[d]:9.2f}" for d in DEPTHS) + f"  {exponent(figures):.2f}")
    print(f"{'x import sympy':16}" + "".join(f"{rows['symcnn derive'][d] / sympy:9.1f}" for d in DEPTHS)
          + "  (symcnn derive)")
    print(load_average())


if __name__ == "__main__":
    main()
