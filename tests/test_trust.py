"""What runs where you name it, and nothing else: a file lying in the working folder does not
stand in for an installed package; names that come from Python code or an imported model, with
line breaks and control characters in them, still give a LaTeX file that compiles and an SVG
that is XML (docs/security.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

from conftest import require, require_program

from symcnn import Network
from symcnn.layers import Conv2d, MaxPool2d, ReLU

ROOT = Path(__file__).resolve().parents[1]
SENTINEL = "open('pwned', 'w').write('ran')\n"


def _symcnn(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMCNN_")}
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "symcnn", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_a_package_is_not_shadowed_by_a_file_in_the_working_folder(tmp_path):
    torch = require("torch")
    torchvision = require("torchvision")
    # argparse, signal and textwrap: what the command line imports first (they ran before the
    # working folder was taken off sys.path)
    for name in ("torchvision.py", "yaml.py", "sympy.py", "argparse.py", "signal.py", "textwrap.py"):
        (tmp_path / name).write_text(SENTINEL)
    spec = tmp_path / "net.yaml"
    spec.write_text("input: 8x8x3\nlayers: [{kind: relu}]\n")
    done = _symcnn("summary", "torchvision.models:alexnet", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    expected = sum(p.numel() for p in torchvision.models.alexnet().parameters())  # PyTorch's own count
    assert json.loads(done.stdout)["total_params"] == expected
    assert _symcnn("summary", "net.yaml", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "pwned").exists()
    del torch


def test_a_model_in_the_working_folder_is_still_found(tmp_path):
    require("torch")
    (tmp_path / "mymodel.py").write_text("import torch\n\ndef build():\n    return torch.nn.Conv2d(3, 8, 3)\n")
    done = _symcnn("summary", "mymodel:build", "--input", "8x8x3", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    assert json.loads(done.stdout)["total_params"] == 3 * 3 * 3 * 8 + 8  # by hand: K^2 C N + N


NAMES = ("a\n\nb", "c\u2028d", "e\x0bf\x1b[31m", "g\u2029h", "i\tj")


def _network() -> Network:
    layers = [Conv2d(NAMES[0], channels=4, kernel=3), ReLU(NAMES[1]), Conv2d(NAMES[2], channels=4, kernel=1),
              MaxPool2d(NAMES[3], kernel=2), ReLU(NAMES[4])]
    return Network("names\nwith\u2028breaks", "16x16x3", layers, rounding="floor")


def test_names_from_python_give_valid_svg():
    from symcnn.analysis.closed import analyse
    from symcnn.views.plot import figure, svg

    text = svg(figure(analyse(_network(), "floor"), "size", 8, 40))
    xml.dom.minidom.parseString(text)  # raises on a character XML 1.0 does not allow


def test_names_from_python_give_latex_that_compiles(tmp_path):
    require_program("latexmk")
    from symcnn.views.report.data import report_data
    from symcnn.views.report.render import render

    tex = render(report_data(_network(), None, "floor"), "tex", "en")
    (tmp_path / "names.tex").write_text(tex, encoding="utf-8")
    done = subprocess.run(["latexmk", "-pdf", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                           "names.tex"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tmp_path / "names.pdf").stat().st_size > 0


def test_a_long_name_gives_latex_lines_tex_can_read():
    # TeX reads a line of at most buf_size characters (200,000 in TeX Live's texmf.cnf): a spec
    # may hold a name of 900,000 (its file is at most 1 MiB), which made a .tex that never compiled
    from symcnn.views.report.data import report_data
    from symcnn.views.report.render import render

    name = "a_" * 450_000
    tex = render(report_data(Network("long", "8x8x3", [ReLU(name)], rounding="floor"), None, "floor"), "tex", "en")
    assert max(len(line) for line in tex.splitlines()) < 200_000
    joined = tex.replace("%\n", "")  # the cuts are comments: TeX reads the name whole
    assert name.replace("_", r"\_") in joined
