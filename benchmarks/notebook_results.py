"""Run a course notebook top to bottom and read measured values out of its kernel.

Benchmarks use this so that the numbers they print come from the very code students
run: the notebook is the single source, nothing is re-implemented here.
"""

import json
import os
import sys
import time
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parents[1]


def execute(nb, folder: Path, profile: str, timeout: int) -> None:
    """Run ``nb`` in place, top to bottom, in a fresh kernel started in ``folder``."""
    os.environ["COURSE_PROFILE"] = profile  # the kernel inherits this environment
    nbclient.NotebookClient(nb, timeout=timeout,  # on the kernel the notebook names
                            resources={"metadata": {"path": str(folder)}}).execute()


def run_and_collect(notebook: Path, variable: str, profile: str = "full",
                    timeout: int = 1200) -> dict:
    """Execute ``notebook`` in ``profile`` and return its JSON-serialisable dict ``variable``.

    Raises:
        RuntimeError: if the notebook fails or does not define ``variable``.
    """
    nb = nbformat.read(notebook, as_version=4)
    probe = f"import json as _json\nprint(_json.dumps({variable}, default=float))"
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    try:
        execute(nb, notebook.parent, profile, timeout)
    except Exception as error:
        raise RuntimeError(f"{notebook.name} failed in the {profile} profile: {error}") from error
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    return json.loads(text)


def collect(notebook: Path, profile: str) -> tuple[dict, float]:
    """``run_and_collect(notebook, "results", profile)`` and the wall seconds the run took."""
    print(f"running {notebook.relative_to(ROOT)} ({profile}) ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    results = run_and_collect(notebook, "results", profile)
    return results, time.perf_counter() - start
