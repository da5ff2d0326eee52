"""How networks and derivations show in Jupyter: the Markdown and LaTeX that the package's
facade (``symcnn/__init__.py``) registers with IPython's formatters for a
:class:`~symcnn.network.Network`, a :class:`~symcnn.records.NetworkDerivation` and a
:class:`~symcnn.records.LayerDerivation` (and LaTeX for a :class:`~symcnn.records.Step`).
"""

from __future__ import annotations

from typing import Any

from ..network import Network
from ..printing import tex
from ..records import LayerDerivation, NetworkDerivation, Step
from .report.formats import lhs_tex
from .report.render import layer_latex, layer_markdown, network_latex, render_markdown


def markdown(value: Any) -> str:
    """A layer's derivation, or a network's whole report, as Markdown."""
    if isinstance(value, LayerDerivation):
        return layer_markdown(value)
    return render_markdown(value)


def latex(value: Any) -> str:
    """One step as inline math; a layer's steps, or every layer's, as display math."""
    if isinstance(value, Step):
        return "$" + " = ".join([lhs_tex(value), *(tex(side) for side in value.chain())]) + "$"
    if isinstance(value, LayerDerivation):
        return layer_latex(value)
    if isinstance(value, Network):
        value = value.derive()
    assert isinstance(value, NetworkDerivation)
    return network_latex(value)


__all__ = ["markdown", "latex"]
