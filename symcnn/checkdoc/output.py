"""Writing a document check out: text for people, JSON and GitHub annotations for tools."""

from __future__ import annotations

import re

from ..table import counted
from .evaluate import REASONS
from .results import DocCheck, NetworkClaim, WrongStep

_HOW = {
    "named": "", "item": " (the layer named in the list item above)",
    "paragraph": " (the layer this paragraph is about)", "heading": " (the layer of the heading)",
    "table": " (its table row)",
}


#: characters of a statement shown in a report line (JSON keeps it whole)
SHOWN = 200


def clip(text: str, width: int = SHOWN) -> str:
    """A statement as shown on one line of a report: its ends, when it is long.

    >>> clip("1 + " * 100 + "1 = 101", 30)
    '1 + 1 + 1 + 1 … + 1 + 1 = 101 (407 characters)'
    """
    if len(text) <= width:
        return text
    half = (width - 3) // 2
    return f"{text[:half].rstrip()} … {text[-half:].lstrip()} ({len(text):,} characters)"


def claim_message(c: NetworkClaim) -> str:
    """One line for a wrong size or count: what is written, and what the derivation gives."""
    layer = f"{c.layer} ({c.called})" if c.called else c.layer
    if c.field == "size":
        return (f"{layer}{_HOW.get(c.how, '')}: {c.written} is not its output, input or kernel; "
                f"its output is {c.derived}")
    return f"{layer}{_HOW.get(c.how, '')}: {c.written} {c.field}, derived {c.derived}"


def where(name: str, item) -> str:
    """Where a finding is, as a report line starts: ``post.md:12``, or in a notebook
    ``nb.ipynb, cell 3, line 2`` (the cell counted from 1, the line in that cell)."""
    if getattr(item, "cell", 0):
        return f"{name}, cell {item.cell}, line {item.cell_line}"
    return f"{name}:{item.line}"


def _claim_lines(name: str, c: NetworkClaim) -> list[str]:
    return [f"{where(name, c)}: {claim_message(c)}", *(f"  {d}" for d in c.derivation)]


def summary(result: DocCheck) -> str:
    """The last line of the report: the counts, or that nothing could be checked."""
    counts = (f"checked {result.checked}, wrong {len(result.wrong)}, skipped {result.skipped}, "
              f"formulas {len(result.formulas)}")
    if result.network is not None:
        counts += f"; {result.network}: {counted(len(result.claims), 'claim')}, {len(result.wrong_claims)} wrong"
    if result.status == "nothing checkable":
        why = "no equality with a value on both sides"
        if result.network is not None:
            why += " and no size or count next to a layer name"
        return f"nothing checkable: {why} ({counts}); --show-skipped lists what was skipped"
    return counts


def format_text(result: DocCheck, *, show_skipped: bool = False) -> str:
    r"""The human report: each wrong step and claim, the skipped statements if asked, the counts.

    >>> from symcnn.checkdoc import check_document
    >>> print(format_text(check_document("$$P_{c}=94,848+96=34,944$$", name="a.md")))
    a.md:1: P_{c}=94,848+96=34,944
      step:  94,848+96 = 34,944 (94,944 is not 34,944)
      wrong: 34,944 should be 94,944
    checked 1, wrong 1, skipped 0, formulas 0
    """
    lines: list[str] = []
    findings = [(w.line, 0, _wrong_lines(result.name, w)) for w in result.wrong]
    findings += [(c.line, 1, _claim_lines(result.name, c)) for c in result.wrong_claims]
    for _, _, block in sorted(findings, key=lambda item: item[:2]):
        lines += block
    if show_skipped and result.skips:
        lines.append(f"skipped {result.skipped}, by reason:")
        groups: dict[str, list] = {}
        for s in result.skips:
            groups.setdefault(s.reason, []).append(s)
        for reason, skips in groups.items():
            lines.append(f"  {REASONS.get(reason, reason)} ({len(skips)}):")
            for s in skips:
                detail = f"  [{s.detail}]" if s.detail else ""
                lines.append(f"    {where(result.name, s)}: {clip(s.text)}{detail}")
    lines.append(summary(result))
    return "\n".join(lines)


def decimal(value: str) -> str:
    """A value as shown, with a decimal beside a fraction that has no exact one.

    >>> decimal("521/4,608"), decimal("34,944")
    ('521/4,608 (≈ 0.113064)', '34,944')
    """
    num, slash, den = value.partition("/")
    if not slash or "…" in value:
        return value
    n, d = re.sub(r"[^\d-]", "", num), re.sub(r"\D", "", den)
    try:
        return f"{value} (≈ {int(n) / int(d):.6g})"
    except (ValueError, ZeroDivisionError, OverflowError):
        return value


def _wrong_lines(name: str, w: WrongStep) -> list[str]:
    verb = "is not" if w.relation == "=" else "is not about"
    step = f"{w.left_text} {w.relation} {w.right_text}"
    out = [f"{where(name, w)}: {clip(w.text)}",
           f"  step:  {clip(step)} ({decimal(w.left)} {verb} {decimal(w.right)})"]
    if w.blame is not None:
        out.append(f"  wrong: {w.blame}")
    return out


def to_json(result: DocCheck) -> dict:
    """The result as JSON-ready data: counts, wrong steps (with blame), skipped statements
    (line, text, reason), general formulas and claims about a network.

    >>> from symcnn.checkdoc import check_document
    >>> data = to_json(check_document("$2+2=5$"))
    >>> data["status"], data["counts"]["wrong"], data["wrong"][0]["expected"], data["wrong"][0]["blame"]["part"]
    ('wrong', 1, '4', 'right')
    """
    return {
        "name": result.name,
        "syntax": result.syntax,
        "separators": result.convention,
        "status": result.status,
        "exit": result.exit_code,
        "checked": result.checked,
        "counts": {
            "checked": result.checked,
            "wrong": len(result.wrong),
            "skipped": result.skipped,
            "formulas": len(result.formulas),
            "claims": len(result.claims),
            "claims_wrong": len(result.wrong_claims),
        },
        "wrong": [_cell(_wrong_json(w), w, result) for w in result.wrong],
        "skipped": [
            _cell({"line": s.line, "text": s.text, "reason": s.reason, "why": REASONS.get(s.reason, s.reason),
                   "detail": s.detail}, s, result)
            for s in result.skips
        ],
        "formulas": [_cell({"line": f.line, "text": f.text}, f, result) for f in result.formulas],
        "network": result.network,
        "claims": [_cell(c.to_json(), c, result) for c in result.claims],
    }


def _cell(data: dict, item, result: DocCheck) -> dict:
    """In a notebook, ``line`` is the .ipynb file's; ``cell`` and ``cell_line`` say where in the notebook."""
    if result.syntax == "notebook":
        data["cell"], data["cell_line"] = item.cell, item.cell_line
        blame = data.get("blame")
        if isinstance(blame, dict) and getattr(item, "blame", None) is not None:
            blame["cell"], blame["cell_line"] = item.blame.cell, item.blame.cell_line
    return data


def _wrong_json(w: WrongStep) -> dict:
    blame = None
    if w.blame is not None:
        b = w.blame
        blame = {"part": b.part, "written": b.written, "should_be": b.should_be, "because": b.because,
                 "line": b.line, "message": str(b)}
    return {
        "line": w.line, "text": w.text, "left": w.left, "right": w.right, "expected": w.expected,
        "left_text": w.left_text, "right_text": w.right_text, "relation": w.relation, "blame": blame,
        "message": w.message,
    }


def _escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def format_github(result: DocCheck) -> str:
    """GitHub Actions workflow commands: an ``::error`` per wrong step or claim, at its line.

    >>> from symcnn.checkdoc import check_document
    >>> print(format_github(check_document("$2+2=5$", name="notes.md")))
    ::error file=notes.md,line=1,title=check-doc::2+2=5: 5 should be 4
    ::notice title=check-doc::checked 1, wrong 1, skipped 0, formulas 0
    """
    file = _escape(result.name, prop=True)
    lines = []
    for w in result.wrong:
        lines.append(f"::error file={file},line={w.line},title=check-doc::{_escape(clip(w.text) + ': ' + w.message)}")
    for c in result.wrong_claims:
        message = claim_message(c)
        if c.derivation:
            message += "\n" + "\n".join(c.derivation)
        lines.append(f"::error file={file},line={c.line},title=check-doc::{_escape(message)}")
    if result.status == "nothing checkable":
        lines.append(f"::warning file={file},title=check-doc::{_escape(summary(result))}")
    else:
        lines.append(f"::notice title=check-doc::{_escape(summary(result))}")
    return "\n".join(lines)


FORMATS = {"text": format_text, "json": to_json, "github": format_github}

__all__ = ["format_text", "to_json", "format_github", "summary", "FORMATS"]
