"""check-doc where documents are written: the pre-commit hook (run by pre-commit itself on a
temporary git repository) and the GitHub Action's command line (run as the action runs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# 2 + 2 is 4; AlexNet's conv5 gives 13x13x256 (13 - 3 + 2*1 + 1 = 13), the source article's 27x27x256 is wrong
WRONG = "# Notes\n\nThe sum:\n\n$$2+2=5$$\n"
FIXED = "# Notes\n\nThe sum:\n\n$$2+2=4$$\n"
GIT = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT, "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _snapshot(dest: Path) -> str:
    """The working tree (committed or not, ignored files left out) as a one-commit repository: the
    hook is tried on the code as it is now. Returns the commit."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return _git(dest, "rev-parse", "HEAD").strip()


@pytest.mark.slow
def test_the_pre_commit_hook_fails_a_wrong_derivation_and_passes_it_fixed(tmp_path):
    from conftest import require

    require("pre_commit")
    hook_repo, user_repo, home = tmp_path / "symcnn", tmp_path / "notes", tmp_path / "pre-commit"
    hook_repo.mkdir()
    user_repo.mkdir()
    rev = _snapshot(hook_repo)
    _git(user_repo, "init", "-q")
    (user_repo / "notes.md").write_text(WRONG)
    (user_repo / "plain.txt").write_text("2 + 2 = 5, not a kind the hook reads\n")
    _git(user_repo, "add", "notes.md", "plain.txt")
    env = {**os.environ, **GIT, "PRE_COMMIT_HOME": str(home), "HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)  # the hook runs the symcnn pre-commit installed, not this checkout

    def try_repo() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "symcnn-check-doc",
                               "--ref", rev, "--files", "notes.md", "plain.txt", "--color", "never"],
                              cwd=user_repo, env=env, capture_output=True, text=True, timeout=1800)

    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "notes.md:5: 2+2=5" in failed.stdout and "wrong: 5 should be 4" in failed.stdout
    assert "plain.txt" not in failed.stdout
    (user_repo / "notes.md").write_text(FIXED)
    _git(user_repo, "add", "notes.md")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "symcnn check-doc" in passed.stdout and "Passed" in passed.stdout


def test_the_hook_runs_check_doc_on_the_staged_documents():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"].split()[:2] == ["symcnn", "check-doc"] and hook["language"] == "python"
    assert set(hook["types_or"]) == {"markdown", "tex", "html", "jupyter"}


def _action_step(name: str) -> dict:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    [step] = [s for s in action["runs"]["steps"] if s.get("name") == name]
    return step


@pytest.fixture
def symcnn_on_path(tmp_path) -> dict:
    """An environment whose ``symcnn`` is this checkout's, as the action's install step leaves it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "symcnn"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m symcnn "$@"\n')
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("paths, network, status, annotations", [
    ("docs/notes.md 'docs/**/*.tex'", "", 1,
     ["::error file=docs/notes.md,line=5,title=check-doc::2+2=5: 5 should be 4"]),
    ("docs/fixed.md", "", 0, []),
    ("docs/fixed.md docs/conv5.md", "alexnet", 1, ["::error file=docs/conv5.md,line=1,"]),
    # the action's default: the whole checkout, its files named from its root (no ./, which GitHub
    # would not place on the pull request's file)
    (".", "", 1, ["::error file=docs/notes.md,line=5,title=check-doc::2+2=5: 5 should be 4"]),
], ids=["wrong-step", "right", "network", "default-paths"])
def test_the_action_command_line(tmp_path, symcnn_on_path, paths, network, status, annotations):
    step = _action_step("check-doc")
    assert step["shell"] == "bash" and step["env"]["SYMCNN_PATHS"] == "${{ inputs.paths }}"
    work = tmp_path / "repo"
    (work / "docs" / "tex").mkdir(parents=True)
    (work / "docs" / "notes.md").write_text(WRONG)
    (work / "docs" / "fixed.md").write_text(FIXED)
    (work / "docs" / "tex" / "a.tex").write_text("$3 \\times 4 = 12$\n")
    (work / "docs" / "conv5.md").write_text("Conv-5: 27x27x256\n")
    env = {**symcnn_on_path, "SYMCNN_PATHS": paths.replace("'", ""), "SYMCNN_NETWORK": network}
    done = subprocess.run(["bash", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == status, done.stdout + done.stderr
    for line in annotations:
        assert any(out.startswith(line) for out in done.stdout.splitlines()), done.stdout
    assert sum(out.startswith("::error") for out in done.stdout.splitlines()) == len(annotations)


def test_the_action_installs_symcnn_from_its_own_checkout():
    assert _action_step("install symcnn")["run"] == 'python -m pip install "$GITHUB_ACTION_PATH"'
    assert (ROOT / "pyproject.toml").is_file()  # the action's folder is the project's


def test_the_local_hook_the_docs_show_runs_what_the_hook_repository_runs():
    import re

    page = (ROOT / "docs" / "checking.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", page, re.S)]
    [local] = [b["repos"][0]["hooks"][0] for b in blocks
               if isinstance(b, dict) and b.get("repos") and b["repos"][0]["repo"] == "local"]
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert local["language"] == "system"
    for key in ("id", "entry", "types_or", "require_serial"):
        assert local[key] == hook[key], key
