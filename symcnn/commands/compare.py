"""``symcnn compare NET``: compute as symcnn, fvcore, ptflops, thop and torchinfo count it, and why they differ."""

from __future__ import annotations

import argparse
import json

from . import options


def add(sub) -> None:
    p = options.command(sub, "compare", "compute as each tool counts it (MACs, FLOPs, fvcore, ptflops, thop, "
                                        "torchinfo), side by side, and per kind of layer why they differ",
                        "symcnn compare resnet50", "symcnn compare mobilenet-v2 --input 160x160x3 --json")
    options.network(p)
    options.input(p)
    options.rounding(p)
    options.strict(p)
    options.json_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis.counting import compare
    from ..views.compute import compare_text

    c = compare(options.load(args).derive(None, args.rounding))
    print(json.dumps(c.to_json(), indent=2) if args.json else compare_text(c))
    return 0
