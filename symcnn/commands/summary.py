"""``symcnn summary NET``: every layer's output size and parameters, and the totals."""

from __future__ import annotations

import argparse
import json

from ..builders.load import load
from ..views.tables import summary_text
from . import options


def add(sub) -> None:
    p = sub.add_parser("summary", help="every layer's output size and parameters, and the totals")
    options.network(p)
    options.input(p)
    options.rounding(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    d = load(args.network).derive(options.shape(args.input), args.rounding)
    print(json.dumps(d.to_json(), indent=2) if args.json else summary_text(d))
    return 0
