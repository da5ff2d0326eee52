"""Random spec files and documents never make the command line crash, hang or run out of memory.

Hypothesis writes spec files (well-formed YAML built from random kinds, fields, values,
nesting and blocks, then sometimes broken by a random cut or insertion, and raw text) and
documents (text around math in every delimiter, numbers of any size, unbalanced groups),
and hands each to ``symcnn summary``, ``symcnn derive`` or ``symcnn check-doc``.

The commands run in one long-lived worker process started with the same limits as the
catalogue of bad inputs (500 MB of address space), exactly as ``python -m symcnn`` runs
them; a case that takes more than a few seconds of wall-clock time, or kills the worker,
fails. Whatever the input: exit status 0, 1, 2 or 4 (never 3, an unexpected error), at
most one line on stderr, and never a traceback.
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
MEMORY_BYTES = 500 * 2**20
CASE_SECONDS = 15  # a hang guard, far above what any case needs

WORKER = r"""
import contextlib, io, json, os, runpy, sys, tempfile
for line in sys.stdin:
    request = json.loads(line)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in request["files"].items():
            with open(os.path.join(folder, name), "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(text)
        os.chdir(folder)
        out, err = io.StringIO(), io.StringIO()
        status = None
        sys.argv = ["symcnn", *request["argv"]]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                runpy.run_module("symcnn", run_name="__main__", alter_sys=True)
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except BaseException as e:
                import traceback
                err.write("Traceback (escaped the command line)\n" + traceback.format_exc())
                status = -1
        os.chdir("/")
    print(json.dumps({"status": status, "stdout": out.getvalue()[-2000:], "stderr": err.getvalue()[-4000:]}),
          flush=True)
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


class Worker:
    """One ``python`` process that runs the command line on request, restarted when it dies."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SYMCNN_")}, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, env=env, preexec_fn=_limits)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def run(self, argv: list[str], files: dict[str, str]) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"argv": argv, "files": files}) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], CASE_SECONDS)
        if not ready:
            self.stop()
            pytest.fail(f"symcnn {' '.join(argv)} still running after {CASE_SECONDS} s")
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            pytest.fail(f"symcnn {' '.join(argv)} killed the process (exit {code}: out of memory?)")
        return json.loads(line)


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.stop()


def _assert_clean(result: dict, allowed=(0, 1, 2, 4)) -> None:
    assert "Traceback" not in result["stderr"], result["stderr"]
    assert result["status"] in allowed, result
    assert len(result["stderr"].splitlines()) <= 1, result["stderr"]


# -- spec files ----------------------------------------------------------------------------

KINDS = ["conv", "conv1d", "conv3d", "deconv", "maxpool", "avgpool", "adaptive_avgpool", "global_avgpool",
         "batchnorm", "layernorm", "groupnorm", "lrn", "relu", "softmax", "dropout", "flatten", "linear", "fc",
         "add", "concat", "identity"]
FIELDS = ["channels", "kernel", "stride", "padding", "dilation", "groups", "bias", "ceil_mode", "output",
          "features", "output_padding", "affine", "count_include_pad", "track_running_stats"]
WORDS = ["N", "K", "I", "C", "same", "valid", "in", "input", "$c", "$", "x", "relu1", "conv1", "b", "1+1", ""]

BIG = {"BIGNUMBERA": "1" + "0" * 1000, "BIGNUMBERB": "9" * 4302, "BIGNUMBERC": str(2**53 + 1)}
scalars = st.one_of(
    st.integers(-3, 300),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.sampled_from(list(BIG)),  # numbers of 1,001 and 4,302 digits, put in after dumping
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS),
    st.text(max_size=8),
    st.booleans(),
    st.none(),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(WORDS), inner, max_size=3)),
                      max_leaves=8)


@st.composite
def layer_items(draw, blocks: list[str]):
    if blocks and draw(st.integers(0, 4)) == 0:
        item = {"block": draw(st.sampled_from(blocks + ["nosuch"])), "name": draw(st.sampled_from(["b", "x", "b.1"]))}
        if draw(st.booleans()):
            item["repeat"] = draw(st.one_of(st.integers(-1, 4), st.sampled_from([10**8, 2.5, "two"])))
        if draw(st.booleans()):
            item["args"] = draw(st.dictionaries(st.sampled_from(["c", "d"]), values, max_size=2))
        return item
    item: dict = {"kind": draw(st.one_of(st.sampled_from(KINDS), st.text(max_size=6)))}
    for key in draw(st.lists(st.one_of(st.sampled_from(FIELDS + ["name", "from"]), st.text(max_size=5)), max_size=4)):
        item[key] = draw(values)
    if draw(st.booleans()):
        item.setdefault("channels", draw(st.integers(1, 16)))
        item.setdefault("kernel", draw(st.integers(1, 5)))
    return item


@st.composite
def specs(draw) -> dict:
    names = draw(st.lists(st.sampled_from(["b", "c", "res", "in"]), max_size=3, unique=True))
    blocks = {}
    for name in names:
        blocks[name] = {"params": draw(st.one_of(st.just(["c"]), st.just({"c": 4}), values)),
                        "layers": draw(st.lists(layer_items(names), min_size=0, max_size=4))}
    doc: dict = {
        "input": draw(st.one_of(st.sampled_from(["32x32x3", "8x8x1", "16x3", "4096", "1x1x1", "0x0x0"]),
                                st.lists(st.integers(-2, 64), max_size=4), values)),
        "layers": draw(st.lists(layer_items(names), max_size=6)),
    }
    if blocks or draw(st.booleans()):
        doc["blocks"] = blocks
    if draw(st.booleans()):
        doc["rounding"] = draw(st.one_of(st.sampled_from(["exact", "floor", "ceil"]), values))
    if draw(st.integers(0, 5)) == 0:
        doc[draw(st.sampled_from(["name", "description", "extra"]))] = draw(values)
    return doc


def _dump(data) -> str:
    text = yaml.safe_dump(data, default_flow_style=None, allow_unicode=True, sort_keys=False)
    for token, digits in BIG.items():
        text = text.replace(token, digits)
    return text


BREAKERS = ["[", "]", "{", "}", ":", "- ", "&a ", "*a", "!!python/object/apply:os.system ['x'] ", "\t", "'", '"',
            "\x1b[2J", "\n  - ", "? ", "%YAML 1.1\n", "--- ", "!!binary ", "<<: *a\n", "\\"]


@st.composite
def spec_texts(draw) -> str:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(st.text(max_size=200))
    text = _dump(draw(specs()))
    if choice <= 4:  # break it somewhere
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + text[at + draw(st.integers(0, 20)):]
        else:
            text = text[:at] + draw(st.sampled_from(BREAKERS)) + text[at:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=spec_texts())
def test_random_spec_summary(worker, text):
    _assert_clean(worker.run(["summary", "net.yaml"], {"net.yaml": text}), allowed=(0, 2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=spec_texts(), rounding=st.sampled_from(["exact", "floor", "ceil"]))
def test_random_spec_derive(worker, text, rounding):
    _assert_clean(worker.run(["derive", "net.yaml", "--rounding", rounding], {"net.yaml": text}), allowed=(0, 2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=spec_texts(), claims=values)
def test_random_claims(worker, text, claims):
    files = {"net.yaml": text, "claims.yaml": _dump({"network": "net.yaml", "claims": claims})}
    _assert_clean(worker.run(["check", "claims.yaml"], files), allowed=(0, 1, 2))


# -- documents --------------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.integers(0, 10**6).map(lambda n: f"{n:,}".replace(",", "{,}")),
    st.sampled_from(["1" + "0" * 5000, "2000!", "9^{9^{9}}", "10^{10^{10}}", "0.5", "3.14159", "1/0"]),
)
atoms = st.one_of(numbers, st.sampled_from(["K", "C", "N", "W_{c}", "F_{-1}", "\\alpha", "I", "x"]))
OPERATORS = ["+", "-", "\\times", "\\cdot", "*", "/", "^", "=", "=", "=", "\\div", "!", ",", "\\,", "&", "\\\\", ";"]


@st.composite
def expressions(draw, depth: int = 0) -> str:
    parts = [draw(atoms)]
    for _ in range(draw(st.integers(0, 5))):
        parts.append(draw(st.sampled_from(OPERATORS)))
        if depth < 3 and draw(st.integers(0, 4)) == 0:
            inner = draw(expressions(depth + 1))
            parts.append(draw(st.sampled_from([f"\\frac{{{inner}}}{{{draw(atoms)}}}", f"({inner})",
                                                f"\\left({inner}\\right)", f"{{{inner}}}", f"\\sqrt{{{inner}}}",
                                                f"\\lfloor {inner} \\rfloor", f"({inner}", f"{inner}}}"])))
        else:
            parts.append(draw(atoms))
    return "".join(parts)


DELIMITERS = [("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\[", "\\]"), ("\\begin{align}", "\\end{align}"),
              ("\\begin{equation}", "\\end{equation}"), ("$", ""), ("", "$"), ("`", "`"), ("```\n", "\n```"),
              ("<!--", "-->"), ("\\(", "")]


@st.composite
def documents(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            pieces.append(draw(st.text(max_size=30)))
        else:
            left, right = draw(st.sampled_from(DELIMITERS))
            pieces.append(f"{left}{draw(expressions())}{right}")
        pieces.append(draw(st.sampled_from([" ", "\n", "\n\n", "\r\n", "\t"])))
    if draw(st.integers(0, 5)) == 0:
        pieces.insert(0, "---\ntitle: x\n---\n")
    return "".join(pieces)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=documents(), suffix=st.sampled_from([".md", ".tex", ".txt"]))
def test_random_document(worker, text, suffix):
    _assert_clean(worker.run(["check-doc", "doc" + suffix], {"doc" + suffix: text}), allowed=(0, 1, 4))
