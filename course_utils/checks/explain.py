"""Plain-language explanations of the errors a learner's code raises most often.

explain(error, args, names, function) returns one sentence naming the slip and its fix,
followed by Python's own error line and the line of the learner's code that raised it:

    `^` is XOR in Python, not a power: write z ** 2 (and np.exp(z) for e^z).
       TypeError: ufunc 'bitwise_xor' not supported for the input types, … (in: return z ^ 2)

The traceback tells where the error came from (origin()): the call of the learner's
function itself (its parameters differ from the exercise's), a line of the learner's code,
a library function (NumPy, course_utils) that line called with a value it cannot use, or
the check's own code using what the function returned. A few slips are read from the failing
line itself: `sizes[i + 1]` past the end of a list, `x * M` where @ is meant, `M @ x.T` with
the examples in columns, argmax (or sum, max…) over axis=0, a dict key that is misspelt or
simply not there.
"""

import ast
import difflib
import re
import traceback
from pathlib import Path

import numpy as np

from .source import axis0_calls, read

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
    ("TypeError", r"only integer scalar arrays can be converted to a scalar index",
     "An array was used where Python needs ONE whole number (an index, a size or an axis): "
     "a Python list indexed with an array (make it an array first, np.array(...)), or "
     "np.concatenate(a, b) where np.concatenate([a, b]) is meant (the second argument is "
     "the axis)."),
    ("TypeError", r"Cannot interpret '.*' as a data type",
     "np.zeros, np.ones and np.empty take the shape as ONE tuple: np.zeros((n_out, n_in)), "
     "not np.zeros(n_out, n_in) (their second argument is the data type)."),
    ("TypeError", r"only (length-1|0-dimensional|size-1) arrays",
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
    ("TypeError", r"'NoneType'",
     "Something in your code was None: a helper function without `return`, or a method "
     "like list.sort() or list.append() that changes the list and returns None."),
    ("TypeError", r"unsupported operand.*'(function|method|builtin_function_or_method|"
     r"numpy.ufunc)'",
     "A function was used as a value: call it with its arguments, e.g. np.exp(z) or "
     "model.forward(x), not np.exp or model.forward."),
    ("TypeError", r"unsupported operand type\(s\) for (\S+): '([\w.]+)' and '([\w.]+)'",
     "`{0}` cannot combine a {1} with a {2}: one of the two is not what you think it is; "
     "print the type() of both."),
    ("TypeError", r"'(\S+)' not supported between instances of '(\w+)' and '(\w+)'",
     "`{0}` cannot compare a {1} with a {2}: print the type() of both values."),
    ("TypeError", r"unhashable type: '(\w+)'",
     "A {0} was used as a dictionary key or in a set, which only takes unchanging values "
     "(numbers, text, tuples): use int(...) for one number, or tuple(...)."),
    ("TypeError", r"has no len\(\)|len\(\) of unsized object",
     "len() of a single number, which has no length: take len() of the array or list it "
     "came from (or use .size or .shape)."),
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


def place(frame):
    """Whose code a traceback frame runs: "NumPy", "course_utils", "Python" or "yours"."""
    name = frame.filename or ""
    if NUMPY_DIR in name:
        return "NumPy"
    if name.startswith(COURSE_DIR):
        return "course_utils"
    if "/lib/python" in name or name.startswith("<frozen"):
        return "Python"
    return "yours"


def origin(error):
    """Where the error came from, and the function that raised it:
    ("call", "") when no line of the learner's code ran (the call itself went wrong, or the
    check's code using the result); ("yours", "") for a line of the learner's code; or the
    library whose function the learner's code called, e.g. ("NumPy", "concatenate")."""
    frames = traceback.extract_tb(error.__traceback__)
    if not any(place(frame) == "yours" for frame in frames):
        return "call", ""
    last = frames[-1]
    return (place(last), last.name) if place(last) != "yours" else ("yours", "")


def learner_line(error):
    """The last line of the learner's own code in the traceback, or ''."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if place(frame) == "yours":
            return (frame.line or "").strip()
    return ""


def signature_problem(error, where, params, function):
    """For a TypeError about the arguments of a call: whose call it was, and the fix."""
    text = str(error)
    called = re.match(r"([\w.<>]+)\(\) (missing|takes|got)", text)
    if not isinstance(error, TypeError) or not called:
        return None
    *owner, name = called[1].split(".")
    name = owner[-1] if name == "__init__" and owner else name  # Linear(…) reads Linear.__init__
    mine = getattr(function, "__name__", None)
    if where == "call" and (mine is None or name == mine):  # the check's call of the answer
        keyword = re.search(r"unexpected keyword argument '(\w+)'", text)
        if keyword:
            return (
                f"Your function does not take the parameter `{keyword[1]}`: keep the stub's "
                f"`def` line{params}."
            )
        return (
            "Your function's parameters differ from the exercise's: keep the stub's `def` "
            f"line (same parameters, same order){params}."
        )
    shape = " A shape is ONE tuple: size=(n_out, n_in)." if name in SHAPED else ""
    return (
        f"`{name}()` is called with the wrong arguments in your code (too many, too few or "
        f"misnamed): check what it takes, help({name}), and the order of the arguments."
        f"{shape}"
    )


SHAPED = {"normal", "uniform", "random", "standard_normal", "integers", "zeros", "ones", "empty",
          "full", "reshape", "rand", "randn"}  # fmt: skip


def missing_key(error, args):
    """For a KeyError on a dict argument: the key is misspelt, or simply not given."""
    dicts = [a for a in args if isinstance(a, dict)]
    if not isinstance(error, KeyError) or not error.args:
        return None
    key = error.args[0]
    if not dicts:
        return f"There is no key {key!r} in the dictionary: print its keys, d.keys()."
    keys = list(dicts[0])
    listing = ", ".join(repr(k) for k in keys)
    close = difflib.get_close_matches(str(key), [str(k) for k in keys], n=1, cutoff=0.75)
    if close:
        return (
            f"There is no key {key!r} in the dictionary (its keys are: {listing}): check the "
            f"spelling of the key (did you mean {close[0]!r}?)."
        )
    return (
        f"There is no key {key!r} in the dictionary your function gets: it has only {listing}, "
        "and the answer must be computed from those."
    )


def next_index(error, line):
    """For an IndexError in a line with `sizes[i + 1]`: the loop goes one step too far."""
    match = re.search(r"(\w+)\[\s*(\w+)\s*\+\s*1\s*\]", line)
    if not isinstance(error, IndexError) or not match:
        return None
    items, i = match.groups()
    return (
        f"`{items}[{i} + 1]` runs past the end in the last pass of your loop: the loop goes one "
        f"step too far. Pairs of neighbours need one pass fewer than there are items, "
        f"range(len({items}) - 1) (or zip({items}[:-1], {items}[1:]))."
    )


def over_axis0(line, function):
    """(function name, text) of the first argmax/max/sum/… over axis=0 in the failing line,
    else of an argmax or argmin over axis=0 elsewhere in the learner's function; or None."""
    try:
        found = axis0_calls(ast.parse(line.strip().rstrip(":")), line.strip())
    except SyntaxError:
        found = ()
    if not found and function is not None:  # a sum over axis=0 elsewhere may well be right
        found = [call for call in read(function).axis0 if call[0] in ("argmax", "argmin")]
    return found[0] if found else None


def axis0_sentence(name, text):
    """What a reduction over axis=0 does, for a batch with one example per row."""
    if name in ("argmax", "argmin"):
        most = "maximum" if name == "argmax" else "minimum"
        return (
            f"`{text}` takes the {most} down each column (over the examples): one index per "
            f"class, not per example. The class of each example is {name}(axis=1), one per row."
        )
    return (
        f"`{text}` reduces down each column (over the examples), one value per column; one "
        f"value per example (row) is {name}(axis=1), with keepdims=True to keep it as a column."
    )


def broadcast_slip(error, line, args, names, function=None):
    """For a broadcasting error, a slip the failing line (or the function) shows: `x * M`
    where @ is meant, `M @ x.T` with the examples in columns, argmax (or a sum…) over axis=0."""
    if not isinstance(error, ValueError) or "broadcast" not in str(error):
        return None
    reduced = over_axis0(line, function)
    if reduced:
        return axis0_sentence(*reduced)
    columns = re.search(r"(\w+)\s*@\s*(\w+)\.T\b", line)
    if columns and names and columns[2] == names[0]:
        M, x = columns.groups()
        return (
            f"`{M} @ {x}.T` has one COLUMN per example, and what you add to it (a bias, one "
            f"number per output) runs along its rows. The course puts one example per ROW: "
            f"{x} @ {M}.T + b."
        )
    matrices = {n for n, a in zip(names, args) if isinstance(a, np.ndarray) and a.ndim == 2}
    try:
        tree = ast.parse(line.removeprefix("return ").strip())
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            sides = [ast.unparse(side) for side in (node.left, node.right)]
            if all(side.removesuffix(".T") in matrices for side in sides):
                a, b = sides
                return (
                    f"`{a} * {b}` multiplies entry by entry; a layer needs the matrix product "
                    f"@ (with one example per row of x: x @ M.T)."
                )
    return None


def explain(error, args=(), names=(), function=None):
    """One sentence for an error raised by the learner's code, then Python's own message.

    function: the learner's function, to tell a call with the wrong arguments from an error
    raised inside it."""
    kind, text = type(error).__name__, str(error)
    params = f" ({', '.join(names)})" if names else ""
    where, inside = origin(error)
    line = learner_line(error)
    sentence = (
        signature_problem(error, where, params, function)
        or missing_key(error, args)
        or next_index(error, line)
        or broadcast_slip(error, line, args, names, function)
        or ""
    )
    for kind_name, pattern, explanation in EXPLANATIONS:
        if sentence or kind_name not in {cls.__name__ for cls in type(error).__mro__}:
            continue
        match = re.search(pattern, text, re.S)
        if match:
            groups = [g or "" for g in match.groups()]
            sentence = explanation.format(*groups, params=params)
            break
    if not sentence:
        sentence = {
            "yours": f"Your code raised {kind}.",
            "call": "The check could not use what your function returned:",
        }.get(where, f"A {where} function your code calls raised {kind}: one of the values "
                     "you pass it is not what it expects.")  # fmt: skip
    elif where not in ("yours", "call"):
        sentence += (
            f" (The error came from inside {where}'s {inside}(), called from your line below: "
            "look at the values you pass it.)"
        )
    original = " ".join(f"{kind}: {text}".split())
    if len(original) > 200:
        original = original[:200] + " …"
    in_line = f" (in: {line})" if line else ""
    return f"{sentence}\n   {original}{in_line}"
