"""Training budgets: loop over epochs until an epoch count or a time limit runs out."""

import time
from collections.abc import Iterator

from tqdm.auto import tqdm

_TIMED_BAR = "{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s [{elapsed}{postfix}]"


class EpochBudget:
    """Iterate over epoch numbers within a budget, with a progress bar.

    ``for epoch in EpochBudget(max_epochs=500, max_seconds=60):`` yields 0, 1, 2, ...
    and stops after ``max_epochs`` epochs or once ``max_seconds`` have passed,
    whichever comes first (the epoch under way when time runs out is finished).
    Afterwards ``epochs_done`` and ``seconds`` say how much was spent.

    Args:
        max_epochs: the most epochs to run (positive).
        max_seconds: the wall-clock limit, or None for no limit.
        desc: label of the progress bar; ``progress=False`` hides the bar.
    """

    def __init__(self, max_epochs: int, max_seconds: float | None = None,
                 desc: str = "training", progress: bool = True):
        if int(max_epochs) != max_epochs or max_epochs < 1:
            raise ValueError(f"max_epochs must be a positive integer, got {max_epochs!r}")
        if max_seconds is not None and not max_seconds > 0:
            raise ValueError(f"max_seconds must be positive or None, got {max_seconds!r}")
        self.max_epochs = int(max_epochs)
        self.max_seconds = max_seconds
        self.desc = desc
        self.progress = progress
        self.epochs_done = 0
        self.seconds = 0.0
        self._postfix = {}

    def __iter__(self) -> Iterator[int]:
        self.epochs_done, self.seconds = 0, 0.0
        # With a time limit the bar fills with seconds, otherwise with epochs, so that
        # it ends full whichever limit stops the training.
        timed = self.max_seconds is not None
        start = time.perf_counter()
        with tqdm(total=self.max_seconds if timed else self.max_epochs, desc=self.desc,
                  disable=not self.progress, unit="s" if timed else "epoch",
                  bar_format=_TIMED_BAR if timed else None) as bar:
            while self.epochs_done < self.max_epochs:
                if timed and self.seconds >= self.max_seconds:
                    break
                yield self.epochs_done
                self.epochs_done += 1
                elapsed = time.perf_counter() - start
                bar.update(min(elapsed, self.max_seconds) - bar.n if timed else 1)
                self.seconds = elapsed
                bar.set_postfix(epochs=self.epochs_done, **self._postfix, refresh=False)
            if timed:
                bar.update(bar.total - bar.n)  # stopped by the epoch limit: show it done

    def report(self, **values: float) -> None:
        """Show values (e.g. ``loss=0.12``) beside the progress bar."""
        self._postfix = {name: f"{float(value):.4g}" for name, value in values.items()}

    def __repr__(self) -> str:
        return (f"EpochBudget({self.epochs_done} of {self.max_epochs} epochs in "
                f"{self.seconds:.1f} s, limit {self.max_seconds} s)")
