"""Setup check, part 3: do widgets, figures, images, the MNIST data and the maths work?

Used by course_utils.check (`python -m course_utils.check`). NumPy and friends are imported
inside the checks, so that a missing package becomes one WARN line, not a crash.
"""

import io
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from course_utils.setup_env import (
    Result,
    distribution_version,
    install_fix,
    on_colab,
    version_tuple,
)

# ipywidgets major version -> major version of its JupyterLab front-end
# (the jupyterlab_widgets package, labextension @jupyter-widgets/jupyterlab-manager).
WIDGETS_FRONTEND = {8: ("jupyterlab_widgets", 3, 5), 7: ("jupyterlab_widgets", 1, 3)}
LABEXTENSION = "@jupyter-widgets/jupyterlab-manager"


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
