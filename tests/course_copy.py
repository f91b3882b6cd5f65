"""Helpers for the tests that install the course the way a hub does (test_install, test_hub).

copy_course: a copy of this course folder without caches, environments and the full MNIST.
fresh_venv: a new virtual environment that sees this one's packages but not its course_utils.
install_course: `pip install .` of a course copy into such an environment, offline.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SKIP = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "mnist"
)


def copy_course(target, notebooks=("01_",)):
    """Copy the course folder to `target`, with only the notebooks whose names start with one
    of `notebooks` (the others' checks are tested elsewhere). Returns `target`."""

    def ignore(folder, names):
        skipped = set(SKIP(folder, names))
        if Path(folder).name == "notebooks":
            skipped |= {name for name in names if not name.startswith(tuple(notebooks))}
        return skipped

    shutil.copytree(ROOT, target, ignore=ignore)
    return Path(target)


def fresh_venv(env_dir):
    """A new virtual environment that sees this one's packages but not its course_utils.

    The dependencies (NumPy, ...) come from this environment's site-packages, added AFTER
    the new environment's own; a path line in a .pth file does not run the .pth files found
    there, so this environment's editable course_utils stays invisible. Returns its python.
    """
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = Path(env_dir) / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "outer-environment.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def install_course(python, course):
    """`pip install .` in the course folder (binder/requirements.txt's last line), offline."""
    return subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-build-isolation", "--no-index", "--quiet", "."],
        cwd=course, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
