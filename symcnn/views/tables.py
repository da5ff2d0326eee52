"""Tables of a derivation: for the terminal (every layer, every closed form of an analysis),
and for tools: CSV, a Markdown pipe table, a LaTeX booktabs tabular (JSON comes from the
records' own ``to_json``, rows from ``to_rows``). Each shows the numbers of ``to_json``.
"""

from __future__ import annotations

import csv
import io
import json

from ..records import NetworkDerivation
from ..table import MARKS, columns, network_notes, shown_width, summary_text, type_mark

#: What ``symcnn summary --format`` writes.
SUMMARY_FORMATS = ("table", "json", "csv", "markdown", "latex")


def summary_csv(d: NetworkDerivation) -> str:
    """One row per layer (:meth:`~symcnn.records.NetworkDerivation.to_rows`) under a header row:
    plain integers, no separators, no total row (a spreadsheet adds the columns up)."""
    rows = d.to_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A text cell that a spreadsheet would run as a formula (a layer named ``=HYPERLINK(...)``),
    prefixed with ``'`` as OWASP advises; numbers are left as they are.

    >>> _cell("=1+1"), _cell("conv1"), _cell(34944)
    ("'=1+1", 'conv1', 34944)
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def summary_markdown(d: NetworkDerivation) -> str:
    """The report's table of every layer as a GitHub pipe table (no math where the sizes are numbers)."""
    from .report.formats import MARKDOWN  # jinja2 and the report's formats load only for these tables
    from .report.render import render_template

    return render_template("summary.j2", MARKDOWN, d=d, buffers=d.total_buffers != 0)


def summary_latex(d: NetworkDerivation) -> str:
    """The report's table of every layer as a booktabs ``tabular`` to ``\\input`` (needs booktabs)."""
    from .report.formats import LATEX
    from .report.render import render_template

    about = f"% {d.name}: input {d.input.text()}, rounding {d.rounding} (symcnn summary --format latex)\n"
    return about + render_template("summary.j2", LATEX, d=d, buffers=d.total_buffers != 0)


def derive_text(a) -> str:
    """``symcnn derive``: :func:`symcnn.analysis.text.derive_text` (the analysis loads only for derive)."""
    from ..analysis.text import derive_text as write

    return write(a)


def summary(d: NetworkDerivation, fmt: str = "table") -> str:
    """``symcnn summary --format FMT`` (one of :data:`SUMMARY_FORMATS`)."""
    if fmt == "json":
        return json.dumps(d.to_json(), indent=2)
    writers = {"table": summary_text, "csv": summary_csv, "markdown": summary_markdown, "latex": summary_latex}
    return writers[fmt](d).rstrip("\n")




__all__ = ["network_notes", "columns", "shown_width", "summary", "summary_text", "summary_csv", "summary_markdown",
           "summary_latex", "derive_text", "SUMMARY_FORMATS", "type_mark", "MARKS"]
