"""Wrong answers to the exercises of notebook 04 (backpropagation, gradient check, He).

The format of WRONG_ANSWERS is described in tests/wrong_answers.py.
"""

import math

import numpy as np
import pytest
from wrong_answers import cases, ce_start, check_answer, softmax_rows

from course_utils.activations import relu

# ---------------------------------------------------------------- answers that need statements


def relu_backward_in_place(grad, z):
    grad[z <= 0] = 0
    return grad


def two_layer(x, y, M1, b1, M2, b2, derivative=None, scale=None, skip_db1=False, back=None):
    z1 = x @ M1.T + b1
    o1 = np.tanh(z1)
    y_hat = o1 @ M2.T + b2
    d_yhat = 2 * (y_hat - y) / (y.size if scale is None else scale(y))
    dM2, db2 = d_yhat.T @ o1, d_yhat.sum(axis=0)
    d_o1 = d_yhat @ M2 if back is None else back(d_yhat, M2)
    d_z1 = d_o1 * (1 - o1**2 if derivative is None else derivative(z1, o1))
    if skip_db1:
        return d_z1.T @ x, dM2, db2
    return d_z1.T @ x, d_z1.sum(axis=0), dM2, db2


def ce_backward_naive(logits, y):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_backward_in_place(logits, y):
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_backward_global_max(logits, y):
    e = np.exp(logits - logits.max())
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_backward_axis0(logits, y):
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_backward_columns(logits, y):
    p = softmax_rows(logits)
    p[:, y] -= 1
    return p / len(y)


def ce_backward_minus_two(logits, y):
    p = softmax_rows(logits)
    p[np.arange(len(y)), y] -= 2
    return p / len(y)


def ce_backward_over_classes(logits, y):
    p = softmax_rows(logits)
    p[np.arange(len(y)), y] -= 1
    return p / logits.shape[1]  # C where M belongs


def linear_backward_first_example(grad, x, M):
    dM = grad[0:1].T @ x[0:1]  # one example's part of the sum
    return grad @ M, dM, grad.sum(axis=0)


def relu_network(x, Ms, bs):
    os, zs = [x], []
    for M, b in zip(Ms[:-1], bs[:-1]):
        zs.append(os[-1] @ M.T + b)
        os.append(np.maximum(zs[-1], 0))
    return os, zs, os[-1] @ Ms[-1].T + bs[-1]


def network_backward_with(x, y, Ms, bs, scale=True, sign=1.0, mask=True, inputs="o",
                          transpose=False, at_zero=False):  # fmt: skip
    os, zs, y_hat = relu_network(x, Ms, bs)
    G = ce_start(y_hat, y, scale, sign)
    layer_inputs = {"o": os, "z": [x] + zs, "output": os[1:] + [y_hat]}[inputs]
    dMs, dbs = [None] * len(Ms), [None] * len(bs)
    for layer in reversed(range(len(Ms))):
        dMs[layer] = layer_inputs[layer].T @ G if transpose else G.T @ layer_inputs[layer]
        dbs[layer] = G.sum(axis=0)
        if layer > 0:
            G = G @ Ms[layer]
            if mask:
                G = G * ((zs[layer - 1] >= 0) if at_zero else (zs[layer - 1] > 0))
    return dMs, dbs


def ce_mean_shift(logits, y):
    e = np.exp(logits - logits.mean(axis=1, keepdims=True))  # the mean, not the max
    G = e / e.sum(axis=1, keepdims=True)
    G[np.arange(len(y)), y] -= 1
    return G / len(y)


def backward_from(G, os, zs, Ms):
    """The right backward loop from ∂J/∂ŷ = G on: the answers below differ before it."""
    dMs, dbs = [None] * len(Ms), [None] * len(Ms)
    for layer in reversed(range(len(Ms))):
        dMs[layer], dbs[layer] = G.T @ os[layer], G.sum(axis=0)
        if layer > 0:
            G = (G @ Ms[layer]) * (zs[layer - 1] > 0)
    return dMs, dbs


def network_backward_hidden_first(x, y, Ms, bs):
    """Written for networks with a hidden layer: the first layer always gets a ReLU."""
    zs = [x @ Ms[0].T + bs[0]]
    os = [x, np.maximum(zs[0], 0)]
    for M, b in zip(Ms[1:-1], bs[1:-1]):
        zs.append(os[-1] @ M.T + b)
        os.append(np.maximum(zs[-1], 0))
    G = ce_start(os[-1] @ Ms[-1].T + bs[-1], y)
    return backward_from(G, os, zs, Ms)


def network_backward_unshifted(x, y, Ms, bs):
    os, zs, y_hat = relu_network(x, Ms, bs)
    p = np.exp(y_hat) / np.exp(y_hat).sum(axis=1, keepdims=True)  # no max shift: overflows
    G = p.copy()
    G[np.arange(len(y)), y] -= 1
    G /= len(y)
    return backward_from(G, os, zs, Ms)


def network_backward_relu_on_logits(x, y, Ms, bs):
    os, zs = [x], []
    for M, b in zip(Ms, bs):  # ReLU after every layer, the output layer too
        zs.append(os[-1] @ M.T + b)
        os.append(np.maximum(zs[-1], 0))
    G = ce_start(os[-1], y) * (zs[-1] > 0)
    return backward_from(G, os, zs, Ms)


def network_backward_without_y(x, y, Ms, bs):
    os, zs, y_hat = relu_network(x, Ms, bs)
    G = softmax_rows(y_hat) / len(y)  # the one-hot y is never subtracted
    return backward_from(G, os, zs, Ms)


def network_backward_no_return(x, y, Ms, bs):
    dMs, dbs = network_backward_with(x, y, Ms, bs)  # noqa: F841 (the learner forgot return)


def network_backward_stops_at_1(x, y, Ms, bs):
    os, zs, y_hat = relu_network(x, Ms, bs)
    G = ce_start(y_hat, y)
    dMs, dbs = [None] * len(Ms), [None] * len(bs)
    for i in range(len(Ms) - 1, 0, -1):  # stops at 1: layer 0 is never reached
        dMs[i], dbs[i] = G.T @ os[i], G.sum(axis=0)
        G = (G @ Ms[i]) * (zs[i - 1] > 0)
    return dMs, dbs


def network_backward_output_first(x, y, Ms, bs):
    dMs, dbs = network_backward_with(x, y, Ms, bs)
    return dMs[::-1], dbs[::-1]


def network_backward_pairs(x, y, Ms, bs):
    dMs, dbs = network_backward_with(x, y, Ms, bs)
    return list(zip(dMs, dbs))


def network_backward_steps_in_place(x, y, Ms, bs):
    dMs, dbs = network_backward_with(x, y, Ms, bs)
    for M, dM in zip(Ms, dMs):
        M -= 0.1 * dM
    return dMs, dbs


def network_backward_one_hidden_layer(x, y, Ms, bs):
    z = x @ Ms[0].T + bs[0]
    h = np.maximum(z, 0)
    G = ce_start(h @ Ms[1].T + bs[1], y)
    G_hidden = (G @ Ms[1]) * (z > 0)
    return [G_hidden.T @ x, G.T @ h], [G_hidden.sum(axis=0), G.sum(axis=0)]


def sigmoid_backward_with(x, y, M1, b1, M2, b2, M_out, b_out, mean_db_out=False, M2_T=False,
                          derivative_at_z=False, slope2_at_output=False):  # fmt: skip
    z1 = x @ M1.T + b1
    o1 = 0.5 * (1 + np.tanh(z1 / 2))
    z2 = o1 @ M2.T + b2
    o2 = 0.5 * (1 + np.tanh(z2 / 2))
    d_yhat = ce_start(o2 @ M_out.T + b_out, y)
    slope1, slope2 = (
        (z1 * (1 - z1), z2 * (1 - z2)) if derivative_at_z else (o1 * (1 - o1), o2 * (1 - o2))
    )
    if slope2_at_output:
        s = 0.5 * (1 + np.tanh(o2 / 2))
        slope2 = s * (1 - s)
    d_z2 = (d_yhat @ M_out) * slope2
    d_z1 = (d_z2 @ (M2.T if M2_T else M2)) * slope1
    db_out = d_yhat.mean(axis=0) if mean_db_out else d_yhat.sum(axis=0)
    return d_z1.T @ x, d_z1.sum(axis=0), d_z2.T @ o1, d_z2.sum(axis=0), d_yhat.T @ o2, db_out


def fixed_backward_db_out_times_batch(x, y, *params):
    grads = list(sigmoid_backward_with(x, y, *params))
    grads[5] = grads[5] * len(y)
    return tuple(grads)


def fixed_backward_swapped(x, y, *params):
    dM1, db1, *rest = sigmoid_backward_with(x, y, *params)
    return (db1, dM1, *rest)


def fixed_backward_dict(x, y, *params):
    names = ["dM1", "db1", "dM2", "db2", "dM_out", "db_out"]
    return dict(zip(names, sigmoid_backward_with(x, y, *params)))


def fixed_backward_db_out_per_example(x, y, M1, b1, M2, b2, M_out, b_out):
    *grads, _ = sigmoid_backward_with(x, y, M1, b1, M2, b2, M_out, b_out)
    o1 = 0.5 * (1 + np.tanh((x @ M1.T + b1) / 2))
    o2 = 0.5 * (1 + np.tanh((o1 @ M2.T + b2) / 2))
    d_yhat = ce_start(o2 @ M_out.T + b_out, y)
    return (*grads, d_yhat.sum(axis=1))  # the sum over the classes, one number per example


def he_init_list(n_in, n_out, rng):
    return [[rng.normal(0, math.sqrt(2 / n_in)) for _ in range(n_in)] for _ in range(n_out)]


def he_draw_transposed(std):
    """He's draw as (n_in, n_out), then transposed, with a given std(n_in, n_out)."""
    return lambda n_in, n_out, rng: rng.normal(0, std(n_in, n_out), (n_in, n_out)).T


def he_global_seed(n_in, n_out, rng):
    np.random.seed(0)
    return np.random.normal(0, np.sqrt(2 / n_in), (n_out, n_in))


def he_with_biases(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in)), rng.normal(0, 1, n_out)


def he_biases_first(n_in, n_out, rng):
    b = rng.normal(0, 1, n_out)  # noqa: F841 (drawn, then dropped)
    return rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in))


def he_shape_in_two_arguments(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), n_out, n_in)


def he_zeros_two_arguments(n_in, n_out, rng):
    return np.zeros(n_out, n_in)


def he_wrong_parameters(n_in, n_out):
    return np.random.default_rng(0).normal(0, np.sqrt(2 / n_in), (n_out, n_in))


def he_linspace_inside_numpy(n_in, n_out, rng):
    steps = np.linspace(0, 1, n_in / 2)  # a float count, used inside NumPy's linspace
    return rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in)) + 0 * steps[0]


# ---------------------------------------------------------------- the wrong answers

WRONG_ANSWERS = {
    "relu_backward": [
        ("wrong only where z is tiny but not 0", lambda grad, z: grad * (z > 1e-8)),
        ("changes its arguments", relu_backward_in_place),
        ("exactly 0", lambda grad, z: grad * (z >= 0)),
        ("φ(z) = relu(z) instead of its derivative", lambda grad, z: grad * relu(z)),
        ("φ'(z) alone", lambda grad, z: (z > 0).astype(float)),
        ("unchanged", lambda grad, z: grad),
        ("sign of the incoming gradient", lambda grad, z: grad * (grad > 0)),
        ("elementwise product is *, not @", lambda grad, z: grad @ (z > 0)),
        ("forgot `return`", lambda grad, z: None),
        ("absolute value", lambda grad, z: np.abs(grad * (z > 0))),
        ("cut off at 1 from above", lambda grad, z: np.minimum(grad * (z > 0), 1)),
    ],
    "linear_backward": [
        ("transposed matrix", lambda g, x, M: (g @ M, x.T @ g, g.sum(axis=0))),
        ("uses the transposed matrix", lambda g, x, M: (g @ M.T, g.T @ x, g.sum(axis=0))),
        ("forgot to sum db", lambda g, x, M: (g @ M, g.T @ x, g)),
        ("divides by m a second time", lambda g, x, M: (g @ M, g.T @ x, g.mean(axis=0))),
        ("wrong order", lambda g, x, M: (g.T @ x, g @ M, g.sum(axis=0))),
        ("wrong axis", lambda g, x, M: (g @ M, g.T @ x, g.sum(axis=1))),
        ("dm is wrong", lambda g, x, M: (g @ M, g.T @ x / len(x), g.sum(axis=0))),
        ("only dm", lambda g, x, M: g.T @ x),
        ("db) is missing", lambda g, x, M: (g @ M, g.T @ x)),
        ("db is the first row of grad", lambda g, x, M: (g @ M, g.T @ x, g[0])),
        ("db is the last row of grad", lambda g, x, M: (g @ M, g.T @ x, g[-1])),
        ("transposed (swap the operands of @ or drop a .T), and it is twice", lambda g, x, M: (
            g @ M, 2 * x.T @ g, g.sum(axis=0))),
        ("dm is what the first example of the batch alone gives", linear_backward_first_example),
    ],
    "two_layer_gradients": [
        ("forgot to multiply by φ'", lambda *a: two_layer(*a, derivative=lambda z, o: 1.0)),
        ("φ'(output)", lambda *a: two_layer(*a, derivative=lambda z, o: 1 - np.tanh(o) ** 2)),
        ("missing 1/m", lambda *a: two_layer(*a, scale=lambda y: y.shape[1])),
        ("missing 1/k", lambda *a: two_layer(*a, scale=lambda y: y.shape[0])),
        ("factor 2", lambda *a: two_layer(*a, scale=lambda y: 2 * y.size)),
        ("1 − z1²", lambda *a: two_layer(*a, derivative=lambda z, o: 1 - z**2)),
        ("db1", lambda *a: two_layer(*a, skip_db1=True)),
        ("wrong sign", lambda *a: tuple(-g for g in two_layer(*a))),
        ("db_out is twice", lambda *a: (*two_layer(*a)[:3], 2 * two_layer(*a)[3])),
        ("goes through m_out.t", lambda *a: two_layer(*a, back=lambda d, M: (M @ d.T).T)),
    ],
    "softmax_ce_backward": [
        ("subtract each row's maximum", ce_mean_shift),
        ("overflow", ce_backward_naive),
        ("changes its arguments", ce_backward_in_place),
        ("0/0", ce_backward_global_max),
        ("over the batch", ce_backward_axis0),
        ("subtract 1 only at the right class", ce_backward_columns),  # p[:, y] -= 1
        ("missing 1/m", lambda logits, y: ce_start(logits, y, scale=False)),
        ("wrong sign", lambda logits, y: ce_start(logits, y, sign=-1.0)),
        ("a factor that depends on the sizes", lambda logits, y: ce_start(logits, y) * len(y) ** 2),
        ("(3 = c (the number of classes))", lambda logits, y: ce_start(
            logits, y) * logits.shape[1]),
        ("cut off at -0.2 from below and 0.2 from above", lambda logits, y: np.clip(
            ce_start(logits, y), -0.2, 0.2)),
        ("the − 1 is missing", lambda logits, y: ce_start(logits, y) + np.eye(
            logits.shape[1])[y] / len(y)),
        ("1 is subtracted twice", ce_backward_minus_two),
        ("you divided by c (the number of classes) instead of m (the batch size)",
         ce_backward_over_classes),
    ],
    "network_backward": [
        ("forgot `return`", network_backward_no_return),
        ("not (z >= 0)", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, at_zero=True)),
        ("stable softmax", network_backward_unshifted),
        ("not for this one, a network with no hidden layer", network_backward_hidden_first),
        ("dms[0] is none, never filled in: your loop over range(len(ms) - 1, 0, -1) never "
         "reaches index 0", network_backward_stops_at_1),
        ("not z", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, inputs="z")),
        ("has shape", network_backward_pairs),
        ("changes its arguments", network_backward_steps_in_place),
        ("missing 1/m", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, scale=False)),
        ("reverse order", network_backward_output_first),
        ("relu is missing", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, mask=False)),
        ("wrong sign", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, sign=-1.0)),
        ("transposed", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, transpose=True)),
        ("the layer's input), not its output", lambda x, y, Ms, bs: network_backward_with(
            x, y, Ms, bs, inputs="output")),
        ("right for a network with 1 hidden layer, but not", network_backward_one_hidden_layer),
        ("no loop: it uses fixed positions", network_backward_one_hidden_layer),
        ("relu is applied to the output logits", network_backward_relu_on_logits),
        ("you forgot to subtract y", network_backward_without_y),
    ],
    "fixed_backward": [
        ("both bugs", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, mean_db_out=True, M2_T=True)),
        ("still a mean", lambda x, y, *p: sigmoid_backward_with(x, y, *p, mean_db_out=True)),
        ("still goes back through m2.t", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, M2_T=True)),
        ("written with z", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, derivative_at_z=True)),
        ("too large", fixed_backward_db_out_times_batch),
        ("wrong order: return them as (dm1, db1, dm2, db2, dm_out, db_out)",
         fixed_backward_swapped),
        ("dict", fixed_backward_dict),
        ("second hidden layer is taken at its output", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, slope2_at_output=True)),
        ("db_out has", fixed_backward_db_out_per_example),
    ],
    "he_init": [
        ("different result at every call", lambda n_in, n_out, rng: np.random.normal(
            0, np.sqrt(2 / n_in), (n_out, n_in))),
        ("uniform instead of normal", lambda n_in, n_out, rng: rng.uniform(
            -np.sqrt(2 / n_in), np.sqrt(2 / n_in), (n_out, n_in))),
        ("new generator", lambda n_in, n_out, rng: np.random.default_rng(0).normal(
            0, np.sqrt(2 / n_in), (n_out, n_in))),
        ("python list", he_init_list),
        ("xavier", lambda n_in, n_out, rng: rng.normal(0, np.sqrt(1 / n_in), (n_out, n_in))),
        ("variance", lambda n_in, n_out, rng: rng.normal(0, 2 / n_in, (n_out, n_in))),
        ("transposed", lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out))),
        ("0 everywhere", lambda n_in, n_out, rng: np.zeros((n_out, n_in))),
        ("your standard deviation is sqrt(1 / n_in); xavier's",
         he_draw_transposed(lambda i, o: np.sqrt(1 / i))),
        ("sqrt(2 / n_out)", he_draw_transposed(lambda i, o: np.sqrt(2 / o))),
        ("he's variance", he_draw_transposed(lambda i, o: 2 / i)),
        ("standard deviation is 1", lambda n_in, n_out, rng: rng.normal(size=(n_out, n_in))),
        ("your standard deviation is sqrt(2) / n_in; he's is sqrt(2 / n_in)",
         lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2) / n_in, (n_out, n_in))),
        ("glorot", lambda n_in, n_out, rng: rng.normal(
            0, np.sqrt(2 / (n_in + n_out)), (n_out, n_in))),
        ("rng.normal's first argument is the mean", lambda n_in, n_out, rng: rng.normal(
            np.sqrt(2 / n_in), size=(n_out, n_in))),
        ("your mean is 1, not 0", lambda n_in, n_out, rng: rng.normal(
            1, np.sqrt(2 / n_in), (n_out, n_in))),
        ("spread uniformly", lambda n_in, n_out, rng: rng.random((n_out, n_in)) * np.sqrt(
            2 / n_in)),
        ("every weight is ≥ 0", lambda n_in, n_out, rng: np.abs(rng.normal(
            0, np.sqrt(2 / n_in), (n_out, n_in)))),
        ("not rng's normal draws", he_global_seed),
        ("not rng's normal draws", lambda n_in, n_out, rng: np.random.default_rng(42).normal(
            0, np.sqrt(2 / n_in), (n_out, n_in))),
        ("start at 0, not random", he_with_biases),
        ("drawn from rng before the matrix", he_biases_first),
        ("the shape (3, 4)", lambda n_in, n_out, rng: rng.normal(
            0, np.sqrt(1 / n_in), (n_in, n_out))),
        ("your weights are 0.8165 everywhere", lambda n_in, n_out, rng: np.full(
            (n_out, n_in), np.sqrt(2 / n_in))),
        ("`normal()` is called with the wrong arguments", he_shape_in_two_arguments),
        ("take the shape as one tuple", he_zeros_two_arguments),
        ("parameters differ from the exercise's", he_wrong_parameters),
        ("came from inside numpy's linspace()", he_linspace_inside_numpy),
        ("draws in float32", lambda n_in, n_out, rng: np.sqrt(2 / n_in) * rng.standard_normal(
            (n_out, n_in), dtype=np.float32)),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name,phrase,answer", cases(WRONG_ANSWERS))
def test_wrong_answer_is_rejected_and_named(name, phrase, answer, monkeypatch):
    check_answer(name, phrase, answer, monkeypatch)


@pytest.mark.parametrize("name", sorted(WRONG_ANSWERS))
def test_at_least_six_wrong_answers_per_exercise(name):
    assert len(WRONG_ANSWERS[name]) >= 6
