"""A test cell's score comes from the test process's verdict, as nbgrader would read it
from the same cell run in one process: an error scores 0, a number as the cell's last
expression is partial credit, anything else full points."""

import pytest
from nbformat.v4 import new_code_cell
from nbgrader.utils import determine_grade

from grader import verdict
from grader.test_process import Runner

POINTS = 4


@pytest.fixture
def runner(tmp_path):
    return Runner(str(tmp_path / "channel.sock"), connect_seconds=0.05)  # no student here


def _score(runner, source: str) -> float:
    result = runner.run_test_cell(source, 0)
    cell = new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "points": POINTS,
        "grade_id": "test", "schema_version": 3}})
    cell.outputs = verdict.outputs(result, 1024**2)
    return determine_grade(cell)[0]


@pytest.mark.parametrize("source, score", [
    ("assert 1 + 1 == 2", POINTS),
    ("print('checked')\nassert 1 + 1 == 2", POINTS),
    ("assert 1 + 1 == 3, 'arithmetic'", 0),
    ("passed = [True, False, True, True]\n4 * sum(passed) / len(passed)", 3),
    ("total = 1.5\ntotal", 1.5),
    ("assert False\n4", 0),
    ("'not a number'", POINTS),  # nbgrader treats other results as full credit
    ("None", POINTS),
])
def test_the_verdict_scores_as_nbgrader_scores_the_same_cell(runner, source, score):
    assert _score(runner, source) == score


def test_the_last_expression_is_evaluated_once_after_the_statements(runner):
    runner.run_test_cell("calls = []\ndef mark():\n    calls.append(1)\n    return len(calls)", 0)
    result = runner.run_test_cell("mark()\nmark()", 1)
    assert result["passed"] and result["result"] == "2"
    assert runner.namespace["calls"] == [1, 1]
