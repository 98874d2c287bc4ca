"""The one call at the top of every notebook."""

import logging
import warnings

import keras
import tensorflow as tf

from helpers.device import configure_gpus, device_report, require_gpu
from helpers.profile import current_profile, gpu_required


def setup_notebook(seed: int = 0) -> None:
    """Prepare a notebook: quiet logs, GPU memory growth, seeds; print a one-line report.

    Args:
        seed: seeds Python's ``random``, NumPy and TensorFlow, so re-running a
            notebook gives the same numbers on the same machine.

    The report gives the TensorFlow version, the device, the profile and the seed.
    Nothing is returned, so the line is not echoed twice at the end of a cell. With
    ``COURSE_REQUIRE_GPU=1`` (`make test-gpu`) it raises unless work runs on a GPU.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    tf.get_logger().setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    configure_gpus()
    if gpu_required():
        require_gpu()
    keras.utils.set_random_seed(seed)
    print(f"TensorFlow {tf.__version__} | {device_report()} | "
          f"profile: {current_profile()} | seed: {seed}")
