"""The system, not the input, is odd: standard output closed, full or read by a reader that goes
away, standard input closed, and a signal while a PDF compiles. symcnn behaves as a Unix tool:
quiet on a broken pipe (it ends by SIGPIPE, as ``cat`` does), one line on a full disk or a
closed stream, and a signal leaves no temporary folder and no latexmk behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMCNN_")}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    return env


def _shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """``command`` run by sh, with ``SYMCNN`` standing for ``python -m symcnn``."""
    symcnn = f"{sys.executable} -m symcnn"
    return subprocess.run(["sh", "-c", command.replace("SYMCNN", symcnn)], cwd=tmp_path, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120)


def _one_error_line(stderr: str, fragment: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symcnn: error: ") and fragment in lines[0], stderr


def _long_spec(folder: Path) -> str:
    """A spec whose summary is some 200 KB: more than a pipe holds (64 KB on Linux)."""
    layers = "".join(f"  - {{name: relu{i}, kind: relu}}\n" for i in range(4000))
    (folder / "long.yaml").write_text("input: 8x8x3\nlayers:\n" + layers)
    return "long.yaml"


@pytest.mark.parametrize("command", ["summary resnet50", "formula --list", "summary long.yaml", "summary --help"])
def test_full_disk_is_one_line(command, tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    _long_spec(tmp_path)
    done = _shell(f"SYMCNN {command} > /dev/full", tmp_path)
    assert done.returncode == 2, done.stderr
    _one_error_line(done.stderr, "No space left on device")


@pytest.mark.parametrize("command", ["summary resnet50", "formula --list", "summary --help"])
def test_closed_stdout_is_one_line(command, tmp_path):
    done = _shell(f"SYMCNN {command} >&-", tmp_path)
    assert done.returncode == 2, done.stderr
    _one_error_line(done.stderr, "standard output is closed")


def test_reader_going_away_ends_quietly(tmp_path):
    name = _long_spec(tmp_path)
    done = _shell(f"SYMCNN summary {name} | head -1", tmp_path)
    assert done.stdout.startswith("long: input 8x8x3") and done.stderr == "", done.stderr
    proc = subprocess.Popen([sys.executable, "-m", "symcnn", "summary", name], cwd=tmp_path, env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away long before the 200 KB are written
    err = proc.stderr.read()
    status = proc.wait(timeout=120)
    assert err == b"", err
    assert status == -signal.SIGPIPE, status  # ended by SIGPIPE, as cat is


def test_closed_stdin_for_check_doc_is_one_line(tmp_path):
    done = _shell("SYMCNN check-doc - <&-", tmp_path)
    assert done.returncode == 2, done.stderr
    _one_error_line(done.stderr, "standard input: it is closed")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_during_pdf_leaves_nothing(signum, tmp_path):
    from conftest import require_program

    require_program("latexmk")
    tmp, work = tmp_path / "tmp", tmp_path / "work"
    tmp.mkdir()
    (work / "tpl" / "tex").mkdir(parents=True)
    # a document TeX never finishes: the signal comes while latexmk runs
    (work / "tpl" / "tex" / "report.tex.j2").write_text("\\documentclass{article}\\begin{document}\\def\\x{\\x}\\x"
                                                        "\\end{document}\n")
    proc = subprocess.Popen([sys.executable, "-m", "symcnn", "report", "alexnet", "--pdf", "--format", "tex",
                             "--template-dir", "tpl", "--out", "out"], cwd=work, env=_env(tmp),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp.glob("symcnn-tex-*/*.log")) and time.monotonic() < deadline:
            time.sleep(0.2)  # TeX has started once it writes its log
        assert list(tmp.glob("symcnn-tex-*")), "latexmk never started"
        children = _children(proc.pid)
        assert children, "no latexmk running"
        proc.send_signal(signum)
        status = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert status == -signum, (status, proc.stderr.read() if proc.stderr else "")
    assert list(tmp.iterdir()) == [], "the temporary TeX folder was left"
    time.sleep(0.5)
    assert not [pid for pid in children if _alive(pid)], "latexmk or TeX still running"
    assert not (work / "out").exists()


def _children(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry.name))
                    todo.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


#: Writes three report files, and signals itself just after the first is renamed over its old
#: content (the moment a signal would leave a set half replaced).
SIGNAL_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
from symcnn.views.report.files import write_files

Path("out").mkdir()
Path("out/a.md").write_text("old a")
rename = os.replace

def replace(source, target):
    rename(source, target)
    os.replace = rename
    os.kill(os.getpid(), int(sys.argv[1]))

os.replace = replace
write_files({Path("out/a.md"): "new a", Path("out/b.md"): "new b", Path("new/c.md"): "new c"})
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_signal_while_writing_leaves_the_files_as_they_were(signum, tmp_path):
    # before: the first file replaced, hidden .tmp and .old files beside the others, new/ made
    done = subprocess.run([sys.executable, "-c", SIGNAL_WHILE_WRITING, str(int(signum))], cwd=tmp_path,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode in (-signum, 128 + signum), (done.returncode, done.stderr[-2000:])
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.md", "out"]
    assert (tmp_path / "out" / "a.md").read_text() == "old a"
