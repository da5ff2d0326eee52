"""The one error family of symcnn.

Every error symcnn raises on purpose is a :class:`SymcnnError`; each subclass also
inherits the built-in exception it is closest to, so ``except ValueError`` keeps
working for callers who do not know symcnn.  The CLI prints ``str(error)`` as one
line on stderr and exits with status 2 (1 is kept for "a check found a mistake").

A message is one line whatever it quotes: names and values a user wrote are shown with
their control characters escaped (a newline cannot forge a second line, an ANSI escape
cannot reach the terminal), and :func:`quote` cuts a long value to an excerpt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from functools import lru_cache

#: Characters never written raw: C0 and C1 controls, DEL, line and paragraph separators,
#: and the bidirectional overrides that can make text read in another order than it runs.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: The longest message str() gives; a longer one keeps its start and its end.
MAX_MESSAGE = 900


def escaped(text: str, keep: str = "") -> str:
    r"""``text`` with every control character but those in ``keep`` written as an escape, as ``repr`` writes it.

    >>> escaped("conv1\nsymcnn: error: \x1b[31mred")
    'conv1\\nsymcnn: error: \\x1b[31mred'
    >>> escaped("a\tb\x07\n", keep="\t\n")
    'a\tb\\x07\n'
    """
    return _control_but(keep).sub(lambda m: repr(m.group())[1:-1], text)


@lru_cache(maxsize=16)
def _control_but(keep: str) -> re.Pattern[str]:
    """:data:`_CONTROL` without the characters of ``keep``: a text of 10,000 lines written with
    its newlines kept is not 10,000 calls of a function that gives each back."""
    if not keep:
        return _CONTROL
    chars = (chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *range(0x2028, 0x2070)))
    return re.compile("[" + "".join(re.escape(c) for c in chars if _CONTROL.match(c) and c not in keep) + "]")


def has_control(text: str) -> bool:
    r"""Whether ``text`` holds a character :func:`escaped` would escape (a newline, a line
    separator, an ANSI escape, a bidirectional override): a name may not.

    >>> has_control("conv1"), has_control("a\u2028b"), has_control("a\nb")
    (False, True, True)
    """
    return _CONTROL.search(text) is not None


def quote(value: object, limit: int = 60) -> str:
    """A value as a message quotes it: its ``repr``, cut to an excerpt when it is long.

    >>> quote("relu")
    "'relu'"
    >>> quote("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (1,000 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}"[:-1] + f"...' ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        return f"a number of about {value.bit_length() * 30103 // 100000 + 1:,} digits"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + f"... ({len(text):,} characters)"


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """`` (did you mean 'conv-output'?)`` for a name close to some of ``choices`` (up to three, in
    their order; empty where none is).

    >>> did_you_mean("alexnett", ["alexnet", "resnet18"])
    " (did you mean 'alexnet'?)"
    >>> did_you_mean("conv", ["conv1", "pool1", "conv2", "conv3", "conv4"])
    " (did you mean 'conv1', 'conv2' or 'conv3'?)"
    """
    import difflib

    names = list(dict.fromkeys(str(c) for c in choices))
    matcher = difflib.SequenceMatcher(b=str(word)[:100])
    scored = []
    for i, name in enumerate(names):
        matcher.set_seq1(name[:100])
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 and matcher.ratio() >= 0.6:
            scored.append((-matcher.ratio(), i, name))
    scored.sort()
    # the closest (within a tenth of the best: a near miss hides the far ones); among equals, the first given
    close = {name for score, _, name in scored[:3] if -score >= -scored[0][0] - 0.1}
    if not close:  # a name in the wrong case (k for K, AlexNet for alexnet)
        close = {n for n in names if n.lower() == str(word).lower()}
    shown = [repr(n) for n in names if n in close][:3]
    if not shown:
        return ""
    return f" (did you mean {' or '.join(shown) if len(shown) < 3 else f'{shown[0]}, {shown[1]} or {shown[2]}'}?)"


def _one_line(text: str) -> str:
    text = escaped(text)
    if len(text) > MAX_MESSAGE:
        text = f"{text[: MAX_MESSAGE - 200]} ... {text[-150:]}"
    return text


class Rule(str, Enum):
    """The rules that code branches on: an error's ``rule`` is one of these where a caller
    acts on it (adds a hint, the input sizes that fit), free text elsewhere. The message stays
    free: rewording it changes no behaviour."""

    #: a division that is not whole in exact rounding (the command line hints at floor and ceil)
    EXACT_DIVISION = "exact division"
    #: a size a layer declares (a Linear's in_features, a conv's in_channels) that its input does not have
    DECLARED_SIZE = "declared size"
    #: a merge whose inputs differ: an addition's shapes, a concatenation's spatial sizes, a product's broadcast
    EQUAL_SHAPES = "equal shapes"
    EQUAL_SPATIAL_SIZES = "equal spatial sizes"
    BROADCASTABLE_SHAPES = "broadcastable shapes"


#: The rules whose error some other input size may fit (:func:`symcnn.analysis.explain` says which).
FITTING_RULES = frozenset({Rule.DECLARED_SIZE, Rule.EQUAL_SHAPES, Rule.EQUAL_SPATIAL_SIZES, Rule.BROADCASTABLE_SHAPES})


class SymcnnError(Exception):
    """Base class of every error symcnn raises on purpose.

    ``where`` names the layer, field or file the error is about; ``rule`` says which
    rule failed.  ``str()`` gives the one line the CLI prints (``message`` and ``where``
    stay as given; only the line is escaped and cut). ``detail`` is data a layer above
    may use to say more (the engine's record of a declared size that does not fit, which
    the analysis turns into the input sizes that would); it travels with the error when
    an outer layer adds its location (:meth:`within`, :meth:`moved`).
    """

    def __init__(self, message: str, *, where: str | None = None, rule: str | None = None,
                 detail: object = None):
        self.where = where
        self.rule = rule
        self.message = message
        self.detail = detail
        super().__init__(_one_line(f"{where}: {message}" if where else message))

    def __repr__(self) -> str:
        text = str(self)
        cut = f"{text[:240]}... ({len(text):,} characters: str() it)" if len(text) > 280 else text
        return f"{type(self).__name__}({cut!r})"

    def within(self, where: str) -> SymcnnError:
        """Return the same kind of error, prefixed with an outer location (e.g. a file)."""
        inner = str(self)
        err = type(self).__new__(type(self))
        SymcnnError.__init__(err, inner, where=where, rule=self.rule, detail=self.detail)
        return err

    def moved(self, message: str | None = None, *, where: str | None, kind: type[SymcnnError] | None = None
              ) -> SymcnnError:
        """The same error (or of ``kind``) with another ``where`` (or ``message``), its rule and detail kept."""
        return (kind or type(self))(self.message if message is None else message, where=where, rule=self.rule,
                                    detail=self.detail)


class ShapeError(SymcnnError, ValueError):
    """A layer cannot take the shape that reaches it (kernel too large, sizes that do not match)."""


class RoundingError(ShapeError):
    """A division that is not whole in ``exact`` rounding."""


class LayerError(SymcnnError, ValueError):
    """A layer's own fields break a rule (stride 0, negative padding, ...)."""


class SpecError(SymcnnError, ValueError):
    """A malformed spec, claims file or command-line value."""


class UnknownNameError(SymcnnError, LookupError):
    """An unknown network, formula, layer or symbol name."""


class SolveError(SymcnnError, ValueError):
    """A formula cannot be solved as asked."""


class LimitError(SpecError):
    """An input over one of symcnn's limits (:mod:`symcnn.limits`): a file too large, too
    many layers, a number with too many digits."""


__all__ = [
    "did_you_mean",
    "SymcnnError",
    "Rule",
    "FITTING_RULES",
    "ShapeError",
    "RoundingError",
    "LayerError",
    "SpecError",
    "UnknownNameError",
    "SolveError",
    "LimitError",
    "escaped",
    "has_control",
    "quote",
]
