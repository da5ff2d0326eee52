"""A report of a network at the layer limit, against the command's time limit.

    python benchmarks/report_limit.py [LAYERS]

Writes a spec of LAYERS convolutions (default: 10,000, ``SYMCNN_MAX_LAYERS``'s default) and runs
``symcnn report`` on it (Markdown, LaTeX and HTML) as a user would, in a process of its own under
the command's CPU-time limit (``SYMCNN_MAX_SECONDS``, 600 s by default: past it the command ends
in one line). Prints the CPU seconds and the peak memory the command took, and its share of the
limit. CPU time, not the clock: on a shared machine the clock measures the neighbours.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symcnn.limits import COMMAND_SECONDS  # noqa: E402


def main(layers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "deep.yaml"
        spec.write_text("input: 32x32x3\nlayers:\n" + "".join(
            f"  - {{name: c{i}, kind: conv, channels: 8, kernel: 3, padding: 1}}\n" for i in range(layers)))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "symcnn", "report", str(spec), "--out", str(Path(tmp) / "out")],
                              env=env, capture_output=True, text=True)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        sizes = {p.suffix: p.stat().st_size for p in (Path(tmp) / "out").glob("*")} if done.returncode == 0 else {}
    cpu = used.ru_utime + used.ru_stime
    limit = COMMAND_SECONDS.value
    print(f"report of {layers:,} convolutions: exit {done.returncode}, {cpu:.0f} s of CPU "
          f"({100 * cpu / limit:.0f}% of SYMCNN_MAX_SECONDS={limit}), peak {used.ru_maxrss / 1024:.0f} MB")
    print("  files: " + ", ".join(f"{suffix} {size / 1e6:.1f} MB" for suffix, size in sorted(sizes.items())))
    if done.stderr:
        print("  " + done.stderr.strip())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
