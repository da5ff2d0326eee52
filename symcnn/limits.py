"""How much symcnn reads and works on before it refuses: every limit, in one place.

Nothing a user gives symcnn (a file, an option, a value in a spec, claims file or
document, a template) may make it run out of memory or time. Each limit is a
:class:`Limit`: what it bounds, its default, and the environment variable that raises
it. Over a limit, symcnn stops before doing the work, with a one-line
:class:`~symcnn.errors.LimitError` that names the limit and the variable::

    net.yaml line 4, layer x: repeat 100,000,000 is over the limit of 10,000 layers
    (set SYMCNN_MAX_LAYERS to raise it)

============================  ===========  =============================================
variable                      default      what it bounds
============================  ===========  =============================================
SYMCNN_MAX_FILE_BYTES         1,048,576    size of a spec, claims or template file
SYMCNN_MAX_DOCUMENT_BYTES     8,388,608    size of a document ``check-doc`` reads
SYMCNN_MAX_MODEL_BYTES        2 GiB        size of an ONNX model file
SYMCNN_MAX_YAML_VALUES        200,000      values in a YAML file, aliases expanded
SYMCNN_MAX_LAYERS             10,000       layers of a network, blocks and repeats expanded
SYMCNN_MAX_BLOCK_DEPTH        32           blocks used inside blocks
SYMCNN_MAX_DIGITS             1,000        digits of any number read
SYMCNN_MAX_DIGITS_SHOWN       20,000       digits of any number written out
SYMCNN_PDF_SECONDS            120          seconds latexmk may take for one PDF
============================  ===========  =============================================

Only regular files are read (not a folder, a pipe or a device such as ``/dev/zero``),
and never more than the limit allows.

>>> LAYERS.value
10000
>>> LAYERS.check(12, "12 layers")
>>> print(LAYERS.error("repeat 100,000,000", where="net.yaml"))
net.yaml: repeat 100,000,000 is over the limit of 10,000 layers (set SYMCNN_MAX_LAYERS to raise it)
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from .errors import LimitError, SpecError, quote


@dataclass(frozen=True)
class Limit:
    """One limit: ``unit`` names what is counted (``layers``), ``variable`` raises it."""

    unit: str
    variable: str
    default: int

    @property
    def value(self) -> int:
        """The limit in force: the environment variable's value where it is set, else the default."""
        text = os.environ.get(self.variable, "").strip()
        if not text:
            return self.default
        if not re.fullmatch(r"[0-9]{1,15}", text) or int(text) < 1:
            raise LimitError(f"must be a positive whole number, got {quote(text)}", where=self.variable,
                             rule="limit setting")
        return int(text)

    def error(self, what: str, *, where: str | None = None) -> LimitError:
        """The error for ``what`` (``"repeat 100,000,000"``) being over this limit."""
        return LimitError(f"{what} is over the limit of {self.value:,} {self.unit} "
                          f"(set {self.variable} to raise it)", where=where, rule=self.variable)

    def check(self, amount: int, what: str, *, where: str | None = None) -> None:
        """Raise :meth:`error` where ``amount`` is over the limit."""
        if amount > self.value:
            raise self.error(what, where=where)


FILE_BYTES = Limit("bytes", "SYMCNN_MAX_FILE_BYTES", 1 << 20)
DOCUMENT_BYTES = Limit("bytes", "SYMCNN_MAX_DOCUMENT_BYTES", 8 << 20)
MODEL_BYTES = Limit("bytes", "SYMCNN_MAX_MODEL_BYTES", (2 << 30) - 1)  # protobuf's own limit for one message
YAML_VALUES = Limit("values", "SYMCNN_MAX_YAML_VALUES", 200_000)
LAYERS = Limit("layers", "SYMCNN_MAX_LAYERS", 10_000)
BLOCK_DEPTH = Limit("blocks deep", "SYMCNN_MAX_BLOCK_DEPTH", 32)
DIGITS = Limit("digits", "SYMCNN_MAX_DIGITS", 1_000)
DIGITS_SHOWN = Limit("digits", "SYMCNN_MAX_DIGITS_SHOWN", 20_000)
PDF_SECONDS = Limit("seconds", "SYMCNN_PDF_SECONDS", 120)
#: CPU seconds one command may take, all of it (reading, deriving, analysing, writing; a PDF's
#: TeX run has PDF_SECONDS besides): the time of every command is bounded whatever its input.
COMMAND_SECONDS = Limit("seconds of CPU time", "SYMCNN_MAX_SECONDS", 600)

LIMITS = (FILE_BYTES, DOCUMENT_BYTES, MODEL_BYTES, YAML_VALUES, LAYERS, BLOCK_DEPTH, DIGITS, DIGITS_SHOWN, PDF_SECONDS,
          COMMAND_SECONDS)


def check_settings() -> None:
    """Every limit variable that is set must be a positive whole number (checked up front by the CLI)."""
    for limit in LIMITS:
        _ = limit.value


# -- files -----------------------------------------------------------------------------------


def read_bytes(path: str | os.PathLike[str], *, limit: Limit = FILE_BYTES, what: str = "file") -> bytes:
    """The content of the regular file at ``path``, refused past ``limit`` bytes.

    Errors name the file: it is missing, unreadable, not a regular file (a folder, a pipe,
    a device), or too large. Nothing past the limit is ever read, even where the size the
    system reports is wrong.
    """
    name = os.fspath(path)
    try:
        info = os.stat(path)  # follows a symlink: one to /dev/zero is a device
    except (OSError, ValueError) as e:  # ValueError: a NUL character in the name
        raise _unreadable(what, name, e) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or a device)"
        raise SpecError(f"cannot read the {what}: it is {kind}", where=name, rule="regular file")
    _check_size(info.st_size, limit, what, name)
    try:
        with open(path, "rb") as f:
            opened = os.fstat(f.fileno())
            regular = stat.S_ISREG(opened.st_mode)  # replaced since the stat above?
            data = _read_up_to(f, limit.value + 1, opened.st_size) if regular else b""
    except OSError as e:
        raise _unreadable(what, name, e) from None
    if not regular:
        raise SpecError(f"cannot read the {what}: it is not a regular file", where=name, rule="regular file")
    _check_size(len(data), limit, what, name)
    return data


def _read_up_to(f: BinaryIO, most: int, size: int) -> bytes:
    """At most ``most`` bytes of ``f``: the ``size`` it reports at once (``read(n)`` sets aside
    ``n`` bytes before reading, so ``read(2 GiB)`` of an empty file can fail for memory), then
    on, a mebibyte at a time, where the file holds more than it reported."""
    first = min(most, size + 1)
    data = f.read(first)
    if len(data) < first:
        return data
    parts, left = [data], most - len(data)
    while left > 0 and (chunk := f.read(min(left, 2**20))):
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def read_text(path: str | os.PathLike[str], *, limit: Limit = FILE_BYTES, what: str = "file",
              encoding: str = "utf-8") -> str:
    """:func:`read_bytes` decoded; text that is not UTF-8 is refused, naming the byte."""
    data = read_bytes(path, limit=limit, what=what)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # what Windows PowerShell's > writes
        why = ("UTF-16 text (it starts with UTF-16's byte-order mark), not UTF-8: save it as UTF-8" if utf16
               else f"not UTF-8 text ({e.reason} at byte {e.start:,})")
        raise SpecError(f"cannot read the {what}: {why}", where=os.fspath(path), rule="UTF-8 text") from None


def _unreadable(what: str, name: str, e: OSError | ValueError) -> SpecError:
    reason = (e.strerror or str(e)) if isinstance(e, OSError) else "its name holds a NUL character"
    return SpecError(f"cannot read the {what}: {reason}", where=name, rule="readable file")


def _check_size(size: int, limit: Limit, what: str, name: str) -> None:
    limit.check(size, f"the {what} is {size:,} bytes or more, which", where=name)


def is_regular_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an existing regular file (following symlinks), without opening it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# -- numbers ---------------------------------------------------------------------------------


def check_numeral(text: str, *, where: str | None = None) -> None:
    """Refuse a numeral with more digits than :data:`DIGITS` allows, before it is converted.

    Python itself refuses to convert more than 4,300 digits, in a traceback.
    """
    digits = sum(c.isdigit() for c in text)
    DIGITS.check(digits, f"a number of {digits:,} digits", where=where)


def check_int(value: int, *, where: str | None = None) -> None:
    """Refuse a whole number with more digits than :data:`DIGITS` allows (counted without converting it)."""
    if -10 < value < 10:  # one digit: within any limit (without reading the setting, for every layer's field)
        return
    limit = DIGITS.value
    if value.bit_length() > 3 * limit and abs(value) >= 10**limit:
        raise DIGITS.error(f"a number of {_digits(value)} digits", where=where)


def _digits(value: int) -> str:
    """How many digits ``value`` has: exactly where that is cheap, else about."""
    if value.bit_length() < 3 * DIGITS_SHOWN.value:
        return f"{len(int_text(abs(value))):,}"
    return f"about {value.bit_length() * 30103 // 100000 + 1:,}"


def int_text(value: int) -> str:
    """``str(value)`` for a whole number of up to :data:`DIGITS_SHOWN` digits; longer is refused.

    Python refuses more than 4,300 digits unless told otherwise, and converting millions of
    digits takes minutes.
    """
    limit = DIGITS_SHOWN.value
    if value.bit_length() > 3 * limit and abs(value) >= 10**limit:
        raise too_long_to_show(value)
    with numbers_shown_up_to_the_limit():
        return str(value)


def too_long_to_show(value: int | None = None) -> LimitError:
    """The error for a number too long to write out (``value`` where it is known)."""
    about = f", of about {value.bit_length() * 30103 // 100000 + 1:,} digits," if value is not None else ""
    return DIGITS_SHOWN.error(f"a number to write out{about}")


#: How Python words its refusal to convert a long number (``ValueError``).
PYTHON_REFUSAL = "integer string conversion"


@contextmanager
def numbers_shown_up_to_the_limit() -> Iterator[None]:
    """Let Python convert whole numbers of up to :data:`DIGITS_SHOWN` digits to and from text, for a while.

    Python's own limit (4,300 digits) guards against quadratic conversions of untrusted
    text; symcnn keeps that guard at its own limit, which a user can raise. A conversion
    past it raises Python's ``ValueError`` (its message holds :data:`PYTHON_REFUSAL`).
    """
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0 if old == 0 else max(DIGITS_SHOWN.value, 640))  # 640: Python's least
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


__all__ = [
    "Limit", "LIMITS", "FILE_BYTES", "DOCUMENT_BYTES", "MODEL_BYTES", "YAML_VALUES", "LAYERS", "BLOCK_DEPTH", "DIGITS",
    "DIGITS_SHOWN", "PDF_SECONDS", "check_settings", "read_bytes", "read_text", "is_regular_file",
    "check_numeral", "check_int", "int_text", "too_long_to_show", "numbers_shown_up_to_the_limit",
    "PYTHON_REFUSAL",
]
