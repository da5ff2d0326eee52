"""``load``: a network from anything a user names: a built-in name, a spec file, an ONNX file or a
PyTorch model."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import SpecError, UnknownNameError, did_you_mean, quote
from ..network import Network
from ..rounding import check_rounding
from ..shape import Shape, ShapeLike
from .spec import load_spec
from .zoo import BUILTIN, SPEC_SUFFIXES

#: A PyTorch model built by calling ``callable()`` (no arguments): ``package.module:callable`` or
#: ``path/to/file.py:callable``.
_CALLABLE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*|.+\.py):[A-Za-z_][A-Za-z0-9_]*")


def is_import_source(name: str) -> bool:
    """Whether ``name`` names a model to import (ONNX file, PyTorch callable) rather than a network."""
    return name.endswith(".onnx") or _CALLABLE.fullmatch(name) is not None


def load(name: str | Path | Network, input: ShapeLike | None = None, *, rounding: str | None = None,
         strict: bool = False) -> Network:
    """A built-in or zoo network by name, the network of a spec file (``.yaml``/``.yml``, or any
    ``Path``), of an ONNX file (``.onnx``), or of a PyTorch model given as ``package.module:callable``
    (``torchvision.models:resnet50``) or ``path/to/file.py:callable``, imported at ``input`` (see
    :func:`import_source`). With ``input``, the network takes that input.

    A spec file is checked as it is read, by deriving it once: at ``input`` and ``rounding``
    where they are given (the ones it will be used at, as the command line's ``--input`` and
    ``--rounding``), else at the spec's own. A mistake is reported with the file's line.

    >>> load("alexnet").derive().total_params
    62378344
    >>> load("resnet18").derive().total_params
    11689512
    >>> load("lenet5", "28x28x1").input
    Shape(28x28x1)
    """
    shape = None if input is None else Shape.of(input, field="input")
    if rounding is not None:
        check_rounding(rounding, where="rounding")
    if isinstance(name, Network):
        net = name
    elif isinstance(name, Path) or (isinstance(name, str) and name.endswith(SPEC_SUFFIXES)):
        net = load_spec(name, input=shape, rounding=rounding)
    elif isinstance(name, str) and name in BUILTIN:
        net = BUILTIN[name]()
    elif isinstance(name, str) and is_import_source(name):
        return import_source(name, shape, strict=strict)
    else:
        hint = did_you_mean(name, BUILTIN) if isinstance(name, str) else ""
        if isinstance(name, str) and _exists(name):
            hint = " (that is a file, but not a spec file: their names end in .yaml or .yml)"
        elif isinstance(name, str) and ("/" in name or "\\" in name):
            hint = " (no such file either)"
        raise UnknownNameError(
            f"unknown network {quote(name)}{hint}; built-in: {', '.join(BUILTIN)}; or give a spec file (.yaml), an "
            "ONNX file (.onnx) or a PyTorch model as package.module:callable or file.py:callable",
            rule="network name",
        )
    if shape is not None and shape != net.input:
        net = replace(net, input=shape)
    return net


def _exists(name: str) -> bool:
    try:
        return Path(name).exists()
    except (OSError, ValueError):
        return False


def import_source(source: str, input: ShapeLike | None = None, *, strict: bool = False) -> Network:
    """The network of an ONNX file (``path.onnx``) or of a PyTorch model (``package.module:callable``
    or ``path/to/file.py:callable``, called with no arguments, on the meta device where it builds
    there, so no weights are made), imported at ``input`` (default: the ONNX model's own size, or
    224x224x3)."""
    if source.endswith(".onnx"):
        from .onnx import from_onnx

        return from_onnx(source, input, strict=strict)
    if not _CALLABLE.fullmatch(source):
        raise SpecError(f"{quote(source)} is neither an ONNX file (.onnx) nor a PyTorch model as "
                        "package.module:callable or file.py:callable", where="import", rule="import source")
    from .torch import from_callable

    return from_callable(source, input or "224x224x3", strict=strict)


__all__ = ["load", "import_source", "is_import_source"]
