"""Session 3 benchmark: MNIST, the classic MLP against a CNN, and batch normalisation on/off.

    .venv/bin/python benchmarks/session3_convnets.py --profile full

Runs course/session3_convnets/02_mnist_mlp_vs_cnn.ipynb and 04_batch_normalisation.ipynb top to
bottom in fresh kernels and prints the `results` each notebook measured as Markdown tables.
Nothing is re-implemented here: the numbers come from the code students run.
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # works from any working directory
from notebook_results import ROOT, collect  # noqa: E402

SESSION = ROOT / "course" / "session3_convnets"
MNIST = SESSION / "02_mnist_mlp_vs_cnn.ipynb"
BATCH_NORM = SESSION / "04_batch_normalisation.ipynb"
BATCH_NORM_KEYS = ("target_accuracy", "bn_off_epochs_to_target", "bn_on_epochs_to_target",
                   "bn_off_seconds_to_target", "bn_on_seconds_to_target", "high_learning_rate",
                   "bn_off_high_lr_accuracy", "bn_on_high_lr_accuracy")


def mnist_table(results: dict) -> str:
    """Markdown rows: the MLP, the MLP with the CNN's recipe, the CNN; seconds, epochs, accuracy."""
    cnn_epochs = f"{results['cnn_epochs']}"
    if "cnn_planned_epochs" in results:
        cnn_epochs += f" of {results['cnn_planned_epochs']}"
    if "cnn_budget_seconds" in results:
        cnn_epochs += f" (budget {results['cnn_budget_seconds']} s)"
    rows = [("classic MLP: 784 → 300 ReLU → 10 softmax, gradient descent 0.5, batch 100",
             results["mlp_seconds"], f"{results.get('mlp_epochs', 10)}",
             results["mlp_test_accuracy"]),
            ("the same MLP with the CNN's recipe: augmentation, BN, dropout, Adam + cosine",
             results["mlp_with_recipe_seconds"], f"{results['mlp_with_recipe_epochs']}",
             results["mlp_with_recipe_test_accuracy"]),
            ("CNN: 2 × (5×5 conv, BN, ReLU, 2×2 max-pool), 32 and 64 filters, dense 256, "
             "dropout; augmentation, Adam + cosine schedule", results["cnn_seconds"], cnn_epochs,
             results["cnn_test_accuracy"])]
    lines = ["| model | training s | epochs | test accuracy | data |",
             "|---|---:|---:|---:|---|"]
    lines += [f"| {label} | {seconds:.1f} | {epochs} | {accuracy:.2%} | {results['data']} |"
              for label, seconds, epochs, accuracy in rows]
    return "\n".join(lines)


def _or_not_reached(value, unit: str = "") -> str:
    """A measured number, or "not reached" where the notebook stored None."""
    return "not reached" if value is None else f"{value:.1f}{unit}" if unit else f"{value}"


def batch_norm_table(results: dict) -> str:
    """Markdown rows: without and with BN, time to the target and accuracy at a high rate."""
    target, rate = results["target_accuracy"], results["high_learning_rate"]
    lines = [f"| network | epochs to {target:.0%} validation accuracy | seconds to {target:.0%} "
             f"| accuracy at learning rate {rate:g} |", "|---|---:|---:|---:|"]
    for label, key in (("without batch norm", "bn_off"), ("with batch norm", "bn_on")):
        lines.append(f"| {label} | {_or_not_reached(results[f'{key}_epochs_to_target'])} "
                     f"| {_or_not_reached(results[f'{key}_seconds_to_target'], ' s')} "
                     f"| {results[f'{key}_high_lr_accuracy']:.2%} |")
    return "\n".join(lines)


def batch_norm_section(profile: str) -> str:
    """The batch-norm table with its caption, or a line saying why it is not available."""
    if not BATCH_NORM.exists():
        return f"Batch normalisation: not available: {BATCH_NORM.relative_to(ROOT)} does not exist"
    try:
        results, seconds = collect(BATCH_NORM, profile)
    except (RuntimeError, ValueError) as error:  # a failing cell, or no readable `results`
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # tracebacks carry terminal colours
        lines = [line.strip() for line in text.splitlines() if line.strip()] or [repr(error)]
        reason = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"
        return f"Batch normalisation: not available: {reason}"
    missing = [key for key in BATCH_NORM_KEYS if key not in results]
    if missing:
        return f"Batch normalisation: not available: `results` lacks {', '.join(missing)}"
    return (f"Batch normalisation on/off ({BATCH_NORM.name}, whole notebook {seconds:.0f} s):\n\n"
            + batch_norm_table(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("smoke", "full"), default="full")
    args = parser.parse_args()

    mnist, mnist_s = collect(MNIST, args.profile)
    batch_norm = batch_norm_section(args.profile)

    print(f"## Session 3 benchmark ({args.profile} profile, "
          f"{mnist.get('device', 'device not reported')})\n")
    print(f"MNIST, classic MLP against a CNN ({MNIST.name}, whole notebook {mnist_s:.0f} s; "
          "test set used once, after training):\n")
    print(mnist_table(mnist) + "\n")
    print(batch_norm)


if __name__ == "__main__":
    main()
