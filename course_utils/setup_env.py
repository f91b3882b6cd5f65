"""Setup check, part 1: is this the right Python, with the right packages and course_utils?

Used by course_utils.check (`python -m course_utils.check`). Standard library only at the
top, so that it can still explain what is missing when NumPy is not installed.
"""

import importlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import site
import sys
import sysconfig
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
    "scipy": "1.10",
    "anywidget": "0.9",
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
    "scipy": ("scipy.ndimage", "reading your own handwritten digit (07)", True),
    "anywidget": ("anywidget", "the drawing canvas (07)", True),
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
        if in_notebook and not needed:
            continue  # the test tools do not matter to a learner (a hub does not install them)
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
