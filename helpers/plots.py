"""Plots the notebooks share: image grids, training curves, cost curves and surfaces.

Every function draws into a new Matplotlib figure and returns it.
"""

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np


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
