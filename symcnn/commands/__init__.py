"""The ``symcnn`` command: ``cli(argv)`` parses, runs and returns the exit status.

One module per command (``summary``, ``formula``, ``derive``, ``solve``, ``report``, ``plot``,
``compare``, ``memory``, ``check``, ``check-doc``, ``list``, ``import``), each with ``add(subparsers)``
and ``run(args)``; argparse (the standard library) is used only here. :func:`cli` is the one place where
errors reach the user.

Exit status: 0 done; 1 a check found a mistake; 2 bad input (one line on stderr naming
what is wrong); 3 an unexpected error, a bug in symcnn (one line saying so, where to
report it and how to see the traceback: ``--debug`` or ``SYMCNN_DEBUG=1``); 4 ``check-doc``
found nothing it could check. 130 when interrupted.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from textwrap import fill
from typing import Any, TextIO, cast

from ..errors import Rule, SymcnnError, did_you_mean, escaped
from ..limits import COMMAND_SECONDS, PYTHON_REFUSAL, check_settings, numbers_shown_up_to_the_limit, too_long_to_show
from ..views.strings import SOURCE
from . import (
    check,
    check_doc,
    compare,
    derive,
    examples,
    formula,
    importing,
    listing,
    memory,
    plot,
    report,
    solve,
    summary,
)

PROG = "symcnn"
COMMANDS = (summary, formula, derive, solve, report, plot, compare, memory, check, check_doc, listing, importing,
            examples)

EPILOG = """exit status:
  0  done (--help, --version, and symcnn alone, which prints this help)
  1  a check found a mistake (check, check-doc)
  2  bad input: one line on stderr names what is wrong
  3  an unexpected error, a bug in symcnn (see the traceback with --debug)
  4  check-doc found nothing it could check

limits: SYMCNN_MAX_FILE_BYTES, SYMCNN_MAX_LAYERS, SYMCNN_MAX_DIGITS, ... (see docs/command-line.md)
examples:
  symcnn summary alexnet
  symcnn formula --list
  symcnn report alexnet --lang ko
  symcnn examples          # the example files the commands' help names, copied into ./examples"""

#: What to add on the command line to an engine error, by the rule it broke.
HINTS: dict[str, str] = {
    Rule.EXACT_DIVISION: "on the command line: --rounding floor or --rounding ceil; in a spec or claims file: "
                      "rounding: floor",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, like every other symcnn error."""

    #: The commands' parsers by name (on the top-level parser).
    commands: Mapping[str, argparse.ArgumentParser] = {}

    def error(self, message: str):
        raise SymcnnError(f"{message} (see '{self.prog} --help')", where=None, rule="usage")

    def _print_message(self, message: str, file=None) -> None:
        """As argparse prints, without its silence when the stream fails: ``--help > /dev/full``
        is one line and status 2, as for every other output."""
        if message:
            (file or sys.stderr).write(message)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """``argv`` parsed; what no option of the command takes is one line naming the command's help
    and its closest option (``--netwrk``: did you mean '--network'?)."""
    p = parser()
    args, extra = p.parse_known_args(argv)
    extra = [a for a in extra if a != "--debug"]  # after the command too, where the bug message says to add it
    if extra:
        command = p.commands.get(getattr(args, "command", None) or "", p)
        options = [*command._option_string_actions, *p._option_string_actions]
        hint = next((did_you_mean(a.split("=")[0], options) for a in extra if a.startswith("--")), "")
        raise SymcnnError(f"unrecognized arguments: {' '.join(extra)}{hint} (see '{command.prog} --help')",
                          rule="usage")
    return args


def parser() -> _Parser:
    p = _Parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
                description=fill("Derive CNN tensor sizes and parameter counts symbolically. " + SOURCE),
                epilog=EPILOG)
    p.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    p.add_argument("--debug", action="store_true",
                   help=f"on an unexpected error (a bug), show the traceback (also {DEBUG_VARIABLE}=1)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.add(sub)
    p.commands = sub.choices
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


def explained(error: SymcnnError) -> SymcnnError:
    """``error`` with what the analysis adds to it: the input sizes that fit a declared size or a
    merge that the input did not (:func:`symcnn.analysis.explain`; the analysis loads only then)."""
    if error.detail is None:
        return error
    from ..analysis import explain

    return explain(error)


#: Where a bug is to be reported (the one line of exit status 3 names it).
REPORT_BUGS = "the symcnn issue tracker, with the command that caused it"
DEBUG_VARIABLE = "SYMCNN_DEBUG"


def bug_message(error: BaseException) -> str:
    """The one line an unexpected error prints: that it is a bug, where to report it, how to see more."""
    try:
        detail = escaped(str(error))
    except Exception:  # an error whose text cannot be made
        detail = ""
    if len(detail) > 200:
        detail = detail[:200] + "..."
    what = type(error).__name__ + (f": {detail}" if detail else "")
    return (f"{PROG}: internal error, a bug in symcnn ({what}); please report it to {REPORT_BUGS}; "
            f"to see the traceback, run it again with --debug or {DEBUG_VARIABLE}=1")


def _debugging(argv: Sequence[str]) -> bool:
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0") or "--debug" in argv


def _dash_values(argv: list[str]) -> list[str]:
    """``--input -227x227x3`` as ``--input=-227x227x3``: a value that starts with a dash and a
    digit is no option of symcnn's, and argparse would take it for one ("expected one
    argument") instead of saying what is wrong with the value."""
    out: list[str] = []
    for arg in argv:
        if out and isinstance(arg, str) and re.match(r"-\d", arg) and re.fullmatch(r"--[A-Za-z][\w-]*", out[-1]):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def cli(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting.

    Every error reaches the user here, as one line on stderr: a symcnn error (bad input)
    exits 2; anything else is a bug and exits 3, with the traceback only when debugging.
    Python's own limit on converting long numbers to text is symcnn's meanwhile
    (:data:`~symcnn.limits.DIGITS_SHOWN`, which a user can raise); a number past it is bad
    input too, reported as that limit.
    """
    argv = _dash_values(list(sys.argv[1:] if argv is None else argv))
    args = argparse.Namespace(note="")  # note: what the command adds on stderr (the input as it was read)
    with numbers_shown_up_to_the_limit():
        try:
            check_settings()
            if not argv:  # `symcnn` alone asks what symcnn does: the help, as --help gives it (status 0)
                print(parser().format_help(), end="")
                return 0
            args = parse(argv)
            with _cpu_bounded():
                status = args.run(args)
            if getattr(args, "note", ""):
                print(f"{PROG}: note: {args.note}", file=sys.stderr)
            return status
        except _OutOfCpu:
            print(message(COMMAND_SECONDS.error("the command's time")), file=sys.stderr)
            return 2
        except SymcnnError as e:
            if _debugging(argv) and e.__cause__ is not None:  # what lies behind the line (a tracer's account)
                import traceback

                traceback.print_exception(e)
            note = getattr(args, "note", "")
            print(message(explained(e)) + (f" (note: {note})" if note else ""), file=sys.stderr)
            return 2
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            return 130
        except ValueError as e:
            if PYTHON_REFUSAL not in str(e):
                return _bug(e, argv)
            print(message(too_long_to_show()), file=sys.stderr)
            return 2
        except (Exception, RecursionError, MemoryError) as e:
            return _bug(e, argv)


class _OutOfCpu(BaseException):
    """The command used up :data:`~symcnn.limits.COMMAND_SECONDS` (a BaseException, as
    KeyboardInterrupt is: no ``except Exception`` inside sympy or jinja2 swallows it)."""


@contextmanager
def _cpu_bounded() -> Iterator[None]:
    """Run the block within :data:`~symcnn.limits.COMMAND_SECONDS` of CPU time (a virtual-time
    timer: the analysis's own budget keeps the real-time one); in the main thread, where there is
    such a timer, else unbounded."""
    timer = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
             and signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0))
    if not timer:
        yield
        return

    def ring(signum, frame):
        raise _OutOfCpu

    previous = signal.signal(signal.SIGVTALRM, ring)
    signal.setitimer(signal.ITIMER_VIRTUAL, COMMAND_SECONDS.value)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def _bug(error: BaseException, argv: Sequence[str]) -> int:
    if _debugging(argv):
        import traceback

        traceback.print_exception(error)
    print(bug_message(error), file=sys.stderr)
    return 3


class OutputError(SymcnnError, OSError):
    """Standard output cannot be written: it is closed, or the disk it goes to is full."""


class _Escaping:
    """A text stream that writes control characters as escapes (newlines and tabs pass):
    a name or a document's text cannot move the cursor, clear the screen or retitle the terminal.
    Standard output closed (``>&-``) or on a full disk (``> /dev/full``) is one line, as a Unix
    tool says it."""

    def __init__(self, stream: TextIO | None):
        self._stream = stream

    def write(self, text: str) -> int:
        with self._writing():
            cast(TextIO, self._stream).write(escaped(text, keep="\n\t"))
        return len(text)

    def flush(self) -> None:
        if self._stream is not None:
            with self._writing():
                self._stream.flush()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        if self._stream is None:
            raise OutputError("cannot write the output: standard output is closed", where=None, rule="output")
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as e:
            # what is still buffered goes nowhere: Python's own flush at exit must not fail again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
            raise OutputError(f"cannot write the output: {e.strerror or e}", where=None, rule="output") from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _ClosedInput:
    """Standard input when it is closed (``<&-``): reading it is one line, not a crash."""

    @property
    def buffer(self) -> _ClosedInput:
        return self

    def read(self, *args) -> bytes:
        raise SymcnnError("cannot read standard input: it is closed", where="<stdin>", rule="input")

    readline = read


def main() -> None:
    """The ``symcnn`` script: :func:`cli`, with output that never fails to encode and never
    writes a control character raw. A reader that goes away (``symcnn ... | head -1``) ends it
    quietly, by SIGPIPE, as it ends Unix tools."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A command makes many objects that live to its end (a deep network's layers, records and
    # sympy sizes) and few cycles: at the collector's default, a pass every 700 new objects,
    # walking them costs a tenth of a 10,000-layer derive (benchmarks/deep_chain.py)
    gc.set_threshold(50_000, 20, 20)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    if sys.stdin is None:
        sys.stdin = cast(TextIO, _ClosedInput())
    sys.stdout = cast(TextIO, _Escaping(sys.stdout))
    status = cli()
    try:
        sys.stdout.flush()
    except SymcnnError as e:
        print(message(e), file=sys.stderr)
        status = 2
    # what the command made goes with the process: the collector's last pass at exit would walk
    # all of it first (a third of a second after a 10,000-layer derive)
    gc.freeze()
    sys.exit(status)


__all__ = ["cli", "main", "parser", "message", "bug_message", "OutputError", "PROG", "REPORT_BUGS"]
