"""Prepare every notebook for Colab, Binder, nbval and slides. Safe to run again and again.

    python scripts/prepare_notebooks.py            # update notebooks/*.ipynb, README, workshop
    python scripts/prepare_notebooks.py --check    # change nothing; exit 1 if any would change
    python scripts/prepare_notebooks.py --reset-slides   # recompute every slide type

For each notebook it
1. puts "Open in Colab" and "Launch on Binder" badges under the title (first line of cell 1);
2. makes the first code cell the Colab setup cell, its source hidden (JupyterLab shows a
   folded "..."): on Google Colab it clones this repository and installs its package;
   anywhere else it does nothing and prints nothing (nbval and a local Restart & Run All are
   unaffected);
3. marks the cells whose output is a widget for nbval with the cell tag nbval-ignore-output
   (a widget's output holds a new random id on every run), replacing a visible
   `# NBVAL_IGNORE_OUTPUT` first line: plumbing stays out of the learner's view;
4. writes the title cell's **Time:** line from docs/notebook-times.json (teaching time, run
   time), the one source of the notebooks' times;
5. gives every cell RISE / jupyterlab-rise slide metadata, {"slideshow": {"slide_type": ...}},
   so the notebook can be presented as slides (cells that already have a slide type keep it,
   unless --reset-slides).
Outputs of all other cells, and everything else in the notebook, are left as they are.
Without a list of notebooks it also writes the times into the README's notebook table and
docs/workshop.md's table (scripts/time_notebooks.py --write measures them).
"""

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

# The one place that names the repository (the README's badges use the same address).
REPO_URL = "https://github.com/hands-on-deep-learning/hands-on-deep-learning"
BRANCH = "main"

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

COLAB_CELL_ID = "colab-setup"
COLAB_MARKER = "# Google Colab only:"
BADGE_MARKER = "colab.research.google.com/assets/colab-badge.svg"
COLAB_DIR = "/content/" + REPO_URL.rstrip("/").rsplit("/", 1)[-1]

IGNORE_TAG = "nbval-ignore-output"  # nbval compares nothing of a cell with this tag
IGNORE_COMMENT = "# NBVAL_IGNORE_OUTPUT"  # the same as a visible first line (the old way)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

TIMES = ROOT / "docs" / "notebook-times.json"
README = ROOT / "README.md"
WORKSHOP = ROOT / "docs" / "workshop.md"


def colab_source():
    """The Colab setup cell. Formatted as `ruff format` wants it (CI checks notebooks too)."""
    return f'''{COLAB_MARKER} fetch the course (code and data) and install its package.
# Anywhere else this cell does nothing and prints nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO = "{REPO_URL}"
    COURSE = "{COLAB_DIR}"
    if not os.path.isdir(COURSE):
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", REPO, COURSE], check=True)
        # --no-deps: keep the NumPy, matplotlib and ipywidgets that Colab comes with
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", COURSE]
        subprocess.run(pip, check=True)
    if COURSE not in sys.path:
        sys.path.insert(0, COURSE)
    os.chdir(COURSE + "/notebooks")'''


def badges(name):
    """The badge line for notebook `name` (e.g. "01_activation_functions.ipynb")."""
    path = f"notebooks/{name}"
    slug = REPO_URL.split("github.com/", 1)[1]
    colab = f"https://colab.research.google.com/github/{slug}/blob/{BRANCH}/{path}"
    binder = f"https://mybinder.org/v2/gh/{slug}/{BRANCH}?urlpath=lab/tree/{path}"
    return (
        f"[![Open In Colab](https://{BADGE_MARKER})]({colab}) "
        f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder})"
    )


def with_badges(source, name):
    """The title cell's source with the badge line right under the `# Title` line."""
    lines = source.split("\n")
    lines = [line for line in lines if BADGE_MARKER not in line]
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), 0)
    rest = lines[title + 1 :]
    while rest and not rest[0].strip():  # one blank line before and after the badges
        rest = rest[1:]
    return "\n".join([*lines[: title + 1], "", badges(name), "", *rest])


def is_colab_cell(cell):
    return cell.cell_type == "code" and (
        cell.get("id") == COLAB_CELL_ID or cell.source.lstrip().startswith(COLAB_MARKER)
    )


def slide_type(cell, index):
    """Which slide a cell belongs to, from its content.

    slide: the title and every `#`/`##` heading; subslide: `###` headings and exercise stubs;
    skip: the Colab cell and the setup check; "-": everything else (it continues the slide,
    which scrolls).
    """
    text = cell.source.lstrip()
    if index == 0:
        return "slide"
    if is_colab_cell(cell) or "run_checks(" in text:
        return "skip"
    if cell.cell_type == "markdown":
        if re.match(r"#{1,2} ", text):
            return "slide"
        if text.startswith("### "):
            return "subslide"
    if cell.cell_type == "code" and "# YOUR CODE HERE" in text:
        return "subslide"
    return "-"


def shows_widget(cell):
    return any(WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", []))


def tag_for_nbval(cell):
    """Move a `# NBVAL_IGNORE_OUTPUT` first line into the cell tag; tag widget cells."""
    lines = cell.source.split("\n")
    marked = lines[0].strip() == IGNORE_COMMENT
    if marked:
        cell.source = "\n".join(lines[1:])
    if marked or shows_widget(cell):
        tags = cell.metadata.setdefault("tags", [])
        if IGNORE_TAG not in tags:
            tags.append(IGNORE_TAG)


# ---------------------------------------------------------------- times


def load_times(path=TIMES):
    """docs/notebook-times.json: {"measured", "machine", "notebooks": {name: {...}}}."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def time_line(entry, times):
    """The title cell's **Time:** line for one notebook's entry of the times file."""
    teach = f"about {entry['teach_minutes']} minutes to teach"
    if entry.get("teach_note"):
        teach += f" ({entry['teach_note']})"
    line = (
        f"**Time:** {teach}; Restart & Run All takes about {entry['run_seconds']} seconds "
        f"(measured on {times['machine']})."
    )
    return line + (" " + entry["note"] if entry.get("note") else "")


def with_time_line(source, line):
    """The title cell's source with its `**Time...` paragraph replaced by `line` (or added)."""
    pattern = re.compile(r"(?m)^\*\*Time\b[^\n]*(\n(?!\s*\n)[^\n]+)*")
    if pattern.search(source):
        return pattern.sub(lambda _: line, source, count=1)
    return source.rstrip("\n") + "\n\n" + line


def minutes_text(minutes):
    hours, rest = divmod(minutes, 60)
    if hours:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{rest} min"


def with_readme_times(text, times):
    """README.md with the notebook table's Run time column and date from the times file."""
    for name, entry in times["notebooks"].items():
        number = name[:2]
        row = re.compile(rf"(?m)^(\| {number} \|.*\| )\d+ s( \|)$")
        text = row.sub(rf"\g<1>{entry['run_seconds']} s\g<2>", text)
    return re.sub(
        r"(`python scripts/time_notebooks.py` \()\d{4}-\d\d-\d\d\)",
        lambda m: f"{m[1]}{times['measured']})",
        text,
    )


def with_workshop_times(text, times):
    """docs/workshop.md with its table's Teach and Run columns, total and date."""
    entries = times["notebooks"]
    for name, entry in entries.items():
        # the numbers only: an author's note after "min" (say "(35 of them exercises)") stays
        row = re.compile(rf"(?m)^(\| {name[:2]} [^|]*\| )\d+( min[^|]*\| )\d+ s( \|)")
        teach, run = entry["teach_minutes"], entry["run_seconds"]
        text = row.sub(rf"\g<1>{teach}\g<2>{run} s\g<3>", text)
    teach = sum(e["teach_minutes"] for e in entries.values())
    run = sum(e["run_seconds"] for e in entries.values())
    run = max(5, 5 * round(run / 5))
    text = re.sub(
        r"(?m)^(\| \*\*Total\*\* \| )\*\*[^*]+\*\* \| \*\*about \d+ s\*\*( \|)",
        lambda m: f"{m[1]}**{minutes_text(teach)}** | **about {run} s**{m[2]}",
        text,
    )
    return re.sub(
        r"(on a 2-core Linux machine on )\d{4}-\d\d-\d\d",
        lambda m: f"{m[1]}{times['measured']}",
        text,
    )


# ---------------------------------------------------------------- one notebook


def prepare(notebook, name, reset_slides=False, times=None):
    """Prepare one notebook (an nbformat NotebookNode) in place; return it.

    times: the times file's contents (default: docs/notebook-times.json); a notebook not
    listed there keeps its Time line.
    """
    times = load_times() if times is None else times
    cells = notebook.cells
    if cells and cells[0].cell_type == "markdown":
        cells[0].source = with_badges(cells[0].source, name)
        entry = times["notebooks"].get(name)
        if entry:
            cells[0].source = with_time_line(cells[0].source, time_line(entry, times))
    found = [i for i, cell in enumerate(cells) if is_colab_cell(cell)]
    colab = cells[found[0]] if found else nbformat.v4.new_code_cell(id=COLAB_CELL_ID)
    for i in reversed(found):
        del cells[i]
    colab.source = colab_source()
    colab.outputs, colab.execution_count = [], None
    colab.metadata.pop("execution", None)
    colab.metadata.setdefault("jupyter", {})["source_hidden"] = True  # JupyterLab
    colab.metadata["cellView"] = "form"  # Colab: the same, code behind "Show code"
    first_code = next((i for i, cell in enumerate(cells) if cell.cell_type == "code"), len(cells))
    cells.insert(first_code, colab)
    for cell in cells:
        if cell.cell_type == "code" and cell is not colab:
            tag_for_nbval(cell)
    for index, cell in enumerate(cells):
        show = cell.metadata.setdefault("slideshow", {})
        if reset_slides or "slide_type" not in show:
            show["slide_type"] = slide_type(cell, index)
    notebook.metadata.setdefault("rise", {"scroll": True, "transition": "none"})
    return notebook


def render(notebook):
    """The bytes nbformat (and so JupyterLab and nbconvert) would write."""
    return nbformat.writes(notebook) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="exit 1 if a notebook would change")
    parser.add_argument("--reset-slides", action="store_true", help="recompute slide types")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    times = load_times()
    changed = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        notebook = nbformat.reads(before, as_version=4)
        after = render(prepare(notebook, path.name, args.reset_slides, times))
        if after != before:
            changed.append(path)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    documents = []
    if not args.notebooks:  # the whole series: also the README's and the workshop's tables
        documents = [(README, with_readme_times), (WORKSHOP, with_workshop_times)]
    for path, update in documents:
        before = path.read_text(encoding="utf-8")
        after = update(before, times)
        if after != before:
            changed.append(path)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    verb = "would change" if args.check else "changed"
    for path in changed:
        print(f"{verb}: {path}")
    print(f"{len(paths)} notebooks and {len(documents)} documents, {len(changed)} {verb}.")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
