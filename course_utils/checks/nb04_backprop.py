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
    (np.array([[1.0, -2.0, 3.0, 0.5]]), np.array([[0.0, 0.0, -1.0, 2.0]])),  # ReLU'(0) = 0
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


def two_layer_variant(scale=None, sign=1.0, derivative="z", transpose=False, sum_db=True):
    """A wrong version of two_layer_gradients, for the checks' typical mistakes."""

    def gradients(x, y, M1, b1, M_out, b_out):
        z1, o1, y_hat = two_layer_forward(x, M1, b1, M_out, b_out)
        d_yhat = sign * 2 * (y_hat - y) / (y.size if scale is None else scale(y))
        d_o1 = d_yhat @ M_out
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
        where="course_utils.checks.nb04_backprop.two_layer_gradients",
        cases=[network(7, 4, n_in=2, n_hidden=3, k=3), network(3, 5), network(4, 8, k=1)],
        outputs=("dM1", "db1", "dM2", "db2"),
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

# --- softmax_ce_backward -------------------------------------------------------------------


def softmax_ce_backward(logits, y):
    """∂J/∂ŷ of J = 1/M Σ_i −log p[i, y_i] with p = softmax(ŷ): (p − one_hot(y)) / M.

    logits: ŷ (M, C); y: (M,) class indices 0 … C−1. Returns an array (M, C).
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def softmax_of(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)


def one_hot_of(y, classes):
    return np.eye(classes)[y]


SOFTMAX_CE_CASES = [
    (np.log(np.array([[0.5, 0.3, 0.2]])), np.array([1])),  # the pen-and-paper example
    (np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-2.0, 3.0, 1.0], [1.0, 1.0, 4.0]]),
     np.array([0, 2, 1, 1])),
    (np.array([[1000.0, 0.0], [-5.0, 995.0]]), np.array([1, 1])),  # huge logits
    (np.array([[1000.0, 998.0], [-1000.0, -999.0]]), np.array([0, 1])),  # rows far apart
]  # fmt: skip

register(
    Exercise(
        name="softmax_ce_backward",
        reference=softmax_ce_backward,
        where="course_utils.checks.nb04_backprop.softmax_ce_backward "
        "(as a loss: course_utils.losses.CrossEntropyLoss.backward)",
        cases=SOFTMAX_CE_CASES,
        unstable="np.exp of a logit of 1000 overflows: subtract each row's maximum before "
        "np.exp, as in notebook 03's softmax.",
        mistakes=[
            Mistake(
                "Missing 1/M: J = 1/M Σ loss is a mean over the batch, so ∂J/∂ŷ = (p − y) / M.",
                lambda logits, y: softmax_of(logits) - one_hot_of(y, logits.shape[1]),
            ),
            Mistake(
                "Wrong sign: ∂J/∂ŷ = (p − y) / M, probability minus target. With (y − p) "
                "gradient descent would lower the right class's score.",
                lambda logits, y: (one_hot_of(y, logits.shape[1]) - softmax_of(logits)) / len(y),
            ),
            Mistake(
                "You subtracted y from the logits ŷ: the formula needs the probabilities "
                "p = softmax(ŷ), ∂J/∂ŷ = (p − y) / M.",
                lambda logits, y: (logits - one_hot_of(y, logits.shape[1])) / len(y),
            ),
            Mistake(
                "You subtracted 1 from every entry: y is one-hot, so subtract 1 only at the "
                "right class of each row, p[i, y_i] − 1; the other entries stay p.",
                lambda logits, y: (softmax_of(logits) - 1) / len(y),
            ),
            Mistake(
                "Your softmax runs over the batch (axis=0): every ROW is one example, so take "
                "the max and the sum over the classes, axis=1 with keepdims=True.",
                lambda logits, y: (
                    (
                        np.exp(logits - logits.max(axis=0))
                        / np.exp(logits - logits.max(axis=0)).sum(axis=0)
                        - one_hot_of(y, logits.shape[1])
                    )
                    / len(y)
                ),
            ),
            Mistake(
                "You divided by M·C: the cross-entropy sums over the classes (it does not "
                "average them), so only the batch mean's 1/M remains: (p − y) / M.",
                lambda logits, y: (
                    (softmax_of(logits) - one_hot_of(y, logits.shape[1])) / logits.size
                ),
            ),
        ],
    )
)

# --- network_backward ----------------------------------------------------------------------


def network_backward(x, y, Ms, bs):
    """Backpropagation through a whole ReLU network with the softmax cross-entropy cost.

    The network: o_0 = x, o_l = ReLU(o_(l−1) M_lᵀ + b_l) for the hidden layers, and the
    output ŷ = o_N M_outᵀ + b_out; J = 1/M Σ_i −log softmax(ŷ_i)[y_i].
    x (batch, n_in); y (batch,) class indices; Ms, bs: lists of matrices (n_out, n_in) and
    biases (n_out,), first layer first, the output layer last.
    Returns (dMs, dbs): lists of ∂J/∂M and ∂J/∂b in the same order and shapes as Ms, bs.
    """
    os, zs = [x], []  # forward, keeping what the backward pass needs
    for M, b in zip(Ms[:-1], bs[:-1]):
        zs.append(os[-1] @ M.T + b)
        os.append(np.maximum(zs[-1], 0))
    y_hat = os[-1] @ Ms[-1].T + bs[-1]
    grad = softmax_ce_backward(y_hat, y)  # ∂J/∂ŷ = (p − y) / M
    dMs, dbs = [None] * len(Ms), [None] * len(bs)
    for layer in reversed(range(len(Ms))):
        dMs[layer] = grad.T @ os[layer]
        dbs[layer] = grad.sum(axis=0)
        if layer > 0:  # back through M, then through the ReLU below it
            grad = (grad @ Ms[layer]) * (zs[layer - 1] > 0)
    return dMs, dbs


def network_variant(mask=True, scale=True, sign=1.0, mask_output=False, order=1,
                    transpose=False, sum_db=True, inputs="o"):  # fmt: skip
    """A wrong version of network_backward, for the checks' typical mistakes."""

    def backward(x, y, Ms, bs):
        os, zs = [x], []
        for M, b in zip(Ms[:-1], bs[:-1]):
            zs.append(os[-1] @ M.T + b)
            os.append(np.maximum(zs[-1], 0))
        y_hat = os[-1] @ Ms[-1].T + bs[-1]
        grad = sign * (softmax_of(y_hat) - one_hot_of(y, y_hat.shape[1]))
        grad = grad / len(y) if scale else grad
        if mask_output:
            grad = grad * (y_hat > 0)
        dMs, dbs = [], []
        ins = os if inputs == "o" else [x] + zs
        for layer in reversed(range(len(Ms))):
            dMs.append(ins[layer].T @ grad if transpose else grad.T @ ins[layer])
            dbs.append(grad.sum(axis=0) if sum_db else grad)
            if layer > 0:
                grad = grad @ Ms[layer]
                grad = grad * (zs[layer - 1] > 0) if mask else grad
        return dMs[::-order], dbs[::-order]

    return backward


def network_case(seed, sizes, n_batch):
    rng = np.random.default_rng(seed)
    Ms = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(size=n_out) * 0.5 for n_out in sizes[1:]]
    return rng.normal(size=(n_batch, sizes[0])), rng.integers(0, sizes[-1], n_batch), Ms, bs


register(
    Exercise(
        name="network_backward",
        reference=network_backward,
        where="course_utils.checks.nb04_backprop.network_backward "
        "(as layers: course_utils.layers.Sequential.backward)",
        cases=[network_case(5, [3, 4, 3], 6), network_case(6, [2, 5, 4, 3], 7)],
        mistakes=[
            Mistake(
                "The ReLU is missing on the way back: after grad @ M, multiply by ReLU'(z) "
                "of the layer below, (z > 0), before you use grad for that layer.",
                network_variant(mask=False),
            ),
            Mistake(
                "Missing 1/M: the backward pass starts at ∂J/∂ŷ = (p − y) / M, with M the "
                "batch size.",
                network_variant(scale=False),
            ),
            Mistake(
                "Wrong sign: ∂J/∂ŷ = (p − y) / M, probability minus target.",
                network_variant(sign=-1.0),
            ),
            Mistake(
                "You applied ReLU' to the output layer too: ŷ = M_out·o_N + b_out has no φ, "
                "so ∂J/∂ŷ = (p − y) / M goes straight into the output layer's gradients.",
                network_variant(mask_output=True),
            ),
            Mistake(
                "The gradients are in reverse order (output layer first): return dMs and dbs "
                "first layer first, in the order of Ms and bs.",
                network_variant(order=-1),
            ),
            Mistake(
                "Transposed matrices: ∂J/∂M must have the shape of M, (n_out, n_in), so "
                "dM = grad.T @ o (the layer's input), not o.T @ grad.",
                network_variant(transpose=True),
            ),
            Mistake(
                "You forgot to sum db over the batch: ∂J/∂b = grad.sum(axis=0) has the shape of b.",
                network_variant(sum_db=False),
            ),
            Mistake(
                "∂J/∂M = Gᵀ · (the layer's input), and a hidden layer's input is the previous "
                "layer's output o = ReLU(z), not z: keep the o's in the forward pass.",
                network_variant(inputs="z"),
            ),
        ],
    )
)

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


def backward_variant(mean_db_out=False, transposed_M2=False, scale=True):
    """The backward pass of the sigmoid network, with or without the two planted bugs."""

    def backward(x, y, M1, b1, M2, b2, M_out, b_out):
        o1, o2, y_hat = sigmoid_network_forward(x, M1, b1, M2, b2, M_out, b_out)
        d_yhat = softmax_of(y_hat) - one_hot_of(y, y_hat.shape[1])
        d_yhat = d_yhat / len(y) if scale else d_yhat
        dM_out = d_yhat.T @ o2
        db_out = d_yhat.mean(axis=0) if mean_db_out else d_yhat.sum(axis=0)
        d_z2 = (d_yhat @ M_out) * o2 * (1 - o2)
        dM2 = d_z2.T @ o1
        db2 = d_z2.sum(axis=0)
        d_z1 = (d_z2 @ (M2.T if transposed_M2 else M2)) * o1 * (1 - o1)
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
        where="course_utils.checks.nb04_backprop.fixed_backward",
        cases=[sigmoid_network_case(8, 5), sigmoid_network_case(9, 7, n_in=2, classes=2)],
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
                "Now the 1/M is missing everywhere: d_yhat = (p − y) / M must keep its 1/M, and "
                "the biases sum over the batch.",
                backward_variant(scale=False),
            ),
        ],
    )
)

# --- he_init -------------------------------------------------------------------------------


def he_init(n_in, n_out, rng):
    """He initialisation: a weight matrix (n_out, n_in) drawn from a normal distribution with
    mean 0 and standard deviation sqrt(2 / n_in), using the generator rng."""
    return rng.normal(0.0, np.sqrt(2 / n_in), size=(n_out, n_in))


register(
    Exercise(
        name="he_init",
        reference=he_init,
        where="course_utils.checks.nb04_backprop.he_init "
        "(in the library: course_utils.layers.Linear(init='he'))",
        cases=[
            (3, 4, np.random.default_rng(0)),
            (50, 20, np.random.default_rng(1)),
            (8, 8, np.random.default_rng(2)),
        ],
        mistakes=[
            Mistake(
                "That is Xavier's sqrt(1 / n_in), the choice for sigmoid and tanh. ReLU switches "
                "off half of its inputs, so He doubles the variance: sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(1 / n_in), size=(n_out, n_in)),
            ),
            Mistake(
                "2 / n_in is the variance; the standard deviation (what rng.normal's scale "
                "means) is its square root, sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, 2 / n_in, size=(n_out, n_in)),
            ),
            Mistake(
                "Uniform instead of normal: draw the weights with rng.normal(0, std, size), "
                "std = sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.uniform(
                    -np.sqrt(2 / n_in), np.sqrt(2 / n_in), size=(n_out, n_in)
                ),
            ),
            Mistake(
                "You made a new generator inside the function: draw from the rng you are given, "
                "so that the caller's seed decides the weights.",
                lambda n_in, n_out, rng: np.random.default_rng(0).normal(
                    0.0, np.sqrt(2 / n_in), size=(n_out, n_in)
                ),
            ),
            Mistake(
                "The scale depends on the number of INPUTS of the layer, n_in (each neuron sums "
                "n_in terms), not on n_out: sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / n_out), size=(n_out, n_in)),
            ),
            Mistake(
                "The shape is transposed: a layer's matrix has one row per neuron, (n_out, n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_out)),
            ),
        ],
    )
)
