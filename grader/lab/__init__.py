"""JupyterLab on a student's workspace or on an instructor's course folder.

    python -m grader.lab [WORKSPACE] [JUPYTER LAB OPTIONS ...]   what `make lab` runs
    course-grader lab [JUPYTER LAB OPTIONS ...]                  in a course folder

The server runs in the folder, with this environment's programs first on its PATH
(`%tensorboard` starts `tensorboard`), whatever the shell's PATH, and with a
configuration folder of its own for nbgrader's panels (config/<role>/, put first on
JUPYTER_CONFIG_PATH for this server only; nothing is written into $HOME):

- **student**: Formgrader, Create Assignment and the Course List are instructor tools, so
  they are off. The Assignment List (fetch, submit) is on only when the exchange folder
  that nbgrader would use exists (a JupyterHub's); without it, the Nbgrader menu is off
  too and only the Validate button stays.
- both: JupyterLab's "official Jupyter news?" toast is off.
- **instructor**: every panel is on. Formgrader reads the course folder's
  nbgrader_config.py from the server's working folder; its dialogs' OK button is made
  readable (grader.lab.formgrader_style).
"""

import logging
import os
import sys
from pathlib import Path

from grader.workspace import DEFAULT as DEFAULT_WORKSPACE

CONFIG = Path(__file__).parent / "config"


def exchange_root(folder: Path) -> Path:
    """The exchange folder nbgrader uses for a server started in `folder`.

    It is read as nbgrader's server extensions read it: `folder`'s nbgrader_config.py,
    then those on Jupyter's config path, else nbgrader's default.
    """
    from nbgrader.apps import NbGrader
    from nbgrader.exchange.default.exchange import Exchange

    app = NbGrader(config_dir=str(folder), load_cwd_config=False, log_level=logging.ERROR)
    app.load_config_file()
    return Path(Exchange(config=app.config).root)


def role(folder: Path, instructor: bool) -> str:
    """The configuration folder's name under config/ for a server on `folder`."""
    if instructor:
        return "instructor"
    return "student-exchange" if exchange_root(folder).is_dir() else "student"


def server(folder: Path, instructor: bool, lab_args: list[str]) -> tuple[list[str], dict]:
    """The command line and environment of a JupyterLab server on `folder` (run it there)."""
    programs = os.path.dirname(sys.executable)
    config_path = [str(CONFIG / role(folder, instructor))]
    if os.environ.get("JUPYTER_CONFIG_PATH"):
        config_path.append(os.environ["JUPYTER_CONFIG_PATH"])
    path = [programs, *filter(None, os.environ.get("PATH", "").split(os.pathsep))]
    env = {**os.environ, "PATH": os.pathsep.join(path),
           "JUPYTER_CONFIG_PATH": os.pathsep.join(config_path)}
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
               *as_root, *lab_args]
    return command, env


def launch(folder: Path, instructor: bool, lab_args: list[str]) -> None:
    """Replace this process by JupyterLab on `folder` (Ctrl-C stops it as usual)."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        sys.exit(f"{folder} does not exist: make it with `make lab` (a workspace) or "
                 "`course-grader init FOLDER` (a course folder)")
    command, env = server(folder, instructor, lab_args)
    os.chdir(folder)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, env)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return
    folder = Path(args.pop(0)) if args and not args[0].startswith("-") else DEFAULT_WORKSPACE
    launch(folder, instructor=False, lab_args=args)
