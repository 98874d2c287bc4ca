"""An nbgrader course folder, and running nbgrader's commands in one."""

import os
import subprocess
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader


class Course:
    """An nbgrader course folder: nbgrader_config.py, gradebook.db, release/, submitted/."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        config_file = self.root / "nbgrader_config.py"
        if not config_file.is_file():
            raise FileNotFoundError(f"{self.root} has no nbgrader_config.py: is it the course "
                                    "folder? (create one with `course-grader init FOLDER`)")
        self.config_file = config_file
        config = PyFileConfigLoader(config_file.name, path=str(self.root)).load_config()
        self.course_id = config.CourseDirectory.get("course_id", "")
        self.db_url = config.CourseDirectory.get("db_url") or (
            f"sqlite:///{self.root / 'gradebook.db'}")

    def release_notebooks(self, assignment: str) -> list[Path]:
        folder = self.root / "release" / assignment
        found = sorted(folder.glob("*.ipynb"))
        if not found:
            raise FileNotFoundError(f"no released notebooks in {folder}: run "
                                    f"`course-grader release {assignment}` first")
        return found

    def students(self, assignment: str) -> list[str]:
        return sorted(p.parent.name for p in (self.root / "submitted").glob(f"*/{assignment}")
                      if p.is_dir())


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader: it runs helper programs (alembic) found on PATH."""
    bin_dir = os.path.dirname(sys.executable)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def run_nbgrader(folder: Path, *args: str, capture: bool = False,
                 timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` in `folder` with this environment's nbgrader."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=folder,
                          env=nbgrader_env(), capture_output=capture, text=True,
                          timeout=timeout)
