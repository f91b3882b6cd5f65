"""Exercise my_setting of notebook 07: hyperparameters that reach 95 % validation accuracy.

The check trains the learner's setting once (cached) on the notebook's split of the shipped
sample and names what the run shows (course_utils.lessons.nb07_training.verdict): one piece
of advice per verdict (ADVICE), also for a verdict no typical mistake below shows.
Registered for notebook 07 (imported by nb07_mnist.py, in the notebook's order).
"""

import numpy as np

from ..errors import TrainingDiverged
from ..lessons import nb07_training as training
from ..training import predict
from . import Exercise, Mistake, register

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


def measure(full):
    """Train a complete setting on the notebook's split: (validation accuracy, history), or
    None if the cost diverged. The check's one slow step (the tests replace it)."""
    x_train, y_train, x_val, y_val = challenge_data()
    try:
        model, history = training.train_with(full, x_train, y_train, x_val, y_val)
    except TrainingDiverged:
        return None
    return float(np.mean(predict(model, x_val) == y_val)), history


class Verdict(int):
    """A verdict code (training.REACHED, …) that reads as its meaning in the feedback."""

    def __repr__(self):
        return training.VERDICTS[int(self)]


def try_setting(setting):
    """(verdict code, validation accuracy or None, training accuracy or None) of a setting."""
    full = training.check_setting(setting)
    key = repr(sorted(full.items()))
    if key not in CHALLENGE:
        over_budget = training.work(full) > training.BUDGET
        measured = None if over_budget else measure(full)
        if over_budget:
            CHALLENGE[key] = (training.OVER_BUDGET, None, None)
        elif measured is None:
            CHALLENGE[key] = (training.NO_LEARNING, None, None)
        else:
            val_acc, history = measured
            code = training.verdict(history, val_acc)
            CHALLENGE[key] = (code, val_acc, history["train_acc"][-1])
    return CHALLENGE[key]


def challenge_outcome(function):
    """The verdict of the learner's setting (REACHED = 0); tells the learner the numbers."""
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
    return Verdict(code)


# What each verdict means for the learner's next try.
ADVICE = {
    training.STILL_LEARNING: (
        "Still learning when training stopped (underfitting): the training accuracy is below "
        "95 % or the cost J still falls. Larger steps (α), momentum or more epochs; the talk's "
        "α = 0.001 with plain SGD needs hundreds of epochs."
    ),
    training.NO_LEARNING: (
        "The network did not learn at all (chance level, about 10 %, or the cost became NaN): "
        "α is far too large, every step overshoots. Try α 10 to 100 times smaller."
    ),
    training.OVER_BUDGET: (
        f"Over the budget: epochs × parameters must stay at most {training.BUDGET:,}, so that "
        "the notebook still runs in about a minute. Use fewer epochs or smaller hidden "
        "layers; larger steps learn faster."
    ),
    training.MEMORISED: (
        "Memorised (overfitting): the training accuracy is at least 99 % but the validation "
        "accuracy stays below 95 %. Show it more variety (max_shift=1), settle with "
        "schedule='cosine', or keep the best epoch (keep_best=True)."
    ),
    training.CLOSE: (
        "Learned, but below the target of 95 %: neither still learning nor memorising. "
        "Combine what helped in §3 (momentum, schedule='cosine', max_shift=1, keep_best=True) "
        "or try a wider network."
    ),
}

# Settings that show four of the verdicts, as the registered typical mistakes.
CHALLENGE_MISTAKES = {
    lambda: dict(lr=0.001, epochs=10): training.STILL_LEARNING,  # the talk's α, plain SGD
    lambda: dict(lr=10, epochs=10): training.NO_LEARNING,
    lambda: dict(lr=0.05, momentum=0.9, epochs=60): training.OVER_BUDGET,
    lambda: dict(optimizer="Adam", lr=0.001, epochs=20): training.MEMORISED,
}

register(
    Exercise(
        name="my_setting",
        reference=my_setting,
        cases=[()],
        run=challenge_outcome,
        notebook="nb07_mnist",
        where="course_utils.checks.mnist_challenge.my_setting",
        mistakes=[Mistake(ADVICE[code], setting) for setting, code in CHALLENGE_MISTAKES.items()],
        diagnosis=lambda got, expected, context: {("verdict", int(got)): ADVICE.get(int(got))},
    )
)
