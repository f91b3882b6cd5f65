"""Exercises of notebook 03 (loss functions): MSE of a batch, stable softmax, cross-entropy."""

import numpy as np

from .. import losses
from . import Exercise, Mistake, register


def mse_batch(y_hat, y):
    """J = 1/M Σ_i 1/k Σ_j (y_ij − ŷ_ij)² for y_hat, y of shape (M, k): a float."""
    return float(np.mean((y - y_hat) ** 2))


# --- mse_batch -------------------------------------------------------------------------------

Y3 = np.array([[80.0, 10.0], [30.0, 0.0], [55.0, 5.0]])  # M = 3 examples, k = 2 outputs
Y3_HAT = np.array([[75.0, 12.0], [40.0, 1.0], [50.0, 2.0]])
Y4 = np.array([[1.0], [0.0], [2.0], [-1.0]])  # k = 1
Y4_HAT = np.array([[0.5], [0.5], [2.5], [0.0]])
Y1 = np.array([[1.5, 2.0, 0.0]])  # one example, k = 3 outputs
Y1_HAT = np.array([[1.0, 2.0, 3.0]])


def mse_sizes(y_hat, y):
    return {"M": len(y), "k": y.shape[-1], "M·k": y.size}


register(
    Exercise(
        name="mse_batch",
        reference=mse_batch,
        quantity="cost",
        where="course_utils.losses.mse",
        cases=[(Y4_HAT, Y4), (Y3_HAT, Y3), (Y1_HAT, Y1)],
        sizes=mse_sizes,
        mistakes=[
            Mistake(
                "Forgot the 1/k: each example's loss is the MEAN of its k squared errors "
                "(you summed them).",
                lambda y_hat, y: float(np.mean(np.sum((y - y_hat) ** 2, axis=1))),
            ),
            Mistake(
                "Forgot the 1/M: the cost J is the mean over the batch, not the sum.",
                lambda y_hat, y: float(np.sum(np.mean((y - y_hat) ** 2, axis=1))),
            ),
            Mistake(
                "That is the plain sum of squared errors: J divides by k (outputs) and by "
                "M (examples), i.e. np.mean over everything.",
                lambda y_hat, y: float(np.sum((y - y_hat) ** 2)),
            ),
            Mistake(
                "Forgot the square: positive and negative errors cancel; use (y − ŷ)².",
                lambda y_hat, y: float(np.mean(y - y_hat)),
            ),
            Mistake(
                "You squared the mean error: square each error first, then average, "
                "np.mean((y − ŷ) ** 2); otherwise errors of opposite sign cancel.",
                lambda y_hat, y: float(np.mean(y - y_hat) ** 2),
            ),
            Mistake(
                "That is the ROOT mean squared error (RMSE): the cost J is the mean of the "
                "squared errors itself, without np.sqrt.",
                lambda y_hat, y: float(np.sqrt(np.mean((y - y_hat) ** 2))),
            ),
            Mistake(
                "That is the mean ABSOLUTE error |y − ŷ|: MSE squares the errors.",
                lambda y_hat, y: float(np.mean(np.abs(y - y_hat))),
            ),
        ],
    )
)


# --- softmax ---------------------------------------------------------------------------------

UNSTABLE_SOFTMAX = (
    "np.exp(logits) overflows for large logits (e^1000 = inf, and inf/inf = nan): "
    "subtract each row's largest logit first, "
    "logits − logits.max(axis=1, keepdims=True)."
)

L_SQUARE = np.array([[2.0, 1.0], [-1.0, 3.0]])
L_WIDE = np.array([[1.0, 2.0, 3.0, 0.5], [0.0, 0.0, 0.0, 0.0], [-2.0, 1.0, 0.3, 4.0]])
L_HUGE = np.array([[1000.0, 999.0, 0.0], [-5.0, 800.0, 802.0]])
L_ROWS = np.array([[1000.0, 0.0], [-1000.0, -1000.0]])  # rows far apart: each needs its own max
L_ONE = np.array([[3.0, 1.0, 0.2]])  # a batch of one example
L_SPIKE = np.array([[1000.0, 0.0, 0.0, 0.0], [-3.0, 0.0, 1.0, 2.0]])  # far above the row's mean


def naive_softmax(logits):
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def softmax_rows(logits):
    return losses.softmax(logits, axis=1)


def shifted_exp(logits):
    return np.exp(logits - logits.max(axis=1, keepdims=True))


register(
    Exercise(
        name="softmax",
        reference=softmax_rows,
        where="course_utils.losses.softmax",
        cases=[(L_SQUARE,), (L_WIDE,), (L_HUGE,), (L_ROWS,), (L_ONE,), (L_SPIKE,)],
        unstable=UNSTABLE_SOFTMAX,
        mistakes=[
            Mistake(
                "You subtracted each row's MEAN, not its maximum: for the row [1000, 0, 0, 0] "
                "the mean is 250, and e^(1000 − 250) still overflows. Subtracting the row's "
                "largest logit, logits.max(axis=1, keepdims=True), makes every exponent ≤ 0.",
                lambda z: naive_softmax(z - z.mean(axis=1, keepdims=True)),
            ),
            Mistake(UNSTABLE_SOFTMAX, naive_softmax),
            Mistake(
                "Normalised over the wrong axis: each ROW (one example) must sum to 1; "
                "sum with axis=1 (or axis=-1), not axis=0.",
                lambda z: losses.softmax(z, axis=0),
            ),
            Mistake(
                "Normalised over the wrong axis: each ROW (one example) must sum to 1; "
                "sum with axis=1 (or axis=-1), not axis=0.",
                lambda z: shifted_exp(z) / shifted_exp(z).sum(axis=0, keepdims=True),
            ),
            Mistake(
                "Forgot keepdims=True: e.sum(axis=1) has shape (batch,), which NumPy "
                "divides along the columns; keep it as a column of shape (batch, 1).",
                lambda z: shifted_exp(z) / shifted_exp(z).sum(axis=1),
            ),
            Mistake(
                "logits.max(axis=1) without keepdims=True has shape (batch,), so NumPy "
                "subtracts it along the columns, not from each row: use "
                "logits.max(axis=1, keepdims=True), a column of shape (batch, 1).",
                lambda z: naive_softmax(z - z.max(axis=1)),
            ),
            Mistake(
                "Forgot to normalise: divide exp(ŷ_c) by the row's sum Σ_c' exp(ŷ_c') so "
                "that the probabilities add up to 1.",
                shifted_exp,
            ),
            Mistake(
                "Normalised over the whole batch: each row (one example) must sum to 1 "
                "on its own; sum with axis=1, keepdims=True.",
                lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
            ),
            Mistake(
                "You subtracted the largest logit of the whole batch, logits.max(): a row far "
                "below it (like [−1000, −1000]) then underflows to 0/0 = NaN. Subtract each "
                "row's own maximum, logits.max(axis=1, keepdims=True).",
                lambda z: naive_softmax(z - z.max()),
            ),
        ],
    )
)


# --- cross_entropy_from_logits ---------------------------------------------------------------

UNSTABLE_CE = (
    "A log of 0 or an exp that overflows: for large logits softmax can round a "
    "probability to 0. Compute log p directly: log p_c = (ŷ_c − max) − "
    "log Σ_c' exp(ŷ_c' − max) (log-sum-exp)."
)

C_POSITIVE = (
    np.array([[2.0, 0.5, 1.0], [0.2, 3.0, 0.7], [1.5, 1.2, 4.0], [0.3, 0.4, 0.1]]),
    np.array([0, 2, 2, 1]),
)
C_MIXED = (np.array([[1.386, 0.0], [-1.0, 2.0], [0.5, 0.5]]), np.array([0, 0, 1]))
C_HUGE = (np.array([[1000.0, 0.0], [0.0, 1000.0], [-800.0, 5.0]]), np.array([1, 1, 0]))
C_ROWS = (np.array([[1000.0, 0.0], [-1000.0, -1000.0]]), np.array([0, 1]))  # rows far apart
C_ONE = (np.array([[0.2, 2.0, -1.0]]), np.array([1]))  # a batch of one example
C_SPIKE = (L_SPIKE, np.array([1, 3]))  # far above the row's mean: a mean shift overflows


def cross_entropy_from_logits(logits, y):
    """J = 1/M Σ_i −log p_i,y_i with p = softmax(logits): logits (M, C), y (M,) class indices."""
    return losses.cross_entropy(logits, y)


def global_shift_log_p(logits):
    e = np.exp(logits - logits.max())
    return np.log(e / e.sum(axis=1, keepdims=True))


def sum_without_log(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.exp(shifted).sum(axis=1, keepdims=True)


def ce_variant(logits, y, sign=-1.0, reduce=np.mean, log_p=None):
    log_p = losses.log_softmax(logits) if log_p is None else log_p
    return float(sign * reduce(log_p[np.arange(len(y)), y]))


register(
    Exercise(
        name="cross_entropy_from_logits",
        reference=cross_entropy_from_logits,
        quantity="cost",
        where="course_utils.losses.cross_entropy",
        cases=[C_POSITIVE, C_MIXED, C_HUGE, C_ROWS, C_ONE, C_SPIKE],
        sizes=lambda logits, y: {
            "M (the batch size)": len(logits),
            "C (the number of classes)": logits.shape[1],
        },
        unstable=UNSTABLE_CE,
        mistakes=[
            Mistake(
                "Forgot the minus: loss = −Σ_c y_c log p_c; log p ≤ 0, so J must be ≥ 0.",
                lambda logits, y: ce_variant(logits, y, sign=1.0),
            ),
            Mistake(
                "Summed over the batch: the cost J is the MEAN over the M examples (1/M).",
                lambda logits, y: ce_variant(logits, y, reduce=np.sum),
            ),
            Mistake(
                "You took the log of the logits: apply softmax first, p = softmax(ŷ), "
                "then −log p of the right class.",
                lambda logits, y: ce_variant(logits, y, log_p=np.log(logits)),
            ),
            Mistake(
                "Forgot softmax (and log): you averaged −ŷ of the right class; use "
                "−log softmax(ŷ) of the right class.",
                lambda logits, y: ce_variant(logits, y, log_p=logits),
            ),
            Mistake(
                "p[:, y] picks a column for EVERY row (an M × M matrix): pick one entry "
                "per row with p[np.arange(M), y].",
                lambda logits, y: float(-np.mean(losses.log_softmax(logits)[:, y])),
            ),
            Mistake(
                "You averaged −log p over all classes: use only the right class of each "
                "example (the one-hot y_c picks it), p[np.arange(M), y].",
                lambda logits, y: float(-np.mean(losses.log_softmax(logits))),
            ),
            Mistake(
                "The log around the sum is missing: log p_c = (ŷ_c − max) − log Σ_c' "
                "exp(ŷ_c' − max). You subtracted Σ exp(…) itself; take np.log of the sum "
                "(log-sum-exp).",
                lambda logits, y: ce_variant(logits, y, log_p=sum_without_log(logits)),
            ),
            Mistake(
                "np.log10 is the logarithm to base 10: the cross-entropy uses the natural "
                "logarithm, np.log (your result is the right one divided by ln 10 = 2.303).",
                lambda logits, y: ce_variant(logits, y) / np.log(10),
            ),
            Mistake(
                "You subtracted the largest logit of the whole batch, logits.max(): a row far "
                "below it (like [−1000, −1000]) then gives 0/0 or log(0). Subtract each row's "
                "own maximum, logits.max(axis=1, keepdims=True).",
                lambda logits, y: ce_variant(logits, y, log_p=global_shift_log_p(logits)),
            ),
        ],
    )
)
