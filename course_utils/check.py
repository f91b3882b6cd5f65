"""Setup check: is this computer ready for the Hands-On Deep Learning notebooks?

In a terminal, in the course folder, with the environment activated:

    python -m course_utils.check

In a notebook (the first cell of notebook 01 does this):

    from course_utils.check import run_checks
    run_checks(in_notebook=True)

It prints one line per check, PASS / WARN / FAIL, with a one-line fix under every problem,
then a block to copy-paste to a helper (OS, Python, which Python, package versions).
FAIL means a notebook will not run; WARN means something optional is missing or unusual.
The command exits with status 1 if any check FAILs.

This module imports only the standard library at the top, so that it can still explain
what is missing when NumPy or another package is not installed.
"""

import importlib
import importlib.metadata
import importlib.util
import io
import json
import os
import platform
import re
import shutil
import site
import sys
import sysconfig
import tempfile
import time
import warnings
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
    "pytest": "8.0",
    "nbval": "0.11",
    "ruff": "0.6",
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
    "jupyterlab": ("jupyterlab", "`jupyter lab`, to open the notebooks", True),
    "pytest": ("pytest", "`python -m pytest` (tests only)", False),
    "nbval": ("nbval", "re-running the notebooks in the tests", False),
    "ruff": (None, "the lint check (tests only)", False),
}

# ipywidgets major version -> major version of its JupyterLab front-end
# (the jupyterlab_widgets package, labextension @jupyter-widgets/jupyterlab-manager).
WIDGETS_FRONTEND = {8: ("jupyterlab_widgets", 3, 5), 7: ("jupyterlab_widgets", 1, 3)}
LABEXTENSION = "@jupyter-widgets/jupyterlab-manager"

STATUSES = ("PASS", "WARN", "FAIL")


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


class Report(list):
    """The results of run_checks(), a list of Result. `.ok` is False if any check FAILed."""

    @property
    def ok(self):
        return not any(r.status == "FAIL" for r in self)

    def number(self, status):
        """How many checks ended with `status` ("PASS", "WARN" or "FAIL")."""
        return sum(r.status == status for r in self)

    def summary(self):
        counts = ", ".join(f"{self.number(s)} {s}" for s in STATUSES)
        verdict = "ready to go" if self.ok else "fix the FAIL lines above, then run the check again"
        return f"Setup check: {counts}: {verdict}."

    def _ipython_display_(self):
        """In a notebook the lines are already printed: show nothing more."""

    def __repr__(self):
        return self.summary()


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


def check_course_utils(notebook_folder=None, package_root=None):
    """course_utils comes from the same copy of the course as the notebooks, and has every
    module and exercise check they use."""
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
    package_root = Path(package_root or Path(course_utils.__file__).resolve().parent.parent)
    version = getattr(course_utils, "__version__", "?")
    folder = Path(notebook_folder) if notebook_folder else notebooks_dir()
    if folder is None:
        return Result(
            "PASS",
            "course_utils",
            f"{version} from {package_root} (no notebooks folder here to compare with)",
        )
    course_root = folder.resolve().parent
    if course_root != package_root.resolve():
        return Result(
            "FAIL",
            "course_utils",
            f"is imported from {package_root}, but these notebooks are in {folder}: "
            "two copies of the course are mixed up",
            f'"{sys.executable}" -m pip install -e "{course_root}"',
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
    return Result(
        "PASS",
        "course_utils",
        f"{version} from {package_root}; has all {len(modules)} modules and "
        f"{len(exercises)} exercise checks the notebooks use",
    )


def labextension_version(name=LABEXTENSION):
    """Version of a JupyterLab extension installed in any Jupyter data folder, or None."""
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:
        return None
    for folder in jupyter_path("labextensions"):
        package = Path(folder) / name / "package.json"
        if package.is_file():
            try:
                return json.loads(package.read_text(encoding="utf-8")).get("version")
            except (OSError, ValueError):
                continue
    return None


def check_widgets(version_of=None, extension_version=None, in_notebook=False):
    """ipywidgets and its JupyterLab front-end (jupyterlab_widgets) are compatible versions."""
    version_of = version_of or distribution_version
    widgets = version_of("ipywidgets")
    if widgets is None:
        return Result("FAIL", "widgets", "ipywidgets is not installed", install_fix())
    if on_colab():
        return Result("PASS", "widgets", f"ipywidgets {widgets} with Colab's own front-end")
    major = version_tuple(widgets)[0]
    if major not in WIDGETS_FRONTEND:
        return Result(
            "WARN",
            "widgets",
            f"ipywidgets {widgets} is a version this check does not know",
            f'"{sys.executable}" -m pip install "ipywidgets>=8.1,<9"',
        )
    frontend, frontend_major, extension_major = WIDGETS_FRONTEND[major]
    frontend_version = version_of(frontend)
    if extension_version is None:
        extension_version = labextension_version()
    jupyterlab = version_of("jupyterlab")
    fix = f'"{sys.executable}" -m pip install --upgrade "ipywidgets>=8.1" jupyterlab_widgets'
    if frontend_version is None:
        status = "FAIL" if jupyterlab or not in_notebook else "WARN"
        return Result(
            status,
            "widgets",
            f"ipywidgets {widgets} is installed but not its JupyterLab front-end ({frontend}): "
            "sliders would show as text",
            fix,
        )
    if version_tuple(frontend_version)[0] != frontend_major:
        return Result(
            "FAIL",
            "widgets",
            f"ipywidgets {widgets} needs {frontend} {frontend_major}.x, found {frontend_version}",
            fix,
        )
    if extension_version and version_tuple(extension_version)[0] != extension_major:
        return Result(
            "FAIL",
            "widgets",
            f"JupyterLab has {LABEXTENSION} {extension_version} installed, but ipywidgets "
            f"{widgets} needs {extension_major}.x (an old copy in another Jupyter folder?)",
            fix + "; then restart JupyterLab",
        )
    return Result(
        "PASS",
        "widgets",
        f"ipywidgets {widgets} + {frontend} {frontend_version} (compatible)",
    )


def check_matplotlib():
    """matplotlib draws a figure (with the symbols the notebooks use) into a PNG."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1, 2], [0, 1, 4])
    ax.set_title("φ(M1·x + b1), ŷ, ∂J/∂p, α")
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buffer, format="png")
    size = len(buffer.getvalue())
    if size < 1000 or buffer.getvalue()[:8] != b"\x89PNG\r\n\x1a\n":
        return Result(
            "FAIL",
            "plotting",
            f"matplotlib drew an empty or broken PNG ({size} bytes)",
            install_fix(),
        )
    glyphs = [str(w.message) for w in caught if "glyph" in str(w.message).lower()]
    if glyphs:
        return Result(
            "WARN",
            "plotting",
            f"draws, but the font lacks symbols the notebooks use ({glyphs[0]})",
            f'"{sys.executable}" -m pip install --force-reinstall matplotlib '
            "(restores its DejaVu fonts)",
        )
    import matplotlib

    return Result("PASS", "plotting", f"matplotlib draws (backend {matplotlib.get_backend()})")


def check_pillow(folder=None):
    """Pillow writes a PNG to disk and reads back the same pixels."""
    import numpy as np
    from PIL import Image

    pixels = (np.arange(28 * 28, dtype=np.uint16) % 256).astype(np.uint8).reshape(28, 28)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = Path(tmp) / "digit.png"
        Image.fromarray(pixels).save(path)
        with Image.open(path) as image:
            back = np.asarray(image.convert("L"))
    if back.shape != pixels.shape or not np.array_equal(back, pixels):
        return Result(
            "FAIL", "images", "Pillow: a PNG read back differs from what was written", install_fix()
        )
    return Result("PASS", "images", "Pillow writes and reads back a PNG")


def check_sample(directory=None, checksums=None):
    """The 5,000-digit MNIST sample shipped in data/ is there and intact (SHA-256)."""
    from course_utils import data

    directory = Path(directory or data.SAMPLE_DIR)
    report = data.verify_directory(directory, checksums or data.SAMPLE_SHA256)
    bad = {name: status for name, status in report.items() if status != "ok"}
    if not bad:
        return Result("PASS", "sample data", f"{len(report)} files in {directory}, checksums OK")
    problems = "; ".join(f"{name}: {status.split(':')[0]}" for name, status in bad.items())
    return Result(
        "FAIL",
        "sample data",
        f"{directory}: {problems}",
        "get a fresh copy of the course folder (git clone, or download the ZIP again); "
        "the files in data/mnist-sample/ must not be edited or converted",
    )


def check_full_mnist(directory=None, environ=None):
    """Is the full MNIST (70,000 digits) here? Optional: the sample works offline."""
    from course_utils import data

    environ = os.environ if environ is None else environ
    named = environ.get(data.ENV_VAR)
    directory = Path(directory or named or data.CACHE_DIR)
    report = data.verify_directory(directory)
    if all(status == "ok" for status in report.values()):
        return Result("PASS", "full MNIST", f"all 4 files in {directory}, checksums OK")
    missing = [name for name, status in report.items() if status == "missing"]
    broken = [name for name, status in report.items() if status not in ("ok", "missing")]
    if named:  # load_mnist() refuses an incomplete folder that you named
        return Result(
            "FAIL",
            "full MNIST",
            f"{data.ENV_VAR}={named}, but that folder is "
            + ("incomplete" if missing else "corrupt")
            + f" ({', '.join(missing + broken)}); load_mnist() will raise an error",
            f"copy all four MNIST .gz files there, or unset {data.ENV_VAR}",
        )
    if broken:
        return Result(
            "WARN",
            "full MNIST",
            f"damaged files in {directory}: {', '.join(broken)} (the notebooks fall back to "
            "a download or the sample)",
            f"delete {directory} and run: python -m course_utils.data download",
        )
    return Result(
        "WARN",
        "full MNIST",
        "not downloaded (optional): notebooks 06–07 will use the 5,000-digit sample "
        "or download it (11 MB) when they run",
        "python -m course_utils.data download",
    )


def check_compute(tolerance=1e-6):
    """A seconds-long smoke test: a tiny network's backprop agrees with finite differences."""
    import numpy as np

    from course_utils.activations import Tanh
    from course_utils.gradcheck import check_gradients
    from course_utils.layers import Linear, Sequential
    from course_utils.losses import MSELoss

    start = time.perf_counter()
    rng = np.random.default_rng(0)
    model = Sequential(
        Linear(3, 5, init="xavier", rng=rng, dtype=np.float64),
        Tanh(),
        Linear(5, 2, init="xavier", rng=rng, dtype=np.float64),
    )
    x, y = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
    errors = check_gradients(model, MSELoss(), x, y)
    product = rng.standard_normal((200, 200)) @ rng.standard_normal((200, 200))
    seconds = time.perf_counter() - start
    worst = max(errors.values())
    if not np.isfinite(product).all() or not worst < tolerance:
        return Result(
            "FAIL",
            "compute",
            f"gradient check of a tiny network: relative error {worst:.1e} "
            f"(should be < {tolerance:.0e})",
            "NumPy or course_utils is broken: " + install_fix() + " --force-reinstall",
        )
    detail = f"gradient check of a tiny network OK (error {worst:.1e}) in {seconds:.2f} s"
    if seconds > 5:
        return Result(
            "WARN",
            "compute",
            detail + ": this computer is slow",
            "close other programs; training cells will take longer than stated",
        )
    return Result("PASS", "compute", detail)


# ---------------------------------------------------------------- running them all


def guarded(name, check, *args, **kwargs):
    """Run one check; turn a crash into a Result instead of stopping the whole check."""
    try:
        result = check(*args, **kwargs)
    except ImportError as err:
        return [Result("WARN", name, f"not run: {err} (see the package lines above)")]
    except Exception as err:
        return [
            Result(
                "FAIL",
                name,
                f"the check itself failed: {type(err).__name__}: {err}",
                install_fix(),
            )
        ]
    return result if isinstance(result, list) else [result]


def report_block(results):
    """The text to copy-paste to a helper: where and what this Python is."""
    lines = [
        "----- copy from here -----",
        f"OS:             {platform.platform()}",
        f"Python:         {platform.python_version()} ({platform.python_implementation()})",
        f"sys.executable: {sys.executable}",
        f"sys.prefix:     {sys.prefix}"
        + ("  (virtual env)" if sys.prefix != sys.base_prefix else ""),
        f"working dir:    {Path.cwd()}",
        f"jupyter:        {shutil.which('jupyter') or 'not on PATH'}",
        f"MNIST_DIR:      {os.environ.get('MNIST_DIR', '(not set)')}",
        "packages:       "
        + ", ".join(
            f"{dist} {distribution_version(dist) or 'MISSING'}"
            for dist in [*PACKAGES, "jupyterlab_widgets", "ipykernel", "course_utils"]
        ),
    ]
    module = sys.modules.get("course_utils")
    if module is not None:
        lines.append(f"course_utils:   {Path(module.__file__).resolve().parent}")
    if on_colab():
        lines.append("platform:       Google Colab")
    if "BINDER_LAUNCH_HOST" in os.environ or "BINDER_REQUEST" in os.environ:
        lines.append("platform:       Binder")
    lines.append("results:        " + " ".join(f"{r.name}={r.status}" for r in results))
    lines.append("----- to here -----")
    return "\n".join(lines)


def run_checks(in_notebook=False, out=print):
    """Run every check, print one line each and the report block; return a Report.

    in_notebook=True: the checks that make sense in a running kernel, and a slider that
    the learner should see and move (the only way to know the front-end shows widgets).
    """
    results = Report()
    checks = [
        ("python", check_python),
        ("packages", check_packages),
        ("environment", check_environment),
        ("course_utils", check_course_utils),
        ("widgets", check_widgets),
        ("plotting", check_matplotlib),
        ("images", check_pillow),
        ("sample data", check_sample),
        ("full MNIST", check_full_mnist),
        ("compute", check_compute),
    ]
    takes_mode = {"packages", "environment", "widgets"}
    for name, check in checks:
        kwargs = {"in_notebook": in_notebook} if name in takes_mode else {}
        for result in guarded(name, check, **kwargs):
            results.append(result)
            out(result.line())
    out("")
    out(results.summary())
    if in_notebook:
        show_test_slider(out)
    out("")
    out("If you ask for help, copy-paste this block:")
    out(report_block(results))
    return results


def show_test_slider(out=print):
    """Show a slider and ask the learner to confirm that it renders and reacts."""
    try:
        import ipywidgets as widgets
        from IPython.display import display
    except ImportError:
        return
    out("")
    out(
        "Last check, by eye: below you should see a slider. Drag it: the line under it must "
        "change.\nIf you see text such as 'IntSlider(value=0...)' or 'Error displaying widget' "
        "instead, widgets do not work: run `python -m course_utils.check` in a terminal and "
        "restart JupyterLab."
    )
    slider = widgets.IntSlider(value=0, min=0, max=10, description="test slider")
    label = widgets.Label(value="slider at 0: move it")

    def moved(change):
        label.value = f"slider at {change['new']}: widgets work ✔"

    slider.observe(moved, names="value")
    display(widgets.VBox([slider, label]))


def main(argv=None):
    """`python -m course_utils.check`: exit status 1 if any check FAILs."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    return 0 if run_checks(in_notebook=False).ok else 1


if __name__ == "__main__":
    sys.exit(main())
