"""The course gradebook: a template for one assignment, and the one writer of scores.

Only the grading process writes here, one submission at a time; neither of a
submission's two processes can see the gradebook at all.
"""

import shutil
import warnings
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from grader.course import Course, run_nbgrader


def template(course: Course, assignment: str, folder: Path) -> Path:
    """A SQLite gradebook holding only the assignment, made from its source like the
    course's own (which may be another database), with the same due date."""
    shutil.copytree(course.root / "source" / assignment, folder / "source" / assignment)
    shutil.copy(course.config_file, folder)
    database = folder / "gradebook.db"
    result = run_nbgrader(folder, "generate_assignment", assignment, "--force",
                          f"--CourseDirectory.root={folder}",
                          f"--CourseDirectory.db_url=sqlite:///{database}", capture=True)
    if result.returncode:
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed while preparing "
                           f"the grading: {result.stderr[-1500:]}")
    with Gradebook(course.db_url, course.course_id) as gradebook:
        duedate = gradebook.find_assignment(assignment).duedate
    with Gradebook(f"sqlite:///{database}", course.course_id) as gradebook:
        gradebook.update_or_create_assignment(assignment, duedate=duedate)
    return database


def _answer(folder: Path | None, notebook: str, grade_id: str) -> str | None:
    """The source of one answer cell in a graded notebook, if it can be read."""
    path = folder / f"{notebook}.ipynb" if folder else None
    if path is None or not path.is_file():
        return None
    cells = nbformat.read(path, as_version=4).cells
    return next((c.source for c in cells
                 if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id), None)


def _unchanged_manual_scores(gradebook: Gradebook, course: Course, assignment: str,
                             outcome) -> dict:
    """Hand-given scores of written answers that this submission repeats word for word."""
    kept, earlier = {}, course.root / "autograded" / outcome.student / assignment
    for notebook, grade_id in outcome.awaiting:
        try:
            grade = gradebook.find_grade(grade_id, notebook, assignment, outcome.student)
        except MissingEntry:
            continue
        text = _answer(outcome.autograded, notebook, grade_id)
        if grade.manual_score is not None and text is not None and \
                text == _answer(earlier, notebook, grade_id):
            kept[notebook, grade_id] = grade.manual_score
    return kept


def record(course: Course, assignment: str, outcome) -> None:
    """Write a `batch.Outcome` into the course gradebook, replacing any earlier attempt.

    Written answers await manual grading, except those graded by hand before whose text
    is unchanged: they keep their score (moved from `awaiting` into the scores).
    """
    with Gradebook(course.db_url, course.course_id) as gradebook:
        gradebook.update_or_create_student(outcome.student)
        kept = _unchanged_manual_scores(gradebook, course, assignment, outcome)
        try:
            gradebook.remove_submission(assignment, outcome.student)
        except MissingEntry:
            pass
    with Gradebook(course.db_url, course.course_id) as gradebook:
        extra = {"timestamp": outcome.timestamp} if outcome.timestamp else {}
        with warnings.catch_warnings():  # nbgrader's own autoflush notice, harmless
            warnings.simplefilter("ignore", SAWarning)
            submission = gradebook.add_submission(assignment, outcome.student, **extra)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                key = notebook.name, grade.name
                written = key in outcome.awaiting
                grade.auto_score = None if written else outcome.scores.get(key, 0.0)
                grade.manual_score = kept.get(key)
                grade.needs_manual_grade = written and key not in kept
                outcome.max_score += grade.max_score
        gradebook.db.commit()
    for key, score in kept.items():
        del outcome.awaiting[key]
        outcome.scores[key] = score
    target = course.root / "autograded" / outcome.student / assignment
    shutil.rmtree(target, ignore_errors=True)
    if outcome.autograded is not None:
        shutil.copytree(outcome.autograded, target)


def awaiting_manual_grade(course: Course, assignment: str) -> int:
    """How many answers of `assignment` in the course gradebook still need a hand-given score."""
    with Gradebook(course.db_url, course.course_id) as gradebook:
        return sum(grade.needs_manual_grade
                   for submission in gradebook.assignment_submissions(assignment)
                   for notebook in submission.notebooks for grade in notebook.grades)
