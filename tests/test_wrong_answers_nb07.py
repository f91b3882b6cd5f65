"""Wrong answers to the exercises of notebook 07 (the MNIST hands-on), and the challenge.

The format of WRONG_ANSWERS is described in tests/wrong_answers.py; my_setting's answers are
judged without training (wrong_answers.fake_training).
"""

import math

import numpy as np
import pytest
from wrong_answers import cases, check_answer, fake_training

from course_utils.checks import EXERCISES, evaluate
from course_utils.checks.mnist_challenge import ADVICE
from course_utils.lessons import nb07_training

# ---------------------------------------------------------------- answers that need statements


def epoch_loop(shuffle=True, drop_last=False, no_return=False, step=True,
               mean_of_batches=False, last_cost=False, sum_of_costs=False,
               by_batches=False, whole=False):  # fmt: skip
    """A learner's train_one_epoch with one slip switched on."""

    def train_one_epoch(model, loss_fn, optimizer, x, y, batch_size, rng):
        order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
        stop = len(x) - batch_size + 1 if drop_last else len(x)
        costs, total, seen = [], 0.0, 0
        for start in range(0, stop, batch_size):
            batch = order[start : start + batch_size]
            inputs, targets = (x, y) if whole else (x[batch], y[batch])
            cost = loss_fn(model.forward(inputs), targets)
            model.backward(loss_fn.backward())
            if step:
                optimizer.step()
            costs.append(cost)
            total += cost * len(batch)
            seen += len(batch)
        if no_return:
            return None
        if mean_of_batches:
            return float(np.mean(costs))
        if last_cost:
            return costs[-1]
        if sum_of_costs:
            return float(np.sum(costs))
        if by_batches:
            return total / math.ceil(len(x) / batch_size)
        return total / seen  # the mean over the examples seen

    return train_one_epoch


def epoch_fixed_batches(model, loss_fn, optimizer, x, y, batch_size, rng):
    """Batches of 64 whatever batch_size says."""
    order, total = rng.permutation(len(x)), 0.0
    for start in range(0, len(x), 64):
        batch = order[start : start + 64]
        cost = loss_fn(model.forward(x[batch]), y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(batch)
    return total / len(x)


def accuracy_fixed_batches(model, x, y, batch_size=100):
    correct = 0
    for start in range(0, len(x), 100):  # 100 whatever batch_size says
        correct += np.sum(model.forward(x[start : start + 100]).argmax(axis=1) == y[
            start : start + 100])  # fmt: skip
    return correct / len(x)


def accuracy_argmax_down_columns(model, x, y, batch_size=100):
    correct = 0
    for start in range(0, len(x), batch_size):
        y_hat = model.forward(x[start : start + batch_size])
        correct += np.sum(np.argmax(y_hat, axis=0) == y[start : start + batch_size])
    return correct / len(x)


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


def accuracy_returns_in_loop(model, x, y, batch_size=100):
    correct = 0
    for start in range(0, len(x), batch_size):
        y_hat = model.forward(x[start : start + batch_size])
        correct += np.sum(y_hat.argmax(axis=1) == y[start : start + batch_size])
        return correct / len(x)  # inside the loop: only the first batch is counted


def accuracy_with(model, x, y, batch_size=100, predict=None, finish=None):
    """A learner's batched evaluate_accuracy with another prediction or final division."""
    correct = 0
    for start in range(0, len(x), batch_size):
        scores = model.forward(x[start : start + batch_size])
        predicted = scores.argmax(axis=1) if predict is None else predict(scores)
        correct += np.sum(predicted == y[start : start + batch_size])
    return correct / len(x) if finish is None else finish(correct, len(x))


def scale_in_place(images):
    images /= 255
    return images.reshape(len(images), -1)


# ---------------------------------------------------------------- the wrong answers

WRONG_ANSWERS = {
    "train_one_epoch": [
        ("shuffle", epoch_loop(shuffle=False)),
        ("last", epoch_loop(drop_last=True)),
        ("return", epoch_loop(no_return=True)),
        ("step", epoch_loop(step=False)),
        ("averaged the batches", epoch_loop(mean_of_batches=True)),
        ("last batch", epoch_loop(last_cost=True)),
        ("sum", epoch_loop(sum_of_costs=True)),
        ("divided by the number of batches (5)", epoch_loop(by_batches=True)),
        ("the whole x (23 examples) at every step", epoch_loop(whole=True)),
        ("never reads its argument batch_size", epoch_fixed_batches),
    ],
    "evaluate_accuracy": [
        ("x=[[", lambda m, x, y, batch_size=100: float(np.mean(  # a tie counts as right
            m.forward(x)[np.arange(len(y)), y] >= m.forward(x).max(axis=1)))),
        ("last, smaller batch", accuracy_drop_last),
        ("`np.argmax(y_hat, axis=0)` takes the maximum down each column (over the examples)",
         accuracy_argmax_down_columns),
        ("averaged the accuracies", accuracy_batch_means),
        ("number of correct predictions", lambda m, x, y, batch_size=100: int(
            np.sum(m.forward(x).argmax(axis=1) == y))),
        ("error rate", lambda m, x, y, batch_size=100: float(
            np.mean(m.forward(x).argmax(axis=1) != y))),
        ("percentage", lambda m, x, y, batch_size=100: 100 * float(
            np.mean(m.forward(x).argmax(axis=1) == y))),
        ("argmax(axis=1), one per row", lambda m, x, y, batch_size=100: float(
            np.mean(m.forward(x).argmax(axis=0) == y))),
        ("forgot `return`", lambda m, x, y, batch_size=100: None),
        ("square of the right answer", lambda m, x, y, batch_size=100: float(
            np.mean(m.forward(x).argmax(axis=1) == y)) ** 2),
        ("go through x batch by batch", lambda m, x, y, batch_size=100: float(
            np.mean(m(x).argmax(axis=1) == y))),
        ("the whole x (23 examples) at once", lambda m, x, y, batch_size=100: np.sum(
            m.forward(x).argmax(axis=1) == y) / len(x)),
        ("never reads its argument batch_size", accuracy_fixed_batches),
        ("your accuracy is 0", lambda *a: accuracy_with(
            *a, predict=lambda scores: scores.max(axis=1))),
        ("integer division `//` (or int())", lambda *a: accuracy_with(
            *a, finish=lambda correct, n: int(correct / n))),
        ("`return` is inside your loop, so the function returns during the loop's first pass: "
         "only the first batch is counted", accuracy_returns_in_loop),
    ],
    "scale_pixels": [
        ("255", lambda im: im.reshape(len(im), -1).astype(np.float32)),
        ("the numbers are right, the layout is not: drop a .t", lambda im: (
            im.reshape(len(im), -1).T / 255).astype(np.float32)),
        ("your reshape to (784, 3) followed by .t", lambda im: (
            im.reshape(784, -1).T / 255).astype(np.float32)),
        ("//", lambda im: (im.reshape(len(im), -1) // 255).astype(np.float32)),
        ("largest pixel", lambda im: im.reshape(len(im), -1) / im.max()),
        ("reshape", lambda im: im.astype(np.float32) / 255),
        ("reshape", lambda im: im.flatten() / 255),
        ("in-place operation", scale_in_place),
        ("reshape(len(images), -1) keeps one row per example", lambda im: (
            im.reshape(784, len(im)) / 255).astype(np.float32)),
        ("data type is float64", lambda im: im.reshape(len(im), -1) / 255.0),
        ("np.float64(255), makes the result float64", lambda im: im.reshape(len(im), -1).astype(
            np.float32) / np.float64(255)),
    ],
    "my_setting": [  # trained by fake_training
        ("still learning when training stopped", lambda: dict(lr=0.001, epochs=10)),
        ("did not learn at all", lambda: dict(lr=10, epochs=10)),
        ("did not learn at all", lambda: dict(lr=30, epochs=3)),  # the cost diverged
        ("over the budget", lambda: dict(lr=0.05, momentum=0.9, epochs=60)),
        ("over the budget", lambda: dict(lr=0.05, epochs=10, hidden=[1024, 512])),
        ("memorised (overfitting)", lambda: dict(optimizer="Adam", lr=0.001, epochs=20)),
        ("learned, but below the target", lambda: dict(lr=0.1, epochs=10)),
        ("unknown hyperparameter", lambda: dict(learning_rate=0.05, epochs=10)),
        ("could not use what your function returned", lambda: [0.05, 0.9, 15]),
        ("parameters differ", lambda setting: setting),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name,phrase,answer", cases(WRONG_ANSWERS))
def test_wrong_answer_is_rejected_and_named(name, phrase, answer, monkeypatch):
    check_answer(name, phrase, answer, monkeypatch)


@pytest.mark.parametrize("name", sorted(WRONG_ANSWERS))
def test_at_least_six_wrong_answers_per_exercise(name):
    assert len(WRONG_ANSWERS[name]) >= 6


def test_the_challenge_check_names_every_verdict_without_training(monkeypatch):
    fake_training(monkeypatch)
    assert evaluate("my_setting", EXERCISES["my_setting"].reference).status == "correct"
    named = {mistake.message for mistake in EXERCISES["my_setting"].mistakes}
    verdicts = set(nb07_training.VERDICTS) - {nb07_training.REACHED}
    for setting, phrase in [
        (dict(lr=0.001, epochs=10), "Still learning"),
        (dict(lr=10, epochs=10), "did not learn"),
        (dict(lr=0.05, epochs=60), "Over the budget"),
        (dict(optimizer="Adam", lr=0.001, epochs=20), "Memorised"),
        (dict(lr=0.1, epochs=10), "below the target"),
    ]:
        result = evaluate("my_setting", lambda setting=setting: setting)
        assert result.status in ("mistake", "wrong") and phrase in result.message, result
        assert "you returned 3" not in result.message  # the verdict reads as words
        verdicts -= {code for code, advice in ADVICE.items() if advice in result.message}
        named -= {message for message in named if message in result.message}
    assert not verdicts and not named  # every verdict and every named mistake was shown
