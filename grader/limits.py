"""How much time, memory and output one submission may use while it is graded."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-submission limits; the defaults suit this course's assignments on a laptop CPU.

    cell_seconds: a cell running longer is interrupted and scores 0.
    submission_seconds: the whole notebook's budget; cells not reached score 0.
    memory_bytes: address-space limit of the student's kernel (TensorFlow needs ~3 GB).
    output_bytes: output kept per cell; the rest is dropped with a notice.
    file_bytes: largest file the kernel may write.
    """

    cell_seconds: int = 600
    submission_seconds: int = 1800
    memory_bytes: int = 8 * 1024**3
    output_bytes: int = 1024**2
    file_bytes: int = 256 * 1024**2

    def __post_init__(self):
        for name, value in vars(self).items():
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive integer, got {value!r}")
        if self.cell_seconds > self.submission_seconds:
            raise ValueError(
                f"cell_seconds ({self.cell_seconds}) is longer than submission_seconds "
                f"({self.submission_seconds}); raise the submission limit or lower the cell one"
            )
