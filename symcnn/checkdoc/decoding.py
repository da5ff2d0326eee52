"""Text that was UTF-8 once and was read in another code page (mojibake).

A page saved as UTF-8 and opened as Windows-1252 shows ``×`` as ``Ã—``; opened as the
Thai code page, as ``ร—``; ``→`` turns into three letters. What such a line seems to say
is not what its author wrote: ``28ร—28ร—6`` is no product, and an arrow turned into
letters no longer ends a statement. A document is taken as mis-decoded when most of its
runs of non-ASCII characters that one legacy code page can write are, in that code page,
the bytes of UTF-8 text (the test ftfy's ``fix_encoding`` is built on); its lines that hold
such runs are left unread and listed, not judged.

>>> misdecoded("conv1: 28ร—28ร—6, 14ร—14ร—6, then 5ร—5ร—16")
('cp874', [1])
>>> misdecoded("conv1: 28×28×6, 합성곱 층 다음 풀링") is None
True
"""

from __future__ import annotations

import re
from bisect import bisect_right

#: runs of two or more non-ASCII characters: one UTF-8 character read a byte at a time
_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_NEWLINE = re.compile(r"\n")
#: code pages a UTF-8 page is most often read in by mistake (Western, Thai, Cyrillic,
#: Central European, Chinese, Korean, Japanese)
CODE_PAGES = ("cp1252", "cp874", "cp1251", "cp1250", "gbk", "cp949", "shift_jis")
#: runs that must read as UTF-8 before a document is called mis-decoded, and their least share
_LEAST_RUNS, _LEAST_SHARE = 3, 0.5
#: runs looked at, at most (a long document decides on its first ones)
_MOST_RUNS = 2000


def _utf8_within(run: str, code_page: str) -> bool | None:
    """Whether ``run`` written in ``code_page`` is UTF-8 of fewer, non-ASCII characters
    (``None``: the code page cannot write it)."""
    try:
        data = run.encode(code_page)
    except UnicodeEncodeError:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(text) < len(run) and not text.isascii()


def misdecoded(text: str) -> tuple[str, list[int]] | None:
    """The code page ``text`` (once UTF-8) was read in, and the lines (from 1) that show it,
    or ``None`` when the text reads as written."""
    runs = [m for m, _ in zip(_RUN.finditer(text), range(_MOST_RUNS)) if "\ufffd" not in m.group()]
    for code_page in CODE_PAGES:
        verdicts = [(m, _utf8_within(m.group(), code_page)) for m in runs]
        written = [(m, v) for m, v in verdicts if v is not None]
        hits = [m for m, v in written if v]
        if len(hits) >= _LEAST_RUNS and len(hits) >= _LEAST_SHARE * len(written):
            starts = [m.end() for m in _NEWLINE.finditer(text)]
            return code_page, sorted({bisect_right(starts, m.start()) + 1 for m in hits})
    return None


def blank_lines(text: str, lines: list[int]) -> str:
    """``text`` with the given lines (from 1) blanked, every other character where it was."""
    out = text.split("\n")
    for number in lines:
        out[number - 1] = " " * len(out[number - 1])
    return "\n".join(out)


__all__ = ["misdecoded", "blank_lines", "CODE_PAGES"]
