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
  1. the error the code raised, in plain words (explain.py), with what the answer got right
     before (a shallower network) and a slip in its code's structure (hints.py);
  2. arguments changed in place: the call gets copies and compares them afterwards (calls.py);
     for a right result also NumPy warnings, another data type or other batches than asked;
  3. the kind of answer: None (a forgotten `return`), a generator, a Python list where an
     array is expected, booleans, text (values.py);
  4. a typical mistake registered with the exercise (the same numbers as a known wrong
     implementation, with the message that names it);
  5. a different result at every call with the same input (no seed used), or batches of
     other sizes than asked (batches.py);
  6. what the exercise itself can tell (its `diagnosis`, e.g. He's standard deviation), and
     what the answer does with other inputs: a function argument it ignores, an argument
     whose other values leave the result unchanged (behaviour.py);
  7. a general diagnosis of the difference: which part of a tuple is wrong, transposed, a
     factor 2 or 1/M, the square, NaN where the answer is finite, … (diagnose.py, arrays.py,
     relations.py); a rule such as "twice the right answer" is stated only if it holds on
     every test input where the answer is wrong;
  8. the right answer for 2·z, σ(z), … (a sigmoid applied twice), or what is new about this
     input (a deeper network, larger values) compared with the ones the answer got right;
  9. otherwise "Not yet", with the input, the result and the expected result.
A hint that names a part of the code (`yield`, @, np.where, a `return`, a loop's range, a
formula without brackets) is given only if the learner's code has it (source.py).

Each exercise is registered in one module per notebook (nb01_activations.py, …) with its
reference, its test inputs and at least three typical mistakes. check() also records the
result in a small file beside the notebooks, which course_utils.progress() summarises.
"""

import importlib
import inspect
import pkgutil
import warnings
from dataclasses import dataclass, field

from .calls import call
from .hints import failure
from .judge import judge
from .values import short

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
    diagnosis: optional diagnosis(got, expected, context) -> {key: sentence}, what this
         exercise can say about a wrong answer, tried before the general diagnosis; a
         sentence is used only if its key comes out on every wrong test input (relations.py).
    equivalent: optional equivalent(got, expected) -> True for an answer that differs from
         the reference's but is right too (for example the same random draws in another order).
    label: optional label(*args) -> "a network with 2 hidden layers", for exercises whose
         test inputs go from shallow to deep networks: an answer right for one depth and not
         another is told so, with a slip in its code's structure if one shows (hints.py).
    first_pass: what one pass of the exercise's loop does, to name what a `return` inside the
         loop leaves, e.g. "only the first parameter is updated".
    length_hint: the advice when a 1-D part of the answer has the wrong length (the default
         speaks of sums over the wrong axis, which suits array computations only).
    dtype: the data type the answer must have (e.g. np.float32), if the exercise asks for one.
    quantity: what the answer is, for the reasons a wrong factor is given: "derivative" (a
         derivative or gradient: a missing factor 2 is the 2 of (u²)' = 2u), "cost" (a mean
         loss: a factor 1/2 is one too many) or "fraction" (0 to 1: 100 times is a percentage).
    batches: True if the answer runs a network on batches: call() records the size of every
         batch the network receives, and a different batching is named (batches.py).
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
    diagnosis: object = None
    equivalent: object = None
    label: object = None
    first_pass: str = ""
    length_hint: str = ""
    dtype: object = None
    quantity: str = ""  # "derivative", "cost", "fraction" or "" (anything else)
    batches: bool = False
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


def evaluate(name, function):
    """Check function against exercise `name`; return a Result (prints nothing)."""
    exercise = EXERCISES[name]
    passed = []  # the test inputs the answer got right so far
    try:
        for args in exercise.cases:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reference = call(exercise, exercise.reference, args)
            outcome = call(exercise, function, args, quiet=False)
            if isinstance(outcome.error, NotImplementedError):
                return Result("not attempted", "Not attempted yet.")
            if outcome.error is not None:
                return Result("wrong", failure(exercise, function, args, outcome.error, passed))
            verdict = judge(exercise, function, args, outcome, reference, passed)
            if verdict:
                return Result(*verdict)
            passed.append(args)
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
