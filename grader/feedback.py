"""Feedback that does not give hidden tests away.

In a test cell with hidden tests, the hidden region is removed from the source, and
the outputs are reduced to what failed: the error's type and message when the failing
line is in the public part of the cell (the student has those tests); for a hidden test,
the message its author wrote for students (`helpers.hidden_case`), which quotes neither
inputs nor expected values, and otherwise only a note that a hidden test failed.
Tracebacks are dropped: they quote the cell's lines.
"""

import re

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\],?\s*line|<ipython-input-[^>]*> in <module>.*?)"
                        r"\s*(\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
GRADER_ERRORS = {"NotRun", "DeadKernelError", "CellTimeoutError", "TestProcessError"}  # not a test
HIDDEN_MESSAGE = "HiddenTestFailed"  # raised by helpers.hidden_case, never rebuilt from a student
UNEXPLAINED = ("A hidden test failed: check your answer against every case the exercise "
               "describes, not only the public tests.")


def _failing_line(traceback: list[str]) -> int | None:
    """The line of the cell itself (the first frame) that raised, if it can be read."""
    for entry in traceback:
        match = _CELL_LINE.search(_ANSI.sub("", entry))
        if match:
            return int(match.group(1))
    return None


class RedactHiddenTests(Preprocessor):
    """Used by `nbgrader generate_feedback` (see course/nbgrader_config.py)."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or BEGIN not in cell.source:
            return cell, resources
        lines = cell.source.splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip() == BEGIN)
        end = next((i for i, line in enumerate(lines) if line.strip() == END), len(lines) - 1)
        cell.source = "\n".join(lines[:start] + ["# (hidden tests)"] + lines[end + 1:])
        outputs = []
        for output in cell.outputs:
            if output.output_type != "error":
                continue
            line = _failing_line(output.get("traceback", []))
            public = output.ename in GRADER_ERRORS or (
                line is not None and (line <= start or line > end + 1))
            if public:
                text = f"{output.ename}: {output.evalue}"
            elif output.ename == HIDDEN_MESSAGE:
                text = f"A hidden test failed: {output.evalue}"
            else:
                text = UNEXPLAINED
            outputs.append(new_output("error", ename=output.ename if public else "HiddenTest",
                                      evalue=text, traceback=[text]))
        cell.outputs = outputs
        return cell, resources
