"""``symcnn import SOURCE --out spec.yaml``: a PyTorch or ONNX model written as a spec file.

The spec reloads without torch or onnx to the same numbers; opaque layers (operations symcnn
cannot derive) stay in it with PyTorch's shapes at the import size, marked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import SpecError
from . import options


def add(sub) -> None:
    p = options.command(sub, "import", "write a PyTorch model (package.module:callable) or an ONNX file as a spec",
                        "symcnn import torchvision.models:resnet18 --out resnet18.yaml",
                        "symcnn import examples/model.onnx --input 320x320x3 --out model.yaml")
    p.add_argument("source", metavar="SOURCE",
                   help="path.onnx, package.module:callable (e.g. torchvision.models:resnet18) or file.py:callable "
                        "(its code runs: name only code you trust; docs/security.md)")
    options.input(p)
    options.strict(p)
    p.add_argument("--out", metavar="SPEC.yaml", help="the spec file to write (default: print it)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..builders.load import import_source
    from ..builders.specwriter import dumps
    from ..table import counted
    from ..views.report.files import write_files

    net = import_source(args.source, args.input, strict=args.strict)
    text = dumps(net)
    opaque = [layer.name for layer in net.layers if layer.type == "opaque"]
    note = f"{net.name}: {counted(len(net.layers), 'layer')}, {net.description}"
    if args.out is None:
        sys.stdout.write(text)
    else:
        out = Path(args.out)
        if out.suffix not in (".yaml", ".yml"):
            raise SpecError(f"the spec file must end in .yaml or .yml, got {out}", where="--out", rule="spec file")
        write_files({out: text})  # whole or not at all, with the umask's mode
        print(f"wrote {out}")
    print(note if not opaque else f"{note} (marked opaque: not derived)", file=sys.stderr)
    for line in net.notes:
        print(f"note: {line}", file=sys.stderr)
    return 0
