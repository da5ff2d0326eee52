"""``symcnn list``: the built-in networks."""

from __future__ import annotations

import argparse

from . import options


def add(sub) -> None:
    p = options.command(sub, "list", "list the built-in networks and the model zoo", "symcnn list")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..builders.zoo import catalogue

    entries = catalogue()
    names = max(len(name) for name, _, _ in entries) + 2
    inputs = max(len(input) for _, input, _ in entries) + 2
    for name, input, description in entries:
        print(f"{name:{names}}{input:{inputs}}{description}")
    return 0
