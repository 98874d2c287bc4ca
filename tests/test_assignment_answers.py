"""The assignments' tests tell right from wrong: other correct answers earn each exercise's
points, plausible mistakes lose them (answers in tests/answers/, run by exercise_harness)."""

import importlib
import pkgutil

import nbformat
import pytest

import tests.answers
from tests.course_layout import COURSE
from tests.exercise_harness import run_exercise, run_exercise_alone

MODULES = [importlib.import_module(f"tests.answers.{m.name}")
           for m in pkgutil.iter_modules(tests.answers.__path__)]
CASES = [(module, test_id, kind, name)
         for module in MODULES for test_id, (_, answers) in module.EXERCISES.items()
         for kind in ("correct", "wrong") for name in answers[kind]]


def _run(module, test_id, kind, name):
    solution_id, answers = module.EXERCISES[test_id]
    # A timed exercise's correct answers train for their budgets: each in a process of its
    # own, as when graded; the mistakes fail fast and need no such care.
    alone = kind == "correct" and test_id in getattr(module, "TIMED", ())
    run = run_exercise_alone if alone else run_exercise
    return run(COURSE / module.NOTEBOOK, test_id, {solution_id: answers[kind][name]})


@pytest.mark.parametrize("module, test_id, name",
                         [(m, t, n) for m, t, k, n in CASES if k == "correct"],
                         ids=lambda v: getattr(v, "__name__", v))
def test_a_correct_answer_earns_the_exercise(module, test_id, name):
    error = _run(module, test_id, "correct", name)
    assert error is None, f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("module, test_id, name",
                         [(m, t, n) for m, t, k, n in CASES if k == "wrong"],
                         ids=lambda v: getattr(v, "__name__", v))
def test_a_plausible_mistake_loses_the_exercise(module, test_id, name):
    error = _run(module, test_id, "wrong", name)
    assert error is not None, "the tests accept this mistake"
    # Rejected by a check (AssertionError, a hidden test's HiddenTestFailed) or by the
    # mistake's own error, never by a slip in the wrong answer's source.
    assert not isinstance(error, SyntaxError | NameError | ImportError), repr(error)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_graded_exercise_has_three_right_and_three_wrong_answers(module):
    notebook = nbformat.read(COURSE / module.NOTEBOOK, as_version=4)
    graded = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert sorted(module.EXERCISES) == sorted(graded)
    for test_id, (_, answers) in module.EXERCISES.items():
        assert len(answers["correct"]) >= 3 and len(answers["wrong"]) >= 3, test_id
