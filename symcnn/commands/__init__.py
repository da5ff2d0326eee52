"""The ``symcnn`` command: ``cli(argv)`` parses, runs and returns the exit status.

One module per command (``summary``, ``formula``, ``derive``, ``solve``, ``report``, ``plot``,
``check``, ``check-doc``, ``list``, ``import``), each with ``add(subparsers)`` and ``run(args)``;
argparse (the standard library) is used only here. :func:`cli` is the one place where
errors reach the user.

Exit status: 0 done, 1 a check found a mistake, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import SymcnnError
from . import check, check_doc, derive, formula, importing, listing, plot, report, solve, summary

PROG = "symcnn"
COMMANDS = (summary, formula, derive, solve, report, plot, check, check_doc, listing, importing)

#: What to add on the command line to an engine error, by the rule it broke.
HINTS = {
    "exact division": "on the command line: --rounding floor or --rounding ceil; in a spec or claims file: "
                      "rounding: floor",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, like every other symcnn error."""

    def error(self, message: str):
        raise SymcnnError(f"{message} (see '{self.prog} --help')", where=None, rule="usage")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Derive CNN tensor sizes and parameter counts symbolically.")
    p.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.add(sub)
    return p


class _Version(argparse.Action):
    """``--version``, looked up only when asked (reading the installed metadata costs every
    command tens of milliseconds otherwise)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("symcnn")
    except PackageNotFoundError:
        return "unknown"


def message(error: SymcnnError) -> str:
    """The one line a symcnn error prints, with a command-line hint where its rule has one."""
    hint = HINTS.get(error.rule or "")
    return f"{PROG}: error: {error}" + (f" ({hint})" if hint else "")


def cli(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    try:
        args = parser().parse_args(argv)
        return args.run(args)
    except SymcnnError as e:
        print(message(e), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def main() -> None:
    sys.exit(cli())


__all__ = ["cli", "main", "parser", "PROG"]
