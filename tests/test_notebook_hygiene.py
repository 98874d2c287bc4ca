"""Every notebook is valid, output-free and shaped like a lesson; assignments grade soundly."""

import copy

import nbformat
import pytest

from tests import notebook_rules
from tests.course_layout import (
    COURSE,
    REPOSITORY,
    ROOT,
    SESSIONS,
    assignments,
    lectures,
    notebooks,
)


def test_every_session_folder_exists():
    assert [p.name for p in sorted(COURSE.glob("session*"))] == list(SESSIONS)


@pytest.mark.parametrize("session", SESSIONS)
def test_session_has_lectures_and_an_assignment(session):
    folder = COURSE / session
    numbered = list(folder.glob("[0-9][0-9]_*.ipynb"))
    assert len(numbered) >= 4, f"{session} has only {len(numbered)} lecture notebooks"
    number = SESSIONS.index(session) + 1
    assert (folder / f"assignment{number}.ipynb").exists()


@pytest.mark.parametrize("session", SESSIONS)
def test_session_readme_has_a_notation_box(session):
    text = (COURSE / session / "README.md").read_text()
    box = notebook_rules.section(text, "Notation")
    assert box is not None, f"{session}/README.md needs a '## Notation' section"
    assert box.count("\n|") >= 3, "the notation box should be a table of symbols"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: str(p.relative_to(COURSE)))
def test_notebook_follows_the_course_rules(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert notebook_rules.problems(nb) == []


@pytest.mark.parametrize("path", lectures(), ids=lambda p: str(p.relative_to(COURSE)))
def test_each_lectures_open_links_name_its_own_path(path):
    links = notebook_rules.linked_paths(nbformat.read(path, as_version=4))
    own = str(path.relative_to(ROOT))
    assert links == {"Colab": own, "Binder": own}, f"the links must open {own}: {_links(own)}"


@pytest.mark.parametrize("path", assignments(), ids=lambda p: p.parent.name)
def test_assignment_has_six_to_eight_exercises_one_or_two_written_answers_30_points(path):
    nb = nbformat.read(path, as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    tests = [c for c in graded if c.cell_type == "code"]
    assert 6 <= len(tests) <= 8, f"{len(tests)} graded test cells"
    assert 1 <= len(graded) - len(tests) <= 2, f"{len(graded) - len(tests)} written answers"
    assert sum(c.metadata["nbgrader"]["points"] for c in graded) == 30


# The rules themselves must catch what they claim to: break a good notebook and look.

def _links(path):
    return (f"[Open in Colab](https://colab.research.google.com/github/{REPOSITORY}/blob/main/"
            f"{path}) · [Open in Binder](https://mybinder.org/v2/gh/{REPOSITORY}/main?"
            f"labpath={path})")


def _lecture():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "dl-course", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# A title\nWhat this notebook does.\n\n**Time:** about 1 minute on a laptop CPU "
            "(full profile). **Needs:** nothing beyond the course install.\n\n"
            + _links("course/s/a.ipynb")),
        nbformat.v4.new_markdown_cell("## Learning goals\n- one"),
        nbformat.v4.new_code_cell(notebook_rules.COLAB_SETUP + "\nhelpers.setup_notebook(seed=0)"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("## Summary\n- done, as the 3 plots show\n\n"
                                      "## Try this\n- set x = 2\n- set x = 3\n\n"
                                      "## Further reading\n- a link"),
    ]
    return nb


def _assignment():
    nb = _lecture()
    nb.cells[2].source = "import helpers\n\nhelpers.setup_notebook(seed=0)"  # no Colab fallback
    solution = nbformat.v4.new_code_cell(
        "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")
    solution.metadata["nbgrader"] = {"grade": False, "grade_id": "ex1", "locked": False,
                                     "schema_version": 3, "solution": True, "task": False}
    test = nbformat.v4.new_code_cell(
        "assert f(1) == 1\n### BEGIN HIDDEN TESTS\n"
        'with helpers.hidden_case("f must also work for 2"):\n    assert f(2) == 2\n'
        "### END HIDDEN TESTS")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "ex1_tests", "locked": True,
                                 "points": 1, "schema_version": 3, "solution": False,
                                 "task": False}
    written = nbformat.v4.new_markdown_cell("Rubric: 1 point for naming x.\n\nModel answer: x.")
    written.metadata["nbgrader"] = {"grade": True, "grade_id": "why", "locked": False,
                                    "points": 1, "schema_version": 3, "solution": True,
                                    "task": False}
    nb.cells[3:4] = [solution, test, written]
    return nb


def test_good_examples_pass():
    assert notebook_rules.problems(_lecture()) == []
    assert notebook_rules.problems(_assignment()) == []


def _broken(make, edit):
    nb = copy.deepcopy(make())
    edit(nb)
    return notebook_rules.problems(nb)


@pytest.mark.parametrize("edit, message", [
    (lambda nb: nb.cells[3].outputs.append(nbformat.v4.new_output("stream", text="hi")),
     "stored outputs"),
    (lambda nb: nb.metadata.__setitem__("kernelspec", {"name": "julia"}), "kernelspec"),
    (lambda nb: nb.cells[0].__setitem__("source", "Just text"), "H1 title"),
    (lambda nb: nb.cells[0].__setitem__("source", "# Title only"), "one-line description"),
    (lambda nb: nb.cells[1].__setitem__("source", "Goals"), "Learning goals"),
    (lambda nb: nb.cells[4].__setitem__("source", "## Summary"), "Further reading"),
    (lambda nb: nb.cells[2].__setitem__("source", "import numpy"), "setup cell"),
    (lambda nb: nb.cells[3].__setitem__("source", "import os"), "keep every import"),
    (lambda nb: nb.cells[0].__setitem__("source", "# T\nWhat it does."), "**Time:**"),
    (lambda nb: nb.cells[4].__setitem__("source", nb.cells[4].source.replace(
        "- set x = 3\n", "")), "two or three"),
    (lambda nb: nb.cells[4].__setitem__("source", nb.cells[4].source.replace(
        "## Try this", "## Try")), "missing a '## Try this'"),
    *[(lambda nb, figure=figure: nb.cells[4].__setitem__("source", nb.cells[4].source.replace(
        "- done", f"- done {figure}")), "machine-dependent figure")
      for figure in ("in 12 s", "in 1.5-2 minutes", "20-40x faster", "a few seconds each",
                     "on a 2-core CPU", "3 times faster")],
    (lambda nb: nb.cells[3].__setitem__("source", "data = helpers.load_mnist()"), "data-plan"),
    (lambda nb: nb.cells[0].__setitem__("source", nb.cells[0].source.replace(
        "Open in Binder", "Binder")), "'[Open in Binder](...)' link"),
    (lambda nb: nb.cells[0].__setitem__("source", nb.cells[0].source.replace(
        "colab.research.google.com/github/", "colab.research.google.com/drive/")),
     "'[Open in Colab](...)' link"),
    (lambda nb: nb.cells[2].__setitem__("source", "import helpers\nhelpers.setup_notebook()"),
     "COLAB_SETUP"),
    (lambda nb: nb.cells[3].update(source="data = helpers.load_mnist()",
                                   metadata={"tags": ["data-plan"]}), "summary()"),
    (lambda nb: nb.cells[3].update(source="data = helpers.load_mnist()\nprint(data.summary())",
                                   metadata={"tags": ["data-plan"]}), "checkpoint (assert)"),
])
def test_lecture_rules_catch(edit, message):
    found = _broken(_lecture, edit)
    assert any(message in text for text in found), found


def _meta(nb, index):
    return nb.cells[index].metadata["nbgrader"]


@pytest.mark.parametrize("edit, message", [
    (lambda nb: _meta(nb, 4).__setitem__("grade_id", "ex1"), "more than once"),
    (lambda nb: nb.cells.pop(4), "no graded test cell"),
    (lambda nb: nb.cells[3].__setitem__("source", "def f(x):\n    return x"), "markers"),
    (lambda nb: _meta(nb, 4).__setitem__("points", 0), "no points"),
    (lambda nb: _meta(nb, 4).__setitem__("locked", False), "must be locked"),
    (lambda nb: nb.cells[4].__setitem__("source", "assert f(1) == 1"), "no hidden tests"),
    (lambda nb: nb.cells[4].__setitem__("source", nb.cells[4].source + "\n0.5"),
     "partial credit"),
    (lambda nb: _meta(nb, 4).__setitem__("schema_version", 99), "invalid nbgrader metadata"),
    (lambda nb: nb.cells[5].__setitem__("source", "Model answer: x."), "'Rubric:'"),
    (lambda nb: (nb.cells[4].__setitem__("source", "result = f(1)\n" + nb.cells[4].source),
                 nb.cells.insert(5, nbformat.v4.new_code_cell("print(result)"))),
     "only a test cell defines it"),
    (lambda nb: nb.cells.insert(3, nbformat.v4.new_markdown_cell("## Exercise 1: f (3 points)")),
     "says 3 points, its graded cells carry 2"),
    (lambda nb: nb.cells[4].__setitem__("source", nb.cells[4].source.replace(
        "### END", "assert f(3) == 3\n### END")), "fails without a reason"),
    (lambda nb: nb.cells[4].__setitem__("source", nb.cells[4].source.replace(
        'hidden_case("', 'hidden_case(f"')), "one plain string"),
    (lambda nb: nb.cells[4].__setitem__("source", "assert f(1) == 1\n### BEGIN HIDDEN TESTS\n"
                                        "assert f(2) == 2\n### END HIDDEN TESTS"),
     "use no helpers.hidden_case"),
])
def test_assignment_rules_catch(edit, message):
    found = _broken(_assignment, edit)
    assert any(message in text for text in found), found
