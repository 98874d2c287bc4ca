"""Grade all submissions of an assignment, each in its own two sandboxes, several at a time.

For each student: the submission is rebuilt from the release (`intake`), then
`nbgrader autograde` runs in a scratch course folder of its own, with its Execute step
replaced by `student_process.StudentProcess`: the student's kernel and the test process,
each sandboxed, talking over the channel. The scratch gradebook is then read and the
scores are written into the course gradebook by this process alone (`gradebook`).
"""

import contextlib
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from tqdm.auto import tqdm

from grader import gradebook, intake, sandbox
from grader.course import Course, hidden_seed, nbgrader_env
from grader.limits import Limits
from grader.student_process import autograde_preprocessors

GRADER_MEMORY_BYTES = 4 * 1024**3  # the nbgrader process that talks to one kernel


@dataclass
class Outcome:
    """What grading one student's submission gave."""

    student: str
    status: str = "graded"  # graded | flagged (see reasons) | failed (scored 0)
    reasons: list[str] = field(default_factory=list)
    scores: dict = field(default_factory=dict)  # (notebook, grade cell) -> points
    awaiting: dict = field(default_factory=dict)  # written answers to grade by hand -> points
    max_score: float = 0.0
    seconds: float = 0.0
    timestamp: object = None
    autograded: Path | None = None  # the executed notebooks' folder

    @property
    def score(self) -> float:
        return sum(self.scores.values())

    def flag(self, reason: str) -> None:
        self.reasons.append(reason)
        if self.status == "graded":
            self.status = "flagged"

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)
        self.status = "failed"
        self.scores, self.awaiting = {}, {}


def _config(course: Course, scratch: Path, limits: Limits, threads: int, seed: int) -> str:
    """The course's nbgrader config plus the grader's settings for one scratch folder."""
    preprocessors = autograde_preprocessors()
    steps = ", ".join(f"{s.__module__}.{s.__name__}" for s in preprocessors)
    modules = sorted({s.__module__ for s in preprocessors})
    return course.config_file.read_text() + f"""

# --- added by grader for one sandboxed submission ---
import {", ".join(modules)}
c.CourseDirectory.root = {str(scratch)!r}
c.CourseDirectory.db_url = {f"sqlite:///{scratch / 'gradebook.db'}"!r}
c.Autograde.autograde_preprocessors = [{steps}]
c.StudentProcess.kernel_name = {sandbox.KERNEL_NAME!r}
c.StudentProcess.timeout = {limits.cell_seconds}
c.StudentProcess.submission_timeout = {limits.submission_seconds}
c.StudentProcess.max_output_bytes = {limits.output_bytes}
c.StudentProcess.events_file = {str(scratch / "events.jsonl")!r}
c.StudentProcess.test_command = {sandbox.test_command(
    scratch / "test-work", scratch / "runtime", limits, threads)!r}
c.StudentProcess.test_log = {str(scratch / "test-process.log")!r}
c.StudentProcess.channel_socket = {str(scratch / "runtime" / "channel.sock")!r}
c.StudentProcess.hidden_seed = {seed}
c.KernelManager.transport = "ipc"
c.KernelManager.connection_file = {str(scratch / "runtime" / "kernel.json")!r}
"""


class _Job:
    """One student's scratch course folder and the nbgrader process that grades it."""

    def __init__(self, course: Course, assignment: str, outcome: Outcome, scratch: Path):
        self.course, self.assignment, self.outcome, self.scratch = (
            course, assignment, outcome, scratch)

    def prepare(self, notebooks: dict[str, nbformat.NotebookNode], template: Path,
                limits: Limits, threads: int, seed: int) -> None:
        student, assignment, scratch = self.outcome.student, self.assignment, self.scratch
        submitted = scratch / "submitted" / student / assignment
        submitted.mkdir(parents=True)
        for name, notebook in notebooks.items():
            nbformat.write(notebook, submitted / name)
        stamp = self.course.root / "submitted" / student / assignment / "timestamp.txt"
        if stamp.is_file():
            shutil.copy(stamp, submitted)
        source = self.course.root / "source" / assignment
        work = scratch / "work"  # the kernel's folder: the release's other files
        ignore = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints")
        shutil.copytree(source, scratch / "source" / assignment, ignore=ignore)
        shutil.copytree(source, work, ignore=ignore)
        (scratch / "runtime").mkdir()
        (scratch / "test-work").mkdir()
        shutil.copy(template, scratch / "gradebook.db")
        (scratch / "nbgrader_config.py").write_text(_config(self.course, scratch, limits,
                                                             threads, seed))
        sandbox.write_kernelspec(scratch / "jupyter", sandbox.kernel_command(
            work, scratch / "runtime", limits, threads))

    def run(self, limits: Limits) -> None:
        """Run nbgrader autograde; kill it and everything it started past the hard limit."""
        env = {**nbgrader_env(), "JUPYTER_PATH": str(self.scratch / "jupyter"),
               "JUPYTER_CONFIG_DIR": str(self.scratch / "jupyter-config"),
               "JUPYTER_RUNTIME_DIR": str(self.scratch / "runtime")}
        command = [sys.executable, "-m", "nbgrader", "autograde", self.assignment,
                   "--student", self.outcome.student, "--force", "--create"]
        start = time.monotonic()
        with open(self.scratch / "nbgrader.log", "wb") as log:
            process = subprocess.Popen(command, cwd=self.scratch, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True,
                                       preexec_fn=lambda: _limit_grader_memory(limits))
            try:
                process.wait(timeout=limits.submission_seconds + 120)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                self.outcome.fail(f"grading did not finish within "
                                  f"{limits.submission_seconds + 120} s and was stopped; "
                                  f"see {self.keep_log()}")
        self.outcome.seconds = time.monotonic() - start

    def keep_log(self) -> Path:
        """Save nbgrader's log of this submission under reports/logs/ and return its path."""
        target = (self.course.root / "reports" / "logs" / self.assignment /
                  f"{self.outcome.student}.log")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as log:
            for name in ("nbgrader.log", "test-process.log"):
                if (self.scratch / name).is_file():
                    log.write(f"--- {name} ---\n".encode() + (self.scratch / name).read_bytes())
        return target

    def collect(self, notebook_names: list[str]) -> None:
        """Read the scratch gradebook and the events into the outcome."""
        outcome = self.outcome
        folder = self.scratch / "autograded" / outcome.student / self.assignment
        missing = [n for n in notebook_names if not (folder / n).is_file()]
        if outcome.status != "failed" and missing:
            outcome.fail(f"nbgrader could not grade it: see {self.keep_log()}")
        if outcome.status == "failed":
            return
        outcome.autograded = folder
        with Gradebook(f"sqlite:///{self.scratch / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(self.assignment, outcome.student)
            outcome.timestamp = submission.timestamp
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.auto_score is None:  # a written answer: graded by hand
                        outcome.awaiting[notebook.name, grade.name] = grade.max_score
                    else:
                        outcome.scores[notebook.name, grade.name] = grade.auto_score
        events = self.scratch / "events.jsonl"
        for line in events.read_text().splitlines() if events.exists() else []:
            event = json.loads(line)
            outcome.flag(f"{event['event']} in cell {event['cell']}: {event['detail']}")


def _limit_grader_memory(limits: Limits) -> None:
    # The hard limit leaves room for the kernel's own (set by prlimit in the sandbox).
    hard = max(GRADER_MEMORY_BYTES, limits.memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (GRADER_MEMORY_BYTES, hard))


def _intake(course: Course, assignment: str, outcome: Outcome,
            releases: dict[str, nbformat.NotebookNode]) -> dict[str, nbformat.NotebookNode]:
    """The notebooks to grade for one student; fails the outcome if there are none."""
    folder = course.root / "submitted" / outcome.student / assignment
    notebooks = {}
    for name, release in releases.items():
        try:
            path, notes = intake.find_notebook(folder, name)
            result = intake.rebuild(path, release)
        except intake.RejectedSubmission as error:
            outcome.fail(f"{name}: {error}")
            return {}
        for note in notes + result.notes:
            outcome.flag(f"{name}: {note}")
        notebooks[name] = result.notebook
    return notebooks


@contextlib.contextmanager
def _unexpected(outcome: Outcome):
    """A grader error on one submission fails that submission, never the batch."""
    try:
        yield
    except Exception as error:
        outcome.fail(f"grader error: {type(error).__name__}: {error}")


def grade_assignment(course_root: Path, assignment: str, students: list[str] | None = None,
                     workers: int | None = None, limits: Limits | None = None,
                     progress: bool = True) -> list[Outcome]:
    """Autograde the submissions of `assignment` (all of them unless `students` is given)."""
    limits = limits or Limits()
    course = Course(course_root)
    secret = course.secret()
    sandbox.self_test(limits)  # before anything is recorded
    releases = {path.name: nbformat.read(path, as_version=4)  # read once, used for everyone
                for path in course.release_notebooks(assignment)}
    submitted = course.students(assignment)
    unknown = sorted(set(students or []) - set(submitted))
    if unknown:
        raise ValueError(f"no submission of {assignment} from {', '.join(unknown)} in "
                         f"{course.root / 'submitted'} (collect first, or check the ids)")
    students = students or submitted
    workers = workers or os.cpu_count() or 1
    threads = max(1, (os.cpu_count() or 1) // workers)
    outcomes = [Outcome(student) for student in students]
    with tempfile.TemporaryDirectory(prefix="grading-") as batch_dir:
        template = gradebook.template(course, assignment, Path(batch_dir) / "template")
        jobs = []
        for outcome in outcomes:
            job = _Job(course, assignment, outcome,
                       Path(tempfile.mkdtemp(prefix=f"{len(jobs):04d}-", dir=batch_dir)))
            with _unexpected(outcome):
                notebooks = _intake(course, assignment, outcome, releases)
                if outcome.status != "failed":
                    job.prepare(notebooks, template, limits, threads,
                                hidden_seed(secret, assignment, outcome.student))
            if outcome.status == "failed":
                gradebook.record(course, assignment, outcome)
            else:
                jobs.append(job)
        names = list(releases)
        bar = tqdm(total=len(outcomes), desc=f"grading {assignment}", unit="submission",
                   disable=not progress, initial=len(outcomes) - len(jobs))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running = {pool.submit(job.run, limits): job for job in jobs}
            for done in as_completed(running):
                job = running[done]
                with _unexpected(job.outcome):
                    done.result()
                    job.collect(names)
                gradebook.record(course, assignment, job.outcome)  # one writer: this thread
                shutil.rmtree(job.scratch, ignore_errors=True)
                bar.update()
        bar.close()
    return outcomes


def write_report(outcomes: list[Outcome], path: Path) -> None:
    """A CSV with one row per student: status, score, seconds and reasons."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "score", "max_score", "awaiting_manual_grade",
                         "seconds", "reasons"])
        for o in outcomes:
            writer.writerow([o.student, o.status, o.score, o.max_score, len(o.awaiting),
                             round(o.seconds, 1), " | ".join(o.reasons)])


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """The final report printed by the command line."""
    lines = [f"{'student':<24} {'status':<8} {'score':>11}  reasons"]
    for o in outcomes:
        pending = [f"{len(o.awaiting)} written answer(s) to grade by hand"] if o.awaiting else []
        lines.append(f"{o.student:<24} {o.status:<8} {o.score:>5g}/{o.max_score:<5g}  "
                     + ("; ".join(pending + o.reasons) or "-"))
    counts = {s: sum(o.status == s for o in outcomes) for s in ("graded", "flagged", "failed")}
    lines.append(f"{len(outcomes)} submissions in {seconds:.1f} s: " +
                 ", ".join(f"{n} {s}" for s, n in counts.items()))
    answers = sum(len(o.awaiting) for o in outcomes)
    if answers:
        lines.append(f"{answers} written answer(s) from {sum(bool(o.awaiting) for o in outcomes)}"
                     " student(s) await manual grading: grade them in `nbgrader formgrader` "
                     "(the rubric is in the source notebook's answer cells); their points "
                     "are not in the scores above")
    return "\n".join(lines)
