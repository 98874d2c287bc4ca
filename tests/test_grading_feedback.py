"""Feedback never shows hidden tests: their code, their output or their tracebacks."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from grader.feedback import RedactHiddenTests

TEST_CELL = """check(f(1), 2)
assert f(2) == 4, "f(2) should be 4"
### BEGIN HIDDEN TESTS
SECRET_CASES = [(7, 49)]
assert f(7) == 49, "secret: f(7) is 49"
### END HIDDEN TESTS
print("done")"""


def _traceback(line):
    return ["\x1b[0;31m------\x1b[0m", f"Cell \x1b[0;32mIn[5], line {line}\x1b[0m",
            f"\x1b[0;32m----> {line}\x1b[0m the code on that line"]


def _redacted(outputs):
    cell = new_code_cell(TEST_CELL, outputs=outputs, metadata={
        "nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}})
    notebook = nbformat.v4.new_notebook(cells=[cell])
    RedactHiddenTests().preprocess(notebook, {})
    return notebook.cells[0]


def test_the_hidden_region_is_removed_from_the_source():
    cell = _redacted([])
    assert "SECRET" not in cell.source and "BEGIN HIDDEN" not in cell.source
    assert cell.source.startswith("check(f(1), 2)") and cell.source.endswith('print("done")')


def test_a_public_failure_keeps_its_message_but_not_its_traceback():
    error = new_output("error", ename="AssertionError", evalue="f(2) should be 4",
                       traceback=_traceback(2))
    (output,) = _redacted([error]).outputs
    assert output.evalue == "AssertionError: f(2) should be 4"
    assert "the code on that line" not in str(output)


@pytest.mark.parametrize("line", [5, None])
def test_a_hidden_failure_says_only_that_a_hidden_test_failed(line):
    error = new_output("error", ename="AssertionError", evalue="secret: f(7) is 49",
                       traceback=_traceback(line) if line else ["no cell frame"])
    cell = _redacted([new_output("stream", name="stdout", text="secret printout"), error])
    assert "secret" not in str(cell.outputs)
    assert cell.outputs[0].ename == "HiddenTest"


def test_a_hidden_failure_shows_the_message_its_author_wrote_for_students():
    error = new_output("error", ename="HiddenTestFailed",
                       evalue="f must square negative numbers too",
                       traceback=_traceback(5))
    (output,) = _redacted([error]).outputs
    assert output.evalue == "A hidden test failed: f must square negative numbers too"
    assert "secret" not in str(output)


def test_the_graders_own_errors_are_shown():
    error = new_output("error", ename="CellTimeoutError", evalue="stopped after 5 s",
                       traceback=[])
    assert _redacted([error]).outputs[0].evalue == "CellTimeoutError: stopped after 5 s"


def test_answer_cells_and_cells_without_hidden_tests_are_left_alone():
    answer = new_code_cell("### BEGIN HIDDEN TESTS\nx = 1", metadata={
        "nbgrader": {"solution": True, "grade": False, "grade_id": "a"}})
    public = new_code_cell("assert True", outputs=[new_output("stream", name="stdout",
                                                              text="kept")])
    notebook = nbformat.v4.new_notebook(cells=[answer, public])
    RedactHiddenTests().preprocess(notebook, {})
    assert notebook.cells[0].source.startswith("### BEGIN HIDDEN TESTS")
    assert notebook.cells[1].outputs[0].text == "kept"
