"""``symcnn examples``: copies the example files that ``--help`` and the README name (a spec, a
claims file, documents to check, a PyTorch model and an ONNX one, the notebook) into a folder."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ..errors import SymcnnError
from . import options

_PACKAGE = Path(__file__).resolve().parent.parent


def add(sub) -> None:
    p = options.command(sub, "examples", "copy the example files the help and the README use into a folder",
                        "symcnn examples                 # ./examples/small.yaml, post.md, model.onnx, ...",
                        "symcnn examples --out my-examples")
    p.add_argument("--out", metavar="DIR", default="examples",
                   help="the folder to copy them into (default: examples); files already there are kept")
    p.set_defaults(run=run)


def source() -> Path:
    """The example files: ``symcnn/examples`` in a wheel, ``examples/`` in a checkout."""
    for candidate in (_PACKAGE / "examples", _PACKAGE.parent / "examples"):
        if (candidate / "small.yaml").is_file():
            return candidate
    raise SymcnnError("the example files are missing from this installation", rule="examples installed")


def run(args: argparse.Namespace) -> int:
    src, out = source(), Path(args.out)
    if out.exists() and not out.is_dir():
        raise SymcnnError(f"{args.out} is a file, not a folder", where="--out", rule="a folder")
    lines = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path in sorted(p for p in src.iterdir() if p.is_file() and not p.name.startswith(".")):
            target = out / path.name
            if target.exists():
                lines.append(f"kept    {target} (already there)")
                continue
            shutil.copyfile(path, target)
            lines.append(f"wrote   {target}")
    except OSError as e:
        raise SymcnnError(f"cannot write into {args.out}: {e.strerror or e}", where="--out",
                          rule="a folder one may write to") from None
    print("\n".join(lines))  # after every copy: a reader that stops early stops no copy
    return 0
