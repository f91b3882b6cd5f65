"""The shipped MNIST sample is found however the course is installed.

A hub image (repo2docker, Binder) or a course installed with `pip install .` imports
course_utils from site-packages, far from the repository's data/ folder. These tests install
the package with `pip install .` (offline, --no-build-isolation), NOT editable, into a fresh
virtual environment, as binder/requirements.txt does, and load the sample from the notebooks'
folder of a course copy and from a folder with no course at all (the packaged copy).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from course_copy import copy_course, fresh_venv, install_course

from course_utils import data, setup_env

ROOT = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent(
    """
    import json, os
    import course_utils
    from course_utils import data
    from course_utils.images import load_image_folder

    mnist = data.load_mnist(download=False, verbose=False)
    folder = load_image_folder(data.DATA_DIR / "mnist-images", verbose=False)
    print(json.dumps({
        "package": course_utils.__file__,
        "data_dir": str(data.DATA_DIR),
        "kind": data.DATA_KIND,
        "cache_dir": str(data.CACHE_DIR),
        "source": mnist.source,
        "train": len(mnist.x_train),
        "test": len(mnist.x_test),
        "images": len(folder.labels),
    }))
    """
)


# ---------------------------------------------------------------- the lookup itself


def make_course(folder):
    (folder / "data" / "mnist-sample").mkdir(parents=True)
    (folder / "notebooks").mkdir()
    return folder


def test_a_clone_or_editable_install_uses_the_data_next_to_the_package(tmp_path):
    course = make_course(tmp_path / "course")
    package = course / "course_utils"
    assert data.find_data_dir(cwd=tmp_path, package=package) == (course / "data", "repository")


def test_an_installed_package_finds_the_data_next_to_the_notebooks(tmp_path):
    course = make_course(tmp_path / "course")
    package = tmp_path / "site-packages" / "course_utils"
    found = data.find_data_dir(cwd=course / "notebooks", package=package)
    assert found == (course / "data", "repository")  # the working folder's parent
    assert data.find_data_dir(cwd=course, package=package) == (course / "data", "repository")


def test_without_a_course_folder_the_packaged_copy_is_used(tmp_path):
    package = tmp_path / "site-packages" / "course_utils"
    assert data.find_data_dir(cwd=tmp_path, package=package) == (package / "_data", "package")


def test_this_checkout_uses_its_own_data_folder():
    assert data.DATA_DIR == ROOT / "data" and data.DATA_KIND == "repository"
    assert data.CACHE_DIR == ROOT / "data" / "mnist"


def test_the_download_cache_without_a_course_folder_is_in_the_users_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data.user_cache_dir() == tmp_path / "hands-on-deep-learning" / "mnist"


# ---------------------------------------------------------------- a real non-editable install


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a fresh venv with course_utils installed by `pip install .`, a course copy)."""
    base = tmp_path_factory.mktemp("install")
    course = copy_course(base / "course")
    python = fresh_venv(base / "venv")
    install = install_course(python, course)  # what binder/requirements.txt's `.` does
    assert install.returncode == 0, install.stdout + install.stderr
    return python, course


def run_in(python, cwd, *args, home):
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("MNIST_DIR", None)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(python), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def probe(python, cwd, home):
    run = run_in(python, cwd, "-c", PROBE, home=home)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_installed_package_loads_the_sample_from_the_notebooks_folder(installed, tmp_path):
    python, course = installed
    found = probe(python, course / "notebooks", home=tmp_path)
    assert Path(found["package"]).is_relative_to(python.parent.parent), found  # not editable
    assert found["data_dir"] == str(course / "data") and found["kind"] == "repository"
    assert found["cache_dir"] == str(course / "data" / "mnist")  # downloads go to the course
    assert (found["source"], found["train"], found["test"]) == ("sample", 4000, 1000)
    assert found["images"] == 100


def test_installed_package_without_a_course_folder_uses_its_packaged_copy(installed, tmp_path):
    python, _ = installed
    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    found = probe(python, elsewhere, home=tmp_path)
    assert found["kind"] == "package"
    assert Path(found["data_dir"]).is_relative_to(python.parent.parent), found
    assert found["cache_dir"] == str(tmp_path / ".cache" / "hands-on-deep-learning" / "mnist")
    assert (found["source"], found["train"], found["test"]) == ("sample", 4000, 1000)
    assert found["images"] == 100


def test_installed_package_passes_the_setup_check_from_the_notebooks_folder(installed, tmp_path):
    python, course = installed
    run = run_in(python, course / "notebooks", "-m", "course_utils.check", home=tmp_path)
    lines = run.stdout.splitlines()
    assert any(line.startswith("PASS  sample data") for line in lines), run.stdout
    assert any(line.startswith("PASS  course_utils") for line in lines), run.stdout
    assert not any(line.startswith("FAIL  course_utils") for line in lines), run.stdout


def test_setup_check_fails_when_course_utils_is_only_importable_from_the_course_folder(
    installed, tmp_path
):
    """The newcomer who skipped `pip install -e .`: `python -m course_utils.check` run in the
    course folder imports course_utils from there, but the notebooks' kernel cannot."""
    _, course = installed
    python = fresh_venv(tmp_path / "venv-without-course")
    kernel = run_in(python, course / "notebooks", "-c", "import course_utils", home=tmp_path)
    assert "ModuleNotFoundError" in kernel.stderr  # what the learner would meet in notebook 01
    run = run_in(python, course, "-m", "course_utils.check", home=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    (line,) = [line for line in run.stdout.splitlines() if line.startswith("FAIL  course_utils")]
    assert "not installed" in line
    assert f'-m pip install -e "{course}"' in run.stdout
    assert "ready to go" not in run.stdout


# ---------------------------------------------------------------- the Binder configuration


def requirement_lines(path):
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def minimums(lines):
    found = {}
    for line in lines:
        name, _, version = line.partition(">=")
        if version:
            found[name.strip().lower()] = version.strip()
    return found


def test_binder_installs_the_course_not_editable_with_every_dependency():
    binder = requirement_lines(ROOT / "binder" / "requirements.txt")
    assert not any(line.startswith("-e") for line in binder), "no editable install on a hub"
    assert binder[-1] == ".", "the course's own package, installed from the repository root"
    ours = minimums(requirement_lines(ROOT / "requirements.txt"))
    pyproject = (ROOT / "pyproject.toml").read_text()
    dependencies = re.search(r"(?m)^dependencies = \[(.*)\]", pyproject).group(1)
    needed = minimums(re.findall(r'"([^"]+)"', dependencies))
    assert len(needed) >= 6, dependencies
    listed = minimums(binder)
    for name, version in needed.items():
        assert listed.get(name) == version == ours.get(name), name


def test_binder_python_is_one_the_series_supports():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    version = tuple(int(n) for n in runtime.removeprefix("python-").split("."))
    assert setup_env.PYTHON_MIN <= version <= setup_env.PYTHON_MAX


def test_binder_start_pins_blas_threads_and_runs_jupyter(tmp_path):
    start = ROOT / "binder" / "start"
    assert os.access(start, os.X_OK), "binder/start must be executable (git keeps the bit)"
    run = subprocess.run(
        [str(start), sys.executable, "-c", "import os; print(os.environ['OPENBLAS_NUM_THREADS'])"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert run.stdout.strip() == "1", run.stderr


def test_the_readmes_virtual_environment_is_not_committed():
    """The README makes `.venv` inside the course folder (hundreds of MB)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for path in (".venv/bin/python", ".venv/Scripts/python.exe", "dist/x.whl"):
        run = subprocess.run(
            ["git", "check-ignore", "--no-index", "--quiet", path], cwd=ROOT, timeout=30
        )
        assert run.returncode == 0, f"{path} is not in .gitignore"
