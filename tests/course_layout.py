"""Where the course's notebooks are: shared by the hygiene and grading tests."""

from pathlib import Path

from grader.kernel import NAME

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
# The course's kernel (grader/kernel.py, registered in .venv by `make install`): every
# notebook names it, and the suite executes every notebook on it, as students do.
KERNEL = NAME
# Where the course is published: the lectures' Colab and Binder links name it.
REPOSITORY = "dl-course/deep-learning-course"
SESSIONS = ("session1_basics", "session2_training", "session3_convnets", "session4_optim")


def notebooks():
    """Every notebook under course/, in session order."""
    return sorted(p for p in COURSE.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def lectures():
    """Every lecture notebook (the notebooks that are not assignments), in session order."""
    return [p for p in notebooks() if p not in assignments()]


def assignments():
    """The nbgrader source notebooks: one `assignmentN.ipynb` per session folder."""
    return sorted(COURSE.glob("session*/assignment*.ipynb"))
