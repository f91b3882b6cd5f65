"""Rules that turn the right answer into the learner's: a factor, the sign, the square, …

A relation looks at the learner's result g and the right one e on one test input and returns
every claim it can make, {key: sentence}: "is twice the right answer", "has the wrong sign",
"is the square of the right answer", "is cut off at 0". confirmed() keeps a claim only if
the relation makes the same claim (the same key) on every other test input where the answer
is wrong (context.others), so a coincidence on one input is never presented as the mistake.
A sentence is a predicate: the caller puts the subject in front ("db", "Your result"). A
claim whose sentence is None holds but shows nothing on this input (any two numbers differ
by a constant): it confirms a claim made elsewhere, but is never made from this input alone.
The constant factor (the wrong sign, 2, 1/M, C instead of M) is in factors.py; the rules
here look at the layout, single entries and rows: transposed, 1 − the answer, an input added
or kept, the labels' column, a log, a power, an activation, a clip, one row (the first alone,
or every row right but the last, which the loop never reached).
Nothing here may raise: a relation that fails makes no claim.
"""

import numpy as np

from .factors import factor
from .source import layout_fix
from .values import numeric, same


def pick(value, path):
    """The part of an answer at path, e.g. (2,) for the third value of a tuple."""
    for index in path:
        value = value[index]
    return value


def claims_of(relation, g, e, context):
    try:
        with np.errstate(all="ignore"):
            return dict(relation(g, e, context) or {})
    except Exception:
        return {}


def confirmed(relation, got, expected, context, convert=numeric):
    """The first claim of relation for (got, expected) that holds on every other test input
    where the answer is wrong (inputs where this part is right are skipped), or None."""
    claims = claims_of(relation, convert(got), convert(expected), context)
    claims = {key: sentence for key, sentence in claims.items() if sentence}
    for other_got, other_expected, other_context in context.others:
        if not claims:
            return None
        try:
            theirs_got = pick(other_got, context.path)
            theirs_expected = pick(other_expected, context.path)
        except Exception:
            return None
        if same(theirs_got, theirs_expected, context.rtol, context.atol):
            continue
        theirs = claims_of(relation, convert(theirs_got), convert(theirs_expected), other_context)
        claims = {key: sentence for key, sentence in claims.items() if key in theirs}
    return next(iter(claims.values()), None)


def first_confirmed(relations, got, expected, context):
    """The first confirmed claim of the first relation that has one, or None."""
    sentences = (confirmed(relation, got, expected, context) for relation in relations)
    return next(filter(None, sentences), None)


def close(a, b, context):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=context.rtol, atol=context.atol))


# ---------------------------------------------------------------- a factor, the layout


def transposed_factor(g, e, context):
    """g.T = c·e: the layout and a factor are wrong (a named factor only)."""
    if e.ndim != 2 or g.shape != e.shape[::-1]:
        return {}
    return {
        ("T", *key): f"and it {sentence}"
        for key, sentence in factor(g.T, e, context).items()
        if "constant" not in key
    }


def transposed(g, e, context):
    """The transpose of the right answer (perhaps times a factor)."""
    if e.ndim != 2 or g.shape != e.shape[::-1] or close(e, e.T, context):
        return {}
    fix = layout_fix(context.code, e.shape)
    if close(g, e.T, context):
        return {("T",): f"is transposed: {fix}."}
    lead = f"is transposed ({fix}), "
    return {key: lead + sentence for key, sentence in transposed_factor(g, e, context).items()}


# ---------------------------------------------------------------- other rules, elementwise


def one_minus(g, e, context):
    if close(g, 1 - e, context):
        return {("1 -",): (
            "is 1 − the right answer everywhere: a sign or a choice is flipped (for a "
            f"sigmoid: the wrong sign of z{swapped_where(context.code)}; for an accuracy: the "
            "error rate)."
        )}  # fmt: skip
    return {}


def swapped_where(code):
    """', or np.where's two branches swapped' if the code may have an np.where, else ''."""
    return ", or np.where's two branches swapped" if code is None or (
        "np.where" in code.branches) else ""  # fmt: skip


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


def with_an_input(g, e, context):
    """g is an input, or the right answer plus or minus an input."""
    claims = {}
    near = dict(rtol=context.rtol, atol=max(context.atol, 1e-9))
    for name, a in input_parts(context):
        rows = a.ndim == e.ndim + 1 and a.shape[1:] == e.shape and len(a) > 1
        for row, which in ((0, "first"), (-1, "last")):
            if rows and close(g, a[row], context):
                claims[(which, name)] = (
                    f"is the {which} row of {name}, one example's alone: the sum or mean over "
                    "the examples (axis=0) is missing, or a loop keeps only one example."
                )
        try:
            a = np.broadcast_to(a, e.shape)
        except ValueError:
            continue
        if not np.any(a) or g.shape != e.shape:
            continue
        if np.array_equal(g, a):
            claims[("input", name)] = (
                f"is the input {name}, unchanged: return the new values you computed, not "
                "the argument."
            )
        elif np.allclose(g + e, a, **near):
            claims[("input + answer", name)] = (
                f"+ the right answer = {name}: you kept exactly what should be dropped and "
                f"dropped what should be kept (an inverted condition{swapped_where(context.code)})."
            )
        elif np.allclose(g - e, a, **near):
            claims[("plus", name)] = f"is the right answer + {name}: {name} is added twice."
        elif np.allclose(e - g, a, **near):
            claims[("minus", name)] = f"is the right answer − {name}: {name} is missing."
        elif np.allclose(e - g, 2 * a, **near):
            claims[("minus 2", name)] = f"is the right answer − 2·{name}: {name} is subtracted."
    return claims


def log_or_exp(g, e, context):
    if np.all(np.isfinite(g)) and close(np.exp(g), e, context):  # exp(-1000) = 0 is right
        return {("log",): "is the LOG of the right answer: drop the np.log (or log_softmax)."}
    if close(g, np.exp(e), context):
        return {("exp",): "is e to the power of the right answer: one np.exp too many."}
    return {}


def power(g, e, context):
    """The square, the square root or the absolute value of the right answer."""
    if close(g, e**2, context):
        return {("square",): (
            "is the SQUARE of the right answer: a ** 2 too many (or a value multiplied by "
            "itself), or a square root missing."
        )}  # fmt: skip
    if np.all(e >= 0) and close(g, np.sqrt(e), context):
        return {("root",): (
            "is the square root of the right answer: an np.sqrt (or ** 0.5) too many, or a "
            "** 2 missing."
        )}  # fmt: skip
    if np.any(e < -context.atol) and close(g, np.abs(e), context):
        return {("abs",): (
            "is the absolute value of the right answer: the negative entries lost their "
            "sign (an np.abs, or a square root of a square, where none belongs)."
        )}  # fmt: skip
    return {}


def clipped(g, e, context):
    """The right answer with its entries beyond some bound replaced by that bound."""
    if e.ndim == 0 or e.size < 2 or g.shape != e.shape:
        return {}
    tol = context.atol + context.rtol * np.abs(e)
    for sign, side in ((1, "negative"), (-1, "positive")):
        cut = sign * e < -tol
        if cut.any() and close(g, np.maximum(sign * e, 0) * sign, context):
            return {("zeroed", side): (
                f"is the right answer with its {side} entries set to 0: an np.maximum(…, 0) "
                "(a ReLU), np.minimum or a mask where none belongs."
            )}  # fmt: skip
    low, high = float(g.min()), float(g.max())
    below, above = e < low - tol, e > high + tol
    if low == high:  # a constant answer: one number everywhere, not a cap
        return {}
    if not (below.any() or above.any()) or not close(g, np.clip(e, low, high), context):
        return {}
    bounds = [f"{low:.4g} from below"] if below.any() else []
    bounds += [f"{high:.4g} from above"] if above.any() else []
    key = ("clip", round(low, 6) if below.any() else None, round(high, 6) if above.any() else None)
    sentence = (
        f"is the right answer cut off at {' and '.join(bounds)} (an np.clip, np.minimum, "
        "np.maximum or an `if` that caps the values): the entries beyond it are wrong."
    )
    return {key: sentence if below.sum() + above.sum() > 1 else None}  # one entry: no bound


def one_row(g, e, context):
    """Only the first row is filled in, or every row holds the first (last) example's answer."""
    if e.ndim != 2 or e.shape[0] < 2 or g.shape != e.shape:
        return {}
    if close(e, np.broadcast_to(e[0], e.shape), context):  # all rows alike: nothing to tell
        return {}
    if close(g[:1], e[:1], context) and not np.any(g[1:]):
        return {("first row",): (
            "has only its first row (the first example) right, and 0 in the other rows: the "
            "loop stops after the first example (a `return` inside the loop?)."
        )}  # fmt: skip
    for row, which in ((0, "first"), (-1, "last")):
        if close(g, np.broadcast_to(e[row], e.shape), context):
            return {("every row", which): (
                f"has the {which} example's result in every row: a fixed row index (or a "
                "result overwritten in the loop) where each example needs its own row."
            )}  # fmt: skip
    return {}


def one_example(g, e, context):
    """Of another shape: only the first (or last) row or entry of the right answer."""
    if e.ndim == 0 or g.shape == e.shape:
        return {}
    what = "row (example)" if e.ndim == 2 else "entry"
    if len(e) == 1 and close(g, e[0], context):  # right but for the shape: shows nothing
        return {("one example", "first"): None, ("one example", "last"): None}
    claims = {}
    for row, which, advice in (
        (0, "first", "a `return` inside the loop, or an index [0]"),
        (-1, "last", "a result overwritten in each pass of the loop instead of collected"),
    ):
        if len(e) > 1 and (close(g, e[row], context) or close(g, e[row:][:1], context)):
            claims[("one example", which)] = (
                f"is only the {which} {what} of the right answer, which has {e.shape[0]}: {advice}."
            )
            break
    if e.ndim <= 2 and (close(g, e[:-1], context) or (len(e) == 1 and g.size == 0)):
        claims[("last left out",)] = last_sentence(e, context, "is missing") if len(e) > 1 else None
    return claims


def last_left_out(g, e, context):
    """Every row (or entry) right but the last, which is 0: the loop never reached it."""
    if e.ndim not in (1, 2) or g.shape != e.shape or not close(g[:-1], e[:-1], context):
        return {}
    if np.any(g[-1]) or not np.any(np.abs(e[-1]) > context.atol):
        return {}
    return {("last left out",): last_sentence(e, context, "is 0") if len(e) > 1 else None}


def last_sentence(e, context, how):
    """'has every row right but the last, which is 0: the last row is not computed: …',
    naming the loop's range only if the code has one that stops one short."""
    what = "row" if e.ndim == 2 else "entry"
    why = "your loop stops one short (a range that ends one too early, or a slice [:-1]?)"
    if context.code is not None and context.code.one_short:
        written, fixed = context.code.one_short
        why = f"your loop over {written} stops one short (a range leaves out its stop): use {fixed}"
    return (
        f"has every {what} right but the last, which {how}: the last {what} (example) is not "
        f"computed: {why}."
    )


# ---------------------------------------------------------------- the right class, an activation


def labels_of(context, rows, classes):
    """The first 1-D integer input with one class index per row (y), or None."""
    for arg in context.args:
        if isinstance(arg, np.ndarray) and arg.ndim == 1 and arg.dtype.kind in "iu":
            if len(arg) == rows and arg.size and 0 <= arg.min() and arg.max() < classes:
                return arg
    return None


def at_the_labels(g, e, context):
    """g differs from e only at the right class of each row (column y[i]), by one amount."""
    if e.ndim != 2 or g.shape != e.shape:
        return {}
    y = labels_of(context, *e.shape)
    if y is None:
        return {}
    one_hot = np.eye(e.shape[1])[y]
    c = float((g - e)[np.arange(len(y)), y][0])
    if abs(c) <= context.atol or not np.allclose(g - e, c * one_hot, rtol=1e-6, atol=1e-9):
        return {}
    where = "only at the right class of each row (column y[i])"
    claims = {("labels", round(c, 6)): (
        f"differs from the right answer {where}, by {c:+.4g} there: check what you add or "
        "subtract at the right class (one-hot y)."
    )}  # fmt: skip
    per_example = round(c * len(y), 6)  # the same for every batch size M if c = ±1/M
    if per_example == 1:
        claims[("labels", "1/M")] = (
            f"is the right answer + one_hot(y) / M: it differs {where}, where the − 1 is "
            "missing. ∂J/∂ŷ = (p − one_hot(y)) / M: subtract 1 at the right class, "
            "p[np.arange(M), y] − 1, then divide by M."
        )
    elif per_example == -1:
        claims[("labels", "-1/M")] = (
            f"is the right answer − one_hot(y) / M: it differs {where}, where 1 is "
            "subtracted twice."
        )
    else:
        claims[("labels", "M", per_example)] = None
    return claims


def activated(g, e, context):
    """g is tanh, the sigmoid or ReLU of the right answer: an activation where none belongs."""
    if g.shape != e.shape or not np.all(np.isfinite(e)):
        return {}
    for name, phi in (("tanh", np.tanh), ("the sigmoid", lambda v: 0.5 * (1 + np.tanh(v / 2)))):
        if close(g, phi(e), context) and not close(e, phi(e), context):
            return {("activated", name): (
                f"is {name} of the right answer: an activation φ is applied where none belongs "
                "(this step computes the numbers before any φ)."
            )}  # fmt: skip
    return {}


# The rules tried for an array of the right shape, in this order; then arrays.py looks at facts
# about this one input (rows that sum to 1, …) and at constant differences (differences.py).
ELEMENTWISE = [transposed, factor, one_minus, with_an_input, at_the_labels, log_or_exp, power,
               activated, clipped, one_row, last_left_out]  # fmt: skip
