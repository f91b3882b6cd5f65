"""What the learner's answer is: compare it, show it short, say what kind of value it is.

same() decides whether an answer is right (the structure of a tuple or list, the shape, the
values within a tolerance); short() and describe() print values and inputs in feedback;
type_problem() names an answer of the wrong kind: None, a generator, a Python list where an
array is expected, booleans, text. Nothing here may raise, whatever the learner returned.
"""

import types
import warnings
from dataclasses import dataclass, field

import numpy as np

from .source import generator_sentence, none_sentence

NONE = (
    "Your function returned None: you forgot `return` (its last line should be "
    "`return <result>`; print() shows a value but does not return it)."
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
    others: tuple = ()  # (got, expected, context) on the other inputs where the answer is wrong
    path: tuple = ()  # which part of a tuple/list answer is being diagnosed, e.g. (2,)
    part_hint: object = None  # part_hint(i): a typical mistake's message for part i, or None
    length_hint: str = ""  # the exercise's advice when a 1-D answer has the wrong length
    batches: tuple = None  # (sizes the answer's network received, sizes the reference's did)
    code: object = None  # what the answer's code contains (source.Code), None if unknown
    quantity: str = ""  # what the answer is: "derivative", "cost", "fraction" (Exercise)
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


def describe(args, limit=160, names=()):
    """The inputs of a test case ("z=[-3. 0. 3.]"), cut to about `limit` characters."""
    names = list(names)[: len(args)] if len(names) >= len(args) else [""] * len(args)
    text = ", ".join((f"{n}=" if n else "") + short(a, limit) for n, a in zip(names, args))
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


def narrowed(got, expected, args, subject="Your result"):
    """A sentence when got is float32 where the reference, from float64 inputs, gives float64."""
    kinds = [np.asarray(v).dtype for v in (got, expected) if isinstance(v, np.ndarray)]
    if len(kinds) < 2 or kinds != [np.dtype(np.float32), np.dtype(np.float64)]:
        return None
    if any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in args):
        return None  # float32 in, float32 out: that is right
    return (
        f"{subject} is float32 (about 7 significant digits) where the input and the right "
        "answer are float64 (about 16): somewhere the numbers are converted "
        "(.astype(np.float32), np.float32(…), an array made with dtype=np.float32); "
        "leave the type as it comes in."
    )


def type_problem(got, expected, subject="Your result", code=None):
    """A sentence when got is the wrong kind of value for expected (None, list, bool…).

    code: what the answer's code contains (source.Code), to name what made a None or a
    generator only if the code shows it."""
    whole = subject == "Your result"
    if got is None:
        return NONE if whole else none_sentence(code, subject)
    if isinstance(got, types.GeneratorType):
        return generator_sentence(code, "Your function" if whole else subject, kind(expected))
    if is_sequence(expected):
        if is_sequence(got) and len(got) == len(expected):
            for index, (g, e) in enumerate(zip(got, expected)):
                problem = type_problem(g, e, f"Item {index} of your answer", code)
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
        if isinstance(got, np.matrix):
            return (
                f"{subject} is an np.matrix, not an array: a matrix stays 2-D when indexed "
                "(out[0] has shape (1, n)) and * multiplies matrices. Use plain arrays "
                "(np.array, @ for the product), or np.asarray(…) on the result."
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
