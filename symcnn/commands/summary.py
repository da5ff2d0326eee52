"""``symcnn summary NET``: every layer's output size and parameters, and the totals."""

from __future__ import annotations

import argparse

from ..builders.load import load
from ..errors import SpecError
from ..views.tables import SUMMARY_FORMATS, summary
from . import options


def add(sub) -> None:
    p = sub.add_parser("summary", help="every layer's output size and parameters, and the totals")
    options.network(p)
    options.input(p)
    options.rounding(p)
    p.add_argument("--format", choices=SUMMARY_FORMATS, help="table (default), json, csv (one row per layer, "
                   "plain integers), markdown (a pipe table), latex (a booktabs tabular to \\input)")
    p.add_argument("--json", action="store_true", help="print JSON (the same as --format json)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.json and args.format not in (None, "json"):
        raise SpecError(f"--json and --format {args.format} ask for two outputs: give one", where="--json",
                        rule="one output format")
    shape = options.shape(args.input)
    d = load(args.network, input=shape, rounding=args.rounding).derive(shape, args.rounding)
    print(summary(d, "json" if args.json else args.format or "table"))
    return 0
