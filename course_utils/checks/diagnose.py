"""Name what is wrong with a result, by comparing it with the reference's.

diagnose(got, expected, context) returns one sentence such as "db is wrong: it has one row
per example, shape (5, 2); sum over the examples, .sum(axis=0), to get shape (2,)", or None
when it finds nothing it can name. It looks, in this order, at: the kind of value (None, a
generator, a Python list instead of an array, booleans), the parts of a tuple or list answer
(which one is wrong, missing or out of order, or an argument returned as it was given), the
shape (transposed, not summed, a number instead of an array), and the values (NaN or inf
where the answer is finite, the wrong sign, a constant factor such as 2 or 1/M, right except
where the input is 0, right except some rows).

This module handles tuple and list answers and the order of the diagnoses; values.py knows
the kinds of value, arrays.py the differences of one array or number. Nothing here may raise,
whatever the learner returned: every conversion is guarded.
"""

import types
from dataclasses import replace

import numpy as np

from .arrays import value_problem
from .relations import confirmed
from .source import none_sentence
from .values import is_sequence, kind, numeric, same, shape_of, short, type_problem


def part_names(context, count, is_list):
    outputs = context.outputs
    if isinstance(outputs, tuple | list) and len(outputs) == count:
        return [str(name) for name in outputs]
    pattern = outputs if isinstance(outputs, str) else ("item {i}" if is_list else "output {i}")
    return [pattern.format(i=i) for i in range(count)]


def slice_of(part, order):
    """(start, stop) if part is order[start:stop], a consecutive piece of one order, else None."""
    part = np.asarray(part)
    if part.ndim != 1 or part.size == 0:
        return None
    starts = np.flatnonzero(order == part[0])
    if starts.size != 1:
        return None
    start = int(starts[0])
    stop = start + part.size
    return (start, stop) if np.array_equal(order[start:stop], part) else None


def overlapping(got, expected, names):
    """For an answer made of index arrays that must not share an index: the two that do."""
    try:
        parts = [np.asarray(e) for e in expected]
        if len(parts) < 2 or not all(p.ndim == 1 and p.dtype.kind in "iu" for p in parts):
            return None
        order = np.concatenate(parts)  # the right answer cuts one order into pieces
        if order.size != np.unique(order).size:
            return None  # the right answer itself repeats indices
        for i in range(len(got)):
            for j in range(i + 1, len(got)):
                shared = np.intersect1d(np.asarray(got[i]), np.asarray(got[j]))
                if not shared.size:
                    continue
                pieces = slice_of(got[i], order), slice_of(got[j], order)
                if all(pieces) and pieces[0][0] < pieces[1][0] < pieces[0][1]:
                    (a, b), (c, d) = pieces
                    return (
                        f"{names[i]} and {names[j]} share {shared.size} index(es): {names[i]} is "
                        f"order[{a}:{b}] and {names[j]} order[{c}:{d}], so they overlap. Each "
                        "piece starts exactly where the one before stops (a slice leaves its "
                        f"end out: order[{a}:{b}] stops before order[{b}]); check the sizes and "
                        "where each slice starts."
                    )
                return (
                    f"{names[i]} and {names[j]} share {shared.size} index(es), e.g. "
                    f"{shared[0]}: the sets must not overlap. Shuffle ONCE, then cut that "
                    "one order into consecutive pieces."
                )
    except Exception:
        return None
    return None


def reshuffled(got, expected):
    """For index arrays: the same indices in parts of the right sizes, but another order."""
    try:
        parts = [np.asarray(e) for e in expected]
        if not all(p.ndim == 1 and p.dtype.kind in "iu" for p in parts):
            return None
        mine = [np.asarray(g) for g in got]
        if [m.shape for m in mine] != [p.shape for p in parts]:
            return None
        if np.array_equal(np.sort(np.concatenate(mine)), np.sort(np.concatenate(parts))):
            return (
                "Right sizes, every index exactly once, but a different shuffle: shuffle "
                "exactly as asked, with the seed or generator you are given (e.g. "
                "np.random.default_rng(seed).permutation(n), or rng.permutation(n)), once."
            )
    except Exception:
        return None
    return None


def kept_argument(g, e, context):
    """A relation (see relations.py): g is a list or array argument of the call exactly as it
    was given, where the right answer differs from it: the new values were never stored."""
    for name, arg in zip(context.names, context.args):
        arrays = arg if isinstance(arg, list | tuple) else [arg]
        if not arrays or not all(isinstance(a, np.ndarray) and a.size for a in arrays):
            continue
        if same(g, arg, rtol=0, atol=0) and not same(e, arg, context.rtol, context.atol):
            code = context.code
            loop = code.rebound[0] if code is not None and code.rebound else ""
            why = (
                f"`{loop} = …` inside your loop gives the name {loop} a new value, but the "
                f"list `{name}` keeps the old one: collect the new values in a list "
                f"(….append({loop})) and return that list"
                if loop and isinstance(arg, list)
                else "compute the new values and return them, not the argument"
            )
            return {("kept", name): f"is `{name}` exactly as it was given, unchanged: {why}."}
    return {}


def sequence_problem(got, expected, context, subject="Your result"):
    """Which part of a tuple/list answer is wrong, missing or out of order, and how."""
    close = dict(rtol=context.rtol, atol=context.atol)
    n = len(expected)
    names = part_names(context, n, isinstance(expected, list))
    listing = ", ".join(names)
    if not is_sequence(got):
        for index, part in enumerate(expected):
            if same(got, part, **close):
                return f"You returned only {names[index]}: return all {n} values, return {listing}."
        what = "list" if isinstance(expected, list) else "tuple"
        return f"Expected a {what} of {n} values ({listing}); your function returned {kind(got)}."
    kept = confirmed(kept_argument, got, expected, context, convert=lambda value: value)
    if kept:
        return f"{subject} {kept}"
    for index, part in enumerate(expected):
        if same(got, part, **close):
            return f"You returned only {names[index]}: return all {n} values, return {listing}."
    found = [any(same(g, e, **close) for g in got) for e in expected]
    if len(got) < n:
        if all(same(g, e, **close) for g, e in zip(got, expected)):
            missing = ", ".join(names[len(got) :])
            return (
                f"{subject} stops early: {len(got)} value{'s' if len(got) != 1 else ''} "
                f"instead of {n}; the last "
                f"{n - len(got)} ({missing}) {'is' if n - len(got) == 1 else 'are'} missing."
            )
        missing = [name for name, ok in zip(names, found) if not ok]
        return f"Expected {n} values ({listing}), your function returned {len(got)}" + (
            f"; missing or wrong: {', '.join(missing)}." if missing else "."
        )
    if len(got) > n:
        extra = got[n:]
        if all(same(g, e, **close) for g, e in zip(got, expected)):
            empty = all(numeric(x) is not None and numeric(x).size == 0 for x in extra)
            return f"{subject} has {len(got)} values instead of {n}: " + (
                "the extra ones at the end are empty (a loop that runs one step too far)."
                if empty
                else f"the first {n} are right, but there are {len(got) - n} too many."
            )
        return f"Expected {n} values ({listing}), your function returned {len(got)}."
    wrong = [
        i
        for i in range(n)
        if not same(got[i], expected[i], **close) or type_problem(got[i], expected[i])
    ]
    # sets that share an index: that comes first, unless a part should be empty (a[-0:])
    should_be_empty = any(numeric(e) is not None and numeric(e).size == 0 for e in expected)
    overlap = None if should_be_empty else overlapping(got, expected, names)
    if overlap:
        return overlap
    first = wrong[0] if wrong else None
    if (
        first is not None
        and type_problem(got[first], expected[first]) is None
        and shape_of(got[first]) == shape_of(expected[first])
    ):
        overlap = reshuffled(got, expected)
        if overlap:
            return overlap
    if all(found) and any(not same(got[i], expected[i], **close) for i in wrong):
        return f"Right values in the wrong order: return them as ({listing})."
    index = wrong[0]
    part = names[index]
    if got[index] is None:  # an entry never filled in: which one tells why
        detail = none_sentence(context.code, part, index)
    else:
        detail = type_problem(got[index], expected[index], part, context.code)
    if detail is None:
        inner = replace(context, path=context.path + (index,))  # its part on other inputs
        if is_sequence(expected[index]):
            inner = replace(inner, outputs=part + "[{i}]", part_hint=None)
            detail = sequence_problem(got[index], expected[index], inner, part)
        else:
            detail = value_problem(got[index], expected[index], inner, part)
    if detail is None and context.part_hint:
        detail = context.part_hint(index)  # a typical mistake that gives this part
    if detail is None:
        detail = f"{part} is {short(got[index])}, expected {short(expected[index])}."
    right = [names[i] for i in range(n) if i not in wrong]
    others = [names[i] for i in wrong[1:]]
    lead = f"{part} is wrong"
    if right and len(right) <= 4:
        lead += f" ({', '.join(right)} {'is' if len(right) == 1 else 'are'} right)"
    tail = f" ({', '.join(others[:4])} also wrong)" if others else ""
    return f"{lead}{tail}: {detail}"


# ---------------------------------------------------------------- one array or number


def diagnose(got, expected, context):
    """A sentence naming what is wrong with got, or None. Never raises."""
    try:
        if got is None or isinstance(got, types.GeneratorType):
            return type_problem(got, expected, code=context.code)
        if is_sequence(expected):
            return sequence_problem(got, expected, context)
        problem = type_problem(got, expected)
        if (
            problem
            and problem.startswith("Your result is a Python")
            and not same(numeric(got), expected, context.rtol, context.atol)
        ):
            more = value_problem(numeric(got), expected, context, "Its value")
            problem += f" {more}" if more else " Its values are wrong too."
        return problem or value_problem(got, expected, context)
    except Exception:  # a diagnosis must never stop the check
        return None
