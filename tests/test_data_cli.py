"""`python -m course_utils.data`: each command has its own help, which shows the defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import data

ROOT = Path(__file__).resolve().parent.parent


def help_text(capsys, *args):
    with pytest.raises(SystemExit) as stop:
        data.main([*args, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_lists_each_command_in_one_line(capsys):
    text = help_text(capsys)
    for command in ("download", "verify", "info"):
        assert f"\n    {command} " in text, text
    assert "COMMAND --help" in text
    assert "IDX format" not in text  # not the module's long docstring


def test_each_command_has_its_own_help_with_its_defaults(capsys):
    download = help_text(capsys, "download")
    verify = help_text(capsys, "verify")
    info = help_text(capsys, "info")
    assert len({download, verify, info}) == 3, "the same text for every command"
    assert "(default: 30)" in download  # --timeout
    assert data.MIRRORS[0] in download and data.MIRRORS[1] in download  # --mirror
    for text in (download, verify, info):
        assert "$MNIST_DIR" in " ".join(text.split()), text  # --dir: the default chain
        assert str(data.CACHE_DIR) in "".join(text.split()), text
    assert "--timeout" not in verify and "--mirror" not in info  # only what applies


def test_a_missing_or_unknown_command_says_what_is_expected(capsys):
    for argv in ([], ["fetch"]):
        with pytest.raises(SystemExit) as stop:
            data.main(argv)
        assert stop.value.code == 2
        error = capsys.readouterr().err
        assert "download" in error or "COMMAND" in error, error


def test_verify_of_an_empty_folder_fails_and_names_the_files(tmp_path, capsys):
    assert data.main(["verify", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "train-images-idx3-ubyte: PROBLEM: missing" in out
    assert "Shipped sample in" in out and "OK" in out


def test_the_command_runs_as_a_module(tmp_path):
    env = {**os.environ, "MNIST_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "course_utils.data", "info"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f"Full MNIST in {tmp_path}:" in run.stdout  # $MNIST_DIR is the default folder
    assert "raises DataError" in run.stdout
