"""Reading a long spec: libyaml (PyYAML's ``CSafeLoader``) against PyYAML's own loader.

    python benchmarks/yaml_read.py [RUNS]   # default 3

1. ``symcnn summary`` of a spec of 20,000 layers written one ``{...}`` a line (the spec of the
   bad-input catalogue, tests/test_bad_inputs.py): refused over the layer limit. CPU seconds
   (user + system) of each whole run, in a fresh interpreter, as ``/usr/bin/time`` gives them;
   the pure-Python side is the same command with ``yaml.CSafeLoader`` removed first.
   Beside it, what that CPU time holds: a process that only imports, and libyaml's depth pass
   and composition in this process.
2. ``parse_yaml`` alone on such a spec of 10,000 layers (the most a spec may hold by default),
   in this process, with each loader.

The CPU seconds carry over to a busy machine better than wall time; the load average is printed.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from symcnn.builders import yamlfile  # noqa: E402

# ``python -m symcnn summary PATH`` (its collector settings included), with libyaml taken away first or not
RUN = ("import runpy, sys{drop}\nsys.argv = ['symcnn', 'summary', sys.argv[1]]\n"
       "runpy.run_module('symcnn', run_name='__main__', alter_sys=True)")


def plain_layers(n: int) -> str:
    """The bad-input catalogue's spec: ``n`` activations, one flow-style mapping a line."""
    return "input: 8x8x3\nlayers:\n" + "".join(f"  - {{name: r{i}, kind: relu}}\n" for i in range(n))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def refuse(path: Path, libyaml: bool) -> float:
    """CPU seconds of one ``symcnn summary PATH``, which must refuse it (exit status 2)."""
    code = RUN.format(drop="" if libyaml else "\nimport yaml\ndel yaml.CSafeLoader")
    before = _children_cpu()
    done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 2 or "over the limit" not in done.stderr:
        raise SystemExit(f"expected the layer limit, got {done.returncode}: {done.stderr}")
    return _children_cpu() - before


def start_up() -> float:
    """CPU seconds of a process that only imports what ``summary`` of a spec imports."""
    before = _children_cpu()
    subprocess.run([sys.executable, "-c", "import symcnn.commands, symcnn.builders.spec, yaml"], cwd=ROOT,
                   check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return _children_cpu() - before


def parts(text: str) -> tuple[float, float]:
    """CPU seconds of libyaml's depth pass and of its composition of the node tree, on ``text``."""
    start = time.process_time()
    yamlfile._depth_over(yaml.CSafeLoader, text, yamlfile.LIBYAML_DEPTH)
    middle = time.process_time()
    loader = yaml.CSafeLoader(text)
    loader.get_single_node()
    loader.dispose()
    return middle - start, time.process_time() - middle


def parse(text: str, libyaml: bool) -> float:
    """CPU seconds of ``parse_yaml(text)`` in this process, with libyaml or without it."""
    saved = yaml.CSafeLoader
    if not libyaml:
        del yaml.CSafeLoader
    try:
        start = time.process_time()
        yamlfile.parse_yaml(text, "net.yaml")
        return time.process_time() - start
    finally:
        yaml.CSafeLoader = saved


def main(runs: int) -> None:
    if not getattr(yaml, "__with_libyaml__", False):
        raise SystemExit("this PyYAML was built without libyaml: nothing to compare")
    print(f"PyYAML {yaml.__version__}, load average {os.getloadavg()[0]:.1f}, {runs} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "net.yaml"
        spec.write_text(plain_layers(20_000))
        for libyaml in (True, False):
            times = sorted(refuse(spec, libyaml) for _ in range(runs))
            name = "libyaml" if libyaml else "pure Python"
            print(f"symcnn summary, 20,000 layers, {name:11}: {times[0]:.2f} to {times[-1]:.2f} s CPU")
        gc.set_threshold(50_000, 20, 20)  # as the command line sets it (symcnn.commands.main)
        depth, compose = parts(spec.read_text())
        print(f"  measured apart: a process that only imports {min(start_up() for _ in range(runs)):.2f} s, "
              f"depth pass {depth:.2f} s, libyaml's composition {compose:.2f} s")
    text = plain_layers(10_000)
    for libyaml in (True, False):
        times = sorted(parse(text, libyaml) for _ in range(runs))
        name = "libyaml" if libyaml else "pure Python"
        print(f"parse_yaml, 10,000 layers, {name:11}:     {times[0]:.2f} to {times[-1]:.2f} s CPU")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
