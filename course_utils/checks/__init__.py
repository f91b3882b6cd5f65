"""Checks for the notebooks' "Your turn" exercises, and the catch-up path.

In a notebook:

    def sigmoid(z):
        ...  # the learner's code

    sigmoid = check("sigmoid", sigmoid)

check() runs the learner's function on a few inputs and compares it with the
reference implementation. It prints what is right, or which typical mistake the
answer looks like (with the failing input), and returns the function later cells
should use: the learner's if it is correct, otherwise the reference, so that the
rest of the notebook still runs.

Each exercise is registered in one module per notebook (nb01_activations.py, ...)
with its reference, its test inputs and at least three typical mistakes, each a
wrong implementation plus the message naming it. The tests prove that every
mistake is recognised and every folded solution in the notebooks passes.
"""

import copy
import importlib
import pkgutil
import warnings
from dataclasses import dataclass, field

import numpy as np

EXERCISES = {}


@dataclass
class Mistake:
    """A typical wrong answer: a wrong implementation and the message that names it."""

    message: str
    wrong: object


@dataclass
class Exercise:
    """One exercise: what to compare with, on which inputs, and the mistakes to recognise.

    reference: the correct function (its module is named in the feedback).
    cases: a list of argument tuples; each is deep-copied before every call.
    run: optional adapter run(function, *args) -> result, for exercises whose answer
         is not simply the return value (for example an update made in place).
    """

    name: str
    reference: object
    cases: list
    mistakes: list = field(default_factory=list)
    where: str = ""
    run: object = None
    unstable: str = "The computation is numerically unstable (an exp that overflows, a log of 0)."
    rtol: float = 1e-5
    atol: float = 1e-8

    def result(self, function, args):
        args = copy.deepcopy(args)
        return self.run(function, *args) if self.run else function(*args)


@dataclass
class Result:
    status: str  # "correct", "not attempted", "mistake" or "wrong"
    message: str


def register(exercise):
    EXERCISES[exercise.name] = exercise
    return exercise


def same(a, b, rtol, atol):
    """True when two results agree: same shape and values (NaN never equals a number)."""
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(same(x, y, rtol, atol) for x, y in zip(a, b))
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def short(value):
    """A value as a short string for feedback."""
    if isinstance(value, tuple | list):
        return "(" + ", ".join(short(v) for v in value) + ")"
    try:
        array = np.asarray(value)
    except ValueError:
        array = None
    if array is None or array.dtype == object:
        return type(value).__name__  # say "Generator", not its memory address
    return " ".join(np.array2string(array, precision=4, threshold=8, edgeitems=2).split())


def shape_of(value):
    """np.shape(value), or None for a tuple of arrays of different shapes."""
    try:
        return np.shape(value)
    except ValueError:
        return None


def describe(args, limit=160):
    """The inputs of a test case, cut to about `limit` characters."""
    text = ", ".join(short(a) for a in args)
    return text if len(text) <= limit else text[:limit] + " …"


def evaluate(name, function):
    """Check function against exercise `name`; return a Result (prints nothing)."""
    exercise = EXERCISES[name]
    for args in exercise.cases:
        expected = exercise.result(exercise.reference, args)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                got = exercise.result(function, args)
        except NotImplementedError:
            return Result("not attempted", "Not attempted yet.")
        except RuntimeWarning as warning:
            return Result(
                "mistake",
                f"NumPy warned '{warning}' for the input ({describe(args)}).\n"
                f"   {exercise.unstable}",
            )
        except Exception as error:  # the learner's code may fail in any way
            return Result(
                "wrong",
                f"Your code raised {type(error).__name__}: {error}\n"
                f"   for the input ({describe(args)}).",
            )
        if same(got, expected, exercise.rtol, exercise.atol):
            continue
        for mistake in exercise.mistakes:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    typical = exercise.result(mistake.wrong, args)
            except Exception:
                continue
            if same(got, typical, exercise.rtol, exercise.atol):
                return Result(
                    "mistake",
                    f"{mistake.message}\n   For the input ({describe(args)}) you returned "
                    f"{short(got)}, expected {short(expected)}.",
                )
        if isinstance(expected, tuple | list) and (
            not isinstance(got, tuple | list) or len(got) != len(expected)
        ):
            count = len(got) if isinstance(got, tuple | list) else 1
            return Result(
                "wrong",
                f"Expected {len(expected)} values (a tuple), but your function returned "
                f"{count}, for the input ({describe(args)}).",
            )
        if not isinstance(expected, tuple | list) and shape_of(got) != shape_of(expected):
            return Result(
                "wrong",
                f"Your result has shape {shape_of(got)}, expected {shape_of(expected)}, "
                f"for the input ({describe(args)}).",
            )
        return Result(
            "wrong",
            f"For the input ({describe(args)}) you returned {short(got)}, "
            f"expected {short(expected)}.",
        )
    return Result("correct", f"Correct on all {len(exercise.cases)} test inputs.")


def check(name, function):
    """Check the learner's function, print feedback, return the function to use from now on."""
    load_all()
    if name not in EXERCISES:
        raise KeyError(f"No exercise called {name!r}; known: {sorted(EXERCISES)}.")
    exercise = EXERCISES[name]
    result = evaluate(name, function)
    where = exercise.where or f"{exercise.reference.__module__}.{exercise.reference.__name__}"
    if result.status == "correct":
        print(f"✅ {name}: {result.message} Later cells use your version.")
        return function
    if result.status == "not attempted":
        print(
            f"⏭  {name}: not attempted yet. Later cells use the reference {where}; "
            "come back to it any time."
        )
    else:
        label = "Looks like a typical mistake" if result.status == "mistake" else "Not yet"
        print(
            f"❌ {name}: {label}.\n   {result.message}\n"
            f"   Later cells use the reference {where} until this check passes."
        )
    return exercise.reference


def load_all():
    """Import every nbXX_*.py module of this package, which registers its exercises."""
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{module.name}")
