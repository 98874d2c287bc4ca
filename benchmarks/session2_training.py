"""Session 2 benchmark: image painting (classic vs Fourier features) and eager vs compiled steps.

    .venv/bin/python benchmarks/session2_training.py --profile full

Runs course/session2_training/04_inpainting.ipynb and 03_deep_networks.ipynb top to bottom in
fresh kernels and prints the `results` each notebook measured as Markdown tables. Nothing is
re-implemented here: the numbers come from the code students run.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # works from any working directory
from notebook_results import ROOT, collect  # noqa: E402

SESSION = ROOT / "course" / "session2_training"
INPAINTING = SESSION / "04_inpainting.ipynb"
DEEP_NETWORKS = SESSION / "03_deep_networks.ipynb"


def inpainting_table(results: dict) -> str:
    """Markdown rows: one per model, with training seconds, epochs, L1 cost and PSNR."""
    models = [("classic: (row, col) → 6 ReLU layers of 64, batch 50", "classic"),
              ("control: scaled (row, col) → 3 ReLU layers of 256, batch 256", "raw"),
              (f"Fourier features: σ = {results['fourier_sigma']:g}, 3 ReLU layers of 256, "
               "batch 256", "fourier")]
    lines = ["| model | training s | epochs | L1 cost (0–255) | PSNR dB |",
             "|---|---:|---:|---:|---:|"]
    for label, key in models:
        lines.append(f"| {label} | {results[f'{key}_seconds']:.1f} | {results[f'{key}_epochs']} "
                     f"| {results[f'{key}_l1']:.1f} | {results[f'{key}_psnr']:.2f} |")
    return "\n".join(lines)


def sigma_table(results: dict) -> str:
    """Markdown rows: PSNR on training and held-out pixels for each Fourier scale σ."""
    lines = ["| σ (trained on 1 pixel in 4) | PSNR training pixels dB | PSNR held-out pixels dB |",
             "|---:|---:|---:|"]
    for sigma, scan in results["sigma_scan"].items():
        lines.append(f"| {sigma} | {scan['train_psnr']:.1f} | {scan['heldout_psnr']:.1f} |")
    return "\n".join(lines)


def speed_table(results: dict) -> str:
    """Markdown rows: milliseconds per training step, eager vs compiled, and the speed-ups."""
    rows = [("eager, one Python call per operation", results["eager_step_ms"], 1.0),
            ("tf.function, one call per step", results["compiled_step_ms"], results["speedup"]),
            ("tf.function, one call per epoch", results["epoch_step_ms"],
             results["epoch_speedup"])]
    lines = [f"| training step (classic net, batch {results['batch_size']}) | ms per step "
             "| speed-up vs eager |", "|---|---:|---:|"]
    lines += [f"| {label} | {ms:.3f} | {speedup:.1f}x |" for label, ms, speedup in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("smoke", "full"), default="full")
    args = parser.parse_args()

    painting, painting_s = collect(INPAINTING, args.profile)
    speed, speed_s = collect(DEEP_NETWORKS, args.profile)

    print(f"## Session 2 benchmark ({args.profile} profile, {painting['device']})\n")
    print(f"Image painting, 64×64 astronaut ({INPAINTING.name}, whole notebook "
          f"{painting_s:.0f} s):\n")
    print(inpainting_table(painting) + "\n")
    print(sigma_table(painting) + "\n")
    print(f"Eager vs compiled training step ({DEEP_NETWORKS.name}, whole notebook "
          f"{speed_s:.0f} s; {speed['ops_per_step']} operations per step):\n")
    print(speed_table(speed))


if __name__ == "__main__":
    main()
