"""Report files: written with the mode the user's umask gives, all or none."""

from __future__ import annotations

import os
import stat

import pytest

from symcnn.errors import SpecError
from symcnn.views.report.files import write_files


@pytest.fixture
def umask():
    """Set the process umask for one test (restored after)."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)],
                         ids=["umask-022", "umask-077", "umask-002"])
def test_report_files_follow_the_umask(run_cli, tmp_path, umask, mask, mode):
    # a new file gets 0666 less the umask, as open() and the shell give it
    umask(mask)
    status, out, err = run_cli("report", "alexnet", "--out", str(tmp_path / "out"))
    assert (status, err) == (0, "")
    written = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in written] == ["alexnet.html", "alexnet.md", "alexnet.tex"]
    assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [mode] * 3


def test_a_failed_write_leaves_every_file_as_it_was(tmp_path):
    (tmp_path / "a.md").write_text("old a\n")
    (tmp_path / "c.md").mkdir()  # in the way of the third file
    with pytest.raises(SpecError, match="a folder of that name is in the way"):
        write_files({tmp_path / "a.md": "new a\n", tmp_path / "b.md": "new b\n", tmp_path / "c.md": "new c\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "c.md"]
    assert (tmp_path / "a.md").read_text() == "old a\n"


def test_a_rename_that_fails_puts_the_replaced_files_back(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("old a\n")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the second rename fails, after the first replaced a.md
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SpecError, match="No space left on device"):
        write_files({tmp_path / "a.md": "new a\n", tmp_path / "sub" / "b.md": "new b\n"})
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temporary file, no new folder
    assert (tmp_path / "a.md").read_text() == "old a\n"
