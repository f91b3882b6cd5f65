"""Judging the learner's answer on one test input: right, a known mistake, or what differs.

judge() compares the answer with the reference's result. A right result can still be wrong:
arguments changed in place, NumPy warnings, another data type or other batches than asked
(right_but). A wrong answer is named, in order: an argument changed in place, the wrong kind
of value, a typical mistake registered with the exercise (the same numbers on at least half
of the inputs where the answer is wrong, other finite numbers on none), a different result
at every call, batches of other sizes (batches.py), the exercise's own diagnosis, a function
argument or an argument the answer ignores (behaviour.py), the general diagnosis
(diagnose.py), the right answer for 2·z or σ(z), or what is new about this input compared
with the earlier ones, where the answer was right (hints.py). What the answer's code
contains (source.py) is read once and goes with the context, so that a hint names only what
the code shows.
elsewhere() runs the answer on the other test inputs, so that a diagnosis is stated only if
it holds there too (relations.confirmed).
"""

import inspect
import re
import warnings

import numpy as np

from .batches import claims as batch_claims
from .batches import problem as batch_problem
from .batches import settings as batch_settings
from .batches import unread
from .behaviour import ignored_argument, ignored_function, one_example_part, transformed_input
from .calls import acceptable, call, finite, in_place_message
from .diagnose import diagnose, part_names
from .hints import depth, layer_slip, lower_first, what_is_new
from .relations import confirmed
from .source import read, returned_none
from .structure import facts
from .values import NONE, Context, describe, is_sequence, narrowed, same, short


def context_for(exercise, args, outcome, reference=None, code=None):
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
                if isinstance(arg, int) and not isinstance(arg, bool) and name != "seed":
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
        length_hint=exercise.length_hint,
        batches=noted_batches(outcome, reference),
        code=code,
        quantity=exercise.quantity,
    )


def noted_batches(outcome, reference):
    """(the batch sizes the answer's network received, the reference's), or None."""
    if reference is None or outcome.batches is None or reference.batches is None:
        return None
    return outcome.batches, reference.batches


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
    test inputs where it is wrong, and other finite numbers on none: the same mistake, not
    a coincidence on an input where two mistakes agree (dividing by M·C or by C when M = 1).
    An answer that is also unstable (NaN where the mistake is finite) may still fit."""
    wrong = agree = 0
    for args in exercise.cases:
        typical = call(exercise, mistake.wrong, args)
        mine = call(exercise, function, args)
        reference = call(exercise, exercise.reference, args)
        if typical.error is not None or right(exercise, mine, reference.value):
            continue
        wrong += 1
        if alike(exercise, mine, typical):
            agree += 1
        elif finite(mine.value) and finite(typical.value):
            return False  # another mistake, which gives other numbers here
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


def part_hint(exercise, function, args, got, expected):
    """hint(i) for a tuple or list answer whose part i is wrong: the message of a typical
    mistake that gives it, or what the first (last) example of the batch alone gives."""

    def hint(i):
        names = part_names(Context(outputs=exercise.outputs), len(expected), isinstance(
            expected, list))  # fmt: skip
        return part_mistake(exercise, args, got, expected, i) or one_example_part(
            exercise, function, i, names[i])  # fmt: skip

    return hint


def right(exercise, outcome, expected):
    """The outcome is the right answer, or one the exercise accepts as equivalent."""
    got = outcome.value
    if outcome.error is not None or not acceptable(got, expected):
        return False
    if same(got, expected, exercise.rtol, exercise.atol):
        return True
    try:
        return bool(exercise.equivalent and exercise.equivalent(got, expected))
    except Exception:
        return False


def elsewhere(exercise, function, args, code=None):
    """(got, expected, context) on the other test inputs where the answer is wrong: a
    diagnosis is stated only if it holds there too (relations.confirmed)."""
    found = []
    for other in exercise.cases:
        if other is not args:
            outcome = call(exercise, function, other)
            reference = call(exercise, exercise.reference, other)
            if outcome.error is None and not right(exercise, outcome, reference.value):
                context = context_for(exercise, other, outcome, reference, code)
                found.append((outcome.value, reference.value, context))
    return tuple(found)


def own_diagnosis(exercise, got, expected, context):
    """The exercise's own diagnosis of the answer, if it holds on every wrong test input."""
    if not exercise.diagnosis:
        return None
    return confirmed(exercise.diagnosis, got, expected, context, convert=lambda value: value)


def returned(got, expected, exercise):
    """'you returned …, expected …', for a tuple or list answer only its first wrong part."""
    if isinstance(expected, tuple | list) and isinstance(got, tuple | list):
        if len(got) == len(expected):
            names = part_names(Context(outputs=exercise.outputs), len(expected), isinstance(
                expected, list))  # fmt: skip
            for name, g, e in zip(names, got, expected):
                if not (acceptable(g, e) and same(g, e, exercise.rtol, exercise.atol)):
                    return f"{subject(name)} is {short(g)}, expected {short(e)}"
    return f"you returned {short(got)}, expected {short(expected)}"


def subject(name):
    """'your dM1', but 'the cost J you returned' as it is."""
    return name if name.startswith(("the ", "your ")) else f"your {name}"


def capital(text):
    """'the list of costs …' -> 'The list of costs …' (but 'dM1 is …' stays)."""
    return "The" + text[3:] if text.startswith("the ") else text


def right_but(exercise, outcome, reference, args, inputs, function=None):
    """For a right result: what is still wrong (arguments changed, NumPy warnings, the data
    type, the batches), as a message, or None."""
    if outcome.changed:
        return in_place_message(outcome) + f"\n   For the input ({inputs})."
    if outcome.warned:
        warned = "; ".join(sorted(set(outcome.warned)))
        advice = exercise.unstable or "Make the computation safe for every input."
        return (
            f"The numbers are right, but NumPy warned: {warned}, for the input ({inputs}). {advice}"
        )
    got, expected = outcome.value, reference.value
    if (
        isinstance(expected, int)
        and not isinstance(expected, bool)
        and isinstance(got, float | np.floating)
    ):
        return (
            f"The number is right, but it is the float {float(got)!r}, and the answer is a "
            f"whole number (an int), {expected}: compute with whole numbers all the way (no /, "
            "np.array(…, dtype=float) or float arrays), so that the result is an int."
        )
    narrow = None if exercise.dtype is not None else narrowed(got, expected, args)
    if narrow:
        return f"The numbers are right to float32's precision, but {lower_first(narrow)}"
    dtype = getattr(outcome.value, "dtype", None)
    if exercise.dtype is not None and dtype is not None and dtype != np.dtype(exercise.dtype):
        name = np.dtype(exercise.dtype).name
        return (
            f"The numbers are right, but your array's data type is {dtype}, and the exercise "
            f"asks for {name} (half the memory of float64, and the type the network computes "
            f"in): keep every step in {name}, convert with .astype(np.{name}) and divide by a "
            f"plain number such as 255 (one float64 in the formula, an array or "
            f"np.float64(255), makes the result float64)."
        )
    noted = noted_batches(outcome, reference)
    if noted:
        context = Context(args=args, names=exercise.parameters())
        found = batch_problem(*noted, *batch_settings(context))
        found = unread(found, read(function), *batch_settings(context))
        if found:
            return f"The result is right, but {found[1]}\n   For the input ({inputs})."
    return None


def judge(exercise, function, args, outcome, reference, passed=()):
    """None if the answer is right for this input, else (status, message).

    reference: the reference's outcome for args; passed: the inputs the answer got right."""
    got, expected = outcome.value, reference.value
    inputs = describe(args, names=exercise.parameters())
    you = returned(got, expected, exercise)
    shown = f"\n   For the input ({inputs}) {you}." if args else f"\n   {you[:1].upper()}{you[1:]}."
    if right(exercise, outcome, expected):
        problem = right_but(exercise, outcome, reference, args, inputs, function)
        return ("mistake", problem) if problem else None
    if got is None and outcome.changed:
        return "mistake", (
            "Your function changed its arguments in place and returned None: return the new "
            f"values instead (`return …`), and leave the caller's arrays unchanged. "
            f"({'; '.join(outcome.changed[:1])}.)"
        )
    code = read(function)
    if got is None:
        return "mistake", facts(function).get("only return in loop") or returned_none(code, NONE)
    if outcome.changed:  # fix this first: it can also be why the result is wrong
        return "mistake", in_place_message(outcome) + shown
    context = context_for(exercise, args, outcome, reference, code)
    if not acceptable(got, expected):  # None, a generator, a list for an array, …
        context.others = elsewhere(exercise, function, args, code)
        problem = own_diagnosis(exercise, got, expected, context)
        return "wrong", (problem or diagnose(got, expected, context) or "Not yet.") + shown
    matching = [m for m in exercise.mistakes if looks_like(exercise, m, args, outcome)]
    known = [m for m in matching if fits(exercise, function, m)]
    if known:
        return "mistake", known[0].message + shown
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = call(exercise, function, args)
    consistent = same(got, got, exercise.rtol, exercise.atol, True)  # comparable at all
    if consistent and again.error is None and not same(got, again.value, equal_nan=True):
        return "mistake", repeat_message(function) + shown
    context.part_hint = part_hint(exercise, function, args, got, expected)
    context.others = elsewhere(exercise, function, args, code)
    lead, slip = depth(exercise, args, passed), layer_slip(exercise, function)
    if lead and slip:  # right for one depth, not another, and the code shows why
        return "wrong", f"{lead}. {slip}" + shown
    problem = (
        confirmed(batch_claims, got, expected, context, convert=lambda value: value)
        or own_diagnosis(exercise, got, expected, context)
        or ignored_function(exercise, function)
        or ignored_argument(exercise, function)
        or diagnose(got, expected, context)
        or transformed_input(exercise, function)
        or what_is_new(exercise, function, args, passed)
    )
    problem = capital(returns_early(exercise, function, got, expected, problem, context.batches))
    if lead and not problem.startswith(lead):
        problem = f"{lead}: {lower_first(problem)}"
    return "wrong", problem + shown


def defaults(function):
    """(name, default value) of the function's parameters that have one."""
    try:
        return [(name, p.default) for name, p in inspect.signature(function).parameters.items()
                if p.default is not inspect.Parameter.empty]  # fmt: skip
    except (TypeError, ValueError):
        return []


def repeat_message(function):
    """Why a second call with the same input gives another result, from what the code uses."""
    text = ""
    try:
        text = inspect.getsource(function)
    except (OSError, TypeError):
        pass
    lead = "Your function gives a different result at every call with the same input: "
    kept = [name for name, value in defaults(function) if isinstance(value, list | dict | set)]
    if kept:
        return lead + (
            f"its default argument {kept[0]} is made once, when the function is defined, and "
            f"keeps what earlier calls put in it. Write {kept[0]}=None and make a fresh one "
            "inside the function at every call."
        )
    shared = read(function).global_data
    if shared and not re.search(r"\brandom\b|\brng\b|default_rng", text):
        return lead + (
            f"it keeps something in `{shared[0]}`, a variable outside the function, from one "
            "call to the next. Work only with the arguments and names made inside the function."
        )
    if not text or re.search(r"\b(np\.)?random\.(?!default_rng\b|Generator\b)", text):
        return lead + (
            "use the seed or the random generator it is given (np.random.default_rng(seed), "
            "rng.permutation(n)), never np.random.… directly."
        )
    if re.search(r"\brng\b|default_rng|Generator|permutation|shuffle", text):
        return lead + (
            "a random generator that lives on between calls (made outside the function, or "
            "kept in a global or a cache) goes on drawing. Make it inside the function, from "
            "the seed, at every call: np.random.default_rng(seed)."
        )
    return lead + (
        "it draws no random numbers, so it keeps something from one call to the next (a "
        "global variable, a default argument such as costs=[] that grows, a cache). Start from "
        "fresh values inside the function at every call."
    )


def returns_early(exercise, function, got, expected, problem, batches=None):
    """The problem, led by 'return is inside your loop' when the code has a `return` inside
    a loop and a list answer is too short, or its network received only the first batches
    (batches: the sizes it received and the reference's network did)."""
    short = is_sequence(got) and is_sequence(expected) and len(got) < len(expected)
    mine, theirs = (list(b) for b in batches) if batches else ([], [])
    early = len(mine) < len(theirs) and mine == theirs[: len(mine)]
    slip = facts(function, exercise.first_pass).get("return in loop") if short or early else None
    if slip and early and not short:  # the batches show where it stopped: that says it all
        return f"{slip} (The network received {len(mine)} of the {len(theirs)} batches.)"
    if slip:
        return f"{slip} {problem}" if problem else slip
    return problem or "Not yet."
