"""Run one exercise's test cell against a given answer, in this process.

The instructor's notebook is read; its locked cells (setup, given code) and solution
cells run in order in a fresh namespace, each solution cell as the reference wrote it
unless an answer replaces it, up to the exercise's test cell, which then runs with its
hidden tests (their inputs drawn from a student seed, not the public one). Cells that
only show things are skipped. The grader runs the same cells split over two processes
(test_grading_roundtrip.py shows the reference earns full marks there); this harness
asks only which answers the tests accept.
"""

import functools
import json
import linecache
import os
import subprocess
import sys
from pathlib import Path

import nbformat

STUDENT_SEED = "20261207"  # any seed other than the public one


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


@functools.cache
def _cells(path: Path) -> tuple:
    """An instructor notebook's cells, read once per process (they are only read)."""
    return tuple(nbformat.read(path, as_version=4).cells)


def run_exercise(path: Path, test_id: str, answers: dict[str, str]) -> BaseException | None:
    """The exception that fails test cell `test_id` with `answers` in place, or None.

    `answers` maps solution grade ids to source; an error raised while an answer cell
    runs counts as the exercise failing, like a student's cell that does not run.
    """
    cells = _cells(path)
    ids = {_nbgrader(cell).get("grade_id") for cell in cells}
    unknown = set(answers) - ids
    if unknown or test_id not in ids:
        raise KeyError(f"{path.name} has no cell {sorted(unknown | {test_id} - ids)}")
    namespace: dict = {"__name__": "__main__"}
    previous = os.environ.get("COURSE_HIDDEN_SEED")
    os.environ["COURSE_HIDDEN_SEED"] = STUDENT_SEED
    try:
        for cell in cells:
            meta = _nbgrader(cell)
            grade_id = meta.get("grade_id")
            if cell.cell_type != "code" or not meta or (meta.get("grade") and grade_id != test_id):
                continue
            source = answers.get(grade_id, cell.source)
            filename = f"<{path.stem} {grade_id}>"
            # As IPython does for its cells: tf.function's autograph reads the source back.
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            try:
                exec(compile(source, filename, "exec"), namespace)  # noqa: S102
            except Exception as error:
                if grade_id == test_id or grade_id in answers:
                    return error
                raise
            if grade_id == test_id:
                return None
    finally:
        if previous is None:
            os.environ.pop("COURSE_HIDDEN_SEED", None)
        else:
            os.environ["COURSE_HIDDEN_SEED"] = previous
    raise AssertionError("unreachable: the test cell was found above")


def run_exercise_alone(path: Path, test_id: str, answers: dict[str, str]) -> str | None:
    """`run_exercise` in a fresh Python process: the error as "Type: message", or None.

    For the timed exercises: like a graded submission, the answer then has the process
    to itself (no graphs, threads or memory left over from other answers).
    """
    request = json.dumps({"path": str(path), "test_id": test_id, "answers": answers})
    code = ("import json, sys; from tests.exercise_harness import run_exercise; "
            "r = json.loads(sys.stdin.read()); "
            "e = run_exercise(__import__('pathlib').Path(r['path']), r['test_id'], r['answers']); "
            "print('\\nVERDICT ' + json.dumps(None if e is None else "
            "f'{type(e).__name__}: {e}'))")
    result = subprocess.run([sys.executable, "-c", code], input=request, text=True,
                            capture_output=True, cwd=Path(__file__).parent.parent, check=False)
    verdicts = [line for line in result.stdout.splitlines() if line.startswith("VERDICT ")]
    if not verdicts:
        raise RuntimeError(f"the harness process failed:\n{result.stderr[-3000:]}")
    return json.loads(verdicts[-1][len("VERDICT "):])
