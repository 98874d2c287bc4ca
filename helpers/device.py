"""Which device TensorFlow computes on, and GPU settings that suit a shared machine."""

import tensorflow as tf


def configure_gpus() -> list:
    """Turn on memory growth for every visible GPU and return the GPUs.

    With memory growth TensorFlow takes GPU memory as it needs it instead of all of
    it at start-up, so several notebooks (or students) can share one GPU. It must
    run before TensorFlow first touches the GPU; later calls keep the existing
    setting, which is harmless.
    """
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            # The GPU is already initialised (e.g. the setup cell ran twice).
            pass
    return gpus


def device_report() -> str:
    """One line saying what TensorFlow will compute on, e.g. ``GPU: NVIDIA H100``."""
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU only (no GPU visible to TensorFlow)"
    names = []
    for gpu in gpus:
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
    return f"GPU: {', '.join(names)}"
