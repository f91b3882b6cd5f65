"""What the learner's function does with other inputs: it runs the answer again, changed.

ignored_function(): the answer stays the same when a function argument (slope's f,
mlp_forward's phi) is replaced by another function, while the right answer changes: the code
never calls it (a fixed np.tanh or sigmoid in its place) or its values cancel out.
ignored_argument(): the answer stays the same when any argument takes another test input's
value, while the right answer changes: the code never uses it (it reads a global variable,
or a value fixed in the code, instead).
transformed_input(): the answer is the right answer for 2·z, z/2, −z, σ(z), tanh(z), relu(z)
or |z| (TRANSFORMS), e.g. tanh(z) where the identity σ(z) = ½(1 + tanh(z / 2)) needs
tanh(z / 2), or a sigmoid applied twice.
one_example_part(): a part of a tuple answer (linear_backward's dM) is what the first or
the last example of the batch alone gives: the sum over the batch is missing.
Each is stated only if it holds on every test input where the answer is wrong.
"""

import inspect

import numpy as np

from .calls import call
from .source import read
from .values import numeric, same


def plain_function(value):
    return inspect.isfunction(value) or isinstance(value, np.ufunc) or inspect.isbuiltin(value)


def counted_substitute():
    """A function unlike the usual activations and f's, and the list that counts its calls."""
    calls = []

    def substitute(z, *rest, **options):
        calls.append(1)
        z = np.asarray(z, dtype=float)
        return np.cos(z) + 0.25 * z * z

    return substitute, calls


def swap_claims(exercise, function, args, outcome_value):
    """{key: sentence} for each function argument that function's answer does not depend on."""
    names = exercise.parameters()
    found = {}
    for index, (name, arg) in enumerate(zip(names, args)):
        if not plain_function(arg):
            continue
        substitute, calls = counted_substitute()
        swapped = args[:index] + (substitute,) + args[index + 1 :]
        mine = call(exercise, function, swapped)
        calls = list(calls)  # the learner's calls only, not the reference's below
        theirs = call(exercise, exercise.reference, swapped).value
        right = call(exercise, exercise.reference, args).value
        if mine.error is not None or same(theirs, right, exercise.rtol, exercise.atol):
            continue  # the right answer does not depend on it here either
        if not same(mine.value, outcome_value, exercise.rtol, exercise.atol):
            continue
        if calls:
            shifted = "h" in names
            how = (
                f"is something added to {name}'s output that belongs inside its argument, "
                f"{name}(z) + h instead of {name}(z + h)?"
                if shifted
                else f"check what you pass to {name} and what you do with its result"
            )
            found[("cancels", name)] = (
                f"Your result stays the same when `{name}` is another function: your code calls "
                f"`{name}`, but its values cancel out ({how})."
            )
        else:
            found[("never called", name)] = (
                f"Your result stays the same when `{name}` is another function: your code never "
                f"calls the `{name}` it is given (a fixed function such as np.tanh, relu or a "
                f"sigmoid in its place?). Use `{name}` itself, so that your function works for "
                f"any {name}."
            )
    return found


def other_values(exercise, index, args):
    """The values argument `index` takes in the other test inputs (different from args')."""
    for other in exercise.cases:
        if len(other) == len(args) and other is not args:
            value = other[index]
            if type(value) is type(args[index]) and not same(value, args[index]):
                yield value


def argument_claims(exercise, function, args, value):
    """{key: sentence} for each argument whose value the answer does not depend on (while the
    right answer does): the answer stays the same for every other test input's value of it.
    Not for a result of 0, NaN or inf, which stays so for other reasons (an integer division,
    an overflow)."""
    mine = numeric(value)
    if mine is None or mine.size == 0 or not np.all(np.isfinite(mine)) or not np.any(mine):
        return {}
    names, code = exercise.parameters(), read(function)
    right = call(exercise, exercise.reference, args).value
    found = {}
    for index, name in enumerate(names[: len(args)]):
        unchanged = []  # for each other value that changes the right answer: is yours the same?
        for other in other_values(exercise, index, args):
            moved = args[:index] + (other,) + args[index + 1 :]
            theirs = call(exercise, exercise.reference, moved)
            if theirs.error is not None or same(theirs.value, right, equal_nan=True):
                continue  # the right answer does not change either
            outcome = call(exercise, function, moved)
            unchanged.append(outcome.error is None and same(outcome.value, value, equal_nan=True))
        if unchanged and all(unchanged):
            found[("ignored", index)] = ignored_sentence(name, index, code)
    return found


def ignored_sentence(name, index, code):
    """What an argument the result does not depend on tells, as far as the code shows it."""
    mine = code.params[index] if index < len(code.params) else name
    called = f"`{mine}`" + (f" (the exercise's `{name}`)" if mine != name else "")
    sentence = f"Your result stays the same when {called} changes, and the right answer does not"
    if not code.known or mine in code.used:
        return f"{sentence}: check how your function uses `{mine}`."
    if name in code.global_data:
        return (
            f"{sentence}: your function never uses its argument; it reads the global variable "
            f"`{name}` of your notebook instead. Use `{mine}`, so that it works for any input."
        )
    listing = ", ".join(f"`{g}`" for g in code.global_data[:3])
    instead = f" (it reads the global variable {listing}: meant to be `{mine}`?)" if listing else ""
    return f"{sentence}: your function never uses `{mine}`{instead}."


def wrong_inputs(exercise, function):
    """(args, the answer's value) for every test input where the answer is wrong."""
    found = []
    for args in exercise.cases:
        mine = call(exercise, function, args)
        right = call(exercise, exercise.reference, args).value
        if mine.error is None and not same(mine.value, right, exercise.rtol, exercise.atol):
            found.append((args, mine.value))
    return found


def holds_everywhere(claims_for, exercise, function):
    """The first sentence that claims_for(args, value) makes on every input where the answer
    is wrong, or None."""
    try:
        cases = wrong_inputs(exercise, function)
        if not cases:
            return None
        common = claims_for(*cases[0])
        for args, value in cases[1:]:
            if not common:
                return None
            theirs = claims_for(args, value)
            common = {key: sentence for key, sentence in common.items() if key in theirs}
        return next(iter(common.values()), None)
    except Exception:  # a diagnosis must never stop the check
        return None


def ignored_argument(exercise, function):
    """'Your result stays the same when `history` changes, …', or None (not tried for answers
    that run a network: a training run per argument would take too long)."""
    if exercise.run:
        return None
    return holds_everywhere(
        lambda args, value: argument_claims(exercise, function, args, value), exercise, function
    )


def ignored_function(exercise, function):
    """'Your result stays the same when `f` is another function: …', or None."""
    if exercise.run:
        return None
    return holds_everywhere(
        lambda args, value: swap_claims(exercise, function, args, value), exercise, function
    )


def batch_cut(args, keep):
    """args with every array whose first dimension is the batch's (that of the first array
    argument) cut to the examples `keep`, a slice; None if the batch has fewer than 2."""
    arrays = [a for a in args if isinstance(a, np.ndarray) and a.ndim >= 1]
    if not arrays or len(arrays[0]) < 2:
        return None
    size = len(arrays[0])
    return tuple(a[keep] if isinstance(a, np.ndarray) and a.ndim >= 1 and len(a) == size
                 else a for a in args)  # fmt: skip


def example_claims(exercise, args, value, index):
    """{key: sentence} if part `index` of the answer is what the reference gives for the first
    (or last) example of the batch alone."""
    found = {}
    right = call(exercise, exercise.reference, args).value
    for keep, which in ((slice(0, 1), "first"), (slice(-1, None), "last")):
        cut = batch_cut(args, keep)
        theirs = call(exercise, exercise.reference, cut) if cut else None
        if theirs is None or theirs.error is not None:
            continue
        if same(value[index], theirs.value[index]) and not same(right[index], theirs.value[index]):
            found[(which,)] = (
                f"is what the {which} example of the batch alone gives: it must add up the "
                "contributions of all the examples in the batch"
            )
    return found


def one_example_part(exercise, function, index, name):
    """'dM is what the first example of the batch alone gives: …' if part `index` of a tuple
    answer is that on every test input where the part is wrong, else None."""
    try:
        common = None
        for args in exercise.cases:
            mine = call(exercise, function, args)
            right = call(exercise, exercise.reference, args).value
            if mine.error is not None or same(mine.value[index], right[index]):
                continue
            theirs = example_claims(exercise, args, mine.value, index)
            common = theirs if common is None else {k: v for k, v in common.items() if k in theirs}
            if not common:
                return None
        return f"{name} {next(iter(common.values()))}." if common else None
    except Exception:  # a diagnosis must never stop the check
        return None


def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


# What a formula may do to its input by mistake: (transform, how it reads, what went wrong).
TRANSFORMS = [
    (lambda z: 2 * z, "2·{z}", "{z} is doubled somewhere in your formula (for example tanh(z) "
     "where the identity σ(z) = ½(1 + tanh(z / 2)) needs tanh(z / 2))"),
    (lambda z: z / 2, "½·{z}", "{z} is halved somewhere in your formula (a / 2 too many?)"),
    (lambda z: -z, "−{z}", "the sign of {z} is flipped somewhere (e^z where e^(−z) belongs?)"),
    (sigmoid, "σ({z})", "a sigmoid too many: your formula gets σ({z}) where it needs {z} (as "
     "with s = sigmoid(sigmoid({z})) where s = sigmoid({z}) is meant)"),
    (np.tanh, "tanh({z})", "a tanh too many: your formula gets tanh({z}) where it needs {z}"),
    (lambda z: np.maximum(z, 0), "relu({z})", "a ReLU too many: your formula gets "
     "np.maximum({z}, 0) where it needs {z}, so the negative entries become 0 too early"),
    (np.abs, "|{z}|", "an np.abs too many: your formula gets |{z}| where it needs {z}"),
]  # fmt: skip


def transform_claims(exercise, args, value):
    """{key: sentence} for each transform t such that value is the right answer for t(z), z the
    first float array argument (the one the formula is about), or else the first signed
    integer array."""
    names = exercise.parameters()
    found = {}
    arrays = [(i, a) for i, a in enumerate(args) if isinstance(a, np.ndarray) and np.any(a)]
    index, arg = next(  # a float array, else signed whole numbers (np.arange(-3, 4))
        ((i, a) for kind in "fi" for i, a in arrays if a.dtype.kind == kind), (None, None)
    )
    if arg is None or index >= len(names):
        return found
    name = names[index]
    right = call(exercise, exercise.reference, args).value
    for number, (transform, reads, meaning) in enumerate(TRANSFORMS):
        with np.errstate(all="ignore"):
            changed = transform(arg)
        if np.allclose(changed, arg):
            continue  # no change on this input (a ReLU of positive numbers): shows nothing
        moved = args[:index] + (changed,) + args[index + 1 :]
        theirs = call(exercise, exercise.reference, moved)
        if theirs.error is None and same(value, theirs.value, exercise.rtol, exercise.atol):
            if not same(theirs.value, right, exercise.rtol, exercise.atol):
                found[(name, number)] = (
                    f"Your result is the right answer for {reads.format(z=name)} instead of "
                    f"{name}: {meaning.format(z=name)}."
                )
    return found


def transformed_input(exercise, function):
    """'Your result is the right answer for 2·z instead of z: …', or None (not tried for
    answers that run a network: there 2·x means nothing to the learner)."""
    if exercise.run or exercise.batches:
        return None
    return holds_everywhere(
        lambda args, value: transform_claims(exercise, args, value), exercise, function
    )
