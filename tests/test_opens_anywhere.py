"""A lecture opened where the course is not installed (Colab) installs it, and says so."""

import json
import subprocess
import sys

import nbformat
import pytest

from tests.course_layout import REPOSITORY, ROOT, lectures
from tests.notebook_rules import COLAB_SETUP

# Runs a cell in a plain IPython shell whose `%pip` only records its arguments; with
# `hidden`, `import helpers` fails until that `%pip` "installs" it.
SHELL = '''
import json, sys
from IPython.core.interactiveshell import InteractiveShell

hidden = sys.argv[1] == "hidden"
if hidden:
    sys.modules["helpers"] = None  # as on Colab: no such module
calls = []

def pip(line):
    calls.append(line)
    sys.modules.pop("helpers", None)  # now it can be imported

shell = InteractiveShell.instance()
shell.register_magic_function(pip, "line", "pip")
shell.run_cell(sys.stdin.read()).raise_error()
print("PIP " + json.dumps(calls))
print("HELPERS " + sys.modules["helpers"].__name__)
'''


def _run(cell: str, case: str) -> str:
    result = subprocess.run([sys.executable, "-c", SHELL, case], input=cell, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def setup_block():
    lecture = lectures()[0]
    cell = next(c for c in nbformat.read(lecture, as_version=4).cells if c.cell_type == "code")
    assert cell.source.startswith(COLAB_SETUP)
    return COLAB_SETUP


def test_without_helpers_the_setup_cell_installs_the_course_quietly_and_says_so(setup_block):
    out = _run(setup_block, "hidden")
    assert "helpers package is not installed here: installing it with pip" in out
    (line,) = json.loads(out.split("PIP ", 1)[1].splitlines()[0])
    assert line.startswith("install --quiet ")
    assert f"git+https://github.com/{REPOSITORY}" in line
    assert "HELPERS helpers" in out


def test_with_helpers_installed_nothing_is_installed_or_printed(setup_block):
    out = _run(setup_block, "present")
    assert out.splitlines() == ["PIP []", "HELPERS helpers"]
