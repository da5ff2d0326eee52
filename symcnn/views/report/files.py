"""Report files: their names, and writing them all or none."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ...errors import SpecError, SymcnnError


def filename(network: str, fmt: str, lang: str) -> str:
    """``alexnet.md``, ``alexnet.tex``; Korean adds ``.ko``: ``alexnet.ko.md``."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", network):
        raise SpecError(f"the network name {network!r} cannot name a file (letters, digits, . _ - only)",
                        where="report", rule="file name")
    return f"{network}.{fmt}" if lang == "en" else f"{network}.{lang}.{fmt}"


def write_files(files: dict[Path, str]) -> None:
    """Write every file to a temporary file first, then rename them all: none is left half-written."""
    done: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            done.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(content)
        for tmp, path in done:
            os.replace(tmp, path)
    except OSError as e:
        raise SymcnnError(f"cannot write {e.filename or path}: {e.strerror or e}", where="--out",
                          rule="writable folder") from None
    finally:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)


__all__ = ["filename", "write_files"]
