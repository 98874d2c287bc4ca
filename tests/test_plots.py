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


def _gids(fig, prefix):
    return sorted(p.get_gid() for p in fig.axes[0].patches
                  if p.get_gid() and p.get_gid().startswith(prefix))


def _centre(fig, gid):
    box = next(p for p in fig.axes[0].patches if p.get_gid() == gid)
    return box.get_x() + box.get_width() / 2, box.get_y() + box.get_height() / 2


def test_draw_graph_draws_every_operation_and_one_arrow_per_input():
    import tensorflow as tf

    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        y = tf.compat.v1.placeholder(tf.float32, shape=(), name="y")
        with tf.name_scope("scope"):
            total = tf.add(x, y, name="total")
        square = tf.multiply(total, total, name="square")  # the same tensor read twice
        with tf.control_dependencies([square]):
            tf.identity(x, name="after")
    operations = graph.get_operations()
    fig = plots.draw_graph(graph, title="a graph")
    assert _gids(fig, "op:") == sorted(f"op:{op.name}" for op in operations)
    assert _gids(fig, "input:") == sorted(f"input:{tensor.name}->{op.name}"
                                          for op in operations for tensor in op.inputs)
    assert _gids(fig, "control:") == ["control:square->after"]
    texts = [text.get_text() for text in fig.axes[0].texts]
    assert {op.type for op in operations} <= set(texts) and "scope/total" in texts
    # laid out by depth: every arrow points down, from a higher row to a lower one
    for op in operations:
        for source in [tensor.op for tensor in op.inputs] + list(op.control_inputs):
            assert _centre(fig, f"op:{source.name}")[1] > _centre(fig, f"op:{op.name}")[1]
    assert fig.axes[0].get_title() == "a graph"


def test_draw_graph_reads_a_traced_function_and_rejects_an_empty_graph():
    import tensorflow as tf

    traced = tf.function(lambda a: 2.0 * a + 1.0).get_concrete_function(
        tf.TensorSpec([], tf.float32))
    fig = plots.draw_graph(traced.graph)
    assert len(_gids(fig, "op:")) == len(traced.graph.get_operations())
    with pytest.raises(ValueError, match="no operations"):
        plots.draw_graph(tf.Graph())


def test_draw_model_draws_a_box_per_layer_with_shapes_and_parameters():
    import keras

    sequential = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu"),
                                   keras.layers.Dense(3)], name="painter")
    inputs = keras.Input((5,))
    functional = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dense(6)(inputs)))
    convnet = keras.Sequential([keras.Input((8, 8, 1)),
                                keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
                                keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
                                keras.layers.Dense(10)])
    for model in (sequential, functional, convnet):
        layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
        fig = plots.draw_model(model)
        assert _gids(fig, "layer:") == sorted(f"layer:{layer.name}" for layer in layers)
        assert len(_gids(fig, "arrow:")) == len(layers)
        text = "\n".join(t.get_text() for t in fig.axes[0].texts)
        for layer in layers:
            shape = "(" + ", ".join(str(n) for n in layer.output.shape) + ")"
            assert f"{shape}, {layer.count_params():,} parameters" in text
        assert f"{model.count_params():,} parameters" in fig.axes[0].get_title()
    fig = plots.draw_model(sequential)
    first, last = (layer.name for layer in sequential.layers)
    assert _gids(fig, "arrow:") == sorted([f"arrow:input->{first}", f"arrow:{first}->{last}"])
    titles = [t.get_text() for t in fig.axes[0].texts]
    assert f"{first} (Dense, relu)" in titles and f"{last} (Dense)" in titles
    text = "\n".join(t.get_text() for t in plots.draw_model(convnet).axes[0].texts)
    assert "(None, 8, 8, 4), 40 parameters" in text and "(None, 64), 0 parameters" in text


def test_draw_model_rejects_unbuilt_and_branching_models():
    import keras

    with pytest.raises(ValueError, match="keras.Input"):
        plots.draw_model(keras.Sequential([keras.layers.Dense(3)]))
    inputs = keras.Input((4,))
    branched = keras.Model(inputs, keras.layers.Add()([inputs, keras.layers.Dense(4)(inputs)]))
    with pytest.raises(ValueError, match="linear stack"):
        plots.draw_model(branched)
