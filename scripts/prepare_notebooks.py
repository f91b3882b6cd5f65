"""Prepare every notebook for Colab, Binder and slides. Safe to run again and again.

    python scripts/prepare_notebooks.py            # update notebooks/*.ipynb in place
    python scripts/prepare_notebooks.py --check    # change nothing; exit 1 if any would change
    python scripts/prepare_notebooks.py --reset-slides   # recompute every slide type

For each notebook it
1. puts "Open in Colab" and "Launch on Binder" badges under the title (first line of cell 1);
2. makes the first code cell the Colab setup cell: on Google Colab it clones this repository
   and installs its package; anywhere else it does nothing and prints nothing (nbval and a
   local Restart & Run All are unaffected);
3. gives every cell RISE / jupyterlab-rise slide metadata, {"slideshow": {"slide_type": ...}},
   so the notebook can be presented as slides (cells that already have a slide type keep it,
   unless --reset-slides).
Outputs of all other cells, and everything else in the notebook, are left as they are.
"""

import argparse
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


def prepare(notebook, name, reset_slides=False):
    """Prepare one notebook (an nbformat NotebookNode) in place; return it."""
    cells = notebook.cells
    if cells and cells[0].cell_type == "markdown":
        cells[0].source = with_badges(cells[0].source, name)
    found = [i for i, cell in enumerate(cells) if is_colab_cell(cell)]
    colab = cells[found[0]] if found else nbformat.v4.new_code_cell(id=COLAB_CELL_ID)
    for i in reversed(found):
        del cells[i]
    colab.source = colab_source()
    colab.outputs, colab.execution_count = [], None
    colab.metadata.pop("execution", None)
    first_code = next((i for i, cell in enumerate(cells) if cell.cell_type == "code"), len(cells))
    cells.insert(first_code, colab)
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
    changed = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        notebook = nbformat.reads(before, as_version=4)
        after = render(prepare(notebook, path.name, args.reset_slides))
        if after != before:
            changed.append(path)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    verb = "would change" if args.check else "changed"
    for path in changed:
        print(f"{verb}: {path}")
    print(f"{len(paths)} notebooks, {len(changed)} {verb}.")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
