"""How networks and derivations show in Jupyter: the Markdown and LaTeX that the package's
facade (``symcnn/__init__.py``) registers with IPython's formatters for a
:class:`~symcnn.network.Network`, a :class:`~symcnn.records.NetworkDerivation` and a
:class:`~symcnn.records.LayerDerivation`.
"""

from __future__ import annotations

from typing import Any

from ..network import Network
from ..records import LayerDerivation, NetworkDerivation
from .report.render import layer_latex, layer_markdown, network_latex, render_markdown


def markdown(value: Any) -> str:
    """A layer's derivation, or a network's whole report, as Markdown."""
    if isinstance(value, LayerDerivation):
        return layer_markdown(value)
    return render_markdown(value)


def latex(value: Any) -> str:
    """A layer's steps, or every layer's, as display math."""
    if isinstance(value, LayerDerivation):
        return layer_latex(value)
    if isinstance(value, Network):
        value = value.derive()
    assert isinstance(value, NetworkDerivation)
    return network_latex(value)


__all__ = ["markdown", "latex"]
