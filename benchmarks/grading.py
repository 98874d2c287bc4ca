"""Grading cost: N synthetic submissions per assignment, graded three ways side by side.

    .venv/bin/python benchmarks/grading.py --submissions 40 --profile smoke

For each assignment a course folder is made in a temporary directory, the assignment is
released, and N submissions are written: a quarter each of correct (the reference
answers), partial (every other answer), blank (the release as is) and hostile (in turn: a
function that loops forever, a kernel that exits, code that tampers with the tests, a
flood of output). They are graded by plain `nbgrader autograde` (serial, no sandbox,
tests in the student's process: the baseline), by `grade_assignment` with one worker,
and again with one worker per core (each run replaces the scores before it). A Markdown
table prints the seconds per submission of the first two and their ratio, the parallel
wall time, its speed-up and submissions per minute.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from grader.batch import grade_assignment  # noqa: E402
from grader.cli import init, nbgrader  # noqa: E402
from grader.course import run_nbgrader  # noqa: E402
from grader.limits import Limits  # noqa: E402

HOSTILE = [  # appended to the first answer cell
    "\n\ndef _spin():\n    while True:\n        pass\n\n\n_spin()",
    "\n\nimport os\n\nos._exit(1)",
    "\n\nnp.allclose = lambda *args, **kwargs: True\nhelpers.assert_close = lambda *a, **k: None",
    "\n\nfor _ in range(200_000):\n    print('spam ' * 20)",
]


def _answer_cells(notebook) -> list:
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]


def submissions(release, source, count: int) -> dict[str, nbformat.NotebookNode]:
    """`count` notebooks: correct, partial, blank and hostile in turn."""
    reference = [c.source for c in _answer_cells(source)]
    made = {}
    for i in range(count):
        kind = ("correct", "partial", "blank", "hostile")[i % 4]
        notebook = nbformat.from_dict(release)
        for j, cell in enumerate(_answer_cells(notebook)):
            if kind in ("correct", "hostile") or kind == "partial" and j % 2 == 0:
                cell.source = reference[j]
        if kind == "hostile":
            _answer_cells(notebook)[0].source += HOSTILE[(i // 4) % len(HOSTILE)]
        made[f"{kind}-{i:03d}"] = notebook
    return made


def measure(assignment: str, count: int, workers: int, limits: Limits) -> dict:
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as folder:
        course = Path(folder) / "course"
        init(course, None)
        nbgrader(course, "generate_assignment", assignment, "--force")
        (notebook_path,) = (course / "release" / assignment).glob("*.ipynb")
        release = nbformat.read(notebook_path, 4)
        source = nbformat.read(course / "source" / assignment / notebook_path.name, 4)
        for student, notebook in submissions(release, source, count).items():
            target = course / "submitted" / student / assignment
            target.mkdir(parents=True)
            nbformat.write(notebook, target / notebook_path.name)
        row = {"assignment": assignment, "n": count}
        start = time.perf_counter()
        run_nbgrader(course, "autograde", assignment, "--create", "--force",
                     f"--Execute.timeout={limits.cell_seconds}", capture=True)
        row["plain"] = time.perf_counter() - start
        for label, n_workers in (("serial", 1), ("parallel", workers)):
            start = time.perf_counter()
            outcomes = grade_assignment(course, assignment, workers=n_workers, limits=limits)
            row[label] = time.perf_counter() - start
            row[f"{label} statuses"] = Counter(o.status for o in outcomes)
        return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--assignment", action="append",
                        help="session folder (repeatable; default: all four)")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--profile", choices=["smoke", "full"], default="smoke")
    parser.add_argument("--cell-timeout", type=int, default=60)
    args = parser.parse_args()
    os.environ["COURSE_PROFILE"] = args.profile  # passed on into the sandbox
    assignments = args.assignment or sorted(
        p.parent.name for p in (ROOT / "course").glob("session*/assignment*.ipynb"))
    limits = Limits(cell_seconds=args.cell_timeout, submission_seconds=20 * args.cell_timeout)
    rows = [measure(a, args.submissions, args.workers, limits) for a in assignments]
    print(f"\nGrading {args.submissions} submissions per assignment, profile {args.profile}, "
          f"{os.cpu_count()} cores, cell limit {args.cell_timeout} s\n")
    print("| assignment | N | plain nbgrader s/submission | grader s/submission (1 worker) | "
          f"ratio | parallel s ({args.workers} workers) | speed-up | per min parallel | "
          "graded / flagged / failed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        counts, n = r["parallel statuses"], r["n"]
        print(f"| {r['assignment']} | {n} | {r['plain'] / n:.1f} | {r['serial'] / n:.1f} | "
              f"{r['serial'] / r['plain']:.2f}x | {r['parallel']:.0f} | "
              f"{r['serial'] / r['parallel']:.2f}x | {60 * n / r['parallel']:.1f} | "
              f"{counts['graded']} / {counts['flagged']} / {counts['failed']} |")


if __name__ == "__main__":
    main()
