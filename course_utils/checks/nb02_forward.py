"""Exercises of notebook 02 (the forward pass): a dense layer, a whole MLP, counting parameters."""

import numpy as np

from ..activations import relu, sigmoid, tanh
from . import Exercise, Mistake, register
from .hints import network_depth


def dense_forward(x, M, b):
    """One dense layer, batch-first: x (batch, n_in), M (n_out, n_in), b (n_out,) -> x @ M.T + b.

    Row i of the result is the slides' M·x_i + b. (course_utils.layers.Linear.forward does this.)
    """
    return x @ M.T + b


def mlp_forward(x, Ms, bs, phi):
    """ŷ for a batch x (batch, n_in): o = φ(o @ M.T + b) for every hidden layer, then
    ŷ = o_N @ M_out.T + b_out with no φ. Ms, bs: the matrices and biases, first layer first."""
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = phi(o @ M.T + b)
    return o @ Ms[-1].T + bs[-1]


def count_parameters(sizes):
    """Weights and biases of an MLP with these layer sizes, e.g. [784, 128, 10] -> 101,770."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


# --- dense_forward ---------------------------------------------------------------------------

X_SQUARE = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
M_SQUARE = np.array([[1.0, -2.0], [0.5, 3.0]])  # not symmetric: M.T and M differ
B_SQUARE = np.array([0.5, -1.0])
X_WIDE = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]])
M_WIDE = np.array([[0.2, -1.0, 0.5], [1.5, 0.0, -0.3], [-0.7, 0.4, 1.0], [0.0, 2.0, -1.0]])
B_WIDE = np.array([0.1, -0.2, 0.3, -2.0])
X_SINGLE = np.array([[0.5, -1.0, 2.0]])  # a batch of one example

register(
    Exercise(
        name="dense_forward",
        reference=dense_forward,
        where="course_utils.checks.nb02_forward.dense_forward (what course_utils.layers."
        "Linear.forward computes)",
        cases=[
            (X_SQUARE, M_SQUARE, B_SQUARE),
            (X_WIDE, M_WIDE, B_WIDE),
            (X_SINGLE, M_WIDE, B_WIDE),
        ],
        mistakes=[
            Mistake("Forgot the bias: the layer computes x @ M.T + b.", lambda x, M, b: x @ M.T),
            Mistake(
                "M is not transposed: with one example per row of x, the slides' M·x "
                "becomes x @ M.T (row i is M·x_i), not x @ M.",
                lambda x, M, b: x @ M + b,
            ),
            Mistake(
                "You applied ReLU: a dense layer is only x @ M.T + b; φ comes afterwards, "
                "as a separate step.",
                lambda x, M, b: relu(x @ M.T + b),
            ),
            Mistake(
                "You applied the sigmoid: a dense layer is only x @ M.T + b; φ comes "
                "afterwards, as a separate step.",
                lambda x, M, b: sigmoid(x @ M.T + b),
            ),
            Mistake(
                "The bias was added before multiplying, (x + b) @ M.T: add it after, x @ M.T + b.",
                lambda x, M, b: (x + b) @ M.T,
            ),
        ],
    )
)


# --- mlp_forward -----------------------------------------------------------------------------

rng = np.random.default_rng(2)
X_MLP = np.round(rng.normal(size=(4, 3)), 2)
MS_MLP = [np.round(rng.normal(size=shape), 2) for shape in [(5, 3), (4, 5), (2, 4)]]
BS_MLP = [np.round(rng.normal(size=n), 2) for n in (5, 4, 2)]
MS_ONE = [np.array([[1.0, -1.0], [2.0, 0.5], [-1.0, 1.0]]), np.array([[1.0, -2.0, 0.5]])]
BS_ONE = [np.array([0.0, -1.0, 0.5]), np.array([0.2])]
X_ONE = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -2.0]])
MS_OUT_ONLY = [np.array([[1.0, -1.0], [0.5, 2.0]])]  # no hidden layer: ŷ = x @ M.T + b, no φ
BS_OUT_ONLY = [np.array([0.1, -3.0])]


def last_hidden_layer(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = phi(o @ M.T + b)
    return o


def bias_after_phi(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = phi(o @ M.T) + b
    return o @ Ms[-1].T + bs[-1]


def phi_before_layer(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms, bs):
        o = phi(o) @ M.T + b
    return o


register(
    Exercise(
        name="mlp_forward",
        reference=mlp_forward,
        where="course_utils.checks.nb02_forward.mlp_forward (what course_utils.layers.MLP "
        "computes)",
        cases=[  # shallow to deep: an answer that fits one depth only is told so
            (X_ONE, MS_ONE, BS_ONE, tanh),
            (X_ONE[:1], MS_ONE, BS_ONE, sigmoid),
            (X_MLP, MS_MLP, BS_MLP, relu),
            (X_ONE, MS_OUT_ONLY, BS_OUT_ONLY, relu),
        ],
        label=lambda x, Ms, bs, phi: network_depth(Ms),
        first_pass="only the first hidden layer is computed",
        mistakes=[
            Mistake(
                "φ was applied to the output layer too: ŷ = M_out·o_N + b_out has no φ.",
                lambda x, Ms, bs, phi: phi(mlp_forward(x, Ms, bs, phi)),
            ),
            Mistake(
                "φ is missing in the hidden layers: o1 = φ(M1·x + b1); without φ the "
                "network is just one big linear map.",
                lambda x, Ms, bs, phi: mlp_forward(x, Ms, bs, lambda z: z),
            ),
            Mistake(
                "You returned the last hidden layer o_N: the output layer ŷ = M_out·o_N "
                "+ b_out is still missing.",
                lambda x, Ms, bs, phi: last_hidden_layer(x, Ms, bs, phi),
            ),
            Mistake(
                "φ was applied before each layer, φ(o) @ M.T + b: apply it after, "
                "o = φ(o @ M.T + b), and never to the input x.",
                phi_before_layer,
            ),
            Mistake(
                "Only the first two layers are used: loop over all the layers in Ms and bs "
                "(for M, b in zip(Ms[:-1], bs[:-1]), then the output layer Ms[-1], bs[-1]).",
                lambda x, Ms, bs, phi: phi(x @ Ms[0].T + bs[0]) @ Ms[1].T + bs[1],
            ),
            Mistake(
                "The bias is added after φ, φ(o @ M.T) + b: it belongs inside, "
                "o = φ(o @ M.T + b), so that it shifts where each neuron switches on.",
                lambda x, Ms, bs, phi: bias_after_phi(x, Ms, bs, phi),
            ),
            Mistake(
                "You used ReLU instead of the φ passed in: call phi(z).",
                lambda x, Ms, bs, phi: mlp_forward(x, Ms, bs, relu),
            ),
        ],
    )
)


# --- count_parameters ------------------------------------------------------------------------


def count_slips(got, expected, context):
    """Name a count built from all the sizes at once instead of consecutive pairs."""
    sizes = [int(n) for n in context.args[0]]
    product = int(np.prod(sizes))
    pairs = (
        "each layer joins two NEIGHBOURING sizes, n_in·n_out weights + n_out biases for every "
        "pair in zip(sizes[:-1], sizes[1:])"
    )
    formulas = {
        "product": (product, f"the product of ALL the sizes, but {pairs}"),
        "product + biases": (
            product + sum(sizes[1:]),
            f"the product of ALL the sizes plus the "
            f"biases, but the weights are counted per layer: {pairs}",
        ),
        "all pairs": (
            sum(a * b for i, a in enumerate(sizes) for b in sizes[i + 1 :]) + sum(sizes[1:]),
            f"counted for every pair of sizes, also sizes that are not neighbours, but {pairs}",
        ),
    }
    value = float(np.asarray(got, dtype=float))
    return {
        (key,): f"Your count is {text}."
        for key, (count, text) in formulas.items()
        if value == count and count != int(expected)
    }


register(
    Exercise(
        name="count_parameters",
        reference=count_parameters,
        where="course_utils.checks.nb02_forward.count_parameters (compare "
        "course_utils.MLP(sizes).num_parameters())",
        cases=[([3, 4, 2],), ([784, 128, 10],), ([2, 3, 3, 1],), ([5, 1],), ([1, 1],)],
        diagnosis=count_slips,
        first_pass="only the first layer is counted",
        mistakes=[
            Mistake(
                "Forgot the biases: each layer has n_in·n_out weights plus n_out biases.",
                lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:])),
            ),
            Mistake(
                "You counted the neurons (nodes), not the parameters: each layer has "
                "n_in·n_out weights plus n_out biases.",
                lambda sizes: sum(sizes),
            ),
            Mistake(
                "One bias per input: biases belong to the output neurons of a layer, so it "
                "has n_in·n_out + n_out parameters, not n_in·n_out + n_in.",
                lambda sizes: sum(a * (b + 1) for a, b in zip(sizes[:-1], sizes[1:])),
            ),
            Mistake(
                "(n_in + 1)·(n_out + 1) per layer counts a bias for every input too, and one "
                "more: a layer has n_in·n_out weights plus n_out biases, (n_in + 1)·n_out.",
                lambda sizes: sum((a + 1) * (b + 1) for a, b in zip(sizes[:-1], sizes[1:])),
            ),
            Mistake(
                "The last layer is missing: an MLP with sizes [n0, n1, …, nL] has "
                "len(sizes) − 1 layers, the output layer included.",
                lambda sizes: sum(a * b + b for a, b in zip(sizes[:-2], sizes[1:-1])),
            ),
            Mistake(
                "Biases were counted for the input too: the input layer has no weights "
                "or biases, only the len(sizes) − 1 layers after it.",
                lambda sizes: count_parameters(sizes) + sizes[0],
            ),
        ],
    )
)
