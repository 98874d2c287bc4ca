"""Session 4 benchmark: optimizers on test functions and a real network, and momentum's rates.

    .venv/bin/python benchmarks/session4_optim.py --profile full

Runs course/session4_optim/02_optimizers_from_scratch.ipynb, 03_why_momentum_works.ipynb and
05_fair_comparison.ipynb top to bottom in fresh kernels and prints the `results` each notebook
measured as Markdown tables. Nothing is re-implemented here: the numbers come from the code
students run. A notebook that is missing or fails gives a "not available" line, not a crash.
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

    print(f"## Session 4 benchmark ({args.profile} profile)\n")
    report("Optimizers from scratch on 2-D test problems, checked against Keras", FROM_SCRATCH,
           scratch, [from_scratch_table])
    report("Fair comparison on a real network", FAIR_COMPARISON, network,
           [network_table, seeds_table])
    report("Why momentum works: predicted vs measured convergence rates", MOMENTUM, momentum,
           [rates_table])


if __name__ == "__main__":
    main()
