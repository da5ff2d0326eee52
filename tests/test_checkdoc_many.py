"""check-doc over many documents in one call: paths, folders and globs, one summary, the files
checked in parallel processes, the exit status of the worst file."""

from __future__ import annotations

import os

import pytest

from symcnn.commands import documents

# Each document's verdict, computed by hand: 2 + 2 is 4, not 5; 3 x 4 = 12 holds; prose
# without an equality has nothing to check.
WRONG = "The sum: $$2+2=5$$\n"
RIGHT = "$3 \\times 4 = 12$\n"
EMPTY = "Words only, no equality.\n"


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts" / "2024").mkdir(parents=True)
    (tmp_path / "posts" / ".drafts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(WRONG)
    (tmp_path / "posts" / "2024" / "b.tex").write_text(RIGHT)
    (tmp_path / "posts" / "2024" / "c.md").write_text(EMPTY)
    (tmp_path / "posts" / ".drafts" / "d.md").write_text(WRONG)  # hidden: not searched
    (tmp_path / "posts" / "script.py").write_text("x = 2 + 2  # = 5\n")  # not a document kind
    return tmp_path


def test_a_folder_is_its_documents_in_order(corpus):
    assert documents.expand(["posts"]) == [os.path.join("posts", "2024", "b.tex"),
                                           os.path.join("posts", "2024", "c.md"), os.path.join("posts", "a.md")]


def test_globs_and_paths_are_one_list_without_repeats(corpus):
    assert documents.expand(["posts/**/*.md", "posts/a.md", "posts/2024/b.tex"]) == [
        "posts/2024/c.md", "posts/a.md", "posts/2024/b.tex"]


def test_one_call_one_summary_and_the_worst_status(corpus, run_cli):
    status, out, err = run_cli("check-doc", "posts")
    assert status == 1 and err == ""
    lines = out.splitlines()
    assert lines[0] == "posts/2024/b.tex: checked 1, wrong 0, skipped 0, formulas 0"
    assert "posts/a.md:1: 2+2=5" in lines and "  wrong: 5 should be 4" in lines
    assert lines[-1] == ("3 files: 1 with a mistake, 0 unreadable, 1 with nothing checkable, 1 right; "
                         "checked 2, wrong 1, skipped 0")


def test_nothing_checkable_fails_only_when_no_file_had_anything(corpus, run_cli):
    assert run_cli("check-doc", "posts/2024")[0] == 0
    assert run_cli("check-doc", "posts/2024/c.md")[0] == 4
    assert run_cli("check-doc", "posts/2024/c.md", "posts/2024/c.md")[0] == 4
    assert run_cli("check-doc", "posts/2024/c.md", "--pass-empty")[0] == 0


def test_an_unreadable_file_is_one_line_and_the_others_are_still_checked(corpus, run_cli):
    status, out, err = run_cli("check-doc", "posts/a.md", "posts/missing.md")
    assert status == 2
    assert err == "symcnn: error: posts/missing.md: cannot read the document: No such file or directory\n"
    assert "posts/a.md:1: 2+2=5" in out


@pytest.mark.parametrize("argv, message", [
    (("posts/*.zz",), "symcnn: error: posts/*.zz: no file matches this pattern\n"),
    (("-", "posts/a.md"), "symcnn: error: check-doc: - (standard input) can only be given alone\n"),
    (("posts", "--jobs", "0"), "symcnn: error: --jobs: must be 1 or more, got 0\n"),
])
def test_bad_lists(corpus, run_cli, argv, message):
    status, out, err = run_cli("check-doc", *argv)
    assert (status, err, out) == (2, message, "")


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_each_file_reads_as_it_does_alone(corpus, run_cli, fmt):
    """What one call over many files says of each is what a call over that file says."""
    import json

    names = ["posts/a.md", "posts/2024/b.tex"]
    _, together, _ = run_cli("check-doc", *names, "--format", fmt)
    for name in names:
        _, alone, _ = run_cli("check-doc", name, "--format", fmt)
        if fmt == "json":
            [entry] = [f for f in json.loads(together)["files"] if f["name"] == name]
            assert entry == json.loads(alone)
        elif fmt == "github":
            assert alone in together
        else:
            findings, _, counts = alone.rstrip("\n").rpartition("\n")
            assert findings + "\n" + f"{name}: {counts}\n" in together if findings else f"{name}: {counts}\n"


def test_the_files_are_checked_in_worker_processes(corpus):
    names = [f"f{i}.md" for i in range(6)]
    pids = list(documents.check_all(names, lambda name: (name, os.getpid()), workers=2))
    assert [n for n, _ in pids] == names  # in the order given, whatever order they finish in
    assert os.getpid() not in {p for _, p in pids} and len({p for _, p in pids}) >= 1
    assert list(documents.check_all(names[:1], lambda name: os.getpid(), workers=2)) == [os.getpid()]


def test_the_current_folder_and_its_globs_name_files_without_a_leading_dot(corpus, run_cli):
    """``check-doc .`` (the GitHub Action's default) names ``posts/a.md``, not ``./posts/a.md``:
    GitHub does not place an annotation whose file starts with ``./`` on the pull request's file."""
    assert documents.expand(["."]) == documents.expand(["posts"])
    assert documents.expand(["./posts/*.md"]) == [os.path.join("posts", "a.md")]
    status, out, _ = run_cli("check-doc", ".", "--format", "github")
    assert status == 1
    assert [line for line in out.splitlines() if line.startswith("::error")] == [
        "::error file=posts/a.md,line=1,title=check-doc::2+2=5: 5 should be 4"]
