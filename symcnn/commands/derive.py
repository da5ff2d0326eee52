"""``symcnn derive NET``: closed forms in the input size, valid inputs, receptive fields."""

from __future__ import annotations

import argparse
import json

from . import options


def add(sub) -> None:
    p = options.command(sub, "derive", "closed forms in the input size: sizes, params, MACs, valid inputs, "
                                       "receptive fields",
                        "symcnn derive alexnet --rounding floor",
                        "symcnn derive resnet18 --symbolic HW --json")
    options.network(p)
    options.input(p)
    options.rounding(p)
    options.strict(p)
    options.count(p)
    p.add_argument("--symbolic", choices=("I", "HW"), default="I",
                   help="I: a square I x I input; HW: height and width apart (default: I)")
    options.budget(p)
    options.json_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis import analyse
    from ..views.tables import derive_text

    a = analyse(options.load(args), args.rounding, args.symbolic, args.budget)
    if args.count is None:
        print(json.dumps(a.to_json(), indent=2) if args.json else derive_text(a))
        return 0
    from ..analysis.counting import count
    from ..views.compute import count_lines

    counted = count(a.derivation, args.count)
    if args.json:
        print(json.dumps({**a.to_json(), "count": counted.to_json()}, indent=2))
    else:
        print(derive_text(a))
        print("\n".join(count_lines(counted)))
    return 0
