"""``symcnn check CLAIMS.yaml``: check what a claims file says about a network."""

from __future__ import annotations

import argparse
import json

from . import options


def add(sub) -> None:
    p = options.command(sub, "check", "check the claims of a claims file against the derivation "
                                      "(exit status 1 when one is wrong or undecided)",
                        "symcnn check examples/claims.yaml")
    p.add_argument("claims", metavar="CLAIMS.yaml",
                   help="a file naming a network and the numbers claimed (see docs/checking.md: claims files)")
    options.json_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..views.claims import check_claims

    report = check_claims(args.claims)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.text())
    # every claim must hold: one that depends on a symbol does not hold yet
    return 1 if report.wrong or report.undecided else 0
