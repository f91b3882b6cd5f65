"""Plain-language explanations of the errors a learner's code raises most often.

explain(error, args, names) returns one sentence naming the slip and its fix, followed by
Python's own error line and the line of the learner's code that raised it, for example:

    `^` is XOR in Python, not a power: write z ** 2 (and np.exp(z) for e^z).
       TypeError: ufunc 'bitwise_xor' not supported for the input types, … (in: return z ^ 2)
"""

import re
import traceback
from pathlib import Path

import numpy as np

NUMPY_DIR = str(Path(np.__file__).parent)
COURSE_DIR = str(Path(__file__).parent.parent)

# (exception type name, pattern in its message, explanation); the first match wins.
# An explanation may use {0}, {1}, … for the pattern's groups.
EXPLANATIONS = [
    ("TypeError", r"Cannot cast ufunc '\w+' output from dtype\('(\w+)'\) to dtype\('(\w+)'\)",
     "An in-place operation (x /= …, x *= …) must keep the array's type, and {1} cannot hold "
     "the {0} result: write x = x / … (a new array), or convert first with .astype(np.float32)."),
    ("TypeError", r"bitwise_xor",
     "`^` is XOR in Python, not a power: write z ** 2 for a square (and np.exp(z) for e^z)."),
    ("ValueError", r"truth value of an array",
     "`if`, `and`, `or` (or max()/min() of Python) ask ONE True/False of a whole array: "
     "work elementwise instead, with np.where(condition, a, b), a mask such as (z > 0), "
     "np.maximum, or & and | in place of and/or."),
    ("TypeError", r"only (length-1|0-dimensional|size-1|integer scalar) arrays",
     "math.exp, math.log, float() and int() take ONE number, not an array: use np.exp, "
     "np.log, np.tanh …, which work on every element of an array at once."),
    ("TypeError", r"can't convert|must be real number, not",
     "math.exp, math.log, float() and int() take ONE number, not an array: use np.exp, "
     "np.log, np.tanh …, which work on every element of an array at once."),
    ("ValueError", r"matmul: .*\(size (\d+) is different from (\d+)\)",
     "The sizes in a matrix product A @ B do not fit ({0} vs {1}): the columns of A must "
     "equal the rows of B. The course puts one example per ROW, so the slides' M·x becomes "
     "x @ M.T for a batch x (and grad @ M, grad.T @ x on the way back); and an elementwise "
     "product is *, not @. Print the .shape of each operand."),
    ("ValueError", r"shapes \(.*\) and \(.*\) not aligned",
     "The sizes in a matrix product do not fit: the columns of A must equal the rows of B. "
     "The course puts one example per ROW, so the slides' M·x becomes x @ M.T."),
    ("ValueError", r"could not be broadcast together with shapes (.*?)\s*$",
     "Two arrays of incompatible shapes ({0}) were combined elementwise. If one of them "
     "comes from a sum, max or mean over axis=1, keep it as a column with keepdims=True; "
     "otherwise check which axis you reduced and the order of the operands."),
    ("ValueError", r"could not broadcast input array from shape (\(.*?\)) into shape (\(.*?\))",
     "You stored a value of shape {0} into a place of shape {1}: create the result with the "
     "shape the answer needs, e.g. np.zeros((len(x), n_out)) for one row per example."),
    ("NameError", r"name '(np|numpy)' is not defined",
     "NumPy is not imported where your function runs: add `import numpy as np` (run the "
     "notebook's first code cell)."),
    ("NameError", r"name 'math' is not defined",
     "`math` is not imported; but better use np.exp / np.log, which also work on arrays."),
    ("NameError", r"name '(\w+)' is not defined",
     "The name `{0}` is not defined where your function runs: use the function's own "
     "parameters{params}, or run the cell that defines `{0}` first (check its spelling)."),
    ("UnboundLocalError", r"'(\w+)'",
     "`{0}` is used inside your function before it gets a value there: assign it first "
     "(Python treats a name you assign anywhere in a function as local to it)."),
    ("IndexError", r"too many indices",
     "You indexed an array with more indices than it has dimensions (say a[i, j] on a 1-D "
     "array): print its .shape first."),
    ("IndexError", r"out of (bounds|range)",
     "An index runs past the end: indices go from 0 to len − 1, so loop over "
     "range(len(a)), and remember the last batch may be shorter than the others."),
    ("IndexError", r"arrays used as indices must be of integer",
     "Indices must be whole numbers: f * n is a float, so use int(round(f * n)), or "
     "build an integer array with .astype(int)."),
    ("TypeError", r"slice indices must be integers|cannot be interpreted as an integer",
     "Slices and range() need whole numbers: f * n is a float, so use round(f * n) (or "
     "int(...)) before slicing or calling range()."),
    ("TypeError", r"can't multiply sequence by non-int|unsupported operand type\(s\) for .*'list'"
     r"|'list' and|and 'list'",
     "You did arithmetic on a Python list (a list does not compute elementwise: 2 * [1, 2] "
     "is [1, 2, 1, 2]): work on each array in the list, e.g. [p - lr * g for p, g in "
     "zip(params, grads)], or convert with np.array(...)."),
    ("TypeError", r"'NoneType' object",
     "Something in your code was None: a helper function without `return`, or a method "
     "like list.sort() or list.append() that changes the list and returns None."),
    ("TypeError", r"missing \d+ required positional argument|takes \d+ positional argument",
     "Your function's parameters differ from the exercise's: keep the stub's `def` line "
     "(same parameters, same order){params}."),
    ("TypeError", r"got an unexpected keyword argument '(\w+)'",
     "Your function does not take the parameter `{0}`: keep the stub's `def` line{params}."),
    ("TypeError", r"object is not callable",
     "Something that is not a function was called with ( ): a variable may have the same "
     "name as a function (e.g. sum = … hides Python's sum), or a * is missing before ( ."),
    ("TypeError", r"object is not subscriptable|object is not iterable",
     "You indexed or looped over something that is not a list or an array (a number, "
     "None or a function): print its type() to see what it is."),
    ("AttributeError", r"'list' object has no attribute '(\w+)'",
     "A Python list has no .{0}: this argument is a list of arrays; loop over it, take one "
     "element (Ms[0]), or convert with np.array(...)."),
    ("AttributeError", r"'numpy.ndarray' object has no attribute '(\w+)'",
     "A NumPy array has no .{0}: for lists use a Python list ([] and .append), for "
     "arrays the functions np.concatenate, np.exp, np.sum …"),
    ("AttributeError", r"has no attribute '(\w+)'",
     "`.{0}` does not exist on that object: check the spelling, and print type() of the "
     "object to see what it is."),
    ("KeyError", r"(.*)",
     "There is no key {0} in the dictionary{keys}: check the spelling of the key."),
    ("ZeroDivisionError", r"",
     "A division by zero in plain Python: a count or a length is 0 here (an empty batch "
     "or set?); NumPy arrays would give inf or nan instead."),
    ("OverflowError", r"",
     "A number grew too large for a float (e^x for x > 709 is too big): use a formula "
     "that never computes e of a large positive number (see the hints)."),
    ("RecursionError", r"",
     "Your function calls itself without end: a function inside it (or the name it "
     "calls) has the same name as your function. Give helpers their own names, or call "
     "np.…/course_utils.… explicitly."),
    ("ValueError", r"setting an array element with a sequence|inhomogeneous",
     "Arrays of different lengths were put into one array: keep them in a list instead "
     "(e.g. a list of batches, the last one shorter)."),
    ("ValueError", r"cannot reshape array",
     "The reshape does not fit: a reshape must keep the number of elements (print the "
     ".shape and .size first)."),
    ("ValueError", r"zero-size array to reduction operation",
     "You took the max/min/argmax of an empty array: some slice or set is empty here."),
    ("ValueError", r"(a must be greater than 0|high <= 0|low >= high)",
     "A random draw from an empty range: some count or size is 0 here."),
]  # fmt: skip


def learner_line(error):
    """The last line of the learner's own code in the traceback, or ''."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        name = frame.filename or ""
        if NUMPY_DIR in name or name.startswith(COURSE_DIR) or "/lib/python" in name:
            continue
        return (frame.line or "").strip()
    return ""


def explain(error, args=(), names=()):
    """One sentence for an error raised by the learner's code, then Python's own message."""
    kind, text = type(error).__name__, str(error)
    params = f" ({', '.join(names)})" if names else ""
    keys = ""
    dicts = [a for a in args if isinstance(a, dict)]
    if dicts:
        keys = " (its keys are: " + ", ".join(repr(k) for k in dicts[0]) + ")"
    sentence = ""
    for kind_name, pattern, explanation in EXPLANATIONS:
        if kind_name not in {cls.__name__ for cls in type(error).__mro__}:
            continue
        match = re.search(pattern, text, re.S)
        if match:
            groups = [g or "" for g in match.groups()]
            sentence = explanation.format(*groups, params=params, keys=keys)
            break
    if not sentence:
        sentence = f"Your code raised {kind}."
    original = " ".join(f"{kind}: {text}".split())
    if len(original) > 200:
        original = original[:200] + " …"
    line = learner_line(error)
    where = f" (in: {line})" if line else ""
    return f"{sentence}\n   {original}{where}"
