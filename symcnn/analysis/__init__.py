"""Whole-network analysis: closed forms in the input size, valid inputs, receptive fields, solving.

Reads the engine's records and never renders. Modules, in order: :mod:`.collapse` (one floor
per axis), :mod:`.compile` (closed forms as fast functions), :mod:`.inputs` (valid inputs),
:mod:`.receptive` (receptive fields), :mod:`.closed` (:class:`Analysis`), :mod:`.solve`
(a general formula solved for any of its symbols).
"""

from .closed import BYTES_PER_ELEMENT, MACS_CONVENTION, Analysis, LayerAnalysis, analyse
from .compile import compile_expr
from .inputs import Congruence
from .receptive import ReceptiveField

__all__ = [
    "Analysis", "LayerAnalysis", "ReceptiveField", "Congruence", "analyse", "compile_expr",
    "MACS_CONVENTION", "BYTES_PER_ELEMENT",
]
