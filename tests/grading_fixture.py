"""A two-exercise nbgrader assignment without TensorFlow, and submissions made from it.

Its hidden test draws its inputs with `helpers.hidden_rng` (different for each student
when graded), computes the expected value first and prints the inputs, so that tests can
see which inputs a student got and that a submission cannot read the expected value.

The grading tests use it because its kernel starts in a second or two; the real
assignments go through the same grader in test_grading_roundtrip.py.
"""

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT, NOTEBOOK = "tiny", "tiny.ipynb"
POINTS = {"test_add_squares": 2, "test_mean_of": 3}

SETUP = '''import numpy as np


def check_close(got, expected):
    """Fail unless `got` is numerically `expected`."""
    assert np.allclose(got, expected), f"expected {expected}, got {got}"'''
ANSWERS = {
    "add_squares": '''def add_squares(a, b):
    """Elementwise a**2 + b**2."""
    ### BEGIN SOLUTION
    return np.asarray(a) ** 2 + np.asarray(b) ** 2
    ### END SOLUTION''',
    "mean_of": '''def mean_of(values):
    """The arithmetic mean of a list of numbers."""
    ### BEGIN SOLUTION
    return sum(values) / len(values)
    ### END SOLUTION''',
}
TESTS = {
    "test_add_squares": '''check_close(add_squares(3, 4), 25)
### BEGIN HIDDEN TESTS
from helpers.checks import hidden_rng

a, b = hidden_rng(1).normal(size=(2, 3))
expected = a**2 + b**2
print("hidden inputs:", a.tolist())
check_close(add_squares(a, b), expected)
### END HIDDEN TESTS''',
    "test_mean_of": '''assert mean_of([1, 2, 3]) == 2
### BEGIN HIDDEN TESTS
import statistics

from helpers.checks import hidden_case

with hidden_case("mean_of must average every value, fractions included"):
    assert mean_of([2.5, 3.5, 10]) == statistics.mean([2.5, 3.5, 10]), "hidden case failed"
### END HIDDEN TESTS''',
}
# A written answer graded by hand (nbgrader: a markdown cell that is solution and grade).
WRITTEN_ID, WRITTEN_POINTS = "explain_mean", 2
WRITTEN = ("Rubric: 1 point for naming outliers, 1 for an example.\n\n"
           "Model answer: one outlier moves the mean as far as it likes, e.g. [1, 2, 1000].")
WRONG = {
    "add_squares": "def add_squares(a, b):\n    return a + b",
    "mean_of": "def mean_of(values):\n    return values[0]",
}


def _meta(grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook(written: bool = False) -> nbformat.NotebookNode:
    """The instructor's notebook; `written` adds a question answered in words."""
    cells = [new_markdown_cell("# A tiny assignment"),
             new_code_cell(SETUP, metadata=_meta("setup", locked=True))]
    for answer, test in zip(ANSWERS, TESTS, strict=True):
        cells += [new_markdown_cell(f"Write `{answer}`."),
                  new_code_cell(ANSWERS[answer], metadata=_meta(answer, solution=True)),
                  new_code_cell(TESTS[test], metadata=_meta(test, grade=True, locked=True,
                                                            points=POINTS[test]))]
    if written:
        cells += [new_markdown_cell("Why can the mean mislead?"),
                  new_markdown_cell(WRITTEN, metadata=_meta(
                      WRITTEN_ID, solution=True, grade=True, points=WRITTEN_POINTS))]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def make_course(root: Path, config: Path, written: bool = False) -> Path:
    """A course folder holding the tiny assignment's source."""
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(config, root / "nbgrader_config.py")
    nbformat.write(source_notebook(written), root / "source" / ASSIGNMENT / NOTEBOOK)
    return root


def answered(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The release notebook with some answer cells replaced (by grade id)."""
    notebook = nbformat.from_dict(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def submit(root: Path, student: str, notebook=None, name: str = NOTEBOOK,
           files: dict[str, str] | None = None) -> Path:
    """Put a submission in submitted/<student>/tiny/: a notebook and/or raw files."""
    folder = root / "submitted" / student / ASSIGNMENT
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if notebook is not None:
        nbformat.write(notebook, folder / name)
    for filename, text in (files or {}).items():
        (folder / filename).write_text(text)
    return folder
