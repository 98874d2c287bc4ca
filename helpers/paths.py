"""Where notebooks write what they generate (TensorBoard logs, saved models, figures)."""

import os
from pathlib import Path

ENV_VAR = "COURSE_OUTPUT_DIR"


def output_dir(*parts: str) -> Path:
    """A folder for generated files, created if needed, outside the course sources.

    It is ``$COURSE_OUTPUT_DIR`` when set, else ``outputs/`` at the repository root
    (git-ignored), e.g. ``output_dir("tensorboard", "session1")``.
    """
    if any(not part or Path(part).is_absolute() or ".." in Path(part).parts for part in parts):
        raise ValueError(f"output_dir takes relative folder names without '..', got {parts}")
    base = os.environ.get(ENV_VAR)
    if base:
        root = Path(base)
    else:
        repository = Path(__file__).resolve().parents[1]
        in_checkout = (repository / "course").is_dir()
        root = (repository if in_checkout else Path.cwd()) / "outputs"
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
