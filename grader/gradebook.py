"""The course gradebook: a template for one assignment, and the one writer of scores.

Only the grading process writes here, one submission at a time; neither of a
submission's two processes can see the gradebook at all.
"""

import shutil
import warnings
from pathlib import Path

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


def record(course: Course, assignment: str, outcome) -> None:
    """Write a `batch.Outcome` into the course gradebook, replacing any earlier attempt."""
    with Gradebook(course.db_url, course.course_id) as gradebook:
        gradebook.update_or_create_student(outcome.student)
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
                grade.auto_score = outcome.scores.get((notebook.name, grade.name), 0.0)
                grade.manual_score = None
                grade.needs_manual_grade = False
                outcome.max_score += grade.max_score
        gradebook.db.commit()
    target = course.root / "autograded" / outcome.student / assignment
    shutil.rmtree(target, ignore_errors=True)
    if outcome.autograded is not None:
        shutil.copytree(outcome.autograded, target)
