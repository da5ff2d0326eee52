"""``check-doc`` over a folder: one call checking every file (in parallel on the local cores)
against one call per file, as a shell loop or a pre-commit hook without it would run it.

    python benchmarks/checkdoc_many.py [FOLDER]   # default: reports/

Both sides run whole processes (``python -m symcnn check-doc ...``), one after the other, the
loop first; wall-clock seconds and the CPU seconds of the children. A third run, one call with
``--jobs 1``, separates what the one start-up saves from what the cores add. The figure that carries over
to another machine is the ratio, and it is printed beside the number of cores.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symcnn.commands.documents import expand  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of the commands in ``argv``, one after the other."""
    cpu, start = _children_cpu(), time.perf_counter()
    for args in argv:
        subprocess.run([sys.executable, "-m", "symcnn", "check-doc", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else "reports"
    files = expand([folder])
    cores = os.cpu_count() or 1
    loop_wall, loop_cpu = run([[f] for f in files])
    one_wall, one_cpu = run([[folder]])
    serial_wall, serial_cpu = run([[folder, "--jobs", "1"]])
    print(f"{len(files)} files in {folder}, {cores} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"one call per file: {loop_wall:.1f} s wall, {loop_cpu:.1f} s CPU")
    print(f"one call:          {one_wall:.1f} s wall, {one_cpu:.1f} s CPU")
    print(f"one call, --jobs 1: {serial_wall:.1f} s wall, {serial_cpu:.1f} s CPU (the share of the cores: "
          f"{serial_wall / one_wall:.1f} times)")
    print(f"one call is {loop_wall / one_wall:.1f} times faster (wall; {loop_cpu / one_cpu:.1f} times less CPU)")


if __name__ == "__main__":
    main()
