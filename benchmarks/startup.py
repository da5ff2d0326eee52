"""How long the command line takes to answer: wall-clock seconds of whole runs.

    python benchmarks/startup.py [RUNS]

Runs each command RUNS times (default 10) in a fresh interpreter and prints the
median and the fastest run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = [
    ["-c", "import symcnn"],
    ["-m", "symcnn", "list"],
    ["-m", "symcnn", "summary", "alexnet"],
    ["-m", "symcnn", "summary", "resnet50"],
    ["-m", "symcnn", "summary", "examples/small.yaml"],
    ["-m", "symcnn", "formula", "conv-output", "--latex"],
    ["-m", "symcnn", "derive", "resnet50"],
    ["-m", "symcnn", "report", "alexnet", "--out", "{tmp}"],  # to a scratch folder,
    ["-m", "symcnn", "report", "alexnet", "--format", "md", "--out", "{tmp}"],
    ["-m", "symcnn", "report", "alexnet", "--format", "html", "--out", "{tmp}"],
    ["-m", "symcnn", "report", "resnet50", "--format", "html", "--out", "{tmp}"],
    ["-m", "symcnn", "plot", "alexnet", "--out", "{tmp}/size.svg"],
    ["-m", "symcnn", "summary", "resnet50", "--format", "csv"],
    ["-m", "symcnn", "check-doc", "tests/fixtures/article_math.md"],
    ["-m", "symcnn", "check-doc", "reports/resnet50.md"],
]


def main(runs: int) -> None:
    tmp = tempfile.mkdtemp()
    for argv in ([a.format(tmp=tmp) for a in argv] for argv in COMMANDS):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            # check-doc exits 1 on the article's slip; only a crash (2 and above) is a failure here
            done = subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL)
            if done.returncode > 1:
                raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}")
            times.append(time.perf_counter() - start)
        print(f"{' '.join(argv):52} median {statistics.median(times):.3f} s   fastest {min(times):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
