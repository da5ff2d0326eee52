"""``symcnn plot NET --out FILE``: a size or a total against the input size, as SVG, PNG or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..views.plot import DEFAULT_RANGE, WHAT
from . import options


def add(sub) -> None:
    p = options.command(sub, "plot", "each feature map's output width, or a total, against the input size",
                        "symcnn plot alexnet --out widths.svg",
                        "symcnn plot resnet18 --what macs --range 64:512 --rounding floor --out macs.png")
    options.network(p)
    p.add_argument("--what", choices=WHAT, default="size",
                   help="size: the output width of each feature map (default); params, macs, activations: the totals; "
                        "memory: the bytes of a training step (Adam, float32) and of its saved activations")
    p.add_argument("--against", choices=("I", "B"), default="I",
                   help="I: the input size (default); B: the batch size at the network's input (--what memory)")
    p.add_argument("--batch", metavar="B", type=int, default=1, help="the batch of --what memory against I "
                   "(default: 1)")
    p.add_argument("--range", metavar="LOW:HIGH", default=f"{DEFAULT_RANGE[0]}:{DEFAULT_RANGE[1]}",
                   help=f"the input sizes I to plot (default: {DEFAULT_RANGE[0]}:{DEFAULT_RANGE[1]})")
    p.add_argument("--out", metavar="FILE", required=True,
                   help="FILE.svg (written by symcnn), FILE.png or FILE.pdf (matplotlib: pip install 'symcnn[plot]')")
    options.input(p)
    options.rounding(p)
    options.strict(p)
    options.budget(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..views.plot import check_file, figure, parse_range, save

    low, high = parse_range(args.range)
    options.batch(args.batch)
    out = Path(args.out)
    check_file(out)
    from ..analysis import analyse  # the analysis loads for a plot only

    a = analyse(options.load(args), args.rounding, budget=args.budget)
    if args.against == "B":
        from ..errors import SpecError
        from ..views.plot import batch_figure

        if args.what != "memory":
            raise SpecError("only --what memory is plotted against the batch size", where="--against",
                            rule="memory against B")
        f = batch_figure(a, low, high)
    else:
        f = figure(a, args.what, low, high, batch=args.batch)
    print(save(f, out))
    return 0
