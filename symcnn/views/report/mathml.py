r"""MathML from the LaTeX symcnn writes: the HTML report's math, rendered by the browser itself.

The HTML report shows the same math as the Markdown and LaTeX reports; rather than a second
printer for every kind of expression, this module reads the small part of LaTeX that
:func:`symcnn.printing.tex` and the words of :mod:`symcnn.views.strings` use (``\frac``,
``\left\lfloor``, ``\times``, sub- and superscripts, numbers with ``{,}``, ...) and writes
MathML Core, which browsers render without any script or font download. Anything outside
that part is an error, not a guess: a test converts every formula of every built-in network.

Three commands exist only here (see :mod:`.live`): ``\live{e,k}{227}`` is a number the page
recomputes (expression ``e``, element ``k``), ``\liveq{e,k}{53.25}`` a quotient it recomputes,
``\liveside{e}{on}{...}`` the side that shows that quotient (``off``: hidden where it is whole).

>>> mathml(r"O = \frac{227 - 11}{4} + 1 = 55")
'<math><mi>O</mi><mo>=</mo><mfrac><mrow><mn>227</mn><mo>&#x2212;</mo><mn>11</mn></mrow><mn>4</mn></mfrac><mo>+</mo><mn>1</mn><mo>=</mo><mn>55</mn></math>'
>>> mathml(r"34{,}848 \times F_{-1}")
'<math><mn>34,848</mn><mo>&#xD7;</mo><msub><mi>F</mi><mrow><mo>&#x2212;</mo><mn>1</mn></mrow></msub></math>'
"""

from __future__ import annotations

import re
from html import escape

from ...errors import SymcnnError

_TOKEN = re.compile(
    r"\s+"  # space (TeX math ignores it)
    r"|(?P<number>\d+(?:\{,\}\d+)*(?:\.\d+)?)"
    r"|(?P<command>\\[A-Za-z]+|\\[,;:! {}$%&#_])"
    r"|(?P<char>.)",
    re.S,
)

#: Commands that stand for one operator or identifier.
_OPERATORS = {
    r"\times": "&#xD7;", r"\cdot": "&#xB7;", r"\equiv": "&#x2261;", r"\to": "&#x2192;", r"\leq": "&#x2264;",
    r"\geq": "&#x2265;", r"\neq": "&#x2260;", r"\le": "&#x2264;", r"\ge": "&#x2265;", r"\lfloor": "&#x230A;",
    r"\rfloor": "&#x230B;", r"\lceil": "&#x2308;", r"\rceil": "&#x2309;", r"\{": "{", r"\}": "}",
    r"\lt": "&lt;", r"\gt": "&gt;", r"\pm": "&#xB1;", r"\ldots": "&#x2026;", r"\cdots": "&#x22EF;",
}
_IDENTIFIERS = {r"\max": "max", r"\min": "min", r"\log": "log", r"\infty": "&#x221E;", r"\alpha": "&#x3B1;",
                r"\beta": "&#x3B2;", r"\%": "%", r"\$": "$", r"\&": "&amp;", r"\#": "#", r"\_": "_"}
_SPACES = {r"\qquad": "2em", r"\quad": "1em", r"\,": "0.17em", r"\;": "0.28em", r"\:": "0.22em", r"\ ": "0.25em",
           r"\!": "0em"}
_DELIMITERS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", ".": "", **{k: v for k, v in _OPERATORS.items()
               if k in (r"\lfloor", r"\rfloor", r"\lceil", r"\rceil", r"\{", r"\}")}}


class MathMLError(SymcnnError, ValueError):
    """LaTeX outside the part this module reads."""


class _Reader:
    def __init__(self, latex: str):
        self.latex = latex
        self.tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(latex) if m.lastgroup]
        self.at = 0

    def fail(self, what: str) -> MathMLError:
        return MathMLError(f"cannot write {what} in MathML: {self.latex!r}", rule="symcnn's LaTeX")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.fail("an unfinished formula")
        self.at += 1
        return token

    def group(self) -> str:
        """``{...}`` (or one token) as one MathML element."""
        kind, text = self.take()
        if (kind, text) == ("char", "{"):
            return _row(self.sequence(until="}"))
        self.at -= 1
        return self.atom()

    def raw_group(self) -> str:
        """The text of ``{...}`` as written (``\\text``, ``\\live`` indices)."""
        if self.take() != ("char", "{"):
            raise self.fail("a command without its {argument}")
        depth, start = 1, self.at
        while depth:
            kind, text = self.take()
            depth += {"{": 1, "}": -1}.get(text, 0) if kind == "char" else 0
        return "".join(t for _, t in self.tokens[start:self.at - 1])

    def sequence(self, until: str | None = None) -> list[str]:
        items: list[str] = []
        while True:
            token = self.peek()
            if token is None:
                if until is not None:
                    raise self.fail(f"a group without its closing {until}")
                return items
            if token == ("char", until) or (until == r"\right" and token == ("command", r"\right")):
                self.at += 1
                return items
            if token[1] in ("^", "_"):
                if not items:
                    raise self.fail("a script without a base")
                items.append(self.scripts(items.pop()))
                continue
            items.append(self.atom())

    def scripts(self, base: str) -> str:
        sub = sup = None
        while (token := self.peek()) is not None and token[1] in ("^", "_"):
            self.at += 1
            if token[1] == "_":
                sub = self.group()
            else:
                sup = self.group()
        if sub is not None and sup is not None:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        return f"<msub>{base}{sub}</msub>" if sub is not None else f"<msup>{base}{sup}</msup>"

    def atom(self) -> str:
        kind, text = self.take()
        if kind == "number":
            return f"<mn>{text.replace('{,}', ',')}</mn>"
        if kind == "char":
            if text == "{":
                return _row(self.sequence(until="}"))
            if text.isalpha():
                return f"<mi>{escape(text)}</mi>"
            if text == "-":
                return "<mo>&#x2212;</mo>"
            if text in "+=(),./|[]<>:;!'":
                return f"<mo>{escape(text)}</mo>"
            raise self.fail(repr(text))
        if text in _OPERATORS:
            return f"<mo>{_OPERATORS[text]}</mo>"
        if text in _IDENTIFIERS:
            return f"<mi>{_IDENTIFIERS[text]}</mi>"
        if text in _SPACES:
            return f'<mspace width="{_SPACES[text]}"></mspace>'
        if text == r"\frac":
            return f"<mfrac>{self.group()}{self.group()}</mfrac>"
        if text == r"\left":
            opening = self.delimiter()
            inner = self.sequence(until=r"\right")
            closing = self.delimiter()
            return _row([_fence(opening), *inner, _fence(closing)])
        if text == r"\pmod":
            return f'<mspace width="0.5em"></mspace><mo>(</mo><mi>mod</mi><mspace width="0.3em"></mspace>' \
                   f"{self.group()}<mo>)</mo>"
        if text in (r"\text", r"\mathrm"):
            return f"<mtext>{escape(self.raw_group())}</mtext>"
        if text == r"\live":
            e, k = self.raw_group().split(",")
            return f'<mn data-e="{escape(e)}" data-k="{escape(k)}">{_plain(self.group())}</mn>'
        if text == r"\liveq":
            e, k = self.raw_group().split(",")
            return f'<mrow data-q="{escape(e)}" data-k="{escape(k)}">{self.group()}</mrow>'
        if text == r"\liveside":
            e, shown = self.raw_group(), self.raw_group()
            hidden = "" if shown == "on" else ' class="off"'
            return f'<mrow data-s="{escape(e)}"{hidden}>{self.group()}</mrow>'
        raise self.fail(text)

    def delimiter(self) -> str:
        kind, text = self.take()
        if text not in _DELIMITERS:
            raise self.fail(f"the delimiter {text}")
        return _DELIMITERS[text]


def _fence(char: str) -> str:
    return f'<mo fence="true">{char}</mo>' if char else ""


def _row(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"<mrow>{''.join(items)}</mrow>"


def _plain(element: str) -> str:
    """The text of an ``<mn>`` (a live number shows a number)."""
    match = re.fullmatch(r"<mn>([^<]*)</mn>", element)
    if match is None:
        raise MathMLError(f"a live value must be a number, got {element}", rule="symcnn's LaTeX")
    return match.group(1)


def mathml(latex: str, *, display: bool = False) -> str:
    """``latex`` (the part symcnn writes) as a ``<math>`` element; ``display``: a block (in a
    ``<div class="math">`` that scrolls where the formula is wider than the page)."""
    items = _Reader(latex).sequence()
    if display:
        return f'<div class="math"><math display="block">{"".join(items)}</math></div>'
    return f"<math>{''.join(items)}</math>"


def words(text: str) -> str:
    """A sentence of :mod:`symcnn.views.strings` for HTML: escaped, each ``$...$`` as MathML.

    >>> words("The $N$ kernels & more")
    'The <math><mi>N</mi></math> kernels &amp; more'
    """
    parts = re.split(r"(?<!\\)\$(.+?)(?<!\\)\$", text)
    return "".join(mathml(p) if i % 2 else escape(p, quote=False) for i, p in enumerate(parts))


__all__ = ["mathml", "words", "MathMLError"]
