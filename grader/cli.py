"""`course-grader`: the instructor's commands for a term, on top of nbgrader.

    course-grader init FOLDER [--exchange DIR]   a course folder with every assignment
    course-grader lab [JUPYTER LAB OPTIONS ...]  JupyterLab on it, with nbgrader's Formgrader
    course-grader release ASSIGNMENT [--exchange]
    course-grader collect ASSIGNMENT (--exchange | --folder DIR)
    course-grader autograde ASSIGNMENT [--student ID ...] [--workers N] [limits]
    course-grader feedback ASSIGNMENT [--exchange]
    course-grader export [--to grades.csv]

Run them inside the course folder (or pass --course-dir). ASSIGNMENT is a session
folder's name, e.g. session1_basics.
"""

import argparse
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from grader.course import SECRET_FILE, Course, run_nbgrader
from grader.lab import exchange_root, launch
from grader.limits import Limits

COURSE = Path(__file__).resolve().parents[1] / "course"


def nbgrader(course_dir: Path, *args: str) -> None:
    """Run an nbgrader command in the course folder; stop with its message if it fails."""
    result = run_nbgrader(course_dir, *args)
    if result.returncode:
        sys.exit(f"nbgrader {' '.join(args)} failed (exit {result.returncode}); see above")


LOCAL_EXCHANGE = """
# No exchange folder was given, and the one nbgrader would use does not exist:
#   {default}
# So the course has its own, in this folder: Formgrader's release and collect work, and
# the students' side can be tried in the same JupyterLab. On a JupyterHub, give --exchange.
from pathlib import Path  # noqa: E402

c.Exchange.root = str(Path(__file__).parent / "exchange")
"""


def init(folder: Path, exchange: str | None) -> None:
    """A course folder: the course's nbgrader config and each session's assignment.

    Without --exchange, the exchange is the one configured for nbgrader on this machine
    (e.g. a JupyterHub's) if it exists, else the folder's own `exchange/`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    config = (COURSE / "nbgrader_config.py").read_text()
    if exchange:
        config += f"\nc.Exchange.root = {str(Path(exchange).resolve())!r}\n"
    (folder / "nbgrader_config.py").write_text(config)
    default = None if exchange else exchange_root(folder)
    if default and not default.is_dir():
        config += LOCAL_EXCHANGE.format(default=default)
        (folder / "nbgrader_config.py").write_text(config)
        (folder / "exchange").mkdir(exist_ok=True)
    print(f"exchange: {exchange_root(folder)}")
    for notebook in sorted(COURSE.glob("session*/assignment*.ipynb")):
        target = folder / "source" / notebook.parent.name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebook, target)
        print(f"source/{notebook.parent.name}/{notebook.name}")
    Course(folder).secret()
    print(f"{SECRET_FILE}: seeds each student's hidden test inputs (keep it; never share it)")
    print(f"course folder ready: {folder}")


def collect_folder(course_dir: Path, assignment: str, folder: Path) -> None:
    """Copy an LMS download into submitted/: DIR/<student>/... or DIR/<student>.ipynb."""
    if not folder.is_dir():
        sys.exit(f"{folder} is not a folder of submissions")
    release = sorted((course_dir / "release" / assignment).glob("*.ipynb"))
    if not release:
        sys.exit(f"release {assignment} first: no notebooks in release/{assignment}")
    count = 0
    for entry in sorted(folder.iterdir()):
        student = entry.stem if entry.suffix == ".ipynb" else entry.name
        if entry.name.startswith(".") or not (entry.is_dir() or entry.suffix == ".ipynb"):
            continue
        target = course_dir / "submitted" / student / assignment
        shutil.rmtree(target, ignore_errors=True)
        if entry.is_dir():
            shutil.copytree(entry, target, symlinks=True)
        else:
            target.mkdir(parents=True)
            shutil.copy(entry, target / release[0].name)
        stamp = datetime.fromtimestamp(entry.stat().st_mtime, timezone.utc)
        (target / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        count += 1
    print(f"collected {count} submissions into submitted/*/{assignment}")


def autograde(course_dir: Path, args) -> None:
    from grader.batch import grade_assignment, summary, write_report

    limits = Limits(cell_seconds=args.cell_timeout, submission_seconds=args.submission_timeout,
                    memory_bytes=int(args.memory_gb * 1024**3))
    start = time.monotonic()
    outcomes = grade_assignment(course_dir, args.assignment, args.student, args.workers,
                                limits)
    report = course_dir / "reports" / f"{args.assignment}-grading.csv"
    write_report(outcomes, report)
    print(summary(outcomes, time.monotonic() - start))
    print(f"report: {report}")


def main(argv: list[str] | None = None) -> None:
    try:
        _main(argv)
    except (ValueError, FileNotFoundError, RuntimeError) as error:  # incl. SandboxUnavailable
        sys.exit(f"course-grader: {error}")


def _main(argv: list[str] | None) -> None:
    parser = argparse.ArgumentParser(prog="course-grader", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course-dir", type=Path, default=Path.cwd(),
                        help="the nbgrader course folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("init", help="create a course folder")
    p.add_argument("folder", type=Path)
    p.add_argument("--exchange", help="nbgrader exchange folder (JupyterHub)")
    for name, text in (("release", "make the student version (and release it)"),
                       ("feedback", "make feedback pages (and return them)")):
        p = commands.add_parser(name, help=text)
        p.add_argument("assignment")
        p.add_argument("--exchange", action="store_true", help="also via nbgrader's exchange")
    p = commands.add_parser("collect", help="collect submissions")
    p.add_argument("assignment")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--exchange", action="store_true", help="from nbgrader's exchange")
    source.add_argument("--folder", type=Path, help="from a folder (e.g. an LMS download)")
    p = commands.add_parser("autograde", help="grade submissions, sandboxed and in parallel")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--workers", type=int, help="parallel sandboxes (default: one per core)")
    p.add_argument("--cell-timeout", type=int, default=Limits.cell_seconds, metavar="S")
    p.add_argument("--submission-timeout", type=int, default=Limits.submission_seconds,
                   metavar="S")
    p.add_argument("--memory-gb", type=float, default=Limits.memory_bytes / 1024**3)
    p = commands.add_parser("export", help="export grades (nbgrader export)")
    p.add_argument("--to", default="grades.csv")
    commands.add_parser("lab", help="open JupyterLab here, with nbgrader's Formgrader "
                        "(other options go to jupyter lab)")
    args, lab_args = parser.parse_known_args(argv)
    if lab_args and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(lab_args)}")

    course_dir = args.course_dir.resolve()
    if args.command == "init":
        init(args.folder.resolve(), args.exchange)
        return
    if not (course_dir / "nbgrader_config.py").is_file():
        sys.exit(f"{course_dir} is not a course folder (no nbgrader_config.py): cd into one "
                 "or pass --course-dir; create one with `course-grader init FOLDER`")
    if args.command == "release":
        nbgrader(course_dir, "generate_assignment", args.assignment, "--force")
        if args.exchange:
            nbgrader(course_dir, "release_assignment", args.assignment, "--force")
        print(f"student version: {course_dir / 'release' / args.assignment}")
    elif args.command == "collect" and args.exchange:
        nbgrader(course_dir, "collect", args.assignment, "--update")
    elif args.command == "collect":
        collect_folder(course_dir, args.assignment, args.folder.resolve())
    elif args.command == "autograde":
        autograde(course_dir, args)
    elif args.command == "feedback":
        from grader.gradebook import awaiting_manual_grade

        waiting = awaiting_manual_grade(Course(course_dir), args.assignment)
        if waiting:
            print(f"note: {waiting} answer(s) still await manual grading (nbgrader formgrader);"
                  " their feedback pages show them as ungraded")
        nbgrader(course_dir, "generate_feedback", args.assignment, "--force")
        if args.exchange:
            nbgrader(course_dir, "release_feedback", args.assignment)
        print(f"feedback pages: {course_dir / 'feedback'}/<student>/{args.assignment}/")
    elif args.command == "export":
        nbgrader(course_dir, "export", "--to", args.to)
    elif args.command == "lab":
        exchange = exchange_root(course_dir)
        if not exchange.is_dir():
            print(f"note: nbgrader's exchange {exchange} does not exist, so Formgrader cannot "
                  "release or collect; set c.Exchange.root in nbgrader_config.py "
                  "(`course-grader init` does for a new course)")
        launch(course_dir, instructor=True, lab_args=lab_args)


if __name__ == "__main__":
    main()
