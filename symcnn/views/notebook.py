"""How networks and derivations show in Jupyter: the providers of the ``markdown`` and
``latex`` hooks that :mod:`symcnn.records` and :mod:`symcnn.network` call (wired in
``symcnn/__init__.py``).
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
