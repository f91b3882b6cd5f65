"""Exercises of notebook 04 (backpropagation), in the notebook's order.

relu_backward         an activation's backward: ∂J/∂z = ∂J/∂o · ReLU'(z)
linear_backward       a dense layer's backward: dx, dM, db for a batch
two_layer_gradients   the chain rule through a two-layer tanh network with the MSE cost
softmax_ce_backward   the start of the backward pass (in backprop_network.py)
network_backward      a whole ReLU network's backward (in backprop_network.py)
fixed_backward        the gradient check finds two planted bugs (in backprop_gradcheck.py)
he_init               He initialisation (in backprop_init.py)

The references are written out with plain NumPy so a learner can read them next to their
own answer; the same computations, as layer methods, are course_utils.activations.ReLU.backward
and course_utils.layers.Linear.backward. The notebook imports this module as `reference`,
so the later exercises' references are importable from here too.
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
    (np.array([[1.0, -2.0, 3.0, 0.5]]), np.array([[0.0, 0.0, -1.0, 2.0]])),  # ReLU'(0) = 0
    # a tiny positive z still passes the gradient (ReLU' = 1), however small ReLU(z) is
    (np.array([[2e6, 3e6, -4.0, 1.0]]), np.array([[1e-12, 3.0, -1e-12, 0.0]])),
]

register(
    Exercise(
        name="relu_backward",
        reference=relu_backward,
        quantity="derivative",
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
            Mistake(
                "The mask is inverted: grad * (z < 0) passes the gradient where z < 0, where "
                "ReLU is flat. ReLU'(z) is 1 where z > 0: grad * (z > 0).",
                lambda grad, z: grad * (z < 0),
            ),
            Mistake(
                "You returned ReLU(z), the forward pass: the backward pass multiplies the "
                "incoming gradient by the derivative, grad * (z > 0).",
                lambda grad, z: relu(z),
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
    batch(np.random.default_rng(3), 1, 4, 2),  # a batch of one example
]

register(
    Exercise(
        name="linear_backward",
        reference=linear_backward,
        quantity="derivative",
        where="course_utils.checks.nb04_backprop.linear_backward "
        "(as a layer: course_utils.layers.Linear.backward)",
        cases=LINEAR_CASES,
        outputs=("dx", "dM", "db"),
        sizes=lambda grad, x, M: {"the batch size": len(x)},
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


def two_layer_forward(x, M1, b1, M_out, b_out):
    """z1 = x M1ᵀ + b1, o1 = tanh(z1), ŷ = o1 M_outᵀ + b_out. Returns (z1, o1, y_hat)."""
    z1 = x @ M1.T + b1
    o1 = np.tanh(z1)
    return z1, o1, o1 @ M_out.T + b_out


def two_layer_cost(x, y, M1, b1, M_out, b_out):
    """J = 1/M Σ_i 1/k Σ_j (ŷ_ij − y_ij)²: the MSE cost of the two-layer tanh network."""
    return float(np.mean((two_layer_forward(x, M1, b1, M_out, b_out)[2] - y) ** 2))


def two_layer_gradients(x, y, M1, b1, M_out, b_out):
    """Backpropagation through o1 = tanh(M1·x + b1), ŷ = M_out·o1 + b_out with the MSE cost.

    x (batch, n_in), y (batch, k); M1 (n_hidden, n_in), b1 (n_hidden,),
    M_out (k, n_hidden), b_out (k,). Returns (dM1, db1, dM_out, db_out), each of the shape
    of its parameter.
    """
    z1, o1, y_hat = two_layer_forward(x, M1, b1, M_out, b_out)
    d_yhat = 2 * (y_hat - y) / y.size  # y.size = M·k
    dM_out = d_yhat.T @ o1
    db_out = d_yhat.sum(axis=0)
    d_o1 = d_yhat @ M_out
    d_z1 = d_o1 * tanh_prime(z1)
    dM1 = d_z1.T @ x
    db1 = d_z1.sum(axis=0)
    return dM1, db1, dM_out, db_out


def two_layer_variant(scale=None, sign=1.0, derivative="z", transpose=False, sum_db=True,
                      back_through="M_out"):  # fmt: skip
    """A wrong version of two_layer_gradients, for the checks' typical mistakes."""

    def gradients(x, y, M1, b1, M_out, b_out):
        z1, o1, y_hat = two_layer_forward(x, M1, b1, M_out, b_out)
        d_yhat = sign * 2 * (y_hat - y) / (y.size if scale is None else scale(y))
        d_o1 = d_yhat @ (M_out.T if back_through == "M_out.T" else M_out)
        phi_prime = {
            "z": tanh_prime(z1),
            "o": tanh_prime(o1),
            "none": 1.0,
            "z2": 1 - z1**2,
            "sigmoid": o1 * (1 - o1),
            "brackets": (1 - o1) ** 2,
        }[derivative]
        d_z1 = d_o1 * phi_prime
        dM1 = x.T @ d_z1 if transpose else d_z1.T @ x
        dM_out = o1.T @ d_yhat if transpose else d_yhat.T @ o1
        if sum_db:
            return dM1, d_z1.sum(axis=0), dM_out, d_yhat.sum(axis=0)
        return dM1, d_z1, dM_out, d_yhat

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
        quantity="derivative",
        where="course_utils.checks.nb04_backprop.two_layer_gradients",
        cases=[network(7, 4, n_in=2, n_hidden=3, k=3), network(3, 5), network(4, 8, k=1)],
        outputs=("dM1", "db1", "dM_out", "db_out"),
        sizes=lambda x, y, M1, b1, M2, b2: {"M": len(x), "k": y.shape[1], "M·k": y.size},
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
                "The way back into the hidden layer goes through M_out.T: the forward pass "
                "computed o1 @ M_out.T, so ∂J/∂o1 = d_yhat @ M_out, without .T (dM_out and "
                "db_out are right; only the hidden layer's dM1 and db1 are wrong).",
                two_layer_variant(back_through="M_out.T"),
            ),
            Mistake(
                "You used 1 − z1² as the derivative: tanh'(z) = 1 − tanh(z)², so multiply by "
                "1 − tanh(z1)² = 1 − o1².",
                two_layer_variant(derivative="z2"),
            ),
            Mistake(
                "o1 (1 − o1) is the SIGMOID's derivative; this layer uses tanh, whose "
                "derivative is 1 − tanh(z1)² = 1 − o1².",
                two_layer_variant(derivative="sigmoid"),
            ),
            Mistake(
                "Brackets: (1 − tanh(z1))² squares the difference; tanh' is 1 − tanh(z1)², "
                "i.e. 1 - np.tanh(z1) ** 2 (the power binds before the minus).",
                two_layer_variant(derivative="brackets"),
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

# The notebook's later exercises live in their own modules; importing them here registers
# them after the three above, in the notebook's order, and makes their names available as
# course_utils.checks.nb04_backprop.<name> (the notebook and its saved outputs use these).
# isort: split
from .backprop_network import (  # noqa: E402, F401
    SOFTMAX_CE_CASES,
    network_backward,
    network_case,
    softmax_ce_backward,
)

# isort: split
from .backprop_gradcheck import (  # noqa: E402, F401
    buggy_backward,
    fixed_backward,
    sigmoid_network_case,
    sigmoid_network_cost,
)

# isort: split
from .backprop_init import he_init  # noqa: E402, F401
