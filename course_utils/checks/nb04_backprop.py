"""Exercises of notebook 04 (backpropagation).

The references below are written out with plain NumPy so a learner can read them next to
their own answer; the same computations, as layer methods, are
course_utils.activations.ReLU.backward and course_utils.layers.Linear.backward.
"""

import numpy as np

from ..activations import relu, relu_prime, tanh_prime
from . import Exercise, Mistake, register

# --- relu_backward -------------------------------------------------------------------------


def relu_backward(grad, z):
    """∂J/∂z = ∂J/∂o · ReLU'(z): grad (batch, n) and z (batch, n) -> (batch, n)."""
    return grad * relu_prime(z)


RELU_CASES = [
    (
        np.array([[0.5, -1.0, 2.0, -0.3], [1.5, 0.2, -0.7, 4.0]]),
        np.array([[-2.0, -0.5, 0.5, 3.0], [1.0, -1.0, 2.0, -3.0]]),
    ),
    (np.array([[-1.0, 2.0, 3.0]]), np.array([[4.0, 0.1, -0.1]])),
]

register(
    Exercise(
        name="relu_backward",
        reference=relu_backward,
        where="course_utils.checks.nb04_backprop.relu_backward "
        "(as a layer: course_utils.activations.ReLU.backward)",
        cases=RELU_CASES,
        mistakes=[
            Mistake(
                "You returned the incoming gradient unchanged: you forgot to multiply by "
                "φ'(z) = ReLU'(z), which is 0 where z ≤ 0.",
                lambda grad, z: grad.copy(),
            ),
            Mistake(
                "You multiplied by φ(z) = ReLU(z) instead of its derivative φ'(z) "
                "(1 where z > 0, else 0).",
                lambda grad, z: grad * relu(z),
            ),
            Mistake(
                "You masked by the sign of the incoming gradient: ReLU' depends on the cached "
                "input z of the forward pass (z > 0), not on grad.",
                lambda grad, z: grad * (grad > 0),
            ),
            Mistake(
                "You returned φ'(z) alone: the chain rule multiplies it by the incoming "
                "gradient ∂J/∂o.",
                lambda grad, z: relu_prime(z),
            ),
        ],
    )
)

# --- linear_backward -----------------------------------------------------------------------


def linear_backward(grad, x, M):
    """The backward pass of out = x @ M.T + b for a whole batch.

    grad: ∂J/∂out (batch, n_out); x: the cached input (batch, n_in); M: (n_out, n_in).
    Returns (dx, dM, db): ∂J/∂x (batch, n_in), ∂J/∂M (n_out, n_in), ∂J/∂b (n_out,).
    """
    dx = grad @ M
    dM = grad.T @ x
    db = grad.sum(axis=0)
    return dx, dM, db


def batch(rng, n_batch, n_in, n_out):
    return (
        rng.normal(size=(n_batch, n_out)).round(2),
        rng.normal(size=(n_batch, n_in)).round(2),
        rng.normal(size=(n_out, n_in)).round(2),
    )


LINEAR_CASES = [
    batch(np.random.default_rng(1), 4, 3, 3),  # square M first, so that M.T "works"
    batch(np.random.default_rng(2), 5, 3, 2),
]

register(
    Exercise(
        name="linear_backward",
        reference=linear_backward,
        where="course_utils.checks.nb04_backprop.linear_backward "
        "(as a layer: course_utils.layers.Linear.backward)",
        cases=LINEAR_CASES,
        mistakes=[
            Mistake(
                "Transposed matrix: dM = x.T @ grad has shape (n_in, n_out), but ∂J/∂M must "
                "have the shape of M, (n_out, n_in): dM = grad.T @ x.",
                lambda grad, x, M: (grad @ M, x.T @ grad, grad.sum(axis=0)),
            ),
            Mistake(
                "dx = grad @ M.T uses the transposed matrix: out = x @ M.T, so ∂J/∂x = grad @ M "
                "(check the shapes: (batch, n_out) @ (n_out, n_in)).",
                lambda grad, x, M: (grad @ M.T, grad.T @ x, grad.sum(axis=0)),
            ),
            Mistake(
                "You forgot to sum db over the batch: every example adds its part of ∂J/∂b, "
                "so db = grad.sum(axis=0), shape (n_out,).",
                lambda grad, x, M: (grad @ M, grad.T @ x, grad),
            ),
            Mistake(
                "db = grad.mean(axis=0) divides by M a second time: the 1/M of J = 1/M Σ loss "
                "is already inside grad, so db = grad.sum(axis=0).",
                lambda grad, x, M: (grad @ M, grad.T @ x, grad.mean(axis=0)),
            ),
            Mistake(
                "Right gradients, wrong order: return the tuple (dx, dM, db).",
                lambda grad, x, M: (grad.T @ x, grad @ M, grad.sum(axis=0)),
            ),
        ],
    )
)

# --- two_layer_gradients -------------------------------------------------------------------


def two_layer_forward(x, M1, b1, M2, b2):
    """z1 = x M1ᵀ + b1, o1 = tanh(z1), ŷ = o1 M2ᵀ + b2. Returns (z1, o1, y_hat)."""
    z1 = x @ M1.T + b1
    o1 = np.tanh(z1)
    return z1, o1, o1 @ M2.T + b2


def two_layer_cost(x, y, M1, b1, M2, b2):
    """J = 1/M Σ_i 1/k Σ_j (ŷ_ij − y_ij)²: the MSE cost of the two-layer tanh network."""
    return float(np.mean((two_layer_forward(x, M1, b1, M2, b2)[2] - y) ** 2))


def two_layer_gradients(x, y, M1, b1, M2, b2):
    """Backpropagation through o1 = tanh(M1·x + b1), ŷ = M2·o1 + b2 with the MSE cost.

    x (batch, n_in), y (batch, k); M1 (n_hidden, n_in), b1 (n_hidden,), M2 (k, n_hidden),
    b2 (k,). Returns (dM1, db1, dM2, db2), each of the shape of its parameter.
    """
    z1, o1, y_hat = two_layer_forward(x, M1, b1, M2, b2)
    d_yhat = 2 * (y_hat - y) / y.size  # y.size = M·k
    dM2 = d_yhat.T @ o1
    db2 = d_yhat.sum(axis=0)
    d_o1 = d_yhat @ M2
    d_z1 = d_o1 * tanh_prime(z1)
    dM1 = d_z1.T @ x
    db1 = d_z1.sum(axis=0)
    return dM1, db1, dM2, db2


def two_layer_variant(scale=None, sign=1.0, derivative="z", transpose=False, sum_db=True):
    """A wrong version of two_layer_gradients, for the checks' typical mistakes."""

    def gradients(x, y, M1, b1, M2, b2):
        z1, o1, y_hat = two_layer_forward(x, M1, b1, M2, b2)
        d_yhat = sign * 2 * (y_hat - y) / (y.size if scale is None else scale(y))
        d_o1 = d_yhat @ M2
        phi_prime = {"z": tanh_prime(z1), "o": tanh_prime(o1), "none": 1.0}[derivative]
        d_z1 = d_o1 * phi_prime
        dM1 = x.T @ d_z1 if transpose else d_z1.T @ x
        dM2 = o1.T @ d_yhat if transpose else d_yhat.T @ o1
        if sum_db:
            return dM1, d_z1.sum(axis=0), dM2, d_yhat.sum(axis=0)
        return dM1, d_z1, dM2, d_yhat

    return gradients


def network(seed, n_batch, n_in=3, n_hidden=4, k=2):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(n_batch, n_in)),
        rng.normal(size=(n_batch, k)),
        rng.normal(size=(n_hidden, n_in)),
        rng.normal(size=n_hidden) * 0.5,
        rng.normal(size=(k, n_hidden)),
        rng.normal(size=k) * 0.5,
    )


register(
    Exercise(
        name="two_layer_gradients",
        reference=two_layer_gradients,
        where="course_utils.checks.nb04_backprop.two_layer_gradients",
        cases=[network(3, 5), network(4, 8, n_in=2, n_hidden=3, k=1)],
        mistakes=[
            Mistake(
                "You forgot to multiply by φ'(z1) = tanh'(z1) on the way back through the "
                "hidden layer: ∂J/∂z1 = ∂J/∂o1 · (1 − tanh(z1)²).",
                two_layer_variant(derivative="none"),
            ),
            Mistake(
                "You used φ'(output) instead of φ'(z): tanh_prime(o1) differentiates at the "
                "layer's output; the derivative belongs at its input z1 (the cached value).",
                two_layer_variant(derivative="o"),
            ),
            Mistake(
                "Missing 1/M: J = 1/M Σ loss is a mean over the batch, so "
                "∂J/∂ŷ = 2 (ŷ − y) / (M·k), with M the batch size and k the number of outputs.",
                two_layer_variant(scale=lambda y: y.shape[1]),
            ),
            Mistake(
                "Missing 1/k: you divided by the batch size M only, but the MSE also averages "
                "over the k outputs: ∂J/∂ŷ = 2 (ŷ − y) / (M·k), i.e. divide by y.size.",
                two_layer_variant(scale=lambda y: y.shape[0]),
            ),
            Mistake(
                "Forgot the factor 2: the derivative of (ŷ − y)² is 2 (ŷ − y), so "
                "∂J/∂ŷ = 2 (ŷ − y) / (M·k).",
                two_layer_variant(scale=lambda y: 2 * y.size),
            ),
            Mistake(
                "Wrong sign: ∂J/∂ŷ = 2 (ŷ − y) / (M·k) — prediction minus target. "
                "With (y − ŷ) every step would go uphill.",
                two_layer_variant(sign=-1.0),
            ),
            Mistake(
                "Transposed matrices: ∂J/∂M must have the shape of M, (n_out, n_in), so "
                "dM = grad.T @ input, not input.T @ grad.",
                two_layer_variant(transpose=True),
            ),
            Mistake(
                "You forgot to sum db over the batch: ∂J/∂b = grad.sum(axis=0) has the shape of b.",
                two_layer_variant(sum_db=False),
            ),
        ],
    )
)
