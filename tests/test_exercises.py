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
        # the named mistake comes first, before any detail about the input
        assert result.message.startswith(mistake.message), (name, mistake.message, result.message)


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


@pytest.fixture(autouse=True)
def record_in_a_temporary_folder(tmp_path, monkeypatch):
    """check() records progress in the working directory: keep it out of the repository."""
    monkeypatch.chdir(tmp_path)


def test_a_wrong_part_of_a_tuple_answer_is_named_with_how_it_is_wrong():
    reference = EXERCISES["linear_backward"].reference

    def doubled_bias_gradient(*args):
        dx, dM, db = reference(*args)
        return dx, dM, 2 * db

    result = evaluate("linear_backward", doubled_bias_gradient)
    assert result.status == "wrong"
    assert "db is wrong (dx, dM are right)" in result.message
    assert "twice the right answer" in result.message


def test_a_tuple_of_the_wrong_length_is_named():
    reference = EXERCISES["linear_backward"].reference

    def forgot_db(*args):
        dx, dM, _ = reference(*args)
        return dx, dM

    result = evaluate("linear_backward", forgot_db)
    assert result.status == "wrong" and "(db) is missing" in result.message
    assert len(result.message) < 700  # the inputs are cut short, not dumped


class Hostile:
    """A return value whose comparisons and conversions all fail."""

    def __eq__(self, other):
        raise RuntimeError("no comparing")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no converting")

    def __len__(self):
        raise RuntimeError("no length")

    def __float__(self):
        raise RuntimeError("no float")


WEIRD_RETURNS = [
    "a string",
    {"a": 1},
    Hostile(),
    [Hostile(), Hostile()],
    (Hostile(),) * 4,
    np.zeros((300, 300, 30)),
    np.array(["x", "y"]),
    np.array([1, "a", None], dtype=object),
    [[1, 2], [3]],
    True,
    float("nan"),
    (x for x in range(3)),
    np.float64("inf"),
    object,
    print,
    -1,
    [],
    (),
    (np.zeros((2, 3)), np.zeros(2), [np.zeros(1), np.zeros((2, 2))]),  # ragged parts
    [np.zeros(3), np.zeros((3, 2))],
]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_engine_never_crashes_whatever_the_answer_returns_or_raises(name):
    for value in WEIRD_RETURNS:
        result = evaluate(name, lambda *args, value=value: value)
        assert result.status in ("mistake", "wrong"), (name, value, result)
        assert result.message.strip()
    for error in (ValueError("odd"), KeyError(3), SystemExit(1), RecursionError(), TypeError()):

        def raising(*args, error=error):
            raise error

        result = evaluate(name, raising)
        assert result.status == "wrong", (name, error, result)


def test_none_gets_one_consistent_message_for_every_kind_of_answer():
    for name in ("sigmoid", "linear_backward", "sgd_update", "count_parameters", "minibatches"):
        if name in EXERCISES:
            result = evaluate(name, lambda *args: None)
            assert "you forgot `return`" in result.message, (name, result.message)


@pytest.mark.parametrize(
    "code,phrase",
    [
        ("return z ^ 2", "`^` is XOR"),
        ("return 1 / (1 + math.exp(-z))", "math.exp, math.log"),
        ("if z > 0:\n        return z\n    return 0 * z", "np.where"),
        ("return undefined_name * z", "`undefined_name` is not defined"),
        ("return z[len(z)]", "An index runs past the end"),
    ],
)
def test_common_errors_are_explained_with_the_original_line_below(code, phrase):
    namespace = {"np": np, "math": __import__("math")}
    exec(f"def answer(z):\n    {code}\n", namespace)
    result = evaluate("sigmoid", namespace["answer"])
    first, *rest = result.message.split("\n")
    assert phrase in first, result.message
    assert any("Error" in line for line in rest), result.message  # Python's own message stays


def test_the_slides_matrix_product_on_a_batch_is_explained():
    result = evaluate("dense_forward", lambda x, M, b: M @ x + b)
    assert "x @ M.T" in result.message and "matmul" in result.message


def test_in_place_change_of_an_argument_names_the_argument():
    def masked(grad, z):
        grad[z <= 0] = 0
        return grad

    result = evaluate("relu_backward", masked)
    assert result.status == "mistake"
    assert "`grad` was changed in place" in result.message


def test_course_functions_and_handed_out_references_are_never_praised(capsys):
    from course_utils import activations

    for name, function in [("sigmoid", activations.sigmoid), ("dense_forward", activations.relu)]:
        assert check(name, function) is EXERCISES[name].reference
        out = capsys.readouterr().out
        assert "✅" not in out and f"Run your `def {name}(…)` cell first" in out
    handed_out = check("softmax", lambda z: z)  # wrong: the reference comes back
    capsys.readouterr()
    check("softmax", handed_out)  # the check cell run again, without the definition cell
    out = capsys.readouterr().out
    assert "✅" not in out and "not checked" in out


def test_check_of_something_that_is_not_a_function_says_how_to_call_it(capsys):
    assert check("sigmoid", 0.5) is EXERCISES["sigmoid"].reference
    assert 'write check("sigmoid", sigmoid)' in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_printed_line_starts_with_its_symbol_and_the_exercise_name(name, capsys):
    def wrong(*args):
        return None

    check(name, wrong)
    check(name, lambda *args: (_ for _ in ()).throw(NotImplementedError()))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"❌ {name}: ")
    assert [line for line in lines if line.startswith("⏭")][0].startswith(f"⏭  {name}: ")


def test_an_exercise_may_allow_an_update_in_place(monkeypatch):
    def masked(grad, z):
        grad[z <= 0] = 0
        return grad

    monkeypatch.setattr(EXERCISES["relu_backward"], "may_change", ("grad",))
    assert evaluate("relu_backward", masked).status == "correct"
    monkeypatch.setattr(EXERCISES["relu_backward"], "may_change", ())
    assert evaluate("relu_backward", masked).status == "mistake"


def test_what_the_learners_code_prints_appears_once_per_test_input(capsys):
    def noisy_naive_softmax(logits):
        print("debug")
        return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)

    result = evaluate("softmax", noisy_naive_softmax)
    assert result.status == "mistake"
    failing = next(i for i, args in enumerate(EXERCISES["softmax"].cases) if args[0].max() > 700)
    assert capsys.readouterr().out == "debug\n" * (failing + 1)
