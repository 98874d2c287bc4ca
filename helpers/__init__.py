"""Shared tools for the deep-learning course notebooks.

Everything here is *around* the lessons (setup, data, plots, checks); the lessons'
own code lives in the notebooks. Nothing here solves an assignment.
"""

import os

# TensorFlow reads its C++ log level once, when it is first imported: set it before
# any notebook imports TensorFlow, so that importing `helpers` first keeps the
# output clean. A value set by the user wins.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from helpers.checks import (  # noqa: E402
    assert_close,
    assert_dtype,
    assert_shape,
    numerical_gradient,
    rel_error,
)
from helpers.datasets import (  # noqa: E402
    Splits,
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
    "Splits",
    "assert_close",
    "assert_dtype",
    "assert_shape",
    "by_profile",
    "configure_gpus",
    "current_profile",
    "device_report",
    "load_mnist",
    "noisy_sine",
    "numerical_gradient",
    "output_dir",
    "rel_error",
    "sample_image",
    "setup_notebook",
    "split_arrays",
]
