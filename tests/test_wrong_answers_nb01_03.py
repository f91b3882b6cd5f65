"""Wrong answers to the exercises of notebooks 01–03 (activations, forward pass, losses).

The format of WRONG_ANSWERS is described in tests/wrong_answers.py.
"""

import math

import numpy as np
import pytest
from wrong_answers import cases, check_answer, log_p, softmax_rows
from wrong_answers import sigmoid as _sigmoid

from course_utils.activations import relu

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


def sigmoid_prime_twice(z):
    s = _sigmoid(_sigmoid(z))  # the sigmoid applied twice
    return s * (1 - s)


def sigmoid_prime_in_place(z):
    z[...] = _sigmoid(z)
    return z * (1 - z)


def dense_loop_wrong_shape(x, M, b):
    out = np.zeros_like(x)
    for i in range(len(x)):
        out[i] = M @ x[i] + b
    return out


def dense_last_row_only(x, M, b):
    for row in x:
        out = row @ M.T + b  # overwritten in every pass: only the last row survives
    return out


def dense_first_row_filled(x, M, b):
    out = np.zeros((len(x), len(b)))
    for i in range(len(x)):
        out[i] = x[i] @ M.T + b
        return out  # returns inside the loop


def dense_loop_one_short(x, M, b):
    out = np.zeros((len(x), len(b)))
    for i in range(len(x) - 1):  # stops one short: the last row stays 0
        out[i] = x[i] @ M.T + b
    return out


def dense_rows_one_short(x, M, b):
    return np.array([x[i] @ M.T + b for i in range(len(x) - 1)])


def ce_log_of_sum_missing(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.exp(shifted).sum(axis=1, keepdims=True)  # np.log( ) forgotten
    return -np.mean(log_p[np.arange(len(y)), y])


def dense_concatenate(x, M, b):
    return np.concatenate(x @ M.T, b)


def dense_helper_short(x, M, b):
    def layer(x, M, b):
        return x @ M.T + b

    return layer(x, M)


def mlp(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = phi(o @ M.T + b)
    return o @ Ms[-1].T + bs[-1]


def mlp_phi_first(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms, bs):
        o = phi(o) @ M.T + b
    return o


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


def mlp_return_indented(x, Ms, bs, phi):
    hidden = x
    for layer in range(len(Ms) - 1):
        hidden = phi(hidden @ Ms[layer].T + bs[layer])
        y_hat = hidden @ Ms[-1].T + bs[-1]
        return y_hat


def mlp_restarts_from_x(x, Ms, bs, phi):
    h = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        h = phi(np.dot(x, M.T) + b)
    return np.dot(h, Ms[-1].T) + bs[-1]


def mlp_counts_from_one(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[1:-1], bs[1:-1]):
        o = phi(o @ M.T + b)
    return o @ Ms[-1].T + bs[-1]


def mlp_two_hidden_layers(x, Ms, bs, phi):
    o1 = phi(x @ Ms[0].T + bs[0])
    o2 = phi(o1 @ Ms[1].T + bs[1])
    return o2 @ Ms[2].T + bs[2]


def mlp_own_sigmoid(x, Ms, bs, phi):
    o = x
    for M, b in zip(Ms[:-1], bs[:-1]):
        o = 1 / (1 + np.exp(-(o @ M.T + b)))
    return o @ Ms[-1].T + bs[-1]


def count_print(sizes):
    print(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))


def count_index_error(sizes):
    total = 0
    for i in range(len(sizes)):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total


def count_enumerate_too_far(sizes):
    total = 0
    for k, n_in in enumerate(sizes):
        total += n_in * sizes[k + 1] + sizes[k + 1]
    return total


def sigmoid_empty_like(z):
    z = np.asarray(z)
    out = np.empty_like(z)  # an integer z gives an integer out: the fractions are cut to 0
    e = np.exp(-np.abs(z))
    out[z >= 0] = (1 / (1 + e))[z >= 0]
    out[z < 0] = (e / (1 + e))[z < 0]
    return out


def slope_shifting_z(f, z, h):
    z += h  # shifts the caller's z, and back: the rounding stays
    up = f(z)
    z -= 2 * h
    down = f(z)
    z += h
    return (up - down) / (2 * h)


def slope_one_call(f, z, h):
    both = f(np.stack([z + h, z - h]))  # one call for both: f sees both arrays at once
    return (both[0] - both[1]) / (2 * h)


def softmax_in_place(logits):
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def softmax_rows_math(logits):
    return np.array([[math.exp(v) / sum(math.exp(u) for u in row) for v in row] for row in logits])


def ce_naive(logits, y):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


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
        ("square of the right answer", lambda z: _sigmoid(z) ** 2),
        ("cut off at 0.01 from below and 0.99 from above", lambda z: np.clip(
            _sigmoid(z), 0.01, 0.99)),
        ("off by the same amount 0.1 everywhere", lambda z: _sigmoid(z) + 0.1),
        ("right answer for 2·z", lambda z: _sigmoid(2 * z)),
        ("right answer for ½·z", lambda z: 0.5 + 0.5 * np.tanh(z / 4)),
        ("an integer array cannot hold them", sigmoid_empty_like),
        ("is float32", lambda z: _sigmoid(np.asarray(z, dtype=np.float32))),
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
        ("never calls the `f`", lambda f, z, h: (np.sin(z + h) - np.sin(z - h)) / (2 * h)),
        ("values cancel out", lambda f, z, h: (f(z) + h - f(z)) / h),
        ("the denominator must be 2h, the step, not 2z", lambda f, z, h: (
            f(z + h) - f(z - h)) / (2 * z)),
        ("`z` was changed in place", slope_shifting_z),
        ("for the input (f=a function, z=[ 2. 4. -1.]", slope_one_call),
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
        ("times 4 everywhere", lambda z: 4 * _sigmoid(z) * (1 - _sigmoid(z))),
        ("1 − 2s + s² with s = sigmoid(z)", lambda z: (1 - _sigmoid(z)) ** 2),
        ("0.5s² with s = sigmoid(z)", lambda z: _sigmoid(z) ** 2 / 2),
        ("right answer for σ(z) instead of z: a sigmoid too many", sigmoid_prime_twice),
        ("the square is inside the bracket", lambda z: _sigmoid(z) * (1 - _sigmoid(z) ** 2)),
        ("square of the right answer", lambda z: (_sigmoid(z) * (1 - _sigmoid(z))) ** 2),
    ],
    "dense_forward": [
        ("np.matrix", lambda x, M, b: np.matrix(x) * np.matrix(M).T + b),
        ("x @ m.t", lambda x, M, b: M @ x + b),
        ("m is not transposed", lambda x, M, b: x @ M + b),
        ("forgot the bias", lambda x, M, b: x @ M.T),
        ("shapes", lambda x, M, b: np.dot(M, x.T) + b),
        ("relu", lambda x, M, b: relu(x @ M.T + b)),
        ("bias was added before multiplying", lambda x, M, b: (x + b) @ M.T),
        ("shape", dense_loop_wrong_shape),
        ("transposed", lambda x, M, b: (x @ M.T + b).T),
        ("absolute value of the right answer", lambda x, M, b: np.abs(x @ M.T + b)),
        ("only the first row", lambda x, M, b: (x @ M.T + b)[0]),
        ("only the last row", dense_last_row_only),
        ("only its first row", dense_first_row_filled),
        ("different amount in each row", lambda x, M, b: (x @ M.T + b) - x.sum(
            axis=1, keepdims=True)),
        ("np.concatenate([a, b])", dense_concatenate),
        ("`layer()` is called with the wrong arguments", dense_helper_short),
        ("a function was used as a value", lambda x, M, b: np.exp * (x @ M.T + b)),
        ("tanh of the right answer", lambda x, M, b: np.tanh(np.dot(x, M.T) + b)),
        ("`x * m.t` multiplies entry by entry", lambda x, M, b: x * M.T + b),
        ("one column per example", lambda x, M, b: M @ x.T + b),
        ("the last row (example) is not computed: your loop over range(len(x) - 1) stops one "
         "short", dense_loop_one_short),
        ("every row right but the last, which is missing", dense_rows_one_short),
    ],
    "mlp_forward": [
        ("output layer too", lambda x, Ms, bs, phi: phi(mlp(x, Ms, bs, phi))),
        ("changes its arguments", mlp_pop),
        ("first two layers", lambda x, Ms, bs, phi: phi(x @ Ms[0].T + bs[0]) @ Ms[1].T + bs[1]),
        ("forgot `return`", mlp_print),
        ("x @ m.t", lambda x, Ms, bs, phi: Ms[-1] @ phi(Ms[0] @ x + bs[0]) + bs[-1]),
        ("instead of the φ passed in", lambda x, Ms, bs, phi: mlp(x, Ms, bs, relu)),
        ("φ is missing", lambda x, Ms, bs, phi: mlp(x, Ms, bs, lambda z: z)),
        ("φ was applied before each layer", mlp_phi_first),
        ("`return` is inside your loop", mlp_return_indented),
        ("right for a network with 1 hidden layer, but not", mlp_return_indented),
        ("`h` is computed from `x`", mlp_restarts_from_x),
        ("loop starts at 1", mlp_counts_from_one),
        ("no loop: it uses fixed positions", mlp_two_hidden_layers),
        ("never calls the `phi`", mlp_own_sigmoid),
    ],
    "count_parameters": [
        ("forgot the biases", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:]))),
        ("neurons", lambda s: sum(s)),
        ("text", lambda s: str(sum(a * b + b for a, b in zip(s[:-1], s[1:])))),
        ("forgot `return`", count_print),
        ("one bias per input", lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:]))),
        ("range(len(sizes) - 1)", count_index_error),
        ("last layer is missing", lambda s: sum(a * b + b for a, b in zip(s[:-2], s[1:-1]))),
        ("product of all the sizes plus the biases", lambda s: math.prod(s) + sum(s[1:])),
        ("`sizes[k + 1]` runs past the end", count_enumerate_too_far),
        ("(n_in + 1)·(n_out + 1) per layer", lambda s: sum(
            (a + 1) * (b + 1) for a, b in zip(s[:-1], s[1:]))),
        ("it is the float", lambda s: np.dot(np.array(s[:-1], dtype=float), s[1:]) + sum(s[1:])),
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
        ("square of the right answer", lambda yh, y: np.mean((y - yh) ** 2) ** 2),
        ("half the right answer: a factor 0.5 (or 1/2) too many", lambda yh, y: 0.5 * np.mean(
            (y - yh) ** 2)),
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
        ("each row's MEAN, not its maximum", lambda z: np.exp(z - z.mean(axis=1, keepdims=True))
         / np.exp(z - z.mean(axis=1, keepdims=True)).sum(axis=1, keepdims=True)),
        ("forgot to normalise", lambda z: np.exp(z - z.max(axis=1, keepdims=True))),
        ("changes its arguments", softmax_in_place),
        ("log of the right answer", log_p),
        ("only the first row", lambda z: softmax_rows(z)[0]),
    ],
    "cross_entropy_from_logits": [
        ("overflow", lambda logits, y: float(np.mean(
            np.log(np.exp(logits - logits.mean(axis=1, keepdims=True)).sum(axis=1))
            - (logits - logits.mean(axis=1, keepdims=True))[np.arange(len(y)), y]))),
        ("forgot the minus", lambda z, y: np.mean(log_p(z)[np.arange(len(y)), y])),
        ("summed over the batch", lambda z, y: -np.sum(log_p(z)[np.arange(len(y)), y])),
        ("log of the logits", lambda z, y: -np.mean(np.log(z)[np.arange(len(y)), y])),
        ("p[:, y]", lambda z, y: -np.mean(log_p(z)[:, y])),
        ("whole batch, logits.max()", lambda z, y: -np.mean(
            np.log(np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=1, keepdims=True))[
                np.arange(len(y)), y])),
        ("log-sum-exp", ce_naive),
        ("one number", lambda z, y: -log_p(z)[np.arange(len(y)), y]),
        ("shapes", lambda z, y: -np.mean(log_p(z) * y)),
        ("np.log10", lambda z, y: -np.mean(log_p(z)[np.arange(len(y)), y] / np.log(10))),
        ("(3 = c (the number of classes))", lambda z, y: -np.mean(
            log_p(z)[np.arange(len(y)), y]) / z.shape[1]),
        ("the log around the sum is missing", ce_log_of_sum_missing),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name,phrase,answer", cases(WRONG_ANSWERS))
def test_wrong_answer_is_rejected_and_named(name, phrase, answer, monkeypatch):
    check_answer(name, phrase, answer, monkeypatch)


@pytest.mark.parametrize("name", sorted(WRONG_ANSWERS))
def test_at_least_six_wrong_answers_per_exercise(name):
    assert len(WRONG_ANSWERS[name]) >= 6
