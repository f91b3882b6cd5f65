"""Typical beginner answers to every exercise are rejected, with a message that names the slip.

HOW TO ADD ENTRIES (for whoever adds or changes an exercise)
-------------------------------------------------------------
WRONG_ANSWERS maps an exercise name (as registered with course_utils.checks.register) to a
list of (phrase, answer) pairs:


- answer: a wrong implementation, written as a learner would write it (a lambda, or a def
  above the dictionary when it needs statements: in-place updates, loops, no `return`).
- phrase: words that must appear in the check's message (case-insensitive), chosen so that
  they NAME the mistake ("forgot `return`", "transposed", "wrong sign", "db is wrong"), not
  just "Not yet". Every answer must be rejected (never ✅, never "not attempted").
- At least six answers per exercise, from different families: wrong formula, wrong axis or
  shape, in-place change of an argument, a list/bool/None/generator instead of an array, an
  error a beginner's code raises (`^` for `**`, `if` on an array, math.exp on an array,
  M @ x on a batch), an edge case (0, ties, a last partial batch, extreme rows).
Exercises that are not registered (renamed or removed) are skipped with their reason.
"""

import math

import numpy as np
import pytest

from course_utils.activations import relu
from course_utils.checks import EXERCISES, evaluate, load_all

load_all()

# ---------------------------------------------------------------- answers that need statements


def sigmoid_if(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    return np.exp(z) / (1 + np.exp(z))


def sigmoid_no_return(z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))  # noqa: F841 (the learner forgot return)


def sigmoid_in_place(z):
    positive = z >= 0
    z[positive] = 1 / (1 + np.exp(-z[positive]))
    z[~positive] = np.exp(z[~positive]) / (1 + np.exp(z[~positive]))
    return z


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime_in_place(z):
    z[...] = _sigmoid(z)
    return z * (1 - z)


def tanh_with_exp(z):
    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    return 1 - t**2


def dense_loop_wrong_shape(x, M, b):
    out = np.zeros_like(x)
    for i in range(len(x)):
        out[i] = M @ x[i] + b
    return out


def mlp_pop(x, Ms, bs, phi):
    M_out, b_out = Ms.pop(), bs.pop()
    o = x
    for M, b in zip(Ms, bs):
        o = phi(o @ M.T + b)
    return o @ M_out.T + b_out


def mlp_print(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = phi(o @ M.T + b)
    print(o @ Ms[-1].T + bs[-1])


def count_print(sizes):
    print(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))


def count_index_error(sizes):
    total = 0
    for i in range(len(sizes)):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total


def softmax_in_place(logits):
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def softmax_rows_math(logits):
    return np.array([[math.exp(v) / sum(math.exp(u) for u in row) for v in row] for row in logits])


def ce_naive(logits, y):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def relu_backward_in_place(grad, z):
    grad[z <= 0] = 0
    return grad


def two_layer(x, y, M1, b1, M2, b2, derivative=None, scale=None, skip_db1=False):
    z1 = x @ M1.T + b1
    o1 = np.tanh(z1)
    y_hat = o1 @ M2.T + b2
    d_yhat = 2 * (y_hat - y) / (y.size if scale is None else scale(y))
    dM2, db2 = d_yhat.T @ o1, d_yhat.sum(axis=0)
    d_z1 = (d_yhat @ M2) * (1 - o1**2 if derivative is None else derivative(z1, o1))
    if skip_db1:
        return d_z1.T @ x, dM2, db2
    return d_z1.T @ x, d_z1.sum(axis=0), dM2, db2


def sgd_in_place_none(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g


def sgd_in_place_return(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
    return params


def sgd_generator(params, grads, lr):
    for p, g in zip(params, grads):
        yield p - lr * g


def minibatch_generator(n, batch_size, rng):
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


def momentum_in_place(params, grads, velocities, lr, momentum):
    for p, g, v in zip(params, grads, velocities):
        v *= momentum
        v += g
        p -= lr * v
    return params, velocities


def momentum_swapped(params, grads, velocities, lr, momentum):
    vs = [momentum * v + g for v, g in zip(velocities, grads)]
    return vs, [p - lr * v for p, v in zip(params, vs)]


def split_with(n, fractions, seed, sizes=round, order=None, test_from_end=False, rng=None):
    order = np.random.default_rng(seed).permutation(n) if order is None else order
    n_train, n_val = sizes(fractions[0] * n), sizes(fractions[1] * n)
    if test_from_end:
        n_test = sizes(fractions[2] * n)
        return order[:n_train], order[n_train : n_train + n_val], order[-n_test:]
    return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]


def split_swapped_fractions(n, fractions, seed):
    f_train, f_test, f_val = fractions
    return split_with(n, (f_train, f_val, f_test), seed)


def best_epoch_loop_le(history):
    best, best_loss = 0, float("inf")
    for i, loss in enumerate(history["val_loss"]):
        if loss <= best_loss:
            best, best_loss = i + 1, loss
    return best


def best_epoch_sorted_in_place(history):
    losses = history["val_loss"]
    lowest = min(losses)
    losses.sort()
    return history["val_loss"].index(lowest) + 1


# ---------------------------------------------------------------- notebooks 01, 04, 05 (H5)


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


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
    p = _softmax_rows(logits)
    p[:, y] -= 1
    return p / len(y)


def _relu_network(x, Ms, bs):
    os, zs = [x], []
    for M, b in zip(Ms[:-1], bs[:-1]):
        zs.append(os[-1] @ M.T + b)
        os.append(np.maximum(zs[-1], 0))
    return os, zs, os[-1] @ Ms[-1].T + bs[-1]


def _start(y_hat, y, scale=True, sign=1.0):
    G = sign * _softmax_rows(y_hat)
    G[np.arange(len(y)), y] -= sign
    return G / len(y) if scale else G


def network_backward_with(x, y, Ms, bs, scale=True, sign=1.0, mask=True, inputs="o",
                          transpose=False):  # fmt: skip
    os, zs, y_hat = _relu_network(x, Ms, bs)
    G = _start(y_hat, y, scale, sign)
    layer_inputs = os if inputs == "o" else [x] + zs
    dMs, dbs = [None] * len(Ms), [None] * len(bs)
    for layer in reversed(range(len(Ms))):
        dMs[layer] = layer_inputs[layer].T @ G if transpose else G.T @ layer_inputs[layer]
        dbs[layer] = G.sum(axis=0)
        if layer > 0:
            G = G @ Ms[layer]
            if mask:
                G = G * (zs[layer - 1] > 0)
    return dMs, dbs


def network_backward_no_return(x, y, Ms, bs):
    dMs, dbs = network_backward_with(x, y, Ms, bs)  # noqa: F841 (the learner forgot return)


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


def sigmoid_backward_with(x, y, M1, b1, M2, b2, M_out, b_out, mean_db_out=False, M2_T=False,
                          derivative_at_z=False):  # fmt: skip
    z1 = x @ M1.T + b1
    o1 = 0.5 * (1 + np.tanh(z1 / 2))
    z2 = o1 @ M2.T + b2
    o2 = 0.5 * (1 + np.tanh(z2 / 2))
    d_yhat = _start(o2 @ M_out.T + b_out, y)
    slope1, slope2 = (
        (z1 * (1 - z1), z2 * (1 - z2)) if derivative_at_z else (o1 * (1 - o1), o2 * (1 - o2))
    )
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


def he_init_list(n_in, n_out, rng):
    return [[rng.normal(0, math.sqrt(2 / n_in)) for _ in range(n_in)] for _ in range(n_out)]


def train_with(model, loss_fn, optimizer, x, y, epochs, batch_size, rng, shuffle=True,
               last_batch=True, per_epoch=False, step_first=False, backward_of=None):  # fmt: skip
    costs = []
    for _ in range(epochs):
        order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
        stop = len(x) if last_batch else len(x) - batch_size + 1
        for start in range(0, stop, batch_size):
            batch = order[start : start + batch_size]
            y_hat = model(x[batch])
            J = loss_fn(y_hat, y[batch])
            if step_first:
                optimizer.step()
            model.backward(y_hat if backward_of == "y_hat" else loss_fn.backward())
            if not step_first:
                optimizer.step()
            if not per_epoch:
                costs.append(J)
        if per_epoch:
            costs.append(J)
    return costs


def train_no_return(model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
    train_with(model, loss_fn, optimizer, x, y, epochs, batch_size, rng)


def normalise_in_place(x_train, x_val, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    for x in (x_val, x_test, x_train):
        x -= mean
        x /= std
    return x_train, x_val, x_test


def normalise_all_data(x_train, x_val, x_test):
    everything = np.concatenate([x_train, x_val, x_test])
    mean, std = everything.mean(axis=0), everything.std(axis=0)
    return (x_train - mean) / std, (x_val - mean) / std, (x_test - mean) / std


def accuracy_drop_last(model, x, y, batch_size=100):
    correct = 0
    for i in range(len(x) // batch_size):
        batch = slice(i * batch_size, (i + 1) * batch_size)
        correct += np.sum(model.forward(x[batch]).argmax(axis=1) == y[batch])
    return correct / len(x)


def accuracy_batch_means(model, x, y, batch_size=100):
    scores = []
    for start in range(0, len(x), batch_size):
        batch = slice(start, start + batch_size)
        scores.append(np.mean(model.forward(x[batch]).argmax(axis=1) == y[batch]))
    return sum(scores) / len(scores)


def scale_in_place(images):
    images /= 255
    return images.reshape(len(images), -1)


def epoch_loop(shuffle=True, drop_last=False, no_return=False, step=True,
               mean_of_batches=False, last_cost=False, sum_of_costs=False):  # fmt: skip
    """A learner's train_one_epoch with one slip switched on."""

    def train_one_epoch(model, loss_fn, optimizer, x, y, batch_size, rng):
        order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
        stop = len(x) - batch_size + 1 if drop_last else len(x)
        costs, total = [], 0.0
        for start in range(0, stop, batch_size):
            batch = order[start : start + batch_size]
            cost = loss_fn(model.forward(x[batch]), y[batch])
            model.backward(loss_fn.backward())
            if step:
                optimizer.step()
            costs.append(cost)
            total += cost * len(batch)
        if no_return:
            return None
        if mean_of_batches:
            return float(np.mean(costs))
        if last_cost:
            return costs[-1]
        if sum_of_costs:
            return float(np.sum(costs))
        return total / len(x)

    return train_one_epoch


# ---------------------------------------------------------------- the wrong answers

WRONG_ANSWERS = {
    "sigmoid": [
        ("overflow", lambda z: 1 / (1 + np.exp(-z))),
        ("python list", lambda z: [1 / (1 + math.exp(-v)) for v in z]),
        ("np.where", sigmoid_if),
        ("branches are swapped", lambda z: np.where(
            z >= 0, np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))), 1 / (1 + np.exp(-np.abs(z)))
        )),
        ("forgot `return`", sigmoid_no_return),
        ("tanh", np.tanh),
        ("np.where", lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))),
        ("changes its arguments", sigmoid_in_place),
        ("right for z ≥ 0 only", lambda z: 1 / (1 + np.exp(-np.abs(z)))),
    ],
    "slope": [
        ("one-sided", lambda f, z, h: (f(z + h) - f(z)) / h),
        ("divide by 2h", lambda f, z, h: (f(z + h) - f(z - h)) / h),
        ("wrong sign", lambda f, z, h: (f(z - h) - f(z + h)) / (2 * h)),
        ("forgot to divide", lambda f, z, h: f(z + h) - f(z - h)),
        ("multiplies by h", lambda f, z, h: (f(z + h) - f(z - h)) / 2 * h),
        ("divides only f(z − h)", lambda f, z, h: f(z + h) - f(z - h) / (2 * h)),
        ("your own step", lambda f, z, h: (f(z + 1e-4) - f(z - 1e-4)) / (2 * 1e-4)),
        ("forgot `return`", lambda f, z, h: None),
    ],
    "sigmoid_prime": [
        ("z where the sigmoid belongs", lambda z: z * (1 - z)),
        ("the sigmoid itself", _sigmoid),
        ("1 − s²", lambda z: 1 - _sigmoid(z) ** 2),
        ("factor is missing", lambda z: 1 - _sigmoid(z)),
        ("overflows", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
        ("sign slip", lambda z: _sigmoid(z) * (_sigmoid(z) - 1)),
        ("numpy warned", lambda z: 1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z)))),
        ("0 everywhere", lambda z: _sigmoid(z) * 1 - _sigmoid(z)),
        ("changes its arguments", sigmoid_prime_in_place),
    ],
    "dense_forward": [
        ("x @ m.t", lambda x, M, b: M @ x + b),
        ("m is not transposed", lambda x, M, b: x @ M + b),
        ("forgot the bias", lambda x, M, b: x @ M.T),
        ("shapes", lambda x, M, b: np.dot(M, x.T) + b),
        ("relu", lambda x, M, b: relu(x @ M.T + b)),
        ("bias was added before multiplying", lambda x, M, b: (x + b) @ M.T),
        ("shape", dense_loop_wrong_shape),
        ("transposed", lambda x, M, b: (x @ M.T + b).T),
    ],
    "mlp_forward": [
        ("output layer too", lambda x, Ms, bs, phi: phi(_mlp(x, Ms, bs, phi))),
        ("changes its arguments", mlp_pop),
        ("first two layers", lambda x, Ms, bs, phi: phi(x @ Ms[0].T + bs[0]) @ Ms[1].T + bs[1]),
        ("forgot `return`", mlp_print),
        ("x @ m.t", lambda x, Ms, bs, phi: Ms[-1] @ phi(Ms[0] @ x + bs[0]) + bs[-1]),
        ("instead of the φ passed in", lambda x, Ms, bs, phi: _mlp(x, Ms, bs, relu)),
        ("φ is missing", lambda x, Ms, bs, phi: _mlp(x, Ms, bs, lambda z: z)),
        ("φ was applied before each layer", lambda x, Ms, bs, phi: _phi_first(x, Ms, bs, phi)),
    ],
    "count_parameters": [
        ("forgot the biases", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:]))),
        ("neurons", lambda s: sum(s)),
        ("text", lambda s: str(sum(a * b + b for a, b in zip(s[:-1], s[1:])))),
        ("forgot `return`", count_print),
        ("one bias per input", lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:]))),
        ("past the end", count_index_error),
        ("last layer is missing", lambda s: sum(a * b + b for a, b in zip(s[:-2], s[1:-1]))),
    ],
    "mse_batch": [
        ("forgot the 1/k", lambda yh, y: np.mean(np.sum((y - yh) ** 2, axis=1))),
        ("plain sum", lambda yh, y: np.sum((y - yh) ** 2)),
        ("squared the mean error", lambda yh, y: np.mean(y - yh) ** 2),
        ("forgot the square", lambda yh, y: np.mean(y - yh)),
        ("one number", lambda yh, y: np.mean((y - yh) ** 2, axis=0)),
        ("xor", lambda yh, y: np.mean((y - yh) ^ 2)),
        ("absolute", lambda yh, y: np.mean(np.abs(y - yh))),
        ("root mean squared", lambda yh, y: np.sqrt(np.mean((y - yh) ** 2))),
        ("half the right answer", lambda yh, y: np.mean((y - yh) ** 2) / 2),
    ],
    "softmax": [
        ("overflows", lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)),
        ("whole batch, logits.max()", lambda z: np.exp(z - z.max())
         / np.exp(z - z.max()).sum(axis=1, keepdims=True)),
        ("wrong axis", lambda z: np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)),
        ("keepdims", lambda z: np.exp(z - z.max(axis=1, keepdims=True))
         / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1)),
        ("whole batch", lambda z: np.exp(z) / np.sum(np.exp(z))),
        ("too large for a float", softmax_rows_math),
        ("forgot to normalise", lambda z: np.exp(z - z.max(axis=1, keepdims=True))),
        ("changes its arguments", softmax_in_place),
    ],
    "cross_entropy_from_logits": [
        ("forgot the minus", lambda z, y: np.mean(_log_p(z)[np.arange(len(y)), y])),
        ("summed over the batch", lambda z, y: -np.sum(_log_p(z)[np.arange(len(y)), y])),
        ("log of the logits", lambda z, y: -np.mean(np.log(z)[np.arange(len(y)), y])),
        ("p[:, y]", lambda z, y: -np.mean(_log_p(z)[:, y])),
        ("whole batch, logits.max()", lambda z, y: -np.mean(
            np.log(np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=1, keepdims=True))[
                np.arange(len(y)), y])),
        ("log-sum-exp", ce_naive),
        ("one number", lambda z, y: -_log_p(z)[np.arange(len(y)), y]),
        ("shapes", lambda z, y: -np.mean(_log_p(z) * y)),
        ("np.log10", lambda z, y: -np.mean(
            _log_p(z)[np.arange(len(y)), y] / np.log(10))),
    ],
    "relu_backward": [
        ("changes its arguments", relu_backward_in_place),
        ("exactly 0", lambda grad, z: grad * (z >= 0)),
        ("φ(z) = relu(z) instead of its derivative", lambda grad, z: grad * relu(z)),
        ("φ'(z) alone", lambda grad, z: (z > 0).astype(float)),
        ("unchanged", lambda grad, z: grad),
        ("sign of the incoming gradient", lambda grad, z: grad * (grad > 0)),
        ("elementwise product is *, not @", lambda grad, z: grad @ (z > 0)),
        ("forgot `return`", lambda grad, z: None),
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
    ],
    "sgd_update": [
        ("in place and returned none", sgd_in_place_none),
        ("changes its arguments", sgd_in_place_return),
        ("wrong sign", lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)]),
        ("forgot the learning rate", lambda ps, gs, lr: [p - g for p, g in zip(ps, gs)]),
        ("only", lambda ps, gs, lr: ps[0] - lr * gs[0]),
        ("python list", lambda ps, gs, lr: ps - lr * gs),
        ("generator", sgd_generator),
        ("step −α ∂j/∂p alone", lambda ps, gs, lr: [-lr * g for g in gs]),
    ],
    "minibatches": [
        ("not shuffled", lambda n, bs, rng: [np.arange(n)[i : i + bs] for i in range(0, n, bs)]),
        ("dropped the last", lambda n, bs, rng: [
            o[i : i + bs] for o in [rng.permutation(n)] for i in range(0, n - bs + 1, bs)]),
        ("with replacement", lambda n, bs, rng: [
            o[i : i + bs] for o in [rng.integers(0, n, n)] for i in range(0, n, bs)]),
        ("generator", minibatch_generator),
        ("different result at every call", lambda n, bs, rng: [
            o[i : i + bs] for o in [np.random.permutation(n)] for i in range(0, n, bs)]),
        ("empty", lambda n, bs, rng: [
            o[i : i + bs] for o in [rng.permutation(n)] for i in range(0, n + bs, bs)]),
        ("reshape", lambda n, bs, rng: list(rng.permutation(n).reshape(-1, bs))),
        ("python list", lambda n, bs, rng: [
            list(o[i : i + bs]) for o in [rng.permutation(n)] for i in range(0, n, bs)]),
    ],
    "momentum_update": [
        ("does not remember", lambda ps, gs, vs, lr, mu: (
            [p - lr * g for p, g in zip(ps, gs)], list(gs))),
        ("forgot μ", lambda ps, gs, vs, lr, mu: (
            [p - lr * (v + g) for p, g, v in zip(ps, gs, vs)], [v + g for v, g in zip(vs, gs)])),
        ("old velocity", lambda ps, gs, vs, lr, mu: (
            [p - lr * v for p, v in zip(ps, vs)], [mu * v + g for v, g in zip(vs, gs)])),
        ("changes its arguments", momentum_in_place),
        ("wrong order", momentum_swapped),
        ("only new_params", lambda ps, gs, vs, lr, mu: [
            p - lr * (mu * v + g) for p, g, v in zip(ps, gs, vs)]),
        ("running average", lambda ps, gs, vs, lr, mu: (
            [p - lr * (mu * v + (1 - mu) * g) for p, g, v in zip(ps, gs, vs)],
            [mu * v + (1 - mu) * g for v, g in zip(vs, gs)])),
        ("other common convention", lambda ps, gs, vs, lr, mu: (
            [p + mu * v - lr * g for p, g, v in zip(ps, gs, vs)],
            [mu * v - lr * g for g, v in zip(gs, vs)])),
    ],
    "seeded_split": [
        ("not shuffled", lambda n, f, seed: split_with(n, f, seed, order=np.arange(n))),
        ("should be empty", lambda n, f, seed: split_with(n, f, seed, test_from_end=True)),
        ("round() versus int()", lambda n, f, seed: split_with(n, f, seed, sizes=int)),
        ("which fraction", split_swapped_fractions),
        ("different result at every call", lambda n, f, seed: split_with(
            n, f, seed, order=np.random.default_rng().permutation(n))),
        ("old random generator", lambda n, f, seed: split_with(
            n, f, seed, order=np.random.RandomState(seed).permutation(n))),
        ("must not overlap", lambda n, f, seed: tuple(
            np.random.default_rng(seed).permutation(n)[:k] for k in
            (round(f[0] * n), round(f[1] * n), n - round(f[0] * n) - round(f[1] * n)))),
        ("python list", lambda n, f, seed: tuple(list(p) for p in split_with(n, f, seed))),
    ],
    "best_epoch": [
        ("training cost", lambda h: int(np.argmin(h["train_loss"])) + 1),
        ("off by one", lambda h: int(np.argmin(h["val_loss"]))),
        ("argmax", lambda h: int(np.argmax(h["val_loss"])) + 1),
        ("last epoch", lambda h: len(h["val_loss"])),
        ("tie", best_epoch_loop_le),
        ("no key 'val_losses'", lambda h: int(np.argmin(h["val_losses"])) + 1),
        ("changes its arguments", best_epoch_sorted_in_place),
        ("bool", lambda h: min(h["val_loss"]) == h["val_loss"][0]),
    ],
    "softmax_ce_backward": [
        ("overflow", ce_backward_naive),
        ("changes its arguments", ce_backward_in_place),
        ("0/0", ce_backward_global_max),
        ("over the batch", ce_backward_axis0),
        ("subtract 1 only at the right class", ce_backward_columns),
        ("missing 1/m", lambda logits, y: _start(logits, y, scale=False)),
        ("wrong sign", lambda logits, y: _start(logits, y, sign=-1.0)),
    ],
    "network_backward": [
        ("forgot `return`", network_backward_no_return),
        ("not z", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, inputs="z")),
        ("has shape", network_backward_pairs),
        ("changes its arguments", network_backward_steps_in_place),
        ("missing 1/m", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, scale=False)),
        ("reverse order", network_backward_output_first),
        ("relu is missing", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, mask=False)),
        ("wrong sign", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, sign=-1.0)),
        ("transposed", lambda x, y, Ms, bs: network_backward_with(x, y, Ms, bs, transpose=True)),
    ],
    "fixed_backward": [
        ("both bugs", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, mean_db_out=True, M2_T=True)),
        ("still a mean", lambda x, y, *p: sigmoid_backward_with(x, y, *p, mean_db_out=True)),
        ("still goes back through m2.t", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, M2_T=True)),
        ("output 0 is wrong", lambda x, y, *p: sigmoid_backward_with(
            x, y, *p, derivative_at_z=True)),
        ("too large", fixed_backward_db_out_times_batch),
        ("wrong order", fixed_backward_swapped),
        ("dict", fixed_backward_dict),
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
    ],
    "train": [
        ("forgot `return`", train_no_return),
        ("different result at every call", lambda m, l, o, x, y, e, b, rng: train_with(
            m, l, o, x, y, e, b, np.random.default_rng())),
        ("then stops", lambda m, l, o, x, y, e, b, rng: train_with(
            m, l, o, x, y, 1, b, rng)),
        ("one cost per epoch", lambda *a: train_with(*a, per_epoch=True)),
        ("comes too early", lambda *a: train_with(*a, step_first=True)),
        ("nan", lambda *a: train_with(*a, backward_of="y_hat")),
        ("not shuffled", lambda *a: train_with(*a, shuffle=False)),
        ("last, smaller batch", lambda *a: train_with(*a, last_batch=False)),
    ],
    "normalise": [
        ("own", lambda a, b, c: tuple((x - x.mean(axis=0)) / x.std(axis=0) for x in (a, b, c))),
        ("one mean", lambda a, b, c: tuple((x - a.mean()) / a.std() for x in (a, b, c))),
        ("changes its arguments", normalise_in_place),
        ("only", lambda a, b, c: (a - a.mean(axis=0)) / a.std(axis=0)),
        ("x_val", lambda a, b, c: ((a - a.mean(axis=0)) / a.std(axis=0), b, c)),
        ("only subtracted the mean", lambda a, b, c: tuple(x - a.mean(axis=0) for x in (a, b, c))),
        ("leakage", normalise_all_data),
    ],
    "evaluate_accuracy": [
        ("last, smaller batch", accuracy_drop_last),
        ("averaged the accuracies", accuracy_batch_means),
        ("number of correct predictions", lambda m, x, y, batch_size=100: int(
            np.sum(m.forward(x).argmax(axis=1) == y))),
        ("error rate", lambda m, x, y, batch_size=100: float(
            np.mean(m.forward(x).argmax(axis=1) != y))),
        ("percentage", lambda m, x, y, batch_size=100: 100 * float(
            np.mean(m.forward(x).argmax(axis=1) == y))),
        ("incompatible shapes", lambda m, x, y, batch_size=100: float(
            np.mean(m.forward(x).argmax(axis=0) == y))),
        ("forgot `return`", lambda m, x, y, batch_size=100: None),
    ],
    "scale_pixels": [
        ("255", lambda im: im.reshape(len(im), -1).astype(np.float32)),
        ("//", lambda im: (im.reshape(len(im), -1) // 255).astype(np.float32)),
        ("largest pixel", lambda im: im.reshape(len(im), -1) / im.max()),
        ("reshape", lambda im: im.astype(np.float32) / 255),
        ("reshape", lambda im: im.flatten() / 255),
        ("in-place operation", scale_in_place),
        ("transposed", lambda im: im.reshape(784, -1).T.T / 255),
    ],
    "train_one_epoch": [
        ("shuffle", epoch_loop(shuffle=False)),
        ("last", epoch_loop(drop_last=True)),
        ("return", epoch_loop(no_return=True)),
        ("step", epoch_loop(step=False)),
        ("averaged the batches", epoch_loop(mean_of_batches=True)),
        ("last batch", epoch_loop(last_cost=True)),
        ("sum", epoch_loop(sum_of_costs=True)),
    ],
}  # fmt: skip


def _mlp(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = phi(o @ M.T + b)
    return o @ Ms[-1].T + bs[-1]


def _phi_first(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms, bs):
        o = phi(o) @ M.T + b
    return o


def _log_p(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


CASES = [
    pytest.param(name, phrase, answer, id=f"{name}-{index}")
    for name, answers in WRONG_ANSWERS.items()
    for index, (phrase, answer) in enumerate(answers)
]


@pytest.mark.parametrize("name,phrase,answer", CASES)
def test_wrong_answer_is_rejected_and_named(name, phrase, answer):
    if name not in EXERCISES:
        pytest.skip(f"exercise {name!r} is not registered (renamed or removed?)")
    result = evaluate(name, answer)
    assert result.status in ("mistake", "wrong"), (name, phrase, result)
    assert phrase.lower() in result.message.lower(), (name, phrase, result.message)


@pytest.mark.parametrize("name", sorted(WRONG_ANSWERS))
def test_at_least_six_wrong_answers_per_exercise(name):
    assert len(WRONG_ANSWERS[name]) >= 6
