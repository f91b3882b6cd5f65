"""Exercise integrity: every check accepts its reference and folded solution, and names mistakes.

Discovers the exercises registered in course_utils.checks and the folded solutions in
the notebooks, so a new notebook or exercise is covered without editing this file.
A folded solution is a Markdown cell with `<!-- solution: NAME -->` and a ```python block
that defines the function NAME.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import course_utils
from course_utils.checks import EXERCISES, check, evaluate, load_all

load_all()
NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
SOLUTION = re.compile(r"<!--\s*solution:\s*(\w+)\s*-->")
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
CHECK_CALL = re.compile(r"""check\(\s*["'](\w+)["']""")


def cells(kind):
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == kind:
                yield path.name, "".join(cell["source"])


def folded_solutions():
    found = []
    for notebook, text in cells("markdown"):
        for name in SOLUTION.findall(text):
            code = "\n".join(CODE_BLOCK.findall(text))
            found.append(pytest.param(name, code, id=f"{notebook}:{name}"))
    return found


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_passes_its_own_check(name):
    assert evaluate(name, EXERCISES[name].reference).status == "correct"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_typical_mistakes_are_named(name):
    exercise = EXERCISES[name]
    assert len(exercise.mistakes) >= 3, f"{name} needs at least three typical mistakes"
    for mistake in exercise.mistakes:
        result = evaluate(name, mistake.wrong)
        assert result.status == "mistake", (name, mistake.message, result)
        assert mistake.message in result.message, (name, mistake.message, result.message)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_stub_counts_as_not_attempted_and_returns_reference(name, capsys):
    def stub(*args):
        raise NotImplementedError

    assert check(name, stub) is EXERCISES[name].reference
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("name,code", folded_solutions())
def test_folded_solution_passes(name, code):
    namespace = {"np": np, "course_utils": course_utils}
    exec(compile(code, f"<solution {name}>", "exec"), namespace)
    assert name in namespace, f"the solution block must define {name}()"
    result = evaluate(name, namespace[name])
    assert result.status == "correct", result.message


def test_every_exercise_in_the_notebooks_is_registered_and_has_a_solution():
    checked = {name for _, text in cells("code") for name in CHECK_CALL.findall(text)}
    solved = {name for _, text in cells("markdown") for name in SOLUTION.findall(text)}
    assert checked <= set(EXERCISES), f"unregistered: {checked - set(EXERCISES)}"
    assert checked <= solved, f"no folded solution for: {checked - solved}"
    assert set(EXERCISES) <= checked, f"registered but no notebook uses: {set(EXERCISES) - checked}"


def test_an_unrecognised_wrong_tuple_answer_gets_feedback_not_a_traceback():
    reference = EXERCISES["linear_backward"].reference

    def doubled_bias_gradient(*args):
        dx, dM, db = reference(*args)
        return dx, dM, 2 * db

    result = evaluate("linear_backward", doubled_bias_gradient)
    assert result.status == "wrong" and "you returned" in result.message


def test_a_tuple_of_the_wrong_length_is_named():
    reference = EXERCISES["linear_backward"].reference

    def forgot_db(*args):
        dx, dM, _ = reference(*args)
        return dx, dM

    result = evaluate("linear_backward", forgot_db)
    assert result.status == "wrong" and "Expected 3 values" in result.message
    assert len(result.message) < 400  # the inputs are cut short, not dumped
