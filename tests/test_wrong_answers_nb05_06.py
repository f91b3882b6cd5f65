"""Wrong answers to the exercises of notebooks 05 and 06 (SGD, the training loop, data splits).

The format of WRONG_ANSWERS is described in tests/wrong_answers.py.
"""

import math

import numpy as np
import pytest
from wrong_answers import cases, check_answer

# ---------------------------------------------------------------- answers that need statements


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


def sgd_return_in_loop(params, grads, lr):
    updated = []
    for i in range(len(params)):
        updated.append(params[i] - lr * grads[i])
        return updated


def minibatch_generator(n, batch_size, rng):
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


def minibatches_generator_expression(n, batch_size, rng):
    order = rng.permutation(n)
    return (order[i : i + batch_size] for i in range(0, n, batch_size))


def minibatches_one_short(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start + 1 : start + batch_size] for start in range(0, n, batch_size)]


def minibatches_equal_pieces(n, batch_size, rng):
    return np.array_split(rng.permutation(n), math.ceil(n / batch_size))


def momentum_in_place(params, grads, velocities, lr, momentum):
    for p, g, v in zip(params, grads, velocities):
        v *= momentum
        v += g
        p -= lr * v
    return params, velocities


def sgd_rebinds_p(params, grads, lr):
    for p, g in zip(params, grads):
        p = p - lr * g  # a new p; the list params keeps the old arrays
    return params


def momentum_rebinds_v(params, grads, velocities, lr, momentum):
    new_params = []
    for p, g, v in zip(params, grads, velocities):
        v = momentum * v + g  # a new v; the list velocities keeps the old arrays
        new_params.append(p - lr * v)
    return new_params, velocities


def momentum_swapped(params, grads, velocities, lr, momentum):
    vs = [momentum * v + g for v, g in zip(velocities, grads)]
    return vs, [p - lr * v for p, v in zip(params, vs)]


def train_with(model, loss_fn, optimizer, x, y, epochs, batch_size, rng, shuffle=True,
               last_batch=True, per_epoch=False, step_first=False, backward_of=None,
               whole=False, reset=False):  # fmt: skip
    costs = []
    for _ in range(epochs):
        costs = [] if reset else costs
        order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
        stop = len(x) if last_batch else len(x) - batch_size + 1
        epoch_total = 0.0
        for start in range(0, stop, batch_size):
            batch = order[start : start + batch_size]
            y_hat = model(x) if whole else model(x[batch])
            J = loss_fn(y_hat, y if whole else y[batch])
            if step_first:
                optimizer.step()
            model.backward(y_hat if backward_of == "y_hat" else loss_fn.backward())
            if not step_first:
                optimizer.step()
            epoch_total += J
            if not per_epoch:
                costs.append(J)
        if per_epoch:
            costs.append(epoch_total if per_epoch == "sum" else J)
    return costs


def train_no_return(model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
    train_with(model, loss_fn, optimizer, x, y, epochs, batch_size, rng)


def split_with(n, fractions, seed, sizes=round, order=None, test_from_end=False, test=None):
    order = np.random.default_rng(seed).permutation(n) if order is None else order
    n_train, n_val = sizes(fractions[0] * n), sizes(fractions[1] * n)
    if test_from_end:
        n_test = sizes(fractions[2] * n)
        return order[:n_train], order[n_train : n_train + n_val], order[-n_test:]
    rest = order[n_train + n_val :]
    return order[:n_train], order[n_train : n_train + n_val], rest if test is None else test(rest)


def split_swapped_fractions(n, fractions, seed):
    f_train, f_test, f_val = fractions
    return split_with(n, (f_train, f_val, f_test), seed)


def split_train_one_too_long(n, fractions, seed):
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = round(fractions[0] * n), round(fractions[1] * n)
    return order[: n_train + 1], order[n_train : n_train + n_val], order[n_train + n_val :]


def split_val_stops_at_n_val(n, fractions, seed):
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = round(fractions[0] * n), round(fractions[1] * n)
    return order[:n_train], order[n_train:n_val], order[n_train + n_val :]


def split_val_int(n, fractions, seed):
    order = np.random.default_rng(seed).permutation(n)
    n_train = round(fractions[0] * n)
    n_val = int(fractions[1] * n)
    return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]


history = {"train_loss": [0.9, 0.5], "val_loss": [0.8, 0.6, 0.7]}  # a notebook's own run


_VELOCITY = {}
_RNGS = {}


def momentum_global_velocity(params, grads, velocities, lr, momentum):
    new_params, new_velocities = [], []
    for i, (p, g) in enumerate(zip(params, grads)):
        _VELOCITY[i] = momentum * _VELOCITY.get(i, 0) + g  # kept outside, between calls
        new_velocities.append(_VELOCITY[i])
        new_params.append(p - lr * _VELOCITY[i])
    return new_params, new_velocities


def train_default_list(model, loss_fn, optimizer, x, y, epochs, batch_size, rng, costs=[]):  # noqa: B006
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            costs.append(loss_fn(model(x[batch]), y[batch]))
            model.backward(loss_fn.backward())
            optimizer.step()
    return costs


def train_extra_batch(model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
    costs = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for k in range(len(x) // batch_size + 1):  # one too many when batch_size divides len(x)
            batch = order[k * batch_size : (k + 1) * batch_size]
            costs.append(loss_fn(model(x[batch]), y[batch]))
            model.backward(loss_fn.backward())
            optimizer.step()
    return costs


def split_cached_generator(n, fractions, seed):
    rng = _RNGS.setdefault(seed, np.random.default_rng(seed))  # reused at the next call
    return split_with(n, fractions, seed, order=rng.permutation(n))


def best_epoch_global(h):
    return int(np.argmin(history["val_loss"])) + 1  # the global, not the argument h


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


def normalise_in_place(x_train, x_val, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    for x in (x_val, x_test, x_train):
        x -= mean
        x /= std
    return x_train, x_val, x_test


def normalise_without_brackets(x_train, x_val, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return x_train - mean / std, x_val - mean / std, x_test - mean / std


def normalise_all_data(x_train, x_val, x_test):
    everything = np.concatenate([x_train, x_val, x_test])
    mean, std = everything.mean(axis=0), everything.std(axis=0)
    return (x_train - mean) / std, (x_val - mean) / std, (x_test - mean) / std


# ---------------------------------------------------------------- the wrong answers

WRONG_ANSWERS = {
    "sgd_update": [
        ("in place and returned none", sgd_in_place_none),
        ("changes its arguments", sgd_in_place_return),
        ("wrong sign", lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)]),
        ("forgot the learning rate", lambda ps, gs, lr: [p - g for p, g in zip(ps, gs)]),
        ("only", lambda ps, gs, lr: ps[0] - lr * gs[0]),
        ("python list", lambda ps, gs, lr: ps - lr * gs),
        ("generator", sgd_generator),
        ("step −α ∂j/∂p alone", lambda ps, gs, lr: [-lr * g for g in gs]),
        ("`return` is inside your loop, so the function returns during the loop's first pass: "
         "only the first parameter is updated", sgd_return_in_loop),
        ("`params` exactly as it was given, unchanged: `p = …` inside your loop", sgd_rebinds_p),
    ],
    "minibatches": [
        ("not shuffled", lambda n, bs, rng: [np.arange(n)[i : i + bs] for i in range(0, n, bs)]),
        ("dropped the last", lambda n, bs, rng: [
            o[i : i + bs] for o in [rng.permutation(n)] for i in range(0, n - bs + 1, bs)]),
        ("with replacement", lambda n, bs, rng: [
            o[i : i + bs] for o in [rng.integers(0, n, n)] for i in range(0, n, bs)]),
        ("generator (it uses `yield`)", minibatch_generator),
        ("returns a generator (a generator expression (… for …) or `yield`)",
         minibatches_generator_expression),
        ("different result at every call", lambda n, bs, rng: [
            o[i : i + bs] for o in [np.random.permutation(n)] for i in range(0, n, bs)]),
        ("empty", lambda n, bs, rng: [
            o[i : i + bs] for o in [rng.permutation(n)] for i in range(0, n + bs, bs)]),
        ("reshape", lambda n, bs, rng: list(rng.permutation(n).reshape(-1, bs))),
        ("python list", lambda n, bs, rng: [
            list(o[i : i + bs]) for o in [rng.permutation(n)] for i in range(0, n, bs)]),
        ("every batch is one example short", minibatches_one_short),
        ("nearly equal pieces (as np.array_split makes)", minibatches_equal_pieces),
    ],
    "momentum_update": [
        ("`_VELOCITY`, a variable outside the function", momentum_global_velocity),
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
        ("μ multiplies the gradient too", lambda ps, gs, vs, lr, mu: (
            [p - lr * mu * (v + g) for p, g, v in zip(ps, gs, vs)],
            [mu * (v + g) for v, g in zip(vs, gs)])),
        ("new_velocities is `velocities` exactly as it was given, unchanged: `v = …` inside "
         "your loop", momentum_rebinds_v),
    ],
    "train": [
        ("its default argument costs", train_default_list),
        ("empty batch", train_extra_batch),
        ("forgot `return`", train_no_return),
        ("different result at every call", lambda m, l, o, x, y, e, b, rng: train_with(
            m, l, o, x, y, e, b, np.random.default_rng())),
        ("only the first 5 of the 15 batches", lambda m, l, o, x, y, e, b, rng: train_with(
            m, l, o, x, y, 1, b, rng)),
        ("one cost per epoch", lambda *a: train_with(*a, per_epoch=True)),
        ("3 costs, one per epoch", lambda *a: train_with(*a, per_epoch="sum")),
        ("comes too early", lambda *a: train_with(*a, step_first=True)),
        ("nan", lambda *a: train_with(*a, backward_of="y_hat")),
        ("not shuffled", lambda *a: train_with(*a, shuffle=False)),
        ("last, smaller batch", lambda *a: train_with(*a, last_batch=False)),
        ("the whole x (23 examples) at every step", lambda *a: train_with(*a, whole=True)),
        ("one epoch's worth", lambda *a: train_with(*a, reset=True)),
    ],
    "seeded_split": [
        ("a random generator that lives on between calls", split_cached_generator),
        ("not shuffled", lambda n, f, seed: split_with(n, f, seed, order=np.arange(n))),
        ("should be empty", lambda n, f, seed: split_with(n, f, seed, test_from_end=True)),
        ("int() cuts 6.6 down to 6", lambda n, f, seed: split_with(n, f, seed, sizes=int)),
        ("rounded up", lambda n, f, seed: split_with(n, f, seed, sizes=math.ceil)),
        ("a half goes to the even number", lambda n, f, seed: split_with(
            n, f, seed, sizes=lambda v: int(v + 0.5))),
        ("which fraction", split_swapped_fractions),
        ("different result at every call", lambda n, f, seed: split_with(
            n, f, seed, order=np.random.default_rng().permutation(n))),
        ("old random generator", lambda n, f, seed: split_with(
            n, f, seed, order=np.random.RandomState(seed).permutation(n))),
        ("must not overlap", lambda n, f, seed: tuple(
            np.random.default_rng(seed).permutation(n)[:k] for k in
            (round(f[0] * n), round(f[1] * n), n - round(f[0] * n) - round(f[1] * n)))),
        ("python list", lambda n, f, seed: tuple(list(p) for p in split_with(n, f, seed))),
        ("the test set is the rest", lambda n, f, seed: split_with(
            n, f, seed, test=lambda rest: rest[: round(f[2] * n)])),
        ("train_idx and val_idx share 1 index(es)", split_train_one_too_long),
        ("val_idx has 2 entries, expected round(0.3 · 9) = 3: int() cuts", split_val_int),
        ("val_idx is empty: the validation slice should start at n_train and end at n_train + "
         "n_val: order[n_train:n_train + n_val] (order[6:8] here)", split_val_stops_at_n_val),
    ],
    "best_epoch": [
        ("on a tie you returned the later epoch", lambda h: int(np.argsort(h["val_loss"])[0]) + 1),
        ("training cost", lambda h: int(np.argmin(h["train_loss"])) + 1),
        ("off by one", lambda h: int(np.argmin(h["val_loss"]))),
        ("argmax", lambda h: int(np.argmax(h["val_loss"])) + 1),
        ("last epoch", lambda h: len(h["val_loss"])),
        ("tie", best_epoch_loop_le),
        ("did you mean 'val_loss'?", lambda h: int(np.argmin(h["val_losses"])) + 1),
        ("changes its arguments", best_epoch_sorted_in_place),
        ("bool", lambda h: min(h["val_loss"]) == h["val_loss"][0]),
        ("there is no key 'epochs' in the dictionary your function gets", lambda h: h["epochs"][
            int(np.argmin(h["val_loss"]))]),
        ("never uses its argument; it reads the global variable `history`", best_epoch_global),
    ],
    "normalise": [
        ("own", lambda a, b, c: tuple((x - x.mean(axis=0)) / x.std(axis=0) for x in (a, b, c))),
        ("one mean", lambda a, b, c: tuple((x - a.mean()) / a.std() for x in (a, b, c))),
        ("changes its arguments", normalise_in_place),
        ("only", lambda a, b, c: (a - a.mean(axis=0)) / a.std(axis=0)),
        ("x_val", lambda a, b, c: ((a - a.mean(axis=0)) / a.std(axis=0), b, c)),
        ("only subtracted the mean", lambda a, b, c: tuple(x - a.mean(axis=0) for x in (a, b, c))),
        ("leakage", normalise_all_data),
        ("missing brackets: / comes before −, so x − mean / std divides only the mean",
         normalise_without_brackets),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name,phrase,answer", cases(WRONG_ANSWERS))
def test_wrong_answer_is_rejected_and_named(name, phrase, answer, monkeypatch):
    check_answer(name, phrase, answer, monkeypatch)


@pytest.mark.parametrize("name", sorted(WRONG_ANSWERS))
def test_at_least_six_wrong_answers_per_exercise(name):
    assert len(WRONG_ANSWERS[name]) >= 6
