"""Whole-network analysis: closed forms in the input size, valid inputs, receptive fields, solving.

Reads the engine's records and never renders. Modules, in order: :mod:`.collapse` (one floor
per axis), :mod:`.compile` (closed forms as exact code, on one size or arrays of sizes),
:mod:`.search` (where a closed form first reaches a value, how it repeats), :mod:`.inputs`
(valid inputs, declared sizes), :mod:`.receptive` (receptive fields), :mod:`.budget` (the time
an analysis may take), :mod:`.closed` (:class:`Analysis`), :mod:`.solve` (a general formula
solved for any of its symbols).
"""

from .closed import BYTES_PER_ELEMENT, MACS_CONVENTION, Analysis, LayerAnalysis, Stopped, analyse, clear_cache, explain
from .compile import Compiled, compile_expr
from .inputs import Congruence, Fit
from .receptive import ReceptiveField

__all__ = [
    "Analysis", "LayerAnalysis", "ReceptiveField", "Congruence", "Fit", "Stopped", "Compiled", "analyse",
    "clear_cache", "compile_expr", "explain", "MACS_CONVENTION", "BYTES_PER_ELEMENT",
]
