"""A student's self-check: run your assignment with its public tests, per exercise.

    make check                                   every assignment you changed in workspace/
    make check NOTEBOOK=workspace/session1_basics/assignment1.ipynb

Your answers are put into the pristine student version (as grading does, grader.intake),
so an edited or deleted test cell is restored; the notebook runs top to bottom in a fresh
kernel, and each exercise is reported: its public tests passed, or the first error.
Hidden tests run only when the assignment is graded. Your notebook is never modified.
"""

import argparse
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from grader.intake import RejectedSubmission, rebuild
from grader.workspace import COURSE, STATE, Workspace, is_assignment, student_versions

PASSED = "public tests passed; hidden tests run when it is graded"


@dataclass
class Exercise:
    title: str
    points: float = 0
    errors: list[str] = field(default_factory=list)
    written: bool = False
    answered: bool = True

    def line(self) -> str:
        if self.written:
            state = "answered" if self.answered else "not answered yet"
            return f"{self.title}: written answer, {state}; graded by hand"
        verdict = PASSED if not self.errors else f"public test failed: {self.errors[0]}"
        return f"{self.title}: {verdict}"


def release_for(notebook: Path) -> nbformat.NotebookNode:
    """The pristine student version `notebook` was made from.

    In a workspace it is the copy kept in `.course/release/`; elsewhere (a download) it is
    made afresh from the course's assignment of the same name.
    """
    for folder in notebook.resolve().parents:
        kept = folder / STATE / "release" / notebook.parent.name / notebook.name
        if (folder / STATE).is_dir() and kept.is_file():
            return nbformat.read(kept, as_version=4)
    sources = sorted(COURSE.glob(f"session*/{notebook.name}"))
    if not sources:
        names = ", ".join(p.name for p in sorted(COURSE.glob("session*/assignment*.ipynb")))
        raise RejectedSubmission(f"{notebook.name} is not one of the course's assignments "
                                 f"({names}): keep the notebook's name")
    return nbformat.reads(student_versions(sources[:1])[sources[0]].decode(), as_version=4)


def _first_error(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            name, value = output.get("ename", "Error"), output.get("evalue", "").strip()
            if name == "NotImplementedError" and not value:
                return "not answered yet (NotImplementedError)"
            return f"{name}: {value.splitlines()[0][:300]}" if value else name
    return None


def exercises(executed: nbformat.NotebookNode) -> list[Exercise]:
    """Each graded part of the executed notebook, titled by its '## ' heading."""
    found: list[Exercise] = []
    heading = None
    for cell in executed.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and cell.source.startswith("## ") and not meta:
            heading = cell.source.splitlines()[0][3:].strip()
            continue
        if not meta.get("grade"):
            continue
        title = heading or meta.get("grade_id", "?")
        if meta.get("solution"):  # a written answer, graded by hand
            found.append(Exercise(f"{title} [{meta.get('grade_id')}]",
                                  meta.get("points", 0), written=True,
                                  answered="YOUR ANSWER HERE" not in cell.source))
            continue
        if not found or found[-1].title != title or found[-1].written:
            found.append(Exercise(title))
        found[-1].points += meta.get("points", 0)
        error = _first_error(cell)
        if error:
            found[-1].errors.append(error)
    return found


def check(notebook: Path, timeout: int = 600) -> tuple[list[Exercise], list[str]]:
    """Run `notebook` with its public tests; return its exercises and what differed."""
    intake = rebuild(notebook, release_for(notebook))
    # in a fresh kernel working where the notebook is (it may read files beside it)
    NotebookClient(intake.notebook, timeout=timeout, allow_errors=True,
                   resources={"metadata": {"path": str(notebook.parent)}},
                   ).execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up notes
    return exercises(intake.notebook), intake.notes


def changed_assignments(folder: Path) -> list[Path]:
    """The assignments of a workspace the student has changed."""
    space = Workspace(folder)
    return [space.root / rel for rel in sorted(space.manifest)
            if is_assignment(rel) and space.changed_by_student(rel)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m grader.self_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="a notebook, or a workspace folder")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (600)")
    args = parser.parse_args(argv)
    if args.path.is_dir():
        notebooks = changed_assignments(args.path)
        if not notebooks:
            sys.exit(f"no assignment in {args.path} has changed since it was made: answer "
                     "one, save it, and check again (or pass NOTEBOOK=path)")
    elif args.path.suffix == ".ipynb" and args.path.is_file():
        notebooks = [args.path]
    else:
        sys.exit(f"{args.path} is neither a notebook nor a workspace folder")
    failed = False
    for notebook in notebooks:
        print(f"{notebook}: running it top to bottom with the public tests ...", flush=True)
        try:
            results, notes = check(notebook, args.timeout)
        except RejectedSubmission as error:
            print(f"  cannot check it: {error}")
            failed = True
            continue
        for exercise in results:
            print(f"  {exercise.line()}")
            failed |= bool(exercise.errors)
        for note in notes:
            print(f"  note: {note}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
