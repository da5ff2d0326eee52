r"""Reading one side of an equation and computing its exact value.

A side's tokens (:mod:`.tokens`) are parsed by an LALR grammar of our own, written for
lark (a maintained parser, already a dependency), into a small tree of tuples; the tree
is then evaluated with exact fractions. Nothing is ever passed to ``eval`` or
``sympify``. A tree depends only on the kinds of the tokens, so it is built once per shape
of side (``NUM TIMES NUM TIMES NUM`` ...) and reused.

The grammar reads ``+ - * / ^ !``, implicit products (``2P``, ``K^{2}CN``, ``K(K-1)``),
``\frac``, ``\binom``, ``\sqrt`` (exact roots only), floor, ceiling, absolute value,
``max``/``min``, brackets of every kind and signs. Some sides are read but not
evaluated because people read them differently: ``a/bc`` (``a/(bc)`` or ``(a/b)c``?), a
number right after another one (``2 3``, ``2^10`` in LaTeX, which is ``2^1 0``), and
``2\frac{1}{2}`` (a mixed number, or a product?).

Limits: a side of more than :data:`MAX_SIDE_TOKENS` tokens is not read; a value whose
numerator or denominator needs more than :data:`MAX_BITS` bits is too large to compute
(and so are factorials past :data:`MAX_FACTORIAL`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from .literals import isqrt_exact
from .tokens import Tok

MAX_SIDE_TOKENS = 2_000
MAX_BITS = 100_000
MAX_FACTORIAL = 2_000

_GRAMMAR = r"""
start: sum
sum: product ((PLUS | MINUS) product)*
product: unary ((TIMES | DIV) unary | power)*
?unary: power
      | MINUS unary -> neg
      | PLUS unary -> pos
?power: postfix
      | postfix POW exponent -> pow
?exponent: power
         | MINUS exponent -> neg
         | PLUS exponent -> pos
?postfix: atom
        | postfix BANG -> fact
?atom: NUM -> num
     | NAME -> name
     | LPAR sum RPAR -> paren
     | LBRACE sum RBRACE -> brace
     | FRAC arg arg -> frac
     | BINOM arg arg -> binom
     | SQRT arg -> sqrt
     | SQRT LBRACK sum RBRACK arg -> root
     | LFLOOR sum RFLOOR -> floor
     | LCEIL sum RCEIL -> ceil
     | ABSL sum ABSR -> abs
     | FUNC LPAR sum (COMMA sum)* RPAR -> func
?arg: LBRACE sum RBRACE -> brace
    | NUM -> num
    | NAME -> name
%declare PLUS MINUS TIMES DIV POW BANG NUM NAME LPAR RPAR LBRACE RBRACE LBRACK RBRACK FRAC BINOM SQRT
%declare LFLOOR RFLOOR LCEIL RCEIL ABSL ABSR FUNC COMMA
"""
KINDS = {
    "PLUS", "MINUS", "TIMES", "DIV", "POW", "BANG", "NUM", "NAME", "LPAR", "RPAR", "LBRACE", "RBRACE", "LBRACK",
    "RBRACK", "FRAC", "BINOM", "SQRT", "LFLOOR", "RFLOOR", "LCEIL", "RCEIL", "ABSL", "ABSR", "FUNC", "COMMA",
}


class Unevaluable(Exception):
    """A side that has no value here; ``reason`` is one of the keys of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


#: Why a side could not be evaluated, as shown in reports.
REASONS = {
    "unknown": "unknown names",
    "unsupported": "not arithmetic the checker reads",
    "unreadable": "cannot be read as arithmetic",
    "ambiguous": "ambiguous as written",
    "too large": "numbers too large to compute",
    "too long": "longer than the checker reads",
    "division by zero": "division by zero",
    "irrational": "not a rational number",
    "not a value": "a name without a number",
    "budget": "the document's budget for checking was spent",
    "units": "sides in different units",
    "uncertain layer": "not certain which layer a name stands for",
    "uncertain network": "not certain which built-in network the document derives (--network auto)",
    "mathml": "math on a page without its TeX (MathML, or rendered by MathJax 3)",
    "code": "in code (a program, or math shown as code), not read",
    "unread": "not read as an equality (words, or no numbers the checker takes as sides)",
    "identity": "an identity of names (no values written), not checked",
    "prose": "figures given in prose, not as arithmetic (no = between them)",
    "misdecoded": "mis-decoded text (UTF-8 read in another code page): save it as UTF-8 again",
}


class _Build:
    """Turns the parser's reductions into tuples (applied while parsing: no tree is kept)."""

    @staticmethod
    def __default__(data, children, meta):
        """The parser's helper rules (repetitions), which the rule above them inlines."""
        from lark import Tree

        return Tree(data, children, meta)

    @staticmethod
    def start(children):
        return children[0]

    @staticmethod
    def sum(children):
        if len(children) == 1:
            return children[0]
        terms = [(1, children[0])]
        for k in range(1, len(children), 2):
            terms.append((1 if children[k].type == "PLUS" else -1, children[k + 1]))
        return ("sum", tuple(terms))

    @staticmethod
    def product(children):
        if len(children) == 1:
            return children[0]
        factors = [("*", children[0])]
        k, slash = 1, False
        while k < len(children):
            c = children[k]
            if hasattr(c, "type"):
                op = "*" if c.type == "TIMES" else "/"
                slash = slash or op == "/"
                factors.append((op, children[k + 1]))
                k += 2
            else:
                left = factors[-1][1]
                if slash:
                    return ("amb", "a division followed by an implicit product (a/bc)")
                if _starts_with_number(c):
                    return ("amb", "a number written right after another (2 3, or 2^10 in LaTeX)")
                if c[0] == "frac" and left[0] == "num":
                    return ("amb", "a number before a fraction (2\\frac{1}{2}: a mixed number?)")
                factors.append((".", c))
                k += 1
        return ("prod", tuple(factors))

    @staticmethod
    def neg(children):
        return ("neg", children[1])

    @staticmethod
    def pos(children):
        return children[1]

    @staticmethod
    def pow(children):
        return ("pow", children[0], children[2])

    @staticmethod
    def fact(children):
        return ("fact", children[0])

    @staticmethod
    def num(children):
        return ("num", int(children[0]))

    @staticmethod
    def name(children):
        return ("name", int(children[0]))

    @staticmethod
    def paren(children):
        return ("group", children[1])

    brace = paren

    @staticmethod
    def frac(children):
        return ("frac", children[1], children[2])

    @staticmethod
    def binom(children):
        return ("binom", children[1], children[2])

    @staticmethod
    def sqrt(children):
        return ("root", None, children[1])

    @staticmethod
    def root(children):
        return ("root", children[2], children[4])

    @staticmethod
    def floor(children):
        return ("floor", children[1])

    @staticmethod
    def ceil(children):
        return ("ceil", children[1])

    @staticmethod
    def abs(children):
        return ("abs", children[1])

    @staticmethod
    def func(children):
        return ("func", int(children[0]), tuple(c for c in children[2:-1] if not hasattr(c, "type")))


def _starts_with_number(node) -> bool:
    while True:
        kind = node[0]
        if kind == "num":
            return True
        if kind in ("pow", "fact"):
            node = node[1]
        else:
            return False


@functools.lru_cache(maxsize=1)
def _parser():
    from lark import Lark
    from lark.lexer import Lexer

    class _Given(Lexer):
        """Hands the parser the tokens already read (a side is lexed once, by :mod:`.tokens`)."""

        def __init__(self, conf) -> None:
            pass

        def lex(self, data, *args):
            return iter(data)

    callbacks = _Build()
    return Lark(_GRAMMAR, parser="lalr", lexer=_Given, transformer=callbacks)


@functools.lru_cache(maxsize=8192)
def _tree(shape: tuple[str, ...]):
    from lark import Token
    from lark.exceptions import LarkError

    tokens = [Token(kind.partition(":")[0], str(k)) for k, kind in enumerate(shape)]
    try:
        return _parser().parse(tokens)
    except LarkError:
        return None
    except RecursionError:  # pragma: no cover - the parser itself does not recurse
        return None


def parse(toks: Sequence[Tok]):
    """The tree of a side, or raise :class:`Unevaluable`.

    >>> from symcnn.checkdoc.find import find
    >>> from symcnn.checkdoc.statements import statements
    >>> [st] = statements(find("$2+2P=K^{2}CN$", "markdown"))
    >>> parse(st.sides[0].toks), parse(st.sides[1].toks)[0]
    (('sum', ((1, ('num', 0)), (1, ('prod', (('*', ('num', 2)), ('.', ('name', 3))))))), 'prod')
    """
    if len(toks) > MAX_SIDE_TOKENS:
        raise Unevaluable("too long", f"{len(toks):,} tokens, more than {MAX_SIDE_TOKENS:,}")
    shape = []
    for t in toks:
        if t.kind not in KINDS:
            if t.kind == "UNK":
                raise Unevaluable("unsupported", str(t.value))
            if t.kind == "WORD":
                raise Unevaluable("unsupported", str(t.value))
            raise Unevaluable("unreadable", t.kind.lower())
        shape.append(t.kind)
    tree = _tree(tuple(shape))
    if tree is None:
        raise Unevaluable("unreadable", "")
    if tree[0] == "amb":
        raise Unevaluable("ambiguous", tree[1])
    _check_ambiguous(tree)
    return tree


def _children(node) -> list:
    kind = node[0]
    if kind in ("sum", "prod"):
        return [part[1] for part in node[1]]
    if kind == "func":
        return list(node[2])
    if kind in ("num", "name", "amb"):
        return []
    return [x for x in node[1:] if isinstance(x, tuple)]


def _check_ambiguous(node) -> None:
    """Ambiguity inside a group (the builder marks each product where it sees it)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n[0] == "amb":
            raise Unevaluable("ambiguous", n[1])
        stack.extend(_children(n))


def _too_big(x: Fraction) -> bool:
    return x.numerator.bit_length() > MAX_BITS or x.denominator.bit_length() > MAX_BITS


def _root(x: int, q: int) -> int | None:
    if x < 0:
        if q % 2 == 0:
            return None
        r = _root(-x, q)
        return None if r is None else -r
    if q == 2:
        return isqrt_exact(x)
    r = round(x ** (1.0 / q)) if x.bit_length() < 1000 else None
    if r is not None:
        for cand in (r - 1, r, r + 1):
            if cand >= 0 and cand**q == x:
                return cand
        return None
    lo, hi = 0, 1 << (x.bit_length() // q + 1)
    while lo < hi:
        mid = (lo + hi) // 2
        if mid**q < x:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo**q == x else None


def power(base: Fraction, exp: Fraction) -> Fraction:
    if exp.denominator != 1:
        if exp.denominator > 64:
            raise Unevaluable("irrational", "a root of high order")
        num = _root(base.numerator, exp.denominator)
        den = _root(base.denominator, exp.denominator)
        if num is None or den is None:
            raise Unevaluable("irrational", "a root that is not exact")
        base, exp = Fraction(num, den), Fraction(exp.numerator)
    k = exp.numerator
    if base == 0 and k < 0:
        raise Unevaluable("division by zero", "0 to a negative power")
    if base in (0, 1) or (base == -1):
        return base**k
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if abs(k) * max(size - 1, 1) > MAX_BITS:
        raise Unevaluable("too large", "a power too large to compute")
    return base**k


class Values:
    """What evaluation needs: the value of the literal and of the name at token ``k``, and
    the function named at token ``k``."""

    def __init__(self, literal: Callable[[int], Fraction], name: Callable[[int], Fraction],
                 function: Callable[[int], str]) -> None:
        self.literal, self.name, self.function = literal, name, function


def evaluate(node, values: Values) -> Fraction:
    """The exact value of a tree, or raise :class:`Unevaluable`."""
    try:
        return _RULES[node[0]](node, values)
    except RecursionError:
        raise Unevaluable("too long", "nested too deeply") from None
    except ZeroDivisionError:
        raise Unevaluable("division by zero", "") from None


def _value(node, v: Values) -> Fraction:
    """The value of a node, by the rule of its kind (:data:`_RULES`)."""
    return _RULES[node[0]](node, v)


# The rules of the kinds of node. They call each other through :data:`_RULES` directly,
# not through :func:`_value`: evaluation takes one frame per level of the tree, so a tree
# nested too deeply for Python's stack is "too long" at the same depth whatever its kinds.


def _num(node, v: Values) -> Fraction:
    return v.literal(node[1])


def _name(node, v: Values) -> Fraction:
    return v.name(node[1])


def _sum(node, v: Values) -> Fraction:
    total = Fraction(0)
    for sign, term in node[1]:
        x = _RULES[term[0]](term, v)
        total = total + x if sign > 0 else total - x
    if _too_big(total):
        raise Unevaluable("too large", "")
    return total


def _prod(node, v: Values) -> Fraction:
    result = Fraction(1)
    for op, factor in node[1]:
        x = _RULES[factor[0]](factor, v)
        result = result / x if op == "/" else result * x
        if _too_big(result):
            raise Unevaluable("too large", "")
    return result


def _group(node, v: Values) -> Fraction:
    return _RULES[node[1][0]](node[1], v)


def _neg(node, v: Values) -> Fraction:
    return -_RULES[node[1][0]](node[1], v)


def _pow(node, v: Values) -> Fraction:
    return power(_RULES[node[1][0]](node[1], v), _RULES[node[2][0]](node[2], v))


def _frac(node, v: Values) -> Fraction:
    return _RULES[node[1][0]](node[1], v) / _RULES[node[2][0]](node[2], v)


def _fact(node, v: Values) -> Fraction:
    x = _RULES[node[1][0]](node[1], v)
    if x.denominator != 1 or x < 0:
        raise Unevaluable("unsupported", "a factorial of a number that is not whole")
    if x > MAX_FACTORIAL:
        raise Unevaluable("too large", f"a factorial past {MAX_FACTORIAL:,}!")
    return Fraction(math.factorial(int(x)))


def _binom(node, v: Values) -> Fraction:
    n, k = _RULES[node[1][0]](node[1], v), _RULES[node[2][0]](node[2], v)
    if n.denominator != 1 or k.denominator != 1 or n < 0:
        raise Unevaluable("unsupported", "a binomial coefficient of numbers that are not whole")
    if n > 50_000:
        raise Unevaluable("too large", "")
    return Fraction(math.comb(int(n), int(k)) if k >= 0 else 0)


def _root_of(node, v: Values) -> Fraction:
    order = Fraction(2) if node[1] is None else _RULES[node[1][0]](node[1], v)
    if order.denominator != 1 or order < 1:
        raise Unevaluable("unsupported", "a root of an order that is not whole")
    return power(_RULES[node[2][0]](node[2], v), 1 / order)


def _floor(node, v: Values) -> Fraction:
    return Fraction(math.floor(_RULES[node[1][0]](node[1], v)))


def _ceil(node, v: Values) -> Fraction:
    return Fraction(math.ceil(_RULES[node[1][0]](node[1], v)))


def _abs(node, v: Values) -> Fraction:
    return abs(_RULES[node[1][0]](node[1], v))


def _function(node, v: Values) -> Fraction:
    name = v.function(node[1])
    args = [_value(a, v) for a in node[2]]
    if name in ("max", "min"):
        return max(args) if name == "max" else min(args)
    if len(args) != 1:
        raise Unevaluable("unsupported", f"{name} of {len(args)} numbers")
    x = args[0]
    if name == "floor":
        return Fraction(math.floor(x))
    if name == "ceil":
        return Fraction(math.ceil(x))
    if name == "abs":
        return abs(x)
    if name == "round":
        return Fraction(math.floor(x + Fraction(1, 2)))
    if name == "sqrt":
        return power(x, Fraction(1, 2))
    raise Unevaluable("unsupported", name)  # pragma: no cover


class _Rules(dict[str, Callable[..., Fraction]]):
    """Rules by kind of node; a kind without one is unreadable."""

    def __missing__(self, kind: str) -> Callable[..., Fraction]:
        raise Unevaluable("unreadable", kind)  # pragma: no cover


#: The rule of each kind of node the parser builds.
_RULES = _Rules(num=_num, name=_name, sum=_sum, prod=_prod, group=_group, neg=_neg, pow=_pow, frac=_frac,
                fact=_fact, binom=_binom, root=_root_of, floor=_floor, ceil=_ceil, abs=_abs, func=_function)


def leaves(node, kind: str) -> list[int]:
    """Token indices of the ``num`` or ``name`` leaves of a tree, left to right."""
    found: list[int] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n[0] == kind:
            found.append(n[1])
        else:
            stack.extend(reversed(_children(n)))
    return found


__all__ = ["parse", "evaluate", "Values", "Unevaluable", "REASONS", "leaves", "power", "MAX_SIDE_TOKENS",
           "MAX_BITS", "MAX_FACTORIAL"]
