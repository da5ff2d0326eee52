"""Compute and memory as text: a convention's total (``--count``), the tools side by side (``compare``),
and the memory of a training step (``memory``). The figures are :mod:`symcnn.analysis.counting`'s and
:mod:`symcnn.analysis.memory`'s; this module only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import Basic

from ..analysis.counting import origin_name
from ..printing import display, text, thousands

if TYPE_CHECKING:
    from ..analysis.counting import Comparison, Counted
    from ..analysis.memory import Memory


def _shown(value: Basic | int) -> str:
    return thousands(value) if isinstance(value, int) or getattr(value, "is_Integer", False) else display(value)


def count_lines(c: Counted) -> list[str]:
    """The total under one convention, what it is, and what it leaves out."""
    lines = [f"{c.convention.name} total: {_shown(c.total)} {c.convention.unit}"]
    if c.not_derived:
        lines.append(f"  (without the opaque layers, not derived: {', '.join(c.not_derived)})")
    lines.append(f"# {c.convention.title}: {c.convention.summary}")
    return lines


def compare_text(cmp: Comparison) -> str:
    """``symcnn compare``: the totals side by side, then one line per kind of layer where the tools differ,
    with each tool's figure and formula."""
    from .tables import columns

    names = [c.convention.name for c in cmp.counts]
    at = f" at {cmp.input}" if cmp.input else ""
    lines = [f"{cmp.network}{at}: compute as each tool counts it (eval, one sample)"]
    lines += columns(("tool", "total", "what it is"),
                     [(c.convention.name, _shown(c.total), c.convention.unit) for c in cmp.counts], right=(False, True))
    lines.append("")
    lines.append("where they differ, per kind of layer (figure = formula; a note where the origin decides):")
    ran = _ran_as(cmp)
    for k in cmp.kinds:
        if not k.differs:
            continue
        # where a layer of the kind is not the torch.nn module the formula is written for, what ran and the
        # rules' notes (a subclass, a function call: the figure may not be the formula)
        other = [o for o in ran.get(k.kind, ()) if not o.startswith("nn.")]
        parts = []
        for n in names:
            rule = k.rules[n]
            note = f" [{rule.note}]" if other and rule.note and rule.formula != 0 else ""
            parts.append(f"{n} {_shown(k.values[n])} = {text(rule.formula)}{note}")
        label = f"{k.layers}; ran as {', '.join(origin_name(o) for o in other)}" if other else f"{k.layers}"
        lines.append(f"  {k.kind} ({label}): " + "; ".join(parts))
    same = [k.kind for k in cmp.kinds if not k.differs]
    if same:
        lines.append(f"  counted alike by every tool: {', '.join(same)}")
    return "\n".join(lines)


def _ran_as(cmp: Comparison) -> dict[str, list[str]]:
    """The origins (what PyTorch ran) of each kind's layers, in order of first use."""
    found: dict[str, dict[str, None]] = {}
    for lc in cmp.counts[0].layers if cmp.counts else ():
        found.setdefault(lc.kind, {})[lc.origin] = None
    return {kind: list(origins) for kind, origins in found.items()}


def _bytes(value: Basic | int) -> str:
    if isinstance(value, int) or getattr(value, "is_Integer", False):
        n = int(value)
        # GiB as a float, up to where a float ends (1.8e308 bytes): past it the bytes alone
        return f"{thousands(n)} bytes ({n / 2**30:.3f} GiB)" if 2**20 <= n < 2**1000 else f"{thousands(n)} bytes"
    return display(value) + " bytes"


def _in_batch(per: Basic | int, fixed: Basic | int, closed: Basic | int) -> str:
    """``85,909,504 x B + 409,338,540`` where both are numbers (the closed form, factored, hides them)."""
    if all(isinstance(v, int) or getattr(v, "is_Integer", False) for v in (per, fixed)):
        return f"{thousands(int(per))} x B + {thousands(int(fixed))}"
    return display(closed)


def memory_text(m: Memory, batch: Basic | int, fit: tuple[int, int] | None = None) -> str:
    """``symcnn memory``: the parts of a training step, its closed form in B, inference's peak, and the
    largest batch that fits a budget (checked at it and the next)."""
    lines = [f"{m.network}: memory of a training step ({m.dtype}, optimiser {m.optimizer}), batch B"]
    rows = [("parameters", m.parameters), ("gradients", m.gradients), ("optimiser state", m.optimizer_state),
            ("buffers", m.buffers)]
    lines += [f"  {label:28} {_bytes(v)}" for label, v in rows]
    lines.append(f"  {'saved activations per sample':28} {_bytes(m.per_sample)}")
    if m.per_batch != 0:
        lines.append(f"  {'batch-norm statistics':28} {_bytes(m.per_batch)}")
    lines.append(f"training step = {_in_batch(m.per_sample, m.fixed, m.training())} bytes")
    lines.append(f"  at B = {batch}: {_bytes(m.training(batch))}")
    lines.append(f"inference = {_in_batch(m.inference_peak, m.parameters + m.buffers, m.inference())} bytes "
                 f"(peak of live activations at {m.inference_peak_at})")
    lines.append(f"  at B = {batch}: {_bytes(m.inference(batch))}")
    if m.not_derived:
        lines.append(f"not counted: what the opaque layers save (not derived): {', '.join(m.not_derived)}")
    if fit is not None:
        budget, largest = fit
        if largest == 0:
            lines.append(f"no batch fits in {_bytes(budget)}: one sample takes {_bytes(m.training(1))}")
        else:
            lines.append(f"largest batch in {_bytes(budget)}: B = {largest} ({_bytes(m.training(largest))}; "
                         f"B = {largest + 1} takes {_bytes(m.training(largest + 1))})")
    return "\n".join(lines)


__all__ = ["count_lines", "compare_text", "memory_text"]
