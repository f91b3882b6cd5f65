"""Measure how long each notebook takes to run top to bottom (Restart & Run All).

    python scripts/time_notebooks.py                  # every notebook in notebooks/
    python scripts/time_notebooks.py notebooks/07_mnist_hands_on.ipynb
    python scripts/time_notebooks.py --write          # and record them

Runs a copy of each notebook in a fresh kernel (the stored notebook is not changed)
and prints a Markdown table row per notebook. With --write the seconds and today's date go
into docs/notebook-times.json, the one source of the notebooks' times; then
`python scripts/prepare_notebooks.py` copies them into the notebooks' Time lines, the
README's table and docs/workshop.md.
"""

import argparse
import datetime
import json
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TIMES = ROOT / "docs" / "notebook-times.json"


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


def record(seconds, path=TIMES, today=None):
    """Write {notebook name: seconds} into the times file (rounded, at least 1 s), with the date.

    Notebooks not in the file are added with teach_minutes 0 for their author to fill in.
    """
    times = json.loads(Path(path).read_text(encoding="utf-8"))
    for name, value in seconds.items():
        entry = times["notebooks"].setdefault(name, {"teach_minutes": 0})
        entry["run_seconds"] = max(1, round(value))
    times["measured"] = (today or datetime.date.today()).isoformat()
    lines = [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in
             sorted(times["notebooks"].items())]  # fmt: skip
    header = {k: v for k, v in times.items() if k != "notebooks"}
    text = json.dumps(header, indent=2, ensure_ascii=False)[:-2]
    text += ',\n  "notebooks": {\n' + ",\n".join(lines) + "\n  }\n}\n"
    Path(path).write_text(text, encoding="utf-8")


def main(argv=None, run=run_time):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help=f"record the times in {TIMES}")
    parser.add_argument("--times-file", type=Path, default=TIMES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print("| notebook | run time |\n|---|---|")
    seconds = {}
    for path in paths:
        seconds[path.name] = run(path.resolve())
        print(f"| {path.name} | {seconds[path.name]:.0f} s |", flush=True)
    if args.write:
        record(seconds, args.times_file)
        print(f"Recorded in {args.times_file}; now run python scripts/prepare_notebooks.py")


if __name__ == "__main__":
    main()
