"""Notebook 07 (the MNIST hands-on): training helpers and the ≥ 95 % challenge.

Callbacks for fit(..., callback=...), each run after every epoch:
    CosineSchedule   lowers the learning rate along half a cosine, from lr to 0
    RandomShifts     gives every epoch freshly shifted copies of the training digits
    callbacks(a, b)  runs several callbacks one after the other
ShiftedImages: the same random shifts, drawn for every batch when fit() takes it (no copies of
    the training set: what the full MNIST needs on a small machine).
The challenge (a setting is a dict of hyperparameters, e.g. RECOMMENDED):
    check_setting    completes a setting with its defaults, or explains what is wrong with it
    train_with       trains the talk's network (or another) with a setting: model and History
    verdict          what a finished run shows: reached 95 %, still learning, memorised, ...
Break it on purpose: diagnosis_summary (what fit() reported, without machine-dependent numbers).
"""

import math
import sys
import time

import numpy as np

from ..data import ScaledImages
from ..layers import MLP
from ..losses import CrossEntropyLoss
from ..optim import SGD, Adam
from ..training import fit

# ---------------------------------------------------------------- callbacks for fit()


def callbacks(*functions):
    """One callback for fit() that calls each of `functions` (epoch, history) in turn."""

    def run_all(epoch, history):
        for function in functions:
            if function is not None:
                function(epoch, history)

    return run_all


class CosineSchedule:
    """Learning rate along half a cosine: lr in epoch 1, falling smoothly towards 0.

    The rate used in epoch e (1-based) of E is lr_e = lr · (1 + cos(π (e − 1) / E)) / 2.
    Big steps first (fast progress), small steps at the end (settle into a minimum).
    Use as fit(..., callback=CosineSchedule(optimizer, epochs)): after each epoch it sets
    optimizer.lr for the next one.
    """

    def __init__(self, optimizer, epochs):
        self.optimizer, self.epochs, self.lr = optimizer, epochs, optimizer.lr

    def lr_in_epoch(self, epoch):
        return self.lr * (1 + math.cos(math.pi * (epoch - 1) / self.epochs)) / 2

    def __call__(self, epoch, history):
        self.optimizer.lr = self.lr_in_epoch(epoch + 1)


def shift_images(images, dy, dx, side=28):
    """Move each flattened image (N, side²) by dy rows and dx columns; new pixels are 0."""
    images = np.asarray(images)
    square = images.reshape(len(images), side, side)
    out = np.zeros_like(square)
    rows_to = slice(max(dy, 0), side + min(dy, 0))
    rows_from = slice(max(-dy, 0), side - max(dy, 0))
    cols_to = slice(max(dx, 0), side + min(dx, 0))
    cols_from = slice(max(-dx, 0), side - max(dx, 0))
    out[:, rows_to, cols_to] = square[:, rows_from, cols_from]
    return out.reshape(images.shape)


class RandomShifts:
    """Data augmentation: every epoch sees each digit moved by up to max_shift pixels.

    A digit moved by one pixel is still the same digit, but for the network (which sees 784
    unrelated numbers) it is a new example: more variety, less memorising.
    x: flattened images (N, 784). Train on `.x` (an array this object refills with new
    random shifts after every epoch when used as a fit() callback); the originals are kept.
    """

    def __init__(self, x, max_shift=1, seed=0, side=28):
        self.original = np.asarray(x)  # read only: never changed, so no copy is needed
        self.x = np.empty_like(self.original)
        self.max_shift, self.side = max_shift, side
        self.rng = np.random.default_rng(seed)
        self.seconds = 0.0  # time spent shifting (it counts as training time)
        self.refresh()

    def refresh(self):
        start = time.perf_counter()
        m, n = self.max_shift, len(self.original)
        dy = self.rng.integers(-m, m + 1, n)
        dx = self.rng.integers(-m, m + 1, n)
        for a in range(-m, m + 1):
            for b in range(-m, m + 1):
                chosen = np.flatnonzero((dy == a) & (dx == b))
                self.x[chosen] = shift_images(self.original[chosen], a, b, self.side)
        self.seconds += time.perf_counter() - start

    def __call__(self, epoch, history):
        self.refresh()


class ShiftedImages(ScaledImages):
    """Training images whose every batch is moved by up to max_shift pixels, freshly each time.

    images: uint8 pixels (N, 28, 28) or (N, 784) with values 0–255, or float inputs (N, 784)
    already in [0, 1]. Like ScaledImages, x[rows] gives float32 (batch, 784) in [0, 1]; each
    digit in it is shifted by a random (dy, dx), so every epoch sees new variants, and nothing
    but the batch is ever copied (RandomShifts keeps a shifted copy of the whole set instead).
    """

    def __init__(self, images, max_shift=1, seed=0, side=28):
        if isinstance(images, ScaledImages):
            images = images.images
        images = np.asarray(images)
        self.images = images.reshape(len(images), -1)  # a view: no copy
        self.scale = 255 if images.dtype == np.uint8 else 1
        self.shape, self.dtype, self.ndim = self.images.shape, np.dtype(np.float32), 2
        self.max_shift, self.side = max_shift, side
        self.rng = np.random.default_rng(seed)

    def batch(self, pixels):
        m, n = self.max_shift, len(pixels)
        dy = self.rng.integers(-m, m + 1, n)
        dx = self.rng.integers(-m, m + 1, n)
        out = np.empty_like(pixels)
        for a in range(-m, m + 1):
            for b in range(-m, m + 1):
                chosen = np.flatnonzero((dy == a) & (dx == b))
                if len(chosen):
                    out[chosen] = shift_images(pixels[chosen], a, b, self.side)
        return np.divide(out, self.scale, dtype=np.float32)

    def __repr__(self):
        return f"ShiftedImages({len(self):,} images, shifted by up to {self.max_shift} pixels)"


def peak_memory_mb():
    """The most memory this Python process has held so far (peak resident set), in MB.

    None where the standard library cannot tell (Windows).
    """
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# ---------------------------------------------------------------- settings and the challenge

# The talk's network, trained the way the notebook recommends (see scripts/benchmark_mnist.py).
RECOMMENDED = {
    "sizes": (784, 128, 64, 10),
    "activation": "relu",
    "lr": 0.05,
    "momentum": 0.9,
    "batch_size": 64,
    "epochs": 15,
    "max_shift": 1,
}

# What a learner may choose, with the value used when a setting leaves it out.
DEFAULTS = {
    "hidden": (128, 64),
    "activation": "relu",
    "optimizer": "SGD",
    "lr": None,  # required
    "momentum": 0.0,
    "batch_size": 64,
    "epochs": None,  # required
    "schedule": None,
    "max_shift": 0,
    "keep_best": False,
    "weight_decay": 0.0,
}
TARGET = 0.95  # the challenge: at least 95 % validation accuracy ...
BUDGET = 2_500_000  # ... with epochs × parameters at most this (23 epochs of the talk's network)

# What verdict() returns: one code per outcome, and what each means.
REACHED, OVER_BUDGET, NO_LEARNING, STILL_LEARNING, MEMORISED, CLOSE = range(6)
VERDICTS = {
    REACHED: "reached the target",
    OVER_BUDGET: "over the budget (not trained)",
    NO_LEARNING: "did not learn (chance level or diverged)",
    STILL_LEARNING: "still learning when it stopped",
    MEMORISED: "memorised the training set",
    CLOSE: "learned, but below the target: combine what helped in §3 (momentum, the cosine "
    "schedule, random shifts, keep_best) or try a wider network",
}


def check_setting(setting):
    """The setting with every default filled in; a ValueError naming the problem otherwise.

    setting: a dict with at least "lr" and "epochs", and any of the keys of DEFAULTS.
    """
    if not isinstance(setting, dict):
        raise ValueError(
            f"A setting is a dict of hyperparameters, e.g. dict(lr=0.05, epochs=10); "
            f"got {type(setting).__name__}."
        )
    unknown = sorted(set(setting) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"Unknown hyperparameter(s) {unknown}: choose from {sorted(DEFAULTS)}.")
    full = {**DEFAULTS, **setting}
    for key in ("lr", "epochs"):
        if full[key] is None:
            raise ValueError(f"The setting needs {key!r}, e.g. dict(lr=0.05, epochs=10).")
    if not (isinstance(full["lr"], int | float) and 0 < full["lr"] < 1000):
        raise ValueError(f"lr must be a positive number (e.g. 0.05), got {full['lr']!r}.")
    for key, low, high in (("epochs", 1, 200), ("batch_size", 16, 1024), ("max_shift", 0, 3)):
        if not (isinstance(full[key], int) and low <= full[key] <= high):
            raise ValueError(
                f"{key} must be a whole number from {low} to {high}, got {full[key]!r}."
            )
    if full["optimizer"] not in ("SGD", "Adam"):
        raise ValueError(f"optimizer must be 'SGD' or 'Adam', got {full['optimizer']!r}.")
    if not (isinstance(full["momentum"], int | float) and 0 <= full["momentum"] < 1):
        raise ValueError(
            f"momentum must be from 0 to below 1 (e.g. 0.9), got {full['momentum']!r}."
        )
    if full["optimizer"] == "Adam" and full["momentum"]:
        raise ValueError("Adam has its own momentum (β1 = 0.9): leave 'momentum' out with Adam.")
    if not (isinstance(full["weight_decay"], int | float) and 0 <= full["weight_decay"] < 1):
        raise ValueError(
            f"weight_decay must be from 0 to below 1 (e.g. 1e-4), got {full['weight_decay']!r}."
        )
    if full["schedule"] not in (None, "cosine"):
        raise ValueError(f"schedule must be None or 'cosine', got {full['schedule']!r}.")
    if full["activation"] not in ("relu", "sigmoid", "tanh"):
        raise ValueError(
            f"activation must be 'relu', 'sigmoid' or 'tanh', got {full['activation']!r}."
        )
    hidden = full["hidden"]
    if not (
        isinstance(hidden, list | tuple) and all(isinstance(h, int) and h >= 1 for h in hidden)
    ):
        raise ValueError(f"hidden must be a list of layer sizes, e.g. [128, 64]; got {hidden!r}.")
    full["hidden"] = tuple(hidden)
    full["keep_best"] = bool(full["keep_best"])
    return full


def num_parameters(hidden, n_in=784, n_out=10):
    """How many weights and biases the MLP n_in-hidden-n_out has."""
    sizes = [n_in, *hidden, n_out]
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def work(setting):
    """The training work of a setting: epochs × parameters (time grows with both)."""
    full = check_setting(setting)
    return full["epochs"] * num_parameters(full["hidden"])


def train_with(setting, x_train, y_train, x_val, y_val, seed=0, callback=None, progress=False):
    """Train a new network with a setting (a dict, see DEFAULTS); return (model, History).

    x_train (N, 784) floats in [0, 1] or ScaledImages, y_train (N,); likewise the validation
    set. With max_shift, every batch is shifted afresh (ShiftedImages). The same
    seed starts the weights, shuffles the batches and draws the shifts, so a run repeats.
    callback(epoch, history) runs after every epoch (for example a LivePlot).
    """
    s = check_setting(setting)
    model = MLP([x_train.shape[1], *s["hidden"], 10], activation=s["activation"], seed=seed)
    if s["optimizer"] == "Adam":
        optimizer = Adam(model, lr=s["lr"], weight_decay=s["weight_decay"])
    else:
        optimizer = SGD(model, lr=s["lr"], momentum=s["momentum"], weight_decay=s["weight_decay"])
    schedule = CosineSchedule(optimizer, s["epochs"]) if s["schedule"] == "cosine" else None
    if s["max_shift"]:
        x_train = ShiftedImages(x_train, s["max_shift"], seed=seed)
    history = fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        x_train,
        y_train,
        epochs=s["epochs"],
        batch_size=s["batch_size"],
        x_val=x_val,
        y_val=y_val,
        seed=seed,
        keep_best=s["keep_best"],
        progress=progress,
        callback=callbacks(schedule, callback),
    )
    return model, history


def verdict(history, final_val_acc):
    """What a finished run shows, as one of the codes of VERDICTS (see there).

    history: fit()'s History; final_val_acc: the validation accuracy of the returned model.
    """
    if final_val_acc >= TARGET:
        return REACHED
    if final_val_acc < 0.2:
        return NO_LEARNING
    if history["train_acc"][-1] >= 0.99:
        return MEMORISED
    costs = history["train_loss"]
    still_falling = len(costs) < 2 or costs[-1] < 0.98 * costs[-2]  # by > 2 % per epoch
    if history["train_acc"][-1] < 0.95 or still_falling:
        return STILL_LEARNING
    return CLOSE


def diagnosis_summary(history):
    """fit()'s diagnoses in history["warnings"], one line each: what, the likely cause, the fix.

    A report reads "Cost exploded: <the numbers fit saw> Most likely cause: … Fix: …". The
    numbers (how high J went, how many units died) differ a little from one computer to
    another, so this keeps the headline and the advice, which do not.
    """
    lines = []
    for message in history.get("warnings", []):
        headline = message.split(":", 1)[0]
        start = message.find("Most likely cause")
        start = start if start >= 0 else message.find("Fix")
        lines.append(f"{headline}. {message[start:]}" if start >= 0 else message)
    return lines or ["nothing to report: no sign of a typical failure."]
