"""Exercise fixed_backward of notebook 04: find the two planted bugs with a gradient check.

The given backward pass of a two-hidden-layer sigmoid network has two bugs; the learner runs
the gradient check, sees which parameters it flags, and fixes them. The check names a bug
that is still there, or one fixed in a way that breaks something else.
Registered for notebook 04 (imported by nb04_backprop.py, in the notebook's order).
"""

import numpy as np

from . import Exercise, Mistake, register
from .backprop_network import one_hot_of, softmax_of

# --- fixed_backward (spot the bug) ---------------------------------------------------------


def sigmoid_of(z):
    return 0.5 * (1 + np.tanh(z / 2))  # = 1 / (1 + e^(−z)), without overflow


def sigmoid_network_forward(x, M1, b1, M2, b2, M_out, b_out):
    """o1 = σ(M1·x + b1), o2 = σ(M2·o1 + b2), ŷ = M_out·o2 + b_out. Returns (o1, o2, ŷ)."""
    o1 = sigmoid_of(x @ M1.T + b1)
    o2 = sigmoid_of(o1 @ M2.T + b2)
    return o1, o2, o2 @ M_out.T + b_out


def sigmoid_network_cost(x, y, M1, b1, M2, b2, M_out, b_out):
    """J = 1/M Σ_i −log softmax(ŷ_i)[y_i] of the two-hidden-layer sigmoid network."""
    y_hat = sigmoid_network_forward(x, M1, b1, M2, b2, M_out, b_out)[2]
    shifted = y_hat - y_hat.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_p[np.arange(len(y)), y]))


def slope(z, o, how):
    """σ'(z) = o(1 − o) with o = σ(z); or a wrong one: at the output σ(o)(1 − σ(o)), or z(1 − z)."""
    if how == "output":
        return sigmoid_of(o) * (1 - sigmoid_of(o))
    return z * (1 - z) if how == "z" else o * (1 - o)


def backward_variant(mean_db_out=False, transposed_M2=False, scale=True, slopes=("", "")):
    """The backward pass of the sigmoid network, with or without the two planted bugs.

    slopes: how σ' of hidden layers 1 and 2 is computed: "" right, "output" (at o), "z"."""

    def backward(x, y, M1, b1, M2, b2, M_out, b_out):
        z1 = x @ M1.T + b1
        o1, o2, y_hat = sigmoid_network_forward(x, M1, b1, M2, b2, M_out, b_out)
        z2 = o1 @ M2.T + b2
        d_yhat = softmax_of(y_hat) - one_hot_of(y, y_hat.shape[1])
        d_yhat = d_yhat / len(y) if scale else d_yhat
        dM_out = d_yhat.T @ o2
        db_out = d_yhat.mean(axis=0) if mean_db_out else d_yhat.sum(axis=0)
        d_z2 = (d_yhat @ M_out) * slope(z2, o2, slopes[1])
        dM2 = d_z2.T @ o1
        db2 = d_z2.sum(axis=0)
        d_z1 = (d_z2 @ (M2.T if transposed_M2 else M2)) * slope(z1, o1, slopes[0])
        dM1 = d_z1.T @ x
        db1 = d_z1.sum(axis=0)
        return dM1, db1, dM2, db2, dM_out, db_out

    return backward


fixed_backward = backward_variant()
fixed_backward.__name__ = "fixed_backward"
fixed_backward.__doc__ = """The sigmoid network's backward pass with both planted bugs fixed.

x (batch, n_in), y (batch,) class indices; M1 (h, n_in), b1 (h,), M2 (h, h), b2 (h,),
M_out (C, h), b_out (C,). Returns (dM1, db1, dM2, db2, dM_out, db_out)."""
buggy_backward = backward_variant(mean_db_out=True, transposed_M2=True)


def sigmoid_network_case(seed, n_batch, n_in=3, hidden=4, classes=3):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(n_batch, n_in)),
        rng.integers(0, classes, n_batch),
        rng.normal(size=(hidden, n_in)),
        rng.normal(size=hidden) * 0.5,
        rng.normal(size=(hidden, hidden)),
        rng.normal(size=hidden) * 0.5,
        rng.normal(size=(classes, hidden)),
        rng.normal(size=classes) * 0.5,
    )


register(
    Exercise(
        name="fixed_backward",
        reference=fixed_backward,
        quantity="derivative",
        notebook="nb04_backprop",
        where="course_utils.checks.nb04_backprop.fixed_backward",
        cases=[sigmoid_network_case(8, 5), sigmoid_network_case(9, 7, n_in=2, classes=2)],
        outputs=("dM1", "db1", "dM2", "db2", "dM_out", "db_out"),
        mistakes=[
            Mistake(
                "Both bugs are still there: this is the given backward pass unchanged. Run the "
                "gradient check above: which parameters does it flag?",
                buggy_backward,
            ),
            Mistake(
                "One bug fixed, one to go: ∂J/∂b_out is still a mean over the batch. The 1/M "
                "is already inside d_yhat, so ∂J/∂b_out = d_yhat.sum(axis=0).",
                backward_variant(mean_db_out=True),
            ),
            Mistake(
                "One bug fixed, one to go: the gradient still goes back through M2.T. The "
                "forward pass computed o1 @ M2.T, so its backward is d_z2 @ M2 (check the "
                "shapes on paper; M2 is square, so NumPy cannot catch it).",
                backward_variant(transposed_M2=True),
            ),
            Mistake(
                "σ' of the first hidden layer is taken at its OUTPUT: sigmoid(o1) * (1 − "
                "sigmoid(o1)) is σ'(o1). The slope belongs at z1, and with o1 = σ(z1) that is "
                "o1 * (1 − o1), as the given code had (only dM1 and db1 are wrong).",
                backward_variant(slopes=("output", "")),
            ),
            Mistake(
                "σ' of the second hidden layer is taken at its OUTPUT: sigmoid(o2) * (1 − "
                "sigmoid(o2)) is σ'(o2). The slope belongs at z2, and with o2 = σ(z2) that is "
                "o2 * (1 − o2), as the given code had.",
                backward_variant(slopes=("", "output")),
            ),
            Mistake(
                "σ' is taken at each layer's OUTPUT: sigmoid(o) * (1 − sigmoid(o)) is σ'(o). "
                "The slope belongs at z, and with o = σ(z) that is o * (1 − o), as the given "
                "code had.",
                backward_variant(slopes=("output", "output")),
            ),
            Mistake(
                "σ' is written with z: z·(1 − z) is not the sigmoid's slope. With o = σ(z), "
                "σ'(z) = o·(1 − o): multiply by o1 * (1 - o1) and o2 * (1 - o2), as the given "
                "code had.",
                backward_variant(slopes=("z", "z")),
            ),
            Mistake(
                "Now the 1/M is missing everywhere: d_yhat = (p − y) / M must keep its 1/M, and "
                "the biases sum over the batch.",
                backward_variant(scale=False),
            ),
        ],
    )
)
