"""Writing report files: all of them or none, each whole, with the mode the user's umask gives.

>>> filename("alexnet", "md", "en"), filename("alexnet", "tex", "ko")
('alexnet.md', 'alexnet.ko.tex')
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import unicodedata
from pathlib import Path

from ...errors import SpecError, SymcnnError, quote

#: The formats a report is written in, by name and file suffix (one file each per language);
#: :data:`symcnn.views.report.formats.FORMATS` has the object that writes each.
FORMAT_NAMES = ("md", "tex", "html")


def filename(network: str, fmt: str, lang: str) -> str:
    """``alexnet.md``, ``alexnet.tex``; Korean adds ``.ko``: ``alexnet.ko.md``."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", network):
        ascii_only = unicodedata.normalize("NFKD", network).encode("ascii", "ignore").decode()
        usable = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only).strip("-._")
        instead = f", such as {quote(usable)}" if usable else ""
        raise SpecError(f"the network name {quote(network)} cannot name a file: a report's file name is ASCII "
                        f"letters, digits, '.', '_' and '-', starting with a letter or digit; give the network "
                        f"such a name (a spec's name: field){instead}", where="report", rule="file name")
    return f"{network}.{fmt}" if lang == "en" else f"{network}.{lang}.{fmt}"


def write_files(files: dict[Path, str | bytes]) -> None:
    """Write every file, or none: no file is ever left half-written, and on a failure the
    targets are as they were.

    Each file is written in full to a temporary file beside its target, created with mode
    0666 less the user's umask (as any new file), and flushed to disk; then each is renamed
    over its target. Should a rename fail, or Ctrl-C, SIGTERM or SIGHUP come meanwhile, the
    targets already replaced get their old content back (or go, where there was none), and the
    temporary files and the folders made for them are removed.
    """
    from .pdf import ended_cleanly

    with ended_cleanly():
        _write_all(files)


def _write_all(files: dict[Path, str | bytes]) -> None:
    made: list[Path] = []
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for path in files:
            if path.is_dir():
                raise SpecError(f"cannot write {path}: a folder of that name is in the way", where="--out",
                                rule="writable folder")
        for path, content in files.items():
            made += _make_parents(path.parent)
            temps[path] = _write_new(path, content.encode("utf-8") if isinstance(content, str) else content)
        for path in files:
            if path.exists():
                backups[path] = _sibling(path, "old")
                try:
                    os.link(path, backups[path])
                except OSError:  # a file system without hard links
                    shutil.copy2(path, backups[path])
        for path, temp in temps.items():
            replaced.append(path)  # before: a signal just after the rename still puts the old content back
            os.replace(temp, path)
    except BaseException as e:  # a signal too (KeyboardInterrupt, or SIGTERM as ended_cleanly raises it)
        for path in reversed(replaced):
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        for leftover in [*temps.values(), *backups.values()]:
            leftover.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if not isinstance(e, OSError) or isinstance(e, SymcnnError):
            raise
        target = e.filename or next(iter(files), "")
        raise SpecError(f"cannot write {target}: {e.strerror or e}", where="--out", rule="writable folder") from None
    for backup in backups.values():
        backup.unlink(missing_ok=True)


def _make_parents(folder: Path) -> list[Path]:
    """Make ``folder`` and any missing parents; the ones made, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _sibling(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.{kind}")


def _write_new(path: Path, data: bytes) -> Path:
    """``data`` in a new file beside ``path`` (mode 0666 less the umask), flushed to disk."""
    temp = _sibling(path, "tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        temp.unlink(missing_ok=True)
        raise
    return temp


__all__ = ["FORMAT_NAMES", "filename", "write_files"]
