"""The setup check (python -m course_utils.check): every FAIL path names the problem and a fix.

The failures are simulated: a package that will not import, a version too old, a corrupt
or missing data file, a widget front-end of the wrong version, a second copy of the course.
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from course_utils import check as setup_check
from course_utils import data, setup_course, setup_env, setup_features

ROOT = Path(__file__).resolve().parent.parent


def by_name(results, name):
    found = [r for r in results if r.name == name]
    assert len(found) == 1, (name, results)
    return found[0]


def test_built_in_minimums_equal_requirements_txt():
    assert setup_env.read_minimums(ROOT / "requirements.txt") == setup_env.FALLBACK_MINIMUMS
    assert set(setup_env.PACKAGES) == set(setup_env.FALLBACK_MINIMUMS)


def test_minimums_without_requirements_file_fall_back(tmp_path):
    assert setup_env.read_minimums(tmp_path / "nope.txt") == setup_env.FALLBACK_MINIMUMS


@pytest.mark.parametrize(
    "version,status",
    [((3, 9, 18), "FAIL"), ((3, 10, 0), "PASS"), ((3, 13, 2), "PASS"), ((3, 14, 0), "WARN")],
)
def test_python_version_range(version, status):
    result = setup_env.check_python(version)
    assert result.status == status
    if status == "FAIL":
        assert "too old" in result.detail and result.fix


def test_version_tuple():
    assert setup_env.version_tuple("2.4.6") == (2, 4, 6)
    assert setup_env.version_tuple("8.1.0rc1") == (8, 1, 0)
    assert setup_env.version_tuple("1.26") < setup_env.version_tuple("1.26.4")


def test_missing_package_fails_with_install_command():
    def import_module(name):
        if name == "numpy":
            raise ModuleNotFoundError("No module named 'numpy'")
        return types.ModuleType(name)

    results = setup_env.check_packages(import_module=import_module)
    numpy = by_name(results, "numpy")
    assert numpy.status == "FAIL"
    assert "not installed" in numpy.detail
    assert sys.executable in numpy.fix and "-m pip install -r" in numpy.fix
    assert "fix:" in numpy.line()
    assert by_name(results, "matplotlib").status == "PASS"


def test_missing_test_tool_only_warns():
    def import_module(name):
        if name == "nbval":
            raise ModuleNotFoundError("No module named 'nbval'")
        return types.ModuleType(name)

    assert by_name(setup_env.check_packages(import_module=import_module), "nbval").status == (
        "WARN"
    )


def test_package_crashing_on_import_fails():
    def import_module(name):
        if name == "matplotlib":
            raise OSError("broken font cache")
        return types.ModuleType(name)

    result = by_name(setup_env.check_packages(import_module=import_module), "matplotlib")
    assert result.status == "FAIL" and "broken font cache" in result.detail


def test_too_old_version_fails_with_upgrade_command():
    def version_of(dist):
        return "1.21.6" if dist == "numpy" else "99.0"

    results = setup_env.check_packages(
        import_module=lambda name: types.ModuleType(name), version_of=version_of
    )
    numpy = by_name(results, "numpy")
    assert numpy.status == "FAIL"
    assert "1.21.6 is older than the minimum 1.26" in numpy.detail
    assert '"numpy>=1.26"' in numpy.fix and "--upgrade" in numpy.fix


def test_jupyterlab_missing_fails_in_terminal_but_warns_in_notebook():
    def import_module(name):
        if name == "jupyterlab":
            raise ModuleNotFoundError("No module named 'jupyterlab'")
        return types.ModuleType(name)

    terminal = setup_env.check_packages(import_module=import_module)
    notebook = setup_env.check_packages(import_module=import_module, in_notebook=True)
    assert by_name(terminal, "jupyterlab").status == "FAIL"
    assert by_name(notebook, "jupyterlab").status == "WARN"


def test_real_packages_do_not_fail_here():
    results = setup_env.check_packages()
    assert all(r.status != "FAIL" for r in results), results


def copy_sample(tmp_path):
    target = tmp_path / "sample"
    shutil.copytree(data.SAMPLE_DIR, target)
    return target


def test_shipped_sample_passes():
    assert setup_features.check_sample().status == "PASS"


def test_corrupt_sample_fails(tmp_path):
    sample = copy_sample(tmp_path)
    victim = sample / "train-labels.idx1-ubyte.gz"
    raw = bytearray(data.read_bytes(victim))
    raw[-1] ^= 0xFF  # one label changed: still a valid gzip IDX file, but the wrong checksum
    victim.write_bytes(gzip.compress(bytes(raw)))
    result = setup_features.check_sample(sample)
    assert result.status == "FAIL"
    assert "train-labels-idx1-ubyte: mismatch" in result.detail
    assert "fresh copy" in result.fix


def test_truncated_and_missing_sample_files_fail(tmp_path):
    sample = copy_sample(tmp_path)
    images = sample / "t10k-images.idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:1000])  # cut off: not even valid gzip
    (sample / "t10k-labels.idx1-ubyte.gz").unlink()
    result = setup_features.check_sample(sample)
    assert result.status == "FAIL"
    assert "t10k-images-idx3-ubyte: unreadable" in result.detail
    assert "t10k-labels-idx1-ubyte: missing" in result.detail


def test_full_mnist_missing_is_only_a_warning(tmp_path):
    result = setup_features.check_full_mnist(tmp_path, environ={})
    assert result.status == "WARN"
    assert result.fix == "python -m course_utils.data download"


def test_full_mnist_present_passes(tmp_path, monkeypatch):
    sample = copy_sample(tmp_path)  # pretend the sample is the full set
    monkeypatch.setattr(data, "MNIST_SHA256", data.SAMPLE_SHA256)
    assert setup_features.check_full_mnist(sample, environ={}).status == "PASS"


def test_named_but_incomplete_mnist_folder_fails(tmp_path):
    result = setup_features.check_full_mnist(environ={data.ENV_VAR: str(tmp_path)})
    assert result.status == "FAIL"
    assert "MNIST_DIR" in result.detail and "unset MNIST_DIR" in result.fix


def versions(**found):
    return lambda dist: found.get(dist)


def test_widgets_compatible_pass():
    result = setup_features.check_widgets(
        versions(ipywidgets="8.1.5", jupyterlab_widgets="3.0.13", jupyterlab="4.2.0"), "5.0.13"
    )
    assert result.status == "PASS"


@pytest.mark.parametrize(
    "found,extension,message",
    [
        ({"ipywidgets": "8.1.5", "jupyterlab": "4.2.0"}, None, "front-end"),
        ({"ipywidgets": "8.1.5", "jupyterlab_widgets": "1.1.7"}, None, "needs jupyterlab_widgets"),
        ({"ipywidgets": "8.1.5", "jupyterlab_widgets": "3.0.13"}, "3.6.0", "old copy"),
        ({}, None, "not installed"),
    ],
)
def test_widgets_incompatible_fail(found, extension, message):
    result = setup_features.check_widgets(versions(**found), extension)
    assert result.status == "FAIL" and message in result.detail
    assert "pip install" in result.fix


def test_module_from_another_environment_fails(monkeypatch, tmp_path):
    stray = types.ModuleType("numpy")
    stray.__file__ = "/somewhere/else/lib/python3.9/site-packages/numpy/__init__.py"
    monkeypatch.setitem(sys.modules, "numpy", stray)
    results = setup_env.check_environment(modules=("numpy",), which=lambda _: None)
    assert results[0].status == "FAIL"
    assert "/somewhere/else" in results[0].detail and "PYTHONPATH" in results[0].fix


def test_unused_dot_venv_and_foreign_jupyter_warn(tmp_path):
    (tmp_path / ".venv").mkdir()
    results = setup_env.check_environment(
        modules=(), which=lambda _: "/opt/other/bin/jupyter", repo_root=tmp_path
    )
    details = " | ".join(r.detail for r in results)
    assert {r.status for r in results} == {"WARN"}
    assert ".venv" in details and "/opt/other/bin/jupyter" in details


def test_this_environment_does_not_fail():
    results = setup_env.check_environment(in_notebook=True)
    assert all(r.status != "FAIL" for r in results), results


def write_notebook(path, *sources):
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))


def make_course_copy(folder):
    """A second, complete course folder (what `pip install -e` accepts)."""
    (folder / "course_utils").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'course_utils'\n")
    write_notebook(folder / "notebooks" / "01_x.ipynb", "import course_utils")
    return folder


def test_course_utils_from_another_copy_fails(tmp_path):
    course = make_course_copy(tmp_path / "other-copy")
    result = setup_course.check_course_utils(course / "notebooks", probe=lambda f: PACKAGE)
    assert result.status == "FAIL" and "two copies" in result.detail
    assert result.fix == f'"{sys.executable}" -m pip install -e "{course}"'


def test_notebooks_copied_out_of_the_course_only_warn_and_need_no_install(tmp_path):
    write_notebook(tmp_path / "my-work" / "01_x.ipynb", "import course_utils")
    result = setup_course.check_course_utils(tmp_path / "my-work", probe=lambda f: PACKAGE)
    assert result.status == "WARN" and "not in a course folder" in result.detail
    assert "pip install" not in result.fix  # `pip install -e <that folder>` would fail there
    assert str(ROOT / "notebooks") in result.fix


PACKAGE = ROOT / "course_utils"


def test_course_utils_importable_only_from_the_working_folder_fails():
    seen = []

    def probe(folder):  # what a kernel started in the notebooks folder finds: nothing
        seen.append(folder)
        return None

    result = setup_course.check_course_utils(ROOT / "notebooks", probe=probe)
    assert seen == [ROOT / "notebooks"]
    assert result.status == "FAIL" and "not installed" in result.detail
    assert "ModuleNotFoundError" in result.detail
    assert result.fix == f'"{sys.executable}" -m pip install -e "{ROOT}"'


def test_a_kernel_importing_another_copy_fails(tmp_path):
    result = setup_course.check_course_utils(ROOT / "notebooks", probe=lambda f: tmp_path)
    assert result.status == "FAIL" and str(tmp_path) in result.detail


def test_in_a_notebook_the_kernel_itself_is_the_proof(tmp_path):
    def probe(folder):
        raise AssertionError("no subprocess needed in a notebook")

    result = setup_course.check_course_utils(ROOT / "notebooks", in_notebook=True, probe=probe)
    assert result.status == "PASS"


def test_import_location_is_where_a_fresh_python_imports_from(tmp_path):
    assert setup_course.import_location(tmp_path) == PACKAGE  # installed: found from anywhere
    assert setup_course.import_location(tmp_path, module="no_such_module_xyz") is None
    (tmp_path / "local_only_module.py").write_text("")
    assert setup_course.import_location(tmp_path, module="local_only_module") == tmp_path


def test_editable_fix_only_names_a_folder_pip_can_install(tmp_path):
    assert setup_course.editable_fix(ROOT).endswith(f'-m pip install -e "{ROOT}"')
    assert "-e" not in setup_course.editable_fix(tmp_path)
    assert "-r" in setup_course.editable_fix(tmp_path)


def test_course_utils_missing_what_the_notebooks_use_fails(tmp_path):
    write_notebook(
        tmp_path / "notebooks" / "09_new.ipynb",
        "from course_utils.no_such_module import thing",
        'x = check("no_such_exercise", x)',
    )
    result = setup_course.check_course_utils(tmp_path / "notebooks", package_root=tmp_path)
    assert result.status == "FAIL"
    assert "course_utils.no_such_module" in result.detail
    assert "'no_such_exercise'" in result.detail


def test_course_utils_matches_the_real_notebooks():
    assert setup_course.check_course_utils(ROOT / "notebooks").status == "PASS"


def test_plotting_images_and_compute_pass():
    assert setup_features.check_matplotlib().status == "PASS"
    assert setup_features.check_pillow().status == "PASS"
    assert setup_features.check_compute().status == "PASS"


def test_wrong_gradients_fail_the_compute_check(monkeypatch):
    import course_utils.gradcheck

    monkeypatch.setattr(course_utils.gradcheck, "check_gradients", lambda *a: {"0.M": 0.3})
    result = setup_features.check_compute()
    assert result.status == "FAIL" and "3.0e-01" in result.detail


def test_a_crashing_check_becomes_a_fail_line_and_a_missing_import_a_warning():
    def crashes():
        raise ValueError("boom")

    def needs_numpy():
        raise ModuleNotFoundError("No module named 'numpy'")

    assert setup_check.guarded("x", crashes)[0].status == "FAIL"
    assert setup_check.guarded("y", needs_numpy)[0].status == "WARN"


def test_run_checks_prints_lines_summary_and_report_block(monkeypatch):
    monkeypatch.setattr(
        setup_check, "check_sample", lambda: setup_check.Result("FAIL", "sample data", "x", "y")
    )
    lines = []
    report = setup_check.run_checks(out=lines.append)
    text = "\n".join(lines)
    assert not report.ok
    assert "FAIL  sample data" in text and "      fix: y" in text
    assert "----- copy from here -----" in text and f"sys.executable: {sys.executable}" in text
    assert "numpy " in text.split("packages:")[1]
    assert repr(report).startswith("Setup check:")
    monkeypatch.setattr(setup_check, "run_checks", lambda **kw: report)
    assert setup_check.main([]) == 1


def test_in_notebook_a_slider_is_shown_and_reacts(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    setup_check.show_test_slider(out=lambda *a: None)
    (box,) = shown
    slider, label = box.children
    slider.value = 7
    assert label.value == "slider at 7: widgets work ✔"


def test_command_line_exits_non_zero_on_a_fail(tmp_path):
    env = {**os.environ, "MNIST_DIR": str(tmp_path)}  # a named MNIST folder that is empty
    run = subprocess.run(
        [sys.executable, "-m", "course_utils.check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAIL  full MNIST" in run.stdout
    assert "PASS  sample data" in run.stdout
    assert "----- to here -----" in run.stdout


def test_in_a_notebook_the_test_tools_are_not_listed():
    def import_module(name):
        raise ModuleNotFoundError(f"No module named '{name}'")

    def version_of(dist):
        return None

    notebook = setup_env.check_packages(
        import_module=import_module, version_of=version_of, in_notebook=True
    )
    listed = {r.name for r in notebook}
    assert not listed & {"pytest", "nbval", "ruff", "setuptools"}  # a hub has none of them
    assert {"numpy", "ipywidgets", "threadpoolctl"} <= listed
    terminal = setup_env.check_packages(import_module=import_module, version_of=version_of)
    assert by_name(terminal, "pytest").status == "WARN"  # the terminal check still names them


def test_in_a_notebook_a_passing_check_shows_no_paths_of_this_machine(monkeypatch):
    """Notebook 01 is stored with this output: it must not carry the author's folders."""
    lines = []
    monkeypatch.setattr(setup_check, "show_test_slider", lambda out: None)
    report = setup_check.run_checks(in_notebook=True, out=lines.append)
    text = "\n".join(lines)
    course = str(Path(setup_check.__file__).resolve().parent.parent)
    if report.ok:
        assert sys.prefix not in text and course not in text and "copy-paste" in text
    assert setup_check.short_paths(f"{sys.prefix}/bin/python in {course}/data") == (
        "<python env>/bin/python in <course>/data"
    )


def test_in_a_notebook_a_failing_check_still_prints_the_block_to_copy(monkeypatch):
    lines = []
    failing = setup_env.Result("FAIL", "python", "too old")
    monkeypatch.setattr(setup_check, "check_python", lambda: failing)
    monkeypatch.setattr(setup_check, "show_test_slider", lambda out: None)
    setup_check.run_checks(in_notebook=True, out=lines.append)
    assert "----- copy from here -----" in "\n".join(lines)
