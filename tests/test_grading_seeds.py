"""The course secret and the per-student seeds of the hidden inputs drawn from it."""

from grader.course import SECRET_FILE, Course, hidden_seed


def test_each_student_and_assignment_gets_its_own_stable_seed():
    seeds = {(s, a): hidden_seed(b"secret", a, s) for s in ("ana", "ben")
             for a in ("session1_basics", "session2_training")}
    assert len(set(seeds.values())) == 4
    assert hidden_seed(b"secret", "session1_basics", "ana") == seeds["ana", "session1_basics"]
    assert hidden_seed(b"other", "session1_basics", "ana") != seeds["ana", "session1_basics"]
    # The separator keeps ids that run together apart.
    assert hidden_seed(b"s", "ab", "c") != hidden_seed(b"s", "a", "bc")


def test_the_secret_is_made_once_readable_by_its_owner_only(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    course = Course(tmp_path)
    first = course.secret()
    assert len(first) == 64 and course.secret() == first
    assert (tmp_path / SECRET_FILE).stat().st_mode & 0o077 == 0
