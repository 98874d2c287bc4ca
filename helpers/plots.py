"""Plots the notebooks share: image grids, curves, surfaces, and drawings of graphs and models.

Every function draws into a new Matplotlib figure and returns it.
"""

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch


def _images_array(images) -> np.ndarray:
    images = np.asarray(images.numpy() if hasattr(images, "numpy") else images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] not in (3, 4)):
        raise ValueError(
            "images must be shaped (n, H, W), (n, H, W, 1) or (n, H, W, 3), "
            f"got {images.shape}"
        )
    if len(images) == 0:
        raise ValueError("images is empty: there is nothing to show")
    return images


def montage(images, padding: int = 1, fill: float = 1.0) -> np.ndarray:
    """Tile (n, H, W[, C]) images into one square-ish image, separated by ``padding``."""
    from skimage.util import montage as skimage_montage

    images = _images_array(images).astype(np.float32)
    if padding:
        pad = [(0, 0), (padding, padding), (padding, padding)] + [(0, 0)] * (images.ndim - 3)
        images = np.pad(images, pad, constant_values=fill)
    if images.ndim == 4:
        return skimage_montage(images, fill=(fill,) * images.shape[-1], channel_axis=-1)
    return skimage_montage(images, fill=fill)


def show_images(images, titles: Sequence[str] | None = None, ncols: int = 8,
                cmap: str = "gray", size: float = 1.5, suptitle: str | None = None):
    """Show (n, H, W[, C]) images in a grid, each with an optional title."""
    images = _images_array(images)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(titles)} titles for {len(images)} images")
    ncols = max(1, min(ncols, len(images)))
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.3),
                             squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < len(images):
            ax.imshow(images[index], cmap=cmap if images.ndim == 3 else None)
            if titles is not None:
                ax.set_title(titles[index], fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def plot_history(history, metrics: Sequence[str] | None = None):
    """Training curves from a Keras ``History`` or a dict of per-epoch lists.

    Each metric gets its own panel; its ``val_`` twin, if present, is drawn beside it.
    """
    logs: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(logs, Mapping) or not logs:
        raise ValueError("history must be a Keras History or a non-empty dict of lists")
    if metrics is None:
        metrics = [name for name in logs if not name.startswith("val_")]
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise ValueError(f"no metric named {missing} in the history; it has {list(logs)}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
    for ax, name in zip(axes.flat, metrics, strict=True):
        epochs = np.arange(1, len(logs[name]) + 1)
        ax.plot(epochs, logs[name], label="train")
        if f"val_{name}" in logs:
            ax.plot(epochs, logs[f"val_{name}"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_title(name)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_cost_curve(cost: Callable, xs, path=None, title: str = "cost"):
    """Plot a 1-D cost function over ``xs`` and, optionally, the points of a descent path."""
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 1 or xs.size < 2:
        raise ValueError(f"xs must be a 1-D grid of at least 2 points, got shape {xs.shape}")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(xs, [float(cost(x)) for x in xs], label=title)
    if path is not None:
        path = np.asarray(path, dtype=np.float64)
        ax.plot(path, [float(cost(x)) for x in path], "o-", ms=3, label="descent path")
    ax.set_xlabel("x")
    ax.set_ylabel(title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_cost_surface(cost: Callable, xlim=(-1, 1), ylim=(-1, 1), path=None,
                      resolution: int = 100, levels: int = 30, title: str = "cost"):
    """Contour plot of a 2-D cost ``cost(x, y)`` (vectorised over arrays) with an optional path.

    Args:
        path: optional (steps, 2) array of points visited by an optimiser.
    """
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    x, y = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    z = np.asarray(cost(x, y), dtype=np.float64)
    if z.shape != x.shape:
        raise ValueError(f"cost(x, y) must work elementwise on arrays; got shape {z.shape}")
    fig, ax = plt.subplots(figsize=(5, 4.2))
    contour = ax.contourf(x, y, z, levels=levels, cmap="viridis")
    fig.colorbar(contour, ax=ax, label=title)
    if path is not None:
        path = np.asarray(path, dtype=np.float64)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"path must be shaped (steps, 2), got {path.shape}")
        ax.plot(path[:, 0], path[:, 1], "w.-", ms=4)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    fig.tight_layout()
    return fig


def plot_curves(curves: Mapping[str, tuple], xlabel: str = "epoch", ylabel: str = "loss",
                title: str | None = None, logy: bool = False):
    """Overlay several runs in one panel: ``{"adam": (steps, losses), "sgd": (steps, losses)}``.

    Each value is ``(x, y)``, or just ``y`` (then x counts from 1).
    """
    if not curves:
        raise ValueError("curves is empty: pass a dict of label -> (x, y)")
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for label, curve in curves.items():
        if isinstance(curve, tuple) and len(curve) == 2:
            x, y = (np.asarray(part, dtype=np.float64) for part in curve)
        else:
            y = np.asarray(curve, dtype=np.float64)
            x = np.arange(1, len(y) + 1)
        if x.shape != y.shape:
            raise ValueError(f"run {label!r}: x has shape {x.shape} but y has {y.shape}")
        ax.plot(x, y, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_confusion_matrix(labels, predictions, class_names: Sequence[str] | None = None,
                          title: str = "confusion matrix"):
    """Counts of (true class, predicted class) as a heat map with the numbers written in.

    Args:
        labels, predictions: integer class ids shaped (n,).
        class_names: one name per class; defaults to the ids.
    """
    labels = np.asarray(labels).astype(int).ravel()
    predictions = np.asarray(predictions).astype(int).ravel()
    if labels.shape != predictions.shape or labels.size == 0:
        raise ValueError(f"labels and predictions need the same non-zero length, got "
                         f"{labels.shape} and {predictions.shape}")
    n_classes = int(max(labels.max(), predictions.max())) + 1
    if class_names is not None:
        if len(class_names) < n_classes:
            raise ValueError(f"{len(class_names)} class names for {n_classes} classes")
        n_classes = len(class_names)
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (labels, predictions), 1)
    names = class_names or [str(i) for i in range(n_classes)]
    fig, ax = plt.subplots(figsize=(0.45 * n_classes + 2, 0.45 * n_classes + 1.6))
    ax.imshow(counts, cmap="Blues")
    for (row, col), count in np.ndenumerate(counts):
        if count:
            ax.text(col, row, count, ha="center", va="center", fontsize=7,
                    color="white" if count > counts.max() / 2 else "black")
    ax.set_xticks(range(n_classes), names)
    ax.set_yticks(range(n_classes), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    return fig


# Boxes and arrows: the drawings of graphs and models below share these.
_SOURCE_COLOUR, _NODE_COLOUR = "#d9f0d3", "#deebf7"
_HALF_WIDTH, _HALF_HEIGHT = 0.44, 0.3  # a box's half extent, in units of one column and one row


def _boxes_figure(n_rows: int, n_columns: int, label_chars: int, fontsize: float,
                  row_inches: float = 0.9):
    """An empty figure of n_rows x n_columns cells, each wide enough for a label of that length.

    Cell (row r, position c) has its centre at data coordinates (c, -r); columns are centred.
    """
    column_inches = max(1.2, label_chars * fontsize * 0.68 / 72 + 0.4)
    fig, ax = plt.subplots(figsize=(column_inches * n_columns, row_inches * n_rows + 0.4))
    ax.set_xlim(-n_columns / 2, n_columns / 2)
    ax.set_ylim(-n_rows + 0.5, 0.5)
    ax.axis("off")
    return fig, ax


def _draw_box(ax, x: float, y: float, lines: Sequence[str], colour: str, gid: str,
              fontsize: float, n_bold: int = 1):
    """A rounded box centred at (x, y) with one text line per entry, the first `n_bold` bold."""
    ax.add_patch(FancyBboxPatch((x - _HALF_WIDTH, y - _HALF_HEIGHT), 2 * _HALF_WIDTH,
                                2 * _HALF_HEIGHT, boxstyle="round,pad=0,rounding_size=0.06",
                                facecolor=colour, edgecolor="0.3", zorder=2, gid=gid))
    spacing = 2 * _HALF_HEIGHT / (len(lines) + 1)
    for index, line in enumerate(lines):
        ax.text(x, y + _HALF_HEIGHT - spacing * (index + 1), line, ha="center", va="center",
                fontsize=fontsize, zorder=3, fontweight="bold" if index < n_bold else "normal",
                color="black" if index < n_bold else "0.25")


def _draw_arrow(ax, start, end, gid: str, bend: float = 0.0, dashed: bool = False):
    """An arrow from the edge of the box centred at `start` to the edge of the one at `end`."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    # Where the line between the centres leaves a box: scale it to the nearer box edge.
    reach = min(_HALF_WIDTH / abs(dx) if dx else np.inf, _HALF_HEIGHT / abs(dy) if dy else np.inf)
    ax.add_patch(FancyArrowPatch((x0 + reach * dx, y0 + reach * dy),
                                 (x1 - reach * dx, y1 - reach * dy),
                                 arrowstyle="-|>", mutation_scale=11, shrinkA=0, shrinkB=0,
                                 connectionstyle=f"arc3,rad={bend}", linestyle="--" if dashed
                                 else "-", color="0.35", lw=1.0, zorder=1, gid=gid))


def _wrap_name(name: str, width: int = 20) -> list[str]:
    """An operation's name on one line, or on two (scope, then own name) when it is long."""
    scope, slash, own = name.rpartition("/")
    return [name] if len(name) <= width or not slash else [scope + slash, own]


def draw_graph(graph, title: str | None = None, fontsize: float = 8):
    """Draw a ``tf.Graph`` from its own operations: one box per operation, one arrow per input.

    Each box shows an operation's name (bold; a long one is split after its scope) and its type;
    green boxes have no inputs (placeholders, constants, variable handles), blue ones compute.
    An arrow runs from the operation that makes a tensor to each operation that reads it, one
    per input tensor; control dependencies (``op.control_inputs``) are dashed arrows.
    Operations are laid out by depth, top to bottom: each sits one row below the deepest
    operation it depends on, so data flows downwards. Matplotlib only, no Graphviz; best for
    graphs of up to a few dozen operations.

    Args:
        graph: a ``tf.Graph``, e.g. ``concrete_function.graph``.

    The drawn patches carry gids: ``"op:<name>"`` for a box, ``"input:<tensor>-><op>"`` for a
    data arrow and ``"control:<op>-><op>"`` for a control arrow, so tests can read the drawing.
    """
    operations = list(graph.get_operations())
    if not operations:
        raise ValueError("the graph has no operations to draw")
    depth, rows = {}, {}
    edges = []  # (source op name, target op name, gid, dashed)
    for op in operations:  # a graph lists every operation after its inputs
        sources = [(tensor.op.name, f"input:{tensor.name}->{op.name}", False)
                   for tensor in op.inputs]
        sources += [(control.name, f"control:{control.name}->{op.name}", True)
                    for control in op.control_inputs]
        edges += [(source, op.name, gid, dashed) for source, gid, dashed in sources]
        known = [depth[source] for source, _, _ in sources if source in depth]
        depth[op.name] = 1 + max(known, default=-1)
        rows.setdefault(depth[op.name], []).append(op.name)
    # Within a row, order operations by the mean position of their sources (fewer crossings).
    position = {}

    def mean_source_position(name):
        sources = [position[s] for s, t, _, _ in edges if t == name and s in position]
        return float(np.mean(sources)) if sources else 0.0

    for row in sorted(rows):
        ordered = sorted(rows[row], key=mean_source_position) if row else rows[row]
        for index, name in enumerate(ordered):
            position[name] = index - (len(ordered) - 1) / 2
    name_lines = {op.name: _wrap_name(op.name) for op in operations}
    labels = {op.name: [*name_lines[op.name], op.type] for op in operations}
    longest = max(len(line) for lines in labels.values() for line in lines)
    fig, ax = _boxes_figure(len(rows), max(len(row) for row in rows.values()), longest, fontsize)
    centre = {name: (position[name], -depth[name]) for name in depth}
    has_inputs = {target for _, target, _, _ in edges}
    for op in operations:
        colour = _NODE_COLOUR if op.name in has_inputs else _SOURCE_COLOUR
        _draw_box(ax, *centre[op.name], labels[op.name], colour, f"op:{op.name}", fontsize,
                  n_bold=len(name_lines[op.name]))
    # Several arrows between the same two operations bend apart so that each stays visible.
    pairs = [(source, target) for source, target, _, _ in edges]
    drawn = {}
    for source, target, gid, dashed in edges:
        count, index = pairs.count((source, target)), drawn.get((source, target), 0)
        drawn[(source, target)] = index + 1
        bend = 0.0 if count == 1 else 0.5 * (index - (count - 1) / 2)
        _draw_arrow(ax, centre[source], centre[target], gid, bend, dashed)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def _linear_stack(model) -> list:
    """The layers of a Keras model whose layers form one chain, input to output, in order."""
    if not getattr(model, "built", False) or not getattr(model, "inputs", None):
        raise ValueError(f"model {model.name!r} has no inputs yet: start it with "
                         "keras.Input(shape=...) or build it before drawing it")
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(f"draw_model draws a linear stack of layers; model {model.name!r} has "
                         f"{len(model.inputs)} inputs and {len(model.outputs)} outputs")
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    previous = model.inputs[0]
    for layer in layers:
        try:
            layer_input = layer.input
        except (AttributeError, ValueError) as error:
            raise ValueError(f"layer {layer.name!r} is not called exactly once: {error}") from None
        if layer_input is not previous:
            raise ValueError(f"draw_model draws a linear stack of layers; layer {layer.name!r} "
                             "does not read the output of the layer before it")
        previous = layer.output
    if previous is not model.outputs[0]:
        raise ValueError(f"the last layer's output is not model {model.name!r}'s output")
    return layers


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(length) for length in shape) + ")"


def draw_model(model, title: str | None = None, fontsize: float = 8):
    """Draw a Keras model whose layers form one chain: a box per layer, an arrow between each.

    Works for ``keras.Sequential`` models that start with ``keras.Input`` (or were built) and for
    functional models with one input, one output and no branches. The top box is the input
    with its shape; every layer's box shows its name and class (and activation, if it has one),
    its output shape as ``model.summary()`` prints it (None is the batch axis) and its number of
    parameters. The title gives the model's total.

    The drawn patches carry gids: ``"input"`` and ``"layer:<name>"`` for the boxes,
    ``"arrow:<from>-><to>"`` for the arrows.
    """
    layers = _linear_stack(model)
    boxes = [("input", [f"input {_shape_text(model.inputs[0].shape)}"])]
    for layer in layers:
        kind = type(layer).__name__
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        if activation and activation != "linear":
            kind += f", {activation}"
        boxes.append((f"layer:{layer.name}", [
            f"{layer.name} ({kind})",
            f"{_shape_text(layer.output.shape)}, {layer.count_params():,} parameters"]))
    longest = max(len(line) for _, lines in boxes for line in lines)
    fig, ax = _boxes_figure(len(boxes), 1, longest, fontsize, row_inches=0.75)
    for row, (gid, lines) in enumerate(boxes):
        colour = _SOURCE_COLOUR if row == 0 else _NODE_COLOUR
        _draw_box(ax, 0.0, -row, lines, colour, gid, fontsize)
    for row in range(1, len(boxes)):
        names = [gid.split(":", 1)[-1] for gid, _ in boxes[row - 1:row + 1]]
        _draw_arrow(ax, (0.0, 1 - row), (0.0, -row), f"arrow:{names[0]}->{names[1]}")
    ax.set_title(title or f"{model.name}: {model.count_params():,} parameters", fontsize=10)
    fig.tight_layout()
    return fig
