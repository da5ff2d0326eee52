"""``symcnn plot NET --out FILE``: a size or a total against the input size, as SVG, PNG or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..builders.load import load
from ..views.plot import DEFAULT_RANGE, WHAT, check_file, figure, parse_range, save
from . import options


def add(sub) -> None:
    p = sub.add_parser("plot", help="each feature map's output width, or a total, against the input size")
    options.network(p)
    p.add_argument("--what", choices=WHAT, default="size",
                   help="size: the output width of each feature map (default); params, macs, activations: the totals")
    p.add_argument("--range", metavar="LOW:HIGH", default=f"{DEFAULT_RANGE[0]}:{DEFAULT_RANGE[1]}",
                   help=f"the input sizes I to plot (default: {DEFAULT_RANGE[0]}:{DEFAULT_RANGE[1]})")
    p.add_argument("--out", metavar="FILE", required=True,
                   help="FILE.svg (written by symcnn), FILE.png or FILE.pdf (matplotlib: pip install 'symcnn[plot]')")
    options.rounding(p)
    options.budget(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    low, high = parse_range(args.range)
    out = Path(args.out)
    check_file(out)
    from ..analysis import analyse  # the analysis loads for a plot only

    f = figure(analyse(load(args.network), args.rounding, budget=args.budget), args.what, low, high)
    print(save(f, out))
    return 0
