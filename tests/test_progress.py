"""The progress summaries: a learner's course_utils.progress() and the room's command.

The room's command reads saved notebooks only (never a kernel): the tests write notebooks of
several learners with the check lines a real run prints (solved, wrong, skipped) and assert
the summary. One test runs real kernels: a notebook with checks, then course_utils.progress()
in a fresh kernel. Two processes (and, without fcntl, two threads) record at the same time:
no entry may be lost.
"""

import json
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

import course_utils
from course_utils import progress as progress_function
from course_utils.checks import EXERCISES, check, series
from course_utils.progress import (
    LOCK_FILE,
    PROGRESS_FILE,
    read_notebook,
    read_record,
    record,
    room,
)

progress_module = sys.modules["course_utils.progress"]  # course_utils.progress: the function
ROOT = Path(__file__).resolve().parent.parent
ORDER = [exercise.name for exercise in series()]
LINE = {
    "solved": "✅ {name}: Correct on all 3 test inputs. Later cells use your version.\n",
    "wrong": "❌ {name}: Forgot the bias: the layer computes x @ M.T + b.\n   For the input …\n",
    "not attempted": "⏭  {name}: not attempted yet. Later cells use the reference …\n",
}


def write_notebook(path, statuses, extra_cells=()):
    """A saved notebook whose check cells show the lines a real run prints."""
    nb = nbformat.v4.new_notebook()
    for name, status in statuses.items():
        nb.cells.append(nbformat.v4.new_code_cell(f"def {name}(*args):\n    ..."))
        cell = nbformat.v4.new_code_cell(f'{name} = check("{name}", {name})')
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=LINE[status].format(name=name))
        ]
        nb.cells.append(cell)
    nb.cells += list(extra_cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def room_folder(tmp_path):
    """/home with three learners: alice solved two, bob has one wrong, carol opened nothing."""
    a, b, c = ORDER[0], ORDER[1], ORDER[2]
    home = tmp_path / "home"
    write_notebook(home / "alice/course/notebooks/01.ipynb", {a: "solved", b: "solved", c: "wrong"})
    write_notebook(home / "bob/course/notebooks/01.ipynb", {a: "wrong", b: "not attempted"})
    write_notebook(home / "carol/notebooks/01.ipynb", {a: "not attempted"})
    # checkpoints are copies Jupyter keeps: never counted
    write_notebook(home / "bob/course/notebooks/.ipynb_checkpoints/01-checkpoint.ipynb",
                   {a: "solved", b: "solved"})  # fmt: skip
    return home


def test_a_saved_notebook_is_read_from_its_check_lines(tmp_path):
    a, b, c = ORDER[:3]
    other = nbformat.v4.new_code_cell("print('✅ sigmoid: not a check cell')")
    other.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✅ sigmoid: x\n")]
    path = write_notebook(tmp_path / "n.ipynb", {a: "solved", b: "wrong", c: "not attempted"},
                          extra_cells=[other])  # fmt: skip
    assert read_notebook(path) == {a: "solved", b: "wrong", c: "not attempted"}


def test_the_room_summary_per_learner_and_per_exercise(room_folder):
    lines = []
    table = room([room_folder], out=lines.append)
    a, b, c = ORDER[:3]
    assert table == {
        "alice": {a: "solved", b: "solved", c: "wrong"},
        "bob": {a: "wrong", b: "not attempted"},
        "carol": {a: "not attempted"},
    }
    text = "\n".join(lines)
    assert text.startswith(f"3 learner(s), {len(ORDER)} exercises")
    rows = {line.split()[0]: line for line in lines if line.split()[:1] in (["alice"], ["bob"])}
    # one mark per exercise in series order: + solved, x wrong, . not attempted
    assert rows["alice"].split()[1].startswith("++x")
    assert rows["bob"].split()[1].startswith("x..")
    assert [t for t in rows["alice"].split() if t.isdigit()] == ["2", "1", str(len(ORDER) - 3)]
    assert rows["alice"].endswith(f"  {c}")  # the wrong ones, by name
    counts = {line.split()[1]: line.split()[2:] for line in lines if line[:3].strip().isdigit()}
    assert counts[a] == ["1", "1", "1"]  # solved, wrong, not attempted: alice, bob, carol
    assert counts[b] == ["1", "0", "2"]
    assert counts[c] == ["0", "1", "2"]
    assert counts[ORDER[-1]] == ["0", "0", "3"]


def test_one_learners_folder_is_one_learner(room_folder):
    table = room([room_folder / "alice"], out=lambda line: None)
    assert list(table) == ["alice"]
    assert table["alice"][ORDER[0]] == "solved"


def test_the_recorded_file_wins_when_it_is_newer_than_the_saved_notebook(room_folder):
    folder = room_folder / "bob/course/notebooks"
    notebook = folder / "01.ipynb"
    os.utime(notebook, (1_000_000_000, 1_000_000_000))  # saved long ago
    record(ORDER[0], "solved", folder=folder)  # solved since, not saved yet
    table = room([room_folder], out=lambda line: None)
    assert table["bob"][ORDER[0]] == "solved"
    assert table["bob"][ORDER[1]] == "not attempted"


def test_the_command_line_prints_the_room_without_warnings(room_folder):
    run = subprocess.run(
        [sys.executable, "-m", "course_utils.progress", str(room_folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # e.g. no runpy warning about the module imported twice
    assert "3 learner(s)" in run.stdout and "alice" in run.stdout
    empty = subprocess.run(
        [sys.executable, "-m", "course_utils.progress", str(room_folder / "nobody")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert empty.returncode == 1 and "no such folder" in empty.stdout


def learners_copy(name):
    """A function the learner wrote that gives the reference's results."""
    reference = EXERCISES[name].reference
    return lambda *args: reference(*args)


def test_check_records_every_result_and_progress_prints_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    solved, wrong, skipped = ORDER[:3]

    def stub(*args):
        raise NotImplementedError

    check(solved, learners_copy(solved))
    check(wrong, lambda *args: None)
    check(skipped, stub)
    recorded = read_record(tmp_path)
    assert {n: e["status"] for n, e in recorded.items()} == {
        solved: "solved",
        wrong: "wrong",
        skipped: "not attempted",
    }
    assert all("time" in entry for entry in recorded.values())
    capsys.readouterr()
    course_utils.progress()
    out = capsys.readouterr().out
    assert out.startswith(f"Your exercises: 1 of {len(ORDER)} solved, 1 wrong")
    assert f"solved         {solved}" in out and f"wrong          {wrong}" in out
    assert f"not attempted  {skipped}" in out
    assert progress_function is course_utils.progress


def test_a_reference_passed_again_is_not_recorded(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = ORDER[0]
    reference = check(name, lambda *args: None)
    check(name, reference)  # the re-run check cell
    assert read_record(tmp_path)[name]["status"] == "wrong"


def test_recording_never_disturbs_a_check(tmp_path, monkeypatch, capsys):
    (tmp_path / PROGRESS_FILE).mkdir()  # the file cannot be written (a folder in its place)
    monkeypatch.chdir(tmp_path)
    name = ORDER[0]
    assert check(name, learners_copy(name)) is not None
    assert f"✅ {name}" in capsys.readouterr().out
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / PROGRESS_FILE).write_text("{not json", encoding="utf-8")
    assert read_record(tmp_path / "other") == {}
    record("sigmoid", "solved", folder=tmp_path / "other")  # a broken file is replaced
    assert read_record(tmp_path / "other")["sigmoid"]["status"] == "solved"
    assert not list((tmp_path / "other").glob("*.tmp"))
    record("sigmoid", "solved", folder=tmp_path / "does-not-exist")  # no exception


def test_progress_in_a_fresh_kernel_after_a_notebook_was_run(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    exercises = nbformat.v4.new_notebook()
    solved, wrong, skipped = ORDER[:3]
    exercises.cells = [
        nbformat.v4.new_code_cell("from course_utils.checks import EXERCISES, check"),
        nbformat.v4.new_code_cell(
            f"def {solved}(*args):\n    return EXERCISES['{solved}'].reference(*args)\n\n"
            f'{solved} = check("{solved}", {solved})'
        ),
        nbformat.v4.new_code_cell(
            f'def {wrong}(*args):\n    return None\n\n{wrong} = check("{wrong}", {wrong})'
        ),
    ]
    summary = nbformat.v4.new_notebook()
    summary.cells = [nbformat.v4.new_code_cell("import course_utils\ncourse_utils.progress()")]
    env_path = {"metadata": {"path": str(tmp_path)}}
    for nb in (exercises, summary):  # two kernels, one after the other
        nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources=env_path
        ).execute()
    out = "".join(o.get("text", "") for o in summary.cells[0].outputs)
    assert f"solved         {solved}" in out
    assert f"wrong          {wrong}" in out
    assert f"not attempted  {skipped}" in out
    assert json.loads((tmp_path / PROGRESS_FILE).read_text(encoding="utf-8"))["exercises"]


# ---------------------------------------------------------------- two kernels at once


def record_many(folder, prefix, count, start):
    """One kernel's checks: `count` exercises recorded one after the other."""
    start.wait(30)
    for i in range(count):
        record(f"{prefix}_{i}", "solved", folder=folder)


def test_two_kernels_recording_at_once_lose_no_entry(tmp_path):
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    start = context.Event()
    kernels = [
        context.Process(target=record_many, args=(str(tmp_path), prefix, 50, start))
        for prefix in ("first", "second")
    ]
    for kernel in kernels:
        kernel.start()
    start.set()  # both write from now on, interleaved
    for kernel in kernels:
        kernel.join(120)
        assert kernel.exitcode == 0
    recorded = read_record(tmp_path)
    assert len(recorded) == 100, sorted(set(recorded))
    assert not list(tmp_path.glob("*.tmp"))


def test_without_fcntl_a_lock_file_keeps_every_entry(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "fcntl", None)  # as on Windows
    start = threading.Event()
    threads = [
        threading.Thread(target=record_many, args=(tmp_path, prefix, 50, start))
        for prefix in ("first", "second")
    ]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(120)
    assert len(read_record(tmp_path)) == 100
    assert not (tmp_path / LOCK_FILE).exists()  # removed after each record
    (tmp_path / LOCK_FILE).write_text("")  # left behind by a kernel that died long ago
    os.utime(tmp_path / LOCK_FILE, (1_000_000_000, 1_000_000_000))
    record("late", "wrong", folder=tmp_path)
    assert read_record(tmp_path)["late"]["status"] == "wrong"


def test_a_lock_held_too_long_delays_the_record_but_never_loses_it(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "LOCK_WAIT", 0.2)
    with progress_module.locked(tmp_path):  # another kernel that does not let go
        record("sigmoid", "solved", folder=tmp_path)
    assert read_record(tmp_path)["sigmoid"]["status"] == "solved"
