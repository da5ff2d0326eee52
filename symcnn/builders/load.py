"""``load``: a network from anything a user names: a built-in name, a spec file, an ONNX file or a
PyTorch model."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import SpecError, UnknownNameError, did_you_mean, escaped, has_control, quote
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
    :func:`import_source`). With ``input``, the network takes that input; with ``rounding``, it
    derives in that rounding (``load("alexnet", "224x224x3", rounding="floor").derive()``).

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
        return _in_rounding(import_source(name, shape, strict=strict), rounding)
    else:
        hint = did_you_mean(name, BUILTIN) if isinstance(name, str) else ""
        if isinstance(name, str) and _exists(name):
            what = "a folder" if Path(name).is_dir() else "a file"
            hint = f" (that is {what}, but not a spec file: their names end in .yaml or .yml)"
        elif isinstance(name, str) and ("/" in name or "\\" in name):
            hint = " (no such file either)"
        raise UnknownNameError(
            f"unknown network {quote(name)}{hint}; built-in: {', '.join(BUILTIN)}; or give a spec file (.yaml), an "
            "ONNX file (.onnx) or a PyTorch model as package.module:callable or file.py:callable",
            rule="network name",
        )
    if shape is not None and shape != net.input:
        net = replace(net, input=shape)
    return _in_rounding(net, rounding)


def _in_rounding(net: Network, rounding: str | None) -> Network:
    """``net``, deriving in ``rounding`` where one is given (as ``--rounding`` does)."""
    return net if rounding is None or rounding == net.rounding else replace(net, rounding=rounding)


def _exists(name: str) -> bool:
    try:
        return Path(name).exists()
    except (OSError, ValueError):
        return False


def load_named_in_file(name: object, folder: str | Path, input: ShapeLike | None = None, *,
                       rounding: str | None = None, where: str = "network") -> Network:
    """The network a data file (a claims file) names: a built-in network, or a spec file given
    relative to ``folder`` (the file's own) that stays inside it (no absolute location, no ``..``,
    no symlink leading out, no hidden file or folder). A data file never names code to run or a
    model to import: a PyTorch model (``module:callable``, ``file.py``) or an ONNX file is refused
    here; only the command line may name one.
    """
    if not isinstance(name, str) or not name:
        raise SpecError(f"expected a built-in network or a spec file, got {quote(name)}", where=where,
                        rule="network")
    if name in BUILTIN:
        return load(name, input, rounding=rounding)
    if not name.endswith(SPEC_SUFFIXES):
        raise UnknownNameError(
            f"unknown network {quote(name)}: a data file names a built-in network ({', '.join(BUILTIN)}) or a "
            "spec file (.yaml) beside it; a PyTorch model or an ONNX file is named only on the command line",
            where=where, rule="network named by data")
    return load(inside(folder, name, where=where), input, rounding=rounding)


def inside(folder: str | Path, name: str, *, where: str) -> Path:
    """``name``, relative to ``folder``, as a path that stays inside ``folder`` once symlinks are
    followed; a location that is absolute or leads out of it is a one-line SpecError."""
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts or name.startswith("~"):
        raise SpecError(f"{quote(name)} leads out of the file's folder: a data file names files beside it "
                        "or below, by a relative path without '..'", where=where, rule="files named by data")
    if any(part.startswith(".") for part in rel.parts):  # .config/gh/hosts.yml of a claims file in ~
        raise SpecError(f"{quote(name)} is hidden (a dot file or folder): a data file never names one", where=where,
                        rule="files named by data")
    base = Path(folder)
    try:
        real_base, real = base.resolve(), (base / rel).resolve()
    except (OSError, RuntimeError, ValueError):
        raise SpecError(f"cannot follow {quote(name)}", where=where, rule="files named by data") from None
    if real != real_base and real_base not in real.parents:
        raise SpecError(f"{quote(name)} is a symlink leading out of the file's folder", where=where,
                        rule="files named by data")
    return base / rel


def import_source(source: str, input: ShapeLike | None = None, *, strict: bool = False) -> Network:
    """The network of an ONNX file (``path.onnx``) or of a PyTorch model (``package.module:callable``
    or ``path/to/file.py:callable``, called with no arguments, on the meta device where it builds
    there, so no weights are made), imported at ``input`` (default: the ONNX model's own size, or the
    PyTorch model's first layer's channels at a size where it runs)."""
    if source.endswith(".onnx"):
        from .onnx import from_onnx

        return printable_names(from_onnx(source, input, strict=strict))
    if not _CALLABLE.fullmatch(source):
        raise SpecError(f"{quote(source)} is neither an ONNX file (.onnx) nor a PyTorch model as "
                        "package.module:callable or file.py:callable", where="import", rule="import source")
    from .torch import from_callable

    return printable_names(from_callable(source, input, strict=strict))


def printable_names(net: Network) -> Network:
    r"""``net`` with every layer name that holds a control character, a line break or a line
    separator (a spec refuses them) written with that character as its escape (``a\nb``), and a
    note saying which were: a name is never changed silently.

    >>> from symcnn.layers import ReLU
    >>> net = printable_names(Network("n", "8x8x3", [ReLU("a\nb"), ReLU("c", inputs=("a\nb",))]))
    >>> print(net.layers[0].name, net.layers[1].inputs[0], net.notes[0], sep=" | ")
    a\nb | a\nb | layer names with control characters written with escapes: a\nb
    """
    renamed = {layer.name: escaped(layer.name) for layer in net.layers if has_control(layer.name)}
    if not renamed:
        return net
    taken = {layer.name for layer in net.layers}
    for old, new in renamed.items():
        while new in taken:
            new += "_"
        taken.add(new)
        renamed[old] = new
    layers = [replace(layer, name=renamed.get(layer.name, layer.name),
                      inputs=tuple(renamed.get(i, i) for i in layer.inputs),
                      shares=renamed.get(layer.shares, layer.shares)) for layer in net.layers]
    shown = ", ".join(n if len(n) <= 40 else n[:40] + "..." for n in list(renamed.values())[:5])
    shown += ", ..." if len(renamed) > 5 else ""
    note = f"layer names with control characters written with escapes: {shown}"
    return replace(net, layers=tuple(layers), notes=(*net.notes, note))


__all__ = ["load", "import_source", "is_import_source", "load_named_in_file", "inside", "printable_names"]
