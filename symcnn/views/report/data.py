"""What a report shows, gathered once: :class:`ReportData`.

The caller builds one :class:`ReportData` (:func:`report_data`) and hands it to the
renderer for every format and language: the network is derived once at the report's
input, analysed once, and the templates only lay out what is here. Everything that
needs sympy (which steps a formula's first example shows, the symbols the formulas use,
the values of the closed forms at the input, the quotient a rounding changed) is worked
out here; how each piece is written is the format's business (:mod:`.formats`).

>>> data = report_data("alexnet")
>>> [k.formula for k in data.kinds][:2], data.kinds[0].counts
(['conv-output', 'pool-output'], 'size')
>>> data.at_input["params"]
62378344
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sympy import Basic, Float, Integer, Symbol, ceiling, evaluate, floor

from ...builders.load import load
from ...errors import SpecError, SymcnnError
from ...network import Network
from ...printing import terminating
from ...records import LayerDerivation, NetworkDerivation, Step
from ...symbols import MEANINGS, I

if TYPE_CHECKING:  # the analysis loads when a report is made, not with the command line
    from ...analysis import Analysis, Congruence
    from ...analysis.counting import Convention, Counted
    from ...analysis.inputs import Match
    from ...analysis.memory import Fit, LayerMemory, Memory
    from ..plot import Figure

#: What a report plots against the input size.
FIGURES = ("size", "macs")
#: The totals the closed-form section gives as functions of I and at the input, in order.
CLOSED_TOTALS = ("params", "macs", "activations")
#: The training step a report works out: its dtype, its optimiser, and the budget it fits a batch in (24 GiB).
MEMORY = ("float32", "adam", 24 * 2**30)


@dataclass(frozen=True)
class MemoryRow:
    """One layer that saves tensors for backward: at the report's input, and in closed form (None: none)."""

    at: LayerMemory
    closed: LayerMemory | None


@dataclass(frozen=True)
class MemoryReport:
    """The memory section: the step at the report's input (:class:`~symcnn.analysis.memory.Memory`), its
    closed form in I (None where the network has none), the largest batch in :data:`MEMORY`'s budget."""

    at: Memory
    closed: Memory | None
    fit: Fit

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        return self.at.derivation()

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        """The symbols the worked steps use, in the order of :data:`~symcnn.analysis.memory.MEMORY_SYMBOLS`."""
        from ...analysis.memory import MEMORY_SYMBOLS

        used: set[Basic] = set()
        for s in (*self.steps, self.fit.step):
            used |= {s.symbol, *s.general.free_symbols}
        return tuple(s for s in MEMORY_SYMBOLS if s in used)

    @property
    def closed_forms(self) -> tuple[tuple[Symbol, Basic], ...]:
        """The step in closed form, part by part: the activations per sample and the statistics per batch, what
        does not grow with the batch, and the step ``M_f + M_a B`` (its general form: each part is a sum a
        line may break at)."""
        from ...analysis.memory import M_a, M_f, M_s

        m = self.closed
        if m is None:
            return ()
        parts = [(M_a, m.per_sample), (M_s, m.per_batch), (M_f, m.fixed)]
        kept = tuple((s, Integer(v) if isinstance(v, int) else v) for s, v in parts if s != M_s or v != 0)
        return (*kept, (self.steps[-1].symbol, self.steps[-1].general))

    @property
    def rows(self) -> tuple[MemoryRow, ...]:
        closed = {lm.name: lm for lm in self.closed.layers} if self.closed is not None else {}
        return tuple(MemoryRow(lm, closed.get(lm.name)) for lm in self.at.layers if lm.saved)


@dataclass(frozen=True)
class CountReport:
    """Compute as one convention counts it: per kind at the report's input, and the total in closed form."""

    at: Counted
    closed: Counted | None

    @property
    def convention(self) -> Convention:
        return self.at.convention

    @property
    def kinds(self) -> tuple[tuple[str, Basic, Basic, str], ...]:
        """Each kind of layer the network has that the convention counts: its rule's formula, its figure, and
        what else decides it (the rule's note)."""
        rules = self.convention.rules
        return tuple((kind, rules[kind].formula, value, rules[kind].note) for kind, value in self.at.by_kind().items()
                     if kind in rules)


@dataclass(frozen=True)
class Kind:
    """One kind of layer, named by its formula: the general form and the first layer worked out.

    ``counts`` is what the formula gives, read from its steps (:attr:`Step.counts`):
    ``size`` (a size or a length), ``buffers`` or ``params`` (weights, biases, parameters).
    """

    formula: str
    general: tuple[tuple[Symbol, Basic], ...]
    layer: LayerDerivation
    steps: tuple[Step, ...]
    others: tuple[tuple[LayerDerivation, Step], ...]

    @property
    def counts(self) -> str:
        what = {s.counts for s in self.steps}
        if what & {"size", "length"}:
            return "size"
        return "buffers" if "buffers" in what else "params"


def kinds(d: NetworkDerivation) -> tuple[Kind, ...]:
    """The formulas the network's steps use, each with its first layer: as the article orders them,
    the sizes first, then the parameters, each in order of first use."""
    found: dict[str, Kind] = {}
    for ld in d.layers:
        for name in ld.formulas:
            steps = tuple(s for s in ld.steps if s.formula == name)
            if name in found:
                k = found[name]
                found[name] = replace(k, others=(*k.others, (ld, steps[-1])))
                continue
            general = tuple(dict.fromkeys((s.symbol, s.general) for s in steps))
            found[name] = Kind(name, general, ld, steps, ())
    return tuple(sorted(found.values(), key=lambda k: k.counts != "size"))


def symbols(d: NetworkDerivation) -> tuple[Symbol, ...]:
    """Every symbol the general formulas use, in the order of :data:`~symcnn.symbols.MEANINGS`."""
    used: set[Symbol] = set()
    for ld in d.layers:
        for s in ld.steps:
            used |= {s.symbol, *s.general.free_symbols}
    return tuple([s for s in MEANINGS if s in used] + sorted(used - set(MEANINGS), key=str))


def shown_quotient(q: Basic) -> Basic:
    """The exact quotient as a decimal where it terminates (``213/4`` -> ``53.25``), else as it is."""
    digits = terminating(q, max_places=14)
    if digits is None:
        return q
    return Float(digits, len(digits.replace(".", "").replace("-", "").lstrip("0")) or 1)


def sides(step: Step) -> tuple[Basic, ...]:
    """The right-hand sides a step shows: general, substituted, [rounded quotient], value.

    Where floor or ceil changed the quotient, the side before the value shows the
    brackets around the quotient they rounded (``floor(53.25) + 1``).
    """
    chain = step.chain()
    if step.unrounded is not None and len(chain) > 1:
        brackets = list(step.substituted.atoms(floor, ceiling))
        if len(brackets) == 1:
            node = brackets[0]
            with evaluate(False):
                shown = step.substituted.xreplace({node: node.func(shown_quotient(step.unrounded), evaluate=False)})
            chain.insert(len(chain) - 1, shown)
    return tuple(chain)


@dataclass(frozen=True)
class ClosedTotal:
    """One total of the closed-form section: its name, its closed form, its value at the input
    (None where the input is not one value of the symbols)."""

    name: str
    expr: Basic
    at_input: Basic | None


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows: the derivation, its analysis (or why there is none) and the
    values at the report's input. Built once by :func:`report_data`; the same for every format
    and language."""

    derivation: NetworkDerivation
    analysis: Analysis | None
    reason: str = ""
    #: the network as it takes the report's input (None for a derivation on its own)
    network: Network | None = None
    #: the counting convention the report states (:data:`symcnn.analysis.counting.CONVENTIONS`)
    count: str = "macs"

    @property
    def d(self) -> NetworkDerivation:
        return self.derivation

    @cached_property
    def kinds(self) -> tuple[Kind, ...]:
        return kinds(self.derivation)

    @cached_property
    def symbols(self) -> tuple[Symbol, ...]:
        return symbols(self.derivation)

    @property
    def has_buffers(self) -> bool:
        return bool(self.derivation.total_buffers != 0)

    @property
    def at_input(self) -> Mapping[str, Basic] | None:
        """The totals at the report's input (the analysis's ``totals_at_input``), or None."""
        return self.analysis.totals_at_input if self.analysis else None

    @property
    def closed_totals(self) -> tuple[ClosedTotal, ...]:
        if self.analysis is None or self.analysis.stops_at:  # part of a network's totals are not the network's
            return ()
        at = self.at_input
        return tuple(ClosedTotal(name, getattr(self.analysis, name), at[name] if at else None)
                     for name in CLOSED_TOTALS)

    @cached_property
    def analysis_hw(self) -> Analysis | None:
        """The analysis in height and width apart (``H x W``), for a page that recomputes a
        non-square input; None where the network has none."""
        if self.analysis is None or self.network is None:
            return None
        try:
            from ...analysis import analyse

            return analyse(self.network, self.derivation.rounding, "HW")
        except SymcnnError:
            return None

    @cached_property
    def figures(self) -> tuple[Figure, ...]:
        """The output widths and the MACs against the input size I (:data:`FIGURES`), where the
        network has closed forms in I."""
        from ..plot import DEFAULT_RANGE, figure

        if self.analysis is None or self.analysis.symbols != (I,):
            return ()
        try:
            return tuple(figure(self.analysis, what, *DEFAULT_RANGE) for what in FIGURES)
        except SymcnnError:  # a symbolic width or count: nothing to plot
            return ()

    @cached_property
    def memory(self) -> MemoryReport | None:
        """A training step's memory at the report's input and in closed form, with the largest batch that fits
        :data:`MEMORY`'s budget; None where the input is not numeric."""
        from ...analysis.memory import memory

        dtype, optimizer, budget = MEMORY
        at = memory(self.derivation, dtype, optimizer)
        if not isinstance(at.per_sample, int) or not isinstance(at.fixed, int):
            return None
        closed = None
        if self.analysis is not None and self.analysis.stopped is None and not self.analysis.stops_at:
            closed = memory(self.analysis.derivation, dtype, optimizer)
        return MemoryReport(at, closed, at.fit(budget))

    @cached_property
    def counted(self) -> CountReport | None:
        """Compute as :attr:`count` counts it (None for symcnn's MACs, which the closed forms give)."""
        if self.count == "macs":
            return None
        from ...analysis.counting import count

        closed = None
        if self.analysis is not None and self.analysis.stopped is None and not self.analysis.stops_at:
            closed = count(self.analysis.derivation, self.count)
        return CountReport(count(self.derivation, self.count), closed)

    def prepare(self, *formats: Any) -> ReportData:
        """Work out now, within the caller's time budget, what ``formats`` read lazily (each
        format's ``reads``: the analysis in H and W, the figures)."""
        for name in dict.fromkeys(name for f in formats for name in f.reads):
            getattr(self, name)
        return self

    @property
    def equal_sizes(self) -> tuple[tuple[Match, str], ...]:
        """The merges whose inputs have equal sizes for some inputs only, each with where, in words
        (a congruence is written by the format)."""
        if self.analysis is None:
            return ()
        from ...analysis.inputs import boxes_text

        a = self.analysis
        return tuple((m, boxes_text(m.boxes, a.symbols) if m.boxes is not None else "") for m in a.matches
                     if m.solved)

    @property
    def congruences(self) -> tuple[tuple[Symbol, Congruence], ...]:
        """The inputs exact rounding needs, where a division asks for more than any whole number."""
        exact = self.analysis.exact_inputs if self.analysis else None
        return tuple((x, c) for x, c in (exact or {}).items() if c.modulus > 1)


def derivation_of(source, input=None, rounding=None) -> NetworkDerivation:
    """The derivation a report shows: of a network (a name, a spec file, a :class:`Network`) or
    a derivation as it is."""
    if isinstance(source, NetworkDerivation):
        if input is not None or rounding is not None:
            raise SpecError("input and rounding apply to a network, not to a derivation", rule="report source")
        return source
    net = source if isinstance(source, Network) else load(source, input=input, rounding=rounding)
    return net.derive(input, rounding)


def report_data(source, input=None, rounding=None, count: str = "macs") -> ReportData:
    """The :class:`ReportData` of ``source`` (see :func:`derivation_of`): derived once, analysed once.

    The analysis is of the network as it takes the report's input: its closed forms have the
    input's channels, and its totals at the input are the report's.
    """
    if isinstance(source, ReportData):
        return source
    if count != "macs":
        from ...analysis.counting import convention

        convention(count)  # an unknown name is one line, before any work
    derivation = derivation_of(source, input, rounding)
    net: Network | None = derivation.network
    if net is None:
        return ReportData(derivation, None, "a derivation on its own does not keep the network it came from",
                          count=count)
    if net.input != derivation.input:
        net = replace(net, input=derivation.input)
    from ...analysis import analyse

    try:
        return ReportData(derivation, analyse(net, derivation.rounding), network=net, count=count)
    except SymcnnError as e:
        return ReportData(derivation, None, str(e), network=net, count=count)


__all__ = ["ReportData", "Kind", "ClosedTotal", "MemoryReport", "MemoryRow", "CountReport", "MEMORY",
           "report_data", "derivation_of", "kinds", "symbols", "sides",
           "CLOSED_TOTALS", "FIGURES", "shown_quotient"]
