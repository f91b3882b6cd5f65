"""Exercises of notebook 06 (data splits, overfitting and hyperparameters).

The library's versions: course_utils.datasets.train_val_test_split (splitting) and the
best_epoch entry of the History that course_utils.training.fit returns. normalise has no
library version: it is three lines, and the lesson is which statistics they use.
"""

import numpy as np

from . import Exercise, Mistake, register
from .splits import SET_NAMES, split_sizes

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
        cases=[
            (10, (0.6, 0.2, 0.2), 0),
            (20, (0.7, 0.15, 0.15), 1),
            (50, (0.8, 0.1, 0.1), 2),
            (20, (0.5, 0.3, 0.2), 3),  # val and test differ: the order of the fractions matters
            (11, (0.6, 0.2, 0.2), 4),  # 6.6 training examples: round() gives 7, int() gives 6
            (10, (0.8, 0.2, 0.0), 5),  # no test set: order[-0:] would be the whole set
            (10, (0.45, 0.45, 0.1), 6),  # rounded sizes 4 + 4 + 1 < 10: the test set is the rest
            (5, (0.1, 0.45, 0.45), 7),  # 0 + 2 + 2 < 5: no training example at all, and the rest
            (9, (0.5, 0.3, 0.2), 8),  # 2.7 validation examples: round() gives 3, int() 2
            (10, (0.6, 0.2, 0.2), 0),  # the first input again: the same seed, the same split
        ],
        outputs=SET_NAMES,
        diagnosis=split_sizes,
        length_hint="check how its size is computed: round(f · n) with its own fraction, and "
        "the test set is the rest; and check where each slice starts and stops.",
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
            Mistake(
                "np.random.seed(seed) with np.random.permutation(n) is NumPy's old random "
                "generator: it shuffles differently. Use the new one, "
                "np.random.default_rng(seed).permutation(n).",
                split_variant(lambda n, seed: np.random.RandomState(seed).permutation(n)),
            ),
        ],
    )
)

# --- normalise -----------------------------------------------------------------------------


def normalise(x_train, x_val, x_test):
    """Normalise every column to mean 0 and standard deviation 1, with TRAINING statistics only.

    x_train (N_train, F), x_val (N_val, F), x_test (N_test, F). The mean and standard deviation
    of each feature (column) are computed on x_train alone, as np.mean and np.std do
    (axis=0), and all three sets are normalised with them: (x − mean) / std.
    Returns (x_train_n, x_val_n, x_test_n), the same shapes. Validation and test columns then
    have means close to, but not exactly, 0 and standard deviations close to 1: that is right.
    """
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, (x_val - mean) / std, (x_test - mean) / std


def normalise_with(statistics):
    """A wrong normalise: statistics(x_train, x_val, x_test, x) -> (mean, std) for each set x."""

    def wrong(x_train, x_val, x_test):
        results = []
        for x in (x_train, x_val, x_test):
            mean, std = statistics(x_train, x_val, x_test, x)
            results.append((x - mean) / std)
        return tuple(results)

    return wrong


def columns(x):
    return x.mean(axis=0), x.std(axis=0)


def house_sets(seed, n_train=1000, n_val=5, n_test=4):
    """Made-up houses (size m², location score, age in years); validation and test differ a
    little from training, as real later data do, so each wrong choice of statistics shows."""
    rng = np.random.default_rng(seed)
    centre, spread = np.array([120.0, 5.0, 40.0]), np.array([45.0, 2.5, 25.0])
    x_train = centre + spread * rng.normal(size=(n_train, 3))
    x_val = centre * 1.1 + spread * rng.normal(size=(n_val, 3))
    x_test = centre * 0.9 + 1.5 * spread * rng.normal(size=(n_test, 3))
    low, high = [20.0, 0.0, 0.0], [400.0, 10.0, 100.0]
    return tuple(np.clip(x, low, high).round(1) for x in (x_train, x_val, x_test))


register(
    Exercise(
        name="normalise",
        reference=normalise,
        where="course_utils.checks.nb06_splits.normalise",
        cases=[house_sets(0), house_sets(1, n_train=1500, n_val=3, n_test=6)],
        outputs=("x_train_n", "x_val_n", "x_test_n"),
        # 1,000+ training rows: dividing by n − 1 (ddof=1, pandas' default) instead of n
        # changes the result by less than 0.1 %, so both conventions pass; atol lets float32
        # arithmetic pass too (its rounding error after subtracting a mean of ~100 is ~1e-6).
        rtol=1e-3,
        atol=1e-5,
        mistakes=[
            Mistake(
                "Leakage: you computed the mean and standard deviation over ALL the data, "
                "validation and test included. Those sets must not influence anything you "
                "fit, and the statistics are fitted numbers too; use x_train's only.",
                normalise_with(lambda tr, va, te, x: columns(np.concatenate([tr, va, te]))),
            ),
            Mistake(
                "Leakage: your statistics include the validation set (training and validation "
                "together). Validation data only judge; compute mean and std on x_train alone.",
                normalise_with(lambda tr, va, te, x: columns(np.concatenate([tr, va]))),
            ),
            Mistake(
                "You normalised each set with its own mean and standard deviation. Then the "
                "validation and test inputs are shifted differently from the training inputs "
                "the network learnt, and one new example alone has std 0. Use x_train's "
                "statistics for all three sets.",
                normalise_with(lambda tr, va, te, x: columns(x)),
            ),
            Mistake(
                "Leakage: you used the validation set's statistics. Compute mean and std on "
                "x_train (the set the network learns from) and apply them to all three sets.",
                normalise_with(lambda tr, va, te, x: columns(va)),
            ),
            Mistake(
                "Leakage: you used the test set's statistics. The test set stands for future "
                "data, which you cannot see when you train: use x_train's mean and std.",
                normalise_with(lambda tr, va, te, x: columns(te)),
            ),
            Mistake(
                "You used one mean and one standard deviation for the whole array: a size in m² "
                "and a location score 0–10 then stay on different scales. Compute them per "
                "feature (column) with axis=0.",
                normalise_with(lambda tr, va, te, x: (tr.mean(), tr.std())),
            ),
            Mistake(
                "axis=1 gives each example's (row's) statistics. We want each feature's "
                "(column's), over the training examples: x_train.mean(axis=0).",
                normalise_with(
                    lambda tr, va, te, x: (
                        x.mean(axis=1, keepdims=True),
                        x.std(axis=1, keepdims=True),
                    )
                ),
            ),
            Mistake(
                "You divided by the variance (np.var). Divide by the standard deviation, its "
                "square root (np.std), so that every column ends up with std 1.",
                normalise_with(lambda tr, va, te, x: (tr.mean(axis=0), tr.var(axis=0))),
            ),
            Mistake(
                "You only subtracted the mean: the columns are centred but keep their scales "
                "(sizes in the hundreds, scores below 10). Divide by x_train's std as well.",
                normalise_with(lambda tr, va, te, x: (tr.mean(axis=0), 1.0)),
            ),
            Mistake(
                "You normalised x_train but returned x_val and x_test unchanged: the network "
                "would see validation and test inputs on a scale it never learnt. Apply the "
                "same (x − mean) / std, with x_train's mean and std, to all three.",
                lambda tr, va, te: (normalise(tr, va, te)[0], va, te),
            ),
            Mistake(
                "Missing brackets: / comes before −, so x − mean / std divides only the mean. "
                "Write (x − mean) / std.",
                lambda tr, va, te: tuple(
                    x - tr.mean(axis=0) / tr.std(axis=0) for x in (tr, va, te)
                ),
            ),
            Mistake(
                "You divided by the standard deviation but did not subtract the mean first: "
                "(x − mean) / std.",
                normalise_with(lambda tr, va, te, x: (0.0, tr.std(axis=0))),
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
    ({"train_loss": [0.8, 0.5, 0.4, 0.3, 0.25, 0.2],
      "val_loss": [0.9, 0.55, 0.6, 0.55, 0.7, 0.75]},),  # a tie: epochs 2 and 4
    ({"train_loss": [0.5, 0.3, 0.2], "val_loss": [0.6, 0.65, 0.8]},),  # the first epoch is best
    ({"train_loss": [1.0 - 0.02 * e for e in range(31)],  # 31 epochs, a tie: epochs 5 and 8
      "val_loss": [0.9, 0.8, 0.7, 0.6, 0.5, 0.55, 0.52, 0.5]
                  + [0.6 + 0.01 * e for e in range(23)]},),
]  # fmt: skip


def last_of_ties(history):
    """Looping with <= keeps the last of equal costs."""
    best, best_loss = 0, np.inf
    for epoch, loss in enumerate(history["val_loss"], start=1):
        if loss <= best_loss:
            best, best_loss = epoch, loss
    return best


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
            Mistake(
                "You returned the lowest validation cost itself; return the epoch in which "
                "it occurred (its position in the list, counted from 1).",
                lambda h: min(h["val_loss"]),
            ),
            Mistake(
                "On a tie you returned the later epoch (a loop with <=, or searching from the "
                "end). Take the earliest: fewer epochs, the same validation cost, as fit does. "
                "np.argmin returns the first of equal values.",
                last_of_ties,
            ),
        ],
    )
)
