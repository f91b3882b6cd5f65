"""Name what is wrong with a result, by comparing it with the reference's.

diagnose(got, expected, context) returns one sentence such as "db is wrong: it has one row
per example, shape (5, 2); sum over the examples, .sum(axis=0), to get shape (2,)", or None
when it finds nothing it can name. It looks, in this order, at: the kind of value (None, a
generator, a Python list instead of an array, booleans), the parts of a tuple or list answer
(which one is wrong, missing or out of order), the shape (transposed, not summed, a number
instead of an array), and the values (NaN or inf where the answer is finite, the wrong sign,
a constant factor such as 2 or 1/M, right except where the input is 0, right except some rows).

Nothing here may raise, whatever the learner returned: every conversion is guarded.
"""

import types
import warnings
from dataclasses import dataclass, field

import numpy as np

NONE = (
    "Your function returned None: you forgot `return` (its last line should be "
    "`return <result>`; print() shows a value but does not return it)."
)
GENERATOR = (
    "Your function is a generator (it uses `yield`): fine in a for loop, but this exercise "
    "returns a list; build the list and `return` it (or return list(...))."
)


@dataclass
class Context:
    """What diagnose() may use to name a difference: the test input and a few names."""

    args: tuple = ()
    names: tuple = ()  # the parameter names of the exercise, e.g. ("grad", "x", "M")
    outputs: object = None  # names of a tuple answer's parts, or a pattern like "batch {i}"
    sizes: dict = field(default_factory=dict)  # {"M (the batch size)": 5, …}
    warned: tuple = ()  # RuntimeWarnings NumPy gave while the learner's code ran
    unstable: str = ""  # the exercise's advice for NaN/inf results
    rtol: float = 1e-5
    atol: float = 1e-8


def is_sequence(value):
    return isinstance(value, tuple | list)


def numeric(value):
    """value as a float array, or None when it is not made of numbers. Never raises."""
    if value is None or isinstance(value, str | bytes | dict | set | types.GeneratorType):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value, dtype=float)
    except Exception:  # ragged lists, objects whose __array__ or __float__ fails, …
        return None
    return array


def shape_of(value):
    """np.shape(value), or None (for a ragged list, say). Never raises."""
    array = numeric(value)
    return None if array is None else array.shape


def same(a, b, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True when a has b's structure (tuple/list parts), shape and values. Never raises."""
    try:
        if is_sequence(b):
            return (
                is_sequence(a)
                and len(a) == len(b)
                and all(same(x, y, rtol, atol, equal_nan) for x, y in zip(a, b))
            )
        if is_sequence(a) and np.ndim(b) == 0:
            return False
        x, y = numeric(a), numeric(b)
        if x is None or y is None or x.shape != y.shape:
            return False
        with np.errstate(all="ignore"):
            return bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan))
    except Exception:
        return False


def short(value, limit=120):
    """A value as a short string for feedback. Never raises."""
    try:
        if is_sequence(value):
            text = "[" if isinstance(value, list) else "("
            text += ", ".join(short(v, limit) for v in value[:6])
            text += (", …" if len(value) > 6 else "") + ("]" if isinstance(value, list) else ")")
        elif isinstance(value, np.ndarray | np.generic) and value.dtype != object:
            text = np.array2string(np.asarray(value), precision=4, threshold=8, edgeitems=2)
            text = " ".join(text.split())
        elif isinstance(value, dict):
            text = "{" + ", ".join(f"{k!r}: {short(v, 40)}" for k, v in value.items()) + "}"
        elif isinstance(value, int | float | bool | str) or value is None:
            text = repr(value)
        else:
            text = f"a {type(value).__name__}"  # say "a generator", not its memory address
    except Exception:
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[:limit] + " …"


def describe(args, limit=160):
    """The inputs of a test case, cut to about `limit` characters."""
    text = ", ".join(short(a, limit) for a in args)
    return text if len(text) <= limit else text[:limit] + " …"


def kind(value):
    """'None', 'a generator', 'a Python list', 'an array of shape (2, 3)', 'the number 3', …"""
    if value is None:
        return "None"
    if isinstance(value, types.GeneratorType):
        return "a generator"
    if isinstance(value, bool | np.bool_):
        return f"the bool {value}"
    if isinstance(value, int | float | np.number):
        return f"the number {short(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, list):
        return f"a Python list of {len(value)} items"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} values"
    return f"a {type(value).__name__}"


def is_number(value):
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


# ---------------------------------------------------------------- kind of value


def type_problem(got, expected, subject="Your result"):
    """A sentence when got is the wrong kind of value for expected (None, list, bool…)."""
    if got is None:
        return NONE if subject == "Your result" else f"{subject} is None: a `return` is missing."
    if isinstance(got, types.GeneratorType):
        return GENERATOR
    if is_sequence(expected):
        if is_sequence(got) and len(got) == len(expected):
            for index, (g, e) in enumerate(zip(got, expected)):
                problem = type_problem(g, e, f"Item {index} of your answer")
                if problem and g is not None:
                    return problem
        return None
    if isinstance(expected, np.ndarray):
        if is_sequence(got) and numeric(got) is not None:
            return (
                f"{subject} is a Python {type(got).__name__}, not a NumPy array: wrap it in "
                "np.array(...), or better compute with arrays throughout (a list does not "
                "compute elementwise: 2 * [1, 2] is [1, 2, 1, 2])."
            )
        if isinstance(got, np.ndarray | np.bool_) and got.dtype == bool and expected.dtype != bool:
            return (
                f"{subject} holds booleans (True/False), not numbers: a comparison like z > 0 "
                "gives booleans; turn them into 1.0/0.0 with (z > 0).astype(float)."
            )
        if isinstance(got, np.ndarray) and got.dtype == object:
            return (
                f"{subject} is an array of Python objects (dtype=object), not of numbers: "
                "build it from numbers, e.g. with np.array(list_of_floats) or np.exp(...)."
            )
        return None
    if is_number(expected) or (isinstance(expected, np.ndarray) and expected.ndim == 0):
        if isinstance(got, bool | np.bool_):
            return f"{subject} is the bool {got}, expected a number such as {short(expected)}."
        if isinstance(got, str):
            return (
                f"{subject} is the text {short(got)}, expected a number: return the number "
                "itself (print or an f-string only shows it)."
            )
    return None


# ---------------------------------------------------------------- tuple and list answers


def part_names(context, count, is_list):
    outputs = context.outputs
    if isinstance(outputs, tuple | list) and len(outputs) == count:
        return [str(name) for name in outputs]
    pattern = outputs if isinstance(outputs, str) else ("item {i}" if is_list else "output {i}")
    return [pattern.format(i=i) for i in range(count)]


def overlapping(got, expected, names):
    """For an answer made of index arrays that must not share an index: the two that do."""
    try:
        parts = [np.asarray(e) for e in expected]
        if len(parts) < 2 or not all(p.ndim == 1 and p.dtype.kind in "iu" for p in parts):
            return None
        if sum(p.size for p in parts) != np.unique(np.concatenate(parts)).size:
            return None  # the right answer itself repeats indices
        for i in range(len(got)):
            for j in range(i + 1, len(got)):
                shared = np.intersect1d(np.asarray(got[i]), np.asarray(got[j]))
                if shared.size:
                    return (
                        f"{names[i]} and {names[j]} share {shared.size} index(es), e.g. "
                        f"{shared[0]}: the sets must not overlap. Shuffle ONCE, then cut that "
                        "one order into consecutive pieces."
                    )
    except Exception:
        return None
    return None


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
    found = [any(same(g, e, **close) for g in got) for e in expected]
    if len(got) < n:
        if all(same(g, e, **close) for g, e in zip(got, expected)):
            missing = ", ".join(names[len(got) :])
            return (
                f"{subject} stops early: {len(got)} values instead of {n}; the last "
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
    if wrong and shape_of(got[wrong[0]]) == shape_of(expected[wrong[0]]):
        overlap = overlapping(got, expected, names)
        if overlap:
            return overlap
    if all(found) and any(not same(got[i], expected[i], **close) for i in wrong):
        return f"Right values in the wrong order: return them as ({listing})."
    index = wrong[0]
    part = names[index]
    detail = type_problem(got[index], expected[index], part)
    if detail is None:
        if is_sequence(expected[index]):
            inner = Context(**{**context.__dict__, "outputs": part + "[{i}]"})
            detail = sequence_problem(got[index], expected[index], inner, part)
        else:
            detail = value_problem(got[index], expected[index], context, part)
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


def capital(text):
    return text[:1].upper() + text[1:]


def name_factor(c, context):
    """A phrase for 'the result is c times the right one', naming c if it can."""
    sizes = [(v, label) for label, v in context.sizes.items() if isinstance(v, int) and v > 1]
    for value, label in sizes + [(2, "2"), (100, "100")]:
        if np.isclose(abs(c), value):
            if label == "100":
                return "100 times the right answer: a percentage; return a fraction from 0 to 1"
            if label == "2":
                return "twice the right answer: a factor 2 too many"
            if value == 2:
                return (
                    f"twice the right answer: a factor 2 too many, or (2 = {label}) a "
                    f"division by {label} is missing"
                )
            return f"{value} times too large ({value} = {label}): a division by {label} is missing"
        if np.isclose(abs(c), 1 / value):
            if label == "100":
                return "1/100 of the right answer: a fraction where a percentage is expected"
            if label == "2":
                return "half the right answer: a factor 2 is missing (the derivative of u² is 2u)"
            if value == 2:
                return (
                    f"half the right answer: a factor 2 is missing, or (2 = {label}) you "
                    f"divided by {label} once too often"
                )
            return (
                f"{value} times too small ({value} = {label}): you divided by {label} once "
                "too often (or forgot to multiply by it)"
            )
    return f"the right answer times {c:.4g} everywhere: a constant factor is wrong"


def factor_problem(g, e, context, subject):
    nonzero = np.abs(e) > 1e-12
    if not nonzero.any() or np.any(np.abs(g[~nonzero]) > 1e-9):
        return None
    c = float(g[nonzero].flat[0] / e[nonzero].flat[0])
    if np.isclose(c, 1) or c == 0 or not np.allclose(g, c * e, rtol=1e-6, atol=1e-10):
        return None
    if np.isclose(c, -1):
        return (
            f"{subject} has the wrong sign (it is −1 × the right answer): check the order "
            "in a difference (ŷ − y versus y − ŷ) and the sign in front of each term."
        )
    sign = "minus " if c < 0 else ""
    return f"{subject} is {sign}{name_factor(c, context)}."


def input_arrays(context, shape):
    """(name, array) for each input of the given shape."""
    found = []
    for name, arg in zip(context.names or [f"input {i}" for i in range(99)], context.args):
        array = numeric(arg) if isinstance(arg, np.ndarray) else None
        if array is not None and array.shape == shape:
            found.append((name, array))
    return found


def row_of_input(context, rows, row):
    """' (input row 1: [-1000. -1000.])' for the first 2-D input with that many rows."""
    for name, arg in zip(context.names, context.args):
        if isinstance(arg, np.ndarray) and arg.ndim == 2 and arg.shape[0] == rows:
            return f" (the row {name}[{row}] = {short(arg[row])})"
    return ""


def where_problem(bad, g, e, context, subject):
    """Right everywhere except where the input is 0, or is large, or in some rows."""
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    for name, a in input_arrays(context, e.shape):
        zero = a == 0
        if zero.any() and (bad <= zero).all():
            return (
                f"{subject} is right everywhere except where {name} is exactly 0: there you "
                f"return {g[first]:g}, expected {e[first]:g}. Check the edge case (> versus >=)."
            )
        large = np.abs(a) >= 20
        if large.any() and (~large).any() and (bad <= large).all():
            return (
                f"{subject} is right for moderate {name} but wrong where |{name}| is large "
                f"(for {name} = {a[first]:g} you return {g[first]:.4g}, expected {e[first]:.4g})."
            )
    if e.ndim == 2 and e.shape[0] > 1 and not bad.any(axis=1).all():
        rows = np.flatnonzero(bad.any(axis=1))
        which = ", ".join(str(r) for r in rows[:4])
        return (
            f"{subject} is right in some rows but wrong in row {which}"
            f"{row_of_input(context, e.shape[0], rows[0])}: you return {short(g[rows[0]])}, "
            f"expected {short(e[rows[0]])}."
        )
    return None


def shape_problem(g, e, context, subject, integers=False):
    close = dict(rtol=context.rtol, atol=context.atol)
    shapes = f"shape {g.shape}, expected {e.shape}"
    if e.size == 0 and g.size > 0:
        return (
            f"{subject} should be empty here but has {g.size} entries: a slice a[-k:] with "
            "k = 0 is the WHOLE array (−0 is 0); slice from the front instead, a[start:]."
        )
    if g.ndim == 0:
        return (
            f"{subject} is one number, expected an array of shape {e.shape}: a sum, mean or "
            "max over everything? Keep one value per element (or per row)."
        )
    if e.ndim == 0:
        shapes = f"shape {g.shape}, expected one number"
        if g.size == 1:
            return f"{subject} is an array of {shapes}: return float(...) of it."
        hint = "reduce it to one number"
        if np.isclose(g.mean(), e, **close):
            hint = "its mean is the answer: average over everything, np.mean(...)"
        elif np.isclose(g.sum(), e, **close):
            hint = "its sum is the answer: np.sum(...)"
        return f"{subject} is an array of {shapes}: {hint}."
    if g.shape == e.shape[::-1]:
        if np.allclose(g.T, e, **close):
            return (
                f"{subject} is transposed: {shapes}. The numbers are right, the layout is "
                "not: swap the operands of @ (e.g. grad.T @ x, not x.T @ grad) so the result "
                f"has the shape {e.shape}."
            )
        return (
            f"{subject} has the transposed {shapes}: check which matrix is transposed and the "
            "order of the operands of @."
        )
    if g.size == e.size and np.allclose(g.reshape(e.shape), e, **close):
        return f"The numbers of {subject.lower()} are right but its {shapes}: keepdims or reshape."
    if e.ndim == 1 and g.ndim == 2 and g.shape[1] == e.shape[0]:
        if np.allclose(g.sum(axis=0), e, **close):
            return (
                f"{subject} has one row per example ({shapes}): sum over the examples, "
                ".sum(axis=0)."
            )
        if np.allclose(g.mean(axis=0), e, **close):
            return f"{subject} has one row per example ({shapes}): average them, .mean(axis=0)."
    if e.ndim == 1 and g.ndim == 1 and integers:
        return (
            f"{subject} has {g.size} entries, expected {e.size}: check how you computed the "
            "sizes (round() versus int(), which fraction is which, where each slice starts)."
        )
    if e.ndim == 1 and g.ndim == 1:
        label = next((lab for lab, v in context.sizes.items() if v == g.size), "")
        of = f" ({g.size} = {label})" if label else ""
        return (
            f"{subject} has {g.size} entries{of}, expected {e.size}: a sum or mean over the "
            "wrong axis? axis=0 runs over the examples (rows), axis=1 over the columns."
        )
    if g.ndim > e.ndim:
        return (
            f"{subject} has {shapes}: one dimension too many. A (n,) array combined with a "
            "(n, 1) one broadcasts to (n, n); or a sum/mean is missing."
        )
    return f"{subject} has {shapes}."


def nonfinite_problem(g, e, bad, context, subject):
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    what = "NaN" if np.isnan(g[first]) else "inf"
    where = ""
    if g.ndim == 2:
        where = row_of_input(context, g.shape[0], first[0])
    else:
        for name, a in input_arrays(context, e.shape):
            where = f" (for {name} = {a[first]:g})"
            break
    warned = sorted(set(context.warned))
    cause = ""
    if warned:
        cause = " NumPy warned: " + "; ".join(warned) + "."
        text = " ".join(warned)
        if "overflow" in text:
            cause += " e^x overflows to inf for x > 709, and inf/inf or inf − inf is NaN."
        elif "invalid value" in text and "divide" in text:
            cause += " That is 0/0 (or inf/inf): all the numbers you divided were 0."
        elif "divide by zero" in text and "log" in text:
            cause += " That is log(0) = −inf: a probability was rounded to 0."
    advice = f" {context.unstable}" if context.unstable else ""
    return f"{subject} contains {what} where the right answer is finite{where}.{cause}{advice}"


def number_problem(g, e, context, subject):
    if not np.isfinite(g) and np.isfinite(e):
        return nonfinite_problem(np.atleast_1d(g), np.atleast_1d(e), np.array([True]), context,
                                 subject)  # fmt: skip
    if float(e) == round(float(e)) and abs(float(g) - float(e)) == 1:
        more = "one more" if g > e else "one less"
        return (
            f"{subject} is {short(g.item())}, {more} than the answer {short(e.item())}: off "
            "by one (Python counts positions from 0; a count or an epoch number from 1)."
        )
    return factor_problem(np.atleast_1d(g), np.atleast_1d(e), context, subject)


def value_problem(got, expected, context, subject="Your result"):
    """A sentence naming how one array or number differs from the expected one, or None."""
    g, e = numeric(got), numeric(expected)
    if e is None:
        return None
    if g is None:
        return f"{subject} is {kind(got)}, expected {kind(expected)}."
    if g.shape != e.shape:
        integers = np.asarray(expected).dtype.kind in "iu"
        return shape_problem(g, e, context, subject, integers)
    if e.ndim == 0:
        return number_problem(g, e, context, subject)
    with np.errstate(all="ignore"):
        bad = ~np.isclose(g, e, rtol=context.rtol, atol=context.atol)
    nonfinite = ~np.isfinite(g) & np.isfinite(e)
    if nonfinite.any():
        return nonfinite_problem(g, e, nonfinite, context, subject)
    if e.ndim == 2 and e.shape[0] == e.shape[1] and not np.allclose(e, e.T):
        if np.allclose(g, e.T, rtol=context.rtol, atol=context.atol):
            return f"{subject} is transposed: swap the operands of @ or drop a .T."
    problem = factor_problem(g, e, context, subject)
    if problem:
        return problem
    if np.allclose(g, 1 - e, rtol=context.rtol, atol=context.atol):
        return (
            f"{subject} is 1 − the right answer everywhere: a sign or a choice is flipped "
            "(for a sigmoid: the wrong sign of z, or np.where's two branches swapped; for an "
            "accuracy: the error rate)."
        )
    offset = g - e
    if np.allclose(offset, offset.flat[0]) and abs(offset.flat[0]) > context.atol:
        return f"{subject} is off by the same amount {offset.flat[0]:.4g} everywhere."
    return where_problem(bad, g, e, context, subject)


def diagnose(got, expected, context):
    """A sentence naming what is wrong with got, or None. Never raises."""
    try:
        if got is None or isinstance(got, types.GeneratorType):
            return type_problem(got, expected)
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
