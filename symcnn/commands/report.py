"""``symcnn report NET...``: write the worked derivation as Markdown, LaTeX and HTML (and PDF)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import SpecError, quote
from ..views.report.files import FORMAT_NAMES
from ..views.strings import LANGUAGES
from . import options


def add(sub) -> None:
    p = options.command(sub, "report", "write the worked derivation as Markdown, LaTeX and HTML (and PDF)",
                        "symcnn report alexnet                     # reports/alexnet.md, .tex and .html",
                        "symcnn report examples/small.yaml --lang ko --out reports-small",
                        "symcnn report alexnet --input 224x224x3 --rounding floor --pdf")
    options.network(p, nargs="*")
    p.add_argument("--builtin", action="store_true", help="every built-in network (as the committed reports/)")
    p.add_argument("--format", choices=(*FORMAT_NAMES, "all"), default="all", help="what to write (default: all)")
    p.add_argument("--lang", choices=(*LANGUAGES, "all"), default="en",
                   help="language of the prose: en, ko (files NET.ko.md, NET.ko.tex) or all (default: en)")
    p.add_argument("--out", metavar="DIR", default="reports", help="folder to write to (default: reports)")
    p.add_argument("--pdf", action="store_true",
                   help="also compile the LaTeX (latexmk: pdflatex, xelatex for ko), without shell escape, "
                        "within SYMCNN_PDF_SECONDS (default: 120)")
    p.add_argument("--fragment", action="store_true", help="write only the body, for \\input or pasting")
    p.add_argument("--template-dir", metavar="DIR",
                   help="your templates, ahead of the built-in ones (templates are code: use your own only)")
    options.input(p)
    options.rounding(p)
    options.strict(p)
    options.budget(p)
    options.count(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..views.report.data import report_data
    from ..views.report.files import filename, write_files
    from ..views.report.formats import FORMATS
    from ..views.report.pdf import compile_pdf, engine_for, need_programs
    from ..views.report.render import render

    formats, langs, names = _choices(args)
    from ..analysis.budget import within  # the analysis loads for a report only

    # Each network is derived and analysed once, for every format and language (the analysis
    # within the time budget).
    with within(args.budget):
        reports = [report_data(options.load(args, name), None, args.rounding, args.count or "macs") for name in names]
        for data in reports:  # what the formats read besides (the page's analysis in H and W, the figures)
            data.prepare(*(FORMATS[fmt] for fmt in formats))
    _one_report_per_name(names, [data.d.name for data in reports])
    out = Path(args.out)
    if args.pdf:
        for lang in langs:
            need_programs(engine_for(lang), filename(reports[0].d.name, "tex", lang))
    texts = {
        out / filename(data.d.name, fmt, lang): render(data, fmt, lang, fragment=args.fragment,
                                                        template_dir=args.template_dir)
        for data in reports for lang in langs for fmt in formats
    }
    files: dict[Path, str | bytes] = dict(texts)
    if args.pdf:  # compiled before anything is written: a LaTeX error leaves no file behind
        for data in reports:
            for lang in langs:
                tex = out / filename(data.d.name, "tex", lang)
                files[tex.with_suffix(".pdf")] = compile_pdf(texts[tex], tex.name, engine_for(lang))
    write_files(files)
    for path in files:
        print(path)
    return 0


def _choices(args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """The formats, languages and networks asked for; --pdf only with LaTeX and a whole document."""
    from ..builders.zoo import BUILTIN
    from ..views.report.render import check_language

    formats = FORMAT_NAMES if args.format == "all" else (args.format,)
    langs = LANGUAGES if args.lang == "all" else (check_language(args.lang),)
    if args.pdf and "tex" not in formats:
        raise SpecError("--pdf compiles the LaTeX report: use --format tex or all", where="--pdf",
                        rule="--pdf needs LaTeX")
    if args.pdf and args.fragment:
        raise SpecError("a --fragment cannot be compiled on its own", where="--pdf", rule="--pdf needs a document")
    names = list(dict.fromkeys([*args.network, *(BUILTIN if args.builtin else ())]))
    if not names:
        raise SpecError("name a network (see 'symcnn list'), a spec file, or --builtin", where="report",
                        rule="a network to report")
    return tuple(formats), tuple(langs), names


def _one_report_per_name(names: list[str], titles: list[str]) -> None:
    """Two networks named alike would write the same files."""
    seen: dict[str, str] = {}
    for name, title in zip(names, titles):
        if title in seen:
            raise SpecError(f"{seen[title]} and {name} are both named {quote(title)}: their reports would "
                            "overwrite each other", where="report", rule="one report per name")
        seen[title] = name
