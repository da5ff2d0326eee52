"""The wheel built from this repository works on its own, from any folder."""

import subprocess


def test_summary_from_another_folder(installed, tmp_path):
    done = subprocess.run(
        [str(installed / "symcnn"), "summary", "alexnet"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "total params  62,378,344" in done.stdout  # the article's total
    done = subprocess.run(
        [str(installed / "python"), "-m", "symcnn", "summary", "alexnet", "--json"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert '"total_params": 62378344' in done.stdout
