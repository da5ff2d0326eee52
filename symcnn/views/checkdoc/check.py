"""Checking chains of equalities: names and their values, verdicts."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from os import PathLike
from pathlib import Path

from ...errors import SpecError
from .evaluate import _agree, _evaluate, _format_value, _Side, _tidy
from .find import _FRONT_MATTER, _blank_ranges, _is_latex, _mask_latex, _mask_markdown, _math_spans
from .results import DocCheck, WrongStep
from .statements import _pieces, _split_sides, _working_copy


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

