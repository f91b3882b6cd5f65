"""Exercises of notebook 07 (the MNIST hands-on), in the notebook's order.

train_one_epoch     the slides' training procedure, written out (in mnist_loop.py)
my_setting          the challenge: hyperparameters that reach 95 % (in mnist_challenge.py)
evaluate_accuracy   the evaluation loop: accuracy of a network over a data set, in batches
scale_pixels        the repair after breaking it on purpose: pixels 0–255 -> inputs 0–1
"""

import numpy as np

from ..layers import MLP
from . import Exercise, Mistake, register
from .batches import divided

# The notebook's first two exercises live in their own modules; importing them registers them,
# in the notebook's order, before the two below.
# isort: split
from . import mnist_loop  # noqa: F401  (train_one_epoch)

# isort: split
from . import mnist_challenge  # noqa: F401  (my_setting)

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
    for p, _ in model.parameters():
        if p.ndim == 1:  # small non-zero biases: no output is exactly 0, the value of a label
            p[:] = rng.normal(size=p.shape) * 0.1
    x = rng.normal(size=(n, 6))
    y = model.forward(x).argmax(axis=1)
    flip = rng.random(n) < 0.45  # change some labels so the accuracy is not 100%
    y[flip] = (y[flip] + 1) % 3
    return (model, x, y, batch_size)


def dead_case(n, batch_size):
    """A dead network: every weight and bias 0, so all scores tie and argmax picks class 0."""
    model = MLP([6, 5, 3], seed=0, dtype=np.float64)
    for p, _ in model.parameters():
        p[...] = 0.0
    return (model, np.random.default_rng(9).normal(size=(n, 6)), np.arange(n) % 3, batch_size)


def accuracy_slips(got, expected, context):
    """An accuracy of 0 (no argmax), or divided by the wrong count."""
    if isinstance(got, int | np.integer) and not isinstance(got, bool):
        return {}  # a whole number: arrays.py names the integer division
    found = {
        key: f"Your accuracy {sentence}"
        for key, sentence in divided(got, expected, context, "count of correct predictions").items()
    }
    if float(got) == 0 and float(expected) > 0:
        found[("zero",)] = (
            "Your accuracy is 0: not one prediction matched its label. Compare the predicted "
            "CLASS, y_hat.argmax(axis=1) (the column of the highest score), with y: the scores "
            "themselves are almost never equal to a label."
        )
    return found


register(
    Exercise(
        name="evaluate_accuracy",
        reference=evaluate_accuracy,
        quantity="fraction",
        # last: tied scores, as notebook 07's "failure 1" (a dead network) gives them
        cases=[
            accuracy_case(23, 5, 0),
            accuracy_case(40, 8, 1),
            accuracy_case(7, 100, 2),
            dead_case(11, 5),
        ],
        batches=True,
        diagnosis=accuracy_slips,
        first_pass="only the first batch is counted",
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
        dtype=np.float32,
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
