"""Speed figures for the README, each as a ratio to a peer measured in the same run.

    python benchmarks/speed.py [RUNS]

Each figure is the median of RUNS runs (default 7); a "first call" runs in a fresh
interpreter each time, so no cache of an earlier run helps it. The machine's load average
is printed before and after: on a shared machine the wall-clock medians move with it (a
process waits for a core), the CPU seconds (user + system) and the ratios much less.

1. ResNet-152's numeric summary, in-process, first call: ``load`` of its spec, ``derive``
   at 224x224x3 and the summary table, against ``torchinfo.summary`` of torchvision's
   resnet152 at the same input (its forward pass on the CPU included, as torchinfo runs
   one). Imports (sympy, PyYAML and symcnn's modules; torch, torchvision and torchinfo) and building the torch
   model are outside both timings (a second figure builds symcnn's network outside its timing too,
   reading the spec without the check that derives it); torch runs on one thread, its fastest on a shared
   machine (two threads spin-wait for a busy core: ten times slower here). Without torch,
   torchvision or torchinfo the ratio is skipped.
2. ``symcnn derive`` of ResNet-152, whole process (closed forms of 515 layers), against
   ``python -c "import sympy"``.
3. A closed form over 10**6 input sizes: ResNet-50's MACs at I = 224 .. 10**6 + 223, with
   :meth:`Compiled.many` (numpy, exact), against the same compiled function called once
   per size in a Python loop.
4. ``symcnn summary alexnet``, whole process, against ``python -c "import sympy"``.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESNET152 = ROOT / "tests" / "fixtures" / "nets" / "resnet152.yaml"
PYTHON = sys.executable


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def fresh(code: str) -> tuple[float, float]:
    """Wall and CPU seconds the timed part of ``code`` takes in a fresh interpreter (it prints them)."""
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def whole(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a whole run of ``python ARGV``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([PYTHON, *argv], stdout=subprocess.DEVNULL, cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


SYMCNN_SUMMARY = f"""
import time
import symcnn, yaml  # the libraries, as torch and torchinfo are imported before their timing
import symcnn.builders.load, symcnn.builders.spec, symcnn.network  # `import symcnn` loads these lazily
from symcnn.views.tables import summary_text
start, cpu = time.perf_counter(), time.process_time()
text = summary_text(symcnn.load({str(RESNET152)!r}).derive())
print(time.perf_counter() - start, time.process_time() - cpu)
"""

# The same summary with the network built before the timing, as torchvision's model is for
# torchinfo: the spec read without its check (which would derive it), so the timing holds the
# first derivation and the table.
SYMCNN_BUILT_SUMMARY = f"""
import time
import symcnn, yaml
import symcnn.builders.load, symcnn.builders.spec, symcnn.network
from symcnn.builders.spec import load_spec
from symcnn.views.tables import summary_text
net = load_spec({str(RESNET152)!r}, check=False)
start, cpu = time.perf_counter(), time.process_time()
text = summary_text(net.derive())
print(time.perf_counter() - start, time.process_time() - cpu)
"""

TORCHINFO_SUMMARY = """
import time, warnings
import torch, torchvision, torchinfo
warnings.simplefilter("ignore")
torch.set_num_threads(1)
model = torchvision.models.resnet152(weights=None)
start, cpu = time.perf_counter(), time.process_time()
torchinfo.summary(model, input_size=(1, 3, 224, 224), verbose=0)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def has(*modules: str) -> bool:
    code = "import " + ", ".join(modules)
    return subprocess.run([PYTHON, "-c", code], capture_output=True).returncode == 0


def closed_form(runs: int) -> tuple[float, float, float]:
    import numpy as np

    sys.path.insert(0, str(ROOT))
    import symcnn

    a = symcnn.load("resnet50").analyse("floor")
    start = time.perf_counter()
    f = a.compile(a.macs)
    compile_seconds = time.perf_counter() - start
    sizes = np.arange(224, 224 + 10**6)
    arrays = []
    for _ in range(runs):
        start = time.perf_counter()
        values = f.many(sizes)
        arrays.append(time.perf_counter() - start)
    assert values.dtype == np.int64 and int(values[-1]) == a.at(a.macs, 10**6 + 223)
    loops = []
    for _ in range(max(1, runs // 3)):
        start = time.perf_counter()
        _ = [f(i) for i in range(224, 224 + 10**6)]
        loops.append(time.perf_counter() - start)
    return statistics.median(arrays), statistics.median(loops), compile_seconds


def main(runs: int) -> None:
    print(load_average())
    # symcnn's modules byte-compiled, as `pip install` leaves them (where PYTHONDONTWRITEBYTECODE
    # is set, running from the checkout would otherwise compile every module in every process)
    compileall.compile_dir(ROOT / "symcnn", quiet=1)
    torchinfo = has("torch", "torchvision", "torchinfo")
    # Interleaved, one of each per round, so that a change of the machine's load falls on
    # every figure alike.
    rounds: dict[str, list[tuple[float, float]]] = {k: [] for k in ("sympy", "summary", "derive", "mine", "built",
                                                                        "theirs")}
    for _ in range(runs):
        rounds["sympy"].append(whole(["-c", "import sympy"]))
        rounds["summary"].append(whole(["-m", "symcnn", "summary", "alexnet"]))
        rounds["derive"].append(whole(["-m", "symcnn", "derive", str(RESNET152)]))
        rounds["mine"].append(fresh(SYMCNN_SUMMARY))
        rounds["built"].append(fresh(SYMCNN_BUILT_SUMMARY))
        if torchinfo:
            rounds["theirs"].append(fresh(TORCHINFO_SUMMARY))
    wall = {k: statistics.median(w for w, _ in v) for k, v in rounds.items() if v}
    cpu = {k: statistics.median(c for _, c in v) for k, v in rounds.items() if v}

    def line(label: str, key: str, extra: str = "") -> None:
        print(f"{label:45} wall {wall[key]:7.4f} s   cpu {cpu[key]:7.4f} s{extra}")

    line('python -c "import sympy"', "sympy")
    line("ResNet-152 summary, in-process first call", "mine")
    line("  the same, the network built before", "built")
    if torchinfo:
        line("torchinfo.summary(resnet152), first call", "theirs",
             f"   ratio {wall['theirs'] / wall['mine']:.1f}x wall, {cpu['theirs'] / cpu['mine']:.1f}x cpu; "
             f"built before: {wall['theirs'] / wall['built']:.1f}x wall, {cpu['theirs'] / cpu['built']:.1f}x cpu")
    else:
        print("torchinfo.summary: torch, torchvision or torchinfo missing; ratio skipped")
    line("symcnn derive resnet152, whole process", "derive",
         f"   ({wall['derive'] - wall['sympy']:+.3f} s wall, {cpu['derive'] - cpu['sympy']:+.3f} s cpu over sympy)")
    line("symcnn summary alexnet, whole process", "summary",
         f"   ({wall['summary'] - wall['sympy']:+.3f} s wall, {cpu['summary'] - cpu['sympy']:+.3f} s cpu over sympy)")

    array, loop, compiled = closed_form(runs)
    print(f"{'ResNet-50 MACs at 10**6 sizes, numpy exact':45} wall {array:7.4f} s   "
          f"(a Python loop: {loop:.2f} s, {loop / array:.0f}x; compiling it: {compiled:.4f} s)")
    print(load_average())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
