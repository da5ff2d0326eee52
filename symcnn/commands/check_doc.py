"""``symcnn check-doc DOC...``: check every equality a document (Markdown, LaTeX, text, a Jupyter
notebook, an HTML page) writes, in math, prose and tables; many documents (files, folders, globs)
in one call, checked in parallel (:mod:`.documents`), with one summary.

Exit status: 0 something was checked and nothing is wrong; 1 a mistake was found; 2 bad
input (a file that cannot be read, an unknown network); 3 a bug in symcnn; 4 nothing in
the document (in any of the documents) could be checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial

from ..errors import SymcnnError, quote
from . import documents, options


def add(sub) -> None:
    p = options.command(sub, "check-doc", "check every equality of a Markdown, LaTeX, plain-text or HTML "
                                          "document or a Jupyter notebook (and its network sizes); exit status 1: "
                                          "a mistake found, 4: nothing could be checked",
                        "symcnn check-doc examples/post.md",
                        "symcnn check-doc examples/ --pass-empty",
                        "symcnn check-doc examples/notes.tex --format github",
                        "symcnn check-doc examples/derivation.ipynb",
                        "symcnn check-doc examples/post.html --network alexnet",
                        "symcnn check-doc examples/post.md --network alexnet --layer Max-Pool=pool")
    p.add_argument("documents", metavar="DOC", nargs="+",
                   help="a .md, .tex, .txt, .ipynb or .html file, a folder (its files of those kinds, hidden "
                        "folders left out) or a glob ('posts/**/*.md'); - reads standard input (alone)")
    p.add_argument("--pass-empty", action="store_true",
                   help="a document with nothing checkable passes (exit 0, not 4): for hooks and CI steps "
                        "given every document of a commit")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="processes to check many documents in (default: the number of cores)")
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
                   help="also check the sizes and parameter counts given next to this network's layer names, "
                        "and its totals; auto: the built-in network the document names most (none where unclear): "
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
    if args.network is None and (args.layer or args.input or args.rounding):
        raise SymcnnError("--layer, --input and --rounding need --network", where="check-doc", rule="usage")
    if args.network == "auto" and (args.input or args.rounding):
        raise SymcnnError("--input and --rounding need a network named, not auto", where="check-doc", rule="usage")
    if args.jobs is not None and args.jobs < 1:
        raise SymcnnError(f"must be 1 or more, got {args.jobs}", where="--jobs", rule="usage")
    if "-" in args.documents and len(args.documents) > 1:
        raise SymcnnError("- (standard input) can only be given alone", where="check-doc", rule="usage")
    network = args.network  # "auto": chosen for each document from the networks it names
    if args.network not in (None, "auto"):
        from ..builders.load import load

        shape = options.shape(args.input)
        network = load(args.network, input=shape, rounding=args.rounding).derive(shape, args.rounding)
    check = partial(_check, network=network, syntax=args.syntax, layer_names=_mapping(args.layer))
    fmt = "json" if args.json else args.format
    [one] = args.documents if len(args.documents) == 1 else [None]
    if one is not None and not documents.is_many(one):
        return _single(check(one), fmt, args)
    return _many(documents.expand(args.documents), check, fmt, args)


def _check(name: str, *, network, syntax, layer_names):
    from ..checkdoc import check_file

    return check_file(name, syntax=syntax, network=network, layer_names=layer_names)


def _single(result, fmt: str, args: argparse.Namespace) -> int:
    from ..checkdoc import format_github, format_text, to_json

    if fmt == "json":
        print(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    elif fmt == "github":
        print(format_github(result))
    else:
        print(format_text(result, show_skipped=args.show_skipped))
    # an unexpected error is reported as a bug by the command line's one handler
    return 0 if result.exit_code == 4 and args.pass_empty else result.exit_code


def _outcome(name: str, *, check, fmt: str, show_skipped: bool) -> documents.Outcome:
    """One file's check, written out in the worker (so the writing is parallel too)."""
    from ..checkdoc import format_github, format_text, to_json
    try:
        result = check(name)
    except SymcnnError as e:
        return documents.Outcome(name, status="error", error=f"symcnn: error: {e}")  # as the one handler writes it
    counts = {"checked": result.checked, "wrong": len(result.wrong), "skipped": result.skipped,
              "claims": len(result.claims), "wrong claims": len(result.wrong_claims)}
    if fmt == "json":
        return documents.Outcome(name, status=result.status, counts=counts, json=to_json(result))
    if fmt == "github":
        return documents.Outcome(name, format_github(result), result.status, counts=counts)
    findings, _, last = format_text(result, show_skipped=show_skipped).rpartition("\n")
    return documents.Outcome(name, (findings + "\n" if findings else "") + f"{name}: {last}", result.status,
                             counts=counts)


def _many(files: list[str], check, fmt: str, args: argparse.Namespace) -> int:
    job = partial(_outcome, check=check, fmt=fmt, show_skipped=args.show_skipped)
    outcomes = []
    for outcome in documents.check_all(files, job, args.jobs):
        outcomes.append(outcome)
        if fmt == "json":
            continue
        if outcome.status == "error":
            print(outcome.error, file=sys.stderr)
            if fmt == "github":
                print(f"::error file={outcome.name}::{outcome.error}")
        elif outcome.output:
            print(outcome.output)
    status = documents.exit_status(outcomes, pass_empty=args.pass_empty)
    if fmt == "json":
        print(documents.as_json(outcomes, status))
    else:
        print(documents.totals(outcomes))
    return status
