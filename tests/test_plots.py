"""helpers.plots: each plot draws what it is given and rejects what it cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_montage_tiles_grey_and_colour_images():
    grey = plots.montage(np.zeros((5, 8, 8)), padding=1)
    assert grey.shape == (30, 30)  # 3 x 3 tiles of 10 pixels
    colour = plots.montage(np.zeros((4, 8, 8, 3)), padding=0)
    assert colour.shape == (16, 16, 3)
    assert plots.montage(np.zeros((4, 8, 8, 1))).shape == (20, 20)


@pytest.mark.parametrize("shape", [(8, 8), (2, 8, 8, 2), (0, 8, 8)])
def test_montage_rejects_what_is_not_a_batch_of_images(shape):
    with pytest.raises(ValueError, match="images"):
        plots.montage(np.zeros(shape))


def test_show_images_makes_one_axis_per_slot_with_titles():
    fig = plots.show_images(np.zeros((5, 4, 4)), titles=list("abcde"), ncols=3)
    assert len(fig.axes) == 6
    assert [ax.get_title() for ax in fig.axes[:5]] == list("abcde")
    with pytest.raises(ValueError, match="2 titles for 5 images"):
        plots.show_images(np.zeros((5, 4, 4)), titles=["a", "b"])


def test_plot_history_draws_train_and_validation():
    fig = plots.plot_history({"loss": [3, 2, 1], "val_loss": [3, 2.5, 2], "acc": [0.1, 0.5, 0.9]})
    assert [ax.get_title() for ax in fig.axes] == ["loss", "acc"]
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 1
    with pytest.raises(ValueError, match="no metric named"):
        plots.plot_history({"loss": [1]}, metrics=["accuracy"])
    with pytest.raises(ValueError, match="non-empty"):
        plots.plot_history({})


def test_cost_curve_and_surface_draw_the_path():
    fig = plots.plot_cost_curve(np.square, np.linspace(-1, 1, 21), path=[1.0, 0.5, 0.25])
    line, path = fig.axes[0].lines
    np.testing.assert_allclose(path.get_ydata(), [1.0, 0.25, 0.0625])
    fig = plots.plot_cost_surface(lambda x, y: x**2 + y**2, path=[[0.5, 0.5], [0.1, 0.1]])
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xdata(), [0.5, 0.1])


def test_cost_plots_bad_input():
    with pytest.raises(ValueError, match="1-D grid"):
        plots.plot_cost_curve(np.square, [0.0])
    with pytest.raises(ValueError, match="elementwise"):
        plots.plot_cost_surface(lambda x, y: 0.0)
    with pytest.raises(ValueError, match=r"\(steps, 2\)"):
        plots.plot_cost_surface(lambda x, y: x + y, path=[1, 2, 3])


def test_plot_curves_overlays_runs_with_or_without_x():
    fig = plots.plot_curves({"a": ([0, 1, 2], [3, 2, 1]), "b": [4, 3]}, logy=True)
    first, second = fig.axes[0].lines
    np.testing.assert_array_equal(first.get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(second.get_xdata(), [1, 2])
    assert fig.axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="x has shape"):
        plots.plot_curves({"a": ([0, 1], [1, 2, 3])})
    with pytest.raises(ValueError, match="empty"):
        plots.plot_curves({})


def test_confusion_matrix_counts_pairs():
    fig = plots.plot_confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0])
    counts = fig.axes[0].images[0].get_array()
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    fig = plots.plot_confusion_matrix([0, 1], [0, 1], class_names=list("abcd"))
    assert fig.axes[0].images[0].get_array().shape == (4, 4)
    with pytest.raises(ValueError, match="same non-zero length"):
        plots.plot_confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="2 class names for 3 classes"):
        plots.plot_confusion_matrix([0, 2], [0, 1], class_names=["a", "b"])
