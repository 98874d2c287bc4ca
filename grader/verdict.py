"""A test cell's outputs, made from the test process's verdict and nothing else.

nbgrader scores a test cell from its outputs: 0 with an error output, partial credit
when its result (execute_result) is a number, full points otherwise. Here those outputs
are the test's own printed text, the value of its last expression and, when it failed,
its error; the student's kernel adds none (no execute_result, no display, no stream).
"""

from nbformat.v4 import new_output

MAX_TEXT = 100_000


def error_output(ename: str, evalue: str, traceback: list[str] | None = None):
    return new_output("error", ename=ename, evalue=evalue,
                      traceback=traceback or [f"{ename}: {evalue}"])


def _text(value, limit: int = MAX_TEXT) -> str:
    return value[:limit] if isinstance(value, str) else ""


def outputs(result: dict, max_bytes: int) -> list:
    """The outputs of a test cell whose test process reported `result`."""
    cells = []
    printed = _text(result.get("stdout"), max_bytes)
    if printed:
        cells.append(new_output("stream", name="stdout", text=printed))
    value = _text(result.get("result"), 1000)
    if value and result.get("passed") is True:
        cells.append(new_output("execute_result", data={"text/plain": value},
                                execution_count=None))
    if result.get("passed") is not True:
        error = result.get("error") if isinstance(result.get("error"), dict) else {}
        traceback = error.get("traceback")
        lines = [_text(t) for t in traceback][:50] if isinstance(traceback, list) else None
        cells.append(error_output(_text(error.get("ename"), 200) or "TestFailed",
                                  _text(error.get("evalue")), lines))
    return cells
