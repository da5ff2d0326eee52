r"""Check the arithmetic of the equations in a Markdown or LaTeX document.

``symcnn check-doc DOC`` reads a document, finds its math and checks every chain of
equalities it can evaluate.  Nothing in the document is ever run as code: each side of
an equation goes through sympy's LaTeX parser (lark backend) and the resulting tree is
evaluated here, with exact fractions and size limits; ``eval``/``sympify`` are never
called on document text.

Where the math is
    ``$...$``, ``$$...$$``, ``\(...\)``, ``\[...\]`` and the ``equation``, ``align`` and
    ``gather`` environments (starred or not).  YAML front matter is ignored; in Markdown
    so are code spans, fenced code blocks, HTML comments and escaped dollars ``\$``; in
    LaTeX so are ``%`` comments, ``\verb`` and verbatim-like environments.  A document is
    LaTeX when its name ends in ``.tex`` or it has ``\documentclass`` or
    ``\begin{document}``; otherwise it is Markdown.

Statements
    Math is cut into lines at ``\\`` and each line into statements at top-level (outside
    braces and brackets) ``;``, ``\quad``, ``\qquad``, ``\text{...}``, relations other
    than ``=`` (``\approx``, ``<``, ``\le``, ``\Rightarrow``, ...) and commas that are not
    thousands separators.  A comma is a thousands separator only inside a number whose
    first group has 1-3 digits and every later group exactly 3 (``34,848``,
    ``4,096,000``; LaTeX's ``34{,}848`` and ``34\,848`` too); so in
    ``F_{-1}=4096,\; F=1000`` the comma separates two statements.  A statement with
    ``=`` (or ``:=``) is an equation; other statements are ignored.  A line that starts
    with ``=`` (``&= ...`` in ``align``) continues the chain of the line before it.

Names and definitions
    A letter or Greek letter with an optional subscript is one name (``W_{c}``,
    ``P_{s}``, ``F_{-1}``, ``\alpha_1``); ``W_c``, ``W_{c}`` and ``W_{\mathrm{c}}`` are
    the same name, and ``I``, ``E``, ``S``, ``d`` are names like any other.  Adjacent
    factors multiply (``2P``, ``KCN``, ``K^{2}CN``) and a name followed by ``(`` is a
    product, never a function call.  When an equation starts with a bare name, the name
    is being defined, not claimed: it takes the value of the last side that evaluates
    and keeps it until it is defined again (``C=3`` ... ``C=256``: later equations see
    256).  A definition whose value cannot be evaluated, such as the general formula
    ``O=\frac{I-K+2P}{S}+1``, defines nothing (an earlier value of ``O`` is kept) and
    counts as skipped.  A chain with a wrong step defines nothing either and forgets
    the name: the document contradicts itself about its value, so later equations
    using it are skipped rather than flagged a second time for the same slip.

What is checked
    Each step of a chain, that is each pair of adjacent sides after the defined name, is
    *checked* when both sides evaluate to numbers and *skipped* when either does not
    (unknown names, unsupported LaTeX, parse failures, numbers too large).  A checked
    step whose sides differ is *wrong*; the right side is then reported against the
    left side's value, which is what it should have been.  Supported: numbers, ``+``,
    ``-``, ``\times``, ``\cdot``, ``*``, ``/``, ``\div``, ``^``, ``\frac``, parentheses
    (with or without ``\left``/``\right``), exact ``\sqrt``, ``!``, ``|x|``, floor,
    ceiling, ``\max``/``\min``.  Values are exact rationals; only when a side is a
    plain decimal literal such as ``0.33`` may the other side differ from it by half a
    unit in its last written digit.  Skipped as ambiguous: ``12 345`` (digits separated
    by a plain space) and ``/`` next to an implicit product (``a/bc``).

Values in reports are strings: integers with thousands separators (``94,944``),
terminating fractions as decimals (``2.5``), others as ``p/q``.

>>> result = check_document("$$P_{c}=94,848+96=34,944$$")
>>> result.checked, result.skipped, result.wrong[0].left, result.wrong[0].right
(1, 0, '94,944', '34,944')
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from os import PathLike
from pathlib import Path

from ..errors import SpecError

__all__ = ["WrongStep", "DocCheck", "check_document", "check_file", "to_json", "format_text"]


@dataclass(frozen=True)
class WrongStep:
    r"""One step of a chain whose two sides evaluate to different numbers.

    ``text`` is the statement as written (alignment ``&``, labels and extra spaces
    removed); ``left_text``/``right_text`` are the two sides of the failing step;
    ``left``/``right`` their values; ``expected`` the value the right side should have,
    which is the left side's value.

    >>> step = check_document("$2+2=5$").wrong[0]
    >>> (step.line, step.text, step.left, step.right, step.expected)
    (1, '2+2=5', '4', '5', '4')
    """

    line: int
    text: str
    left: str
    right: str
    expected: str
    left_text: str = ""
    right_text: str = ""


@dataclass(frozen=True)
class DocCheck:
    """The outcome of checking one document: counts of checked and skipped steps and the
    wrong ones, in document order.

    >>> check_document("$C=3$ and $$2C=6$$")
    DocCheck(checked=1, skipped=0, wrong=(), name='<doc>')
    """

    checked: int
    skipped: int
    wrong: tuple[WrongStep, ...]
    name: str = "<doc>"

    @property
    def ok(self) -> bool:
        """True when no checked step is wrong."""
        return not self.wrong


# ---------------------------------------------------------------------------
# Finding the math
# ---------------------------------------------------------------------------

_MATH_ENVS = ("equation", "align", "gather")
_ENV_BEGIN = re.compile(r"\\begin\{(" + "|".join(_MATH_ENVS) + r")(\*?)\}")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BACKTICKS = re.compile(r"`+")
_VERBATIM_ENV = re.compile(
    r"\\begin\{(verbatim|Verbatim|lstlisting|minted|comment)\*?\}.*?\\end\{\1\*?\}", re.S
)
_VERB = re.compile(r"\\verb\*?([^a-zA-Z\s*])[^\n]*?\1")


def _blank_all(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match by spaces, keeping newlines so offsets and lines stay put."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _is_latex(text: str, name: str) -> bool:
    if name.lower().endswith((".tex", ".ltx", ".latex")):
        return True
    return "\\documentclass" in text or "\\begin{document}" in text


def _blank_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in ranges:
        for k in range(start, end):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


def _mask_markdown(text: str) -> str:
    text = _blank_all(text, _HTML_COMMENT)
    # Fenced code blocks: a closing fence uses the same character, at least as long.
    ranges, pos = [], 0
    while (m := _FENCE_OPEN.search(text, pos)) is not None:
        fence = m.group(1)
        close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        c = close.search(text, m.end())
        pos = c.end() if c else len(text)
        ranges.append((m.start(), pos))
    text = _blank_ranges(text, ranges)
    # Code spans: a run of n backticks closes at the next run of exactly n.
    ranges, pos = [], 0
    while (m := _BACKTICKS.search(text, pos)) is not None:
        c = re.compile(r"(?<!`)" + m.group(0) + r"(?!`)").search(text, m.end())
        pos = c.end() if c else m.end()
        if c is not None:
            ranges.append((m.start(), c.end()))
    return _blank_ranges(text, ranges)


def _mask_latex(text: str) -> str:
    text = _blank_all(text, _VERBATIM_ENV)
    text = _blank_all(text, _VERB)
    out = list(text)
    i = 0
    while i < len(out):
        if out[i] == "\\":
            i += 2
        elif out[i] == "%":
            while i < len(out) and out[i] != "\n":
                out[i] = " "
                i += 1
        else:
            i += 1
    return "".join(out)


def _find_close(text: str, start: int, close: str) -> int:
    """Index of ``close`` at or after ``start``, stepping over backslash escapes; -1 if none."""
    i = start
    while i < len(text):
        if text.startswith(close, i):
            return i
        i += 2 if text[i] == "\\" else 1
    return -1


def _math_spans(text: str, markdown: bool) -> list[tuple[int, int]]:
    """(start, end) offsets of the contents of every math region, in document order."""
    spans = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            pair = text[i : i + 2]
            if pair in ("\\(", "\\["):
                close = "\\)" if pair == "\\(" else "\\]"
                j = _find_close(text, i + 2, close)
                if j >= 0:
                    spans.append((i + 2, j))
                    i = j + 2
                    continue
            elif (m := _ENV_BEGIN.match(text, i)) is not None:
                end_tag = "\\end{" + m.group(1) + m.group(2) + "}"
                j = _find_close(text, m.end(), end_tag)
                if j >= 0:
                    spans.append((m.end(), j))
                    i = j + len(end_tag)
                    continue
            i += 2
        elif c == "$" and text.startswith("$$", i):
            j = _find_close(text, i + 2, "$$")
            if j < 0:
                i += 2
                continue
            spans.append((i + 2, j))
            i = j + 2
        elif c == "$":
            j = _inline_close(text, i + 1, markdown)
            if j < 0:
                i += 1
                continue
            spans.append((i + 1, j))
            i = j + 1
        else:
            i += 1
    return spans


def _inline_close(text: str, start: int, markdown: bool) -> int:
    # Markdown follows pandoc: no space just inside the dollars, no digit right after the
    # closing one, no blank line inside; that keeps "$5 and $10" prose out of the math.
    if markdown and (start >= len(text) or text[start].isspace()):
        return -1
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n" and re.match(r"\n[ \t]*\n", text[i:]):
            return -1
        if c == "$":
            if not markdown:
                return i
            if not text[i - 1].isspace() and not text[i + 1 : i + 2].isdigit():
                return i
        i += 1
    return -1


# ---------------------------------------------------------------------------
# Cutting math into statements and sides
# ---------------------------------------------------------------------------

_SEP = "\x1f"  # stands in for a thousands separator inside the working copy
_THOUSANDS = re.compile(r"(?<![\d.\\\x1f])\d{1,3}(?:(?:,|\{,\}|\\,)\d{3})+(?!\d)")
_SEPARATOR_IN_NUMBER = re.compile(r",|\{,\}|\\,")
_NOISE = re.compile(
    r"\\(?:label|tag\*?)\s*\{[^{}]*\}"
    r"|\\(?:nonumber|notag)(?![a-zA-Z])"
    r"|\\(?:begin|end)\s*\{(?:aligned|alignedat|split|gathered)\}(?:\{\d+\})?"
    r"|&"
)
_TEXT_CMDS = {"text", "textrm", "textit", "textbf", "textnormal", "mbox", "hbox", "intertext"}
_SEPARATOR_CMDS = {
    "approx", "approxeq", "ne", "neq", "le", "leq", "ge", "geq", "leqslant", "geqslant",
    "lt", "gt", "ll", "gg", "sim", "simeq", "cong", "equiv", "propto", "doteq",
    "to", "rightarrow", "Rightarrow", "longrightarrow", "Longrightarrow", "implies",
    "iff", "Leftrightarrow", "leftrightarrow", "mapsto", "therefore", "because", "in",
    "quad", "qquad",
}
_COMMAND = re.compile(r"\\([a-zA-Z]+)")
_LINE_SPACING = re.compile(r"\s*\[[^\]\n]*\]")  # the [2pt] of \\[2pt]


@dataclass(frozen=True)
class _Piece:
    start: int  # offsets into the span's working copy
    end: int
    line_start: bool  # first statement of a line (may continue the chain above)


def _working_copy(span_text: str) -> str:
    """Same length as the span: noise blanked, thousands separators marked."""
    w = _NOISE.sub(lambda m: " " * len(m.group(0)), span_text)
    w = w.replace("\\coloneqq", "=" + " " * 8).replace(":=", " =")
    return _THOUSANDS.sub(
        lambda m: _SEPARATOR_IN_NUMBER.sub(lambda s: _SEP * len(s.group(0)), m.group(0)), w
    )


def _pieces(w: str) -> list[_Piece]:
    """Statements of a span: cut at ``\\`` and at top-level separators."""
    pieces: list[_Piece] = []
    start, depth, line_start = 0, 0, True
    i = 0

    def cut(at: int, resume: int, newline: bool) -> None:
        nonlocal start, line_start
        pieces.append(_Piece(start, at, line_start))
        start, line_start = resume, newline

    while i < len(w):
        c = w[i]
        if c == "\\":
            if w.startswith("\\\\", i):
                j = i + 2
                if (m := _LINE_SPACING.match(w, j)) is not None:
                    j = m.end()
                cut(i, j, True)
                depth, i = 0, j
                continue
            m = _COMMAND.match(w, i)
            if m is None:
                i += 2
                continue
            if depth == 0 and m.group(1) in _TEXT_CMDS:
                j = _group_end(w, m.end())
                j = len(w) if j < 0 else j
                cut(i, j, False)
                i = j
                continue
            if depth == 0 and m.group(1) in _SEPARATOR_CMDS:
                cut(i, m.end(), False)
            i = m.end()
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ",;<>":
            cut(i, i + 1, False)
        i += 1
    cut(len(w), len(w), False)
    return pieces


def _group_end(w: str, i: int) -> int:
    """End of the brace group starting at (or after spaces from) ``i``; ``i`` if there is
    no group, -1 if it never closes."""
    j = i
    while j < len(w) and w[j].isspace():
        j += 1
    if j >= len(w) or w[j] != "{":
        return i
    depth = 0
    while j < len(w):
        if w[j] == "\\":
            j += 2
            continue
        if w[j] == "{":
            depth += 1
        elif w[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _split_sides(w: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each side of the top-level ``=`` signs in w[start:end]."""
    sides, depth, i, s = [], 0, start, start
    while i < end:
        c = w[i]
        if c == "\\":
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c == "=" and depth == 0:
            sides.append((s, i))
            s = i + 1
        i += 1
    sides.append((s, end))
    return sides


# ---------------------------------------------------------------------------
# Turning one side into a value
# ---------------------------------------------------------------------------

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "varrho", "sigma",
    "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
    "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
}
_FONT_CMDS = {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "boldsymbol", "bm", "operatorname"}
_SPACING = re.compile(
    r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![a-zA-Z])\s*\.?"
    r"|\\(?:quad|qquad|enspace|thinspace|medspace|thickspace|negthinspace|"
    r"displaystyle|textstyle|scriptstyle|limits|nolimits)(?![a-zA-Z])"
    r"|\\[,;:! ]|~"
)
_PLAIN_DECIMAL = re.compile(r"\s*-?\d+\.(\d+)\s*")
_MAX_SIDE = 1500  # characters handed to the parser; longer sides are skipped (Earley is slow)
_MAX_BITS = 100_000  # larger intermediate numbers make the side unevaluable
_MAX_FACTORIAL = 2_000


@dataclass(frozen=True)
class _Side:
    text: str  # as written
    value: Fraction | None
    name: str | None  # set when the side is one bare name
    decimals: int | None  # set when the side is a plain decimal literal


def _clean(side: str) -> str:
    s = side.replace(_SEP, "")
    s = _SPACING.sub(" ", s)
    return s.replace("\\ast", "*").replace("\\cdotp", "\\cdot")


def _read_group(s: str, i: int) -> tuple[str, int] | None:
    """Content and end of the ``{...}`` group at ``i``, or of the single token there."""
    if i >= len(s):
        return None
    if s[i] == "{":
        end = _group_end(s, i)
        return (s[i + 1 : end - 1], end) if end > i else None
    if (m := _COMMAND.match(s, i)) is not None:
        return m.group(0), m.end()
    return s[i], i + 1


def _canonical_sub(sub: str) -> str:
    sub = re.sub(r"\\(?:" + "|".join(sorted(_FONT_CMDS | _TEXT_CMDS)) + r")\s*\{([^{}]*)\}", r"\1", sub)
    return re.sub(r"\s+", "", sub)


class _Unreadable(Exception):
    """A side the encoder cannot make sense of (unbalanced braces, odd subscripts)."""


_FRACTION_CMDS = {"frac", "dfrac", "tfrac", "nicefrac", "binom", "dbinom", "tbinom"}
_OPENING_CMDS = {"lfloor", "lceil"}
_CLOSING_CMDS = {"rfloor", "rceil"}
_ATOM_CMDS = {"infty"}
_ROOT_INDEX = re.compile(r"\s*\[([^\]]*)\]")  # the [3] of \sqrt[3]{x}


class _Encoder:
    r"""Rewrite one side so that the lark grammar reads it the way a person does.

    * Every name becomes a placeholder symbol ``Z_{qz...}``.  The grammar rejects many
      subscripts (``F_{-1}``, ``W_{c1}``, ``W_{\mathrm{c}}``) and reads a bare ``d`` as a
      differential, so names never reach it as written.
    * Every implicit product gets an explicit ``\cdot``.  The grammar only lets a bare
      symbol or number start an implicit product (``K^{2}CN`` fails) and returns an
      unresolved ambiguity for ``2\times bc`` or ``K(K-1)``.

    ``names`` maps placeholder symbol names to canonical names (``W_{c}``, ``F_{-1}``,
    ``alpha_{1}``); ``implicit`` tells whether a product was made explicit.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self._by_canonical: dict[str, str] = {}
        self.implicit = False

    def placeholder(self, canonical: str) -> str:
        if canonical not in self._by_canonical:
            k, letters = len(self._by_canonical), ""
            while True:
                k, r = divmod(k, 26)
                letters = chr(ord("a") + r) + letters
                if k == 0:
                    break
            symbol = f"Z_{{qz{letters}}}"
            self._by_canonical[canonical] = symbol
            self.names[symbol] = canonical
        return self._by_canonical[canonical]

    def group(self, s: str, i: int) -> tuple[str, int]:
        """Encoded argument at ``i`` (after spaces): a brace group or a single token."""
        while i < len(s) and s[i].isspace():
            i += 1
        got = _read_group(s, i)
        if got is None:
            raise _Unreadable
        return self.run(got[0]), got[1]

    def run(self, s: str) -> str:
        out: list[str] = []
        ends_operand = False  # whether the last thing written can be a product's left factor

        def operand(text: str, *, closes: bool = True) -> None:
            nonlocal ends_operand
            if ends_operand:
                out.append("\\cdot ")
                self.implicit = True
            out.append(text)
            ends_operand = closes

        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c.isspace():
                out.append(c)
                i += 1
            elif c.isdigit():
                j = i
                while j < n and s[j].isdigit():
                    j += 1
                operand(s[i:j])
                i = j
            elif c in "([":
                operand(c, closes=False)
                i += 1
            elif c in ")]!":
                out.append(c)
                ends_operand = True
                i += 1
            elif c == "{":
                end = _group_end(s, i)
                if end < 0:
                    raise _Unreadable
                operand("{" + self.run(s[i + 1 : end - 1]) + "}")
                i = end
            elif c in "^_":
                arg, i = self.group(s, i + 1)
                out.append(f"{c}{{{arg}}}")
                ends_operand = c == "^"
            elif c == "\\":
                i, ends_operand = self.command(s, i, out, operand)
            elif c.isascii() and c.isalpha():
                name, sup, i = self.name(s, c, i + 1)
                operand(self.placeholder(name) + sup)
            else:
                out.append(c)
                ends_operand = False
                i += 1
        return "".join(out)

    def command(self, s: str, i: int, out: list[str], operand) -> tuple[int, bool]:
        """Encode the command at ``i``; return where it ends and whether it ends an operand."""
        m = _COMMAND.match(s, i)
        if m is None:  # an escaped character such as \{ or \|
            out.append(s[i : i + 2])
            return i + 2, False
        cmd, j = m.group(1), m.end()
        if cmd in _GREEK:
            name, sup, j = self.name(s, cmd.replace("var", ""), j)
            operand(self.placeholder(name) + sup)
        elif cmd in _FONT_CMDS:
            while j < len(s) and s[j].isspace():
                j += 1
            got = _read_group(s, j)
            if got is None or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", got[0].strip()):
                raise _Unreadable
            name, sup, j = self.name(s, got[0].strip(), got[1])
            operand(self.placeholder(name) + sup)
        elif cmd in _FRACTION_CMDS:
            top, j = self.group(s, j)
            bottom, j = self.group(s, j)
            operand(f"\\{cmd}{{{top}}}{{{bottom}}}")
        elif cmd == "sqrt":
            index = ""
            if (k := _ROOT_INDEX.match(s, j)) is not None:
                index, j = f"[{self.run(k.group(1))}]", k.end()
            arg, j = self.group(s, j)
            operand(f"\\sqrt{index}{{{arg}}}")
        elif cmd in _ATOM_CMDS:
            operand(m.group(0))
        elif cmd in _OPENING_CMDS:
            operand(m.group(0) + " ", closes=False)
            return j, False
        elif cmd in _CLOSING_CMDS:
            out.append(m.group(0) + " ")
        else:  # operators (\times, \cdot, \div) and functions (\max, \log, ...)
            out.append(m.group(0) + " ")
            return j, False
        return j, True

    def name(self, s: str, base: str, j: int) -> tuple[str, str, int]:
        """Canonical name starting with ``base``, a power written before the subscript
        (``W^{2}_{c}`` is W_{c} squared), and where the name ends."""
        primes, sub, sup = "", "", ""
        while j < len(s):
            if s[j] == "'":
                primes += "'"
                j += 1
            elif s[j] == "_" and not sub:
                got = _read_group(s, j + 1)
                if got is None or not _canonical_sub(got[0]):
                    raise _Unreadable
                sub, j = _canonical_sub(got[0]), got[1]
            elif s[j] == "^" and not sub and not sup:
                got = _read_group(s, j + 1)
                if got is None or got[1] >= len(s) or s[got[1]] != "_":
                    break
                sup, j = f"^{{{self.run(got[0])}}}", got[1]
            else:
                break
        return base + (f"_{{{sub}}}" if sub else "") + primes, sup, j


def _encode(s: str) -> tuple[str, dict[str, str]] | None:
    encoder = _Encoder()
    try:
        text = encoder.run(s)
    except (_Unreadable, RecursionError):
        return None
    if encoder.implicit and ("/" in s or "\\div" in s):
        return None  # a/bc: is it a/(bc) or (a/b)c?  Conventions differ, so skip.
    return text, encoder.names


@functools.lru_cache(maxsize=4096)
def _parse(latex: str):
    """sympy tree of ``latex``, unevaluated, or None when the parser cannot read it."""
    import sympy

    # The transformer imports sympy.physics.quantum inside its implicit-product rule, and
    # that first import fails when it happens under evaluate(False).
    import sympy.physics.quantum  # noqa: F401
    from sympy.parsing.latex import parse_latex

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Unevaluated, so that 2^{10^{100}} or (10^{9})! cost nothing until _value
            # decides whether they are small enough.
            with sympy.evaluate(False):
                tree = parse_latex(latex, backend="lark")
    except Exception:
        return None
    return tree if isinstance(tree, sympy.Basic) else None


def _too_big(x: Fraction) -> bool:
    return x.numerator.bit_length() > _MAX_BITS or x.denominator.bit_length() > _MAX_BITS


def _root(x: int, q: int) -> int | None:
    from sympy import integer_nthroot

    if x < 0:
        if q % 2 == 0:
            return None
        r = _root(-x, q)
        return None if r is None else -r
    r, exact = integer_nthroot(x, q)
    return int(r) if exact else None


def _power(base: Fraction, exp: Fraction) -> Fraction | None:
    if exp.denominator != 1:
        if exp.denominator > 64:
            return None
        num = _root(base.numerator, exp.denominator)
        den = _root(base.denominator, exp.denominator)
        if num is None or den is None:
            return None
        base, exp = Fraction(num, den), Fraction(exp.numerator)
    k = exp.numerator
    if base == 0 and k < 0:
        return None
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if abs(k) * max(size - 1, 0) > _MAX_BITS:
        return None
    return base**k


def _value(tree, names: dict[str, str], env: dict[str, Fraction]) -> Fraction | None:
    """Exact value of an unevaluated sympy tree, or None if it is not a known number."""
    import sympy

    if tree.is_Rational:
        return Fraction(int(tree.p), int(tree.q))
    if tree.is_Symbol:
        canonical = names.get(tree.name)
        return env.get(canonical) if canonical is not None else None
    args = []
    for arg in tree.args:
        v = _value(arg, names, env)
        if v is None:
            return None
        args.append(v)
    result: Fraction | None
    if isinstance(tree, sympy.Add):
        result = sum(args, Fraction(0))
    elif isinstance(tree, sympy.Mul):
        result = Fraction(1)
        for v in args:
            result *= v
            if _too_big(result):
                return None
    elif isinstance(tree, sympy.Pow):
        result = _power(args[0], args[1])
    elif isinstance(tree, sympy.factorial):
        v = args[0]
        if v.denominator != 1 or not 0 <= v <= _MAX_FACTORIAL:
            return None
        result = Fraction(math.factorial(int(v)))
    elif isinstance(tree, sympy.Abs):
        result = abs(args[0])
    elif isinstance(tree, sympy.floor):
        result = Fraction(math.floor(args[0]))
    elif isinstance(tree, sympy.ceiling):
        result = Fraction(math.ceil(args[0]))
    elif isinstance(tree, (sympy.Max, sympy.Min)) and args:
        result = max(args) if isinstance(tree, sympy.Max) else min(args)
    else:
        return None
    if result is None or _too_big(result):
        return None
    return result


_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)")


def _decimal_as_fraction(m: re.Match[str]) -> str:
    # The parser turns 0.1 into a binary float; as a fraction it stays exact.
    whole, frac = m.groups()
    return f"{{\\frac{{{whole}{frac}}}{{1{'0' * len(frac)}}}}}"


def _evaluate(written: str, work: str, env: dict[str, Fraction]) -> _Side:
    latex = _clean(work)
    decimal = _PLAIN_DECIMAL.fullmatch(latex)
    decimals = len(decimal.group(1)) if decimal else None
    if not latex.strip() or re.search(r"\d\s+\d", latex):
        return _Side(written, None, None, decimals)
    latex = _DECIMAL.sub(_decimal_as_fraction, latex)
    latex = re.sub(r"(\d)\.(?!\d)", r"\1", latex)  # "55." at the end of a sentence
    encoded = _encode(latex)
    if encoded is None:
        return _Side(written, None, None, decimals)
    latex, names = encoded
    name = names.get(latex.strip())
    if len(latex) > _MAX_SIDE:
        return _Side(written, None, name, decimals)
    tree = _parse(latex)
    try:
        value = _value(tree, names, env) if tree is not None else None
    except (RecursionError, ValueError, TypeError, ZeroDivisionError, OverflowError):
        value = None
    return _Side(written, value, name, decimals)


def _agree(a: _Side, b: _Side) -> bool:
    assert a.value is not None and b.value is not None
    if a.value == b.value:
        return True
    places = [s.decimals for s in (a, b) if s.decimals is not None]
    if not places:
        return False
    return abs(a.value - b.value) <= Fraction(1, 2 * 10 ** min(places))


def _format_value(x: Fraction) -> str:
    if x.denominator == 1:
        return f"{x.numerator:,}"
    d, twos, fives = x.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return f"{x.numerator:,}/{x.denominator:,}"
    places = max(twos, fives)
    scaled = abs(x.numerator) * 10**places // x.denominator
    whole, frac = divmod(scaled, 10**places)
    return f"{'-' if x < 0 else ''}{whole:,}.{frac:0{places}d}"


def _tidy(written: str) -> str:
    written = _NOISE.sub(" ", written)
    return re.sub(r"\s+", " ", written).strip()


# ---------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------


@dataclass
class _Chain:
    """A chain of equalities, possibly continued over several lines."""

    defines: str | None  # the leading bare name, if any
    last: _Side  # its last side so far
    contradicted: bool = False


class _Tally:
    """Values of the names defined so far and the counts of one document."""

    def __init__(self) -> None:
        self.env: dict[str, Fraction] = {}
        self.checked = 0
        self.skipped = 0
        self.wrong: list[WrongStep] = []

    def steps(self, sides: list[_Side], chain: _Chain, *, line: int, text: str) -> None:
        for left, right in zip(sides, sides[1:]):
            if left.value is None or right.value is None:
                self.skipped += 1
            elif _agree(left, right):
                self.checked += 1
            else:
                self.checked += 1
                chain.contradicted = True
                self.wrong.append(
                    WrongStep(
                        line=line,
                        text=text,
                        left=_format_value(left.value),
                        right=_format_value(right.value),
                        expected=_format_value(left.value),
                        left_text=_tidy(left.text),
                        right_text=_tidy(right.text),
                    )
                )
        chain.last = sides[-1]
        if chain.defines is None:
            return
        known = [side.value for side in sides if side.value is not None]
        if chain.contradicted:
            # The chain disagrees with itself, so neither value is trusted: later uses of
            # the name are skipped rather than flagged a second time for the same slip.
            self.env.pop(chain.defines, None)
        elif known:
            self.env[chain.defines] = known[-1]


def check_document(text: str, *, name: str = "<doc>", syntax: str | None = None) -> DocCheck:
    r"""Check every chain of equalities in ``text`` that can be evaluated.

    ``name`` appears in reports and, by its suffix, picks LaTeX (``.tex``) over Markdown;
    ``syntax`` (``"markdown"`` or ``"latex"``) overrides that guess.

    >>> doc = r'''
    ... - $K=11$, $C=3$, $N=96$
    ... $$W_{c}=K^{2}\times C\times N=11^{2}\times 3\times 96=34,848$$
    ... $$P_{c}=W_{c}+96=94,944$$
    ... '''
    >>> result = check_document(doc)
    >>> result.checked, result.skipped
    (3, 0)
    >>> [(w.line, w.left_text, w.left, w.right) for w in result.wrong]
    [(4, 'W_{c}+96', '34,944', '94,944')]
    """
    if syntax not in (None, "markdown", "latex"):
        raise SpecError(f"unknown syntax {syntax!r}; use 'markdown' or 'latex'", where=name)
    markdown = (syntax == "markdown") if syntax else not _is_latex(text, name)
    masked = text
    if (fm := _FRONT_MATTER.match(masked)) is not None:
        masked = _blank_ranges(masked, [(0, fm.end())])
    masked = _mask_markdown(masked) if markdown else _mask_latex(masked)
    newlines = [i for i, c in enumerate(text) if c == "\n"]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    tally = _Tally()
    for span_start, span_end in _math_spans(masked, markdown):
        w = _working_copy(masked[span_start:span_end])
        original = text[span_start:span_end]
        chain: _Chain | None = None  # the chain an "&= ..." line continues
        for piece in _pieces(w):
            segment = w[piece.start : piece.end]
            start, end = piece.start + len(segment) - len(segment.lstrip()), piece.end
            while end > start and (w[end - 1].isspace() or w[end - 1] == "."):
                end -= 1
            bounds = _split_sides(w, start, end) if start < end else []
            if len(bounds) < 2:
                continue
            sides = [_evaluate(original[a:b], w[a:b], tally.env) for a, b in bounds]
            if piece.line_start and chain is not None and not w[slice(*bounds[0])].strip():
                sides[0] = chain.last
            else:
                chain = _Chain(defines=sides[0].name, last=sides[0])
                if chain.defines is not None:
                    sides = sides[1:]
                    if len(sides) == 1 and sides[0].value is None:
                        tally.skipped += 1
            tally.steps(sides, chain, line=line_of(span_start + start), text=_tidy(original[start:end]))
    return DocCheck(checked=tally.checked, skipped=tally.skipped, wrong=tuple(tally.wrong), name=name)


def check_file(path: str | PathLike[str], *, syntax: str | None = None) -> DocCheck:
    """Check the document at ``path`` (UTF-8); see :func:`check_document`.

    An unreadable file raises :class:`~symcnn.errors.SpecError` naming the file.

    >>> check_file("/nonexistent/notes.md")
    Traceback (most recent call last):
    ...
    symcnn.errors.SpecError: /nonexistent/notes.md: cannot read the document: No such file or directory
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise SpecError(f"cannot read the document: not UTF-8 ({err.reason} at byte {err.start})",
                        where=str(path)) from None
    except OSError as err:
        raise SpecError(f"cannot read the document: {err.strerror or err}", where=str(path)) from None
    return check_document(text, name=str(path), syntax=syntax)


def to_json(result: DocCheck) -> dict:
    """The result as JSON-ready data.

    >>> to_json(check_document("$2+2=5$"))["wrong"][0]["expected"]
    '4'
    """
    return {
        "name": result.name,
        "checked": result.checked,
        "skipped": result.skipped,
        "wrong": [
            {
                "line": w.line,
                "text": w.text,
                "left": w.left,
                "right": w.right,
                "expected": w.expected,
                "left_text": w.left_text,
                "right_text": w.right_text,
            }
            for w in result.wrong
        ],
    }


def format_text(result: DocCheck) -> str:
    r"""The human report: each wrong step, then the counts.

    >>> print(format_text(check_document("$$P_{c}=94,848+96=34,944$$", name="a.md")))
    a.md:1: P_{c}=94,848+96=34,944
      step:  94,848+96 = 34,944
      left:  94,944
      right: 34,944, should be 94,944
    checked 1, wrong 1, skipped 0
    """
    lines = []
    for w in result.wrong:
        lines += [
            f"{result.name}:{w.line}: {w.text}",
            f"  step:  {w.left_text} = {w.right_text}",
            f"  left:  {w.left}",
            f"  right: {w.right}, should be {w.expected}",
        ]
    lines.append(f"checked {result.checked}, wrong {len(result.wrong)}, skipped {result.skipped}")
    return "\n".join(lines)
