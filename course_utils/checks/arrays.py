"""How one array or number differs from the right one.

value_problem(got, expected, context) names the difference: the shape (transposed, not
summed over the batch, one number instead of an array), NaN or inf where the answer is
finite, the wrong sign, a constant factor such as 2 or 1/M, an input added twice or missing,
the wrong axis, or right everywhere except where the input is 0, large, or in some rows.
"""

import numpy as np

from .values import kind, numeric, short


def capital(text):
    return text[:1].upper() + text[1:]


def name_factor(c, context):
    """A phrase for 'the result is c times the right one', naming c if it can."""
    sizes = [(v, label) for label, v in context.sizes.items() if isinstance(v, int) and v > 1]
    for value, label in sizes:
        root = np.sqrt(value)
        if value != 4 and (np.isclose(abs(c), root) or np.isclose(abs(c), 1 / root)):
            how = "large" if abs(c) > 1 else "small"
            return (
                f"√{label} = {root:.4g} times too {how}: a square root in the wrong place "
                f"(e.g. sqrt(2) / {label} instead of sqrt(2 / {label}))"
            )
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
    if np.isclose(abs(c), 1 / np.log(10)) or np.isclose(abs(c), 1 / np.log(2)):
        return "the right answer over ln 10 (or ln 2): np.log10/np.log2 instead of np.log"
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


def input_parts(context):
    """(name, array) for each array input, and each array in a list input (as Ms[1])."""
    found = []
    for name, arg in zip(context.names, context.args):
        items = [(name, arg)] if isinstance(arg, np.ndarray) else []
        if isinstance(arg, list):
            items = [(f"{name}[{i}]", v) for i, v in enumerate(arg) if isinstance(v, np.ndarray)]
            if items:
                items[-1] = (f"{name}[-1]", items[-1][1])
        for label, value in items:
            array = numeric(value)
            if array is not None and array.ndim >= 1:
                found.append((label, array))
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
        for side, part in (("> 0", a > 0), ("< 0", a < 0)):
            if part.any() and (~part).any() and (bad <= part).all():
                return (
                    f"{subject} is right where {name} {'≤' if side == '> 0' else '≥'} 0 but "
                    f"wrong where {name} {side} (for {name} = {a[first]:g} you return "
                    f"{g[first]:.4g}, expected {e[first]:.4g}): check the formula or the "
                    "np.where branch used for that side."
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
        scaled = factor_problem(g.T, e, context, "and it")
        if scaled and "constant factor" not in scaled:
            return f"{subject} is transposed ({shapes}), {scaled}"
        return (
            f"{subject} has the transposed {shapes}: check which matrix is transposed and the "
            "order of the operands of @."
        )
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
    if e.ndim == 1 and g.ndim == 1 and integers:
        return (
            f"{subject} has {g.size} entries, expected {e.size}: check how the sizes are "
            "computed (round() versus int(), which fraction or size is used) and where each "
            "slice starts."
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
    offsets = set(context.offsets)  # got − expected on every test input, when known
    if float(e) == round(float(e)) and abs(float(g) - float(e)) == 1 and len(offsets) <= 1:
        more = "one more" if g > e else "one less"
        return (
            f"{subject} is {short(g.item())}, {more} than the answer {short(e.item())}: off "
            "by one (Python counts positions from 0; a count or an epoch number from 1)."
        )
    for digits in range(4):
        truncated = float(g) == int(float(e)) != float(e) and float(g) != 0
        if float(g) != 0 and (float(g) == round(float(e), digits) or truncated):
            return (
                f"{subject} is {short(g.item())}, the answer {float(e):.6g} rounded or cut "
                "off: return the exact value (no int(), round() or formatting)."
            )
    problem = factor_problem(np.atleast_1d(g), np.atleast_1d(e), context, subject)
    return None if problem and "constant factor" in problem else problem


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
    if context.warned:  # wrong numbers after an overflow or a 0/0: that is the first suspect
        advice = f" {context.unstable}" if context.unstable else ""
        return f"{subject} is wrong for this input, and{warning_cause(context)}{advice}"
    if e.ndim == 2 and e.shape[0] == e.shape[1] and not np.allclose(e, e.T):
        if np.allclose(g, e.T, rtol=context.rtol, atol=context.atol):
            return f"{subject} is transposed: swap the operands of @ or drop a .T."
        scaled = factor_problem(g.T, e, context, "and it")
        if scaled and "constant factor" not in scaled:
            return f"{subject} is transposed (swap the operands of @ or drop a .T), {scaled}"
    if not np.any(g) and np.any(e):
        return (
            f"{subject} is 0 everywhere: a term cancels out (mind the brackets: s * 1 - s is "
            "0, s * (1 - s) is not) or the result was never filled in."
        )
    problem = factor_problem(g, e, context, subject)
    if problem:
        return problem
    if np.allclose(g, 1 - e, rtol=context.rtol, atol=context.atol):
        return (
            f"{subject} is 1 − the right answer everywhere: a sign or a choice is flipped "
            "(for a sigmoid: the wrong sign of z, or np.where's two branches swapped; for an "
            "accuracy: the error rate)."
        )
    for name, a in input_parts(context):
        close = dict(rtol=context.rtol, atol=max(context.atol, 1e-9))
        try:
            a = np.broadcast_to(a, e.shape)
        except ValueError:
            continue
        if not np.any(a):
            continue
        if a.shape == g.shape and np.array_equal(g, a):
            return (
                f"{subject} is the input {name}, unchanged: return the new values you "
                "computed, not the argument."
            )
        if np.allclose(g + e, a, **close):
            return (
                f"{subject} + the right answer = {name}: you kept exactly what should be "
                "dropped and dropped what should be kept (an inverted condition, or "
                "np.where's two branches swapped)."
            )
        if np.allclose(g - e, a, **close):
            return f"{subject} is the right answer + {name}: {name} is added twice."
        if np.allclose(e - g, a, **close):
            return f"{subject} is the right answer − {name}: {name} is missing (not added)."
        if np.allclose(e - g, 2 * a, **close):
            return f"{subject} is the right answer − 2·{name}: {name} is subtracted, not added."
    with np.errstate(all="ignore"):
        if np.all(e > 0) and np.allclose(g, np.log(e), rtol=context.rtol, atol=context.atol):
            return f"{subject} is the LOG of the right answer: drop the np.log (or log_softmax)."
        if np.allclose(g, np.exp(e), rtol=context.rtol, atol=context.atol):
            return f"{subject} is e to the power of the right answer: one np.exp too many."
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
    offset = g - e
    if np.allclose(offset, offset.flat[0]) and abs(offset.flat[0]) > context.atol:
        return f"{subject} is off by the same amount {offset.flat[0]:.4g} everywhere."
    return where_problem(bad, g, e, context, subject)
