"""Shared tools for the deep-learning course notebooks.

Everything here is *around* the lessons (setup, data, plots, checks); the lessons'
own code lives in the notebooks. Nothing here solves an assignment.
"""

import os
import sys

# TensorFlow reads its C++ log level once, when it is first imported: set it before
# any notebook imports TensorFlow, so that importing `helpers` first keeps the
# output clean. A value set by the user wins (TF_CPP_MIN_LOG_LEVEL=0 shows everything).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with file descriptor 2 silenced.

    At import, TensorFlow 2.21 prints start-up notes (oneDNN, CUDA stubs) straight to
    the process's stderr before its log level applies. Import errors still raise.
    """
    if "tensorflow" in sys.modules or os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0":
        return
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import tensorflow  # noqa: F401
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)


_import_tensorflow_quietly()

from helpers.budget import EpochBudget  # noqa: E402
from helpers.checks import (  # noqa: E402
    assert_close,
    assert_dtype,
    assert_shape,
    numerical_gradient,
    rel_error,
)
from helpers.datasets import (  # noqa: E402
    Splits,
    image_coordinates,
    load_mnist,
    noisy_sine,
    sample_image,
    split_arrays,
)
from helpers.device import configure_gpus, device_report  # noqa: E402
from helpers.notebook_setup import setup_notebook  # noqa: E402
from helpers.paths import output_dir  # noqa: E402
from helpers.profile import by_profile, current_profile  # noqa: E402

__all__ = [
    "EpochBudget",
    "Splits",
    "assert_close",
    "assert_dtype",
    "assert_shape",
    "by_profile",
    "configure_gpus",
    "current_profile",
    "device_report",
    "image_coordinates",
    "load_mnist",
    "noisy_sine",
    "numerical_gradient",
    "output_dir",
    "rel_error",
    "sample_image",
    "setup_notebook",
    "split_arrays",
]
