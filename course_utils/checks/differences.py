"""Rules for the right numbers in another formula, for constant differences and for one number.

Like relations.py, each rule returns {key: sentence} for the learner's result g and the right
one e on one test input, and a claim is stated only if every wrong test input makes it
(relations.confirmed). reshaped: the right numbers in other places (reshape(784, -1).T);
brackets: the code's `x - mean / std` where (x - mean) / std is right (source.py reads the
formula); per_row and offset: off by the same amount everywhere, or per row; off_by_one,
rounded and whole_number: a number that is one off, rounded, or cut to a whole number by an
integer division.
"""

import numpy as np

from .factors import factor
from .relations import power
from .values import numeric

# ---------------------------------------------------------------- constant differences


def per_row(g, e, context):
    """Each row off by its own amount or factor (a per-row quantity where a global one
    belongs, or the other way round)."""
    if e.ndim != 2 or g.shape != e.shape:
        return {}
    shift = g - e
    if min(e.shape) < 2:  # one row or one column: nothing to compare across rows
        steady = np.allclose(shift, shift[:, :1]) and not np.allclose(shift, 0)
        return {("row offset",): None, ("row factor",): None} if steady else {}
    if np.allclose(shift, shift[:, :1]) and not np.allclose(shift, shift.flat[0]):
        return {("row offset",): (
            f"is off by a different amount in each row (row 0 by {shift[0, 0]:.4g}, row 1 by "
            f"{shift[1, 0]:.4g}): a per-row quantity (a max, mean or sum over axis=1) is added "
            "or subtracted where one for the whole array belongs, or the other way round."
        )}  # fmt: skip
    ratio = g / e
    if np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio[:, :1]):
        if not np.allclose(ratio, ratio.flat[0]):
            return {("row factor",): (
                f"is off by a different factor in each row (row 0: × {ratio[0, 0]:.4g}, row "
                f"1: × {ratio[1, 0]:.4g}): a per-row scale (a max or sum over axis=1) where one "
                "for the whole array belongs, or the other way round."
            )}  # fmt: skip
    return {}


def offset(g, e, context):
    """The same amount added to every entry."""
    if e.size < 1 or g.shape != e.shape:
        return {}
    shift = (g - e).flat[0]
    if abs(shift) <= context.atol or not np.allclose(g - e, shift):
        return {}
    constant = (
        f"is off by the same amount {shift:.4g} everywhere: a constant is added or "
        "subtracted where none belongs."
    )
    depends = (
        f"is off by the same amount everywhere ({shift:.4g} for this input, another amount "
        "for another): a quantity of the whole array (a mean, max or sum) is added or "
        "subtracted once too often."
    )
    if e.size == 1:  # one number differs from another by some amount: no claim
        constant = depends = None
    return {("offset", round(float(shift), 6)): constant, ("offset",): depends}


# ---------------------------------------------------------------- right numbers, another formula


def reshaped(g, e, context):
    """The right numbers in other places: laid out with the sizes swapped, then transposed,
    as images.reshape(784, -1).T gives where images.reshape(len(images), -1) is meant."""
    if e.ndim != 2 or min(e.shape) < 2 or e.shape[0] == e.shape[1] or g.shape != e.shape:
        return {}
    swapped = e.shape[::-1]
    if not np.allclose(g, e.reshape(swapped).T, rtol=context.rtol, atol=context.atol):
        return {}
    code = context.code
    how = (f"your reshape to {swapped} followed by .T" if code and code.reshape and code.transpose
           else f"the right answer laid out as {swapped} and then transposed")  # fmt: skip
    first = context.names[0] if context.names else "x"
    return {("reshaped",): (
        f"has the right numbers in the wrong places: it is {how}. A reshape fills one row "
        "after the other, so a .T afterwards does not undo sizes given in the wrong order: "
        f"reshape to {e.shape} directly (reshape(len({first}), -1) keeps one row per example)."
    )}  # fmt: skip


def brackets(g, e, context):
    """The code's `a - b / c` (or with + or *) where (a - b) / c gives the right answer: g − e
    is a multiple of the input a, by one factor (per column), and the b and c that this
    implies are one number (per column) each. Stated only with the formula from the code."""
    code = context.code
    if code is None or not code.unbracketed or g.shape != e.shape or e.ndim == 0:
        return {}
    claims = {}
    for index, (name, arg) in enumerate(zip(context.names, context.args)):
        a = numeric(arg) if isinstance(arg, np.ndarray) else None
        own = code.params[index] if index < len(code.params) else name
        formulas = [f for f in code.unbracketed if own in f.params]
        if a is None or a.shape != e.shape or not formulas:
            continue
        k = per_column((g - e) / np.where(a == 0, 1, a), a != 0)  # 1 − 1/c for a − b / c
        if k is None or np.any(np.abs(k) < 1e-9) or np.any(np.abs(1 - k) < 1e-9):
            continue
        if not np.allclose(g[a == 0], e[a == 0], rtol=context.rtol, atol=context.atol):
            continue
        formula = formulas[0]
        c = 1 / (1 - k) if formula.op == "/" else 1 - k
        rest = e * c - a if formula.op == "/" else e / c - a  # ± b
        if per_column(rest, np.ones(a.shape, bool)) is not None:
            verb = "divides" if formula.op == "/" else "multiplies"
            claims[("brackets", index)] = (
                f"is what `{formula.text}` gives, where `{formula.fixed}` is meant: / and * "
                f"come before + and −, so `{formula.text}` {verb} only `{formula.only}`. Write "
                f"`{formula.fixed}`."
            )
    return claims


def per_column(values, where):
    """The one number per column (one number for a 1-D array) that values are at `where`
    (and every column has some), or None."""
    if not np.all(np.isfinite(values[where])) or not np.all(np.any(where, axis=0)):
        return None
    first = np.argmax(where, axis=0)  # the first row of each column that counts
    row = values[first] if values.ndim == 1 else values[first, np.arange(values.shape[1])]
    spread = np.broadcast_to(row, values.shape)
    return row if np.allclose(values[where], spread[where], rtol=1e-6, atol=1e-12) else None


# ---------------------------------------------------------------- one number


def off_by_one(g, e, context):
    g, e = float(g), float(e)
    if e == round(e) and abs(g - e) == 1:
        more = "one more" if g > e else "one less"
        return {("off by one", g - e): (
            f"is {g:g}, {more} than the answer {e:g}: off by one (Python counts positions "
            "from 0; a count or an epoch number from 1)."
        )}  # fmt: skip
    return {}


def rounded(g, e, context):
    g, e = float(g), float(e)
    truncated = g == int(e) != e
    if g != 0 and (truncated or any(g == round(e, digits) for digits in range(4))):
        return {("rounded",): (
            f"is {g:g}, the answer {e:.6g} rounded or cut off: return the exact value (no "
            "int(), round() or formatting)."
        )}  # fmt: skip
    return {}


def whole_number(g, e, context):
    """A whole number (an int) where the answer is a fraction: `//` or int() cut it off.

    g and e are the values as returned (not converted to float arrays), to see the int."""
    if isinstance(g, bool | np.bool_) or not isinstance(g, int | np.integer):
        return {}
    e = float(np.asarray(e))
    if e == round(e) or int(g) != np.floor(e):
        return {}
    return {("whole",): (
        f"is the whole number {int(g)}, the answer {e:.4g} cut off: an integer division `//` "
        "(or int()) drops the fraction. Divide with /."
    )}  # fmt: skip


DIFFERENCES = [reshaped, brackets, per_row, offset]
NUMBER = [off_by_one, rounded, factor, power, offset]
