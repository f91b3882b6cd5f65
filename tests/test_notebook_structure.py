"""Every notebook follows the series' structure (see the README and docs/instructor-notes.md).

Parametrized over notebooks/*.ipynb, so a new notebook is covered without editing this file:
the Colab setup cell is present and harmless elsewhere, the title cell has the badges, the
objectives, prerequisites and time lines, the notebook ends with key points and where next,
no output is an error or a warning, every widget cell starts with `# NBVAL_IGNORE_OUTPUT`
alone on its first line, and every cell has slide metadata. The last test says whether
scripts/prepare_notebooks.py has been run since the notebooks last changed.
"""

import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

spec = importlib.util.spec_from_file_location("prepare", ROOT / "scripts" / "prepare_notebooks.py")
prepare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prepare)

SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_CALL = re.compile(r"\b\w*_widget\(|\binteract(ive)?\(|\bwidgets\.\w+\(")

by_name = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"])


def code_cells(notebook):
    return [c for c in notebook["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/*.ipynb yet"


# ---------------------------------------------------------------- Colab cell


@by_name
def test_first_code_cell_is_the_colab_setup(path):
    first = code_cells(load(path))[0]
    assert source(first) == prepare.colab_source(), (
        "run `python scripts/prepare_notebooks.py` (the Colab cell is missing or outdated)"
    )
    assert first["outputs"] == [], "the Colab cell must have no stored output"


def run_cell(code, colab, monkeypatch, tmp_path):
    """Run the Colab cell's code as a kernel would; return (stdout + stderr, commands run)."""
    commands = []

    def fake_run(command, check=False, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.chdir(tmp_path)
    if colab:
        monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
        course = tmp_path / "content"
        (course / "notebooks").mkdir(parents=True)
        code = code.replace(prepare.COLAB_DIR, str(course))
        monkeypatch.setattr(os.path, "isdir", lambda p: False)  # a fresh Colab machine
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        exec(compile(code, "<colab cell>", "exec"), {"__name__": "__main__"})
    return captured.getvalue(), commands


def test_colab_cell_does_nothing_outside_colab(monkeypatch, tmp_path):
    path_before = list(sys.path)
    output, commands = run_cell(prepare.colab_source(), False, monkeypatch, tmp_path)
    assert output == "" and commands == []
    assert Path.cwd() == tmp_path and sys.path == path_before


def test_colab_cell_on_colab_clones_and_installs_the_package(monkeypatch, tmp_path):
    output, commands = run_cell(prepare.colab_source(), True, monkeypatch, tmp_path)
    assert output == ""
    (clone, install) = commands
    assert clone[:2] == ["git", "clone"] and prepare.REPO_URL in clone
    assert install[:4] == [sys.executable, "-m", "pip", "install"] and "--no-deps" in install
    assert Path.cwd() == tmp_path / "content" / "notebooks"
    assert sys.path[0] == str(tmp_path / "content")


def test_colab_cell_passes_the_linter():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    for args in (["check", "--quiet"], ["format", "--check", "--quiet"]):
        run = subprocess.run(
            [
                ruff,
                *args,
                "--config",
                str(ROOT / "pyproject.toml"),
                "--stdin-filename",
                "c.py",
                "-",
            ],
            input=prepare.colab_source() + "\n",
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stdout + run.stderr


# ---------------------------------------------------------------- title and ending


@by_name
def test_title_cell_has_badges_objectives_prerequisites_and_time(path):
    title = source(load(path)["cells"][0])
    assert title.startswith("# "), "the first cell is the title, `# NN · Topic`"
    assert re.search(r"(?i)after this notebook you (can|will)|objectives", title), "objectives"
    assert re.search(r"(?i)\*\*prerequisites", title), "a **Prerequisites:** line"
    time_line = re.search(r"(?is)\*\*time\b(.*)", title)  # "**Time:**" or "**Time to teach:**"
    assert time_line, "a **Time:** line (time to teach, time to run)"
    assert re.search(r"\d+\s*min", time_line.group(1)), "time to teach in minutes"
    assert re.search(r"\d+\s*(s\b|sec)", time_line.group(1)), "measured run time in seconds"
    assert prepare.badges(path.name) in title, "Colab/Binder badges: run prepare_notebooks.py"


@by_name
def test_ends_with_key_points_and_where_next(path):
    markdown = [source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown"]
    tail = "\n".join(markdown[-3:])
    points = re.search(r"(?im)^#+\s*key points\s*$(.*?)(^#|\Z)", tail, re.S)
    assert points, "a `## Key points` section near the end"
    bullets = re.findall(r"(?m)^\s*[*-] ", points.group(1))
    assert 3 <= len(bullets) <= 5, f"key points: 3-5 bullets, found {len(bullets)}"
    assert re.search(r"(?im)^#+\s*where (next|to go next)", tail), "a `## Where next` section"


# ---------------------------------------------------------------- outputs and widgets


@by_name
def test_no_error_or_warning_outputs(path):
    for index, cell in enumerate(load(path)["cells"]):
        for output in cell.get("outputs", []):
            where = f"cell {index}: {source(cell)[:60]!r}"
            assert output["output_type"] != "error", f"error output in {where}"
            if output["output_type"] == "stream" and output["name"] == "stderr":
                text = "".join(output["text"])
                assert not re.search(r"Warning|Traceback|Error", text), f"{where}: {text[:200]}"


@by_name
def test_widget_cells_are_marked_for_nbval(path):
    for index, cell in enumerate(code_cells(load(path))):
        text = source(cell)
        lines = text.split("\n")
        shows_widget = any(WIDGET_MIME in o.get("data", {}) for o in cell["outputs"])
        calls_widget = bool(WIDGET_CALL.search(text)) and not text.lstrip().startswith("def ")
        if "NBVAL_IGNORE_OUTPUT" in text:
            assert lines[0] == "# NBVAL_IGNORE_OUTPUT", (
                f"code cell {index}: the marker must be alone on the first line"
            )
        if shows_widget or calls_widget:
            assert lines[0] == "# NBVAL_IGNORE_OUTPUT", (
                f"code cell {index} shows a widget; start it with `# NBVAL_IGNORE_OUTPUT` "
                f"alone on its first line: {text[:80]!r}"
            )


# ---------------------------------------------------------------- slides and preparation


@by_name
def test_every_cell_has_slide_metadata(path):
    notebook = load(path)
    types_ = [c["metadata"].get("slideshow", {}).get("slide_type") for c in notebook["cells"]]
    missing = [i for i, t in enumerate(types_) if t is None]
    assert not missing, f"cells without slide metadata: {missing} (run prepare_notebooks.py)"
    assert set(types_) <= SLIDE_TYPES, set(types_) - SLIDE_TYPES
    assert types_[0] == "slide"


@by_name
def test_notebook_is_prepared(path):
    before = path.read_text(encoding="utf-8")
    after = prepare.render(prepare.prepare(nbformat.reads(before, as_version=4), path.name))
    assert after == before, "run `python scripts/prepare_notebooks.py` and commit the result"


def test_prepare_is_idempotent_and_leaves_other_outputs_alone(tmp_path):
    if not NOTEBOOKS:
        pytest.skip("no notebooks yet")
    original = NOTEBOOKS[0]
    raw = load(original)
    for cell in raw["cells"]:  # start from an unprepared notebook
        cell["metadata"].pop("slideshow", None)
    raw["cells"] = [c for c in raw["cells"] if not source(c).startswith(prepare.COLAB_MARKER)]
    copy = tmp_path / original.name
    copy.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    assert prepare.main([str(copy)]) == 0
    once = copy.read_text(encoding="utf-8")
    assert prepare.main([str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == once, "a second run changed the notebook"
    assert prepare.main(["--check", str(copy)]) == 0

    prepared = load(copy)
    others = [c for c in prepared["cells"] if c.get("id") != prepare.COLAB_CELL_ID]
    assert [c.get("outputs") for c in others] == [c.get("outputs") for c in raw["cells"]]
    assert [source(c) for c in others[1:]] == [source(c) for c in raw["cells"][1:]]


def test_readme_uses_the_same_repository_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    slug = prepare.REPO_URL.split("github.com/", 1)[1]
    assert f"mybinder.org/v2/gh/{slug}/" in readme, "README: the Binder badge"
    assert f"colab.research.google.com/github/{slug}/" in readme, "README: the Colab badge"
