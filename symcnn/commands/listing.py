"""``symcnn list``: the built-in networks."""

from __future__ import annotations

import argparse

from ..builders.zoo import BUILTIN


def add(sub) -> None:
    p = sub.add_parser("list", help="list the built-in networks and the model zoo")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for name, build in BUILTIN.items():
        net = build()
        print(f"{name:24} {str(net.input):12} {net.description}")
    return 0
