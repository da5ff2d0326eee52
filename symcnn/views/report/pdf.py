"""Compiling a LaTeX report to PDF with latexmk, bounded and shut in.

The LaTeX a report holds is symcnn's own, but a user's templates (``--template-dir``) can
put anything in it, so TeX runs as for a document from elsewhere: without shell escape
(``-no-shell-escape``), reading and writing only inside its own private working folder
(kpathsea's ``openin_any=p`` and ``openout_any=p``: no absolute paths, no ``..``, no
dot files), with stdin closed, and stopped, with every process it started, after
:data:`~symcnn.limits.PDF_SECONDS` seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ...errors import SymcnnError
from ...limits import PDF_SECONDS

#: latexmk's switch for each engine.
MODES = {"pdflatex": "-pdf", "xelatex": "-xelatex", "lualatex": "-lualatex"}
#: The LaTeX engine each language compiles with (Korean needs XeLaTeX for kotex's fonts).
ENGINES = {"en": "pdflatex", "ko": "xelatex"}


def engine_for(lang: str) -> str:
    """The engine a report in ``lang`` compiles with (XeLaTeX where none is named)."""
    return ENGINES.get(lang, "xelatex")


def need_programs(engine: str, name: str) -> None:
    """Refuse at once where latexmk or ``engine`` is not installed."""
    for program in ("latexmk", engine):
        if shutil.which(program) is None:
            raise SymcnnError(f"{program} is not installed; it is needed to compile {name}",
                              where="--pdf", rule=f"{program} on PATH")


def compile_pdf(source: str, name: str, engine: str) -> bytes:
    """The PDF of the LaTeX ``source`` (the file ``name``), compiled by latexmk with ``engine``."""
    need_programs(engine, name)
    with ended_cleanly():
        return _compile(source, name, engine)


def _compile(source: str, name: str, engine: str) -> bytes:
    seconds = PDF_SECONDS.value
    folder = Path(tempfile.mkdtemp(prefix="symcnn-tex-"))  # mode 0700: this process's own
    try:
        tex = folder / name
        tex.write_text(source, encoding="utf-8")
        env = {**os.environ, "openin_any": "p", "openout_any": "p", "shell_escape": "f"}
        env.pop("TEXMFOUTPUT", None)  # a folder TeX may also write to
        command = ["latexmk", MODES[engine], "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                   tex.name]
        proc = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise PDF_SECONDS.error(f"compiling {name} with {engine}", where="--pdf") from None
        finally:
            _stop(proc)
        pdf = tex.with_suffix(".pdf")
        if proc.returncode != 0 or not pdf.is_file():
            raise SymcnnError(f"{engine} failed on {name}: {_first_error(tex.with_suffix('.log'))}",
                              where="--pdf", rule="LaTeX compiles")
        return pdf.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Ended(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (latexmk stopped, the folder removed), then end by it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


#: The signals that end symcnn (SIGINT unwinds already, as KeyboardInterrupt).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def ended_cleanly():
    """While compiling, SIGTERM and SIGHUP unwind like an exception, so that latexmk's process
    group is killed and the temporary TeX folder removed; then the process ends by the same
    signal, as it would have. (Only the main thread may set handlers; elsewhere nothing changes.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Ended(signum)

    before = {s: signal.signal(s, handler) for s in _ENDING}
    try:
        yield
    except _Ended as e:
        for s, old in before.items():
            signal.signal(s, old)
        before = {}
        os.kill(os.getpid(), e.signum)
        raise SystemExit(128 + e.signum) from None  # a handler of the caller's kept the process alive
    finally:
        for s, old in before.items():
            signal.signal(s, old)


def _stop(proc: subprocess.Popen) -> None:
    """End latexmk and everything it started (its own process group), if still running."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _first_error(log: Path) -> str:
    """TeX's first error line (``! Undefined control sequence.``), cut short."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("! "):
                    return line[2:].strip()[:200]
    except OSError:
        pass
    return "see the LaTeX log (run latexmk on the .tex file)"


__all__ = ["ENGINES", "engine_for", "need_programs", "compile_pdf", "MODES", "ended_cleanly"]
