"""Setup check, part 1: is this the right Python, with the right packages and course_utils?

Used by course_utils.check (`python -m course_utils.check`). Standard library only at the
top, so that it can still explain what is missing when NumPy is not installed.
"""

import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

PYTHON_MIN = (3, 10)
PYTHON_MAX = (3, 13)  # newest version the series is tested with

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO_ROOT / "requirements.txt"

# The minimum versions of requirements.txt, for an installation without the repository
# next to it (Colab installs from git; tests/test_check.py keeps this equal to the file).
FALLBACK_MINIMUMS = {
    "numpy": "1.26",
    "matplotlib": "3.8",
    "pillow": "10.0",
    "ipywidgets": "8.1",
    "jupyterlab": "4.1",
    "tqdm": "4.66",
    "threadpoolctl": "3.1",
    "pytest": "8.0",
    "nbval": "0.11",
    "ruff": "0.6",
    "setuptools": "77",
}

# distribution name -> (import name, what it is for, needed for the notebooks to run?)
# The tools (jupyterlab, pytest, nbval) are only located, not imported: importing
# jupyterlab alone takes a second, and the notebooks never import them.
TOOLS = {"jupyterlab", "pytest", "nbval"}
PACKAGES = {
    "numpy": ("numpy", "arrays: every notebook", True),
    "matplotlib": ("matplotlib", "figures", True),
    "pillow": ("PIL", "reading and writing images", True),
    "ipywidgets": ("ipywidgets", "the sliders", True),
    "tqdm": ("tqdm", "progress bars", True),
    "threadpoolctl": ("threadpoolctl", "one BLAS thread for training", True),
    "jupyterlab": ("jupyterlab", "`jupyter lab`, to open the notebooks", True),
    "pytest": ("pytest", "`python -m pytest` (tests only)", False),
    "nbval": ("nbval", "re-running the notebooks in the tests", False),
    "ruff": (None, "the lint check (tests only)", False),
    "setuptools": (None, "building the package (tests only)", False),
}


@dataclass
class Result:
    """One line of the report: status, what was checked, what was found, and how to fix it."""

    status: str
    name: str
    detail: str
    fix: str = ""

    def line(self):
        text = f"{self.status}  {self.name:<13} {self.detail}"
        if self.fix and self.status != "PASS":
            text += f"\n      fix: {self.fix}"
        return text


# ---------------------------------------------------------------- helpers


def on_colab():
    return "google.colab" in sys.modules


def version_tuple(text):
    """'2.4.6' -> (2, 4, 6); '8.1.0rc1' -> (8, 1, 0): the leading numbers, enough for >=."""
    numbers = []
    for part in str(text).split("."):
        match = re.match(r"\d+", part)
        if not match:
            break
        numbers.append(int(match.group()))
        if match.group() != part:
            break
    return tuple(numbers)


def read_minimums(path=REQUIREMENTS):
    """{distribution: minimum version} from the `name>=x.y` lines of requirements.txt."""
    path = Path(path)
    if not path.is_file():
        return dict(FALLBACK_MINIMUMS)
    minimums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9.]*)", line.split("#")[0])
        if match:
            minimums[match.group(1).lower()] = match.group(2)
    return minimums


def distribution_version(name):
    """The installed version of distribution `name`, or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def environment_dirs():
    """The folders this Python installs packages into (site-packages and friends)."""
    dirs = set()
    for key in ("purelib", "platlib"):
        dirs.add(sysconfig.get_paths()[key])
    try:
        dirs.update(site.getsitepackages())
    except AttributeError:  # some embedded Pythons lack it
        pass
    if site.ENABLE_USER_SITE:
        dirs.add(site.getusersitepackages())
    return [os.path.abspath(d) for d in dirs if d]


def is_inside(path, folders):
    path = os.path.abspath(path)
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def install_fix():
    """The command that installs everything into *this* Python."""
    where = REQUIREMENTS if REQUIREMENTS.is_file() else "requirements.txt"
    return f'"{sys.executable}" -m pip install -r "{where}"'


# ---------------------------------------------------------------- the checks


def check_python(version_info=None):
    """The Python version is in the supported range (3.10–3.13)."""
    version = tuple((version_info or sys.version_info)[:3])
    text = "Python " + ".".join(map(str, version))
    supported = f"supported: {PYTHON_MIN[0]}.{PYTHON_MIN[1]}–{PYTHON_MAX[0]}.{PYTHON_MAX[1]}"
    if version[:2] < PYTHON_MIN:
        return Result(
            "FAIL",
            "python",
            f"{text} is too old ({supported})",
            "install Python 3.12 from python.org (or your package manager) and make a new "
            "environment with it, as in the README",
        )
    if version[:2] > PYTHON_MAX:
        return Result(
            "WARN",
            "python",
            f"{text} is newer than the series was tested with ({supported})",
            "it will probably work; if a package fails to install, use Python 3.12",
        )
    return Result("PASS", "python", f"{text} ({supported})")


def locate_module(name):
    """Like importlib.import_module for a tool: raise ImportError if it is not installed."""
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named '{name}'")
    return sys.modules.get(name)


def check_packages(minimums=None, import_module=None, version_of=None, in_notebook=False):
    """Every package of requirements.txt imports, at its minimum version or newer.

    import_module and version_of can be replaced (the tests simulate missing packages).
    Returns one Result per package.
    """
    minimums = read_minimums() if minimums is None else minimums
    version_of = version_of or distribution_version
    results = []
    for dist, (module_name, purpose, needed) in PACKAGES.items():
        minimum = minimums.get(dist, FALLBACK_MINIMUMS.get(dist, "0"))
        required = needed
        if dist == "jupyterlab" and (in_notebook or on_colab()):
            required = False  # a notebook is already open, in JupyterLab or elsewhere
        if dist == "ipywidgets" and on_colab():
            required = False  # Colab ships its own (older) ipywidgets; the sliders work
        bad = "FAIL" if required else "WARN"
        label = f"{dist}"
        try:
            if module_name:
                load = import_module or (
                    locate_module if dist in TOOLS else importlib.import_module
                )
                module = load(module_name)
                version = version_of(dist) or getattr(module, "__version__", None)
            else:
                version = version_of(dist)
                if version is None:
                    raise ModuleNotFoundError(f"No module named '{dist}'")
        except ImportError as err:
            results.append(
                Result(
                    bad,
                    label,
                    f"not installed ({err}); needed for {purpose}",
                    install_fix(),
                )
            )
            continue
        except Exception as err:  # a broken installation can fail in any way on import
            results.append(
                Result(bad, label, f"fails on import: {type(err).__name__}: {err}", install_fix())
            )
            continue
        if version is None or version_tuple(version) < version_tuple(minimum):
            results.append(
                Result(
                    bad,
                    label,
                    f"{version} is older than the minimum {minimum} ({purpose})",
                    f'"{sys.executable}" -m pip install --upgrade "{dist}>={minimum}"',
                )
            )
            continue
        results.append(Result("PASS", label, f"{version} (>= {minimum})"))
    return results


def check_environment(
    in_notebook=False,
    modules=("numpy", "matplotlib", "PIL", "ipywidgets", "tqdm"),
    executable=None,
    prefix=None,
    which=shutil.which,
    repo_root=REPO_ROOT,
):
    """The Python running this is the one the packages are installed in.

    Catches the classic "ModuleNotFoundError although I installed it": packages installed
    into another Python, a `jupyter` from another environment, a `.venv` made but not used.
    Returns a list of Results (one PASS if all is well).
    """
    executable = executable or sys.executable
    prefix = prefix or sys.prefix
    problems = []
    own_dirs = environment_dirs() + [str(repo_root)]
    for name in modules:
        module = sys.modules.get(name)
        where = getattr(module, "__file__", None)
        if where and not is_inside(where, own_dirs):
            problems.append(
                Result(
                    "FAIL",
                    "environment",
                    f"{name} is imported from {os.path.dirname(where)}, which is not an "
                    f"environment of this Python ({executable}); a PYTHONPATH or a second "
                    "installation is mixing in",
                    f"remove PYTHONPATH (if set), then {install_fix()}",
                )
            )
    venv = Path(repo_root) / ".venv"
    if venv.is_dir() and Path(prefix).resolve() != venv.resolve() and not on_colab():
        what = "this notebook's kernel" if in_notebook else "`python`"
        fix = (
            "choose the kernel of .venv (Kernel → Change Kernel), or quit JupyterLab, "
            "activate .venv and start `jupyter lab` again"
            if in_notebook
            else "activate it first (Linux/macOS: source .venv/bin/activate, "
            "Windows: .venv\\Scripts\\Activate.ps1)"
        )
        problems.append(
            Result(
                "WARN",
                "environment",
                f"the course folder has a .venv, but {what} runs {executable}",
                fix,
            )
        )
    if not in_notebook:
        jupyter = which("jupyter")
        bin_dir = os.path.dirname(os.path.abspath(executable))
        if jupyter and os.path.dirname(os.path.abspath(jupyter)) != bin_dir:
            problems.append(
                Result(
                    "WARN",
                    "environment",
                    f"`jupyter` on your PATH is {jupyter}, from another environment than "
                    f"this Python ({executable}); its kernel may not see the packages",
                    f'activate this environment, or start JupyterLab with "{executable}" '
                    "-m jupyter lab",
                )
            )
        kernel = default_kernel_python()
        if kernel and os.path.isabs(kernel):
            if os.path.dirname(os.path.abspath(kernel)) != bin_dir:
                problems.append(
                    Result(
                        "WARN",
                        "environment",
                        f"the 'Python 3' kernel runs {kernel}, not this Python ({executable})",
                        f'"{executable}" -m ipykernel install --user --name python3 '
                        "(makes the kernel use this environment)",
                    )
                )
    if problems:
        return problems
    where = "this notebook's kernel" if in_notebook else "python"
    return [Result("PASS", "environment", f"{where} = {executable}; packages found there")]


def default_kernel_python():
    """argv[0] of the 'python3' kernel JupyterLab would start, or None if unknown."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager().get_kernel_spec("python3").argv[0]
    except Exception:  # no jupyter_client, no such kernel: nothing to compare
        return None


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
