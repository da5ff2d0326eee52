"""A catalogue of bad inputs: each is refused in one line, in bounded time and memory, writing nothing.

Every command-line case runs ``python -m symcnn ARGS`` in a fresh working folder of its own
(holding the case's files), under a CPU-time limit and an address-space limit, with stdin
empty and TMPDIR pointing at an empty folder beside it.  It checks:

- the exit status (2: bad input; 1 only where a check found a mistake; 4 where check-doc
  found nothing it could check; 0 where the input is odd but fine);
- stderr: exactly one line for an error (``symcnn: error: ...``), none for success; never a
  traceback, never a raw control character (a name holding a newline must not forge a
  second line, an ANSI escape must not reach the terminal), never more than a short line;
- files: nothing new or changed anywhere in the working folder (so in no ``--out`` under it)
  and nothing left in TMPDIR, unless the case is a success that names what it writes.

The Python API cases run a few lines calling symcnn in a subprocess under the same limits
and check that the error raised is a ``SymcnnError`` that also inherits the built-in a caller
would catch, with a one-line message.

The limits: 30 s of CPU time (hang or runaway work; the heaviest case needs about 2 s, so the
limit holds on a machine ten times slower or busier; a wall-clock limit of ten times that catches a
process blocked on a read) and 500 MB of address space.  A normal run of the
heaviest command here needs about 100 MB resident and runs under a 300 MB address-space
cap (``check-doc reports/resnet50.md``; ``summary alexnet`` about 60 MB).  The cases run a few
at a time, in threads, each in its own process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CPU_SECONDS = 30
WALL_SECONDS = 300
MEMORY_BYTES = 500 * 2**20
MAX_ERROR_LINE = 1000  # characters: a message quotes an excerpt, never a whole file
WORKERS = max(2, os.cpu_count() or 2)


# -- how a case's files are made -------------------------------------------------------------


@dataclass(frozen=True)
class Symlink:
    target: str


@dataclass(frozen=True)
class Fifo:
    pass


@dataclass(frozen=True)
class Folder:
    pass


@dataclass(frozen=True)
class Generated:
    """Content made when the case runs (big files are not held in the module)."""

    make: Callable[[], str | bytes]


FileSpec = str | bytes | Symlink | Fifo | Folder | Generated


def _make_files(base: Path, files: dict[str, FileSpec]) -> None:
    for rel, spec in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, Symlink):
            path.symlink_to(spec.target.replace("{work}", str(base)))
        elif isinstance(spec, Fifo):
            os.mkfifo(path)
        elif isinstance(spec, Folder):
            path.mkdir()
        else:
            content = spec.make() if isinstance(spec, Generated) else spec
            if isinstance(content, str):
                content = content.replace("{work}", str(base)).encode("utf-8")
            path.write_bytes(content)


def _snapshot(base: Path) -> dict[str, tuple]:
    """Every entry under ``base`` (symlinks not followed): type, size, mode, content digest."""
    seen = {}
    for top, dirs, names in os.walk(base):
        for name in dirs + names:
            path = Path(top) / name
            st = path.lstat()
            digest = None
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            seen[str(path.relative_to(base))] = (st.st_mode, st.st_size if digest else None, digest)
    return seen


# -- the cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cli:
    """``python -m symcnn *argv`` in a fresh folder holding ``files``."""

    argv: tuple[str | bytes, ...]
    status: int = 2
    files: dict[str, FileSpec] = field(default_factory=dict)
    message: str = ""  # a fragment the error line must hold
    not_message: str = ""  # a fragment it must not hold
    writes: tuple[str, ...] = ()  # what a successful run may write (relative to the folder)
    env: dict[str, str] = field(default_factory=dict)
    clean_stdout: bool = False  # no control characters on stdout either
    check: Callable[[Path, str], None] | None = None  # more checks on (folder, stdout)
    needs: str = ""  # a program the case needs (latexmk)
    secret: bool = False  # the bytes of SECRET (in a file of the case) must be in no output, no written file


SECRET = "c2VjcmV0LWtleS1kbyBub3Qgc2hvdw"  # the content of a file a data file must never show
PAYLOAD = "open('pwned', 'w').write('ran')\ndef build():\n    open('pwned', 'w').write('ran')\n"


@dataclass(frozen=True)
class Api:
    """``code`` run in a fresh folder holding ``files``: it must raise ``error`` (a SymcnnError
    subclass by name) that is also a ``builtin``; with ``error`` None it must not raise."""

    code: str
    error: str | None = "SymcnnError"
    builtin: str | tuple[str, ...] = "ValueError"  # one of these
    files: dict[str, FileSpec] = field(default_factory=dict)
    message: str = ""
    not_message: str = ""


D4301 = "1" + "0" * 4300  # past Python's 4,300-digit limit on int/str conversion
D5000 = "9" * 5000
D401 = "1" + "0" * 400  # past what a float can hold (1.8e308)
BIG_IN = "90071992547409930"  # 10 x 2**53 + 10: a float loses its last digits

SMALL = "input: 32x32x3\nlayers:\n  - {name: conv1, kind: conv, channels: 8, kernel: 3}\n"


def spec(*layers: str, input: str = "32x32x3", head: str = "") -> str:
    """A spec file's text: ``head`` lines, the input, and one layer item per argument."""
    return head + f"input: {input}\nlayers:\n" + "".join(f"  - {layer}\n" for layer in layers)


def conv(**fields) -> str:
    base = {"kind": "conv", "channels": 8, "kernel": 3}
    base.update(fields)
    return "{" + ", ".join(f"{k}: {v}" for k, v in base.items()) + "}"


def _plain_layers(n: int) -> str:
    return "input: 8x8x3\nlayers:\n" + "".join(f"  - {{name: r{i}, kind: relu}}\n" for i in range(n))


def _nested_blocks(depth: int) -> str:
    lines = ["input: 8x8x3", "blocks:"]
    for i in range(depth):
        inner = "{kind: relu}" if i == depth - 1 else f"{{block: b{i + 1}, name: x}}"
        lines += [f"  b{i}:", f"    layers: [{inner}]"]
    lines += ["layers:", "  - {block: b0, name: top}"]
    return "\n".join(lines) + "\n"


def _doubling_blocks(depth: int) -> str:
    """Each block uses the next twice: 2**depth layers from a few hundred bytes."""
    lines = ["input: 8x8x3", "blocks:"]
    for i in range(depth):
        inner = "[{kind: relu}]" if i == depth - 1 else f"[{{block: b{i + 1}, name: p}}, {{block: b{i + 1}, name: q}}]"
        lines += [f"  b{i}:", f"    layers: {inner}"]
    lines += ["layers:", "  - {block: b0, name: top}"]
    return "\n".join(lines) + "\n"


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
) + "input: 8x8x3\nlayers: *i\n"

TWENTY_MB = Generated(lambda: "# padding\n" * (2 * 2**20) + SMALL)
BIG_DOC = Generated(lambda: "$2+2=4$ and some words around it.\n" * (20 * 2**20 // 34))

# a spec that is fine at 227 but refused at its own input of 224 in exact rounding
EXACT_224 = spec(conv(name="conv1", channels=96, kernel=11, stride=4), input="224x224x3",
                 head="name: exact224\nrounding: exact\n")
# a spec whose own input is too small for its kernel
TINY_INPUT = spec(conv(name="conv1", channels=96, kernel=11, stride=4), input="7x7x3", head="name: tiny\n")

# 4,000 aliases of a 120 KB text: 480 MB of notes from a file of 136 KB
NOTES_BOMB = (f"n: &n '{'x' * 120_000}'\nnotes: [" + ", ".join(["*n"] * 4000) + "]\ninput: 8x8x3\nlayers: [{kind: relu}]\n")
MAX_POOL_ONLY = spec("{kind: maxpool, kernel: 2}", head="name: pool\n")
PAST_FLOATS = spec(conv(channels="9" * 400), head="name: huge\n")


def _onnx_of_relus(count: int) -> bytes:
    """The protobuf bytes of an ONNX model whose graph holds ``count`` Relu nodes, written by hand
    (ModelProto.graph is field 7, GraphProto.node field 1, NodeProto.op_type field 4)."""
    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
            n >>= 7
            if not n:
                return bytes(out)

    node = b"\x22\x04Relu"
    graph = (b"\x0a" + varint(len(node)) + node) * count
    return b"\x3a" + varint(len(graph)) + graph


def _onnx_of_relus_in_a_subgraph(count: int) -> bytes:
    """The protobuf bytes of an ONNX model of one If node whose then_branch holds ``count`` Relu
    nodes (NodeProto.attribute is field 5, AttributeProto.g field 6): the graph has one node."""
    def field(number: int, payload: bytes) -> bytes:
        head, size = [], len(payload)
        for n in (number << 3 | 2, size):
            while True:
                head.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
                n >>= 7
                if not n:
                    break
        return bytes(head) + payload

    subgraph = field(1, field(4, b"Relu")) * count
    node = field(4, b"If") + field(5, field(1, b"then_branch") + field(6, subgraph))
    return field(7, field(1, node))


def _no_formula_cells(stdout: str) -> None:
    import csv
    import io

    names = [row["name"] for row in csv.DictReader(io.StringIO(stdout))]
    assert names == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd"], names


def _xml(path: Path) -> None:
    import xml.dom.minidom

    xml.dom.minidom.parse(str(path))


TEMPLATE = "md/report.md.j2"


def template(body: str) -> dict[str, FileSpec]:
    return {f"tpl/{TEMPLATE}": body}


def _latex_template(body: str) -> dict[str, FileSpec]:
    return {"tpl/tex/report.tex.j2": "\\documentclass{article}\\begin{document}" + body + "\\end{document}\n"}


def _assert(condition: bool, shown: str) -> None:
    assert condition, shown


def _columns_line_up(stdout: str) -> None:
    """The ``type`` column of a summary starts at the same terminal column on every row (a
    Hangul syllable takes two)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    rows = [line for line in stdout.splitlines()[1:] if " conv " in line or " act " in line or "type" in line]
    starts = {width(line[: line.index(word)]) for line in rows for word in ("conv ", "act ", "type") if word in line}
    assert len(rows) == 3 and len(starts) == 1, stdout


def _no_float_in_report(folder: Path, stdout: str) -> None:
    tex = (folder / "out" / "alexnet.tex").read_text(encoding="utf-8")
    md = (folder / "out" / "alexnet.md").read_text(encoding="utf-8")
    # conv1 at 90071992547409930 in floor rounding: (90071992547409930 - 11 + 2*0)/4 =
    # 90071992547409919/4 = 22517998136852479.75 exactly (floats give 22517998136852480.0)
    for text in (tex, md):
        assert "22517998136852480.0" not in text
        assert "22517998136852479.75" in text.replace("{,}", "").replace(",", "")
    # and symcnn's own checker finds no wrong step in it (with floats it found four)
    from symcnn.checkdoc import check_file

    for name in ("alexnet.md", "alexnet.tex"):
        result = check_file(folder / "out" / name)
        assert result.checked > 0 and not result.wrong, (name, result.wrong[:2])


CLI_CASES = [
    # -- the command line itself --------------------------------------------------------------
    # symcnn alone prints the help, as --help does (status 0, nothing on stderr)
    pytest.param(Cli((), status=0, check=lambda folder, out: out.startswith("usage: symcnn")), id="no-arguments"),
    pytest.param(Cli(("frobnicate",)), id="unknown-command"),
    pytest.param(Cli(("--frobnicate",)), id="unknown-option"),
    pytest.param(Cli(("summary",)), id="summary-without-network"),
    pytest.param(Cli(("summary", "alexnet", "resnet18")), id="summary-two-networks"),
    pytest.param(Cli(("summary", "alexnet", "--json=yes")), id="flag-with-a-value"),
    pytest.param(Cli(("--version",), status=0), id="version"),
    pytest.param(Cli(("--help",), status=0), id="help"),
    pytest.param(Cli(("summary", "--help"), status=0), id="summary-help"),
    pytest.param(Cli(("list", "extra")), id="list-with-an-argument"),
    pytest.param(Cli(("list",), status=0), id="list"),
    pytest.param(Cli(("summary", "a" * 120_000)), id="argument-of-120000-characters"),  # Linux allows 128 KiB
    pytest.param(Cli(("summary", b"\xff\xfe.yaml")), id="argument-not-utf8"),
    pytest.param(Cli(("summary", "alex\nsymcnn: error: forged")), id="network-name-with-newline"),
    pytest.param(Cli(("summary", "\x1b[2J\x1b[31mred")), id="network-name-with-ansi-escape"),
    pytest.param(Cli(("summary", "alex\x7fnet")), id="network-name-with-delete"),
    pytest.param(Cli(("--debug", "summary", "vgg99"), message="vgg99"), id="debug-keeps-errors-one-line"),
    pytest.param(Cli(("summary", "vgg99"), env={"SYMCNN_DEBUG": "1"}, message="vgg99"),
                 id="debug-env-keeps-errors-one-line"),
    pytest.param(Cli(("summary", "-")), id="summary-dash"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers:\n  - {name: 합성곱, kind: relu}\n"},
                     status=0, env={"PYTHONIOENCODING": "ascii"}), id="summary-non-ascii-name-on-ascii-terminal"),
    pytest.param(Cli(("summary", "alexnet"), env={"SYMCNN_MAX_DIGITS": "many"}, message="SYMCNN_MAX_DIGITS"),
                 id="limit-variable-not-a-number"),
    # -- summary: the network ----------------------------------------------------------------
    pytest.param(Cli(("summary", "vgg99"), message="unknown network"), id="summary-unknown-network"),
    pytest.param(Cli(("summary", "")), id="summary-empty-name"),
    pytest.param(Cli(("summary", "nothing.yaml")), id="summary-missing-spec"),
    pytest.param(Cli(("summary", "dir.yaml"), files={"dir.yaml": Folder()}), id="summary-spec-is-a-folder"),
    pytest.param(Cli(("summary", "zero.yaml"), files={"zero.yaml": Symlink("/dev/zero")}),
                 id="summary-spec-symlink-to-dev-zero"),
    pytest.param(Cli(("summary", "/dev/zero"), not_message="no such file"), id="summary-dev-zero"),
    pytest.param(Cli(("summary", "/etc/passwd"), not_message="no such file"), id="summary-existing-file-not-a-spec"),
    pytest.param(Cli(("summary", "pipe.yaml"), files={"pipe.yaml": Fifo()}), id="summary-spec-is-a-fifo"),
    pytest.param(Cli(("summary", "big.yaml"), files={"big.yaml": TWENTY_MB}, message="limit"),
                 id="summary-spec-of-20-mb"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": SMALL.encode("utf-16")}), id="summary-spec-utf16"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "name: caf\xe9\n".encode("latin-1") + SMALL.encode()}),
                 id="summary-spec-latin1"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": bytes(range(256)) * 4}), id="summary-spec-binary"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": ""}), id="summary-spec-empty"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "- a\n- b\n"}), id="summary-spec-is-a-list"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "42\n"}), id="summary-spec-is-a-number"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "name: !!python/object/apply:os.system ['touch pwned']\n" + SMALL}), id="summary-spec-python-tag"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: !!binary aGVsbG8=\nlayers: [{kind: relu}]\n"}),
                 id="summary-spec-binary-tag"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: !!timestamp 2001-12-14\nlayers: [{kind: relu}]\n"}),
                 id="summary-spec-timestamp"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": ALIAS_BOMB}), id="summary-spec-alias-bomb"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers: &a [*a]\n"}),
                 id="summary-spec-alias-containing-itself"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers: " + "[" * 20000 + "]" * 20000 + "\n"}),
                 id="summary-spec-nested-20000-lists"),
    # block sequences nest without a bracket: libyaml's composer would recurse in C until the process died
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers:\n" + "- " * 200_000 + "x\n"}),
                 id="summary-spec-200000-nested-block-sequences"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"}),
                 id="summary-spec-nested-5000-mappings"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers:\n\t- {kind: relu}\n"}),
                 id="summary-spec-tab-indent"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\ninput: 9x9x3\nlayers: [{kind: relu}]\n"}),
                 id="summary-spec-duplicate-key"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "inputs: 8x8x3\nlayers: [{kind: relu}]\n"}),
                 id="summary-spec-unknown-key"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "layers: [{kind: relu}]\n"}), id="summary-spec-no-input"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", input=f"{D5000}x8x3")}),
                 id="summary-spec-input-5000-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", input=f"[{D4301}, 8, 3]")}),
                 id="summary-spec-input-list-4301-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", input="2.5e3")}),
                 id="summary-spec-input-float"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", input=".inf")}),
                 id="summary-spec-input-infinity"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", input="[-3, 3, 3]")}),
                 id="summary-spec-input-negative"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", input="''")}),
                 id="summary-spec-input-empty"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", head="rounding: round\n")}),
                 id="summary-spec-rounding-unknown"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", head="rounding: [floor]\n")}),
                 id="summary-spec-rounding-a-list"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers: []\n"}), id="summary-spec-no-layers"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": "input: 8x8x3\nlayers: {a: b}\n"}),
                 id="summary-spec-layers-a-mapping"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("relu")}), id="summary-spec-layer-a-text"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: convolution}")}),
                 id="summary-spec-unknown-kind"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: a}")}), id="summary-spec-no-kind"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: 5}")}), id="summary-spec-kind-a-number"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernal=3))}), id="summary-spec-unknown-field"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: conv, kernel: 3}")}),
                 id="summary-spec-missing-channels"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel=D5000))}),
                 id="summary-spec-kernel-5000-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel=D4301))}),
                 id="summary-spec-kernel-4301-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="1" + "0" * 30))}),
                 id="summary-spec-kernel-larger-than-input"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel=3.5))}), id="summary-spec-kernel-fraction"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel=".nan"))}), id="summary-spec-kernel-nan"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="-.inf"))}),
                 id="summary-spec-kernel-minus-infinity"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="'2**3'"))}),
                 id="summary-spec-kernel-arithmetic"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": spec(conv(kernel="\"__import__('os').system('touch pwned')\""))}), id="summary-spec-kernel-injection"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="__class__"))}),
                 id="summary-spec-kernel-dunder"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="true"))}), id="summary-spec-kernel-boolean"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="null"))}), id="summary-spec-kernel-null"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="[]"))}), id="summary-spec-kernel-empty-list"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="[[3]]"))}),
                 id="summary-spec-kernel-nested-list"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="[" + ", ".join(["3"] * 100000) + "]"))}),
                 id="summary-spec-kernel-list-of-100000"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel="{a: 1}"))}),
                 id="summary-spec-kernel-a-mapping"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(stride=0))}), id="summary-spec-stride-zero"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(padding=-1))}), id="summary-spec-padding-negative"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(padding="SAME"))}),
                 id="summary-spec-padding-uppercase-same"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: maxpool, kernel: 2, padding: same}")}),
                 id="summary-spec-pool-padding-same"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: maxpool, kernel: 2, padding: 2}")}),
                 id="summary-spec-pool-padding-over-half"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(channels=0))}), id="summary-spec-channels-zero"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(channels=-5))}),
                 id="summary-spec-channels-negative"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(channels=8, groups=3))}),
                 id="summary-spec-groups-not-dividing"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(bias="'yes'"))}), id="summary-spec-bias-a-text"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(name='"bad\\nsymcnn: error: forged"', kernel=99))}),
                 id="summary-spec-layer-name-with-newline"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(name='"\\e[2J\\e[31mred"', kernel=99))}),
                 id="summary-spec-layer-name-with-ansi-escape"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec('{name: "\\e[2Jred", kind: relu}')}, message="printable"),
                 id="summary-table-layer-name-with-ansi-escape"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(kernel=99), head='name: "a\\nb\\e[0m"\n')}),
                 id="summary-spec-network-name-with-control-characters"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", head="name: 5\n")}),
                 id="summary-spec-name-a-number"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", head="description: [a]\n")}),
                 id="summary-spec-description-a-list"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: a, kind: relu, from: b}")}),
                 id="summary-spec-from-unknown"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: a, kind: relu, from: a}")}),
                 id="summary-spec-from-itself"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: a, kind: relu, from: b}", "{name: b, kind: relu}")}),
                 id="summary-spec-from-a-later-layer"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: a, kind: relu, from: []}")}),
                 id="summary-spec-from-empty"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": spec(conv(name="a", channels=4), conv(name="b", channels=8, **{"from": "input"}),
                         "{name: s, kind: add, from: [a, b]}")}), id="summary-spec-add-of-different-shapes"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": spec(conv(name="a", stride=2), "{name: s, kind: concat, from: [a, input]}")}),
                 id="summary-spec-concat-of-different-sizes"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: a, kind: relu}", "{name: a, kind: tanh}")}),
                 id="summary-spec-name-used-twice"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: input, kind: relu}")}),
                 id="summary-spec-layer-named-input"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: flatten}", "{kind: linear}")}),
                 id="summary-spec-linear-without-features"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: flatten}", f"{{kind: linear, features: {D5000}}}")}),
                 id="summary-spec-features-5000-digits"),
    pytest.param(Cli(("summary", "net.yaml"), status=0, files={
        "net.yaml": spec("{kind: flatten}", f"{{kind: linear, features: {'7' * 900}}}",
                         f"{{kind: linear, features: {'7' * 900}}}")}), id="summary-spec-features-900-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": Generated(lambda: _plain_layers(100_000))}),
                 id="summary-spec-100000-plain-layers"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": Generated(lambda: _plain_layers(20_000))},
                     not_message="alias"), id="summary-spec-20000-plain-layers"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: 100000000}\n"},
        message="limit"), id="summary-spec-repeat-100000000"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: 1000000}\n"}),
        id="summary-spec-repeat-1000000"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": f"input: 8x8x3\nblocks:\n  b: {{layers: [{{kind: relu}}]}}\nlayers:\n  - {{block: b, name: x, repeat: {D5000}}}\n"}),
        id="summary-spec-repeat-5000-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: -1}\n"}),
        id="summary-spec-repeat-negative"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: 2.5}\n"}),
        id="summary-spec-repeat-fraction"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": f"input: 8x8x3\nblocks:\n  b: {{layers: [{{kind: relu}}]}}\nlayers:\n  - {{block: b, name: x, repeat: 2, start: {D5000}}}\n"}),
        id="summary-spec-start-5000-digits"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": _nested_blocks(500)}, message="limit"),
                 id="summary-spec-500-nested-blocks"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": _doubling_blocks(24)}, message="SYMCNN_MAX_LAYERS"),
                 id="summary-spec-blocks-doubling-24-times"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": _doubling_blocks(40)}, message="limit"),
                 id="summary-spec-blocks-doubling-40-times"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  a: {layers: [{block: a, name: x}]}\nlayers:\n  - {block: a, name: top}\n"}),
        id="summary-spec-block-uses-itself"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  a: {layers: [{block: b, name: x}]}\n  b: {layers: [{block: a, name: y}]}\n"
                    "layers:\n  - {block: a, name: top}\n"}), id="summary-spec-blocks-use-each-other"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{block: nosuch, name: x}")}),
                 id="summary-spec-unknown-block"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {params: [c], layers: [{kind: conv, channels: $c, kernel: 1}]}\n"
                    "layers:\n  - {block: b, name: x}\n"}), id="summary-spec-block-argument-missing"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {params: [c], layers: [{kind: conv, channels: $c, kernel: 1}]}\n"
                    "layers:\n  - {block: b, name: x, args: {c: 4, d: 5}}\n"}), id="summary-spec-block-argument-unknown"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(channels="$c"))}),
                 id="summary-spec-parameter-outside-a-block"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(conv(channels="'$'"))}),
                 id="summary-spec-parameter-without-a-name"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {params: 5, layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x}\n"}),
        id="summary-spec-block-params-a-number"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  'a b': {layers: [{kind: relu}]}\nlayers:\n  - {kind: relu}\n"}),
        id="summary-spec-block-name-not-a-name"),
    pytest.param(Cli(("summary", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {name: a, kind: relu}\n"
                    "  - {block: b, name: x, from: [a, input]}\n"}), id="summary-spec-block-reads-two-inputs"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": EXACT_224}, message="floor"),
                 id="summary-spec-exact-not-whole"),
    pytest.param(Cli(("summary", "net.yaml", "--rounding", "floor"), files={"net.yaml": EXACT_224}, status=0),
                 id="summary-spec-exact-overridden-by-rounding-floor"),
    pytest.param(Cli(("summary", "net.yaml", "--input", "227x227x3"), files={"net.yaml": TINY_INPUT}, status=0),
                 id="summary-spec-small-input-overridden-by-input"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": TINY_INPUT}), id="summary-spec-kernel-larger-than-its-input"),
    # -- summary: --input and --rounding -------------------------------------------------------
    pytest.param(Cli(("summary", "alexnet", "--input", "227x227x")), id="input-malformed"),
    pytest.param(Cli(("summary", "alexnet", "--input", "0x227x3")), id="input-zero"),
    pytest.param(Cli(("summary", "alexnet", "--input=-5x227x3")), id="input-negative"),
    pytest.param(Cli(("summary", "alexnet", "--input", f"{D5000}x227x3")), id="input-5000-digits"),
    pytest.param(Cli(("summary", "alexnet", "--input", f"{D4301}x{D4301}x3", "--rounding", "floor")),
                 id="input-4301-digits"),
    pytest.param(Cli(("summary", "alexnet", "--input", "227x227x3x3x3")), id="input-five-sizes"),
    pytest.param(Cli(("summary", "alexnet", "--input", "")), id="input-empty"),
    pytest.param(Cli(("summary", "alexnet", "--input", "\uff12\uff12\uff17x227x3")), id="input-fullwidth-digits"),
    pytest.param(Cli(("summary", "alexnet", "--input", "1e3x1e3x3")), id="input-exponent"),
    pytest.param(Cli(("summary", "alexnet", "--input", "227x227x3\x1b[31m")), id="input-with-ansi-escape"),
    pytest.param(Cli(("summary", "alexnet", "--input", "10x10x3", "--rounding", "floor")), id="input-smaller-than-kernel"),
    pytest.param(Cli(("summary", "alexnet", "--input", "4096")), id="input-a-vector"),
    pytest.param(Cli(("summary", "alexnet", "--input", f"{BIG_IN}x{BIG_IN}x3", "--rounding", "floor"), status=0),
                 id="input-17-digits-floor"),
    pytest.param(Cli(("summary", "alexnet", "--input", f"{D401}x{D401}x3", "--rounding", "floor"), status=0),
                 id="input-401-digits-floor"),
    pytest.param(Cli(("summary", "alexnet", "--rounding", "round")), id="rounding-unknown"),
    pytest.param(Cli(("summary", "alexnet", "--rounding", "")), id="rounding-empty"),
    # -- formula -------------------------------------------------------------------------------
    pytest.param(Cli(("formula", "conv")), id="formula-unknown"),
    pytest.param(Cli(("formula",)), id="formula-without-name"),
    pytest.param(Cli(("formula", "--list", "conv-output")), id="formula-list-with-a-name"),
    pytest.param(Cli(("formula", "--list", "--json")), id="formula-list-json"),
    pytest.param(Cli(("formula", "conv-output", "--latex", "--json")), id="formula-latex-and-json"),
    pytest.param(Cli(("formula", "conv\noutput")), id="formula-name-with-newline"),
    pytest.param(Cli(("formula", "x" * 100_000)), id="formula-name-of-100000-characters"),
    pytest.param(Cli(("formula", "conv-output", "--rounding", "nearest")), id="formula-rounding-unknown"),
    # -- derive --------------------------------------------------------------------------------
    pytest.param(Cli(("derive", "vgg99")), id="derive-unknown-network"),
    pytest.param(Cli(("derive", "alexnet", "--symbolic", "XY")), id="derive-symbolic-unknown"),
    pytest.param(Cli(("derive", "alexnet", "--rounding", "round")), id="derive-rounding-unknown"),
    pytest.param(Cli(("derive", "zero.yaml"), files={"zero.yaml": Symlink("/dev/zero")}), id="derive-spec-dev-zero"),
    pytest.param(Cli(("derive", "net.yaml"), files={
        "net.yaml": "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: 100000000}\n"}),
        id="derive-spec-repeat-100000000"),
    pytest.param(Cli(("derive", "net.yaml"), files={"net.yaml": _nested_blocks(500)}), id="derive-spec-500-nested-blocks"),
    pytest.param(Cli(("derive", "net.yaml"), files={"net.yaml": spec(conv(kernel=D5000))}), id="derive-spec-kernel-5000-digits"),
    pytest.param(Cli(("derive", "net.yaml"), status=0, files={
        "net.yaml": spec(*[conv(kernel=1, stride="9" * 900, channels=1) for _ in range(8)], input="1x1x1",
                         head="rounding: floor\n")}), id="derive-strides-multiplying-to-7200-digits"),
    pytest.param(Cli(("derive", "net.yaml"), files={"net.yaml": spec(conv(channels="N"), "{kind: flatten}", "{kind: linear, features: N}")},
                     status=0), id="derive-spec-symbolic-channels"),
    pytest.param(Cli(("derive", "net.yaml", "--rounding", "floor"), files={"net.yaml": EXACT_224}, status=0),
                 id="derive-spec-exact-overridden-by-rounding-floor"),
    # -- solve ---------------------------------------------------------------------------------
    pytest.param(Cli(("solve", "nosuch", "--for", "P")), id="solve-unknown-formula"),
    pytest.param(Cli(("solve", "conv-output")), id="solve-without-for"),
    pytest.param(Cli(("solve", "conv-output", "--for", "Q")), id="solve-for-unknown-symbol"),
    pytest.param(Cli(("solve", "conv-output", "--for", "F")), id="solve-for-symbol-not-in-formula"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P\n\x1b[31m")), id="solve-for-with-control-characters"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O")), id="solve-given-without-equals"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "=5")), id="solve-given-without-name"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O=")), id="solve-given-without-value"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O=1", "O=2")), id="solve-given-twice"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "Z=1")), id="solve-given-unknown-symbol"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O=1+1")), id="solve-given-arithmetic"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O=__import__('os').system('touch pwned')")),
                 id="solve-given-injection"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O=2.5")), id="solve-given-fraction"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "S=0")), id="solve-given-stride-zero"),
    pytest.param(Cli(("solve", "conv-output", "--for", "O", "--given", "P=-1")), id="solve-given-padding-negative"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", f"O={D5000}")), id="solve-given-5000-digits"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", f"O={D4301}", "S=1", "K=3", "I=5")),
                 id="solve-given-4301-digits"),
    pytest.param(Cli(("solve", "conv-params", "--for", "W_c", "--given", f"K={'9' * 900}", f"C={'9' * 900}",
                      f"N={'9' * 900}"), status=0), id="solve-result-of-2700-digits"),
    pytest.param(Cli(("solve", "conv-output", "--for", "O", "--given", "O=5")), id="solve-for-a-given-symbol"),
    pytest.param(Cli(("solve", "conv-output", "--for", "I", "--given", "O=0")), id="solve-given-output-zero"),
    pytest.param(Cli(("solve", "conv-output", "--for", "Pz\x1b]0;title\x07", "--given", "O=1")),
                 id="solve-for-with-terminal-title-escape"),
    pytest.param(Cli(("solve", "conv-output", "--for", "P", "--given", "O=I", "S=1", "--json"), status=0),
                 id="solve-json"),
    # -- report --------------------------------------------------------------------------------
    pytest.param(Cli(("report",)), id="report-without-network"),
    pytest.param(Cli(("report", "vgg99")), id="report-unknown-network"),
    pytest.param(Cli(("report", "alexnet", "vgg99")), id="report-second-network-unknown"),
    pytest.param(Cli(("report", "alexnet", "--format", "pdf")), id="report-format-unknown"),
    pytest.param(Cli(("report", "alexnet", "--lang", "fr")), id="report-lang-unknown"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--fragment")), id="report-pdf-of-a-fragment"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--format", "md")), id="report-pdf-without-tex"),
    pytest.param(Cli(("report", "alexnet", "--out", "file.txt"), files={"file.txt": "keep me\n"}),
                 id="report-out-is-a-file"),
    pytest.param(Cli(("report", "alexnet", "--out", "file.txt/sub"), files={"file.txt": "keep me\n"}),
                 id="report-out-under-a-file"),
    pytest.param(Cli(("report", "alexnet", "--out", "out"), files={"out/alexnet.tex": Folder()}),
                 id="report-out-target-is-a-folder"),
    pytest.param(Cli(("report", "alexnet", "--out", "out"), files={"out/alexnet.tex": Folder(), "out/alexnet.md": "old\n"}),
                 id="report-out-second-target-fails-first-kept"),
    pytest.param(Cli(("report", "alexnet", "--input", "7x7x3", "--builtin", "--out", "out")),
                 id="report-builtin-with-input-too-small"),
    pytest.param(Cli(("report", "alexnet", "net.yaml", "--out", "out"), files={"net.yaml": spec("{kind: relu}", head="name: alexnet\n")}),
                 id="report-two-networks-of-one-name"),
    pytest.param(Cli(("report", "net.yaml", "--out", "out"), files={"net.yaml": spec("{kind: relu}", head="name: ../../escape\n")}),
                 id="report-name-not-a-file-name"),
    pytest.param(Cli(("report", "net.yaml", "--out", "out"), files={"net.yaml": spec("{kind: relu}", head='name: "a\\nb"\n')}),
                 id="report-name-with-newline"),
    pytest.param(Cli(("report", "alexnet", "--input", f"{D5000}x227x3", "--out", "out")), id="report-input-5000-digits"),
    pytest.param(Cli(("report", "alexnet", "--input", f"{D401}x{D401}x3", "--rounding", "floor", "--out", "out"),
                     status=0, writes=("out/alexnet.md", "out/alexnet.tex", "out/alexnet.html")), id="report-input-401-digits-floor"),
    pytest.param(Cli(("report", "alexnet", "--input", f"{BIG_IN}x{BIG_IN}x3", "--rounding", "floor", "--out", "out"),
                     status=0, writes=("out/alexnet.md", "out/alexnet.tex", "out/alexnet.html"), check=_no_float_in_report),
                 id="report-input-17-digits-floor-exact"),
    pytest.param(Cli(("report", "net.yaml", "--rounding", "floor", "--out", "out"), files={"net.yaml": EXACT_224},
                     status=0, writes=("out/exact224.md", "out/exact224.tex", "out/exact224.html")), id="report-spec-exact-overridden-by-floor"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "nosuch", "--out", "out")), id="report-template-dir-missing"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "file.txt", "--out", "out"), files={"file.txt": "x"}),
                 id="report-template-dir-a-file"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"), files=template("{{ 1/0 }}\n")),
                 id="report-template-division-by-zero"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files=template("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n")),
                 id="report-template-recursive-macro"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files=template('{% include "' + TEMPLATE + '" %}\n')), id="report-template-includes-itself"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"), files=template("{% for %}\n")),
                 id="report-template-syntax-error"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"), files=template("{{ nosuch.name }}\n")),
                 id="report-template-undefined-name"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"), files=template("{{ d | thousands(1, 2) }}\n")),
                 id="report-template-filter-wrong-arguments"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"), files=template("{{ d.layers[1000] }}\n")),
                 id="report-template-index-out-of-range"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files=template('{{ "x" * 10000000000 }}\n')), id="report-template-ten-gigabytes"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files={f"tpl/{TEMPLATE}": "caf\xe9 {{ d.name }}\n".encode("latin-1")}), id="report-template-latin1"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files={f"tpl/{TEMPLATE}": Symlink("/dev/zero")}), id="report-template-symlink-to-dev-zero"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files={f"tpl/{TEMPLATE}": Generated(lambda: "{# padding #}\n" * (2 * 2**20))}),
                 id="report-template-of-28-mb"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files=template('{% extends "builtin/md/report.md.j2" %}{% block title %}{{ 1/0 }}{% endblock %}\n')),
                 id="report-template-extends-builtin-and-fails"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files=template('{% include "/etc/passwd" %}\n')), id="report-template-includes-etc-passwd"),
    pytest.param(Cli(("report", "alexnet", "--template-dir", "tpl", "--out", "out"),
                     files=template('{% include "../../../etc/passwd" %}\n')), id="report-template-includes-parent"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--out", "out"), env={"PATH": "/nonexistent"}, message="latexmk"),
                 id="report-pdf-without-latexmk"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--format", "tex", "--template-dir", "tpl", "--out", "out"),
                     files=_latex_template("\\undefinedcommand"), needs="latexmk"), id="report-pdf-latex-error"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--format", "tex", "--template-dir", "tpl", "--out", "out"),
                     files=_latex_template("\\input{/etc/passwd}"), needs="latexmk"), id="report-pdf-reads-etc-passwd"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--format", "tex", "--template-dir", "tpl", "--out", "out"),
                     files=_latex_template("\\def\\x{\\x}\\x"), env={"SYMCNN_PDF_SECONDS": "2"}, message="SYMCNN_PDF_SECONDS",
                     needs="latexmk"), id="report-pdf-endless-loop"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--format", "tex", "--template-dir", "tpl", "--out", "out"),
                     files=_latex_template("\\immediate\\write18{touch {work}/pwned}x"), status=0,
                     writes=("out/alexnet.tex", "out/alexnet.pdf"), needs="latexmk"), id="report-pdf-shell-escape"),
    pytest.param(Cli(("report", "alexnet", "--pdf", "--out", "out"), env={"SYMCNN_PDF_SECONDS": "-1"},
                     message="SYMCNN_PDF_SECONDS", needs="latexmk"), id="report-pdf-time-limit-negative"),
    # -- data never names code, nor a file outside its folder ---------------------------------
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: 'payload:build'\nclaims: {total_params: 1}\n",
                                                      "payload.py": PAYLOAD}, message="command line"),
                 id="check-network-module-callable"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: 'payload.py:build'\nclaims: {total_params: 1}\n",
                                                      "payload.py": PAYLOAD}, message="command line"),
                 id="check-network-python-file"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: 'http.server:test'\nclaims: {total_params: 1}\n"},
                     message="command line"), id="check-network-http-server"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: m.onnx\nclaims: {total_params: 1}\n",
                                                      "m.onnx": b"\x08\x07"}, message="command line"),
                 id="check-network-onnx-file"),
    pytest.param(Cli(("check", "sub/claims.yaml"), files={"sub/claims.yaml": "network: ../secret.yaml\nclaims: {total_params: 1}\n",
                                                          "secret.yaml": SECRET + "\n"}, message="out of", secret=True),
                 id="check-network-spec-in-the-parent-folder"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: '{work}/secret.yaml'\nclaims: {total_params: 1}\n",
                                                      "secret.yaml": SECRET + "\n"}, message="out of", secret=True),
                 id="check-network-spec-absolute"),
    pytest.param(Cli(("check", "sub/claims.yaml"), files={"sub/claims.yaml": "network: net.yaml\nclaims: {total_params: 1}\n",
                                                          "sub/net.yaml": Symlink("../secret.yaml"), "secret.yaml": SECRET + "\n"},
                     message="symlink", secret=True), id="check-network-spec-symlink-out"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: secret.yaml\nclaims: {total_params: 1}\n",
                                                      "secret.yaml": SECRET + "\n"}, secret=True),
                 id="check-network-yaml-not-a-spec-not-quoted"),
    pytest.param(Cli(("check", "claims.yaml"), status=0, files={"claims.yaml": "network: nets/net.yaml\nclaims: {total_params: 0}\n",
                                                                "nets/net.yaml": spec("{kind: relu}")}),
                 id="check-network-spec-in-a-subfolder-is-fine"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: .config/net.yaml\nclaims: {total_params: 0}\n",
                                                      ".config/net.yaml": spec("{kind: relu}")}, message="hidden"),
                 id="check-network-spec-in-a-dot-folder"),
    pytest.param(Cli(("summary", "secret.yaml"), files={"secret.yaml": SECRET + "\n"}, secret=True),
                 id="summary-file-not-a-spec-not-quoted"),
    # -- names: one printable line (a blank line or a line separator breaks TeX, XML, CSV) -----
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec('{name: "a\\n\\nb", kind: relu}')}, message="printable"),
                 id="summary-spec-layer-name-with-blank-line"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec('{name: "a\\u2028b", kind: relu}')}, message="printable"),
                 id="summary-spec-layer-name-with-line-separator"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec('{name: "a\\u2029b", kind: relu}')}, message="printable"),
                 id="summary-spec-layer-name-with-paragraph-separator"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{kind: relu}", head='name: "a\\u2028b"\n')},
                     message="printable"), id="summary-spec-network-name-with-line-separator"),
    pytest.param(Cli(("summary", "net.yaml", "--format", "csv"), status=0, files={"net.yaml": spec(
        "{name: '=1+1', kind: relu}", "{name: '+SUM(A1)', kind: relu}", "{name: '-2+3', kind: relu}",
        "{name: '@cmd', kind: relu}")}, check=lambda folder, out: _no_formula_cells(out)), id="summary-csv-formula-names"),
    # -- bounded by the inputs ------------------------------------------------------------------
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": Generated(lambda: NOTES_BOMB)}, message="aliases"),
                 id="summary-spec-notes-alias-bomb"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": Generated(lambda: NOTES_BOMB.replace(
        "input: 8x8x3\nlayers: [{kind: relu}]", "network: alexnet\nclaims: {total_params: 1}"))}, message="aliases"),
                 id="check-text-alias-bomb"),
    pytest.param(Cli(("report", "net.yaml", "--out", "out"), status=0, files={"net.yaml": MAX_POOL_ONLY},
                     writes=("out/pool.md", "out/pool.tex", "out/pool.html")), id="report-every-mac-zero"),
    pytest.param(Cli(("plot", "net.yaml", "--what", "macs", "--out", "p.svg"), status=0, files={"net.yaml": MAX_POOL_ONLY},
                     writes=("p.svg",), check=lambda folder, out: _xml(folder / "p.svg")), id="plot-every-mac-zero"),
    pytest.param(Cli(("report", "net.yaml", "--format", "md", "--out", "out"), status=0, files={"net.yaml": PAST_FLOATS},
                     writes=("out/huge.md",)), id="report-params-past-1e308"),
    pytest.param(Cli(("plot", "net.yaml", "--what", "params", "--out", "p.svg"), status=0, files={"net.yaml": PAST_FLOATS},
                     writes=("p.svg",), check=lambda folder, out: _xml(folder / "p.svg")), id="plot-params-past-1e308"),
    # 2,000 symbols: a minute of sympy; the command's CPU-time limit (set low here) ends it in one line
    pytest.param(Cli(("report", "net.yaml", "--format", "md", "--out", "out"), env={"SYMCNN_MAX_SECONDS": "1"},
                     files={"net.yaml": Generated(lambda: spec(*(conv(name=f"c{i}", channels=f"N{i}", kernel=1)
                                                                 for i in range(2000))))},
                     message="SYMCNN_MAX_SECONDS"), id="report-2000-symbols-past-the-command-time-limit"),
    pytest.param(Cli(("summary", "m.onnx"), files={"m.onnx": Generated(lambda: _onnx_of_relus(1_000_000))},
                     message="nodes"), id="summary-onnx-a-million-nodes"),
    # the nodes of subgraphs count too: 3,000,000 in one If took 7 s and 1.4 GB before a refusal
    pytest.param(Cli(("summary", "m.onnx"), files={"m.onnx": Generated(lambda: _onnx_of_relus_in_a_subgraph(1_000_000))},
                     message="nodes"), id="summary-onnx-a-million-nodes-in-a-subgraph"),
    # a chain of 50,000 wrong steps on one line: each explained by every other side (45 s for 250 KB)
    pytest.param(Cli(("check-doc", "doc.txt"), status=1, files={"doc.txt": Generated(
        lambda: " = ".join(["6 x 7", "43"] * 25_000) + "\n")}), id="check-doc-chain-of-50000-wrong-steps"),
    pytest.param(Cli(("memory", "net.yaml"), status=0, files={"net.yaml": PAST_FLOATS}), id="memory-params-past-1e308"),
    # the total of 10,000 symbolic channels: sympy's ordered printing took 42 s and 3.3 GB
    pytest.param(Cli(("summary", "net.yaml"), status=0, files={"net.yaml": Generated(lambda: spec(
        *(conv(name=f"c{i}", channels=f"N{i}", kernel=1) for i in range(10_000))))}),
                 id="summary-spec-10000-symbolic-channels"),
    pytest.param(Cli(("report", "net.yaml", "--format", "tex", "--pdf", "--out", "out"), status=0,
                     files={"net.yaml": spec(conv(channels="9" * 400, kernel=1), input="1x1x" + "9" * 400,
                                             head="name: huge\n")},
                     writes=("out/huge.tex", "out/huge.pdf"), needs="latexmk"),
                 id="report-pdf-params-past-1e308"),
    pytest.param(Cli(("report", "net.yaml", "--format", "tex", "--pdf", "--out", "out"), status=0,
                     files={"net.yaml": spec("{name: 합성곱1, kind: relu}", "{name: 中文, kind: relu}",
                                             "{name: Жx, kind: relu}", "{name: «a»Ðþ, kind: relu}", head="name: names\n")},
                     writes=("out/names.tex", "out/names.pdf"), needs="latexmk"),
                 id="report-pdf-names-pdflatex-cannot-set"),
    pytest.param(Cli(("plot", "net.yaml", "--out", "p.png"), status=0,
                     files={"net.yaml": spec("{kind: linear, features: 4}")}, writes=("p.png",)),
                 id="plot-png-of-no-feature-map"),
    # -- check: claims files -------------------------------------------------------------------
    pytest.param(Cli(("check", "nosuch.yaml")), id="check-missing-file"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": Symlink("/dev/zero")}), id="check-symlink-to-dev-zero"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": Fifo()}), id="check-fifo"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": TWENTY_MB}), id="check-20-mb"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "- a\n"}), id="check-not-a-mapping"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaim: {}\n"}),
                 id="check-unknown-field"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "claims: {total_params: 1}\n"}), id="check-no-network"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\n"}), id="check-no-claims"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: vgg99\nclaims: {total_params: 1}\n"}),
                 id="check-unknown-network"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: 5\nclaims: {total_params: 1}\n"}),
                 id="check-network-a-number"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: /etc/passwd\nclaims: {total_params: 1}\n"},
                     not_message="root:"), id="check-network-etc-passwd"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: net.yaml\nclaims: {total_params: 1}\n",
                                                      "net.yaml": Symlink("/dev/zero")}), id="check-network-spec-dev-zero"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: net.yaml\nclaims: {total_params: 1}\n",
                                                      "net.yaml": spec(conv(kernel=99))}), id="check-network-spec-broken"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": f"network: alexnet\ninput: {D5000}x227x3\nclaims: {{total_params: 1}}\n"}),
                 id="check-input-5000-digits"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\ninput: 227x227\x1b[31m\nclaims: {total_params: 1}\n"}),
                 id="check-input-with-control-character"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\ninput: {a: 1}\nclaims: {total_params: 1}\n"}),
                 id="check-input-a-mapping"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nrounding: round\nclaims: {total_params: 1}\n"}),
                 id="check-rounding-unknown"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {}\n"}), id="check-claims-empty"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv9: {params: 1}}\n"}),
                 id="check-unknown-layer"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv1: {flops: 1}}\n"}),
                 id="check-unknown-claim"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": f"network: alexnet\nclaims: {{conv1: {{params: {D5000}}}}}\n"}),
                 id="check-claim-5000-digits"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": f"network: alexnet\nclaims: {{conv1: {{params: '{D4301}'}}}}\n"}),
                 id="check-claim-text-4301-digits"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": f"network: alexnet\nclaims: {{total_params: {D5000}}}\n"}),
                 id="check-total-5000-digits"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv1: {params: '34,94,4'}}\n"}),
                 id="check-claim-bad-separators"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv1: {params: 3.5}}\n"}),
                 id="check-claim-fraction"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv1: {params: true}}\n"}),
                 id="check-claim-boolean"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv1: {output: 55x55x}}\n"}),
                 id="check-claim-output-malformed"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {conv1: {output: []}}\n"}),
                 id="check-claim-output-empty"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": f"network: alexnet\nclaims: {{conv1: {{output: [{D5000}, 55, 96]}}}}\n"}),
                 id="check-claim-output-5000-digits"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: alexnet\nclaims: {\"conv1\\n\\e[31m\": {params: 1}}\n"}),
                 id="check-layer-name-with-control-characters"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": ALIAS_BOMB.replace("input: 8x8x3\nlayers: *i", "network: alexnet\nclaims: *i")}),
                 id="check-alias-bomb"),
    pytest.param(Cli(("check", "claims.yaml"), files={"claims.yaml": "network: !!python/name:os.system\nclaims: {total_params: 1}\n"}),
                 id="check-python-tag"),
    pytest.param(Cli(("check", "claims.yaml"), status=1, files={"claims.yaml": "network: alexnet\nclaims: {conv1: {params: -1}}\n"}),
                 id="check-claim-negative-is-wrong"),
    pytest.param(Cli(("check", "claims.yaml", "--json"), files={"claims.yaml": "network: vgg99\nclaims: {total_params: 1}\n"}),
                 id="check-json-unknown-network"),
    pytest.param(Cli(("check", "claims.yaml"), status=0, files={
        "net.yaml": EXACT_224,
        "claims.yaml": "network: net.yaml\nrounding: floor\nclaims: {conv1: {output: 54x54x96}}\n"}),
        id="check-spec-exact-overridden-by-claims-rounding"),
    pytest.param(Cli(("check", "claims.yaml"), status=0, files={
        "net.yaml": TINY_INPUT,
        "claims.yaml": "network: net.yaml\ninput: 227x227x3\nclaims: {conv1: {output: 55x55x96}}\n"}),
        id="check-spec-small-input-overridden-by-claims-input"),
    # -- check-doc: documents -------------------------------------------------------------------
    pytest.param(Cli(("check-doc", "nosuch.md")), id="check-doc-missing-file"),
    pytest.param(Cli(("check-doc", "/dev/zero")), id="check-doc-dev-zero"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": Symlink("/dev/zero")}), id="check-doc-symlink-to-dev-zero"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": Fifo()}), id="check-doc-fifo"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": Folder()}), id="check-doc-folder"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": BIG_DOC}, message="limit"), id="check-doc-20-mb"),
    pytest.param(Cli(("check-doc", "doc.tex"), files={"doc.tex": "$2+2=4$ caf\xe9\n".encode("latin-1")}),
                 id="check-doc-latin1"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$2+2=4$ \x00\x00\n"}, status=0), id="check-doc-nul-characters"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": ""}, status=4), id="check-doc-empty"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "No math at all here.\n"}, status=4), id="check-doc-no-math"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "---\ntitle: x\n---\n"}, status=4), id="check-doc-front-matter-only"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": f"$2+2=4$ and ${D5000}+1=1{'0' * 5000}$\n"}, status=0),
                 id="check-doc-5000-digit-number"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": f"$C={D4301}$ and $2C=5$\n"}),
                 id="check-doc-4301-digit-definition"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$2000! = 1$\n"}, status=1), id="check-doc-2000-factorial"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$10^{10^{10}} = 1$\n"}, status=4), id="check-doc-tower-of-powers"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$9^{9^{9}} = 1$\n"}, status=4), id="check-doc-nine-nine-nine"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$\\frac{1}{0} = 1$\n"}, status=4), id="check-doc-division-by-zero"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$" * 100_000 + "\n"}, status=4), id="check-doc-100000-dollars"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "\\(" * 30_000 + "\n"}, status=4), id="check-doc-30000-open-parens"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$" + "{" * 20_000 + "1" + "}" * 20_000 + "=1$\n"}),
                 id="check-doc-20000-nested-braces"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$" + "(" * 5000 + "1" + ")" * 5000 + "=1$\n"}),
                 id="check-doc-5000-nested-parentheses"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$" + "=".join(["1"] * 20_000) + "$\n"}, status=0),
                 id="check-doc-chain-of-20000-sides"),
    pytest.param(Cli(("check-doc", "doc.tex"), files={"doc.tex": "\\begin{align}2+2&=4\\\\\n"}, status=0),
                 id="check-doc-align-not-closed"),
    pytest.param(Cli(("check-doc", "doc.md", "--syntax", "rst"), files={"doc.md": "$2+2=4$\n"}), id="check-doc-syntax-unknown"),
    pytest.param(Cli(("check-doc", "a\n\x1b[2Jb.md")), id="check-doc-name-with-control-characters"),
    pytest.param(Cli(("check-doc", "\x1b[2Jdoc\x1b]0;x\x07.md"), files={"\x1b[2Jdoc\x1b]0;x\x07.md": "$2+2=5$\n"}, status=1,
                     clean_stdout=True), id="check-doc-wrong-step-in-a-file-named-with-escapes"),
    pytest.param(Cli(("check-doc", "doc.md", "--json"), files={"doc.md": Symlink("/dev/zero")}), id="check-doc-json-dev-zero"),
    pytest.param(Cli(("check-doc", "doc.txt"), files={"doc.txt": "$2+2=4$\n"}, status=0), id="check-doc-text-file"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "\ufeff$2+2=5$\r\n"}, status=1), id="check-doc-bom-and-crlf"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$\\sqrt{" * 3000 + "4" + "}" * 3000 + "=2$\n"}),
                 id="check-doc-3000-nested-roots"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "$" + "2^" * 3000 + "2=1$\n"}), id="check-doc-3000-stacked-powers"),
    # a number right after a Han character is read whole (是6,238 was read from its comma: 238)
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "参数量是6,238 = 6,238\n"}, status=0),
                 id="check-doc-number-right-after-han"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "２２７ × ２ = ４５５\n"}, status=1), id="check-doc-full-width-digits"),
    pytest.param(Cli(("check-doc", "doc.md"), files={"doc.md": "notes\r$2+2=4$\r$3+3=7$\r"}, status=1, check=lambda folder, out: (
        _assert("doc.md:3:" in out, out))), id="check-doc-old-mac-line-ends"),
    # -- a value that starts with a dash: the value's rule, not argparse's "expected one argument"
    pytest.param(Cli(("summary", "alexnet", "--input", "-227x227x3"), message="--input:",
                     not_message="expected one argument"), id="input-negative-after-a-space"),
    pytest.param(Cli(("derive", "alexnet", "--input", "-1x1x3"), message="--input:", not_message="expected one argument"),
                 id="derive-input-negative-after-a-space"),
    # -- a budget too short to start the analysis in: the layers derived so far (none), no traceback
    pytest.param(Cli(("derive", "alexnet", "--budget", "1e-9"), status=0), id="derive-budget-of-a-nanosecond"),
    pytest.param(Cli(("report", "alexnet", "--budget", "1e-6", "--format", "md", "--out", "rep"), status=0,
                     writes=("rep/alexnet.md",)), id="report-budget-of-a-microsecond"),
    # -- plot -------------------------------------------------------------------------------
    pytest.param(Cli(("plot", "alexnet", "--out", "p.svg", "--range", "1:\u00b2"), message="--range"),
                 id="plot-range-superscript-digit"),
    pytest.param(Cli(("plot", "alexnet", "--out", "p.svg", "--range", "-5:10"), message="1 <= LOW",
                     not_message="expected one argument"), id="plot-range-negative-after-a-space"),
    pytest.param(Cli(("plot", "alexnet", "--out", "p.svg", "--range", f"1:{D5000}"), message="SYMCNN_MAX_DIGITS"),
                 id="plot-range-5000-digits"),
    pytest.param(Cli(("plot", "alexnet", "--out", "p.svg", "--range", "10:5"), message="1 <= LOW"), id="plot-range-reversed"),
    pytest.param(Cli(("plot", "alexnet", "--out", "p.svg", "--range", "1:100000000000"), message="100,000"),
                 id="plot-range-of-a-hundred-billion-sizes"),
    pytest.param(Cli(("plot", "alexnet", "--out", "p.txt"), message="--out"), id="plot-out-unknown-suffix"),
    pytest.param(Cli(("plot", "alexnet", "--out", "d.svg"), files={"d.svg": Folder()}), id="plot-out-a-folder"),
    pytest.param(Cli(("plot", "alexnet")), id="plot-without-out"),
    pytest.param(Cli(("plot", "alexnet", "--what", "flops", "--out", "p.svg")), id="plot-what-unknown"),
    pytest.param(Cli(("plot", "alexnet", "--out", "p.svg", "--input", "0x0x3"), message="--input"), id="plot-input-zero"),
    # -- spec fields read as fractions -----------------------------------------------------------
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec("{name: up, kind: upsample, scale: '3/\u00b2'}")},
                     message="scale"), id="summary-spec-upsample-scale-superscript"),
    pytest.param(Cli(("summary", "net.yaml"), files={"net.yaml": spec(f"{{name: up, kind: upsample, scale: '{D5000}/2'}}")},
                     message="SYMCNN_MAX_DIGITS"), id="summary-spec-upsample-scale-5000-digit-fraction"),
    # -- ONNX files that are not models (refused before onnx loads; the others, which need onnx
    # and more memory than these cases may take, are in test_onnx_import.py) ------------------
    pytest.param(Cli(("summary", "m.onnx"), files={"m.onnx": b""}, message="empty"), id="summary-onnx-empty-file"),
    pytest.param(Cli(("import", "m.onnx", "--out", "x.yaml"), files={"m.onnx": b""}, message="empty"),
                 id="import-onnx-empty-file"),
    pytest.param(Cli(("import", "nothing_here:build", "--out", "x.yaml")), id="import-unknown-module"),
    pytest.param(Cli(("import", "m.yaml", "--out", "x.yaml"), files={"m.yaml": SMALL}), id="import-a-spec-file"),
    # -- names in wide characters line up in the terminal table ----------------------------------
    pytest.param(Cli(("summary", "net.yaml"), status=0, files={"net.yaml": spec(
        "{name: 합성곱1, kind: conv, channels: 4, kernel: 3}", "{name: relu, kind: relu}")},
        check=lambda folder, stdout: _columns_line_up(stdout)), id="summary-korean-layer-names-line-up"),
    # -- check-doc: notebooks and HTML pages ---------------------------------------------------
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": '{"cells": [{"cell_type": "markdown",'},
                     message="not JSON"), id="check-doc-notebook-broken-json"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": '{"cells": {"0": {"cell_type": "markdown"}}, '
                                                                   '"nbformat": 4}'}, message="cells is an object"),
                 id="check-doc-notebook-cells-a-dict"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": '{"cells": [{"cell_type": "markdown", "source": '
                                                                   '{"a": 1}}], "nbformat": 4}'}, message="cell 1"),
                 id="check-doc-notebook-source-a-dict"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": Generated(lambda: "[" * 1_000_000)},
                     message="nested"), id="check-doc-notebook-nested-a-million-deep"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": Generated(lambda: "{" + '"a":{' * 400_000)},
                     message="nested"), id="check-doc-notebook-objects-nested-400000-deep"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": Generated(lambda: "x" * (5 * 2**20))},
                     message="not JSON"), id="check-doc-notebook-5-mb-line-of-text"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": Generated(lambda: json.dumps(
        {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["$2+2=5$"]},
                   {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["plot()"],
                    "outputs": [{"output_type": "display_data", "metadata": {},
                                 "data": {"image/png": "iVBORw0KGgo" * (5 * 2**20 // 11)}}]}],
         "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))}, status=1),
                 id="check-doc-notebook-5-mb-line-with-an-image-output"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": '{"cells": [], "nbformat": 2}'}, message="nbformat 2"),
                 id="check-doc-notebook-nbformat-2"),
    pytest.param(Cli(("check-doc", "nb.ipynb"), files={"nb.ipynb": "[]"}), id="check-doc-notebook-a-list"),
    pytest.param(Cli(("check-doc", "page.html"), files={"page.html": bytes(range(256)) * 4000}, message="UTF-8"),
                 id="check-doc-html-binary-garbage"),
    pytest.param(Cli(("check-doc", "page.html"), files={"page.html": "<p>2+2=4</p>" + "<a " * 300_000}, status=0),
                 id="check-doc-html-300000-unclosed-tags"),
    pytest.param(Cli(("check-doc", "page.html"), files={"page.html": '<a b="' * 200_000 + "<!--" * 200_000}, status=4),
                 id="check-doc-html-unclosed-quotes-and-comments"),
    pytest.param(Cli(("check-doc", "page.html"), files={"page.html": "<div>" * 200_000 + "<math>" * 100_000}, status=4),
                 id="check-doc-html-200000-nested-divs"),
]

# Cases whose exit status is not pinned by the rules above; they must still be one of these.
ANY_STATUS = {
    "check-doc-align-not-closed": (0, 4),
    "check-doc-4301-digit-definition": (0, 1, 4),
    "check-doc-20000-nested-braces": (0, 1, 4),
    "check-doc-5000-nested-parentheses": (0, 1, 4),
    "check-doc-3000-nested-roots": (0, 1, 4),
    "check-doc-3000-stacked-powers": (0, 1, 4),
}

# an unknown rounding mode: a wrong value, or an unknown name
ROUNDING_BUILTIN = ("ValueError", "LookupError")
SPEC_REPEAT = "input: 8x8x3\nblocks:\n  b: {layers: [{kind: relu}]}\nlayers:\n  - {block: b, name: x, repeat: 100000000}\n"

API_CASES = [
    pytest.param(Api("symcnn.load(Path('/etc/passwd'))", "SpecError", not_message="/usr/sbin/nologin", message="/etc/passwd"),
                 id="api-load-path-etc-passwd"),
    pytest.param(Api("symcnn.load(Path('secret.yaml'))", "SpecError", files={"secret.yaml": SECRET + "\n"}, not_message=SECRET[:8]),
                 id="api-load-file-not-a-spec-not-quoted"),
    pytest.param(Api("from symcnn.builders.load import load_named_in_file\nload_named_in_file('payload:build', '.')",
                     "UnknownNameError", "LookupError", files={"payload.py": PAYLOAD}, message="command line"),
                 id="api-network-named-by-data-module-callable"),
    pytest.param(Api("from symcnn.builders.load import load_named_in_file\nload_named_in_file('../x.yaml', 'sub')",
                     "SpecError", files={"x.yaml": SMALL, "sub/a": ""}, message="out of"),
                 id="api-network-named-by-data-parent-folder"),
    pytest.param(Api("symcnn.load('/etc/passwd')", "UnknownNameError", "LookupError", not_message="no such file"),
                 id="api-load-existing-file-not-a-spec"),
    pytest.param(Api("symcnn.load('vgg99')", "UnknownNameError", "LookupError"), id="api-load-unknown"),
    pytest.param(Api("symcnn.load(5)", "UnknownNameError", "LookupError"), id="api-load-a-number"),
    pytest.param(Api("symcnn.load(None)", "UnknownNameError", "LookupError"), id="api-load-none"),
    pytest.param(Api("symcnn.load('zero.yaml')", "SpecError", files={"zero.yaml": Symlink("/dev/zero")}),
                 id="api-load-symlink-to-dev-zero"),
    pytest.param(Api("symcnn.load(Path('pipe.yaml'))", "SpecError", files={"pipe.yaml": Fifo()}), id="api-load-fifo"),
    pytest.param(Api("symcnn.load(Path('d.yaml'))", "SpecError", files={"d.yaml": Folder()}), id="api-load-folder"),
    pytest.param(Api("symcnn.load('big.yaml')", "SpecError", files={"big.yaml": TWENTY_MB}), id="api-load-20-mb"),
    pytest.param(Api("symcnn.load('net.yaml')", "SpecError", files={"net.yaml": SPEC_REPEAT}), id="api-load-repeat-100000000"),
    pytest.param(Api("symcnn.load('net.yaml')", "SpecError", files={"net.yaml": Generated(lambda: _nested_blocks(500))}),
                 id="api-load-500-nested-blocks"),
    pytest.param(Api("symcnn.load('net.yaml')", "SpecError", files={"net.yaml": spec(conv(kernel=D5000))}),
                 id="api-load-kernel-5000-digits"),
    pytest.param(Api("symcnn.load('net.yaml', rounding='floor').derive(rounding='floor')", None, files={"net.yaml": EXACT_224}),
                 id="api-load-exact-spec-at-floor"),
    pytest.param(Api("Network('x', '32x32x3', 'relu')", "LayerError"), id="api-network-layers-a-text"),
    pytest.param(Api("Network('x', '32x32x3', 5)", "LayerError"), id="api-network-layers-a-number"),
    pytest.param(Api("Network('', '32x32x3', [ReLU('r')])", "LayerError"), id="api-network-empty-name"),
    pytest.param(Api("Network('x', '" + D5000 + "x3', [ReLU('r')])", "SpecError"), id="api-network-input-5000-digits"),
    pytest.param(Api("Network('x', (10**5000, 3, 3), [ReLU('r')])", "SpecError"), id="api-network-input-tuple-5000-digits"),
    pytest.param(Api("Network('x', (2.5, 3, 3), [ReLU('r')])", "SpecError"), id="api-network-input-fraction"),
    pytest.param(Api("Network('x', '32x32x3', [])", "LayerError"), id="api-network-no-layers"),
    pytest.param(Api("Network('x', '32x32x3', [ReLU('a'), ReLU('a')])", "LayerError"), id="api-network-name-twice"),
    pytest.param(Api("Network('x', '32x32x3', [ReLU('a')], rounding='round')", "SymcnnError", ROUNDING_BUILTIN), id="api-network-rounding-unknown"),
    pytest.param(Api("Network('x', '32x32x3', [ReLU('a'), 'relu'])", "LayerError"), id="api-network-item-not-a-layer"),
    pytest.param(Api("Network('x', '32x32x3', [ReLU('a', inputs=('b',))])", "LayerError"), id="api-network-input-unknown"),
    pytest.param(Api("Conv2d('c', channels=0, kernel=3)", "LayerError"), id="api-conv-channels-zero"),
    pytest.param(Api("Conv2d('c', channels=8, kernel=3.5)", "LayerError"), id="api-conv-kernel-fraction"),
    pytest.param(Api("Conv2d('c', channels='1+1', kernel=3)", "LayerError"), id="api-conv-channels-arithmetic"),
    pytest.param(Api("Conv2d('c', channels=10**5000, kernel=3)", "LimitError"), id="api-conv-channels-5000-digits"),
    pytest.param(Api("Conv2d('c', channels=8, kernel=-1)", "LayerError"), id="api-conv-kernel-negative"),
    pytest.param(Api("Conv2d('c', channels=8, kernel=3, stride=0)", "LayerError"), id="api-conv-stride-zero"),
    pytest.param(Api("Conv2d('c', channels=8, kernel=3, padding='SAME')", "LayerError"), id="api-conv-padding-uppercase"),
    pytest.param(Api("Conv2d('', channels=8, kernel=3)", "LayerError"), id="api-conv-empty-name"),
    pytest.param(Api("Conv2d(5, channels=8, kernel=3)", "LayerError"), id="api-conv-name-a-number"),
    pytest.param(Api("Network('x', '32x32x3', [Conv2d('c', channels=8, kernel=(3, 3, 3, 3, 3))]).derive()", "ShapeError"),
                 id="api-conv-five-kernel-sizes"),
    pytest.param(Api("Linear('fc', features=\"__import__('os').system('touch pwned')\")", "LayerError"),
                 id="api-linear-features-injection"),
    pytest.param(Api("Network('x', '32x32x3', [MaxPool2d('p', kernel=3, padding=2)]).derive()", "SymcnnError"), id="api-pool-padding-over-half"),
    pytest.param(Api("Network('x', '32x32x3', [Conv2d('c\\n\\x1b[31m', channels=8, kernel=99)]).derive()", "ShapeError"),
                 id="api-derive-layer-name-with-control-characters"),
    pytest.param(Api("symcnn.load('alexnet').derive(input='" + D5000 + "x227x3')", "SpecError"),
                 id="api-derive-input-5000-digits"),
    pytest.param(Api("symcnn.load('alexnet').derive(input=(0, 0, 3))", "SpecError"), id="api-derive-input-zero"),
    pytest.param(Api("symcnn.load('alexnet').derive(input=[227, 227, 3.0])", "SpecError"), id="api-derive-input-float"),
    pytest.param(Api("symcnn.load('alexnet').derive(rounding='round')", "SymcnnError", ROUNDING_BUILTIN), id="api-derive-rounding-unknown"),
    pytest.param(Api("symcnn.load('alexnet').derive(input='224x224x3')", "RoundingError"), id="api-derive-exact-not-whole"),
    pytest.param(Api("symcnn.load('alexnet').derive(input='" + BIG_IN + "x" + BIG_IN + "x3', rounding='floor')", None),
                 id="api-derive-input-17-digits"),
    pytest.param(Api("symcnn.analyse(symcnn.load('alexnet'), 'round')", "SymcnnError", ROUNDING_BUILTIN), id="api-analyse-rounding-unknown"),
    # a budget shorter than setting up the timer takes: the alarm rang before the analysis began
    pytest.param(Api("a = symcnn.analyse(symcnn.load('alexnet'), 'floor', budget=1e-9); assert a.stopped", None),
                 id="api-analyse-budget-of-a-nanosecond"),
    pytest.param(Api("symcnn.analyse('alexnet')", "SpecError"), id="api-analyse-a-name"),
    pytest.param(Api("symcnn.analyse(symcnn.load('alexnet'), symbolic='XY')", "SymcnnError"), id="api-analyse-symbolic-unknown"),
    pytest.param(Api("(a := symcnn.analyse(symcnn.load('alexnet'))).at(a.params, 10)", "ShapeError"), id="api-params-below-smallest-input"),
    pytest.param(Api("symcnn.analyse(symcnn.load('alexnet')).output_size(0)", "SymcnnError"), id="api-output-size-zero"),
    pytest.param(Api("symcnn.analyse(symcnn.load('alexnet')).inputs_for('nosuch', 6)", "UnknownNameError", "LookupError"),
                 id="api-inputs-for-unknown-layer"),
    pytest.param(Api("symcnn.load('alexnet').derive()['nosuch']", "UnknownNameError", "LookupError"),
                 id="api-derivation-unknown-layer"),
    pytest.param(Api("symcnn.solve('conv-output', 'P', {'O': 1})\nsymcnn.solve('conv-output', 'P', {'O': 1})", None),
                 id="api-solve-called-twice"),
    pytest.param(Api("symcnn.solve('conv-output', 'P', {'S': 0})", "SpecError"), id="api-solve-stride-zero"),
    pytest.param(Api("symcnn.solve('nosuch', 'P')", "UnknownNameError", "LookupError"), id="api-solve-unknown-formula"),
    pytest.param(Api("symcnn.solve('conv-output', 'Q')", "SymcnnError", ("ValueError", "LookupError")), id="api-solve-unknown-symbol"),
    pytest.param(Api("symcnn.solve('conv-output', 'P', {'O': '1+1'})", "SpecError"), id="api-solve-given-arithmetic"),
    pytest.param(Api("symcnn.solve('conv-output', 'P', {'O': 10**5000})", "SpecError"), id="api-solve-given-5000-digits"),
    pytest.param(Api("symcnn.solve('conv-output', 'P', {'O': 2.5})", "SpecError"), id="api-solve-given-fraction"),
    pytest.param(Api("symcnn.report('alexnet', 'pdf')", "UnknownNameError", "LookupError"), id="api-report-format-unknown"),
    pytest.param(Api("symcnn.report('alexnet', 'md', lang='fr')", "UnknownNameError", "LookupError"), id="api-report-lang-unknown"),
    pytest.param(Api("symcnn.report('alexnet', 'md', template_dir='nosuch')", "SpecError"), id="api-report-template-dir-missing"),
    pytest.param(Api("symcnn.report('alexnet', 'md', template_dir='tpl')", "SpecError", files=template("{{ 1/0 }}\n")),
                 id="api-report-template-division-by-zero"),
    pytest.param(Api("symcnn.report('alexnet', 'md', template_dir='tpl')", "SpecError",
                     files=template("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n")),
                 id="api-report-template-recursive-macro"),
    pytest.param(Api("symcnn.report('alexnet', 'md', input='" + D5000 + "x227x3')", "SpecError"),
                 id="api-report-input-5000-digits"),
    pytest.param(Api("symcnn.report('alexnet', 'md', input='" + D401 + "x" + D401 + "x3', rounding='floor')", None),
                 id="api-report-input-401-digits"),
    pytest.param(Api("symcnn.report(symcnn.load('alexnet').derive(), 'md', input='227x227x3')", "SpecError"),
                 id="api-report-derivation-with-input"),
    pytest.param(Api("symcnn.formula('nosuch')", "UnknownNameError", "LookupError"), id="api-formula-unknown"),
    pytest.param(Api("symcnn.formula('conv-output', rounding='round')", "SymcnnError", ROUNDING_BUILTIN), id="api-formula-rounding-unknown"),
    pytest.param(Api("symcnn.Shape.parse('" + D5000 + "x3')", "SpecError"), id="api-shape-5000-digits"),
    pytest.param(Api("assert f'{symcnn.load(\"alexnet\").derive().total_params:,}' == '62,378,344'", None),
                 id="api-total-params-formats-as-int"),
    pytest.param(Api("assert isinstance(symcnn.__version__, str)", None), id="api-version"),
]

RUNNER = r"""
import json, sys, traceback
from pathlib import Path
import symcnn
from symcnn import *
try:
    exec(compile(sys.argv[1], "<case>", "exec"))
except BaseException as e:
    try:
        message = str(e)
    except BaseException as inner:
        message = f"<str() raised {type(inner).__name__}>"
    print(json.dumps({"raised": type(e).__name__, "mro": [c.__name__ for c in type(e).__mro__],
                      "message": message, "traceback": traceback.format_exc()[-3000:]}))
else:
    print(json.dumps({"raised": None}))
"""


# -- running -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: int | None
    stdout: str
    stderr: str
    folder: Path
    before: dict
    after: dict
    tmp_left: list[str]
    timed_out: bool


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    os.setsid()  # a process group of its own, so a timeout ends latexmk's children too


def _run(argv: list[str | bytes], files: dict, env: dict, keep: Path) -> Outcome:
    base = Path(tempfile.mkdtemp(prefix="case-", dir=keep))
    folder, tmp = base / "work", base / "tmp"
    folder.mkdir()
    tmp.mkdir()
    _make_files(folder, files)
    before = _snapshot(folder)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SYMCNN_")}
    environ.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    environ.update(env)
    timed_out = False
    proc = subprocess.Popen(argv, cwd=folder, env=environ, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_limits)
    try:
        out, err = proc.communicate(timeout=WALL_SECONDS)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 9)  # anything it left running
    after = _snapshot(folder)
    return Outcome(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), folder, before,
                   after, sorted(os.listdir(tmp)), timed_out)


def _argv(case: Cli | Api) -> list[str | bytes]:
    if isinstance(case, Api):
        return [sys.executable, "-c", RUNNER, case.code]
    return [sys.executable, "-m", "symcnn", *case.argv]


ALL = {p.id: p.values[0] for p in CLI_CASES + API_CASES}


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory):
    """Run every selected case once, a few at a time; each test then reads its own outcome."""
    keep = tmp_path_factory.mktemp("bad-inputs")
    wanted = [item.callspec.id for item in request.session.items
              if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
              and item.callspec.id in ALL]
    runnable = [i for i in dict.fromkeys(wanted) if not (ALL[i].needs if isinstance(ALL[i], Cli) else "")
                or shutil.which(ALL[i].needs)]

    def one(case_id: str):
        case = ALL[case_id]
        try:
            return case_id, _run(_argv(case), case.files, getattr(case, "env", {}), keep)
        except Exception as e:  # reported by the case's own test
            return case_id, e

    with ThreadPoolExecutor(WORKERS) as pool:
        return dict(pool.map(one, runnable))


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x9b]")


def _common(outcome: Outcome | Exception) -> None:
    if isinstance(outcome, Exception):
        raise outcome
    assert not outcome.timed_out, f"still running after {WALL_SECONDS} s (blocked?)"
    assert outcome.status is not None and outcome.status >= 0, (
        f"killed by signal {-(outcome.status or 0)} (CPU over {CPU_SECONDS} s or memory over "
        f"{MEMORY_BYTES >> 20} MB?); stderr: {outcome.stderr[-500:]}")
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
    assert not outcome.tmp_left, f"left in TMPDIR: {outcome.tmp_left}"


@pytest.mark.parametrize("case", CLI_CASES)
def test_command_line(case: Cli, outcomes, request):
    case_id = request.node.callspec.id
    if case.needs and not shutil.which(case.needs):
        from conftest import require_program

        require_program(case.needs)
    outcome = outcomes[case_id]
    _common(outcome)
    allowed = ANY_STATUS.get(case_id, (case.status,))
    assert outcome.status in allowed, (outcome.status, outcome.stderr[-1000:])
    lines = outcome.stderr.splitlines()
    if outcome.status in (2, 3):
        assert len(lines) == 1 and outcome.stderr.endswith("\n"), f"stderr: {outcome.stderr[-2000:]!r}"
        assert lines[0].startswith("symcnn: ")
        assert len(lines[0]) <= MAX_ERROR_LINE, f"{len(lines[0])} characters"
        assert outcome.stdout == "", f"stdout: {outcome.stdout[:500]!r}"
    else:
        assert len(lines) <= 1, f"stderr: {outcome.stderr[-2000:]!r}"
    assert not _CONTROL.search(outcome.stderr), f"control character on stderr: {outcome.stderr[:500]!r}"
    if case.clean_stdout:
        assert not _CONTROL.search(outcome.stdout), f"control character on stdout: {outcome.stdout[:500]!r}"
    if case.message:
        assert case.message in outcome.stderr, outcome.stderr
    if case.not_message:
        assert case.not_message not in outcome.stderr, outcome.stderr
    changed = {p for p in outcome.before.keys() | outcome.after.keys() if outcome.before.get(p) != outcome.after.get(p)}
    expected = set(case.writes) | {str(Path(w).parent) for w in case.writes if str(Path(w).parent) != "."}
    assert changed <= expected, f"written or changed: {sorted(changed - expected)}"
    assert set(case.writes) <= changed, f"not written: {sorted(set(case.writes) - changed)}"
    assert "pwned" not in outcome.after
    if case.check:
        case.check(outcome.folder, outcome.stdout)
    if case.secret:
        assert SECRET not in outcome.stdout + outcome.stderr
        written = [p for p in outcome.after if outcome.before.get(p) != outcome.after.get(p)]
        for rel in written:
            path = outcome.folder / rel
            assert not path.is_file() or SECRET.encode() not in path.read_bytes(), rel


@pytest.mark.parametrize("case", API_CASES)
def test_python_api(case: Api, outcomes, request):
    outcome = outcomes[request.node.callspec.id]
    _common(outcome)
    assert outcome.status == 0, outcome.stderr[-2000:]
    result = json.loads(outcome.stdout.splitlines()[-1])
    if case.error is None:
        assert result["raised"] is None, result
        return
    assert result["raised"] is not None, "nothing raised"
    assert "SymcnnError" in result["mro"], f"{result['raised']}: {result['message'][:300]}\n{result['traceback']}"
    assert case.error in result["mro"], (result["raised"], result["message"][:300])
    builtins = (case.builtin,) if isinstance(case.builtin, str) else case.builtin
    assert set(builtins) & set(result["mro"]), (result["raised"], result["mro"])
    message = result["message"]
    assert "\n" not in message and not _CONTROL.search(message), repr(message[:500])
    assert len(message) <= MAX_ERROR_LINE, f"{len(message)} characters"
    if case.message:
        assert case.message in message, message
    if case.not_message:
        assert case.not_message not in message, message
    changed = {p for p in outcome.before.keys() | outcome.after.keys() if outcome.before.get(p) != outcome.after.get(p)}
    assert not changed, f"written or changed: {sorted(changed)}"


def test_the_catalogue_is_large_enough():
    assert len(CLI_CASES) + len(API_CASES) >= 170
