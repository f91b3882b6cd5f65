"""Typical beginner answers to every exercise are rejected, with a message that names the slip.

The answers live in one test file per group of notebooks (tests/test_wrong_answers_nb01_03.py,
…_nb04.py, …_nb05_06.py, …_nb07.py); this module holds the format and the shared test code.

HOW TO ADD ENTRIES (for whoever adds or changes an exercise)
-------------------------------------------------------------
Each test file has a dict WRONG_ANSWERS that maps an exercise name (as registered with
course_utils.checks.register) to a list of (phrase, answer) pairs:

- answer: a wrong implementation, written as a learner would write it (a lambda, or a def
  above the dictionary when it needs statements: in-place updates, loops, no `return`).
- phrase: words that must appear in the check's message (case-insensitive), chosen so that
  they NAME the mistake ("forgot `return`", "transposed", "wrong sign", "db is wrong"), not
  just "Not yet". Every answer must be rejected (never ✅, never "not attempted").
- At least six answers per exercise, from different families: wrong formula, wrong axis or
  shape, in-place change of an argument, a list/bool/None/generator instead of an array, an
  error a beginner's code raises (`^` for `**`, `if` on an array, math.exp on an array,
  M @ x on a batch), an edge case (0, ties, a last partial batch, extreme rows), a slip in
  the code's structure (`return` inside the loop, a loop that starts at 1).
The test file turns the dict into tests with `cases(WRONG_ANSWERS)` and `check_answer(...)`.
Exercises that are not registered (renamed or removed) are skipped with their reason.
my_setting (notebook 07's challenge) trains a network per answer: there a stand-in
(fake_training) returns the run each setting would give, so every verdict is tested cheaply.
"""

import numpy as np
import pytest

from course_utils.checks import EXERCISES, evaluate, load_all
from course_utils.lessons import nb07_training

load_all()


def cases(wrong_answers):
    """pytest parameters (name, phrase, answer), one per entry, with ids like 'sigmoid-3'."""
    return [
        pytest.param(name, phrase, answer, id=f"{name}-{index}")
        for name, answers in wrong_answers.items()
        for index, (phrase, answer) in enumerate(answers)
    ]


def check_answer(name, phrase, answer, monkeypatch):
    """The answer is rejected, and the message contains the phrase."""
    if name not in EXERCISES:
        pytest.skip(f"exercise {name!r} is not registered (renamed or removed?)")
    if name == "my_setting":
        fake_training(monkeypatch)
    result = evaluate(name, answer)
    assert result.status in ("mistake", "wrong"), (name, phrase, result)
    assert phrase.lower() in result.message.lower(), (name, phrase, result.message)


# ---------------------------------------------------------------- helpers the answers share


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_p(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def ce_start(y_hat, y, scale=True, sign=1.0):
    """∂J/∂ŷ of softmax + cross-entropy, (p − one_hot(y)) / M, or a wrong variant."""
    G = sign * softmax_rows(y_hat)
    G[np.arange(len(y)), y] -= sign
    return G / len(y) if scale else G


# ---------------------------------------------------------------- the challenge, without training

# (optimizer, α) -> (validation accuracy, training accuracy, the last two training costs) of
# the run a setting would give; None: the cost diverged (TrainingDiverged).
FAKE_RUNS = {
    ("SGD", 0.05): (0.97, 0.98, [0.20, 0.19]),  # the notebook's setting: reached
    ("SGD", 0.001): (0.43, 0.41, [1.98, 1.94]),  # the talk's α: still learning
    ("SGD", 0.01): (0.92, 0.93, [0.30, 0.299]),  # below 95 %, no longer learning
    ("SGD", 10): (0.10, 0.09, [2.30, 2.30]),  # chance level
    ("SGD", 30): None,  # diverged
    ("Adam", 0.001): (0.93, 1.0, [0.05, 0.04]),  # memorised
    ("SGD", 0.1): (0.93, 0.96, [0.30, 0.299]),  # close: learned, below the target
}


def fake_training(monkeypatch):
    """my_setting's check without training: each setting gets its run from FAKE_RUNS."""
    from course_utils.checks import mnist_challenge

    def measure(full):
        run = FAKE_RUNS[(full["optimizer"], full["lr"])]
        if run is None:
            return None
        val_acc, train_acc, costs = run
        return val_acc, {"train_acc": [train_acc], "train_loss": costs}

    def no_training(*args, **kwargs):
        raise AssertionError("the check trained a network")

    monkeypatch.setattr(mnist_challenge, "CHALLENGE", {})
    monkeypatch.setattr(mnist_challenge, "measure", measure)
    monkeypatch.setattr(nb07_training, "train_with", no_training)
