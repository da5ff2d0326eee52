"""What checking a document finds: wrong steps with their blame, skipped statements,
general formulas, claims about a network, and the counts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: a number as written: 34,944, 3.2M, 3.8 \times 10^{6}
_NUMBER = re.compile(r"[-+]?[\d.,\u2009 ]+(?:[^\d.,\u2009\s]\S*)?|[-+]?[\d.,]+\s*\\times\s*10\^\{?-?\d+\}?")
#: Exit status of ``symcnn check-doc`` for each outcome (2 is bad input, 3 a bug in symcnn).
EXIT = {"ok": 0, "wrong": 1, "nothing checkable": 4}


@dataclass(frozen=True)
class Blame:
    """Which part of a wrong step is wrong, what it should be, and why.

    ``part`` is ``"operand"`` (one number inside a side), ``"left"`` or ``"right"`` (a
    whole side) or ``"name"`` (a name set earlier, claimed to be another value), and
    ``side`` the side it is in; ``written`` is that part as written, ``should_be`` its right value and
    ``because`` what the document itself says that supports it (``W_c = 34,848 (line 121)``).
    """

    part: str
    written: str
    should_be: str
    because: str = ""
    line: int = 0
    #: the side of the step the blamed part is in (left or right)
    side: str = ""
    #: in a notebook: the cell (counted from 1) and the line in it; ``line`` is the file's
    cell: int = 0
    cell_line: int = 0

    def __str__(self) -> str:
        if self.part == "name":
            return self.because
        number = _NUMBER.fullmatch(self.written) is not None
        what = "" if number else {"left": "the left side ", "right": "the right side "}.get(self.part, "")
        if self.because.startswith("with "):
            return f"{what}{self.written} should be {self.should_be}: {self.written} is the value {self.because}"
        if self.because.startswith("it "):
            return f"{what}{self.written} should be {self.should_be}: {self.because}"
        return f"{what}{self.written} should be {self.because or self.should_be}"


@dataclass(frozen=True)
class WrongStep:
    r"""One step of a chain whose two sides differ.

    ``text`` is the statement as written (alignment ``&``, labels and extra spaces removed);
    ``left_text``/``right_text`` the two sides of the failing step and ``left``/``right``
    their values; ``relation`` is ``=`` or ``≈`` (then the sides differ by more than the
    precision written). ``blame`` names the wrong operand or side where one explains the
    error, and ``expected`` is what that part should be (without a blame: the left
    side's value). ``line`` is where the blamed part is written.

    >>> from symcnn.checkdoc import check_document
    >>> step = check_document("$2+2=5$").wrong[0]
    >>> (step.line, step.text, step.left, step.right, step.expected, str(step.blame))
    (1, '2+2=5', '4', '5', '4', '5 should be 4')
    """

    line: int
    text: str
    left: str
    right: str
    expected: str
    left_text: str = ""
    right_text: str = ""
    relation: str = "="
    blame: Blame | None = None
    #: in a notebook: the cell (counted from 1) and the line in it; ``line`` is the file's
    cell: int = 0
    cell_line: int = 0

    @property
    def message(self) -> str:
        """One line: the blame where there is one, else both values."""
        if self.blame is not None:
            return str(self.blame)
        return f"{self.left_text} is {self.left}, {self.right_text} is {self.right}"


@dataclass(frozen=True)
class Skip:
    """A statement (or one side of it) that could not be checked, and why (a key of
    :data:`~.evaluate.REASONS`)."""

    line: int
    text: str
    reason: str
    detail: str = ""
    cell: int = 0
    cell_line: int = 0


@dataclass(frozen=True)
class Formula:
    """A general formula: an equality of names without numbers (``W_c = K^2 C N``)."""

    line: int
    text: str
    cell: int = 0
    cell_line: int = 0


@dataclass(frozen=True)
class NetworkClaim:
    """A size or count the document gives for a layer of the network, and the derivation's.

    ``how`` says how the layer was found: ``named`` (in the same sentence), ``item`` (in the
    list item this one belongs to), ``paragraph`` (earlier in a paragraph about one layer),
    ``heading`` or ``table``. ``called`` is the document's name for the layer where it was
    read from its form (``conv3_2``, ``fc6``, ``C3``) rather than found among the network's.
    """

    line: int
    layer: str
    field: str
    claimed: str
    derived: str
    ok: bool
    written: str = ""
    how: str = "named"
    derivation: tuple[str, ...] = ()
    #: the name the document gives the layer, where the network names it otherwise and the
    #: layer was found by the name's form (conv3_2 for features.12)
    called: str = ""
    cell: int = 0
    cell_line: int = 0

    def to_json(self) -> dict:
        return {
            "line": self.line, "layer": self.layer, "field": self.field, "claimed": self.claimed,
            "derived": self.derived, "ok": self.ok, "written": self.written, "how": self.how,
            "derivation": list(self.derivation), "called": self.called,
        }


@dataclass(frozen=True)
class DocCheck:
    """The outcome of checking one document.

    ``checked`` counts the steps compared; ``wrong`` the steps whose sides differ;
    ``skips`` the statements or sides that could not be evaluated; ``formulas`` the
    general formulas; ``claims`` what the document says about the network given with
    ``network`` (none without one).

    >>> from symcnn.checkdoc import check_document
    >>> result = check_document("$C=3$ and $$2C=6$$")
    >>> result.checked, result.skipped, result.wrong, result.status
    (1, 0, (), 'ok')
    """

    checked: int
    wrong: tuple[WrongStep, ...] = ()
    skips: tuple[Skip, ...] = ()
    formulas: tuple[Formula, ...] = ()
    name: str = "<doc>"
    claims: tuple[NetworkClaim, ...] = ()
    network: str | None = None
    syntax: str = "markdown"
    convention: str = "1,234.5"
    stats: Mapping[str, int] | None = None

    @property
    def skipped(self) -> int:
        return len(self.skips)

    @property
    def wrong_claims(self) -> tuple[NetworkClaim, ...]:
        return tuple(c for c in self.claims if not c.ok)

    @property
    def ok(self) -> bool:
        """True when nothing checked is wrong."""
        return not self.wrong and not self.wrong_claims

    @property
    def status(self) -> str:
        """``wrong`` (a mistake was found), ``ok`` (something was checked and nothing is
        wrong) or ``nothing checkable``."""
        if not self.ok:
            return "wrong"
        return "ok" if self.checked or self.claims else "nothing checkable"

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]


__all__ = ["Blame", "WrongStep", "Skip", "Formula", "NetworkClaim", "DocCheck", "EXIT"]
