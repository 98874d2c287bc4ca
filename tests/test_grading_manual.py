"""Written answers: graded by hand, counted while they wait, kept while they are unchanged.

The tiny assignment with one question answered in words (an nbgrader manually graded
markdown cell). Its autograded points come from the tests as always; the written answer
waits for the instructor, and a regrade keeps a hand-given score only for the same text.
"""

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.batch import grade_assignment, summary, write_report
from grader.cli import nbgrader
from grader.course import Course
from grader.gradebook import awaiting_manual_grade
from tests import grading_fixture as fx
from tests.course_layout import COURSE
from tests.test_grading_batch import LIMITS

ANSWER = "A single huge value drags the mean: [1, 2, 1000] has mean 334."


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = fx.make_course(tmp_path_factory.mktemp("course"), COURSE / "nbgrader_config.py",
                          written=True)
    nbgrader(root, "generate_assignment", fx.ASSIGNMENT, "--force")
    return root, nbformat.read(root / "release" / fx.ASSIGNMENT / fx.NOTEBOOK, 4)


def _submit(course, student, written=None):
    root, release = course
    answers = {**fx.ANSWERS, **({fx.WRITTEN_ID: written} if written is not None else {})}
    fx.submit(root, student, fx.answered(release, answers))


def _grade(course, students):
    outcomes = grade_assignment(course[0], fx.ASSIGNMENT, students, workers=2, limits=LIMITS,
                                progress=False)
    return {o.student: o for o in outcomes}


def _written_grade(root, student):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(fx.WRITTEN_ID, "tiny", fx.ASSIGNMENT, student)
        return grade.auto_score, grade.manual_score, grade.needs_manual_grade


@pytest.fixture(scope="module")
def graded(course):
    _submit(course, "answers", ANSWER)
    _submit(course, "silent")  # the release's "YOUR ANSWER HERE", untouched
    return _grade(course, ["answers", "silent"])


def test_the_student_version_hides_the_rubric(course):
    text = "".join(cell.source for cell in course[1].cells)
    assert "Rubric" not in text and "Model answer" not in text


def test_a_written_answer_awaits_the_instructor(course, graded):
    outcome = graded["answers"]
    assert (outcome.score, outcome.max_score) == (5, 7)
    assert outcome.awaiting == {("tiny", fx.WRITTEN_ID): fx.WRITTEN_POINTS}
    assert _written_grade(course[0], "answers") == (None, None, True)


def test_an_unanswered_question_scores_zero_and_waits_for_nobody(course, graded):
    outcome = graded["silent"]
    assert (outcome.score, outcome.awaiting) == (5, {})
    assert _written_grade(course[0], "silent") == (0, None, False)


def test_the_reports_count_the_answers_awaiting_manual_grading(course, graded, tmp_path):
    text = summary(list(graded.values()), 1.0)
    assert "1 written answer(s) from 1 student(s) await manual grading" in text
    write_report(list(graded.values()), tmp_path / "report.csv")
    assert "answers,graded,5.0,7.0,1," in (tmp_path / "report.csv").read_text()
    assert awaiting_manual_grade(Course(course[0]), fx.ASSIGNMENT) == 1


def test_a_regrade_keeps_a_hand_given_score_only_for_the_same_answer(course, graded):
    root = course[0]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.find_grade(fx.WRITTEN_ID, "tiny", fx.ASSIGNMENT, "answers").manual_score = 1.5
        gradebook.db.commit()
    again = _grade(course, ["answers"])["answers"]
    assert (again.score, again.awaiting) == (6.5, {})
    assert _written_grade(root, "answers") == (None, 1.5, False)
    _submit(course, "answers", ANSWER + " Also the median does not.")
    changed = _grade(course, ["answers"])["answers"]
    assert (changed.score, len(changed.awaiting)) == (5, 1)
    assert _written_grade(root, "answers") == (None, None, True)
