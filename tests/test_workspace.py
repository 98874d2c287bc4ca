"""A student's workspace (`make lab`, `make update`) and self-check (`make check`)."""

import shutil

import nbformat
import pytest

from grader import self_check, workspace
from grader.self_check import PASSED
from tests import grading_fixture as tiny
from tests.course_layout import COURSE

SESSION = "session1_basics"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course with session 1 only, which the test may change."""
    copy = tmp_path / "course"
    shutil.copytree(COURSE / SESSION, copy / SESSION)
    shutil.copy(COURSE / "nbgrader_config.py", copy)
    monkeypatch.setattr(workspace, "COURSE", copy)
    return copy


def _edit(path, text="# edited\n"):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(text))
    nbformat.write(nb, path)


def test_workspace_is_made_updated_and_never_loses_the_students_work(course, tmp_path):
    space = workspace.Workspace(tmp_path / "ws")
    added = space.sync()
    root = space.root / SESSION
    lectures = sorted(p.name for p in (course / SESSION).glob("0*.ipynb"))
    assert sorted(added) == sorted(f"{SESSION}/{n}" for n in
                                   [*lectures, "README.md", "assignment1.ipynb"])
    for name in lectures:
        assert (root / name).read_bytes() == (course / SESSION / name).read_bytes()
    student = (root / "assignment1.ipynb").read_text()
    source = (course / SESSION / "assignment1.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in source and "BEGIN SOLUTION" in source
    for secret in ("BEGIN HIDDEN TESTS", "hidden_case(", "BEGIN SOLUTION", "Rubric"):
        assert secret not in student, secret
    assert "YOUR CODE HERE" in student and "YOUR ANSWER HERE" in student
    assert space.release(f"{SESSION}/assignment1.ipynb").read_text() == student

    # the student works; the course changes two lectures and adds one
    _edit(root / "assignment1.ipynb", "my notes")
    _edit(root / lectures[0], "my notes")
    for name in lectures[:2]:
        _edit(course / SESSION / name, "# corrected by the course")
    shutil.copy(course / SESSION / lectures[2], course / SESSION / "07_new.ipynb")
    again = workspace.Workspace(space.root)
    assert again.sync() == [f"{SESSION}/07_new.ipynb"]  # sync never touches a file
    assert "my notes" in (root / lectures[0]).read_text()
    assert sorted(again.outdated()) == sorted(f"{SESSION}/{n}" for n in lectures[:2])

    replaced, beside = workspace.Workspace(space.root).update()
    assert replaced == [f"{SESSION}/{lectures[1]}"] and beside == [f"{SESSION}/{lectures[0]}"]
    assert "corrected by the course" in (root / lectures[1]).read_text()
    kept = (root / lectures[0]).read_text()
    assert "my notes" in kept and "corrected by the course" not in kept
    updated = root / lectures[0].replace(".ipynb", ".updated.ipynb")
    assert "corrected by the course" in updated.read_text()
    assert "my notes" in (root / "assignment1.ipynb").read_text()
    assert workspace.Workspace(space.root).outdated() == {}

    (root / lectures[2]).unlink()  # to start a notebook over: delete it, sync again
    assert workspace.Workspace(space.root).sync() == [f"{SESSION}/{lectures[2]}"]


def test_self_check_reports_each_exercise_with_the_public_tests_only(tmp_path, capsys):
    source = tmp_path / "source" / tiny.ASSIGNMENT / tiny.NOTEBOOK
    source.parent.mkdir(parents=True)
    nbformat.write(tiny.source_notebook(written=True), source)
    release = workspace.student_versions([source])[source]
    kept = tmp_path / "ws" / ".course" / "release" / tiny.ASSIGNMENT / tiny.NOTEBOOK
    kept.parent.mkdir(parents=True)
    kept.write_bytes(release)
    notebook = tmp_path / "ws" / tiny.ASSIGNMENT / tiny.NOTEBOOK
    notebook.parent.mkdir()
    answers = {"add_squares": tiny.ANSWERS["add_squares"], "mean_of": tiny.WRONG["mean_of"]}
    mine = tiny.answered(nbformat.reads(release.decode(), as_version=4), answers)
    mine.cells = [c for c in mine.cells  # a deleted test cell comes back from the release
                  if c.metadata.get("nbgrader", {}).get("grade_id") != "test_mean_of"]
    nbformat.write(mine, notebook)
    before = notebook.read_bytes()

    with pytest.raises(SystemExit) as stop:
        self_check.main([str(notebook)])
    assert stop.value.code == 1
    out = capsys.readouterr().out
    assert f"test_add_squares: {PASSED}" in out
    assert "test_mean_of: public test failed: AssertionError" in out
    assert "written answer, not answered yet; graded by hand" in out
    assert "locked cell 'test_mean_of' was deleted: restored from the release" in out
    assert "hidden inputs" not in out and notebook.read_bytes() == before

    nbformat.write(tiny.answered(mine, tiny.ANSWERS), notebook)
    results, _ = self_check.check(notebook)
    assert [e.errors for e in results if not e.written] == [[], []]


def test_self_check_explains_what_it_cannot_check(tmp_path, capsys):
    with pytest.raises(SystemExit, match="neither a notebook nor a workspace"):
        self_check.main([str(tmp_path / "missing.ipynb")])
    (tmp_path / "homework.ipynb").write_text("{}")
    with pytest.raises(SystemExit):
        self_check.main([str(tmp_path / "homework.ipynb")])
    assert "not one of the course's assignments" in capsys.readouterr().out
