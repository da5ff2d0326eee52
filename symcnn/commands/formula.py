"""``symcnn formula NAME``: one general formula; ``--list`` lists them."""

from __future__ import annotations

import argparse
import json

from ..errors import SymcnnError
from . import options


def add(sub) -> None:
    p = options.command(sub, "formula", "print one of the general formulas (the source article's, and more)",
                        "symcnn formula --list",
                        "symcnn formula conv-output --rounding floor",
                        "symcnn formula conv-params --latex")
    p.add_argument("name", nargs="?", metavar="NAME", help="a formula name, e.g. conv-output (see --list)")
    p.add_argument("--list", action="store_true", help="list every formula, with what it gives")
    options.rounding(p, default="exact")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true", help="print LaTeX instead of text")
    fmt.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..formulas import FORMULA_NAMES, formula

    if args.list and (args.name or args.latex or args.json):
        raise SymcnnError("--list lists every formula as text: give it no NAME, --latex or --json",
                          where="formula", rule="usage")
    if args.list:
        width = max(len(name) for name in FORMULA_NAMES) + 2
        for name in FORMULA_NAMES:
            f = formula(name, args.rounding)
            print(f"{name:{width}}{'; '.join(f.text_lines())}")
            print(f"{'':{width}}{f.meaning}")
        return 0
    if not args.name:
        raise SymcnnError("give a formula NAME or --list", where="formula", rule="usage")
    f = formula(args.name, args.rounding)
    if args.json:
        print(json.dumps(f.to_json(), indent=2))
    elif args.latex:
        print("\n".join(f.tex_lines()))
    else:
        print("\n".join(f.text_lines()))
        print(f"# {f.meaning}")
    return 0
