"""Worked-derivation reports: Markdown and LaTeX from the derivation records, through jinja2.

One :func:`environment` over the ``templates/`` folder (installed as ``symcnn/templates``)
renders every output; :func:`render_markdown` and :func:`render_latex` are the one render
function per output. Templates read the records (:class:`~symcnn.derivation.Step`,
:class:`~symcnn.derivation.LayerDerivation`, ...) and the words of
:mod:`symcnn.strings`; nothing here recomputes a value the engine derived.

>>> import symcnn
>>> md = symcnn.report("alexnet", "md")
>>> "$$\\nW_{c} = K^{2} \\\\times C \\\\times N = 11^{2} \\\\times 3 \\\\times 96 = 34{,}848\\n$$" in md
True
>>> latex_escape("a_b&c%")
'a\\\\_b\\\\&c\\\\%'
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sympy import Add, Basic, Float, ceiling, evaluate, floor

from ...analysis import Analysis, LayerAnalysis
from ...builders.load import load
from ...errors import SpecError, SymcnnError, UnknownNameError
from ...formulas import formula
from ...network import Network
from ...printing import over_one_denominator, terminating, tex, thousands
from ...records import LayerDerivation, NetworkDerivation, Step
from ...symbols import LATEX_NAMES, MEANINGS
from ..strings import LANGUAGES, STRINGS

if TYPE_CHECKING:
    import jinja2

FORMATS = ("md", "tex")
#: The LaTeX engine each language compiles with (Korean needs XeLaTeX for kotex's fonts).
ENGINES = {"en": "pdflatex", "ko": "xelatex"}
REGENERATE = "symcnn report --builtin --format all --lang all --out reports"

_PACKAGE = Path(__file__).resolve().parent.parent.parent


def templates_dir() -> Path:
    """The built-in templates: ``symcnn/templates`` in a wheel, ``templates/`` in a checkout."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise SymcnnError("the report templates are missing from this installation", rule="templates installed")


# -- escaping ---------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    # not special, but the default OT1 font encoding prints other glyphs for them
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIAL))

# Backslash escapes CommonMark honours for any ASCII punctuation; these are the ones that
# could start emphasis, links, HTML, entities, table cells, math or headings.
_MD_RE = re.compile(r"([\\`*_\[\]<>|$~&#!])")


def latex_escape(value) -> str:
    """User text for LaTeX: every one of ``\\ { } $ & # ^ _ % ~`` made literal."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group()], str(value))


def md_escape(value) -> str:
    """User text for Markdown (also inside table cells): emphasis, links, ``|``, ``$`` made literal.

    >>> md_escape("a_b|c*")
    'a\\\\_b\\\\|c\\\\*'
    """
    return _MD_RE.sub(r"\\\1", " ".join(str(value).split()))


# -- what the templates read ----------------------------------------------------------------


def _decimal(q: Basic) -> Basic:
    """The exact quotient as a decimal where it terminates (``213/4`` -> ``53.25``), else as it is."""
    digits = terminating(q, max_places=14)
    if digits is None:
        return q
    return Float(digits, len(digits.replace(".", "").replace("-", "").lstrip("0")) or 1)


def sides(step: Step) -> tuple[str, ...]:
    """The right-hand sides of a step in LaTeX: general, substituted, [rounded quotient], value.

    Where floor or ceil changed the quotient, the side before the value shows the
    brackets around the quotient they rounded (``\\lfloor 53.25 \\rfloor + 1``).
    """
    chain = [tex(s) for s in step.chain()]
    if step.unrounded is not None and len(chain) > 1:
        brackets = list(step.substituted.atoms(floor, ceiling))
        if len(brackets) == 1:
            node = brackets[0]
            with evaluate(False):
                shown = step.substituted.xreplace({node: node.func(_decimal(step.unrounded), evaluate=False)})
            chain.insert(len(chain) - 1, tex(shown))
    return tuple(chain)


def equation(step: Step) -> str:
    """A whole step as one LaTeX equation: ``O = \\frac{I - K + 2 \\times P}{S} + 1 = ... = 55``."""
    return " = ".join((step.lhs_tex(), *sides(step)))


@dataclass(frozen=True)
class Kind:
    """One kind of layer, named by its formula: the general form and the first layer worked out."""

    formula: str
    general: tuple[str, ...]
    layer: LayerDerivation
    steps: tuple[Step, ...]
    others: tuple[tuple[LayerDerivation, Step], ...]

    @property
    def sizes(self) -> bool:
        """Whether the formula gives a size (the sentence after the example names the output)."""
        return any(s.rounding is not None for s in self.steps) or (self.layer.params == 0 and not self.buffers)

    @property
    def buffers(self) -> bool:
        """Whether the formula counts buffers (kept values that are not parameters)."""
        return self.formula.endswith("-buffers")


def kinds(d: NetworkDerivation) -> tuple[Kind, ...]:
    """The formulas the network's steps use, each with its first layer: as the article orders them,
    the sizes first, then the parameters, each in order of first use."""
    found: dict[str, Kind] = {}
    for ld in d.layers:
        for name in ld.formulas:
            steps = tuple(s for s in ld.steps if s.formula == name)
            if name in found:
                k = found[name]
                found[name] = Kind(k.formula, k.general, k.layer, k.steps, (*k.others, (ld, steps[-1])))
                continue
            general = tuple(dict.fromkeys(f"{tex(s.symbol)} = {tex(s.general)}" for s in steps))
            found[name] = Kind(name, general, ld, steps, ())
    return tuple(sorted(found.values(), key=lambda k: not k.sizes))


def symbols(d: NetworkDerivation, lang: str) -> tuple[tuple[str, str], ...]:
    """``(LaTeX name, meaning)`` of every symbol the general formulas use, in the symbols' order."""
    used = set()
    for ld in d.layers:
        for s in ld.steps:
            used |= {s.symbol, *s.general.free_symbols}
    words = STRINGS[lang]["symbol_meanings"]
    ordered = [s for s in MEANINGS if s in used] + sorted(used - set(MEANINGS), key=str)
    return tuple((LATEX_NAMES.get(s, tex(s)), words.get(s.name) or MEANINGS.get(s, s.name)) for s in ordered)


def _kind_title(lang: str, name: str) -> str:
    for words in (STRINGS[lang]["kinds"], STRINGS["en"]["kinds"]):
        if name in words:
            return words[name]
    try:
        meaning = formula(name).meaning
    except UnknownNameError:
        return name
    return meaning[:1].upper() + meaning[1:]


def _type_name(lang: str, type: str) -> str:
    return STRINGS[lang]["types"].get(type) or STRINGS["en"]["types"].get(type) or type


# -- closed forms in the input size -----------------------------------------------------


def closed_form(expr: Basic) -> str:
    r"""A closed form in LaTeX with each floor/ceiling argument over one denominator, the size first.

    >>> from sympy import Rational, floor
    >>> from symcnn.symbols import I
    >>> print(closed_form(floor(I/32 - Rational(35, 32))))
    \left\lfloor{\frac{I - 35}{32}}\right\rfloor
    """
    return tex(over_one_denominator(expr))


def closed_shape(shape) -> str:
    r"""An output shape's closed forms joined by ``\times``, each sum in brackets.

    ``(I - 4) \times (I - 4) \times 6``
    """
    return r" \times ".join(rf"\left({closed_form(d)}\right)" if isinstance(d, Add) else closed_form(d)
                             for d in shape.dims)


@dataclass(frozen=True)
class ClosedForms:
    """What the closed-form section reads: the network's :class:`~symcnn.analysis.Analysis`
    under the report's rounding, or the reason there is none, and the input the report
    evaluates the closed forms at (None where it is not one value of the symbols)."""

    analysis: Analysis | None
    reason: str = ""
    at: tuple[tuple[Basic, Basic], ...] | None = None

    @property
    def layers(self) -> tuple[LayerAnalysis, ...]:
        return self.analysis.layers if self.analysis else ()

    def value(self, expr: Basic) -> Basic:
        """``expr`` at the report's input."""
        return expr.xreplace(dict(self.at or ()))


def closed_forms(net: Network | None, d: NetworkDerivation) -> ClosedForms:
    """The analysis of ``net`` for the report of ``d``; where there is none, why not, in one line."""
    if net is None:
        return ClosedForms(None, "a derivation on its own does not keep the network it came from")
    try:
        a = net.analyse(d.rounding)
    except SymcnnError as e:
        return ClosedForms(None, str(e))
    try:
        at = tuple(a.values_at(d.input).items())
    except SymcnnError:
        at = None
    return ClosedForms(a, at=at)


# -- filters ----------------------------------------------------------------------------


def _md_value(value) -> str:
    """A number as the article writes it (``34,848``), a symbolic value as inline math."""
    return thousands(value) if _is_number(value) else f"${tex(value)}$"


def _tex_value(value) -> str:
    return thousands(value, tex=True) if _is_number(value) else f"${tex(value)}$"


def _md_closed(value) -> str:
    """A closed form as inline math; a plain number as the article writes it."""
    return thousands(value) if _is_number(value) else f"${closed_form(value)}$"


def _tex_closed(value) -> str:
    return thousands(value, tex=True) if _is_number(value) else f"${closed_form(value)}$"


def _is_number(value) -> bool:
    return isinstance(value, int) or (isinstance(value, Basic) and value.is_Integer is True)


def _md_shape(shape) -> str:
    if all(_is_number(x) for x in shape.dims):
        return shape.text()
    return f"${shape.tex()}$"


def _tex_shape(shape) -> str:
    return shape.tex()


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
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters.update(
        latex_escape=latex_escape,
        md_escape=md_escape,
        thousands=thousands,
        tex=tex,
        closed_form=closed_form,
        closed_shape=closed_shape,
        md_closed=_md_closed,
        tex_closed=_tex_closed,
        md_value=_md_value,
        tex_value=_tex_value,
        md_shape=_md_shape,
        tex_shape=_tex_shape,
        fill=_fill,
    )
    env.globals.update(
        equation=equation,
        sides=sides,
        kind_title=_kind_title,
        type_name=_type_name,
    )
    return env


# -- rendering --------------------------------------------------------------------------


def _derivation(source, input=None, rounding=None) -> tuple[Network | None, NetworkDerivation]:
    """The network (where known) and its derivation."""
    if isinstance(source, NetworkDerivation):
        if input is not None or rounding is not None:
            raise SpecError("input and rounding apply to a network, not to a derivation", rule="report source")
        return source.network, source
    net = source if isinstance(source, Network) else load(source)
    return net, net.derive(input, rounding)


def _check_lang(lang: str) -> str:
    if lang not in STRINGS:
        raise UnknownNameError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}",
                               where="--lang", rule="language")
    return lang


def _render(fmt: str, source: tuple[Network | None, NetworkDerivation], lang: str, fragment: bool,
            template_dir) -> str:
    import jinja2

    words = STRINGS[_check_lang(lang)]
    net, d = source
    try:
        template = environment(None if template_dir is None else str(template_dir)).get_template(
            f"{fmt}/report.{fmt}.j2")
        return template.render(
            d=d, t=words, lang=lang, fragment=fragment, kinds=kinds(d), symbols=symbols(d, lang),
            type_totals=d.type_totals, engine=ENGINES.get(lang, "xelatex"), closed=closed_forms(net, d),
        )
    except jinja2.TemplateError as e:
        where = getattr(e, "name", None) or getattr(e, "filename", None) or "template"
        raise SpecError(f"{type(e).__name__}: {e.message}", where=where, rule="template renders") from None


def render_markdown(source, *, lang: str = "en", fragment: bool = False, template_dir=None,
                    input=None, rounding=None) -> str:
    """The Markdown report of a network (name, :class:`Network` or derivation)."""
    return _render("md", _derivation(source, input, rounding), lang, fragment, template_dir)


def render_latex(source, *, lang: str = "en", fragment: bool = False, template_dir=None,
                 input=None, rounding=None) -> str:
    """The LaTeX report: a complete document, or with ``fragment`` only its body for ``\\input``."""
    return _render("tex", _derivation(source, input, rounding), lang, fragment, template_dir)


RENDERERS = {"md": render_markdown, "tex": render_latex}


def report(source, format: str = "md", **options) -> str:
    """The worked-derivation report as a string: ``format`` is ``md`` or ``tex``.

    ``source`` is a built-in network's name, a :class:`~symcnn.network.Network` or a
    :class:`~symcnn.derivation.NetworkDerivation`; ``options`` are those of
    :func:`render_markdown` (``lang``, ``fragment``, ``template_dir``, ``input``, ``rounding``).

    >>> body = report("alexnet", "tex", fragment=True)
    >>> "documentclass" in body, "62{,}378{,}344" in body
    (False, True)
    """
    try:
        render = RENDERERS[format]
    except KeyError:
        raise UnknownNameError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}",
                               where="format", rule="format") from None
    return render(source, **options)


def layer_markdown(ld: LayerDerivation, lang: str = "en") -> str:
    """One layer's derivation in Markdown (what a notebook shows for a layer)."""
    return _macro("md", "layer_derivation", ld, lang)


def layer_latex(ld: LayerDerivation) -> str:
    """One layer's steps as display math (what a notebook shows for a layer's ``_repr_latex_``)."""
    return _macro("tex", "layer_math", ld, "en")


def network_latex(d: NetworkDerivation) -> str:
    """Every layer's steps as display math."""
    return _macro("tex", "network_math", d, "en")


def _macro(fmt: str, name: str, value, lang: str) -> str:
    module = environment().get_template(f"{fmt}/macros.{fmt}.j2").make_module({"t": STRINGS[lang]})
    return str(getattr(module, name)(value)).strip() + "\n"


# -- files ------------------------------------------------------------------------------


def filename(network: str, fmt: str, lang: str) -> str:
    """``alexnet.md``, ``alexnet.tex``; Korean adds ``.ko``: ``alexnet.ko.md``."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", network):
        raise SpecError(f"the network name {network!r} cannot name a file (letters, digits, . _ - only)",
                        where="report", rule="file name")
    return f"{network}.{fmt}" if lang == "en" else f"{network}.{lang}.{fmt}"


def write_files(files: dict[Path, str]) -> None:
    """Write every file to a temporary file first, then rename them all: none is left half-written."""
    done: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            done.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(content)
        for tmp, path in done:
            os.replace(tmp, path)
    except OSError as e:
        raise SymcnnError(f"cannot write {e.filename or path}: {e.strerror or e}", where="--out",
                          rule="writable folder") from None
    finally:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)


def _need_programs(engine: str, name: str) -> None:
    for program in ("latexmk", engine):
        if shutil.which(program) is None:
            raise SymcnnError(f"{program} is not installed; it is needed to compile {name}",
                              where="--pdf", rule=f"{program} on PATH")


def compile_pdf(tex_file: Path, out_dir: Path, engine: str) -> Path:
    """Compile ``tex_file`` with latexmk and ``engine`` in a scratch folder; move the PDF to ``out_dir``."""
    _need_programs(engine, tex_file.name)
    mode = {"pdflatex": "-pdf", "xelatex": "-xelatex", "lualatex": "-lualatex"}[engine]
    with tempfile.TemporaryDirectory(prefix="symcnn-tex-") as scratch:
        source = Path(scratch) / tex_file.name
        shutil.copyfile(tex_file, source)
        result = subprocess.run(
            ["latexmk", mode, "-interaction=nonstopmode", "-halt-on-error", source.name],
            cwd=scratch, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
        )
        pdf = source.with_suffix(".pdf")
        if result.returncode != 0 or not pdf.exists():
            log = source.with_suffix(".log")
            text = log.read_text(errors="replace") if log.exists() else result.stdout + result.stderr
            first = next((line[1:] for line in text.splitlines() if line.startswith("! ")), "see the LaTeX log")
            raise SymcnnError(f"{engine} failed on {tex_file.name}: {first.strip()}", where="--pdf",
                              rule="LaTeX compiles")
        target = out_dir / pdf.name
        fd, tmp = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        shutil.copyfile(pdf, tmp)
        os.replace(tmp, target)
    return target


__all__ = [
    "report", "render_markdown", "render_latex", "environment", "latex_escape", "md_escape", "equation",
    "sides", "kinds", "symbols", "Kind", "filename", "write_files", "compile_pdf",
    "templates_dir", "FORMATS", "ENGINES", "REGENERATE",
]
