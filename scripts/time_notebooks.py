"""Measure how long each notebook takes to run top to bottom (Restart & Run All).

    python scripts/time_notebooks.py                  # every notebook in notebooks/
    python scripts/time_notebooks.py notebooks/07_mnist_hands_on.ipynb

Runs a copy of each notebook in a fresh kernel (the stored notebook is not changed)
and prints a Markdown table row per notebook: the README's table is made from it.
"""

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run_time(path):
    """Seconds to execute the notebook at path in a fresh kernel, kernel start included."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print("| notebook | run time |\n|---|---|")
    for path in paths:
        print(f"| {path.name} | {run_time(path.resolve()):.0f} s |", flush=True)


if __name__ == "__main__":
    main()
