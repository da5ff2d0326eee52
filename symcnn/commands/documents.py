"""Many documents in one ``check-doc`` call: paths, folders and globs made into one list of
files, each checked in a process of its own on the local cores, one summary at the end.

The check of one file is the documents layer's (``check_file``); this module only finds the
files, hands them out and adds up what comes back. Worker processes are forked from the
command's own, so each starts with symcnn and the network already loaded and costs no
start-up; where ``fork`` does not exist the files are checked one after the other.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from ..errors import SpecError

#: the files a folder is searched for (what ``--syntax`` can read, by name)
SUFFIXES = (".md", ".markdown", ".tex", ".txt", ".ipynb", ".html", ".htm")
#: at most this many files in one call (a glob over a whole disk is refused, not walked for ever)
MAX_FILES = 100_000
_GLOB = frozenset("*?[")


def expand(paths: list[str]) -> list[str]:
    """The files named by ``paths``, in order, each once: a file as given, a folder's documents
    (by suffix, sorted by path, hidden folders left out), a glob's matches (``**`` included).

    >>> expand(["symcnn/zoo/alexnet.yaml", "symcnn/zoo/alexnet.yaml"])
    ['symcnn/zoo/alexnet.yaml']
    """
    found: dict[str, None] = {}
    for path in paths:
        for name in _one(path):
            found.setdefault(name)
            if len(found) > MAX_FILES:
                raise SpecError(f"more than {MAX_FILES:,} documents", where=path, rule="documents")
    return list(found)


def is_many(path: str) -> bool:
    """Whether ``path`` may name several documents: a folder, or a glob that is not a file's name."""
    return os.path.isdir(path) or (not os.path.exists(path) and bool(_GLOB & set(path)))


def _one(path: str) -> list[str]:
    if is_many(path) and not os.path.isdir(path):
        matches = sorted(os.path.normpath(m) for m in glob.glob(path, recursive=True))
        if not matches:
            raise SpecError("no file matches this pattern", where=path, rule="documents")
        return [m for match in matches for m in _one(match)]
    if os.path.isdir(path):
        found = _folder(path)
        if not found:
            raise SpecError(f"a folder with no document to check (none ends in {', '.join(SUFFIXES)})",
                            where=path, rule="documents")
        return found
    return [path]


def _folder(path: str) -> list[str]:
    """The documents under ``path``, named without a leading ``./`` (``check-doc .`` names
    ``docs/a.md``: GitHub places an annotation on a pull request's file only by that name)."""
    files: list[str] = []
    for top, folders, names in os.walk(path):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        files += [os.path.normpath(os.path.join(top, n)) for n in sorted(names) if n.lower().endswith(SUFFIXES)]
        if len(files) > MAX_FILES:
            break
    return sorted(files)


@dataclass
class Outcome:
    """One file's check, as the worker sends it back: what to print, and the counts."""

    name: str
    output: str = ""
    status: str = "error"  # ok, wrong, nothing checkable, or error (it could not be read)
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    json: dict | None = None


#: what each worker runs: set in the parent before the pool forks, so nothing is pickled
_JOB: Callable[[str], Outcome] | None = None


def _run(name: str) -> Outcome:
    assert _JOB is not None
    return _JOB(name)


def check_all(files: list[str], job: Callable[[str], Outcome], workers: int | None = None) -> Iterator[Outcome]:
    """``job`` over ``files`` in parallel processes; the outcomes come in the order of ``files``."""
    global _JOB
    workers = min(len(files), workers or os.cpu_count() or 1)
    context = _fork()
    if workers <= 1 or context is None:
        yield from map(job, files)
        return
    _JOB = job
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            # the largest first, so one long file does not end the run alone
            by_size = sorted(files, key=_size, reverse=True)
            futures: dict[str, Future] = {name: pool.submit(_run, name) for name in by_size}
            for name in files:
                yield futures[name].result()
    finally:
        _JOB = None


def _fork():
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0


def totals(outcomes: list[Outcome]) -> str:
    """The one summary line of a call over many files."""
    by = {s: sum(o.status == s for o in outcomes) for s in ("ok", "wrong", "nothing checkable", "error")}
    sums = {k: sum(o.counts.get(k, 0) for o in outcomes) for k in ("checked", "wrong", "skipped")}
    line = (f"{len(outcomes):,} files: {by['wrong']:,} with a mistake, {by['error']:,} unreadable, "
            f"{by['nothing checkable']:,} with nothing checkable, {by['ok']:,} right; "
            f"checked {sums['checked']:,}, wrong {sums['wrong']:,}, skipped {sums['skipped']:,}")
    claims = sum(o.counts.get("claims", 0) for o in outcomes)
    if claims:
        line += f"; {claims:,} claims, {sum(o.counts.get('wrong claims', 0) for o in outcomes):,} wrong"
    return line


def exit_status(outcomes: list[Outcome], *, pass_empty: bool) -> int:
    """2 where a file could not be read, else 1 where one has a mistake, else 4 where no file had
    anything checkable (unless ``pass_empty``), else 0."""
    statuses = {o.status for o in outcomes}
    if "error" in statuses:
        return 2
    if "wrong" in statuses:
        return 1
    if statuses == {"nothing checkable"} and not pass_empty:
        return 4
    return 0


def as_json(outcomes: list[Outcome], exit_code: int) -> str:
    return json.dumps({"files": [o.json if o.json is not None else {"name": o.name, "status": "error",
                                                                   "error": o.error} for o in outcomes],
                       "summary": totals(outcomes), "exit_code": exit_code}, indent=2, ensure_ascii=False)


__all__ = ["expand", "check_all", "totals", "exit_status", "as_json", "Outcome", "is_many", "SUFFIXES", "MAX_FILES"]
