"""Turning one side of an equation into an exact value."""

from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction

from .statements import _COMMAND, _NOISE, _SEP, _TEXT_CMDS, _group_end

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

