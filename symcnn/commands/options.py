"""Options several commands share, and reading their values (the flags are named only here).

Nothing here imports sympy: ``symcnn --help``, ``symcnn COMMAND --help`` and ``symcnn list``
stay light; the engine loads when a command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..errors import SymcnnError
from ..rounding import ROUNDINGS

if TYPE_CHECKING:
    from ..network import Network
    from ..shape import Shape

#: What NET may be. Only the command line names a PyTorch model: importing it runs its code.
NETWORK_HELP = ("a built-in network (see 'symcnn list'), a spec file (.yaml or .yml; see docs/specs.md), an ONNX file "
                "(.onnx) or a PyTorch model as package.module:callable or file.py:callable (its code runs: name "
                "only code you trust, as for templates; docs/security.md)")


def command(sub, name: str, help: str, *examples: str) -> argparse.ArgumentParser:
    """A command's parser, its help line, and examples shown under ``symcnn NAME --help``."""
    epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples) if examples else None
    return sub.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".", epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def network(p: argparse.ArgumentParser, *, nargs: str | None = None) -> None:
    help = NETWORK_HELP
    if nargs:
        p.add_argument("network", metavar="NET", nargs=nargs, help=help)
    else:
        p.add_argument("network", metavar="NET", help=help)


def input(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", metavar="HxWxC",
                   help="input size, e.g. 224x224x3 (default: the network's own, as 'symcnn list' shows it; an "
                        "imported model is traced at it)")


def strict(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="importing a model: an operation symcnn cannot derive is an error (default: opaque)")


def rounding(p: argparse.ArgumentParser, default: str | None = None) -> None:
    fallback = default or "the network's own: exact for alexnet, floor for the zoo and spec files unless they say"
    p.add_argument(
        "--rounding", choices=ROUNDINGS, default=default,
        help=f"exact: the source article's formula (divisions must be whole); floor: PyTorch; ceil: Caffe "
             f"pooling (default: {fallback})",
    )


def budget(p: argparse.ArgumentParser) -> None:
    p.add_argument("--budget", metavar="SECONDS", type=_seconds, default=None,
                   help="time budget of each network's closed forms (default: 20); past it the layers "
                        "derived so far are given and the one that was not is named")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e9:
        raise argparse.ArgumentTypeError(f"a positive number of seconds below 10^9, got {text[:40]!r}")
    return value


#: The counting conventions (symcnn.analysis.counting.CONVENTIONS, named here so that --help loads no sympy).
COUNTS = ("macs", "flops", "fvcore", "ptflops", "thop", "torchinfo")


def count(p: argparse.ArgumentParser) -> None:
    p.add_argument("--count", choices=COUNTS, default=None,
                   help="also give compute as this convention counts it: macs (symcnn's, weights only), flops (2 x "
                        "MACs), or as fvcore, ptflops, thop or torchinfo count it (see 'symcnn compare')")


def json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def load(args: argparse.Namespace, name: str | None = None) -> Network:
    """The network ``NET`` names, taking ``--input`` (the size an imported model is traced at, and a
    spec is checked at), ``--rounding`` (a spec is checked in it) and ``--strict``."""
    from ..builders.load import load as load_network

    given = shape(getattr(args, "input", None))
    if given is not None:  # known first: a model traced at it fails on its channels
        args.note = channels_first_note(given)
    network = args.network if name is None else name
    try:
        net = load_network(network, given, rounding=getattr(args, "rounding", None),
                           strict=getattr(args, "strict", False))
    except SymcnnError:
        if given is None:  # a spec checked at its own input: say how that input was read
            args.note = _spec_input_note(network)
        raise
    if given is None:
        args.note = channels_first_note(net.input)
    return net


def _spec_input_note(network: str) -> str:
    """:func:`channels_first_note` for the input a spec file gives, read again without the check
    that failed; empty where ``network`` is not a spec or its input cannot be read."""
    if not network.lower().endswith((".yaml", ".yml")):
        return ""
    from ..builders.spec import load_spec

    try:
        return channels_first_note(load_spec(network, check=False).input)
    except SymcnnError:
        return ""


def channels_first_note(input: Shape) -> str:
    """What to say where an input reads as PyTorch's C x H x W (``3x224x224``, ``1x28x28``) or, batch
    included, N x C x H x W (``1x3x224x224``): symcnn reads H x W x C (and D x H x W x C), so that is
    a map 3 high with 224 channels; empty where it does not. The command line says it after the
    output, or inside the one line of an error.

    >>> from symcnn.shape import Shape
    >>> print(channels_first_note(Shape.of("1x28x28")))
    input 1x28x28 is read as H x W x C (height 1, width 28, 28 channels); PyTorch's C x H x W 1x28x28 is 28x28x1 here
    >>> print(channels_first_note(Shape.of("1x3x224x224")).partition("; ")[2])
    PyTorch's N x C x H x W 1x3x224x224 is 224x224x3 here, with no batch
    >>> channels_first_note(Shape.of("32x32x3"))
    ''
    """
    sizes = (*input.spatial, input.channels)
    if len(sizes) not in (3, 4) or not all(getattr(s, "is_Integer", False) for s in sizes):
        return ""
    batch, (c, h, w) = sizes[:-3], sizes[-3:]
    if not (c <= 4 and h == w >= 8):
        return ""
    if batch:
        return (f"input {input.text()} is read as D x H x W x C (depth {batch[0]}, height {c}, width {h}, {w} "
                f"channels); PyTorch's N x C x H x W {input.text()} is {h}x{w}x{c} here, with no batch")
    return (f"input {input.text()} is read as H x W x C (height {c}, width {h}, {w} channels); PyTorch's "
            f"C x H x W {input.text()} is {h}x{w}x{c} here")


def batch(value: int) -> int:
    """The ``--batch`` value, checked: a whole number from 1 to 10^9."""
    if not 1 <= value <= 10**9:
        from ..errors import SpecError

        raise SpecError(f"a batch is a whole number from 1 to 10^9, got {value}", where="--batch", rule="batch size")
    return value


def shape(text: str | None) -> Shape | None:
    """The ``--input`` value as a Shape (None: the network's own)."""
    if text is None:
        return None
    from ..shape import Shape

    return Shape.of(text, field="--input")
