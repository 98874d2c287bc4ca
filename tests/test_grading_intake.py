"""Rebuilding a submission from the release: what is taken from the student, what is not."""

import json

import nbformat
import pytest

from grader import intake
from tests import grading_fixture as fx


@pytest.fixture
def release():
    """The tiny assignment's source stands in for its release (same cells and metadata)."""
    return fx.source_notebook()


def _write(tmp_path, data, name=fx.NOTEBOOK):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _rebuilt(tmp_path, release, notebook):
    return intake.rebuild(_write(tmp_path, nbformat.writes(notebook)), release)


def _source_of(notebook, grade_id):
    return next(c.source for c in notebook.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_answers_are_taken_and_everything_else_comes_from_the_release(tmp_path, release):
    submitted = fx.answered(release, {"add_squares": "def add_squares(a, b):\n    return 0"})
    for cell in submitted.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "pass"  # a student "passing" the tests by editing them
    result = _rebuilt(tmp_path, release, submitted)
    assert _source_of(result.notebook, "add_squares").endswith("return 0")
    assert _source_of(result.notebook, "test_add_squares") == fx.TESTS["test_add_squares"]
    assert result.answers["add_squares"].endswith("return 0")


def test_added_code_cells_are_kept_in_place_and_unchanged_cells_not_repeated(tmp_path, release):
    submitted = nbformat.from_dict(release)
    submitted.cells.insert(4, nbformat.v4.new_code_cell("def helper():\n    return 1"))
    submitted.cells.insert(0, nbformat.v4.new_markdown_cell("my notes"))
    result = _rebuilt(tmp_path, release, submitted)
    sources = [c.source for c in result.notebook.cells]
    assert sources.index("def helper():\n    return 1") == 4  # right after its answer cell
    assert len(result.notebook.cells) == len(release.cells) + 1
    assert result.answers["added-1"] == "def helper():\n    return 1"
    assert "1 code cell(s) added" in " ".join(result.notes)


@pytest.mark.parametrize("text, reason", [
    ("", "not valid notebook JSON"), ("\xff\xfe garbage", "not valid notebook JSON"),
    ("[1, 2]", "not a notebook"), ('{"cells": "none"}', "not a notebook"),
])
def test_unreadable_files_are_rejected_with_the_reason(tmp_path, release, text, reason):
    with pytest.raises(intake.RejectedSubmission, match=reason):
        intake.rebuild(_write(tmp_path, text), release)


def test_an_oversized_file_is_rejected(tmp_path, release, monkeypatch):
    monkeypatch.setattr(intake, "MAX_NOTEBOOK_BYTES", 100)
    with pytest.raises(intake.RejectedSubmission, match="over the 100 limit"):
        intake.rebuild(_write(tmp_path, nbformat.writes(release)), release)


def test_garbage_inside_a_notebook_is_survived(tmp_path, release):
    data = json.loads(nbformat.writes(fx.answered(release, fx.ANSWERS)))
    data["cells"][3]["source"] = ["def add_squares(a, b):\n", "    return 1\n"]
    data["cells"][4]["metadata"] = "not a dict"
    data["cells"][6]["metadata"]["nbgrader"]["grade_id"] = ["not", "a", "string"]
    data["cells"] += [42, None, {"cell_type": "code", "source": 7}]
    result = intake.rebuild(_write(tmp_path, data), release)
    assert _source_of(result.notebook, "add_squares") == "def add_squares(a, b):\n    return 1\n"
    notes = " ".join(result.notes)
    assert "answer cell 'mean_of' was deleted" in notes  # its grade id was garbled
    assert "locked cell 'test_add_squares' was deleted" in notes  # its metadata was


def test_an_nbformat_3_notebook_is_read(tmp_path, release):
    cells = [{"cell_type": "code", "input": "x = 1", "metadata": {}},
             {"cell_type": "code", "source": fx.ANSWERS["mean_of"],
              "metadata": {"nbgrader": {"grade_id": "mean_of", "solution": True}}}]
    data = {"nbformat": 3, "worksheets": [{"cells": cells}], "metadata": {}}
    result = intake.rebuild(_write(tmp_path, data), release)
    assert result.answers["mean_of"] == fx.ANSWERS["mean_of"]


def test_the_expected_name_wins_and_a_lone_notebook_is_accepted(tmp_path):
    (tmp_path / "notes.ipynb").write_text("{}")
    path, notes = intake.find_notebook(tmp_path, fx.NOTEBOOK)
    assert path.name == "notes.ipynb" and "was named 'notes.ipynb'" in notes[0]
    (tmp_path / fx.NOTEBOOK).write_text("{}")
    assert intake.find_notebook(tmp_path, fx.NOTEBOOK) == (tmp_path / fx.NOTEBOOK, [])
