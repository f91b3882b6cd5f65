"""Exercises of notebook 06 (data splits, overfitting and hyperparameters).

The library's versions: course_utils.datasets.train_val_test_split (splitting) and the
best_epoch entry of the History that course_utils.training.fit returns.
"""

import numpy as np

from . import Exercise, Mistake, register

# --- seeded_split --------------------------------------------------------------------------


def seeded_split(n, fractions, seed):
    """Split the indices 0 … n−1 at random, reproducibly, into training, validation and test.

    fractions: (f_train, f_val, f_test), adding up to 1. Shuffle once with
    np.random.default_rng(seed).permutation(n); the first round(f_train·n) shuffled indices
    are the training set, the next round(f_val·n) the validation set, the rest the test set.
    Returns (train_idx, val_idx, test_idx), three int arrays that share no index.
    """
    order = np.random.default_rng(seed).permutation(n)
    n_train = round(fractions[0] * n)
    n_val = round(fractions[1] * n)
    return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]


def split_variant(order, overlap=False, offset=0):
    """A wrong version of seeded_split, for the checks' typical mistakes."""

    def split(n, fractions, seed):
        indices = order(n, seed)
        n_train, n_val = round(fractions[0] * n), round(fractions[1] * n)
        val = indices[n_train + offset : n_train + n_val + offset]
        test = indices[n_train:] if overlap else indices[n_train + n_val + offset :]
        return indices[:n_train], val, test

    return split


def fresh_permutations(n, fractions, seed):
    rng = np.random.default_rng(seed)
    n_train, n_val = round(fractions[0] * n), round(fractions[1] * n)
    train = rng.permutation(n)[:n_train]
    val = rng.permutation(n)[:n_val]
    test = rng.permutation(n)[: n - n_train - n_val]
    return train, val, test


def shuffled(n, seed):
    return np.random.default_rng(seed).permutation(n)


register(
    Exercise(
        name="seeded_split",
        reference=seeded_split,
        where="course_utils.checks.nb06_splits.seeded_split "
        "(for arrays x, y: course_utils.datasets.train_val_test_split)",
        cases=[(10, (0.6, 0.2, 0.2), 0), (20, (0.7, 0.15, 0.15), 1), (50, (0.8, 0.1, 0.1), 2)],
        mistakes=[
            Mistake(
                "The indices are not shuffled: if the data are sorted (by date, by class), the "
                "three sets differ systematically. Shuffle once with "
                "np.random.default_rng(seed).permutation(n).",
                split_variant(lambda n, seed: np.arange(n)),
            ),
            Mistake(
                "You drew a new permutation for each set: then the sets overlap, and validation "
                "or test examples are also training examples. Shuffle once and cut that order.",
                fresh_permutations,
            ),
            Mistake(
                "Your test set also contains the validation set: test = order[n_train + n_val:], "
                "not order[n_train:]. The three sets must not share any example.",
                split_variant(shuffled, overlap=True),
            ),
            Mistake(
                "Off by one: the validation set starts right after the training set, at "
                "order[n_train] (Python slices exclude their end, so order[:n_train] stops "
                "just before it).",
                split_variant(shuffled, offset=1),
            ),
        ],
    )
)

# --- best_epoch ----------------------------------------------------------------------------


def best_epoch(history):
    """The epoch with the lowest validation cost, counted from 1 (as fit's history["best_epoch"]).

    history: a dict with lists "train_loss" and "val_loss", one entry per epoch; entry i belongs
    to epoch i + 1. On a tie, the earliest epoch.
    """
    return int(np.argmin(history["val_loss"])) + 1


EPOCH_CASES = [
    ({"train_loss": [0.9, 0.6, 0.45, 0.4, 0.31, 0.3, 0.33],
      "val_loss": [1.1, 0.8, 0.62, 0.55, 0.58, 0.63, 0.7]},),
    ({"train_loss": [0.7, 0.5, 0.35, 0.28, 0.2],
      "val_loss": [0.9, 0.6, 0.64, 0.7, 0.8]},),
]  # fmt: skip

register(
    Exercise(
        name="best_epoch",
        reference=best_epoch,
        where="course_utils.checks.nb06_splits.best_epoch "
        '(fit(..., x_val=..., y_val=...) returns it as history["best_epoch"])',
        cases=EPOCH_CASES,
        mistakes=[
            Mistake(
                "You used the training cost: it keeps falling while the network memorises. "
                'Choose the epoch by the validation cost, history["val_loss"].',
                lambda h: int(np.argmin(h["train_loss"])) + 1,
            ),
            Mistake(
                "Off by one: np.argmin counts from 0, epochs count from 1 "
                "(entry 0 of the list is epoch 1). Return np.argmin(...) + 1.",
                lambda h: int(np.argmin(h["val_loss"])),
            ),
            Mistake(
                "argmax picks the worst epoch: we want the lowest validation cost, np.argmin.",
                lambda h: int(np.argmax(h["val_loss"])) + 1,
            ),
            Mistake(
                "That is simply the last epoch: the best one is where the validation cost is "
                "lowest, often long before training stops.",
                lambda h: len(h["val_loss"]),
            ),
        ],
    )
)

# --- best_setting --------------------------------------------------------------------------


def best_setting(results):
    """Position (0, 1, 2, … in the list) of the hyperparameter setting to choose.

    results: a list of dicts, one per setting, with at least "train_acc" and "val_acc"
    (accuracies between 0 and 1). Choose by the highest validation accuracy; on a tie, the
    first such setting.
    """
    return int(np.argmax([row["val_acc"] for row in results]))


SETTING_CASES = [
    ([{"hidden": [8], "lr": 0.003, "train_acc": 0.81, "val_acc": 0.74},
      {"hidden": [8], "lr": 0.03, "train_acc": 0.93, "val_acc": 0.86},
      {"hidden": [64, 64], "lr": 0.003, "train_acc": 0.95, "val_acc": 0.80},
      {"hidden": [64, 64], "lr": 0.03, "train_acc": 1.0, "val_acc": 0.78},
      {"hidden": [2], "lr": 0.03, "train_acc": 0.70, "val_acc": 0.75}],),
    ([{"hidden": [4], "lr": 0.01, "train_acc": 0.85, "val_acc": 0.84},
      {"hidden": [16], "lr": 0.01, "train_acc": 0.95, "val_acc": 0.80},
      {"hidden": [256], "lr": 0.01, "train_acc": 0.99, "val_acc": 0.70}],),
]  # fmt: skip

register(
    Exercise(
        name="best_setting",
        reference=best_setting,
        where="course_utils.checks.nb06_splits.best_setting",
        cases=SETTING_CASES,
        mistakes=[
            Mistake(
                "You chose by training accuracy, which rewards memorising: the biggest network "
                'wins. Choose by row["val_acc"].',
                lambda rows: int(np.argmax([r["train_acc"] for r in rows])),
            ),
            Mistake(
                "argmin picks the worst setting: choose the highest validation accuracy "
                "with np.argmax.",
                lambda rows: int(np.argmin([r["val_acc"] for r in rows])),
            ),
            Mistake(
                "Averaging training and validation accuracy still lets the training data vote: "
                "choose by validation accuracy alone.",
                lambda rows: int(np.argmax([r["train_acc"] + r["val_acc"] for r in rows])),
            ),
            Mistake(
                "Off by one: return the position in the list as Python counts it, from 0.",
                lambda rows: int(np.argmax([r["val_acc"] for r in rows])) + 1,
            ),
            Mistake(
                "You chose the smallest gap between training and validation accuracy: a small "
                "gap means little overfitting, not a good model (a network too small to learn "
                "anything has no gap either). Choose the highest validation accuracy.",
                lambda rows: int(np.argmax([r["val_acc"] - r["train_acc"] for r in rows])),
            ),
        ],
    )
)
