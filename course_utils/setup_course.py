"""Setup check, part 2: is course_utils installed, and from the same copy as the notebooks?

A course folder run with `python -m course_utils.check` imports course_utils from the
working folder even when it is not installed; a notebook's kernel, started in notebooks/,
then fails. This check asks a fresh Python started where the kernel would start.
Used by course_utils.check (`python -m course_utils.check`).
"""

import importlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from course_utils.setup_env import (
    Result,
    environment_dirs,
    install_fix,
    is_inside,
    on_colab,
)


def notebooks_dir(start=None):
    """The folder holding the course notebooks near `start` (default: cwd), or None."""
    start = Path(start or Path.cwd())
    for folder in (start, start / "notebooks", start.parent / "notebooks"):
        if any(folder.glob("[0-9][0-9]_*.ipynb")):
            return folder
    return None


IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+(course_utils(?:\.\w+)*)", re.M)
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\w+)["']""")


def is_course_folder(folder):
    """A complete copy of the course, which `pip install -e` can install."""
    folder = Path(folder)
    return (folder / "pyproject.toml").is_file() and (folder / "course_utils").is_dir()


def import_location(folder, module="course_utils", executable=None):
    """The folder a fresh Python started in `folder` (as a notebook kernel is) imports
    `module` from, or None if it cannot import it there."""
    code = f"import importlib.util as u; s = u.find_spec({module!r}); print(s.origin if s else '')"
    run = subprocess.run(
        [executable or sys.executable, "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    origin = run.stdout.strip()
    return Path(origin).resolve().parent if run.returncode == 0 and origin else None


def editable_fix(folder):
    """The command that makes every Python kernel import course_utils from `folder`."""
    if is_course_folder(folder):
        return f'"{sys.executable}" -m pip install -e "{folder}"'
    return install_fix()


def check_course_utils(notebook_folder=None, package_root=None, in_notebook=False, probe=None):
    """course_utils is installed (not just importable from the working folder), comes from
    the same copy of the course as the notebooks, and has every module and exercise check
    they use. probe(folder) -> import folder or None can be replaced (the tests do)."""
    try:
        import course_utils
        from course_utils.checks import EXERCISES, load_all
    except Exception as err:
        return Result(
            "FAIL",
            "course_utils",
            f"cannot be imported ({type(err).__name__}: {err})",
            f"{install_fix()}  (it installs course_utils with -e .)",
        )
    package_dir = Path(course_utils.__file__).resolve().parent
    package_root = Path(package_root or package_dir.parent)
    version = getattr(course_utils, "__version__", "?")
    folder = Path(notebook_folder) if notebook_folder else notebooks_dir()
    if not in_notebook and not on_colab():
        # `python -m` imports from the working folder; a kernel started elsewhere does not.
        with tempfile.TemporaryDirectory() as empty:
            start = folder or Path(empty)
            seen = (probe or import_location)(start)
        where = f"started in {folder}" if folder else "started in another folder"
        if seen is None:
            return Result(
                "FAIL",
                "course_utils",
                f"is imported from {package_root} only because you are in that folder: it is "
                f"not installed, so a notebook's kernel ({where}) cannot import it "
                "(ModuleNotFoundError)",
                editable_fix(package_root),
            )
        if seen != package_dir:
            return Result(
                "FAIL",
                "course_utils",
                f"`python` here imports it from {package_dir}, but a notebook's kernel ({where}) "
                f"imports {seen}: two copies of the course are mixed up",
                editable_fix(package_root),
            )
    if folder is None:
        return Result(
            "PASS",
            "course_utils",
            f"{version} from {package_root} (no notebooks folder here to compare with)",
        )
    course_root = folder.resolve().parent
    installed = is_inside(package_dir, environment_dirs())  # pip install ., a wheel, a hub
    outside = None
    if course_root != package_root.resolve() and not installed:
        if is_course_folder(course_root):
            return Result(
                "FAIL",
                "course_utils",
                f"is imported from {package_root}, but these notebooks are in {folder}: "
                "two copies of the course are mixed up",
                editable_fix(course_root),
            )
        outside = Result(  # notebooks copied out of the course folder: they work as they are
            "WARN",
            "course_utils",
            f"these notebooks ({folder}) are not in a course folder; they use course_utils "
            f"{version} from {package_root}",
            f"nothing to install; to work on the course's own notebooks open "
            f"{package_root / 'notebooks'}",
        )
    modules, exercises = set(), set()
    for path in sorted(folder.glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "code":
                source = "".join(cell.get("source", ""))
                modules.update(IMPORT_LINE.findall(source))
                exercises.update(CHECK_CALL.findall(source))
    load_all()
    missing = []
    for name in sorted(modules):
        try:
            importlib.import_module(name)
        except ImportError as err:
            missing.append(f"module {name} ({err})")
    missing += [f"exercise {name!r}" for name in sorted(exercises - set(EXERCISES))]
    if missing:
        return Result(
            "FAIL",
            "course_utils",
            "does not match the notebooks: missing " + "; ".join(missing),
            "update the whole course folder (git pull, or download it again), then "
            + install_fix(),
        )
    how = "installed, not editable," if installed else "from"
    return outside or Result(
        "PASS",
        "course_utils",
        f"{version} {how} {package_root}; has all {len(modules)} modules and "
        f"{len(exercises)} exercise checks the notebooks use",
    )
