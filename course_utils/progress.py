"""Which exercises are solved: for one learner in a notebook, or for a whole room.

In a notebook (any notebook of the series, even in a fresh kernel):

    course_utils.progress()

prints every exercise of the series, notebook by notebook: solved, wrong or not attempted.
It reads what the checks recorded in `.course_progress.json` beside the notebooks and the
✅/❌/⏭ lines the checks printed in the saved notebooks of that folder.

For an instructor, in a terminal (nothing needs the learners' kernels):

    python -m course_utils.progress ~/hands-on-deep-learning/notebooks   # one learner
    python -m course_utils.progress /home                                # everyone on a hub

walks the folders for saved notebooks (*.ipynb) and progress files and prints, per learner
(the top-level folder under PATH when there are several) and per exercise, solved / wrong /
not attempted, then how many learners solved each exercise.

A check's line starts with its symbol and the exercise's name, e.g. "✅ sigmoid: …",
"❌ softmax: …", "⏭  relu_prime: …"; this module reads exactly that.
"""

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl  # Linux and macOS: a lock the system releases even if the kernel dies
except ImportError:  # Windows: a lock file created exclusively instead (see locked())
    fcntl = None

PROGRESS_FILE = ".course_progress.json"
LOCK_FILE = ".course_progress.lock"  # kernels of several notebooks may record at once
LOCK_WAIT = 5.0  # seconds; after that the record is written without the lock
SOLVED, WRONG, NOT_ATTEMPTED = "solved", "wrong", "not attempted"
SYMBOLS = {"✅": SOLVED, "❌": WRONG, "⏭": NOT_ATTEMPTED}
CHECK_LINE = re.compile(r"^(✅|❌|⏭)\ufe0f?\s*([A-Za-z_]\w*):", re.M)
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\w+)["']""")
MARKS = {SOLVED: "+", WRONG: "x", NOT_ATTEMPTED: "."}
SKIP_FOLDERS = {"__pycache__", "site-packages", "node_modules"}


# ---------------------------------------------------------------- recording (called by check)


def now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextlib.contextmanager
def locked(folder):
    """Hold the progress lock of folder while reading, merging and writing the file, so that
    two kernels recording at once both keep their entry. Waits at most LOCK_WAIT seconds,
    then goes on without it: recording must never stop a notebook."""
    path = Path(folder) / LOCK_FILE
    deadline = time.monotonic() + LOCK_WAIT
    held = None
    while held is None and time.monotonic() < deadline:
        try:
            held = take_lock(path)
        except (BlockingIOError, FileExistsError):  # another kernel is recording right now
            time.sleep(0.005)
        except OSError:  # a read-only folder, say: go on without the lock
            break
    try:
        yield
    finally:
        if held is not None and fcntl:
            held.close()  # releases the lock
        elif held is not None:
            os.close(held)
            with contextlib.suppress(OSError):
                os.unlink(path)


def take_lock(path):
    """An open file holding the lock (fcntl), or the descriptor of the lock file created
    exclusively (elsewhere); raises BlockingIOError or FileExistsError while it is taken."""
    if fcntl:
        handle = open(path, "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise
        return handle
    with contextlib.suppress(OSError):
        if time.time() - path.stat().st_mtime > 60:  # left behind by a kernel that died
            path.unlink()
    return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)


def record(name, status, folder="."):
    """Save the status of exercise `name` in the progress file of `folder`. Never raises:
    a read-only folder or a full disk must not disturb the notebook. The file is replaced
    in one step (a reader never sees half of it), under a lock (another kernel's entry,
    recorded at the same moment, is kept)."""
    temporary = None
    try:
        path = Path(folder) / PROGRESS_FILE
        entry = {"status": status, "time": now()}
        notebook = os.environ.get("JPY_SESSION_NAME")  # set by Jupyter for a notebook's kernel
        if notebook:
            entry["notebook"] = Path(notebook).name
        with locked(folder):
            entries = read_record(folder)
            entries[name] = entry
            text = json.dumps({"exercises": entries}, indent=1, ensure_ascii=False)
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=PROGRESS_FILE, suffix=".tmp"
            )
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.chmod(temporary, 0o644)  # readable like a saved notebook (mkstemp: private)
            os.replace(temporary, path)  # atomic: a reader never sees half a file
    except Exception:
        if temporary and os.path.exists(temporary):
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def read_record(folder="."):
    """{exercise: {"status", "time", "notebook"}} from the progress file, or {}."""
    try:
        data = json.loads((Path(folder) / PROGRESS_FILE).read_text(encoding="utf-8"))
        entries = data.get("exercises", {})
        return {
            name: entry
            for name, entry in entries.items()
            if isinstance(entry, dict) and entry.get("status") in MARKS
        }
    except Exception:
        return {}


# ---------------------------------------------------------------- reading saved notebooks


def read_notebook(path):
    """{exercise: status} from the check lines in a saved notebook's outputs."""
    found = {}
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        names = set(CHECK_CALL.findall(source if isinstance(source, str) else "".join(source)))
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            text = text if isinstance(text, str) else "".join(text)
            for symbol, name in CHECK_LINE.findall(text):
                if name in names:
                    found[name] = SYMBOLS[symbol]
    return found


def time_of(entry):
    try:
        return datetime.fromisoformat(entry["time"]).timestamp()
    except Exception:
        return 0.0


def learner_status(notebooks, records):
    """{exercise: (status, time)}: per exercise the most recent of what the saved notebooks
    show (at the time they were saved) and what the checks recorded."""
    status = {}

    def offer(name, value, when):
        if name not in status or when >= status[name][1]:
            status[name] = (value, when)

    unreadable = 0
    for path in notebooks:
        try:
            when = path.stat().st_mtime
            for name, value in read_notebook(path).items():
                offer(name, value, when)
        except Exception:
            unreadable += 1
    for path in records:
        for name, entry in read_record(path.parent).items():
            offer(name, entry["status"], time_of(entry))
    return status, unreadable


# ---------------------------------------------------------------- the series' exercises


def series():
    """[(notebook label, [exercise names])] in the order of the series."""
    from .checks import series as registered

    groups = {}
    for exercise in registered():
        number = re.match(r"nb(\d+)_?(.*)", exercise.notebook)
        label = f"{number[1]} ({number[2]})" if number else exercise.notebook
        groups.setdefault(label, []).append(exercise.name)
    return list(groups.items())


def ordered_names(extra=()):
    names = [name for _, group in series() for name in group]
    return names + sorted(set(extra) - set(names))


# ---------------------------------------------------------------- one learner


def progress(folder="."):
    """Print which exercises of the series are solved, wrong or not attempted.

    folder: where the notebooks are (default: the notebook's own folder). Uses what the
    checks recorded there and the check lines in the saved notebooks of that folder.
    """
    folder = Path(folder)
    notebooks = sorted(folder.glob("*.ipynb"))
    records = [folder / PROGRESS_FILE] if (folder / PROGRESS_FILE).exists() else []
    status, _ = learner_status(notebooks, records)
    counts = {SOLVED: 0, WRONG: 0, NOT_ATTEMPTED: 0}
    lines = []
    for label, names in series():
        solved = sum(status.get(n, (NOT_ATTEMPTED,))[0] == SOLVED for n in names)
        lines.append(f"\nNotebook {label}: {solved} of {len(names)} solved")
        for name in names:
            value, when = status.get(name, (NOT_ATTEMPTED, 0))
            counts[value] += 1
            stamp = ""
            if when and value != NOT_ATTEMPTED:
                stamp = f"  (checked {datetime.fromtimestamp(when).strftime('%a %H:%M')})"
            lines.append(f"   {value:<14} {name}{stamp}")
    total = sum(counts.values())
    print(
        f"Your exercises: {counts[SOLVED]} of {total} solved, {counts[WRONG]} wrong, "
        f"{counts[NOT_ATTEMPTED]} not attempted."
    )
    if not notebooks and not records:
        print(f"(No notebooks or checks recorded in {folder.resolve()} yet.)")
    print("\n".join(lines))
    if counts[WRONG]:
        print("\nA wrong exercise: re-run its cell to see what the check says.")


# ---------------------------------------------------------------- a room


def walk(root):
    """Saved notebooks and progress files under root (hidden folders skipped)."""
    notebooks, records = [], []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and d not in SKIP_FOLDERS
        )
        for file in sorted(files):
            path = Path(folder) / file
            if file.endswith(".ipynb"):
                notebooks.append(path)
            elif file == PROGRESS_FILE:
                records.append(path)
    return notebooks, records


def learners(root):
    """{learner: (notebooks, records)}: the top-level folders under root when there are
    several with notebooks, else root itself is one learner."""
    root = Path(root)
    if root.is_file():
        return {root.parent.resolve().name: ([root], [])}
    notebooks, records = walk(root)
    groups = {}
    for path in notebooks + records:
        parts = path.relative_to(root).parts
        groups.setdefault(parts[0] if len(parts) > 1 else "", []).append(path)
    if len(groups) <= 1 or "" in groups and len(groups) == 2:
        return {root.resolve().name or str(root): (notebooks, records)}
    return {
        name or root.resolve().name: (
            [p for p in paths if p.suffix == ".ipynb"],
            [p for p in paths if p.name == PROGRESS_FILE],
        )
        for name, paths in sorted(groups.items())
    }


def room(paths, out=print):
    """Print per learner and per exercise: solved / wrong / not attempted, and the counts."""
    table, unreadable, files = {}, 0, 0
    for root in paths:
        if not Path(root).exists():
            out(f"{root}: no such folder")
            continue
        for learner, (notebooks, records) in learners(root).items():
            status, bad = learner_status(notebooks, records)
            files += len(notebooks) + len(records)
            unreadable += bad
            if notebooks or records:
                table[learner] = {name: value for name, (value, _) in status.items()}
    if not table:
        out("No saved notebooks (*.ipynb) found.")
        return table
    names = ordered_names(n for statuses in table.values() for n in statuses)
    groups = series()
    known = {n for _, g in groups for n in g}
    if set(names) - known:
        groups.append(("other", [n for n in names if n not in known]))
    width = max(10, *(len(learner) for learner in table))
    out(f"{len(table)} learner(s), {len(names)} exercises, from {files} file(s)")
    if unreadable:
        out(f"({unreadable} notebook(s) could not be read)")
    legend = ", ".join(f"{mark} {status}" for status, mark in MARKS.items())
    out(f"\nPer learner ({legend}; one column per exercise, by notebook):")
    header = " ".join(label.split()[0].ljust(len(g)) for label, g in groups)
    out(f"{'':<{width}}  {header}  solved wrong not attempted  wrong ones")
    for learner, statuses in table.items():
        marks = " ".join(
            "".join(MARKS[statuses.get(n, NOT_ATTEMPTED)] for n in g) for _, g in groups
        )
        counts = [sum(statuses.get(n, NOT_ATTEMPTED) == s for n in names) for s in MARKS]
        wrong = [n for n in names if statuses.get(n) == WRONG]
        listed = ", ".join(wrong[:3]) + (", …" if len(wrong) > 3 else "")
        row = f"{learner:<{width}}  {marks}  {counts[0]:>6} {counts[1]:>5} {counts[2]:>13}"
        out(f"{row}  {listed}".rstrip())
    out("\nPer exercise (number of learners):")
    name_width = max(len(n) for n in names) + 4
    out(f"{'':<{name_width}}  solved wrong not attempted")
    for label, group in groups:
        for name in group:
            counts = [sum(s.get(name, NOT_ATTEMPTED) == v for s in table.values()) for v in MARKS]
            tag = f"{label.split()[0]} {name}"
            out(f"{tag:<{name_width}}  {counts[0]:>6} {counts[1]:>5} {counts[2]:>13}")
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.progress",
        description="Summarise the exercises solved in saved notebooks: one learner's folder, "
        "or a folder of learners' folders (e.g. /home on a JupyterHub).",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="folders (or notebooks) to read (default: the current folder)",
    )
    args = parser.parse_args(argv)
    table = room(args.paths)
    return 0 if table else 1


if __name__ == "__main__":
    sys.exit(main())
