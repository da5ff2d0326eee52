"""Tables of a derivation: for the terminal (every layer, every closed form of an analysis),
and for tools: CSV, a Markdown pipe table, a LaTeX booktabs tabular (JSON comes from the
records' own ``to_json``, rows from ``to_rows``). Each shows the numbers of ``to_json``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sympy import Basic

from ..printing import display, thousands
from ..records import NetworkDerivation
from .marks import MARKS, type_mark

#: What ``symcnn summary --format`` writes.
SUMMARY_FORMATS = ("table", "json", "csv", "markdown", "latex")

if TYPE_CHECKING:
    from ..analysis import Analysis


def columns(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = (),
            rule: bool = True) -> list[str]:
    """Rows padded into columns two spaces apart (``right[i]``: column i aligned right), by the
    columns a terminal gives each character (합성곱, 畳み込み: two each)."""
    widths = [max(shown_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    align = [*right, *([False] * len(header))]

    def pad(c: str, w: int, right: bool) -> str:
        fill = " " * (w - shown_width(c))
        return fill + c if right else c + fill

    def line(r: Sequence[str]) -> str:
        return "  ".join(pad(c, w, align[i]) for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    lines = [line(header)]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    return lines + [line(r) for r in rows]


def shown_width(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide (East Asian) character, none for
    a combining mark or a format character (a zero-width space), one for any other."""
    if text.isascii():
        return len(text)
    others = _NOT_ASCII.findall(text)  # the ASCII ones take one column each
    return len(text) - len(others) + sum(2 if unicodedata.east_asian_width(c) in "WF" else
                                         0 if unicodedata.combining(c) or unicodedata.category(c) == "Cf" else 1
                                         for c in others)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def summary_text(d: NetworkDerivation) -> str:
    """``symcnn summary``: every layer's output size and parameters, and the totals."""
    header = ("layer", "type", "output (HxWxC)", "weights", "biases", "params")
    rows = [(ld.name, ld.type + type_mark(ld), ld.output.text(), thousands(ld.weights), thousands(ld.biases),
             thousands(ld.params)) for ld in d.layers]
    lines = [f"{d.name}: input {d.input.text()}, rounding {d.rounding}"]
    lines += columns(header, rows, right=(False, False, False, True, True, True))
    lines.append("")
    if d.of_type("conv"):
        lines.append(f"conv params   {thousands(d.params_of('conv'))}")
    lines.append(f"total params  {thousands(d.total_params)}")
    notes = [(ld.name, ld.note) for ld in d.layers if ld.note]
    if notes:
        lines += ["", f"{MARKS}:"]
        lines += [f"  {name}: {note}" for name, note in notes]
    lines += network_notes(d.network)
    return "\n".join(lines)


def network_notes(network) -> list[str]:
    """``note: ...`` lines for what a reader of the network's numbers must know (Network.notes)."""
    return [f"note: {note}" for note in getattr(network, "notes", ())]


def summary_csv(d: NetworkDerivation) -> str:
    """One row per layer (:meth:`~symcnn.records.NetworkDerivation.to_rows`) under a header row:
    plain integers, no separators, no total row (a spreadsheet adds the columns up)."""
    rows = d.to_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


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


def summary(d: NetworkDerivation, fmt: str = "table") -> str:
    """``symcnn summary --format FMT`` (one of :data:`SUMMARY_FORMATS`)."""
    if fmt == "json":
        return json.dumps(d.to_json(), indent=2)
    writers = {"table": summary_text, "csv": summary_csv, "markdown": summary_markdown, "latex": summary_latex}
    return writers[fmt](d).rstrip("\n")




def derive_text(a: Analysis) -> str:
    """``symcnn derive``: every layer's closed forms, the totals, valid inputs, receptive field.

    A deep network repeats a few expressions in thousands of cells (ResNet-152: 44 in
    2,571); each is written once.
    """
    from ..analysis import MACS_CONVENTION  # the analysis loads only for derive

    shown: dict[Basic, str] = {}

    def cell(expr: Basic) -> str:
        if expr not in shown:
            shown[expr] = display(expr)
        return shown[expr]

    names = ", ".join(s.name for s in a.symbols)
    lines = [f"{a.network}: closed forms in {names} (input {a.derivation.input}), rounding {a.rounding}"]
    header = ("layer", "type", "output", "params", "MACs", "receptive field")
    fields: dict[object, str] = {None: "-"}

    def field(rf) -> str:
        if rf not in fields:
            fields[rf] = rf.text()
        return fields[rf]

    rows = [
        (la.name, la.type, " x ".join(cell(d) for d in la.output.dims), cell(la.params), cell(la.macs),
         field(la.receptive_field))
        for la in a.layers
    ]
    lines += columns(header, rows)
    lines.append("")
    if a.stopped is not None and a.stopped.stage == "closed forms":
        lines.append(a.stopped.text())
        return "\n".join(lines)
    at = a.totals_at_input
    where = ", ".join(f"{s} = {v}" for s, v in a.values_at().items()) if at else ""
    for label, key, expr in (("params", "params", a.params), ("MACs", "macs", a.macs),
                             ("activations", "activations", a.activations)):
        value = f"   at {where}: {thousands(at[key])}" if at else ""
        lines.append(f"{label:12} {cell(expr)}{value}")
    if at:
        lines.append(f"{'':12} {thousands(at['activation_bytes'])} bytes of activations at float32")
    else:
        lines.append(f"{'':12} (no values at the input {a.input}: it is not square; see them with --symbolic HW)")
    if a.stopped is not None:
        lines.append(a.stopped.text())
    else:
        lines += _valid_lines(a)
    if a.stops_at:
        lines.append(f"closed forms stop before {a.stops_at}: it is opaque (not derived; the shape at the import "
                     "size), and so is everything after it")
    if a.receptive_field is not None and a.receptive_field_layer is not None:
        lines.append(f"receptive field at {a.receptive_field_layer.name} (size/stride/padding): "
                     f"{a.receptive_field.text()}")
    lines += network_notes(a.derivation.network)
    lines.append(f"# {MACS_CONVENTION}")
    return "\n".join(lines)


def _valid_lines(a: Analysis) -> list[str]:
    """The smallest input, the declared sizes, the whole divisions, the valid inputs, the conditions."""
    from ..analysis.inputs import boxes_text

    smallest = a.min_input
    if isinstance(smallest, dict):
        shown = ", ".join(f"{k} = {display(v) if isinstance(v, Basic) else v}" for k, v in smallest.items())
    else:
        shown = display(smallest) if isinstance(smallest, Basic) else str(smallest)
    lines = [f"smallest input (every output >= 1): {shown}"]
    for fit in a.fits:  # one that holds other symbols is among the assumptions below
        if fit.boxes is not None:
            lines.append(f"{fit.layer} declares {fit.field} = {thousands(fit.declared)}: "
                         f"{display(fit.derived)} = {thousands(fit.declared)} for {boxes_text(fit.boxes, a.symbols)}")
    if a.exact_inputs is not None:
        lines.append("whole divisions (exact rounding): " + ", ".join(f"{s} {c}" for s, c in a.exact_inputs.items()))
    lines += [f"equal sizes: {m.text(a.symbols)}" for m in a.matches if m.solved]
    valid = a.valid_inputs_text()
    if (a.fits or a.matches) and valid is not None:
        lines.append(f"valid inputs: {valid}")
    lines += [f"assumed: {c}" for c in a.conditions]
    return lines


__all__ = ["network_notes", "columns", "summary", "summary_text", "summary_csv", "summary_markdown", "summary_latex",
           "derive_text", "SUMMARY_FORMATS", "type_mark", "MARKS"]
