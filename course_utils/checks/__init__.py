"""Checks for the notebooks' "Your turn" exercises, and the catch-up path.

In a notebook:

    def sigmoid(z):
        ...  # the learner's code

    sigmoid = check("sigmoid", sigmoid)

check() runs the learner's function on a few inputs (one example and a batch, extreme
values, edge cases such as 0 or a last partial batch) and compares it with the reference
implementation. It prints one line that starts with ✅, ❌ or ⏭ and the exercise's name,
then what is right, or what is wrong and how. It returns the function later cells should
use: the learner's if it is correct, otherwise the reference, so the notebook still runs.

What is wrong is named, in this order, by:
  1. the error the code raised, in plain words (explain.py);
  2. arguments changed in place: the call gets copies and compares them afterwards (calls.py);
  3. the kind of answer: None (a forgotten `return`), a generator, a Python list where an
     array is expected, booleans, text (values.py);
  4. a typical mistake registered with the exercise (the same numbers as a known wrong
     implementation, with the message that names it);
  5. a different result at every call with the same input (no seed used);
  6. a general diagnosis of the difference: which part of a tuple is wrong, transposed, a
     factor 2 or 1/M, NaN where the answer is finite, … (diagnose.py, arrays.py);
  7. otherwise "Not yet", with the input, the result and the expected result.

Each exercise is registered in one module per notebook (nb01_activations.py, …) with its
reference, its test inputs and at least three typical mistakes. check() also records the
result in a small file beside the notebooks, which course_utils.progress() summarises.
"""

import importlib
import inspect
import pkgutil
import warnings
from dataclasses import dataclass, field

import numpy as np

from .calls import acceptable, call, finite, in_place_message
from .diagnose import diagnose, part_names
from .explain import explain
from .values import NONE, Context, describe, same, shape_of, short

EXERCISES = {}
HANDED_OUT = []  # the references check() returned, so that a re-run is never a success


@dataclass
class Mistake:
    """A typical wrong answer: a wrong implementation and the message that names it."""

    message: str
    wrong: object


@dataclass
class Exercise:
    """One exercise: what to compare with, on which inputs, and the mistakes to recognise.

    reference: the correct function (its module is named in the feedback).
    cases: a list of argument tuples; each call gets fresh copies.
    run: optional adapter run(function, *args) -> result, for exercises whose answer
         is not simply the return value (for example a network to describe).
    outputs: names of the parts of a tuple answer, e.g. ("dx", "dM", "db"), or a pattern
         for the items of a list, e.g. "batch {i}".
    sizes: optional sizes(*args) -> {"M (the batch size)": 5, …}, to name a wrong factor.
    unstable: advice printed when the answer gives NaN/inf or NumPy warns.
    may_change: names of arguments the answer may change in place; any other argument the
         answer changes is reported (the caller still needs it).
    """

    name: str
    reference: object
    cases: list
    mistakes: list = field(default_factory=list)
    where: str = ""
    run: object = None
    outputs: object = None
    sizes: object = None
    unstable: str = ""
    may_change: tuple = ()  # arguments the answer may change in place (an update in place)
    rtol: float = 1e-5
    atol: float = 1e-8
    notebook: str = ""  # the registering module, e.g. "nb01_activations"

    def parameters(self):
        try:
            return tuple(inspect.signature(self.reference).parameters)
        except (TypeError, ValueError):
            return ()


@dataclass
class Result:
    status: str  # "correct", "not attempted", "mistake" (named) or "wrong"
    message: str


def register(exercise):
    if not exercise.notebook:
        caller = inspect.currentframe().f_back.f_globals.get("__name__", "")
        exercise.notebook = caller.rsplit(".", 1)[-1]
    EXERCISES[exercise.name] = exercise
    return exercise


# ---------------------------------------------------------------- judging one test input


def context_for(exercise, args, outcome):
    sizes = {}
    try:
        if exercise.sizes:
            sizes = dict(exercise.sizes(*args))
        else:
            for name, arg in zip(exercise.parameters(), args):
                if isinstance(arg, np.ndarray) and arg.ndim >= 1:
                    sizes.setdefault(f"len({name})", arg.shape[0])
                if isinstance(arg, np.ndarray) and arg.ndim == 2:
                    sizes.setdefault(f"{name}.shape[1]", arg.shape[1])
                if isinstance(arg, int) and not isinstance(arg, bool):
                    sizes.setdefault(name, arg)
    except Exception:
        sizes = {}
    return Context(
        args=args,
        names=exercise.parameters(),
        outputs=exercise.outputs,
        sizes=sizes,
        warned=outcome.warned,
        unstable=exercise.unstable,
        rtol=exercise.rtol,
        atol=exercise.atol,
    )


def alike(exercise, outcome, typical):
    """Two outcomes gave the same numbers (NaN only if it came the same way)."""
    if outcome.error is not None or typical.error is not None:
        return False
    if not same(outcome.value, typical.value, exercise.rtol, exercise.atol, equal_nan=True):
        return False
    return finite(outcome.value) or set(typical.warned) == set(outcome.warned)


def looks_like(exercise, mistake, args, outcome):
    """The learner's outcome for args is the typical mistake's."""
    return alike(exercise, outcome, call(exercise, mistake.wrong, args))


def fits(exercise, function, mistake):
    """The learner's function gives the typical mistake's numbers on at least half of the
    test inputs where it is wrong: the same mistake, not a coincidence on one input."""
    wrong = agree = 0
    for args in exercise.cases:
        typical = call(exercise, mistake.wrong, args)
        mine = call(exercise, function, args)
        reference = call(exercise, exercise.reference, args)
        if typical.error is not None or alike(exercise, mine, reference):
            continue
        wrong += 1
        agree += alike(exercise, mine, typical)
    return agree * 2 >= wrong


def part_mistake(exercise, args, got, expected, i):
    """For a tuple or list answer: the message of a typical mistake that gives the learner's
    part i (when the whole answer matches none, say because it has two mistakes)."""
    close = dict(rtol=exercise.rtol, atol=exercise.atol)
    for mistake in exercise.mistakes:
        typical = call(exercise, mistake.wrong, args).value
        if isinstance(typical, tuple | list) and len(typical) == len(expected):
            if same(got[i], typical[i], **close) and not same(typical[i], expected[i], **close):
                return mistake.message
    return None


def offsets(exercise, function):
    """For a number answer: got − expected on every test input (to confirm an off-by-one)."""
    found = []
    for args in exercise.cases:
        got = call(exercise, function, args).value
        expected = call(exercise, exercise.reference, args).value
        try:
            found.append(round(float(got) - float(expected), 9))
        except Exception:
            return ()
    return tuple(found)


def returned(got, expected, exercise):
    """'you returned …, expected …', for a tuple or list answer only its first wrong part."""
    if isinstance(expected, tuple | list) and isinstance(got, tuple | list):
        if len(got) == len(expected):
            names = part_names(Context(outputs=exercise.outputs), len(expected), isinstance(
                expected, list))  # fmt: skip
            for name, g, e in zip(names, got, expected):
                if not (acceptable(g, e) and same(g, e, exercise.rtol, exercise.atol)):
                    return f"your {name} is {short(g)}, expected {short(e)}"
    return f"you returned {short(got)}, expected {short(expected)}"


def judge(exercise, function, args, outcome, expected):
    """None if the answer is right for this input, else (status, message)."""
    got = outcome.value
    inputs = describe(args, names=exercise.parameters())
    shown = f"\n   For the input ({inputs}) {returned(got, expected, exercise)}."
    right = acceptable(got, expected) and same(got, expected, exercise.rtol, exercise.atol)
    if right and outcome.changed:
        return "mistake", in_place_message(outcome) + f"\n   For the input ({inputs})."
    if right and outcome.warned:
        warned = "; ".join(sorted(set(outcome.warned)))
        advice = exercise.unstable or "Make the computation safe for every input."
        return "mistake", (
            f"The numbers are right, but NumPy warned: {warned}, for the input ({inputs}). {advice}"
        )
    if right:
        return None
    if got is None and outcome.changed:
        return "mistake", (
            "Your function changed its arguments in place and returned None: return the new "
            f"values instead (`return …`), and leave the caller's arrays unchanged. "
            f"({'; '.join(outcome.changed[:1])}.)"
        )
    if got is None:
        return "mistake", NONE
    if outcome.changed:  # fix this first: it can also be why the result is wrong
        return "mistake", in_place_message(outcome) + shown
    also = ""
    context = context_for(exercise, args, outcome)
    if not acceptable(got, expected):  # None, a generator, a list for an array, …
        return "wrong", (diagnose(got, expected, context) or "Not yet.") + shown + also
    matching = [m for m in exercise.mistakes if looks_like(exercise, m, args, outcome)]
    confirmed = [m for m in matching if fits(exercise, function, m)]
    if confirmed:
        return "mistake", confirmed[0].message + shown + also
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = call(exercise, function, args)
    consistent = same(got, got, exercise.rtol, exercise.atol, True)  # comparable at all
    if consistent and again.error is None and not same(got, again.value, equal_nan=True):
        return "mistake", (
            "Your function gives a different result at every call with the same input: use "
            "the seed or the random generator it is given (np.random.default_rng(seed), "
            "rng.permutation(n)), never np.random.… directly." + shown
        )
    context.part_hint = lambda i: part_mistake(exercise, args, got, expected, i)
    one_number = not isinstance(expected, tuple | list) and shape_of(expected) == ()
    context.offsets = offsets(exercise, function) if one_number else ()
    problem = diagnose(got, expected, context) or what_is_new(exercise, args)
    if problem:
        return "wrong", problem + shown + also
    return "wrong", f"Not yet.{shown}{also}"


def arrays_in(args):
    """The float arrays among args (also inside lists and tuples)."""
    found = []
    for arg in args:
        if isinstance(arg, np.ndarray) and arg.dtype.kind == "f":
            found.append(arg)
        elif isinstance(arg, list | tuple):
            found += arrays_in(arg)
    return found


def what_is_new(exercise, args):
    """When an answer passed the earlier test inputs: what is new about this one."""
    index = next((i for i, case in enumerate(exercise.cases) if case is args), 0)
    earlier = exercise.cases[:index]  # the answer was right on all of these
    if not earlier:
        return None
    now, before = arrays_in(args), [a for case in earlier for a in arrays_in(case)]
    if now and before:
        largest = max(float(np.max(np.abs(a))) if a.size else 0.0 for a in now)
        if largest >= 100 > max(float(np.max(np.abs(a))) if a.size else 0.0 for a in before):
            return (
                f"Right on the first {len(earlier)} test inputs, but not on this one, whose "
                f"values go up to {largest:g}: a step that is not numerically stable (an exp "
                "that overflows, a probability rounded to 0, a log of 0, a small constant "
                f"added to avoid it)? {exercise.unstable}".rstrip()
            )
        if max(a.ndim for a in now) > max(a.ndim for a in before):
            return (
                f"Right on the first {len(earlier)} test inputs (1-D), but not on this 2-D "
                "one: a loop over the elements meets whole rows here; use array operations "
                "(np.exp, np.where, masks) that work for any shape."
            )
        rows = [a.shape[0] for a in now if a.ndim == 2]
        if rows and min(rows) == 1:
            return (
                f"Right on the first {len(earlier)} test inputs, but not on this batch of ONE "
                "example: check that no shape collapses (a sum without axis, .squeeze(), "
                "indexing [0])."
            )
    return None


def evaluate(name, function):
    """Check function against exercise `name`; return a Result (prints nothing)."""
    exercise = EXERCISES[name]
    try:
        for args in exercise.cases:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = call(exercise, exercise.reference, args).value
            outcome = call(exercise, function, args, quiet=False)
            if isinstance(outcome.error, NotImplementedError):
                return Result("not attempted", "Not attempted yet.")
            if outcome.error is not None:
                names = exercise.parameters()
                return Result(
                    "wrong",
                    f"{explain(outcome.error, args, names)}\n   for the input "
                    f"({describe(args, names=names)}).",
                )
            verdict = judge(exercise, function, args, outcome, expected)
            if verdict:
                return Result(*verdict)
    except Exception as error:  # a bug in a check must never stop the notebook
        return Result("wrong", f"The check could not finish ({type(error).__name__}: {error}).")
    return Result("correct", f"Correct on all {len(exercise.cases)} test inputs.")


# ---------------------------------------------------------------- the notebook's entry point


def course_function(exercise, function):
    """True if function is the course's (a reference check() handed out, a course_utils
    function of that name) rather than one the learner defined."""
    if function is exercise.reference or any(function is f for f in HANDED_OUT):
        return True
    if any(function is other.reference for other in EXERCISES.values()):
        return True
    module = getattr(function, "__module__", None) or ""
    return module.split(".")[0] == "course_utils"


def record(name, status):
    """Note the result in the progress file beside the notebooks; never fails."""
    try:
        from ..progress import record as save

        save(name, status)
    except Exception:
        pass


def check(name, function):
    """Check the learner's function, print feedback, return the function to use from now on."""
    load_all()
    if name not in EXERCISES:
        raise KeyError(f"No exercise called {name!r}; known: {sorted(EXERCISES)}.")
    exercise = EXERCISES[name]
    where = exercise.where or f"{exercise.reference.__module__}.{exercise.reference.__name__}"
    if not any(exercise.reference is f for f in HANDED_OUT):
        HANDED_OUT.append(exercise.reference)
    if course_function(exercise, function):
        print(
            f"⏭  {name}: not checked: `{name}` is still the course's version, not yours. "
            f"Run your `def {name}(…)` cell first (fix any error it shows), then this cell "
            f"again. Later cells use the reference {where}."
        )
        return exercise.reference
    if not callable(function) or isinstance(function, type):
        print(
            f"❌ {name}: check() needs your function itself, but got {short(function)}: "
            f'write check("{name}", {name}), with no ( ) after the second {name}.\n'
            f"   Later cells use the reference {where} until this check passes."
        )
        return exercise.reference
    result = evaluate(name, function)
    if result.status == "correct":
        record(name, "solved")
        print(f"✅ {name}: {result.message} Later cells use your version.")
        return function
    if result.status == "not attempted":
        record(name, "not attempted")
        print(
            f"⏭  {name}: not attempted yet. Later cells use the reference {where}; "
            "come back to it any time."
        )
    else:
        record(name, "wrong")
        print(
            f"❌ {name}: {result.message}\n"
            f"   Later cells use the reference {where} until this check passes."
        )
    return exercise.reference


def series():
    """The registered exercises in the order of the series: by notebook, then as registered."""
    load_all()
    order = {name: i for i, name in enumerate(EXERCISES)}
    return sorted(EXERCISES.values(), key=lambda e: (e.notebook, order[e.name]))


def load_all():
    """Import every nbXX_*.py module of this package, which registers its exercises."""
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{module.name}")


__all__ = ["EXERCISES", "Exercise", "Mistake", "check", "evaluate", "register", "series"]
