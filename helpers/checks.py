"""Checking utilities for public tests: errors that say what was expected and what came."""

import contextlib
import os
from collections.abc import Callable

import numpy as np

PUBLIC_SEED = 0  # hidden inputs in a student's own run; the grader draws one per student
# Set by the grader's test process: the channel to the student's process (see `forbidden`).
student_process = None


def _as_array(value, name: str) -> np.ndarray:
    """Convert NumPy arrays, TensorFlow tensors, lists and scalars to an ndarray."""
    if value is None:
        raise AssertionError(
            f"{name} is None: did the function forget to `return` its result?"
        )
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    try:
        return np.asarray(value)
    except Exception as error:  # e.g. ragged lists
        raise AssertionError(
            f"{name} could not be read as an array ({error}); return a NumPy array "
            "or a tensor."
        ) from error


def rel_error(x, y, eps: float = 1e-8) -> float:
    """Largest elementwise relative error ``|x - y| / max(eps, |x| + |y|)``.

    Around 1e-7 or less means "equal up to floating point" for float64 work;
    float32 work typically gives around 1e-6.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"rel_error needs equal shapes, got {x.shape} and {y.shape}")
    if x.size == 0:
        return 0.0
    return float(np.max(np.abs(x - y) / np.maximum(eps, np.abs(x) + np.abs(y))))


def numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of a scalar function at ``x``.

    Args:
        f: maps an array shaped like ``x`` to a scalar.
        x: the point, any shape; it is not modified.
        h: the step; 1e-5 suits float64.

    Returns:
        A float64 array shaped like ``x`` with ``(f(x + h e_i) - f(x - h e_i)) / 2h``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one array, got {type(f).__name__}")
    if h <= 0:
        raise ValueError(f"h must be positive, got {h}")
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array stays intact
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = float(f(x))
        x[index] = original - h
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def assert_shape(got, expected_shape, name: str = "result") -> None:
    """Fail with a clear message unless ``got`` has ``expected_shape``."""
    shape = _as_array(got, name).shape
    if tuple(shape) != tuple(expected_shape):
        raise AssertionError(
            f"{name} has shape {tuple(shape)}, expected {tuple(expected_shape)}."
        )


def assert_dtype(got, expected_dtype, name: str = "result") -> None:
    """Fail unless ``got`` has the expected dtype (anything ``np.dtype`` accepts)."""
    dtype = _as_array(got, name).dtype
    if hasattr(expected_dtype, "as_numpy_dtype"):  # a tf.DType
        expected_dtype = expected_dtype.as_numpy_dtype
    if dtype != np.dtype(expected_dtype):
        raise AssertionError(
            f"{name} has dtype {dtype}, expected {np.dtype(expected_dtype)}."
        )


def assert_close(got, expected, *, name: str = "result", rtol: float = 1e-5,
                 atol: float = 1e-8) -> None:
    """Fail with a teaching message unless ``got`` matches ``expected``.

    The message names the shape problem if there is one, otherwise the largest
    error and where it is, next to the expected and received values there.
    """
    got_array = _as_array(got, name)
    expected_array = np.asarray(expected)
    if got_array.shape != expected_array.shape:
        raise AssertionError(
            f"{name} has shape {got_array.shape}, expected {expected_array.shape}."
        )
    if not np.issubdtype(got_array.dtype, np.number) and got_array.dtype != bool:
        raise AssertionError(f"{name} should hold numbers, got dtype {got_array.dtype}.")
    got_float = got_array.astype(np.float64)
    expected_float = expected_array.astype(np.float64)
    if np.isnan(got_float).any() and not np.isnan(expected_float).any():
        raise AssertionError(f"{name} contains NaN; check for a division by zero or log(0).")
    if np.allclose(got_float, expected_float, rtol=rtol, atol=atol):
        return
    error = np.abs(got_float - expected_float)
    index = np.unravel_index(np.argmax(error), error.shape) if error.ndim else ()
    where = f" at index {tuple(int(i) for i in index)}" if index else ""
    raise AssertionError(
        f"{name} is not close to the expected value{where}: expected "
        f"{expected_float[index]:.6g}, got {got_float[index]:.6g} "
        f"(largest absolute error {error.max():.3g}; tolerance rtol={rtol}, atol={atol})."
    )


def hidden_rng(salt: int) -> np.random.Generator:
    """The random generator for a hidden test's inputs.

    In a student's own notebook it always gives the same numbers; when the grader runs
    the test it is seeded from the student's id and the course's secret, so each student
    gets other inputs and a regrade the same ones.
    """
    seed = int(os.environ.get("COURSE_HIDDEN_SEED", PUBLIC_SEED))
    return np.random.default_rng([salt, seed])


class HiddenTestFailed(AssertionError):
    """A hidden test failed; its message is the one the student's feedback shows."""


@contextlib.contextmanager
def hidden_case(message: str):
    """Wrap a hidden test: any failure inside becomes ``HiddenTestFailed(message)``.

    The feedback shows a hidden test's message and nothing else, so the message must
    teach without quoting the test's inputs or expected values (the checks inside may
    quote both). A crash of the student's code is named by its type only.
    """
    try:
        yield
    except AssertionError:
        raise HiddenTestFailed(message) from None
    except Exception as error:
        raise HiddenTestFailed(f"{message} (your code raised {type(error).__name__} on a "
                               "hidden case)") from None


@contextlib.contextmanager
def forbidden(owner, attribute: str, message: str):
    """Within the block, using ``owner.attribute`` raises AssertionError(message).

    E.g. ``with forbidden(tf, "GradientTape", "compute it by hand"):`` around a call of
    the student's function. When graded, the same holds in the student's process.
    """
    original = getattr(owner, attribute)

    def refuse(*args, **kwargs):
        raise AssertionError(message)

    path = f"{owner.__name__}.{attribute}"
    setattr(owner, attribute, refuse)
    if student_process is not None:
        student_process.forbid(path, message)
    try:
        yield
    finally:
        setattr(owner, attribute, original)
        if student_process is not None:
            student_process.allow(path)
