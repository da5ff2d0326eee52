"""``symcnn solve FORMULA --for SYMBOL --given NAME=VALUE ...``"""

from __future__ import annotations

import argparse
import json

from . import options


def add(sub) -> None:
    p = options.command(sub, "solve", "solve a general formula for one of its symbols",
                        "symcnn solve conv-output --for P --given O=I S=1     # the padding that keeps the size",
                        "symcnn solve conv-params --for K --given P_c=34944 C=3 N=96")
    p.add_argument("name", metavar="FORMULA", help="a formula name, e.g. conv-output (see 'symcnn formula --list')")
    p.add_argument("--for", dest="target", required=True, metavar="SYMBOL",
                   help="the symbol to solve for, e.g. P (F_prev may be written F_{-1})")
    p.add_argument("--given", nargs="+", default=[], metavar="NAME=VALUE",
                   help="known values: a whole number or a symbol name, e.g. O=I S=1 (default: none)")
    options.json_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis.solve import parse_given, solve, written

    solutions = solve(args.name, args.target, parse_given(args.given))
    if args.json:
        print(json.dumps({"solutions": [written(s) for s in solutions]}, indent=2))
    else:
        print("\n".join(f"{args.target} = {written(s)}" for s in solutions))
    return 0
