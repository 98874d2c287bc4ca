"""How the suite is shared between pytest-xdist workers.

Each notebook runs in one worker (its cells in order, in one kernel), as does each test
file, except two whose assignments are independent: in the grading round trip and in the
other answers to the exercises, each assignment is a group of its own so that they spread
over the workers. The longest groups start first, so
that no worker is left with a long one at the end while the other waits.
The environment of the run (a home of its own, the GPU requirement) is set by
tests/suite_environment.py.
"""

import re

import pytest
from xdist.scheduler import LoadFileScheduling

pytest_plugins = ["tests.suite_environment"]  # a temporary home; COURSE_REQUIRE_GPU

ROUND_TRIP = "tests/test_grading_roundtrip.py"
ANSWERS = "tests/test_assignment_answers.py"
# The slowest groups, slowest first (seconds on a 2-core CI machine, see --durations).
SLOWEST_FIRST = (ROUND_TRIP, "tests/test_grading_batch.py", "tests/test_browser.py",
                 "tests/test_grading_cli.py",
                 "course/session4_optim/05_fair_comparison.ipynb",
                 "course/session3_convnets/assignment3.ipynb",
                 "course/session3_convnets/02_mnist_mlp_vs_cnn.ipynb")


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _rank(nodeid: str) -> int:
    path = _file(nodeid)
    return SLOWEST_FIRST.index(path) if path in SLOWEST_FIRST else len(SLOWEST_FIRST)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: _rank(item.nodeid))  # stable: cells keep their order


class _Scheduling(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        path = _file(nodeid)
        if path == ROUND_TRIP and nodeid.endswith("]"):  # one group per assignment
            return path + "[" + nodeid.rsplit("[", 1)[1]
        assignment = re.search(r"answers\.(assignment\d+)", nodeid) if path == ANSWERS else None
        return f"{path}[{assignment[1]}]" if assignment else path


@pytest.hookimpl(optionalhook=True)  # also when run with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    return _Scheduling(config, log)
