"""Writing a document check out: text for people, JSON for tools."""

from __future__ import annotations

from .results import DocCheck


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
