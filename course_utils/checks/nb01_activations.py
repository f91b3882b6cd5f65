"""Exercises of notebook 01 (activation functions)."""

import numpy as np

from .. import activations
from . import Exercise, Mistake, register

Z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
Z_LARGE = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
Z_ROWS = np.array([[-2.0, 0.0, 745.0], [-745.0, 1.0, 30.0]])  # a batch: 2-D, extremes per row


def sigmoid_naive(z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


register(
    Exercise(
        name="sigmoid",
        reference=activations.sigmoid,
        # last: whole numbers, as np.arange gives them (the result must still be fractions)
        cases=[(Z,), (Z_LARGE,), (Z_ROWS,), (np.array(2.0),), (np.arange(-3, 4),)],
        unstable="1 / (1 + np.exp(-z)) overflows for z = -1000: use e^(-|z|), which never "
        "overflows (see the hint above). If you used np.where: it computes BOTH branches for "
        "every z, so each branch must be safe for all z (build both from e^(-|z|)).",
        mistakes=[
            Mistake(
                "You computed Sigmoid(−z) = 1 − Sigmoid(z): either the sign in the exponent is "
                "wrong (Sigmoid(z) = 1 / (1 + e^(−z)), with −z), or np.where's two branches are "
                "swapped (its first branch is used where the condition is True).",
                lambda z: 1 / (1 + np.exp(np.clip(z, -700, 700))),
            ),
            Mistake(
                "Right for z ≥ 0 only: with e^(−|z|) the case z < 0 needs its own formula "
                "e^z / (1 + e^z), i.e. e^(−|z|) / (1 + e^(−|z|)); pick it with np.where.",
                lambda z: 1 / (1 + np.exp(-np.abs(z))),
            ),
            Mistake("That is tanh(z), not the sigmoid 1 / (1 + e^(−z)).", np.tanh),
        ],
    )
)


# --- slope: the derivative, measured ---------------------------------------------------------


def slope(f, z, h):
    """The central difference (f(z + h) − f(z − h)) / (2h): the slope of f at z, measured.

    f: a function of an array; z: array of any shape; h: a small step. Same shape as z.
    """
    return (f(z + h) - f(z - h)) / (2 * h)


def cube(z):
    return z**3


def times_total(z):
    """Not elementwise: each entry times the sum of all, so f must be called on z ± h itself."""
    return z * z.sum()


SLOPE_CASES = [
    (np.sin, np.array([-1.0, 0.0, 0.5, 2.0]), 0.1),
    (cube, np.array([[1.0, -2.0]]), 0.5),
    # identity returns the very array it gets, and z ± h rounds: code that shifts z in place
    # (z += h) shows here, even where it undoes the shift afterwards
    (activations.identity, np.array([0.3, -1.7, 2.9, 1e-3]), 1e-4),
    (times_total, np.array([2.0, 4.0, -1.0]), 0.1),  # f sees the whole array: call it on z ± h
]

register(
    Exercise(
        name="slope",
        reference=slope,
        quantity="derivative",
        where="course_utils.checks.nb01_activations.slope (for whole networks: "
        "course_utils.gradcheck.numerical_gradient)",
        cases=SLOPE_CASES,
        mistakes=[
            Mistake(
                "That is the one-sided difference (f(z + h) − f(z)) / h: it is off by a term "
                "proportional to h. The central difference (f(z + h) − f(z − h)) / (2h) is "
                "much more accurate for the same h.",
                lambda f, z, h: (f(z + h) - f(z)) / h,
            ),
            Mistake(
                "That is the one-sided difference backwards, (f(z) − f(z − h)) / h: it is off by "
                "a term proportional to h. Use the central difference "
                "(f(z + h) − f(z − h)) / (2h).",
                lambda f, z, h: (f(z) - f(z - h)) / h,
            ),
            Mistake(
                "Divide by 2h: from z − h to z + h the input changes by 2h, not h.",
                lambda f, z, h: (f(z + h) - f(z - h)) / h,
            ),
            Mistake(
                "Wrong sign: the slope is (f(z + h) − f(z − h)) / (2h), the later value minus "
                "the earlier one.",
                lambda f, z, h: (f(z - h) - f(z + h)) / (2 * h),
            ),
            Mistake(
                "You forgot to divide: f(z + h) − f(z − h) is the rise; the slope is rise over "
                "run, divided by 2h.",
                lambda f, z, h: f(z + h) - f(z - h),
            ),
            Mistake(
                "Brackets: … / 2 * h divides by 2 and then MULTIPLIES by h (Python reads left "
                "to right). Write … / (2 * h).",
                lambda f, z, h: (f(z + h) - f(z - h)) / 2 * h,
            ),
            Mistake(
                "Brackets: f(z + h) - f(z - h) / (2 * h) divides only f(z − h). Put the "
                "difference in brackets: (f(z + h) - f(z - h)) / (2 * h).",
                lambda f, z, h: f(z + h) - f(z - h) / (2 * h),
            ),
            Mistake(
                "You used your own step instead of the h passed in: use h, so the check (and "
                "the notebook's experiments with h) get what they ask for.",
                lambda f, z, h: (f(z + 1e-5) - f(z - 1e-5)) / 2e-5,
            ),
            Mistake(
                "Half of each formula: (f(z + h) − f(z)) / (2h) mixes the one-sided difference "
                "with the central one's 2h. The central difference uses both neighbours: "
                "(f(z + h) − f(z − h)) / (2h).",
                lambda f, z, h: (f(z + h) - f(z)) / (2 * h),
            ),
            Mistake(
                "The denominator must be 2h, the step, not 2z: the input changes by 2h from "
                "z − h to z + h, whatever z is (and at z = 0 you divide by 0).",
                lambda f, z, h: (f(z + h) - f(z - h)) / (2 * z),
            ),
            Mistake(
                "np.gradient differentiates along the array, between neighbouring entries of "
                "f(z), not at each z: evaluate f at z + h and at z − h instead.",
                lambda f, z, h: np.gradient(f(z), h, axis=-1),
            ),
        ],
    )
)

# --- sigmoid_prime: derived on paper ---------------------------------------------------------

UNSTABLE_PRIME = (
    "e^(−z) overflows for z = −1000. Write the derivative with the sigmoid itself, "
    "s·(something with s), and compute s with a stable sigmoid (yours from 4.1, or "
    "course_utils.sigmoid)."
)


def polynomial(a, b, c):
    """'1 − s²', 's + s²', '2s − s²' … for a·s² + b·s + c."""
    text = ""
    for coefficient, power in ((c, ""), (b, "s"), (a, "s²")):
        if coefficient == 0:
            continue
        size = abs(coefficient)
        number = f"{size:g}" if size != 1 or not power else ""
        sign = ("− " if coefficient < 0 else "+ ") if text else ("−" if coefficient < 0 else "")
        text += f" {sign}{number}{power}" if text else f"{sign}{number}{power}"
    return text.strip() or "0"


def in_terms_of_s(got, expected, context):
    """The answer as a formula a·s² + b·s + c in s = Sigmoid(z) (s², s + s², …), if it is one."""
    s = activations.sigmoid(np.asarray(context.args[0], dtype=float)).ravel()
    g = np.asarray(got, dtype=float).ravel()
    if g.shape != s.shape or np.unique(s).size < 3 or not np.all(np.isfinite(g)):
        return {}
    terms = np.stack([s**2, s, np.ones_like(s)], axis=1)
    a, b, c = np.round(np.linalg.lstsq(terms, g, rcond=None)[0] * 2) / 2
    if not np.allclose(terms @ [a, b, c], g, rtol=1e-6, atol=1e-9):
        return {}
    if c == 0 and a == -b:  # a multiple of s − s² (0, −1, 4 times): relations.py names it
        return {}
    return {("in s", a, b, c): (
        f"Your result is {polynomial(a, b, c)} with s = Sigmoid(z), but the derivative is "
        "s·(1 − s) = s − s²: write it as s * (1 - s), with the sigmoid s itself in the first "
        "factor and 1 − s in the second."
    )}  # fmt: skip


register(
    Exercise(
        name="sigmoid_prime",
        reference=activations.sigmoid_prime,
        quantity="derivative",
        cases=[(Z,), (Z_LARGE,), (np.array([[-2.0, 0.25], [1.0, 8.0]]),)],
        unstable=UNSTABLE_PRIME,
        diagnosis=in_terms_of_s,
        mistakes=[
            Mistake(
                "You put z where the sigmoid belongs: Sigmoid'(z) = s·(1 − s) with "
                "s = Sigmoid(z), not z·(1 − z).",
                lambda z: z * (1 - z),
            ),
            Mistake(
                "That is the sigmoid itself, not its slope.",
                activations.sigmoid,
            ),
            Mistake(
                "That is 1 − s², the pattern of tanh's derivative (1 − tanh²); for the sigmoid "
                "the derivation gives s·(1 − s).",
                lambda z: 1 - activations.sigmoid(z) ** 2,
            ),
            Mistake(
                "A factor is missing: e^(−z) / (1 + e^(−z)) = 1 − s. The quotient rule (or the "
                "chain rule on (1 + e^(−z))^(−1)) squares the denominator: s·(1 − s).",
                lambda z: 1 - activations.sigmoid(z),
            ),
            Mistake(
                "Sign slip: (1 + e^(−z))^(−1) differentiates to +e^(−z) / (1 + e^(−z))², "
                "which is s·(1 − s), not −s·(1 − s).",
                lambda z: -activations.sigmoid_prime(z),
            ),
            Mistake(
                "The square is inside the bracket: s·(1 − s²) squares s where the derivative "
                "has none. σ'(z) = s·(1 − s), with s = Sigmoid(z) and no power at all.",
                lambda z: activations.sigmoid(z) * (1 - activations.sigmoid(z) ** 2),
            ),
            Mistake(
                "s·(1 + s) has the wrong sign inside: e^(−z) / (1 + e^(−z)) = 1 − s, so the "
                "derivative is s·(1 − s).",
                lambda z: activations.sigmoid(z) * (1 + activations.sigmoid(z)),
            ),
        ],
    )
)
