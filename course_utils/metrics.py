"""How sure is a measured accuracy? (notebooks 06 and 07)

An accuracy measured on n examples counts n right-or-wrong outcomes. Measured on another n
examples of the same kind it would come out a little different: like the share of heads in
n coin flips, it scatters around the true value p with a standard error

    SE = sqrt(p (1 − p) / n).

On 270 validation points an accuracy of 85 % is uncertain by about ±2 percentage points;
on 10,000 test digits, 98 % by about ±0.14 points. Two settings whose accuracies differ by
less than about two standard errors are not shown to differ.
"""

import math

import numpy as np


def check_accuracy_and_n(accuracy, n, name="accuracy"):
    """Bad input gets a message at the learner's call: a fraction in [0, 1] and a count n > 0."""
    values = np.asarray(accuracy, dtype=float)
    if not np.all(np.isfinite(values)) or np.any((values < 0) | (values > 1)):
        hint = " (a percentage? divide it by 100)" if np.all((values > 1) & (values <= 100)) else ""
        raise ValueError(
            f"{name} must be a fraction between 0 and 1, got {accuracy}{hint}; "
            "e.g. standard_error(0.852, 270)."
        )
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(
            f"n must be the number of examples the accuracy was measured on (an int >= 1), "
            f"got {n!r}; e.g. standard_error(accuracy, len(y_val))."
        )
    return values


def standard_error(accuracy, n):
    """Standard error of an accuracy (or an error rate) measured on n examples.

    accuracy: a fraction between 0 and 1 (a float, or an array of them);
    n: how many examples it was measured on.
    Returns sqrt(p (1 − p) / n), a float (an array for an array of accuracies).
    """
    p = check_accuracy_and_n(accuracy, n)
    se = np.sqrt(p * (1 - p) / n)
    return float(se) if se.ndim == 0 else se


def difference_standard_error(accuracy_a, n_a, accuracy_b, n_b):
    """Standard error of accuracy_a − accuracy_b, measured on n_a and n_b examples.

    sqrt(SE_a² + SE_b²), exact for two independent sets of examples (validation versus test).
    For two models scored on the same examples it is an overestimate: a cautious yardstick.
    """
    se_a = standard_error(accuracy_a, n_a)
    se_b = standard_error(accuracy_b, n_b)
    return math.sqrt(se_a**2 + se_b**2)


def with_standard_error(accuracy, n):
    """An accuracy with its standard error, in percent: (0.852, 270) -> '85.2 ± 2.2 %'."""
    se = standard_error(float(accuracy), n)
    return f"{100 * accuracy:.1f} ± {100 * se:.1f} %"
