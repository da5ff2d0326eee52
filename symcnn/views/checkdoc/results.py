"""What checking a document finds: the wrong steps and the counts."""

from __future__ import annotations

from dataclasses import dataclass


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

