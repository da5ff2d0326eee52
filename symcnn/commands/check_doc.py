"""``symcnn check-doc DOC``: check every chain of equalities a document writes."""

from __future__ import annotations

import argparse
import json

from ..views.checkdoc import check_file, format_text, to_json


def add(sub) -> None:
    p = sub.add_parser("check-doc", help="check every equation chain of a Markdown or LaTeX document")
    p.add_argument("document", metavar="DOC", help="a .md or .tex file (front matter allowed)")
    p.add_argument("--syntax", choices=("markdown", "latex"), help="default: from the file name and content")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = check_file(args.document, syntax=args.syntax)
    print(json.dumps(to_json(result), indent=2) if args.json else format_text(result))
    return 1 if result.wrong else 0
