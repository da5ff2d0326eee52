"""``load``: a network from anything a user names: a built-in name or a spec file."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SpecError, UnknownNameError
from ..network import Network
from .spec import load_spec
from .zoo import BUILTIN, SPEC_SUFFIXES

#: ``package.module:callable``: a PyTorch model built by calling ``callable()`` (no arguments).
_CALLABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*")


def load(name: str | Path | Network) -> Network:
    """A built-in or zoo network by name, the network of a spec file (``.yaml``/``.yml``), of an ONNX
    file (``.onnx``), or of a PyTorch model given as ``package.module:callable``
    (``torchvision.models:resnet50``; imported at 224x224x3, see :func:`import_source`).

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
    if str(name).endswith(".onnx") or (isinstance(name, str) and _CALLABLE.fullmatch(name)):
        return import_source(str(name))
    hint = " (no such file either)" if isinstance(name, str) and ("/" in name or "\\" in name) else ""
    raise UnknownNameError(
        f"unknown network {name!r}{hint}; built-in: {', '.join(BUILTIN)}; or give a spec file (.yaml), an ONNX "
        "file (.onnx) or a PyTorch model as package.module:callable",
        where="network",
        rule="network name",
    )


def import_source(source: str, input: str | None = None, *, strict: bool = False) -> Network:
    """The network of an ONNX file (``path.onnx``) or of a PyTorch model (``package.module:callable``,
    called with no arguments, on the meta device where it builds there, so no weights are made),
    imported at ``input`` (default: the ONNX model's own size, or 224x224x3)."""
    if source.endswith(".onnx"):
        from .onnx import from_onnx

        return from_onnx(source, input, strict=strict)
    if not _CALLABLE.fullmatch(source):
        raise SpecError(f"{source!r} is neither an ONNX file (.onnx) nor a PyTorch model as "
                        "package.module:callable", where="import", rule="import source")
    from .torch import from_callable

    return from_callable(source, input or "224x224x3", strict=strict)


__all__ = ["load", "import_source"]
