"""The tolerance comparison of tests/nbval_tolerance.py passes small float noise, fails regressions.

The last tests run nbval for real on small generated notebooks (one kernel each), including a
planted regression in a tolerance-compared cell.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.nbval_tolerance import KEY, align, numbers_differ, split_numbers

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_split_numbers_keeps_the_text_between_them():
    words, numbers = split_numbers("validation 95.2 % after 3 epochs, J = 1.5e-03")
    assert words == ["validation ", " % after ", " epochs, J = ", ""]
    assert numbers == [95.2, 3.0, 0.0015]


@pytest.mark.parametrize(
    "stored,new",
    [
        ("validation accuracy 95.2 %", "validation accuracy 95.4 %"),
        ("J = 0.1234 after 10 epochs", "J = 0.1236 after 10 epochs"),
        ("error rate 40.8%", "error rate 41.0%"),
    ],
)
def test_float_noise_within_the_tolerance_passes(stored, new):
    assert numbers_differ(stored, new, rel=0.01, abs_=0.3) is None


@pytest.mark.parametrize(
    "stored,new,why",
    [
        ("validation accuracy 96.0 %", "validation accuracy 60.0 %", "not within"),
        ("predicted class 4 (p = 0.91)", "predicted class 3 (p = 0.91)", "not within"),
        ("the network says 7", "the network says: 7", "text around"),
        ("2 real poles", "2 real poles, 1 pair", "text around"),
        ("J = 0.5", "J = nan", "text around"),
    ],
)
def test_regressions_fail_and_say_why(stored, new, why):
    reason = numbers_differ(stored, new, rel=0.01, abs_=0.3)
    assert reason is not None and why in reason


class Cell:
    """The part of nbval's cell item that align() uses."""

    def sanitize(self, text):
        return text


def test_align_handles_streams_and_rich_outputs_such_as_figures():
    def outputs(number):
        return [
            nbformat.v4.new_output("stream", name="stdout", text=f"accuracy {number} %\n"),
            nbformat.v4.new_output(
                "display_data", data={"text/plain": f"<Figure with {number}>", "image/png": "x"}
            ),
        ]

    stored, new = outputs(95.2), outputs(95.4)
    assert align(Cell(), new, stored, rel=0.01, abs_=0.3) == []
    assert new == stored  # the noisy numbers now read as stored; nothing else was added
    regressed = outputs(60.0)
    assert len(align(Cell(), regressed, stored, rel=0.01, abs_=0.3)) == 2
    assert regressed == outputs(60.0)


def test_every_tolerance_in_the_notebooks_is_well_formed_and_narrow():
    """A tolerance is for float noise, not a way to switch a comparison off."""
    for path in NOTEBOOKS:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            spec = cell.metadata.get(KEY)
            if spec is None:
                continue
            where = f"{path.name} cell {index}"
            assert cell.cell_type == "code" and cell.outputs, f"{where}: nothing to compare"
            assert set(spec) <= {"rel", "abs"} and spec, where
            assert 0 <= spec.get("rel", 0) <= 0.1, f"{where}: rel {spec['rel']} is too loose"
            assert 0 <= spec.get("abs", 0) <= 5, f"{where}: abs {spec['abs']} is too loose"
            tags = cell.metadata.get("tags", [])
            assert "nbval-ignore-output" not in tags and "NBVAL_IGNORE_OUTPUT" not in cell.source


def notebook(code, stored_text, tolerance):
    """A one-cell notebook whose stored output is `stored_text`."""
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    if tolerance is not None:
        cell.metadata[KEY] = tolerance
    return nbformat.v4.new_notebook(cells=[cell])


def run_nbval(tmp_path, notebooks):
    """Run pytest --nbval with the plugin on the given {name: notebook}; return {name: passed}."""
    for name, nb in notebooks.items():
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    report = tmp_path / "report.json"
    plugin = tmp_path / "report_plugin.py"
    plugin.write_text(
        "import json\nRESULTS = {}\n"
        "def pytest_runtest_logreport(report):\n"
        "    if report.when == 'call':\n"
        "        RESULTS[report.nodeid.split('.ipynb')[0]] = report.passed\n"
        "def pytest_sessionfinish(session):\n"
        f"    open({str(report)!r}, 'w').write(json.dumps(RESULTS))\n"
    )
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{tmp_path}")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval"]
    command += ["--nbval-current-env", "-p", "tests.nbval_tolerance", "-p", "report_plugin"]
    command += ["--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)]
    subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=300)
    return json.loads(report.read_text())


def test_nbval_with_the_plugin_passes_noise_and_fails_planted_regressions(tmp_path):
    noisy = 'print(f"validation accuracy {95.2 + 0.2:.1f} %, predicted class {4}")'
    results = run_nbval(
        tmp_path,
        {
            # the run prints 95.4 where 95.2 was stored: float noise, passes
            "noise": notebook(noisy, "validation accuracy 95.2 %, predicted class 4\n", TOL),
            # a planted regression: 60 % stored where the code reaches 95.4 %
            "accuracy": notebook(noisy, "validation accuracy 60.0 %, predicted class 4\n", TOL),
            # another predicted class
            "class": notebook(noisy, "validation accuracy 95.4 %, predicted class 3\n", TOL),
            # without the metadata, the comparison stays exact
            "exact": notebook(noisy, "validation accuracy 95.2 %, predicted class 4\n", None),
        },
    )
    assert results == {"noise": True, "accuracy": False, "class": False, "exact": False}


TOL = {"rel": 0.01, "abs": 0.3}
