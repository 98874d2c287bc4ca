"""Which device TensorFlow computes on, and GPU settings that suit a shared machine."""

import tensorflow as tf

from helpers.profile import REQUIRE_GPU


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


def require_gpu() -> str:
    """Check that TensorFlow sees a GPU and places work on it; return the op's device.

    Raises:
        RuntimeError: no GPU is visible, or a matrix product ran elsewhere; the message
            says what was found and what to do.
    """
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        built = "a CUDA build" if tf.test.is_built_with_cuda() else "a build without CUDA"
        raise RuntimeError(
            f"{REQUIRE_GPU}=1 but TensorFlow {tf.__version__} ({built}) sees no GPU. "
            "On a machine with an NVIDIA GPU check that `nvidia-smi` works and that "
            "tensorflow[and-cuda] is installed (`make install` picks it when nvidia-smi "
            f"works); to run on the CPU, unset {REQUIRE_GPU} (e.g. `make test`).")
    product = tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64)))
    if "GPU" not in product.device:
        raise RuntimeError(f"TensorFlow sees {len(gpus)} GPU(s) but placed a matrix product "
                           f"on {product.device}: is a device scope or "
                           "CUDA_VISIBLE_DEVICES hiding the GPU?")
    return product.device
