"""Tests for notebook 07's helpers (course_utils.lessons.nb07_*) and its exercises' checks.

Callbacks and per-batch shifts, the challenge's settings and verdicts, figures, the play widget,
synthetic photos read by the own-digit path (tested in depth by tests/test_images_photos.py),
and typical wrong answers to the four exercises. All offline; about half a minute.
"""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils.data import DATA_DIR, flatten_and_scale, load_mnist  # noqa: E402
from course_utils.lessons import nb07_mnist as lesson  # noqa: E402
from course_utils.own_digit import read_own_digit  # noqa: E402


@pytest.fixture(scope="module")
def sample():
    mnist = load_mnist(sample=True, verbose=False)
    return flatten_and_scale(mnist.x_train), mnist.y_train


@pytest.fixture(scope="module")
def trained(sample):
    """The recommended setting, briefly, on the shipped sample (about a second)."""
    x, y = sample
    model = cu.MLP(list(lesson.RECOMMENDED["sizes"]), seed=0)
    optimizer = cu.SGD(model, lr=0.05, momentum=0.9)
    shifts = lesson.RandomShifts(x, max_shift=1, seed=0)
    cu.fit(
        model,
        cu.CrossEntropyLoss(),
        optimizer,
        shifts.x,
        y,
        epochs=8,
        progress=False,
        callback=lesson.callbacks(lesson.CosineSchedule(optimizer, 8), shifts),
    )
    return model


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def mnist_image(digit, k=0):
    return np.asarray(Image.open(DATA_DIR / "mnist-images" / str(digit) / f"{k}.png"))


# ---------------------------------------------------------------- synthetic photos (own digit)


def test_evenly_lit_and_shadowed_photos_are_read_correctly(trained):
    source = mnist_image(3)
    good, message = read_own_digit(
        trained, lesson.image_bytes(lesson.make_synthetic_photo(source, shadow=0.1)), "3.jpg"
    )
    assert good is not None and good.prediction == 3, message
    assert "reads a 3" in message
    shadowed, message = read_own_digit(
        trained, lesson.image_bytes(lesson.make_synthetic_photo(source, shadow=0.3)), "s.jpg"
    )
    assert shadowed is not None and shadowed.digit.shape == (28, 28), message
    assert shadowed.prediction == 3, message


# ---------------------------------------------------------------- training helpers


def test_cosine_schedule_starts_at_lr_and_falls_smoothly_towards_zero():
    model = cu.MLP([4, 3])
    optimizer = cu.SGD(model, lr=0.1)
    schedule = lesson.CosineSchedule(optimizer, epochs=4)
    used = [optimizer.lr]
    for epoch in range(1, 4):
        schedule(epoch, {})
        used.append(optimizer.lr)
    expected = [0.1 * (1 + np.cos(np.pi * k / 4)) / 2 for k in range(4)]
    assert np.allclose(used, expected)
    assert used[0] == 0.1 and all(a > b > 0 for a, b in zip(used, used[1:]))


def test_shift_images_moves_pixels_and_fills_with_zeros():
    image = np.arange(9, dtype=np.float32).reshape(1, 9) + 1  # a 3x3 "image"
    down_right = lesson.shift_images(image, 1, 1, side=3).reshape(3, 3)
    assert down_right.tolist() == [[0, 0, 0], [0, 1, 2], [0, 4, 5]]
    up_left = lesson.shift_images(image, -1, -1, side=3).reshape(3, 3)
    assert up_left.tolist() == [[5, 6, 0], [8, 9, 0], [0, 0, 0]]


def test_random_shifts_keep_the_originals_and_move_each_digit_by_at_most_one_pixel(sample):
    x = sample[0][:200]
    shifts = lesson.RandomShifts(x, max_shift=1, seed=0)
    first = shifts.x.copy()
    assert np.array_equal(shifts.original, x)
    square = x.reshape(-1, 28, 28)
    inside = (square[:, [0, -1], :].sum(axis=(1, 2)) + square[:, :, [0, -1]].sum(axis=(1, 2))) == 0
    assert inside.mean() > 0.9  # nearly all digits leave the outermost pixels blank ...
    assert np.array_equal(np.sort(first[inside], axis=1), np.sort(x[inside], axis=1))  # none lost
    for row in range(20):
        candidates = [
            lesson.shift_images(x[row : row + 1], dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
        ]
        assert any(np.array_equal(first[row : row + 1], c) for c in candidates)
    shifts(1, {})
    assert not np.array_equal(first, shifts.x)  # a new draw every epoch
    again = lesson.RandomShifts(x, max_shift=1, seed=0)
    assert np.array_equal(again.x, first)  # seeded


def test_live_plot_without_a_browser_draws_both_panels():
    live = lesson.LivePlot(epochs=3, show=False)
    history = {
        "train_loss": [1.0, 0.5],
        "val_loss": [1.1, 0.7],
        "train_acc": [0.6, 0.8],
        "val_acc": [0.55, 0.75],
    }
    live(2, history)
    assert [len(ax.lines) for ax in live.axes] == [2, 2]


def test_train_setting_and_the_comparison_figure(sample):
    x, y = sample
    run = lesson.train_setting(
        x[:300], y[:300], x[300:400], y[300:400], hidden=(16,), optimizer="Adam", lr=0.01, epochs=2
    )
    assert len(run.history["val_acc"]) == 2 and run.seconds > 0
    assert "784-16-10" in run.label and "validation accuracy" in run.summary()
    fig = lesson.plot_runs([run, run])
    assert len(fig.axes) == 2


def test_parse_hidden_accepts_lists_and_explains_bad_input():
    assert lesson.parse_hidden("128, 64") == (128, 64)
    assert lesson.parse_hidden("256 128") == (256, 128)
    assert lesson.parse_hidden("") == ()
    with pytest.raises(ValueError, match="whole numbers"):
        lesson.parse_hidden("128, big")
    with pytest.raises(ValueError, match="between 1 and 4096"):
        lesson.parse_hidden("0")
    with pytest.raises(ValueError, match="Unknown optimizer"):
        lesson.make_optimizer("RMSprop", cu.MLP([4, 2]), 0.1)


def test_play_widget_reports_a_bad_setting_and_trains_a_good_one(sample, capsys):
    x, y = sample
    widget = lesson.play_with_it(x[:200], y[:200], x[200:300], y[200:300])
    hidden, _, _, _, epochs, buttons = widget.children[0].children
    hidden.value = "lots"
    buttons.children[0].click()
    assert "Not trained" in capsys.readouterr().out
    hidden.value, epochs.value = "8", 1
    buttons.children[0].click()
    assert "Trained run 1" in capsys.readouterr().out


# ---------------------------------------------------------------- figures


def test_figures_draw_without_errors(sample, trained):
    x, y = sample
    probabilities = cu.predict_proba(trained, x[:300])
    assert lesson.show_misclassified(x[:300], y[:300], probabilities, n=6) is not None
    assert len(lesson.show_first_layer_weights(trained, n=8, n_cols=4).axes) == 8
    assert lesson.show_examples_per_class(x[:500], y[:500], per_class=3) is not None
    assert lesson.plot_class_balance({"a": y[:100], "b": y[100:200]}) is not None
    history = {"train_loss": [2.0, 1.0]}
    assert lesson.plot_learning_rates({"α = 0.1": history}) is not None


# ---------------------------------------------------------------- the challenge's settings


def test_check_setting_fills_defaults_and_explains_every_bad_value():
    from course_utils.lessons import nb07_training as training

    full = training.check_setting(dict(lr=0.05, epochs=3))
    assert full["hidden"] == (128, 64) and full["momentum"] == 0 and full["batch_size"] == 64
    bad = [
        ([0.05, 3], "dict of hyperparameters"),
        (dict(lr=0.05), "needs 'epochs'"),
        (dict(learning_rate=0.05, epochs=3), "Unknown hyperparameter"),
        (dict(lr="0.05", epochs=3), "lr must be a positive number"),
        (dict(lr=0.05, epochs=2.5), "epochs must be a whole number"),
        (dict(lr=0.05, epochs=3, batch_size=1), "batch_size must be a whole number"),
        (dict(lr=0.05, epochs=3, optimizer="adam"), "optimizer must be"),
        (dict(lr=0.05, epochs=3, optimizer="Adam", momentum=0.9), "Adam has its own momentum"),
        (dict(lr=0.05, epochs=3, momentum=1.5), "momentum must be"),
        (dict(lr=0.05, epochs=3, schedule="linear"), "schedule must be"),
        (dict(lr=0.05, epochs=3, hidden=128), "hidden must be a list"),
        (dict(lr=0.05, epochs=3, weight_decay=-1), "weight_decay must be"),
    ]
    for setting, words in bad:
        with pytest.raises(ValueError, match=words):
            training.check_setting(setting)


def test_work_counts_epochs_times_parameters():
    from course_utils.lessons import nb07_training as training

    assert (
        training.num_parameters((128, 64)) == 109_386 == cu.MLP([784, 128, 64, 10]).num_parameters()
    )
    assert training.num_parameters(()) == 7_850
    assert training.work(dict(lr=0.1, epochs=15)) == 15 * 109_386 <= training.BUDGET
    assert training.work(dict(lr=0.1, epochs=30)) > training.BUDGET


def test_verdict_names_what_a_run_shows():
    from course_utils.lessons import nb07_training as t

    def run(train_loss, train_acc):
        return {"train_loss": train_loss, "train_acc": train_acc}

    assert t.verdict(run([0.5, 0.4], [0.9, 0.93]), 0.96) == t.REACHED
    assert t.verdict(run([2.3, 2.3], [0.1, 0.1]), 0.1) == t.NO_LEARNING
    assert t.verdict(run([0.1, 0.05], [0.99, 1.0]), 0.93) == t.MEMORISED
    assert t.verdict(run([2.0, 1.9], [0.4, 0.45]), 0.45) == t.STILL_LEARNING
    assert t.verdict(run([0.30, 0.299], [0.96, 0.965]), 0.93) == t.CLOSE


def test_train_with_a_setting_learns_and_repeats_exactly(sample):
    from course_utils.lessons import nb07_training as t

    x, y = sample
    setting = dict(lr=0.05, momentum=0.9, epochs=2, max_shift=1, schedule="cosine", hidden=[32])
    model, history = t.train_with(setting, x[:1000], y[:1000], x[1000:1400], y[1000:1400])
    again, _ = t.train_with(setting, x[:1000], y[:1000], x[1000:1400], y[1000:1400])
    assert history["val_acc"][-1] > 0.75
    assert np.array_equal(model.layers[0].M, again.layers[0].M)  # seeded: the same run twice


def test_diagnosis_summary_keeps_the_advice_and_drops_the_numbers():
    from course_utils.lessons.nb07_training import diagnosis_summary

    history = {
        "warnings": [
            "Cost exploded: the cost J jumped from 2.4 to 1.8e+05 in epoch 1. Most likely "
            "cause: α is too large. Fix: try lr=1.",
            "Input scale: the inputs are large (largest |x| = 255). Fix: x = x / 255.",
        ]
    }
    lines = diagnosis_summary(history)
    assert lines == [
        "Cost exploded. Most likely cause: α is too large. Fix: try lr=1.",
        "Input scale. Fix: x = x / 255.",
    ]
    assert "nothing to report" in diagnosis_summary({"warnings": []})[0]


def test_fit_names_both_failures_of_break_it_on_purpose(sample):
    from course_utils.lessons.nb07_training import diagnosis_summary

    x, y = sample
    net = cu.MLP([784, 128, 64, 10], seed=0)
    huge = cu.fit(
        net,
        cu.CrossEntropyLoss(),
        cu.SGD(net, lr=10),
        x[:1000],
        y[:1000],
        epochs=3,
        progress=False,
        diagnose="quiet",
    )
    assert "lr_too_large" in huge["diagnoses"]
    assert any(line.startswith("Cost exploded") for line in diagnosis_summary(huge))
    net = cu.MLP([784, 128, 64, 10], seed=0)
    raw = cu.fit(
        net,
        cu.CrossEntropyLoss(),
        cu.SGD(net, lr=0.05, momentum=0.9),
        x[:1000] * 255,
        y[:1000],
        epochs=3,
        progress=False,
        diagnose="quiet",
    )
    assert raw["diagnoses"][0] == "input_scale"


def test_templates_and_spread_figures(sample):
    from course_utils.lessons.nb07_figures import plot_spread, show_templates

    linear = cu.MLP([784, 10], seed=0)
    assert len(show_templates(linear).axes) == 10
    fig = plot_spread({"a": [0.9, 0.92, 0.91], "b": [0.95, 0.96, 0.97]}, reference=0.95)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b"]


# ---------------------------------------------------------------- wrong answers
# WRONG_ANSWERS_07 follows tests/wrong_answers.py's WRONG_ANSWERS format: exercise name ->
# (phrase the check's message must contain, a wrong answer as a learner would write it).
# Kept here until they move into that file.


def epoch_no_shuffle(model, loss_fn, optimizer, x, y, batch_size, rng):
    total = 0.0
    for start in range(0, len(x), batch_size):
        cost = loss_fn(model.forward(x[start : start + batch_size]), y[start : start + batch_size])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(x[start : start + batch_size])
    return total / len(x)


def epoch_labels_unshuffled(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        cost = loss_fn(
            model.forward(x[order[start : start + batch_size]]), y[start : start + batch_size]
        )
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(order[start : start + batch_size])
    return total / len(x)


def epoch_no_return(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        loss_fn(model.forward(x[batch]), y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()


def epoch_step_first(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(model.forward(x[batch]), y[batch])
        optimizer.step()
        model.backward(loss_fn.backward())
        total += cost * len(batch)
    return total / len(x)


def epoch_global_random(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = np.random.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(model.forward(x[batch]), y[batch])
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(batch)
    return total / len(x)


def epoch_mean_of_batches(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    costs = []
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        costs.append(loss_fn(model.forward(x[batch]), y[batch]))
        model.backward(loss_fn.backward())
        optimizer.step()
    return sum(costs) / len(costs)


def epoch_step_after_loop(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        total += loss_fn(model.forward(x[batch]), y[batch]) * len(batch)
        model.backward(loss_fn.backward())
    optimizer.step()
    return total / len(x)


def epoch_swapped_loss(model, loss_fn, optimizer, x, y, batch_size, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        cost = loss_fn(y[batch], model.forward(x[batch]))
        model.backward(loss_fn.backward())
        optimizer.step()
        total += cost * len(batch)
    return total / len(x)


def accuracy_batches_mean(model, x, y, batch_size=100):
    scores = [
        np.mean(model.forward(x[s : s + batch_size]).argmax(axis=1) == y[s : s + batch_size])
        for s in range(0, len(x), batch_size)
    ]
    return sum(scores) / len(scores)


def accuracy_no_last_batch(model, x, y, batch_size=100):
    correct = 0
    for start in range(0, len(x) - batch_size + 1, batch_size):
        correct += np.sum(
            model.forward(x[start : start + batch_size]).argmax(axis=1)
            == y[start : start + batch_size]
        )
    return correct / len(x)


WRONG_ANSWERS_07 = {
    "train_one_epoch": [
        ("not shuffled", epoch_no_shuffle),
        ("labels are not", epoch_labels_unshuffled),
        ("return", epoch_no_return),
        ("backward", epoch_step_first),
        ("different result at every call", epoch_global_random),
        ("averaged the batches' costs", epoch_mean_of_batches),
        ("once, after the loop", epoch_step_after_loop),
        ("CrossEntropyLoss expects targets", epoch_swapped_loss),
    ],
    "my_setting": [
        ("still learning", lambda: dict(lr=0.001, epochs=10)),
        ("did not learn at all", lambda: dict(lr=10, epochs=10)),
        ("over the budget", lambda: dict(lr=0.05, momentum=0.9, epochs=100)),
        ("over the budget", lambda: dict(lr=0.05, epochs=10, hidden=[1024, 512])),
        ("unknown hyperparameter", lambda: dict(learning_rate=0.05, epochs=10)),
        ("needs 'lr'", lambda: dict(epochs=10)),
        ("dict of hyperparameters", lambda: [0.05, 0.9, 15]),
        ("lr must be a positive number", lambda: dict(lr="0.05", epochs=10)),
    ],
    "evaluate_accuracy": [
        ("averaged the accuracies of the batches", accuracy_batches_mean),
        ("last, smaller batch", accuracy_no_last_batch),
        (
            "percentage",
            lambda model, x, y, batch_size=100: 100 * np.mean(model.forward(x).argmax(axis=1) == y),
        ),
        (
            "error rate",
            lambda model, x, y, batch_size=100: np.mean(model.forward(x).argmax(axis=1) != y),
        ),
        (
            "number of correct predictions",
            lambda model, x, y, batch_size=100: int(np.sum(model.forward(x).argmax(axis=1) == y)),
        ),
        ("shape", lambda model, x, y, batch_size=100: model.forward(x).argmax(axis=1) == y),
    ],
    "scale_pixels": [
        ("still 0–255", lambda images: images.reshape(len(images), 784).astype(float)),
        ("integer division", lambda images: images.reshape(len(images), 784) // 255),
        (
            "largest pixel of these images",
            lambda images: images.reshape(len(images), 784) / images.max(),
        ),
        ("not flattened", lambda images: images / 255),
        ("one row per image", lambda images: images.flatten() / 255),
        ("256", lambda images: images.reshape(len(images), 784) / 256),
        (
            "standardising",
            lambda images: ((images - images.mean()) / images.std()).reshape(len(images), 784),
        ),
    ],
}
CASES_07 = [
    pytest.param(name, phrase, answer, id=f"{name}-{i}")
    for name, answers in WRONG_ANSWERS_07.items()
    for i, (phrase, answer) in enumerate(answers)
]


@pytest.mark.parametrize("name,phrase,answer", CASES_07)
def test_wrong_answer_to_a_notebook_07_exercise_is_rejected_and_named(name, phrase, answer):
    from course_utils.checks import evaluate, load_all

    load_all()
    result = evaluate(name, answer)
    assert result.status in ("mistake", "wrong"), (name, phrase, result)
    assert phrase.lower() in result.message.lower(), (name, phrase, result.message)


@pytest.mark.parametrize("name", sorted(WRONG_ANSWERS_07))
def test_at_least_six_wrong_answers_per_notebook_07_exercise(name):
    assert len(WRONG_ANSWERS_07[name]) >= 6


def test_the_challenges_solution_reaches_the_target_with_margin():
    from course_utils.checks import mnist_challenge as checks
    from course_utils.lessons import nb07_training as t

    code, val_acc, _ = checks.try_setting(checks.my_setting())
    assert code == t.REACHED and val_acc >= t.TARGET + 0.005  # two digits of 400 to spare


def test_shifted_images_shift_each_batch_afresh_without_copying_the_set():
    from course_utils.lessons.nb07_training import ShiftedImages, peak_memory_mb

    images = load_mnist(sample=True, verbose=False).x_train[:50]  # uint8 (50, 28, 28)
    shifted = ShiftedImages(images, max_shift=1, seed=0)
    assert len(shifted) == 50 and shifted.shape == (50, 784)
    assert np.shares_memory(shifted.images, images)  # the set itself is never copied
    first, second = shifted[:20], shifted[:20]
    assert first.dtype == np.float32 and first.shape == (20, 784) and first.max() <= 1
    assert not np.array_equal(first, second)  # a new draw for every batch
    for row in range(20):  # each digit moved by at most one pixel, nothing else changed
        candidates = [
            lesson.shift_images(images[row : row + 1].reshape(1, 784) / 255, dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
        ]
        assert any(np.allclose(first[row : row + 1], c) for c in candidates)
    as_floats = ShiftedImages(flatten_and_scale(images), max_shift=1, seed=0)
    assert np.array_equal(as_floats[:20], ShiftedImages(images, max_shift=1, seed=0)[:20])
    peak = peak_memory_mb()
    assert peak is None or 10 < peak < 100_000
