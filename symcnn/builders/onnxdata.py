"""An ONNX model's external tensor data, read as data: from the model's own folder only.

A model saved with external data keeps each large tensor in a file beside it and names the file
in the tensor (``location``, with an ``offset`` and a ``length``). The ``onnx`` package opens that
name relative to the working folder; a model is a file people are sent, so symcnn reads it
here instead, before anything else looks at the tensors, and refuses one line for a location that
is absolute, leads out of the model's folder (``..``, a symlink) or into a hidden file or folder
(``.aws/``: a model saved in a home folder), is not a regular file or is missing, or holds more
or fewer bytes than the tensor's type and dimensions declare. The bytes read are at most
:data:`~symcnn.limits.MODEL_BYTES` in all.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from ..errors import SpecError, quote
from ..limits import MODEL_BYTES

#: ONNX element types stored two to a byte (INT4, UINT4, FLOAT4E2M1).
_NIBBLES = {21, 22, 23}
_EXTERNAL = 1  # TensorProto.EXTERNAL


def _error(message: str, where: str) -> SpecError:
    return SpecError(message, where=where, rule="ONNX external data")


def tensors(model) -> list[Any]:
    """Every TensorProto of ``model``: initializers, and tensor attributes of its nodes
    (``Constant``'s value), subgraphs included."""
    found: list[Any] = []
    graphs = [model.graph]
    while graphs:
        graph = graphs.pop()
        found.extend(graph.initializer)
        found.extend(s.values for s in graph.sparse_initializer)
        for node in graph.node:
            for attribute in node.attribute:
                if attribute.HasField("t"):
                    found.append(attribute.t)
                found.extend(attribute.tensors)
                if attribute.HasField("g"):
                    graphs.append(attribute.g)
                graphs.extend(attribute.graphs)
    return found


def count_nodes(data: bytes, most: int | None = None) -> int:
    """The number of nodes of the serialised ModelProto ``data``, read from protobuf's wire format
    without building the model (so a model of a million nodes is refused in a moment, before the
    onnx package is even imported): the graph's, its subgraphs' (``If``, ``Loop``, ``Scan``
    attributes) and its local functions'; counting stops past ``most``.

    >>> count_nodes(bytes([0x3a, 6, 0x0a, 0, 0x0a, 0, 0x12, 0]))  # graph {node {} node {} name: ""}
    2
    >>> count_nodes(bytes([0x3a, 8, 0x0a, 6, 0x2a, 4, 0x32, 2, 0x0a, 0]))  # graph {node {attribute {g {node {}}}}}
    2
    """
    nodes = 0
    # (start, end, field number of the nodes): GraphProto.node is 1, FunctionProto.node 7
    bodies = [(start, end, 1 if field == 7 else 7) for field, start, end in _fields(data, 0, len(data))
              if field in (7, 25)]  # ModelProto.graph, ModelProto.functions
    while bodies:
        start, end, node_field = bodies.pop()
        for field, node_start, node_end in _fields(data, start, end):
            if field != node_field:
                continue
            nodes += 1
            if most is not None and nodes > most:
                return nodes
            for inner, at, to in _fields(data, node_start, node_end):
                if inner == 5:  # NodeProto.attribute: its graphs (AttributeProto.g 6, .graphs 11)
                    bodies.extend((a, b, 1) for kind, a, b in _fields(data, at, to) if kind in (6, 11))
    return nodes


def _fields(data: bytes, at: int, end: int):
    """(field number, start, end) of each length-delimited field between ``at`` and ``end``
    (other fields are skipped); stops quietly at bytes that are not protobuf."""
    try:
        while at < end:
            key, at = _varint(data, at, end)
            kind = key & 7
            if kind == 0:
                _, at = _varint(data, at, end)
            elif kind in (1, 5):
                at += 8 if kind == 1 else 4
            elif kind == 2:
                size, at = _varint(data, at, end)
                if at + size > end:
                    return
                yield key >> 3, at, at + size
                at += size
            else:
                return
    except ValueError:  # a varint that does not end
        return


def _varint(data: bytes, at: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while at < end and shift < 64:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
    raise ValueError("not a varint")


def load_external_data(model, folder: str | os.PathLike[str] | None, where: str) -> None:
    """Read every external tensor of ``model`` from ``folder`` (the model file's) into the tensor
    itself, checked as the module says; with ``folder`` None (a model given in memory), an external
    tensor left unread is refused."""
    budget = [MODEL_BYTES.value]
    for tensor in tensors(model):
        if tensor.data_location != _EXTERNAL:
            continue
        if folder is None:
            raise _error(f"tensor {quote(tensor.name)} keeps its data in a file; load the model with "
                         "onnx.load(path) or give its path", where)
        info = {entry.key: entry.value for entry in tensor.external_data}
        tensor.raw_data = _read(tensor, info, Path(folder), where, budget)
        tensor.data_location = 0  # TensorProto.DEFAULT
        del tensor.external_data[:]


def _read(tensor, info: dict[str, str], folder: Path, where: str, budget: list[int]) -> bytes:
    name = quote(tensor.name, 40)
    location = info.get("location", "")
    path = _inside(folder, location, f"tensor {name}", where)
    size = _declared_size(tensor, where)
    try:
        offset, length = int(info.get("offset", "0")), info.get("length")
    except ValueError:
        raise _error(f"tensor {name}: its offset is not a whole number", where) from None
    if length is not None and (not length.isdigit() or int(length) != size):
        raise _error(f"tensor {name}: its data is said to be {quote(length, 20)} bytes long; its type and "
                     f"dimensions make {size:,}", where)
    if offset < 0:
        raise _error(f"tensor {name}: a negative offset", where)
    budget[0] -= size
    if budget[0] < 0:
        raise MODEL_BYTES.error("the external data of the model's tensors", where=where)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise _error(f"tensor {name}: cannot read its data file {quote(location, 60)}: {e.strerror}", where) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _error(f"tensor {name}: its data file {quote(location, 60)} is not a regular file", where)
        if st.st_size - offset < size or (length is None and st.st_size - offset != size):
            raise _error(f"tensor {name}: its data file {quote(location, 60)} holds {max(st.st_size - offset, 0):,} "
                         f"bytes from offset {offset:,}; its type and dimensions make {size:,}", where)
        data = os.pread(fd, size, offset)
    finally:
        os.close(fd)
    if len(data) != size:
        raise _error(f"tensor {name}: its data file {quote(location, 60)} ended early", where)
    return data


def _inside(folder: Path, location: str, what: str, where: str) -> Path:
    rel = Path(location)
    if not location or "\x00" in location or rel.is_absolute() or ".." in rel.parts:
        raise _error(f"{what}: its data file {quote(location, 60)} is not a file beside the model (an external "
                     "data location is relative to the model's folder and stays inside it)", where)
    if any(part.startswith(".") for part in rel.parts):  # .aws/credentials, .ssh/id_rsa of a model saved in ~
        raise _error(f"{what}: its data file {quote(location, 60)} is hidden (a dot file or folder): external data "
                     "is never read from one", where)
    try:
        base, real = folder.resolve(), (folder / rel).resolve()
    except (OSError, RuntimeError, ValueError):
        raise _error(f"{what}: cannot follow its data file {quote(location, 60)}", where) from None
    if base not in real.parents:
        raise _error(f"{what}: its data file {quote(location, 60)} leads out of the model's folder", where)
    return folder / rel


def _declared_size(tensor, where: str) -> int:
    """The bytes a tensor of this type and these dimensions holds."""
    from onnx import helper

    count = 1
    for d in tensor.dims:
        if d < 0:
            raise _error(f"tensor {quote(tensor.name, 40)}: a negative dimension", where)
        count *= d
    if count > MODEL_BYTES.value * 2:
        raise MODEL_BYTES.error(f"tensor {quote(tensor.name, 40)} of {count:,} values", where=where)
    if tensor.data_type in _NIBBLES:
        return (count + 1) // 2
    try:
        itemsize = helper.tensor_dtype_to_np_dtype(tensor.data_type).itemsize
    except Exception:  # an unknown type, or strings (never stored externally)
        raise _error(f"tensor {quote(tensor.name, 40)}: data type {tensor.data_type} cannot be read from a file",
                     where) from None
    return count * itemsize


__all__ = ["count_nodes", "load_external_data", "tensors"]
