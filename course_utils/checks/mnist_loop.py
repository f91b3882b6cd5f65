"""Exercise train_one_epoch of notebook 07: the slides' training procedure, written out.

One pass over the training set in shuffled mini-batches: predict, cost J, backpropagate, step.
Registered for notebook 07 (imported by nb07_mnist.py, in the notebook's order).
"""

import numpy as np

from ..layers import MLP
from ..losses import CrossEntropyLoss
from ..optim import SGD
from . import Exercise, Mistake, register
from .batches import divided

# ---------------------------------------------------------------- train_one_epoch


def train_one_epoch(model, loss_fn, optimizer, x, y, batch_size, rng):
    """One epoch of mini-batch SGD; returns the mean cost J over the epoch's examples.

    x (N, n_in), y (N,); rng: a NumPy Generator (the shuffle is rng.permutation(len(x))).
    """
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        y_hat = model.forward(x[batch])
        cost = loss_fn(y_hat, y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(batch)
    return total / len(x)


def epoch_without_shuffle(model, loss_fn, optimizer, x, y, batch_size, rng):
    total = 0.0
    for start in range(0, len(x), batch_size):
        cost = loss_fn(model.forward(x[start : start + batch_size]), y[start : start + batch_size])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(x[start : start + batch_size])
    return total / len(x)


def epoch_labels_not_shuffled(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(model.forward(x[batch]), y[start : start + batch_size])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(batch)
    return total / len(x)


def epoch_without_last_batch(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x) - batch_size + 1, batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(model.forward(x[batch]), y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(batch)
    return total / len(x)


def epoch_mean_of_batch_costs(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    costs = []
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        costs.append(loss_fn(model.forward(x[batch]), y[batch]))
        model.backward(loss_fn.backward())
        optimizer.step()
    return float(np.mean(costs))


def epoch_last_cost(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(model.forward(x[batch]), y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
    return cost


def epoch_sum_of_costs(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        total += loss_fn(model.forward(x[batch]), y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
    return total


def epoch_step_before_backward(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(model.forward(x[batch]), y[batch])
        optimizer.step()
        model.backward(loss_fn.backward())
        total += cost * len(batch)
    return total / len(x)


def epoch_without_step(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        total += loss_fn(model.forward(x[batch]), y[batch]) * len(batch)
        model.backward(loss_fn.backward())
    return total / len(x)


def epoch_one_step(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        total += loss_fn(model.forward(x[batch]), y[batch]) * len(batch)
        model.backward(loss_fn.backward())
    optimizer.step()
    return total / len(x)


def epoch_accuracy(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    correct = 0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        y_hat = model.forward(x[batch])
        loss_fn(y_hat, y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
        correct += int(np.sum(y_hat.argmax(axis=1) == y[batch]))
    return correct / len(x)


def epoch_new_order_per_batch(model, loss_fn, optimizer, x, y, batch_size, rng):
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = rng.permutation(len(x))[start : start + batch_size]
        total += loss_fn(model.forward(x[batch]), y[batch]) * len(batch)
        model.backward(loss_fn.backward())
        optimizer.step()
    return total / len(x)


def cost_divided(got, expected, context):
    """The returned cost divided by the number of batches or by batch_size, not by len(x)."""
    found = divided(got[0], expected[0], context, "sum of cost · len(batch)")
    return {key: f"The cost J you returned {sentence}" for key, sentence in found.items()}


def epoch_outcome(function, model, loss_fn, optimizer, x, y, batch_size, rng):
    """What one epoch did: (the returned cost, every weight and bias afterwards, in one row)."""
    cost = function(model, loss_fn, optimizer, x, y, batch_size, rng)
    if cost is None:
        return None  # check() then says that a `return` is missing
    return (cost, np.concatenate([p.ravel() for p, _ in model.parameters()]))


def epoch_case(n, batch_size, seed):
    """A small seeded network (6-5-3, float64), n examples, SGD with α = 0.5, a Generator."""
    data = np.random.default_rng(100 + seed)
    model = MLP([6, 5, 3], seed=seed, dtype=np.float64)
    x = data.normal(size=(n, 6))
    y = data.integers(0, 3, n)
    return (
        model,
        CrossEntropyLoss(),
        SGD(model, lr=0.5),
        x,
        y,
        batch_size,
        np.random.default_rng(seed),
    )


register(
    Exercise(
        name="train_one_epoch",
        reference=train_one_epoch,
        quantity="cost",
        cases=[epoch_case(23, 5, 0), epoch_case(40, 8, 1), epoch_case(7, 10, 2)],
        run=epoch_outcome,
        batches=True,
        diagnosis=cost_divided,
        outputs=("the cost J you returned", "the weights and biases after the epoch"),
        notebook="nb07_mnist",
        where=(
            "course_utils.checks.mnist_loop.train_one_epoch (course_utils.training."
            "train_one_epoch does the same, and also counts the accuracy and stops on NaN)"
        ),
        mistakes=[
            Mistake(
                "The batches are not shuffled: take them in the order "
                "order = rng.permutation(len(x)), so that every epoch mixes the digits anew.",
                epoch_without_shuffle,
            ),
            Mistake(
                "The inputs are shuffled but the labels are not: x[batch] needs y[batch] with "
                "the same indices, or every digit gets another digit's label.",
                epoch_labels_not_shuffled,
            ),
            Mistake(
                "The last, smaller batch is left out: range(0, len(x), batch_size) visits every "
                "start, also one whose batch holds fewer than batch_size examples.",
                epoch_without_last_batch,
            ),
            Mistake(
                "You averaged the batches' costs: the last batch is smaller and must count "
                "less. Add cost * len(batch) for every batch and divide once by len(x).",
                epoch_mean_of_batch_costs,
            ),
            Mistake(
                "That is the cost of the last batch only: return the mean over the whole "
                "epoch (add cost * len(batch) for every batch, divide by len(x)).",
                epoch_last_cost,
            ),
            Mistake(
                "That is the sum of the batches' costs: J is a mean, so weigh each batch by "
                "len(batch) and divide by len(x).",
                epoch_sum_of_costs,
            ),
            Mistake(
                "optimizer.step() runs before model.backward(...): each step then uses the "
                "previous batch's gradient (and the first step none). Backward first, then step.",
                epoch_step_before_backward,
            ),
            Mistake(
                "The parameters never change: after model.backward(...) call optimizer.step(), "
                "which does p → p − α ∂J/∂p.",
                epoch_without_step,
            ),
            Mistake(
                "optimizer.step() runs once, after the loop: that is one step per epoch "
                "(with the last batch's gradient). Step after every batch's backward pass.",
                epoch_one_step,
            ),
            Mistake(
                "That is the training accuracy: this function returns the mean cost J "
                "(add cost * len(batch) for every batch, divide by len(x)).",
                epoch_accuracy,
            ),
            Mistake(
                "A new permutation for every batch: some examples are then used twice and others "
                "never. Shuffle once per epoch, before the loop, and slice that order.",
                epoch_new_order_per_batch,
            ),
        ],
    )
)
