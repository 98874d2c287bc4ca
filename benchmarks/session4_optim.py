"""Session 4 benchmark: optimizers on test functions and a real network, and momentum's rates.

    .venv/bin/python benchmarks/session4_optim.py --profile full

Runs course/session4_optim/02_optimizers_from_scratch.ipynb, 03_why_momentum_works.ipynb,
05_fair_comparison.ipynb and 06_easy_to_optimise.ipynb top to bottom in fresh kernels and prints
the `results` each notebook measured as Markdown tables. Nothing is re-implemented here: the
numbers come from the code students run. A notebook that is missing or fails gives a "not
available" line, not a crash.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # works from any working directory
from notebook_results import ROOT, collect  # noqa: E402

SESSION = ROOT / "course" / "session4_optim"
FROM_SCRATCH = SESSION / "02_optimizers_from_scratch.ipynb"
MOMENTUM = SESSION / "03_why_momentum_works.ipynb"
FAIR_COMPARISON = SESSION / "05_fair_comparison.ipynb"
EASY_TO_OPTIMISE = SESSION / "06_easy_to_optimise.ipynb"
PROBLEM_ORDER = ("quadratic", "rosenbrock")  # shown first; other problems follow


def collect_or_reason(notebook: Path, profile: str) -> tuple[dict | None, float, str]:
    """The notebook's `results`, the wall seconds of its run, and why it failed ('' if not)."""
    if not notebook.exists():
        return None, 0.0, f"{notebook.relative_to(ROOT)} does not exist yet"
    start = time.perf_counter()
    try:
        results, seconds = collect(notebook, profile)
    except Exception as error:  # a failing notebook must not hide the other tables
        reason = " ".join(str(error).split())
        return None, time.perf_counter() - start, reason[:300]
    return results, seconds, ""


def from_scratch_table(results: dict) -> str:
    """Markdown rows: per optimizer, its final loss on each test problem and its error vs Keras."""
    final_loss, errors = results["final_loss"], results["max_rel_error"]
    problems = [p for p in PROBLEM_ORDER if p in final_loss]
    problems += [p for p in final_loss if p not in problems]
    names = list(errors) + [n for p in problems for n in final_loss[p] if n not in errors]
    names = list(dict.fromkeys(names))  # keep the first order, drop repeats
    lines = ["| optimizer | " + " | ".join(f"{p} final loss" for p in problems)
             + " | max rel. error vs Keras |", "|---|" + "---:|" * (len(problems) + 1)]
    for name in names:
        losses = [f"{final_loss[p][name]:.3g}" if name in final_loss[p] else "–"
                  for p in problems]
        error = f"{errors[name]:.1e}" if name in errors else "–"
        lines.append(f"| {name} | " + " | ".join(losses) + f" | {error} |")
    return "\n".join(lines)


def network_table(results: dict) -> str:
    """Markdown rows: per optimizer, its tuned rate, final loss, validation accuracy, seconds."""
    lines = [f"{results['network']}, {results['epochs']} epochs, each optimizer at the learning "
             "rate its own validation sweep chose:\n",
             "| optimizer | learning rate | final training loss | validation accuracy | seconds |",
             "|---|---:|---:|---:|---:|"]
    for name, row in results["optimizers"].items():
        lines.append(f"| {name} | {row['learning_rate']:g} | {row['final_loss']:.4f} "
                     f"| {row['val_accuracy']:.4f} | {row['seconds']:.1f} |")
    return "\n".join(lines)


def seeds_table(results: dict) -> str:
    """Markdown rows: the two leaders' validation accuracy at each seed the notebook ran."""
    lines = ["| optimizer | validation accuracy per seed |", "|---|---|"]
    for name, accuracies in results["seeds"].items():
        lines.append(f"| {name} | " + ", ".join(f"{a:.4f}" for a in accuracies) + " |")
    return "\n".join(lines)


def rates_table(results: dict) -> str:
    """Markdown rows: predicted vs measured convergence rate per setting, and their gap."""
    lines = ["| setting | predicted rate | measured rate | relative gap |", "|---|---:|---:|---:|"]
    for name, rate in results["rates"].items():
        gap = abs(rate["measured"] - rate["predicted"]) / abs(rate["predicted"])
        lines.append(f"| {name} | {rate['predicted']:.5f} | {rate['measured']:.5f} "
                     f"| {gap:.1e} |")
    return "\n".join(lines)


def _loss(value) -> str:
    """A final loss for a table; None stands for a run that ended at nan."""
    return "nan" if value is None else f"{value:.4f}"


def deep_stacks_table(results: dict) -> str:
    """Markdown rows: per deep stack and learning rate, its first-layer gradient and final loss."""
    stacks, high = results["deep_stacks"], results["high_eta"]
    lines = [f"{results['digits']}; {results['epochs']} epochs of plain SGD per run:\n",
             "| stack | learning rate | first-layer gradient at the start | final training loss |",
             "|---|---:|---:|---:|"]
    for name, loss in stacks["final_loss"].items():
        gradient = stacks["first_layer_gradient_at_start"][name]
        lines.append(f"| {name} | {stacks['eta']:g} | {gradient:.2g} | {_loss(loss)} |")
    for name, loss in high["final_loss"].items():
        lines.append(f"| {name} | {high['eta']:g} | – | {_loss(loss)} |")
    return "\n".join(lines)


def curriculum_and_scan_table(results: dict) -> str:
    """Markdown rows: final validation accuracy per data order and per Adam learning rate."""
    lines = ["| run | validation accuracy |", "|---|---:|"]
    for name, accuracy in results["curriculum_val_accuracy"].items():
        lines.append(f"| {name} order | {accuracy:.4f} |")
    for rate, accuracy in results["adam_scan_val_accuracy"].items():
        lines.append(f"| Adam, learning rate {rate} | {accuracy:.4f} |")
    return "\n".join(lines)


def report(title: str, notebook: Path, collected: tuple, tables) -> None:
    """Print one notebook's section: its title line and tables, or why it is not available."""
    results, seconds, reason = collected
    print(f"{title} ({notebook.name}" + (f", whole notebook {seconds:.0f} s" if results else "")
          + "):\n")
    if results is None:
        print(f"not available: {reason}\n")
        return
    for table in tables:
        try:
            text = table(results)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            text = f"not available: unexpected `results` layout ({type(error).__name__}: {error})"
        print(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("smoke", "full"), default="full")
    args = parser.parse_args()

    scratch = collect_or_reason(FROM_SCRATCH, args.profile)
    momentum = collect_or_reason(MOMENTUM, args.profile)
    network = collect_or_reason(FAIR_COMPARISON, args.profile)
    easy = collect_or_reason(EASY_TO_OPTIMISE, args.profile)

    print(f"## Session 4 benchmark ({args.profile} profile)\n")
    report("Optimizers from scratch on 2-D test problems, checked against Keras", FROM_SCRATCH,
           scratch, [from_scratch_table])
    report("Fair comparison on a real network", FAIR_COMPARISON, network,
           [network_table, seeds_table])
    report("Why momentum works: predicted vs measured convergence rates", MOMENTUM, momentum,
           [rates_table])
    report("Making a deep network easy to optimise", EASY_TO_OPTIMISE, easy,
           [deep_stacks_table, curriculum_and_scan_table])


if __name__ == "__main__":
    main()
