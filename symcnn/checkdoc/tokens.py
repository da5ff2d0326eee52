r"""Reading math and prose into tokens: numbers, names, operators, relations and cuts.

The same tokens come out of LaTeX math (``11^{2}\times 3\times 96 = 34{,}848``) and of
prose and table cells (``11² × 3 × 96 = 34,848``, ``5x5x16 = 400``, ``3.2M params``), so
that one grammar (:mod:`.evaluate`) reads both. Each token keeps its offsets in the
document. Nothing is evaluated here.

Kinds: ``NUM`` (value: a :class:`~.literals.Literal`), ``NAME`` (value: the canonical
name, ``W_c`` for ``W_{c}``, ``W_{\mathrm{c}}`` and ``W_c``), operators ``PLUS MINUS TIMES
DIV POW BANG``, brackets ``LPAR RPAR LBRACE RBRACE LBRACK RBRACK``, ``FRAC BINOM SQRT``,
``LFLOOR RFLOOR LCEIL RCEIL BAR`` (``|``, opening or closing), ``FUNC`` (``max``,
``floor`` ...), ``COMMA``, ``REL`` (value ``=`` or ``~`` for an approximate equality),
``CUT`` (ends a statement: ``;``, ``\quad``, another relation, prose), ``WORD`` (a word of
prose; value the word), ``NL`` (a line break), ``UNK`` (something the grammar does not
read, such as ``\sin``; value its text) and ``BOUND`` (the edge of inline math in prose).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fractions import Fraction

from .find import INNER_ENVS, MATH_ENVS, group_end
from .literals import Literal, read_number, unit_of, unit_scale


class Tok:
    """One token: its kind, where it is in the document and its value."""

    __slots__ = ("kind", "start", "end", "value")

    def __init__(self, kind: str, start: int, end: int, value=None) -> None:
        self.kind, self.start, self.end, self.value = kind, start, end, value

    def __repr__(self) -> str:
        if self.kind == "NUM":
            return f"NUM({self.value.text})"
        return f"{self.kind}({self.value!r})" if self.value is not None else self.kind


OPERAND_END = {"NUM", "NAME", "RPAR", "RBRACE", "RFLOOR", "RCEIL", "BANG"}

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "varrho", "sigma", "varsigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
    "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
}
_UNICODE_GREEK = dict(zip(
    "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩ",
    ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
     "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta",
     "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"],
))
_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_UNICODE = {
    "×": "TIMES", "·": "TIMES", "⋅": "TIMES", "∙": "TIMES", "∗": "TIMES", "✕": "TIMES", "⨉": "TIMES",
    "÷": "DIV", "∕": "DIV", "−": "MINUS", "＋": "PLUS", "＝": "REL=",
    "≈": "REL~", "≃": "REL~", "≅": "REL~", "∼": "REL~", "≒": "REL~", "≊": "REL~", "≔": "REL=",
    "⌊": "LFLOOR", "⌋": "RFLOOR", "⌈": "LCEIL", "⌉": "RCEIL", "√": "SQRT",
    "≠": "CUT", "≤": "CUT", "≥": "CUT", "≪": "CUT", "≫": "CUT", "→": "CUT", "⇒": "CUT", "⇔": "CUT",
    "↔": "CUT", "∈": "CUT", "∉": "CUT", "⊂": "CUT", "⊆": "CUT", "∝": "CUT", "≡": "CUT", "∴": "CUT",
    "∵": "CUT", "⟹": "CUT", "⟶": "CUT", "←": "CUT", "⇐": "CUT", "⇨": "CUT", "➔": "CUT", "｜": "CUT",
    "，": "CUT", "。": "CUT", "：": "CUT", "；": "CUT",
}

TIMES_CMDS = {"times", "cdot", "ast", "cdotp", "centerdot"}
APPROX_CMDS = {"approx", "approxeq", "simeq", "sim", "thickapprox", "thicksim", "fallingdotseq", "risingdotseq",
               "doteq", "eqsim", "backsimeq"}
DEFINE_CMDS = {"coloneqq", "coloneq", "eqqcolon", "triangleq", "defeq", "eqdef"}
CUT_CMDS = {
    "ne", "neq", "le", "leq", "ge", "geq", "leqslant", "geqslant", "lt", "gt", "ll", "gg", "lesssim", "gtrsim",
    "to", "rightarrow", "Rightarrow", "longrightarrow", "Longrightarrow", "implies", "iff", "Leftrightarrow",
    "leftrightarrow", "Longleftrightarrow", "leftarrow", "Leftarrow", "gets", "mapsto", "hookrightarrow",
    "therefore", "because", "in", "notin", "ni", "subset", "subseteq", "supset", "supseteq", "propto", "equiv",
    "cong", "perp", "parallel", "mid", "vdash", "models", "colon", "land", "lor", "wedge", "vee", "forall",
    "exists", "quad", "qquad", "item", "newline", "par", "and", "text_cut",
}
SPACE_CMDS = {
    ",", ";", ":", "!", " ", ">", "enspace", "thinspace", "medspace", "thickspace", "negthinspace", "negmedspace",
    "negthickspace", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "limits", "nolimits",
    "nonumber", "notag", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
    "biggr", "Biggl", "Biggr", "bigm", "Bigm", "biggm", "Biggm", "mathop", "mathord", "mathbin", "mathrel",
    "mathpunct", "strut", "mathstrut", "allowbreak", "nobreak", "hfill", "hline", "centering", "rm", "it",
    "bf", "cal", "sf", "tt", "normalsize", "small", "large", "Large", "$", "noindent", "relax", "protect",
    "qedhere", "medskip", "smallskip", "bigskip", "null", "empty", "leavevmode",
}
SKIP_ARG_CMDS = {"label", "tag", "hspace", "vspace", "phantom", "hphantom", "vphantom", "color", "eqref", "ref",
                 "cite", "mspace", "pagecolor", "footnotemark", "index", "hyperlink", "hypertarget"}
TRANSPARENT_CMDS = {
    "boxed", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathcal", "mathbb", "mathfrak", "mathscr",
    "boldsymbol", "bm", "pmb", "mathnormal", "emph", "underline", "cancel", "bcancel", "xcancel", "fbox",
    "smash", "mathclap", "mathllap", "mathrlap", "llap", "rlap", "operatorname", "textbf", "textit", "textrm",
    "textsf", "textup", "textmd", "textnormal", "textsc", "textsl", "uline", "hl", "mathring",
}
SKIP_FIRST_CMDS = {"textcolor", "colorbox", "cancelto", "underset", "overset", "stackrel", "href"}
TEXT_CMDS = {"text", "textrm", "textit", "textnormal", "textsf", "textup", "textmd", "textbf", "mbox", "hbox",
             "intertext", "shortintertext", "textsc", "textsl"}
FONT_CMDS = {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "operatorname", "boldsymbol", "bm", "mathnormal"}
FRAC_CMDS = {"frac", "dfrac", "tfrac", "cfrac", "nicefrac", "sfrac"}
BINOM_CMDS = {"binom", "dbinom", "tbinom"}
ACCENT_CMDS = {"hat", "widehat", "bar", "tilde", "widetilde", "vec", "dot", "ddot", "check", "breve", "acute",
               "grave", "overline", "overrightarrow"}
FUNCTIONS = {"max": "max", "min": "min", "floor": "floor", "ceil": "ceil", "ceiling": "ceil", "abs": "abs",
             "round": "round", "sqrt": "sqrt"}
#: macros within macros, and characters of one expansion, beyond which a macro is not read
MAX_MACRO_DEPTH, MAX_EXPANSION = 8, 10_000
#: characters all macro expansions of one document may make (\def\a{\a\a\a} must not explode)
MAX_EXPANDED = 2_000_000
_CMD = re.compile(r"\\([A-Za-z]+\*?|.)", re.S)
_WORD_RUN = re.compile(r"[A-Za-z]+")
_GROUP_SUB = re.compile(r"\\(?:mathrm|text|textrm|mathit|mathbf|mathsf|operatorname|rm|it|bf|mathnormal)\b\s*|[{}\s]")
_LINE_SPACING = re.compile(r"\*?\s{0,20}\[[^\]\n]{0,20}\]")
_BINARY_CMDS = {"kibi": Fraction(2**10), "mebi": Fraction(2**20), "gibi": Fraction(2**30), "tebi": Fraction(2**40)}
_UNIT_CMDS = {"byte": "byte", "bit": "bit"}
_SCALE_CMDS: dict[str, Fraction] = {
    "kilo": Fraction(10**3), "mega": Fraction(10**6), "giga": Fraction(10**9), "tera": Fraction(10**12),
    "percent": Fraction(1, 100),
}


def canonical_sub(raw: str) -> str:
    """``W_{\\mathrm{c}}``, ``W_{c}`` and ``W_c`` all name ``W_c``."""
    return _GROUP_SUB.sub("", raw)


def _skip_spaces(s: str, i: int, end: int) -> int:
    while i < end and s[i] in " \t\r\n\f":
        i += 1
    return i


def read_arg(s: str, i: int, end: int) -> tuple[int, int, int] | None:
    """(content start, content end, end) of the argument at ``i``: a brace group or one token."""
    i = _skip_spaces(s, i, end)
    if i >= end:
        return None
    if s[i] == "{":
        j = group_end(s, i, end)
        return None if j < 0 else (i + 1, j - 1, j)
    if s[i] == "\\":
        m = _CMD.match(s, i, end)
        return (i, m.end(), m.end()) if m else None
    return i, i + 1, i + 1


class _MathState:
    """What the math reader carries from one token to the next within one run of math."""

    __slots__ = ("pending", "stack", "amps", "amp_mode", "env_modes", "line_start")

    def __init__(self, amp_mode: str, *, line_start: bool = True) -> None:
        self.pending = 0  # single-token arguments still expected (\frac12, 2^3)
        self.stack: list[int] = []  # pending counts to restore when a brace group closes
        self.amps = 0  # & seen on this line
        self.amp_mode = amp_mode  # what & means outside inner environments ("pairs": align)
        self.env_modes: list[str] = []  # the same for the inner environments open
        self.line_start = line_start  # nothing but spacing and & since the last line break


class Lexer:
    """Tokens of the math and prose of one document (the masked text)."""

    def __init__(self, text: str, *, decimal_comma: bool = False, latex: bool = False,
                 macros: dict[str, tuple[int, str]] | None = None, depth: int = 0) -> None:
        self.s = text
        self.decimal_comma = decimal_comma
        self.latex = latex  # prose is LaTeX (~ is a space, & a column, \\ a line)
        self.macros = macros or {}
        self.depth = depth  # macros being expanded
        self.expansion = [MAX_EXPANDED]  # characters all expansions of the document may still make

    # -- math -----------------------------------------------------------------

    def math(self, start: int, end: int, env: str = "") -> list[Tok]:
        out: list[Tok] = []
        self._math(start, end, out, MATH_ENVS.get(env, INNER_ENVS.get(env, "")))
        return out

    def _math(self, i: int, end: int, out: list[Tok], amp_mode: str) -> None:
        s = self.s
        st = _MathState(amp_mode)
        while i < end:
            c = s[i]
            if c in " \t\r\n\f~":
                i += 1
            elif "0" <= c <= "9" or (c == "." and i + 1 < end and "0" <= s[i + 1] <= "9"):
                i = self._math_number(c, i, end, out, st)
            elif c == "\\":
                i = self._math_backslash(i, end, out, st)
            elif c.isascii() and c.isalpha():
                i = self._math_letter(c, i, end, out, st)
            elif c == "{":
                out.append(Tok("LBRACE", i, i + 1))
                st.stack.append(max(st.pending - 1, 0))
                st.pending, st.line_start = 0, False
                i += 1
            elif c == "}":
                out.append(Tok("RBRACE", i, i + 1))
                st.pending = st.stack.pop() if st.stack else 0
                i += 1
            else:
                i = self._math_other(c, i, end, out, st)

    def _math_number(self, c: str, i: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""A number in math, with its unit; one digit where an argument is expected (``\frac12``)."""
        s = self.s
        if st.pending:
            if c == ".":
                out.append(Tok("UNK", i, i + 1, "."))
                return i + 1
            lit, j = read_number(s, i, end=i + 1)
            st.pending -= 1
        else:
            lit, j = read_number(s, i, decimal_comma=self.decimal_comma, end=end)
            lit, j = self._math_suffix(lit, i, j, end)
        out.append(Tok("NUM", i, j, lit))
        st.line_start = False
        return j

    def _math_backslash(self, i: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""A line break (``\\``, ``\cr``) or any other command."""
        s = self.s
        m = _CMD.match(s, i, end)
        if m is None:
            return i + 1
        cmd = m.group(1)
        if cmd == "\\" or cmd in ("cr", "newline"):
            j = m.end()
            if (sp := _LINE_SPACING.match(s, j, end)) is not None:
                j = sp.end()
            out.append(Tok("NL", i, j))
            st.amps, st.line_start, st.pending, st.stack = 0, True, 0, []
            return j
        was_pending = st.pending
        i = self._math_command(cmd, i, m.end(), end, out, st)
        if was_pending and st.pending == was_pending and out and out[-1].end == i:
            st.pending -= 1
        st.line_start = st.line_start and (not out or out[-1].kind == "NL")
        return i

    def _math_letter(self, c: str, i: int, end: int, out: list[Tok], st: _MathState) -> int:
        """A Latin letter in math: an argument, the x of ``5x5``, a function (``max(``) or a name."""
        s = self.s
        if st.pending:
            out.append(Tok("NAME", i, i + 1, c))
            st.pending -= 1
            st.line_start = False
            return i + 1
        if c in "xX" and out and out[-1].kind in ("NUM", "RPAR") and self._digit_or_paren_next(i + 1, end):
            out.append(Tok("TIMES", i, i + 1))
            return i + 1
        run = _WORD_RUN.match(s, i, end)
        assert run is not None
        word = run.group(0)
        st.line_start = False
        if word.lower() in FUNCTIONS and len(word) > 2 and _skip_spaces(s, run.end(), end) < end \
                and s[_skip_spaces(s, run.end(), end)] == "(":
            out.append(Tok("FUNC", i, run.end(), FUNCTIONS[word.lower()]))
            return run.end()
        return self._name(c, i, i + 1, end, out)

    def _math_other(self, c: str, i: int, end: int, out: list[Tok], st: _MathState) -> int:
        """Any other character; ``&`` separates columns (every second one ends a statement
        where the environment pairs its columns, as align does)."""
        if st.pending:
            st.pending -= 1
        st.line_start = st.line_start and c == "&"
        if c != "&":
            return self._math_char(c, i, end, out)
        st.amps += 1
        mode = st.env_modes[-1] if st.env_modes else st.amp_mode
        if mode == "pairs" and st.amps % 2 == 0:
            out.append(Tok("CUT", i, i + 1, "&"))
        return i + 1

    def _digit_or_paren_next(self, i: int, end: int) -> bool:
        i = _skip_spaces(self.s, i, end)
        return i < end and ("0" <= self.s[i] <= "9" or self.s[i] in "([")

    def _math_suffix(self, lit: Literal, start: int, j: int, end: int) -> tuple[Literal, int]:
        r"""A unit after a number in math: ``3.2\text{ M}``, ``62\,\mathrm{million}``, ``25\%``."""
        s = self.s
        k = j
        while True:
            if k < end and s[k] in " ~":
                k += 1
            elif s.startswith(("\\,", "\\ ", "\\;", "\\:"), k):
                k += 2
            else:
                break
        if s.startswith("\\%", k):
            return lit.scaled(Fraction(1, 100), None, s[start : k + 2]), k + 2
        m = _CMD.match(s, k, end)
        if m is None or m.group(1) not in TEXT_CMDS | FONT_CMDS:
            return lit, j
        arg = read_arg(s, m.end(), end)
        if arg is None:
            return lit, j
        word = s[arg[0] : arg[1]].strip()
        scale = unit_scale(word) if word != "%" else None
        if word in ("%", "\\%"):
            return lit.scaled(Fraction(1, 100), None, s[start : arg[2]]), arg[2]
        if word == "B" and (k > j or s[arg[0] : arg[1]].startswith(" ")):
            scale = None  # 4\,\text{B}: bytes (1.5\text{B}: billion)
        if scale is None:
            unit = unit_of(word)  # 12.25\,\text{MiB}, 4\,\mathrm{B}, 1.8\text{ GMACs}
            if unit is not None:
                return lit.with_unit(unit[0], unit[1], unit[2], s[start : arg[2]]), arg[2]
            return lit, j
        return lit.scaled(Fraction(scale), None, s[start : arg[2]]), arg[2]

    def _name(self, base: str, start: int, i: int, end: int, out: list[Tok]) -> int:
        """A name: ``base`` with primes and a subscript (``W_{c}``, ``F_{-1}``, ``O'``)."""
        s = self.s
        sub, primes = None, ""
        while i < end:
            c = s[i]
            if c == "'":
                primes += "'"
                i += 1
            elif c in _SUBSCRIPT and sub is None:
                j = i
                while j < end and s[j] in _SUBSCRIPT:
                    j += 1
                sub = "".join(_SUBSCRIPT[ch] for ch in s[i:j])
                i = j
            elif c == "_" and sub is None:
                arg = read_arg(s, i + 1, end)
                if arg is None:
                    break
                sub = canonical_sub(s[arg[0] : arg[1]])
                i = arg[2]
            else:
                break
        name = base + (f"_{sub}" if sub else "") + primes
        out.append(Tok("NAME", start, i, name))
        return i

    def _math_char(self, c: str, i: int, end: int, out: list[Tok]) -> int:
        """Any other character of math: an operator, a bracket, a relation, a letter of another
        script; where it ends."""
        kind = _MATH_SINGLE.get(c)
        if kind is not None:
            out.append(Tok(kind, i, i + 1, c if kind == "CUT" else None))
            return i + 1
        if c == "^":
            out.append(Tok("POW", i, i + 1))
            return self._exponent(i + 1, end, out)
        if c in "=:":
            return self._equals(c, i, end, out, prose=False)
        if c == "%":
            if not self._percent(out, i + 1):
                out.append(Tok("UNK", i, i + 1, "%"))
            return i + 1
        if c == "_":
            arg = read_arg(self.s, i + 1, end)
            j = arg[2] if arg else i + 1
            out.append(Tok("UNK", i, j, self.s[i:j]))
            return j
        if (shared := self._shared_char(c, i, end, out)) is not None:
            return shared
        if c.isalpha():
            return self._math_letters(i, end, out)
        if c != "$":
            out.append(Tok("UNK", i, i + 1, c))
        return i + 1

    def _math_letters(self, i: int, end: int, out: list[Tok]) -> int:
        """A run of letters of another script than Latin in math: a word."""
        s = self.s
        j = i + 1
        while j < end and s[j].isalpha() and not s[j].isascii():
            j += 1
        out.append(Tok("WORD", i, j, s[i:j]))
        return j

    def _equals(self, c: str, i: int, end: int, out: list[Tok], *, prose: bool) -> int:
        """``=`` (also ``==``, ``:=``), and in prose ``=~`` (about), ``=>`` (not a relation) and
        a ratio ``16:9``; any other ``:`` ends a statement."""
        s = self.s
        if c == ":":
            if s.startswith(":=", i):
                out.append(Tok("REL", i, i + 2, "="))
                return i + 2
            if prose and out and out[-1].kind == "NUM" and out[-1].end == i and "0" <= s[i + 1 : i + 2] <= "9":
                out.append(Tok("DIV", i, i + 1))  # a ratio, 16:9
                return i + 1
            out.append(Tok("CUT", i, i + 1, ":"))
            return i + 1
        j = i + 1
        while j < end and s[j] == "=":
            j += 1
        if prose and j < end and s[j] in "~>":
            out.append(Tok("REL", i, j + 1, "~") if s[j] == "~" else Tok("CUT", i, j + 1, "=>"))
            return j + 1
        out.append(Tok("REL", i, j, "="))
        return j

    def _shared_char(self, c: str, i: int, end: int, out: list[Tok]) -> int | None:
        """Characters read alike in math and prose: superscript digits, unicode operators and
        relations, Greek letters. Where the character ends, or None for any other."""
        if c in _SUPERSCRIPT or c == "⁻":
            return self._superscript(i, end, out)
        if c in "×✕" and self._times_suffix(out, i, end):
            return i + 1  # 3.8× faster
        if c in _UNICODE:
            kind = _UNICODE[c]
            if kind.startswith("REL"):
                out.append(Tok("REL", i, i + 1, kind[3:]))
            else:
                out.append(Tok(kind, i, i + 1, c if kind == "CUT" else None))
            return i + 1
        if c in _UNICODE_GREEK:
            return self._name(_UNICODE_GREEK[c], i, i + 1, end, out)
        return None

    def _percent(self, out: list[Tok], end: int) -> bool:
        """Make the number just read a percentage (25%, 25\\%); False when there is none."""
        if not out or out[-1].kind != "NUM":
            return False
        last = out[-1]
        last.value = last.value.scaled(Fraction(1, 100), None, self.s[last.start : end])
        last.end = end
        return True

    def _superscript(self, i: int, end: int, out: list[Tok]) -> int:
        s = self.s
        j = i
        digits = ""
        negative = False
        while j < end and (s[j] in _SUPERSCRIPT or s[j] == "⁻"):
            if s[j] == "⁻":
                if digits or negative:
                    break
                negative = True
            else:
                digits += _SUPERSCRIPT[s[j]]
            j += 1
        out.append(Tok("POW", i, i))
        if negative:
            out.append(Tok("MINUS", i, i))
        if digits:
            lit, _ = read_number(digits, 0)
            out.append(Tok("NUM", i, j, Literal(s[i:j], digits, lit.readings)))
        return j

    def _exponent(self, i: int, end: int, out: list[Tok]) -> int:
        """The exponent after ``^`` in math: a group, or one digit, letter or command."""
        s = self.s
        i = _skip_spaces(s, i, end)
        if i < end and "0" <= s[i] <= "9":
            lit, j = read_number(s, i, end=i + 1)
            out.append(Tok("NUM", i, j, lit))
            return j
        if i < end and s[i].isascii() and s[i].isalpha():
            out.append(Tok("NAME", i, i + 1, s[i]))
            return i + 1
        if s.startswith("\\prime", i):
            out.append(Tok("UNK", i, i + 6, "\\prime"))
            return i + 6
        return i  # a group or a command: lexed as usual

    def _math_command(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""The command ``\cmd`` at ``start`` (its name ends at ``j``), read by its entry of
        :data:`_MATH_COMMANDS`, as a macro the document defines, or as unknown; where it ends."""
        handler = _MATH_COMMANDS.get(cmd)
        if handler is None and cmd.endswith("*"):
            handler = _STARRED_COMMANDS.get(cmd.rstrip("*"))
        if handler is not None:
            return handler(self, cmd, start, j, end, out, st)
        if cmd in self.macros:
            return self._expand(cmd, start, j, end, out)
        out.append(Tok("UNK", start, j, "\\" + cmd))
        return j

    # Each command of math is read by one of these (the table is _MATH_COMMANDS): they take
    # the command, where it starts, where its name ends, the end of the math, the tokens so far
    # and the reader's state, and return where the command ends.

    def _cmd_cut(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\neq``, ``\to``, ``\quad``: the statement ends."""
        out.append(Tok("CUT", start, j, "\\" + cmd))
        return j

    def _cmd_quad(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\quad`` at the start of a line indents a continued line (in align); elsewhere it ends
        the statement."""
        return j if st.line_start else self._cmd_cut(cmd, start, j, end, out, st)

    def _cmd_delimiter(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\left`` and ``\right`` size the bracket after them; ``\left.`` is no bracket."""
        k = _skip_spaces(self.s, j, end)
        return k + 1 if k < end and self.s[k] == "." else j

    def _cmd_skip_arg(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\label{...}``, ``\hspace{...}``: nothing to read, argument and all."""
        arg = read_arg(self.s, j, end)
        return arg[2] if arg else j

    def _cmd_two_args(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\frac`` and ``\binom``: two arguments follow, each maybe a single token (``\frac12``)."""
        out.append(Tok("FRAC" if cmd in FRAC_CMDS else "BINOM", start, j))
        st.pending = 2
        return j

    def _cmd_sqrt(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\sqrt{x}``, ``\sqrt2`` and ``\sqrt[3]{x}`` (the root's degree in brackets)."""
        s = self.s
        out.append(Tok("SQRT", start, j))
        st.pending = 1
        k = _skip_spaces(s, j, end)
        if k >= end or s[k] != "[":
            return j
        close = s.find("]", k, end)
        if close < 0:
            out.append(Tok("UNK", k, end, "["))
            st.pending = 0
            return end
        out.append(Tok("LBRACK", k, k + 1))
        self._math(k + 1, close, out, "")
        out.append(Tok("RBRACK", close, close + 1))
        return close + 1

    def _cmd_floor_ceil(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\lfloor``, ``\rceil``: a bracket of its own kind."""
        out.append(Tok(cmd.upper(), start, j))
        return j

    def _cmd_greek(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\alpha``, ``\varepsilon`` (the same name as ``\epsilon``): a name."""
        return self._name(cmd.replace("var", ""), start, j, end, out)

    def _cmd_environment(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\begin{...}`` and ``\end{...}``, starred or not."""
        return self._environment(cmd.rstrip("*"), start, j, end, out, st.env_modes)

    def _cmd_skip_first(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\textcolor{red}{x}``, ``\overset{...}{=}``, starred or not."""
        return self._skip_first(cmd.rstrip("*"), start, j, end, out)

    def _cmd_siunitx(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\num{...}``, ``\SI{...}{...}``, ``\qty{...}{...}``: a number, with its unit."""
        return self._siunitx(cmd, start, j, end, out)

    def _cmd_font(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\mathrm{...}``, ``\text{...}``: a function, a name, prose or what they hold."""
        return self._font(cmd, start, j, end, out)

    def _cmd_accent(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\hat{y}``: a name of its own, ``hat(y)``."""
        arg = read_arg(self.s, j, end)
        if arg is None:
            out.append(Tok("UNK", start, j, "\\" + cmd))
            return j
        inner = canonical_sub(self.s[arg[0] : arg[1]])
        return self._name(f"{cmd}({inner})", start, arg[2], end, out)

    def _cmd_percent(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``25\%``: the number before is a percentage."""
        if not self._percent(out, j):
            out.append(Tok("UNK", start, j, "\\%"))
        return j

    def _cmd_transparent(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\boxed{...}``, ``\mathbf{...}``: what the group holds (its braces stay), except a whole
        equation in a box (``\boxed{P = a + b = c}``), read as math of its own."""
        s = self.s
        arg = read_arg(s, j, end)
        if arg is not None and s[j:arg[0]].strip() == "{" and re.search(r"=|\\approx", s[arg[0] : arg[1]]):
            self._math(arg[0], arg[1], out, "")
            return arg[2]
        return j

    def _cmd_brace_label(self, cmd: str, start: int, j: int, end: int, out: list[Tok], st: _MathState) -> int:
        r"""``\underbrace{a + b}_{\text{label}}``: what is braced, without its label."""
        s = self.s
        arg = read_arg(s, j, end)
        if arg is None:
            return j
        self._math(arg[0], arg[1], out, "")
        k = _skip_spaces(s, arg[2], end)
        if k < end and s[k] in "_^":
            label = read_arg(s, k + 1, end)
            return label[2] if label else k + 1
        return arg[2]

    def _expand(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        r"""A macro the document defines (``\ceil{224/2}``): its body with the arguments put in,
        read as math; its tokens stand where the call is."""
        count, body = self.macros[cmd]
        s = self.s
        args = []
        for _ in range(count):
            arg = read_arg(s, j, end)
            if arg is None:
                out.append(Tok("UNK", start, j, "\\" + cmd))
                return j
            args.append(s[arg[0] : arg[1]])
            j = arg[2]
        expanded = re.sub(r"#(\d)", lambda m: args[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= count else "",
                          body)
        self.expansion[0] -= len(expanded)
        if self.depth >= MAX_MACRO_DEPTH or len(expanded) > MAX_EXPANSION or self.expansion[0] < 0:
            out.append(Tok("UNK", start, j, "\\" + cmd))
            return j
        inner = Lexer(expanded, decimal_comma=self.decimal_comma, latex=self.latex, macros=self.macros,
                      depth=self.depth + 1)
        inner.expansion = self.expansion
        for t in inner.math(0, len(expanded)):
            t.start, t.end = start, j
            out.append(t)
        return j

    def _font(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        r"""``\mathrm{floor}`` is a function, ``\mathrm{Params}`` a name, ``\text{ weights}`` prose;
        ``\mathbf{W}`` and ``\mathbf{34{,}944}`` are what they hold."""
        s = self.s
        arg = read_arg(s, j, end)
        if arg is None:
            out.append(Tok("UNK", start, j, "\\" + cmd))
            return j
        content = s[arg[0] : arg[1]]
        word = content.strip()
        if word.lower() in FUNCTIONS:
            out.append(Tok("FUNC", start, arg[2], FUNCTIONS[word.lower()]))
            return arg[2]
        if cmd in TEXT_CMDS:
            if not word:
                return arg[2]
            if re.fullmatch(r"[\d,.{}\\ ]+", word) and word[0].isdigit():
                lit, k = read_number(s, arg[0] + (len(content) - len(content.lstrip())),
                                     decimal_comma=self.decimal_comma, end=arg[1])
                out.append(Tok("NUM", start, arg[2], lit))
                return arg[2]
            out.append(Tok("WORD", start, arg[2], word))
            return arg[2]
        if re.fullmatch(r"[A-Za-z]{2,}", word):
            out.append(Tok("NAME", start, arg[2], word))
            return self._name_tail(out, arg[2], end)
        # \mathbf{W}, \mathrm{d}, \boldsymbol{\alpha}, \mathbf{34{,}944}: read what it holds
        sub: list[Tok] = []
        self._math(arg[0], arg[1], sub, "")
        if len(sub) == 1 and sub[0].kind == "NAME":
            sub[0].start, sub[0].end = start, arg[2]
            out.append(sub[0])
            return self._name_tail(out, arg[2], end)
        out.append(Tok("LBRACE", start, arg[0]))
        out.extend(sub)
        out.append(Tok("RBRACE", arg[1], arg[2]))
        return arg[2]

    def _name_tail(self, out: list[Tok], i: int, end: int) -> int:
        """A subscript or primes after a name written with a font command (``\\mathbf{W}_c``)."""
        s = self.s
        if i < end and s[i] in "_'":
            name = out.pop()
            tail: list[Tok] = []
            j = self._name(name.value, name.start, i, end, tail)
            out.append(tail[0])
            return j
        return i

    def _skip_first(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        r"""``\textcolor{red}{x}`` is x; ``\overset{\text{def}}{=}`` is ``=``."""
        s = self.s
        first = read_arg(s, j, end)
        if first is None:
            return j
        second = read_arg(s, first[2], end)
        if second is None:
            return first[2]
        if cmd in ("overset", "stackrel", "underset"):
            inner = s[second[0] : second[1]].strip()
            if inner in ("=", "\\approx", "\\simeq", "\\sim"):
                out.append(Tok("REL", start, second[2], "=" if inner == "=" else "~"))
                return second[2]
        if cmd == "href":
            return second[2]
        self._math(second[0], second[1], out, "")
        return second[2]

    def _siunitx(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        s = self.s
        arg = read_arg(s, j, end)
        if arg is None:
            return j
        content = s[arg[0] : arg[1]].strip()
        k = arg[0] + (len(s[arg[0] : arg[1]]) - len(s[arg[0] : arg[1]].lstrip()))
        if not content or not (content[0].isdigit() or content[0] == "."):
            out.append(Tok("UNK", start, arg[2], "\\" + cmd))
            return arg[2]
        lit, stop = read_number(s, k, decimal_comma=self.decimal_comma, end=arg[1])
        if s[stop : arg[1]].strip():
            out.append(Tok("UNK", start, arg[2], "\\" + cmd))
            return arg[2]
        after = arg[2]
        if cmd != "num" and (unit := read_arg(s, arg[2], end)) is not None:
            after = unit[2]
            lit = self._siunitx_unit(lit, s[unit[0] : unit[1]], s[start:after])
        out.append(Tok("NUM", start, after, lit))
        return after

    @staticmethod
    def _siunitx_unit(lit: Literal, written: str, text: str) -> Literal:
        r"""``lit`` in the unit of ``\SI``'s second argument ``written`` (``\mega\byte``, ``MB``);
        ``text`` is the whole quantity as written."""
        for name, factor in _SCALE_CMDS.items():
            if "\\" + name in written:
                lit = lit.scaled(factor, None, text)
        binary = next((f for name, f in _BINARY_CMDS.items() if "\\" + name in written), None)
        if binary is not None:
            lit = lit.scaled(binary, None, text)
        dim = next((d for name, d in _UNIT_CMDS.items() if "\\" + name in written), None)
        if dim is None and (plain := unit_of(written)) is not None:
            lit, dim = lit.with_unit(plain[0], plain[1], plain[2], text), None  # \SI{12}{MB}
        if dim is not None:
            lit = lit.with_unit(Fraction(1), dim, None, text)
        return lit

    def _environment(self, which: str, start: int, j: int, end: int, out: list[Tok], env_modes: list[str]) -> int:
        s = self.s
        arg = read_arg(s, j, end)
        if arg is None:
            return j
        name = s[arg[0] : arg[1]].strip().rstrip("*")
        after = arg[2]
        if which == "end":
            if (name in INNER_ENVS or name in MATH_ENVS) and env_modes:
                env_modes.pop()
            return after
        if name in INNER_ENVS or name in MATH_ENVS:
            env_modes.append(INNER_ENVS.get(name, MATH_ENVS.get(name, "")))
            if name in ("alignedat", "alignat", "xalignat"):
                extra = read_arg(s, after, end)
                after = extra[2] if extra else after
            return after
        # matrices, cases, arrays: read as one opaque thing up to the matching \end
        depth, k = 1, after
        pattern = re.compile(r"\\(begin|end)\{" + re.escape(name) + r"\*?\}")
        while depth and (m := pattern.search(s, k, end)) is not None:
            depth += 1 if m.group(1) == "begin" else -1
            k = m.end()
        stop = k if depth == 0 else end
        out.append(Tok("UNK", start, stop, name))
        return stop

    # -- prose ----------------------------------------------------------------

    def text(self, start: int, end: int, *, line_start: bool) -> list[Tok]:
        out: list[Tok] = []
        self._text(start, end, out, line_start)
        return out

    def _text(self, i: int, end: int, out: list[Tok], at_line_start: bool) -> None:
        s = self.s
        append = out.append
        latex = self.latex
        while i < end:
            if at_line_start:
                i = self._line_prefix(i, end)
                at_line_start = False
                continue
            c = s[i]
            if c == "\n":
                append(Tok("NL", i, i + 1))
                i += 1
                at_line_start = True
                continue
            if c in " \t\r\f\u00a0\u2009\u202f" or (latex and c == "~"):
                i += 1
                continue
            if "0" <= c <= "9" or (c == "." and i + 1 < end and "0" <= s[i + 1] <= "9"):
                lit, j = read_number(s, i, decimal_comma=self.decimal_comma, text_mode=True,
                                     end=_cell_end(s, i, end, out))
                append(Tok("NUM", i, j, lit))
                i = j
                continue
            if c.isascii() and c.isalpha():
                i = self._text_word(i, end, out)
                continue
            if c == "\\":
                i = self._text_command(i, end, out)
                continue
            i = self._text_char(c, i, end, out)

    _LIST_MARKER = re.compile(
        r"[ \t]*(?:>[ \t]?)*[ \t]*(?:[-+*][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+)?"
    )

    def _line_prefix(self, i: int, end: int) -> int:
        """Skip a line's indentation, quote marks, list marker or heading marker (Markdown)."""
        if self.latex:
            return _skip_spaces(self.s, i, end) if i < end and self.s[i] != "\n" else i
        m = self._LIST_MARKER.match(self.s, i, end)
        return m.end() if m and m.end() > i else i

    def _text_word(self, i: int, end: int, out: list[Tok]) -> int:
        """What starts with a Latin letter in prose: an operator (``5x5``, ``10 divided by 2``), an
        abbreviation, a name, a unit, a function or a word. The readings of
        :data:`_WORD_READINGS` are tried in order, then those of :data:`_IDENT_READINGS` on the
        identifier or word there; the first that applies says where it ends."""
        for reading in _WORD_READINGS:
            if (j := reading(self, i, end, out)) is not None:
                return j
        m = _TEXT_IDENT.match(self.s, i, end)
        assert m is not None
        for ident_reading in _IDENT_READINGS:
            if (j := ident_reading(self, m, end, out)) is not None:
                return j
        out.append(Tok("WORD", i, m.end(), m.group(0)))
        return m.end()

    # Readings of a letter in prose (_WORD_READINGS): each takes where it is, the end of the
    # prose and the tokens so far, and returns where what it read ends, or None where it
    # does not apply.

    def _word_x_product(self, i: int, end: int, out: list[Tok]) -> int | None:
        """An x alone between operands multiplies: 5x5, 3 x (4 + 1), K x C."""
        s = self.s
        if s[i] not in "xX" or not out or out[-1].kind not in OPERAND_END or (i + 1 < end and s[i + 1].isalpha()):
            return None
        spaced = s[i - 1 : i] in (" ", "\t") and s[i + 1 : i + 2] in (" ", "\t")
        if (out[-1].kind in ("NUM", "RPAR") and self._digit_or_paren_next(i + 1, end)) or (
                spaced and self._operand_next(i + 1, end)):
            out.append(Tok("TIMES", i, i + 1))
            return i + 1
        return None

    def _word_operator(self, i: int, end: int, out: list[Tok]) -> int | None:
        """A word for an operation between two numbers: 10 divided by 2, 3 times 4, 227 minus 11,
        7 by 7 by 512, 50% of 10 (of: after a percentage only)."""
        if not out or out[-1].kind not in ("NUM", "RPAR"):
            return None
        op = _WORD_OPERATOR.match(self.s, i, end)
        if op is None or not self._digit_or_paren_next(op.end(), end):
            return None
        word = op.group(1).lower()
        if word == "of" and not str(out[-1].value.text if out[-1].kind == "NUM" else "").endswith("%"):
            return None
        out.append(Tok(_WORD_OPERATORS[word], i, op.end()))
        return op.end()

    def _word_times_suffix(self, i: int, end: int, out: list[Tok]) -> int | None:
        """16.9x more, 5x fewer: the number of times, no operator."""
        return i + 1 if self.s[i] in "xX" and self._times_suffix(out, i, end) else None

    def _word_x_goes_on(self, i: int, end: int, out: list[Tok]) -> int | None:
        """``20,647,936 values, x 4 bytes = ...``: an x after a word or comma, before a number,
        goes on from the value."""
        s = self.s
        if s[i] in "xX" and (not out or out[-1].kind in ("COMMA", "WORD", "CUT")) and s[i + 1 : i + 2] == " " \
                and "0" <= s[i + 2 : i + 3] <= "9":
            out.append(Tok("TIMES", i, i + 1))
            return i + 1
        return None

    def _word_abbreviation(self, i: int, end: int, out: list[Tok]) -> int | None:
        """i.e., e.g., d.h.: one word, its points no ends of sentences."""
        if (abbreviation := _ABBREVIATION.match(self.s, i, end)) is None:
            return None
        out.append(Tok("WORD", i, abbreviation.end(), abbreviation.group(0)))
        return abbreviation.end()

    # Readings of an identifier or word of prose (_IDENT_READINGS): each takes its match of
    # _TEXT_IDENT, the end of the prose and the tokens so far, and returns where what it read
    # ends, or None where it does not apply.

    def _ident_subscripted(self, m: re.Match[str], end: int, out: list[Tok]) -> int | None:
        """A name with a subscript or primes: ``W_c``, ``F_{-1}``, ``O'``."""
        if not m.group("ident"):
            return None
        word = m.group(0)
        base, _, sub = word.partition("_")
        primes = ""
        while sub.endswith("'"):
            sub, primes = sub[:-1], primes + "'"
        if not sub:
            base, primes = base.rstrip("'"), word[len(base.rstrip("'")) :]
        name = base + (f"_{canonical_sub(sub)}" if sub else "") + primes
        out.append(Tok("NAME", m.start(), m.end(), name))
        return m.end()

    def _ident_unit(self, m: re.Match[str], end: int, out: list[Tok]) -> int | None:
        """1,250 img/s, 40 s, 4.2 ms: right after a number, what it counts, no name."""
        s, i, j = self.s, m.start(), m.end()
        if not out or out[-1].kind != "NUM" or i - out[-1].end > 1:
            return None
        rate = _RATE_UNIT.match(s, i, end)
        if rate is None and m.group(0) not in _TIME_UNITS:
            return None
        stop = rate.end() if rate is not None else j
        if stop == j or not (stop < end and s[stop].isalnum()):
            out.append(Tok("WORD", i, stop, s[i:stop]))
            return stop
        return None

    def _ident_article(self, m: re.Match[str], end: int, out: list[Tok]) -> int | None:
        """The article, the pronoun: "a 1:2 ratio", "I think"."""
        s, j, word = self.s, m.end(), m.group(0)
        if word in ("a", "A", "I") and j < end and s[j] == " " and s[j + 1 : j + 2].isalnum():
            out.append(Tok("WORD", m.start(), j, word))
            return j
        return None

    def _ident_name(self, m: re.Match[str], end: int, out: list[Tok]) -> int | None:
        """A name: one letter, a letter and up to three digits (``C3``), or words joined by
        underscores (``conv1_weights``)."""
        word = m.group(0)
        if m.group("multi") or len(word) == 1 or re.fullmatch(r"[A-Za-z]\d{1,3}", word):
            out.append(Tok("NAME", m.start(), m.end(), word))
            return m.end()
        return None

    def _ident_function(self, m: re.Match[str], end: int, out: list[Tok]) -> int | None:
        """``max(``, ``floor (``: a function."""
        s, j, word = self.s, m.end(), m.group(0)
        if word.lower() in FUNCTIONS and j < end and s[_skip_spaces(s, j, end)] == "(":
            out.append(Tok("FUNC", m.start(), j, FUNCTIONS[word.lower()]))
            return j
        return None

    def _text_command(self, i: int, end: int, out: list[Tok]) -> int:
        r"""A backslash in prose: a Markdown escape, or a command read by its entry of
        :data:`_PROSE_COMMANDS` (any other ends the statement); where it ends."""
        m = _CMD.match(self.s, i, end)
        if m is None:
            return i + 1
        cmd, j = m.group(1), m.end()
        if not self.latex and not cmd[0].isalpha():
            # a Markdown escape: the character itself, as prose (``28\%``: a percentage)
            if cmd == "%":
                return self._prose_percent(cmd, i, j, end, out)
            if cmd in "*_#|[]()`{}+-.!<>~" and cmd not in "_#`":
                return self._text_char(cmd, i + 1, end, out, escaped=True)
            return j
        handler = _PROSE_COMMANDS.get(cmd)
        if handler is not None:
            return handler(self, cmd, i, j, end, out)
        out.append(Tok("CUT", i, j, "\\" + cmd))
        return j

    # Each command of prose is read by one of these (the table is _PROSE_COMMANDS): they take
    # the command, where it starts, where its name ends, the end of the prose and the tokens so
    # far, and return where the command ends.

    def _prose_percent(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        r"""``25\%``: the number before is a percentage; elsewhere the statement ends."""
        if not self._percent(out, j):
            out.append(Tok("CUT", start, j, "%"))
        return j

    def _prose_heading(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        r"""``\section*{...}``, ``\emph{...}``, ``\boxed{...}``: the text they hold is read as prose."""
        k = _skip_spaces(self.s, j, end)
        return k + 1 if k < end and self.s[k] == "*" else k

    def _prose_math(self, cmd: str, start: int, j: int, end: int, out: list[Tok]) -> int:
        r"""Math written in prose (a Markdown note without dollars: ``3 \times 3``): read as math,
        but anything the math reader does not know ends the statement."""
        found: list[Tok] = []
        k = self._math_command(cmd, start, j, end, found, _MathState("", line_start=False))
        if any(t.kind == "UNK" for t in found):
            out.append(Tok("CUT", start, j, "\\" + cmd))
            return j
        out.extend(found)
        return k

    def _text_char(self, c: str, i: int, end: int, out: list[Tok], *, escaped: bool = False) -> int:
        """Any other character of prose (``escaped``: written after a backslash in Markdown), read
        by its entry of :data:`_PROSE_CHARS`, else as a letter of another script or the end of a
        statement; where it ends."""
        handler = _PROSE_CHARS.get(c)
        if handler is not None:
            return handler(self, c, i, end, out, escaped)
        return self._prose_other(c, i, end, out)

    def _prose_other(self, c: str, i: int, end: int, out: list[Tok]) -> int:
        """A unicode operator or Greek letter, a word of another script, else the end of a statement."""
        if (shared := self._shared_char(c, i, end, out)) is not None:
            return shared
        if c.isalpha():
            m = _TEXT_WORD.match(self.s, i, end)
            j = m.end() if m else i + 1
            out.append(Tok("WORD", i, j, self.s[i:j]))
            return j
        out.append(Tok("CUT", i, i + 1, c))
        return i + 1

    # Each character of prose with a meaning of its own is read by one of these (the table is
    # _PROSE_CHARS): they take the character, where it is, the end of the prose, the tokens so
    # far and whether it was escaped, and return where it ends.

    def _prose_currency(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """A price: $48 is 48 (dollars)."""
        if i + 1 < end and "0" <= self.s[i + 1] <= "9" and not (out and out[-1].kind in OPERAND_END):
            return i + 1
        return self._prose_other(c, i, end, out)

    def _prose_star(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """``*`` multiplies between operands, ``**`` is a power after a number and before a digit;
        any other run of stars is emphasis."""
        s = self.s
        prev = out[-1].kind if out else None
        if not escaped and s.startswith("**", i):
            if prev in ("NUM", "RPAR") and i + 2 < end and ("0" <= s[i + 2] <= "9" or s[i + 2] == "("):
                out.append(Tok("POW", i, i + 2))
                return i + 2
            k = i
            while k < end and s[k] == "*":
                k += 1
            return k  # emphasis
        if prev in OPERAND_END and self._operand_next(i + 1, end):
            out.append(Tok("TIMES", i, i + 1))
        return i + 1

    def _prose_underscore(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """A run of underscores: emphasis."""
        k = i
        while k < end and self.s[k] == "_":
            k += 1
        return k

    def _prose_tilde(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """``~=`` and ``~`` between operands are about equal; ``~~`` strikes out; ``1~5`` is a range."""
        s = self.s
        if escaped:
            return self._prose_other(c, i, end, out)
        if s.startswith("~~", i):
            return i + 2
        if s.startswith("~=", i):
            out.append(Tok("REL", i, i + 2, "~"))
            return i + 2
        if out and out[-1].kind in OPERAND_END and self._operand_next(i + 1, end) and not _range_tilde(s, i, end):
            out.append(Tok("REL", i, i + 1, "~"))
        return i + 1

    def _prose_relation(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """``=`` and ``:`` (see :meth:`_equals`)."""
        return self._equals(c, i, end, out, prose=True)

    def _prose_bang(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """``!=`` is not equal; ``!`` right after a number or bracket is a factorial."""
        if self.s.startswith("!=", i):
            out.append(Tok("CUT", i, i + 2, "!="))
            return i + 2
        if out and out[-1].kind in ("NUM", "RPAR") and out[-1].end == i:
            out.append(Tok("BANG", i, i + 1))
        else:
            out.append(Tok("CUT", i, i + 1, "!"))
        return i + 1

    def _prose_minus(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """``-`` subtracts; ``->`` is an arrow."""
        if self.s.startswith("->", i):
            out.append(Tok("CUT", i, i + 2, "->"))
            return i + 2
        out.append(Tok("MINUS", i, i + 1))
        return i + 1

    def _prose_slash(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """``/`` divides, except after a number before a unit: $2.10/hr, 30/s, 6.8 FLOPs / byte
        say per what, no division."""
        if out and out[-1].kind == "NUM" and (rate := self._per_unit(out[-1], i, end)) is not None:
            out.append(Tok("WORD", i, rate, self.s[i:rate]))
            return rate
        return self._prose_single(c, i, end, out, escaped)

    def _prose_single(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """A character that is one token (:data:`_PROSE_SINGLE`)."""
        kind = _PROSE_SINGLE[c]
        out.append(Tok(kind, i, i + 1, c if kind == "CUT" else None))
        return i + 1

    def _prose_brace(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """LaTeX prose groups with braces; Markdown writes them as math."""
        if not self.latex:
            out.append(Tok("LBRACE" if c == "{" else "RBRACE", i, i + 1))
        return i + 1

    def _prose_open(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """An opening bracket; after an operand and a space, a remark (3% (4,097,000 / ...)) rather
        than a product, unless it is closed right before a relation."""
        s = self.s
        if out and out[-1].kind in OPERAND_END and i > 0 and s[i - 1] in " \t" \
                and not _product_before_relation(s, i, end, out):
            out.append(Tok("CUT", i, i, "("))
        out.append(Tok("LPAR", i, i + 1))
        return i + 1

    def _prose_ampersand(self, c: str, i: int, end: int, out: list[Tok], escaped: bool) -> int:
        """An HTML entity in Markdown (``&times;``, ``&nbsp;``); else the end of a statement."""
        if not self.latex and (m := _ENTITY.match(self.s, i, end)) is not None:
            kind = _ENTITIES.get(m.group(1).lower(), "CUT")
            if kind == "SPACE":
                return m.end()
            if kind.startswith("REL"):
                out.append(Tok("REL", i, m.end(), kind[3:]))
            elif kind == "SUP2":
                out.append(Tok("POW", i, i))
                out.append(Tok("NUM", i, m.end(), read_number("2", 0)[0]))
            else:
                out.append(Tok(kind, i, m.end(), m.group(0) if kind == "CUT" else None))
            return m.end()
        out.append(Tok("CUT", i, i + 1, "&"))
        return i + 1

    def _per_unit(self, num: Tok, i: int, end: int) -> int | None:
        """Where a unit "per" what ends, after the number ``num`` (``30/s``; spaced after a
        number with a unit: ``6.8 FLOPs / byte``), else None."""
        s = self.s
        spaced = num.value.unit is not None and s[i - 1 : i] == " " and s[i + 1 : i + 2] == " "
        if num.end != i and not spaced:
            return None
        rate = _PER_UNIT.match(s, i + 1 + spaced, end)
        return None if rate is None else rate.end()

    def _times_suffix(self, out: list[Tok], i: int, end: int) -> bool:
        """``16.9x``, ``5×``: a number of times, the x right after the number and nothing
        after it that it could multiply."""
        s = self.s
        if not out or out[-1].kind != "NUM" or out[-1].end != i:
            return False
        if i + 1 < end and (s[i + 1].isalnum() or s[i + 1] in "_(["):
            return False
        k = _skip_spaces(s, i + 1, end)
        if k >= end:
            return True
        if s[k] == "." and k + 1 < end and "0" <= s[k + 1] <= "9":
            return False
        # not before what it could multiply or a relation (2x = 4 is algebra)
        return not ("0" <= s[k] <= "9" or s[k] in "([\\=≈~" or (s[k].isalpha() and not (
            k + 1 < end and s[k + 1].isalpha())))

    def _operand_next(self, i: int, end: int) -> bool:
        s = self.s
        i = _skip_spaces(s, i, end)
        return i < end and (s[i].isalnum() or s[i] in "([.\\" or s[i] in _UNICODE_GREEK)


#: reads one command or character (the methods named in the tables below); returns where it ends
_Handler = Callable[..., int]


def _emit(kind: str, value: str | None = None, *, named: bool = False) -> _Handler:
    """A command that is one token of ``kind`` (``\\times``: TIMES), its value ``value`` or, when
    ``named``, the command (``\\max``: FUNC max)."""
    def emit(lexer: Lexer, cmd: str, start: int, j: int, end: int, out: list[Tok], *_: object) -> int:
        out.append(Tok(kind, start, j, cmd if named else value))
        return j
    return emit


def _skip(lexer: Lexer, cmd: str, start: int, j: int, *_: object) -> int:
    """A command that is nothing to read (spacing, sizes, styles)."""
    return j


def _table(*entries: tuple[Iterable[str], _Handler]) -> dict[str, _Handler]:
    """Commands to their handlers; a command in two entries is read by the first."""
    table: dict[str, _Handler] = {}
    for names, handler in entries:
        for name in names:
            table.setdefault(name, handler)
    return table


#: how each command of math is read, the first entry naming it first
_MATH_COMMANDS = _table(
    (TIMES_CMDS, _emit("TIMES")),
    (("div", "slash"), _emit("DIV")),
    (APPROX_CMDS, _emit("REL", "~")),
    (DEFINE_CMDS, _emit("REL", "=")),
    (("quad", "qquad"), Lexer._cmd_quad),
    (CUT_CMDS, Lexer._cmd_cut),
    (SPACE_CMDS, _skip),
    (("left", "right"), Lexer._cmd_delimiter),
    (SKIP_ARG_CMDS, Lexer._cmd_skip_arg),
    (FRAC_CMDS | BINOM_CMDS, Lexer._cmd_two_args),
    (("sqrt",), Lexer._cmd_sqrt),
    (("lfloor", "rfloor", "lceil", "rceil"), Lexer._cmd_floor_ceil),
    (("vert", "lvert", "rvert"), _emit("BAR", named=True)),
    (("{", "lbrace", "lbrack"), _emit("LPAR")),
    (("}", "rbrace", "rbrack"), _emit("RPAR")),
    (("max", "min"), _emit("FUNC", named=True)),
    (GREEK, Lexer._cmd_greek),
    (ACCENT_CMDS, Lexer._cmd_accent),
    (("%",), Lexer._cmd_percent),
    (("&",), _emit("CUT", "\\&")),
    (("begin", "end"), Lexer._cmd_environment),
    (("num", "SI", "qty"), Lexer._cmd_siunitx),
    (FONT_CMDS | TEXT_CMDS, Lexer._cmd_font),
    (TRANSPARENT_CMDS, Lexer._cmd_transparent),
    (SKIP_FIRST_CMDS, Lexer._cmd_skip_first),
    (("underbrace", "overbrace"), Lexer._cmd_brace_label),
    (("$",), _skip),
)
#: commands read the same with a star (``\begin*`` is never written, ``\tag*{}`` is)
_STARRED_COMMANDS = _table(
    (SKIP_ARG_CMDS, Lexer._cmd_skip_arg),
    (("begin", "end"), Lexer._cmd_environment),
    (SKIP_FIRST_CMDS, Lexer._cmd_skip_first),
)


#: scripts written without spaces between words (Han, kana, Hangul): a digit after one of their
#: letters starts a number ("约6,238万", "是138,357,544"), never goes on with the word
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
_WORD_GOES_ON = r"(?:[^\W\d_]|(?<![" + _CJK + r"])\d)"  # a letter, or a digit not after CJK: one way to match each
_TEXT_IDENT = re.compile(
    r"(?P<ident>[A-Za-z](?:_\{[^{}\n]{1,30}\}|_-?[A-Za-z0-9]+)'*(?![A-Za-z0-9_])|[A-Za-z]'+(?![A-Za-z0-9_'’]))"
    r"|(?P<multi>[A-Za-z][A-Za-z0-9]{0,40}(?:_[A-Za-z0-9]{1,40}){1,8}(?![A-Za-z0-9]))"
    r"|[^\W\d_](?:" + _WORD_GOES_ON + r"|-(?=[^\W_])){0,200}(?:['’](?:s|t|re|ve|ll|d|m)(?![A-Za-z]))?"  # that's, don't
)
_PROSE_MATH = (
    TIMES_CMDS | APPROX_CMDS | DEFINE_CMDS | FRAC_CMDS | BINOM_CMDS | GREEK | FONT_CMDS
    | {"sqrt", "div", "lfloor", "rfloor", "lceil", "rceil", "left", "right", "max", "min", "vert", "lvert", "rvert",
       "boxed", "mathbf", "bigl", "bigr", "Bigl", "Bigr", "num"}
)
#: words for operations between two numbers
_WORD_OPERATOR = re.compile(r"(divided by|multiplied by|times|plus|minus|by|of|mal|durch|geteilt durch)(?![A-Za-z])",
                            re.I)
_WORD_OPERATORS = {"divided by": "DIV", "multiplied by": "TIMES", "times": "TIMES", "plus": "PLUS", "minus": "MINUS",
                   "by": "TIMES", "of": "TIMES", "mal": "TIMES", "durch": "DIV", "geteilt durch": "DIV"}
#: what comes after a number as a unit of time or a rate, not as a name
_TIME_UNITS = {"s", "ms", "us", "µs", "ns", "sec", "secs", "min", "mins", "h", "hr", "hrs", "d"}
_RATE_UNIT = re.compile(r"[A-Za-z]{1,12}/(?:[A-Za-z]{1,8})(?![A-Za-z0-9(])")
_PER_UNIT = re.compile(r"(?:[A-Za-z]{2,12}|[hsd])(?![A-Za-z0-9(])")
#: characters of math that are one token each ((10^9)!=3 in LaTeX is a factorial, then =;
#: \neq is not equal)
_MATH_SINGLE = {"+": "PLUS", "-": "MINUS", "*": "TIMES", "/": "DIV", "!": "BANG", "(": "LPAR", "[": "LPAR",
                ")": "RPAR", "]": "RPAR", "|": "BAR", ",": "COMMA", ";": "CUT", "<": "CUT", ">": "CUT", ".": "CUT"}
#: characters of prose that are one token each
_PROSE_SINGLE = {"<": "CUT", "+": "PLUS", "/": "DIV", "^": "POW", ")": "RPAR", "]": "RPAR", ",": "COMMA"}
_ABBREVIATION = re.compile(r"(?:i\.\s?e|e\.\s?g|d\.\s?h|z\.\s?B|u\.\s?a|bzw|ca|approx|resp)\.(?!\w)", re.I)
#: (words and numbers are read in pieces of bounded length: a regular expression's memory
#: grows with what one repetition matches)
_TEXT_WORD = re.compile(
    r"[^\W\d_](?:" + _WORD_GOES_ON + r"|-(?=[^\W_])){0,200}(?:['’](?:s|t|re|ve|ll|d|m)(?![A-Za-z]))?")
_ENTITY = re.compile(r"&(#?[A-Za-z0-9]+);")
_ENTITIES = {
    "times": "TIMES", "middot": "TIMES", "sdot": "TIMES", "minus": "MINUS", "divide": "DIV", "asymp": "REL~",
    "approx": "REL~", "sim": "REL~", "nbsp": "SPACE", "thinsp": "SPACE", "ensp": "SPACE", "emsp": "SPACE",
    "#8201": "SPACE", "#160": "SPACE", "#8239": "SPACE", "sup2": "SUP2", "lfloor": "LFLOOR", "rfloor": "RFLOOR",
    "lceil": "LCEIL", "rceil": "RCEIL", "equals": "REL=",
}

#: how each command of prose is read, the first entry naming it first
_PROSE_COMMANDS = _table(
    (("\\", "newline", "cr", "par"), _emit("NL")),
    (("item",), _emit("CUT")),
    ((",", " ", ";", ":", "!", "enspace", "thinspace", "quad", "qquad", "noindent", "centering"), _skip),
    (TIMES_CMDS, _emit("TIMES")),
    (("div",), _emit("DIV")),
    (APPROX_CMDS, _emit("REL", "~")),
    (DEFINE_CMDS, _emit("REL", "=")),
    (("%",), Lexer._prose_percent),
    (TRANSPARENT_CMDS | {"section", "subsection", "subsubsection", "paragraph", "caption", "footnote", "chapter",
                         "title", "emph", "underline"}, Lexer._prose_heading),
    (("{",), _emit("LPAR")),
    (("}",), _emit("RPAR")),
    (_PROSE_MATH, Lexer._prose_math),
)
#: how each character of prose with a meaning of its own is read
_PROSE_CHARS = _table(
    ("$€£¥₩", Lexer._prose_currency),
    ("*", Lexer._prose_star),
    ("_", Lexer._prose_underscore),
    ("~", Lexer._prose_tilde),
    ("=:", Lexer._prose_relation),
    ("!", Lexer._prose_bang),
    ("-", Lexer._prose_minus),
    ("/", Lexer._prose_slash),
    (_PROSE_SINGLE, Lexer._prose_single),
    ("{}", Lexer._prose_brace),
    ("([", Lexer._prose_open),
    ("&", Lexer._prose_ampersand),
)
#: how a Latin letter of prose is read, tried in order (see Lexer._text_word)
_WORD_READINGS = (Lexer._word_x_product, Lexer._word_operator, Lexer._word_times_suffix, Lexer._word_x_goes_on,
                  Lexer._word_abbreviation)
#: how the identifier or word there is read, tried in order; else it is a word
_IDENT_READINGS = (Lexer._ident_subscripted, Lexer._ident_unit, Lexer._ident_article, Lexer._ident_name,
                   Lexer._ident_function)

__all__ = ["Tok", "Lexer", "canonical_sub", "read_arg", "GREEK", "OPERAND_END"]


def _cell_end(s: str, i: int, end: int, out: list[Tok]) -> int:
    """Where a number glued to an operator before it may end: at a plain space before more
    digits (``6x2 120x(...)`` in a row of cells is 2, then 120; ``2 120`` alone may be 2,120)."""
    if not out or out[-1].kind not in ("TIMES", "PLUS", "MINUS", "DIV") or out[-1].end != i:
        return end
    k = i
    while k < end and k - i < 4 and "0" <= s[k] <= "9":
        k += 1
    return k if k + 1 < end and s[k] == " " and "0" <= s[k + 1] <= "9" else end


def _range_tilde(s: str, i: int, end: int) -> bool:
    """``1~5``: a tilde between two whole numbers, without spaces, is a range (of maps, layers,
    columns), not an approximation."""
    if not (i > 0 and s[i - 1].isdigit() and i + 1 < end and s[i + 1].isdigit()):
        return False
    k = i - 1
    while k > 0 and i - k < 12 and s[k - 1].isdigit():
        k -= 1
    before = s[max(0, k - 3) : k].rstrip()[-1:]
    return before not in "*×x/+-^().," or before == ""


def _product_before_relation(s: str, i: int, end: int, out: list[Tok]) -> bool:
    """``16 (3 * 3 * 8 + 1) = 1,168``: a bracket of arithmetic after a plain number, closed
    right before a relation, multiplies it (where a remark would not be followed by ``=``)."""
    if not out or out[-1].kind != "NUM" or out[-1].value.scale != 1:
        return False
    depth, k = 0, i
    while k < min(end, i + 200):
        depth += {"(": 1, ")": -1}.get(s[k], 0)
        if depth == 0:
            break
        if s[k].isalpha() and s[k] not in "xX×":
            return False
        k += 1
    if depth != 0:
        return False
    after = _skip_spaces(s, k + 1, end)
    return after < end and s[after] in "=≈"
