"""The one call at the top of every notebook."""

import logging
import warnings

import keras
import tensorflow as tf

from helpers.device import configure_gpus, device_report
from helpers.profile import current_profile


def setup_notebook(seed: int = 0, *, verbose: bool = True) -> str:
    """Prepare a notebook: quiet logs, GPU memory growth, seeds; report the device.

    Args:
        seed: seeds Python's ``random``, NumPy and TensorFlow, so re-running a
            notebook gives the same numbers on the same machine.
        verbose: print the one-line report.

    Returns:
        The report line: TensorFlow version, device, profile and seed.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    tf.get_logger().setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    configure_gpus()
    keras.utils.set_random_seed(seed)
    report = (
        f"TensorFlow {tf.__version__} | {device_report()} | "
        f"profile: {current_profile()} | seed: {seed}"
    )
    if verbose:
        print(report)
    return report
