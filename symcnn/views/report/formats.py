"""How each output writes the pieces of a report: one :class:`Format` object per output.

A format says how a value, a shape, a closed form, an equation (a step) and user text are
written; the templates call it as ``f`` and only lay the pieces out. Markdown and LaTeX
write their math in LaTeX (KaTeX reads the Markdown's), so they share
:class:`LatexMath` and differ in delimiters, numbers in running text and escaping. A new
output is one new :class:`Format` and one template set (``templates/NAME/``).

>>> MARKDOWN.value(34848), LATEX.value(34848)
('34,848', '34{,}848')
>>> latex_escape("a_b&c%")
'a\\\\_b\\\\&c\\\\%'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Any

from sympy import Add, Basic, Symbol

from ...errors import SymcnnError, escaped
from ...printing import over_one_denominator, tex, thousands
from ...records import LayerDerivation, Step
from ...shape import Shape, collapsed
from ...symbols import LATEX_NAMES
from ..plot import Figure, pgfplots, svg
from .data import ReportData, sides
from .mathml import mathml
from .mathml import words as mathml_words

_FIELD = re.compile(r"\{(\w+)\}")


def shape_tex(shape: Shape) -> str:
    """A tensor size in LaTeX: ``55 \\times 55 \\times 96``, a symbolic size as the text views write
    it (one floor, one denominator), a sum or a quotient in brackets."""
    return shape.joined(r" \times ", _size_tex, r"\left(", r"\right)")


def _size_tex(size: Basic) -> str:
    size = collapsed(size)
    fractional = any(a.is_Rational and not a.is_Integer for a in size.atoms())
    return tex(over_one_denominator(size)) if fractional else tex(size)


def lhs_tex(step: Step) -> str:
    """A step's left-hand side in LaTeX: ``O``, or per axis ``O_{H}`` (``W_{c}^{(H)}`` for a
    name that has an index already)."""
    name = tex(step.symbol)
    if not step.axis:
        return name
    return f"{name}_{{{step.axis}}}" if "_" not in name else f"{name}^{{({step.axis})}}"

if TYPE_CHECKING:  # the analysis loads when a report is made, not with the command line
    from ...analysis import Congruence, ReceptiveField
    from .live import LivePage

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


#: Line ends of every kind: in a TeX argument a blank line ends the paragraph (an error).
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]+")


def latex_escape(value) -> str:
    r"""User text for LaTeX: every one of ``\ { } $ & # ^ _ % ~`` made literal; a line end (of any
    kind) is a space, as TeX reads one, and any other control character is written as its escape.

    >>> latex_escape("a_b\n\nc\x1b")
    'a\\_b c\\textbackslash{}x1b'
    """
    text = str(value)
    if len(text) > _TEX_LINE:  # TeX reads lines of at most 200,000 characters: cut, with a % that joins
        return "%\n".join(latex_escape(text[i:i + _TEX_LINE]) for i in range(0, len(text), _TEX_LINE))
    text = escaped(_LINE_BREAKS.sub(" ", text), keep="\t")
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group()], text)


#: The longest run of user text a LaTeX line holds (escaped, at most some 16 times as long).
_TEX_LINE = 1000


def md_escape(value) -> str:
    """User text for Markdown (also inside table cells): emphasis, links, ``|``, ``$`` made literal.

    >>> md_escape("a_b|c*")
    'a\\\\_b\\\\|c\\\\*'
    """
    return _MD_RE.sub(r"\\\1", " ".join(str(value).split()))


# -- math in LaTeX ------------------------------------------------------------------------


def is_number(value) -> bool:
    """Whether ``value`` is a whole number (written with separators rather than as math)."""
    return isinstance(value, int) or (isinstance(value, Basic) and value.is_Integer is True)


def closed_form(expr: Basic) -> str:
    r"""A closed form in LaTeX with each floor/ceiling argument over one denominator, the size first.

    >>> from sympy import Rational, floor
    >>> from symcnn.symbols import I
    >>> print(closed_form(floor(I/32 - Rational(35, 32))))
    \left\lfloor{\frac{I - 35}{32}}\right\rfloor
    """
    return tex(over_one_denominator(expr))


def closed_shape(shape: Shape) -> str:
    r"""An output shape's closed forms joined by ``\times``, each sum in brackets.

    ``\left(I - 4\right) \times \left(I - 4\right) \times 6``
    """
    return r" \times ".join(rf"\left({closed_form(d)}\right)" if isinstance(d, Add) else closed_form(d)
                             for d in shape.dims)


class Format:
    """How one output writes the pieces of a report (see the module's docstring).

    ``name`` names the templates (``templates/NAME/``) and the file extension.
    """

    name = ""
    #: how a product is written in running text (``FLOPs = 2 x MACs``)
    times = "x"
    #: what an empty cell shows
    none = "-"

    @property
    def frame(self) -> str:
        """The template that frames a report (title, document preamble)."""
        return f"{self.name}/base.{self.name}.j2"

    @property
    def macros(self) -> str:
        """The template of this format's layout macros."""
        return f"{self.name}/macros.{self.name}.j2"

    @property
    def report(self) -> str:
        """The report template of this format (the one a user's template may extend)."""
        return f"{self.name}/report.{self.name}.j2"

    def text(self, value: Any) -> str:
        """User text (a name, a reason), made literal."""
        raise NotImplementedError

    def bind(self, data: ReportData) -> Format:
        """The format for one report (a page that recomputes its numbers keeps them; the others are
        the same for every report)."""
        return self

    def prose(self, sentence: str) -> str:
        """A sentence of :mod:`symcnn.views.strings` as this format writes prose (the words hold
        their math between ``$``, as Markdown and LaTeX read it)."""
        return sentence

    def words(self, sentence: str, /, **fields: Any) -> str:
        """A sentence of :mod:`symcnn.views.strings` with its ``{fields}`` (already written) put in."""
        fields = {"times": self.times, **fields}
        return _FIELD.sub(lambda m: str(fields.get(m.group(1), m.group())), self.prose(sentence))

    def value(self, value: Basic, key: tuple | None = None) -> str:
        """A value in running text: a number with separators, anything else as math. ``key`` says
        what the value is (``(layer, "params")``, ``("total", "macs")``) for a page that recomputes it."""
        raise NotImplementedError

    def shape(self, shape: Shape, key: tuple | None = None) -> str:
        """A tensor size in running text (``key``: ``("input",)``, ``(layer, "output")``)."""
        raise NotImplementedError

    def shapes(self, shapes: Iterable[Shape], key: tuple | None = None) -> str:
        """Several tensor sizes (a layer's inputs, ``key`` ``(layer, "inputs")``), comma-separated."""
        return ", ".join(self.shape(s, None if key is None else (*key, i)) for i, s in enumerate(shapes))

    def transition(self, ld: LayerDerivation) -> str:
        """A layer's inputs and output: ``227x227x3 → 55x55x96``."""
        return f"{self.shapes(ld.inputs, (ld.name, 'inputs'))} → {self.shape(ld.output, (ld.name, 'output'))}"

    def bold(self, text: str) -> str:
        raise NotImplementedError

    def symbol(self, symbol: Symbol) -> str:
        """A symbol as inline math."""
        raise NotImplementedError

    def general(self, formulas: Iterable[tuple[Symbol, Basic]]) -> str:
        """A kind's general formulas, side by side, as the content of display math."""
        raise NotImplementedError

    def lhs(self, step: Step) -> str:
        raise NotImplementedError

    def rhs(self, step: Step) -> str:
        """A step's sides after its symbol, joined by ``=``."""
        raise NotImplementedError

    def equation(self, step: Step) -> str:
        """A whole step: ``O = (I - K + 2P)/S + 1 = ... = 55``, as the content of display math."""
        return f"{self.lhs(step)} = {self.rhs(step)}"

    def result(self, step: Step) -> str:
        """A step's symbol and value as inline math: ``O = 27``."""
        raise NotImplementedError

    def closed(self, value: Basic, key: tuple | None = None) -> str:
        """A closed form in a table cell: a number as in running text, else as math."""
        raise NotImplementedError

    def closed_math(self, expr: Basic) -> str:
        """A closed form as inline math (also where it is a number)."""
        raise NotImplementedError

    def closed_shape(self, shape: Shape, key: tuple | None = None) -> str:
        """An output shape in closed form, as inline math."""
        raise NotImplementedError

    def congruence(self, symbol: Symbol, c: Congruence) -> str:
        """``I = 3 (mod 32)`` as inline math."""
        raise NotImplementedError

    def field(self, rf: ReceptiveField | None) -> str:
        """A receptive field (size/stride/padding), or the empty cell."""
        return rf.text() if rf is not None else self.none

    #: whether the format shows the figures against the input size
    figures = False
    #: what it reads of a :class:`ReportData` that is worked out only when read
    reads: tuple[str, ...] = ()

    def figure(self, fig: Figure, words: Mapping[str, str]) -> str:
        """A figure against the input size (:mod:`symcnn.views.plot`) in this format, with ``words``."""
        raise NotImplementedError


class LatexMath(Format):
    """Math in LaTeX (Markdown's KaTeX reads it too), inline between ``$``."""

    def inline(self, latex: str) -> str:
        return f"${latex}$"

    def value(self, value: Basic, key: tuple | None = None) -> str:
        return thousands(value, tex=self.name == "tex") if is_number(value) else self.inline(tex(value))

    def closed(self, value: Basic, key: tuple | None = None) -> str:
        return thousands(value, tex=self.name == "tex") if is_number(value) else self.closed_math(value)

    def symbol(self, symbol: Symbol) -> str:
        return self.inline(LATEX_NAMES.get(symbol, tex(symbol)))

    def general(self, formulas: Iterable[tuple[Symbol, Basic]]) -> str:
        return r" \qquad ".join(f"{tex(s)} = {tex(g)}" for s, g in formulas)

    def lhs(self, step: Step) -> str:
        return lhs_tex(step)

    def rhs(self, step: Step) -> str:
        return " = ".join(tex(s) for s in sides(step))

    def result(self, step: Step) -> str:
        return self.inline(f"{lhs_tex(step)} = {tex(sides(step)[-1])}")

    def closed_math(self, expr: Basic) -> str:
        return self.inline(closed_form(expr))

    def closed_shape(self, shape: Shape, key: tuple | None = None) -> str:
        return self.inline(closed_shape(shape))

    def congruence(self, symbol: Symbol, c: Congruence) -> str:
        return self.inline(rf"{tex(symbol)} \equiv {', '.join(map(str, c.residues))} \pmod{{{c.modulus}}}")


class Markdown(LatexMath):
    name = "md"
    none = "–"

    def text(self, value: Any) -> str:
        return md_escape(value)

    def shape(self, shape: Shape, key: tuple | None = None) -> str:
        return shape.text() if all(is_number(x) for x in shape.dims) else self.inline(shape_tex(shape))

    def bold(self, text: str) -> str:
        return f"**{text}**"


class Latex(LatexMath):
    name = "tex"
    times = r"$\times$"
    none = "--"
    figures = True
    reads = ("figures",)

    def figure(self, fig: Figure, words: Mapping[str, str]) -> str:
        return pgfplots(replace(fig, words=words), latex_escape)

    def text(self, value: Any) -> str:
        return latex_escape(value)

    def shape(self, shape: Shape, key: tuple | None = None) -> str:
        return self.inline(shape_tex(shape))

    def shapes(self, shapes: Iterable[Shape], key: tuple | None = None) -> str:
        return self.inline(", ".join(shape_tex(s) for s in shapes))

    def transition(self, ld: LayerDerivation) -> str:
        return self.inline(", ".join(shape_tex(s) for s in ld.inputs) + r" \to " + shape_tex(ld.output))

    def bold(self, text: str) -> str:
        return rf"\textbf{{{text}}}"


class Html(Format):
    """One self-contained page: math as MathML (the browser renders it, no script or font to
    fetch), and every number that depends on the input size recomputed in the page
    (:mod:`.live`) when the reader changes the size."""

    name = "html"
    times = "×"
    none = "–"
    figures = True
    reads = ("analysis_hw", "figures")

    def figure(self, fig: Figure, words: Mapping[str, str]) -> str:
        return svg(replace(fig, words=words), marker=True, caption=words["caption"]).rstrip("\n")

    def __init__(self, page: LivePage | None = None):
        self._page = page

    @property
    def page(self) -> LivePage:
        if self._page is None:
            raise SymcnnError("the html format writes a report bound to its data (Format.bind)", rule="bound format")
        return self._page

    def bind(self, data: ReportData) -> Format:
        from .live import LivePage

        return Html(LivePage(data))

    def prose(self, sentence: str) -> str:
        return mathml_words(sentence)

    def text(self, value: Any) -> str:
        return escape(" ".join(str(value).split()))

    def _live(self, shown: str, live: tuple[int, int] | None) -> str:
        if live is None:
            return shown
        return f'<span class="v" data-e="{live[0]}" data-k="{live[1]}">{shown}</span>'

    def value(self, value: Basic, key: tuple | None = None) -> str:
        if not is_number(value):
            return mathml(tex(value))
        return self._live(thousands(value), self.page.number(key))

    def shape(self, shape: Shape, key: tuple | None = None) -> str:
        if not all(is_number(x) for x in shape.dims):
            return mathml(shape_tex(shape))
        return "x".join(self._live(thousands(x), live) for x, live in zip(shape.dims, self.page.dims(shape, key)))

    def bold(self, text: str) -> str:
        return f"<strong>{text}</strong>"

    def symbol(self, symbol: Symbol) -> str:
        return mathml(LATEX_NAMES.get(symbol, tex(symbol)))

    def general(self, formulas: Iterable[tuple[Symbol, Basic]]) -> str:
        return mathml(r" \qquad ".join(f"{tex(s)} = {tex(g)}" for s, g in formulas), display=True)

    def lhs(self, step: Step) -> str:
        return mathml(lhs_tex(step))

    def _sides(self, step: Step) -> str:
        """The LaTeX after a step's symbol; the rounded quotient's side hides where it is whole."""
        sides, quotient = self.page.step_sides(step)
        if quotient is None:
            return " = ".join(sides)
        shown = "on" if step.unrounded is not None else "off"
        *before, side, value = sides
        return " = ".join(before) + rf" \liveside{{{quotient}}}{{{shown}}}{{= {side}}} = {value}"

    def rhs(self, step: Step) -> str:
        return mathml(self._sides(step))

    def equation(self, step: Step) -> str:
        return mathml(f"{lhs_tex(step)} = {self._sides(step)}", display=True)

    def result(self, step: Step) -> str:
        sides, _ = self.page.step_sides(step)
        return mathml(f"{lhs_tex(step)} = {sides[-1]}")

    def _at(self, key: tuple) -> Basic:
        """The value at the report's input of what ``key`` names (the derivation's own)."""
        d = self.page.data.derivation
        return getattr(d, f"total_{key[1]}") if key[0] == "total" else getattr(d[key[0]], key[1])

    def closed(self, value: Basic, key: tuple | None = None) -> str:
        if is_number(value) or key is None:
            return self.value(value)
        return f'{self.closed_math(value)}<br><span class="at">= {self.value(self._at(key), key)}</span>'

    def closed_math(self, expr: Basic) -> str:
        return mathml(closed_form(expr))

    def closed_shape(self, shape: Shape, key: tuple | None = None) -> str:
        written = mathml(closed_shape(shape))
        if key is None or all(is_number(x) for x in shape.dims):
            return written
        return f'{written}<br><span class="at">= {self.shape(self.page.data.derivation[key[0]].output, key)}</span>'

    def congruence(self, symbol: Symbol, c: Congruence) -> str:
        return mathml(rf"{tex(symbol)} \equiv {', '.join(map(str, c.residues))} \pmod{{{c.modulus}}}")


MARKDOWN = Markdown()
LATEX = Latex()
HTML = Html()
#: Every output format by name.
FORMATS: dict[str, Format] = {f.name: f for f in (MARKDOWN, LATEX, HTML)}

__all__ = ["Format", "LatexMath", "Markdown", "Latex", "Html", "MARKDOWN", "LATEX", "HTML", "FORMATS", "latex_escape",
           "md_escape", "closed_form", "closed_shape", "is_number"]
