"""Options several commands share, and reading their values (the flags are named only here)."""

from __future__ import annotations

import argparse

from ..rounding import ROUNDINGS
from ..shape import Shape


def network(p: argparse.ArgumentParser, *, nargs: str | None = None) -> None:
    help = ("a built-in network (see 'symcnn list'), a spec file (.yaml), an ONNX file (.onnx) or a PyTorch model "
            "as package.module:callable")
    if nargs:
        p.add_argument("network", metavar="NET", nargs=nargs, help=help)
    else:
        p.add_argument("network", metavar="NET", help=help)


def input(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", metavar="HxWxC", help="input size, e.g. 224x224x3 (default: the network's)")


def rounding(p: argparse.ArgumentParser, default: str | None = None) -> None:
    p.add_argument(
        "--rounding", choices=ROUNDINGS, default=default,
        help="exact: the article's formula (divisions must be whole); floor: PyTorch; ceil: Caffe pooling",
    )


def budget(p: argparse.ArgumentParser) -> None:
    p.add_argument("--budget", metavar="SECONDS", type=_seconds, default=None,
                   help="time budget of each network's closed forms (default 20); past it the layers "
                        "derived so far are given and the one that was not is named")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"a positive number of seconds, got {text!r}")
    return value


def shape(text: str | None) -> Shape | None:
    """The ``--input`` value as a Shape (None: the network's own)."""
    return None if text is None else Shape.of(text, field="--input")
