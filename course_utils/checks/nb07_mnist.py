"""Exercises of notebook 07 (the MNIST hands-on).

evaluate_accuracy   the evaluation loop: accuracy of a network over a data set, in batches
best_val_epoch      choosing the best epoch from the validation accuracy
build_digit_network an architecture experiment: a network from a list of hidden sizes
"""

import numpy as np

from ..layers import MLP, Linear
from . import Exercise, Mistake, register

# ---------------------------------------------------------------- evaluate_accuracy


def evaluate_accuracy(model, x, y, batch_size=100):
    """Fraction of examples whose predicted class argmax_c ŷ_c equals the label, in batches."""
    correct = 0
    for start in range(0, len(x), batch_size):
        y_hat = model.forward(x[start : start + batch_size])
        correct += int(np.sum(y_hat.argmax(axis=1) == y[start : start + batch_size]))
    return correct / len(x)


def accuracy_without_last_batch(model, x, y, batch_size=100):
    correct = 0
    for start in range(0, len(x) - batch_size + 1, batch_size):
        y_hat = model.forward(x[start : start + batch_size])
        correct += int(np.sum(y_hat.argmax(axis=1) == y[start : start + batch_size]))
    return correct / len(x)


def accuracy_mean_of_batches(model, x, y, batch_size=100):
    scores = []
    for start in range(0, len(x), batch_size):
        y_hat = model.forward(x[start : start + batch_size])
        scores.append(np.mean(y_hat.argmax(axis=1) == y[start : start + batch_size]))
    return float(np.mean(scores))


def accuracy_count(model, x, y, batch_size=100):
    return evaluate_accuracy(model, x, y, batch_size) * len(x)


def accuracy_error_rate(model, x, y, batch_size=100):
    return 1 - evaluate_accuracy(model, x, y, batch_size)


def accuracy_percent(model, x, y, batch_size=100):
    return 100 * evaluate_accuracy(model, x, y, batch_size)


def accuracy_per_batch_size(model, x, y, batch_size=100):
    return evaluate_accuracy(model, x, y, batch_size) * len(x) / batch_size


def accuracy_case(n, batch_size, seed):
    """A small seeded network and data on which it is right about half of the time."""
    rng = np.random.default_rng(seed)
    model = MLP([6, 5, 3], seed=seed, dtype=np.float64)
    x = rng.normal(size=(n, 6))
    y = model.forward(x).argmax(axis=1)
    flip = rng.random(n) < 0.45  # change some labels so the accuracy is not 100%
    y[flip] = (y[flip] + 1) % 3
    return (model, x, y, batch_size)


register(
    Exercise(
        name="evaluate_accuracy",
        reference=evaluate_accuracy,
        cases=[accuracy_case(23, 5, 0), accuracy_case(40, 8, 1), accuracy_case(7, 100, 2)],
        where="course_utils.checks.nb07_mnist.evaluate_accuracy (compare course_utils.accuracy)",
        mistakes=[
            Mistake(
                "The last, smaller batch is left out: range(0, len(x), batch_size) visits "
                "every start, including one whose batch holds fewer than batch_size examples.",
                accuracy_without_last_batch,
            ),
            Mistake(
                "You averaged the accuracies of the batches: the last batch is smaller, so "
                "it must count less. Count the correct predictions, divide once by len(x).",
                accuracy_mean_of_batches,
            ),
            Mistake(
                "That is the number of correct predictions; accuracy is that count divided "
                "by the number of examples len(x).",
                accuracy_count,
            ),
            Mistake(
                "That is the error rate (the share of wrong predictions): count where the "
                "predicted class equals the label, not where it differs.",
                accuracy_error_rate,
            ),
            Mistake(
                "That is a percentage: return the share as a number between 0 and 1 "
                "(the notebook prints it with :.1%).",
                accuracy_percent,
            ),
            Mistake(
                "You divided by batch_size: divide the count of correct predictions once, "
                "by the number of examples len(x).",
                accuracy_per_batch_size,
            ),
        ],
    )
)

# ---------------------------------------------------------------- best_val_epoch


def best_val_epoch(history):
    """The epoch (1-based) with the highest validation accuracy; the earliest one on a tie."""
    return int(np.argmax(history["val_acc"])) + 1


def history_case(train_acc, val_acc, val_loss=None):
    train_loss = [1.0 / (1 + i) for i in range(len(train_acc))]
    val_loss = [1.0 - a for a in val_acc] if val_loss is None else list(val_loss)
    return (
        {
            "train_loss": train_loss,
            "val_loss": val_loss,
            "train_acc": list(train_acc),
            "val_acc": list(val_acc),
        },
    )


register(
    Exercise(
        name="best_val_epoch",
        reference=best_val_epoch,
        cases=[
            history_case([0.80, 0.90, 0.97, 0.99, 0.98], [0.78, 0.88, 0.91, 0.90, 0.89]),
            history_case([0.5, 0.7, 0.8, 0.9], [0.60, 0.75, 0.75, 0.70]),
            # the lowest validation cost (epoch 2) is not the highest validation accuracy (4)
            history_case(
                [0.70, 0.85, 0.90, 0.95, 0.99],
                [0.70, 0.82, 0.80, 0.85, 0.84],
                val_loss=[0.90, 0.50, 0.60, 0.55, 0.70],
            ),
        ],
        where="course_utils.checks.nb07_mnist.best_val_epoch",
        mistakes=[
            Mistake(
                "Off by one: np.argmax counts from 0, but epochs are numbered from 1. Add 1.",
                lambda h: int(np.argmax(h["val_acc"])),
            ),
            Mistake(
                "You used the training accuracy. It keeps rising while the network "
                "memorises; choose the epoch by the validation accuracy h['val_acc'].",
                lambda h: int(np.argmax(h["train_acc"])) + 1,
            ),
            Mistake(
                "That is the epoch with the lowest validation accuracy (argmin): we want "
                "the highest (argmax).",
                lambda h: int(np.argmin(h["val_acc"])) + 1,
            ),
            Mistake(
                "That is the last epoch: after the best epoch the validation accuracy "
                "falls again (overfitting), so the last is not always the best.",
                lambda h: len(h["val_acc"]),
            ),
            Mistake(
                "On a tie, take the earliest epoch (np.argmax does): the same validation "
                "accuracy reached sooner means less time and less memorising.",
                lambda h: len(h["val_acc"]) - int(np.argmax(h["val_acc"][::-1])),
            ),
            Mistake(
                "That is the epoch with the lowest validation cost (fit's best_epoch). "
                "This exercise asks for the other rule: the highest validation accuracy.",
                lambda h: int(np.argmin(h["val_loss"])) + 1,
            ),
        ],
    )
)

# ---------------------------------------------------------------- build_digit_network


def build_digit_network(hidden, activation="relu"):
    """MLP for MNIST: 784 inputs, the hidden layer sizes in order, 10 outputs."""
    return MLP([784, *hidden, 10], activation=activation, seed=0)


ACTIVATION_CODES = {"ReLU": 1, "Sigmoid": 2, "Tanh": 3, "Identity": 4}


def describe_network(function, hidden, activation):
    """What build_digit_network returned, as numbers check() can compare:
    the (out, in) shape of every Linear layer, then a code for every activation layer."""
    network = function(list(hidden), activation)
    layers = getattr(network, "layers", None)
    if layers is None:
        raise TypeError("build_digit_network must return the network (a Sequential from MLP).")
    shapes = [tuple(layer.M.shape) for layer in layers if isinstance(layer, Linear)]
    codes = [
        ACTIVATION_CODES.get(type(layer).__name__, 0)
        for layer in layers
        if not isinstance(layer, Linear)
    ]
    return (shapes, codes)


register(
    Exercise(
        name="build_digit_network",
        reference=build_digit_network,
        cases=[((128, 64), "relu"), ((256,), "tanh"), ((32, 32, 16), "sigmoid")],
        run=describe_network,
        where="course_utils.checks.nb07_mnist.build_digit_network",
        mistakes=[
            Mistake(
                "The output layer is missing: the list of sizes must end with 10, one "
                "output ŷ_c per digit.",
                lambda h, a: MLP([784, *h], activation=a),
            ),
            Mistake(
                "The input layer is missing: the list of sizes must start with 784, one "
                "input per pixel.",
                lambda h, a: MLP([*h, 10], activation=a),
            ),
            Mistake(
                "The activation argument is ignored: pass activation=activation to MLP.",
                lambda h, a: MLP([784, *h, 10]),
            ),
            Mistake(
                "The hidden layers are in reverse order: keep them as given, first "
                "hidden layer first.",
                lambda h, a: MLP([784, *h[::-1], 10], activation=a),
            ),
        ],
    )
)
