"""How one array or number differs from the right one.

value_problem(got, expected, context) names the difference: the shape (transposed, not
summed over the batch, one number instead of an array, only the first example), NaN or inf
where the answer is finite, a rule that turns the right answer into the learner's (the wrong
sign, a constant factor such as 2 or 1/M, the square, cut off at a bound, an input added
twice: relations.py, stated only if it holds on every test input), rows that should sum to
1, a wrong amount per column or row, or right everywhere except where the input is 0,
large, or in some rows.
"""

import numpy as np

from .differences import DIFFERENCES, NUMBER, whole_number
from .relations import ELEMENTWISE, confirmed, first_confirmed, one_example, transposed_factor
from .source import layout_fix
from .values import kind, narrowed, numeric, short


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


def side_advice(code, name, side):
    """What to check for a result right for one sign of the input: a branch only if the code
    has one (np.where, an `if`, a mask), otherwise the formula."""
    if code is None:
        return "the formula or the np.where branch used for that side"
    if code.branches:
        return f"the formula of the branch for {name} {side} ({', '.join(code.branches)})"
    return f"what your formula does for {name} {side} (a step that holds for one sign only?)"


def where_problem(bad, g, e, context, subject):
    """Right everywhere except where the input is 0, or is large, or in some rows; or wrong
    exactly where the input has one sign (every entry there, and no other)."""
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    for name, a in input_arrays(context, e.shape):
        zero = a == 0
        if zero.any() and (bad <= zero).all():
            return (
                f"{subject} is right everywhere except where {name} is exactly 0: there you "
                f"return {g[first]:g}, expected {e[first]:g}. Check the edge case (> versus >=)."
            )
        for side, part, other in (("> 0", a > 0, a < 0), ("< 0", a < 0, a > 0)):
            if other.any() and (bad == part).all():  # wrong on one side, all of it, only
                return (
                    f"{subject} is right where {name} {'≤' if side == '> 0' else '≥'} 0 but "
                    f"wrong where {name} {side} (for {name} = {a[first]:g} you return "
                    f"{g[first]:.4g}, expected {e[first]:.4g}): check "
                    f"{side_advice(context.code, name, side)}."
                )
        tiny = (np.abs(a) < 1e-6) & ~zero
        if tiny.any() and (bad <= tiny).all():
            return (
                f"{subject} is wrong only where {name} is tiny but not 0 (for {name} = "
                f"{a[first]:g} you return {g[first]:.4g}, expected {e[first]:.4g}): a threshold "
                "such as > 1e-8 where the formula says > 0?"
            )
    for name, a in input_arrays(context, e.shape):  # after every input's exact rules above
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
    if g.size == 0 and e.size > 0:
        return (
            f"{subject} is empty, expected {e.size} entries: check the slice bounds (the start "
            "must come before the stop; with k = 0, a[i:-k] is empty and a[-k:] is the whole "
            "array, since −0 is 0)."
        )
    if e.size == 0 and g.size > 0:
        return (
            f"{subject} should be empty here but has {g.size} entries: a slice a[-k:] with "
            "k = 0 is the WHOLE array (−0 is 0); slice from the front instead, a[start:]."
        )
    part = confirmed(one_example, g, e, context)
    if part:
        return f"{subject} {part}"
    if g.ndim == 0:
        like = next((f" (the shape of {name})" for name, _ in input_arrays(context, e.shape)), "")
        bias = subject.startswith("db") * ", as a bias gradient needs (one per output unit)"
        keep = (
            "Reduce over one axis only: axis=0 runs over the rows (the examples) and keeps one "
            f"value per column{bias}; axis=1 keeps one value per row (example)."
            if e.ndim == 1
            else f"Reduce over fewer axes (or none), to keep the shape {e.shape}."
        )
        return (
            f"{subject} is one number, expected an array of shape {e.shape}{like}: a sum, mean "
            f"or max over everything? {keep}"
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
    if g.size == e.size and g.ndim == e.ndim == 2 and np.allclose(g.ravel(), e.ravel(), **close):
        rows = next(
            (
                f"len({name})"
                for name, arg in zip(context.names, context.args)
                if np.ndim(arg) >= 1 and len(arg) == e.shape[0]
            ),
            "the number of rows",
        )
        return (
            f"The numbers of {subject.lower()} are right, in the right order, but its {shapes}: "
            f"a reshape to other sizes (reshape({rows}, -1) keeps one row per example)."
        )  # fmt: skip
    if g.shape == e.shape[::-1]:
        fix = layout_fix(context.code, e.shape)
        if np.allclose(g.T, e, **close):
            at = "swap the operands of @"
            fix = fix.replace(at, f"{at} (e.g. grad.T @ x, not x.T @ grad)")
            return (
                f"{subject} is transposed: {shapes}. The numbers are right, the layout is "
                f"not: {fix}, so the result has the shape {e.shape}."
            )
        scaled = confirmed(transposed_factor, g, e, context)
        if scaled:
            return f"{subject} is transposed ({shapes}), {scaled}"
        where = (
            "which matrix is transposed and the order of the operands of @"
            if (context.code is None or context.code.matmul)
            else "where the sizes are set"
        )
        return f"{subject} has the transposed {shapes}: check {where}."  # fmt: skip
    if g.size == e.size and np.allclose(g.reshape(e.shape), e, **close):
        return f"The numbers of {subject.lower()} are right but its {shapes}: keepdims or reshape."
    for axis in range(e.ndim):
        for how, reduce in (("summed", np.sum), ("averaged", np.mean)):
            reduced = reduce(e, axis=axis)
            if g.shape == reduced.shape and np.allclose(g, reduced, **close):
                return (
                    f"{subject} is the right answer {how} over axis={axis} ({shapes}): that "
                    f"{'sum' if how == 'summed' else 'mean'} is one step too many."
                )
    if e.ndim == 1 and g.ndim == 2 and g.shape[1] == e.shape[0]:
        if np.allclose(g.sum(axis=0), e, **close):
            return (
                f"{subject} has one row per example ({shapes}): sum over the examples, "
                ".sum(axis=0)."
            )
        if np.allclose(g.mean(axis=0), e, **close):
            return f"{subject} has one row per example ({shapes}): average them, .mean(axis=0)."
    prefix = e.ndim == 1 and g.ndim == 1 and not integers
    if prefix and 0 < g.size < e.size and np.allclose(g, e[: g.size], **close):
        return (
            f"{subject} has the first {g.size} of the {e.size} entries right, then stops: a "
            "loop ends too early (a range too short, an epoch or a batch left out?)."
        )
    if prefix and g.size > e.size > 0 and np.allclose(g[: e.size], e, **close):
        return (
            f"{subject} has the {e.size} right entries and then {g.size - e.size} more: a "
            "loop runs too long."
        )
    if e.ndim == 1 and g.ndim == 1 and context.length_hint:
        return f"{subject} has {g.size} entries, expected {e.size}: {context.length_hint}"
    if e.ndim == 1 and g.ndim == 1 and integers:
        return (
            f"{subject} has {g.size} entries, expected {e.size}: check where each slice starts "
            "and stops, and how its size is computed."
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
    advice = f" {context.unstable}" if context.unstable else ""
    return (
        f"{subject} contains {what} where the right answer is finite{where}."
        f"{warning_cause(context)}{advice}"
    )


def warning_cause(context):
    """' NumPy warned: overflow encountered in exp. e^x overflows …' or ''."""
    warned = sorted(set(context.warned))
    if not warned:
        return ""
    cause = " NumPy warned: " + "; ".join(warned) + "."
    text = " ".join(warned)
    if "overflow" in text:
        cause += " e^x overflows to inf for x > 709, and inf/inf or inf − inf is NaN."
    elif "invalid value" in text and "divide" in text:
        cause += " That is 0/0 (or inf/inf): all the numbers you divided were 0."
    elif "divide by zero" in text and "log" in text:
        cause += " That is log(0) = −inf: a probability was rounded to 0."
    return cause


def number_problem(g, e, context, subject):
    if not np.isfinite(g) and np.isfinite(e):
        return nonfinite_problem(np.atleast_1d(g), np.atleast_1d(e), np.array([True]), context,
                                 subject)  # fmt: skip
    rule = first_confirmed(NUMBER, g, e, context)
    return f"{subject} {rule}" if rule else None


def integer_array(value):
    return isinstance(value, np.ndarray) and value.dtype.kind in "iu"


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
        whole = confirmed(whole_number, got, expected, context, convert=lambda value: value)
        return f"{subject} {whole}" if whole else number_problem(g, e, context, subject)
    narrow = narrowed(got, expected, context.args, subject)
    if narrow and np.allclose(g, e, rtol=1e-4, atol=1e-6):
        return narrow
    kinds = np.asarray(got).dtype.kind, np.asarray(expected).dtype.kind
    given = [n for n, a in zip(context.names, context.args) if integer_array(a)]
    if kinds[0] in "iu" and kinds[1] == "f" and given and not np.allclose(e, np.round(e)):
        return (  # an integer input made an integer array (np.empty_like, z.copy())
            f"{subject} is an array of whole numbers (dtype {np.asarray(got).dtype}), but the "
            f"right values are fractions such as {e.flat[np.argmax(e != np.round(e))]:.3g}: "
            f"an integer array cannot hold them (storing 0.7 into one keeps 0). The input "
            f"{given[0]} holds integers here, and arrays made from it "
            f"(np.empty_like({given[0]}), {given[0]}.copy()) do too: compute in floats, e.g. "
            f"{given[0]} = np.asarray({given[0]}, dtype=float) first."
        )
    with np.errstate(all="ignore"):
        bad = ~np.isclose(g, e, rtol=context.rtol, atol=context.atol)
    nonfinite = ~np.isfinite(g) & np.isfinite(e)
    if nonfinite.any():
        return nonfinite_problem(g, e, nonfinite, context, subject)
    if context.warned:  # wrong numbers after an overflow or a 0/0: that is the first suspect
        advice = f" {context.unstable}" if context.unstable else ""
        return f"{subject} is wrong for this input, and{warning_cause(context)}{advice}"
    if not np.any(g) and np.any(e):
        return (
            f"{subject} is 0 everywhere: a term cancels out (mind the brackets: s * 1 - s is "
            "0, s * (1 - s) is not) or the result was never filled in."
        )
    rule = first_confirmed(ELEMENTWISE, g, e, context)
    if rule:
        return f"{subject} {rule}"
    rows_of_one = e.ndim == 2 and np.allclose(e.sum(axis=1), 1)
    if rows_of_one and np.all(g >= 0) and not np.allclose(g.sum(axis=1), 1) and e.shape[1] > 1:
        if not np.isclose(g.sum(), 1) and not np.allclose(g.sum(axis=0), 1):
            return (
                f"The rows of {subject.lower()} do not sum to 1 (row 0 sums to "
                f"{g[0].sum():.4g}), but each row is one example's probabilities: divide by "
                "the row's sum, .sum(axis=1, keepdims=True)."
            )
    if e.ndim == 2 and np.allclose(e.sum(axis=1), 1) and np.isclose(g.sum(), 1):
        return (
            f"{subject} sums to 1 over the whole batch, but each ROW (one example) should: "
            "divide by each row's own sum, .sum(axis=1, keepdims=True)."
        )
    if e.ndim == 2 and np.allclose(e.sum(axis=1), 1) and np.allclose(g.sum(axis=0), 1):
        return (
            f"In {subject.lower()} each COLUMN sums to 1, but each ROW (one example) should: "
            "normalise over axis=1 (with keepdims=True)."
        )
    if e.ndim == 2 and e.shape[0] > 2:
        with np.errstate(all="ignore"):
            ratio = g / e
        shift = g - e
        if np.allclose(shift, shift[:1]) and not np.allclose(shift, shift.flat[0]):
            return (
                f"{subject} is off by a different constant in each column (column 0 by "
                f"{shift[0, 0]:.4g}): a wrong number subtracted or added per column, such "
                "as a mean computed on the wrong data or over the wrong axis."
            )
        if np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio[:1]):
            if not np.allclose(ratio, ratio.flat[0]):
                return (
                    f"{subject} is off by a different factor in each column (column 0: × "
                    f"{ratio[0, 0]:.4g}): a wrong scale per column, such as multiplying by a "
                    "standard deviation instead of dividing, or one from the wrong data."
                )
    rule = first_confirmed(DIFFERENCES, g, e, context)
    if rule:
        return f"{subject} {rule}"
    return where_problem(bad, g, e, context, subject)
