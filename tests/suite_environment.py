"""The environment the whole suite runs in (a pytest plugin, loaded by conftest.py).

- **A home of its own.** Before any test, HOME, Jupyter's data, config and runtime folders
  (nbgrader keeps its exchange cache in the data folder), IPython's and the XDG folders
  point into one temporary folder; pytest-xdist's workers and every kernel inherit it. At
  the end the run fails if anything under the user's Jupyter, IPython, Keras or
  matplotlib folders changed.
- **`COURSE_REQUIRE_GPU=1`** (`make test-gpu`): the run stops at once, with the reason,
  when TensorFlow sees no GPU; each notebook's setup cell then checks it again in its kernel.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers.profile import gpu_required

MARK = "COURSE_TEST_HOME"  # set once by the controller; the workers inherit the folder
WATCHED = (".local/share/jupyter", ".jupyter", ".ipython", ".keras", ".config/matplotlib",
           ".cache/matplotlib")
_FOLDERS = {"HOME": "", "JUPYTER_DATA_DIR": "jupyter/data",
            "JUPYTER_CONFIG_DIR": "jupyter/config", "JUPYTER_RUNTIME_DIR": "jupyter/runtime",
            "IPYTHONDIR": "ipython", "XDG_CACHE_HOME": ".cache", "XDG_CONFIG_HOME": ".config",
            "XDG_DATA_HOME": ".local/share"}


def isolated_home(root: Path) -> dict[str, str]:
    """The variables that send every per-user file of Jupyter, nbgrader and co. under `root`."""
    return {name: str(root / sub) if sub else str(root) for name, sub in _FOLDERS.items()}


def home_snapshot(home: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under the watched per-user folders of `home`."""
    found = {}
    for folder in WATCHED:
        for path in (home / folder).rglob("*"):
            try:
                if path.is_file():
                    stat = path.stat()
                    found[str(path)] = (stat.st_size, stat.st_mtime_ns)
            except OSError:  # vanished while we looked
                continue
    return found


def home_changes(before: dict, after: dict) -> list[str]:
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    return [f"{'added' if p not in before else 'removed' if p not in after else 'changed'} {p}"
            for p in changed]


def gpu_problem() -> str | None:
    """Why TensorFlow cannot compute on a GPU here, or None (checked in a fresh process)."""
    result = subprocess.run(
        [sys.executable, "-c", "from helpers.device import require_gpu; print(require_gpu())"],
        capture_output=True, text=True)
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def pytest_configure(config):
    if MARK in os.environ:  # an xdist worker: the controller set everything up
        return
    if gpu_required():
        problem = gpu_problem()
        if problem:
            pytest.exit(f"make test-gpu needs a GPU and stopped before any test: {problem}",
                        returncode=3)
    config._course_real_home = Path.home()
    config._course_home_before = home_snapshot(Path.home())
    root = Path(tempfile.mkdtemp(prefix="course-test-home-"))
    os.environ.update(isolated_home(root), **{MARK: str(root)})


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not hasattr(config, "_course_home_before"):
        return
    changes = home_changes(config._course_home_before, home_snapshot(config._course_real_home))
    if changes:
        print(f"\nthe suite wrote into {config._course_real_home} (tests must use temporary "
              "folders):\n  " + "\n  ".join(changes[:20]), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
