"""What ``symcnn derive`` prints and what ``str`` of an :class:`~symcnn.analysis.Analysis` is:
every layer's closed forms, the totals, the valid inputs and the receptive field.

Reads the analysis it is given (it imports none of it: the analysis calls down to it).
"""

from __future__ import annotations

from typing import Any

from sympy import Basic

from ..printing import display, thousands
from ..table import columns, network_notes
from .inputs import boxes_text


def derive_text(a: Any) -> str:
    """``symcnn derive``: every layer's closed forms, the totals, valid inputs, receptive field.

    A deep network repeats a few expressions in thousands of cells (ResNet-152: 44 in
    2,571); each is written once.
    """
    cell = _Cells()
    names = ", ".join(s.name for s in a.symbols)
    lines = [f"{a.network}: closed forms in {names} (input {a.derivation.input}), rounding {a.rounding}"]
    header = ("layer", "type", "output", "params", "MACs", "receptive field")
    rows = [
        (la.name, la.type, la.output.text(" x "), cell(la.params), cell(la.macs),
         cell.field(la.receptive_field))
        for la in a.layers
    ]
    lines += columns(header, rows)
    lines.append("")
    if a.stopped is not None and a.stopped.stage == "closed forms":
        lines.append(a.stopped.text())
        return "\n".join(lines)
    lines += _total_lines(a, cell)
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
    lines.append(f"# {a.macs_convention}")
    return "\n".join(lines)


class _Cells:
    """Each expression written once: by object first (the analysis keeps them alive; repeated layers
    share theirs), then by value (sympy hashes whole numbers modulo 2**61 - 1, and a deep network's
    sizes collide); each receptive field by object."""

    def __init__(self) -> None:
        self.shown: dict[Basic, str] = {}
        self.same: dict[int, str] = {}
        self.fields: dict[int, str] = {id(None): "-"}

    def __call__(self, expr: Basic) -> str:
        if id(expr) not in self.same:
            if expr not in self.shown:
                self.shown[expr] = display(expr)
            self.same[id(expr)] = self.shown[expr]
        return self.same[id(expr)]

    def field(self, rf: Any) -> str:
        if id(rf) not in self.fields:
            self.fields[id(rf)] = rf.text()
        return self.fields[id(rf)]


def _total_lines(a: Any, cell: _Cells) -> list[str]:
    """The totals, in the input size and at the network's own input."""
    at = a.totals_at_input
    where = ", ".join(f"{s} = {v}" for s, v in a.values_at().items()) if at else ""
    lines = []
    if a.stops_at:  # the totals of part of a network, said to be so
        lines.append(f"totals up to {a.stops_at} (the layers before it only, not the network's):")
    for label, key, expr in (("params", "params", a.params), ("MACs", "macs", a.macs),
                             ("activations", "activations", a.activations)):
        value = f"   at {where}: {thousands(at[key])}" if at else ""
        label = f"{label} up to {a.stops_at}" if a.stops_at else label
        lines.append(f"{label:12} {cell(expr)}{value}")
    if at:
        lines.append(f"{'':12} {thousands(at['activation_bytes'])} bytes of activations at float32")
    else:
        lines.append(f"{'':12} (no values at the input {a.input}: it is not square; see them with --symbolic HW)")
    return lines


def _valid_lines(a: Any) -> list[str]:
    """The smallest input, the declared sizes, the whole divisions, the valid inputs, the conditions."""
    smallest = a.min_input
    if isinstance(smallest, dict):
        shown = ", ".join(f"{k} = {display(v) if isinstance(v, Basic) else v}" for k, v in smallest.items())
    else:
        shown = display(smallest) if isinstance(smallest, Basic) else str(smallest)
    before = f" of the layers before {a.stops_at}" if a.stops_at else ""
    lines = [f"smallest input{before} (every output >= 1): {shown}"]
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


__all__ = ["derive_text"]
