"""nbgrader's Execute step, split in two: the student's kernel and the test process.

The student's kernel (sandboxed) runs the setup cell and every cell but the test cells.
At each test cell it runs only `grader.agent.serve`, which answers the test process's
requests on the student's names, while the test process (sandboxed, see
`test_process`) runs the test cell itself. The test cell's outputs are then the test
process's verdict alone (see `verdict`): nothing the student's code prints, displays or
returns can reach them.

Limits hold whatever the student's code does:
- each cell gets at most `timeout` seconds and the notebook `submission_timeout` in all;
  cells not reached in time get an error output (so they score 0);
- a kernel that dies (exit, signal, crash, out of memory) fails its cell, and the cells
  after it are marked as not run, instead of nbgrader discarding the whole notebook;
- each cell keeps at most `max_output_bytes` of output; the rest is dropped.

What happened is written as JSON lines to `events_file` for the grading report.
"""

import contextlib
import json
import time

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_output
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Integer, List, Unicode

from grader import verdict
from grader.test_process import TestProcess

CONNECT_SECONDS = 10  # for the kernel to reach the test process at a test cell


def is_test_cell(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_instructor_cell(cell) -> bool:
    """Locked code that is neither an answer nor a test: the setup, reference helpers."""
    meta = cell.metadata.get("nbgrader", {})
    return (cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("grade")
            and not meta.get("solution"))


def _size(msg) -> int:
    content = msg["content"]
    if "text" in content:
        return len(content["text"])
    return sum(len(str(value)) for value in content.get("data", {}).values())


class StudentProcess(Execute):
    submission_timeout = Integer(1800, help="Seconds for the whole notebook.").tag(config=True)
    max_output_bytes = Integer(1024**2, help="Output kept per cell.").tag(config=True)
    events_file = Unicode("", help="Where to append what happened (JSON lines).").tag(
        config=True)
    test_command = List(Unicode(), help="argv of the sandboxed test process.").tag(config=True)
    test_log = Unicode("", help="The test process's stderr.").tag(config=True)
    channel_socket = Unicode("", help="The channel's Unix socket, seen by both.").tag(
        config=True)
    hidden_seed = Integer(0, help="Seed of the hidden tests' inputs for this student.").tag(
        config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._cell_timeout = self.timeout
        self._deadline = time.monotonic() + self.submission_timeout
        self._stopped = None  # why the remaining cells are not run
        self._output_sizes = {}
        cells = [{"index": i, "source": c.source,
                  "kind": "test" if is_test_cell(c) else "instructor"}
                 for i, c in enumerate(nb.cells) if is_test_cell(c) or is_instructor_cell(c)]
        # Started first: it imports TensorFlow while the student's kernel starts.
        self._tests = TestProcess(self.test_command, self.test_log, {
            "socket": self.channel_socket, "seed": self.hidden_seed, "cells": cells,
            "connect_seconds": CONNECT_SECONDS})
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            self._tests.stop()

    def _event(self, kind: str, index: int, detail: str) -> None:
        if self.events_file:
            cell = self.nb.cells[index]
            label = cell.metadata.get("nbgrader", {}).get("grade_id") or f"#{index + 1}"
            with open(self.events_file, "a") as log:
                log.write(json.dumps({"event": kind, "cell": label, "detail": detail}) + "\n")

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        remaining = self._deadline - time.monotonic()
        if self._stopped is None and remaining < 1:
            self._stopped = (f"the notebook used up its {self.submission_timeout} s time limit "
                             "before this cell")
            self._event("submission-timeout", index, self._stopped)
        if self._stopped is not None:
            cell.outputs = [verdict.error_output("NotRun", self._stopped)]
            return cell, resources
        self.timeout = max(1, int(min(self._cell_timeout, remaining)))
        if is_test_cell(cell):
            return self._test_cell(cell, resources, index)
        self._run_in_kernel(cell, resources, index)
        return cell, resources

    def _run_in_kernel(self, cell, resources, index) -> None:
        """Run `cell` in the student's kernel; if the kernel is lost, the rest is not run."""
        try:
            super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "the kernel died in an earlier cell"
            self._event("kernel-died", index, "the kernel died (it exited, was killed, "
                        "crashed or ran out of memory)")
            cell.outputs.append(verdict.error_output(
                "DeadKernelError", "the kernel died while running this cell (it exited, "
                "crashed or ran out of memory)"))
            return
        except CellTimeoutError:  # still busy after the interrupt: the kernel is lost
            self._stopped = "an earlier cell ran past its time limit and ignored the interrupt"
            self._event("cell-timeout", index, f"stopped after {self.timeout} s; the kernel "
                        "ignored the interrupt, so the later cells were not run")
            cell.outputs.append(verdict.error_output("CellTimeoutError",
                                                     f"stopped after {self.timeout} s"))
            with contextlib.suppress(Exception):  # frees the test process waiting on it
                run_sync(self.km.shutdown_kernel)(now=True)
            return
        if any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in cell.outputs):
            self._event("cell-timeout", index, f"stopped after {self.timeout} s")

    def _test_cell(self, cell, resources, index):
        """The test process runs the cell while the kernel serves the student's names."""
        started = time.monotonic()
        self._tests.run(index)
        serving = new_code_cell(f"__import__('grader.agent').agent.serve("
                                f"{self.channel_socket!r})")
        serving.metadata = cell.metadata
        self._run_in_kernel(serving, resources, index)
        self.nb.cells[index] = cell  # nbclient put the serving cell in its place
        timed_out = any(o.output_type == "error" and o.ename in ("CellTimeoutError",
                                                                  "KeyboardInterrupt")
                        for o in serving.outputs)
        # The test may still run after the kernel is done: on its own data, or waiting
        # CONNECT_SECONDS for a kernel that never came (its code stopped the serving).
        wait = max(CONNECT_SECONDS + 5.0, self.timeout - (time.monotonic() - started))
        result = self._tests.verdict(index, wait)
        if result is None:
            detail = self._tests.failure()
            self._event("test-process", index, detail)
            cell.outputs = [verdict.error_output("TestProcessError", detail)]
        else:
            cell.outputs = verdict.outputs(result, self.max_output_bytes)
        if timed_out and result is not None and result["passed"] is False:
            cell.outputs.append(verdict.error_output("CellTimeoutError",
                                                     f"stopped after {self.timeout} s"))
        return cell, resources

    def output(self, outs, msg, display_id, cell_index):
        size = self._output_sizes.get(cell_index, 0) + _size(msg)
        self._output_sizes[cell_index] = size
        if size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if size - _size(msg) <= self.max_output_bytes:  # first message over the limit
            self._event("output-truncated", cell_index, f"kept {self.max_output_bytes} bytes")
            outs.append(new_output("stream", name="stdout", text=(
                f"\n[grader: output beyond {self.max_output_bytes} bytes dropped]\n")))
        return None


def autograde_preprocessors() -> list:
    """nbgrader's autograde steps with Execute replaced by StudentProcess."""
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    return [StudentProcess if step is Execute else step for step in default]
