"""The suite's own environment: a temporary home, and `make test-gpu` without a GPU."""

import os
import subprocess
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir

from tests.course_layout import ROOT
from tests.suite_environment import MARK, home_changes, home_snapshot, isolated_home


def test_the_suite_runs_in_a_temporary_home():
    root = Path(os.environ[MARK])
    assert Path.home() == root and root.name.startswith("course-test-home-")
    # nbgrader keeps its exchange cache under Jupyter's data folder
    assert Path(jupyter_data_dir()).is_relative_to(root)


def test_a_write_into_the_home_is_reported(tmp_path):
    (tmp_path / ".jupyter").mkdir()
    (tmp_path / ".jupyter" / "old.json").write_text("{}")
    before = home_snapshot(tmp_path)
    cache = tmp_path / ".local/share/jupyter/nbgrader_cache/course/tiny"
    cache.mkdir(parents=True)
    (cache / "submission.ipynb").write_text("{}")
    (tmp_path / ".jupyter" / "old.json").unlink()
    assert home_changes(before, home_snapshot(tmp_path)) == [
        f"removed {tmp_path}/.jupyter/old.json", f"added {cache}/submission.ipynb"]
    assert isolated_home(tmp_path)["JUPYTER_DATA_DIR"] == str(tmp_path / "jupyter/data")


def test_make_test_gpu_stops_at_once_without_a_gpu(tmp_path):
    env = {**os.environ, "COURSE_REQUIRE_GPU": "1", "CUDA_VISIBLE_DEVICES": "-1"}
    env.pop(MARK)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_budget.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "make test-gpu needs a GPU and stopped before any test" in out
    assert "COURSE_REQUIRE_GPU=1 but TensorFlow" in out and "sees no GPU" in out
    assert "passed" not in out  # no test ran
