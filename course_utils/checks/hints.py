"""What the test inputs the answer passed, and the shape of its code, add to a message.

depth(): for exercises about networks of any depth (an Exercise with a `label`, such as "a
network with 1 hidden layer"), the answer was right for one depth and fails for another:
"Right for a network with 1 hidden layer, but not for this one, a network with 2 hidden
layers". The test inputs go from shallow to deep, so that a structural slip shows this way.
failure(): the message for an error the learner's code raised: that lead, a slip in the
code's structure (structure.py) when the exercise is about layers, then the error explained.
what_is_new(): for a wrong result after right ones, what is new about this input: a deeper
network, values up to 1000, a 2-D input, a batch of one example.
"""

import numpy as np

from .explain import explain
from .structure import facts
from .values import describe

# The structural slips that can explain why an answer fails for another number of layers.
LAYER_SLIPS = ("return in loop", "input in loop", "loop from 1", "no loop")


def network_depth(Ms):
    """'a network with 2 hidden layers' for a list of weight matrices, the output layer's last."""
    hidden = len(Ms) - 1
    if hidden == 0:
        return "a network with no hidden layer"
    return f"a network with {hidden} hidden layer{'s' if hidden > 1 else ''}"


def label_of(exercise, args):
    try:
        return exercise.label(*args) if exercise.label else ""
    except Exception:
        return ""


def depth(exercise, args, passed):
    """'Right for a network with 1 hidden layer, but not for this one, a network with 2 hidden
    layers', or '' (no labels, nothing passed, or only inputs of the same kind passed)."""
    now = label_of(exercise, args)
    before = [label_of(exercise, case) for case in passed]
    if now in before:  # right for a network like this one already: depth is not the cause
        return ""
    before = [label for label in dict.fromkeys(before) if label]
    if not now or not before:
        return ""
    return f"Right for {' and for '.join(before)}, but not for this one, {now}"


def layer_slip(exercise, function):
    """The first structural slip of a layer exercise's code (see LAYER_SLIPS), or ''."""
    if not exercise.label:
        return ""
    found = facts(function, exercise.first_pass)
    return next((found[key] for key in LAYER_SLIPS if key in found), "")


def lower_first(text):
    """'The sizes …' -> 'the sizes …', but 'NumPy …' and '`^` …' stay as they are."""
    if text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def failure(exercise, function, args, error, passed):
    """The message for an error function raised on args, after passing the inputs `passed`."""
    names = exercise.parameters()
    explained = explain(error, args, names, function)
    lead, slip = depth(exercise, args, passed), layer_slip(exercise, function)
    if not isinstance(error, ValueError | IndexError):
        slip = ""  # a structural slip shows as sizes that do not fit, or an index too far
    if slip:  # the slip replaces the general explanation; Python's own line stays
        _, _, rest = explained.partition("\n")
        explained = f"{slip}\n{rest}" if rest else slip
    if lead:
        explained = f"{lead}. {explained}" if slip else f"{lead}: {lower_first(explained)}"
    at = f"\n   for the input ({describe(args, names=names)})." if args else ""
    return explained + at


def arrays_in(args):
    """The float arrays among args (also inside lists and tuples)."""
    found = []
    for arg in args:
        if isinstance(arg, np.ndarray) and arg.dtype.kind == "f":
            found.append(arg)
        elif isinstance(arg, list | tuple):
            found += arrays_in(arg)
    return found


def largest(arrays):
    return max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)


def what_is_new(exercise, function, args, passed):
    """When an answer passed the earlier test inputs: what is new about this one."""
    if not passed:
        return None
    lead = depth(exercise, args, passed)
    if lead:
        slip = layer_slip(exercise, function)
        return f"{lead}. " + (slip or (
            "Something in your code fits one number of layers only (fixed positions such as "
            "Ms[0] or Ms[1], a loop over the wrong range?): handle every layer alike."
        ))  # fmt: skip
    now, before = arrays_in(args), [a for case in passed for a in arrays_in(case)]
    if not (now and before):
        return None
    if largest(now) >= 100 > largest(before):
        return (
            f"Right on the first {len(passed)} test inputs, but not on this one, whose values go "
            f"up to {largest(now):g}: a step that is not numerically stable (an exp that "
            "overflows, a probability rounded to 0, a log of 0, a small constant added to "
            f"avoid it)? {exercise.unstable}".rstrip()
        )
    if max(a.ndim for a in now) > max(a.ndim for a in before):
        return (
            f"Right on the first {len(passed)} test inputs (1-D), but not on this 2-D one: a "
            "loop over the elements meets whole rows here; use array operations (np.exp, "
            "np.where, masks) that work for any shape."
        )
    rows = [a.shape[0] for a in now if a.ndim == 2]
    if rows and min(rows) == 1:
        return (
            f"Right on the first {len(passed)} test inputs, but not on this batch of ONE "
            "example: check that no shape collapses (a sum without axis, .squeeze(), "
            "indexing [0])."
        )
    return None
