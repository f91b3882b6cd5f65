"""Every notebook follows the series' structure (see the README and docs/instructor-notes.md).

Parametrized over notebooks/*.ipynb, so a new notebook is covered without editing this file:
the Colab setup cell is present, its source hidden, and harmless elsewhere, the title cell has
the badges, the objectives, prerequisites and time lines, the notebook ends with key points and
where next, no output is an error or a warning, every widget cell (and only those) carries the
nbval-ignore-output tag and no cell shows an NBVAL comment, every cell has slide metadata, and
the times in the notebooks, the README and docs/workshop.md all come from
docs/notebook-times.json. test_notebook_is_prepared says whether scripts/prepare_notebooks.py
has been run since the notebooks last changed.
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
    assert first["metadata"].get("jupyter", {}).get("source_hidden") is True, (
        "the Colab cell's source is hidden (run prepare_notebooks.py)"
    )


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


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@by_name
def test_widget_cells_and_only_those_are_tagged_for_nbval(path):
    for index, cell in enumerate(code_cells(load(path))):
        text = source(cell)
        assert "NBVAL_" not in text, (
            f"code cell {index}: nbval markers go in cell tags, not in what the learner reads "
            f"(run prepare_notebooks.py): {text[:80]!r}"
        )
        if cell.get("id") == prepare.COLAB_CELL_ID:
            continue
        shows_widget = prepare.shows_widget(cell)
        calls_widget = bool(WIDGET_CALL.search(text)) and not text.lstrip().startswith("def ")
        tagged = prepare.IGNORE_TAG in tags(cell)
        if shows_widget or calls_widget:
            assert tagged, f"code cell {index} shows a widget; tag it {prepare.IGNORE_TAG}"
        else:
            assert not tagged, (
                f"code cell {index} shows no widget: compare its output, do not ignore it "
                f"(a varying number gets an nbval-tolerance instead): {text[:80]!r}"
            )


def test_the_nbval_comment_becomes_a_tag_and_widget_outputs_are_tagged():
    marked = nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nneuron_widget()")
    widget = nbformat.v4.new_code_cell("show()")
    widget.outputs = [nbformat.v4.new_output("display_data", data={WIDGET_MIME: {}})]
    plain = nbformat.v4.new_code_cell("print(1)  # NBVAL_IGNORE_OUTPUT is only a first line")
    title = nbformat.v4.new_markdown_cell("# 01 · Title")
    notebook = nbformat.v4.new_notebook(cells=[title, marked, widget, plain])
    for _ in range(2):  # and a second run changes nothing
        prepare.prepare(notebook, "99_x.ipynb", times={"notebooks": {}})
        assert marked.source == "neuron_widget()" and tags(marked) == [prepare.IGNORE_TAG]
        assert tags(widget) == [prepare.IGNORE_TAG]
        assert tags(plain) == [] and plain.source.startswith("print(1)")
        (colab,) = [c for c in notebook.cells if c.get("id") == prepare.COLAB_CELL_ID]
        assert colab.metadata["jupyter"]["source_hidden"] is True and tags(colab) == []
        assert colab.metadata["cellView"] == "form"  # Colab's way of hiding it


# ---------------------------------------------------------------- times: one source


TIMES = prepare.load_times()
TIME_LINE = re.compile(
    r"\*\*Time:\*\* about (\d+) minutes to teach.*?; Restart & Run All takes about (\d+) seconds"
)


def test_the_times_file_lists_every_notebook():
    entries = TIMES["notebooks"]
    assert set(entries) == {p.name for p in NOTEBOOKS}, "docs/notebook-times.json"
    for name, entry in entries.items():
        assert entry["teach_minutes"] > 0 and entry["run_seconds"] > 0, name
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", TIMES["measured"])


@by_name
def test_title_time_line_comes_from_the_times_file(path):
    title = source(load(path)["cells"][0])
    found = TIME_LINE.search(title.replace("\n", " "))
    assert found, "a **Time:** line written by prepare_notebooks.py"
    entry = TIMES["notebooks"][path.name]
    assert (int(found[1]), int(found[2])) == (entry["teach_minutes"], entry["run_seconds"]), (
        "the Time line differs from docs/notebook-times.json: run prepare_notebooks.py"
    )


def test_readme_run_times_come_from_the_times_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, entry in TIMES["notebooks"].items():
        row = re.search(rf"(?m)^\| {name[:2]} \|.*\| (\d+) s \|$", readme)
        assert row, f"README: no row for {name} in the notebook table"
        assert int(row[1]) == entry["run_seconds"], f"README, {name}: run prepare_notebooks.py"
    assert f"`python scripts/time_notebooks.py` ({TIMES['measured']})" in readme


def test_workshop_times_come_from_the_times_file():
    workshop = (ROOT / "docs" / "workshop.md").read_text(encoding="utf-8")
    entries = TIMES["notebooks"]
    for name, entry in entries.items():
        row = re.search(rf"(?m)^\| {name[:2]} [^|]*\| (\d+) min[^|]*\| (\d+) s \|", workshop)
        assert row, f"docs/workshop.md: no row for {name}"
        assert (int(row[1]), int(row[2])) == (entry["teach_minutes"], entry["run_seconds"]), name
    total = re.search(r"(?m)^\| \*\*Total\*\* \| \*\*(.+?)\*\* \| \*\*about (\d+) s", workshop)
    minutes = sum(e["teach_minutes"] for e in entries.values())
    assert total and total[1] == prepare.minutes_text(minutes)
    assert abs(int(total[2]) - sum(e["run_seconds"] for e in entries.values())) <= 2.5
    assert f"on a 2-core Linux machine on {TIMES['measured']}" in workshop


SAMPLE_TIMES = {
    "measured": "2030-01-02",
    "machine": "a test machine",
    "notebooks": {
        "01_a.ipynb": {"teach_minutes": 30, "run_seconds": 4},
        "02_b.ipynb": {"teach_minutes": 45, "teach_note": "§5 at home", "run_seconds": 12},
    },
}


def test_the_time_line_replaces_every_old_form_and_keeps_the_rest():
    old_forms = [
        "**Time:** about 60 min to teach; about 11 s to run (measured: 11 s).",
        "**Time to teach:** about 30 minutes. **Time to run:** about 25 s.",
        "**Time:** about 75 minutes to teach (the last two\nsections at home); run: 5 s.",
    ]
    entry = SAMPLE_TIMES["notebooks"]["02_b.ipynb"]
    line = prepare.time_line(entry, SAMPLE_TIMES)
    assert line == (
        "**Time:** about 45 minutes to teach (§5 at home); Restart & Run All takes about 12 "
        "seconds (measured on a test machine)."
    )
    for old in old_forms:
        title = f"# 02 · B\n\n**Prerequisites:** 01.\n\n{old}\n\nAfter the time."
        new = prepare.with_time_line(title, line)
        assert new == f"# 02 · B\n\n**Prerequisites:** 01.\n\n{line}\n\nAfter the time."
        assert prepare.with_time_line(new, line) == new
    assert prepare.with_time_line("# 03 · C", line) == f"# 03 · C\n\n{line}"


def test_readme_and_workshop_tables_are_rewritten_from_the_times():
    readme = (
        "| 01 | [A](notebooks/01_a.ipynb) | topics, 3 s of fun | 3 s |\n"
        "| 02 | [B](notebooks/02_b.ipynb) | more | 2 s |\n"
        "measured with\n`python scripts/time_notebooks.py` (2026-11-27). Teaching"
    )
    new = prepare.with_readme_times(readme, SAMPLE_TIMES)
    assert "| topics, 3 s of fun | 4 s |" in new and "| more | 12 s |" in new
    assert "`python scripts/time_notebooks.py` (2030-01-02)." in new
    workshop = (
        "on a 2-core Linux machine on 2026-11-27; re-measure\n"
        "| 01 A | 30 min | 3 s | `x` | w |\n"
        "| 02 B | 35 min (20 of them exercises) | 2 s | `y` | v |\n"
        "| **Total** | **1 h 5 min** | **about 5 s** | 2 | |\n"
    )
    new = prepare.with_workshop_times(workshop, SAMPLE_TIMES)
    assert "| 01 A | 30 min | 4 s | `x` | w |" in new
    assert "| 02 B | 45 min (20 of them exercises) | 12 s |" in new
    assert "| **Total** | **1 h 15 min** | **about 15 s** | 2 | |" in new
    assert "machine on 2030-01-02;" in new
    assert prepare.with_workshop_times(new, SAMPLE_TIMES) == new


def test_time_notebooks_records_the_measured_seconds(tmp_path):
    spec = importlib.util.spec_from_file_location("timing", ROOT / "scripts" / "time_notebooks.py")
    timing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(timing)
    times = tmp_path / "times.json"
    times.write_text(json.dumps(SAMPLE_TIMES))
    runs = {"01_a.ipynb": 6.4, "03_c.ipynb": 0.2}
    notebooks = [str(tmp_path / name) for name in runs]
    with contextlib.redirect_stdout(io.StringIO()):
        timing.main([*notebooks, "--write", "--times-file", str(times)], run=lambda p: runs[p.name])
    written = json.loads(times.read_text())
    assert written["notebooks"]["01_a.ipynb"] == {"teach_minutes": 30, "run_seconds": 6}
    assert written["notebooks"]["02_b.ipynb"] == SAMPLE_TIMES["notebooks"]["02_b.ipynb"]
    assert written["notebooks"]["03_c.ipynb"]["run_seconds"] == 1
    assert (
        written["measured"] != SAMPLE_TIMES["measured"] and written["machine"] == "a test machine"
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
    unmarked = [source(c).removeprefix(prepare.IGNORE_COMMENT + "\n") for c in raw["cells"][1:]]
    assert [source(c) for c in others[1:]] == unmarked


def test_readme_uses_the_same_repository_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    slug = prepare.REPO_URL.split("github.com/", 1)[1]
    assert f"mybinder.org/v2/gh/{slug}/" in readme, "README: the Binder badge"
    assert f"colab.research.google.com/github/{slug}/" in readme, "README: the Colab badge"
