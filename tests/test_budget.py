"""helpers.EpochBudget: stops at the epoch limit or the time limit, whichever comes first."""

import time

import pytest

import helpers


def test_stops_at_the_epoch_limit():
    budget = helpers.EpochBudget(max_epochs=5, progress=False)
    assert list(budget) == [0, 1, 2, 3, 4]
    assert budget.epochs_done == 5 and budget.seconds >= 0


def test_stops_when_time_runs_out_and_finishes_the_epoch_under_way():
    budget = helpers.EpochBudget(max_epochs=10_000, max_seconds=0.2, progress=False)
    for _ in budget:
        time.sleep(0.05)
    # each epoch takes at least 0.05 s, so the limit is reached after 4 epochs at most
    assert 1 <= budget.epochs_done <= 4
    assert budget.seconds >= 0.2


def test_iterating_again_starts_afresh():
    budget = helpers.EpochBudget(max_epochs=3, progress=False)
    list(budget)
    assert list(budget) == [0, 1, 2] and budget.epochs_done == 3


def test_report_and_progress_bar(capsys):
    budget = helpers.EpochBudget(max_epochs=2, desc="fit")
    for epoch in budget:
        budget.report(loss=1.0 / (epoch + 1))
    assert "fit" in capsys.readouterr().err
    assert "2 of 2 epochs" in repr(budget)


@pytest.mark.parametrize("kwargs, message", [
    ({"max_epochs": 0}, "max_epochs"),
    ({"max_epochs": 2.5}, "max_epochs"),
    ({"max_epochs": 5, "max_seconds": 0}, "max_seconds"),
])
def test_bad_budgets(kwargs, message):
    with pytest.raises(ValueError, match=message):
        helpers.EpochBudget(**kwargs)
