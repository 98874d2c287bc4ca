"""An nbgrader course folder, and running nbgrader's commands in one."""

import hashlib
import hmac
import os
import secrets
import subprocess
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

SECRET_FILE = ".grading-secret"


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

    def secret(self) -> bytes:
        """The course's grading secret (`.grading-secret`), made on first use.

        It seeds each student's hidden test inputs. It stays in the course folder's root:
        nothing released, collected or returned contains it, and neither sandbox sees it.
        """
        path = self.root / SECRET_FILE
        if not path.is_file():
            path.touch(mode=0o600)
            path.write_text(secrets.token_hex(32) + "\n")
        return path.read_text().strip().encode()

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


def hidden_seed(secret: bytes, assignment: str, student: str) -> int:
    """The seed of one student's hidden test inputs: the same at every regrade."""
    digest = hmac.new(secret, f"{assignment}\0{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


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
