"""Exercises of notebook 07 (the MNIST hands-on).

train_one_epoch     the slides' training procedure, written out: one pass in shuffled batches
my_setting          the challenge: hyperparameters that reach 95 % validation accuracy
evaluate_accuracy   the evaluation loop: accuracy of a network over a data set, in batches
scale_pixels        the repair after breaking it on purpose: pixels 0–255 -> inputs 0–1
"""

import numpy as np

from ..errors import TrainingDiverged
from ..layers import MLP
from ..lessons import nb07_training as training
from ..losses import CrossEntropyLoss
from ..optim import SGD
from ..training import predict
from . import Exercise, Mistake, register

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
        cases=[epoch_case(23, 5, 0), epoch_case(40, 8, 1), epoch_case(7, 10, 2)],
        run=epoch_outcome,
        outputs=("the cost J you returned", "the weights and biases after the epoch"),
        where=(
            "course_utils.checks.nb07_mnist.train_one_epoch (course_utils.training."
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

# ---------------------------------------------------------------- my_setting (the challenge)


def my_setting():
    """A setting that reaches 95 % validation accuracy within the budget (the notebook's)."""
    return dict(lr=0.05, momentum=0.9, epochs=15, schedule="cosine", max_shift=1, keep_best=True)


CHALLENGE = {}  # setting -> (verdict, validation accuracy, training accuracy): each trains once


def challenge_data():
    """The notebook's split of the shipped sample: 3,600 training and 400 validation digits."""
    if "data" not in CHALLENGE:
        from ..data import ScaledImages, load_mnist
        from ..datasets import train_val_test_split

        mnist = load_mnist(sample=True, verbose=False)
        (x_train, y_train), (x_val, y_val), _ = train_val_test_split(
            mnist.x_train, mnist.y_train, fractions=(0.9, 0.1, 0.0), seed=0
        )  # kept as uint8 pixels, scaled batch by batch (as in the notebook)
        CHALLENGE["data"] = (ScaledImages(x_train), y_train, ScaledImages(x_val), y_val)
    return CHALLENGE["data"]


def try_setting(setting):
    """(verdict code, validation accuracy or None, training accuracy or None) of a setting."""
    full = training.check_setting(setting)
    key = repr(sorted(full.items()))
    if key not in CHALLENGE:
        if training.work(full) > training.BUDGET:
            CHALLENGE[key] = (training.OVER_BUDGET, None, None)
        else:
            x_train, y_train, x_val, y_val = challenge_data()
            try:
                model, history = training.train_with(full, x_train, y_train, x_val, y_val)
            except TrainingDiverged:
                CHALLENGE[key] = (training.NO_LEARNING, None, None)
            else:
                val_acc = float(np.mean(predict(model, x_val) == y_val))
                code = training.verdict(history, val_acc)
                CHALLENGE[key] = (code, val_acc, history["train_acc"][-1])
    return CHALLENGE[key]


def challenge_outcome(function):
    """The verdict code of the learner's setting (REACHED = 0); tells the learner the numbers."""
    setting = function()
    code, val_acc, train_acc = try_setting(setting)
    if function is not my_setting and function not in CHALLENGE_MISTAKES:
        share = training.work(setting) / training.BUDGET
        found = (
            f"validation accuracy {val_acc:.1%}, training accuracy {train_acc:.1%}"
            if val_acc is not None
            else "not measured"
        )
        print(f"Your setting ({share:.0%} of the budget): {found}; {training.VERDICTS[code]}.")
    return code


CHALLENGE_MISTAKES = {
    "talk": lambda: dict(lr=0.001, epochs=10),
    "huge": lambda: dict(lr=10, epochs=10),
    "budget": lambda: dict(lr=0.05, momentum=0.9, epochs=60),
    "memorise": lambda: dict(optimizer="Adam", lr=0.001, epochs=20),
}
CHALLENGE_MISTAKES = dict(zip(CHALLENGE_MISTAKES.values(), CHALLENGE_MISTAKES))

register(
    Exercise(
        name="my_setting",
        reference=my_setting,
        cases=[()],
        run=challenge_outcome,
        where="course_utils.checks.nb07_mnist.my_setting",
        mistakes=[
            Mistake(
                "Still learning when training stopped (underfitting): the training accuracy "
                "is below 95 % or the cost J still falls. Larger steps (α), momentum or more "
                "epochs; the talk's α = 0.001 with plain SGD needs hundreds of epochs.",
                list(CHALLENGE_MISTAKES)[0],
            ),
            Mistake(
                "The network did not learn at all (chance level, about 10 %, or the cost "
                "became NaN): α is far too large, every step overshoots. Try α 10 to 100 "
                "times smaller.",
                list(CHALLENGE_MISTAKES)[1],
            ),
            Mistake(
                "Over the budget: epochs × parameters must stay at most "
                f"{training.BUDGET:,}, so that the notebook still runs in about a minute. "
                "Use fewer epochs or smaller hidden layers; larger steps learn faster.",
                list(CHALLENGE_MISTAKES)[2],
            ),
            Mistake(
                "Memorised (overfitting): the training accuracy is at least 99 % but the "
                "validation accuracy stays below 95 %. Show it more variety (max_shift=1), "
                "settle with schedule='cosine', or keep the best epoch (keep_best=True).",
                list(CHALLENGE_MISTAKES)[3],
            ),
        ],
    )
)

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

# ---------------------------------------------------------------- scale_pixels (break it)


def scale_pixels(images):
    """uint8 images (N, 28, 28) with values 0–255 -> float32 rows (N, 784) with values 0–1."""
    return images.reshape(len(images), -1).astype(np.float32) / 255


def pixels_case(n, seed, top=255):
    """n random 28×28 uint8 "images"; image i's brightest pixel is top − 40 i (at least 30)."""
    rng = np.random.default_rng(seed)
    images = np.stack(
        [rng.integers(0, max(top - 40 * i, 30), size=(28, 28), endpoint=True) for i in range(n)]
    ).astype(np.uint8)
    images[-1, 14, 14] = 0
    return (images,)


register(
    Exercise(
        name="scale_pixels",
        reference=scale_pixels,
        cases=[pixels_case(3, 0, top=200), pixels_case(1, 1), pixels_case(5, 2, top=120)],
        where="course_utils.checks.nb07_mnist.scale_pixels (course_utils.data.flatten_and_scale)",
        mistakes=[
            Mistake(
                "The pixels are still 0–255: flattening is not scaling. Divide by 255 so that "
                "every input is between 0 and 1, the size the initial weights expect.",
                lambda images: images.reshape(len(images), -1).astype(np.float32),
            ),
            Mistake(
                "Integer division // 255 makes every pixel 0 or 1 (all grey ink becomes black "
                "or white): divide with / after turning the pixels into floats.",
                lambda images: (images.reshape(len(images), -1) // 255).astype(np.float32),
            ),
            Mistake(
                "You divided by the largest pixel of these images: a faint set of images would "
                "then be scaled differently from a dark one. Pixels are 0–255 by definition: "
                "divide by 255.",
                lambda images: images.reshape(len(images), -1).astype(np.float32) / images.max(),
            ),
            Mistake(
                "Each image was divided by its own brightest pixel: divide all of them by the "
                "same 255, so that equal ink gives equal inputs.",
                lambda images: (
                    images.reshape(len(images), -1).astype(np.float32)
                    / images.reshape(len(images), -1).max(axis=1, keepdims=True)
                ),
            ),
            Mistake(
                "Divide by 255, the largest value a uint8 pixel can have (256 is the number of "
                "values, 0 to 255).",
                lambda images: images.reshape(len(images), -1).astype(np.float32) / 256,
            ),
            Mistake(
                "The values are right but the images are not flattened: the network needs one "
                "row of 784 numbers per image, images.reshape(len(images), 784).",
                lambda images: images.astype(np.float32) / 255,
            ),
            Mistake(
                "All images were flattened into one long row: keep one row per image, "
                "images.reshape(len(images), 784).",
                lambda images: images.reshape(-1).astype(np.float32) / 255,
            ),
            Mistake(
                "That is standardising (subtract the mean, divide by the standard deviation), "
                "a fine choice for other data (notebook 06); for pixels this exercise asks for "
                "the simple 0–1 scale, x / 255.",
                lambda images: (
                    (images.reshape(len(images), -1) - images.mean()) / images.std()
                ).astype(np.float32),
            ),
        ],
    )
)
