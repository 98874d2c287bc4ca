"""Grading untrusted submissions: each crafted submission gets what it earned, no more.

Three batches of the tiny assignment (tests/grading_fixture.py) in one course folder:
- "screened": ordinary, tampering and broken submissions, graded as instructors do;
- "unscreened": the same tampering with the static screen switched off (the control
  that shows the tampering is real), and submissions that misbehave at run time, which
  the sandbox and the limits must stop whatever the screen would say;
- regrading one student three times.
"""

import hashlib
import http.server
import threading

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.batch import grade_assignment
from grader.cli import nbgrader
from grader.limits import Limits
from tests import grading_fixture as fx
from tests.course_layout import COURSE

LIMITS = Limits(cell_seconds=5, submission_seconds=20, memory_bytes=2 * 1024**3)
RIGHT, WRONG = fx.ANSWERS, fx.WRONG
TAMPERING = {  # wrong answers plus a way to pass the tests anyway: (answers, points earned)
    "patches_numpy": ({"add_squares": WRONG["add_squares"]
                       + "\nnp.allclose = lambda *a, **k: True"}, 3),
    "rebinds_check": ({"add_squares": WRONG["add_squares"]
                       + "\ncheck_close = lambda *args, **kwargs: None"}, 3),
    "ipython_hook": ({"add_squares": WRONG["add_squares"] + "\nget_ipython()"
                      ".input_transformers_post.append(lambda lines: ['pass\\n'])",
                      "mean_of": WRONG["mean_of"]}, 0),
    "always_equal": ({"mean_of": "class Anything:\n    def __eq__(self, other):\n"
                                 "        return True\n\n\ndef mean_of(values):\n"
                                 "    return Anything()"}, 2),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = fx.make_course(tmp_path_factory.mktemp("course"), COURSE / "nbgrader_config.py")
    nbgrader(root, "generate_assignment", fx.ASSIGNMENT, "--force")
    return root, nbformat.read(root / "release" / fx.ASSIGNMENT / fx.NOTEBOOK, 4)


def _submit(course, student, answers=None, **kwargs):
    root, release = course
    return fx.submit(root, student, fx.answered(release, {**RIGHT, **(answers or {})}),
                     **kwargs)


def _grade(course, students, **kwargs):
    outcomes = grade_assignment(course[0], fx.ASSIGNMENT, students, workers=2, limits=LIMITS,
                                progress=False, **kwargs)
    return {o.student: o for o in outcomes}


def _gradebook_scores(root, student):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook("tiny", fx.ASSIGNMENT, student)
        return {g.name: (g.score, g.needs_manual_grade) for g in notebook.grades}


def _without_tests(notebook):
    kept = nbformat.from_dict(notebook)
    kept.cells = [c for c in kept.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return kept


@pytest.fixture(scope="module")
def screened(course):
    root, release = course
    _submit(course, "correct")
    fx.submit(root, "blank", release)
    _submit(course, "partial", {"mean_of": WRONG["mean_of"]})
    _submit(course, "hidden_only", {"mean_of": "def mean_of(values):\n"
                                               "    return sum(values) // len(values)"})
    for student, (answers, _) in TAMPERING.items():
        _submit(course, student, answers)
    fx.submit(root, "corrupt_json", files={fx.NOTEBOOK: '{"cells": [ oops'})
    fx.submit(root, "not_a_notebook", files={fx.NOTEBOOK: '{"answer": 42}'})
    fx.submit(root, "no_notebook", files={"answers.py": "print('hello')"})
    folder = _submit(course, "two_notebooks", name="a.ipynb")
    nbformat.write(release, folder / "b.ipynb")
    _submit(course, "renamed", name="my work (final).ipynb")
    fx.submit(root, "deleted_tests", _without_tests(fx.answered(release, RIGHT)))
    tampered = fx.answered(release, RIGHT)
    for cell in tampered.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta.update(points=100, schema_version=1, solution=True)
            cell.source = "pass"
    fx.submit(root, "tampered_metadata", tampered)
    duplicated = fx.answered(release, {**RIGHT, "mean_of": WRONG["mean_of"]})
    duplicated.cells.insert(7, nbformat.from_dict(duplicated.cells[6]))
    duplicated.cells[7].source, duplicated.cells[7].id = RIGHT["mean_of"], "copied-cell"
    fx.submit(root, "duplicated", duplicated)
    retyped = fx.answered(release, RIGHT)
    retyped.cells[6] = nbformat.v4.new_markdown_cell(retyped.cells[6].source,
                                                     metadata=retyped.cells[6].metadata)
    fx.submit(root, "retyped", retyped)
    students = sorted(p.name for p in (root / "submitted").iterdir())
    return _grade(course, students)


class _Server(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 -- the name http.server calls
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()


@pytest.fixture(scope="module")
def unscreened(course, screened):
    root, _ = course
    server = http.server.HTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for student, (answers, _) in TAMPERING.items():
        _submit(course, f"{student}_unscreened", answers)
    _submit(course, "loops", {"add_squares": "def add_squares(a, b):\n    while True:\n"
                                             "        pass"})
    _submit(course, "ignores_interrupts", {"add_squares": (
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except KeyboardInterrupt:\n        pass")})
    slow = fx.answered(course[1], RIGHT)
    for _ in range(8):  # each cell just under the cell limit
        slow.cells.insert(5, nbformat.v4.new_code_cell("import time\ntime.sleep(4)"))
    fx.submit(root, "slow_cells", slow)
    _submit(course, "exits", {"mean_of": "import os\nos._exit(1)"})
    _submit(course, "kills_itself", {"mean_of": "import os, signal\n"
                                                "os.kill(os.getpid(), signal.SIGKILL)"})
    _submit(course, "segfaults", {"mean_of": "import ctypes\nctypes.string_at(0)"})
    _submit(course, "kills_everyone", {"mean_of": "import os, signal\nos.kill(-1, signal.SIGKILL)"
                                                  "\nos.kill(os.getppid(), signal.SIGKILL)"})
    _submit(course, "eats_memory", {"mean_of": "blocks = []\nwhile True:\n"
                                               "    blocks.append(np.ones(10**7))"})
    _submit(course, "floods_output", {"add_squares": RIGHT["add_squares"]
                                      + "\nprint('x' * 30_000_000)\nfor i in range(10**5):\n"
                                        "    print(i)"})
    _submit(course, "floods_display", {"add_squares": RIGHT["add_squares"]
                                       + "\nfrom IPython.display import HTML, display\n"
                                         "for _ in range(40):\n"
                                         "    display(HTML('<b>x</b>' * 200_000))"})
    secret = root / "source" / fx.ASSIGNMENT / fx.NOTEBOOK
    _submit(course, "reads_source", {"add_squares": (
        f"def add_squares(a, b):\n    open({str(secret)!r}).read()\n"
        "    return np.asarray(a) ** 2 + np.asarray(b) ** 2")})
    _submit(course, "uses_network", {"add_squares": (
        "import urllib.request\n\n\ndef add_squares(a, b):\n"
        f"    urllib.request.urlopen('http://127.0.0.1:{server.server_port}/', timeout=2)\n"
        "    return np.asarray(a) ** 2 + np.asarray(b) ** 2")})
    targets = [root / "gradebook.db", secret, root / "submitted/correct/tiny" / fx.NOTEBOOK,
               root / "planted.txt"]
    attempts = "".join(f"try:\n    open({str(t)!r}, 'a').write('x')\nexcept OSError:\n"
                       "    print('blocked')\n" for t in targets)
    _submit(course, "writes_outside", {"add_squares": attempts + RIGHT["add_squares"]})
    _submit(course, "shadows_modules", {"add_squares": (
        "open('statistics.py', 'w').write('raise RuntimeError(\"shadowed\")')\n"
        + RIGHT["add_squares"])},
            files={"numpy.py": "raise ImportError('fake numpy')", "helpers.py": "x = 1"})
    unchanged = {t: hashlib.sha256(t.read_bytes()).hexdigest() for t in targets[1:3]}
    students = [f"{s}_unscreened" for s in TAMPERING] + [
        "loops", "ignores_interrupts", "slow_cells", "exits", "kills_itself", "segfaults",
        "kills_everyone", "eats_memory", "floods_output", "floods_display", "reads_source",
        "uses_network", "writes_outside", "shadows_modules"]
    outcomes = _grade(course, students, screen=False)
    server.shutdown()
    return outcomes, unchanged, targets


def test_ordinary_submissions_get_their_points(screened, course):
    expected = {"correct": 5, "blank": 0, "partial": 2, "hidden_only": 2}
    assert {s: screened[s].score for s in expected} == expected
    assert all(screened[s].status == "graded" for s in expected)
    for student, points in expected.items():  # the gradebook says the same
        assert sum(score for score, _ in _gradebook_scores(course[0], student).values()) == \
            points


@pytest.mark.parametrize("student", sorted(TAMPERING))
def test_tampering_is_held_for_review_with_zero_points(screened, course, student):
    outcome = screened[student]
    assert outcome.status == "flagged" and outcome.held and outcome.score == 0
    assert any("held for review" in reason for reason in outcome.reasons), outcome.reasons
    grades = _gradebook_scores(course[0], student)
    assert all(score == 0 and needs_review for score, needs_review in grades.values())


@pytest.mark.parametrize("student", sorted(TAMPERING))
def test_without_the_screen_the_tampering_would_have_earned_points(unscreened, student):
    # The control: without the screen the same submission scores more than it earned.
    assert unscreened[0][f"{student}_unscreened"].score > TAMPERING[student][1]


@pytest.mark.parametrize("student, reason", [
    ("corrupt_json", "not valid notebook JSON"), ("not_a_notebook", "not a notebook"),
    ("no_notebook", "no notebook"), ("two_notebooks", "several notebooks")])
def test_broken_submissions_fail_with_a_reason_and_score_zero(screened, course, student,
                                                               reason):
    outcome = screened[student]
    assert outcome.status == "failed" and reason in " ".join(outcome.reasons)
    assert outcome.score == 0 and outcome.max_score == 5
    assert all(score == 0 for score, _ in _gradebook_scores(course[0], student).values())


@pytest.mark.parametrize("student, score, note", [
    ("renamed", 5, "was named 'my work (final).ipynb'"),
    ("deleted_tests", 5, "locked cell 'test_mean_of' was deleted"),
    ("tampered_metadata", 5, "metadata of cell 'test_add_squares' was changed"),
    ("duplicated", 2, "appears 2 times"),
    ("retyped", 2, "changed to 'markdown'")])
def test_edited_notebooks_are_graded_from_the_release(screened, student, score, note):
    outcome = screened[student]
    assert (outcome.score, outcome.max_score) == (score, 5)
    assert outcome.status == "flagged" and note in " ".join(outcome.reasons), outcome.reasons


def test_a_loop_costs_only_its_own_exercise(unscreened):
    outcome = unscreened[0]["loops"]
    assert outcome.score == 3 and "cell-timeout" in outcome.reasons[0]


def test_a_loop_that_ignores_interrupts_is_stopped(unscreened):
    outcome = unscreened[0]["ignores_interrupts"]
    assert outcome.score == 0 and "ignored the interrupt" in " ".join(outcome.reasons)
    assert outcome.seconds < LIMITS.submission_seconds + 30


def test_many_slow_cells_run_into_the_submission_limit(unscreened):
    outcome = unscreened[0]["slow_cells"]
    assert outcome.score == 2, outcome.reasons  # the first exercise came before the slow cells
    assert "submission-timeout" in " ".join(outcome.reasons)
    assert outcome.seconds < LIMITS.submission_seconds + 30


@pytest.mark.parametrize("student", ["exits", "kills_itself", "segfaults"])
def test_a_dying_kernel_keeps_what_was_earned_before(unscreened, student):
    outcome = unscreened[0][student]
    assert outcome.score == 2 and outcome.status == "flagged"
    assert "kernel-died in cell mean_of" in " ".join(outcome.reasons)


def test_killing_every_process_it_can_see_reaches_nothing_outside(unscreened):
    # In its own process tree it sees only itself and the sandbox's init, which ignores it;
    # the grader and the other kernels running beside it are not in view.
    assert unscreened[0]["kills_everyone"].score == 2
    assert all(o.status != "failed" for o in unscreened[0].values())


def test_eating_memory_is_bounded(unscreened):
    assert unscreened[0]["eats_memory"].score == 2


@pytest.mark.parametrize("student", ["floods_output", "floods_display"])
def test_flooding_output_is_truncated(unscreened, course, student):
    outcome = unscreened[0][student]
    assert outcome.score == 5 and "output-truncated" in " ".join(outcome.reasons)
    graded = course[0] / "autograded" / student / fx.ASSIGNMENT / fx.NOTEBOOK
    assert graded.stat().st_size < 3 * LIMITS.output_bytes


def test_the_sandbox_hides_the_course_files(unscreened):
    assert unscreened[0]["reads_source"].score == 3  # reading the source failed


def test_the_sandbox_has_no_network(unscreened):
    assert unscreened[0]["uses_network"].score == 3
    assert _Server.requests == []


def test_the_sandbox_keeps_writes_inside_the_submission(unscreened, course):
    outcomes, unchanged, targets = unscreened
    assert outcomes["writes_outside"].score == 5
    for path, digest in unchanged.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not targets[-1].exists()
    graded = course[0] / "autograded" / "writes_outside" / fx.ASSIGNMENT / fx.NOTEBOOK
    printed = "".join(o.get("text", "") for o in nbformat.read(graded, 4).cells[3].outputs)
    assert printed.count("blocked") == len(targets)


def test_modules_next_to_the_notebook_do_not_shadow_the_real_ones(unscreened):
    assert unscreened[0]["shadows_modules"].score == 5


def test_a_regrade_replaces_every_earlier_score(course):
    root, _ = course
    _submit(course, "resubmits", {"mean_of": WRONG["mean_of"]})
    assert _grade(course, ["resubmits"])["resubmits"].score == 2
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:  # a manual grade
        gradebook.find_grade("test_mean_of", "tiny", fx.ASSIGNMENT, "resubmits").manual_score = 3
        gradebook.db.commit()
    assert sum(s for s, _ in _gradebook_scores(root, "resubmits").values()) == 5
    fx.submit(root, "resubmits", course[1])  # now blank: the manual 3 must not survive
    assert _grade(course, ["resubmits"])["resubmits"].score == 0
    assert all(score == 0 for score, _ in _gradebook_scores(root, "resubmits").values())
    _submit(course, "resubmits")
    assert _grade(course, ["resubmits"])["resubmits"].score == 5
