"""Execute course notebooks in one profile and print how long each took.

    python benchmarks/notebook_times.py --profile smoke
    python benchmarks/notebook_times.py --profile full course/session1_basics

Each notebook runs top to bottom in a fresh kernel (nbclient); nothing is written
back to the sources. Prints a table: notebook, profile, wall seconds, device, status.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # works from any working directory
from notebook_results import ROOT, execute  # noqa: E402


def run_notebook(path: Path, profile: str, timeout: int) -> tuple[float, str]:
    """Execute one notebook; return (wall seconds, "ok" or the error's first line)."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    try:
        execute(nb, path.parent, profile, timeout)
        status = "ok"
    except Exception as error:  # report the failure and go on with the others
        status = f"FAILED: {str(error).strip().splitlines()[-1][:60]}"
    return time.perf_counter() - start, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "course"],
                        help="notebooks or folders (default: the whole course)")
    parser.add_argument("--profile", choices=("smoke", "full"), default="smoke")
    parser.add_argument("--timeout", type=int, default=1200, help="per-cell limit, seconds")
    args = parser.parse_args()

    notebooks = sorted(nb for p in args.paths
                       for nb in ([p] if p.suffix == ".ipynb" else p.rglob("*.ipynb"))
                       if ".ipynb_checkpoints" not in nb.parts)
    if not notebooks:
        parser.error(f"no notebooks found under {[str(p) for p in args.paths]}")

    import helpers  # after argument parsing: importing TensorFlow takes seconds

    device = helpers.device_report()
    print("| notebook | profile | wall s | device | status |\n|---|---|---:|---|---|")
    total = 0.0
    for path in notebooks:
        seconds, status = run_notebook(path, args.profile, args.timeout)
        total += seconds
        name = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"| {name} | {args.profile} | {seconds:.1f} | {device} | {status} |", flush=True)
    print(f"| total ({len(notebooks)} notebooks) | {args.profile} | {total:.1f} | {device} | |")


if __name__ == "__main__":
    main()
