"""How long the command line takes to answer: wall-clock seconds of whole runs.

    python benchmarks/startup.py [RUNS]

Runs each command RUNS times (default 10) in a fresh interpreter and prints the
median and the fastest run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COMMANDS = [
    ["-c", "import symcnn"],
    ["-m", "symcnn", "list"],
    ["-m", "symcnn", "summary", "alexnet"],
    ["-m", "symcnn", "formula", "conv-output", "--latex"],
]


def main(runs: int) -> None:
    for argv in COMMANDS:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, *argv], check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        print(f"{' '.join(argv):45} median {statistics.median(times):.3f} s   fastest {min(times):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
