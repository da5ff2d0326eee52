"""``symcnn check CLAIMS.yaml``: check what a claims file says about a network."""

from __future__ import annotations

import argparse
import json


def add(sub) -> None:
    p = sub.add_parser("check", help="check the claims of a claims file against the derivation")
    p.add_argument("claims", metavar="CLAIMS.yaml", help="a file naming a network and the numbers claimed")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..views.claims import check_claims

    report = check_claims(args.claims)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.text())
    # every claim must hold: one that depends on a symbol does not hold yet
    return 1 if report.wrong or report.undecided else 0
