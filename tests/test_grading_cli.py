"""A term with `course-grader`: init, release, collect (folder and exchange), autograde,
feedback, export."""

import csv
import getpass
import os
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader import cli, sandbox
from grader.course import SECRET_FILE
from grader.limits import Limits
from tests import grading_fixture as fx
from tests.course_layout import COURSE, assignments

LIMITS = ["--cell-timeout", "30", "--submission-timeout", "60"]


def _run(root, *args):
    cli.main(["--course-dir", str(root), *args])


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    """The tiny assignment released and collected from an LMS download, then graded."""
    root = fx.make_course(tmp_path_factory.mktemp("term"), COURSE / "nbgrader_config.py")
    _run(root, "release", fx.ASSIGNMENT)
    release = nbformat.read(root / "release" / fx.ASSIGNMENT / fx.NOTEBOOK, 4)
    download = tmp_path_factory.mktemp("lms")
    (download / "alice").mkdir()  # one folder per student, any notebook name
    nbformat.write(fx.answered(release, fx.ANSWERS), download / "alice" / "Tiny v2.ipynb")
    right = fx.ANSWERS["add_squares"]
    nbformat.write(fx.answered(release, {"add_squares": right, "mean_of": fx.WRONG["mean_of"]}),
                   download / "bob.ipynb")
    floor = "def mean_of(v):\n    return sum(v) // len(v)"  # passes only the public test
    nbformat.write(fx.answered(release, {"add_squares": right, "mean_of": floor}),
                   download / "carol.ipynb")
    (download / ".DS_Store").write_text("")
    _run(root, "collect", fx.ASSIGNMENT, "--folder", str(download))
    _run(root, "autograde", fx.ASSIGNMENT, *LIMITS)
    _run(root, "feedback", fx.ASSIGNMENT)
    return root


def test_init_makes_a_course_folder_with_every_assignment(tmp_path):
    cli.main(["init", str(tmp_path / "term"), "--exchange", str(tmp_path / "exchange")])
    made = sorted(p.relative_to(tmp_path / "term" / "source")
                  for p in (tmp_path / "term" / "source").glob("*/*.ipynb"))
    assert made == sorted(p.relative_to(COURSE) for p in assignments())
    assert "c.Exchange.root" in (tmp_path / "term" / "nbgrader_config.py").read_text()
    secret = tmp_path / "term" / SECRET_FILE  # seeds the hidden inputs; only its owner reads it
    assert len(secret.read_text().strip()) == 64 and secret.stat().st_mode & 0o077 == 0


def test_collect_takes_one_submission_per_student_with_a_timestamp(term):
    folders = sorted(p.parent.name for p in (term / "submitted").glob("*/tiny"))
    assert folders == ["alice", "bob", "carol"]
    assert (term / "submitted" / "bob" / "tiny" / fx.NOTEBOOK).is_file()
    assert (term / "submitted" / "alice" / "tiny" / "timestamp.txt").read_text().endswith("UTC")


def test_the_report_lists_every_student(term):
    with open(term / "reports" / "tiny-grading.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert {s: (rows[s]["status"], float(rows[s]["score"])) for s in rows} == {
        "alice": ("flagged", 5.0), "bob": ("graded", 2.0), "carol": ("graded", 2.0)}
    assert "was named 'Tiny v2.ipynb'" in rows["alice"]["reasons"]


def test_feedback_shows_public_failures_and_hides_hidden_tests(term):
    pages = {s: (term / "feedback" / s / "tiny" / "tiny.html").read_text()
             for s in ("alice", "bob", "carol")}
    for page in pages.values():
        assert "statistics" not in page and "hidden case failed" not in page
        assert "BEGIN HIDDEN" not in page
    assert "AssertionError" in pages["bob"]  # bob fails the public test
    # carol passes it, not the hidden one: she is told what it checks, in its author's words
    assert "A hidden test failed: mean_of must average every value" in pages["carol"]


def test_export_writes_every_students_total(term):
    _run(term, "export", "--to", "grades.csv")
    with open(term / "grades.csv") as handle:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert scores == {"alice": 5.0, "bob": 2.0, "carol": 2.0}


def test_the_exchange_round_trip(tmp_path):
    """Release to nbgrader's exchange, a student fetches and submits, collect, grade."""
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o777)
    root = fx.make_course(tmp_path / "course", COURSE / "nbgrader_config.py")
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    _run(root, "release", fx.ASSIGNMENT, "--exchange")
    home = tmp_path / "student"
    home.mkdir()
    student_config = f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
    (home / "nbgrader_config.py").write_text(student_config)
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    for step in ("fetch_assignment", "submit"):
        subprocess.run([sys.executable, "-m", "nbgrader", step, fx.ASSIGNMENT, "--course",
                        "deep-learning-course"], cwd=home, env=env, check=True)
    _run(root, "collect", fx.ASSIGNMENT, "--exchange")
    _run(root, "autograde", fx.ASSIGNMENT, *LIMITS)
    with open(root / "reports" / "tiny-grading.csv") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["student"], float(row["score"])) == (getpass.getuser(), 0.0)  # as released


def test_an_unknown_student_is_an_error_not_a_zero(term):
    with pytest.raises(SystemExit, match="no submission of tiny from zed"):
        _run(term, "autograde", fx.ASSIGNMENT, "--student", "zed", *LIMITS)


def test_a_broken_sandbox_stops_before_anything_is_recorded(term, monkeypatch):
    monkeypatch.setattr(sandbox, "_SYSTEM_DIRS", ())  # the kernel cannot even start
    with pytest.raises(SystemExit, match="could not run `1 \\+ 1`.*Nothing was graded"):
        _run(term, "autograde", fx.ASSIGNMENT, *LIMITS)
    with Gradebook(f"sqlite:///{term / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(fx.ASSIGNMENT, "alice").score == 5


def test_without_bubblewrap_grading_refuses_and_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.require_bubblewrap()


@pytest.mark.parametrize("limits, message", [
    ({"cell_seconds": 0}, "cell_seconds must be a positive integer"),
    ({"cell_seconds": 100, "submission_seconds": 50}, "longer than submission_seconds")])
def test_impossible_limits_are_refused(limits, message):
    with pytest.raises(ValueError, match=message):
        Limits(**limits)
