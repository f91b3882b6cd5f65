"""Exercises of notebook 04: the backward pass of a whole network, from the cost down.

softmax_ce_backward   where the backward pass starts: ∂J/∂ŷ of softmax + cross-entropy
network_backward      every layer's ∂J/∂M and ∂J/∂b of a ReLU network, output layer first

Registered for notebook 04 (imported by nb04_backprop.py, in the notebook's order).
"""

import numpy as np

from . import Exercise, Mistake, register
from .hints import network_depth

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


def columns_of_y(logits, y):
    p = softmax_of(logits)
    p[:, y] -= 1  # every row, in every column that some y names
    return p / len(y)


SOFTMAX_CE_CASES = [
    (np.log(np.array([[0.5, 0.3, 0.2]])), np.array([1])),  # the pen-and-paper example
    (np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-2.0, 3.0, 1.0], [1.0, 1.0, 4.0]]),
     np.array([0, 2, 1, 1])),
    (np.array([[1000.0, 0.0], [-5.0, 995.0]]), np.array([1, 1])),  # huge logits
    (np.array([[1000.0, 998.0], [-1000.0, -999.0]]), np.array([0, 1])),  # rows far apart
    (np.array([[1000.0, 0.0, 0.0, 0.0], [-3.0, 0.0, 1.0, 2.0]]), np.array([1, 3])),  # >> mean
]  # fmt: skip

register(
    Exercise(
        name="softmax_ce_backward",
        reference=softmax_ce_backward,
        quantity="derivative",
        notebook="nb04_backprop",
        where="course_utils.checks.nb04_backprop.softmax_ce_backward "
        "(as a loss: course_utils.losses.CrossEntropyLoss.backward)",
        cases=SOFTMAX_CE_CASES,
        sizes=lambda logits, y: {
            "M (the batch size)": len(logits),
            "C (the number of classes)": logits.shape[1],
        },
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
                "p[:, y] -= 1 subtracts 1 in the columns y of EVERY row (all the classes that "
                "occur in the batch): subtract 1 only at the right class of each row, "
                "p[np.arange(M), y] -= 1.",
                columns_of_y,
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
                    transpose=False, sum_db=True, inputs="o", relu_output=False,
                    one_hot=True, at_zero=0.0):  # fmt: skip
    """A wrong version of network_backward, for the checks' typical mistakes."""

    def backward(x, y, Ms, bs):
        os, zs = [x], []
        for M, b in zip(Ms[:-1], bs[:-1]):
            zs.append(os[-1] @ M.T + b)
            os.append(np.maximum(zs[-1], 0))
        z_out = os[-1] @ Ms[-1].T + bs[-1]
        y_hat = np.maximum(z_out, 0) if relu_output else z_out
        grad = sign * (softmax_of(y_hat) - one_hot * one_hot_of(y, y_hat.shape[1]))
        grad = grad / len(y) if scale else grad
        if mask_output or relu_output:
            grad = grad * (z_out > 0)
        dMs, dbs = [], []
        ins = {"o": os, "z": [x] + zs, "output": os[1:] + [y_hat]}[inputs]
        for layer in reversed(range(len(Ms))):
            dMs.append(ins[layer].T @ grad if transpose else grad.T @ ins[layer])
            dbs.append(grad.sum(axis=0) if sum_db else grad)
            if layer > 0:
                grad = grad @ Ms[layer]
                slope = (zs[layer - 1] > 0) + at_zero * (zs[layer - 1] == 0)  # ReLU'(z)
                grad = grad * slope if mask else grad
        return dMs[::-order], dbs[::-order]

    return backward


def network_case(seed, sizes, n_batch):
    rng = np.random.default_rng(seed)
    Ms = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(size=n_out) * 0.5 for n_out in sizes[1:]]
    return rng.normal(size=(n_batch, sizes[0])), rng.integers(0, sizes[-1], n_batch), Ms, bs


def fresh_network_case():
    """What training meets and random inputs never do: biases that start at 0 (so a blank
    input row gives z = 0 exactly, where ReLU' = 0) and logits in the hundreds (a softmax
    without its max shift overflows)."""
    x, y, Ms, bs = network_case(3, [3, 4, 3], 6)
    x[0] = 0.0  # a blank example
    bs[0][:] = 0.0
    Ms[-1] = Ms[-1] * 1000
    return x, y, Ms, bs


register(
    Exercise(
        name="network_backward",
        reference=network_backward,
        quantity="derivative",
        notebook="nb04_backprop",
        where="course_utils.checks.nb04_backprop.network_backward "
        "(as layers: course_utils.layers.Sequential.backward)",
        # shallow first; logits of both signs, so that a ReLU on them shows
        cases=[
            network_case(8, [3, 4, 3], 6),
            network_case(6, [2, 5, 4, 3], 7),
            fresh_network_case(),
            network_case(5, [3, 4], 5),  # no hidden layer at all, as MLP([784, 10])
        ],
        unstable="Large logits overflow np.exp: compute p with the stable softmax (subtract each "
        "row's largest logit first, as in your softmax_ce_backward).",
        outputs=("dMs", "dbs"),
        label=lambda x, y, Ms, bs: network_depth(Ms),
        first_pass="only the output layer's gradients are computed",
        mistakes=[
            Mistake(
                "The ReLU is missing on the way back: after grad @ M, multiply by ReLU'(z) "
                "of the layer below, (z > 0), before you use grad for that layer.",
                network_variant(mask=False),
            ),
            Mistake(
                "ReLU'(0) is 0 in this course (as in PyTorch): the mask is (z > 0), not "
                "(z >= 0). It matters in practice: biases start at 0, so a blank input row "
                "gives z = 0 exactly.",
                network_variant(at_zero=1.0),
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
                "ReLU is applied to the output logits: ŷ = o_N·M_outᵀ + b_out has no φ, in the "
                "forward pass and on the way back; softmax takes the raw logits, and "
                "∂J/∂ŷ = (p − y) / M goes straight into the output layer's gradients.",
                network_variant(relu_output=True),
            ),
            Mistake(
                "You forgot to subtract y: ∂J/∂ŷ = (p − one_hot(y)) / M, so subtract 1 at the "
                "right class of each row (p[np.arange(M), y] − 1) before dividing by M.",
                network_variant(one_hot=False),
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
            Mistake(
                "∂J/∂M = Gᵀ · (the layer's INPUT), not its output: for the first layer that is "
                "x, for the next ones the previous layer's o, and for the output layer o_N "
                "(not ŷ). Then dM has the shape of M, (n_out, n_in).",
                network_variant(inputs="output"),
            ),
        ],
    )
)
