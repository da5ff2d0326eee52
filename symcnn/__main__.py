"""The ``symcnn`` command: ``cli(argv)`` parses, runs and returns the exit status.

Exit status: 0 done, 1 a check found a mistake, 2 bad input (one line on stderr).
argparse (the standard library) parses the command line: it does all this needs, and
it adds nothing to install or to start-up time.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from .errors import SymcnnError

PROG = "symcnn"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, like every other symcnn error."""

    def error(self, message: str):
        raise SymcnnError(f"{message} (see '{self.prog} --help')", where=None, rule="usage")


def _rounding_arg(p: argparse.ArgumentParser, default=None):
    from .formulas import ROUNDINGS

    p.add_argument(
        "--rounding", choices=ROUNDINGS, default=default,
        help="exact: the article's formula (divisions must be whole); floor: PyTorch; ceil: Caffe pooling",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Derive CNN tensor sizes and parameter counts symbolically.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("summary", help="every layer's output size and parameters, and the totals")
    p.add_argument("network", metavar="NET", help="a built-in network (see 'symcnn list') or a spec file (.yaml)")
    p.add_argument("--input", metavar="HxWxC", help="input size, e.g. 224x224x3 (default: the network's)")
    _rounding_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_summary)

    p = sub.add_parser("formula", help="print one of the article's general formulas")
    p.add_argument("name", nargs="?", metavar="NAME", help="e.g. conv-output (see --list)")
    p.add_argument("--list", action="store_true", help="list the formulas")
    _rounding_arg(p, default="exact")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true", help="print LaTeX")
    fmt.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_formula)

    p = sub.add_parser("derive", help="closed forms in the input size: sizes, params, MACs, valid inputs, receptive fields")
    p.add_argument("network", metavar="NET", help="a built-in network (see 'symcnn list')")
    _rounding_arg(p)
    p.add_argument("--symbolic", choices=("I", "HW"), default="I",
                   help="I: a square I x I input (default); HW: height and width apart")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_derive)

    p = sub.add_parser("solve", help="solve a general formula for one of its symbols")
    p.add_argument("name", metavar="FORMULA", help="e.g. conv-output (see 'symcnn formula --list')")
    p.add_argument("--for", dest="target", required=True, metavar="SYMBOL", help="the symbol to solve for")
    p.add_argument("--given", nargs="+", default=[], metavar="NAME=VALUE",
                   help="known values: a whole number or a symbol name, e.g. O=I S=1")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_solve)

    p = sub.add_parser("report", help="write the worked derivation as Markdown and LaTeX")
    p.add_argument("network", metavar="NET", nargs="*",
                   help="built-in networks (see 'symcnn list') or spec files (.yaml)")
    p.add_argument("--builtin", action="store_true", help="every built-in network (as the committed reports/)")
    p.add_argument("--format", choices=("md", "tex", "all"), default="all", help="what to write (default: all)")
    p.add_argument("--lang", choices=("en", "ko", "all"), default="en",
                   help="language of the prose: en, ko (files NET.ko.md, NET.ko.tex) or all")
    p.add_argument("--out", metavar="DIR", default="reports", help="folder to write to (default: reports)")
    p.add_argument("--pdf", action="store_true", help="also compile the LaTeX (latexmk: pdflatex, xelatex for ko)")
    p.add_argument("--fragment", action="store_true", help="write only the body, for \\input or pasting")
    p.add_argument("--template-dir", metavar="DIR", help="templates that take precedence over the built-in ones")
    p.add_argument("--input", metavar="HxWxC", help="input size, e.g. 224x224x3 (default: the network's)")
    _rounding_arg(p)
    p.set_defaults(run=_report)

    p = sub.add_parser("check", help="check the claims of a claims file against the derivation")
    p.add_argument("claims", metavar="CLAIMS.yaml", help="a file naming a network and the numbers claimed")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_check)

    p = sub.add_parser("check-doc", help="check every equation chain of a Markdown or LaTeX document")
    p.add_argument("document", metavar="DOC", help="a .md or .tex file (front matter allowed)")
    p.add_argument("--syntax", choices=("markdown", "latex"), help="default: from the file name and content")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_check_doc)

    p = sub.add_parser("list", help="list the built-in networks and the model zoo")
    p.set_defaults(run=_list)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("symcnn")
    except PackageNotFoundError:
        return "unknown"


def _summary(args) -> int:
    from .networks import load
    from .printing import thousands

    d = load(args.network).derive(args.input, args.rounding)
    if args.json:
        print(json.dumps(d.to_json(), indent=2))
        return 0
    header = ("layer", "type", "output (HxWxC)", "weights", "biases", "params")
    rows = [
        (l.name, l.type, l.output.text(), thousands(l.weights), thousands(l.biases), thousands(l.params))
        for l in d.layers
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print(f"{d.name}: input {d.input.text()}, rounding {d.rounding}")
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print()
    if any(l.type == "conv" for l in d.layers):
        print(f"conv params   {thousands(d.params_of('conv'))}")
    print(f"total params  {thousands(d.total_params)}")
    return 0


def _formula(args) -> int:
    from .formulas import FORMULA_NAMES, formula

    if args.list and (args.name or args.latex or args.json):
        raise SymcnnError("--list lists every formula as text: give it no NAME, --latex or --json",
                          where="formula", rule="usage")
    if args.list:
        for name in FORMULA_NAMES:
            f = formula(name, args.rounding)
            print(f"{name:20} {'; '.join(f.text_lines())}")
            print(f"{'':20} {f.meaning}")
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


def _derive(args) -> int:
    from .analysis import run

    return run(args)


def _report(args) -> int:
    from .render import run

    return run(args)


def _solve(args) -> int:
    from .solve import run

    return run(args)


def _check(args) -> int:
    from .claims import check_claims

    report = check_claims(args.claims)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.text())
    # every claim must hold: one that depends on a symbol does not hold yet
    return 1 if report.wrong or report.undecided else 0


def _check_doc(args) -> int:
    from .checkdoc import check_file, format_text, to_json

    result = check_file(args.document, syntax=args.syntax)
    print(json.dumps(to_json(result), indent=2) if args.json else format_text(result))
    return 1 if result.wrong else 0


def _list(args) -> int:
    from .networks import BUILTIN

    for name, build in BUILTIN.items():
        net = build()
        print(f"{name:24} {str(net.input):12} {net.description}")
    return 0


def cli(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except SymcnnError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def main() -> None:
    sys.exit(cli())


if __name__ == "__main__":
    main()
