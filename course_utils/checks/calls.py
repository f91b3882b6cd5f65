"""Running the learner's code safely: one call on fresh copies of the test input.

call() keeps what the call returned, the error it raised, the RuntimeWarnings NumPy gave,
which arguments the code changed in place (compared with a copy made before the call) and,
for an exercise that works in batches, the size of every batch the network received.
acceptable() says whether an answer is the right kind of value for the expected one.
"""

import contextlib
import copy
import io
import warnings
from dataclasses import dataclass

import numpy as np

from .batches import record
from .values import numeric, type_problem


@dataclass
class Outcome:
    """What one call of a function on one test input gave."""

    value: object = None
    error: BaseException = None
    warned: tuple = ()
    changed: tuple = ()  # sentences naming the arguments that were changed in place
    batches: tuple = None  # the size of every batch the network received (batches=True)


def changes(before, after, label):
    """Sentences naming what differs in `after` from `before` (arrays, lists, dicts)."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or after.shape != before.shape:
            return [f"`{label}` was replaced or reshaped"]
        if not np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"):
            return [
                f"`{label}` was changed in place (an assignment like {label}[...] = … or "
                f"{label} -= … writes into the caller's array)"
            ]
        return []
    if isinstance(before, list | dict):
        kind = type(before).__name__
        if type(after) is not type(before) or len(after) != len(before):
            how = ".pop(), .append(), .remove() or del" if isinstance(before, list) else "del"
            return [f"the {kind} `{label}` changed its length ({how})"]
        if isinstance(before, list) and all(isinstance(v, int | float) for v in before):
            if before != after:
                return [f"the list `{label}` was changed in place (.sort(), item assignment…)"]
            return []
        keys = range(len(before)) if isinstance(before, list) else before.keys()
        found = []
        for key in keys:
            if isinstance(before, dict) and key not in after:
                return [f"the dict `{label}` lost its key {key!r}"]
            found += changes(before[key], after[key], f"{label}[{key!r}]")
        return found
    if isinstance(before, int | float | str | tuple) and before != after:
        return [f"`{label}` was changed"]
    return []  # random generators, models: not compared


def call(exercise, function, args, quiet=True):
    """Run function on fresh copies of args; keep its result, error, warnings, changes.

    quiet: hide what the function prints (the checks call it more than once; the learner
    should see their print() output once, from the first call on each input)."""
    before, work = copy.deepcopy(args), copy.deepcopy(args)
    outcome = Outcome()
    noted = None
    if getattr(exercise, "batches", False):  # the network notes every batch it receives
        noted = next((record(arg) for arg in work if hasattr(arg, "layers")), None)
    printed = contextlib.nullcontext() if not quiet else contextlib.redirect_stdout(io.StringIO())
    with printed, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            try:
                outcome.value = exercise.run(function, *work) if exercise.run else function(*work)
            except (Exception, SystemExit) as error:  # the learner's code may fail in any way
                outcome.error = error
    outcome.batches = None if noted is None else tuple(noted)
    outcome.warned = tuple(str(w.message) for w in caught if issubclass(w.category, RuntimeWarning))
    names = exercise.parameters() or tuple(f"argument {i + 1}" for i in range(len(args)))
    try:
        outcome.changed = tuple(
            sentence
            for name, old, new in zip(names, before, work)
            if name not in getattr(exercise, "may_change", ())
            for sentence in changes(old, new, name)
        )
    except Exception:
        outcome.changed = ()
    return outcome


def in_place_message(outcome):
    what = "; ".join(outcome.changed[:2])
    return (
        f"Your function changes its arguments: {what}. The caller still needs them "
        "unchanged: work on a copy (a = a.copy(), new = old - step, a slice like Ms[:-1]) "
        "and return the new values."
    )


def finite(value):
    """True if value (numbers, or a tuple/list of them) holds no NaN or inf."""
    if isinstance(value, tuple | list):
        return all(finite(v) for v in value)
    array = numeric(value)
    return array is not None and bool(np.isfinite(array).all())


def acceptable(got, expected):
    """got is the right kind of value (no list for an array, no bool for a number…)."""
    if isinstance(expected, tuple | list):
        return isinstance(got, tuple | list) and all(
            acceptable(g, e) for g, e in zip(got, expected)
        )
    return type_problem(got, expected) is None
