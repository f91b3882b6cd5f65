"""Notebook 06: the exercises' checks, learners' typical wrong answers, and the lesson helpers.

Besides the engine's own tests (tests/test_exercises.py, tests/test_wrong_answers_*.py), this
file feeds the new exercise `normalise` the answers learners write (WRONG_ANSWERS, in the format
of tests/wrong_answers.py) and asserts that the check names each mistake, and that answers
right in another way (ddof=1, float32) pass. It also re-measures the notebook's claims on
fresh seeds, so that they do not rest on one run.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils.checks import EXERCISES, evaluate, load_all  # noqa: E402
from course_utils.checks import nb06_splits as ex06  # noqa: E402
from course_utils.lessons import nb06_splits as lesson06  # noqa: E402
from course_utils.metrics import standard_error  # noqa: E402

load_all()

# --- learners' wrong answers, in the format of tests/wrong_answers.py -------------------------
# {exercise: [(phrase the feedback must contain, the answer as a learner writes it)]}


def normalise_all_data(x_train, x_val, x_test):
    everything = np.vstack([x_train, x_val, x_test])
    mu, sigma = everything.mean(axis=0), everything.std(axis=0)
    return (x_train - mu) / sigma, (x_val - mu) / sigma, (x_test - mu) / sigma


def normalise_each_own(x_train, x_val, x_test):
    def z(x):
        return (x - x.mean(axis=0)) / x.std(axis=0)

    return z(x_train), z(x_val), z(x_test)


def normalise_train_and_val(x_train, x_val, x_test):
    both = np.concatenate((x_train, x_val))
    m, s = np.mean(both, axis=0), np.std(both, axis=0)
    return [(x - m) / s for x in (x_train, x_val, x_test)]


def normalise_rows(x_train, x_val, x_test):
    out = []
    for x in (x_train, x_val, x_test):
        out.append((x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True))
    return out


def normalise_in_place(x_train, x_val, x_test):
    m, s = x_train.mean(axis=0), x_train.std(axis=0)
    for x in (x_val, x_test, x_train):  # the right numbers, but the caller's arrays change
        x -= m
        x /= s
    return x_train, x_val, x_test


def normalise_train_only(x_train, x_val, x_test):
    x_train = (x_train - x_train.mean(axis=0)) / x_train.std(axis=0)
    return x_train, x_val, x_test


def best_epoch_from_the_end(history):
    losses = history["val_loss"]
    return len(losses) - int(np.argmin(losses[::-1]))


def train_stats(x):
    return x.mean(axis=0), x.std(axis=0)


WRONG_ANSWERS = {
    "normalise": [
        ("over ALL the data", normalise_all_data),
        ("its own mean", normalise_each_own),
        ("include the validation set", normalise_train_and_val),
        ("validation set's statistics", lambda tr, va, te: tuple(
            (x - va.mean(0)) / va.std(0) for x in (tr, va, te))),
        ("test set's statistics", lambda tr, va, te: tuple(
            (x - np.mean(te, axis=0)) / np.std(te, axis=0) for x in (tr, va, te))),
        ("one mean and one standard deviation for the whole array", lambda tr, va, te: tuple(
            (x - np.mean(tr)) / np.std(tr) for x in (tr, va, te))),
        ("variance", lambda tr, va, te: tuple(
            (x - tr.mean(axis=0)) / tr.var(axis=0) for x in (tr, va, te))),
        ("axis=1", normalise_rows),
        ("only subtracted the mean", lambda tr, va, te: tuple(
            x - tr.mean(axis=0) for x in (tr, va, te))),
        ("x_val and x_test unchanged", normalise_train_only),
        ("in place", normalise_in_place),
    ],
    "best_epoch": [  # the tie case, also in tests/test_wrong_answers_nb05_06.py
        ("on a tie", best_epoch_from_the_end),
        ("lowest validation cost itself", lambda h: min(h["val_loss"])),
    ],
}  # fmt: skip

# Answers that are right, written differently from the reference: they must pass.
RIGHT_ANSWERS = {
    "normalise": [
        lambda tr, va, te: tuple(  # pandas' convention, ddof=1
            (x - tr.mean(axis=0)) / tr.std(axis=0, ddof=1) for x in (tr, va, te)),
        lambda tr, va, te: tuple(  # in float32
            (x.astype(np.float32) - tr.astype(np.float32).mean(axis=0))
            / tr.astype(np.float32).std(axis=0) for x in (tr, va, te)),
        lambda tr, va, te: [(x - train_stats(tr)[0]) / train_stats(tr)[1] for x in (tr, va, te)],
    ],
    "best_epoch": [
        lambda h: h["val_loss"].index(min(h["val_loss"])) + 1,
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- the exercises' checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, phrase, answer",
    [(name, phrase, answer) for name, pairs in WRONG_ANSWERS.items() for phrase, answer in pairs],
)
def test_learners_wrong_answers_are_named(name, phrase, answer):
    result = evaluate(name, answer)
    assert result.status == "mistake", result.message
    assert phrase.lower() in result.message.lower(), result.message


@pytest.mark.parametrize(
    "name, answer",
    [(name, answer) for name, answers in RIGHT_ANSWERS.items() for answer in answers],
)
def test_answers_right_in_another_way_pass(name, answer):
    result = evaluate(name, answer)
    assert result.status == "correct", result.message


def test_at_least_six_wrong_answers_for_normalise_and_three_leakage_mistakes():
    assert len(WRONG_ANSWERS["normalise"]) >= 6
    leakage = [m for m in EXERCISES["normalise"].mistakes if m.message.startswith("Leakage")]
    assert len(leakage) >= 3


def test_pick_the_best_exercise_is_best_epoch_only():
    """The series keeps one "pick the best" exercise: notebook 06's best_epoch."""
    assert "best_setting" not in EXERCISES
    assert "best_epoch" in EXERCISES


@pytest.mark.parametrize(
    "n, fractions", [(10, (0.6, 0.2, 0.2)), (101, (0.8, 0.1, 0.1)), (400, (0.5, 0.5, 0.0))]
)
def test_seeded_split_is_a_reproducible_partition(n, fractions):
    parts = ex06.seeded_split(n, fractions, seed=5)
    np.testing.assert_array_equal(np.sort(np.concatenate(parts)), np.arange(n))
    assert [len(p) for p in parts] == cu.datasets.split_counts(n, fractions)
    for mine, again in zip(parts, ex06.seeded_split(n, fractions, seed=5)):
        np.testing.assert_array_equal(mine, again)
    assert not np.array_equal(parts[0], ex06.seeded_split(n, fractions, seed=6)[0])


def test_normalise_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    x_train = rng.normal([100, 5, 40], [40, 2, 20], size=(200, 3))
    x_val, x_test = rng.normal(size=(7, 3)), rng.normal(size=(9, 3))
    before = [x.copy() for x in (x_train, x_val, x_test)]
    n_train, n_val, n_test = ex06.normalise(x_train, x_val, x_test)
    np.testing.assert_allclose(n_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(n_train.std(axis=0), 1)
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    np.testing.assert_allclose(n_val, (x_val - mean) / std)
    np.testing.assert_allclose(n_test, (x_test - mean) / std)
    # the validation and test data influence nothing: change them, training output stays
    again = ex06.normalise(x_train, 10 * x_val, x_test + 3)
    np.testing.assert_array_equal(again[0], n_train)
    for x, y in zip((x_train, x_val, x_test), before):
        np.testing.assert_array_equal(x, y)  # inputs untouched


def test_best_epoch_agrees_with_fit_and_takes_the_earliest_of_ties():
    x, y = cu.datasets.make_moons(80, noise=0.35, seed=1)
    net = cu.MLP([2, 16, 2], seed=0)
    history = cu.fit(
        net,
        cu.CrossEntropyLoss(),
        cu.Adam(net, lr=0.01),
        x[:20],
        y[:20],
        epochs=15,
        batch_size=10,
        x_val=x[20:],
        y_val=y[20:],
        progress=False,
        diagnose=False,
    )
    assert ex06.best_epoch(history) == history["best_epoch"]
    assert ex06.best_epoch({"train_loss": [1, 1, 1], "val_loss": [0.5, 0.4, 0.4]}) == 2
    tie_cases = [
        case for (case,) in ex06.EPOCH_CASES if len(set(case["val_loss"])) < len(case["val_loss"])
    ]
    assert tie_cases, "the check must contain a tie, or a later-of-ties answer passes"


# --- lesson helpers ------------------------------------------------------------------------------


def test_column_stats_is_a_readable_table_without_negative_zeros():
    x = np.array([[1.0, -1e-17], [3.0, 1e-17]]) - [2.0, 0.0]
    table = lesson06.column_stats({"training": x, "other": x + [10, 0]})
    assert "-0.00" not in table
    lines = table.splitlines()
    assert lines[0].split() == ["mean0", "std0", "mean1", "std1"]
    assert lines[1].split() == ["training", "0.00", "1.00", "0.00", "0.00"]
    assert lines[2].split() == ["other", "10.00", "1.00", "0.00", "0.00"]


def test_passengers_survival_depends_on_the_deck_only():
    names, deck, survived = lesson06.make_passengers(20_000, seed=3)
    assert len(names) == len(deck) == len(survived) == 20_000
    for d, rate in enumerate(lesson06.DECK_SURVIVAL):
        assert survived[deck == d].mean() == pytest.approx(rate, abs=0.04)
    first, again = lesson06.make_passengers(50, seed=3), lesson06.make_passengers(50, seed=3)
    assert first[0] == again[0] and np.array_equal(first[2], again[2])  # seeded
    assert first[0] != lesson06.make_passengers(50, seed=4)[0]
    assert lesson06.best_possible_accuracy() == pytest.approx(0.75)
    counts = lesson06.letter_counts(["Ann Bo"])
    assert counts.shape == (1, 26) and counts[0, 0] == 1 and counts[0, 13] == 2
    assert counts.sum() == 5
    np.testing.assert_array_equal(lesson06.deck_one_hot(np.array([0, 6]))[:, [0, 6]], np.eye(2))
    assert "deck" in lesson06.passenger_table(names, deck, survived, n=3)


def test_names_are_memorised_but_the_deck_is_learnt():
    """The notebook's claim, on a passenger list and seed the notebook does not use."""
    names, deck, survived = lesson06.make_passengers(600, seed=11)
    train, val = np.arange(300), np.arange(300, 600)
    guess_no = 1 - survived[val].mean()
    se = standard_error(guess_no, len(val))
    results = {}
    for label, x in (
        ("name", lesson06.letter_counts(names)),
        ("deck", lesson06.deck_one_hot(deck)),
    ):
        net = cu.MLP([x.shape[1], 64, 64, 2], seed=1)
        h = cu.fit(
            net,
            cu.CrossEntropyLoss(),
            cu.Adam(net, lr=0.01),
            x[train],
            survived[train],
            epochs=60,
            batch_size=32,
            x_val=x[val],
            y_val=survived[val],
            seed=1,
            progress=False,
            diagnose=False,
        )
        results[label] = h["train_acc"][-1], h["val_acc"][-1]
    assert results["name"][0] > 0.95
    assert results["name"][1] < guess_no + 2 * se  # no better than always guessing
    assert abs(results["deck"][1] - lesson06.best_possible_accuracy()) < 3 * se
    assert results["deck"][1] > results["name"][1] + 0.1


def test_weight_decay_beats_no_weight_decay_on_the_moons_and_too_much_underfits():
    """The notebook's §8 claim, re-measured with other seeds (median of three)."""
    x, y = cu.datasets.make_moons(600, noise=0.35, seed=1)
    train, val, _ = ex06.seeded_split(len(x), (0.1, 0.45, 0.45), seed=0)
    medians = {}
    for lam in (0, 0.01, 0.3):
        accs = []
        for seed in (10, 11, 12):
            net = cu.MLP([2, 64, 64, 2], seed=seed)
            opt = cu.Adam(net, lr=0.01, weight_decay=lam)
            cu.fit(net, cu.CrossEntropyLoss(), opt, x[train], y[train], epochs=100,
                   batch_size=16, seed=seed, progress=False, diagnose=False)  # fmt: skip
            accs.append((cu.accuracy(net(x[train]), y[train]), cu.accuracy(net(x[val]), y[val])))
        medians[lam] = np.median(accs, axis=0)
    se = standard_error(medians[0][1], len(val))
    assert medians[0][0] > 0.95  # λ = 0 memorises
    assert medians[0.01][1] > medians[0][1] + 2 * se  # and validates clearly worse
    assert medians[0.3][0] < 0.8 and medians[0.3][1] < medians[0.01][1] - 2 * se  # underfits


def test_figures_and_widget_run():
    grid = lesson06.size_grid(widths=(2, 16), sizes=(25, 50), updates=20)
    assert set(grid["runs"]) == {(2, 25), (2, 50), (16, 25), (16, 50)}
    assert "training error" in lesson06.describe_run(grid, 16, 25)
    assert lesson06.plot_size_grid(grid) is not None
    lesson06.size_widget(grid)
    x, y = cu.datasets.make_treatment_scans(8)
    assert lesson06.show_scans(x, y) is not None
    history = {"train_acc": [0.6, 0.9], "val_acc": [0.5, 0.5]}
    assert lesson06.plot_accuracy_pair([history, history], ["a", "b"], baseline=0.6) is not None
    x, y = cu.datasets.make_moons(40, seed=0)
    nets = [cu.MLP([2, 4, 2], seed=s) for s in range(3)]
    fig = lesson06.plot_fits(nets, x, y, ["a", "b", "c"], x, y)
    assert len(fig.axes) == 3 and "validation" in fig.axes[0].get_title()
    scores = np.random.default_rng(0).binomial(270, 0.85, 200) / 270
    fig = lesson06.plot_score_spread(scores, 0.85, {"validation": 0.86, "test": 0.80}, 270)
    assert fig.axes[0].get_xlim()[0] < 0.80 < 0.86 < fig.axes[0].get_xlim()[1]
    lesson06.weight_decay_widget(
        {(lam, 0): net for lam, net in zip((0, 0.1), nets)}, (0, 0.1), x, y, x, y
    )
    accs = np.array([[0.9, 0.8], [0.95, 0.9], [0.7, 0.6]])
    fig = lesson06.plot_weight_decay((0, 0.01, 0.1), accs, accs - 0.1)
    assert "λ = 0.01" in fig.axes[0].get_legend().get_texts()[-1].get_text()
