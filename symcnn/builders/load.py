"""``load``: a network from anything a user names: a built-in name or a spec file."""

from __future__ import annotations

from pathlib import Path

from ..errors import UnknownNameError
from ..network import Network
from .spec import load_spec
from .zoo import BUILTIN, SPEC_SUFFIXES


def load(name: str | Path | Network) -> Network:
    """A built-in or zoo network by name, or the network of a spec file (``.yaml``/``.yml``).

    >>> load("alexnet").derive().total_params
    62378344
    >>> load("resnet18").derive().total_params
    11689512
    """
    if isinstance(name, Network):
        return name
    if isinstance(name, Path) or str(name).endswith(SPEC_SUFFIXES):
        return load_spec(name)
    if isinstance(name, str) and name in BUILTIN:
        return BUILTIN[name]()
    hint = " (no such file either)" if isinstance(name, str) and ("/" in name or "\\" in name) else ""
    raise UnknownNameError(
        f"unknown network {name!r}{hint}; built-in: {', '.join(BUILTIN)}; or give a spec file (.yaml)",
        where="network",
        rule="network name",
    )


__all__ = ["load"]
