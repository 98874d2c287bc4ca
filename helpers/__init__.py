"""Shared tools for the deep-learning course notebooks.

Everything here is *around* the lessons (setup, data, plots, checks); the lessons'
own code lives in the notebooks. Nothing here solves an assignment.

The public names below are imported on first use, so that tools which need no
TensorFlow (the `grader` package) start quickly. In a notebook kernel,
importing `helpers` also imports TensorFlow right away, quietly (see below).
"""

import importlib
import os
import sys

# TensorFlow reads its C++ log level once, when it is first imported: set it before
# any notebook imports TensorFlow, so that importing `helpers` first keeps the
# output clean. A value set by the user wins (TF_CPP_MIN_LOG_LEVEL=0 shows everything).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_HOME = {
    "EpochBudget": "budget",
    "LinearProbe": "probes",
    "Splits": "datasets",
    "assert_close": "checks",
    "assert_dtype": "checks",
    "assert_shape": "checks",
    "by_profile": "profile",
    "configure_gpus": "device",
    "current_profile": "profile",
    "device_report": "device",
    "forbidden": "checks",
    "hidden_case": "checks",
    "hidden_rng": "checks",
    "image_coordinates": "datasets",
    "load_mnist": "datasets",
    "noisy_sine": "datasets",
    "numerical_gradient": "checks",
    "output_dir": "paths",
    "rel_error": "checks",
    "sample_image": "datasets",
    "setup_notebook": "notebook_setup",
    "split_arrays": "datasets",
}
__all__ = sorted(_HOME)


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


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    _import_tensorflow_quietly()
    value = getattr(importlib.import_module(f"helpers.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


# Every notebook imports `helpers` first and TensorFlow on the next line.
if "ipykernel" in sys.modules:
    _import_tensorflow_quietly()
