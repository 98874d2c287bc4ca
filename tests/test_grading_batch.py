"""Grading untrusted submissions: each crafted submission gets what it earned, no more.

Batches of the tiny assignment (tests/grading_fixture.py) in one course folder:
- "ordinary": honest, broken and edited submissions, submissions that tamper with the
  tests in every way known to work inside one Python process (each scores only what its
  answers earn), and honest code that a static screen used to hold;
- the same tampering graded by plain nbgrader in one process (the control that shows
  the tampering is real);
- "misbehaving": submissions that loop, die, flood, reach for files or the network,
  or attack the channel, which the sandboxes and the limits must stop;
- hidden inputs drawn per student, and regrading one student three times.
"""

import hashlib
import http.server
import json
import re
import shutil
import threading

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.batch import grade_assignment
from grader.cli import nbgrader
from grader.course import SECRET_FILE
from grader.limits import Limits
from tests import grading_fixture as fx
from tests.course_layout import COURSE

LIMITS = Limits(cell_seconds=5, submission_seconds=20, memory_bytes=2 * 1024**3)
RIGHT, WRONG = fx.ANSWERS, fx.WRONG
WRONG_BOTH = dict(WRONG)
# Each tampers with the tests in a way that works when they run in the student's own
# process: (answers, points its answers earn). The last ones have no right answer at all.
TAMPERING = {
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
    "swaps_code_object": ({**WRONG_BOTH, "add_squares": WRONG["add_squares"] + (
        "\nimport functools\n\n\ndef _stub(got, expected):\n    pass\n\n\n"
        "functools.update_wrapper(check_close, _stub, assigned=('__code__',))")}, 0),
    "formatter_reaches_builtins": ({**WRONG_BOTH, "add_squares": WRONG["add_squares"] + (
        "\nimport string\n\nscope = string.Formatter().get_field("
        "'0.format.__globals__[__builtins__]', [string.Formatter()], {})[0]\n"
        "scope['exec']('import numpy; numpy.allclose = lambda *a, **k: True')")}, 0),
    "fakes_a_score": ({"add_squares": "import sys\n\n\ndef add_squares(a, b):\n"
                                      "    sys.displayhook(2.0)\n    return 0",
                       "mean_of": "import sys\n\n\ndef mean_of(values):\n"
                                  "    sys.displayhook(3.0)\n"
                                  "    from IPython.display import display\n"
                                  "    display({'text/plain': '3.0'}, raw=True)\n"
                                  "    return 0"}, 0),
    "reads_expected_values": ({"add_squares": (
        "import inspect\n\n\ndef add_squares(a, b):\n"
        "    for frame in inspect.stack():\n"
        "        for scope in (frame.frame.f_locals, frame.frame.f_globals):\n"
        "            if 'expected' in scope:\n"
        "                return scope['expected']\n"
        "    return 25 if a == 3 else 0"), "mean_of": WRONG["mean_of"]}, 0),
    "lying_arrays": ({"add_squares": (
        "class Lie(np.ndarray):\n"
        "    def __eq__(self, other):\n        return np.ones(np.shape(other), bool)\n\n"
        "    def __array_function__(self, func, types, args, kwargs):\n        return True\n\n\n"
        "class Shape:\n    def __array__(self, dtype=None, copy=None):\n"
        "        return np.full(3, 1e9)\n\n\n"
        "def add_squares(a, b):\n    return np.zeros(3).view(Lie)"),
        "mean_of": "def mean_of(values):\n    return Shape()"}, 0),
}
# Honest answers with constructs a static screen held at 0 until someone read them.
HONEST = {
    "prints_types": {"add_squares": "def add_squares(a, b):\n    print(type(a), type(b))\n"
                                    "    return np.asarray(a) ** 2 + np.asarray(b) ** 2"},
    "uses_getattr": {"add_squares": "def add_squares(a, b):\n"
                                    "    power = getattr(np, 'square')\n"
                                    "    return power(np.asarray(a)) + power(np.asarray(b))"},
    "imports_scipy": {"mean_of": "import scipy\n\n\ndef mean_of(values):\n"
                                 "    return sum(values) / len(values)"},
    "uses_os_path": {"mean_of": "import os\n\n\ndef mean_of(values):\n"
                                "    os.path.join('a', 'b')\n    return sum(values) / len(values)"},
    "reads_class_name": {"mean_of": "def mean_of(values):\n"
                                    "    assert values.__class__.__name__ == 'list'\n"
                                    "    return sum(values) / len(values)"},
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
def ordinary(course):
    root, release = course
    _submit(course, "correct")
    fx.submit(root, "blank", release)
    _submit(course, "partial", {"mean_of": WRONG["mean_of"]})
    _submit(course, "hidden_only", {"mean_of": "def mean_of(values):\n"
                                               "    return sum(values) // len(values)"})
    for student, (answers, _) in TAMPERING.items():
        _submit(course, student, answers)
    for student, answers in HONEST.items():
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


@pytest.fixture(scope="module")
def in_one_process(course, tmp_path_factory):
    """The control: the tampering graded by plain nbgrader, tests in the student's process."""
    root = tmp_path_factory.mktemp("control")
    shutil.copytree(course[0] / "source", root / "source")
    shutil.copy(course[0] / "nbgrader_config.py", root)
    nbgrader(root, "generate_assignment", fx.ASSIGNMENT, "--force")
    control = (root, course[1])
    for student, (answers, _) in TAMPERING.items():
        _submit(control, student, answers)
    with pytest.MonkeyPatch.context() as patch:
        # In a kernel, `import helpers` also imports TensorFlow quietly, unless this says
        # to show its log lines: the tiny assignment needs no TensorFlow (8 s a kernel).
        patch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
        nbgrader(root, "autograde", fx.ASSIGNMENT, "--create")
    return {student: sum(score for score, _ in _gradebook_scores(root, student).values())
            for student in TAMPERING}


class _Server(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 -- the name http.server calls
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()


@pytest.fixture(scope="module")
def misbehaving(course, ordinary):
    root, _ = course
    server = http.server.HTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _submit(course, "garbles_channel", {"add_squares": (
        "import gc\nimport socket\n\n\ndef add_squares(a, b):\n"
        "    for obj in gc.get_objects():\n"
        "        if isinstance(obj, socket.socket) and obj.family == socket.AF_UNIX:\n"
        "            try:\n"
        "                obj.sendall(b'\\x00\\x00\\x00\\x05\\x00\\x00\\x00\\x00{bad]')\n"
        "            except OSError:\n                pass\n"
        "    return np.asarray(a) ** 2 + np.asarray(b) ** 2")})
    _submit(course, "dies_mid_call", {"add_squares": (
        "import os\n\n\ndef add_squares(a, b):\n    os._exit(1)")})
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
    students = ["garbles_channel", "dies_mid_call",
        "loops", "ignores_interrupts", "slow_cells", "exits", "kills_itself", "segfaults",
        "kills_everyone", "eats_memory", "floods_output", "floods_display", "reads_source",
        "uses_network", "writes_outside", "shadows_modules"]
    outcomes = _grade(course, students)
    server.shutdown()
    return outcomes, unchanged, targets


def test_ordinary_submissions_get_their_points(ordinary, course):
    expected = {"correct": 5, "blank": 0, "partial": 2, "hidden_only": 2}
    assert {s: ordinary[s].score for s in expected} == expected
    assert all(ordinary[s].status == "graded" for s in expected)
    for student, points in expected.items():  # the gradebook says the same
        assert sum(score for score, _ in _gradebook_scores(course[0], student).values()) == \
            points


@pytest.mark.parametrize("student", sorted(TAMPERING))
def test_tampering_earns_nothing_beyond_the_answers(ordinary, course, student):
    outcome = ordinary[student]
    assert outcome.score == TAMPERING[student][1], outcome.reasons
    assert outcome.status == "graded", outcome.reasons
    grades = _gradebook_scores(course[0], student)
    assert sum(score for score, _ in grades.values()) == TAMPERING[student][1]
    assert not any(needs_review for _, needs_review in grades.values())


@pytest.mark.parametrize("student", sorted(TAMPERING))
def test_in_one_process_the_same_tampering_would_have_earned_points(in_one_process, student):
    assert in_one_process[student] > TAMPERING[student][1]


@pytest.mark.parametrize("student", sorted(HONEST))
def test_honest_code_once_held_by_the_screen_gets_full_marks(ordinary, student):
    outcome = ordinary[student]
    assert (outcome.score, outcome.status) == (5, "graded"), outcome.reasons


@pytest.mark.parametrize("student, reason", [
    ("corrupt_json", "not valid notebook JSON"), ("not_a_notebook", "not a notebook"),
    ("no_notebook", "no notebook"), ("two_notebooks", "several notebooks")])
def test_broken_submissions_fail_with_a_reason_and_score_zero(ordinary, course, student,
                                                               reason):
    outcome = ordinary[student]
    assert outcome.status == "failed" and reason in " ".join(outcome.reasons)
    assert outcome.score == 0 and outcome.max_score == 5
    assert all(score == 0 for score, _ in _gradebook_scores(course[0], student).values())


@pytest.mark.parametrize("student, score, note", [
    ("renamed", 5, "was named 'my work (final).ipynb'"),
    ("deleted_tests", 5, "locked cell 'test_mean_of' was deleted"),
    ("tampered_metadata", 5, "metadata of cell 'test_add_squares' was changed"),
    ("duplicated", 2, "appears 2 times"),
    ("retyped", 2, "changed to 'markdown'")])
def test_edited_notebooks_are_graded_from_the_release(ordinary, student, score, note):
    outcome = ordinary[student]
    assert (outcome.score, outcome.max_score) == (score, 5)
    assert outcome.status == "flagged" and note in " ".join(outcome.reasons), outcome.reasons


def test_garbage_on_the_channel_fails_that_call_not_the_grader(misbehaving):
    outcome = misbehaving[0]["garbles_channel"]
    assert (outcome.score, outcome.status) == (3, "graded"), outcome.reasons


def test_a_kernel_dying_during_a_call_fails_that_test_and_stops_the_rest(misbehaving):
    outcome = misbehaving[0]["dies_mid_call"]
    assert outcome.score == 0 and outcome.status == "flagged"
    assert "kernel-died in cell test_add_squares" in " ".join(outcome.reasons)


def _hidden_inputs(root, student):
    graded = root / "autograded" / student / fx.ASSIGNMENT / fx.NOTEBOOK
    cell = next(c for c in nbformat.read(graded, 4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "test_add_squares")
    return re.search(r"hidden inputs: (\[.*\])", "".join(o.get("text", "")
                                                        for o in cell.outputs)).group(1)


def test_hidden_inputs_differ_per_student_repeat_on_regrade_and_stay_hidden(course, ordinary):
    root = course[0]
    inputs = {student: _hidden_inputs(root, student) for student in ("correct", "partial")}
    assert inputs["correct"] != inputs["partial"]
    assert _grade(course, ["correct"])["correct"].score == 5
    assert _hidden_inputs(root, "correct") == inputs["correct"]
    nbgrader(root, "generate_feedback", fx.ASSIGNMENT, "--student=correct", "--force")
    secret = (root / SECRET_FILE).read_text().strip()
    given = [root / "release" / fx.ASSIGNMENT / fx.NOTEBOOK,
             root / "feedback" / "correct" / fx.ASSIGNMENT / "tiny.html"]
    for path in given:
        text = path.read_text()
        assert secret not in text and json.loads(inputs["correct"])[0] not in [
            float(x) for x in re.findall(r"-?\d+\.\d{6,}", text)], path


def test_a_loop_costs_only_its_own_exercise(misbehaving):
    outcome = misbehaving[0]["loops"]
    assert outcome.score == 3 and "cell-timeout" in outcome.reasons[0]


def test_a_loop_that_ignores_interrupts_is_stopped(misbehaving):
    outcome = misbehaving[0]["ignores_interrupts"]
    assert outcome.score == 0 and "ignored the interrupt" in " ".join(outcome.reasons)
    assert outcome.seconds < LIMITS.submission_seconds + 30


def test_many_slow_cells_run_into_the_submission_limit(misbehaving):
    outcome = misbehaving[0]["slow_cells"]
    assert outcome.score == 2, outcome.reasons  # the first exercise came before the slow cells
    assert "submission-timeout" in " ".join(outcome.reasons)
    assert outcome.seconds < LIMITS.submission_seconds + 30


@pytest.mark.parametrize("student", ["exits", "kills_itself", "segfaults"])
def test_a_dying_kernel_keeps_what_was_earned_before(misbehaving, student):
    outcome = misbehaving[0][student]
    assert outcome.score == 2 and outcome.status == "flagged"
    assert "kernel-died in cell mean_of" in " ".join(outcome.reasons)


def test_killing_every_process_it_can_see_reaches_nothing_outside(misbehaving):
    # In its own process tree it sees only itself and the sandbox's init, which ignores it;
    # the grader and the other kernels running beside it are not in view.
    assert misbehaving[0]["kills_everyone"].score == 2
    assert all(o.status != "failed" for o in misbehaving[0].values())


def test_eating_memory_is_bounded(misbehaving):
    assert misbehaving[0]["eats_memory"].score == 2


@pytest.mark.parametrize("student", ["floods_output", "floods_display"])
def test_flooding_output_is_truncated(misbehaving, course, student):
    outcome = misbehaving[0][student]
    assert outcome.score == 5 and "output-truncated" in " ".join(outcome.reasons)
    graded = course[0] / "autograded" / student / fx.ASSIGNMENT / fx.NOTEBOOK
    assert graded.stat().st_size < 3 * LIMITS.output_bytes


def test_the_sandbox_hides_the_course_files(misbehaving):
    assert misbehaving[0]["reads_source"].score == 3  # reading the source failed


def test_the_sandbox_has_no_network(misbehaving):
    assert misbehaving[0]["uses_network"].score == 3
    assert _Server.requests == []


def test_the_sandbox_keeps_writes_inside_the_submission(misbehaving, course):
    outcomes, unchanged, targets = misbehaving
    assert outcomes["writes_outside"].score == 5
    for path, digest in unchanged.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not targets[-1].exists()
    graded = course[0] / "autograded" / "writes_outside" / fx.ASSIGNMENT / fx.NOTEBOOK
    printed = "".join(o.get("text", "") for o in nbformat.read(graded, 4).cells[3].outputs)
    assert printed.count("blocked") == len(targets)


def test_modules_next_to_the_notebook_do_not_shadow_the_real_ones(misbehaving):
    assert misbehaving[0]["shadows_modules"].score == 5


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
