"""PDF from a LaTeX report: latexmk with the engine its language needs, in a scratch folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import SymcnnError

#: The LaTeX engine each language compiles with (Korean needs XeLaTeX for kotex's fonts).
ENGINES = {"en": "pdflatex", "ko": "xelatex"}


def engine_for(lang: str) -> str:
    """The engine a report in ``lang`` compiles with (XeLaTeX where none is named)."""
    return ENGINES.get(lang, "xelatex")


def need_programs(engine: str, name: str) -> None:
    """Fail in one line, before anything is written, where latexmk or ``engine`` is missing."""
    for program in ("latexmk", engine):
        if shutil.which(program) is None:
            raise SymcnnError(f"{program} is not installed; it is needed to compile {name}",
                              where="--pdf", rule=f"{program} on PATH")


def compile_pdf(tex_file: Path, out_dir: Path, engine: str) -> Path:
    """Compile ``tex_file`` with latexmk and ``engine`` in a scratch folder; move the PDF to ``out_dir``."""
    need_programs(engine, tex_file.name)
    mode = {"pdflatex": "-pdf", "xelatex": "-xelatex", "lualatex": "-lualatex"}[engine]
    with tempfile.TemporaryDirectory(prefix="symcnn-tex-") as scratch:
        source = Path(scratch) / tex_file.name
        shutil.copyfile(tex_file, source)
        result = subprocess.run(
            ["latexmk", mode, "-interaction=nonstopmode", "-halt-on-error", source.name],
            cwd=scratch, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
        )
        pdf = source.with_suffix(".pdf")
        if result.returncode != 0 or not pdf.exists():
            log = source.with_suffix(".log")
            text = log.read_text(errors="replace") if log.exists() else result.stdout + result.stderr
            first = next((line[1:] for line in text.splitlines() if line.startswith("! ")), "see the LaTeX log")
            raise SymcnnError(f"{engine} failed on {tex_file.name}: {first.strip()}", where="--pdf",
                              rule="LaTeX compiles")
        target = out_dir / pdf.name
        fd, tmp = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        shutil.copyfile(pdf, tmp)
        os.replace(tmp, target)
    return target


__all__ = ["ENGINES", "engine_for", "need_programs", "compile_pdf"]
