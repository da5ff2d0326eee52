"""``symcnn check-doc DOC``: check every equality a document (Markdown, LaTeX, text, a Jupyter
notebook, an HTML page) writes, in math, prose and tables.

Exit status: 0 something was checked and nothing is wrong; 1 a mistake was found; 2 bad
input (a file that cannot be read, an unknown network); 3 a bug in symcnn; 4 nothing in
the document could be checked.
"""

from __future__ import annotations

import argparse
import json

from ..errors import SymcnnError, quote
from . import options


def add(sub) -> None:
    p = options.command(sub, "check-doc", "check every equality of a Markdown, LaTeX, plain-text or HTML "
                                          "document or a Jupyter notebook (and its network sizes); exit status 1: "
                                          "a mistake found, 4: nothing could be checked",
                        "symcnn check-doc post.md",
                        "symcnn check-doc notes.tex --format github",
                        "symcnn check-doc derivation.ipynb",
                        "symcnn check-doc post.html --network alexnet",
                        "symcnn check-doc post.md --network alexnet --layer MaxPool=pool")
    p.add_argument("document", metavar="DOC", help="a .md, .tex, .txt, .ipynb or .html file; - reads standard input")
    p.add_argument("--syntax", choices=("markdown", "latex", "text", "notebook", "html"),
                   help="default: from the file name and content (.tex: latex, .txt: text, .ipynb: notebook: its "
                        "Markdown cells, never code or outputs; .html/.htm: html: the text a reader sees, MathJax "
                        "and KaTeX math, tables)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text for people; json; github: workflow annotations (::error file=...,line=...::) "
                        "(default: text)")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("--show-skipped", action="store_true", help="list what could not be checked, by reason")
    p.add_argument("--network", metavar="NET",
                   help="also check the sizes and parameter counts given next to this network's layer names: "
                        + options.NETWORK_HELP)
    options.input(p)
    options.rounding(p)
    p.add_argument("--layer", metavar="DOC=NET", action="append", default=[],
                   help="a layer name the document uses for one of the network's (MaxPool-1=pool1), or a "
                        "prefix for all numbered ones (MaxPool=pool); repeatable")
    p.set_defaults(run=run)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        doc, sep, net = pair.partition("=")
        if not sep or not doc.strip() or not net.strip():
            raise SymcnnError(f"expected DOC=NET (MaxPool-1=pool1), got {quote(pair)}", where="--layer", rule="usage")
        mapping[doc.strip()] = net.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    from ..checkdoc import check_file, format_github, format_text, to_json

    if args.network is None and (args.layer or args.input or args.rounding):
        raise SymcnnError("--layer, --input and --rounding need --network", where="check-doc", rule="usage")
    network = None
    if args.network is not None:
        from ..builders.load import load

        shape = options.shape(args.input)
        network = load(args.network, input=shape, rounding=args.rounding).derive(shape, args.rounding)
    result = check_file(args.document, syntax=args.syntax, network=network, layer_names=_mapping(args.layer))
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    elif fmt == "github":
        print(format_github(result))
    else:
        print(format_text(result, show_skipped=args.show_skipped))
    return result.exit_code  # an unexpected error is reported as a bug by the command line's one handler
