"""nbgrader's Execute step with limits that hold whatever the student's code does.

- each cell gets at most `timeout` seconds and the notebook `submission_timeout` in all;
  cells not reached in time get an error output (so they score 0);
- a kernel that dies (exit, signal, crash, out of memory) fails its cell, and the cells
  after it are marked as not run, instead of nbgrader discarding the whole notebook;
- each cell keeps at most `max_output_bytes` of output; the rest is dropped.

What happened is written as JSON lines to `events_file` for the grading report.
"""

import json
import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Integer, Unicode


def _error(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _size(msg) -> int:
    content = msg["content"]
    if "text" in content:
        return len(content["text"])
    return sum(len(str(value)) for value in content.get("data", {}).values())


class LimitedExecute(Execute):
    submission_timeout = Integer(1800, help="Seconds for the whole notebook.").tag(config=True)
    max_output_bytes = Integer(1024**2, help="Output kept per cell.").tag(config=True)
    events_file = Unicode("", help="Where to append what happened (JSON lines).").tag(
        config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._cell_timeout = self.timeout
        self._deadline = time.monotonic() + self.submission_timeout
        self._stopped = None  # why the remaining cells are not run
        self._output_sizes = {}
        return super().preprocess(nb, resources, km=km)

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
            cell.outputs = [_error("NotRun", self._stopped)]
            return cell, resources
        self.timeout = max(1, int(min(self._cell_timeout, remaining)))
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "the kernel died in an earlier cell"
            self._event("kernel-died", index, "the kernel died (it exited, was killed, "
                        "crashed or ran out of memory)")
            cell.outputs.append(_error("DeadKernelError", "the kernel died while running this "
                                       "cell (it exited, crashed or ran out of memory)"))
            return cell, resources
        except CellTimeoutError:  # still busy after the interrupt: the kernel is lost
            self._stopped = "an earlier cell ran past its time limit and ignored the interrupt"
            self._event("cell-timeout", index, f"stopped after {self.timeout} s; the kernel "
                        "ignored the interrupt, so the later cells were not run")
            cell.outputs.append(_error("CellTimeoutError", f"stopped after {self.timeout} s"))
            return cell, resources
        if any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in cell.outputs):
            self._event("cell-timeout", index, f"stopped after {self.timeout} s")
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
    """nbgrader's autograde steps with Execute replaced by LimitedExecute."""
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    return [LimitedExecute if step is Execute else step for step in default]
