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

The checks live in setup_env.py (Python, packages, environment), setup_course.py (is
course_utils installed, from the notebooks' copy?) and setup_features.py (widgets, figures,
images, data, maths); this module runs them. Only the
standard library is imported at the top, so that the check can still explain what is missing
when NumPy or another package is not installed.
"""

import os
import platform
import shutil
import sys
from pathlib import Path

from course_utils.setup_course import check_course_utils
from course_utils.setup_env import (
    PACKAGES,
    Result,
    check_environment,
    check_packages,
    check_python,
    distribution_version,
    install_fix,
    on_colab,
)
from course_utils.setup_features import (
    check_compute,
    check_full_mnist,
    check_matplotlib,
    check_pillow,
    check_sample,
    check_widgets,
)

STATUSES = ("PASS", "WARN", "FAIL")


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
    takes_mode = {"packages", "environment", "course_utils", "widgets"}
    for name, check in checks:
        kwargs = {"in_notebook": in_notebook} if name in takes_mode else {}
        for result in guarded(name, check, **kwargs):
            results.append(result)
            line = result.line()
            out(short_paths(line) if in_notebook and result.status == "PASS" else line)
    out("")
    out(results.summary())
    if in_notebook:
        show_test_slider(out)
    out("")
    if in_notebook and results.ok:
        # A saved notebook is read by others: it keeps this machine's paths out.
        out(
            "If you ask for help, run `python -m course_utils.check` in a terminal and "
            "copy-paste the block it prints."
        )
        return results
    out("If you ask for help, copy-paste this block:")
    out(report_block(results))
    return results


def short_paths(text):
    """`text` with the course folder, the Python environment and the home folder abbreviated."""
    course = Path(__file__).resolve().parent.parent
    for path, name in [(sys.prefix, "<python env>"), (course, "<course>"), (Path.home(), "~")]:
        text = text.replace(str(path), name)
    return text


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
