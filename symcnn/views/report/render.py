"""Worked-derivation reports through jinja2: one environment, one render function.

:func:`render` lays one :class:`~symcnn.views.report.data.ReportData` out in one format
(:mod:`~symcnn.views.report.formats`) and language (:mod:`symcnn.views.strings`), through
the templates in ``templates/`` (installed as ``symcnn/templates``): the shared structure
``report.j2``, and per format its frame, its macros and its ``report.FORMAT.j2``.
:func:`report` is the one-call form for a network, a name or a derivation.

>>> import symcnn
>>> md = symcnn.report("alexnet", "md")
>>> "$$\\nW_{c} = K^{2} \\\\times C \\\\times N = 11^{2} \\\\times 3 \\\\times 96 = 34{,}848\\n$$" in md
True
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sympy import Symbol

from ...errors import SpecError, SymcnnError, UnknownNameError, quote
from ...formulas import formula
from ...limits import read_text
from ...printing import thousands
from ...records import LayerDerivation, NetworkDerivation
from ...symbols import MEANINGS
from ..marks import type_mark
from ..strings import LANGUAGES, STRINGS
from .data import ReportData, report_data
from .formats import FORMATS, LATEX, MARKDOWN, Format
from .pdf import engine_for

if TYPE_CHECKING:
    import jinja2

REGENERATE = "symcnn report --builtin --format all --lang all --out reports"

_PACKAGE = Path(__file__).resolve().parent.parent.parent


def templates_dir() -> Path:
    """The built-in templates: ``symcnn/templates`` in a wheel, ``templates/`` in a checkout."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise SymcnnError("the report templates are missing from this installation", rule="templates installed")


# -- words ----------------------------------------------------------------------------------


def check_language(lang: str) -> str:
    """``lang`` where symcnn speaks it, else an :class:`UnknownNameError` naming the languages."""
    if lang not in STRINGS:
        raise UnknownNameError(f"unknown language {quote(lang)}; choose one of {', '.join(LANGUAGES)}",
                               where="--lang", rule="language")
    return lang


def check_format(name: str) -> Format:
    """The :class:`Format` called ``name``, else an :class:`UnknownNameError` naming the formats."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownNameError(f"unknown format {quote(name)}; choose one of {', '.join(FORMATS)}",
                               where="format", rule="format") from None


def kind_title(lang: str, name: str) -> str:
    """The heading of a formula's section (a formula no language names yet: its meaning)."""
    for words in (STRINGS[lang]["kinds"], STRINGS["en"]["kinds"]):
        if name in words:
            return words[name]
    try:
        meaning = formula(name).meaning
    except UnknownNameError:
        return name
    return meaning[:1].upper() + meaning[1:]


def type_name(lang: str, type: str) -> str:
    return STRINGS[lang]["types"].get(type) or STRINGS["en"]["types"].get(type) or type


def meaning(lang: str, symbol: Symbol) -> str:
    return STRINGS[lang]["symbol_meanings"].get(symbol.name) or MEANINGS.get(symbol, symbol.name)


# -- jinja ----------------------------------------------------------------------------------


def _fill(template: str, **fields) -> str:
    return template.format(**fields)


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """The one jinja2 Environment: a user's ``template_dir`` first, then the built-in templates.

    The built-ins are also reachable as ``builtin/...``, so a user's template can extend
    the one it replaces (``{% extends "builtin/md/report.md.j2" %}``).
    """
    import jinja2

    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    loaders: list = [builtin, jinja2.PrefixLoader({"builtin": builtin})]
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise SpecError(f"{template_dir} is not a folder", where="--template-dir", rule="existing folder")
        loaders.insert(0, _user_loader(template_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(thousands=thousands, fill=_fill)

    def asset(name: str) -> str:
        """A file of the templates as it is (the HTML page's style and script)."""
        return env.loader.get_source(env, name)[0].rstrip("\n")  # type: ignore[union-attr]

    env.globals.update(kind_title=kind_title, type_name=type_name, meaning=meaning, asset=asset,
                       type_mark=type_mark)
    return env


def _user_loader(folder: str) -> jinja2.BaseLoader:
    """A loader for a user's templates that reads each as every file is read (a regular file,
    UTF-8, within :data:`~symcnn.limits.FILE_BYTES`): a template linked to ``/dev/zero`` is
    refused, not read until memory runs out."""
    import posixpath

    import jinja2
    from jinja2.loaders import split_template_path

    class UserLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            for root in self.searchpath:
                path = posixpath.join(root, *split_template_path(template))  # refuses ".."
                if os.path.lexists(path):
                    source = read_text(path, what="template")
                    mtime = os.path.getmtime(path)
                    return source, os.path.normpath(path), lambda p=path, m=mtime: os.path.getmtime(p) == m
            raise jinja2.TemplateNotFound(template)

    return UserLoader(folder)


def _template_error(e: Exception) -> SpecError:
    where = getattr(e, "name", None) or getattr(e, "filename", None) or "template"
    line = getattr(e, "lineno", None)
    return SpecError(f"{type(e).__name__}: {getattr(e, 'message', e)}", where=f"{where} line {line}" if line else where,
                     rule="template renders")


def _template_line(tb) -> str:
    """``file line N`` of the innermost template frame of a traceback (jinja2 maps its frames to templates)."""
    found = "template"
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or "/templates/" in name:
            found = f"{name} line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


# -- rendering --------------------------------------------------------------------------


def render_template(name: str, f: Format, lang: str = "en", **context) -> str:
    """Any template (``summary.j2``, a report) with the format ``f`` and the words of ``lang``."""
    import jinja2

    template_dir = context.pop("template_dir", None)
    try:
        template = environment(template_dir).get_template(name)
        return template.render(f=f, t=STRINGS[check_language(lang)], lang=lang, **context)
    except SymcnnError:
        raise
    except jinja2.TemplateError as e:
        raise _template_error(e) from None
    except (Exception, RecursionError, MemoryError) as e:
        if template_dir is None:
            raise  # the built-in templates failing is a bug in symcnn
        # a user's template is code: whatever it raises is reported against its file and line
        raise SpecError(f"{type(e).__name__}: {e}", where=_template_line(e.__traceback__),
                        rule="template renders") from None


def render(data: ReportData, fmt: str | Format, lang: str = "en", *, fragment: bool = False,
           template_dir=None) -> str:
    """``data`` as a report in format ``fmt`` (a name or a :class:`Format`) and language ``lang``."""
    f = (check_format(fmt) if isinstance(fmt, str) else fmt).bind(data)
    return render_template(f.report, f, lang, template_dir=None if template_dir is None else str(template_dir),
                           data=data, d=data.derivation, fragment=fragment, engine=engine_for(lang))


def report(source, format: str = "md", *, lang: str = "en", fragment: bool = False, template_dir=None,
           input=None, rounding=None, count: str = "macs") -> str:
    """The worked-derivation report as a string: ``format`` is ``md`` or ``tex``.

    ``source`` is a built-in network's name, a spec file, a :class:`~symcnn.network.Network`,
    a :class:`~symcnn.records.NetworkDerivation` or a :class:`ReportData`; ``input`` and
    ``rounding`` apply to a network; ``fragment`` leaves out the title (and the LaTeX
    document around the body, for ``\\input``); ``template_dir`` holds templates that take
    precedence over the built-in ones; ``count`` names the counting convention whose formulas and
    figures the report adds (``flops``, ``fvcore``, ``ptflops``, ``thop``, ``torchinfo``; ``macs``:
    symcnn's, as the closed forms give them).

    >>> body = report("alexnet", "tex", fragment=True)
    >>> "documentclass" in body, "62{,}378{,}344" in body
    (False, True)
    """
    f = check_format(format)
    check_language(lang)
    return render(report_data(source, input, rounding, count), f, lang, fragment=fragment, template_dir=template_dir)


def render_markdown(source, **options) -> str:
    """The Markdown report of a network (see :func:`report` for ``source`` and ``options``)."""
    return report(source, "md", **options)


def render_latex(source, **options) -> str:
    """The LaTeX report: a complete document, or with ``fragment`` only its body for ``\\input``."""
    return report(source, "tex", **options)


# -- notebooks --------------------------------------------------------------------------------


def layer_markdown(ld: LayerDerivation, lang: str = "en") -> str:
    """One layer's derivation in Markdown (what a notebook shows for a layer)."""
    return _macro(MARKDOWN, "layer_derivation", ld, lang)


def layer_latex(ld: LayerDerivation) -> str:
    """One layer's steps as display math (what a notebook shows for a layer's ``_repr_latex_``)."""
    return _macro(LATEX, "layer_math", ld, "en")


def network_latex(d: NetworkDerivation) -> str:
    """Every layer's steps as display math."""
    return _macro(LATEX, "network_math", d, "en")


def _macro(f: Format, name: str, value, lang: str) -> str:
    module = environment().get_template(f.macros).make_module({"t": STRINGS[lang], "f": f})
    return str(getattr(module, name)(value)).strip() + "\n"


__all__ = [
    "render", "render_template", "report", "render_markdown", "render_latex", "environment", "templates_dir",
    "check_language", "check_format", "kind_title", "type_name", "meaning", "layer_markdown", "layer_latex",
    "network_latex", "REGENERATE",
]
