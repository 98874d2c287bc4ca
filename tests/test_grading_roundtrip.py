"""The nbgrader round trip for every assignment, in a temporary course directory.

generate the student version -> graded in the sandbox by grader, a blank submission
scores 0 on every graded cell and the reference solution full marks on every test cell,
its written answers awaiting manual grading, with nothing flagged; the reference is
graded in a form that also writes TensorFlow-style warnings and log lines to stderr from
every function (stderr must never cost points) -> feedback is generated for everyone,
without the hidden tests. The control that the noise is real (plain nbgrader without the
course's stderr filter fails those cells) runs once, on the quickest assignment: the
noise is made the same way for every assignment.
"""

import ast
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.batch import grade_assignment
from grader.course import run_nbgrader
from tests.course_layout import COURSE, assignments

# Appended to each solution cell of the "noisy" submission: every plain function the
# cell defines is wrapped so that calling it writes to stderr the way TensorFlow code
# does (a Python warning, a TensorFlow log line, tf.print).
NOISE = '''
def _noisy(function):
    import functools
    import warnings

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        warnings.warn("a library warning", UserWarning)
        tf.get_logger().warning("a TensorFlow log line")
        tf.print("a tf.print line, which goes to stderr")
        return function(*args, **kwargs)

    return wrapper
'''


def _nbgrader(course_dir, *args):
    result = run_nbgrader(course_dir, *args, capture=True, timeout=1800)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result


def _solution_cells(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def _answered(released, source):
    """The released notebook with every solution cell answered as the reference does."""
    answered = nbformat.from_dict(released)
    reference = _solution_cells(source)
    for grade_id, cell in _solution_cells(answered).items():
        cell.source = reference[grade_id].source
    return answered


def _noisy(answered):
    noisy = nbformat.from_dict(answered)
    wrapped = 0
    for cell in _solution_cells(noisy).values():
        if cell.cell_type != "code":
            continue
        names = [node.name for node in ast.parse(cell.source).body
                 if isinstance(node, ast.FunctionDef) and not node.decorator_list]
        if names:
            cell.source += "\n" + NOISE + "".join(f"\n{n} = _noisy({n})" for n in names)
            wrapped += len(names)
    assert wrapped, "no plain function found to make noisy"
    return noisy


def _noisy_reference(released, source_path):
    """The release answered with the reference solution, every function writing to stderr."""
    return _noisy(_answered(released, nbformat.read(source_path, 4)))


def _submit(course_dir, assignment_id, student, nb, name):
    folder = course_dir / "submitted" / student / assignment_id
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / name)


def _scores(course_dir, assignment_id, notebook_id, student):
    """grade id -> (score, max score, waits for manual grading)."""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(notebook_id, assignment_id, student)
        return {g.name: (g.score, g.max_score, g.needs_manual_grade) for g in submission.grades}


def _written(source_path):
    """The grade ids of the answers written in words (graded by hand)."""
    return {c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(source_path, 4).cells
            if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")}


def _course(tmp_path_factory, source_path):
    """A course folder holding one assignment's source, released; the release notebook."""
    assignment_id = source_path.parent.name
    course_dir = tmp_path_factory.mktemp(assignment_id)
    shutil.copy(COURSE / "nbgrader_config.py", course_dir)
    (course_dir / "source" / assignment_id).mkdir(parents=True)
    shutil.copy(source_path, course_dir / "source" / assignment_id)
    _nbgrader(course_dir, "generate_assignment", assignment_id, "--force")
    return course_dir, nbformat.read(course_dir / "release" / assignment_id / source_path.name,
                                     4)


@pytest.fixture(scope="module", params=assignments(), ids=lambda p: p.parent.name)
def graded(request, tmp_path_factory):
    """Generate, submit blank and (noisy) reference, autograde, make feedback."""
    source_path = request.param
    assignment_id, notebook_id = source_path.parent.name, source_path.stem
    course_dir, released = _course(tmp_path_factory, source_path)
    reference = _noisy_reference(released, source_path)
    for student, nb in [("blank", released), ("reference", reference)]:
        _submit(course_dir, assignment_id, student, nb, source_path.name)
    # One worker: each submission is two TensorFlow processes, and the assignments' timed
    # exercises (paint, the CNN) must get their share of this 2-core machine.
    outcomes = grade_assignment(course_dir, assignment_id, workers=1, progress=False)
    _nbgrader(course_dir, "generate_feedback", assignment_id)
    scores = {student: _scores(course_dir, assignment_id, notebook_id, student)
              for student in ("blank", "reference")}
    statuses = {o.student: (o.status, o.reasons, sorted(o.awaiting)) for o in outcomes}
    return course_dir, assignment_id, source_path.name, scores, statuses, _written(source_path)


def test_release_has_no_solutions_or_hidden_tests(graded):
    course_dir, assignment_id, name = graded[:3]
    text = (course_dir / "release" / assignment_id / name).read_text()
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"):
        assert marker not in text
    assert "raise NotImplementedError" in text


def test_blank_submission_scores_zero_on_every_graded_cell(graded):
    scores = graded[3]["blank"]
    assert scores and all(score == 0 and not waits for score, _, waits in scores.values()), \
        scores


def test_reference_writing_to_stderr_scores_full_marks_and_its_words_await_a_grader(graded):
    scores, written = graded[3]["reference"], graded[5]
    assert 1 <= len(written) <= 2 and written <= set(scores), written
    autograded = {gid: grade for gid, grade in scores.items() if gid not in written}
    assert autograded and all(score == top and not waits
                              for score, top, waits in autograded.values()), scores
    assert all(scores[gid][2] for gid in written), scores  # no score yet, waits


def test_nothing_is_flagged_for_the_blank_or_reference_submissions(graded):
    statuses, written = graded[4], sorted(graded[5])
    assert statuses["blank"] == ("graded", [], []), statuses
    assert statuses["reference"][:2] == ("graded", []), statuses
    assert [gid for _, gid in statuses["reference"][2]] == written, statuses


def test_feedback_is_generated_for_every_student_without_hidden_tests(graded):
    course_dir, assignment_id, name, scores = graded[:4]
    for student in scores:
        page = course_dir / "feedback" / student / assignment_id / name.replace(".ipynb", ".html")
        assert page.exists(), f"no feedback for {student}"
        assert "Score:" in page.read_text() and "HIDDEN TESTS" not in page.read_text()


def test_the_noise_is_real_plain_nbgrader_unfiltered_would_fail_those_cells(tmp_path_factory):
    source_path = assignments()[0]
    assignment_id = source_path.parent.name
    course_dir, released = _course(tmp_path_factory, source_path)
    noisy = _noisy_reference(released, source_path)
    _submit(course_dir, assignment_id, "noisy", noisy, source_path.name)
    _nbgrader(course_dir, "autograde", assignment_id, "--create", "--student=noisy",
              "--IgnorePattern.enabled=False")
    scores = _scores(course_dir, assignment_id, source_path.stem, "noisy")
    lost = [gid for gid, (score, top, _) in scores.items() if score is not None and score < top]
    assert lost, "the noisy submission printed nothing to stderr in its test cells"
