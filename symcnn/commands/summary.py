"""``symcnn summary NET``: every layer's output size and parameters, and the totals."""

from __future__ import annotations

import argparse

from ..errors import SpecError
from . import options

#: The outputs of --format: symcnn.views.tables.SUMMARY_FORMATS, named here too so that
#: --help loads no sympy (tests/test_limits.py checks the two agree).
FORMATS = ("table", "json", "csv", "markdown", "latex")


def add(sub) -> None:
    p = options.command(sub, "summary", "every layer's output size and parameters, and the totals",
                        "symcnn summary alexnet",
                        "symcnn summary resnet50 --input 320x320x3 --json",
                        "symcnn summary examples/small.yaml")
    options.network(p)
    options.input(p)
    options.rounding(p)
    options.strict(p)
    options.count(p)
    p.add_argument("--format", choices=FORMATS, help="table, json, csv (one row per layer, plain integers), "
                   "markdown (a pipe table), latex (a booktabs tabular to \\input) (default: table)")
    p.add_argument("--json", action="store_true", help="print JSON (the same as --format json)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..views.tables import summary

    if args.json and args.format not in (None, "json"):
        raise SpecError(f"--json and --format {args.format} ask for two outputs: give one", where="--json",
                        rule="one output format")
    d = options.load(args).derive(None, args.rounding)
    output = "json" if args.json else args.format or "table"
    if args.count is None:
        print(summary(d, output))
        return 0
    from ..analysis.counting import count
    from ..views.compute import count_lines

    counted = count(d, args.count)
    if output == "json":
        import json

        print(json.dumps({**json.loads(summary(d, "json")), "count": counted.to_json()}, indent=2))
    elif output == "table":
        print(summary(d, output))
        print("\n".join(count_lines(counted)))
    else:
        raise SpecError(f"--count adds to the table and JSON outputs, not to --format {output}", where="--count",
                        rule="count with table or json")
    return 0
